"""Sending the outbox over real SMTP (an aiosmtpd server on loopback): the learner's
bilingual e-mail arrives once, a server that is down is tried again later, a 5xx refusal is
final, STARTTLS is verified, and without a server nothing is lost."""

from __future__ import annotations

import dataclasses
import threading
from email.header import decode_header
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from prometheus_client import REGISTRY

from credstack.core.access.actors import operator_principal
from credstack.core.credentials.cohorts import read_cohort
from credstack.core.mail import MailState
from credstack.services.audit import service as audit
from credstack.services.issuance import cohorts
from credstack.services.mail import service as mail
from credstack.services.runtime import Runtime
from credstack.settings import Settings
from credstack.testing import ActingAs
from tests.conftest import START, Clock, free_port
from tests.loopback import tls_site
from tests.services.issuance.test_credentials import ISSUER, SLUG
from tests.services.mail.mailing import HANAKO, issue, mail_settings, mailing_runtime
from tests.smtp import smtp_server

TITLE_JA = "実践データサイエンス入門"
TITLE_EN = "Practical Introduction to Data Science"


def _outbox(runtime: Runtime) -> list[mail.OutboxMessage]:
    return mail.outbox(runtime, actor=ISSUER, organisation=SLUG).messages


def _actions(runtime: Runtime) -> list[str]:
    with runtime.transaction() as session:
        return [entry.action for entry in audit.entries(session, limit=200)
                if entry.action.startswith("mail.")]


def test_the_learner_receives_one_bilingual_email_with_the_links(tmp_path: Path) -> None:
    """The subject is Japanese then English, encoded for SMTP; the sender is the
    organisation; both languages carry the wallet, download, verification and LinkedIn
    links; the message is recorded as sent with its Message-ID and audited."""
    clock = Clock()
    with smtp_server() as server, mailing_runtime(
            mail_settings(tmp_path, port=server.port), clock) as runtime:
        issue(runtime, HANAKO)
        report = mail.deliver(runtime)
        assert (report.sent, report.failed, report.retrying) == (1, 0, 0)
        [raw] = server.inbox.raw
        [message] = server.messages
        assert server.inbox.envelopes == [("noreply@credentials.example.ac.jp",
                                           ["hanako@example.jp"])]
        assert b"=?utf-8?" in raw.split(b"\r\n\r\n", 1)[0]  # encoded words, not raw UTF-8
        assert max(raw) < 0x80
        subject = "".join(part.decode(charset or "ascii") if isinstance(part, bytes) else part
                          for part, charset in decode_header(str(message["Subject"])))
        assert subject == f"修了証が発行されました：{TITLE_JA} / Credential issued: {TITLE_EN}"
        assert message["From"].addresses[0].display_name == "北都工科大学"
        assert message["Auto-Submitted"] == "auto-generated"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert text.index("山田 花子 様") < text.index("Dear Hanako Yamada")
        [stored] = _outbox(runtime)
        credential_id = stored.event.split(":", 1)[1].rsplit(":", 1)[0]
        base = "https://credentials.example.ac.jp"
        for body in (text, html):
            assert f"{base}/claim/{credential_id}" in body
            assert f"{base}/api/credentials/{credential_id}/certificate.pdf?lang=ja" in body
            assert f"{base}/verify/{credential_id}" in body
            assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in body
        linkedin = next(line.strip() for line in text.splitlines()
                        if "linkedin.com" in line and "CERTIFICATION_NAME" in line)
        query = parse_qs(urlsplit(linkedin).query)
        assert query["name"] == [TITLE_JA] and query["organizationName"] == ["北都工科大学"]
        assert query["certId"] == [credential_id] and query["issueYear"] == ["2026"]
        assert query["certUrl"] == [f"{base}/verify/{credential_id}"]
        assert '<section lang="en">' in html and "北都工科大学" in html
        assert stored.state is MailState.SENT and stored.sent_at == START
        assert stored.message_id == message["Message-ID"] and stored.subject == subject
        assert _actions(runtime) == ["mail.sent"]


def test_a_cohort_issued_in_thai_mails_its_learner_in_thai_then_english(tmp_path: Path) -> None:
    """The issuing request names Thai (its cohort's names are Thai): the e-mail is queued in
    Thai, and arrives in Thai first, then English, saying so in ``Content-Language``."""
    clock = Clock()
    with smtp_server() as server, mailing_runtime(
            mail_settings(tmp_path, port=server.port), clock) as runtime:
        cohorts.issue_cohort(runtime, actor=ISSUER, programme_id=1, batch="2026-th",
                             cohort=read_cohort("email,name\nsomchai@example.th,สมชาย ใจดี\n"
                                                .encode(), language="th"),
                             language="th", workers=1)
        assert mail.deliver(runtime).sent == 1
        [message] = server.messages
        [stored] = _outbox(runtime)
        assert stored.language == "th"
        assert message["Content-Language"] == "th, en"
        subject = "".join(part.decode(charset or "ascii") if isinstance(part, bytes) else part
                          for part, charset in decode_header(str(message["Subject"])))
        assert subject == f"ออกเครเดนเชียลแล้ว: {TITLE_EN} / Credential issued: {TITLE_EN}"
        text = message.get_body(("plain",)).get_content()
        assert text.startswith("เรียน คุณสมชาย ใจดี\r\n")
        assert text.index("เข้าสู่ระบบ") < text.index("Claim it into your wallet")
        assert "修了証" not in text


def test_an_event_is_mailed_once_however_often_it_happens_or_delivery_runs(tmp_path: Path
                                                                         ) -> None:
    """Delivering again sends nothing; issuing the same batch again queues nothing; queueing
    the same event by hand adds nothing."""
    clock = Clock()
    with smtp_server() as server, mailing_runtime(
            mail_settings(tmp_path, port=server.port), clock) as runtime:
        issue(runtime, HANAKO)
        mail.deliver(runtime)
        clock.advance(hours=1)
        issue(runtime, HANAKO)
        assert mail.deliver(runtime).sent == 0
        [stored] = _outbox(runtime)
        with runtime.transaction() as session:
            assert not mail.queue(session, event=stored.event, to=stored.to,
                                  template="credential_issued", context={}, organisation=SLUG,
                                  language="ja", now=clock.now)
        assert len(server.inbox.raw) == 1 and len(_outbox(runtime)) == 1


def test_a_server_that_is_down_leaves_the_message_pending_until_it_is_back(tmp_path: Path
                                                                         ) -> None:
    """Connection refused: still pending with the error and the next try a minute later
    (then two, four …); once the server is up and the time has come, delivered."""
    clock = Clock()
    port = free_port()
    with mailing_runtime(mail_settings(tmp_path, port=port), clock) as runtime:
        issue(runtime, HANAKO)
        report = mail.deliver(runtime)
        assert (report.sent, report.retrying) == (0, 1)
        [waiting] = _outbox(runtime)
        assert waiting.state is MailState.PENDING and waiting.attempts == 1
        assert "cannot be reached" in (waiting.last_error or "")
        assert (waiting.next_attempt_at - START).total_seconds() == 60
        clock.advance(seconds=61)
        mail.deliver(runtime)
        [again] = _outbox(runtime)
        assert again.attempts == 2 and (again.next_attempt_at - clock.now).total_seconds() == 120
        with smtp_server(port=port) as server:
            assert mail.deliver(runtime).sent == 0  # not due yet
            clock.advance(minutes=3)
            assert mail.deliver(runtime).sent == 1
            assert len(server.messages) == 1
        [sent] = _outbox(runtime)
        assert sent.state is MailState.SENT and sent.attempts == 3 and sent.last_error is None


@pytest.mark.parametrize(("reply", "state"), [("550 5.1.1 No such user here", MailState.FAILED),
                                              ("450 4.2.1 Mailbox busy", MailState.PENDING)])
def test_a_permanent_refusal_fails_the_message_and_a_passing_one_retries(
        tmp_path: Path, reply: str, state: MailState) -> None:
    """5xx: failed, never tried again, audited ``mail.failed``; 4xx: pending, tried later."""
    clock = Clock()
    with smtp_server() as server, mailing_runtime(
            mail_settings(tmp_path, port=server.port), clock) as runtime:
        server.inbox.refuse = reply
        issue(runtime, HANAKO)
        mail.deliver(runtime)
        [stored] = _outbox(runtime)
        assert stored.state is state and reply in (stored.last_error or "")
        clock.advance(days=1)
        server.inbox.refuse = None
        mail.deliver(runtime)
        [after] = _outbox(runtime)
        if state is MailState.FAILED:
            assert after.state is MailState.FAILED and server.inbox.raw == []
            assert _actions(runtime) == ["mail.failed"]
        else:
            assert after.state is MailState.SENT and len(server.inbox.raw) == 1


def test_starttls_is_required_and_the_certificate_verified(tmp_path: Path) -> None:
    """With the test CA the message goes over STARTTLS; with the system's CAs the server's
    certificate does not verify and the message waits; a server without STARTTLS is not
    sent to in plain text."""
    site = tls_site(["localhost"], tmp_path)
    clock = Clock()
    with smtp_server(tls=site.context) as server:
        settings = mail_settings(tmp_path / "a", port=server.port, host="localhost",
                                 security="starttls")
        with mailing_runtime(settings, clock) as runtime:
            issue(runtime, HANAKO)
            report = mail.deliver(runtime)
            assert report.retrying == 1 and "certificate" in (report.last_error or "")
            clock.advance(minutes=5)
            trusted = dataclasses.replace(runtime, settings=dataclasses.replace(
                settings, smtp_ca_file=site.ca_file))
            assert mail.deliver(trusted).sent == 1
            assert len(server.messages) == 1
    with smtp_server() as plain:
        settings = mail_settings(tmp_path / "b", port=plain.port, security="starttls")
        with mailing_runtime(settings, Clock()) as runtime:
            issue(runtime, HANAKO)
            report = mail.deliver(runtime)
            assert report.retrying == 1 and "STARTTLS" in (report.last_error or "")
            assert plain.inbox.raw == []


def test_without_a_server_email_waits_and_the_outbox_says_so(tmp_path: Path) -> None:
    """Nothing is sent or dropped: the message stays pending, untried."""
    with mailing_runtime(mail_settings(tmp_path, port=None), Clock()) as runtime:
        issue(runtime, HANAKO)
        assert mail.deliver(runtime) == mail.DeliveryReport(configured=False)
        found = mail.outbox(runtime, actor=ISSUER, organisation=SLUG)
        assert not found.configured and found.counts == {MailState.PENDING: 1}
        assert found.messages[0].attempts == 0


def test_a_delivery_status_notification_marks_the_message_bounced(tmp_path: Path) -> None:
    """The report names the Message-ID the message was sent with; the message is bounced
    with the report's status and diagnostic, and audited."""
    clock = Clock()
    with smtp_server() as server, mailing_runtime(
            mail_settings(tmp_path, port=server.port), clock) as runtime:
        issue(runtime, HANAKO)
        mail.deliver(runtime)
        [sent] = _outbox(runtime)
        dsn = (
            "From: MAILER-DAEMON@example.jp\r\nTo: noreply@credentials.example.ac.jp\r\n"
            "Subject: Undelivered Mail\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
            "--B\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
            "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
            "Reporting-MTA: dns; mx.example.jp\r\n\r\n"
            "Final-Recipient: rfc822; hanako@example.jp\r\nAction: failed\r\n"
            "Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n"
            "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
            f"Message-ID: {sent.message_id}\r\nTo: hanako@example.jp\r\n\r\n--B--\r\n"
        ).encode()
        bounced = mail.record_bounce(runtime, actor=ISSUER, dsn=dsn)
        assert bounced.state is MailState.BOUNCED
        assert bounced.last_error == "5.1.1 550 5.1.1 User unknown"
        assert mail.record_bounce(runtime, actor=ISSUER, dsn=dsn).state is MailState.BOUNCED
        assert _actions(runtime) == ["mail.sent", "mail.bounced"]


def test_an_organisation_chooses_its_sender_name(tmp_path: Path) -> None:
    """Messages queued after the choice are sent under it; others' outboxes are closed to
    the organisation's issuers."""
    clock = Clock()
    with smtp_server() as server, mailing_runtime(
            mail_settings(tmp_path, port=server.port), clock) as runtime:
        mail.set_sender_name(runtime, actor=ActingAs(operator_principal("test")), organisation=SLUG,
                             name="北都工科大学 修了証窓口")
        issue(runtime, HANAKO)
        mail.deliver(runtime)
        [message] = server.messages
        assert message["From"].addresses[0].display_name == "北都工科大学 修了証窓口"


def test_two_deliverers_at_once_send_each_message_once(settings: Settings) -> None:
    """Two workers deliver at the same moment, on SQLite and on PostgreSQL: each of twenty
    messages is claimed by one of them and goes out once."""
    clock = Clock()
    rows = [f"learner{n}@example.jp,学習者 {n},Learner {n}" for n in range(20)]
    with smtp_server() as server:
        configured = dataclasses.replace(mail_settings(settings.data_dir, port=server.port),
                                         database_url=settings.database_url)
        with mailing_runtime(configured, clock) as runtime:
            issue(runtime, *rows)
            start = threading.Barrier(2)
            reports: list[mail.DeliveryReport] = []

            def deliver() -> None:
                start.wait()
                reports.append(mail.deliver(runtime))

            workers = [threading.Thread(target=deliver) for _ in range(2)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(timeout=120)
            assert sum(report.sent for report in reports) == 20, reports
            assert sum(report.failed + report.retrying for report in reports) == 0
            assert len(server.inbox.raw) == 20
            assert len({message["Message-ID"] for message in server.messages}) == 20
            assert sorted(to for _, [to] in server.inbox.envelopes) == \
                sorted(f"learner{n}@example.jp" for n in range(20))


def _mail_counted(outcome: str) -> float:
    return REGISTRY.get_sample_value("credstack_mail_total", {"outcome": outcome}) or 0.0


def test_the_metrics_count_mail_queued_sent_retrying_and_failed(tmp_path: Path) -> None:
    """A message queued (once its transaction committed), refused for a while (retrying),
    then sent; another refused for good (failed)."""
    before = {outcome: _mail_counted(outcome)
              for outcome in ("queued", "sent", "retrying", "failed")}
    clock = Clock()
    with smtp_server() as server, mailing_runtime(
            mail_settings(tmp_path / "one", port=server.port), clock) as runtime:
        issue(runtime, HANAKO)
        assert _mail_counted("queued") == before["queued"] + 1
        server.inbox.refuse = "450 4.2.1 Mailbox busy"
        mail.deliver(runtime)
        assert _mail_counted("retrying") == before["retrying"] + 1
        server.inbox.refuse = None
        clock.advance(days=1)
        mail.deliver(runtime)
        assert _mail_counted("sent") == before["sent"] + 1
    with smtp_server() as server, mailing_runtime(
            mail_settings(tmp_path / "two", port=server.port), clock) as runtime:
        server.inbox.refuse = "550 5.1.1 No such user here"
        issue(runtime, HANAKO)
        mail.deliver(runtime)
        assert _mail_counted("failed") == before["failed"] + 1
    assert _mail_counted("queued") == before["queued"] + 2
    assert _mail_counted("sent") == before["sent"] + 1
