"""The credstack web application: JSON API, pages and static files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.routing import BaseRoute
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from credstack.entrypoints import VERSION, logs
from credstack.entrypoints.bootstrap import build_runtime, engine_of, migrate_store, utc_now
from credstack.entrypoints.web import access, problems
from credstack.entrypoints.web.api import (
    accounts,
    badges,
    compare,
    credentials,
    exchange,
    hosting,
    issuers,
    oauth,
    oid4vci,
    oid4vp,
    operations,
    organisations,
    presentations,
    profiles,
    programmes,
    search,
    verification,
    verify_batch,
    wallet_exchange,
)
from credstack.entrypoints.web.api import case as case_routes
from credstack.entrypoints.web.api import certificates as certificate_routes
from credstack.entrypoints.web.api import clr as clr_routes
from credstack.entrypoints.web.api import creditbank as creditbank_routes
from credstack.entrypoints.web.api import elm as elm_routes
from credstack.entrypoints.web.api import federation as federation_routes
from credstack.entrypoints.web.api import jobs as job_routes
from credstack.entrypoints.web.api import openbadges_v2 as ob2_routes
from credstack.entrypoints.web.api import passkeys as passkey_routes
from credstack.entrypoints.web.api import recognitions as recognition_routes
from credstack.entrypoints.web.api import registrar as registrar_routes
from credstack.entrypoints.web.api import registrar_requests as registrar_request_routes
from credstack.entrypoints.web.api import review as review_routes
from credstack.entrypoints.web.api import skills as skill_routes
from credstack.entrypoints.web.api import sso as sso_routes
from credstack.entrypoints.web.api import wallet as wallet_routes
from credstack.entrypoints.web.direct import DirectRoute
from credstack.entrypoints.web.head import HeadAsGet
from credstack.entrypoints.web.headers import CommonHeaders
from credstack.entrypoints.web.hosts import CanonicalHost
from credstack.entrypoints.web.limits import BodySizeLimit
from credstack.entrypoints.web.manual import mount_manual
from credstack.entrypoints.web.nesting import NestingLimit
from credstack.entrypoints.web.observability import Observability
from credstack.entrypoints.web.pages import account_recovery as recovery_pages
from credstack.entrypoints.web.pages import accounts as account_pages
from credstack.entrypoints.web.pages import activity as activity_pages
from credstack.entrypoints.web.pages import certificates as certificate_pages
from credstack.entrypoints.web.pages import console as console_pages
from credstack.entrypoints.web.pages import creditbank as creditbank_pages
from credstack.entrypoints.web.pages import delivery as delivery_pages
from credstack.entrypoints.web.pages import editor as editor_pages
from credstack.entrypoints.web.pages import federation as federation_pages
from credstack.entrypoints.web.pages import issuing as issuing_pages
from credstack.entrypoints.web.pages import issuing_offers, rendering, verify_compare
from credstack.entrypoints.web.pages import jobs as job_pages
from credstack.entrypoints.web.pages import lti as lti_pages
from credstack.entrypoints.web.pages import mailbox as mailbox_pages
from credstack.entrypoints.web.pages import oauth as oauth_pages
from credstack.entrypoints.web.pages import oid4vp as oid4vp_pages
from credstack.entrypoints.web.pages import passkeys as passkey_pages
from credstack.entrypoints.web.pages import password_reset as reset_pages
from credstack.entrypoints.web.pages import people as people_pages
from credstack.entrypoints.web.pages import programmes as pages
from credstack.entrypoints.web.pages import public_profile as public_profile_pages
from credstack.entrypoints.web.pages import recognitions as transparency_pages
from credstack.entrypoints.web.pages import registrar as registrar_pages
from credstack.entrypoints.web.pages import registrar_documents as registrar_document_pages
from credstack.entrypoints.web.pages import registrar_queue as registrar_queue_pages
from credstack.entrypoints.web.pages import registry as registry_pages
from credstack.entrypoints.web.pages import review as review_pages
from credstack.entrypoints.web.pages import shares as share_pages
from credstack.entrypoints.web.pages import sign_up as sign_up_pages
from credstack.entrypoints.web.pages import skills as skill_pages
from credstack.entrypoints.web.pages import sso as sso_pages
from credstack.entrypoints.web.pages import targets as target_pages
from credstack.entrypoints.web.pages import verification as verify_page
from credstack.entrypoints.web.pages import wallet as wallet_pages
from credstack.entrypoints.web.pages import workspace as workspace_pages
from credstack.entrypoints.web.pages.console import applications as console_applications
from credstack.entrypoints.web.pages.wallet.record import IMPORT_BODY_BYTES
from credstack.entrypoints.web.pages.workspace import logo as workspace_logo
from credstack.entrypoints.web.text import TextScreen
from credstack.services import counting, elm
from credstack.services.access import service as refusals
from credstack.services.background import worker as jobs_worker
from credstack.services.registrar import importing
from credstack.services.review.service import MAX_EVIDENCE_BYTES
from credstack.settings import Settings

STATIC = Path(__file__).parent / "static"
#: Where the API viewers' own scripts and styles are served.
API_DOCS_ASSETS = "/docs/assets"
#: An evidence upload: the file and the multipart envelope around it.
EVIDENCE_BODY_BYTES = MAX_EVIDENCE_BYTES + 64 * 1024


def app_of_a_worker_process() -> FastAPI:
    """The application of one of ``credstack serve --workers N``'s processes: its settings
    from the environment the supervising process set, no jobs (the supervisor runs the
    embedded queue's one worker), the heap frozen as ``serve`` does, logs in the format the
    supervisor was told."""
    settings = Settings.from_env()
    logs.configure(settings.log_format)
    return create_app(settings, run_jobs=False, freeze_heap=True)


def _answered_first(app: FastAPI, routers: tuple[APIRouter, ...]) -> None:
    """Put the routes of ``routers`` before every other, the API viewers' too (which the
    application adds as it is made): a request is matched against the routes in turn, and each
    one passed over costs (``POST /credentials/verify`` came ninth, after the five routes of
    the viewers and three routers: 13 % of its CPU time in ``bench/load.py``). Their paths are
    no other route's, so nothing is answered differently."""
    first = [route for route in app.router.routes
             if getattr(route, "original_router", None) in routers]
    app.router.routes[:] = [*first, *(route for route in app.router.routes
                                      if route not in first)]


def _included_once(app: FastAPI) -> None:
    """Include each router in ``app`` as the process's first application included it, when it
    was included alike.

    FastAPI prepares an included router's routes (their parameters, dependencies, response
    fields) for each application, at the first request that looks among them: a new app spent
    0.13–0.24 s of CPU on its first page request and up to 0.6 s on its first 404, which every
    test server paid again (thousands a run). The preparation depends only on the router and
    how it is included — the same for every application made here (no prefix, tags or
    dependencies) — but for the application whose ``dependency_overrides`` it reads:
    credstack overrides no dependency, so the kept inclusion reads none (and keeps no
    application alive) and serves every application of the process; one included otherwise
    keeps its own."""
    routes = app.router.routes
    for index, route in enumerate(routes):
        router = getattr(route, "original_router", None)
        context = getattr(route, "include_context", None)
        if router is not None and dataclasses.is_dataclass(context):
            routes[index] = _first_inclusion(_Inclusion(route, router, context))


class _Inclusion:
    """A router's inclusion in an application, as the key of :func:`_first_inclusion`: alike
    when the router is the same and it is included alike, whichever the application."""

    def __init__(self, route: BaseRoute, router: APIRouter, context: Any) -> None:
        self.route = route
        self.router = router
        self.context = dataclasses.replace(context, dependency_overrides_provider=None)

    def __hash__(self) -> int:
        return id(self.router)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, _Inclusion) and other.router is self.router
                and other.context == self.context)


def _routes_prepared(app: FastAPI) -> None:
    """Prepare every route of ``app`` now, not at the first request that looks among them.

    FastAPI prepares an included router's routes (their parameters, dependencies, response
    fields) when a request first walks past them: the process's first 404 cost 0.86 s of
    CPU, its first request to a page late in the table (a workspace's) most of that, spent on
    the event loop while every other request waited. On a two-core machine at load 30 that
    request took 24 s, and clients that wait 30 s gave up. Prepared here, the work is paid
    while the server starts (once per process, :func:`_included_once`), before it listens."""
    for _context in iter_route_contexts(app.router.routes):
        pass


@functools.cache
def _first_inclusion(inclusion: _Inclusion) -> BaseRoute:
    """The inclusion first made alike in this process, reading no application's overrides."""
    inclusion.route.include_context = inclusion.context  # type: ignore[attr-defined]
    return inclusion.route


class _Described:
    """What an app's OpenAPI description describes — the title, version, servers and each
    route in it (path, methods, function) — as the key of :func:`_description`, and how to
    build it (let go once built: the kept key holds no app)."""

    def __init__(self, app: FastAPI, build: Callable[[], dict[str, Any]]) -> None:
        self.key = (app.title, app.version, repr(app.servers), tuple(
            (route.path, tuple(sorted(route.methods or ())), route.endpoint.__module__,
             route.endpoint.__qualname__)
            for route in app.routes
            if isinstance(route, APIRoute) and route.include_in_schema))
        self.build: Callable[[], dict[str, Any]] | None = build

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Described) and other.key == self.key


@functools.lru_cache(maxsize=8)
def _description(described: _Described) -> dict[str, Any]:
    build, described.build = described.build, None
    assert build is not None
    return build()


def _described_once(app: FastAPI) -> None:
    """Build ``app``'s OpenAPI description once per process, not once per app: it is the
    same for every app that has the same routes (every route is added whatever the settings)
    and costs 0.5–0.9 s of CPU, which a process serving several apps (the test suite: one
    per module, each asked for ``/openapi.json`` once) paid each time, and a loaded machine
    stretched past 30 s. An app whose routes differ gets a description of its own
    (:class:`_Described`)."""
    build = app.openapi

    def described() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _description(_Described(app, build))
        return app.openapi_schema

    app.openapi = described  # type: ignore[method-assign]


def create_app(settings: Settings, *, clock: Callable[[], dt.datetime] = utc_now,
               run_jobs: bool = True, freeze_heap: bool = False) -> FastAPI:
    """The application for ``settings``; the schema is migrated when it starts.

    ``run_jobs``: run a worker of background jobs inside the app while it is up, when jobs
    are queued in the data directory (never with ``CREDSTACK_JOBS_URL``: workers run apart).
    ``freeze_heap``: once started, put everything alive (modules, templates, the search index,
    the EDC shapes, compiled for it) out of the garbage collector's sight, so that a full
    collection no longer walks it and a large page (a wallet of a thousand credentials) no
    longer waits 100 ms for one. Only for a process that is this one server (``credstack
    serve``): where apps come and go in one process (the tests), each start would pay a full
    collection of everything the process holds, and what one app froze would stay out of
    reach of the collector for the others.
    """
    runtime = build_runtime(settings, clock=clock, with_registry=True)
    registry = runtime.registry
    assert registry is not None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        migrate_store(runtime)
        # The registry's search index: loaded from the data directory, or built from the store.
        registry.start()
        worker = jobs_worker.embedded_worker(runtime) if run_jobs else None
        if freeze_heap:
            # The EDC shapes compiled first, so that they are frozen with the rest.
            elm.prepare(settings)
            gc.collect()
            gc.freeze()
        yield
        if freeze_heap:
            gc.unfreeze()
        if worker is not None:
            worker.stop()
        registry.stop()
        # Refusals still counted are written before the store closes: none is lost.
        refusals.flush_refusals(runtime, app.state.refusals)
        # So are the visitors' events still waiting for the counting timer.
        counting.flush_on_close(runtime)
        engine_of(runtime).dispose()

    # The API viewers (Swagger UI at /docs, ReDoc at /redoc) load their scripts and styles
    # from credstack itself, bundled by fastapi-offline: they work without the internet.
    app = FastAPIOffline(
        static_url=API_DOCS_ASSETS,
        title="credstack",
        version=VERSION,
        summary="Micro-credential descriptors, frameworks, registry and credentials.",
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    app.state.settings = settings
    app.state.sessions = runtime.sessions
    app.state.clock = clock
    app.state.master_key = runtime.master_key
    app.state.registry = registry
    # One budget for the refusals the access checks and the services audit (per address).
    app.state.refusals = refusals.budget(runtime)
    # Evidence files of a recognition application may be larger than other request bodies.
    evidence = (re.compile(r"/api/recognition/applications/[^/]+/evidence"),
                re.compile(r"/review/applications/[^/]+/evidence"))
    # A credential imported into a wallet may be a signed PDF of several megabytes.
    wallet_import = re.compile("/wallet/import")
    wallet_api_import = re.compile("/api/wallet/credentials")
    # The verification page and the wallet's import tell a visitor whose upload is too large
    # so themselves, in place.
    # Added before the size limit, so inside it: what they read whole is bounded; the text
    # screen inside the nesting limit, so that what it parses to name a field is not too deep.
    app.add_middleware(TextScreen)
    app.add_middleware(NestingLimit)
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes,
                       overrides=[*((path, EVIDENCE_BODY_BYTES) for path in evidence),
                                  (wallet_import, IMPORT_BODY_BYTES),
                                  (wallet_api_import, wallet_routes.IMPORT_BODY_BYTES),
                                  (re.compile("/verify/compare"),
                                   verify_compare.COMPARE_BODY_BYTES),
                                  (re.compile("/api/verify/batch"),
                                   verify_batch.BATCH_BODY_BYTES),
                                  *((re.compile(re.escape(path)), oauth.MAX_BODY_BYTES)
                                    for path in oauth.BODY_PATHS),
                                  # A cohort CSV of 100,000 learners is about 10 MB.
                                  (issuing_pages.COHORT_UPLOAD_PATH,
                                   issuing_pages.COHORT_BODY_BYTES),
                                  (workspace_logo.LOGO_PATH, workspace_logo.LOGO_BODY_BYTES),
                                  # A university's export: up to the import's limit (a
                                  # larger upload than a mebibyte is imported by a job).
                                  (registrar_pages.IMPORT_PATH, importing.MAX_IMPORT_BYTES),
                                  (registrar_routes.IMPORT_PATH, importing.MAX_IMPORT_BYTES),
                                  (re.compile("/join"), console_applications.JOIN_BODY_BYTES)],
                       answered_by_route=[re.compile("/verify"), re.compile("/verify/compare"),
                                          wallet_import, issuing_pages.COHORT_UPLOAD_PATH,
                                          *(re.compile(re.escape(path))
                                            for path in oauth.BODY_PATHS)])
    problems.install(app, html=rendering.error_page)
    # Routes are matched in the order they were added: the endpoints a wallet calls for every
    # credential (OID4VCI, the token endpoint), the probes, and what a verifier calls for every
    # credential (POST /credentials/verify, the status lists) come first, instead of after
    # some 300 others (each route passed over is a pattern tried). No other route matches
    # their paths, so nothing else is answered differently.
    app.include_router(oid4vci.router)
    app.include_router(oauth.router)
    app.include_router(operations.router)
    app.include_router(verification.router)
    app.include_router(credentials.router)
    app.include_router(federation_routes.router)
    for router in (programmes.router, organisations.router, issuers.router, profiles.router,
                   presentations.router, compare.router,
                   search.router, pages.router, registry_pages.router, verify_page.router,
                   verify_compare.router, verify_batch.router, target_pages.router,
                   federation_pages.router):
        app.include_router(router)
    app.include_router(exchange.router)
    app.include_router(badges.router)
    app.include_router(ob2_routes.router)
    app.include_router(certificate_routes.router)
    app.include_router(elm_routes.router)
    app.include_router(clr_routes.router)
    app.include_router(certificate_pages.router)
    for router in (recognition_routes.router, review_routes.router,
                   transparency_pages.router, review_pages.router):
        app.include_router(router)
    access.install(app)
    account_pages.install(app)
    app.include_router(passkey_routes.router)
    app.include_router(passkey_pages.router)
    for router in (oauth_pages.router, hosting.router,
                   oid4vp.router, oid4vp_pages.router, accounts.router,
                   account_pages.router, sso_pages.router, sso_routes.router,
                   reset_pages.router,
                   recovery_pages.router,
                   sign_up_pages.router, mailbox_pages.router,
                   people_pages.router, console_pages.router, wallet_routes.router,
                   creditbank_routes.router,
                   wallet_exchange.router, wallet_pages.router, share_pages.router,
                   job_routes.router, job_pages.router, editor_pages.router,
                   workspace_pages.router, activity_pages.router,
                   public_profile_pages.router,
                   issuing_offers.router, issuing_pages.router, creditbank_pages.router,
                   case_routes.router, skill_routes.router, skill_pages.router,
                   lti_pages.router, registrar_routes.router, registrar_pages.router,
                   registrar_request_routes.router, delivery_pages.router,
                   registrar_queue_pages.router, registrar_document_pages.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    mount_manual(app, settings.manual_dir)

    # Pages name their icon (``<link rel="icon">``); what asks the conventional address
    # instead (a browser opening a JSON answer, a bookmark) is sent there, not a 404.
    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        return RedirectResponse("/static/favicon.svg", status_code=301,
                                headers={"Cache-Control": "public, max-age=86400"})

    _included_once(app)
    _routes_prepared(app)
    _answered_first(app, (verification.router, credentials.router))
    _described_once(app)
    # Just inside the headers, request id, metrics and log: a plain JSON verification or
    # issue request goes straight to its route's function, past layers that would each let
    # it through.
    app.add_middleware(DirectRoute, routes=[
        route for router, path in ((verification.router, "/credentials/verify"),
                                   (credentials.router, "/credentials/issue"))
        for route in router.routes if getattr(route, "path", None) == path],
        limit=settings.max_body_bytes)
    # Every layer within sees a HEAD request as the GET it is answered as.
    app.add_middleware(HeadAsGet)
    # Added last, so outermost: what other middleware answers by itself (the 413 of the size
    # limit, the 403 of a cross-site form) carries these headers too.
    app.add_middleware(CommonHeaders, hsts=settings.public_url.startswith("https://"))
    if settings.canonical_host:
        # Outside the headers' layer is fine: a redirect has no page to protect.
        app.add_middleware(CanonicalHost, public_url=settings.public_url)
    # Outermost of all: every answer gets its request id, is counted and logged.
    app.add_middleware(Observability)
    if settings.trusted_proxies:
        # Outside even that: every limit, audit entry and log line then sees the one client
        # address the named proxies forwarded. The server itself trusts no forwarded header
        # (``proxy_headers=False`` where credstack starts uvicorn): uvicorn's default would
        # believe any local process.
        app.add_middleware(ProxyHeadersMiddleware,
                           trusted_hosts=list(settings.trusted_proxies))
    return app
