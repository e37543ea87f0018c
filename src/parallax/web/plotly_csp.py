"""What the plotly bundle needs from the Content-Security-Policy, read from the installed bundle itself.

plotly.js adds its own stylesheets at run time: an empty ``<style>`` it fills through the CSSOM (not subject
to CSP), and the fixed stylesheet of its bundled map library. Allowing exactly those by hash keeps
``style-src`` free of ``'unsafe-inline'``; a new plotly with other stylesheets shows up as a CSP violation
in the browser tests (tests/web/test_csp_browser.py).
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache

from parallax.web.pages.static import plotly_js

# `createElement("style"); x.id="<hex>", x.textContent='<css>'` in the minified bundle
_INLINE_SHEET = re.compile(r'createElement\("style"\);\w+\.id="[0-9a-f]+",\w+\.textContent=\'([^\'\\]*)\'')


def csp_hash(text: str) -> str:
    """The CSP source expression allowing an inline element with exactly ``text``."""
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


@cache
def plotly_style_hashes() -> tuple[str, ...]:
    """Hashes of the inline stylesheets plotly adds: the empty one, and each fixed one in the bundle."""
    path = plotly_js()
    sheets = _INLINE_SHEET.findall(path.read_text(encoding="utf-8")) if path is not None else []
    return (csp_hash(""), *sorted({csp_hash(css) for css in sheets}))
