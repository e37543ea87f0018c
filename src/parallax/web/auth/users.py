"""User repository and service: create, authenticate, list, change role. Services never commit."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from parallax.kit.clock import utcnow
from parallax.kit.errors import Conflict, NotFound, ValidationFailed
from parallax.store.models import User
from parallax.web.auth.passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password
from parallax.web.auth.permissions import ROLES

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


def authenticate(session: Session, workspace_id: str, email: str, password: str) -> User | None:
    """The user when the password matches, else None; rehashes when Argon2 parameters changed."""
    user = find_user(session, workspace_id, email)
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


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
    if user.role == "admin" and role != "admin" and _admin_count(session, workspace_id) <= 1:
        raise Conflict("a workspace keeps at least one admin")
    user.role = role
    return user


def _admin_count(session: Session, workspace_id: str) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.workspace_id == workspace_id, User.role == "admin")
        )
        or 0
    )
