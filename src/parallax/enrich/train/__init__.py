"""Reproducible (seeded) training of the shipped enrichment artifacts. Needs scikit-learn; torch for the
accurate tier. Nothing here runs at inference."""
