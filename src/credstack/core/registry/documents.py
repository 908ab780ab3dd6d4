"""What the registry index knows about one programme version: text, facets, sort values.

The index is built from the store's documents: the canonical JSON of programme versions the
store validated when they were written. :func:`index_document` reads that JSON directly
instead of parsing it into a :class:`~credstack.core.descriptors.models.Programme` again —
at a million programmes, re-validating every document through Pydantic would cost a minute
and a half of the index build, for nothing the index needs. A missing or malformed part
counts as not stated (see :func:`credstack.core.registry.facets.facet_values`).

The one thing that does need the model is the ``profile`` facet: the framework profiles a
programme conforms to. Validation runs about 60,000 programme-profile checks a second — a
million programmes against five profiles would take a minute and a half — and whole
documents hardly ever repeat (the combinations of hours, methods, levels and kinds are too
many). :class:`ProfileConformance` therefore splits a verdict into the parts validation is
made of and caches each on just what it reads, as a *skeleton*: the data with everything
validation does not read replaced by a placeholder — free text (a
:class:`~credstack.core.types.MultilingualText`), identifiers, codes and URLs, money
amounts — and dates moved to a fixed start with their lengths kept. The rules read the
presence of descriptors, hours, credits, durations, levels, kinds and methods; never the
wording, a URL or a price. ``tests/core/registry`` checks that the verdicts equal full
validation over the demo set and generated programmes; a new kind of rule is evaluated on
the whole skeleton until :data:`_RULE_INPUTS` says what it reads.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any, Final

import orjson
from pydantic import AnyHttpUrl, BaseModel, ValidationError

from credstack.core.descriptors.catalogue import Scope, credit_systems, descriptors
from credstack.core.descriptors.findings import Severity
from credstack.core.descriptors.models import CreditSystem, Programme
from credstack.core.descriptors.profiles import Profile, profiles
from credstack.core.descriptors.rules import (
    CertificationKindRule,
    CreditsMatchHours,
    Duration,
    EffortCredits,
    EffortHours,
    LevelFrameworkRule,
    QualityAssuranceRule,
)
from credstack.core.descriptors.validation import validate
from credstack.core.registry.facets import (
    Recognition,
    facet_values,
    recognition_status,
)
from credstack.core.registry.text import normalise
from credstack.core.types import MultilingualText, decimal_or_none

__all__ = [
    "NO_SKILL",
    "RECOGNISED",
    "IndexDocument",
    "IndexedSkill",
    "ProfileConformance",
    "Provider",
    "ects_equivalent",
    "index_document",
    "recognised_versions",
    "title_sort_text",
]

#: Hours of learner effort in one ECTS credit (25–30), for comparing credits across systems.
ECTS_HOURS: Final = Decimal("27.5")
#: The ``recognition`` facet's value of a programme version that a recognition body's
#: recognition holds for (issue 6); the others keep the status their descriptors state.
RECOGNISED: Final = "recognised"


def recognised_versions(recognised: Container[tuple[int, int]], version: int) -> Recognition:
    """The ``recognition`` seam for ``version`` of a programme: :data:`RECOGNISED` when
    (programme id, version) is in ``recognised``, else the status derived from the
    descriptors (:func:`~credstack.core.registry.facets.recognition_status`)."""
    def status(programme_id: int, document: Mapping[str, Any]) -> str:
        if (programme_id, version) in recognised:
            return RECOGNISED
        return recognition_status(programme_id, document)

    return status


@dataclass(frozen=True, slots=True)
class Provider:
    """The awarding organisation as the store knows it."""

    slug: str
    kind: str
    name: Mapping[str, str]


#: The ``skill`` facet's value of a programme aligned to no framework item.
NO_SKILL: Final = "none"


@dataclass(frozen=True, slots=True)
class IndexedSkill:
    """A framework item a programme is aligned to (``direct``) or that is broader than one:
    its URI and its names by language."""

    uri: str
    names: Mapping[str, str]
    direct: bool = True


@dataclass(frozen=True, slots=True)
class IndexDocument:
    """One programme version, as the index sees it."""

    programme_id: int
    version: int
    title: Mapping[str, str]
    provider: Provider
    #: The title in every language it is given in (searched, and ranked first).
    title_texts: tuple[str, ...]
    #: Description, learning outcomes, provider names, skills (searched).
    texts: tuple[str, ...]
    facets: Mapping[str, tuple[str, ...]]
    hours: Decimal | None
    #: The stated credits, in ECTS-equivalent credits (for the credits sort).
    credits: Decimal | None
    #: The names of the ``skill`` facet's values, by URI.
    skill_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, dict):
        return ()
    return tuple(text for text in value.values() if isinstance(text, str) and text)


def _items(value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, list | tuple):
        return []
    return [item for item in value if isinstance(item, dict)]


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def ects_equivalent(credits: Sequence[Mapping[str, Any]]) -> Decimal | None:
    """Stated credits as ECTS-equivalent credits: the ECTS figure if stated, else the first
    stated system's credits converted through its hours per credit."""
    first: Decimal | None = None
    for amount in credits:
        value = decimal_or_none(amount.get("value"))
        if value is None:
            continue
        if amount.get("system") == CreditSystem.ECTS.value:
            return value
        if first is None:
            try:
                info = credit_systems()[CreditSystem(str(amount.get("system")))]
            except ValueError:
                continue
            middle = (info.hours_per_credit_min + info.hours_per_credit_max) / 2
            first = (value * middle / ECTS_HOURS).quantize(Decimal("0.001"))
    return first


def title_sort_text(title: Mapping[str, str], language: str) -> str:
    """The text a title sorts by in ``language`` (the other language, else any, if missing)."""
    other = "en" if language == "ja" else "ja"
    for tag in (language, other):
        text = title.get(tag)
        if text:
            return normalise(text)
    return normalise(next(iter(title.values()), ""))


def _skill_facet(document: Mapping[str, Any], skills: Sequence[IndexedSkill]
                 ) -> tuple[tuple[str, ...], dict[str, Mapping[str, str]], list[str]]:
    """The ``skill`` facet's values (stated skills with a URL, aligned and broader items),
    their names, and the names to search by (those of the stated and aligned ones)."""
    names: dict[str, Mapping[str, str]] = {}
    texts: list[str] = []
    for skill in _items(document.get("skills")):
        url = skill.get("url")
        if isinstance(url, str) and url:
            names.setdefault(url, {tag: text for tag, text in
                                   _mapping(skill.get("name")).items()
                                   if isinstance(tag, str) and isinstance(text, str)})
    for item in skills:
        names.setdefault(item.uri, dict(item.names))
        if item.direct:
            texts.extend(text for text in item.names.values() if text)
    return (tuple(names) or (NO_SKILL,)), names, texts


def index_document(document: Mapping[str, Any], *, programme_id: int, version: int,
                   provider: Provider, conformance: ProfileConformance,
                   recognition: Recognition = recognition_status,
                   skills: Sequence[IndexedSkill] = ()) -> IndexDocument:
    """What the index keeps of ``document`` (a stored version's canonical JSON).

    ``recognition`` is the seam for recognition decisions (issue 6): by default the status
    is derived from the descriptors. ``skills``: the framework items the programme's
    outcomes are aligned to, and every item broader than those (issue 17).
    """
    title = {tag: text for tag, text in _mapping(document.get("title")).items()
             if isinstance(tag, str) and isinstance(text, str)}
    body = _mapping(document.get("awarding_body"))
    texts: list[str] = [*_texts(document.get("description"))]
    for outcome in _items(document.get("learning_outcomes")):
        texts.extend(_texts(outcome.get("statement")))
    texts.extend(provider.name.values())
    texts.extend(name for name in _texts(body.get("name")) if name not in provider.name.values())
    for skill in _items(document.get("skills")):
        texts.extend(_texts(skill.get("name")))
    effort = _mapping(document.get("learner_effort"))
    facets = facet_values(document, provider=provider.slug, provider_kind=provider.kind,
                          profiles=conformance.conforming(document),
                          recognition=recognition(programme_id, document))
    skill_values, skill_names, skill_texts = _skill_facet(document, skills)
    facets["skill"] = skill_values
    texts.extend(skill_texts)
    return IndexDocument(
        programme_id=programme_id, version=version, title=title, provider=provider,
        title_texts=tuple(title.values()), texts=tuple(dict.fromkeys(texts)), facets=facets,
        hours=decimal_or_none(effort.get("hours")),
        credits=ects_equivalent(_items(effort.get("credits"))), skill_names=skill_names)


# --- profile conformance ----------------------------------------------------------------


_TEXT: Final = "text"
_PLACEHOLDER: Final = "placeholder"
_DATE: Final = "date"
_MONEY: Final = "money"
Shape = str | dict[str, Any] | None
_FIXED_DAY: Final = dt.date(2000, 1, 1)


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation may hold (Optional, unions, Annotated unwrapped)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def _shape_of(annotation: Any, name: str) -> Shape:
    for kind in _unwrap(annotation):
        origin = typing.get_origin(kind)
        if origin is tuple:
            return {"[]": _shape_of(typing.get_args(kind)[0], name)}
        if isinstance(kind, type):
            if issubclass(kind, MultilingualText):
                return _TEXT
            if issubclass(kind, AnyHttpUrl):
                return _PLACEHOLDER
            if issubclass(kind, BaseModel):
                return _model_shape(kind)
            if issubclass(kind, dt.date):
                return _DATE
    if name in {"code", "id", "framework"} and str in _unwrap(annotation):
        return _PLACEHOLDER
    return None


@cache
def _model_shape(model: type[BaseModel]) -> dict[str, Any]:
    shape: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        field_shape = _shape_of(info.annotation, name)
        if field_shape is not None:
            shape[name] = field_shape
    if model.__name__ == "Price":
        shape["amount"] = _MONEY
    return shape


Skeleton = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _text_placeholder(value: Any) -> Any:
    return {"en": "x"} if value is not None else None


def _placeholder(value: Any) -> Any:
    if value is None:
        return None
    return "https://x.example/" if str(value).startswith("http") else "x"


def _money(value: Any) -> Any:
    return "0" if value is not None else None


def _compile(shape: Shape) -> Skeleton:
    """A function from a JSON value of ``shape`` to its skeleton; identity where nothing is
    replaced, so most of a document is not copied at all."""
    if shape is None:
        return _identity
    if shape == _TEXT:
        return _text_placeholder
    if shape == _PLACEHOLDER:
        return _placeholder
    if shape == _MONEY:
        return _money
    if shape == _DATE:
        return _identity  # moved by the enclosing object, which sees all its dates
    assert isinstance(shape, dict)
    if "[]" in shape:
        item = _compile(shape["[]"])
        if item is _identity:
            return _identity

        def each(value: Any) -> Any:
            return [item(element) for element in value] if isinstance(value, list) else value

        return each
    fields = {name: _compile(kind) for name, kind in shape.items()}
    changed = {name: make for name, make in fields.items() if make is not _identity}
    dates = tuple(name for name, kind in shape.items() if kind == _DATE)
    if not changed and not dates:
        return _identity

    def obj(value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        out = {key: (changed[key](item) if key in changed else item)
               for key, item in value.items()}
        if dates:
            _move_dates(out, dates)
        return out

    return obj


def skeleton(document: Mapping[str, Any]) -> Any:
    """A programme document with what validation does not read replaced by placeholders."""
    return _compile(_model_shape(Programme))(document)


def _move_dates(values: dict[str, Any], keys: tuple[str, ...]) -> None:
    """Move an object's dates so the earliest is a fixed day: lengths kept, calendar dropped."""
    try:
        dates = {key: dt.date.fromisoformat(values[key]) for key in keys
                 if isinstance(values.get(key), str)}
    except ValueError:
        return
    if not dates:
        return
    offset = min(dates.values()) - _FIXED_DAY
    for key, day in dates.items():
        values[key] = (day - offset).isoformat()


#: The descriptors each kind of profile rule reads (rules.py: "a rule looks only at the
#: descriptor it is about"). A rule of a kind not listed here is given the whole skeleton.
_RULE_INPUTS: Final[Mapping[type[object], tuple[str, ...]]] = {
    EffortHours: ("learner_effort",),
    EffortCredits: ("learner_effort",),
    CreditsMatchHours: ("learner_effort",),
    Duration: ("learner_effort", "dates_of_delivery"),
    LevelFrameworkRule: ("levels",),
    QualityAssuranceRule: ("quality_assurance",),
    CertificationKindRule: ("certification",),
}


_EMPTY: Final[tuple[Any, ...]] = (None, [], {})


def _present(document: Mapping[str, Any], path: tuple[str, ...]) -> bool:
    value: Any = document
    for key in path:
        if type(value) is not dict:
            return False
        value = value.get(key)
        if value is None:
            return False
    return bool(value != [] and value != {})


class ProfileConformance:
    """Which framework profiles a document conforms to, each part of the verdict cached.

    A profile's verdict is "no error finding", and validation's findings are of three
    kinds (:mod:`credstack.core.descriptors.validation`): *not a micro-credential* (read from
    the assessment), *missing required* (read from which descriptors are present) and the
    profile's rules (each reading its own descriptor). Each is cached on just what it reads,
    as a skeleton, so a million programmes need a few thousand real evaluations, not five
    million validations.
    """

    def __init__(self, chosen: Sequence[Profile] | None = None, *,
                 max_entries: int = 200_000) -> None:
        self._profiles = tuple(chosen if chosen is not None else profiles().values())
        self._descriptors = tuple((d.key, d.path) for d in descriptors()
                                  if d.scope is Scope.PROGRAMME)
        programme_keys = {key for key, _ in self._descriptors}
        # Descriptors stated per learner (at issuance) are never missing from a programme.
        self._required = tuple(frozenset(profile.required) & programme_keys
                               for profile in self._profiles)
        shape = _model_shape(Programme)
        self._skeletons = {name: _compile(kind) for name, kind in shape.items()}
        self._nature: dict[bytes, bool] = {}
        self._rules: dict[tuple[int, int, bytes], bool] = {}
        self._max_entries = max_entries
        #: How many real evaluations (model built, rule or validation run) were made.
        self.evaluations = 0

    def conforming(self, document: Mapping[str, Any]) -> tuple[str, ...]:
        """The ids of the profiles ``document`` conforms to, in the profiles' order."""
        if not self._is_micro_credential(document):
            return ()
        present = {key for key, path in self._descriptors if path[0] in document
                   and (len(path) > 1 or document[path[0]] not in _EMPTY)
                   and (len(path) == 1 or _present(document, path))}
        inputs: dict[tuple[str, ...], bytes] = {}
        chosen = []
        for number, profile in enumerate(self._profiles):
            if not self._required[number] <= present:
                continue
            if all(not self._rule_errs(number, index, rule, document, inputs)
                   for index, rule in enumerate(profile.rules)):
                chosen.append(profile.id)
        return tuple(chosen)

    def _remember(self, table: dict[Any, bool], key: Any, value: bool) -> bool:
        if len(table) >= self._max_entries:
            table.clear()
        table[key] = value
        return value

    def _is_micro_credential(self, document: Mapping[str, Any]) -> bool:
        assessment = document.get("assessment")
        key = orjson.dumps(self._skeletons["assessment"](assessment),
                           option=orjson.OPT_SORT_KEYS)
        found = self._nature.get(key)
        if found is not None:
            return found
        self.evaluations += 1
        programme = self._programme({"assessment": assessment} if assessment else {})
        verdict = programme is not None and validate(programme, self._profiles[0]
                                                     ).is_micro_credential
        return self._remember(self._nature, key, verdict)

    def _rule_errs(self, number: int, index: int, rule: Any, document: Mapping[str, Any],
                   inputs: dict[tuple[str, ...], bytes]) -> bool:
        fields = _RULE_INPUTS.get(type(rule)) or tuple(document)
        key = inputs.get(fields)
        if key is None:
            key = orjson.dumps({name: self._skeletons.get(name, _identity)(document.get(name))
                                for name in fields}, option=orjson.OPT_SORT_KEYS)
            inputs[fields] = key
        found = self._rules.get((number, index, key))
        if found is not None:
            return found
        self.evaluations += 1
        projection = {name: document[name] for name in fields if name in document}
        programme = self._programme(
            {name: self._skeletons.get(name, _identity)(value)
             for name, value in projection.items()})
        errs = programme is None or any(finding.severity is Severity.ERROR
                                        for finding in rule.findings(programme))
        return self._remember(self._rules, (number, index, key), errs)

    @staticmethod
    def _programme(values: Mapping[str, Any]) -> Programme | None:
        try:
            return Programme.model_validate({**values, "code": "x"})
        except ValidationError:
            return None
