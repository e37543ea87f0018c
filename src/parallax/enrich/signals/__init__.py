"""Consumer-side signals: friction, stress, repeated effort, inconsistency, uncertainty, helped, not helped.

A lexicon layer (``lexicon``) and trained logistic heads over fast features (``model``), evaluated on a gold
set we labelled ourselves (``gold``; docs/labelling-guide.md).
"""

from parallax.enrich.signals.lexicon import SIGNALS, lexicon_scores

__all__ = ["SIGNALS", "lexicon_scores"]
