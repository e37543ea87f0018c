"""Users, roles, login sessions and CSRF for the web app.

Passwords are hashed with Argon2 (argon2-cffi). Sessions are signed cookies (itsdangerous) carrying the
user id and a per-session CSRF token; every POST must echo that token.
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
