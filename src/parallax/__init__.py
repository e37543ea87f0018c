"""Parallax: the customer-experience perception-gap observatory.

The inside view (surveys, tickets) and the outside view (what customers volunteer in public and across
channels) are taken in, linked to the same customers and segments, and compared.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
