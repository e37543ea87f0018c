"""Security headers on every response, pages and API alike, as one small ASGI middleware.

The Content-Security-Policy allows scripts only from this server (no inline script, no eval), no framing
(``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``), no plugins, forms posting only here. Style
elements come from this server or match a listed hash (the fixed sheets plotly adds); style attributes,
which plotly sets on its SVG, are allowed. The API docs pages (Swagger UI and ReDoc, served from a package)
also need inline style elements and a blob: worker, which their libraries inject at run time; their scripts
are still only from this server.

A plain ASGI middleware (not ``BaseHTTPMiddleware``) so server-sent event streams pass through untouched.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'{style_hashes}; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")
COMMON = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def page_csp(style_hashes: tuple[str, ...] = ()) -> str:
    """The pages' policy; ``style_hashes`` allow the exact inline stylesheets a library adds (plotly)."""
    return PAGE_CSP.format(style_hashes="".join(f" {h}" for h in style_hashes))


class SecurityHeaders:
    """Add the headers to every HTTP response that does not already set them."""

    def __init__(self, app: ASGIApp, style_hashes: tuple[str, ...] = ()) -> None:
        self.app = app
        self.page_policy = page_csp(style_hashes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_CSP if scope.get("path", "") in DOCS_PATHS else self.page_policy

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in (*COMMON.items(), ("Content-Security-Policy", policy)):
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
