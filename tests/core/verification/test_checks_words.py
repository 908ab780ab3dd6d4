"""A credential enclosed in a presentation or a CLR is said as it always was, in Japanese and
English, word for word.

``enclosed_words.json`` holds what :func:`credstack.core.verification.checks.enclosed` and
:func:`~credstack.core.verification.checks.findings_of`, the presentation's ``credentials``
step and :meth:`PresentationReport.as_verification_report` said — a nested credential that
verifies (with conformance findings or none), could not be checked or does not verify, a
presentation of none, one or several such credentials, with and without the achievement's
and issuer's names — before their words moved into the catalogues (issue 53). They are
message keys with parameters now; worded from the catalogues they must read the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from credstack.core.said import Said
from credstack.core.verification import runner
from credstack.core.verification.checks import enclosed, findings_of
from credstack.core.verification.presentations.credentials import check_credentials
from credstack.core.verification.presentations.report import PresentationReport
from credstack.core.verification.report import (
    Check,
    CheckKind,
    Meaning,
    Missing,
    VerificationReport,
)
from credstack.words import words

RECORDED: dict[str, list[dict[str, Any]]] = json.loads(
    (Path(__file__).parent / "enclosed_words.json").read_text(encoding="utf-8"))

MEANINGS: dict[str, Meaning | None] = {
    "none": None, "name": Meaning(achievement_name="Data Literacy"),
    "name_issuer": Meaning(achievement_name="Data Literacy", issuer_name="Tokyo Univ",
                           issuer_id="did:web:u.example"),
    "issuer_id": Meaning(issuer_id="did:web:u.example")}


def report(kind: str, meaning: Meaning | None = None) -> VerificationReport:
    """A nested credential's report: ``ok``, ``finding`` (ok, two conformance findings),
    ``undecided`` (its status list out of reach) or ``failed`` (two checks failed)."""
    proof = Check("proof", True, "1 proof verifies", "証明 1 件を確認しました", {},
                  code="verified")
    if kind == "ok":
        checks: tuple[Check, ...] = (proof,)
    elif kind == "finding":
        checks = (proof,
                  Check("ob3-rules", False, "an achievement has no criteria",
                        "達成に基準がありません", {}, code="rules", kind=CheckKind.CONFORMANCE),
                  Check("schema", False, "a field is wrong", "項目が正しくありません", {},
                        code="schema", kind=CheckKind.CONFORMANCE))
    elif kind == "undecided":
        checks = (proof, Check("status", None, "the status list could not be fetched",
                               "ステータスリストを取得できません", {}, code="status-unavailable",
                               missing=Missing("status-list", "unreachable",
                                               "https://s.example/1", "down")))
    else:
        checks = (Check("proof", False, "the signature does not verify", "署名が一致しません",
                        {}, code="signature"),
                  Check("validity", False, "expired", "有効期限切れ", {}, code="expired"))
    return VerificationReport(checks, meaning)


def said(check: Check) -> dict[str, Any]:
    """What a check says, as recorded: worded as the runner words it."""
    check = runner.worded(check, words)
    return {"name": check.name, "ok": check.ok, "code": check.code, "en": check.reason_en,
            "ja": check.reason_ja,
            "missing": None if check.missing is None else check.missing.url,
            "warnings": [[notice.code, notice.message_en, notice.message_ja]
                         for notice in check.warnings],
            "details": sorted(check.details)}


@pytest.mark.parametrize("recorded", RECORDED["enclosed"], ids=[
    f"{row['kind']}-{row['index']}" for row in RECORDED["enclosed"]])
def test_a_nested_credential_says_what_it_said(recorded: dict[str, Any]) -> None:
    """A CLR's nested credential: verifies (its findings as notices), could not be checked,
    or does not verify, the failing checks named."""
    index = recorded["index"]
    check = enclosed(f"credential[{index}]", report(recorded["kind"]),
                     label=Said("verification.check.enclosed.label.nested", index=index))
    assert check.said is not None and (check.reason_en, check.reason_ja) == ("", "")
    assert said(check) == recorded["check"]


@pytest.mark.parametrize("recorded", RECORDED["findings"],
                         ids=[row["kind"] for row in RECORDED["findings"]])
def test_a_nested_credentials_findings_say_what_they_said(recorded: dict[str, Any]) -> None:
    """Each conformance finding of a verified credential, named where it sits."""
    notices = findings_of(report(recorded["kind"]), "verifiableCredential[1]")
    assert all(notice.said is not None and not notice.message_en for notice in notices)
    worded = [runner.worded(Check("x", True, "", "", {}, warnings=(notice,)), words).warnings[0]
              for notice in notices]
    assert [[notice.code, notice.message_en, notice.message_ja]
            for notice in worded] == recorded["notices"]


@pytest.mark.parametrize("recorded", RECORDED["presentations"], ids=[
    f"{'-'.join(row['kinds']) or 'empty'}-{row['meaning']}"
    for row in RECORDED["presentations"]])
def test_a_presentation_says_what_it_said(recorded: dict[str, Any]) -> None:
    """The ``credentials`` step over the credentials, and the presentation read as one
    credential report (its ``presentation`` check, then one check per credential)."""
    held = tuple(report(kind, MEANINGS[recorded["meaning"]]) for kind in recorded["kinds"])

    # As much of a presentation's state as the ``credentials`` step reads.
    state = SimpleNamespace(presentation={"verifiableCredential": list(range(len(held)))},
                            subject=None, credentials=(), verify_credential=held.__getitem__)
    step = check_credentials(state)  # type: ignore[arg-type]
    assert step.said is not None
    assert said(step) == recorded["step"]
    whole = PresentationReport((Check("proof", True, "ok", "ok", {}), runner.worded(
        step, words)), held).as_verification_report(words)
    assert [said(check) for check in whole.checks] == recorded["whole"]
