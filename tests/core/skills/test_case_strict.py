"""What a strict CASE 1.1 validator would refuse: reported, placed, never a refusal."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import orjson
import pytest

from credstack.core.skills.case import read_package
from credstack.core.skills.case_strict import strict_findings
from credstack.words import problem_words
from tests.core.skills.test_case import FIXTURE, WILD

COMPEITO = WILD / "compeito-opencase-round-trip-ja.json"


def _wild(name: str) -> Path:
    path = WILD / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (the wild CASE packages live in ../shared/ref)")
    return path


def test_a_package_that_keeps_to_case_1_1_has_no_finding() -> None:
    """A clean 1.1 package (lowercase variant-8 UUIDs, no nulls, only listed members)."""
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data.pop("CFPackageURI", None)
    data["CFDocument"].pop("CFPackageURI", None)
    for part in ("CFItems", "CFAssociations"):
        for member in data[part]:
            for key in ("CFDocumentURI", "CFItemAssociationURI", "educationalLevel"):
                member.pop(key, None)
    findings = strict_findings(data)
    assert all(finding.rule != "case-1.1-type" for finding in findings)
    data["CFItems"][0]["notes"] = None
    [null] = [finding for finding in strict_findings(data)
              if finding.location == "/CFItems/0/notes"]
    assert null.rule == "case-1.1-type" and "null" in problem_words(null, "ja")


def test_opencase_nulls_and_package_uris_are_found_yet_the_package_is_read() -> None:
    """The OpenCASE export's 201 explicit nulls are each a finding; it still parses, whole."""
    path = _wild(COMPEITO.name)
    text = path.read_text(encoding="utf-8")
    package = read_package(text, source=path.name)
    findings = strict_findings(package.to_json())
    counts = Counter(finding.rule for finding in findings)
    assert counts["case-1.1-type"] == 201
    assert counts["case-1.1-additionalProperties"] > 0
    assert package.to_json() == orjson.loads(text)


def test_opensalt_zero_identifiers_break_only_the_identifier_pattern() -> None:
    """``d0000000-0000-0000-0000-…`` has variant nibble 0: refused by 1.1's pattern only."""
    findings = strict_findings(orjson.loads(_wild("opensalt-adopted-test-framework.json")
                                            .read_bytes()))
    assert {finding.rule for finding in findings} == {"case-1.1-pattern"}
    assert {finding.location for finding in findings} == {
        "/CFDocument/identifier", "/CFItems/0/identifier", "/CFAssociations/0/identifier"}


def test_case_1_0_document_uris_are_members_1_1_does_not_list() -> None:
    """OpenSALT writes ``CFPackageURI`` in the document, ``CFDocumentURI`` in package items
    and associations."""
    findings = strict_findings(orjson.loads(_wild("opensalt-ordering-test-framework.json")
                                            .read_bytes()))
    assert findings and all("'CFDocumentURI' was unexpected" in problem_words(finding, "en")
                            for finding in findings if finding.location != "/CFDocument")
    assert [finding.location for finding in findings].count("/CFDocument") == 1


def test_every_wild_package_has_findings_and_is_imported_all_the_same() -> None:
    """None of the ten passes a strict 1.1 validator (as their README records); each parses."""
    paths = sorted(WILD.glob("*.json")) if WILD.is_dir() else []
    if not paths:
        pytest.skip(f"{WILD} holds no CASE package")
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert strict_findings(read_package(text, source=path.name).to_json()), path.name
