"""Reading framework items: names in the reader's language, the hierarchy, the ranker.

An item is found by its CASE identifier or its URI (the key alignments, the registry's skill
facet and the credit bank's skill rules use). Its name in a language comes from the label
layer when the operator (or a standard's outline, or the demo) gave one, else from the
framework itself. The hierarchy (every ``isChildOf``, across frameworks) and the suggestion
ranker over every item are built once per store *generation* — the frameworks' and labels'
last change — and kept in the runtime's caches; an import or a label edit makes the next
reader build them again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from credstack.adapters.db.repositories import skill_frameworks as framework_store
from credstack.adapters.db.repositories import skills as skill_store
from credstack.adapters.db.repositories.skill_frameworks import StoredItem
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.skills.hierarchy import ancestors, descendants
from credstack.core.skills.ranker import Ranker, RankerEntry
from credstack.core.skills.standards import bundled_title
from credstack.errors import InputError, NotFoundError, Problem
from credstack.services import audit
from credstack.services.runtime import Runtime

__all__ = ["SkillItem", "broader", "children", "hierarchy", "item", "items", "narrower",
           "ranker", "set_label"]

_LANGUAGES = ("ja", "en")


@dataclass(frozen=True, slots=True)
class SkillItem:
    """One framework item as people and programs read it."""

    identifier: str
    uri: str
    framework: str
    framework_title: str
    kind: str
    code: str | None
    statement: str
    #: The framework's own label, and the label layer's, by language.
    labels: Mapping[str, str] = field(default_factory=dict)
    own_label: str = ""
    language: str | None = None

    def named(self, language: str) -> tuple[str, str]:
        """(language tag, name): the item's name in ``language`` — the label layer's, else
        the framework's own when written in it — else in English, else in Japanese, else
        the framework's own in its language."""
        own = self.language or "en"
        for tag in dict.fromkeys((language, "en", "ja")):
            if self.labels.get(tag):
                return tag, self.labels[tag]
            if self.own_label and own.startswith(tag):
                return tag, self.own_label
        return own, self.own_label

    def name(self, language: str) -> str:
        """The item's name as :meth:`named` chooses it."""
        return self.named(language)[1]

    def framework_named(self, language: str) -> tuple[str | None, str]:
        """(language tag, title) of the framework: a bundled standard's in ``language``,
        else in English; any other's as it states it, in a language not known (``None``)."""
        return bundled_title(self.framework, language) or (None, self.framework_title)

    def framework_name(self, language: str) -> str:
        """The framework's title as :meth:`framework_named` chooses it."""
        return self.framework_named(language)[1]

    def to_dict(self) -> dict[str, Any]:
        return {"identifier": self.identifier, "uri": self.uri, "framework": self.framework,
                "framework_title": self.framework_title, "code": self.code,
                "name": {language: self.name(language) for language in _LANGUAGES},
                "statement": self.statement}


def _views(session: Session, stored: Sequence[StoredItem]) -> list[SkillItem]:
    labels = framework_store.labels(session, [row.uri for row in stored])
    views = []
    for row in stored:
        raw = orjson.loads(row.raw)
        statement = raw.get("fullStatement") if isinstance(raw, dict) else None
        views.append(SkillItem(row.identifier, row.uri, row.framework, row.framework_title,
                               row.framework_kind, row.code, str(statement or row.label),
                               labels.get(row.uri, {}), row.label, row.language))
    return views


def items(runtime: Runtime, uris: Iterable[str]) -> dict[str, SkillItem]:
    """The items among ``uris`` that a framework holds, by URI."""
    wanted = list(dict.fromkeys(uris))
    with runtime.sessions() as session:
        found = _views(session, framework_store.items(session, wanted))
    return {view.uri: view for view in found}


def item(runtime: Runtime, *, key: str) -> SkillItem:
    """The item whose identifier or URI is ``key``."""
    with runtime.sessions() as session:
        stored = framework_store.item_by_key(session, key)
        views = _views(session, [stored] if stored is not None else [])
    if not views:
        raise NotFoundError(code="skills.refused.no_skill", params={"key": key},
                            problems=[Problem("skill", key)])
    return views[0]


def item_json(runtime: Runtime, *, identifier: str) -> bytes:
    """The CFItem as it was imported (CASE ``getCFItem``)."""
    with runtime.sessions() as session:
        raw = framework_store.item_raw(session, identifier)
    if raw is None:
        raise NotFoundError(f"No CFItem {identifier!r}.", problems=[Problem("id", identifier)])
    return raw.encode()


def association_json(runtime: Runtime, *, identifier: str) -> bytes:
    """The CFAssociation as it was imported (CASE ``getCFAssociation``)."""
    with runtime.sessions() as session:
        raw = framework_store.association_raw(session, identifier)
    if raw is None:
        raise NotFoundError(f"No CFAssociation {identifier!r}.",
                            problems=[Problem("id", identifier)])
    return raw.encode()


def _cached(runtime: Runtime, name: str, build: Any) -> Any:
    with runtime.sessions() as session:
        current = framework_store.generation(session)
        held = runtime.caches.get(name)
        if held is not None and held[0] == current:
            return held[1]
        value = build(session)
    runtime.caches[name] = (current, value)
    return value


def hierarchy(runtime: Runtime) -> Mapping[str, tuple[str, ...]]:
    """Item URI → the URIs it is a child of (every framework)."""
    result: Mapping[str, tuple[str, ...]] = _cached(runtime, "skills.hierarchy",
                                                    skill_store.parents)
    return result


def broader(runtime: Runtime, uri: str) -> tuple[str, ...]:
    return ancestors(uri, hierarchy(runtime))


def narrower(runtime: Runtime, uri: str) -> tuple[str, ...]:
    return descendants(uri, hierarchy(runtime))


def children(runtime: Runtime, uri: str) -> list[SkillItem]:
    """The items directly under ``uri``, in their framework's order."""
    direct = [child for child, parents in hierarchy(runtime).items() if uri in parents]
    found = items(runtime, direct)
    return [found[child] for child in direct if child in found]


def _build_ranker(session: Session) -> Ranker:
    # An item with narrower ones under it is broad: the ranker prefers the narrower match.
    broad = {parent for parents in skill_store.parents(session).values() for parent in parents}
    labels: dict[str, list[str]] = {}
    for uri, label in framework_store.label_pairs(session):
        labels.setdefault(uri, []).append(label)
    entries = []
    for uri, label, raw in framework_store.rankable_items(session):
        data = orjson.loads(raw)
        statement = data.get("fullStatement")
        keywords = data.get("conceptKeywords") or []
        texts = tuple(text for text in (statement, *keywords)
                      if isinstance(text, str) and text != label)
        entries.append(RankerEntry(uri, (label, *labels.get(uri, ())), texts, uri in broad))
    return Ranker(entries)


def ranker(runtime: Runtime) -> Ranker:
    """The suggestion ranker over every skill item (occupations left out)."""
    result: Ranker = _cached(runtime, "skills.ranker", _build_ranker)
    return result


def set_label(runtime: Runtime, *, actor: Actor, key: str, language: str,
              label: str) -> SkillItem:
    """Give an item a name in ``language`` (the operator's label layer); an empty label
    removes the layer's name, so the framework's own shows again."""
    principal = actor.require(Action.SKILLS_MANAGE)
    text = " ".join(label.split())
    if language not in _LANGUAGES:
        raise InputError(f"Labels are in ja or en, not {language!r}.",
                         problems=[Problem("language", "ja or en / ja か en")])
    if len(text) > 1000:
        raise InputError("A label is at most 1,000 characters. / ラベルは 1,000 字までです。",
                         problems=[Problem("label", "too long / 長すぎます")])
    found = item(runtime, key=key)
    now = runtime.now()
    with runtime.transaction() as session:
        before = framework_store.set_label(session, uri=found.uri, language=language,
                                           label=text, by=principal.subject, at=now)
        audit.record(session, at=now, actor=principal.subject, action="skills.label-set",
                     subject=f"skill:{found.identifier}",
                     details={"uri": found.uri, "language": language, "before": before,
                              "after": text or None})
    return item(runtime, key=found.uri)
