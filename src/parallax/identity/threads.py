"""Reply chains (``in_reply_to``) as conversations: first-response time and resolution per brand.

Works on the Customer Support on Twitter layout (../shared/data/customer-support-tweets) and on ingested
interactions alike, through the small ``Message`` view. A thread is every message reachable from a root
that replies to nothing we hold. The brand is the author of the thread's outbound messages (else the first
@mention of the root). Resolution is a proxy, stated plainly: an answered thread counts as resolved when
the customer did not come back after the brand's last reply, or came back only to thank them.
"""

from __future__ import annotations

import csv
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from parallax.identity.views import InteractionView

THANKS = re.compile(r"\b(thanks?|thank you|thx|ty|cheers|sorted|fixed|solved|works now|working now)\b", re.I)
MENTION = re.compile(r"@(\w+)")


@dataclass(frozen=True)
class Message:
    id: str
    author: str
    inbound: bool
    at: datetime
    text: str
    in_reply_to: str | None


@dataclass(frozen=True)
class BrandThreads:
    brand: str
    threads: int
    answered: int
    median_first_response_min: float | None
    p90_first_response_min: float | None
    resolved: int
    customer_messages: int

    @property
    def answer_rate(self) -> float:
        return self.answered / self.threads if self.threads else 0.0

    @property
    def resolution_rate(self) -> float:
        return self.resolved / self.answered if self.answered else 0.0


def _clean_id(value: str | None) -> str | None:
    """TWCS excerpts wrote ids as floats ('3.0'); ids are integers."""
    if not value or not value.strip():
        return None
    text = value.strip()
    return text[:-2] if text.endswith(".0") else text


def read_twcs(path: Path) -> list[Message]:
    """Read a TWCS CSV (tweet_id, author_id, inbound, created_at, text, ..., in_response_to_tweet_id)."""
    messages = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            at = datetime.strptime(row["created_at"], "%a %b %d %H:%M:%S %z %Y").astimezone(UTC)
            messages.append(
                Message(
                    id=str(_clean_id(row["tweet_id"])),
                    author=row["author_id"],
                    inbound=row["inbound"].strip().lower() == "true",
                    at=at.replace(tzinfo=None),
                    text=row.get("text") or "",
                    in_reply_to=_clean_id(row.get("in_response_to_tweet_id")),
                )
            )
    return messages


def from_interactions(views: Iterable[InteractionView]) -> list[Message]:
    """Ingested interactions as messages: external ids are the tweet ids ``in_reply_to`` points at."""
    return [
        Message(
            id=v.external_id,
            author=v.author_handle or v.source,
            inbound=v.inbound,
            at=v.occurred_at,
            text=v.text or "",
            in_reply_to=v.in_reply_to,
        )
        for v in views
    ]


def build_threads(messages: Sequence[Message]) -> list[list[Message]]:
    """Group messages into threads by following ``in_reply_to`` up to a root; each thread in time order."""
    by_id = {m.id: m for m in messages}
    roots: dict[str, str] = {}

    def root_of(message: Message) -> str:
        path: list[str] = []
        current = message
        while current.in_reply_to in by_id and current.id not in roots and len(path) < 10_000:
            path.append(current.id)
            current = by_id[str(current.in_reply_to)]
        root = roots.get(current.id, current.id)
        for mid in [*path, current.id]:
            roots[mid] = root
        return root

    threads: dict[str, list[Message]] = defaultdict(list)
    for message in messages:
        threads[root_of(message)].append(message)
    return [sorted(t, key=lambda m: (m.at, m.id)) for t in threads.values()]


def _brand(thread: list[Message]) -> str | None:
    outbound = [m.author for m in thread if not m.inbound]
    if outbound:
        return outbound[0]
    mention = MENTION.search(thread[0].text)
    return mention.group(1) if mention else None


def _resolved(thread: list[Message]) -> bool:
    last_reply = max((i for i, m in enumerate(thread) if not m.inbound), default=None)
    if last_reply is None:
        return False
    after = [m for m in thread[last_reply + 1 :] if m.inbound]
    return all(THANKS.search(m.text) for m in after)


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(int(q * len(ordered)), len(ordered) - 1)], 1)


def per_brand(messages: Sequence[Message]) -> list[BrandThreads]:
    """Customer-started threads per brand: answered share, first-response minutes, resolution proxy."""
    grouped: dict[str, list[list[Message]]] = defaultdict(list)
    for thread in build_threads(messages):
        if thread[0].inbound and (brand := _brand(thread)):
            grouped[brand].append(thread)
    out = []
    for brand, threads in grouped.items():
        waits = []
        for thread in threads:
            reply = next((m for m in thread if not m.inbound), None)
            if reply is not None:
                waits.append((reply.at - thread[0].at).total_seconds() / 60)
        out.append(
            BrandThreads(
                brand=brand,
                threads=len(threads),
                answered=len(waits),
                median_first_response_min=round(statistics.median(waits), 1) if waits else None,
                p90_first_response_min=_percentile(waits, 0.9),
                resolved=sum(1 for t in threads if _resolved(t)),
                customer_messages=sum(1 for t in threads for m in t if m.inbound),
            )
        )
    return sorted(out, key=lambda b: (-b.threads, b.brand))
