"""``/console/health``: the job queue, the mail outbox, the audit log's end and last
checkpoint, the store's size."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.console.views import page
from credstack.services.console import health as health_service

router = APIRouter(include_in_schema=False)

_JOB_STATES = ("queued", "running", "retrying", "failed", "succeeded")
_MAIL_STATES = ("pending", "failed", "bounced", "sent")


def _size(value: int | None) -> str | None:
    if value is None:
        return None
    size = float(value)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.1f} {unit}" if unit != "B" else f"{int(size):,} B"
        size /= 1024
    return None


@router.get("/console/health", response_class=HTMLResponse)
def health(request: Request, runtime: RuntimeDep, access: WebUserDep) -> Response:
    found = health_service.health(runtime, actor=access)
    return page(request, "console_health.html", here="health", health=found,
                jobs=[(state, found.jobs.get(state, 0)) for state in _JOB_STATES],
                mail=[(state, found.mail.get(state, 0)) for state in _MAIL_STATES],
                size=_size(found.store_bytes))
