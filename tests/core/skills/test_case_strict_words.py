"""What a strict CASE 1.1 validator would refuse says what it always said in English and
Japanese, word for word.

``case_strict_words.json`` holds a package broken in several ways (a null, a member CASE 1.1
does not list, an identifier in capitals, a required member missing, a value outside its
vocabulary) and what :func:`~credstack.core.skills.case_strict.strict_findings` found in it
before its words moved into the catalogues (issue 53): each finding's place, English,
Japanese and rule. A finding is now a message key with the validator's words as its value;
worded from the catalogues it must read the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from credstack.core.skills.case_strict import strict_findings
from credstack.words import problem_words

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).parent / "case_strict_words.json").read_text(encoding="utf-8"))


def test_each_finding_says_in_english_and_japanese_what_it_said() -> None:
    found = strict_findings(RECORDED["package"])
    assert all(finding.code.startswith("workspace.framework.case.strict.")
               for finding in found)
    assert [[finding.location, problem_words(finding, "en"), problem_words(finding, "ja"),
             finding.rule] for finding in found] == RECORDED["findings"]
