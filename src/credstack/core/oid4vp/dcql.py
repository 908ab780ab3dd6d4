"""The Digital Credentials Query Language (OID4VP 1.0 §6) and its evaluation (§6.4, §7).

A query lists Credential Queries (``id``, ``format``, ``meta``, ``claims``, ``claim_sets``,
``multiple``) and, optionally, Credential Sets saying which combinations satisfy it. credstack
reads the three formats it issues and verifies — ``ldp_vc``, ``jwt_vc_json`` and
``dc+sd-jwt`` (``vc+sd-jwt`` read as it) — with ``meta.type_values`` (W3C formats, §B.1.1)
and ``meta.vct_values`` (SD-JWT VC, §B.3.5).

``type_values`` name fully expanded type IRIs; the types credentials of this ecosystem carry
(the VC base type, Open Badges 3.0's and CLR 2.0's) are expanded from a table of the IRIs
their contexts define, without JSON-LD processing (§B.1.1 allows "alternative mechanisms …
equivalent to those produced by JSON-LD processing"); other types compare as written.

:func:`matches` says whether one credential (its format, type, ``vct`` and claims) answers a
Credential Query — every claim path present (and, with ``values``, equal to one of them) —
and :func:`satisfied` whether the ids answered satisfy the query (every required Credential
Set has an option all answered; without sets, every Credential Query answered).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from credstack.errors import ExchangeProtocolError

__all__ = ["FORMATS", "ClaimsQuery", "CredentialQuery", "DcqlQuery", "claims_at", "expanded",
           "matches", "parse", "satisfied"]

FORMATS: Final = ("ldp_vc", "jwt_vc_json", "dc+sd-jwt")
_ALIASES: Final = {"vc+sd-jwt": "dc+sd-jwt"}
_ID: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
_VOCABULARIES: Final = {
    "VerifiableCredential": "https://www.w3.org/2018/credentials#VerifiableCredential",
    "OpenBadgeCredential": "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential",
    "AchievementCredential":
        "https://purl.imsglobal.org/spec/vc/ob/vocab.html#AchievementCredential",
    "EndorsementCredential":
        "https://purl.imsglobal.org/spec/vc/ob/vocab.html#EndorsementCredential",
    "ClrCredential": "https://purl.imsglobal.org/spec/vc/clr/vocab.html#ClrCredential",
}
_MAX_QUERIES: Final = 20


def _bad(said: str, **values: object) -> ExchangeProtocolError:
    return ExchangeProtocolError(error="invalid_request", code="oid4vp.refused.dcql." + said,
                                 params=values)


@dataclass(frozen=True, slots=True)
class ClaimsQuery:
    """One claim asked for: its path (strings, indexes, ``None`` for every element)."""

    path: tuple[str | int | None, ...]
    id: str | None = None
    #: When given, the claim must equal one of these.
    values: tuple[Any, ...] | None = None


@dataclass(frozen=True, slots=True)
class CredentialQuery:
    id: str
    format: str
    meta: Mapping[str, Any]
    claims: tuple[ClaimsQuery, ...] = ()
    multiple: bool = False
    require_cryptographic_holder_binding: bool = True


@dataclass(frozen=True, slots=True)
class DcqlQuery:
    credentials: tuple[CredentialQuery, ...]
    #: Each set: (its options, each a tuple of Credential Query ids; whether required).
    credential_sets: tuple[tuple[tuple[tuple[str, ...], ...], bool], ...] = ()

    def query(self, identifier: str) -> CredentialQuery | None:
        return next((item for item in self.credentials if item.id == identifier), None)


def _claims(value: object, where: str) -> tuple[ClaimsQuery, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        raise _bad("claims", where=where)
    found = []
    for index, entry in enumerate(value):
        path = entry.get("path") if isinstance(entry, Mapping) else None
        if not isinstance(path, list) or not path or not all(
                (isinstance(part, str | int) and not isinstance(part, bool)) or part is None
                for part in path):
            raise _bad("path", where=where, index=index)
        values = entry.get("values")
        if values is not None and (not isinstance(values, list) or not values):
            raise _bad("values", where=where, index=index)
        found.append(ClaimsQuery(tuple(path), entry.get("id"),
                                 tuple(values) if values is not None else None))
    return tuple(found)


def parse(query: object) -> DcqlQuery:
    """Read a DCQL query; :class:`~credstack.errors.ExchangeProtocolError` (``invalid_request``)
    naming what is wrong."""
    if not isinstance(query, Mapping):
        raise _bad("not_object")
    listed = query.get("credentials")
    if not isinstance(listed, list) or not listed or len(listed) > _MAX_QUERIES:
        raise _bad("credentials", most=_MAX_QUERIES)
    credentials = []
    for index, entry in enumerate(listed):
        where = f"credentials[{index}]"
        if not isinstance(entry, Mapping):
            raise _bad("entry", where=where)
        identifier, kind = entry.get("id"), entry.get("format")
        if not isinstance(identifier, str) or not _ID.fullmatch(identifier):
            raise _bad("id", where=where)
        kind = _ALIASES.get(kind, kind) if isinstance(kind, str) else kind
        if kind not in FORMATS:
            raise _bad("format", where=where, formats=FORMATS)
        meta = entry.get("meta", {})
        if not isinstance(meta, Mapping):
            raise _bad("meta", where=where)
        credentials.append(CredentialQuery(
            identifier, str(kind), meta, _claims(entry.get("claims"), where),
            bool(entry.get("multiple", False)),
            bool(entry.get("require_cryptographic_holder_binding", True))))
    ids = [item.id for item in credentials]
    if len(set(ids)) != len(ids):
        raise _bad("unique")
    sets = []
    for index, entry in enumerate(query.get("credential_sets") or []):
        options = entry.get("options") if isinstance(entry, Mapping) else None
        if not isinstance(options, list) or not options or not all(
                isinstance(option, list) and option and all(name in ids for name in option)
                for option in options):
            raise _bad("sets", index=index)
        sets.append((tuple(tuple(option) for option in options),
                     bool(entry.get("required", True))))
    return DcqlQuery(tuple(credentials), tuple(sets))


def claims_at(document: Any, path: Sequence[str | int | None]) -> list[Any]:
    """The values a claims path pointer selects in ``document`` (§7.1.1): a string selects a
    member, an integer an element, ``None`` every element; nothing selected is ``[]``."""
    selected = [document]
    for part in path:
        following: list[Any] = []
        for node in selected:
            member = isinstance(part, str) and isinstance(node, Mapping) and part in node
            element = isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node)
            if member or element:
                following.append(node[part])
            elif part is None and isinstance(node, list):
                following.extend(node)
        selected = following
    return selected


def expanded(types: Iterable[str]) -> set[str]:
    """Credential types as fully expanded IRIs (see the module), with the names as written."""
    written = set(types)
    return written | {_VOCABULARIES[name] for name in written if name in _VOCABULARIES}


def _types(document: Mapping[str, Any]) -> list[str]:
    found = document.get("type", [])
    return [found] if isinstance(found, str) else [item for item in found
                                                    if isinstance(item, str)]


def matches(query: CredentialQuery, *, format: str, document: Mapping[str, Any]) -> bool:
    """Whether a credential in ``format`` whose claims are ``document`` answers ``query``."""
    if _ALIASES.get(format, format) != query.format:
        return False
    if query.format == "dc+sd-jwt":
        wanted = query.meta.get("vct_values")
        if isinstance(wanted, list) and document.get("vct") not in wanted:
            return False
    else:
        alternatives = query.meta.get("type_values")
        if isinstance(alternatives, list):
            present = expanded(_types(document))
            if not any(isinstance(option, list) and set(option) <= present
                       for option in alternatives):
                return False
    for claim in query.claims:
        values = claims_at(document, claim.path)
        if not values:
            return False
        if claim.values is not None and not any(value in claim.values for value in values):
            return False
    return True


def satisfied(query: DcqlQuery, answered: Iterable[str]) -> bool:
    """Whether credentials for the ids ``answered`` satisfy ``query``."""
    given = set(answered)
    if not query.credential_sets:
        return all(item.id in given for item in query.credentials)
    return all(any(set(option) <= given for option in options)
               for options, required in query.credential_sets if required)
