"""The one runner: a list of steps over a state, into a report — for every format.

Each format (a credential, an Open Badges 2.0 badge, a presentation, a CLR) is a list of
steps and a state: :class:`State` holds what every format's steps share — the input, the
time, what each check found (:attr:`State.results`) and what the credential means — and a
format's own state adds its seams and what its steps find out. A step is a function of the
state that returns one :class:`~credstack.core.verification.report.Check`, several (one
per credential a CLR bundles), or ``None`` when it does not apply (no check is listed).

:func:`run` runs the steps in order and builds the
:class:`~credstack.core.verification.report.VerificationReport`, under the verdict policy
the state names (:attr:`State.strict`), each check's reason and warnings worded in English
and Japanese by the state's :attr:`State.words` (a step says them as a
:class:`~credstack.core.said.Said`, issue 53). It raises only for the caller's mistakes: a
naive ``now``, no steps, a step that returns something else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from credstack.core.said import Said, Words
from credstack.core.verification.report import Check, Meaning, Notice, VerificationReport
from credstack.errors import Problem

__all__ = ["State", "Step", "run", "worded"]


@dataclass(slots=True, kw_only=True)
class State:
    """What the steps of every format share: the input, the time, then what they found.

    Steps read the facts earlier steps set and set their own; a step whose input is missing
    reports itself as not checked rather than guessing.
    """

    input: object
    now: dt.datetime
    #: The words of what the checks say, in a language (the caller's catalogues).
    words: Words
    #: The verdict policy: whether conformance findings fail the verdict (see
    #: :class:`~credstack.core.verification.report.VerificationReport`).
    strict: bool = False
    #: What the credential means, once the ``meaning`` step has read it.
    meaning: Meaning | None = None
    #: The checks so far, by name (the last one, should a name repeat).
    results: dict[str, Check] = field(default_factory=dict)


_S = TypeVar("_S", bound=State)

#: One step: the state → one check, several, or ``None`` when it does not apply at all.
Step = Callable[[_S], Check | Sequence[Check] | None]


def run(state: _S, steps: Sequence[Step[_S]]) -> VerificationReport:
    """Run ``steps`` in order over ``state``; every check they return, in order, and the
    meaning they read.

    Raises ``ValueError`` for a naive ``state.now`` or no steps, ``TypeError`` when a step
    returns something that is not a check.
    """
    now = state.now
    if not isinstance(now, dt.datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be a timezone-aware datetime, not {now!r}")
    if not steps:
        raise ValueError("give at least one check")
    results: list[Check] = []
    for step in steps:
        found = step(state)
        if isinstance(found, Check):
            found = worded(found, state.words)
            state.results[found.name] = found
            results.append(found)
            continue
        if found is None:
            continue  # The step does not apply to this input.
        if not isinstance(found, tuple | list) or not all(isinstance(c, Check) for c in found):
            raise TypeError(f"the check step {step!r} returned {found!r}, not a Check")
        for check in found:
            check = worded(check, state.words)
            state.results[check.name] = check
            results.append(check)
    meaning = state.meaning
    if meaning is not None and meaning.conformance:
        # The profiles' findings in English and Japanese, for the report's JSON.
        meaning = dataclasses.replace(meaning, conformance=tuple(
            report.worded(state.words) for report in meaning.conformance))
    return VerificationReport(tuple(results), meaning, strict=state.strict)


def worded(check: Check, words: Words) -> Check:
    """``check`` with the reason, warnings and problems it says (:attr:`Check.said`,
    :attr:`Notice.said`, a :class:`~credstack.errors.Problem` given as a code in its
    ``problems`` detail) in English and Japanese, a detail (and what an undecided check
    missed) said as a :class:`Said` in English;
    a check said in words stays as it is."""
    notices = tuple(_notice(notice, words) for notice in check.warnings)
    problems = check.details.get("problems")
    if isinstance(problems, list) and any(isinstance(item, Problem) for item in problems):
        check = dataclasses.replace(check, details={**check.details, "problems": [
            _problem(item, words) if isinstance(item, Problem) else item
            for item in problems]})
    if check.missing is not None and check.missing.said is not None \
            and not check.missing.detail:
        # What was missing said as a code (the technical text): given in English too.
        check = dataclasses.replace(check, missing=dataclasses.replace(
            check.missing, detail=words(check.missing.said, "en")))
    if any(isinstance(value, Said) for value in check.details.values()):
        # A detail said as a code (the technical text of an error) is given in English.
        check = dataclasses.replace(check, details={
            name: words(value, "en") if isinstance(value, Said) else value
            for name, value in check.details.items()})
    if check.said is not None and not check.reason_en:
        return dataclasses.replace(check, reason_en=words(check.said, "en"),
                                   reason_ja=words(check.said, "ja"), warnings=notices)
    if any(new is not old for new, old in zip(notices, check.warnings, strict=True)):
        return dataclasses.replace(check, warnings=notices)
    return check


def _problem(problem: Problem, words: Words) -> dict[str, str]:
    """A problem given as a code, as the ``errors`` item its words make."""
    said = Said(problem.code, **problem.params)
    return dataclasses.replace(problem, message=words(said, "en"),
                               message_ja=words(said, "ja")).to_dict()


def _notice(notice: Notice, words: Words) -> Notice:
    if notice.said is None or notice.message_en:
        return notice
    return dataclasses.replace(notice, message_en=words(notice.said, "en"),
                               message_ja=words(notice.said, "ja"))
