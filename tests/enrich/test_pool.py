"""Worker processes give exactly what one process gives, batch for batch (speed is for `parallax bench`)."""

from __future__ import annotations

import pytest

from parallax.enrich.bench import time_pool
from parallax.enrich.categories.workspace import TaxonomyChoice
from parallax.enrich.pipeline import Enriched
from parallax.enrich.pool import PipelinePool
from parallax.enrich.registry import default_pipeline
from parallax.kit.errors import ParallaxError

TEXTS = [
    "@united my bag is lost, third time this month and nobody can explain why",
    "thanks, the crew on UA 1234 from JFK to LAX was great :)",
    "",
    "Mi vuelo está retrasado otra vez",
    "call me on +1 212 555 0199 or jane.doe@example.com, booking ref QX7T2B",
    "still waiting for my refund!!! worst airline ever",
]


def _batches() -> list[list[Enriched]]:
    texts = TEXTS * 3
    return [[Enriched(s + i, t) for i, t in enumerate(texts[s : s + 4])] for s in range(0, len(texts) - 2, 4)]


def test_pool_runs_whole_batches_as_one_process_does() -> None:
    expected = default_pipeline("fast").run_many(_batches())
    with PipelinePool("fast", workers=2) as pool:
        found = pool.run_many(_batches())
        assert pool.workers == 2 and pool.version == default_pipeline("fast").version
        assert pool.model_versions == default_pipeline("fast").model_versions and pool.load_seconds > 0
    assert [len(batch) for batch in found] == [4, 4, 4, 4]
    assert found == expected and found[0][0].sentiment_label is not None


def test_timed_batches_name_every_step_and_count_worker_cpu() -> None:
    with PipelinePool("baseline", workers=1) as pool:
        [timed] = pool.run_timed([TEXTS])
        [vader_cpu] = pool.vader_cpu_seconds([TEXTS])
        timing = time_pool("baseline", pool, TEXTS * 3, batch=4)
    names = [step.name for step in default_pipeline("baseline").steps]
    assert list(timed.step_seconds) == names
    assert [item.text for item in timed.items] == TEXTS and timed.cpu_seconds > 0 and vader_cpu >= 0
    assert (timing.n, timing.workers, [name for name, _ in timing.step_seconds]) == (18, 1, names)
    assert timing.cpu_seconds > 0 and timing.load_seconds == pool.load_seconds > 0


def test_a_pipeline_that_cannot_be_built_fails_with_its_reason() -> None:
    with pytest.raises(ParallaxError, match="nowhere"):
        PipelinePool("fast", workers=1, taxonomy=TaxonomyChoice(pack="nowhere"))
    with pytest.raises(ValueError):
        PipelinePool("fast", workers=0)
