"""The e-mails of credstack's events, queued in the event's transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from credstack.adapters.db.tables.mail import MailOutboxRow
from credstack.adapters.mail.rendering import CREDENTIAL_REVOKED, render
from credstack.core.mail import MailState
from credstack.core.status.changes import StatusChange
from credstack.services.audit import service as audit
from credstack.services.issuance import credentials, status
from credstack.services.mail import service as mail
from credstack.services.runtime import Runtime
from tests.conftest import Clock
from tests.services.issuance.test_credentials import CREDENTIAL, ISSUER, SLUG
from tests.services.mail.mailing import issue, mail_settings, mailing_runtime


def test_a_cohort_mails_the_learners_with_an_address_only(tmp_path: Path) -> None:
    """Each learner's address gets one message, as the file spells it, in the issuing
    organisation's outbox, under its name."""
    with mailing_runtime(mail_settings(tmp_path, port=None), Clock()) as runtime:
        issue(runtime, "a@example.jp,花子,Hanako", "B@Example.jp,太郎,Taro")
        found = mail.outbox(runtime, actor=ISSUER, organisation=SLUG)
        assert sorted(message.to for message in found.messages) == ["B@Example.jp",
                                                                    "a@example.jp"]
        assert {message.sender_name for message in found.messages} == {"北都工科大学"}
        assert found.counts == {MailState.PENDING: 2}


def test_a_cohorts_email_names_the_badge_of_its_programme_version(tmp_path: Path) -> None:
    """The queued e-mail carries the path of the badge of the version it was issued for."""
    with mailing_runtime(mail_settings(tmp_path, port=None), Clock()) as runtime:
        issue(runtime, "a@example.jp,花子,Hanako")
        with runtime.transaction() as session:
            [context] = session.scalars(select(MailOutboxRow.context)).all()
        assert context["badge"] == "/badges/1/v1.png"


def test_a_revoked_credentials_waiting_email_is_withdrawn_and_a_notice_queued(
        tmp_path: Path) -> None:
    """Revoking a credential whose "issued" e-mail has not gone yet withdraws that e-mail
    (audited; kept, marked withdrawn, never sent again) and queues a revocation notice to the
    address instead; the other learner's e-mail stays."""
    with mailing_runtime(mail_settings(tmp_path, port=None), Clock()) as runtime:
        issue(runtime, "a@example.jp,花子,Hanako", "b@example.jp,太郎,Taro")
        with runtime.transaction() as session:
            rows = session.scalars(select(MailOutboxRow)).all()
            revoked = next(row.context["credential_id"] for row in rows
                           if row.to_address == "a@example.jp")
        status.change_status(runtime, actor=ISSUER, credential_id=revoked,
                             changes=[StatusChange.REVOKE], reason="issued in error")
        found = mail.outbox(runtime, actor=ISSUER, organisation=SLUG).messages
        assert sorted((m.to, m.template, m.state.value) for m in found) == [
            ("a@example.jp", "credential_issued", "withdrawn"),
            ("a@example.jp", "credential_revoked", "pending"),
            ("b@example.jp", "credential_issued", "pending")]
        withdrawn = [e for e in audit_entries(runtime) if e.action == "mail.withdrawn"]
        assert len(withdrawn) == 1 and withdrawn[0].details["to"] == "a@example.jp"
        notice = render(CREDENTIAL_REVOKED, next(
            row for row in outbox_rows(runtime) if row.template == "credential_revoked").context,
            public_url=runtime.settings.public_url)
        assert "修了証が失効しました" in notice.subject and "Credential revoked" in notice.subject
        assert f"/verify/{revoked}" in notice.text and "issued in error" not in notice.text


def outbox_rows(runtime: Runtime) -> list[MailOutboxRow]:
    with runtime.transaction() as session:
        rows = list(session.scalars(select(MailOutboxRow)).all())
        session.expunge_all()
    return rows


def audit_entries(runtime: Runtime) -> list[Any]:
    with runtime.transaction() as session:
        return list(audit.entries(session, limit=100))


def test_a_vc_api_credential_naming_an_address_is_mailed_and_kept_for_its_learner(
        tmp_path: Path) -> None:
    """An unhashed ``emailAddress`` identifier: one message with an offer, and the learner
    recorded (so the wallet delivers it and the learner may download it); without one, no
    message and no offer."""
    with mailing_runtime(mail_settings(tmp_path, port=None), Clock()) as runtime:
        credentials.issue_credential(runtime, actor=ISSUER, credential=CREDENTIAL)
        named = {
            "@context": ["https://www.w3.org/ns/credentials/v2",
                         "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "identifier": [{"type": "IdentityObject", "identityType": "emailAddress",
                                "hashed": False, "identityHash": "Hanako@Example.jp"}],
                "achievement": {"id": "https://example.jp/a/1", "type": ["Achievement"],
                                "name": "データリテラシー", "description": "-",
                                "criteria": {"narrative": "-"}}}}
        issued = credentials.issue_credential(runtime, actor=ISSUER, credential=named)
        [message] = mail.outbox(runtime, actor=ISSUER, organisation=SLUG).messages
        assert message.to == "Hanako@Example.jp"
        assert message.event == f"credential.issued:{issued.credential_id}:hanako@example.jp"
        stored = credentials.stored_credential(runtime, actor=ISSUER,
                                               credential_id=issued.credential_id)
        assert stored.learner == "hanako@example.jp"
        # The e-mail's credential offer, made with it; none for the credential without one.
        with runtime.sessions() as session:
            made = [entry for entry in audit.entries(session, limit=100)
                    if entry.action == "oid4vci.offer.created"]
        assert [(entry.subject, entry.details["channel"]) for entry in made] == [
            (issued.credential_id, "mail")]


def test_an_invitation_is_mailed_once_per_link_in_both_languages(tmp_path: Path) -> None:
    """Inviting an address e-mails it the link to join, the organisation and the role, in
    Japanese then English; inviting it again sends the new link once, never the old one."""
    from credstack.core.access.actors import Operator
    from credstack.services.workspace import members
    from tests.smtp import smtp_server

    deliver = mail.deliver

    with smtp_server() as server:
        clock = Clock()
        with mailing_runtime(mail_settings(tmp_path, port=server.port), clock) as runtime:
            first = members.invite(runtime, actor=Operator("tester"), organisation=SLUG,
                                   email="new.member@example.jp", role="issuer")
            assert deliver(runtime).sent == 1
            renewed = members.invite(runtime, actor=Operator("tester"), organisation=SLUG,
                                     email="new.member@example.jp", role="issuer")
            assert deliver(runtime).sent == 1 and deliver(runtime).sent == 0
    [(_, [to]), _] = server.inbox.envelopes
    assert to == "new.member@example.jp"
    mailed, again = server.messages
    assert "招待" in mailed["Subject"] and "Invitation to" in mailed["Subject"]
    text = mailed.get_body(("plain",)).get_content()
    assert first.url in text and "発行担当者" in text and "as issuer" in text
    assert text.index("招待されました") < text.index("You are invited")
    assert renewed.url in again.get_body(("plain",)).get_content()
    assert first.url != renewed.url
