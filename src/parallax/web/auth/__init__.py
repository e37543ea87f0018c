"""Users, roles, login sessions and CSRF for the web app.

Passwords are hashed with Argon2 (argon2-cffi). Sessions are server-side rows; the cookie carries only
the session id, signed (itsdangerous). Each session has a CSRF token that every POST must echo. Logins are
throttled per account and per address (``throttle``).
"""

from parallax.web.auth.demo import DEMO_EMAIL, DEMO_PASSWORD, ensure_demo_user
from parallax.web.auth.permissions import ROLES, Permission, allowed
from parallax.web.auth.users import authenticate, create_user

__all__ = [
    "DEMO_EMAIL",
    "DEMO_PASSWORD",
    "ROLES",
    "Permission",
    "allowed",
    "authenticate",
    "create_user",
    "ensure_demo_user",
]
