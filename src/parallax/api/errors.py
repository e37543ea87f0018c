"""The error body every API failure has, and the ``responses=`` that document it per route.

The app answers every error as ``{"error", "detail"}`` (``app._install_error_handlers``): ``detail`` is a
sentence, or for a request that fails validation the list of problems (``loc``, ``msg``, ``type``). A
domain 422 (``ValidationFailed``) and a validation 422 share this one schema, which replaces FastAPI's
``HTTPValidationError`` in the OpenAPI document (tests/api/test_contract.py checks it stays replaced).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ValidationIssue(BaseModel):
    loc: list[str | int] = Field(description="Where: body, query, path or header, then the field.")
    msg: str
    type: str


class ErrorBody(BaseModel):
    error: str = Field(
        description="Kind of error: unauthorized, not_found, conflict, validation_failed, bad_request, "
        "http_error...",
        examples=["not_found"],
    )
    detail: str | list[ValidationIssue] = Field(
        description="What went wrong: a sentence, or the request's problems when it failed validation."
    )


WHY = {
    400: "The body could not be parsed (not JSON, or not UTF-8).",
    401: "No API key, or an unknown, revoked or expired one.",
    404: "No such resource in the caller's workspace.",
    409: "The resource is in a state that does not allow this.",
    413: "The request body is larger than the API reads (parallax.kit.limits.MAX_BODY_BYTES).",
    422: "The request is invalid: its problems are listed in `detail` (or said in one sentence).",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for the given status codes, each answered with ``ErrorBody``."""
    return {code: {"model": ErrorBody, "description": WHY[code]} for code in sorted(codes)}


# Every route behind an API key can answer 401, and 422 when a parameter or the body is invalid.
KEYED = errors(401, 422)
