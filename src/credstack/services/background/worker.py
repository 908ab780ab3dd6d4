"""Workers: the huey consumer that runs jobs, its schedule, and the one ``serve`` embeds.

``credstack worker`` runs :meth:`Worker.run` in its main thread until it is stopped (Ctrl+C or
SIGTERM: it finishes the jobs it holds first). ``credstack serve`` on the embedded queue
:meth:`~Worker.start`\\ s one inside the web service for the app's lifetime; with
``CREDSTACK_JOBS_URL`` set it runs none, and the workers run on their own.

Every worker takes dead workers' jobs back when it starts and every minute
(:func:`~credstack.services.jobs.runner.reap`), forgets the files of jobs finished over a
week ago (:func:`~credstack.services.jobs.files.forget_expired`), sends the e-mail that is
due every minute (:func:`~credstack.services.mail.service.deliver`: new messages, and
retries whose back-off has passed), starts the review reminders once a day (00:05 UTC,
09:05 in Japan; one job per day whichever worker starts it, by its key), the credit bank's
daily re-check of counted credentials (00:15 UTC) and expiry of lapsed credits (00:25
UTC), keyed the same way, appends the audit log's signed end to the checkpoint file as it
starts and every five minutes (:mod:`credstack.services.audit.checkpoints`), and deletes
the OpenID for Verifiable Credentials nonces, offers and presentation requests whose time
is over every hour (:mod:`credstack.services.oid4vci.purge`) with the LTI tool's spent login
states and old launches (:mod:`credstack.services.lti.purge`), and the authorization server's
pushed requests and codes (:mod:`credstack.services.oauth.purge`), and starts every launched LTI
course link's awards job at 50 minutes past each hour (:mod:`.lti`), and the imported
registries' and intermediates' refresh every six hours at 55 past (:mod:`.federation`).
"""

from __future__ import annotations

import logging
from typing import Any

from credstack.adapters.jobs import HueyQueue, Periodic
from credstack.core.access import Operator
from credstack.errors import ConfigurationError, CredstackError
from credstack.services import audit, lti, mail, oauth, oid4vci
from credstack.services.background.federation import start_refresh
from credstack.services.background.lti import start_hourly
from credstack.services.jobs import forget_expired_files, reap, run_job, start
from credstack.services.runtime import Runtime

__all__ = ["SCHEDULER", "Worker", "embedded_worker", "start_daily", "start_reminders"]

log = logging.getLogger("credstack.jobs")

#: Who starts the scheduled jobs (the audit log's ``cli:scheduler``).
SCHEDULER = Operator("scheduler")


def start_reminders(runtime: Runtime) -> str:
    """Start today's review reminders job (once a day: its key is the date); its id."""
    day = runtime.now().date().isoformat()
    return start(runtime, actor=SCHEDULER, kind="review.reminders", payload={"day": day},
                 organisation=None, key=f"review.reminders:{day}").public_id


def start_daily(runtime: Runtime, kind: str) -> str:
    """Start today's job of ``kind`` (``creditbank.recheck``, ``creditbank.expire``: once a
    day, keyed by the date); its id."""
    day = runtime.now().date().isoformat()
    return start(runtime, actor=SCHEDULER, kind=kind, payload={"day": day},
                 organisation=None, key=f"{kind}:{day}").public_id


class Worker:
    """A huey consumer of the runtime's queue running credstack's jobs."""

    def __init__(self, runtime: Runtime, *, workers: int = 1, in_process: bool = False
                 ) -> None:
        queue = runtime.jobs
        if not isinstance(queue, HueyQueue):
            raise ConfigurationError(code="jobs.refused.no_queue")
        if workers < 1:
            raise ConfigurationError(code="jobs.refused.no_threads")
        self.runtime = runtime
        self.workers = workers
        self.where = queue.where
        self.embedded = queue.embedded
        self._consumer: Any = queue.consumer(
            run=lambda public_id: _run(runtime, public_id),
            periodic=[Periodic("credstack.reap", lambda: _reap(runtime)),
                      Periodic("credstack.mail", lambda: _mail(runtime)),
                      Periodic("credstack.review-reminders",
                               lambda: _reminders(runtime), minute="5", hour="0"),
                      Periodic("credstack.creditbank-recheck",
                               lambda: _daily(runtime, "creditbank.recheck"),
                               minute="15", hour="0"),
                      Periodic("credstack.creditbank-expire",
                               lambda: _daily(runtime, "creditbank.expire"),
                               minute="25", hour="0"),
                      Periodic("credstack.credential-notices",
                               lambda: _daily(runtime, "credentials.notices"),
                               minute="45", hour="0"),
                      Periodic("credstack.audit-checkpoint",
                               lambda: _checkpoint(runtime), minute="*/5"),
                      Periodic("credstack.oid4vc-purge", lambda: _purge(runtime),
                               minute="35"),
                      Periodic("credstack.oauth-purge", lambda: _oauth_purge(runtime),
                               minute="40"),
                      Periodic("credstack.lti-awards", lambda: _lti(runtime), minute="50"),
                      Periodic("credstack.federation-refresh",
                               lambda: _federation(runtime), minute="55", hour="*/6")],
            workers=workers, in_process=in_process)

    def reap(self) -> list[str]:
        """Take back the jobs of workers that died (as every worker does when it starts)."""
        return reap(self.runtime)

    def run(self) -> None:
        """Run until stopped by a signal (SIGINT, SIGTERM), in the main thread."""
        self.reap()
        self._first_checkpoint()
        self._consumer.run()

    def start(self) -> None:
        """Start the consumer's threads and return (inside another program)."""
        self.reap()
        self._first_checkpoint()
        self._consumer.start()

    def _first_checkpoint(self) -> None:
        """Write an audit checkpoint now, not only at the next five minutes: a log wiped
        before then would have none to be compared with. A log whose head does not verify
        gets none (the error says so in the log) and the worker starts all the same."""
        try:
            _checkpoint(self.runtime)
        except CredstackError as error:
            log.error("no audit checkpoint written at start: %s", error.message)

    def stop(self) -> None:
        """Stop taking jobs. A job running now is not waited for: if the process ends
        before it does, the reaper queues it again and it resumes."""
        self._consumer.stop(graceful=False)


def embedded_worker(runtime: Runtime) -> Worker | None:
    """The worker ``serve`` runs in its own process on the embedded queue (started); None
    when jobs go to a shared queue, which ``credstack worker`` processes serve."""
    if not runtime.settings.embedded_jobs:
        return None
    worker = Worker(runtime, workers=1, in_process=True)
    worker.start()
    return worker


def _run(runtime: Runtime, public_id: str) -> None:
    run_job(runtime, public_id)


def _reap(runtime: Runtime) -> None:
    reap(runtime)
    forget_expired_files(runtime, by=SCHEDULER.principal.subject)


def _mail(runtime: Runtime) -> None:
    # What is due (new, or a retry whose back-off has passed) goes out within the minute.
    if runtime.settings.mail_configured:
        mail.deliver(runtime, limit=1000)


def _checkpoint(runtime: Runtime) -> None:
    audit.write_checkpoint(runtime, actor=SCHEDULER)


def _purge(runtime: Runtime) -> None:
    # Every worker runs it; two at once delete disjoint or already-gone rows, and only a
    # run that removed something writes its entry.
    oid4vci.purge_expired(runtime, actor=SCHEDULER)
    lti.purge_expired(runtime, actor=SCHEDULER)


def _lti(runtime: Runtime) -> None:
    try:
        start_hourly(runtime)
    except CredstackError:
        log.exception("could not start the LTI course links' awards jobs")


def _federation(runtime: Runtime) -> None:
    start_refresh(runtime, actor=SCHEDULER)


def _oauth_purge(runtime: Runtime) -> None:
    # As _purge: every worker runs it, harmlessly at once.
    oauth.purge_expired(runtime, actor=SCHEDULER)


def _reminders(runtime: Runtime) -> None:
    start_reminders(runtime)


def _daily(runtime: Runtime, kind: str) -> None:
    start_daily(runtime, kind)
