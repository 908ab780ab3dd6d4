"""The certificate's page: the learning outcomes come first among its facts, and what does
not fit on the page continues on another instead of being dropped."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from credstack.core.certificates import certificate_content
from credstack.services.certificates.page import facts, render_page
from tests.core.certificates.test_content import PUBLIC_URL, SEVEN_OUTCOMES, credential

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_outcomes_are_the_first_facts(language: str) -> None:
    """Before the summary, every outcome, in the certificate's language."""
    content = certificate_content(credential(learning_outcomes=SEVEN_OUTCOMES),
                                  language=language, public_url=PUBLIC_URL)
    rows = facts(content)
    assert rows[0][0] == content.captions.outcomes
    assert rows[0][1].count("\n") == 6


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
