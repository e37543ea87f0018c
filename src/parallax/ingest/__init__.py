"""Ingest: turning files and HTTP batches into interactions, idempotently, with per-row errors.

Owns mappings (column layouts of common exports), validation, importers and the rejects file.
Must not import enrich, metrics, identity or delivery code.
"""

from parallax.ingest.record import CHANNELS, KINDS, SOLICITED_KINDS, InteractionIn

__all__ = ["CHANNELS", "KINDS", "SOLICITED_KINDS", "InteractionIn"]
