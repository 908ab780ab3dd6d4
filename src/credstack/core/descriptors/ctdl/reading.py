"""Reading CTDL JSON-LD: the shape of a document, and its values as descriptors."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final, Literal

from credstack.core.descriptors.ctdl.vocabulary import (
    _CODE,
    _COUNTRY,
    _CREDENTIAL_CLASSES,
    _CREDIT_UNITS,
    _CURRENCY,
    _DELIVERY,
    _DURATION,
    _KIND_OF_TYPE,
    _LEARNING_CLASSES,
    _ORGANISATION_CLASSES,
    _PREREQUISITES_NAME,
    _SLUG,
    _UNDETERMINED,
    DESCRIPTORS_PROPERTY,
    ORGANISATION_PROPERTY,
)
from credstack.core.descriptors.ctdl.writing import _plain
from credstack.core.descriptors.models import (
    CreditRecognitionKind,
    CreditSystem,
    DeliveryMode,
)
from credstack.core.organisations import OrganisationKind
from credstack.core.types import decimal_or_none
from credstack.errors import InputError, Problem


def _types(node: Mapping[str, Any]) -> list[str]:
    value = node.get("@type", node.get("type"))
    values = value if isinstance(value, list) else [value]
    return [v.removeprefix("ceterms:") for v in values if isinstance(v, str)]


def node_kind(node: Any) -> Literal["programme", "organisation"] | None:
    """What a node is to credstack: a programme, an organisation, or nothing it reads."""
    if not isinstance(node, Mapping):
        return None
    types = set(_types(node))
    if types & (_CREDENTIAL_CLASSES | _LEARNING_CLASSES):
        return "programme"
    if types & _ORGANISATION_CLASSES:
        return "organisation"
    return None


def looks_like_ctdl(data: Any) -> bool:
    """A CTDL document: a graph, or a node whose context or keys are CTDL's."""
    if isinstance(data, list):
        return bool(data) and looks_like_ctdl(data[0])
    if not isinstance(data, Mapping):
        return False
    if "@graph" in data:
        return True
    context = data.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if any(isinstance(c, str) and "credreg.net/ctdl" in c for c in contexts):
        return True
    return any(isinstance(key, str) and key.startswith("ceterms:") for key in data)


def graph_nodes(data: Any) -> tuple[list[Any], bool]:
    """The nodes of a CTDL document and whether it is a graph (else one node, or a list).

    Raises :class:`~credstack.errors.InputError` when the document is neither.
    """
    if isinstance(data, Mapping) and "@graph" in data:
        graph = data["@graph"]
        if not isinstance(graph, list):
            raise InputError("@graph must be a list of nodes",
                             problems=[Problem("@graph", "expected a list of nodes")])
        return graph, True
    if isinstance(data, list):
        return data, True
    if isinstance(data, Mapping):
        return [data], False
    raise InputError("not a CTDL document", problems=[
        Problem("", "expected an object with @graph, or one CTDL node")])


def has_extension(node: Any) -> bool:
    """Whether the node carries credstack's own document (and is read from it alone)."""
    return isinstance(node, Mapping) and (
        DESCRIPTORS_PROPERTY in node or ORGANISATION_PROPERTY in node)


def _literal(value: Any) -> Any:
    """The JSON inside a ``{"@type": "@json", "@value": …}`` literal (or the value itself)."""
    if isinstance(value, Mapping) and value.get("@type") == "@json" and "@value" in value:
        return value["@value"]
    return value


#: Where each descriptor comes from in foreign CTDL, for messages that name the source.
_PROPERTY_OF: Final[dict[str, str]] = {
    "code": "ceterms:codedNotation",
    "title": "ceterms:name",
    "description": "ceterms:description",
    "awarding_body": "ceterms:ownedBy",
    "issuer_region": "ceterms:ownedBy → ceterms:address",
    "learning_outcomes": "ceterms:requires → ceterms:targetCompetency",
    "skills": "ceterms:requires → ceterms:targetCompetency",
    "form_of_participation": "ceterms:learningDeliveryType",
    "languages": "ceterms:inLanguage",
    "learner_effort": "ceterms:estimatedDuration",
    "prerequisites": "ceterms:requires",
    "stackability": "ceterms:isPreparationFor",
    "price": "ceterms:estimatedCost",
    "further_information": "ceterms:subjectWebpage",
    "credit_recognition": "ceterms:isNonCredit",
    "slug": "ceterms:ctid",
    "kind": "ceterms:agentType",
    "name": "ceterms:name",
    "country": "ceterms:address",
    "url": "ceterms:subjectWebpage",
}


def property_of(path: Sequence[str | int]) -> str | None:
    """The CTDL property a descriptor path was read from in foreign CTDL (None if unknown)."""
    if not path or not isinstance(path[0], str):
        return None
    if path[:2] == ("learner_effort", "credits"):
        return "ceterms:requires → ceterms:creditValue"
    return _PROPERTY_OF.get(path[0])


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _texts_of(value: Any) -> Any:
    """A language map as credstack text: empty texts dropped, a bare string undetermined."""
    if isinstance(value, str):
        return {_UNDETERMINED: value} if value.strip() else None
    if isinstance(value, Mapping):
        texts = {k: v for k, v in value.items() if not (isinstance(v, str) and not v.strip())}
        return texts or None
    return value


def _first_text(value: Any) -> str | None:
    """One string from a language map (English first) or a bare string."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, Mapping):
        for key in sorted(value, key=lambda tag: not str(tag).lower().startswith("en")):
            text = value[key]
            if isinstance(text, str) and text.strip():
                return text.strip()
    return None


def _all_texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        out: list[str] = []
        for text in value.values():
            out += [t for t in _list(text) if isinstance(t, str)]
        return out
    return []


def _concept_names(value: Any) -> list[str]:
    """The local names of the concepts a property lists (``deliveryType:InPerson`` →
    ``InPerson``), whether given as alignment objects, prefixed names or IRIs."""
    names: list[str] = []
    for item in _list(value):
        node = item.get("ceterms:targetNode") if isinstance(item, Mapping) else item
        if isinstance(node, str) and node:
            names.append(re.split(r"[:/#]", node)[-1])
    return names


def _duration_parts(value: Any) -> dict[str, Decimal] | None:
    if not isinstance(value, str):
        return None
    match = _DURATION.match(value.strip())
    if match is None or value.strip() in {"P", "PT"}:
        return None
    return {k: Decimal(v.replace(",", ".")) for k, v in match.groupdict().items() if v}


def _hours(value: Any) -> Decimal | None:
    """Hours from an ISO 8601 duration of hours, minutes and seconds (``PT7H30M``)."""
    parts = _duration_parts(value)
    if not parts or set(parts) - {"H", "Mi", "S"}:
        return None
    hours = (parts.get("H", Decimal(0)) + parts.get("Mi", Decimal(0)) / 60
             + parts.get("S", Decimal(0)) / 3600)
    hours = hours.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return hours if hours > 0 else None


def _weeks(value: Any) -> int | None:
    """Whole weeks from ``P10W`` (or ``P70D``); months and years are not weeks."""
    parts = _duration_parts(value)
    if not parts or len(parts) != 1:
        return None
    (unit, amount), = parts.items()
    if unit == "W" and amount == amount.to_integral_value():
        return int(amount)
    if unit == "D" and amount % 7 == 0:
        return int(amount / 7)
    return None


def _credit_system(profile: Mapping[str, Any]) -> CreditSystem | None:
    units = _concept_names(profile.get("ceterms:creditUnitType"))
    if "SemesterHour" in units:
        return CreditSystem.US_CREDIT_HOUR
    words = [t.strip() for t in _all_texts(profile.get("schema:description"))]
    for system, (_, _, names) in _CREDIT_UNITS.items():
        if any(word in names.values() for word in words):
            return system
    if any("ECTS" in word for word in words):
        return CreditSystem.ECTS
    return None


def _credits(profiles: list[Any]) -> list[dict[str, str]]:
    credits: dict[CreditSystem, Decimal] = {}
    for profile in profiles:
        if not isinstance(profile, Mapping):
            continue
        system = _credit_system(profile)
        value = decimal_or_none(profile.get("schema:value"))
        if system is not None and value is not None and system not in credits:
            credits[system] = value
    return [{"system": s.value, "value": _plain(v)} for s, v in credits.items()]


def _competency(item: Any) -> tuple[str, dict[str, Any]] | None:
    """A learning outcome (a name alone) or a skill (with a framework, code or URL)."""
    if not isinstance(item, Mapping):
        return None
    name = _texts_of(item.get("ceterms:targetNodeName"))
    if name is None:
        return None
    skill: dict[str, Any] = {"name": name}
    framework = _first_text(item.get("ceterms:frameworkName"))
    if framework is not None:
        skill["framework"] = framework
    code = item.get("ceterms:codedNotation")
    if isinstance(code, str) and code.strip():
        skill["code"] = code.strip()
    node = item.get("ceterms:targetNode")
    if isinstance(node, str) and re.match(r"^https?://", node):
        skill["url"] = node
    if len(skill) == 1:
        return "learning_outcomes", {"statement": name}
    return "skills", skill


def _is_prerequisites(profile: Mapping[str, Any]) -> bool:
    names = _all_texts(profile.get("ceterms:name"))
    return any("prerequisite" in n.lower() or n in _PREREQUISITES_NAME.values() for n in names)


def _owner_node(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for reference in [*_list(node.get("ceterms:ownedBy")), *_list(node.get("ceterms:offeredBy"))]:
        owner = graph.get(reference) if isinstance(reference, str) else reference
        if isinstance(owner, Mapping) and node_kind(owner) == "organisation":
            return owner
    return None


def _country(node: Mapping[str, Any]) -> str | None:
    for place in _list(node.get("ceterms:address")):
        if isinstance(place, Mapping):
            for text in _all_texts(place.get("ceterms:addressCountry")):
                if _COUNTRY.match(text.strip()):
                    return text.strip()
    return None


def _slug(node: Mapping[str, Any]) -> str | None:
    document = _literal(node.get(ORGANISATION_PROPERTY))
    if isinstance(document, Mapping) and isinstance(document.get("slug"), str):
        return str(document["slug"])
    ctid = node.get("ceterms:ctid")
    if isinstance(ctid, str) and _SLUG.match(ctid.strip().lower()):
        return ctid.strip().lower()
    return None


def _code(node: Mapping[str, Any]) -> Any:
    candidates: list[Any] = [node.get("ceterms:codedNotation")]
    candidates += [identifier.get("ceterms:identifierValueCode")
                   for identifier in _list(node.get("ceterms:identifier"))
                   if isinstance(identifier, Mapping)]
    candidates.append(node.get("ceterms:ctid"))
    for candidate in candidates:
        if isinstance(candidate, str) and _CODE.match(candidate.strip()):
            return candidate.strip()
    return node.get("ceterms:codedNotation", node.get("ceterms:ctid"))


def _price(node: Mapping[str, Any]) -> dict[str, Any] | None:
    costs = [c for c in _list(node.get("ceterms:estimatedCost")) if isinstance(c, Mapping)]
    aggregate = [c for c in costs
                 if "AggregateCost" in _concept_names(c.get("ceterms:directCostType"))]
    chosen = aggregate[0] if aggregate else costs[0] if len(costs) == 1 else None
    if chosen is None:
        return None
    amount = decimal_or_none(chosen.get("ceterms:price"))
    currency = chosen.get("ceterms:currency")
    if amount is None or not isinstance(currency, str) or not _CURRENCY.match(currency):
        return None
    return {"amount": _plain(amount), "currency": currency}


#: Some descriptors of a programme, read from a CTDL node.
Fields = dict[str, Any]


def _read_texts(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Fields:
    fields: Fields = {}
    code = _code(node)
    if code is not None:
        fields["code"] = code
    for field, key in (("title", "ceterms:name"), ("description", "ceterms:description")):
        text = _texts_of(node.get(key))
        if text is not None:
            fields[field] = text
    languages = node.get("ceterms:inLanguage")
    if languages:
        fields["languages"] = _list(languages)
    webpage = node.get("ceterms:subjectWebpage")
    if isinstance(webpage, str):
        fields["further_information"] = {"url": webpage}
    return fields


def _read_owner(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Fields:
    owner = _owner_node(node, graph)
    if owner is None:
        return {}
    fields: Fields = {}
    slug, name = _slug(owner), _texts_of(owner.get("ceterms:name"))
    if slug is not None and name is not None:
        body: dict[str, Any] = {"id": slug, "name": name}
        webpage = owner.get("ceterms:subjectWebpage")
        if isinstance(webpage, str):
            body["url"] = webpage
        fields["awarding_body"] = body
    country = _country(owner)
    if country is not None:
        fields["issuer_region"] = {"country": country}
    return fields


def _requirements_of(node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [r for r in _list(node.get("ceterms:requires")) if isinstance(r, Mapping)]


def _read_competencies(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Fields:
    items = [item for requirement in _requirements_of(node)
             for item in _list(requirement.get("ceterms:targetCompetency"))]
    items += _list(node.get("ceterms:teaches"))
    fields: Fields = {}
    for read in map(_competency, items):
        if read is not None:
            fields.setdefault(read[0], []).append(read[1])
    return fields


def _read_participation(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Fields:
    names = _concept_names(node.get("ceterms:learningDeliveryType")
                           or node.get("ceterms:deliveryType"))
    known = {name: mode for mode, (name, _) in _DELIVERY.items()}
    modes = {known[name] for name in names if name in known}
    if not modes:
        return {}
    # In person and online offered side by side is, for a learner, a blended programme.
    mode = modes.pop() if len(modes) == 1 else DeliveryMode.BLENDED
    participation: dict[str, Any] = {"mode": mode.value}
    text = _texts_of(node.get("ceterms:learningMethodDescription")
                     or node.get("ceterms:deliveryTypeDescription"))
    if text is not None:
        participation["description"] = text
    return {"form_of_participation": participation}


def _read_effort(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Fields:
    durations = [d for d in _list(node.get("ceterms:estimatedDuration")) if isinstance(d, Mapping)]
    hours = next((h for d in durations for h in (_hours(d.get("ceterms:timeRequired")),
                                                 _hours(d.get("ceterms:exactDuration")))
                  if h is not None), None)
    if hours is None:  # Credits and weeks without the hours make no learner effort.
        return {}
    effort: dict[str, Any] = {"hours": _plain(hours)}
    weeks = next((w for d in durations if (w := _weeks(d.get("ceterms:exactDuration")))), None)
    if weeks is not None:
        effort["duration_weeks"] = weeks
    values = _list(node.get("ceterms:creditValue"))
    values += [v for r in _requirements_of(node) if not _is_prerequisites(r)
               for v in _list(r.get("ceterms:creditValue"))]
    credits = _credits(values)
    if credits:
        effort["credits"] = credits
    return {"learner_effort": effort}


def _read_prerequisites(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Fields:
    entry = [r for r in _requirements_of(node) if _is_prerequisites(r)]
    entry += [c for c in _list(node.get("ceterms:entryCondition")) if isinstance(c, Mapping)]
    text = next((t for c in entry if (t := _texts_of(c.get("ceterms:description"))) is not None),
                None)
    return {"prerequisites": text} if text is not None else {}


def _read_stackability(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Fields:
    targets = []
    for condition in _list(node.get("ceterms:isPreparationFor")):
        if not isinstance(condition, Mapping):
            continue
        title = _texts_of(condition.get("ceterms:name"))
        if title is None:
            continue
        target: dict[str, Any] = {"title": title, "kind": "other"}
        webpage = condition.get("ceterms:subjectWebpage")
        if isinstance(webpage, str):
            target["url"] = webpage
        credits = _credits(_list(condition.get("ceterms:creditValue")))
        if credits:
            target["credits"] = credits[0]
        targets.append(target)
    return {"stackability": {"stackable": True, "targets": targets}} if targets else {}


def _read_price(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Fields:
    price = _price(node)
    if price is None:
        return {}
    assistance = next(
        (t for p in _list(node.get("ceterms:financialAssistance")) if isinstance(p, Mapping)
         and (t := _texts_of(p.get("ceterms:description"))) is not None), None)
    if assistance is not None:
        price["financial_assistance"] = assistance
    return {"price": price}


def _read_credit_recognition(node: Mapping[str, Any], graph: Mapping[str, Any]) -> Fields:
    if node.get("ceterms:isNonCredit") is True:
        return {"credit_recognition": {"kinds": [CreditRecognitionKind.NONE.value]}}
    return {}


#: How foreign CTDL becomes descriptors: each reader gives the fields it can tell.
_READERS: Final = (
    _read_texts, _read_owner, _read_competencies, _read_participation, _read_effort,
    _read_prerequisites, _read_stackability, _read_price, _read_credit_recognition,
)


def _foreign_programme(node: Mapping[str, Any], graph: Mapping[str, Any]) -> dict[str, Any]:
    """What the CTDL properties of a node say, as a descriptor document."""
    document: dict[str, Any] = {}
    for read in _READERS:
        document.update(read(node, graph))
    return document


def programme_from_ctdl(node: Mapping[str, Any], *, graph: Mapping[str, Any] | None = None
                        ) -> Any:
    """The descriptor document a credential (or learning opportunity) node states.

    From a credstack node this is the programme's whole document, as it was written. From a
    foreign node, what its CTDL properties say (see the module docstring); ``graph`` maps
    ``@id`` to the graph's nodes, for the owning organisation. The result is not validated:
    pass it to :meth:`Programme.model_validate` to judge it.
    """
    if DESCRIPTORS_PROPERTY in node:
        document = _literal(node[DESCRIPTORS_PROPERTY])
        return dict(document) if isinstance(document, Mapping) else document
    return _foreign_programme(node, graph or {})


def organisation_from_ctdl(node: Mapping[str, Any]) -> Any:
    """The organisation document an organisation node states, or None when a foreign node
    does not say what credstack needs of an organisation (a name and a country code)."""
    if ORGANISATION_PROPERTY in node:
        own = _literal(node[ORGANISATION_PROPERTY])
        return dict(own) if isinstance(own, Mapping) else own
    slug, name, country = _slug(node), _texts_of(node.get("ceterms:name")), _country(node)
    if slug is None or name is None or country is None:
        return None
    kinds = [_KIND_OF_TYPE[t] for t in _concept_names(node.get("ceterms:agentType"))
             if t in _KIND_OF_TYPE]
    if "QACredentialOrganization" in _types(node):
        kinds.insert(0, OrganisationKind.RECOGNITION_BODY)
    document: dict[str, Any] = {
        "slug": slug,
        "kind": (kinds[0] if kinds else OrganisationKind.OTHER).value,
        "name": name,
        "country": country,
    }
    webpage = node.get("ceterms:subjectWebpage")
    if isinstance(webpage, str):
        document["url"] = webpage
    return document
