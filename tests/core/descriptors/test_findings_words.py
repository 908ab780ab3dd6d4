"""A finding says in English and Japanese, word for word, what it said before its words moved
into the catalogues (issue 53), and a programme's findings are said in every language the
public registry speaks.

``findings_words.json`` holds what validation found before: for each document below under each
bundled profile, every finding's code, path, severity and its English and Japanese (the
demo's programmes too, once each); and what the completeness check of a recognition
application found. A finding is now a message key with its values (:attr:`Finding.said`);
worded from the catalogues it must read the same.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.descriptors import parse_programme, profiles, validate
from credstack.core.review import CRITERION_IDS, check_completeness
from credstack.demo import load_demo_documents
from credstack.words import words
from tests.core.descriptors.conftest import COMPLETE_DOCUMENT

RECORDED: dict[str, list[dict[str, Any]]] = json.loads(
    (Path(__file__).parent / "findings_words.json").read_text(encoding="utf-8"))
#: The languages of the public registry's programme page.
LANGUAGES = ("en", "ja", "ko", "zh-Hans", "th", "vi", "id", "ms")


def _document(**changes: Any) -> dict[str, Any]:
    """The complete document with ``changes`` (``a__b`` a nested field; ``None``: left out)."""
    document = copy.deepcopy(COMPLETE_DOCUMENT)
    for path, value in changes.items():
        *parents, name = path.split("__")
        target = document
        for parent in parents:
            target = target[parent]
        if value is None:
            target.pop(name, None)
        else:
            target[name] = value
    return document


def _effort(hours: str, *credits: tuple[str, str]) -> dict[str, Any]:
    return {"hours": hours, "credits": [{"system": system, "value": value}
                                        for system, value in credits]}


CASES: dict[str, dict[str, Any]] = {
    "complete": _document(),
    "no-assessment": _document(assessment=None),
    "participation-only": _document(assessment={"methods": ["participation"]}),
    "bare": {"code": "B-1", "title": {"ja": "題", "en": "Title"}},
    "five-hours": _document(learner_effort=_effort("5")),
    "six-thousand-hours": _document(learner_effort=_effort("6000")),
    "five-hundred-hours": _document(learner_effort=_effort("500")),
    "thirty-hours": _document(learner_effort=_effort("30")),
    "one-ects-in-thirty-hours": _document(learner_effort=_effort("30", ("ects", "1"))),
    "hundred-ects": _document(learner_effort=_effort("2800", ("ects", "100"))),
    "half-ects": _document(learner_effort=_effort("14", ("ects", "0.5"))),
    "twenty-ects": _document(learner_effort=_effort("540", ("ects", "20"))),
    "mismatched-credits": _document(learner_effort=_effort(
        "200", ("jp-tani", "1"), ("ects", "3"), ("my-credit", "2.25"))),
    "sixty-weeks": _document(learner_effort__duration_weeks=60),
    "long-delivery": _document(learner_effort__duration_weeks=None, dates_of_delivery=[
        {"start": "2025-04-01", "end": "2026-06-30"}, {"start": "2025-04-01"}]),
    "mqf-only": _document(levels=[{"framework": "MQF", "level": 4}]),
    "eqf-only": _document(levels=[{"framework": "EQF", "level": 5}]),
    "external-qa-only": _document(quality_assurance=[{"kind": "external",
                                                      "scope": "institution"}]),
    "badge-only": _document(certification={"kinds": ["digital-badge", "certificate"]}),
}
#: The completeness checks: programme, profile, criteria answered, evidence files.
APPLICATIONS: dict[str, tuple[str, str, tuple[str, ...], int]] = {
    "complete": ("HIT-DS-01", "jp-mc", tuple(CRITERION_IDS), 1),
    "nothing-attached": ("SPU-OC-2026", "jp-mc", (), 0),
    "unknown-profile": ("HIT-DS-01", "xx-unknown", tuple(CRITERION_IDS[:2]), 1),
    "eu": ("DLA-SEC-02", "eu-2022", tuple(CRITERION_IDS[1:]), 0),
}


def _found() -> list[dict[str, Any]]:
    """Every finding of every case under every profile, the demo's programmes after them,
    each worded as recorded, once."""
    demo = {programme.code: programme for programme in load_demo_documents().programmes}
    judged = [(case, parse_programme(document, source="test"))
              for case, document in CASES.items()]
    judged += [(f"demo:{code}", programme) for code, programme in sorted(demo.items())]
    seen: set[tuple[str, ...]] = set()
    found = []
    for case, programme in judged:
        for profile in profiles().values():
            for finding in validate(programme, profile).findings:
                row = {"case": case, "profile": profile.id, "code": finding.code,
                       "path": finding.path, "severity": finding.severity.value,
                       "en": words(finding.said, "en"), "ja": words(finding.said, "ja")}
                key = (row["profile"], row["code"], row["path"], row["en"], row["ja"])
                if key not in seen:
                    seen.add(key)
                    found.append(row)
    return found


def test_every_finding_says_in_english_and_japanese_what_it_said() -> None:
    """The same findings, in the same order, with the same words."""
    assert _found() == RECORDED["validation"]


def test_a_finding_is_a_message_key_with_its_values() -> None:
    """No words in the finding: a key of the public registry's, its JSON worded on demand."""
    report = validate(parse_programme(CASES["five-hours"], source="test"),
                      profiles()["jp-mc"])
    [finding] = report.findings
    assert finding.said.key == "programme.finding.effort-below-minimum"
    assert finding.said.params == {"hours": "5", "minimum": "10"}
    assert not finding.message_en and report.to_dict()["findings"][0]["message"]["en"] == ""
    assert report.worded(words).to_dict()["findings"][0]["message"] == {
        "en": "5 hours is less than the minimum of 10 hours.",
        "ja": "学習量 5 時間は最低 10 時間に足りません。"}


@pytest.mark.parametrize("language", LANGUAGES[2:])
def test_every_finding_is_said_in_each_language_of_the_registry(language: str) -> None:
    """A programme's page says its findings in the reader's language: words of its own,
    not the English, not a key, with the values (numbers, codes) it names."""
    demo = load_demo_documents().programmes
    programmes = [parse_programme(document, source="test") for document in CASES.values()]
    for programme in [*programmes, *demo]:
        for profile in profiles().values():
            for finding in validate(programme, profile).findings:
                said = words(finding.said, language)
                assert said and said != words(finding.said, "en"), (language, finding)
                assert not said.startswith("programme."), (language, said)
                assert all(str(value) in said for value in finding.said.params.values()
                           if isinstance(value, str | int)), (language, said)


def test_a_completeness_finding_says_what_it_said() -> None:
    """The completeness check's own findings (a staff page's: English and Japanese) and the
    profile's findings it passes on read as they did."""
    demo = {programme.code: programme for programme in load_demo_documents().programmes}
    found = []
    for case, (code, profile, answered, evidence) in APPLICATIONS.items():
        report = check_completeness(programme=demo[code], profile=profile,
                                    self_evaluation={c: "text" for c in answered},
                                    evidence_files=evidence)
        found += [{"case": case, "code": f.code, "path": f.path, "severity": f.severity.value,
                   "en": words(f.said, "en"), "ja": words(f.said, "ja")}
                  for f in report.findings]
    assert found == RECORDED["completeness"]
