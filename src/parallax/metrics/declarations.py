"""Every metric's raw material, declared ONCE as Ibis expressions over the store's table shape.

The expressions use unbound tables named like the store's tables (``interaction``, ``interaction_segment``,
``enrichment``, ``customer``). ``parallax.metrics.engines`` compiles them to the store's own SQL (SQLite or
PostgreSQL, run through the store's session) or runs them on Spark; the engines never restate a metric. Each
cell (segment x period) is reduced to sufficient statistics (counts, sums, histograms); the metrics and their
bootstrap intervals are pure functions of those statistics (``parallax.metrics.cells``), so every engine
yields the same numbers.

Only operations that compile to native SQL on every backend are used (no UDFs): SQLite runs them through a
plain DB-API connection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import ibis
from ibis import _
from ibis.expr.types import BooleanValue, NumericValue, Scalar, Table

INTERACTION = ibis.table(
    {
        "id": "int64",
        "workspace_id": "string",
        "source": "string",
        "external_id": "string",
        "channel": "string",
        "kind": "string",
        "solicited": "boolean",
        "direction": "string",
        "occurred_at": "timestamp",
        "author_email": "string",
        "author_handle": "string",
        "customer_id": "int64",
        "score_type": "string",
        "score_value": "float64",
        "status": "string",
        "first_response_at": "timestamp",
        "closed_at": "timestamp",
        "invited_at": "timestamp",
    },
    name="interaction",
)
SEGMENT = ibis.table(
    {"interaction_id": "int64", "key": "string", "workspace_id": "string", "value": "string"},
    name="interaction_segment",
)
ENRICHMENT = ibis.table(
    {
        "interaction_id": "int64",
        "workspace_id": "string",
        "current": "boolean",
        "sentiment_label": "string",
        "friction": "float64",
        "repeated_effort": "boolean",
    },
    name="enrichment",
)
CUSTOMER = ibis.table(
    {"id": "int64", "workspace_id": "string", "loyalty_tier": "string"},
    name="customer",
)
TABLES: dict[str, Table] = {
    "interaction": INTERACTION,
    "interaction_segment": SEGMENT,
    "enrichment": ENRICHMENT,
    "customer": CUSTOMER,
}

# What customers volunteer (the outside view); tickets and agent notes are the company's own record.
VOICE_KINDS = ("post", "reply", "review", "message", "complaint", "mention")
SURVEY_KINDS = ("survey_invite", "survey_response")
# A non-response follow-up (phone, incentive) is a correction sample, not the company's survey: its answers
# feed the two-phase correction (``parallax.metrics.bias``) and are left out of every inside-view figure,
# which counts the main wave only. The survey mapping writes the wave as this segment.
SURVEY_WAVE, FOLLOW_UP_WAVE = "survey_wave", "follow_up"
COLUMN_ATTRIBUTES = ("channel", "kind", "source")
# Attributes of the person rather than of the row: a tweet or review carries no loyalty tier, but once
# identity resolution links it to a customer it counts under that customer's tier (the row's own value,
# as recorded at the time, wins where it has one).
CUSTOMER_ATTRIBUTES = ("loyalty_tier",)
UNKNOWN = "(unknown)"
COMBINE = "*"  # Scope(attribute="route*cabin") groups by the two-way combination
SEPARATOR = " & "
ALL = "(all)"
FOLLOW_UP_SECONDS = 7 * 86400
PERIODS = ("day", "week", "all")


@dataclass(frozen=True)
class Scope:
    """Which slice of a workspace to reduce: grouped by one attribute (or none) and a period grain."""

    workspace_id: str
    attribute: str | None = None
    period: str = "week"
    since: datetime | None = None
    until: datetime | None = None


def facts(scope: Scope, flags: bool = True) -> Table:
    """One row per interaction of the scope with its segment, period, enrichment and follow-up flags."""
    i = INTERACTION.filter(_.workspace_id == scope.workspace_id)
    if scope.since is not None:
        i = i.filter(_.occurred_at >= scope.since)
    if scope.until is not None:
        i = i.filter(_.occurred_at < scope.until)
    # No workspace filter here: the interaction id already pins it, and SQLite would pick the wrong index.
    e = ENRICHMENT.filter(ENRICHMENT.current).select(
        "interaction_id", "sentiment_label", "friction", "repeated_effort"
    )
    joined = i.left_join(e, i.id == e.interaction_id).drop("interaction_id")
    with_segment = _attach_segment(joined, scope)
    with_flags = _attach_ticket_flags(with_segment, scope) if flags else with_segment
    return _mark_follow_up(with_flags, scope).mutate(period=_period(with_flags.occurred_at, scope.period))


def _mark_follow_up(table: Table, scope: Scope) -> Table:
    """``follow_up``: the row is an answer of the non-response follow-up wave (not the main survey).

    IN (subquery) over the segment index: a world without a follow-up has no such segment, so it costs a
    seek that finds nothing.
    """
    wave = SEGMENT.filter(
        SEGMENT.workspace_id == scope.workspace_id,
        SEGMENT.key == SURVEY_WAVE,
        SEGMENT.value == FOLLOW_UP_WAVE,
    )
    return table.mutate(follow_up=table.id.isin(wave.interaction_id))


def _attach_segment(table: Table, scope: Scope) -> Table:
    if scope.attribute is None:
        return table.mutate(segment=ibis.literal(ALL))
    values = []
    for k, attribute in enumerate(scope.attribute.split(COMBINE)):
        if attribute in COLUMN_ATTRIBUTES:
            values.append(table[attribute].fill_null(UNKNOWN))
            continue
        s = SEGMENT.filter(SEGMENT.key == attribute, SEGMENT.workspace_id == scope.workspace_id).select(
            **{f"seg_id{k}": SEGMENT.interaction_id, f"seg_value{k}": SEGMENT.value}
        )
        table = table.left_join(s, table.id == s[f"seg_id{k}"]).drop(f"seg_id{k}")
        value = table[f"seg_value{k}"]
        if attribute in CUSTOMER_ATTRIBUTES:
            table, value = _with_customer_value(table, scope, attribute, k)
        values.append(value.fill_null(UNKNOWN))
    segment = values[0] if len(values) == 1 else values[0].concat(SEPARATOR, *values[1:])
    helpers = [c for c in table.columns if c.startswith(("seg_value", "cust_value"))]
    return table.mutate(segment=segment).drop(*helpers)


def _with_customer_value(
    table: Table, scope: Scope, attribute: str, k: int
) -> tuple[Table, ibis.expr.types.StringValue]:
    """The row's own value of a person attribute, else that of the customer it is linked to."""
    c = CUSTOMER.filter(CUSTOMER.workspace_id == scope.workspace_id).select(
        **{f"cust_id{k}": CUSTOMER.id, f"cust_value{k}": CUSTOMER[attribute]}
    )
    table = table.left_join(c, table.customer_id == c[f"cust_id{k}"]).drop(f"cust_id{k}")
    return table, table[f"seg_value{k}"].fill_null(table[f"cust_value{k}"])


def _period(ts: ibis.expr.types.TimestampValue, period: str) -> ibis.expr.types.Value:
    if period == "day":
        return ts.truncate("D")
    if period == "week":
        return ts.truncate("W")
    return ibis.null("timestamp")


def customer_key(t: Table) -> ibis.expr.types.StringValue:
    """The person behind a row: the identity room's customer id, else the shared email (until it lands)."""
    return t.customer_id.cast("string").fill_null(t.author_email.lower())


def invite_key(t: Table) -> ibis.expr.types.StringValue:
    """One survey invitation: a person and the moment they were asked (an answer to CSAT and NPS in the
    same invitation is two rows but one invitation)."""
    who = t.author_email.lower().fill_null(t.external_id)
    return who.concat("|", t.invited_at.fill_null(t.occurred_at).epoch_seconds().cast("string"))


def _attach_ticket_flags(table: Table, scope: Scope) -> Table:
    """Flag tickets followed, within 7 days, by another ticket (not first-contact resolved) or, after
    closing, by a negative unsolicited post from the same person (closed but not resolved).

    Both are window functions over one person's timeline (O(n log n)); a self-join on a computed key
    would be a nested loop on SQLite.
    """
    base = INTERACTION.filter(_.workspace_id == scope.workspace_id)
    base = base.mutate(ckey=customer_key(base), t_s=base.occurred_at.epoch_seconds())
    tickets = base.filter(base.kind == "ticket", base.ckey.notnull())
    by_person = ibis.window(group_by=tickets.ckey, order_by=[tickets.t_s, tickets.id])
    with_next = tickets.select("id", "t_s", next_s=tickets.t_s.lead().over(by_person))
    repeat = with_next.filter(with_next.next_s <= with_next.t_s + FOLLOW_UP_SECONDS).select(rep_id=_.id)
    closes = tickets.filter(tickets.closed_at.notnull()).select(
        "id", "ckey", ev_s=tickets.closed_at.epoch_seconds().cast("int64"), neg_s=ibis.null("int64")
    )
    e = ENRICHMENT.filter(ENRICHMENT.current, ENRICHMENT.sentiment_label == "negative")
    voice = base.filter(base.kind.isin(VOICE_KINDS), ~base.solicited, base.ckey.notnull())
    negatives = voice.semi_join(e, voice.id == e.interaction_id).select(
        id=ibis.null("int64"), ckey=_.ckey, ev_s=_.t_s.cast("int64"), neg_s=_.t_s.cast("int64")
    )
    timeline = closes.union(negatives)
    after = ibis.window(group_by=timeline.ckey, order_by=[timeline.ev_s], following=(1, None))
    flagged = timeline.mutate(next_neg=timeline.neg_s.min().over(after))
    unresolved = flagged.filter(
        flagged.id.notnull(), flagged.next_neg <= flagged.ev_s + FOLLOW_UP_SECONDS
    ).select(cnr_id=_.id)
    # IN (subquery) is evaluated once into an index on every engine; a left join to it may be rescanned.
    return table.mutate(
        repeat_contact=table.id.isin(repeat.rep_id), closed_unresolved=table.id.isin(unresolved.cnr_id)
    )


def _count(condition: BooleanValue) -> NumericValue:
    return condition.ifelse(1, 0).sum()


def _main_wave_answer(t: Table) -> BooleanValue:
    """A survey answer of the main wave: what the company's own survey reports (``_mark_follow_up``)."""
    return (t.kind == "survey_response") & t.score_value.notnull() & ~t.follow_up


def _score(t: Table, kind: str) -> BooleanValue:
    return _main_wave_answer(t) & (t.score_type == kind)


def _voice(t: Table) -> BooleanValue:
    return t.kind.isin(VOICE_KINDS) & ~t.solicited & (t.direction == "inbound")


def _ticket(t: Table) -> BooleanValue:
    return t.kind == "ticket"


def _hours(end: ibis.expr.types.TimestampValue, start: ibis.expr.types.TimestampValue) -> NumericValue:
    return (end.epoch_seconds() - start.epoch_seconds()) / 3600.0


Reduction = Callable[[Table], Scalar]


def _csat_equals(k: int) -> Reduction:
    return lambda t: _count(_score(t, "csat") & (t.score_value == k))


Keyed = Callable[[Table], tuple[ibis.expr.types.StringValue, BooleanValue | None]]

# The statistics that count distinct keys (a person, an invitation): they do not add up across days, so
# the roll-up keeps, per day, how many keys are first seen that day within their week and within all time.
# An invitation answered only by the follow-up is still an invitation, unanswered by the main wave.
DISTINCT: dict[str, Keyed] = {
    "customers": lambda t: (customer_key(t), None),
    "invites": lambda t: (invite_key(t), t.kind.isin(SURVEY_KINDS)),
    "responses": lambda t: (invite_key(t), _main_wave_answer(t)),
}


def _distinct(name: str) -> Reduction:
    def reduce(t: Table) -> Scalar:
        key, where = DISTINCT[name](t)
        return key.nunique() if where is None else key.nunique(where=where)

    return reduce


# The sufficient statistics of one cell. Adding a metric means adding its raw counts here, once.
STATISTICS: dict[str, Reduction] = {
    "interactions": lambda t: t.count(),
    **{name: _distinct(name) for name in DISTINCT},
    **{f"csat_{k}": _csat_equals(k) for k in range(1, 6)},
    "nps_promoters": lambda t: _count(_score(t, "nps") & (t.score_value >= 9)),
    "nps_passives": lambda t: _count(_score(t, "nps") & t.score_value.between(7, 8)),
    "nps_detractors": lambda t: _count(_score(t, "nps") & (t.score_value <= 6)),
    "ces_n": lambda t: _count(_score(t, "ces")),
    "ces_sum": lambda t: _score(t, "ces").ifelse(t.score_value, 0.0).sum(),
    "ces_easy": lambda t: _count(_score(t, "ces") & (t.score_value >= 5)),
    "ces_hard": lambda t: _count(_score(t, "ces") & (t.score_value <= 3)),
    "tickets": lambda t: _count(_ticket(t)),
    "tickets_open": lambda t: _count(_ticket(t) & t.closed_at.isnull()),
    "tickets_closed": lambda t: _count(_ticket(t) & t.closed_at.notnull()),
    "tickets_fcr": lambda t: _count(_ticket(t) & t.closed_at.notnull() & ~t.repeat_contact),
    "tickets_closed_unresolved": lambda t: _count(_ticket(t) & t.closed_unresolved),
    "voice": lambda t: _count(_voice(t)),
    "voice_scored": lambda t: _count(_voice(t) & t.sentiment_label.notnull()),
    "voice_negative": lambda t: _count(_voice(t) & (t.sentiment_label == "negative")),
    "voice_positive": lambda t: _count(_voice(t) & (t.sentiment_label == "positive")),
    "complaints": lambda t: _count(_voice(t) & ((t.sentiment_label == "negative") | (t.kind == "complaint"))),
    "friction_n": lambda t: _count(_voice(t) & t.friction.notnull()),
    "friction_sum": lambda t: _voice(t).ifelse(t.friction.fill_null(0.0), 0.0).sum(),
    "repeat_effort": lambda t: _count(_voice(t) & t.repeated_effort.fill_null(False)),
}


def cell_statistics(scope: Scope) -> Table:
    """Sufficient statistics per (segment, period): the one query every metric of the board reads."""
    f = facts(scope)
    metrics = {name: reduce(f) for name, reduce in STATISTICS.items()}
    return f.group_by(["segment", "period"]).aggregate(**metrics)


def ticket_durations(scope: Scope) -> Table:
    """Per ticket: hours to first response and to close (medians are taken by the caller, same on all)."""
    f = facts(scope, flags=False)
    t = f.filter(_ticket(f))
    return t.select(
        "segment",
        "period",
        hours_to_first_response=_hours(t.first_response_at, t.occurred_at),
        hours_to_close=_hours(t.closed_at, t.occurred_at),
    )


def first_seen(scope: Scope) -> Table:
    """Per (segment, statistic, day): distinct keys first seen that day within their period of ``scope``.

    Summed over the days of a period this is the period's distinct count, which is how the roll-up answers
    ``customers``, ``invites`` and ``responses`` for weeks and for all time without keeping the keys.
    """
    i = INTERACTION.filter(_.workspace_id == scope.workspace_id)
    if scope.since is not None:
        i = i.filter(_.occurred_at >= scope.since)
    if scope.until is not None:
        i = i.filter(_.occurred_at < scope.until)
    t = _mark_follow_up(_attach_segment(i, scope), scope)
    t = t.mutate(period=_period(t.occurred_at, scope.period), day=t.occurred_at.truncate("D"))
    parts = []
    for name, declare in DISTINCT.items():
        where = declare(t)[1]
        rows = t if where is None else t.filter(where)
        parts.append(rows.select("segment", "period", "day", stat=ibis.literal(name), key=declare(rows)[0]))
    keys = ibis.union(*parts)
    firsts = (
        keys.filter(keys.key.notnull())
        .group_by(["segment", "period", "stat", "key"])
        .aggregate(first=keys.day.min())
    )
    return firsts.group_by(["segment", "stat", "first"]).aggregate(n=firsts.count())
