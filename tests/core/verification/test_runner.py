"""The one runner every format's steps run on, as specifications.

The steps here are small functions of a plain :class:`State`: the runner's contract does not
depend on what a format verifies.
"""

from __future__ import annotations

import datetime as dt

import pytest

from credstack.core.said import Said
from credstack.core.verification.checks import not_checked, passed
from credstack.core.verification.report import Check, CheckKind, Meaning, Notice
from credstack.core.verification.runner import State, run
from credstack.words import words

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def _state() -> State:
    return State(input=None, now=NOW, words=words)


def check(name: str, ok: bool | None = True) -> Check:
    return Check(name, ok, f"{name} said", f"{name}：")


def test_steps_run_in_order_and_each_check_is_listed_once() -> None:
    """The report lists every check in the order the steps returned them."""
    report = run(_state(), [lambda state: check("a"), lambda state: check("b")])
    assert [c.name for c in report.checks] == ["a", "b"]
    assert report.ok


def test_a_step_that_does_not_apply_lists_no_check() -> None:
    """``None`` from a step: nothing is listed for it."""
    report = run(_state(), [lambda state: None, lambda state: check("a")])
    assert [c.name for c in report.checks] == ["a"]


def test_a_step_may_add_several_checks() -> None:
    """One check per item a step looks at (each credential a CLR bundles)."""
    report = run(_state(),
                 [lambda state: (check("item[0]"), check("item[1]", False))])
    assert [c.name for c in report.checks] == ["item[0]", "item[1]"]
    assert not report.ok


def test_later_steps_read_what_earlier_ones_found() -> None:
    """``state.results`` holds each check by name as soon as it is made."""
    def second(state: State) -> Check:
        first = state.results["first"]
        return Check("second", None, "not checked", "未確認", code="not-checked") \
            if not first.passed else check("second")

    report = run(_state(), [lambda state: check("first", False), second])
    assert report.check("second").skipped  # type: ignore[union-attr]


def test_the_meaning_a_step_reads_is_the_reports() -> None:
    """What the meaning step sets on the state leaves with the report; it never decides."""
    def meaning(state: State) -> Check:
        state.meaning = Meaning(types=("VerifiableCredential",))
        return Check("meaning", None, "read", "読み取り", kind=CheckKind.INFO)

    report = run(_state(), [lambda state: check("proof"), meaning])
    assert report.meaning == Meaning(types=("VerifiableCredential",))
    assert report.ok


def test_what_a_step_says_is_worded_in_english_and_japanese_and_kept() -> None:
    """A check and a warning said as message keys leave the runner in the words of the
    state's ``words`` (the catalogues), the keys kept beside them; a nested phrase is worded
    inside its sentence; the report's JSON holds the words alone, as it always did."""
    co_signer = Said("verification.check.issuer.co_signer", signer="did:example:b")
    reason = Said("verification.check.issuer.signed", issuer="did:example:a")
    report = run(_state(), [
        lambda state: passed("issuer", reason, warnings=[Notice("co-signer", said=co_signer)]),
        lambda state: not_checked("validity", Said("verification.check.issuer.unsigned"))])
    issuer, validity = report.checks
    assert (issuer.reason_en, issuer.reason_ja, issuer.said) == (
        "signed by the issuer, did:example:a", "発行者 did:example:a 自身が署名しています", reason)
    assert [(n.message_en, n.message_ja) for n in issuer.warnings] == [
        ("also signed by did:example:b", "did:example:b も署名しています")]
    assert (validity.reason_en, validity.reason_ja) == (
        "not checked: the proof did not verify, so nobody is known to have signed",
        "未確認：署名が確認できないため、署名者が不明です")
    assert "said" not in issuer.to_dict()
    assert issuer.to_dict()["reason"] == {"en": "signed by the issuer, did:example:a",
                                          "ja": "発行者 did:example:a 自身が署名しています"}


def test_the_callers_mistakes_raise() -> None:
    """A naive time, no steps, a step that returns no check: the caller's errors."""
    with pytest.raises(ValueError, match="timezone-aware"):
        run(State(input=None, now=dt.datetime(2026, 6, 1), words=words),
            [lambda state: check("a")])
    with pytest.raises(ValueError, match="at least one check"):
        run(_state(), [])
    with pytest.raises(TypeError, match="not a Check"):
        run(_state(), [lambda state: True])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="not a Check"):
        run(_state(), [lambda state: (check("a"), "b")])  # type: ignore[list-item]
