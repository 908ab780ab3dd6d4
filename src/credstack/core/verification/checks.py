"""Building :class:`~credstack.core.verification.report.Check` values, shared by every
verification pipeline (credentials, presentations, Open Badges 2.0).

A step ends in one check: passed, failed with a code, or not checked (it could not run
because an earlier step failed). A verdict found deep inside a step is raised as a
:class:`Refusal` and turned into the step's failed check where the step catches it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from credstack.core.verification.report import Check, Notice
from credstack.errors import Problem

__all__ = ["Refusal", "failed", "not_checked", "passed", "problem_dicts", "refused"]


class Refusal(Exception):
    """A failed verdict found deep inside a step; turned into its :class:`Check` there."""

    def __init__(self, code: str, en: str, ja: str, **details: Any) -> None:
        super().__init__(en)
        self.code, self.en, self.ja, self.details = code, en, ja, details


def passed(name: str, en: str, ja: str, *, code: str | None = None,
           warnings: Sequence[Notice] = (), **details: Any) -> Check:
    return Check(name, True, en, ja, details, code=code, warnings=tuple(warnings))


def failed(name: str, code: str, en: str, ja: str, *, warnings: Sequence[Notice] = (),
           **details: Any) -> Check:
    return Check(name, False, en, ja, details, code=code, warnings=tuple(warnings))


def refused(name: str, refusal: Refusal, warnings: Sequence[Notice] = ()) -> Check:
    return failed(name, refusal.code, refusal.en, refusal.ja, warnings=warnings,
                  **refusal.details)


def not_checked(name: str, en: str, ja: str) -> Check:
    return Check(name, None, f"not checked: {en}", f"未確認：{ja}", {}, code="not-checked")


def problem_dicts(problems: Sequence[Problem]) -> list[dict[str, str]]:
    return [{"location": p.location, "message": p.message} for p in problems]
