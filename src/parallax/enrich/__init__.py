"""Enrich: an ordered pipeline of small steps over batches of interactions (language, sentiment,
emotion, friction signals, complaint categories, entities, PII redaction).

Models sit behind one protocol and load once per process. Must not import ingest, metrics or delivery code.
"""

from parallax.enrich.pipeline import Enriched, Pipeline, Step

__all__ = ["Enriched", "Pipeline", "Step"]
