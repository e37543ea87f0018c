"""Language detection (py3langid, offline) with an English fast path for the firehose.

Short social posts full of handles and links fool character n-gram models, so handles, links and hashtags are
stripped first, a guess below ``MIN_CONFIDENCE`` is reported as ``und`` (undetermined), and the candidate
languages are limited to those a CX team is likely to see. Plain-ASCII text made mostly of common English
words is English without running the model: that is most traffic, and the model is the slow part. Emoji,
curly quotes and other non-letters do not count against the fast path; a letter outside ASCII does.

Example:
    >>> step = LanguageStep()
    >>> batch = [Enriched(1, "@united my bag is still not here and nobody answers"),
    ...          Enriched(2, "@iberia mi maleta no ha llegado y nadie me responde")]
    >>> step.apply(batch)
    >>> [(item.language, is_non_english(item)) for item in batch]
    [('en', False), ('es', True)]
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from parallax.enrich.pipeline import Enriched

MIN_CONFIDENCE = 0.5
UNDETERMINED = "und"
LANGUAGES = [
    "en",
    "es",
    "fr",
    "de",
    "it",
    "pt",
    "nl",
    "sv",
    "da",
    "no",
    "fi",
    "pl",
    "cs",
    "sk",
    "hu",
    "ro",
    "tr",
    "el",
    "ru",
    "uk",
    "ar",
    "he",
    "fa",
    "hi",
    "bn",
    "ur",
    "id",
    "ms",
    "tl",
    "vi",
    "th",
    "zh",
    "ja",
    "ko",
]
NOISE_RE = re.compile(r"(?:https?://\S+|www\.\S+|[@#]\w+|&\w+;)")
WORD_RE = re.compile(r"[a-z']+")
# A letter outside ASCII (é, ß, Cyrillic...): emoji, curly quotes and dashes do not stop the fast path.
NON_ASCII_LETTER_RE = re.compile(r"[^\W\d_\x00-\x7f]")
ENGLISH_WORDS = frozenset(
    [  # noqa: RUF005 (two lists: the function words, then the additions)
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "from",
        "with",
        "by",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "am",
        "i",
        "you",
        "he",
        "she",
        "it",
        "we",
        "they",
        "my",
        "your",
        "our",
        "their",
        "me",
        "us",
        "them",
        "this",
        "that",
        "these",
        "those",
        "not",
        "no",
        "yes",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "just",
        "so",
        "very",
        "what",
        "when",
        "where",
        "why",
        "how",
        "please",
        "thanks",
        "thank",
        "still",
        "again",
        "now",
        "get",
        "got",
    ]
    # Distinctly English words, added because short complaints often hold none of the function words above;
    # words shared with German, Dutch or French ("gate", "over", "service", "agent") stay out on purpose.
    + [
        "i'm",
        "it's",
        "don't",
        "can't",
        "won't",
        "didn't",
        "there",
        "here",
        "about",
        "after",
        "all",
        "any",
        "being",
        "best",
        "done",
        "first",
        "going",
        "great",
        "help",
        "hey",
        "hours",
        "if",
        "into",
        "its",
        "last",
        "like",
        "more",
        "need",
        "next",
        "night",
        "only",
        "out",
        "really",
        "right",
        "some",
        "than",
        "then",
        "time",
        "today",
        "too",
        "want",
        "way",
        "well",
        "which",
        "who",
        "yet",
        "flight",
        "flights",
        "airline",
        "customer",
        "delayed",
        "cancelled",
        "bag",
        "bags",
        "plane",
        "seat",
        "crew",
        "waiting",
        "love",
        "worst",
        "ever",
        "never",
        "guys",
        "always",
        "amazing",
    ]
)
ENGLISH_SHARE = 0.25


def is_non_english(item: Enriched) -> bool:
    """True when a language other than English was detected with confidence."""
    return item.language not in (None, "en", UNDETERMINED)


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect(text: str) -> tuple[str, float]:
    """(ISO 639-1 code or ``und``, confidence) for one text."""
    cleaned = NOISE_RE.sub(" ", text).strip()
    if not cleaned:
        return UNDETERMINED, 0.0
    if cleaned.isascii() or not NON_ASCII_LETTER_RE.search(cleaned):
        words = WORD_RE.findall(cleaned.lower())
        if words and sum(word in ENGLISH_WORDS for word in words) / len(words) >= ENGLISH_SHARE:
            return "en", 1.0
    language, confidence = _identifier().classify(cleaned)
    if confidence < MIN_CONFIDENCE:
        return UNDETERMINED, float(confidence)
    return str(language), float(confidence)


class LanguageStep:
    """Fills ``language`` and ``language_confidence``; later steps lower their confidence off English."""

    name = "language"
    version = "py3langid-0.4+en-fastpath-2"

    def apply(self, batch: list[Enriched]) -> None:
        for item in batch:
            item.language, item.language_confidence = detect(item.text)


def make_step(tier: str) -> LanguageStep:
    _identifier()  # loaded with the pipeline (~0.7 s), not inside the first batch that needs the model
    return LanguageStep()
