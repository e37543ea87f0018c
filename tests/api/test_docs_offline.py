"""``/docs`` and ``/redoc`` are served offline: every URL in their HTML is this server's, the assets come
from the installed package with 200, and Swagger UI starts from a script file (no inline script)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from parallax.api.app import create_app

URL_ATTR = re.compile(r'(?:src|href|spec-url|data-openapi-url)="([^"]*)"')


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return TestClient(create_app(f"sqlite:///{tmp_path_factory.mktemp('docs') / 'p.sqlite'}"))


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_reference_only_local_urls(client: TestClient, page: str) -> None:
    html = client.get(page).text
    urls = URL_ATTR.findall(html)
    assert urls and all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    assert "http://" not in html and "https://" not in html and "cdn" not in html.lower()
    for script in re.findall(r"<script\b([^>]*)>", html):
        assert "src=" in script  # no inline script: the CSP forbids it
    for url in urls:
        if url != "/openapi.json":
            assert client.get(url).status_code == 200, url


def test_docs_assets_are_served_from_the_package(client: TestClient) -> None:
    bundle = client.get("/docs-assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and bundle.headers["content-type"].startswith("text/javascript")
    assert "SwaggerUIBundle" in bundle.text[:2000]
    redoc = client.get("/docs-assets/redoc.standalone.js")
    assert redoc.status_code == 200 and len(redoc.content) > 100_000
    init = client.get("/docs-assets/swagger-init.js")
    assert init.status_code == 200 and "SwaggerUIBundle(" in init.text
    assert "/openapi.json" in client.get("/docs").text
    for name in ("../app.py", "core.py", "nothing.js"):
        assert client.get(f"/docs-assets/{name}").status_code == 404
