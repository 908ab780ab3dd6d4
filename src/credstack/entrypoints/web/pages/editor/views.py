"""What the editor's pages show: the form as sections of controls (each with what was typed
and the problem found with it), the messages for what the model refuses, the conformance
matrix, and a difference between versions in words.

Built from what the services return and what was posted; nothing is looked up here.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from markupsafe import Markup

from credstack.core.descriptors import profiles
from credstack.core.descriptors.catalogue import credit_systems_of, descriptors_by_key
from credstack.core.descriptors.differences import Difference
from credstack.core.descriptors.drafts import FieldError
from credstack.core.descriptors.models import CreditSystem
from credstack.core.descriptors.validation import ProfileReport
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.i18n.codes import problem_said, said
from credstack.entrypoints.web.pages.editor.form import (
    CREDITS,
    LANGUAGES,
    SECTIONS,
    FormValues,
    Group,
    Input,
    Kind,
    Path,
    document_of,
    field_id,
    field_of,
    languages_of,
)
from credstack.entrypoints.web.pages.programmes import Conformance
from credstack.errors import CredstackError

_LEVEL: Final = re.compile(r"^(\w+) has levels (\d+)–(\d+)")
_NUMBER_KINDS: Final = frozenset({"decimal_parsing", "decimal_type", "float_parsing",
                                  "decimal_max_digits"})
_INTEGER_KINDS: Final = frozenset({"int_parsing", "int_from_float", "int_type"})
_MESSAGE_KEYS: Final = {
    "missing": "editor.error.missing", "greater_than": "editor.error.greater_than",
    "greater_than_equal": "editor.error.greater_than_equal",
    "less_than_equal": "editor.error.less_than_equal", "less_than": "editor.error.less_than",
    "decimal_max_places": "editor.error.decimal_places",
    "string_pattern_mismatch": "editor.error.pattern",
    "date_from_datetime_parsing": "editor.error.date", "date_parsing": "editor.error.date",
    "date_from_datetime_inexact": "editor.error.date", "date_type": "editor.error.date",
    "url_parsing": "editor.error.url", "url_scheme": "editor.error.url",
    "url_type": "editor.error.url", "enum": "editor.error.choice",
    "literal_error": "editor.error.choice", "bool_parsing": "editor.error.choice",
    "too_short": "editor.error.choose_one", "string_too_long": "editor.error.too_long",
}
_VALUE_ERRORS: Final = (
    ("ends (", "editor.error.dates"), ("targets are given", "editor.error.targets"),
    ("give a url or a text", "editor.error.url_or_text"),
    ("subdivision ", "editor.error.subdivision"),
)


def message_of(error: FieldError, t: i18n.Translator) -> Markup:
    """What the model refuses, in the page's language."""
    if error.kind in _NUMBER_KINDS:
        return t("editor.error.number")
    if error.kind in _INTEGER_KINDS:
        return t("editor.error.integer")
    key = _MESSAGE_KEYS.get(error.kind)
    if key is not None:
        try:
            return t(key, **error.context)
        except (KeyError, IndexError):
            return t("editor.error.other", detail=error.message)
    level = _LEVEL.match(error.message)
    if level is not None:
        return t("editor.error.level", framework=level.group(1), low=level.group(2),
                 high=level.group(3))
    for start, found in _VALUE_ERRORS:
        if error.message.startswith(start):
            return t(found)
    return t("editor.error.other", detail=error.message)


# --- the form as controls ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    chosen: bool


@dataclass(frozen=True, slots=True)
class Control:
    """One control: a text box, a text area, a choice, check boxes; for a multilingual value,
    one per language side by side (``parts``)."""

    name: str
    id: str
    label: str
    kind: str
    value: str
    options: tuple[Option, ...]
    problem: Markup | None
    hint: Markup | None
    lang: str | None = None
    readonly: bool = False
    parts: tuple[Control, ...] = ()
    #: Shown folded, under "other credit systems" (a credit system of another country).
    folded: bool = False

    @property
    def hint_id(self) -> str:
        return self.id + "-hint"

    @property
    def problem_id(self) -> str:
        return self.id + "-problem"

    @property
    def described_by(self) -> str:
        ids = [self.problem_id] if self.problem else []
        if self.hint:
            ids.append(self.hint_id)
        return " ".join(ids)

    @property
    def multilingual(self) -> bool:
        return bool(self.parts)


@dataclass(frozen=True, slots=True)
class Row:
    index: int
    controls: tuple[Control, ...]


@dataclass(frozen=True, slots=True)
class GroupView:
    path: str
    label: Markup
    rows: tuple[Row, ...]
    count: int


#: A section's states, as the form's index shows them: a value refused in it; changed since
#: it was saved; saved with something in it; nothing in it.
STATES: Final = ("attention", "unsaved", "complete", "empty")


@dataclass(frozen=True, slots=True)
class SectionView:
    key: str
    label: Markup
    items: tuple[Control | GroupView, ...]
    #: One of :data:`STATES`.
    state: str = "empty"

    @property
    def shown(self) -> tuple[Control | GroupView, ...]:
        return tuple(item for item in self.items
                     if not (isinstance(item, Control) and item.folded))

    @property
    def folded(self) -> tuple[Control, ...]:
        return tuple(item for item in self.items if isinstance(item, Control) and item.folded)

    @property
    def has_problem(self) -> bool:
        return any(c.problem or any(p.problem for p in c.parts) for c in _controls(self.items))


def _controls(items: Iterable[Control | GroupView]) -> Iterable[Control]:
    for item in items:
        if isinstance(item, GroupView):
            for row in item.rows:
                yield from row.controls
        else:
            yield item


def _label_key(item: Input, group: str | None, t: i18n.Translator) -> str:
    if group is not None and t.has(f"editor.field.{group}.{item.path}"):
        return f"editor.field.{group}.{item.path}"
    return item.label


def _options(item: Input, chosen: Sequence[str], t: i18n.Translator) -> tuple[Option, ...]:
    if item.kind is Kind.YES_NO:
        return (Option("", t("editor.choose"), not chosen or chosen[0] == ""),
                Option("true", t("editor.yes"), "true" in chosen),
                Option("false", t("editor.no"), "false" in chosen))
    if item.choices is None:
        return ()
    found = tuple(Option(member.value, t.label(member), member.value in chosen)
                  for member in item.choices)
    if item.kind is Kind.CHOICE:
        return (Option("", t("editor.choose"), not any(o.chosen for o in found)), *found)
    return found


def _language(tag: str, t: i18n.Translator) -> str:
    """The name of the language a field is written in, in the page's language (Thai,
    タイ語)."""
    key = "editor.lang." + tag
    return str(t(key)) if t.has(key) else t.language_name(tag)


def _control(item: Input, prefix: str, values: FormValues, problems: Mapping[str, Markup],
             t: i18n.Translator, group: str | None, readonly: Iterable[str]) -> Control:
    label = t(_label_key(item, group, t))
    hint = t(item.hint) if item.hint else None
    if item.multilingual:
        base = prefix + item.path
        parts = tuple(
            Control(f"{base}.{tag}", field_id(f"{base}.{tag}"), _language(tag, t),
                    item.kind.value, values.value(f"{base}.{tag}"), (),
                    problems.get(f"{base}.{tag}"), None, lang=tag)
            for tag in languages_of(values, base))
        return Control(base, field_id(base), label, item.kind.value, "", (), None, hint,
                       parts=parts)
    name = prefix + item.path
    found = values.values(name)
    return Control(name, field_id(name), label, item.kind.value, found[0] if found else "",
                   _options(item, found, t), problems.get(name), hint,
                   readonly=name in readonly)


def _elsewhere(values: FormValues) -> frozenset[str]:
    """The credit fields to fold: those of credit systems of other countries than the
    programme's, left empty (none when no system is the country's: all are offered)."""
    home = credit_systems_of(values.value("issuer_region.country"))
    if not home:
        return frozenset()
    return frozenset(f"{CREDITS}{system.value}" for system in CreditSystem
                     if system not in home and not values.value(f"{CREDITS}{system.value}"))


def _state(view: SectionView, values: FormValues, saved: FormValues | None) -> str:
    if view.has_problem:
        return "attention"
    # Compared as the documents they make: an empty row or a blank field is no change.
    mine, _ = document_of(values.only(view.key))
    stored = document_of(saved.only(view.key))[0] if saved is not None else {}
    if mine != stored:
        return "unsaved"
    return "complete" if mine else "empty"


def sections(values: FormValues, problems: Mapping[str, Markup], t: i18n.Translator, *,
             readonly: Iterable[str] = (), saved: FormValues | None = None
             ) -> tuple[SectionView, ...]:
    """The form's sections, filled with ``values``, each problem beside its field; the
    credits of other countries' systems folded, unless given; each section's state against
    the ``saved`` values (None: nothing is saved yet)."""
    fixed = frozenset(readonly)
    elsewhere = _elsewhere(values)
    shown = []
    for section in SECTIONS:
        items: list[Control | GroupView] = []
        for item in section.items:
            if isinstance(item, Group):
                count = values.rows.get(item.path, 0)
                rows = tuple(Row(index, tuple(
                    _control(inner, f"{item.path}.{index}.", values, problems, t, item.path,
                             fixed) for inner in item.inputs)) for index in range(count))
                items.append(GroupView(item.path, t(item.label), rows, count))
            else:
                control = _control(item, "", values, problems, t, None, fixed)
                if control.name in elsewhere and not control.problem:
                    control = dataclasses.replace(control, folded=True)
                items.append(control)
        view = SectionView(section.key, t(section.label), tuple(items))
        shown.append(dataclasses.replace(view, state=_state(view, values, saved)))
    return tuple(shown)


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem for the summary above the form: the field (its id, its label) and why."""

    field_id: str
    label: str
    message: Markup


def problems_of(errors: Iterable[FieldError], origin: Mapping[Path, str],
                t: i18n.Translator) -> dict[str, Markup]:
    """Each refused value's message, by the form field it was typed in (the first message
    when one field has several); errors with no field of their own go under ``""``."""
    found: dict[str, Markup] = {}
    for error in errors:
        name = field_of(error.loc, origin) or ""
        found.setdefault(name, message_of(error, t))
    return found


def summary(problems: Mapping[str, Markup], views: Sequence[SectionView]) -> list[Problem]:
    labels: dict[str, str] = {}
    for section in views:
        for control in _controls(section.items):
            for part in control.parts or (control,):
                text = (f"{control.label}（{part.label}）" if control.parts
                        else str(control.label))
                labels[part.name] = text
    return [Problem(field_id(name) if name else "", labels.get(name, name), message)
            for name, message in problems.items()]


# --- the conformance matrix ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MatrixRow:
    name: object
    checks: tuple[object, ...]
    key: str


@dataclass(frozen=True, slots=True)
class Matrix:
    conformance: tuple[Conformance, ...]
    rows: list[MatrixRow]


def matrix(reports: Sequence[ProfileReport]) -> Matrix:
    known = profiles()
    conformance = tuple(Conformance(known[report.profile], report) for report in reports)
    return Matrix(conformance, descriptor_rows_from(reports))


def descriptor_rows_from(reports: Sequence[ProfileReport]) -> list[MatrixRow]:
    """The matrix's rows: one per descriptor, with each profile's check of it."""
    catalogue = descriptors_by_key()
    by_profile = [{check.key: check for check in report.descriptors} for report in reports]
    keys = [check.key for check in reports[0].descriptors] if reports else []
    return [MatrixRow(catalogue[key].name, tuple(checks[key] for checks in by_profile),
                      catalogue[key].key) for key in keys]


# --- differences -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DifferenceRow:
    descriptor: str
    detail: str
    kind: str
    before: str | None
    after: str | None


def _field_label(path: str, t: i18n.Translator) -> str | None:
    key = "editor.field." + path
    return str(t(key)) if t.has(key) else None


def difference_rows(found: Iterable[Difference], t: i18n.Translator) -> list[DifferenceRow]:
    """Each difference in words: the descriptor's name, then where inside it (the item's
    number, the field, the language)."""
    catalogue = descriptors_by_key()
    rows = []
    for difference in found:
        top = difference.descriptor
        name = (catalogue[top].name.text(t.language) if top in catalogue
                else _field_label(top, t) or top)
        detail: list[str] = []
        rest = difference.path[1:]
        for index, part in enumerate(rest):
            if isinstance(part, int):
                detail.append(str(t("editor.row", n=part + 1)))
            elif part in LANGUAGES and index == len(rest) - 1:
                detail.append(_language(part, t))
            else:
                dotted = ".".join(str(p) for p in difference.path[:index + 2]
                                  if not isinstance(p, int))
                detail.append(_field_label(dotted, t) or _field_label(str(part), t)
                              or str(part))
        rows.append(DifferenceRow(name, " › ".join(detail), difference.kind.value,
                                  _readable(difference.before, t),
                                  _readable(difference.after, t)))
    return rows


def _readable(value: str | None, t: i18n.Translator) -> str | None:
    if value == "true":
        return str(t("editor.yes"))
    if value == "false":
        return str(t("editor.no"))
    return value



# --- an import's report --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One bad record of an imported file, as the report's row shows it: where (a CSV row, a
    YAML or JSON record and line), the column or field, and what is wrong, in the page's
    language."""

    place: str
    column: str
    message: str
    #: The CSV row (the header is row 1), when the problem is in one.
    row_number: int | None = None


_ROW: Final = re.compile(r"^row (\d+)(?:, (.+))?$")
_LINE_COLUMN: Final = re.compile(r"^line (\d+), column (\d+)$")
_LINE: Final = re.compile(r"^(.*?) ?\(line (\d+)\)$")
_RECORD: Final = re.compile(r"^((?:organisations|programmes)\[\d+\])(?:(?:\.|: )(.*))?$")
_NO_COLUMN: Final = " (no such column)"


def import_problems(error: CredstackError, source: str, language: i18n.Language
                    ) -> list[ImportProblem]:
    """Every problem of a refused import, split into where (row, record, line) and what, in
    ``language``; an error without problems is one row of its message."""
    t = i18n.Translator(language)
    if not error.problems:
        return [ImportProblem(str(t("editor.import.whole_file")), "",
                              said(error, language))]
    found = []
    for problem in error.problems:
        where = problem.location
        if where.startswith(f"{source}: "):
            where = where[len(source) + 2:]
        elif where == source:
            where = ""
        message = problem_said(problem, language, placed=False)
        found.append(_placed(where, message, t))
    return found


def _placed(where: str, message: str, t: i18n.Translator) -> ImportProblem:
    row = _ROW.match(where)
    if row is not None:
        column = row.group(2) or ""
        if column.endswith(_NO_COLUMN):
            column = f"{column.removesuffix(_NO_COLUMN)} {t('editor.import.no_column')}"
        number = int(row.group(1))
        return ImportProblem(str(t("editor.import.row_n", n=number)),
                             column.removeprefix("column "), message, number)
    spot = _LINE_COLUMN.match(where)
    if spot is not None:
        return ImportProblem(str(t("editor.import.line_column", line=int(spot.group(1)),
                                   column=int(spot.group(2)))), "", message)
    line = None
    lined = _LINE.match(where)
    if lined is not None:
        where, line = lined.group(1), int(lined.group(2))
    record = _RECORD.match(where)
    place, column = (record.group(1), record.group(2) or "") if record else (where, "")
    if not place:
        place = str(t("editor.import.whole_file"))
    if line is not None:
        place = str(t("editor.import.at_line", place=place, line=line))
    return ImportProblem(place, column, message)
