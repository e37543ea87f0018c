"""The batched fast paths give what the plain per-text definitions give (speed is for `parallax bench`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from parallax.enrich.categories.features import hashed, normalised
from parallax.enrich.categories.fewshot import chosen_mask, ranked, ranked_rows
from parallax.enrich.categories.supervised import kept_tfidf, shipped_head, weighted
from parallax.enrich.lexicon import (
    NEGATION_FACTOR,
    NEGATION_WINDOW,
    NEGATIONS,
    WORD_RE,
    lexicon_features,
    valences,
)
from parallax.enrich.linear import featurize, featurize_shared, normalised_shared
from parallax.enrich.signals.lexicon import SIGNALS, lexicon_matrix, lexicon_scores
from parallax.enrich.static import load_encoder
from parallax.enrich.textnorm import normalise

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "airline-tweets" / "tweets_dev.csv"
HAND_MADE = [
    "",
    " ",
    "help",
    "Please HELP\n",
    "@united third time calling and STILL no update on my bag!!! not good",
    "not bad at all, but the crew wasn't great :)",
    "\u2581odd  spacing\there and there ",
    "émigré naïve café ÄÖÜ İstanbul 😀😀 no no love",
    "Nobody can explain why the flight is late and there are no updates???",
    "One agent told me one thing and another agent said something different",
    "UA 1234 from JFK to LAX was 3h late; on hold for 2 hours and then disconnected",
    "I can't log in to the app, it doesn't work",
]


def corpus() -> list[str]:
    texts = list(HAND_MADE)
    if DATA.exists():
        from parallax.enrich.datasets import airline_tweets

        texts += list(airline_tweets(DATA.parents[1]).texts)[:1500]
    return texts


def reference_lexicon_row(text: str) -> list[float]:
    """The per-word loop that lexicon_features vectorises."""
    lexicon, pos, neg = valences(), [], []
    words = WORD_RE.findall(text.lower())
    last_negation = -NEGATION_WINDOW - 1
    for position, word in enumerate(words):
        if word in NEGATIONS:
            last_negation = position
            continue
        value = lexicon.get(word)
        if value is None:
            continue
        if position - last_negation <= NEGATION_WINDOW:
            value *= NEGATION_FACTOR
        (pos if value > 0 else neg).append(value / 4.0)
    letters = [ch for ch in text if ch.isalpha()]
    caps = sum(ch.isupper() for ch in letters) / len(letters) if letters else 0.0
    counts = [float(len(pos)), float(len(neg)), float(sum(word in NEGATIONS for word in words))]
    return [
        *(sum(pos), -sum(neg), max(pos, default=0.0), -min(neg, default=0.0)),
        *counts,
        *(float(min(text.count("!"), 5)), float(min(text.count("?"), 5)), caps),
        *(float("but" in words), float(np.log1p(len(words)))),
    ]


def test_lexicon_features_match_the_per_word_loop() -> None:
    texts = [normalise(text) for text in corpus()] + HAND_MADE
    expected = np.array([reference_lexicon_row(text) for text in texts], dtype=np.float32)
    assert np.array_equal(lexicon_features(texts), expected)


def test_signal_lexicon_matrix_matches_lexicon_scores_exactly() -> None:
    texts = corpus() + [normalise(text) for text in HAND_MADE]
    expected = np.array([[lexicon_scores(t)[s] for s in SIGNALS] for t in texts], dtype=np.float32)
    found = lexicon_matrix(texts)
    assert np.array_equal(found, expected) and found[texts.index("help"), SIGNALS.index("stress")] > 0
    assert lexicon_matrix([]).shape == (0, len(SIGNALS))


def test_cached_tokenizer_gives_the_tokenizer_ids() -> None:
    encoder = load_encoder()
    assert encoder.splits_on_spaces  # checked against the shipped merges at load
    texts = [normalise(text) for text in corpus()] + HAND_MADE
    for _ in range(2):  # cold, then from the word memory
        tokens = encoder.tokenize(texts)
        expected = [e.ids for e in encoder.tokenizer.encode_batch(texts, add_special_tokens=False)]
        assert tokens.ids.tolist() == [i for ids in expected for i in ids]
        assert tokens.rows.tolist() == [row for row, ids in enumerate(expected) for _ in ids]


def test_embedding_is_the_mean_of_token_vectors() -> None:
    encoder = load_encoder()
    texts = [normalise(text) for text in HAND_MADE]
    tokens = encoder.tokenize(texts)
    found = encoder.embed(tokens)
    for row in range(len(texts)):
        total = encoder.table[tokens.ids[tokens.rows == row]].sum(axis=0)
        expected = total / max(float(np.linalg.norm(total)), 1e-6)
        assert np.allclose(found[row], expected, atol=1e-5)


def test_shared_features_are_computed_once_per_batch() -> None:
    texts = corpus()[:50]
    first = featurize_shared(list(texts))
    assert featurize_shared(list(texts)) is first
    assert normalised_shared(list(texts)) == [normalise(text) for text in texts]
    fresh = featurize(texts)
    assert np.allclose(first.dense, fresh.dense) and np.array_equal(first.cols, fresh.cols)


def test_kept_tfidf_equals_column_selection() -> None:
    head = shipped_head("airline")
    if head is None:
        pytest.skip("no airline category head shipped")
    counts = hashed(normalised(corpus()))
    position = np.full(counts.shape[1], -1, dtype=np.int32)
    position[head.columns] = np.arange(len(head.columns), dtype=np.int32)
    expected = weighted(counts, head.columns, head.idf)
    assert abs(kept_tfidf(counts, position, head.idf) - expected).max() < 1e-9


def test_ranked_rows_equals_ranked_per_row() -> None:
    rng = np.random.default_rng(3)
    scores = rng.dirichlet(np.ones(6) * 0.4, size=300)
    labels = [f"c{i}" for i in range(6)]
    batch = ranked_rows(labels, scores, chosen_mask(scores, 0.2))
    assert batch == [ranked(labels, row, 0.2) for row in scores]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I ❤️ flying @VirginAmerica, best crew ever 👍", "en"),
        ("Done and done! Best airline around, hands down!", "en"),
        ("mi maleta no ha llegado y nadie me responde", "es"),
        ("Wir warten seit Stunden am Gate", "de"),
        ("mijn koffer is niet aangekomen en niemand antwoordt", "nl"),
        ("le vol a du retard encore une fois", "fr"),
    ],
)
def test_english_fast_path_skips_emoji_but_not_foreign_letters(text: str, language: str) -> None:
    from parallax.enrich.steps.language import detect

    assert detect(text)[0] == language


@pytest.mark.parametrize(
    ("text", "gated"),
    [
        ("@united flight 1234 at 5:30, gate 12", False),
        ("@united call me at (415) 555-2671", True),
        ("+683 4002 please", True),
        ("card 4111-1111-1111-1111", True),
        ("write to ann@example.com", True),
        ("@ann @bob hello", False),
    ],
)
def test_pii_gate_passes_every_text_that_can_hold_pii(text: str, gated: bool) -> None:
    from parallax.enrich.pii import find_pii, may_hold_pii

    assert may_hold_pii(text) is gated
    assert gated or not find_pii(text)


def test_anchor_scan_finds_every_anchor_in_every_text_that_holds_it() -> None:
    from parallax.enrich.signals.lexicon import _all_anchors, _anchor_rows

    lowered = [text.lower() for text in corpus() + HAND_MADE]
    expected = {anchor: [i for i, text in enumerate(lowered) if anchor in text] for anchor in _all_anchors()}
    found = _anchor_rows(lowered)
    assert found == {anchor: rows for anchor, rows in expected.items() if rows} and "no " in found
    assert _anchor_rows([]) == {} and _anchor_rows(["xyz"]) == {}
