"""Precision and recall of redaction on the labelled set (``parallax eval pii``).

Two levels. Characters: of the non-space characters the policy masks, the share that were planted
(precision), and of the planted non-space characters, the share masked (recall). Spans, per kind: a planted
identifier counts as caught only when every one of its non-space characters is masked (by any kind: what
matters is that it is not shown), and a predicted span is a false positive when it touches no planted one.

    >>> from parallax.enrich.pii.eval_corpus import Labelled
    >>> s = score([Labelled("call 020 7946 0958 on flight BA 283", ((5, 18, "phone"),))], model=False)
    >>> s.char_precision, s.char_recall, s.recall["phone"]
    (1.0, 1.0, 1.0)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from parallax.enrich.pii import ner
from parallax.enrich.pii.detect import find_pii
from parallax.enrich.pii.eval_corpus import Labelled
from parallax.enrich.pii.spans import KINDS, PiiSpan, choose


@dataclass
class Score:
    messages: int = 0
    planted: Counter[str] = field(default_factory=Counter)
    caught: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    false_positive: Counter[str] = field(default_factory=Counter)
    char_true: int = 0
    char_masked: int = 0
    char_planted: int = 0
    examples: list[str] = field(default_factory=list)  # a few misses and false positives, for reading

    @property
    def char_precision(self) -> float:
        return round(self.char_true / self.char_masked, 3) if self.char_masked else 1.0

    @property
    def char_recall(self) -> float:
        return round(self.char_true / self.char_planted, 3) if self.char_planted else 1.0

    @property
    def recall(self) -> dict[str, float]:
        return {k: round(self.caught[k] / n, 3) for k, n in self.planted.items() if n}

    @property
    def precision(self) -> dict[str, float]:
        return {k: round(1 - self.false_positive[k] / n, 3) for k, n in self.predicted.items() if n}

    def overall(self) -> tuple[float, float]:
        """Span-level precision and recall over every kind."""
        predicted, planted = sum(self.predicted.values()), sum(self.planted.values())
        p = 1 - sum(self.false_positive.values()) / predicted if predicted else 1.0
        r = sum(self.caught.values()) / planted if planted else 1.0
        return round(p, 3), round(r, 3)


def _chars(text: str, ranges: list[tuple[int, int]]) -> set[int]:
    return {i for start, end in ranges for i in range(start, end) if not text[i].isspace()}


def _add(score: Score, item: Labelled, spans: list[PiiSpan]) -> None:
    masked = _chars(item.text, [(s.start, s.end) for s in spans])
    planted_chars = _chars(item.text, [(a, b) for a, b, _ in item.planted])
    score.messages += 1
    score.char_masked += len(masked)
    score.char_planted += len(planted_chars)
    score.char_true += len(masked & planted_chars)
    for start, end, kind in item.planted:
        score.planted[kind] += 1
        if _chars(item.text, [(start, end)]) <= masked:
            score.caught[kind] += 1
        elif len(score.examples) < 40:
            score.examples.append(f"missed {kind}: {item.text[start:end]!r} in {item.text!r}")
    for span in spans:
        score.predicted[span.kind] += 1
        if not any(span.start < b and a < span.end for a, b, _ in item.planted):
            score.false_positive[span.kind] += 1
            if len(score.examples) < 40:
                score.examples.append(f"false {span.kind}: {item.text[span.start : span.end]!r}")


def score(items: list[Labelled], model: bool = True, region: str = "US") -> Score:
    """Run every detector the policy uses over ``items`` and count."""
    result = Score()
    people = ner.person_spans_many([item.text for item in items]) if model else [[] for _ in items]
    for item, named in zip(items, people, strict=True):
        _add(result, item, choose([*find_pii(item.text, region=region, kinds=KINDS, model=False), *named]))
    return result


def table(rules: Score, with_model: Score | None) -> list[str]:
    """Markdown rows: each kind's span recall and precision, rules only and with the model."""
    head = "| kind | planted | recall (rules) | precision (rules) |"
    rows = [head + (" recall (+NER) | precision (+NER) |" if with_model else "")]
    rows.append("|" + " --- |" * (6 if with_model else 4))
    for kind in KINDS:
        cells = [kind, str(rules.planted[kind])]
        for s in (rules, with_model) if with_model else (rules,):
            cells += [_fmt(s.recall.get(kind)), _fmt(s.precision.get(kind))]
        rows.append("| " + " | ".join(cells) + " |")
    cells = ["**all (spans)**", str(sum(rules.planted.values()))]
    for s in (rules, with_model) if with_model else (rules,):
        p, r = s.overall()
        cells += [f"**{r:.3f}**", f"**{p:.3f}**"]
    rows.append("| " + " | ".join(cells) + " |")
    cells = ["**all (characters)**", str(rules.char_planted)]
    for s in (rules, with_model) if with_model else (rules,):
        cells += [f"**{s.char_recall:.3f}**", f"**{s.char_precision:.3f}**"]
    rows.append("| " + " | ".join(cells) + " |")
    return rows


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
