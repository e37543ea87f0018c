"""The FastAPI application factory: routes, error translation, and migrations on start."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from parallax import __version__
from parallax.api import docs as api_docs
from parallax.api.body_limit import BodyLimit
from parallax.api.routes import alerts as alert_routes
from parallax.api.routes import customers as customer_routes
from parallax.api.routes import health, interactions
from parallax.api.routes import metrics as metrics_routes
from parallax.api.security_headers import SecurityHeaders
from parallax.kit.db import make_engine, make_sessionmaker
from parallax.kit.errors import ParallaxError
from parallax.store.migrate import upgrade
from parallax.web.plotly_csp import plotly_style_hashes
from parallax.web.router import router as web_router


def create_app(
    database_url: str,
    migrate: bool = True,
    live: bool = False,
    nats_url: str | None = None,
    tier: str = "fast",
    enrich_workers: int = 0,
) -> FastAPI:
    """Build the app over ``database_url``; migrations run first unless told otherwise.

    With ``live`` the app also runs the stream worker (parallax.api.live): what is posted to
    ``/v1/interactions`` is enriched and watched for spikes as it arrives.
    """
    engine = make_engine(database_url)
    if migrate:
        upgrade(engine)
    lifespan = None
    if live:
        from parallax.api.live import live_lifespan

        lifespan = live_lifespan(nats_url, tier, enrich_workers)
    # /docs and /redoc come from parallax.api.docs (served offline, under the CSP), not FastAPI's CDN pages.
    app = FastAPI(title="Parallax", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan)
    app.add_middleware(SecurityHeaders, style_hashes=plotly_style_hashes())
    app.add_middleware(BodyLimit)  # outermost: an oversized body is refused before anything reads it
    app.state.bus = None
    app.state.engine = engine
    app.state.session_factory = make_sessionmaker(engine)
    _install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(alert_routes.router)
    app.include_router(interactions.router)
    app.include_router(customer_routes.router)
    app.include_router(metrics_routes.router)
    app.include_router(web_router)
    app.include_router(api_docs.router)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ParallaxError)
    async def _domain_error(_: Request, exc: ParallaxError) -> JSONResponse:
        return JSONResponse({"error": exc.error, "detail": exc.detail}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [
            {"loc": list(err.get("loc", ())), "msg": err.get("msg", ""), "type": err.get("type", "")}
            for err in exc.errors()
        ]
        return JSONResponse({"error": "validation_failed", "detail": detail}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        error = "not_found" if exc.status_code == 404 else "http_error"
        return JSONResponse({"error": error, "detail": exc.detail}, status_code=exc.status_code)
