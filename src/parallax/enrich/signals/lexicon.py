"""The pattern layer of the consumer-side signals: phrases that announce friction, stress, repeated effort,
inconsistency, uncertainty, being helped and not being helped.

Each signal has a few weighted regular expressions; a message's lexicon score for a signal is
``1 - prod(1 - weight)`` over the patterns that fire, so one strong cue or several weak ones both count.
These scores are also features of the trained layer (``parallax.enrich.signals.model``).

Example:
    >>> scores = lexicon_scores("Third time calling and still no update on my bag")
    >>> scores["repeated_effort"] > 0.8, scores["uncertainty"] > 0.5, scores["helped"]
    (True, True, 0.0)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from parallax.enrich.signals.anchors import anchors

SIGNALS: tuple[str, ...] = (
    "friction",
    "stress",
    "repeated_effort",
    "inconsistency",
    "uncertainty",
    "helped",
    "not_helped",
)


@dataclass(frozen=True)
class Cue:
    """One pattern, how strongly it alone suggests the signal, and literals one of which a match needs."""

    pattern: re.Pattern[str]
    weight: float
    anchors: frozenset[str] | None


def _cues(*pairs: tuple[str, float]) -> tuple[Cue, ...]:
    # Patterns are written in lower case and matched against lower-cased text: IGNORECASE is much slower.
    return tuple(Cue(re.compile(pattern), weight, anchors(pattern)) for pattern, weight in pairs)


CUES: dict[str, tuple[Cue, ...]] = {
    "friction": _cues(
        (
            r"\b(issue|problem|trouble)s?\b|\bnot (allowing|showing|appearing|loading|on time)\b|disappear",
            0.5,
        ),
        (r"\b(rude|unacceptable|worst|incompetent|ridiculous|terrible|horrible|awful|not cool)\b", 0.55),
        (
            r"\bno (wifi|tv|water|food|gate|pilot|agents?|one answer\w*|answers?|reply|response|call ?back|"
            r"customer service|info)\b",
            0.6,
        ),
        (
            r"\b(missed|miss|missing) (my |the |our )?(connection|flight|meeting)\b|\bon hold\b|\bwait time",
            0.7,
        ),
        (
            r"\bhaven'?t (heard|received|been|gotten)|never (got"
            r"|received|arrived)|didn'?t (get|receive|arrive)",
            0.6,
        ),
        (r"\b(on hold|hold time|wait(ed|ing)?\b.{0,20}\b(hours?|mins?|minutes|days?|weeks?))", 0.8),
        (r"\b(delay(ed|s)?|late flight|cancel+(ed|led|ation)|missed (my )?connection|stuck|stranded)\b", 0.6),
        (r"\b(lost|missing|damaged|broken) (bag|bags|luggage|suitcase|package|order)\b", 0.7),
        (
            r"\b(can'?t|cannot|couldn'?t|unable to|won'?t let me|impossible to)\b.{0,30}"
            r"\b(log ?in|reach|get through|book|check in|find|access|change|cancel|pay|use|play|load)",
            0.75,
        ),
        (
            r"\b(doesn'?t|does not|isn'?t|not|stopped) work(ing)?\b|\b(crash(es|ed|ing)?|glitch|error|bug)\b",
            0.6,
        ),
        (r"\b(hung up|disconnected|transferred|runaround|run around|jump through)\b", 0.8),
        (r"\b(tarmac|long line|longlines|line is|queue)\b", 0.5),
        (r"\b(incorrect|wrong|error on|inaccura|dispute|fraud(ulent)?|unauthori[sz]ed)\b", 0.45),
        (r"\b(refund|charged|fee|overcharg)\w*", 0.35),
    ),
    "stress": _cues(
        (r"\b(appalled|despicable|helpless|embarrass\w*|discourag\w*|disheart\w*|outrag\w*|ruin\w*)\b", 0.75),
        (r"\b(shit|fuck\w*|damn|eff'?n|wtf|the hell|pissed|pissing)\b", 0.55),
        (r"!!|\b(unacceptable|seriously)\b", 0.3),
        (r"\b(stress(ed|ful)?|anxious|anxiety|panic(king)?|desperate|terrified|scared|worried|upset)\b", 0.8),
        (r"\b(furious|livid|outraged|disgusted|fed up|sick of|tired of|exhausted|frustrat\w*|angry)\b", 0.6),
        (r"\b(please|pls|plz) help\b|\bhelp( me)?!|\bhelp\s*$", 0.55),
        (r"\b(crying|in tears|nightmare|ruined|devastat\w*|miserable|hell)\b", 0.7),
        (r"\b(funeral|hospital|sick|medical|disab\w*|baby|infant|kids?|elderly|wedding|interview)\b", 0.3),
        (r"!!!|\?\?\?|\b(wtf|omg)\b", 0.35),
        (r"\b(los(e|ing) my (home|house|job)|foreclos\w*|bankrupt\w*|can'?t afford|harass\w*)\b", 0.7),
    ),
    "repeated_effort": _cues(
        (
            r"\b(already|have) (tried|done|reinstalled)"
            r"|\bre-?install\w*|\b(two|three|four|\d) (calls|times)\b",
            0.7,
        ),
        (r"\b(second|third|fourth|fifth|2nd|3rd|4th|5th|\d+(th)?) (time|call|attempt|email|day)\b", 0.85),
        (r"\b(again|(yet|once) again|another (call|email|day|hour)|re-?sent|resubmit\w*)\b", 0.55),
        (
            r"\b(still|keep|kept|continue[sd]?( to)?) (waiting"
            r"|calling|getting|trying|asking|sending|being)\b",
            0.8,
        ),
        (r"\bstill (no|not|haven'?t|hasn'?t|nothing|waiting|don'?t|didn'?t)\b", 0.65),
        (
            r"\b(multiple|several|many|numerous|countless|(\d+|two|three|four|five|ten)) "
            r"(times|calls|emails|attempts|letters|requests|disputes|tweets|dms?)\b",
            0.85,
        ),
        (
            r"\b(every time|over and over|repeatedly|for (days"
            r"|weeks|months)|since (last|monday|yesterday))\b",
            0.6,
        ),
        (r"\balready (called|sent|submitted|told|explained|tried|disputed|contacted|did)\b", 0.75),
    ),
    "inconsistency": _cues(
        (r"\b(told (me|us) (something )?different|conflicting|contradict\w*|inconsistent)\b", 0.9),
        (
            r"\b(one|an?) (agent|rep|person)\b.{0,60}\b(another|other|different) (agent|rep|person|one)\b",
            0.85,
        ),
        (
            r"\b(but|yet) (the )?(website|app|agent|rep|gate|email|letter|they) (says?|said|shows?|told)\b",
            0.7,
        ),
        (r"\b(supposed to|promised|assured|guaranteed|said (it|they) would)\b", 0.45),
        (
            r"\b(never (got|received|happened|came)|no longer|changed (their|the) (story|policy|answer))\b",
            0.35,
        ),
    ),
    "uncertainty": _cues(
        (r"\bno (updates?|info(rmation)?|explanation|answers?|communication|word|news|idea|clue)\b", 0.85),
        (r"\b(nobody|no one|no1|noone)\b.{0,25}\b(knows|can (tell|explain|answer)|explain\w*|tell)", 0.9),
        (r"\b(where is|where'?s|what happened to|any (update|news|word|idea)|status of)\b", 0.6),
        (r"\b(don'?t|do not|doesn'?t|didn'?t) (know|understand|have any idea)\b", 0.5),
        (r"\b(unclear|confus\w*|left in the dark|without (any )?(notice|explanation|warning))\b", 0.7),
        (r"\b(when will|how long|why (is|was|did|does|are|were|has|have|would|won'?t|can'?t))\b", 0.35),
    ),
    "helped": _cues(
        (r"\b(appreciate|kudos|impressed|extra mile|case closed|all set|above and beyond)\b", 0.7),
        (
            r"\bthanks? (you )?(so much |again )?for (the|your) (quick "
            r"|prompt |fast )?(response|reply|help|assist\w*)",
            0.7,
        ),
        (
            r"\b(thanks?|thank you|thx|ty)\b.{0,40}\b(help|helping"
            r"|assist\w*|sort\w* (it|this|my|me|out|everything)|fix\w*|resolv\w*)",
            0.85,
        ),
        (r"\b(resolved|sorted( it)? out|fixed it|took care of|got it (sorted|fixed|working))\b", 0.8),
        (
            r"\b(great|amazing|awesome|excellent|fantastic|wonderful|helpful|best)\b.{0,25}"
            r"\b(service|help|support|agent|crew|staff|team|job)\b",
            0.6,
        ),
        (r"\b(rebooked|refunded|found my bag|got my (bag|refund|money))\b", 0.45),
        (r"\bworks? (now|again)|\bworking (now|again)\b", 0.7),
    ),
    "not_helped": _cues(
        (
            r"\b(no avail|gave up|cut off|non[- ]helpful|not doin\w* anything|did(n'?t| not) (help|work))\b",
            0.8,
        ),
        (r"\b(done|tried|did) (that|this|it)( already| as well| too)?\b|\bstill (the same|says)\b", 0.6),
        (r"\b(no one|nobody) (answer\w*|pick\w* up|responded)\b|\brefus\w*\b|\bcan'?t believe\b", 0.6),
        (r"\b(no help|not help(ful|ing)?|unhelpful|useless|didn'?t help|doesn'?t help|won'?t help)\b", 0.9),
        (
            r"\b(nothing (was|has been) done|did nothing"
            r"|does nothing|no (one|body) (helped|cares|responded))\b",
            0.85,
        ),
        (
            r"\b(no (response|reply|resolution|call back|callback)"
            r"|never (responded|replied|called back|heard back))\b",
            0.8,
        ),
        (r"\b(hung up|ignor\w*|brushed off|dismissed|refus\w* to (help|refund|fix|correct|remove))\b", 0.75),
        (
            r"\b(still (not|no|hasn'?t|haven'?t|isn'?t) (fixed|resolved|working|received|refunded|heard))\b",
            0.8,
        ),
        (r"\b(not (resolved|fixed)|unresolved|can'?t help|couldn'?t help|unable to help)\b", 0.8),
    ),
}


def lexicon_scores(text: str) -> dict[str, float]:
    """Per signal, ``1 - prod(1 - weight)`` over the cues that match ``text`` (0 when none does)."""
    lowered = text.lower()
    scores: dict[str, float] = {}
    for signal, cues in CUES.items():
        miss = 1.0
        for cue in cues:
            # The substring test is exact (see anchors.py) and an order of magnitude cheaper than the search.
            if cue.anchors is not None and not any(anchor in lowered for anchor in cue.anchors):
                continue
            if cue.pattern.search(lowered):
                miss *= 1.0 - cue.weight
        scores[signal] = round(1.0 - miss, 4)
    return scores


def lexicon_matrix(texts: list[str]) -> np.ndarray:
    """(n, 7) scores in ``SIGNALS`` order, equal to ``lexicon_scores`` of each text, computed for a batch.

    Every anchor is found in one pass over the whole batch (an Aho-Corasick automaton) rather than once per
    text and cue, and a cue's pattern then runs only on the texts that hold one of its anchors.
    """
    if not texts:
        return np.zeros((0, len(SIGNALS)), dtype=np.float32)
    lowered = [text.lower() for text in texts]
    miss = np.ones((len(texts), len(SIGNALS)), dtype=np.float64)
    rows_of = _anchor_rows(lowered)
    for column, signal in enumerate(SIGNALS):
        for cue in CUES[signal]:
            candidates = (
                range(len(texts))
                if cue.anchors is None
                else sorted(set().union(*(rows_of.get(anchor, ()) for anchor in cue.anchors)))
            )
            hits = [row for row in candidates if cue.pattern.search(lowered[row])]
            if hits:
                miss[hits, column] *= 1.0 - cue.weight
    scores = np.zeros(miss.shape, dtype=np.float32)
    for row, column in zip(*np.nonzero(miss < 1.0), strict=True):
        scores[row, column] = round(1.0 - float(miss[row, column]), 4)  # the same rounding as lexicon_scores
    return scores


@cache
def _all_anchors() -> tuple[str, ...]:
    return tuple(sorted({anchor for cues in CUES.values() for cue in cues for anchor in cue.anchors or ()}))


@cache
def _automaton() -> Any:
    """An Aho-Corasick automaton of every anchor: one pass over a batch finds all of them, overlaps too."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for anchor in _all_anchors():
        automaton.add_word(anchor, anchor)
    automaton.make_automaton()
    return automaton


def _anchor_rows(lowered: list[str]) -> dict[str, list[int]]:
    """For every anchor present in the batch, the rows that contain it, ascending."""
    # Texts joined by a newline: no anchor holds one, so no occurrence straddles two texts.
    joined = "\n".join(lowered)
    ends: list[int] = []
    names: list[str] = []
    for end, anchor in _automaton().iter(joined):
        ends.append(end)
        names.append(anchor)
    if not ends:
        return {}
    starts = np.cumsum([0] + [len(text) + 1 for text in lowered[:-1]])
    rows = (np.searchsorted(starts, np.array(ends), side="right") - 1).tolist()
    found: dict[str, list[int]] = {}
    for anchor, row in zip(names, rows, strict=True):
        seen = found.setdefault(anchor, [])
        if not seen or seen[-1] != row:  # matches come in text order, so a row repeats only in a run
            seen.append(row)
    return found


def matched_signals(text: str, threshold: float = 0.5) -> list[str]:
    """The signals whose lexicon score reaches ``threshold``: used to oversample the gold set."""
    return [signal for signal, score in lexicon_scores(text).items() if score >= threshold]
