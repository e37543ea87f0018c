"""Sentiment models behind one protocol (negative / neutral / positive, calibrated probabilities, a score in
[-1, 1]): ``vader`` (baseline), ``fast`` (static embeddings + lexicon + linear head, numpy only) and
``accurate`` (MiniLM with a fine-tuned top, needs the ``transformer`` extra)."""
