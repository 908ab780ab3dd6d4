"""A verification report says what it always said, in Japanese and English, word for word.

The words of the reports of a corpus of credentials (``check_samples``: the shared reference
data and the pipeline tests' own credentials) were recorded in ``report_words.json`` before
the checks' words move into the catalogues (issue 53); each report must hold the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.core.verification.check_samples import samples, words_of

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).parent / "report_words.json").read_text(encoding="utf-8"))
TEXTS = [json.dumps(text, ensure_ascii=False, sort_keys=True) for text in RECORDED["texts"]]
SAID = {name: {TEXTS[number] for number in numbers}
        for name, numbers in RECORDED["samples"].items()}


def test_every_report_of_the_corpus_says_what_it_said(shared_ref: Path) -> None:
    """Each recorded sample's report holds its recorded words, and each other sample's the
    words of a recorded one (the record keeps one sample per distinct wording)."""
    changed = []
    for name, verification in samples(shared_ref):
        words = words_of(verification().to_dict())
        if (words != SAID[name]) if name in SAID else (words not in SAID.values()):
            changed.append((name, sorted(words - SAID.get(name, set()))[:3]))
    assert changed == []


def test_the_record_covers_every_recorded_wording() -> None:
    """No wording is kept that no sample says (the record is the corpus's, whole)."""
    assert set().union(*SAID.values()) == set(TEXTS)
