"""Static files: the app's own CSS/JS, and plotly.min.js served from the installed ``plotly`` package."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from parallax.kit.errors import NotFound

router = APIRouter(include_in_schema=False)
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
MEDIA_TYPES = {".css": "text/css", ".js": "text/javascript"}


def plotly_js() -> Path | None:
    """The minified plotly bundle shipped inside the PyPI package (never a CDN)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "package_data" / "plotly.min.js"
    return path if path.is_file() else None


@router.get("/static/{name}")
def static_file(name: str) -> FileResponse:
    path = plotly_js() if name == "plotly.min.js" else STATIC_DIR / name
    # Names are flat: anything with a separator is refused before touching the file system.
    if path is None or "/" in name or "\\" in name or name.startswith(".") or not path.is_file():
        raise NotFound(f"no static file {name}")
    return FileResponse(
        path, media_type=MEDIA_TYPES.get(path.suffix), headers={"Cache-Control": "public, max-age=3600"}
    )
