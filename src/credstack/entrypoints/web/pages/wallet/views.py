"""What the wallet's pages show of a credential, in the page's language: its standing (the
badge: verified, with warnings, revoked, suspended, expired, not verified and why), its
title, credits, levels and fields; and a refused input as a message next to the form.

Everything here is read from what the services return (:class:`~credstack.services.wallet
.items.WalletItem`, its :class:`~credstack.core.wallet.entries.Entry`, the errors they
raise); nothing is looked up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from credstack.core.dates import day_text
from credstack.core.descriptors.models import (
    CreditSystem,
    IdentifierType,
    LevelFramework,
)
from credstack.core.verification import CHECK_TITLES
from credstack.core.verification.verdict import Outcome
from credstack.core.wallet.entries import Entry
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.i18n.codes import said
from credstack.entrypoints.web.pages.rendering import render
from credstack.errors import (
    CredstackError,
    FetchError,
    InputTooLargeError,
    NotFoundError,
    RecipientMismatchError,
)
from credstack.services.wallet.collections import MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH
from credstack.services.wallet.credentials import (
    MAX_IMPORT_BYTES,
    MAX_NOTE_LENGTH,
    MAX_TAG_LENGTH,
    MAX_TAGS,
)
from credstack.services.wallet.items import WalletItem

#: Wallet pages are the learner's own: never cached.
NO_STORE: Final = {"Cache-Control": "no-store"}
#: The language tag of a title whose language the credential does not state.
_UNDETERMINED: Final = "und"
#: Reasons a credential is not verified that have words of their own here, besides revoked,
#: suspended, expired and not yet valid (:class:`~credstack.core.verification.verdict
#: .Reason` codes); any other is said by the failed check's title.
_PLAIN_REASONS: Final = frozenset({"altered", "missing-proof", "unresolvable-method",
                                   "issuer-mismatch"})


def page(request: Request, template: str, *, status_code: int = 200, **context: object
         ) -> HTMLResponse:
    """A wallet page (never cached; the header marks the wallet as the current section)."""
    response = render(request, template, section="wallet", status_code=status_code,
                      **context)
    response.headers.update(NO_STORE)
    return response


def see_other(path: str) -> RedirectResponse:
    """On to ``path`` after a form was posted (303); never cached."""
    return RedirectResponse(path, status_code=303, headers=NO_STORE)


def size_text(size: int) -> str:
    """A size as people read it (8 MB)."""
    return f"{size / (1024 * 1024):,.1f} MB".replace(".0 MB", " MB")


# --- a credential's standing ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Standing:
    """The badge a credential wears in the timeline and at the top of its page.

    ``kind`` is ``verified``, ``warnings``, ``revoked``, ``suspended``, ``expired``,
    ``not-yet-valid``, ``not-verified`` or ``undecided`` (could not be checked: something it
    needs was out of reach, nothing found wrong); ``key`` the message naming it; ``detail`` what
    is wrong in plain words (a message key and its values), if anything.
    """

    kind: str
    key: str
    detail_key: str | None = None
    detail: Mapping[str, object] = field(default_factory=dict)

    @property
    def counts(self) -> bool:
        """Whether the credential counts in the totals (verified, and not expired since)."""
        return self.kind in {"verified", "warnings"}

    @property
    def icon(self) -> str:
        return {"verified": "✓", "warnings": "!", "undecided": "?"}.get(self.kind, "✗")


def _expired(expires: dt.datetime | None, language: str) -> Standing:
    if expires is None:
        return Standing("expired", "wallet.standing.expired")
    return Standing("expired", "wallet.standing.expired", "wallet.standing.expired_on",
                    {"date": day_text(expires.date(), language)})


def standing_of(item: WalletItem, now: dt.datetime, language: str) -> Standing:
    """What the latest check of ``item`` says, and what has changed since: a credential
    verified then but past its expiry now is expired."""
    if item.outcome is not Outcome.NOT_VERIFIED:
        if item.entry.expired(now):
            return _expired(item.entry.expires, language)
        if item.outcome is Outcome.UNDECIDED:
            return Standing("undecided", "wallet.standing.undecided",
                            "wallet.reason.undecided")
        if item.outcome is Outcome.WITH_WARNINGS:
            return Standing("warnings", "wallet.standing.warnings")
        return Standing("verified", "wallet.standing.verified")
    reason = item.failed_reason
    if reason == "expired" or (item.failed_check == "validity" and item.entry.expired(now)):
        return _expired(item.entry.expires, language)
    if reason in {"revoked", "suspended", "not-yet-valid"}:
        return Standing(str(reason), f"wallet.standing.{reason}")
    if reason in _PLAIN_REASONS:
        return Standing("not-verified", "wallet.standing.not_verified",
                        f"wallet.reason.{reason}")
    titles = CHECK_TITLES.get(item.failed_check or "")
    check = (titles[1] if language == "ja" else titles[0]) if titles else item.failed_check
    if check is None:
        return Standing("not-verified", "wallet.standing.not_verified")
    return Standing("not-verified", "wallet.standing.not_verified", "wallet.reason.check",
                    {"check": check})


# --- what an entry says -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Title:
    text: str
    #: The language of the text when it is not the page's (for ``lang``), else None.
    lang: str | None


def title_of(item: WalletItem, t: i18n.Translator) -> Title | None:
    """The credential's title in the page's language, else in another (marked), else None."""
    return entry_title(item.entry, t)


def entry_title(entry: Entry, t: i18n.Translator) -> Title | None:
    """:func:`title_of` an entry."""
    if entry.title.get(t.language):
        return Title(entry.title[t.language], None)
    for tag in (_UNDETERMINED, t.other, *entry.title):
        text = entry.title.get(tag)
        if text:
            return Title(text, None if tag == _UNDETERMINED else tag)
    return None


def credit_text(t: i18n.Translator, system: str, amount: Decimal) -> str:
    """``2 単位``, ``1 Japanese credit``; a credit system credstack does not know, as it is
    written."""
    return t.credits(amount, system)


def credit_system_name(t: i18n.Translator, system: str) -> str:
    """A credit system's name (日本の大学の単位, ECTS …); another, as it is written."""
    try:
        return t.label(CreditSystem(system))
    except ValueError:
        return system


def level_text(t: i18n.Translator, framework: str, level: int) -> str:
    return str(t("value.level", framework=framework, level=level))


def framework_name(t: i18n.Translator, framework: str) -> str | None:
    """A level framework's full name, when credstack knows it (for the abbreviation)."""
    try:
        return t.label(LevelFramework(framework))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Row:
    """One credential as the timeline and its page show it."""

    item: WalletItem
    title: Title | None
    standing: Standing
    credits: tuple[str, ...]
    levels: tuple[tuple[str, str | None], ...]
    fields: tuple[str, ...]
    #: The identifier of the learner's the credential names: (its kind's name, the value).
    recipient: tuple[str, str] | None = None
    #: A credit recognition's credits granted and the programme's total, in words
    #: (``1 単位``, ``4 単位``; the total ``None`` when it does not say); ``None`` for any
    #: other credential.
    recognised: tuple[str, str | None] | None = None

    @property
    def entry(self) -> Entry:
        return self.item.entry


def row_of(item: WalletItem, t: i18n.Translator, now: dt.datetime) -> Row:
    entry = item.entry
    return Row(item=item, title=title_of(item, t), standing=standing_of(item, now, t.language),
               credits=tuple(credit_text(t, system, amount) for system, amount in entry.credits),
               levels=tuple((level_text(t, framework, level), framework_name(t, framework))
                            for framework, level in entry.levels),
               fields=tuple(t.field(value) for value in entry.fields),
               recipient=_recipient(item.recipient, t), recognised=recognised_of(entry, t))


def recognised_of(entry: Entry, t: i18n.Translator) -> tuple[str, str | None] | None:
    """A credit recognition's credits granted and total, in words (:attr:`Row.recognised`)."""
    credit = entry.credit
    if credit is None:
        return None
    system = credit.system or ""
    return (credit_text(t, system, credit.granted),
            credit_text(t, system, credit.total) if credit.total is not None else None)


def _recipient(label: str | None, t: i18n.Translator) -> tuple[str, str] | None:
    """``email:hanako@example.jp`` as (メールアドレス, hanako@example.jp)."""
    if label is None:
        return None
    kind, _, value = label.partition(":")
    try:
        return t.label(IdentifierType(kind)), value
    except ValueError:
        return kind, value


# --- refusals ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FormProblem:
    """Why a form was refused, next to it: a message key, its values, the HTTP status."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)
    status: int = 422


def import_problem(exc: CredstackError, language: str) -> FormProblem:
    """What the import form says when the wallet refused what was given."""
    if isinstance(exc, InputTooLargeError):
        return FormProblem("wallet.error.too_large", {"limit": size_text(MAX_IMPORT_BYTES)},
                           status=413)
    if isinstance(exc, RecipientMismatchError):
        places = ", ".join(problem.location for problem in exc.problems)
        return FormProblem("wallet.error.someone_else", {"places": places})
    if isinstance(exc, NotFoundError):
        return FormProblem("wallet.error.url_not_found")
    if isinstance(exc, FetchError):
        return FormProblem("wallet.error.fetch", {"reason": exc.message})
    return FormProblem("wallet.error.refused", {"reason": said(exc, language)})


#: The message of a refused field, by where the service says the problem is.
_FIELD_PROBLEMS: Final[Mapping[str, tuple[str, Mapping[str, object]]]] = {
    "tags": ("wallet.error.tags", {"count": MAX_TAGS, "length": MAX_TAG_LENGTH}),
    "note": ("wallet.error.note", {"length": f"{MAX_NOTE_LENGTH:,}"}),
    "name": ("wallet.error.collection_name", {"length": MAX_NAME_LENGTH}),
    "description": ("wallet.error.collection_description",
                    {"length": f"{MAX_DESCRIPTION_LENGTH:,}"}),
}


def refusal_of(exc: CredstackError, language: str, *, status: int = 422) -> FormProblem:
    """What a form says when a service refused what was typed: the field's own message when
    the service named the field, else the service's message in the page's language."""
    for problem in exc.problems:
        known = _FIELD_PROBLEMS.get(problem.location.partition("[")[0])
        if known is not None:
            return FormProblem(known[0], known[1], status=status)
    return FormProblem("wallet.error.refused", {"reason": said(exc, language)}, status=status)
