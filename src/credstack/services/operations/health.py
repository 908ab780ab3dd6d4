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
from credstack.core.said import Said, Words, said_of
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
    """One thing serving needs: whether it is ready, and what was found (a message key and
    its values, worded by whoever shows it)."""

    ready: bool
    detail: Said
    seconds: float

    def to_dict(self, words: Words) -> dict[str, Any]:
        """The check as JSON, what was found in English and Japanese (``words``)."""
        return {"ready": self.ready, "detail": words(self.detail, "en"),
                "detail_ja": words(self.detail, "ja"), "seconds": round(self.seconds, 4)}


@dataclass(frozen=True, slots=True)
class Readiness:
    store: Check
    jobs: Check
    mail: Check

    @property
    def ready(self) -> bool:
        return self.store.ready and self.jobs.ready and self.mail.ready

    @property
    def status(self) -> str:
        return "ready" if self.ready else "not ready"

    def to_dict(self, words: Words) -> dict[str, Any]:
        """Readiness as JSON, what each check found in English and Japanese (``words``)."""
        checks = {"store": self.store, "jobs": self.jobs, "mail": self.mail}
        return {"status": self.status,
                "not_ready": [name for name, check in checks.items() if not check.ready],
                "checks": {name: check.to_dict(words) for name, check in checks.items()}}


def readiness(runtime: Runtime) -> Readiness:
    """Ask the store, the job queue and the SMTP server whether they answer."""
    return Readiness(store=_store(runtime), jobs=_jobs(runtime), mail=_mail(runtime))


def _timed(started: float, ready: bool, detail: Said) -> Check:
    return Check(ready, detail, time.perf_counter() - started)


def _store(runtime: Runtime) -> Check:
    started = time.perf_counter()
    where = runtime.settings.store_location
    try:
        with runtime.sessions() as session:
            ping(session)
    except Exception as exc:
        return _timed(started, False, Said("operations.health.store.down", where=where,
                                           why=_why(exc)))
    return _timed(started, True, Said("operations.health.store.up", where=where))


def _jobs(runtime: Runtime) -> Check:
    started = time.perf_counter()
    queue = runtime.jobs
    if queue is None:
        return _timed(started, True, Said("operations.health.jobs.none"))
    try:
        waiting = queue.pending()
    except Exception as exc:
        return _timed(started, False, Said("operations.health.jobs.down", why=_why(exc)))
    return _timed(started, True, Said("operations.health.jobs.up", waiting=waiting))


def _mail(runtime: Runtime) -> Check:
    server = SmtpServer.from_settings(runtime.settings)
    if server is None:
        return Check(True, Said("operations.health.mail.none"), 0.0)
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
                outcome = _timed(started, False, Said("operations.health.mail.down",
                                                      where=where, why=_why(exc)))
            else:
                outcome = _timed(started, True, Said("operations.health.mail.up", where=where))
            self._outcome, self._until = outcome, time.monotonic() + MAIL_CHECK_SECONDS
            return outcome


def _why(exc: Exception) -> Said | str:
    if isinstance(exc, CredstackError):
        return said_of(exc)
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
