"""Login throttling with exponential back-off, per account and per client address, kept in the database.

Every attempt is a ``login_attempt`` row (time, workspace, account, address, reason), so the limits hold
across processes and restarts. The account is a SHA-256 of workspace and normalised email: neither the
email nor the password is stored or logged.

After ``account_limit`` failures for one account (since its last successful login) or ``address_limit``
failures from one address within ``window``, logins are refused until the last failure plus a delay that
doubles with each further failure:

>>> policy = ThrottlePolicy()
>>> [int(lock_delay(n, policy.account_limit, policy).total_seconds()) for n in (4, 5, 6, 7, 20)]
[0, 30, 60, 120, 900]
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from parallax.store.models import LoginAttempt, Workspace
from parallax.web.auth.users import normalise_email

log = logging.getLogger(__name__)
FAILURES = ("unknown_user", "bad_password", "disabled")


@dataclass(frozen=True)
class ThrottlePolicy:
    window: timedelta = timedelta(hours=1)
    account_limit: int = 5
    address_limit: int = 20
    base_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(minutes=15)


DEFAULT_POLICY = ThrottlePolicy()


def lock_delay(failures: int, limit: int, policy: ThrottlePolicy) -> timedelta:
    """No delay below ``limit`` failures; then ``base_delay`` doubled per further failure, capped."""
    if failures < limit:
        return timedelta(0)
    return min(policy.base_delay * 2 ** min(failures - limit, 30), policy.max_delay)


def account_key(workspace_id: str, email: str) -> str:
    return hashlib.sha256(f"{workspace_id.strip()}\x00{normalise_email(email)}".encode()).hexdigest()


def locked_until(
    session: Session,
    workspace_id: str,
    email: str,
    address: str,
    now: datetime,
    policy: ThrottlePolicy = DEFAULT_POLICY,
) -> datetime | None:
    """When the account or address may try again, or None when a login may be tried now."""
    since = now - policy.window
    account = account_key(workspace_id, email)
    last_ok = session.scalar(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.account == account, LoginAttempt.reason == "ok", LoginAttempt.at >= since
        )
    )
    by_account = _failures(session, LoginAttempt.account == account, max(since, last_ok or since))
    by_address = _failures(session, LoginAttempt.address == address[:64], since)
    ends = [
        last + lock_delay(count, limit, policy)
        for (count, last), limit in ((by_account, policy.account_limit), (by_address, policy.address_limit))
        if last is not None and count >= limit
    ]
    until = max(ends, default=None)
    return until if until is not None and until > now else None


def _failures(session: Session, who: ColumnElement[bool], since: datetime) -> tuple[int, datetime | None]:
    row = session.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            who,
            LoginAttempt.reason.in_(FAILURES),
            LoginAttempt.at > since,
        )
    ).one()
    return int(row[0]), row[1]


def record_attempt(
    session: Session, workspace_id: str, email: str, address: str, reason: str, now: datetime
) -> None:
    """Keep one attempt; a workspace that does not exist is stored as "?" (what was typed may be PII)."""
    known = session.get(Workspace, workspace_id.strip()[:64]) is not None
    account = account_key(workspace_id, email)
    row = LoginAttempt(
        at=now,
        workspace_id=workspace_id.strip()[:64] if known else "?",
        account=account,
        address=address[:64],
        reason=reason,
    )
    session.add(row)
    session.flush()
    if reason != "ok":
        log.warning(
            "login refused: workspace=%s account=%s address=%s reason=%s",
            row.workspace_id,
            account[:12],
            row.address,
            reason,
        )
