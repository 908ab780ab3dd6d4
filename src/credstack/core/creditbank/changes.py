"""What changed in a target's rules from one published version to the next.

:func:`changes` compares two :class:`~credstack.core.creditbank.pathways.Target` s and returns
one :class:`Change` per difference a registrar or learner would want named, in this order:

* the target's own terms — title, kind, credit system, total, rounding, jurisdiction, award,
  routes, whether general credit counts, the programmes elsewhere it describes (added,
  removed, or described otherwise: title and web page);
* its rules (caps, minimums, expiries; adopted or its own), by id: removed, added, or changed
  in kind, routes, credits, share, years, awards, wording or source;
* its requirements, by id: removed, added, or changed in title, programmes, the number to
  choose, credits, hours, field, skill, level, routes, recency, grade or prerequisites.

Lists (programmes, routes, prerequisites, awards) are compared as sets: what was added and
what was removed. Every value is kept in Japanese and English (a figure is the same in
both), and :meth:`Change.describe` says the change in either. Pure: two parsed targets in,
data out.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from credstack.core import vocabularies
from credstack.core.creditbank.conversion import figure
from credstack.core.creditbank.jurisdictions import Rule
from credstack.core.creditbank.pathways import Level, ProgrammeElsewhere, Requirement, Target

__all__ = ["Change", "Scope", "changes"]

#: A value in Japanese and in English.
Words = tuple[str, str]


class Scope(StrEnum):
    TARGET = "target"
    RULE = "rule"
    REQUIREMENT = "requirement"


@dataclass(frozen=True, slots=True)
class Change:
    """One difference: what it is about (the target, or a rule or requirement by id), the
    aspect (``added``, ``removed``, or a term such as ``total``) and the values before and
    after. For a list, ``before`` holds what was removed and ``after`` what was added."""

    scope: Scope
    subject: str
    aspect: str
    before: Words | None = None
    after: Words | None = None
    listed: bool = False

    def describe(self, language: str) -> str:
        ja = language == "ja"
        pick = 0 if ja else 1
        before = self.before[pick] if self.before is not None else None
        after = self.after[pick] if self.after is not None else None
        if self.aspect in ("added", "removed"):
            return _whole(self.scope, self.subject, self.aspect, after or before, ja)
        name = _ASPECTS[self.aspect][pick]
        if self.aspect == "programme_elsewhere":
            name = (f"他機関のプログラム {self.subject} {name}" if ja else
                    f"programme elsewhere {self.subject}, {name}")
        elif self.scope is Scope.RULE:
            name = f"規則 {self.subject} の{name}" if ja else f"rule {self.subject}, {name}"
        elif self.scope is Scope.REQUIREMENT:
            name = f"要件 {self.subject} の{name}" if ja else f"requirement {self.subject}, {name}"
        if self.listed:
            parts = ([f"{after} を追加" if ja else f"added {after}"] if after else []) + (
                [f"{before} を削除" if ja else f"removed {before}"] if before else [])
            return f"{name}：{'、'.join(parts)}" if ja else f"{name}: {'; '.join(parts)}"
        return (f"{name}：{before or '—'} → {after or '—'}" if ja else
                f"{name}: {before or '—'} → {after or '—'}")


#: The terms of a target a change names, as (ja, en).
_ASPECTS: dict[str, Words] = vocabularies.pairs("creditbank-aspect", "ja", "en")


def _whole(scope: Scope, subject: str, aspect: str, name: str | None, ja: bool) -> str:
    what = {Scope.RULE: ("規則", "rule"), Scope.REQUIREMENT: ("要件", "requirement"),
            Scope.TARGET: ("目標", "target")}[scope]
    shown = name if name and name != subject else None  # a title that is only the id: once
    if ja:
        named = f"（{shown}）" if shown else " "
        return f"{what[0]} {subject}{named}を{'追加' if aspect == 'added' else '削除'}"
    named = f" ({shown})" if shown else ""
    return f"{what[1]} {subject}{named} {aspect}"


def _described(programme: ProgrammeElsewhere) -> Words:
    """A programme elsewhere as the target describes it: its title and web page."""
    url = f" <{programme.url}>" if programme.url else ""
    return (f"{programme.ja or programme.en}{url}".strip(),
            f"{programme.en or programme.ja}{url}".strip())


def _same(text: str) -> Words:
    return (text, text)


def _value(value: object) -> Words | None:
    """A term's value as words: None when absent, figures and codes alike in both."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ("あり", "yes") if value else ("なし", "no")
    if isinstance(value, Decimal):
        return _same(figure(value))
    if isinstance(value, Level):
        return _same(f"{value.framework} {value.minimum}")
    return _same(str(value))


def _scalar(scope: Scope, subject: str, aspect: str, before: object, after: object
            ) -> Iterator[Change]:
    if before != after:
        yield Change(scope, subject, aspect, _value(before), _value(after))


def _words(scope: Scope, subject: str, aspect: str, before: Words, after: Words
           ) -> Iterator[Change]:
    if before != after:
        yield Change(scope, subject, aspect, before, after)


def _set(scope: Scope, subject: str, aspect: str, before: Sequence[str],
         after: Sequence[str]) -> Iterator[Change]:
    removed = [item for item in before if item not in after]
    added = [item for item in after if item not in before]
    if removed or added:
        yield Change(scope, subject, aspect,
                     _same(", ".join(removed)) if removed else None,
                     _same(", ".join(added)) if added else None, listed=True)


def changes(before: Target, after: Target) -> tuple[Change, ...]:
    """Every difference from ``before`` to ``after`` (see the module docstring)."""
    return (*_target_changes(before, after), *_rule_changes(before.rules, after.rules),
            *_requirement_changes(before.requirements, after.requirements))


def _target_changes(before: Target, after: Target) -> Iterator[Change]:
    scope = Scope.TARGET
    yield from _words(scope, "", "title", (before.ja, before.en), (after.ja, after.en))
    yield from _scalar(scope, "", "kind", before.kind.value, after.kind.value)
    yield from _scalar(scope, "", "system", before.system, after.system)
    yield from _scalar(scope, "", "total", before.total, after.total)
    yield from _scalar(scope, "", "rounding", before.rounding.name, after.rounding.name)
    yield from _scalar(scope, "", "jurisdiction", before.jurisdiction, after.jurisdiction)
    yield from _scalar(scope, "", "award", before.award, after.award)
    yield from _set(scope, "", "routes", before.routes, after.routes)
    yield from _scalar(scope, "", "general_credit", before.general_credit,
                       after.general_credit)
    yield from _set(scope, "", "programmes_elsewhere",
                    [p.reference for p in before.elsewhere], [p.reference for p in after.elsewhere])
    for now in after.elsewhere:
        was = before.described(now.reference)
        if was is not None and was != now:
            yield Change(scope, now.reference, "programme_elsewhere", _described(was),
                         _described(now))


def _rule_changes(before: Sequence[Rule], after: Sequence[Rule]) -> Iterator[Change]:
    old = {rule.id: rule for rule in before}
    new = {rule.id: rule for rule in after}
    for rule in before:
        if rule.id not in new:
            yield Change(Scope.RULE, rule.id, "removed", before=(rule.ja, rule.en))
    for rule in after:
        if rule.id not in old:
            yield Change(Scope.RULE, rule.id, "added", after=(rule.ja, rule.en))
    for rule in after:
        was = old.get(rule.id)
        if was is None:
            continue
        scope, ident = Scope.RULE, rule.id
        yield from _scalar(scope, ident, "kind", was.kind.value, rule.kind.value)
        yield from _set(scope, ident, "routes", was.routes, rule.routes)
        yield from _scalar(scope, ident, "credits", was.credits, rule.credits)
        yield from _scalar(scope, ident, "share", was.share, rule.share)
        yield from _scalar(scope, ident, "years", was.years, rule.years)
        yield from _set(scope, ident, "awards", was.awards, rule.awards)
        yield from _words(scope, ident, "wording", (was.ja, was.en), (rule.ja, rule.en))
        yield from _scalar(scope, ident, "source", was.source, rule.source)


def _requirement_changes(before: Sequence[Requirement], after: Sequence[Requirement]
                         ) -> Iterator[Change]:
    old = {requirement.id: requirement for requirement in before}
    new = {requirement.id: requirement for requirement in after}
    for requirement in before:
        if requirement.id not in new:
            yield Change(Scope.REQUIREMENT, requirement.id, "removed",
                         before=(requirement.ja, requirement.en))
    for requirement in after:
        if requirement.id not in old:
            yield Change(Scope.REQUIREMENT, requirement.id, "added",
                         after=(requirement.ja, requirement.en))
    for now in after:
        was = old.get(now.id)
        if was is None:
            continue
        scope, ident = Scope.REQUIREMENT, now.id
        yield from _words(scope, ident, "title", (was.ja, was.en), (now.ja, now.en))
        yield from _set(scope, ident, "programmes", was.programmes, now.programmes)
        for aspect in ("choose", "min_credits", "max_credits", "min_hours", "field", "skill",
                       "level", "within_years", "min_grade"):
            yield from _scalar(scope, ident, aspect, getattr(was, aspect),
                               getattr(now, aspect))
        yield from _set(scope, ident, "routes", was.routes, now.routes)
        yield from _set(scope, ident, "after", was.after, now.after)
