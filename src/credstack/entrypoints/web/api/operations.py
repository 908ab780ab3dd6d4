"""For whoever runs credstack: ``/healthz``, ``/readyz`` and ``/metrics``.

None of them asks who is calling or writes to the audit log: a load balancer's probe every
few seconds is neither a person nor an event. ``/healthz`` touches nothing (the process
answers: it is alive); ``/readyz`` asks the store, the job queue and the SMTP server
(:mod:`credstack.services.operations.health`) and answers 503 when one is not ready. To
anyone it says only ``ready`` or ``not ready``; which check failed and why (the store's
location, the database user and host) it tells only the platform operator (a registry
admin's session or token) and whoever sends ``CREDSTACK_METRICS_TOKEN``.

``/metrics`` is Prometheus' text format. It tells how busy the server is and what it does, so
it is not for everyone: it answers clients on the loopback interface (a Prometheus server or
agent on the same machine, a sidecar) and, when ``CREDSTACK_METRICS_TOKEN`` is set, any
client that sends ``Authorization: Bearer <that token>``; anyone else gets 404, as if there
were nothing there.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse

from credstack.core.access import Role
from credstack.entrypoints.web import access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.networks import is_loopback
from credstack.services.operations import health, metrics
from credstack.words import words

router = APIRouter(tags=["operations"])

_READY_EXAMPLE: dict[str, Any] = {
    "status": "not ready", "not_ready": ["jobs"],
    "checks": {
        "store": {"ready": True, "detail": "The store (/srv/credstack/credstack.sqlite3) "
                  "answers.", "detail_ja": "ストア（/srv/credstack/credstack.sqlite3）は応答して"
                  "います。", "seconds": 0.0004},
        "jobs": {"ready": False, "detail": "The job queue cannot be reached: Error 111 "
                 "connecting to redis:6379.", "detail_ja": "ジョブのキューに接続できません：…",
                 "seconds": 0.0021},
        "mail": {"ready": True, "detail": "No SMTP server is configured: e-mail waits in the "
                 "outbox.", "detail_ja": "SMTP サーバーが設定されていません：…",
                 "seconds": 0.0}}}


@router.get("/healthz", summary="Liveness: the process answers",
            responses={200: {"content": {"application/json": {"example": {"status": "ok"}}}}})
async def healthz() -> dict[str, str]:
    """Always ``{"status": "ok"}`` while the process serves requests; nothing else is asked
    (a liveness probe that restarts the process should not restart it for a database that
    is down). No authentication, not audited."""
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: the store, the job queue and the SMTP server answer",
            responses={200: {"description": "Ready to serve."},
                       503: {"description": "Something serving needs does not answer; "
                             "to the operator or the metrics token, ``not_ready`` "
                             "names it and ``checks`` says why.",
                             "content": {"application/json": {"example": _READY_EXAMPLE}}}})
async def readyz(request: Request, runtime: RuntimeDep,
                 authorization: Annotated[str | None, Header()] = None) -> JSONResponse:
    """Whether this server can serve: the store answers a query, the job queue can be
    reached, the SMTP server (when one is configured) accepts a connection. 200 when all
    are ready, 503 otherwise, with ``{"status": "ready"}`` or ``{"status": "not ready"}``;
    to the platform operator and to ``Authorization: Bearer <CREDSTACK_METRICS_TOKEN>``,
    each check too, with what it found (English and Japanese) and how long it took. Not
    audited; the SMTP server's outcome is reused for 30 seconds."""
    found = await run_in_threadpool(health.readiness, runtime)
    detailed = _holds_token(runtime.settings.metrics_token, authorization) or \
        await run_in_threadpool(_is_operator, request)
    body = found.to_dict(words) if detailed else {"status": found.status}
    return JSONResponse(body, status_code=200 if found.ready else 503,
                        headers={"Cache-Control": "no-store", "Vary": "Authorization, Cookie"})


@router.get("/metrics", summary="Prometheus metrics",
            response_class=PlainTextResponse,
            responses={200: {"content": {metrics.CONTENT_TYPE: {}}},
                       404: {"description": "Not a loopback client and no (right) token."}})
async def metrics_text(request: Request, runtime: RuntimeDep,
                       authorization: Annotated[str | None, Header()] = None) -> Response:
    """The server's metrics in Prometheus' text format (all processes' under ``--workers``):
    requests by route template and status, their durations, jobs, e-mail, credentials
    issued and verified. Answered to loopback clients, and to any client with
    ``Authorization: Bearer <CREDSTACK_METRICS_TOKEN>`` when that is set; 404 otherwise."""
    if not _may_scrape(request, runtime.settings.metrics_token, authorization):
        return JSONResponse({"detail": "Not Found"}, status_code=404)
    body = await run_in_threadpool(metrics.exposition)
    return Response(body, media_type=metrics.CONTENT_TYPE,
                    headers={"Cache-Control": "no-store"})


def _holds_token(token: str | None, authorization: str | None) -> bool:
    """Whether ``authorization`` is ``Bearer <token>`` (the metrics token, when set)."""
    if token is None or authorization is None:
        return False
    scheme, _, given = authorization.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(),
                                                              token.encode())


def _is_operator(request: Request) -> bool:
    """Whether the caller's session or token is a registry admin's (the platform operator)."""
    principal = access.current_principal(request)
    return principal is not None and principal.has_role(Role.REGISTRY_ADMIN)


def _may_scrape(request: Request, token: str | None, authorization: str | None) -> bool:
    if _holds_token(token, authorization):
        return True
    client = request.client
    return client is not None and is_loopback(client.host)
