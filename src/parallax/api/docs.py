"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) served entirely by this app: they work offline.

The libraries come from the ``fastapi-offline`` package (its bundled ``static`` folder), never a CDN; the
Swagger UI start-up script is a file of ours, so the pages run under the app's CSP without inline script.
"""

from __future__ import annotations

import importlib.util
from html import escape
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from parallax.kit.errors import NotFound

router = APIRouter(include_in_schema=False)
ASSETS_URL = "/docs-assets"
OWN_DIR = Path(__file__).resolve().parent / "docs_static"
OWN_ASSETS = ("swagger-init.js", "docs.css")
PACKAGE_ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png")
MEDIA_TYPES = {".css": "text/css", ".js": "text/javascript", ".png": "image/png"}


def package_assets_dir() -> Path | None:
    """The ``static`` folder shipped inside the installed fastapi-offline package."""
    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "static"
    return folder if folder.is_dir() else None


def asset_path(name: str) -> Path | None:
    """Only the named files, so no path from the URL ever reaches the file system."""
    if name in OWN_ASSETS:
        return OWN_DIR / name
    folder = package_assets_dir()
    if name in PACKAGE_ASSETS and folder is not None:
        return folder / name
    return None


@router.get(ASSETS_URL + "/{name}")
def docs_asset(name: str) -> FileResponse:
    path = asset_path(name)
    if path is None or not path.is_file():
        raise NotFound(f"no docs asset {name}")
    return FileResponse(
        path, media_type=MEDIA_TYPES.get(path.suffix), headers={"Cache-Control": "public, max-age=86400"}
    )


def _page(title: str, head: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="icon" href="{ASSETS_URL}/favicon.png">\n{head}</head>\n<body>\n{body}</body>\n</html>\n'
    )


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    spec = escape(str(request.app.openapi_url or "/openapi.json"))
    return _page(
        f"{request.app.title} - Swagger UI",
        f'<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">\n',
        f'<div id="swagger-ui" data-openapi-url="{spec}"></div>\n'
        f'<script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>\n'
        f'<script src="{ASSETS_URL}/swagger-init.js"></script>\n',
    )


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    spec = escape(str(request.app.openapi_url or "/openapi.json"))
    return _page(
        f"{request.app.title} - ReDoc",
        f'<link rel="stylesheet" href="{ASSETS_URL}/docs.css">\n',
        "<noscript>ReDoc needs JavaScript to show the API documentation.</noscript>\n"
        f'<redoc spec-url="{spec}"></redoc>\n<script src="{ASSETS_URL}/redoc.standalone.js"></script>\n',
    )
