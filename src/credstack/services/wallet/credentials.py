"""The credentials a learner keeps: imported, verified, kept byte for byte, re-checked.

Import takes whatever the one verifier reads (:func:`~credstack.services.formats
.verify_any`): a credential as JSON or a VC-JWT, Open Badges 2.0 (signed, or
hosted: the URL, fetched through the hardened fetcher), a CLR 2.0, a baked PNG or SVG badge,
a signed PDF certificate. Each import:

1. screens the bytes (size, hostile images and PDFs, nesting: :mod:`credstack.core.wallet
   .uploads`) — nothing hostile is stored;
2. verifies them, and keeps the report;
3. refuses what is not a credential at all (nothing to keep) and a credential that names
   someone else as its recipient (:mod:`credstack.core.wallet.recipients`);
4. keeps everything else **as it came** — a credential that fails a check too, marked with
   the failed check: it is still the learner's property.

A credential is kept once, whatever form it comes in again (:mod:`~credstack.core.wallet.sameness`).
Credentials that organisations on this platform issue to one of the learner's verified
identifiers are delivered into the wallet when it is opened (:func:`deliver_issued`); a
learner who removes one does not get it again.

A credential is re-checked when shown (:func:`check`): revoked, suspended, expired, a
recognition withdrawn are what the latest report says; the report made at import is never
changed.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from credstack.adapters.db.engine import read_json
from credstack.adapters.db.repositories import wallet_credentials as wallet_store
from credstack.adapters.db.transactions import Session
from credstack.adapters.resolvers.fetch import fetch_bytes
from credstack.core.access import Action, Actor
from credstack.core.activity.events import Channel, Kind
from credstack.core.credentials import securing
from credstack.core.elm.summary import summarise
from credstack.core.proofs.cryptosuites import vc_cose
from credstack.core.said import InLanguages
from credstack.core.verification import VerificationReport, verdict_of
from credstack.core.verification.elm import sealed_credential
from credstack.core.wallet import sameness
from credstack.core.wallet.entries import (
    Totals,
    edc_entry,
    entry_of,
    parts_of,
    recognition_in,
    totals_of,
)
from credstack.core.wallet.recipients import RecipientOutcome, recipient_of
from credstack.core.wallet.uploads import UploadKind, UploadLimits, screen
from credstack.errors import (
    CredstackError,
    InputError,
    NotFoundError,
    Problem,
    RecipientMismatchError,
    UnreadableInputError,
)
from credstack.services import audit, certificates, counting, formats, openbadges_v2
from credstack.services import badges as baked
from credstack.services.runtime import Runtime
from credstack.services.wallet.holders import identifiers_of, open_wallet, wallet_owner
from credstack.services.wallet.items import (
    WalletItem,
    fresh_item,
    item_of,
    items_of,
    newest_first,
    not_held,
    owned_row,
)
from credstack.services.wallet.sources import sources

__all__ = ["Imported", "Record", "check", "credential", "deliver_issued",
           "import_credential", "import_url", "original", "recheck", "recheck_all", "record",
           "refresh", "remove", "update"]

#: What an upload may hold (the largest file a wallet keeps: a signed PDF certificate with
#: its fonts fits in 8 MiB).
LIMITS: Final = UploadLimits()
MAX_IMPORT_BYTES: Final = LIMITS.max_bytes
#: The most tags on one credential, and the longest tag.
MAX_TAGS: Final = 20
MAX_TAG_LENGTH: Final = 64
MAX_NOTE_LENGTH: Final = 10_000
#: The media type kept for each format the verifier reads.
_MEDIA_TYPES: Final = {"pdf": "application/pdf", "ob2": "application/json",
                       "clr": "application/json", "vc": "application/json",
                       "edc": "application/json"}
_SOURCES: Final = frozenset({"upload", "paste", "url", "issued"})


@dataclass(frozen=True, slots=True)
class Imported:
    item: WalletItem
    #: False when the same bytes were already in the wallet (nothing new was stored).
    created: bool
    report: VerificationReport | None


@dataclass(frozen=True, slots=True)
class Record:
    """The whole record: every credential, newest first, and what the verified ones add up
    to."""

    items: tuple[WalletItem, ...]
    totals: Totals
    now: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        return {"credentials": [item.to_dict() for item in self.items],
                "totals": self.totals.to_dict()}


# --- reading what was given ---------------------------------------------------------------


def credential_text(data: bytes, kind: str) -> str | None:
    """The credential ``data`` holds, as JSON text or a compact JWS (or SD-JWT): the file
    itself, what a badge image has baked in, what a PDF certificate carries; a ``COSE_Sign1``
    (binary) as the Enveloped Verifiable Credential that carries it (VC Data Model 2.0
    §4.13, as a presentation holds it); ``None`` when there is none to read (a PDF without a
    credential, an image that cannot be read)."""
    try:
        if kind == "image":
            return baked.extract_credential(data).text
        if kind == "pdf":
            return certificates.embedded_credential(data)
        if vc_cose.is_cose(data):
            return json.dumps(securing.enveloped(base64.b64encode(data).decode("ascii"),
                                                 "vc+cose"))
        return data.decode("utf-8").strip().removeprefix("\ufeff")
    except (CredstackError, UnicodeDecodeError):
        return None


def _document_of(data: bytes, kind: str) -> Mapping[str, Any] | None:
    """The credential as JSON, for its recipient and dates: the JSON, what an enveloped one
    carries, a VC-JWT's claims, an SD-JWT's as its disclosures show them (what it withholds
    is not the holder's to be matched on), a COSE payload; ``None`` when there is none to
    read (a PDF without a credential, a baked URL)."""
    text = credential_text(data, kind)
    if text is None:
        return None
    document = securing.carried(text)
    if kind == "edc" and isinstance(document, Mapping):
        # What a sealed EDC (or the EDC Issuer's upload file) says is the credential inside.
        document = sealed_credential(document)
    return document if isinstance(document, Mapping) else None


def _not_a_credential(report: VerificationReport) -> CredstackError | None:
    """Why the input is not a credential at all (nothing to keep), or None."""
    parse = report.check("parse")
    if parse is not None and parse.failed:
        return UnreadableInputError(
            code="wallet.refused.unreadable",
            params={"reason": InLanguages({"en": parse.reason_en, "ja": parse.reason_ja})},
            problems=[Problem("credential", parse.reason_en)])
    if report.meaning is None or not report.meaning.types:
        model = report.check("data-model")
        if model is not None and model.failed:
            return UnreadableInputError(
                code="wallet.refused.no_credential_type",
                problems=[Problem("type", model.reason_en)])
    return None


def _failed_check(report: VerificationReport) -> str | None:
    failed = report.failed or report.errors
    return failed[0].name if failed else None


def _failed_reason(report: VerificationReport) -> str | None:
    """The verdict's code for the first reason it is not verified (``revoked`` …)."""
    verdict = verdict_of(report)
    if verdict.verified or not verdict.reasons:
        return None
    return verdict.reasons[0].code[:64]


def _verify(runtime: Runtime, data: bytes, kind: str) -> VerificationReport:
    return formats.verify_any(data, sources=sources(runtime), now=runtime.now(),
                              settings=runtime.settings, sessions=runtime.sessions, kind=kind)


# --- importing ----------------------------------------------------------------------------


def import_credential(runtime: Runtime, *, actor: Actor, data: bytes, source: str = "upload",
                      filename: str | None = None, media_type: str | None = None,
                      source_url: str | None = None,
                      action: Action = Action.WALLET_WRITE) -> Imported:
    """Verify ``data`` and keep it in the caller's wallet (see the module docstring).

    ``filename`` and ``media_type`` are what the uploader declared, if anything: they must
    not contradict the content (:func:`~credstack.core.wallet.uploads.screen`). ``action``:
    the scope the caller acts under (the REST API's ``credential.upsert``).
    """
    principal = wallet_owner(actor, action)
    assert principal.user_id is not None
    if source not in _SOURCES:
        raise InputError(f"Unknown source {source!r}.")
    screened = screen(data, filename=filename, media_type=media_type, limits=LIMITS)
    if screened.kind is UploadKind.URL:
        if source == "url":
            raise InputError(code="wallet.refused.address_not_credential",
                             problems=[Problem("url", source_url or "")])
        # A pasted address: the hosted credential it names is what is kept.
        return import_url(runtime, actor=actor, url=data.decode("utf-8").strip())
    kind = formats.detect(data)
    if kind == "vp":
        raise InputError(
            code="wallet.refused.presentation",
            problems=[Problem("type", "VerifiablePresentation")])
    report = _verify(runtime, data, kind)
    refusal = _not_a_credential(report)
    if refusal is not None:
        raise refusal
    return _keep(runtime, user_id=principal.user_id, subject=principal.subject, data=data,
                 kind=kind, report=report, source=source, filename=filename,
                 source_url=source_url)


def import_url(runtime: Runtime, *, actor: Actor, url: str) -> Imported:
    """Fetch ``url`` (HTTPS, through the hardened fetcher) and import what it serves."""
    wallet_owner(actor, Action.WALLET_WRITE)
    address = url.strip()
    data = fetch_bytes(address, limit=MAX_IMPORT_BYTES, max_redirects=3)
    if data is None:
        raise NotFoundError(code="wallet.refused.nothing_served", params={"address": address})
    return import_credential(runtime, actor=actor, data=data, source="url",
                             filename=None, source_url=address)


def _keep(runtime: Runtime, *, user_id: int, subject: str, data: bytes, kind: str,
          report: VerificationReport, source: str, filename: str | None,
          source_url: str | None, vouched_for: str | None = None) -> Imported:
    now = runtime.now()
    document = _document_of(data, kind)
    digest = hashlib.sha256(data).hexdigest()
    with runtime.transaction() as session:
        existing = wallet_store.held_by_digest(session, user_id=user_id, digest=digest)
        if existing is not None:
            return Imported(item_of(session, wallet_store.stored(session, existing)), False,
                            report)
        identifiers = identifiers_of(session, user_id)
        if not identifiers:  # an open wallet has at least its holder DID
            open_wallet(session, runtime.key(), user_id=user_id, now=now)
            identifiers = identifiers_of(session, user_id)
        recipient = recipient_of(document, identifiers)
        if recipient.outcome is RecipientOutcome.SOMEONE_ELSE and vouched_for is None:
            places = ", ".join(claim.where for claim in recipient.claims)
            raise RecipientMismatchError(
                code="wallet.refused.someone_else", params={"places": places},
                problems=[Problem(claim.where, f"names a recipient of type {claim.kind}"
                                  + (" (hashed)" if claim.hashed else ""))
                          for claim in recipient.claims])
        public_url = runtime.settings.public_url
        credential_id = _own_id(public_url, document)
        held = _held(session, user_id=user_id, credential_id=credential_id,
                     document=document, kind=kind, public_url=public_url)
        if held is not None:
            return Imported(item_of(session, held), False, report)
        values = dict(
            public_id=secrets.token_hex(16), user_id=user_id, original=data, digest=digest,
            filename=(filename or None) and filename[:255], media_type=_media_type(data, kind),
            kind=kind, source=source, source_url=source_url,
            credential_id=credential_id,
            recipient=recipient.identifier.label() if recipient.identifier else vouched_for,
            imported_at=now, import_report=report.to_dict(),
            entry=(edc_entry(report.meaning, document, summarise(document))
                   if kind == "edc" and document is not None else
                   entry_of(report.meaning, document, recognition=recognition_in(report),
                            parts=parts_of(report) if kind == "clr" else None)).to_dict(),
            outcome=verdict_of(report).outcome.value, failed_check=_failed_check(report),
            failed_reason=_failed_reason(report), checked_at=now, note="")
        row = wallet_store.keep(session, values)
        audit.record(session, at=now, actor=subject, action="wallet.credential.imported",
                     subject=row.public_id,
                     details={"format": kind, "source": source, "outcome": row.outcome,
                              "recipient": recipient.outcome.value})
        if row.credential_id is not None:
            # One of ours claimed into a wallet here: its issuer's view counts it.
            counting.count_in(session, credential_id=row.credential_id, kind=Kind.CLAIMED,
                              at=now, channel=Channel.WALLET)
        return Imported(fresh_item(row), True, report)


#: What carries a credential rather than being one, and is never its newer representation:
#: a PDF certificate.
_CONTAINERS: Final = frozenset({"pdf"})


def _own_id(public_url: str, document: Mapping[str, Any] | None) -> str | None:
    """The id the wallet knows the credential by: the one it states, except that an Open
    Badges 2.0 assertion hosted here is the credential it was converted from."""
    stated = sameness.credential_id(document)
    return stated and (openbadges_v2.assertion_credential(public_url, stated) or stated)


def _held(session: Session, *, user_id: int, credential_id: str | None,
          document: Mapping[str, Any] | None, kind: str, public_url: str
          ) -> Any:
    """The wallet's credential that ``document`` is again, in whatever form either came
    (:mod:`credstack.core.wallet.sameness`; a PDF certificate is its credential whatever
    its dates); ``None`` when it holds none."""
    if credential_id is None or document is None:
        return None
    for row in wallet_store.same_credential(session, user_id=user_id,
                                            credential_id=credential_id):
        if kind in _CONTAINERS:
            return row
        kept = _document_of(bytes(row.original), row.kind)
        if kept is not None and sameness.same_credential(
                document, kept, given_id=credential_id, held_id=_own_id(public_url, kept)):
            return row
    return None


def _media_type(data: bytes, kind: str) -> str:
    if kind == "image":
        return "image/png" if baked.image_format(data) == "png" else "image/svg+xml"
    if vc_cose.is_cose(data):
        return vc_cose.MEDIA_TYPE
    if kind in {"vc", "clr"} and not data.lstrip().startswith(b"{"):
        return "application/vc+sd-jwt" if b"~" in data else "application/vc+jwt"
    return _MEDIA_TYPES.get(kind, "application/octet-stream")


def deliver_issued(runtime: Runtime, *, user_id: int, subject: str) -> int:
    """Import the credentials issued on this platform to the learner's verified identifiers
    that the wallet does not hold yet (nor were removed by the learner); how many."""
    with runtime.sessions() as session:
        names = [identifier.value for identifier in
                 identifiers_of(session, user_id, verified_only=True)]
        if not names:
            return 0
        pending = wallet_store.undelivered(session, user_id, learners=names)
    return _deliver(runtime, user_id=user_id, subject=subject, pending=pending, vouched=False)


def deliver_awarded(runtime: Runtime, *, user_id: int, subject: str,
                    credential_ids: Sequence[str]) -> int:
    """Import the credentials ``credential_ids``, issued on this platform, that the wallet does
    not hold yet (nor were removed by the learner), whatever recipient they name; how many.

    For a credential an issuer awarded to an identity the learner has since proved theirs
    elsewhere (an LMS account they linked, :mod:`credstack.services.lti.identities`): it
    names the address that identity had, which is not one of the wallet's identifiers — and
    does not become one, so that nothing else issued to that address follows it."""
    if not credential_ids:
        return 0
    with runtime.sessions() as session:
        pending = wallet_store.undelivered(session, user_id, credential_ids=credential_ids)
    return _deliver(runtime, user_id=user_id, subject=subject, pending=pending, vouched=True)


def _deliver(runtime: Runtime, *, user_id: int, subject: str,
             pending: Sequence[Any], vouched: bool) -> int:
    delivered = 0
    for document, learner in pending:
        data = document.encode("utf-8")
        kind = formats.detect(data)
        report = _verify(runtime, data, kind)
        try:
            result = _keep(runtime, user_id=user_id, subject=subject, data=data,
                           kind=kind, report=report, source="issued", filename=None,
                           source_url=None, vouched_for=f"email:{learner}" if vouched else None)
        except RecipientMismatchError:
            # Issued to an identifier this learner holds, naming another in the credential:
            # the credential decides, and it is not theirs.
            continue
        delivered += result.created
    return delivered


# --- reading ------------------------------------------------------------------------------


def refresh(runtime: Runtime, *, user_id: int, subject: str) -> None:
    """Before the record is read: the wallet opened (the first time), and what was issued
    to the learner on this platform since delivered into it."""
    with runtime.transaction() as session:
        open_wallet(session, runtime.key(), user_id=user_id, now=runtime.now())
    deliver_issued(runtime, user_id=user_id, subject=subject)


def record(runtime: Runtime, *, actor: Actor, tag: str | None = None,
           collection: str | None = None) -> Record:
    """The caller's record (optionally one tag's or one collection's credentials), after
    delivering what was issued to them on this platform."""
    principal = wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    refresh(runtime, user_id=principal.user_id, subject=principal.subject)
    now = runtime.now()
    with runtime.sessions() as session:
        rows = wallet_store.listed(session, user_id=principal.user_id, tag=tag,
                                   collection=collection)
        items = sorted(items_of(session, rows, owner=principal.user_id),
                       key=lambda item: newest_first(item.entry, item.imported_at),
                       reverse=True)
    return Record(tuple(items), totals_of(item.entry for item in items if item.verified(now)),
                  now)


def credential(runtime: Runtime, *, actor: Actor, public_id: str) -> WalletItem:
    """One of the caller's credentials, as stored (no check)."""
    principal = wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    with runtime.sessions() as session:
        return item_of(session, owned_row(session, principal.user_id, public_id))


def original(runtime: Runtime, *, actor: Actor, public_id: str) -> tuple[bytes, WalletItem]:
    """The bytes as imported, and the item (for the file name and media type)."""
    principal = wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    with runtime.sessions() as session:
        row = owned_row(session, principal.user_id, public_id)
        return bytes(row.original), item_of(session, row)


def import_report(runtime: Runtime, *, actor: Actor, public_id: str) -> dict[str, Any]:
    """The verification report made at import, as it was written then."""
    principal = wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    with runtime.sessions() as session:
        return dict(owned_row(session, principal.user_id, public_id).import_report)


def recheck(runtime: Runtime, *, user_id: int, public_id: str
            ) -> tuple[WalletItem, VerificationReport]:
    """Verify a stored credential again now and keep the outcome as its latest check (the
    owner's page calls this)."""
    return recheck_all(runtime, user_id=user_id, public_ids=[public_id])[0]


def recheck_all(runtime: Runtime, *, user_id: int, public_ids: Sequence[str]
                ) -> list[tuple[WalletItem, VerificationReport]]:
    """:func:`recheck` of several credentials (a shared collection's), in the order given:
    read together, verified one by one, their outcomes kept in one transaction."""
    with runtime.sessions() as session:
        held = wallet_store.originals(session, user_id=user_id, public_ids=public_ids)
    missing = [public_id for public_id in public_ids if public_id not in held]
    if missing:
        raise not_held(missing[0])
    # The format asked afresh: what the verifier reads may have grown since the import.
    reports = [_verify(runtime, held[public_id][1], formats.detect(held[public_id][1]))
               for public_id in public_ids]
    now = runtime.now()
    with runtime.transaction() as session:
        rows = []
        for public_id, report in zip(public_ids, reports, strict=True):
            row_id = held[public_id][0]
            row = wallet_store.record_check(
                session, row_id, outcome=verdict_of(report).outcome.value,
                failed_check=_failed_check(report), failed_reason=_failed_reason(report),
                at=now)
            if row is None:  # removed meanwhile
                raise not_held(public_id)
            # A recognition withdrawn (or granted) since is what the record says from now on.
            recognition = recognition_in(report)
            entry = read_json(row.entry)
            if entry.get("recognition") != recognition:
                row = wallet_store.set_entry(session, row_id,
                                             {**entry, "recognition": recognition})
            rows.append(row)
        return list(zip(items_of(session, rows), reports, strict=True))


def check(runtime: Runtime, *, actor: Actor, public_id: str
          ) -> tuple[WalletItem, VerificationReport]:
    """One of the caller's credentials, verified again now (see :func:`recheck`)."""
    principal = wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    return recheck(runtime, user_id=principal.user_id, public_id=public_id)


# --- organising and removing --------------------------------------------------------------


def _clean_tags(tags: Sequence[str]) -> list[str]:
    cleaned = list(dict.fromkeys(tag.strip() for tag in tags if tag.strip()))
    problems = [Problem(f"tags[{index}]", f"at most {MAX_TAG_LENGTH} characters")
                for index, tag in enumerate(cleaned) if len(tag) > MAX_TAG_LENGTH]
    if len(cleaned) > MAX_TAGS:
        problems.append(Problem("tags", f"at most {MAX_TAGS} tags"))
    if problems:
        raise InputError(code="wallet.refused.tags_invalid", problems=problems)
    return cleaned


def update(runtime: Runtime, *, actor: Actor, public_id: str,
           tags: Sequence[str] | None = None, note: str | None = None) -> WalletItem:
    """Replace a credential's tags and/or its private note."""
    principal = wallet_owner(actor, Action.WALLET_WRITE)
    assert principal.user_id is not None
    if note is not None and len(note) > MAX_NOTE_LENGTH:
        raise InputError(code="wallet.refused.note_too_long",
                         params={"max_note_length": MAX_NOTE_LENGTH},
                         problems=[Problem("note", f"{len(note):,} characters")])
    cleaned = _clean_tags(tags) if tags is not None else None
    now = runtime.now()
    with runtime.transaction() as session:
        row = owned_row(session, principal.user_id, public_id)
        if cleaned is not None:
            wallet_store.set_tags(session, row.id, cleaned)
        if note is not None:
            row.note = note
        audit.record(session, at=now, actor=principal.subject,
                     action="wallet.credential.updated", subject=public_id,
                     details={"tags": cleaned is not None, "note": note is not None})
        session.flush()
        return item_of(session, row)


def remove(runtime: Runtime, *, actor: Actor, public_id: str) -> None:
    """Delete a credential from the wallet (its share links go with it); one issued on this
    platform is not delivered again, whether it was delivered or the learner imported it."""
    principal = wallet_owner(actor, Action.WALLET_WRITE)
    assert principal.user_id is not None
    now = runtime.now()
    with runtime.transaction() as session:
        row = owned_row(session, principal.user_id, public_id)
        if row.credential_id is not None:
            wallet_store.dismiss(session, user_id=principal.user_id,
                                 credential_id=row.credential_id, at=now)
        session.delete(row)
        audit.record(session, at=now, actor=principal.subject,
                     action="wallet.credential.removed", subject=public_id,
                     details={"format": row.kind, "source": row.source})
