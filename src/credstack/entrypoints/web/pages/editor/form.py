"""The programme editor's form: every descriptor as form fields, and back.

A form is flat — ``title.ja``, ``learner_effort.hours``, ``learning_outcomes.2.statement.en``
— and a programme document is a tree. :data:`SECTIONS` says which fields there are (the
model's descriptors, each text in Japanese and English side by side); :func:`values_of`
turns a stored programme into the form's values, and :func:`document_of` turns what was
posted into a document, remembering which field each value came from so that whatever the
model refuses is shown next to the field it was typed in.

What was typed is kept as it was typed (:class:`FormValues`): a form that comes back with
errors, or with a row added or removed, loses nothing. Rows of a repeated group (outcomes,
quality assurance, levels, dates, skills, stacking targets) that are left empty are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from starlette.datastructures import FormData

from credstack.core.descriptors.models import (
    AssessmentMethod,
    CertificationKind,
    CreditRecognitionKind,
    CreditSystem,
    DeliveryMode,
    FieldOfStudy,
    LevelFramework,
    Pace,
    Programme,
    QualityAssuranceKind,
    QualityAssuranceScope,
    StackTargetKind,
    Supervision,
)
from credstack.core.types import whole_number

LANGUAGES: Final = ("ja", "en")
#: A language tag of a text in another language than those two (BCP 47, as the model takes
#: them): a programme imported with Korean or Thai texts keeps them when edited here.
_OTHER_LANGUAGE: Final = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*")
#: Fields a posted form may have at most (a form built by hand cannot make the page huge).
MAX_FIELDS: Final = 2000
#: Rows a repeated group may have at most.
MAX_ROWS: Final = 50
_LIST_SEPARATORS: Final = re.compile(r"[\s,、，]+")


class Kind(StrEnum):
    TEXT = "text"
    LONG = "long"
    NUMBER = "number"
    INTEGER = "integer"
    DATE = "date"
    URL = "url"
    CHOICE = "choice"
    CHOICES = "choices"
    YES_NO = "yes-no"
    CODES = "codes"


@dataclass(frozen=True, slots=True)
class Input:
    """One value of the document: ``path`` (dotted, inside its group's item when it is in
    one), how it is typed, and whether it is written in each language."""

    path: str
    kind: Kind = Kind.TEXT
    multilingual: bool = False
    choices: type[StrEnum] | None = None
    #: The message key of a hint shown under the label, if any.
    hint: str | None = None

    @property
    def label(self) -> str:
        return "editor.field." + self.path


@dataclass(frozen=True, slots=True)
class Group:
    """A list of items of the document (``path``), each item the same ``inputs``."""

    path: str
    inputs: tuple[Input, ...]
    #: How many empty rows a new form shows.
    initial: int = 1
    #: The input a problem with a whole item is shown next to (else the item's first).
    item_problems_at: str | None = None

    @property
    def label(self) -> str:
        return "editor.group." + self.path


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    items: tuple[Input | Group, ...]

    @property
    def label(self) -> str:
        return "editor.section." + self.key


def _m(path: str, kind: Kind = Kind.TEXT) -> Input:
    return Input(path, kind, multilingual=True)


#: Every descriptor of the model, in the order of seed 002's table, then the extras.
SECTIONS: Final[tuple[Section, ...]] = (
    Section("basics", (
        Input("code", hint="editor.hint.code"),
        _m("title"),
        _m("description", Kind.LONG),
        Input("issuer_region.country", hint="editor.hint.country"),
        Input("issuer_region.subdivision", hint="editor.hint.subdivision"),
        Input("languages", Kind.CODES, hint="editor.hint.languages"),
        Input("fields", Kind.CHOICES, choices=FieldOfStudy),
    )),
    Section("outcomes", (
        Group("learning_outcomes", (_m("statement", Kind.LONG),), initial=3),
    )),
    Section("participation", (
        Input("form_of_participation.mode", Kind.CHOICE, choices=DeliveryMode),
        Input("form_of_participation.pace", Kind.CHOICE, choices=Pace),
        _m("form_of_participation.description"),
    )),
    Section("effort", (
        Input("learner_effort.hours", Kind.NUMBER, hint="editor.hint.hours"),
        Input("learner_effort.duration_weeks", Kind.INTEGER),
        *(Input(f"learner_effort.credits.{system.value}", Kind.NUMBER) for system in CreditSystem),
    )),
    Section("assessment", (
        Input("assessment.methods", Kind.CHOICES, choices=AssessmentMethod,
              hint="editor.hint.methods"),
        Input("assessment.supervision", Kind.CHOICE, choices=Supervision),
        _m("assessment.description", Kind.LONG),
        _m("assessment.grading"),
    )),
    Section("quality", (
        Group("quality_assurance", (
            Input("kind", Kind.CHOICE, choices=QualityAssuranceKind),
            Input("scope", Kind.CHOICE, choices=QualityAssuranceScope),
            _m("body"),
            _m("description"),
            Input("url", Kind.URL),
            Input("valid_until", Kind.DATE),
        )),
    )),
    Section("levels", (
        Group("levels", (
            Input("framework", Kind.CHOICE, choices=LevelFramework),
            Input("level", Kind.INTEGER),
        ), item_problems_at="level"),
    )),
    Section("recognition", (
        Input("certification.kinds", Kind.CHOICES, choices=CertificationKind),
        _m("certification.description"),
        Input("credit_recognition.kinds", Kind.CHOICES, choices=CreditRecognitionKind),
        _m("credit_recognition.description"),
    )),
    Section("prerequisites", (
        _m("prerequisites", Kind.LONG),
        _m("inherent_requirements"),
    )),
    Section("stackability", (
        Input("stackability.stackable", Kind.YES_NO),
        _m("stackability.description"),
        Group("stackability.targets", (
            _m("title"),
            Input("kind", Kind.CHOICE, choices=StackTargetKind),
            Input("credits.system", Kind.CHOICE, choices=CreditSystem),
            Input("credits.value", Kind.NUMBER),
            Input("url", Kind.URL),
        ), initial=0),
    )),
    Section("dates", (
        Group("dates_of_delivery", (
            Input("start", Kind.DATE),
            Input("end", Kind.DATE),
        ), item_problems_at="end"),
    )),
    Section("price", (
        Input("price.amount", Kind.NUMBER),
        Input("price.currency", hint="editor.hint.currency"),
        _m("price.financial_assistance"),
    )),
    Section("information", (
        Input("further_information.url", Kind.URL),
        _m("further_information.text"),
    )),
    Section("skills", (
        Group("skills", (
            _m("name"),
            Input("framework"),
            Input("code"),
            Input("url", Kind.URL),
        ), initial=0),
    )),
)

GROUPS: Final = {item.path: item for section in SECTIONS for item in section.items
                 if isinstance(item, Group)}
#: The names of the credit fields, one per credit system, begin so.
CREDITS: Final = "learner_effort.credits."
SECTION_KEYS: Final = tuple(section.key for section in SECTIONS)


def _holds(item: Input | Group, name: str) -> bool:
    if isinstance(item, Group) or item.multilingual:
        return name.startswith(item.path + ".")
    return name == item.path


def section_of(name: str) -> str | None:
    """The key of the section the form field ``name`` is in (``title.ja`` → ``basics``,
    ``learning_outcomes.2.statement.en`` → ``outcomes``); None for no field of the form."""
    for section in SECTIONS:
        if any(_holds(item, name) for item in section.items):
            return section.key
    return None


def _groups_of(key: str) -> frozenset[str]:
    return frozenset(item.path for section in SECTIONS if section.key == key
                     for item in section.items if isinstance(item, Group))


def field_names(item: Input, prefix: str = "") -> tuple[str, ...]:
    """The form fields of ``item``: one, or one per language."""
    name = prefix + item.path
    return tuple(f"{name}.{tag}" for tag in LANGUAGES) if item.multilingual else (name,)


def field_id(name: str) -> str:
    """The element id of the field ``name``."""
    return "f-" + name.replace(".", "-")


# --- the values of a form ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FormValues:
    """What a form holds: each field's values (several for check boxes), and how many rows
    each repeated group shows."""

    fields: Mapping[str, tuple[str, ...]]
    rows: Mapping[str, int]

    def value(self, name: str) -> str:
        found = self.fields.get(name, ())
        return found[0] if found else ""

    def values(self, name: str) -> tuple[str, ...]:
        return self.fields.get(name, ())

    def with_row_added(self, group: str) -> FormValues:
        if group not in GROUPS:
            return self
        rows = dict(self.rows)
        rows[group] = min(rows.get(group, 0) + 1, MAX_ROWS)
        return FormValues(self.fields, rows)

    def with_row_removed(self, group: str, index: int) -> FormValues:
        """Row ``index`` of ``group`` gone, the rows after it moved up."""
        if group not in GROUPS or not 0 <= index < self.rows.get(group, 0):
            return self
        prefix = group + "."
        kept: dict[str, tuple[str, ...]] = {}
        for name, found in self.fields.items():
            if not name.startswith(prefix):
                kept[name] = found
                continue
            text, _, rest = name[len(prefix):].partition(".")
            number = whole_number(text)
            if number is None or number == index:
                continue
            row = number - (1 if number > index else 0)
            kept[f"{prefix}{row}.{rest}"] = found
        rows = dict(self.rows)
        rows[group] -= 1
        return FormValues(kept, rows)


    def only(self, key: str) -> FormValues:
        """The fields and rows of the section ``key`` alone."""
        groups = _groups_of(key)
        return FormValues({name: found for name, found in self.fields.items()
                           if section_of(name) == key},
                          {path: count for path, count in self.rows.items() if path in groups})

    def with_section(self, posted: FormValues, key: str) -> FormValues:
        """These values with the section ``key`` as ``posted`` has it, every other section
        as it was: what saving one section of a form stores."""
        groups = _groups_of(key)
        fields = {name: found for name, found in self.fields.items()
                  if section_of(name) != key}
        fields.update(posted.only(key).fields)
        rows = {path: count for path, count in self.rows.items() if path not in groups}
        rows.update({path: posted.rows.get(path, 0) for path in groups})
        return FormValues(fields, rows)


def empty_values() -> FormValues:
    return FormValues({}, {path: group.initial for path, group in GROUPS.items()})


def posted_values(form: FormData) -> FormValues:
    """The values of a posted form (only the editor's own fields; at most :data:`MAX_ROWS`
    rows a group)."""
    fields: dict[str, tuple[str, ...]] = {}
    rows: dict[str, int] = {}
    for name in list(dict.fromkeys(form.keys()))[:MAX_FIELDS]:
        found = tuple(value for value in form.getlist(name) if isinstance(value, str))
        if name.startswith("rows."):
            group = name.removeprefix("rows.")
            count = whole_number(found[0]) if found else None
            if group in GROUPS and count is not None:
                rows[group] = min(count, MAX_ROWS)
            continue
        fields[name] = found
    for path in GROUPS:
        rows.setdefault(path, 0)
        prefix = path + "."
        for name in fields:
            number = whole_number(name[len(prefix):].partition(".")[0]
                                  if name.startswith(prefix) else "")
            if number is not None and number < MAX_ROWS:
                rows[path] = max(rows[path], number + 1)
    return FormValues(fields, rows)


def _get(document: Any, path: str) -> Any:
    value = document
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _shown(item: Input, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if item.kind is Kind.YES_NO:
        return ("true" if value else "false",)
    if item.kind is Kind.CODES:
        return (", ".join(str(v) for v in value),)
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return (str(value),)


def languages_of(values: FormValues, base: str) -> tuple[str, ...]:
    """The languages of the multilingual field ``base``: Japanese and English, then every
    other language the programme is taught in (its ``languages``: naming Thai there offers
    Thai texts, in any of the platform's languages or another) or the form holds a text in."""
    taught = {tag for tag in _LIST_SEPARATORS.split(values.value("languages")) if tag}
    others = sorted(({name[len(base) + 1:] for name in values.fields
                      if name.startswith(base + ".")} | taught) - set(LANGUAGES))
    return (*LANGUAGES, *(tag for tag in others if _OTHER_LANGUAGE.fullmatch(tag)))


def _put(fields: dict[str, tuple[str, ...]], item: Input, value: Any, prefix: str) -> None:
    if item.multilingual:
        texts = value if isinstance(value, Mapping) else {}
        for tag, text in texts.items():
            fields[f"{prefix}{item.path}.{tag}"] = (str(text),)
    else:
        shown = _shown(item, value)
        if shown:
            fields[prefix + item.path] = shown


def values_of(programme: Programme) -> FormValues:
    """A stored programme as the form's values."""
    document = programme.to_document()
    fields: dict[str, tuple[str, ...]] = {}
    rows: dict[str, int] = {}
    credits = {c["system"]: c["value"] for c in _get(document, "learner_effort.credits") or ()}
    for section in SECTIONS:
        for item in section.items:
            if isinstance(item, Group):
                found = _get(document, item.path) or []
                rows[item.path] = max(len(found), 1 if item.initial else 0)
                for index, entry in enumerate(found):
                    for inner in item.inputs:
                        _put(fields, inner, _get(entry, inner.path),
                             f"{item.path}.{index}.")
            elif item.path.startswith(CREDITS):
                system = item.path.removeprefix(CREDITS)
                if system in credits:
                    fields[item.path] = (str(credits[system]),)
            else:
                _put(fields, item, _get(document, item.path), "")
    return FormValues(fields, rows)


# --- from a form to a document -------------------------------------------------------------------


Path = tuple[str | int, ...]


@dataclass(slots=True)
class _Builder:
    document: dict[str, Any]
    #: Document path → the field its value came from, in the order of the form.
    origin: dict[Path, str]


def _set(target: dict[str, Any], path: Iterable[str], value: Any) -> None:
    parts = list(path)
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def _typed(item: Input, found: tuple[str, ...]) -> Any:
    """The value a field gives the document (None when it gives none)."""
    if item.kind is Kind.CHOICES:
        chosen = [value for value in found if value]
        return chosen or None
    text = found[0].strip() if found else ""
    if not text:
        return None
    if item.kind is Kind.YES_NO:
        return {"true": True, "false": False}.get(text, text)
    if item.kind is Kind.CODES:
        return [code for code in _LIST_SEPARATORS.split(text) if code]
    if item.kind in (Kind.NUMBER, Kind.INTEGER):
        # Japanese keyboards type full-width digits and commas between thousands.
        return text.replace(",", "").replace("，", "")
    return found[0].strip() if item.kind is not Kind.LONG else found[0].replace("\r\n", "\n")


def _add(values: FormValues, item: Input, prefix: str, target: dict[str, Any],
         doc_prefix: Path, origin: dict[Path, str]) -> None:
    parts = item.path.split(".")
    if item.multilingual:
        texts = {}
        for tag in languages_of(values, prefix + item.path):
            name = f"{prefix}{item.path}.{tag}"
            text = values.value(name)
            if text.strip():
                texts[tag] = text.replace("\r\n", "\n").strip()
                origin[(*doc_prefix, *parts, tag)] = name
        if texts:
            _set(target, parts, texts)
            origin.setdefault((*doc_prefix, *parts), next(
                f"{prefix}{item.path}.{tag}" for tag in texts))
        return
    name = prefix + item.path
    value = _typed(item, values.values(name))
    if value is not None:
        _set(target, parts, value)
        origin[(*doc_prefix, *parts)] = name


def document_of(values: FormValues) -> tuple[dict[str, Any], dict[Path, str]]:
    """The document the form describes, and the field each part of it came from."""
    document: dict[str, Any] = {}
    origin: dict[Path, str] = {}
    for section in SECTIONS:
        for item in section.items:
            if isinstance(item, Group):
                entries: list[dict[str, Any]] = []
                for row in range(values.rows.get(item.path, 0)):
                    entry: dict[str, Any] = {}
                    found: dict[Path, str] = {}
                    for inner in item.inputs:
                        _add(values, inner, f"{item.path}.{row}.", entry,
                             (*item.path.split("."), len(entries)), found)
                    if entry:
                        origin[(*item.path.split("."), len(entries))] = (
                            f"{item.path}.{row}.{item.item_problems_at}"
                            if item.item_problems_at else next(iter(found.values())))
                        origin.update(found)
                        entries.append(entry)
                if entries:
                    _set(document, item.path.split("."), entries)
            elif item.path.startswith(CREDITS):
                value = _typed(item, values.values(item.path))
                if value is not None:
                    effort = document.setdefault("learner_effort", {})
                    credits = effort.setdefault("credits", [])
                    index = len(credits)
                    credits.append({"system": item.path.removeprefix(CREDITS),
                                    "value": value})
                    origin[("learner_effort", "credits", index, "value")] = item.path
                    origin[("learner_effort", "credits", index)] = item.path
            else:
                _add(values, item, "", document, (), origin)
    return document, origin


def field_of(loc: Path, origin: Mapping[Path, str]) -> str | None:
    """The form field where what the model refuses at ``loc`` was typed: the field itself,
    else the first field inside it (an object refused as a whole), else the field of a
    required value nobody typed (``price.currency`` when only the amount was), else the
    nearest field around it."""
    if loc in origin:
        return origin[loc]
    for path, name in origin.items():
        if path[:len(loc)] == loc:
            return name
    missing = _missing_field(loc, origin)
    if missing is not None:
        return missing
    for cut in range(len(loc) - 1, 0, -1):
        if loc[:cut] in origin:
            return origin[loc[:cut]]
    return None


def _missing_field(loc: Path, origin: Mapping[Path, str]) -> str | None:
    parts = [str(part) for part in loc]
    for section in SECTIONS:
        for item in section.items:
            if isinstance(item, Group):
                group = item.path.split(".")
                if parts[:len(group)] != group or len(parts) <= len(group) + 1:
                    continue
                # The document's row numbers skip empty rows; the form's do not.
                row_field = origin.get(tuple(loc[:len(group) + 1]))
                if row_field is None:
                    return None
                row = row_field[len(item.path) + 1:].partition(".")[0]
                inner = ".".join(parts[len(group) + 1:])
                for candidate in item.inputs:
                    if candidate.path == inner:
                        return field_names(candidate, f"{item.path}.{row}.")[0]
            elif item.path == ".".join(parts):
                return field_names(item)[0]
    return None
