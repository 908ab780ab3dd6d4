"""The credential's own page: one design (``_credential.html``'s ``page`` macro) for the
wallet's item, the public share (``/s/…``), the ``/verify/{id}`` result and the public
profile's items.

What it shows is gathered here into one :class:`CredentialPage`, whatever the page read it
from (a wallet item and its latest check, or a credential issued here verified now): the
badge large, the issuer (its logo when the organisation has one), the title, what the holder
did, the skills, the live verification, and the actions (the link to copy, LinkedIn's "Add
licence or certification" form filled in, the downloads where the reader may have them).

Trust signals — the programme's badge, the issuer's logo, its recognition, the trust line —
appear only beside a credential its issuer signed as it reads (issue 51's rule, kept by
:func:`~credstack.entrypoints.web.pages.verification.result_of`); the logo only when the
issuer is the organisation the registry names for the programme. A credit recognition keeps
its own kind ("n of m credits recognised"), never the programme's badge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

from credstack.core.mail import linkedin_add_url
from credstack.core.verification.json_values import jws_payload, lenient_loads
from credstack.core.verification.report import VerificationReport
from credstack.core.wallet.entries import Entry, entry_of, parts_of, recognition_in
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.pages.rendering import badge_src
from credstack.entrypoints.web.pages.verification import Result
from credstack.entrypoints.web.pages.wallet.views import (
    Row,
    Standing,
    Title,
    credit_text,
    entry_title,
    framework_name,
    level_text,
    recognised_of,
    row_of,
)
from credstack.services.organisations import logos
from credstack.services.runtime import Runtime
from credstack.services.wallet.items import WalletItem


@dataclass(frozen=True, slots=True)
class Held:
    """What the page says of the credential itself (the pairs of ``_wallet_macros.facts``):
    a wallet's :class:`Row`, or the same read from a credential verified now."""

    entry: Entry
    title: Title | None
    credits: tuple[str, ...]
    levels: tuple[tuple[str, str | None], ...]
    fields: tuple[str, ...]
    recognised: tuple[str, str | None] | None
    #: The wallet's badge of its latest check; ``None`` where the page verified it now.
    standing: Standing | None = None


@dataclass(frozen=True, slots=True)
class Downloads:
    """The files the reader may take: the holder's own, or those a share link gives."""

    pdf: str | None = None
    pdf_other: str | None = None
    baked: str | None = None
    json: str | None = None
    #: The access code the reader gave a share link that asks for one: the downloads are
    #: then forms that send it again (it never goes into an address).
    access_code: str | None = None


@dataclass(frozen=True, slots=True)
class CredentialPage:
    """Everything ``_credential.html``'s ``page`` macro shows of one credential."""

    held: Held
    result: Result
    title: str
    #: The programme's badge (``/badges/{id}/v{n}.svg``); ``None`` for a credit recognition,
    #: a credential not of this registry, or one its issuer did not sign as it reads.
    badge: str | None
    #: The issuing organisation's logo (``/providers/{slug}/logo``), when it has one.
    logo: str | None
    #: The address to copy and share; ``None`` where there is none to give.
    link: str | None
    linkedin: str | None
    downloads: Downloads
    #: When the verification shown was made.
    checked_at: dt.datetime
    #: Ids for the folded "technical details" (label key, value).
    technical: tuple[tuple[str, str], ...]

    @property
    def credit(self) -> bool:
        """Whether it is a credit recognition (a credit-bank decision), not a programme's."""
        return self.held.entry.credit is not None

    @property
    def trusted(self) -> bool:
        """Whether its issuer signed it as it reads: the only case that shows marks of trust."""
        return self.result.attested


def held_of_row(row: Row) -> Held:
    return Held(entry=row.entry, title=row.title, credits=row.credits, levels=row.levels,
                fields=row.fields, recognised=row.recognised, standing=row.standing)


def held_of_report(report: VerificationReport, text: str, t: i18n.Translator) -> Held:
    """What a credential verified now states (``text``: JSON or a VC-JWT), read as the wallet
    reads it."""
    try:
        document = lenient_loads(text) if text.lstrip().startswith("{") else jws_payload(text)
    except (ValueError, RecursionError):
        document = None
    parts = parts_of(report)
    entry = entry_of(report.meaning, document if isinstance(document, Mapping) else None,
                     recognition=recognition_in(report), parts=parts or None)
    return Held(entry=entry, title=entry_title(entry, t),
                credits=tuple(credit_text(t, system, amount) for system, amount in entry.credits),
                levels=tuple((level_text(t, framework, level), framework_name(t, framework))
                             for framework, level in entry.levels),
                fields=tuple(t.field(value) for value in entry.fields),
                recognised=recognised_of(entry, t))


def verify_url(public_url: str, credential_id: str) -> str:
    """The public verification page of a credential issued here (where QR codes lead)."""
    return f"{public_url.rstrip('/')}/verify/{quote(credential_id, safe=':')}"


def _logo(runtime: Runtime, report: VerificationReport) -> str | None:
    """The organisation's logo, when the credential is its own signed word: the issuer is the
    organisation the registry names for the programme."""
    meaning = report.meaning
    registry = meaning.registry if meaning is not None else None
    if not report.attested or not registry or meaning is None or meaning.issuer_id is None:
        return None
    slug = registry.get("organisation")
    if not isinstance(slug, str) or registry.get("organisation_did") != meaning.issuer_id:
        return None
    return f"/providers/{quote(slug)}/logo" if logos.logo(runtime, organisation=slug) else None


def page_of(runtime: Runtime, *, held: Held, result: Result, t: i18n.Translator,
            link: str | None, credential_id: str | None,
            downloads: Downloads = Downloads()) -> CredentialPage:
    """The page of one credential. ``link`` is the address the reader may copy and add to
    LinkedIn (the share's, or ``/verify/{id}``); ``credential_id`` the id of a credential
    issued here."""
    entry = held.entry
    title = held.title.text if held.title else str(t("wallet.untitled"))
    report = result.report
    public_url = runtime.settings.public_url
    badge = (badge_src(entry.achievement_id, public_url)
             if result.attested and entry.credit is None else None)
    issuer = (result.verdict.issuer_name(t.language) or entry.issuer_in(t.language)
              or entry.issuer_id or "")
    linkedin = None
    if link is not None and entry.issued is not None:
        linkedin = linkedin_add_url(name=title, organisation_name=issuer,
                                    issued_on=entry.issued.date(), cert_url=link,
                                    cert_id=credential_id or link)
    technical = tuple((key, value) for key, value in (
        ("credential.page.id", credential_id), ("credential.page.issuer_id", entry.issuer_id),
        ("credential.page.achievement_id", entry.achievement_id)) if value)
    return CredentialPage(held=held, result=result, title=title, badge=badge,
                          logo=_logo(runtime, report), link=link, linkedin=linkedin,
                          downloads=downloads, checked_at=runtime.now(), technical=technical)


def preview_image(public_url: str, pages: Iterable[CredentialPage]) -> str | None:
    """The image a social network's preview of the link shows (``og:image``): the first
    badge the pages show, as PNG (which every network reads; the pages' own are SVG) — so
    only of a credential its issuer signed as it reads, never a credit recognition's."""
    first = next((page.badge for page in pages if page.badge), None)
    return f"{public_url.rstrip('/')}{first.removesuffix('.svg')}.png" if first else None


def wallet_page(runtime: Runtime, item: WalletItem, result: Result, t: i18n.Translator,
                *, link: str | None, downloads: Downloads = Downloads()) -> CredentialPage:
    """The page of a wallet item (the holder's own, a share's or the public profile's)."""
    row = row_of(item, t, runtime.now())
    return page_of(runtime, held=held_of_row(row), result=result, t=t, link=link,
                   credential_id=item.credential_id, downloads=downloads)
