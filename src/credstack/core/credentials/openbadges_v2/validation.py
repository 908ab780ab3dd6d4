"""Validating Open Badges 2.0 documents as plain JSON, by the 1EdTech validator's rules.

Each problem is a message key (``ob2.rule.…``) with its values, worded where it is shown
(``/verify``, the API, ``credstack verify``): a value as found is given as its Python
``repr``, a kind of value, a class and a list of alternatives as phrases of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from credstack.core.credentials.openbadges_v2.vocabulary import (
    _ABSOLUTE_IRI,
    _CORE_TERMS,
    _EMAIL,
    _HOST,
    _IDENTITY_HASH,
    _LANGUAGE,
    _TELEPHONE,
    CONTEXT_URL,
    CONTEXT_URLS,
    EXTENSIONS_NAMESPACE,
    OB_VOCABULARY,
    TERMS,
    _is_data_uri,
    _is_map,
    _is_type,
    _items,
    expand,
    is_http_url,
    is_iri,
    parse_datetime,
    types_of,
)
from credstack.core.said import Listed, Said
from credstack.errors import Problem


@dataclass(frozen=True, slots=True)
class _Rule:
    """One property of a class: its value type, whether required, how many values."""

    name: str
    kind: str
    required: bool = False
    many: bool = False
    #: For ``node`` values: the class of an embedded object.
    expected: str | None = None
    #: A ``node`` value may also be the IRI of the object (it is then not validated here).
    remote: bool = False
    #: A ``node`` value may also be a ``data:`` URI (images of BadgeClasses and Profiles).
    data_uri: bool = False
    #: ``rdf-type`` values: at least one must be one of these terms.
    one_of: tuple[str, ...] = ()
    #: A problem with this property is worth a warning, not a failure.
    warning: bool = False


_ASSERTION_TYPES: Final = ("Assertion",)


_VERIFICATION_TYPES: Final = ("HostedBadge", "SignedBadge", "hosted", "signed",
                              OB_VOCABULARY + "HostedBadge", OB_VOCABULARY + "SignedBadge")


_PROFILE_RULES: Final = (
    _Rule("id", "iri", required=True),
    _Rule("type", "rdf-type", required=True, many=True, one_of=("Issuer", "Profile")),
    _Rule("name", "text", required=True),
    _Rule("description", "text"),
    _Rule("image", "node", expected="Image", remote=True, data_uri=True),
    _Rule("url", "url", required=True),
    _Rule("email", "email", required=True),
    _Rule("telephone", "telephone"),
    _Rule("publicKey", "node", many=True, expected="CryptographicKey", remote=True),
    _Rule("verification", "node", expected="VerificationObjectIssuer"),
    _Rule("revocationList", "node", expected="RevocationList", remote=True),
    _Rule("id", "http-url", warning=True),
    _Rule("@language", "language"),
    _Rule("version", "text-or-number"),
    _Rule("related", "node", many=True, expected="Related", remote=True),
    _Rule("endorsement", "node", many=True, expected="Endorsement", remote=True),
)


#: Each class's rules, after ``Assertion.validationMap`` of the 1EdTech validator.
RULES: Final[Mapping[str, tuple[_Rule, ...]]] = {
    "Assertion": (
        _Rule("id", "iri", required=True),
        _Rule("type", "rdf-type", required=True, many=True, one_of=_ASSERTION_TYPES),
        _Rule("recipient", "node", required=True, expected="IdentityObject"),
        _Rule("badge", "node", required=True, expected="BadgeClass", remote=True),
        _Rule("verification", "node", required=True, expected="VerificationObjectAssertion"),
        _Rule("issuedOn", "datetime", required=True),
        _Rule("expires", "datetime"),
        _Rule("image", "node", expected="Image", remote=True),
        _Rule("narrative", "text"),
        _Rule("evidence", "node", many=True, expected="Evidence", remote=True),
        _Rule("@language", "language"),
        _Rule("version", "text-or-number"),
        _Rule("related", "node", many=True, expected="Related", remote=True),
        _Rule("endorsement", "node", many=True, expected="Endorsement", remote=True),
        _Rule("revoked", "boolean"),
        _Rule("revocationReason", "text"),
    ),
    "BadgeClass": (
        _Rule("id", "iri", required=True),
        _Rule("type", "rdf-type", required=True, many=True, one_of=("BadgeClass",)),
        _Rule("issuer", "node", required=True, expected="Profile", remote=True),
        _Rule("name", "text", required=True),
        _Rule("description", "text", required=True),
        _Rule("image", "node", expected="Image", remote=True, data_uri=True),
        _Rule("criteria", "node", required=True, expected="Criteria", remote=True),
        _Rule("alignment", "node", many=True, expected="AlignmentObject"),
        _Rule("tags", "text", many=True),
        _Rule("@language", "language"),
        _Rule("version", "text-or-number"),
        _Rule("related", "node", many=True, expected="Related", remote=True),
        _Rule("endorsement", "node", many=True, expected="Endorsement", remote=True),
    ),
    "Issuer": _PROFILE_RULES,
    "Profile": _PROFILE_RULES,
    "AlignmentObject": (
        _Rule("type", "rdf-type", many=True),
        _Rule("targetName", "text", required=True),
        _Rule("targetUrl", "url", required=True),
        _Rule("targetDescription", "text"),
        _Rule("targetFramework", "text"),
        _Rule("targetCode", "text"),
    ),
    "Criteria": (
        _Rule("type", "rdf-type", many=True),
        _Rule("id", "iri"),
        _Rule("narrative", "text"),
    ),
    "CryptographicKey": (
        _Rule("id", "iri"),
        _Rule("type", "rdf-type", many=True),
        _Rule("owner", "iri"),
        _Rule("publicKeyPem", "text"),
    ),
    "Endorsement": (
        _Rule("id", "iri", required=True),
        _Rule("type", "rdf-type", required=True, many=True, one_of=("Endorsement",)),
        _Rule("claim", "node", required=True, expected="Claim"),
        _Rule("issuedOn", "datetime", required=True),
        _Rule("issuer", "node", required=True, expected="Profile", remote=True),
        _Rule("verification", "node", required=True, expected="VerificationObjectAssertion"),
    ),
    "Claim": (_Rule("id", "iri", required=True), _Rule("endorsementComment", "text")),
    "Evidence": (
        _Rule("type", "rdf-type", many=True),
        _Rule("id", "iri"),
        _Rule("narrative", "text"),
        _Rule("name", "text"),
        _Rule("description", "text"),
        _Rule("genre", "text"),
        _Rule("audience", "text"),
    ),
    "IdentityObject": (
        _Rule("type", "rdf-type", required=True, one_of=("id", "email", "url", "telephone")),
        _Rule("identity", "text", required=True),
        _Rule("hashed", "boolean", required=True),
        _Rule("salt", "text"),
    ),
    "Image": (
        _Rule("type", "rdf-type", many=True),
        _Rule("id", "data-uri-or-url", required=True),
        _Rule("caption", "text"),
        _Rule("author", "iri"),
    ),
    "RevocationList": (
        _Rule("type", "rdf-type", required=True, many=True, one_of=("RevocationList",)),
        _Rule("id", "iri"),
        _Rule("issuer", "iri"),
        _Rule("revokedAssertions", "revoked-list", required=True, many=True),
    ),
    "VerificationObjectAssertion": (
        _Rule("type", "rdf-type", required=True, many=True, one_of=_VERIFICATION_TYPES),
        _Rule("creator", "iri"),
    ),
    "VerificationObjectIssuer": (
        _Rule("type", "rdf-type", many=True),
        _Rule("verificationProperty", "compact-iri"),
        _Rule("startsWith", "url", many=True),
        _Rule("allowedOrigins", "url-authority", many=True),
    ),
    # Related editions in other formats may have ids of other schemes (an OB 3.0 issuer's
    # DID: OB 3.0 implementation guide, "Migrating from OB 2.0").
    "Related": (_Rule("id", "absolute-iri", required=True), _Rule("type", "rdf-type", many=True)),
    "Extension": (),
    "VerificationObject": (),
    "External": (),
}


#: The prefix of what this module says (``ob2.rule.…``).
_SAID: Final = "ob2.rule."


def _valid(kind: str, value: Any) -> bool:
    if kind == "iri":
        return is_iri(value)
    if kind in {"url", "http-url"}:
        return is_http_url(value)
    if kind == "text":
        return isinstance(value, str)
    if kind == "datetime":
        return parse_datetime(value) is not None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "email":
        return isinstance(value, str) and bool(_EMAIL.fullmatch(value))
    if kind == "telephone":
        return isinstance(value, str) and bool(_TELEPHONE.fullmatch(value))
    if kind == "language":
        return isinstance(value, str) and bool(_LANGUAGE.fullmatch(value))
    if kind == "text-or-number":
        return isinstance(value, str | int | float) and not isinstance(value, bool)
    if kind == "url-authority":
        return isinstance(value, str) and bool(_HOST.match(value))
    if kind == "compact-iri":
        return value == "id" or (isinstance(value, str) and (
            is_iri(value) or value in TERMS or expand(value) is not None))
    if kind == "data-uri-or-url":
        return is_http_url(value) or _is_data_uri(value)
    if kind == "absolute-iri":
        return isinstance(value, str) and bool(_ABSOLUTE_IRI.fullmatch(value))
    raise ValueError(f"unknown value kind {kind!r}")  # pragma: no cover - a table error


def _problem(location: str, key: str, **params: object) -> Problem:
    return Problem(location, code=_SAID + key, params=params)


def _either(values: tuple[str, ...]) -> Said | str:
    """Values given as alternatives (``'a' or 'b' or 'c'``), each as its ``repr``."""
    said: Said | str = repr(values[-1])
    for value in reversed(values[:-1]):
        said = Said(_SAID + "or", first=repr(value), rest=said)
    return said


def validate(node: Mapping[str, Any], class_name: str, where: str = "") -> tuple[
        list[Problem], list[Problem]]:
    """The problems (failures, warnings) of one Badge Object read as ``class_name``.

    Embedded objects are validated as the class their property expects; objects given by
    IRI are not fetched here (the verification pipeline fetches and validates the ones
    verification needs). A revoked assertion needs only ``id`` and ``revoked``
    (§Assertion: "If revoked is true, only revoked and id are required").
    """
    errors: list[Problem] = []
    warnings: list[Problem] = []
    _validate(node, class_name, where, errors, warnings, depth=0)
    return errors, warnings


def _at(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _validate(node: Mapping[str, Any], class_name: str, where: str, errors: list[Problem],
              warnings: list[Problem], *, depth: int) -> None:
    if depth > 16:
        errors.append(_problem(where or "(root)", "nested_too_deeply"))
        return
    rules = RULES.get(class_name, ())
    revoked = class_name == "Assertion" and node.get("revoked") is True
    if not any(rule.name == "type" for rule in rules):
        if "type" in node:
            _check_types(node["type"], _Rule("type", "rdf-type"), _at(where, "type"), errors)
        elif class_name == "Unknown":
            errors.append(_problem(_at(where, "type"), "type_required"))
    for rule in rules:
        name = rule.name
        value = node.get(name)
        if value is None and name == "verification":
            value = node.get("verify")
        target = warnings if rule.warning else errors
        if value is None:
            if rule.required and not (revoked and name not in {"id"}):
                target.append(_problem(_at(where, name), "required_in",
                                       kind=Said(_SAID + "class." + class_name)))
            continue
        if isinstance(value, list):
            if not rule.many:
                target.append(_problem(_at(where, name), "one_value"))
                continue
            if not value and rule.required and rule.kind != "revoked-list":
                target.append(_problem(_at(where, name), "not_empty"))
                continue
        if rule.kind == "rdf-type":
            _check_types(value, rule, _at(where, name), target)
            continue
        if rule.kind == "revoked-list":
            for index, item in enumerate(_items(value)):
                if not (is_iri(item) or (_is_map(item) and (
                        is_iri(item.get("id")) or isinstance(item.get("uid"), str)))):
                    target.append(_problem(f"{_at(where, name)}[{index}]", "revoked_entry"))
            continue
        for index, item in enumerate(_items(value)):
            at = f"{_at(where, name)}[{index}]" if isinstance(value, list) else _at(where, name)
            if rule.kind == "node":
                _check_node(item, rule, at, errors, warnings, depth=depth)
            elif not _valid(rule.kind, item):
                target.append(_problem(at, "not_of_kind", kind=Said(
                    _SAID + "kind." + rule.kind), value=repr(item)))
    if class_name == "IdentityObject" and node.get("hashed") is True and isinstance(
            node.get("identity"), str) and not _IDENTITY_HASH.fullmatch(node["identity"]):
        errors.append(_problem(_at(where, "identity"), "hashed_identity"))


def _check_types(value: Any, rule: _Rule, where: str, target: list[Problem]) -> None:
    values = _items(value)
    if not values:
        target.append(_problem(where, "no_type"))
        return
    for item in values:
        if not (isinstance(item, str) and (item in rule.one_of or _is_type(item))):
            target.append(_problem(where, "unknown_type", value=repr(item)))
    if rule.one_of:
        wanted = {expand(term) or term for term in rule.one_of}
        if not any(isinstance(item, str) and (item in rule.one_of or (expand(item) or item)
                                              in wanted) for item in values):
            target.append(_problem(where, "must_include", types=_either(rule.one_of[:4])))


def _check_node(item: Any, rule: _Rule, where: str, errors: list[Problem],
                warnings: list[Problem], *, depth: int) -> None:
    expected = rule.expected or "External"
    if _is_map(item):
        _validate(item, expected, where, errors, warnings, depth=depth + 1)
        return
    if isinstance(item, str):
        if rule.data_uri and _is_data_uri(item):
            return
        if rule.remote and (is_iri(item) or (expected == "Related"
                                              and bool(_ABSOLUTE_IRI.fullmatch(item)))):
            return
        allowed = ("iri_or_embedded" if rule.remote else "embedded") + (
            "_or_data" if rule.data_uri else "")
        errors.append(_problem(where, "not_node", allowed=Said(_SAID + "node." + allowed),
                               expected=expected, value=repr(item)))
        return
    errors.append(_problem(where, "not_object", expected=expected, value=repr(item)))


def context_problems(document: Mapping[str, Any]) -> tuple[list[Problem], list[Problem]]:
    """The ``@context`` of a Badge Object: the OB 2.0 context first (failures, warnings).

    Further context URLs are not loaded (credstack never fetches a context): their terms are
    read as plain JSON, with a warning. An inline context object must define the core Open
    Badges terms exactly as the published context does.
    """
    errors: list[Problem] = []
    warnings: list[Problem] = []
    if "@context" not in document:
        return [_problem("@context", "context_required", url=CONTEXT_URL)], []
    if isinstance(document["@context"], str) and document["@context"] in CONTEXT_URLS:
        return [], []
    items = _items(document["@context"])
    if not items:
        return [_problem("@context", "context_unnamed", url=CONTEXT_URL)], []
    first = items[0]
    if isinstance(first, str):
        if first not in CONTEXT_URLS:
            errors.append(_problem("@context[0]" if len(items) > 1 else "@context",
                                   "context_not_first", url=CONTEXT_URL, value=repr(first)))
    elif not isinstance(first, Mapping):
        errors.append(_problem("@context", "context_kind"))
    defined: dict[str, str] = (dict(TERMS) if isinstance(first, str) and first in CONTEXT_URLS
                               else {})
    for index, item in enumerate(items):
        where = f"@context[{index}]" if isinstance(document["@context"], list) else "@context"
        if isinstance(item, str):
            if index and item not in CONTEXT_URLS:
                warnings.append(_problem(where, "context_not_loaded", url=item))
        elif isinstance(item, Mapping):
            for term, iri in _inline_terms(item).items():
                if term in _CORE_TERMS and TERMS[term] != iri:
                    errors.append(_problem(f"{where}.{term}", "context_redefines",
                                           value=repr(iri)))
                defined[term] = iri
        elif index:
            errors.append(_problem(where, "context_kind"))
    missing = [term for term in _CORE_TERMS if defined.get(term) != TERMS[term]]
    if missing and not errors:
        errors.append(_problem("@context", "context_terms_more" if len(missing) > 5
                               else "context_terms", terms=Listed(missing[:5])))
    return errors, warnings


def _inline_terms(context: Mapping[str, Any]) -> dict[str, str]:
    """The IRI each term of an inline context stands for (compact IRIs resolved)."""
    raw: dict[str, str] = {}
    for term, definition in context.items():
        if isinstance(definition, str):
            raw[term] = definition
        elif isinstance(definition, Mapping) and isinstance(definition.get("@id"), str):
            raw[term] = definition["@id"]
    resolved: dict[str, str] = {}
    for term, value in raw.items():
        for _ in range(4):
            if value in raw and value != term:
                value = raw[value]
                continue
            prefix, colon, suffix = value.partition(":")
            if colon and prefix in raw and not suffix.startswith("//"):
                value = raw[prefix] + suffix
            break
        resolved[term] = value
    return resolved


def extension_problems(document: Mapping[str, Any], where: str = "") -> list[Problem]:
    """Extensions must be objects with their own ``@context`` and a type including
    ``Extension`` (§Extensions: both are required)."""
    problems: list[Problem] = []
    stack: list[tuple[Any, str]] = [(document, where)]
    while stack:
        node, at = stack.pop()
        if isinstance(node, list):
            stack.extend((item, f"{at}[{index}]") for index, item in enumerate(node))
            continue
        if not _is_map(node):
            continue
        for key, value in node.items():
            if key == "@context":
                continue
            path = _at(at, key)
            if not (_is_map(value) or isinstance(value, list)):
                if isinstance(key, str) and key.startswith(("extensions:", EXTENSIONS_NAMESPACE)):
                    problems.append(_problem(path, "extension_not_object"))
                continue
            is_extension = (isinstance(key, str) and (expand(key) or "").startswith(
                EXTENSIONS_NAMESPACE)) or (_is_map(value) and any(
                    expand(kind) == OB_VOCABULARY + "Extension" for kind in types_of(value)))
            if not is_extension:
                stack.append((value, path))
                continue
            for index, item in enumerate(_items(value)):
                spot = f"{path}[{index}]" if isinstance(value, list) else path
                if not _is_map(item):
                    problems.append(_problem(spot, "extension_not_object"))
                    continue
                contexts = _items(item.get("@context"))
                if not contexts or not all(is_http_url(c) or _is_map(c)
                                           for c in contexts):
                    problems.append(_problem(f"{spot}.@context", "extension_context"))
                if not any(expand(kind) == OB_VOCABULARY + "Extension"
                           for kind in types_of(item)):
                    problems.append(_problem(f"{spot}.type", "extension_type"))
    return problems
