"""Quality figures for the enrichment models (a command, not a test): metrics and evaluation runs."""
