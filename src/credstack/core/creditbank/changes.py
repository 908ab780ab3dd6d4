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
what was removed. A title or wording is kept as the target writes it (Japanese and
English), a figure or code as it is, and :attr:`Change.said` is the change as a message key
and its values, which the entrypoint words. Pure: two parsed targets in, data out.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from credstack.core.creditbank.conversion import figure
from credstack.core.creditbank.jurisdictions import Rule
from credstack.core.creditbank.pathways import Level, ProgrammeElsewhere, Requirement, Target
from credstack.core.said import InLanguages, Named, Said

__all__ = ["Change", "Scope", "Value", "changes"]

#: A value as a change says it: a figure or code (the same in every language), a text the
#: target writes per language (a title, a rule's wording), or a phrase said (yes, no).
Value = str | InLanguages | Said


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
    before: Value | None = None
    after: Value | None = None
    listed: bool = False

    @property
    def said(self) -> Said:
        """The change as a message key and its values (``creditbank.change.*``), which the
        target's history page words in its reader's language."""
        if self.aspect in ("added", "removed"):
            return _whole(self.scope, self.subject, self.aspect, self.after or self.before)
        name: Said | Named = Named("creditbank-aspect", self.aspect)
        if self.aspect == "programme_elsewhere":
            name = Said("creditbank.change.of_elsewhere", subject=self.subject, aspect=name)
        elif self.scope is Scope.RULE:
            name = Said("creditbank.change.of_rule", subject=self.subject, aspect=name)
        elif self.scope is Scope.REQUIREMENT:
            name = Said("creditbank.change.of_requirement", subject=self.subject, aspect=name)
        if self.listed:
            if self.after and self.before:
                return Said("creditbank.change.listed_both", name=name, added=self.after,
                            removed=self.before)
            if self.after:
                return Said("creditbank.change.listed_added", name=name, added=self.after)
            return Said("creditbank.change.listed_removed", name=name, removed=self.before)
        return Said("creditbank.change.value", name=name, before=self.before or "—",
                    after=self.after or "—")


def _whole(scope: Scope, subject: str, aspect: str, name: Value | None) -> Said:
    """A rule, requirement or target added or removed, named by its title where the title
    is more than its id (a title that is only the id: once)."""
    what = Said(f"creditbank.change.scope.{scope.value}")
    if isinstance(name, InLanguages):
        titles = {tag: text for tag, text in name.texts if text and text != subject}
        if titles:
            return Said(f"creditbank.change.{aspect}_named", what=what, subject=subject,
                        name=InLanguages(titles))
    elif name and name != subject:
        return Said(f"creditbank.change.{aspect}_named", what=what, subject=subject, name=name)
    return Said(f"creditbank.change.{aspect}", what=what, subject=subject)


def _titled(ja: str, en: str) -> InLanguages:
    """A title or wording the target writes in Japanese and English."""
    return InLanguages({"ja": ja, "en": en})


def _described(programme: ProgrammeElsewhere) -> InLanguages:
    """A programme elsewhere as the target describes it: its title and web page."""
    url = f" <{programme.url}>" if programme.url else ""
    return _titled(f"{programme.ja or programme.en}{url}".strip(),
                   f"{programme.en or programme.ja}{url}".strip())


def _value(value: object) -> Value | None:
    """A term's value: None when absent, yes or no said, figures and codes as they are."""
    if value is None:
        return None
    if isinstance(value, bool):
        return Said("creditbank.change.yes" if value else "creditbank.change.no")
    if isinstance(value, Decimal):
        return figure(value)
    if isinstance(value, Level):
        return f"{value.framework} {value.minimum}"
    return str(value)


def _scalar(scope: Scope, subject: str, aspect: str, before: object, after: object
            ) -> Iterator[Change]:
    if before != after:
        yield Change(scope, subject, aspect, _value(before), _value(after))


def _words(scope: Scope, subject: str, aspect: str, before: InLanguages, after: InLanguages
           ) -> Iterator[Change]:
    if before != after:
        yield Change(scope, subject, aspect, before, after)


def _set(scope: Scope, subject: str, aspect: str, before: Sequence[str],
         after: Sequence[str]) -> Iterator[Change]:
    removed = [item for item in before if item not in after]
    added = [item for item in after if item not in before]
    if removed or added:
        yield Change(scope, subject, aspect, ", ".join(removed) or None,
                     ", ".join(added) or None, listed=True)


def changes(before: Target, after: Target) -> tuple[Change, ...]:
    """Every difference from ``before`` to ``after`` (see the module docstring)."""
    return (*_target_changes(before, after), *_rule_changes(before.rules, after.rules),
            *_requirement_changes(before.requirements, after.requirements))


def _target_changes(before: Target, after: Target) -> Iterator[Change]:
    scope = Scope.TARGET
    yield from _words(scope, "", "title", _titled(before.ja, before.en),
                      _titled(after.ja, after.en))
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
            yield Change(Scope.RULE, rule.id, "removed", before=_titled(rule.ja, rule.en))
    for rule in after:
        if rule.id not in old:
            yield Change(Scope.RULE, rule.id, "added", after=_titled(rule.ja, rule.en))
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
        yield from _words(scope, ident, "wording", _titled(was.ja, was.en),
                          _titled(rule.ja, rule.en))
        yield from _scalar(scope, ident, "source", was.source, rule.source)


def _requirement_changes(before: Sequence[Requirement], after: Sequence[Requirement]
                         ) -> Iterator[Change]:
    old = {requirement.id: requirement for requirement in before}
    new = {requirement.id: requirement for requirement in after}
    for requirement in before:
        if requirement.id not in new:
            yield Change(Scope.REQUIREMENT, requirement.id, "removed",
                         before=_titled(requirement.ja, requirement.en))
    for requirement in after:
        if requirement.id not in old:
            yield Change(Scope.REQUIREMENT, requirement.id, "added",
                         after=_titled(requirement.ja, requirement.en))
    for now in after:
        was = old.get(now.id)
        if was is None:
            continue
        scope, ident = Scope.REQUIREMENT, now.id
        yield from _words(scope, ident, "title", _titled(was.ja, was.en),
                          _titled(now.ja, now.en))
        yield from _set(scope, ident, "programmes", was.programmes, now.programmes)
        for aspect in ("choose", "min_credits", "max_credits", "min_hours", "field", "skill",
                       "level", "within_years", "min_grade"):
            yield from _scalar(scope, ident, aspect, getattr(was, aspect),
                               getattr(now, aspect))
        yield from _set(scope, ident, "routes", was.routes, now.routes)
        yield from _set(scope, ident, "after", was.after, now.after)
