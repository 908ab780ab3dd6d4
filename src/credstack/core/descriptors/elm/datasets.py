"""Programmes exchanged as ELM datasets: Qualifications and LearningOpportunities.

Specification: *European Learning Model (ELM) v3*, the learning opportunities and
qualifications application profile (``LOQ``) that the EU's Qualification Dataset Register
and Europass's learning-opportunity search take — https://europa.eu/europass/elm-browser/.

A dataset is one JSON-LD document, ``{"@context": [<the EDC-AP context>, {"id": "@id",
"type": "@type"}], "@graph": […]}``:
each organisation an ``Organisation``; each programme its specification
(:func:`.export.specification`: a ``Qualification`` when it states a level, else a
``LearningAchievementSpecification``) and one ``LearningOpportunity`` per period of
delivery (one without dates when it names none; none when the dataset lacks its awarding
body, as an opportunity must name its provider), which points at the specification by id
and carries what belongs to an offer of it — the period (``temporal``), the price
(``priceDetail``) and financial assistance (``grant``), the provider (``providedBy``).

**Reading** gives records for credstack's importer (:mod:`credstack.core.descriptors.
interchange`): a specification with credstack's extension gives its descriptor document
alone, lossless; one without (a foreign dataset) gives what ELM's properties say — title,
description, code (the first ``identifier`` notation), learning outcomes, languages, hours,
ECTS credits, the EQF level and a national level credstack wrote as its concept (the
Register profile's NQF level), entry requirements, and the dates and price (an ``Amount``'s
value, ``elm:value`` or LOQ's ``rdf:value``, and currency) of its opportunities. Values of
the wrong shape are passed on so that validation names them.

Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import pycountry

from credstack.core.descriptors.ctdl import DESCRIPTORS_PROPERTY, ORGANISATION_PROPERTY
from credstack.core.descriptors.elm.export import (
    CONTEXT,
    concept,
    language,
    organisation_node,
    seeded_id,
    specification,
)
from credstack.core.descriptors.models import Programme
from credstack.core.elm.vocabulary import ECTS_FRAMEWORK, eqf_level
from credstack.core.organisations import Organisation

__all__ = ["LEVEL_CONCEPTS", "RDF_VALUE", "SPECIFICATION_TYPES", "dataset", "dataset_records",
           "looks_like_dataset", "page_key", "public_pages"]

SPECIFICATION_TYPES: Final = frozenset({"Qualification", "LearningAchievementSpecification"})
#: What a dataset's context adds to the EDC-AP one: ``id`` and ``type`` as JSON-LD's ``@id``
#: and ``@type``. An EDC has them from the VC context before the EDC-AP one, which does not
#: define them; a dataset without them says, as RDF, nothing of its nodes' ids and classes (a
#: Qualification Dataset Register reading it as linked data would find no Qualification).
KEYWORD_ALIASES: Final[Mapping[str, str]] = {"id": "@id", "type": "@type"}
#: A Grant's title: credstack knows a programme's financial assistance as a description.
#: An offer's language: ELM's property, which the EDC-AP context gives no term.
DEFAULT_LANGUAGE: Final = "elm:defaultLanguage"
_GRANT_TITLE: Final = {"en": "Financial assistance", "ja": "経済的支援"}
_AUTHORITY: Final = "http://publications.europa.eu/resource/authority/"
#: An Amount's value as LOQ names it (the EDC-AP context's ``value`` is ``elm:value``).
RDF_VALUE: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
#: credstack's concepts of national framework levels (``…/level/JEQF/6``), which the Register
#: profile writes as NQF levels: no EU vocabulary has them.
LEVEL_CONCEPTS: Final = "https://w3id.org/credstack/elm/level/"
_LEVEL: Final = re.compile(f"^{re.escape(LEVEL_CONCEPTS)}(JEQF|AQF|MQF|NZQF)/(\\d+)$")
_HOURS: Final = re.compile(r"^PT(\d+(?:\.\d+)?)H$")
_WEEKS: Final = re.compile(r"^P(\d+)W$")


def _json_literal(document: Mapping[str, Any]) -> dict[str, Any]:
    return {"@type": "@json", "@value": dict(document)}


def page_key(programme: Programme) -> tuple[str, str]:
    """How :func:`dataset`'s ``pages`` name a programme: its awarding body's slug (empty
    without one) and its code."""
    body = programme.awarding_body
    return (body.id if body is not None else "", programme.code)


def public_pages(public_url: str, ids: Mapping[tuple[str, str], int]
                 ) -> dict[tuple[str, str], str]:
    """credstack's public page of each programme (``<public url>/programmes/<id>``) by its
    :func:`page_key`, from the programmes' ids."""
    return {key: f"{public_url}/programmes/{programme_id}" for key, programme_id in ids.items()}


def _opportunities(programme: Programme, spec: Mapping[str, Any],
                   provider: Mapping[str, Any], page: str | None) -> list[dict[str, Any]]:
    periods = programme.dates_of_delivery or (None,)
    seed = spec["id"]
    found = []
    for index, period in enumerate(periods):
        node: dict[str, Any] = {"id": seeded_id("learningOpportunity", seed, str(index)),
                                "type": "LearningOpportunity", "title": spec["title"],
                                "learningAchievementSpecification": spec["id"],
                                "providedBy": provider["id"]}
        if period is not None:
            temporal: dict[str, Any] = {"id": seeded_id("period", seed, str(index)),
                                        "type": "PeriodOfTime",
                                        "startDate": f"{period.start.isoformat()}T00:00:00Z"}
            if period.end is not None:
                temporal["endDate"] = f"{period.end.isoformat()}T00:00:00Z"
            node["temporal"] = temporal
        price = programme.price
        if price is not None:
            # ELM's PriceDetail holds an Amount node: the value (xsd:decimal, as a string so
            # that 12000.50 stays exact) and its currency, a concept of the EU's table.
            node["priceDetail"] = [{
                "id": seeded_id("priceDetail", seed, str(index)), "type": "PriceDetail",
                "amount": {"id": seeded_id("amount", seed, str(index)), "type": "Amount",
                           "value": str(price.amount),
                           "unit": concept(f"{_AUTHORITY}currency/{price.currency}",
                                           f"{_AUTHORITY}currency", {"en": price.currency})}}]
            if price.financial_assistance is not None:
                # A Grant must have a title (EDC shapes): what it is, in the languages of
                # the description credstack holds.
                assistance = dict(price.financial_assistance.root)
                node["grant"] = [{"id": seeded_id("grant", seed, str(index)), "type": "Grant",
                                  "title": {tag: _GRANT_TITLE.get(tag, _GRANT_TITLE["en"])
                                            for tag in assistance},
                                  "description": assistance}]
        if programme.languages:
            # The offer's authoritative language (one, LOQ): the first the programme names.
            node[DEFAULT_LANGUAGE] = language(programme.languages[0])
        # The offer's page: the provider's own (further information), else credstack's
        # public page of the programme when the export knows it.
        further = programme.further_information
        url = str(further.url) if further is not None and further.url is not None else page
        if url is not None:
            node["homepage"] = [{"id": seeded_id("webResource", seed, f"offer-{index}"),
                                 "type": "WebResource", "contentURL": url}]
        found.append(node)
    return found


def dataset(organisations: Sequence[Organisation], programmes: Sequence[Programme], *,
            pages: Mapping[tuple[str, str], str] | None = None) -> dict[str, Any]:
    """The organisations and programmes as one ELM dataset: organisations first, then each
    programme's specification and its learning opportunities. ``pages``: each programme's
    public page (by :func:`page_key`), its offers' homepage when it names none of its own."""
    nodes = {organisation.slug: {**organisation_node(organisation),
                                 ORGANISATION_PROPERTY: _json_literal(
                                     organisation.to_document())}
             for organisation in organisations}
    graph: list[dict[str, Any]] = list(nodes.values())
    for programme in programmes:
        body = programme.awarding_body
        provider = nodes.get(body.id) if body is not None else None
        spec = specification(programme, organisation=provider and {"id": provider["id"],
                                                                   "type": "Organisation"})
        graph.append(spec)
        # A LearningOpportunity must name who provides it (elm:providedBy, EDC shapes): a
        # programme whose awarding body is not in the dataset is written without offers
        # (its dates and price then travel only in credstack's extension).
        if provider is not None:
            graph.extend(_opportunities(programme, spec, provider,
                                        (pages or {}).get(page_key(programme))))
    return {"@context": [CONTEXT, dict(KEYWORD_ALIASES)], "@graph": graph}


def _types(node: Mapping[str, Any]) -> set[str]:
    value = node.get("type", node.get("@type"))
    values = value if isinstance(value, list) else [value]
    return {item for item in values if isinstance(item, str)}


def looks_like_dataset(data: Any) -> bool:
    """Whether decoded JSON is an ELM dataset: the EDC-AP context and a graph (or one node)
    holding a Qualification or LearningAchievementSpecification."""
    if not isinstance(data, Mapping):
        return False
    context = data.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if CONTEXT not in contexts:
        return False
    return any(_types(node) & SPECIFICATION_TYPES for node in _nodes(data))


def _nodes(data: Mapping[str, Any]) -> list[Any]:
    graph = data.get("@graph")
    return list(graph) if isinstance(graph, list) else [data]


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _plain_texts(value: Any) -> Any:
    """An ELM language map as credstack's (``{"en": ["…"]}`` of ELM 3.2 → ``{"en": "…"}``)."""
    if not isinstance(value, Mapping):
        return value
    return {tag: _first(text) for tag, text in value.items()}


def _language_tag(value: Any) -> str | None:
    uri = value.get("id") if isinstance(value, Mapping) else value
    if not isinstance(uri, str) or not uri.startswith(f"{_AUTHORITY}language/"):
        return None
    code = uri.rsplit("/", 1)[-1].lower()
    found = pycountry.languages.get(alpha_3=code)
    return getattr(found, "alpha_2", None) or code


def _decimal(text: Any) -> Decimal | None:
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return None


def _foreign(spec: Mapping[str, Any], offers: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """What ELM's own properties say of a specification without credstack's extension."""
    identifier = _first(spec.get("identifier"))
    code = identifier.get("notation") if isinstance(identifier, Mapping) else None
    document: dict[str, Any] = {
        "code": code if isinstance(code, str) and code else str(spec.get("id", "")).rsplit(
            ":", 1)[-1],
        "title": _plain_texts(spec.get("title"))}
    if "description" in spec:
        document["description"] = _plain_texts(spec["description"])
    outcomes = spec.get("learningOutcome")
    document["learning_outcomes"] = [
        {"statement": _plain_texts(item.get("title"))}
        for item in (outcomes if isinstance(outcomes, list) else [outcomes] if outcomes else [])
        if isinstance(item, Mapping)]
    languages = spec.get("language")
    document["languages"] = [tag for tag in (
        _language_tag(item) for item in (languages if isinstance(languages, list)
                                         else [languages] if languages else [])) if tag]
    effort: dict[str, Any] = {}
    hours = _HOURS.match(str(spec.get("volumeOfLearning", "")))
    if hours:
        effort["hours"] = hours.group(1)
        weeks = _WEEKS.match(str(spec.get("maximumDuration", "")))
        if weeks:
            effort["duration_weeks"] = int(weeks.group(1))
        credits = spec.get("creditPoint")
        effort["credits"] = [
            {"system": "ects", "value": str(_decimal(item.get("point")))}
            for item in (credits if isinstance(credits, list) else [credits] if credits else [])
            if isinstance(item, Mapping) and _first(item.get("framework", {})).get("id")
            == ECTS_FRAMEWORK and _decimal(item.get("point")) is not None]
        document["learner_effort"] = effort
    level = eqf_level(_first(spec.get("eqfLevel")))
    levels = [{"framework": "EQF", "level": level}] if level is not None else []
    # National levels credstack wrote as its own concepts (the Register profile's NQF level).
    nqf = spec.get("nqfLevel")
    for item in nqf if isinstance(nqf, list) else [nqf] if nqf else []:
        uri = item.get("id") if isinstance(item, Mapping) else item
        found = _LEVEL.match(uri) if isinstance(uri, str) else None
        if found:
            levels.append({"framework": found.group(1), "level": int(found.group(2))})
    if levels:
        document["levels"] = levels
    entry = _first(spec.get("entryRequirement"))
    if isinstance(entry, Mapping) and "noteLiteral" in entry:
        document["prerequisites"] = _plain_texts(entry["noteLiteral"])
    price = _price([_first(offer.get("priceDetail")) for offer in offers])
    if price is not None:
        document["price"] = price
    periods = [_first(offer.get("temporal")) for offer in offers]
    document["dates_of_delivery"] = [
        {"start": str(period.get("startDate", ""))[:10],
         **({"end": str(period["endDate"])[:10]} if period.get("endDate") else {})}
        for period in periods if isinstance(period, Mapping)]
    return {key: value for key, value in document.items() if value not in ([], None)}


def _price(details: Sequence[Any]) -> dict[str, Any] | None:
    """The first price an offer states: its Amount's value and currency (ISO 4217)."""
    for detail in details:
        amount = detail.get("amount") if isinstance(detail, Mapping) else None
        if not isinstance(amount, Mapping):
            continue
        # ``value`` (elm:value, the EDC-AP context) or rdf:value (LOQ, the Register's).
        value = _decimal(_literal(amount.get("value", amount.get(RDF_VALUE))))
        unit = _first(amount.get("unit"))
        uri = unit.get("id") if isinstance(unit, Mapping) else unit
        if value is not None and isinstance(uri, str) and \
                uri.startswith(f"{_AUTHORITY}currency/"):
            return {"amount": str(value), "currency": uri.rsplit("/", 1)[-1]}
    return None


def dataset_records(data: Mapping[str, Any]) -> Iterator[tuple[int, str, Any]]:
    """Each record of a dataset: ``(index in @graph, "organisation" | "programme",
    document)``; nodes of other classes (opportunities are read with their specification)
    are passed over."""
    nodes = _nodes(data)
    offers: dict[str, list[Mapping[str, Any]]] = {}
    for node in nodes:
        if isinstance(node, Mapping) and "LearningOpportunity" in _types(node):
            offers.setdefault(str(node.get("learningAchievementSpecification")), []).append(
                node)
    for index, node in enumerate(nodes):
        if not isinstance(node, Mapping):
            continue
        types = _types(node)
        if "Organisation" in types and ORGANISATION_PROPERTY in node:
            yield index, "organisation", _literal(node[ORGANISATION_PROPERTY])
        elif types & SPECIFICATION_TYPES:
            if DESCRIPTORS_PROPERTY in node:
                yield index, "programme", _literal(node[DESCRIPTORS_PROPERTY])
            else:
                yield index, "programme", _foreign(node, offers.get(str(node.get("id")), []))


def _literal(value: Any) -> Any:
    return value.get("@value") if isinstance(value, Mapping) and "@value" in value else value

