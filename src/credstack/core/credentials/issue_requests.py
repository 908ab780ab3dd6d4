"""What an issuer does to a credential it is asked to sign (W3C VC-API ``/credentials/issue``).

*Verifiable Credentials API v0.3*, W3C CCG Draft Community Group Report,
https://w3c-ccg.github.io/vc-api/#issue-credential — read with the W3C test suites'
expectations (``../shared/ref/CONFORMANCE.md`` §1–§3).

:func:`prepare` turns the request's credential into the document to sign, or raises
:class:`~credstack.errors.InputError` naming each field it cannot accept:

* ``@context``: a credential without one gets the VC 2.0 context (the suites accept
  injecting it). The first context must be VC 2.0 or VC 1.1. A VC 1.1 credential signed with
  Data Integrity gets the Data Integrity v2 context appended (VC 1.1 does not define
  ``DataIntegrityProof``).
* ``issuer``: when absent, the server's issuer is set (as a string), and an issuer object
  without an ``id`` gets the server's; an issuer that is named must be one the server signs
  for (its did:web or one of its keys' did:key).
* ``id``: a credential without one gets the ``urn:uuid`` the caller chose, so that it can
  be revoked or suspended later by id.
* ``issuanceDate``: a VC 1.1 credential without one gets the time of issue (VC Data Model
  1.1 §4.6: "A credential MUST have an issuanceDate property"; the issuer is who knows it).
  A VC-JWT of it carries the same date, so credstack's own verifier accepts what it signed.
* ``credentialStatus``: entries are added only when asked for — VC-API
  ``options.credentialStatus``, or the caller's ``purposes`` (a programme's revocation) —
  and never to a VC 1.1 credential whose ``@context`` lacks the Bitstring Status List
  context (the request is refused, naming it: credstack does not change the contexts the
  caller chose). An entry of that type given with only ``type`` and ``statusPurpose`` is
  filled in. A complete or malformed one is refused: credstack publishes only the lists it
  manages, and a status it cannot change would be a promise it cannot keep. Entries of
  other types are signed as they are.
* ``proof``: proofs the credential already carries are kept; the issuer's proof joins them
  as a proof set (Data Integrity §2.1.1).
* An Open Badges 3.0 credential (``OpenBadgeCredential`` or ``AchievementCredential``) gets
  what Open Badges requires and the issuer knows, so that it passes credstack's own Open
  Badges check: the issuer as its ``Profile`` object (when the request names the issuer
  only by identifier, or not at all; a profile object without a ``type`` gets
  ``Profile``) and, in a VC 2.0 credential without one, ``validFrom``: the time of issue.
* Last, the document goes through the verifier's own VC Data Model gate
  (:func:`credstack.core.verification.data_model.credential_problems`): what the verifier
  would refuse is refused here, each problem naming its rule and where it is, and nothing
  is signed.

:func:`add_status_entries` then writes the allocated entries in. Everything here is pure.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from credstack.core.credentials.type_names import type_names
from credstack.core.status import StatusEntry
from credstack.core.verification.data_model import ResourceReader, credential_problems
from credstack.errors import InputError, Problem, StatusListError

__all__ = [
    "BITSTRING_CONTEXT_URL",
    "DATA_INTEGRITY_CONTEXT_URL",
    "DEFAULT_PURPOSES",
    "VC_V1_CONTEXT_URL",
    "VC_V2_CONTEXT_URL",
    "Prepared",
    "add_status_entries",
    "prepare",
    "requested_purposes",
]

VC_V2_CONTEXT_URL: Final = "https://www.w3.org/ns/credentials/v2"
VC_V1_CONTEXT_URL: Final = "https://www.w3.org/2018/credentials/v1"
DATA_INTEGRITY_CONTEXT_URL: Final = "https://w3id.org/security/data-integrity/v2"
BITSTRING_CONTEXT_URL: Final = "https://www.w3.org/ns/credentials/status/v1"
ENTRY_TYPE: Final = "BitstringStatusListEntry"
#: The credential types Open Badges 3.0's rules apply to.
OPEN_BADGE_TYPES: Final = frozenset({"OpenBadgeCredential", "AchievementCredential"})
#: The purposes an entry is added for when the caller asks for status without naming one
#: (and the purposes of a decision credstack itself issues and may revoke or suspend).
DEFAULT_PURPOSES: Final = ("revocation", "suspension")
#: The purposes credstack keeps lists for.
MANAGED_PURPOSES: Final = ("revocation", "suspension")


@dataclass(frozen=True, slots=True)
class Prepared:
    """A credential ready for its status entries and its proof."""

    document: dict[str, Any]
    #: The purposes to allocate an entry for, in the order they are written.
    purposes: tuple[str, ...]
    #: Where the entries go: the indexes of the partial entries to fill in the request's
    #: ``credentialStatus`` list, or ``None`` to add the entries as ``credentialStatus``.
    fill: tuple[int, ...] | None


def requested_purposes(option: object, default: Sequence[str] = ()) -> tuple[str, ...]:
    """The purposes VC-API ``options.credentialStatus`` asks for; ``None`` (the caller asks
    for none): ``default``, none unless the caller's programme asks for some.

    Accepts ``{"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}``, a list
    of such objects, or ``statusPurpose`` given as a list.
    """
    if option is None:
        return tuple(default)
    items = option if isinstance(option, list) else [option]
    purposes: list[str] = []
    problems: list[Problem] = []
    for position, item in enumerate(items):
        where = "options.credentialStatus" + (f"[{position}]" if isinstance(option, list)
                                              else "")
        if not isinstance(item, Mapping):
            problems.append(Problem(where, "must be an object with type and statusPurpose"))
            continue
        if item.get("type", ENTRY_TYPE) != ENTRY_TYPE:
            problems.append(Problem(f"{where}.type", f"credstack issues {ENTRY_TYPE} entries, "
                                                     f"not {item.get('type')!r}"))
            continue
        wanted = item.get("statusPurpose", list(DEFAULT_PURPOSES))
        for purpose in wanted if isinstance(wanted, list) else [wanted]:
            if purpose not in MANAGED_PURPOSES:
                problems.append(Problem(f"{where}.statusPurpose",
                                        f"credstack keeps lists for "
                                        f"{' and '.join(MANAGED_PURPOSES)}, not {purpose!r}"))
            elif purpose not in purposes:
                purposes.append(purpose)
    if problems:
        raise InputError("options.credentialStatus cannot be used", problems=problems)
    return tuple(purposes)


def _contexts(credential: dict[str, Any], data_integrity: bool, v1_jwt: bool,
              problems: list[Problem]) -> list[Any]:
    if "@context" not in credential:
        return [VC_V2_CONTEXT_URL]
    contexts = credential["@context"]
    if isinstance(contexts, str):
        contexts = [contexts]
    if not isinstance(contexts, list) or not contexts:
        problems.append(Problem("credential.@context", "must be a list of contexts that "
                                                       f"starts with {VC_V2_CONTEXT_URL}"))
        return []
    if contexts[0] not in {VC_V2_CONTEXT_URL, VC_V1_CONTEXT_URL}:
        problems.append(Problem("credential.@context[0]",
                                f"must be {VC_V2_CONTEXT_URL} (or, for a VC 1.1 credential, "
                                f"{VC_V1_CONTEXT_URL}), not {contexts[0]!r}"))
        return []
    if contexts[0] == VC_V1_CONTEXT_URL and not data_integrity and not v1_jwt:
        # Securing Verifiable Credentials using JOSE and COSE (W3C Recommendation, 2025)
        # secures VC Data Model 2.0 credentials only; VC 1.1 under typ vc+sd-jwt or vc+cose
        # would claim a media type the document is not (issue 58). A VC 1.1 credential as a
        # JWT is VC Data Model 1.1 §6.3.1's own JWT (typ JWT, the credential in a vc claim).
        problems.append(Problem("credential.@context[0]", code="issuing.api.jose_vc2_only",
                                params={"context": VC_V2_CONTEXT_URL}))
        return []
    contexts = list(contexts)
    if contexts[0] == VC_V1_CONTEXT_URL and data_integrity \
            and DATA_INTEGRITY_CONTEXT_URL not in contexts:
        contexts.append(DATA_INTEGRITY_CONTEXT_URL)
    return contexts


def _issuer(credential: dict[str, Any], issuer_id: str, accepted: frozenset[str],
            problems: list[Problem]) -> Any:
    if "issuer" not in credential:
        return issuer_id
    issuer = credential["issuer"]
    if isinstance(issuer, Mapping) and "id" not in issuer:
        # A profile without its identifier (the W3C suite's issuer-object input): the
        # server's is the only one it can be signed as.
        return {"id": issuer_id, **issuer}
    named = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    where = "credential.issuer" + (".id" if isinstance(issuer, Mapping) else "")
    if not isinstance(named, str):
        problems.append(Problem(where, "must be the issuer's identifier (a string); leave "
                                       "issuer out and the server sets its own"))
    elif named not in accepted:
        problems.append(Problem(where, f"{named} is not an issuer this server signs for; "
                                       f"leave issuer out or use {issuer_id}"))
    return issuer


def _partial_entries(value: object, problems: list[Problem]) -> tuple[list[Any], list[int],
                                                                       list[str]]:
    """The request's status entries, the positions to fill, and their purposes."""
    entries = list(value) if isinstance(value, list) else [value]
    fill: list[int] = []
    purposes: list[str] = []
    for position, entry in enumerate(entries):
        where = "credential.credentialStatus" + (f"[{position}]" if isinstance(value, list)
                                                 else "")
        if not isinstance(entry, Mapping) or ENTRY_TYPE not in type_names(entry.get("type")):
            continue
        if "statusListIndex" in entry or "statusListCredential" in entry:
            try:
                StatusEntry.parse(entry, location=where)
            except StatusListError as exc:
                problems.extend(exc.problems)
                continue
            problems.append(Problem(where, "names a status list this issuer does not manage: "
                                           "leave statusListIndex and statusListCredential "
                                           "out and the issuer allocates them"))
            continue
        purpose = entry.get("statusPurpose")
        if purpose not in MANAGED_PURPOSES:
            problems.append(Problem(f"{where}.statusPurpose",
                                    f"credstack keeps lists for "
                                    f"{' and '.join(MANAGED_PURPOSES)}, not {purpose!r}"))
            continue
        fill.append(position)
        purposes.append(purpose)
    return entries, fill, purposes


def prepare(credential: object, *, issuer_id: str, accepted_issuers: Sequence[str],
            credential_id: str, data_integrity: bool, v1_jwt: bool = False,
            purposes: Sequence[str] = (), purposes_asked: bool = True,
            issuer_profile: Mapping[str, Any] | None = None,
            issued_at: dt.datetime | None = None,
            read_resource: ResourceReader | None = None) -> Prepared:
    """The document to sign for a VC-API issue request (see the module docstring).

    ``issuer_id`` is the server's issuer, ``accepted_issuers`` every identifier it signs
    for, ``credential_id`` the ``urn:uuid`` to give a credential without an ``id``,
    ``data_integrity`` whether the proof will be a Data Integrity proof (not a VC-JWT),
    ``v1_jwt`` whether a VC 1.1 credential will be a VC Data Model 1.1 JWT (the securing is
    ``vc-jwt``; SD-JWT and COSE secure VC 2.0 only),
    ``purposes`` the status purposes to add when the credential carries no status
    (``purposes_asked``: the caller asked for them; otherwise they are the server's default,
    which a VC 1.1 credential without the status context goes without rather than being
    refused), and
    ``issuer_profile`` (the issuer's Open Badges ``Profile``) and ``issued_at`` (an aware
    time) what an Open Badges credential is completed with (and a VC 1.1 one without an
    ``issuanceDate``); ``read_resource`` the bytes of the resources credstack holds, for the
    digests of ``relatedResource``.
    """
    if not isinstance(credential, Mapping):
        raise InputError("the credential must be a JSON object", problems=[
            Problem("credential", "must be a JSON object")])
    document = dict(credential)
    problems: list[Problem] = []
    contexts = _contexts(document, data_integrity, v1_jwt, problems)
    issuer = _issuer(document, issuer_id, frozenset([issuer_id, *accepted_issuers]), problems)
    fill: tuple[int, ...] | None = None
    wanted = tuple(purposes)
    if "credentialStatus" in document:
        entries, positions, wanted_list = _partial_entries(document["credentialStatus"],
                                                           problems)
        fill, wanted = tuple(positions), tuple(wanted_list)
        document["credentialStatus"] = entries if isinstance(
            document["credentialStatus"], list) else entries[0]
    if wanted and contexts and contexts[0] == VC_V1_CONTEXT_URL \
            and BITSTRING_CONTEXT_URL not in contexts and fill is None and not purposes_asked:
        wanted = ()
    if wanted and contexts and contexts[0] == VC_V1_CONTEXT_URL \
            and BITSTRING_CONTEXT_URL not in contexts:
        problems.append(Problem(
            "options.credentialStatus",
            f"a VC 1.1 credential gets a status entry only when its @context includes "
            f"{BITSTRING_CONTEXT_URL}; add it, or ask for no status",
            f"VC 1.1 の証明書に状態エントリーを付けるには @context に {BITSTRING_CONTEXT_URL} "
            "が必要です。追加するか、状態を求めないでください", rule="status-context"))
    if problems:
        raise InputError("the credential cannot be issued", problems=problems)
    ordered: dict[str, Any] = {"@context": contexts}
    if "id" not in document:
        ordered["id"] = credential_id
    ordered.update((key, value) for key, value in document.items() if key != "@context")
    ordered["issuer"] = issuer
    if OPEN_BADGE_TYPES & set(type_names(document.get("type"))):
        _complete_open_badge(ordered, issuer_profile, issued_at)
    if contexts[0] == VC_V1_CONTEXT_URL and "issuanceDate" not in ordered \
            and issued_at is not None:
        ordered["issuanceDate"] = _stamp(issued_at)
    _gate(ordered, read_resource)
    return Prepared(ordered, wanted, fill)


def _stamp(moment: dt.datetime) -> str:
    """An aware time as an XML Schema dateTimeStamp in UTC, to the second."""
    return moment.astimezone(dt.UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _gate(document: Mapping[str, Any], read_resource: ResourceReader | None) -> None:
    """The VC Data Model gate the verifier runs (:func:`~credstack.core.verification.
    data_model.credential_problems`): what it would refuse is not signed."""
    problems: list[Problem] = []
    credential_problems(document, problems, [], read_resource=read_resource)
    if problems:
        placed = [dataclasses.replace(problem, location=f"credential.{problem.location}")
                  for problem in problems]
        raise InputError(code="credentials.issue.rules_broken",
                         params={"count": len(placed), "location": problems[0].location,
                                 "first": problems[0]}, problems=placed)


def _complete_open_badge(document: dict[str, Any], profile: Mapping[str, Any] | None,
                         issued_at: dt.datetime | None) -> None:
    """Write in what Open Badges 3.0 requires of ``document`` and the issuer knows."""
    issuer = document["issuer"]
    if isinstance(issuer, str) and profile is not None:
        document["issuer"] = {**profile, "id": issuer}
    elif isinstance(issuer, Mapping) and "type" not in issuer:
        document["issuer"] = {**issuer, "type": ["Profile"]}
    if (issued_at is not None and "validFrom" not in document
            and VC_V2_CONTEXT_URL in document["@context"][:1]):
        document["validFrom"] = _stamp(issued_at)


def add_status_entries(prepared: Prepared, entries: Sequence[Mapping[str, Any]]
                       ) -> dict[str, Any]:
    """The prepared document with ``entries`` (one per purpose, in order) written in."""
    if len(entries) != len(prepared.purposes):
        raise ValueError("one status entry per prepared purpose is needed")
    document = dict(prepared.document)
    if not entries:
        return document
    if prepared.fill is None:
        document["credentialStatus"] = dict(entries[0]) if len(entries) == 1 else [
            dict(entry) for entry in entries]
        return document
    existing = document["credentialStatus"]
    items = list(existing) if isinstance(existing, list) else [existing]
    for position, entry in zip(prepared.fill, entries, strict=True):
        given = items[position]
        items[position] = {**entry, **({"id": given["id"]} if "id" in given else {})}
    document["credentialStatus"] = items if isinstance(existing, list) else items[0]
    return document
