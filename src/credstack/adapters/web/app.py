"""The credstack web application: JSON API, pages and static files."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

import credstack
from credstack.adapters.bootstrap import build_runtime, engine_of, migrate_store, utc_now
from credstack.adapters.web import access, problems
from credstack.adapters.web.api import (
    accounts,
    badges,
    compare,
    credentials,
    exchange,
    issuers,
    oauth,
    organisations,
    presentations,
    profiles,
    programmes,
    search,
    verification,
)
from credstack.adapters.web.api import certificates as certificate_routes
from credstack.adapters.web.api import clr as clr_routes
from credstack.adapters.web.api import openbadges_v2 as ob2_routes
from credstack.adapters.web.api import recognitions as recognition_routes
from credstack.adapters.web.api import review as review_routes
from credstack.adapters.web.limits import BodySizeLimit
from credstack.adapters.web.pages import accounts as account_pages
from credstack.adapters.web.pages import certificates as certificate_pages
from credstack.adapters.web.pages import password_reset as reset_pages
from credstack.adapters.web.pages import people as people_pages
from credstack.adapters.web.pages import programmes as pages
from credstack.adapters.web.pages import recognitions as transparency_pages
from credstack.adapters.web.pages import registry as registry_pages
from credstack.adapters.web.pages import rendering
from credstack.adapters.web.pages import review as review_pages
from credstack.adapters.web.pages import verification as verify_page
from credstack.services.review.service import MAX_EVIDENCE_BYTES
from credstack.settings import Settings

STATIC = Path(__file__).parent / "static"
#: An evidence upload: the file and the multipart envelope around it.
EVIDENCE_BODY_BYTES = MAX_EVIDENCE_BYTES + 64 * 1024


def create_app(settings: Settings, *, clock: Callable[[], dt.datetime] = utc_now) -> FastAPI:
    """The application for ``settings``; the schema is migrated when it starts."""
    runtime = build_runtime(settings, clock=clock, with_registry=True)
    registry = runtime.registry
    assert registry is not None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        migrate_store(runtime)
        # The registry's search index: loaded from the data directory, or built from the store.
        registry.start()
        yield
        registry.stop()
        engine_of(runtime).dispose()

    app = FastAPI(
        title="credstack",
        version=credstack.__version__,
        summary="Micro-credential descriptors, frameworks, registry and credentials.",
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    app.state.settings = settings
    app.state.sessions = runtime.sessions
    app.state.clock = clock
    app.state.master_key = runtime.master_key
    app.state.registry = registry
    # Evidence files of a recognition application may be larger than other request bodies.
    evidence = (re.compile(r"/api/recognition/applications/[^/]+/evidence"),
                re.compile(r"/review/applications/[^/]+/evidence"))
    # The verification page tells a visitor whose upload is too large so itself, in place.
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes,
                       overrides=[(path, EVIDENCE_BODY_BYTES) for path in evidence],
                       answered_by_route=[re.compile("/verify")])
    problems.install(app, html=rendering.error_page)
    for router in (programmes.router, organisations.router, issuers.router, profiles.router,
                   verification.router, credentials.router, presentations.router, compare.router,
                   search.router, pages.router, registry_pages.router, verify_page.router):
        app.include_router(router)
    app.include_router(exchange.router)
    app.include_router(badges.router)
    app.include_router(ob2_routes.router)
    app.include_router(certificate_routes.router)
    app.include_router(clr_routes.router)
    app.include_router(certificate_pages.router)
    for router in (recognition_routes.router, review_routes.router,
                   transparency_pages.router, review_pages.router):
        app.include_router(router)
    access.install(app)
    account_pages.install(app)
    for router in (oauth.router, accounts.router, account_pages.router, reset_pages.router,
                   people_pages.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
