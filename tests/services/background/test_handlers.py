"""E-mail runs as jobs: a cohort job starts one that sends the learners' "issued" e-mail at
once, through a real SMTP server (aiosmtpd on loopback); each message goes out once however
often the job runs; without an SMTP server the e-mail waits and the job says why. A review
reminder that falls due reaches its reader's inbox once, however often the day's schedule
runs."""

from __future__ import annotations

import dataclasses
import datetime as dt

from credstack.core.review import CRITERION_IDS
from credstack.entrypoints.web.i18n.codes import failure_said
from credstack.services.background.worker import SCHEDULER, start_reminders
from credstack.services.jobs.service import job, start
from credstack.services.mail import service as mail
from credstack.services.review import workflow as review
from credstack.services.runtime import Runtime
from tests.services.jobs.conftest import OPERATOR, SLUG, World, cohort_payload
from tests.smtp import SmtpServer, relay, smtp_server


def _mailing(world: World, server: SmtpServer) -> Runtime:
    """The world's runtime, sending its e-mail to ``server`` (and kept as the world's)."""
    world.runtime = dataclasses.replace(world.runtime, settings=dataclasses.replace(
        world.settings, **relay(server)))
    return world.runtime


def test_a_cohort_job_sends_each_learner_the_issued_email_once(world: World) -> None:
    issuer = world.person("issuer@hokuto.example", (SLUG, "issuer"))
    with smtp_server() as server:
        runtime = _mailing(world, server)
        cohort = start(runtime, actor=issuer, kind="cohort.issue",
                       payload=cohort_payload(world.programme, 3), organisation=SLUG,
                       key="cohort")
        assert world.run_queued() == ["succeeded"]
        mail_job = job(runtime, actor=issuer, public_id=cohort.public_id).result["mail_job"]
        assert mail_job is not None
        assert world.run_queued() == ["succeeded"]  # the e-mail job the cohort started
        sent = job(runtime, actor=SCHEDULER, public_id=mail_job)
        assert sent.result["sent"] == 3 and sent.result["failed"] == 0
        assert sorted(to for _, [to] in server.inbox.envelopes) == [
            "learner0@example.jp", "learner1@example.jp", "learner2@example.jp"]
        again = start(runtime, actor=SCHEDULER, kind="mail.deliver", payload={},
                      organisation=None, key="again")
        assert world.run_queued() == ["succeeded"]
        assert job(runtime, actor=SCHEDULER, public_id=again.public_id).result["sent"] == 0
        assert len(server.messages) == 3


def test_without_an_smtp_server_the_email_waits_and_the_job_says_why(world: World) -> None:
    issuer = world.person("issuer@hokuto.example", (SLUG, "issuer"))
    cohort = start(world.runtime, actor=issuer, kind="cohort.issue",
                   payload=cohort_payload(world.programme, 2), organisation=SLUG, key="c")
    assert world.run_queued() == ["succeeded"]
    assert job(world.runtime, actor=issuer, public_id=cohort.public_id).result[
        "mail_job"] is None
    started = start(world.runtime, actor=SCHEDULER, kind="mail.deliver", payload={},
                    organisation=None, key="by-hand")
    assert world.run_queued() == ["failed"]
    failed = job(world.runtime, actor=SCHEDULER, public_id=started.public_id)
    assert failed.failure is not None
    assert "CREDSTACK_SMTP_HOST" in failure_said(failed.failure, "en")


def _submitted(world: World) -> str:
    """The world's programme, applied for to a recognition body and submitted now, complete:
    awaiting evaluators, which its committee assigns within 14 days."""
    admin = world.person("admin@hokuto.example", (SLUG, "provider-admin")).principal
    world.person("chair@jmicro.example", ("jmicro-qa", "committee-member"))
    assert admin is not None
    now = world.clock()
    opened = review.open_application(world.runtime, admin, organisation=SLUG,
                                     programme_id=world.programme, recognition_body="jmicro-qa",
                                     profile="jp-mc", now=now)
    review.update_self_evaluation(
        world.runtime, admin, application=opened.id,
        self_evaluation={c: "Published and reviewed." for c in CRITERION_IDS}, now=now)
    review.add_evidence(world.runtime, admin, application=opened.id, filename="report.txt",
                        content=b"Self-evaluation report\n", now=now)
    assert review.submit(world.runtime, admin, application=opened.id,
                         now=now).state.value == "awaiting-assignment"
    return opened.id


def test_a_due_review_reminder_is_mailed_once_however_often_the_schedule_runs(
        world: World) -> None:
    """Two days before the committee's deadline, the day's reminders job (which every
    worker's schedule starts) mails the committee member once, in Japanese then English,
    with the application's link; the schedule running again that day, and the reminders sent
    again by hand, mail nothing more."""
    with smtp_server() as server:
        runtime = _mailing(world, server)
        application = _submitted(world)
        world.clock.advance(seconds=dt.timedelta(days=12).total_seconds())
        today = start_reminders(runtime)
        assert world.run_queued() == ["succeeded"]
        assert job(runtime, actor=OPERATOR, public_id=today).result == {"sent": 1}
        # The worker's every-minute delivery.
        assert mail.deliver(runtime).sent == 1
        [(_, recipients)] = server.inbox.envelopes
        assert recipients == ["chair@jmicro.example"]
        [message] = server.messages
        assert message["Subject"].startswith("【審査の期限】")
        assert "Review reminder: " in message["Subject"]
        text = message.get_body(("plain",)).get_content()
        assert text.index("認定審査の期限のお知らせです。") < text.index("A reminder from the")
        assert f"/review/applications/{application}" in text
        # It names the application by its id, not by the store's "application:" key.
        assert f"申請 ID：{application}" in text and f"Application ID: {application}" in text
        html = message.get_body(("html",)).get_content()
        assert f"Application ID: {application}" in html and "application:" not in text
        # Later that day: another worker's schedule, then an operator by hand.
        world.clock.advance(seconds=dt.timedelta(hours=6).total_seconds())
        assert start_reminders(runtime) == today
        assert world.run_queued() == []
        by_hand = start(runtime, actor=OPERATOR, kind="review.reminders", payload={},
                        organisation=None, key="by-hand")
        assert world.run_queued() == ["succeeded"]
        assert job(runtime, actor=OPERATOR, public_id=by_hand.public_id).result == {"sent": 0}
        assert mail.deliver(runtime).sent == 0
        assert len(server.messages) == 1
