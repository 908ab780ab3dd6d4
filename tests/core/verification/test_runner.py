"""The one runner every format's steps run on, as specifications.

The steps here are small functions of a plain :class:`State`: the runner's contract does not
depend on what a format verifies.
"""

from __future__ import annotations

import datetime as dt

import pytest

from credstack.core.verification.report import Check, CheckKind, Meaning
from credstack.core.verification.runner import State, run

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def check(name: str, ok: bool | None = True) -> Check:
    return Check(name, ok, f"{name} said", f"{name}：")


def test_steps_run_in_order_and_each_check_is_listed_once() -> None:
    """The report lists every check in the order the steps returned them."""
    report = run(State(input=None, now=NOW), [lambda state: check("a"), lambda state: check("b")])
    assert [c.name for c in report.checks] == ["a", "b"]
    assert report.ok


def test_a_step_that_does_not_apply_lists_no_check() -> None:
    """``None`` from a step: nothing is listed for it."""
    report = run(State(input=None, now=NOW), [lambda state: None, lambda state: check("a")])
    assert [c.name for c in report.checks] == ["a"]


def test_a_step_may_add_several_checks() -> None:
    """One check per item a step looks at (each credential a CLR bundles)."""
    report = run(State(input=None, now=NOW),
                 [lambda state: (check("item[0]"), check("item[1]", False))])
    assert [c.name for c in report.checks] == ["item[0]", "item[1]"]
    assert not report.ok


def test_later_steps_read_what_earlier_ones_found() -> None:
    """``state.results`` holds each check by name as soon as it is made."""
    def second(state: State) -> Check:
        first = state.results["first"]
        return Check("second", None, "not checked", "未確認", code="not-checked") \
            if not first.passed else check("second")

    report = run(State(input=None, now=NOW), [lambda state: check("first", False), second])
    assert report.check("second").skipped  # type: ignore[union-attr]


def test_the_meaning_a_step_reads_is_the_reports() -> None:
    """What the meaning step sets on the state leaves with the report; it never decides."""
    def meaning(state: State) -> Check:
        state.meaning = Meaning(types=("VerifiableCredential",))
        return Check("meaning", None, "read", "読み取り", kind=CheckKind.INFO)

    report = run(State(input=None, now=NOW), [lambda state: check("proof"), meaning])
    assert report.meaning == Meaning(types=("VerifiableCredential",))
    assert report.ok


def test_the_callers_mistakes_raise() -> None:
    """A naive time, no steps, a step that returns no check: the caller's errors."""
    with pytest.raises(ValueError, match="timezone-aware"):
        run(State(input=None, now=dt.datetime(2026, 6, 1)), [lambda state: check("a")])
    with pytest.raises(ValueError, match="at least one check"):
        run(State(input=None, now=NOW), [])
    with pytest.raises(TypeError, match="not a Check"):
        run(State(input=None, now=NOW), [lambda state: True])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="not a Check"):
        run(State(input=None, now=NOW), [lambda state: (check("a"), "b")])  # type: ignore[list-item]
