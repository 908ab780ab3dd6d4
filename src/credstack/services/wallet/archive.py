"""Data portability: the whole wallet as one archive, and closing the account.

The archive is a ZIP file a learner can keep, read and take elsewhere (Japan's APPI and the
GDPR both expect it):

``manifest.json``
    What is in the archive: the holder DID and identifiers, each credential's file, its
    SHA-256, format, source, dates, latest check, tags, note and collections, the
    collections, and the LMS accounts linked to this one (``lms_identities``: the LMS, its
    issuer, the user id, name and address it gave, when linked); ``format`` and ``version``
    name this layout.
``credentials/<id>.<ext>``
    Each credential exactly as it was imported (byte for byte: the SHA-256 in the manifest
    is of these bytes).
``reports/<id>.json``
    The verification report made when it was imported.
``clr.json``
    A CLR 2.0 of the credentials that verify and can go in one, signed with the holder key
    (when there are any).
``README.txt``
    What the files are, in the learner's language (``language``: a language with a
    catalogue, ``zh-Hans`` spelt so).

Closing the account (:func:`close_account`) deletes the user and, with it, the whole wallet:
credentials, identifiers, the holder key, collections, share links. It asks for the account's
e-mail address and password again. An account that holds the records of recognition reviews
(an evaluator's reviews, assignments) is not deleted here: those records belong to the
recognition process, and the registry admin disables such an account instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from typing import Any, Final

from credstack.adapters.db.repositories import accounts as account_store
from credstack.adapters.db.repositories import lti as lti_store
from credstack.adapters.db.repositories import review as review_store
from credstack.adapters.db.repositories import wallet_credentials as wallet_store
from credstack.core.access import Action, Actor
from credstack.core.accounts.emails import normalise_email
from credstack.core.said import Said
from credstack.errors import AccessDeniedError, ConflictError, Problem
from credstack.services import audit
from credstack.services.accounts import matches
from credstack.services.runtime import Runtime
from credstack.services.wallet import collections as wallet_collections
from credstack.services.wallet import credentials as wallet_credentials
from credstack.services.wallet.holders import holder, wallet_owner
from credstack.words import words

__all__ = ["ARCHIVE_FORMAT", "close_account", "export_archive"]

ARCHIVE_FORMAT: Final = "credstack-wallet-archive"
_EXTENSIONS: Final = {"application/json": "json", "application/vc+jwt": "jwt",
                      "application/vc+sd-jwt": "sd-jwt", "application/vc+cose": "cose",
                      "image/png": "png", "image/svg+xml": "svg", "application/pdf": "pdf"}

#: What the README says of each file of the archive, in the learner's language.
_README: Final = (("manifest.json", Said("wallet.archive.readme.manifest")),
                  ("credentials/", Said("wallet.archive.readme.credentials")),
                  ("reports/", Said("wallet.archive.readme.reports")),
                  ("clr.json", Said("wallet.archive.readme.clr")))


def _readme(language: str) -> str:
    """``README.txt`` in ``language``: what each file of the archive is."""
    title = words(Said("wallet.archive.readme.title"), language)
    lines = [f"credstack — {title}", ""]
    lines += [f"{name:<20} {words(said, language)}" for name, said in _README]
    return "\n".join(lines) + "\n"


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _lms_identities(runtime: Runtime, user_id: int) -> list[dict[str, Any]]:
    """The LMS accounts linked to the account (read from the store: the LTI service package
    stands above this one), oldest first."""
    with runtime.sessions() as session:
        rows = lti_store.identities_of(session, user_id)
        return [{"lms": name, "issuer": row.issuer, "user_id": row.subject, "name": row.name,
                 "email": row.email, "linked_at": _stamp(row.linked_at if row.linked_at.tzinfo
                                                          else row.linked_at.replace(
                                                              tzinfo=dt.UTC))}
                for row, name in rows]


def export_archive(runtime: Runtime, *, actor: Actor, language: str) -> bytes:
    """The caller's whole wallet as a ZIP archive, its README in ``language`` (see the module
    docstring)."""
    principal = wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    found, identifiers = holder(runtime, actor=actor)
    record = wallet_credentials.record(runtime, actor=actor)
    groups = wallet_collections.collections(runtime, actor=actor)
    buffer = io.BytesIO()
    entries: list[dict[str, Any]] = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in record.items:
            data, _ = wallet_credentials.original(runtime, actor=actor,
                                                  public_id=item.public_id)
            name = f"credentials/{item.public_id}.{_EXTENSIONS.get(item.media_type, 'bin')}"
            archive.writestr(name, data)
            report = wallet_credentials.import_report(runtime, actor=actor,
                                                      public_id=item.public_id)
            archive.writestr(f"reports/{item.public_id}.json",
                             json.dumps(report, ensure_ascii=False, indent=2))
            entries.append({**item.to_dict(), "file": name,
                            "sha256": hashlib.sha256(data).hexdigest(),
                            "report": f"reports/{item.public_id}.json"})
        manifest = {
            "format": ARCHIVE_FORMAT, "version": 1, "exported_at": _stamp(runtime.now()),
            "holder": {"did": found.did, "verification_method": found.verification_method},
            "identifiers": [identifier.to_dict() for identifier in identifiers],
            "totals": record.totals.to_dict(),
            "credentials": entries,
            "collections": [group.to_dict() for group in groups],
            "lms_identities": _lms_identities(runtime, principal.user_id),
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        archive.writestr("README.txt", _readme(language))
    with runtime.transaction() as session:
        audit.record(session, at=runtime.now(), actor=principal.subject,
                     action="wallet.exported", subject=f"user:{principal.user_id}",
                     details={"credentials": len(entries)})
    return buffer.getvalue()


def close_account(runtime: Runtime, *, actor: Actor, email: str, password: str) -> None:
    """Delete the caller's account and whole wallet, once they confirm with their e-mail
    address and password (see the module docstring)."""
    principal = wallet_owner(actor, Action.WALLET_WRITE)
    assert principal.user_id is not None
    now = runtime.now()
    with runtime.transaction() as session:
        row = account_store.user_row(session, principal.user_id)
        assert row is not None
        confirmed = normalise_email(email) == row.email
        if not confirmed or not matches(
                row.password_hash, password, memory_kib=runtime.settings.password_memory_kib):
            raise AccessDeniedError(
                code="wallet.refused.close_needs_credentials",
                problems=[Problem("confirmation", "the e-mail address or password is wrong")])
        if review_store.has_review_records(session, row.id):
            raise ConflictError(
                code="wallet.refused.close_has_reviews")
        held = wallet_store.count(session, user_id=row.id) > 0
        review_store.forget_notifications(session, row.id)
        session.delete(row)
        # Nothing personal in the entry: the account is gone, its number remains.
        audit.record(session, at=now, actor=principal.subject, action="user.deleted",
                     subject=f"user:{principal.user_id}",
                     details={"wallet": held})
