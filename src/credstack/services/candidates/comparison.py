"""Verify several credentials at once and lay them side by side (the employer's page).

An employer gives what a candidate sent: several files (JSON, VC-JWT, a baked badge image, a
signed PDF certificate), several credentials pasted into one box, a Verifiable Presentation
(JSON with a Data Integrity proof, or a VP-JWT), or a share link of this platform's wallets
(``/s/<token>``). :func:`compare` verifies each with the one verifier every page uses
(:func:`~credstack.services.formats.verify_any`), a presentation with
:func:`~credstack.services.verification.service.verify_presentation` (the holder's proof
and binding, then each credential in it), a share link as the link's own page does
(:func:`~credstack.services.wallet.sharing.open_share`: each credential checked now), an
address of one of this site's credentials — its verification page, its badge, certificate or
EDC download — from the store (:mod:`.own_links`), and reads each into a column
(:mod:`credstack.core.verification.comparison`).

Limits, each refused naming the input and why (``vcompare.refusal.…`` message keys the page
words), while every other input is still verified:

* at most :data:`MAX_CREDENTIALS` credentials in one comparison (a presentation or a share
  link counts the credentials it holds); what comes after is left out and listed;
* at most :data:`MAX_TOTAL_BYTES` in all; an input that would go beyond is not read;
* each input: a credential's text up to the pipeline's limit
  (:data:`~credstack.core.verification.MAX_CREDENTIAL_BYTES`), a PDF certificate or a badge
  image up to :data:`~credstack.services.certificates.verification.MAX_PDF_BYTES`; it must
  not be empty, and text must be UTF-8.

Nothing is stored; opening a share link counts a view, as opening it in a browser does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from credstack.core.credentials import securing
from credstack.core.proofs.cryptosuites import vc_cose
from credstack.core.proofs.cryptosuites.vc_jwt import read_header, verify_signature
from credstack.core.said import InLanguages, Said
from credstack.core.verification import MAX_CREDENTIAL_BYTES, VerificationReport
from credstack.core.verification.comparison import (
    Column,
    Comparison,
    PresentationSummary,
    column_of,
    presentation_of,
    presentation_reason,
    reason_of,
    split_pasted,
    unusable,
)
from credstack.core.verification.json_values import jws_payload
from credstack.errors import CredstackError, NotFoundError
from credstack.services import certificates, federation, formats, wallet
from credstack.services import verification as verifier
from credstack.services.candidates import own_links
from credstack.services.runtime import Runtime

__all__ = ["MAX_CREDENTIALS", "MAX_TOTAL_BYTES", "Given", "compare", "pasted"]

#: The most credentials one comparison verifies.
MAX_CREDENTIALS: Final = 20
#: The most bytes one comparison reads, every input together.
MAX_TOTAL_BYTES: Final = 20 * 1024 * 1024

@dataclass(frozen=True, slots=True)
class Given:
    """One input: what the employer calls it (a file's name, "pasted 2"), its bytes or text,
    and whether it was a ``file`` or ``pasted``."""

    label: str
    data: bytes | str
    source: str = "file"


def pasted(text: str, *, word: str = "pasted") -> list[Given]:
    """The credentials pasted into one box, each an input labelled "pasted 1", "pasted 2" …
    (``word`` in the caller's language)."""
    return [Given(f"{word} {index}", piece, "pasted")
            for index, piece in enumerate(split_pasted(text), start=1)]


def _size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size / (1024 * 1024):,.1f} MB".replace(".0 MB", " MB")


def _why(error: CredstackError) -> Said | InLanguages:
    """What a credstack error says: its code where the core raised it so, else its words
    ("English. / 日本語。" split; the one text in both languages when not written so)."""
    if error.code:
        return Said(error.code, **error.params)
    english, slash, japanese = error.message.partition(" / ")
    return InLanguages({"en": english, "ja": japanese} if slash
                       else {"en": error.message, "ja": error.message})


class _Refused(Exception):
    """An input that cannot be verified at all, and why."""

    def __init__(self, why: Said) -> None:
        super().__init__(why.key)
        self.why = why


@dataclass
class _Builder:
    """The comparison as it grows, input by input, within the limits."""

    columns: list[Column] = field(default_factory=list)
    presentations: list[PresentationSummary] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    total: int = 0

    @property
    def room(self) -> int:
        return MAX_CREDENTIALS - sum(1 for column in self.columns if column.problem is None)

    def refuse(self, given: Given, position: int, why: Said) -> None:
        self.columns.append(unusable(label=given.label, position=position, source=given.source,
                                     why=why))


def compare(runtime: Runtime, *, given: Sequence[Given], strict: bool = False,
            access_code: str | None = None, ip: str = "unknown") -> Comparison:
    """Verify every input of ``given`` and lay them side by side (see the module docstring).

    ``strict`` makes conformance findings fail a credential, as on ``/verify``;
    ``access_code`` opens a share link that asks for one; ``ip`` is the caller's address, for
    the share links' limit on failed openings.
    """
    now = runtime.now()
    sources = verifier.VerificationSources.for_runtime(runtime)
    built = _Builder()
    for position, item in enumerate(given, start=1):
        if built.room <= 0:
            built.left_out.append(item.label)
            continue
        data = item.data.encode("utf-8", "surrogatepass") if isinstance(item.data, str) \
            else item.data
        problem = _screen(data, built.total)
        if problem is not None:
            built.refuse(item, position, problem)
            continue
        built.total += len(data)
        text = data.decode("utf-8", "replace").strip() if formats.detect(data) not in {"pdf",
                                                                              "image"} else ""
        link = own_links.own_link(text, public_url=runtime.settings.public_url)
        if isinstance(link, own_links.ShareLink):
            _share(runtime, built, item, position, link.token, access_code, ip)
        elif link is not None:
            _stored(runtime, built, item, position, link, now=now, sources=sources,
                    strict=strict)
        elif formats.detect(data) == "vp":
            _presentation(built, item, position, data, text, now=now, sources=sources,
                          strict=strict)
        else:
            _credential(runtime, built, item, position, data, now=now, sources=sources,
                        strict=strict)
    return Comparison(tuple(_trusted(runtime, column) for column in built.columns),
                      tuple(built.presentations), tuple(built.left_out), MAX_CREDENTIALS)


def _trusted(runtime: Runtime, column: Column) -> Column:
    """``column`` with its issuer's trust check (:func:`credstack.services.federation
    .check_meaning`), as the verification page shows it; a column that could not be read,
    or whose credential its issuer did not sign as it reads (it only claims that issuer), has
    none, and the check never changes its outcome."""
    if column.verdict is None or not column.verdict.attested:
        return column
    issuer = column.verdict.issuer_id
    trust = federation.described(runtime, issuer=issuer, achievement=None)
    return column if trust is None else dataclasses.replace(column, trust=trust)


def _screen(data: bytes, total: int) -> Said | None:
    """Why ``data`` cannot be read, or ``None``."""
    if not data.strip():
        return Said("vcompare.refusal.empty")
    if total + len(data) > MAX_TOTAL_BYTES:
        return Said("vcompare.refusal.over_total", limit=_size_text(MAX_TOTAL_BYTES))
    kind = formats.detect(data)
    if kind in {"pdf", "image"}:
        if len(data) > certificates.MAX_PDF_BYTES:
            return Said("vcompare.refusal.file_too_large", size=_size_text(len(data)),
                        limit=_size_text(certificates.MAX_PDF_BYTES))
        return None
    if len(data) > MAX_CREDENTIAL_BYTES:
        return Said("vcompare.refusal.credential_too_large", size=_size_text(len(data)),
                    limit=_size_text(MAX_CREDENTIAL_BYTES))
    if vc_cose.is_cose(data):
        return None  # a COSE_Sign1 (vc+cose, vp+cose) is binary as it is sent
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return Said("vcompare.refusal.not_text")
    return None


def _document(data: bytes) -> Mapping[str, Any] | None:
    """The credential as JSON (a VC-JWT's claims, what an envelope or a COSE_Sign1
    carries), for its dates and alignments."""
    kind = formats.detect(data)
    text = wallet.credential_text(data, kind if kind in {"pdf", "image"} else "vc")
    value = None if text is None else securing.carried(text)
    return value if isinstance(value, Mapping) else None


def _unreadable(report: VerificationReport) -> Said | None:
    """Why the input is no credential at all (the ``parse`` check failed), or ``None``."""
    parse = report.check("parse")
    if parse is None or not parse.failed:
        return None
    return Said("vcompare.refusal.not_a_credential", reason=reason_of(parse))


def _credential(runtime: Runtime, built: _Builder, item: Given, position: int, data: bytes,
                *, now: dt.datetime, sources: verifier.VerificationSources,
                strict: bool) -> None:
    try:
        report = formats.verify_any(data, now=now, sources=sources, settings=runtime.settings,
                            sessions=runtime.sessions, strict=strict)
    except CredstackError as exc:
        built.refuse(item, position, Said("vcompare.refusal.unreadable", why=_why(exc)))
        return
    problem = _unreadable(report)
    if problem is not None:
        built.refuse(item, position, problem)
        return
    built.columns.append(column_of(report, _document(data), label=item.label,
                                   position=position, source=item.source))


def _stored(runtime: Runtime, built: _Builder, item: Given, position: int,
            link: own_links.CredentialLink, *, now: dt.datetime,
            sources: verifier.VerificationSources, strict: bool) -> None:
    """One of this site's credentials, given as the address of its verification page or of
    one of its files: read from the store (:mod:`.own_links`), and verified as any credential
    is (this server never fetches its own pages)."""
    try:
        document = own_links.stored_document(runtime, link)
    except NotFoundError:
        built.refuse(item, position, Said("vcompare.refusal.not_here"))
        return
    _credential(runtime, built, item, position, document.encode("utf-8"), now=now,
                sources=sources, strict=strict)


def _credentials_of(value: object) -> Iterator[Any]:
    found = value.get("verifiableCredential") if isinstance(value, Mapping) else None
    yield from found if isinstance(found, list) else ([found] if found is not None else [])


def _enclosed_document(credential: object) -> Mapping[str, Any] | None:
    """A credential inside a presentation as JSON: itself, or an enveloped (JWT, SD-JWT,
    COSE) or JWT one's claims."""
    if not isinstance(credential, str | Mapping):
        return None
    found = securing.carried(credential)
    return found if isinstance(found, Mapping) else None


def _presentation(built: _Builder, item: Given, position: int, data: bytes, text: str, *,
                  now: dt.datetime, sources: verifier.VerificationSources,
                  strict: bool) -> None:
    """A presentation: its own checks, then one column per credential it holds. JSON (an
    enveloped one read for what it carries), an SD-JWT and a COSE_Sign1 are verified as
    ``POST /presentations/verify`` verifies them; a JWT by :func:`_vp_jwt`."""
    cose = vc_cose.is_cose(data)
    if cose or text.startswith("{") or "~" in text:
        document = securing.carried(data if cose else text)
        verified = verifier.verify_presentation(data if cose else text, challenge=None,
                                                domain=None,
                                                checks=None, now=now, sources=sources,
                                                strict=strict)
        parse = verified.check("parse")
        if parse is not None and parse.failed:
            built.refuse(item, position, Said("vcompare.refusal.not_a_presentation",
                                              reason=reason_of(parse)))
            return
        summary = presentation_of(verified, document if isinstance(document, Mapping) else None,
                                  label=item.label, position=position)
        credentials = list(_credentials_of(document))
        reports = list(verified.credentials)
    else:
        try:
            summary, credentials, reports = _vp_jwt(text, now=now, sources=sources,
                                                    strict=strict, label=item.label,
                                                    position=position)
        except _Refused as refused:
            built.refuse(item, position, refused.why)
            return
    index = len(built.presentations)
    built.presentations.append(summary)
    for within, (credential, report) in enumerate(zip(credentials, reports, strict=False),
                                                  start=1):
        label = f"{item.label} #{within}"
        if built.room <= 0:
            built.left_out.append(label)
            continue
        problem = _unreadable(report)
        if problem is not None:
            built.columns.append(unusable(label=label, position=position, within=within,
                                          source="presentation", why=problem))
            continue
        built.columns.append(column_of(report, _enclosed_document(credential), label=label,
                                       position=position, within=within,
                                       source="presentation", presentation=index))


def _vp_jwt(token: str, *, now: dt.datetime, sources: verifier.VerificationSources,
            strict: bool, label: str, position: int
            ) -> tuple[PresentationSummary, list[Any], list[VerificationReport]]:
    """A presentation secured as a JWT (VC Data Model 1.1 ``vp`` claim, or a VC 2.0
    ``vp+jwt`` whose payload is the presentation): the holder's signature by the header's
    ``kid``, the holder that key belongs to, then each credential."""
    claims = jws_payload(token)
    if not isinstance(claims, Mapping):
        raise _Refused(Said("vcompare.refusal.not_a_jwt"))
    vp = claims.get("vp") if isinstance(claims.get("vp"), Mapping) else claims
    holder = vp.get("holder") if isinstance(vp, Mapping) else None
    holder = holder.get("id") if isinstance(holder, Mapping) else holder
    holder = holder if isinstance(holder, str) else (
        claims.get("iss") if isinstance(claims.get("iss"), str) else None)
    reasons: list[tuple[str, Said]] = []
    try:
        header = read_header(token)
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise CredstackError(code="vcompare.presentation.no_kid")
        method = kid if kid.startswith("did:") or holder is None else (
            f"{holder}{kid}" if kid.startswith("#") else kid)
        key, controller = sources.resolve_verification_method(method)
        verify_signature(token, key)
        signer = method.partition("#")[0]
        if holder is not None and holder not in {signer, controller}:
            reasons.append(("holder", presentation_reason("holder", Said(
                "vcompare.presentation.holder_not_signer", holder=holder, signer=signer))))
        holder = holder or signer
    except CredstackError as exc:
        reasons.append(("proof", presentation_reason("proof", _why(exc))))
    credentials = list(_credentials_of(vp))
    reports = [verifier.verify(credential, now=now, sources=sources, strict=strict)
               for credential in credentials]
    if not credentials:
        reasons.append(("credentials", presentation_reason(
            "credentials", Said("vcompare.presentation.none"))))
    summary = PresentationSummary(label=label, position=position, holder=holder,
                                  ok=not reasons, reasons=tuple(reasons),
                                  count=len(credentials))
    return summary, credentials, reports


def _share(runtime: Runtime, built: _Builder, item: Given, position: int, token: str,
           access_code: str | None, ip: str) -> None:
    """A share link of this platform: each credential it shows, checked now."""
    try:
        opened = wallet.open_share(runtime, token=token, access_code=access_code, ip=ip)
    except CredstackError as exc:
        built.refuse(item, position, Said("vcompare.refusal.share_link", why=_why(exc)))
        return
    for within, (wallet_item, report) in enumerate(opened.items, start=1):
        label = f"{item.label} #{within}" if len(opened.items) > 1 else item.label
        if built.room <= 0:
            built.left_out.append(label)
            continue
        built.columns.append(column_of(report, None, label=label, position=position,
                                       within=within, source="share",
                                       entry=wallet_item.entry,
                                       known_id=wallet_item.credential_id))
