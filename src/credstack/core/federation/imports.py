"""Another registry's recognised providers, as credstack imports them (issue 42, part 4).

Two sources are read, both refused whole when any part of them is bad (nothing partial):

* an **OpenID Federation** anchor — each subordinate's validated trust chain
  (:class:`~credstack.core.federation.chains.ValidatedChain`): its names (``ja``/``en``),
  country, issuer DIDs and programmes from the resolved metadata, and whether it holds a
  trust mark of the anchor that validated (:func:`from_chain`);
* a **CTDL** JSON-LD graph (Credential Engine's Credential Transparency Description Language,
  https://credreg.net/ctdl/terms) — ``ceterms:CredentialOrganization`` nodes and the
  credentials (``ceterms:Credential`` and its subclasses) and ``ceterms:LearningOpportunity
  Profile`` nodes they own or offer (:func:`from_ctdl`). An organisation needs ``@id``,
  ``ceterms:ctid`` and ``ceterms:name``; a programme ``@id``, ``ceterms:name`` and an owner
  or offerer in the graph. Issuer DIDs are the organisation's ``ceterms:identifier`` values
  and ``ceterms:sameAs`` links that are DIDs.

Every refusal is a :class:`~credstack.errors.TrustChainError`: ``registry-garbage`` for a
document that is not what it claims, ``ctdl-incomplete`` for a CTDL node without a
required field (the node and the field named).

An anchor's keys may be **pinned** for its source (:func:`read_pinned_jwks` parses the JWK
set an administrator gives): the anchor's configuration and its statements about its
subordinates must then be signed with a pinned key, whatever keys the anchor publishes
(:func:`require_pinned`, ``unpinned-key`` naming the key id, in Japanese and English).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from credstack.core.federation.chains import ValidatedChain
from credstack.core.federation.providers import ENTITY_TYPE
from credstack.core.federation.statements import Statement
from credstack.errors import InputError, Problem, TrustChainError

__all__ = [
    "ImportedProgramme",
    "ImportedProvider",
    "from_chain",
    "from_ctdl",
    "pinned_kids",
    "read_pinned_jwks",
    "require_pinned",
]

#: The most keys a source may pin.
MAX_PINNED: Final = 20

_ORGANISATIONS: Final = frozenset(
    {"CredentialOrganization", "QACredentialOrganization", "Organization"}
)
_PROGRAMMES: Final = frozenset(
    {
        "Credential", "MicroCredential", "Badge", "DigitalBadge", "OpenBadge", "Certificate",
        "Certification", "Diploma", "Degree", "BachelorDegree", "MasterDegree",
        "AssociateDegree", "DoctoralDegree", "ProfessionalDoctorate", "ResearchDoctorate",
        "ApprenticeshipCertificate", "JourneymanCertificate", "MasterCertificate",
        "CertificateOfCompletion", "CertificateOfParticipation", "License",
        "QualityAssuranceCredential", "GeneralEducationDevelopment", "SecondarySchoolDiploma",
        "LearningOpportunityProfile", "Course", "LearningProgram",
    }
)
_MAX_NODES: Final = 100_000
_MAX_TEXT: Final = 2048


@dataclass(frozen=True, slots=True)
class ImportedProgramme:
    """A programme the source registry lists for a provider: its identifier and title."""

    id: str
    title: Mapping[str, str]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": dict(self.title)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ImportedProgramme:
        return cls(str(data["id"]), dict(data.get("title") or {}))


@dataclass(frozen=True, slots=True)
class ImportedProvider:
    """A provider as another registry lists it."""

    #: Its identifier in the source: an entity identifier, or a CTDL node's ``@id``.
    entity_id: str
    name: Mapping[str, str]
    country: str | None
    url: str | None
    dids: tuple[str, ...]
    programmes: tuple[ImportedProgramme, ...]
    #: Whether the source marks it a recognised provider (a trust mark that validated).
    recognised: bool

    def display_name(self, language: str) -> str:
        other = "en" if language == "ja" else "ja"
        return self.name.get(language) or self.name.get(other) or self.entity_id


def _refused(message: str, reason: str = "registry-garbage") -> TrustChainError:
    return TrustChainError(message, reason=reason)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > _MAX_TEXT:
        raise _refused(f"{where} is not a text of 1 to 2,048 characters.")
    return value.strip()


def _optional_text(value: Any, where: str) -> str | None:
    return None if value is None else _text(value, where)


# --- OpenID Federation -------------------------------------------------------------------


def _entity_names(metadata: Mapping[str, Any], subject: str) -> dict[str, str]:
    entity = metadata.get("federation_entity") or {}
    names = {
        language: _text(entity[f"organization_name#{language}"], f"{subject}: organization_name")
        for language in ("ja", "en")
        if entity.get(f"organization_name#{language}") is not None
    }
    if "en" not in names and entity.get("organization_name") is not None:
        names["en"] = _text(entity["organization_name"], f"{subject}: organization_name")
    if not names:
        raise _refused(f"{subject} has no organization_name in its metadata.")
    return names


def _dids(values: Any, where: str) -> tuple[str, ...]:
    if values is None:
        return ()
    if not isinstance(values, list):
        raise _refused(f"{where} is not a list of DIDs.")
    found = tuple(_text(value, where) for value in values)
    if not all(did.startswith("did:") for did in found):
        raise _refused(f"{where} holds something that is not a DID.")
    return tuple(dict.fromkeys(found))


def from_chain(chain: ValidatedChain) -> ImportedProvider:
    """The provider a validated chain describes (its resolved metadata and trust marks)."""
    metadata = chain.metadata
    subject = chain.subject
    if not isinstance(metadata, Mapping):
        raise _refused(f"{subject} has no metadata.")
    entity = metadata.get("federation_entity") or {}
    institution = metadata.get("institution_additional_information") or {}
    issuer = metadata.get(ENTITY_TYPE) or {}
    if not all(isinstance(part, Mapping) for part in (entity, institution, issuer)):
        raise _refused(f"{subject} has metadata that are not objects.")
    programmes: list[ImportedProgramme] = []
    items = issuer.get("programmes") or []
    if not isinstance(items, list):
        raise _refused(f"{subject}: programmes is not a list.")
    for item in items:
        if not isinstance(item, Mapping):
            raise _refused(f"{subject}: a programme is not an object.")
        title = item.get("title") or {}
        if not isinstance(title, Mapping):
            raise _refused(f"{subject}: a programme's title is not an object of languages.")
        programmes.append(
            ImportedProgramme(
                _text(item.get("achievement"), f"{subject}: a programme's achievement"),
                {key: _text(value, f"{subject}: title") for key, value in title.items()},
            )
        )
    url = entity.get("organization_uri") or entity.get("homepage_uri")
    return ImportedProvider(
        subject,
        _entity_names(metadata, subject),
        _optional_text(institution.get("country"), f"{subject}: country"),
        _optional_text(url, f"{subject}: organization_uri"),
        _dids(issuer.get("dids"), f"{subject}: dids"),
        tuple(programmes),
        recognised=bool(chain.trust_marks),
    )


# --- CTDL --------------------------------------------------------------------------------


def _types(node: Mapping[str, Any]) -> set[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {item.removeprefix("ceterms:") for item in values if isinstance(item, str)}


def _language_map(value: Any, where: str) -> dict[str, str]:
    """A CTDL language map (``{"en-US": "…"}``) or a plain text, keyed by language."""
    if isinstance(value, str):
        return {"en": _text(value, where)}
    if not isinstance(value, Mapping) or not value:
        raise _refused(f"{where} is missing.", "ctdl-incomplete")
    found: dict[str, str] = {}
    for language, text in value.items():
        short = str(language).split("-")[0].lower()
        texts = text if isinstance(text, list) else [text]
        found.setdefault(short, _text(texts[0] if texts else None, where))
    return found


def _links(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    found = []
    for item in values:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, Mapping) and isinstance(item.get("@id"), str):
            found.append(item["@id"])
    return found


def _ctdl_dids(node: Mapping[str, Any]) -> tuple[str, ...]:
    found = [link for link in _links(node.get("ceterms:sameAs")) if link.startswith("did:")]
    identifiers = node.get("ceterms:identifier")
    for item in identifiers if isinstance(identifiers, list) else [identifiers]:
        if isinstance(item, Mapping):
            value = item.get("ceterms:identifierValueCode")
            if isinstance(value, str) and value.startswith("did:"):
                found.append(value)
    return tuple(dict.fromkeys(found))


def _country(node: Mapping[str, Any]) -> str | None:
    addresses = node.get("ceterms:address")
    for address in addresses if isinstance(addresses, list) else [addresses]:
        if isinstance(address, Mapping):
            country = address.get("ceterms:addressCountry")
            texts = _language_map(country, "ceterms:addressCountry") if country else {}
            for text in texts.values():
                if len(text) == 2 and text.isalpha():
                    return text.upper()
    return None


def _required(node: Mapping[str, Any], field: str, where: str) -> Any:
    value = node.get(field)
    if value in (None, "", [], {}):
        raise _refused(f"{where} has no {field}.", "ctdl-incomplete")
    return value


def from_ctdl(document: Any, *, source: str) -> list[ImportedProvider]:
    """The organisations of a CTDL graph and the programmes they own or offer."""
    if not isinstance(document, Mapping) or not isinstance(document.get("@graph"), list):
        raise _refused(f"{source} is not a CTDL graph: no '@graph' list of nodes.")
    graph: Sequence[Any] = document["@graph"]
    if len(graph) > _MAX_NODES:
        raise _refused(f"{source} has more than {_MAX_NODES:,} nodes.")
    organisations: dict[str, dict[str, Any]] = {}
    programmes: list[tuple[list[str], ImportedProgramme]] = []
    for index, node in enumerate(graph):
        if not isinstance(node, Mapping):
            raise _refused(f"{source}: @graph[{index}] is not a node.")
        types = _types(node)
        where = f"{source}: @graph[{index}]"
        if types & _ORGANISATIONS:
            node_id = _text(_required(node, "@id", where), f"{where} @id")
            _text(_required(node, "ceterms:ctid", where), f"{where} ceterms:ctid")
            name = _language_map(_required(node, "ceterms:name", where), f"{where} ceterms:name")
            url = _links(node.get("ceterms:subjectWebpage"))
            organisations[node_id] = {
                "name": name,
                "country": _country(node),
                "url": url[0] if url else None,
                "dids": _ctdl_dids(node),
            }
        elif types & _PROGRAMMES:
            node_id = _text(_required(node, "@id", where), f"{where} @id")
            title = _language_map(_required(node, "ceterms:name", where), f"{where} ceterms:name")
            owners = _links(node.get("ceterms:ownedBy")) + _links(node.get("ceterms:offeredBy"))
            if not owners:
                raise _refused(f"{where} has no ceterms:ownedBy or ceterms:offeredBy.",
                               "ctdl-incomplete")
            programmes.append((owners, ImportedProgramme(node_id, title)))
    if not organisations:
        raise _refused(f"{source} names no ceterms:CredentialOrganization.", "ctdl-incomplete")
    offered: dict[str, list[ImportedProgramme]] = {key: [] for key in organisations}
    for owners, programme in programmes:
        known = [owner for owner in dict.fromkeys(owners) if owner in organisations]
        if not known:
            raise _refused(
                f"{source}: the owner of {programme.id} is not an organisation in the graph.",
                "ctdl-incomplete",
            )
        for owner in known:
            offered[owner].append(programme)
    return [
        ImportedProvider(
            node_id,
            found["name"],
            found["country"],
            found["url"],
            found["dids"],
            tuple(offered[node_id]),
            recognised=False,
        )
        for node_id, found in organisations.items()
    ]


# --- pinned anchor keys --------------------------------------------------------------------


def read_pinned_jwks(document: Any) -> dict[str, Any]:
    """A JWK set to pin (``{"keys": [...]}``, or one JWK): public keys, each with a ``kid``
    and a ``kty``; :class:`~credstack.errors.InputError` naming what is wrong."""
    keys = [document] if isinstance(document, Mapping) and "kty" in document else (
        document.get("keys") if isinstance(document, Mapping) else None)
    if not isinstance(keys, list) or not 1 <= len(keys) <= MAX_PINNED:
        raise InputError(
            f"Keys to pin are a JWK set (an object with 'keys': 1 to {MAX_PINNED} JWKs). / "
            f"固定する鍵は JWK セット（'keys' に 1〜{MAX_PINNED} 個の JWK）で指定します。",
            problems=[Problem("pinnedJwks", "not a JWK set")])
    for key in keys:
        if not isinstance(key, Mapping) or not all(
                isinstance(key.get(name), str) and key.get(name) for name in ("kid", "kty")):
            raise InputError(
                "Each pinned key needs its 'kid' and 'kty'. / "
                "固定する鍵にはそれぞれ 'kid' と 'kty' が必要です。",
                problems=[Problem("pinnedJwks", "a key without kid or kty")])
        if "d" in key:
            raise InputError(
                f"Key {key['kid']} holds a private part ('d'): pin the public key only. / "
                f"鍵 {key['kid']} に秘密鍵の部分（'d'）があります。公開鍵だけを固定してください。",
                problems=[Problem("pinnedJwks", "a private key")])
    return {"keys": [dict(key) for key in keys]}


def pinned_kids(jwks: Mapping[str, Any] | None) -> list[str]:
    """The key ids of a pinned JWK set (none when nothing is pinned)."""
    return [str(key.get("kid")) for key in (jwks or {}).get("keys", [])
            if isinstance(key, Mapping)]


def require_pinned(statement: Statement, pinned: Mapping[str, Any]) -> None:
    """:class:`~credstack.errors.TrustChainError` ``unpinned-key`` unless ``statement`` is
    signed with a key of the ``pinned`` set; the message names the key id."""
    kids = pinned_kids(pinned)
    if statement.kid in kids:
        return
    listed = ", ".join(kids)
    raise TrustChainError(
        f"{statement.describe().capitalize()} is signed with key {statement.kid}, which is "
        f"not pinned for this registry (pinned: {listed}). / "
        f"{statement.iss} の署名の鍵 {statement.kid} は、この登録簿に固定された鍵ではありません"
        f"（固定された鍵：{'、'.join(kids)}）。",
        reason="unpinned-key",
    )
