"""User repository and service: create, authenticate, list, change role, disable, delete.

Services never commit. Disabling or deleting a user ends all their sessions in the same unit of work.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from parallax.kit.clock import utcnow
from parallax.kit.errors import Conflict, NotFound, ValidationFailed
from parallax.store.models import User, WebSession
from parallax.web.auth.passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password
from parallax.web.auth.permissions import ROLES
from parallax.web.auth.sessions import revoke_user_sessions

# Verifying against a fixed hash when the user is unknown keeps login time the same either way.
_DUMMY_HASH = hash_password("parallax-timing-equaliser")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    session: Session, workspace_id: str, email: str, password: str, role: str, name: str = ""
) -> User:
    """Add a user; the email is unique within the workspace."""
    email = normalise_email(email)
    if role not in ROLES:
        raise ValidationFailed(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    if "@" not in email:
        raise ValidationFailed("email must contain @")
    if len(password) < MIN_LENGTH:
        raise ValidationFailed(f"password must be at least {MIN_LENGTH} characters")
    if find_user(session, workspace_id, email) is not None:
        raise Conflict(f"a user {email} already exists in workspace {workspace_id}")
    user = User(
        workspace_id=workspace_id,
        email=email,
        name=name,
        role=role,
        password_hash=hash_password(password),
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, workspace_id: str, email: str) -> User | None:
    return session.scalar(
        select(User).where(User.workspace_id == workspace_id, User.email == normalise_email(email))
    )


def check_login(session: Session, workspace_id: str, email: str, password: str) -> tuple[User | None, str]:
    """(user, "ok") when the password matches an enabled user, else (None, reason): unknown_user,
    bad_password or disabled. Rehashes when Argon2 parameters changed. Takes the same time either way."""
    user = find_user(session, workspace_id, email)
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None, "unknown_user"
    if not verify_password(user.password_hash, password):
        return None, "bad_password"
    if user.disabled_at is not None:
        return None, "disabled"
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user, "ok"


def authenticate(session: Session, workspace_id: str, email: str, password: str) -> User | None:
    """The user when the password matches and the user is enabled, else None."""
    return check_login(session, workspace_id, email, password)[0]


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def list_users(session: Session, workspace_id: str) -> list[User]:
    return list(session.scalars(select(User).where(User.workspace_id == workspace_id).order_by(User.email)))


def set_role(session: Session, workspace_id: str, user_id: int, role: str) -> User:
    """Change a user's role; the last admin of a workspace cannot be demoted."""
    if role not in ROLES:
        raise ValidationFailed(f"unknown role {role!r}")
    user = session.get(User, user_id)
    if user is None or user.workspace_id != workspace_id:
        raise NotFound(f"no user {user_id}")
    if role != "admin":
        _keep_an_admin(session, user)
    user.role = role
    return user


def set_disabled(
    session: Session, workspace_id: str, actor_id: int, user_id: int, disabled: bool, now: datetime
) -> User:
    """Disable (their sessions end at once) or enable a user; nobody disables themselves or the last admin."""
    user = _other_user(session, workspace_id, actor_id, user_id, "disable")
    if disabled and user.disabled_at is None:
        _keep_an_admin(session, user)
        user.disabled_at = now
        revoke_user_sessions(session, user.id, now)
    elif not disabled:
        user.disabled_at = None
    return user


def delete_user(session: Session, workspace_id: str, actor_id: int, user_id: int) -> None:
    """Delete a user and their sessions; nobody deletes themselves or the last admin."""
    user = _other_user(session, workspace_id, actor_id, user_id, "delete")
    _keep_an_admin(session, user)
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    session.delete(user)
    session.flush()


def _other_user(session: Session, workspace_id: str, actor_id: int, user_id: int, verb: str) -> User:
    user = session.get(User, user_id)
    if user is None or user.workspace_id != workspace_id:
        raise NotFound(f"no user {user_id}")
    if user.id == actor_id:
        raise Conflict(f"you cannot {verb} yourself")
    return user


def _keep_an_admin(session: Session, user: User) -> None:
    if user.role == "admin" and user.disabled_at is None and _admin_count(session, user.workspace_id) <= 1:
        raise Conflict("a workspace keeps at least one enabled admin")


def _admin_count(session: Session, workspace_id: str) -> int:
    """Enabled admins of the workspace."""
    return (
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.workspace_id == workspace_id, User.role == "admin", User.disabled_at.is_(None))
        )
        or 0
    )
