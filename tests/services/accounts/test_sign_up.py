"""Signing up on one's own: the request queues one e-mail, whoever the address belongs to; the
link makes the account once, before it expires, unless a newer one replaced it; the chosen
password is kept only while a link can use it; sign-up can be turned off."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from sqlalchemy import select

from credstack.adapters.db.tables import MailOutboxRow, SignUpRow
from credstack.errors import ConflictError, InputError, NotFoundError, RateLimitedError
from credstack.services.accounts import sessions, sign_in, sign_up
from credstack.services.accounts.service import add_user
from credstack.services.runtime import Runtime
from credstack.words import error_words
from tests.accounts import PASSWORD
from tests.accounts import add_user as stored_user
from tests.conftest import Clock
from tests.services.accounts.store import OPERATOR, clock, entries, runtime

__all__ = ["clock", "runtime"]

EMAIL = "hanako@example.jp"
CHOSEN = "my own long passphrase"


@pytest.fixture
def mailing(runtime: Runtime) -> Runtime:
    """The runtime of a deployment that sends e-mail (sign-up needs it to confirm addresses)."""
    return dataclasses.replace(runtime, settings=dataclasses.replace(
        runtime.settings, smtp_host="127.0.0.1", smtp_security="none",
        mail_from="noreply@credstack.example"))


def _ask(runtime: Runtime, email: str = EMAIL, **changes: Any) -> None:
    values: dict[str, Any] = {"email": email, "display_name": "山田 花子", "password": CHOSEN,
                              "next_path": "/wallet", "language": "ja", "ip": "192.0.2.1"}
    sign_up.request(runtime, **(values | changes))


def _outbox(runtime: Runtime) -> list[MailOutboxRow]:
    with runtime.transaction() as session:
        rows = list(session.scalars(select(MailOutboxRow).order_by(MailOutboxRow.id)))
        session.expunge_all()
        return rows


def _token(message: MailOutboxRow) -> str:
    url: str = message.context["url"]
    return url.rsplit("/", 1)[1]


def _kept_passwords(runtime: Runtime) -> int:
    with runtime.transaction() as session:
        return len(list(session.scalars(select(SignUpRow.id).where(
            SignUpRow.password_hash.is_not(None)))))


def test_the_link_makes_the_account_once_and_signs_it_in(mailing: Runtime) -> None:
    """One e-mail with the link; the link's account has the name and password chosen, is
    signed in and audited; the link is used up and the password's hash forgotten."""
    _ask(mailing, "Hanako@Example.JP ")
    [message] = _outbox(mailing)
    assert (message.to_address, message.template, message.organisation) == \
        (EMAIL, "sign_up", None)
    token = _token(message)
    assert sign_up.pending(mailing, token=token).email == EMAIL
    done = sign_up.complete(mailing, token=token, password=CHOSEN)
    assert (done.next_path, done.signed_in.user.email) == ("/wallet", EMAIL)
    assert done.signed_in.user.display_name == "山田 花子"
    [created] = [entry for entry in entries(mailing) if entry.action == "user.created"]
    assert created.details == {"email": EMAIL, "via": "sign-up"}
    assert created.actor == created.subject == done.signed_in.user.subject
    with pytest.raises(NotFoundError) as refused:
        sign_up.complete(mailing, token=token, password=CHOSEN)
    assert "unknown, used or expired" in error_words(refused.value, "en")
    assert _kept_passwords(mailing) == 0


def test_the_link_makes_no_account_without_the_password_chosen(mailing: Runtime) -> None:
    """Whoever follows the link without the password chosen (the address's owner, when
    somebody else asked) makes no account, and the link still works with it."""
    _ask(mailing)
    token = _token(_outbox(mailing)[0])
    with pytest.raises(InputError) as refused:
        sign_up.complete(mailing, token=token, password="somebody else's pick")
    assert "not the password chosen" in error_words(refused.value, "en")
    assert refused.value.problems[0].location == "password"
    assert not [entry for entry in entries(mailing) if entry.action == "user.created"]
    assert sign_up.complete(mailing, token=token, password=CHOSEN).signed_in.user.email == EMAIL


def test_a_session_the_browser_had_ends_when_the_new_account_signs_in(
        mailing: Runtime) -> None:
    """Someone else was signed in on the browser: their session ends (``logout``)."""
    stored_user(mailing.settings, "other@example.jp")
    before = sign_in.sign_in(mailing, email="other@example.jp", password=PASSWORD,
                             totp_code=None, ip="192.0.2.1")
    _ask(mailing)
    sign_up.complete(mailing, token=_token(_outbox(mailing)[0]), password=CHOSEN,
                     replacing=before.token)
    assert sessions.resolve(mailing, token=before.token) is None
    [ended] = [entry for entry in entries(mailing) if entry.action == "logout"]
    assert (ended.subject, ended.details) == (before.user.subject, {"via": "sign-up"})


def test_an_address_with_an_account_is_told_to_sign_in_and_nothing_changes(
        mailing: Runtime) -> None:
    """The e-mail says to sign in; no link, no password kept, no account made."""
    stored_user(mailing.settings, EMAIL)
    _ask(mailing)
    [message] = _outbox(mailing)
    assert (message.template, message.context) == ("sign_up_existing", {"next_path": "/wallet"})
    assert _kept_passwords(mailing) == 0
    assert not [entry for entry in entries(mailing) if entry.action == "user.created"]


@pytest.mark.parametrize(("language", "mailed"),
                         [("th", "th"), ("zh-Hans", "zh-Hans"), ("en", "en"), ("fr", "ja")])
def test_the_e_mail_speaks_the_language_of_the_page_that_asked(
        mailing: Runtime, language: str, mailed: str) -> None:
    """Any of the eight languages of the public pages; another is Japanese (then English)."""
    _ask(mailing, language=language)
    stored_user(mailing.settings, "taken@example.jp")
    _ask(mailing, "taken@example.jp", language=language)
    assert [message.language for message in _outbox(mailing)] == [mailed, mailed]


def test_a_newer_request_replaces_the_unused_link(mailing: Runtime) -> None:
    """Only the latest e-mail's link works, with the name chosen last."""
    _ask(mailing)
    _ask(mailing, display_name="花子")
    first, second = (_token(message) for message in _outbox(mailing))
    with pytest.raises(NotFoundError):
        sign_up.pending(mailing, token=first)
    done = sign_up.complete(mailing, token=second, password=CHOSEN)
    assert done.signed_in.user.display_name == "花子"


def test_a_link_expires_after_a_day_and_its_request_is_then_forgotten(
        mailing: Runtime, clock: Clock) -> None:
    """A day on, the link is refused; the next request deletes the expired one."""
    _ask(mailing)
    token = _token(_outbox(mailing)[0])
    clock.advance(hours=24)
    with pytest.raises(NotFoundError):
        sign_up.complete(mailing, token=token, password=CHOSEN)
    _ask(mailing, "someone@example.jp")
    with mailing.transaction() as session:
        kept = list(session.scalars(select(SignUpRow.email)))
    assert kept == ["someone@example.jp"]


def test_an_account_made_meanwhile_keeps_the_link_from_making_another(
        mailing: Runtime) -> None:
    """An administrator gave the address an account since: the link makes no second one."""
    _ask(mailing)
    token = _token(_outbox(mailing)[0])
    add_user(mailing, actor=OPERATOR, email=EMAIL, display_name="Hanako", password=PASSWORD)
    with pytest.raises(ConflictError):
        sign_up.complete(mailing, token=token, password=CHOSEN)


def test_requests_are_limited_per_address_and_per_visitor(mailing: Runtime,
                                                          clock: Clock) -> None:
    """Three per e-mail address and sixty per visitor's address within 15 minutes."""
    for _ in range(sign_up.PER_ADDRESS):
        _ask(mailing)
    with pytest.raises(RateLimitedError) as refused:
        _ask(mailing)
    assert 0 < refused.value.retry_after <= 15 * 60
    clock.advance(minutes=15, seconds=1)
    _ask(mailing)
    for number in range(sign_up.PER_IP):
        _ask(mailing, f"learner{number}@example.jp", ip="198.51.100.7")
    with pytest.raises(RateLimitedError):
        _ask(mailing, "one-more@example.jp", ip="198.51.100.7")


@pytest.mark.parametrize("change", [{"sign_up": False}, {"smtp_host": None}])
def test_where_sign_up_is_off_or_no_email_is_sent_every_step_is_refused(
        mailing: Runtime, change: dict[str, Any]) -> None:
    """``CREDSTACK_SIGN_UP=off``, or no SMTP server (nobody could confirm an address):
    asking, reading a link and using it are refused."""
    _ask(mailing)
    token = _token(_outbox(mailing)[0])
    closed = dataclasses.replace(mailing, settings=dataclasses.replace(mailing.settings,
                                                                       **change))
    for step in (lambda: _ask(closed), lambda: sign_up.pending(closed, token=token),
                 lambda: sign_up.complete(closed, token=token, password=CHOSEN)):
        with pytest.raises(NotFoundError) as refused:
            step()
        assert "ask your organisation's administrator" in error_words(refused.value, "en")
