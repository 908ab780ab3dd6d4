"""Building :class:`~credstack.core.verification.report.Check` values, shared by the steps of
every format (credentials, presentations, Open Badges 2.0, CLR).

A step ends in one check: passed, failed with a code, undecided (something it needed was out
of reach: the refusal carries a :class:`~..report.Missing`), or not checked (it could not run
because an earlier step failed). A verdict found deep inside a step is raised as a
:class:`Refusal` and turned into the step's failed check where the step catches it; what a
verification fetches or reads once (a status list, a badge's issuer) is kept with the refusal
it ended in, so that every step asking again gets the same answer (:func:`once`).

A check's reason is said as a :class:`~credstack.core.said.Said` (a message key of the
catalogues, ``verification.check.validity.expired``, and its parameters) in place of its
English and Japanese words, which the runner fills in (issue 53); the reasons not yet moved
into the catalogues are still given as the two words.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, MutableMapping, Sequence
from typing import Any, TypeVar

from credstack.core.said import InLanguages, Said
from credstack.core.verification.report import (
    Check,
    CheckKind,
    Decision,
    Missing,
    Notice,
    VerificationReport,
)
from credstack.errors import Problem

__all__ = ["Refusal", "conformance", "enclosed", "failed", "findings_of", "not_checked", "once",
           "passed", "problem_dicts", "problem_of_refusal", "refused", "said_of_refusal",
           "undecided"]

_Key = TypeVar("_Key")
_Value = TypeVar("_Value")


class Refusal(Exception):
    """A failed verdict found deep inside a step; turned into its :class:`Check` there.

    With ``missing`` it is no verdict at all: something the step needed was out of reach,
    and the check it ends in is undecided. Said as a :class:`Said` (``said``), its ``en`` and
    ``ja`` are empty: the check it ends in is worded by the runner.
    """

    def __init__(self, code: str, en: str | Said, ja: str = "", *,
                 missing: Missing | None = None, **details: Any) -> None:
        self.said = en if isinstance(en, Said) else None
        if self.said is not None:
            en = ""
        super().__init__(self.said.key if self.said is not None else en)
        self.code, self.en, self.ja, self.details = code, str(en), ja, details
        self.missing = missing


def said_of_refusal(refusal: Refusal) -> Said | str:
    """What ``refusal`` says, as a parameter of a message that passes it on (``the issuer
    cannot be read: …``): its :class:`Said`, else its English words as they were given."""
    return refusal.said or refusal.en


def problem_of_refusal(location: str, refusal: Refusal) -> Problem:
    """A document out of reach as a problem at ``location``: said as the refusal's code
    where it was said so (worded by the runner), else in its English words."""
    if refusal.said is not None:
        return Problem(location, code=refusal.said.key, params=refusal.said.params)
    return Problem(location, refusal.en)


def _reason(en: str | Said, ja: str) -> tuple[str, str, Said | None]:
    """A reason said as a :class:`Said` (its words left to the runner), or in two words."""
    return ("", "", en) if isinstance(en, Said) else (en, ja, None)


def passed(name: str, en: str | Said, ja: str = "", *, code: str | None = None,
           warnings: Sequence[Notice] = (), **details: Any) -> Check:
    reason_en, reason_ja, said = _reason(en, ja)
    return Check(name, True, reason_en, reason_ja, details, code=code,
                 warnings=tuple(warnings), said=said)


def failed(name: str, code: str, en: str | Said, ja: str = "", *,
           warnings: Sequence[Notice] = (), **details: Any) -> Check:
    reason_en, reason_ja, said = _reason(en, ja)
    return Check(name, False, reason_en, reason_ja, details, code=code,
                 warnings=tuple(warnings), said=said)


def refused(name: str, refusal: Refusal, warnings: Sequence[Notice] = ()) -> Check:
    """The check ``name`` ends in: failed, or undecided when the refusal says what was
    missing."""
    reason = refusal.said or refusal.en
    if refusal.missing is not None:
        return undecided(name, refusal.code, reason, refusal.ja, refusal.missing,
                         warnings=warnings, **refusal.details)
    return failed(name, refusal.code, reason, refusal.ja, warnings=warnings,
                  **refusal.details)


def undecided(name: str, code: str, en: str | Said, ja: str, missing: Missing, *,
              warnings: Sequence[Notice] = (), **details: Any) -> Check:
    """A check that could not be decided because ``missing`` was out of reach."""
    reason_en, reason_ja, said = _reason(en, ja)
    return Check(name, None, reason_en, reason_ja, details, code=code,
                 warnings=tuple(warnings), missing=missing, said=said)


def not_checked(name: str, en: str | Said, ja: str = "") -> Check:
    if isinstance(en, Said):
        return Check(name, None, "", "", {}, code="not-checked",
                     said=Said("verification.check.not_checked", reason=en))
    return Check(name, None, f"not checked: {en}", f"未確認：{ja}", {}, code="not-checked")


def enclosed(name: str, report: VerificationReport, *, label: Said) -> Check:
    """The check ``name`` of a credential enclosed in another document (a CLR, a
    presentation), ``label`` naming it: passed only when its own verification is ok (its
    conformance findings then as notices); its whole report in the details (``report``)."""
    details = report.to_dict()
    if report.ok:
        return passed(name, Said("verification.check.enclosed.verifies", label=label),
                      report=details, warnings=findings_of(report, label))
    if report.decision is Decision.UNDECIDED:
        names = ", ".join(check.name for check in report.undecided) or "undecided"
        missing = next((check.missing for check in report.undecided), None)
        return Check(name, None, "", "", {"report": details}, code="nested-undecided",
                     missing=missing, said=Said("verification.check.enclosed.undecided",
                                                label=label, names=names))
    names = ", ".join(check.name for check in report.failed) or "not verified"
    return failed(name, "nested-credential",
                  Said("verification.check.enclosed.not_verified", label=label, names=names),
                  report=details)


def conformance(check: Check) -> Check:
    """``check`` as a conformance check: a warning when it fails, unless the policy is strict."""
    return dataclasses.replace(check, kind=CheckKind.CONFORMANCE)


def findings_of(report: VerificationReport, where: Said | str) -> list[Notice]:
    """A verified nested credential's conformance findings (``report.findings``), as notices
    of the check that holds it — so that the whole says them too; ``where`` names it."""
    return [Notice(f"{check.name}-finding", said=Said(
        "verification.check.enclosed.finding", where=where,
        reason=check.said or InLanguages({"en": check.reason_en, "ja": check.reason_ja})))
        for check in report.findings]


def problem_dicts(problems: Sequence[Problem]) -> list[dict[str, str] | Problem]:
    """A check's ``problems`` detail: each problem said in words as its ``errors`` item; one
    said as a code stays a :class:`Problem`, which the runner words (in English and Japanese,
    as the others are)."""
    return [problem if problem.code and not problem.message else problem.to_dict()
            for problem in problems]


def once(memo: MutableMapping[_Key, Any], key: _Key, compute: Callable[[], _Value]) -> _Value:
    """``compute()`` the first time ``key`` is asked for in ``memo``, its answer after that.

    A :class:`Refusal` is an answer too: it is kept and raised again, so a document that could
    not be fetched is not fetched twice in one verification.
    """
    known = memo.get(key)
    if isinstance(known, Refusal):
        raise known
    if known is not None:
        found: _Value = known
        return found
    try:
        value = compute()
    except Refusal as refusal:
        memo[key] = refusal
        raise
    memo[key] = value
    return value
