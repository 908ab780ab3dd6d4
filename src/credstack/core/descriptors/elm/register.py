"""Programmes for the EU's Qualification Dataset Register: the Register profile of a dataset.

Specification: *ELM v3, learning opportunities and qualifications application profile*
(``LOQ-constraints.ttl``, LOQ 1.1.0, 2023-06), the shapes the Qualification Dataset Register
checks — https://europa.eu/europass/elm-browser/. :func:`register_dataset` writes the ELM
dataset of :mod:`.datasets` as the Register takes it, and says what it left out and why:

* **Qualifications only, and only those LOQ takes**: a programme that states a level, an EQF
  level and a national framework's level (JEQF, AQF, MQF or NZQF), at least one ISCED-F
  field and at least one learning outcome (or skill), and a language for its offers. Any
  other is left out, each reason in English and Japanese (:class:`LeftOut`).
* **The EQF level** is the one the programme states or, failing that, the one the level
  crosswalk reads from its other levels through edges whose source is checked
  (:mod:`credstack.core.skills.levels`); a level read only through an edge still to be checked
  is not written, and the programme is left out with that edge's reason. A level read through
  the crosswalk is said so in a ``Note`` naming the reading and its source.
* **The NQF level** is the stated national level as a concept of credstack's scheme
  (``https://w3id.org/credstack/elm/level/<framework>/<n>``): the Register's list of
  frameworks (``http://data.europa.eu/snb/qdr/…``) has none of these frameworks, and no EU
  URI is made up. The EDC shapes want an NQF level of that list, so they find these.
* **Nothing LOQ's closed shapes refuse**: no credstack extension (the descriptors, the
  organisation), an ``Amount``'s value as ``rdf:value`` (LOQ) and not ``elm:value`` (the
  EDC-AP context and shapes: the two files disagree, and the default export follows the
  context), and no stack targets (``isPartOf`` a Qualification of a title and credits,
  which LOQ would check as a qualification).

Pure: no I/O.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from credstack.core.descriptors.ctdl import DESCRIPTORS_PROPERTY, ORGANISATION_PROPERTY
from credstack.core.descriptors.elm.datasets import LEVEL_CONCEPTS, RDF_VALUE, dataset, page_key
from credstack.core.descriptors.elm.export import ISCED_F, concept
from credstack.core.descriptors.models import LevelFramework, Programme
from credstack.core.organisations import Organisation
from credstack.core.skills.levels import Crosswalk, Reading, crosswalk, read_level

__all__ = ["NATIONAL_FRAMEWORKS", "Kept", "LeftOut", "Reason", "RegisterExport",
           "left_out_because", "register_dataset"]

#: The frameworks whose levels are a national framework's (AQRF and EQF are reference
#: frameworks; credstack's programmes state no AQRF level).
NATIONAL_FRAMEWORKS: Final = (LevelFramework.JEQF, LevelFramework.AQF, LevelFramework.MQF,
                              LevelFramework.NZQF)
_DECIMAL: Final = "http://www.w3.org/2001/XMLSchema#decimal"
_EQF: Final = "http://data.europa.eu/snb/eqf/"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a programme is left out: a key and the sentence in English and Japanese."""

    key: str
    en: str
    ja: str

    @property
    def text(self) -> str:
        return f"{self.en} / {self.ja}"

    def to_dict(self) -> dict[str, str]:
        return {"key": self.key, "en": self.en, "ja": self.ja}


@dataclass(frozen=True, slots=True)
class LeftOut:
    organisation: str
    code: str
    title: Mapping[str, str]
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"organisation": self.organisation, "code": self.code, "title": dict(self.title),
                "reasons": [reason.to_dict() for reason in self.reasons]}


@dataclass(frozen=True, slots=True)
class Kept:
    """A programme written as a qualification: its EQF level and where it comes from
    (``stated``, or the crosswalk reading's path such as ``JEQF-6 → EQF-6``)."""

    organisation: str
    code: str
    eqf: int
    nqf: tuple[str, ...]
    eqf_basis: str

    def to_dict(self) -> dict[str, Any]:
        return {"organisation": self.organisation, "code": self.code, "eqf": self.eqf,
                "nqf": list(self.nqf), "eqf_basis": self.eqf_basis}


@dataclass(frozen=True, slots=True)
class RegisterExport:
    """The Register profile dataset and its report: what it holds, what it left out."""

    dataset: dict[str, Any]
    kept: tuple[Kept, ...] = ()
    left_out: tuple[LeftOut, ...] = field(default=())

    def report(self) -> dict[str, Any]:
        return {"profile": "register", "kept": [item.to_dict() for item in self.kept],
                "left_out": [item.to_dict() for item in self.left_out]}


@dataclass(frozen=True, slots=True)
class _Eqf:
    level: int | None
    reading: Reading | None = None
    reasons: tuple[Reason, ...] = ()


def _arrow(reading: Reading) -> str:
    return " → ".join(reading.path)


def _eqf(programme: Programme, table: Crosswalk) -> _Eqf:
    """The programme's EQF level: stated, else read through checked crosswalk edges."""
    stated = [level.level for level in programme.levels if level.framework is LevelFramework.EQF]
    if stated:
        return _Eqf(stated[0])
    readings = [reading for level in programme.levels
                for reading in read_level(level.framework.value, level.level, "EQF", table)]
    checked = [reading for reading in readings if not reading.needs_checking]
    levels = sorted({reading.level for reading in checked})
    if len(levels) == 1:
        return _Eqf(levels[0], next(r for r in checked if r.level == levels[0]))
    if len(levels) > 1:
        found = ", ".join(f"EQF {level}" for level in levels)
        return _Eqf(None, reasons=(Reason(
            "eqf_ambiguous", f"its levels read as more than one EQF level ({found})",
            f"レベルが複数の EQF レベル（{found}）に読めます"),))
    unchecked = [reading for reading in readings if reading.needs_checking]
    if unchecked:
        edges = [edge for reading in unchecked for edge in reading.via if edge.source.check]
        paths = ", ".join(dict.fromkeys(_arrow(reading) for reading in unchecked))
        why_en = "; ".join(dict.fromkeys(edge.source.reason["en"] for edge in edges))
        why_ja = "；".join(dict.fromkeys(edge.source.reason["ja"] for edge in edges))
        return _Eqf(None, reasons=(Reason(
            "eqf_unchecked",
            f"states no EQF level, and the level crosswalk reads one ({paths}) only through "
            f"edges still to be checked: {why_en}",
            f"EQF レベルの記載がなく、レベル対応表の未確認の対応（{paths}）からしか読めません："
            f"{why_ja}"),))
    return _Eqf(None, reasons=(Reason(
        "no_eqf", "states no EQF level, and the level crosswalk reads none from its levels",
        "EQF レベルの記載がなく、レベル対応表からも読めません"),))


def left_out_because(programme: Programme, *, offers: bool = True, page: bool = True,
                     table: Crosswalk | None = None) -> tuple[Reason, ...]:
    """Why the Register profile leaves ``programme`` out (nothing when it takes it):
    ``offers`` whether its offers are written (its provider is in the dataset), ``page``
    whether credstack's public page of it is known."""
    return tuple(_reasons(programme, _eqf(programme, table or crosswalk()), offers, page))


def _reasons(programme: Programme, eqf: _Eqf, offers: bool, page: bool) -> list[Reason]:
    if not programme.levels:
        return [Reason("no_level", "states no qualification level, so it is not a "
                       "qualification (the Register takes level-referenced qualifications)",
                       "資格レベルの記載がなく、資格（Qualification）ではありません（登録簿は"
                       "レベルの参照された資格を受け付けます）")]
    found = list(eqf.reasons)
    if not any(level.framework in NATIONAL_FRAMEWORKS for level in programme.levels):
        found.append(Reason("no_nqf", "states no national qualifications framework level "
                            "(JEQF, AQF, MQF or NZQF)", "国の資格枠組み（JEQF・AQF・MQF・"
                            "NZQF）のレベルの記載がありません"))
    if not any(ISCED_F[item] for item in programme.fields):
        found.append(Reason("no_isced_f", "has no field of study with an ISCED-F code",
                            "ISCED-F の分野に対応する分野の記載がありません"))
    if not programme.learning_outcomes and not programme.skills:
        found.append(Reason("no_outcome", "states no learning outcome or skill",
                            "学修成果・スキルの記載がありません"))
    if offers and not programme.languages:
        found.append(Reason("no_language", "names no language, which its offers need as "
                            "their default language", "言語の記載がなく、受講機会の既定の言語"
                            "を書けません"))
    further = programme.further_information
    if offers and not page and (further is None or further.url is None):
        found.append(Reason("no_page", "has no web page for its offers (no further-information "
                            "URL, and the export knows no public page of it)",
                            "受講機会のウェブページがありません（その他の情報の URL も公開ページ"
                            "もありません）"))
    return found


def _level_concept(framework: str, level: int) -> dict[str, Any]:
    return concept(f"{LEVEL_CONCEPTS}{framework}/{level}", f"{LEVEL_CONCEPTS}{framework}",
                   {"en": f"{framework} level {level}", "ja": f"{framework} レベル{level}"})


def _reading_note(spec_id: str, reading: Reading) -> dict[str, Any]:
    sources = "; ".join(dict.fromkeys(edge.source.cite for edge in reading.via))
    arrow = _arrow(reading)
    relation = "比較可能" if reading.relation == "comparable" else "参考"
    return {"id": f"urn:epass:note:{uuid.uuid5(uuid.NAMESPACE_URL, spec_id + '#eqf')}",
            "type": "Note", "noteLiteral": {
                "en": f"EQF level read through credstack's level crosswalk: {arrow} "
                      f"({reading.relation}; {sources})",
                "ja": f"EQF レベルは credstack のレベル対応表から読んだもの：{arrow}"
                      f"（{relation}；{sources}）"}}


def _qualification(node: dict[str, Any], programme: Programme, eqf: _Eqf) -> None:
    assert eqf.level is not None
    node.pop(DESCRIPTORS_PROPERTY, None)
    node.pop("isPartOf", None)
    node["eqfLevel"] = concept(f"{_EQF}{eqf.level}", f"{_EQF}25831c2",
                               {"en": f"Level {eqf.level}"})
    node["nqfLevel"] = [_level_concept(level.framework.value, level.level)
                        for level in programme.levels if level.framework in NATIONAL_FRAMEWORKS]
    if eqf.reading is not None:
        node.setdefault("additionalNote", []).append(_reading_note(node["id"], eqf.reading))


def _amounts(offer: Mapping[str, Any]) -> None:
    for detail in offer.get("priceDetail", ()):
        amount = detail.get("amount")
        if isinstance(amount, dict) and "value" in amount:
            amount[RDF_VALUE] = {"@value": amount.pop("value"), "@type": _DECIMAL}


def register_dataset(organisations: Sequence[Organisation], programmes: Sequence[Programme],
                     *, pages: Mapping[tuple[str, str], str] | None = None,
                     table: Crosswalk | None = None) -> RegisterExport:
    """The programmes the Register takes as one ELM dataset (the LOQ profile), with the
    programmes it holds and those left out, each with its reasons."""
    known = table or crosswalk()
    providers = {organisation.slug for organisation in organisations}
    kept: list[tuple[Programme, _Eqf]] = []
    kept_report: list[Kept] = []
    left_out: list[LeftOut] = []
    for programme in programmes:
        slug, code = page_key(programme)
        eqf = _eqf(programme, known)
        reasons = _reasons(programme, eqf, slug in providers, (slug, code) in (pages or {}))
        if reasons:
            left_out.append(LeftOut(slug, code, dict(programme.title.root) if programme.title
                                    else {}, tuple(reasons)))
            continue
        assert eqf.level is not None
        kept.append((programme, eqf))
        kept_report.append(Kept(slug, code, eqf.level, tuple(
            f"{level.framework.value}-{level.level}" for level in programme.levels
            if level.framework in NATIONAL_FRAMEWORKS),
            "stated" if eqf.reading is None else _arrow(eqf.reading)))
    data = dataset(organisations, [programme for programme, _ in kept], pages=pages)
    specs: list[dict[str, Any]] = []
    for node in data["@graph"]:
        if node["type"] == "Organisation":
            node.pop(ORGANISATION_PROPERTY, None)
        elif node["type"] == "LearningOpportunity":
            _amounts(node)
        elif node["type"] == "Qualification":
            specs.append(node)
    # The specifications follow the dataset's order of programmes.
    for node, (programme, eqf) in zip(specs, kept, strict=True):
        _qualification(node, programme, eqf)
    return RegisterExport(data, tuple(kept_report), tuple(left_out))
