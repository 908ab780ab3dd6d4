"""What the credit bank's pages share: a stored decision (the JSON kept with an application)
as rows people read, and search links that would fill a requirement's gap."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final
from urllib.parse import urlencode

from credstack.core import vocabularies
from credstack.core.creditbank import (
    Decision,
    Reason,
    RequirementOutcome,
    credit_rates,
    jurisdictions,
)
from credstack.core.creditbank.pathways import Target
from credstack.core.descriptors import isced_f
from credstack.core.descriptors.models import CreditSystem
from credstack.core.said import Said
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.i18n.codes import problem_said
from credstack.problems import Problem


def amount(t: i18n.Translator, value: Decimal | str) -> str:
    return t.number(Decimal(value).normalize())


def unit(t: i18n.Translator, system: str, amount: Decimal | None = None) -> str:
    """A credit system's unit in the page's language (単位, ECTS…), after ``amount`` when
    given; another as written."""
    rate = credit_rates().get(system)
    return system if rate is None else rate.unit(t.language, amount)


def credit_amount(t: i18n.Translator, value: Decimal | str, system: str) -> str:
    """An amount with its unit, one or many as the amount asks (``1 Japanese credit``,
    ``2 単位``); in a credit system only the credit bank converts, with that system's unit."""
    number = Decimal(value).normalize()
    if system in {known.value for known in CreditSystem}:
        return t.credits(number, system)
    return f"{amount(t, number)} {unit(t, system, number)}"


def _hours(t: i18n.Translator, values: Sequence[str]) -> str:
    low, high = (amount(t, value) for value in values)
    return low if low == high else f"{low}–{high}"


def conflict_texts(t: i18n.Translator, figures: Sequence[Mapping[str, Any]]) -> list[str]:
    """Why a deposit awaits a registrar's decision, in words: each conflict between what it
    states (credits that stand for so many hours, against the hours or other credits it
    states), as a decision keeps it (``conflict_figures``)."""
    found = []
    for item in figures:
        stated = t.credits(Decimal(item["credits"]).normalize(), item["system"])
        implied, other = _hours(t, item["implied_hours"]), _hours(t, item["stated_hours"])
        if item.get("other_system"):
            found.append(str(t("creditbank.ws.conflict_systems", credits=stated, implied=implied,
                               other=unit(t, item["other_system"]), hours=other)))
        else:
            found.append(str(t("creditbank.ws.conflict_hours", credits=stated, implied=implied,
                               hours=other)))
    return found


@dataclass(frozen=True, slots=True)
class Gap:
    """A link into the registry's search, with the words saying what it finds."""

    key: str
    values: Mapping[str, object]
    url: str


def search_url(pairs: Sequence[tuple[str, str]]) -> str:
    return "/search?" + urlencode(pairs)


def gaps_of(outcome: RequirementOutcome, field_name: Callable[[str], str]) -> list[Gap]:
    """Searches that would fill an unmet requirement: its field (stackable programmes in
    it, the field named by ``field_name``), each programme still missing by name, else
    stackable programmes at all."""
    if outcome.met:
        return []
    found: list[Gap] = []
    requirement = outcome.requirement
    if requirement.field:
        found.append(Gap("creditbank.gap.field", {"field": field_name(requirement.field)},
                         search_url([("field", requirement.field)])))
    for programme in outcome.missing_programmes:
        found.append(Gap("creditbank.gap.programme", {"programme": programme},
                         search_url([("q", programme)])))
    if not found:
        found.append(Gap("creditbank.gap.stackable", {}, search_url([("stackable", "true")])))
    return found


@dataclass(frozen=True, slots=True)
class Progress:
    """A published target and the learner's decision against it."""

    public_id: str
    title: str
    target: Target
    decision: Decision | None
    explanation: tuple[Said, ...]
    gaps: Mapping[str, list[Gap]]
    problem: str | None = None


def route_choices(targets: Sequence[Target], t: i18n.Translator, *, qualified: bool = True
                  ) -> list[tuple[str, str]]:
    """The routes credit may arrive by, into any of ``targets`` (key, name in ``t``'s
    language: the ``creditbank-route`` vocabulary), in order; every jurisdiction's when none
    of the targets names one (a route is always chosen from a list, never typed), each then
    followed by its jurisdiction's name unless not ``qualified``."""
    known = jurisdictions()
    chosen: dict[str, str] = {}
    if not any(target.jurisdiction in known for target in targets):
        for every in known.values():
            where = _named("creditbank-jurisdiction", every.key, every.en, t)
            for key, route in every.routes.items():
                name = _named("creditbank-route", f"{every.key}.{key}", route.en, t)
                chosen.setdefault(key, f"{name}{t.paren_open}{where}{t.paren_close}"
                                  if qualified else name)
        return list(chosen.items())
    for target in targets:
        place = known.get(target.jurisdiction or "")
        if place is None:
            continue
        for key, route in place.routes.items():
            if target.routes and key not in target.routes:
                continue
            chosen.setdefault(key, _named("creditbank-route", f"{place.key}.{key}", route.en, t))
    return list(chosen.items())


def _named(vocabulary: str, value: str, english: str, t: i18n.Translator) -> str:
    """A jurisdiction's, route's or rule's name in ``t``'s language (its vocabulary names
    each bundled one in all eight), else as the jurisdictions file has it in English."""
    return vocabularies.name(vocabulary, value, t.language) or english


@dataclass(frozen=True, slots=True)
class Line:
    """A line of a decision's explanation and the indented lines under it."""

    text: str
    under: tuple[str, ...] = ()


def outline(said: Sequence[Said], t: i18n.Translator) -> list[Line]:
    """An explanation's lines (:func:`~credstack.core.creditbank.explain`) in ``t``'s
    language as a list with sublists: each indented line goes under the line before it, so
    that a screen reader announces a requirement's counted deposits as its own list."""
    found: list[Line] = []
    for line in map(t.said, said):
        if line.startswith(" ") and found:
            found[-1] = Line(found[-1].text, (*found[-1].under, line.strip()))
        else:
            found.append(Line(line.removeprefix("- ").strip()))
    return found


def _figure(value: str) -> int | float | str:
    """A figure typed in a form as the pathway file would hold it (what is no number is kept
    as typed, for the pathway's check to name)."""
    try:
        number = Decimal(value.strip())
    except ArithmeticError:
        return value.strip()
    return int(number) if number == number.to_integral_value() else float(number)


@dataclass(frozen=True, slots=True)
class RequirementRow:
    """One requirement as the registrar's form has it."""

    ja: str = ""
    en: str = ""
    programmes: str = ""
    field: str = ""
    min: str = ""
    max: str = ""
    #: What the registrar searched the registry for, to pick programmes (not published).
    search: str = ""
    #: What the registrar searched the fields of study for, by name (not published).
    field_search: str = ""

    def empty(self) -> bool:
        return not any((self.ja, self.en, self.programmes, self.field, self.min, self.max))

    def addresses(self) -> list[str]:
        """The programmes that count, as the form keeps them: their registry addresses (or
        another identifier a pathway file held), apart by spaces, commas or lines."""
        return [part for part in re.split(r"[\s,]+", self.programmes) if part]


def fields_named(text: str, language: str, *, limit: int) -> list[tuple[str, str]]:
    """The ISCED-F fields whose name in ``language`` or in English holds every word of
    ``text`` (or whose code starts with it), at most ``limit``, as (code, name in
    ``language``): the detailed fields first, each broader one after them."""
    words = text.casefold().split()
    if not words:
        return []
    named, english = isced_f.fields(language), isced_f.fields()
    found = [(code, named.get(code) or name) for code, name in english.items()
             if all(word in f"{named.get(code, '')} {name}".casefold() for word in words)
             or code.startswith(text.strip())]
    return sorted(found, key=lambda pair: (-len(pair[0]), pair[0]))[:limit]


def pathway_of(organisation: str, *, title_ja: str, title_en: str, jurisdiction: str,
               total: str, general_credit: bool, rows: Sequence[RequirementRow]
               ) -> dict[str, Any]:
    """The pathway file (as data) that the registrar's target form describes: its id made
    from the organisation and the English title, the jurisdiction's credit system, and a
    requirement for each filled row (the programmes that count, one a line or comma; else
    the field; the credits it asks for and its cap)."""
    place = jurisdictions().get(jurisdiction)
    words = "-".join("".join(c for c in title_en.lower() if (c.isascii() and c.isalnum())
                             or c == " ").split())
    found: dict[str, Any] = {
        "id": f"{organisation}/{words or 'target'}",
        "title": {"ja": title_ja.strip(), "en": title_en.strip()},
        "kind": "rishu-programme",
        "system": place.system if place is not None and place.system else "jp-tani",
        "jurisdiction": jurisdiction, "total": _figure(total),
        "general_credit": general_credit,
    }
    requirements = []
    for number, row in enumerate((r for r in rows if not r.empty()), start=1):
        item: dict[str, Any] = {"id": f"requirement-{number}",
                                "title": {"ja": row.ja.strip(), "en": row.en.strip()}}
        programmes = row.addresses()
        if programmes:
            item["programmes"] = programmes
        if row.field.strip():
            item["field"] = row.field.strip()
        credits = {key: _figure(value) for key, value in (("min", row.min), ("max", row.max))
                   if value.strip()}
        if credits:
            item["credits"] = credits
        requirements.append(item)
    if requirements:
        found["requirements"] = requirements
    return found


@dataclass(frozen=True, slots=True)
class FormFault:
    """One fault of the registrar's target form as the form shows it: the id of the field it
    is in (an input, or its requirement's fieldset), that field named in words, and what is
    wrong in words — never the pathway file's line, pointer or keys, which the form hides."""

    anchor: str
    field: str
    text: str


#: The pathway's faults a form can make, said in the form's words (the others in the pathway
#: file's, which name no key a form shows either).
_FORM_WORDED: Final = frozenset({"not_positive", "no_total", "requirement_empty",
                                 "text_required", "max_below_min", "needed_above_total"})
_POINTER: Final = re.compile(r"(?:^|\s)(/\S*)$")
#: A requirement's part (the pointer below it), as the form's input for it and its label.
_REQUIREMENT_PARTS: Final = {
    ("title", "ja"): ("req-ja", "creditbank.ws.form.title_ja"),
    ("title", "en"): ("req-en", "creditbank.ws.form.title_en"),
    ("title",): ("req-ja", "creditbank.ws.form.title_ja"),
    ("credits", "min"): ("req-min", "creditbank.ws.form.min"),
    ("credits", "max"): ("req-max", "creditbank.ws.form.max"),
    ("credits",): ("req-max", "creditbank.ws.form.max"),
    ("programmes",): ("req-search", "creditbank.ws.form.programmes"),
    ("field",): ("req-field-search", "creditbank.ws.form.field"),
}
_TARGET_PARTS: Final = {
    ("title", "ja"): ("form-title-ja", "creditbank.ws.form.title_ja"),
    ("title", "en"): ("form-title-en", "creditbank.ws.form.title_en"),
    ("title",): ("form-title-ja", "creditbank.ws.form.title_ja"),
    ("id",): ("form-title-en", "creditbank.ws.form.title_en"),
    ("total",): ("form-total", "creditbank.ws.form.total"),
    ("award",): ("form-total", "creditbank.ws.form.total"),
    ("jurisdiction",): ("form-jurisdiction", "creditbank.ws.form.jurisdiction"),
    ("system",): ("form-jurisdiction", "creditbank.ws.form.jurisdiction"),
}


def form_faults(problems: Sequence[Problem], rows: Sequence[RequirementRow],
                t: i18n.Translator) -> list[FormFault]:
    """The faults the pathway check found in what the target form described
    (:func:`pathway_of`), each placed on the form's field and said in words: a requirement
    by its row's number on the form (empty rows are not in the pathway), a part of it by its
    field's label. A total or a requirement with a figure refused is not also said to be
    missing (``no_total``, ``requirement_empty``)."""
    numbers = [number for number, row in enumerate(rows, start=1) if not row.empty()]
    placed: list[tuple[str, bool, FormFault]] = []
    for problem in problems:
        matched = _POINTER.search(problem.location)
        parts = tuple(matched[1].split("/")[1:]) if matched else ()
        code = problem.code.removeprefix("creditbank.ws.fault.")
        text = (t(f"creditbank.ws.form.fault.{code}", **problem.params) if code in _FORM_WORDED
                else problem_said(problem, t.language, placed=False))
        missing = code in {"no_total", "requirement_empty"}
        if parts[:1] == ("requirements",) and len(parts) > 1 and parts[1].isdigit() \
                and int(parts[1]) < len(numbers):
            number = numbers[int(parts[1])]
            part = _REQUIREMENT_PARTS.get(parts[2:4]) or _REQUIREMENT_PARTS.get(parts[2:3])
            named = t("creditbank.ws.form.requirement", number=number)
            fault = (FormFault(f"requirement-{number}", named, text) if part is None
                     else FormFault(f"{part[0]}-{number}", t(
                         "creditbank.ws.form.fault.in_requirement", requirement=named,
                         field=t(part[1])), text))
            placed.append((f"requirement-{number}", missing, fault))
        elif parts[:1] == ("requirements",):
            placed.append(("requirements", missing, FormFault(
                "requirement-1" if numbers else "form-total",
                t("creditbank.ws.form.requirements"), text)))
        else:
            anchor, label = (_TARGET_PARTS.get(parts[:2]) or _TARGET_PARTS.get(parts[:1])
                             or ("target-form", "creditbank.ws.form.target"))
            placed.append((anchor, missing, FormFault(anchor, t(label), text)))
    refused = {owner for owner, missing, _ in placed if not missing}
    return [fault for owner, missing, fault in placed if not missing or owner not in refused]


def decision_rows(decision: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """A stored decision's requirements (as kept with an application)."""
    return list(decision.get("requirements", []))


def ledger_rules(targets: Sequence[Target], t: i18n.Translator) -> dict[str, str]:
    """What each ledger entry's rule is, in words in ``t``'s language: the bank's own
    movements, each requirement of ``targets`` (``requirement:<id>``: its title) and every
    jurisdiction's rules (their text)."""
    named: dict[str, str] = {rule: str(t(f"creditbank.ledger.rule.{rule}"))
             for rule in ("deposit", "general-credit", "released", "re-evaluated")}
    for place in jurisdictions().values():
        named.update({key: t.pair(rule.ja, rule.en) for key, rule in place.rules.items()})
    for target in targets:
        named.update({f"requirement:{r.id}": t.pair(r.ja, r.en) for r in target.requirements})
    return named


def excluded_because(code: str, language: str) -> str:
    """Why a deposit was not counted, in words in ``language``: a stored decision keeps the
    reason's code (``conflict``), which no person should read."""
    try:
        return Reason(code).text(language)
    except ValueError:
        return code


#: Between rules named in a row, where a language does not write "; ".
_RULES_JOINED_BY = {"ja": "、", "zh-Hans": "；"}


def rule_namer(t: i18n.Translator) -> Callable[[str | Sequence[str]], str]:
    """Names jurisdiction rules in words in ``t``'s language (the ``creditbank-rule``
    vocabulary): one rule id, or a list of them joined; an id no jurisdiction knows is kept
    as it is."""
    names = {key: _named("creditbank-rule", key, rule.en, t)
             for place in jurisdictions().values() for key, rule in place.rules.items()}

    def named(rules: str | Sequence[str]) -> str:
        if isinstance(rules, str):
            return names.get(rules, rules)
        return _RULES_JOINED_BY.get(t.language, "; ").join(names.get(rule, rule)
                                                           for rule in rules)

    return named
