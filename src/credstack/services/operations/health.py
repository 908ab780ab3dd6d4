"""Whether this server is alive, and whether it is ready to serve.

*Alive* (``/healthz``) asks nothing of anything: the process answers. *Ready* (``/readyz``)
asks what serving needs — the store answers a query, the job queue can be reached, and the
SMTP server (when one is configured) accepts a connection — and says which is not, so that a
load balancer stops sending requests to a server that could not answer them, and an operator
sees why. Without an SMTP server e-mail waits in the outbox; that is not a reason to stop
serving, so the check passes and says so.

The SMTP check opens a connection (and logs in, as sending would); its outcome is kept for
:data:`MAIL_CHECK_SECONDS`, so that probes every few seconds do not become a stream of
logins at the mail server.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass
from typing import Any, Final

from credstack.adapters.db.engine import ping
from credstack.adapters.mail.smtp import SmtpServer, connect
from credstack.errors import CredstackError
from credstack.services.runtime import Runtime

__all__ = ["MAIL_CHECK_SECONDS", "Check", "Readiness", "readiness"]

#: How long the SMTP server's outcome is reused by the following checks.
MAIL_CHECK_SECONDS: Final = 30.0
#: Seconds the SMTP server has to answer a readiness check.
MAIL_TIMEOUT: Final = 5.0
_CACHE: Final = "operations.health.mail"


@dataclass(frozen=True, slots=True)
class Check:
    """One thing serving needs: whether it is ready, and what was found (en / ja)."""

    ready: bool
    detail_en: str
    detail_ja: str
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {"ready": self.ready, "detail": self.detail_en, "detail_ja": self.detail_ja,
                "seconds": round(self.seconds, 4)}


@dataclass(frozen=True, slots=True)
class Readiness:
    store: Check
    jobs: Check
    mail: Check

    @property
    def ready(self) -> bool:
        return self.store.ready and self.jobs.ready and self.mail.ready

    def to_dict(self) -> dict[str, Any]:
        checks = {"store": self.store, "jobs": self.jobs, "mail": self.mail}
        return {"status": "ready" if self.ready else "not ready",
                "not_ready": [name for name, check in checks.items() if not check.ready],
                "checks": {name: check.to_dict() for name, check in checks.items()}}


def readiness(runtime: Runtime) -> Readiness:
    """Ask the store, the job queue and the SMTP server whether they answer."""
    return Readiness(store=_store(runtime), jobs=_jobs(runtime), mail=_mail(runtime))


def _timed(started: float, ready: bool, en: str, ja: str) -> Check:
    return Check(ready, en, ja, time.perf_counter() - started)


def _store(runtime: Runtime) -> Check:
    started = time.perf_counter()
    where = runtime.settings.store_location
    try:
        with runtime.sessions() as session:
            ping(session)
    except Exception as exc:
        return _timed(started, False, f"The store ({where}) does not answer: {_why(exc)}",
                      f"ストア（{where}）が応答しません：{_why(exc)}")
    return _timed(started, True, f"The store ({where}) answers.",
                  f"ストア（{where}）は応答しています。")


def _jobs(runtime: Runtime) -> Check:
    started = time.perf_counter()
    queue = runtime.jobs
    if queue is None:
        return _timed(started, True, "This server queues no jobs.",
                      "このサーバーはジョブをキューに入れません。")
    try:
        waiting = queue.pending()
    except Exception as exc:
        return _timed(started, False, f"The job queue cannot be reached: {_why(exc)}",
                      f"ジョブのキューに接続できません：{_why(exc)}")
    return _timed(started, True, f"The job queue answers ({waiting} messages waiting).",
                  f"ジョブのキューは応答しています（待機中 {waiting} 件）。")


def _mail(runtime: Runtime) -> Check:
    server = SmtpServer.from_settings(runtime.settings)
    if server is None:
        return Check(True, "No SMTP server is configured: e-mail waits in the outbox.",
                     "SMTP サーバーが設定されていません：メールは送信待ちに残ります。", 0.0)
    cache = runtime.caches.setdefault(_CACHE, _MailCache())
    assert isinstance(cache, _MailCache)
    return cache.check(dataclasses.replace(server, timeout=MAIL_TIMEOUT))


class _MailCache:
    """The SMTP server's latest outcome, reused for :data:`MAIL_CHECK_SECONDS`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._outcome: Check | None = None
        self._until = 0.0

    def check(self, server: SmtpServer) -> Check:
        with self._lock:
            if self._outcome is not None and time.monotonic() < self._until:
                return self._outcome
            started = time.perf_counter()
            where = f"{server.host}:{server.port}"
            try:
                with connect(server):
                    pass
            except CredstackError as exc:
                outcome = _timed(started, False, exc.message,
                                 f"SMTP サーバー {where} を利用できません：{exc.message}")
            else:
                outcome = _timed(started, True, f"The SMTP server {where} accepts a connection.",
                                 f"SMTP サーバー {where} は接続を受け付けています。")
            self._outcome, self._until = outcome, time.monotonic() + MAIL_CHECK_SECONDS
            return outcome


def _why(exc: Exception) -> str:
    if isinstance(exc, CredstackError):
        return exc.message
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
