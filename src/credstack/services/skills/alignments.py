"""Aligning a programme's learning outcomes to framework items: suggested, then confirmed.

:func:`suggestions` ranks framework items for each learning outcome of the programme's newest
version (draft or published) with the ranker of :mod:`.catalogue`, leaving out the items
already decided for that outcome; nothing is stored. The provider confirms the ones that fit
(:func:`confirm`) — or any item found by name (:func:`find`) — rejects the ones that do not
(:func:`reject`: kept, so that it is not suggested again), and may remove an alignment
(:func:`remove`); each is audited, and the registry index takes the change when the
transaction commits. Confirmed alignments travel with the programme: in
the credentials issued for it (Open Badges ``alignment``), in its CTDL, in the registry's
skill facet, on its page (:func:`aligned_document` puts them into the descriptors' ``skills``
as items with a URI, which the exchange formats already carry).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories import skills as skill_store
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.descriptors.models import Programme
from credstack.core.skills.ranker import Suggestion, match_level
from credstack.errors import InputError, NotFoundError, Problem
from credstack.services import audit
from credstack.services.runtime import Runtime
from credstack.services.skills import catalogue
from credstack.services.skills.catalogue import SkillItem

__all__ = ["PROGRAMME", "Alignment", "OutcomeSuggestions", "aligned_document",
           "aligned_programme", "aligned_uris", "alignments", "confirm", "find",
           "programme_alignments", "reject", "remove", "suggestions", "with_alignments"]

#: The ``outcome`` of an alignment of the programme as a whole.
PROGRAMME = -1


@dataclass(frozen=True, slots=True)
class Alignment:
    programme_id: int
    outcome: int
    uri: str
    state: str
    score: float | None
    decided_at: dt.datetime
    #: None when no framework holds the item any more.
    item: SkillItem | None

    def to_dict(self, language: str = "ja") -> dict[str, Any]:
        return {"programme": self.programme_id, "outcome": self.outcome, "skill": self.uri,
                "state": self.state, "score": self.score,
                "decided_at": self.decided_at.isoformat(),
                "name": self.item.name(language) if self.item else None,
                "framework": self.item.framework_title if self.item else None}


@dataclass(frozen=True, slots=True)
class OutcomeSuggestions:
    outcome: int
    statement: Mapping[str, str]
    #: Items not yet decided for the outcome, best first: each with the ranker's score and
    #: its strength (0–1, :class:`credstack.core.skills.ranker.Suggestion`).
    suggested: tuple[tuple[SkillItem, float, float], ...]
    confirmed: tuple[str, ...]
    rejected: tuple[str, ...] = ()

    def to_dict(self, language: str = "ja") -> dict[str, Any]:
        return {"outcome": self.outcome, "statement": dict(self.statement),
                "confirmed": list(self.confirmed), "rejected": list(self.rejected),
                "suggested": [{**found.to_dict(), "score": score, "strength": strength,
                               "match": match_level(strength), "label": found.name(language)}
                              for found, score, strength in self.suggested]}


def _outcomes(session: Session, programme_id: int) -> tuple[str, list[Mapping[str, str]]]:
    stored = programme_store.get_programme(session, programme_id=programme_id)
    outcomes: list[Mapping[str, str]] = [dict(outcome.statement.root)
                                         for outcome in stored.programme.learning_outcomes]
    return stored.organisation_slug, outcomes


def alignments(runtime: Runtime, *, programme_id: int, state: str | None = "confirmed"
               ) -> list[Alignment]:
    """The programme's alignments (confirmed ones by default), by outcome."""
    with runtime.sessions() as session:
        records = skill_store.alignment_records(session, programme_id, state)
    found = catalogue.items(runtime, (record.uri for record in records))
    return [Alignment(record.programme_id, record.outcome, record.uri, record.state,
                      record.score, record.decided_at, found.get(record.uri))
            for record in records]


def aligned_uris(session: Session, programme_ids: Iterable[int] | None = None
                 ) -> dict[int, tuple[str, ...]]:
    """Programme id → the URIs of its confirmed alignments (all programmes when None)."""
    return skill_store.aligned(session, programme_ids)


def programme_alignments(runtime: Runtime, programme_ids: Iterable[int]
                         ) -> dict[int, tuple[str, ...]]:
    """:func:`aligned_uris` of ``programme_ids`` in a session of its own (for a credential
    of one of them issued before its provider aligned its outcomes)."""
    wanted = list(dict.fromkeys(programme_ids))
    if not wanted:
        return {}
    with runtime.sessions() as session:
        return aligned_uris(session, wanted)


def suggestions(runtime: Runtime, *, actor: Actor, programme_id: int, limit: int = 5,
                language: str = "ja") -> list[OutcomeSuggestions]:
    """Ranked framework items for each learning outcome (the provider's to confirm)."""
    with runtime.sessions() as session:
        organisation, outcomes = _outcomes(session, programme_id)
    actor.require(Action.PROGRAMME_WRITE, organisation)
    decided: dict[str, dict[int, list[str]]] = {"confirmed": {}, "rejected": {}}
    for alignment in alignments(runtime, programme_id=programme_id, state=None):
        if alignment.state in decided:
            decided[alignment.state].setdefault(alignment.outcome, []).append(alignment.uri)
    ranker = catalogue.ranker(runtime)
    ranked: list[tuple[int, Mapping[str, str], list[Suggestion]]] = []
    for index, statement in enumerate(outcomes):
        text = " ".join(statement.get(tag, "") for tag in dict.fromkeys((language, "ja", "en")))
        done = {*decided["confirmed"].get(index, ()), *decided["rejected"].get(index, ())}
        # Asked for more than shown: the decided ones are left out afterwards.
        listed = [s for s in ranker.suggest(text, limit=limit + len(done)) if s.key not in done]
        ranked.append((index, statement, listed[:limit]))
    found = catalogue.items(runtime, (s.key for _, _, listed in ranked for s in listed))
    return [OutcomeSuggestions(index, statement,
                               tuple((found[s.key], s.score, s.strength)
                                     for s in listed if s.key in found),
                               tuple(decided["confirmed"].get(index, ())),
                               tuple(decided["rejected"].get(index, ())))
            for index, statement, listed in ranked]


def find(runtime: Runtime, *, text: str, limit: int = 20) -> list[SkillItem]:
    """The items of every loaded framework whose name (in any language the framework or the
    label layer gives) contains ``text``, the closest names first."""
    keys = catalogue.ranker(runtime).find(text, limit=limit)
    found = catalogue.items(runtime, keys)
    return [found[key] for key in keys if key in found]


def _checked(runtime: Runtime, actor: Actor, programme_id: int, outcome: int
             ) -> tuple[str, Any]:
    with runtime.sessions() as session:
        try:
            organisation, outcomes = _outcomes(session, programme_id)
        except NotFoundError:
            raise
    principal = actor.require(Action.PROGRAMME_WRITE, organisation)
    if outcome != PROGRAMME and not 0 <= outcome < len(outcomes):
        raise InputError(f"Programme {programme_id} has no learning outcome {outcome}. / "
                         f"学習成果 {outcome} はありません。",
                         problems=[Problem("outcome", f"0–{len(outcomes) - 1} or -1")])
    return organisation, principal


def confirm(runtime: Runtime, *, actor: Actor, programme_id: int, outcome: int, skill: str,
            score: float | None = None) -> Alignment:
    """Align ``outcome`` (``-1``: the whole programme) to the framework item ``skill`` (its
    URI or identifier); confirming twice changes nothing."""
    organisation, principal = _checked(runtime, actor, programme_id, outcome)
    found = catalogue.item(runtime, key=skill)
    now = runtime.now()
    with runtime.transaction() as session:
        was, decided = skill_store.decide_alignment(
            session, programme_id=programme_id, outcome=outcome, uri=found.uri,
            state="confirmed", score=score, by=principal.subject, at=now)
        if was != "confirmed":
            audit.record(session, at=now, actor=principal.subject,
                         action="skills.alignment-confirmed", subject=f"programme:{programme_id}",
                         details={"organisation": organisation, "outcome": outcome,
                                  "skill": found.uri, "score": score})
            _reindex(runtime, session, programme_id)
    return Alignment(programme_id, outcome, found.uri, "confirmed", score, decided, found)


def reject(runtime: Runtime, *, actor: Actor, programme_id: int, outcome: int,
           skill: str) -> None:
    """Turn down the item ``skill`` for ``outcome``: kept as rejected, so that it is not
    suggested for that outcome again (a confirmed alignment of it is taken back; confirming
    it later aligns it after all)."""
    organisation, principal = _checked(runtime, actor, programme_id, outcome)
    found = catalogue.item(runtime, key=skill)
    now = runtime.now()
    with runtime.transaction() as session:
        was, _ = skill_store.decide_alignment(
            session, programme_id=programme_id, outcome=outcome, uri=found.uri,
            state="rejected", score=None, by=principal.subject, at=now)
        if was == "rejected":
            return
        audit.record(session, at=now, actor=principal.subject,
                     action="skills.alignment-rejected", subject=f"programme:{programme_id}",
                     details={"organisation": organisation, "outcome": outcome,
                              "skill": found.uri})
        if was == "confirmed":
            _reindex(runtime, session, programme_id)


def remove(runtime: Runtime, *, actor: Actor, programme_id: int, outcome: int,
           skill: str) -> bool:
    """Take an alignment back; False when there was none."""
    organisation, principal = _checked(runtime, actor, programme_id, outcome)
    now = runtime.now()
    with runtime.transaction() as session:
        if not skill_store.delete_alignment(session, programme_id=programme_id,
                                            outcome=outcome, uri=skill):
            return False
        audit.record(session, at=now, actor=principal.subject,
                     action="skills.alignment-removed", subject=f"programme:{programme_id}",
                     details={"organisation": organisation, "outcome": outcome,
                              "skill": skill})
        _reindex(runtime, session, programme_id)
    return True


def _reindex(runtime: Runtime, session: Session, programme_id: int) -> None:
    if runtime.registry is not None:
        runtime.registry.track_skills(session, programme_id)


def aligned_document(document: Mapping[str, Any],
                     found: Iterable[skill_store.AlignedItem]) -> dict[str, Any]:
    """``document`` (a programme's descriptors) with the confirmed alignments added to its
    ``skills`` as items with a URI and the target type ``CFItem`` (once each; a skill already
    stated with that URL stays as it was stated)."""
    skills = [dict(skill) for skill in document.get("skills") or () if isinstance(skill, dict)]
    stated = {skill.get("url") for skill in skills}
    for item in found:
        if item.uri in stated or not item.names:
            continue
        entry: dict[str, Any] = {"name": {tag: text[:2000] for tag, text in item.names.items()},
                                 "framework": item.framework[:200], "url": item.uri,
                                 "type": "CFItem"}
        if item.code:
            entry["code"] = item.code[:200]
        skills.append(entry)
        stated.add(item.uri)
    return {**document, "skills": skills} if skills else dict(document)


def aligned_programme(session: Session, programme_id: int, programme: Programme
                      ) -> Programme:
    """``programme`` with its confirmed alignments among its skills (what its credentials,
    its achievement and its CTDL state); the same programme when it has none."""
    found = skill_store.aligned_items(session, programme_id)
    if not found:
        return programme
    document = aligned_document(programme.to_document(), found)
    return Programme.model_validate(document)


def with_alignments(runtime: Runtime, *, programme_id: int, programme: Programme
                    ) -> Programme:
    """:func:`aligned_programme` in a session of its own (for pages)."""
    with runtime.sessions() as session:
        return aligned_programme(session, programme_id, programme)
