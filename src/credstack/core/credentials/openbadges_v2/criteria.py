"""The criteria narrative of a BadgeClass, written from the programme's descriptors (guideline
1.1 / seed 000)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Final

from credstack.core import vocabularies
from credstack.core.descriptors.labels import label
from credstack.core.descriptors.models import CreditSystem, Programme
from credstack.core.types import MultilingualText

#: Section headings of the criteria narrative, in the order of the seed 000 mapping table
#: (the descriptors it maps to ``criteria``), then the descriptors it does not list.
_HEADINGS: Final[Mapping[str, tuple[str, str]]] = vocabularies.pairs(
    "ob2-criteria-heading", "ja", "en")


_WORDS: Final[Mapping[str, tuple[str, str]]] = vocabularies.pairs(
    "ob2-criteria-phrase", "ja", "en")


_CREDIT_SYSTEMS: Final[Mapping[CreditSystem, tuple[str, str]]] = {
    CreditSystem(system): names
    for system, names in vocabularies.pairs("ob2-credit-system", "ja", "en").items()}


#: Languages by primary subtag, named in Japanese and English (the ``language`` vocabulary).
_LANGUAGE_NAMES: Final[Mapping[str, tuple[str, str]]] = vocabularies.pairs("language", "ja",
                                                                           "en")


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[0] if language == "ja" else pair[1]


def _text(text: MultilingualText, language: str) -> str:
    return text.text(language, "en", "ja")


def _decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _language_name(tag: str, language: str) -> str:
    names = _LANGUAGE_NAMES.get(tag.split("-")[0].lower())
    return f"{_pick(names, language)} ({tag})" if names else tag


def _sections(programme: Programme, language: str) -> Iterator[tuple[str, list[str]]]:
    """(section key, Markdown lines) for each descriptor the programme states."""
    def word(name: str, *args: object, **kwargs: object) -> str:
        return _pick(_WORDS[name], language).format(*args, **kwargs)

    joiner = _pick(_WORDS["list"], language)
    if programme.learning_outcomes:
        yield "outcomes", [f"- {_text(o.statement, language)}" for o in programme.learning_outcomes]
    if programme.languages:
        yield "language", [joiner.join(_language_name(tag, language)
                                       for tag in programme.languages)]
    form = programme.form_of_participation
    if form is not None:
        parts = [label(form.mode, language)]
        if form.pace is not None:
            parts.append(label(form.pace, language))
        lines = [joiner.join(parts)]
        if form.description is not None:
            lines += ["", _text(form.description, language)]
        yield "participation", lines
    effort = programme.learner_effort
    if effort is not None:
        parts = [word("hours", _decimal(effort.hours))]
        parts += [word("credits", value=_decimal(amount.value),
                       system=_pick(_CREDIT_SYSTEMS[amount.system], language))
                  for amount in effort.credits]
        if effort.duration_weeks is not None:
            parts.append(word("weeks", effort.duration_weeks))
        yield "effort", [joiner.join(parts)]
    if programme.inherent_requirements is not None:
        yield "inherent", [_text(programme.inherent_requirements, language)]
    price = programme.price
    if price is not None:
        lines = [f"{_decimal(price.amount)} {price.currency}"]
        if price.financial_assistance is not None:
            lines += ["", _text(price.financial_assistance, language)]
        yield "price", lines
    assessment = programme.assessment
    if assessment is not None:
        lines = [joiner.join(label(method, language) for method in assessment.methods)]
        if assessment.description is not None:
            lines += ["", _text(assessment.description, language)]
        if assessment.supervision is not None:
            lines += ["", word("supervision", label(assessment.supervision, language))]
        if assessment.grading is not None:
            lines += ["", word("grading", _text(assessment.grading, language))]
        yield "assessment", lines
    for key, record in (("certification", programme.certification),
                        ("recognition", programme.credit_recognition)):
        if record is not None:
            lines = [joiner.join(label(kind, language) for kind in record.kinds)]
            if record.description is not None:
                lines += ["", _text(record.description, language)]
            yield key, lines
    if programme.quality_assurance:
        lines = []
        for qa in programme.quality_assurance:
            parts = [label(qa.kind, language), label(qa.scope, language)]
            if qa.body is not None:
                parts.append(_text(qa.body, language))
            line = f"- {joiner.join(parts)}"
            if qa.valid_until is not None:
                line += word("valid-until", qa.valid_until.isoformat())
            if qa.url is not None:
                line += f" <{qa.url}>"
            lines.append(line)
            if qa.description is not None:
                lines.append(f"  {_text(qa.description, language)}")
        yield "quality", lines
    if programme.prerequisites is not None:
        yield "prerequisites", [_text(programme.prerequisites, language)]
    if programme.levels:
        yield "levels", [f"- {word('level', framework=label(level.framework, language), level=level.level)}"  # noqa: E501
                         for level in programme.levels]
    stack = programme.stackability
    if stack is not None:
        lines = [word("stackable" if stack.stackable else "not-stackable")]
        if stack.targets:
            lines.append("")
        lines += [f"- {_text(target.title, language)} ({label(target.kind, language)})"
                  + (f" <{target.url}>" if target.url is not None else "")
                  for target in stack.targets]
        if stack.description is not None:
            lines += ["", _text(stack.description, language)]
        yield "stackability", lines
    if programme.dates_of_delivery:
        yield "delivery", [f"- {period.start.isoformat()} – {period.end.isoformat()}"
                           if period.end is not None
                           else f"- {word('open-ended', period.start.isoformat())}"
                           for period in programme.dates_of_delivery]
    further = programme.further_information
    if further is not None:
        lines = [_text(further.text, language)] if further.text is not None else []
        if further.url is not None:
            lines.append(f"<{further.url}>")
        yield "further", lines


def criteria_narrative(programme: Programme, language: str = "ja") -> str:
    """The BadgeClass ``criteria.narrative``: one Markdown section per descriptor (seed 000).

    Sections follow the order of the mapping table of the Japanese guideline 1.1 (learning
    outcomes, language, delivery mode, learner effort, inherent requirements, price,
    assessment, certification, credit recognition, quality assurance, prerequisites, level),
    then stackability, dates of delivery and further information. A programme that states
    none of them is "awarded to learners who complete the programme".
    """
    sections = [f"## {_pick(_HEADINGS[key], language)}\n\n" + "\n".join(lines)
                for key, lines in _sections(programme, language) if lines]
    return "\n\n".join(sections) if sections else _pick(_WORDS["completion"], language)
