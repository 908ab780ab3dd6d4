"""The certificate's page: the learning outcomes come first among its facts, and what does
not fit on the page continues on another instead of being dropped."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from credstack.core.certificates import certificate_content
from credstack.services.certificates.page import facts, render_page
from tests.core.certificates.test_content import PUBLIC_URL, SEVEN_OUTCOMES, credential

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_grade_and_the_outcomes_are_the_first_facts(language: str) -> None:
    """The grade, then every outcome in the certificate's language, before the summary."""
    content = certificate_content(credential(learning_outcomes=SEVEN_OUTCOMES),
                                  language=language, public_url=PUBLIC_URL)
    rows = facts(content)
    assert rows[0] == (content.captions.grade, "A")
    assert rows[1][0] == content.captions.outcomes
    assert rows[1][1].count("\n") == 6


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils)")
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_grade_is_on_the_first_page_beside_the_outcomes(language: str,
                                                            tmp_path: Path) -> None:
    """When the facts run onto a second page, the grade stays on the first, with the
    outcomes, and is not printed again (issue 51: it stood alone on page 2)."""
    long = [{"statement": {"ja": "長い成果の説明。" * 12, "en": "A long outcome. " * 12}}
            for _ in range(7)]
    content = certificate_content(credential(learning_outcomes=long), language=language,
                                  public_url=PUBLIC_URL)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(render_page(content, now=NOW))
    pages = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(path),
                             "-"], capture_output=True, text=True, timeout=60,
                            check=True).stdout for n in (1, 2)]
    first, second = (re.sub(r"\s+", " ", page) for page in pages)
    assert f"{content.captions.grade} A" in first
    assert content.captions.outcomes in first
    assert content.captions.grade not in second


@pytest.mark.parametrize("language", ["ja", "en"])
def test_what_does_not_fit_continues_on_a_second_page(language: str) -> None:
    """Two outcomes fit on one page; seven long ones continue on a second."""
    short = certificate_content(credential(), language=language, public_url=PUBLIC_URL)
    assert _pages(render_page(short, now=NOW)) == 1
    long = [{"statement": {"ja": "長い成果の説明。" * 12, "en": "A long outcome. " * 12}}
            for _ in range(7)]
    content = certificate_content(credential(learning_outcomes=long), language=language,
                                  public_url=PUBLIC_URL)
    assert _pages(render_page(content, now=NOW)) == 2
