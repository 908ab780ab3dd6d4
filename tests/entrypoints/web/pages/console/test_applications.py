"""Applications to join over real HTTP, on SQLite and PostgreSQL: a provider applies on the
public form with a document, the operator reads it and approves (the organisation, its
admin's invitation and the e-mail are made together) or refuses with a reason (e-mailed);
a wrong check digit, a duplicate and a hostile document are refused in Japanese and English
with nothing stored; only the operator reaches the queue."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import func, select

from credstack.adapters.db.tables import (
    AuditEntryRow,
    InvitationRow,
    MailOutboxRow,
    OrganisationRow,
    ProviderApplicationRow,
)
from credstack.settings import Settings
from tests import patiently
from tests.accounts import add_user, store_session
from tests.conftest import LiveServer, serve_with_key
from tests.entrypoints.web.pages.forms import FormBrowser, form_nonce
from tests.entrypoints.web.pages.test_programmes import Page, assert_accessible

OPERATOR = "operator@example.org"
ADMIN = "admin@hokuto.example"
PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n"
       b"<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def serve_console(settings: Settings) -> Iterator[LiveServer]:
    for server in serve_with_key(settings):
        add_user(server.settings, OPERATOR, name="Operator", roles=[(None, "registry-admin")])
        add_user(server.settings, ADMIN, name="Admin", roles=[("hokuto-tech", "provider-admin")])
        yield server


@pytest.fixture
def live(settings: Settings) -> Iterator[LiveServer]:
    """A server of the test's own: the tests that apply count what is stored."""
    yield from serve_console(settings)


@pytest.fixture(scope="module")
def shared(module_settings: Settings) -> Iterator[LiveServer]:
    """One server per database for the tests that store nothing (refused applications,
    refused visitors)."""
    yield from serve_console(module_settings)


def apply(live: LiveServer, *, number: str = "7123456789012", language: str = "en",
          files: list[tuple[str, bytes]] | None = None, email: str = "kikaku@tohoku.example"
          ) -> httpx.Response:
    with httpx.Client(base_url=live.url, timeout=30,
                      headers={"Accept": "text/html", "Accept-Language": language}) as browser:
        nonce = form_nonce(browser, "/join")
        return browser.post("/join", data={
            "nonce": nonce, "name_ja": "東北技術専門学校", "name_en": "Tohoku Technical School",
            "corporate_number": number, "kind": "vocational-school",
            "contact_name": "企画 花子", "email": email},
            files=[("documents", (name, content, "application/pdf"))
                   for name, content in (files if files is not None
                                         else [("registration.pdf", PDF)])])


def _count(settings: Settings, table: type) -> int:
    with store_session(settings) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _mail(settings: Settings, template: str) -> list[MailOutboxRow]:
    with store_session(settings) as session:
        return list(session.scalars(select(MailOutboxRow).where(
            MailOutboxRow.template == template)))


def test_a_provider_applies_and_the_operator_approves(live: LiveServer) -> None:
    """The form works without JavaScript; the application, its document, the approval, the
    organisation (with the application's 法人番号), the invitation and the e-mail with its
    link all follow."""
    for language in ("ja", "en"):
        with patiently.client(base_url=live.url, headers={"Accept-Language": language}) as visitor:
            assert 'href="/join"' in visitor.get("/").text
            assert_accessible(Page(visitor.get("/join").text), language)
    sent = apply(live)
    assert sent.status_code == 303, sent.text[:2000]
    assert sent.headers["location"].startswith("/join/sent")
    operator = FormBrowser(live, OPERATOR)
    try:
        queue = operator.page("/console/applications")
        assert_accessible(queue, "en")
        assert "Tohoku Technical School" in queue.source and "7123456789012" in queue.source
        with store_session(live.settings) as session:
            public_id = session.scalar(select(ProviderApplicationRow.public_id))
        detail = operator.page(f"/console/applications/{public_id}")
        assert_accessible(detail, "en")
        assert 'value="tohoku-technical-school"' in detail.source
        document = operator.get(f"/console/applications/{public_id}/documents/1")
        assert document.status_code == 200 and document.content == PDF
        assert document.headers["content-disposition"].startswith("attachment")
        approved = operator.post(f"/console/applications/{public_id}/approve",
                                 slug="tohoku-tech")
        assert approved.status_code == 303, approved.text[:2000]
        assert "done=approved" in approved.headers["location"]
        # Sent twice (a double click): refused, nothing made twice.
        again = operator.post(f"/console/applications/{public_id}/approve", slug="tohoku-2")
        assert again.status_code == 409
        assert "decided already" in again.text
    finally:
        operator.close()
    with store_session(live.settings) as session:
        organisation = session.scalar(select(OrganisationRow).where(
            OrganisationRow.slug == "tohoku-tech"))
        assert organisation is not None and organisation.name["en"] == "Tohoku Technical School"
        assert organisation.corporate_number == "7123456789012"
        invitation = session.scalar(select(InvitationRow).where(
            InvitationRow.organisation_id == organisation.id))
        assert invitation is not None and invitation.role == "provider-admin"
        assert invitation.email == "kikaku@tohoku.example"
        actions = list(session.scalars(select(AuditEntryRow.action).order_by(AuditEntryRow.seq)))
    assert [action for action in actions if action.startswith(("provider_application.",
                                                                "organisation."))] == [
        "provider_application.submitted", "organisation.created",
        "provider_application.approved"]
    (mail,) = _mail(live.settings, "application_approved")
    assert mail.to_address == "kikaku@tohoku.example"
    assert mail.context["url"].startswith(f"{live.settings.public_url.rstrip('/')}/invitations/")


def test_the_operator_refuses_with_a_reason_the_applicant_is_emailed(live: LiveServer) -> None:
    """No reason is refused beside the form; with one, the e-mail carries it, and the same
    number may apply again."""
    assert apply(live).status_code == 303
    operator = FormBrowser(live, OPERATOR, "ja")
    try:
        with store_session(live.settings) as session:
            public_id = session.scalar(select(ProviderApplicationRow.public_id))
        empty = operator.post(f"/console/applications/{public_id}/refuse", reason=" ")
        assert empty.status_code == 422 and "理由を入力してください" in empty.text
        done = operator.post(f"/console/applications/{public_id}/refuse",
                             reason="登記事項証明書が読めません。")
        assert done.status_code == 303
    finally:
        operator.close()
    (mail,) = _mail(live.settings, "application_refused")
    assert mail.context["reason"] == "登記事項証明書が読めません。"
    assert apply(live).status_code == 303


@pytest.mark.parametrize("language", ["ja", "en"])
def test_bad_input_is_refused_in_the_readers_language_and_nothing_is_stored(
        live: LiveServer, language: str) -> None:
    """A wrong check digit, a text file posing as a PDF, four documents, a duplicate."""
    words = {"ja": ("検査用数字", "PDF、PNG、JPEG", "3件まで", "すでに受け付けて"),
             "en": ("check digit", "PDF, PNG or JPEG", "at most 3", "already waiting")}[language]
    wrong = apply(live, number="6123456789012", language=language)
    assert wrong.status_code == 422 and words[0] in wrong.text
    assert 'aria-invalid="true"' in wrong.text and 'value="6123456789012"' in wrong.text
    fake = apply(live, language=language, files=[("a.pdf", b"<script>")])
    assert fake.status_code == 422 and words[1] in fake.text
    many = apply(live, language=language, files=[(f"{n}.pdf", PDF) for n in range(4)])
    assert many.status_code == 422 and words[2] in many.text
    assert _count(live.settings, ProviderApplicationRow) == 0
    assert apply(live, language=language).status_code == 303
    duplicate = apply(live, language=language, email="other@tohoku.example")
    assert duplicate.status_code == 409 and words[3] in duplicate.text
    assert _count(live.settings, ProviderApplicationRow) == 1


@pytest.mark.parametrize(("language", "title"), [
    ("ko", "입력 내용을 확인해 주세요"), ("th", "โปรดตรวจสอบแบบฟอร์ม"), ("vi", "Vui lòng kiểm tra"),
])
def test_a_refused_application_is_titled_in_each_public_language(
        shared: LiveServer, language: str, title: str) -> None:
    """The join form is public: its refusal's title is in the reader's language, never a
    server error for a word only staff pages had."""
    wrong = apply(shared, number="6123456789012", language=language)
    assert wrong.status_code == 422
    assert f'lang="{language}"' in wrong.text and title in wrong.text


def test_only_the_platforms_operator_reaches_the_queue(shared: LiveServer) -> None:
    """A provider's administrator is refused; a visitor is sent to sign in."""
    admin = FormBrowser(shared, ADMIN)
    try:
        assert admin.get("/console/applications").status_code == 403
        assert admin.get("/console").status_code == 403
    finally:
        admin.close()
    with patiently.client(base_url=shared.url, headers={"Accept": "text/html"}) as visitor:
        assert visitor.get("/console/applications").status_code == 303
