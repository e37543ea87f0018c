"""The error hierarchy of Parallax.

    ParallaxError (status 400)
     ├── NotFound (404)
     ├── Conflict (409)
     ├── ValidationFailed (422)
     ├── Unauthorized (401)
     ├── Forbidden (403)
     └── MissingExtra (500): an optional dependency is not installed; says how to install it

Services raise these; delivery layers translate them into ``{"error", "detail"}`` responses or CLI messages.
"""

from __future__ import annotations


class ParallaxError(Exception):
    status_code = 400
    error = "bad_request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(ParallaxError):
    status_code = 404
    error = "not_found"


class Conflict(ParallaxError):
    status_code = 409
    error = "conflict"


class ValidationFailed(ParallaxError):
    status_code = 422
    error = "validation_failed"


class Unauthorized(ParallaxError):
    status_code = 401
    error = "unauthorized"


class Forbidden(ParallaxError):
    status_code = 403
    error = "forbidden"


class MissingExtra(ParallaxError):
    status_code = 500
    error = "missing_extra"

    def __init__(self, extra: str, package: str) -> None:
        super().__init__(
            f"this feature needs the optional package {package!r}: pip install 'parallax-cx[{extra}]'"
        )
        self.extra = extra
        self.package = package


def require(module: str, extra: str):  # type: ignore[no-untyped-def]
    """Import an optional module or raise MissingExtra naming the extra to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtra(extra, module.split(".")[0]) from exc
