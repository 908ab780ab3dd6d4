"""The status step: every credentialStatus entry checked against its status list — a Bitstring
Status List, or a Status List 2021 list of older credentials. What it says is said as message
keys (``verification.check.status.…``) with their parameters; the runner words them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any, Final

import orjson

from credstack.core.said import Said
from credstack.core.status import (
    MINIMUM_ENTRIES,
    StatusEntry,
    StatusListCredential,
    StatusResult,
    status_list_2021,
)
from credstack.core.status import check_status as status_in_list
from credstack.core.status.bitstring_status_list_v1 import LIST_CREDENTIAL_TYPE, said_of_error
from credstack.core.verification import json_values
from credstack.core.verification.checks import (
    Refusal,
    failed,
    not_checked,
    once,
    passed,
    refused,
    said_of_refusal,
)
from credstack.core.verification.json_values import credstack_cause, items
from credstack.core.verification.pipeline.proof import secure
from credstack.core.verification.pipeline.seams import BITSTRING_ENTRY, VerificationState, issuer_id
from credstack.core.verification.proofs import proof_refusal
from credstack.core.verification.reading import unread
from credstack.core.verification.report import Check, CheckKind, Missing, Notice
from credstack.errors import CredstackError, NotFoundError, OutOfReachError, StatusListError

__all__ = ["check_status"]


#: Each status entry type credstack reads: how to read an entry, and the type of the status
#: list credential it points at.
_ENTRY_KINDS: Final[Mapping[str, tuple[Callable[..., StatusEntry], str]]] = {
    BITSTRING_ENTRY: (StatusEntry.parse, LIST_CREDENTIAL_TYPE),
    status_list_2021.ENTRY_TYPE: (status_list_2021.parse_entry,
                                  status_list_2021.LIST_CREDENTIAL_TYPE),
}
#: How a status list credential is read, by its type.
_LIST_READERS: Final[Mapping[str, Callable[[Any], StatusListCredential]]] = {
    LIST_CREDENTIAL_TYPE: StatusListCredential.parse,
    status_list_2021.LIST_CREDENTIAL_TYPE: status_list_2021.parse_list_credential,
}


def _status_list(state: VerificationState, url: str, wanted: str) -> StatusListCredential:
    """The status list credential at ``url``: fetched once, its proof and issuer verified; it
    must be of the ``wanted`` type (the one the entry's type points at)."""
    found = once(state.status_lists, url, lambda: _fetch_status_list(state, url, wanted))
    if found.credential_type != wanted:
        raise _unavailable(url, Said("verification.check.status.list_wrong_type",
                                     found=found.credential_type, wanted=wanted))
    return found


def _unavailable(url: str, why: Said, code: str = "status-unavailable", *,
                 missing: Missing | None = None) -> Refusal:
    """The status list at ``url`` does not answer (``why``); with ``missing``, because it (or
    the key it is signed with) was out of reach — then the status is undecided, not failed."""
    return Refusal(code, Said("verification.check.status.list_unavailable", url=url, why=why),
                   missing=missing, statusListCredential=url)


def _fetch_status_list(state: VerificationState, url: str, wanted: str
                       ) -> StatusListCredential:
    assert state.fetch_status_list is not None
    try:
        document = state.fetch_status_list(url)
    except OutOfReachError as exc:
        raise _unavailable(url, Said("verification.check.status.list_not_fetched",
                                     detail=exc.message),
                           missing=Missing("status-list", exc.why, url, exc.message)) from None
    except NotFoundError as exc:
        raise _unavailable(url, Said("verification.check.status.list_not_available",
                                     detail=exc.message),
                           missing=Missing("status-list", "not-found", url, exc.message)
                           ) from None
    except OSError as exc:
        raise _unavailable(url, Said("verification.check.status.list_not_fetched",
                                     detail=str(exc)),
                           missing=Missing("status-list", "unreachable", url, str(exc))
                           ) from None
    except (CredstackError, ValueError) as exc:
        raise _unavailable(url, Said("verification.check.status.list_fetch_failed",
                                     detail=str(exc))) from None
    if document is None:
        raise _unavailable(url, Said("verification.check.status.list_gone"),
                           missing=Missing("status-list", "not-found", url,
                                           f"{url} was not found (HTTP 404/410)"))
    if not isinstance(document, Mapping):
        raise _unavailable(url, Said("verification.check.status.list_not_object"))
    try:
        signers, _ = secure(document, state)
    except Refusal as refusal:
        raise _unavailable(url, Said("verification.check.status.list_not_secured",
                                     reason=said_of_refusal(refusal)),
                           "status-list-unverified", missing=refusal.missing) from None
    except Exception as error:
        cause = credstack_cause(error)
        if cause is None:
            raise
        failure = proof_refusal(cause, state.subject)
        raise _unavailable(url, Said("verification.check.status.list_not_verified",
                                     reason=said_of_refusal(failure)),
                           "status-list-unverified", missing=failure.missing) from None
    issuer = issuer_id(document)
    if issuer is None or issuer not in [signer.controller for signer in signers]:
        raise _unavailable(url, Said("verification.check.status.list_not_own_issuer",
                                     issuer=str(issuer)), "status-list-unverified")
    # Read as the type the list says it is; a list that says neither is read as the entry
    # wants, which names the missing type.
    types = json_values.types(document.get("type")) or ()
    read = next((_LIST_READERS[kind] for kind in types if kind in _LIST_READERS),
                _LIST_READERS[wanted])
    try:
        return _read(state, read, document)
    except StatusListError as exc:
        raise _unavailable(url, Said("verification.check.status.list_malformed",
                                     detail=said_of_error(exc))) from None


def _read(state: VerificationState, read: Callable[[Any], StatusListCredential],
          document: Mapping[str, Any]) -> StatusListCredential:
    """``read(document)``, its list expanded; with a memo of what verified
    (``state.proof_memo``), a list read before — the same JSON, by the SHA-256 of its sorted
    form — is taken from it, not expanded again (a status list of 131,072 entries is 16 KB
    to inflate). Its validity period is still checked at each use."""
    memo = state.proof_memo
    if memo is None:
        return read(document)
    try:
        digest = hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).digest()
    except TypeError:  # JSON orjson cannot write
        return read(document)
    key = ("status-list", read, digest)
    found: StatusListCredential | None = memo.get(key)
    if found is None:
        found = read(document)
        memo[key] = found
    return found


def _one_status(state: VerificationState, item: Any, where: str) -> StatusResult:
    if not isinstance(item, Mapping):
        raise Refusal("status-malformed",
                      Said("verification.check.status.entry_not_object", where=where))
    types = json_values.types(item.get("type")) or ()
    kind = next((kind for kind in types if kind in _ENTRY_KINDS), None)
    if kind is None:
        named = item.get("type")
        raise Refusal("status-unsupported",
                      Said("verification.check.status.entry_unsupported", method=repr(named),
                           kinds=" and ".join(_ENTRY_KINDS)), type=named)
    parse, wanted = _ENTRY_KINDS[kind]
    try:
        entry = parse(item, location=where)
    except StatusListError as exc:
        raise Refusal("status-malformed",
                      Said("verification.check.status.entry_malformed",
                           detail=said_of_error(exc))) from None
    status_list = _status_list(state, entry.list_credential, wanted)
    try:
        # A list shorter than the 131,072 entries group privacy asks for still answers for
        # its own entries: that shortfall is the issuer's privacy problem, said as a notice
        # (see check_status), not a reason to doubt the credential.
        return status_in_list(entry, status_list, now=state.now, minimum_entries=1)
    except StatusListError as exc:
        raise _unavailable(entry.list_credential,
                           Said("verification.check.status.list_cannot_answer",
                                detail=said_of_error(exc))) from None


def check_status(state: VerificationState) -> Check:
    """``status``: each ``BitstringStatusListEntry`` (or ``StatusList2021Entry``) against its
    fetched, verified list."""
    credential = state.credential
    if credential is None:
        return unread("status", state.subject)
    value = credential.get("credentialStatus")
    if value is None:
        return passed("status", Said("verification.check.status.none"), code="no-status",
                      entries=[])
    if state.signers is None:
        return not_checked("status", Said("verification.check.status.unproven"))
    if state.fetch_status_list is None:
        return Check("status", None, "", "", {}, code="not-checked", kind=CheckKind.INFO,
                     said=Said("verification.check.status.told_not_to"),
                     warnings=(Notice("status-not-checked",
                                      said=Said("verification.check.status.not_checked")),))
    entries: list[dict[str, Any]] = []
    refusals: list[Refusal] = []
    results: list[StatusResult] = []
    for index, item in enumerate(items(value)):
        where = f"credentialStatus[{index}]" if isinstance(value, list) else "credentialStatus"
        try:
            result = _one_status(state, item, where)
        except Refusal as refusal:
            refusals.append(refusal)
            reason = state.words(refusal.said, "en") if refusal.said else refusal.en
            entries.append({"location": where, "outcome": refusal.code, "reason": reason})
            continue
        results.append(result)
        outcome = "revoked" if result.revoked else "suspended" if result.suspended else (
            "valid" if result.valid else "set")
        entries.append({"location": where, "outcome": outcome, "purpose": result.purpose,
                        "index": result.index, "status": result.status,
                        "message": result.message,
                        "statusListCredential": result.list_credential})
    issuer = issuer_id(credential)
    notices = [Notice("status-list-issuer",
                      said=Said("verification.check.status.list_other_issuer", url=url,
                                list_issuer=known.issuer, issuer=str(issuer)))
               for url, known in state.status_lists.items()
               if isinstance(known, StatusListCredential) and known.issuer != issuer]
    # The figures are given as text with their thousands separated, as always said.
    notices += [Notice("status-list-short",
                       said=Said("verification.check.status.list_short", url=url,
                                 bits=f"{len(known.bitstring) * 8:,}",
                                 minimum=f"{MINIMUM_ENTRIES:,}"))
                for url, known in state.status_lists.items()
                if isinstance(known, StatusListCredential)
                and len(known.bitstring) * 8 < MINIMUM_ENTRIES]
    revoked = [result for result in results if result.revoked]
    suspended = [result for result in results if result.suspended]
    if revoked:
        return failed("status", "revoked",
                      Said("verification.check.status.revoked", list=revoked[0].list_credential,
                           index=revoked[0].index), warnings=notices, entries=entries)
    if suspended:
        return failed("status", "suspended",
                      Said("verification.check.status.suspended",
                           list=suspended[0].list_credential, index=suspended[0].index),
                      warnings=notices, entries=entries)
    # A refusal that proves something (a malformed entry, a forged list) fails the check;
    # when every one is only out of reach, the status is undecided.
    proven = [refusal for refusal in refusals if refusal.missing is None]
    if proven:
        return failed("status", proven[0].code, proven[0].said or proven[0].en, proven[0].ja,
                      warnings=notices, entries=entries)
    if refusals:
        return refused("status", refusals[0], notices)
    return passed("status", Said("verification.check.status.valid", count=len(results)),
                  warnings=notices, entries=entries)
