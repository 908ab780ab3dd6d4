"""The operator's figures read on a phone: at 390 px, in Japanese and English, every month
label a chart shows stands apart from the next and every label is large enough to read
(issue 51: twelve labels overlapped, drawn at 6 px)."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

import pytest

from tests.conftest import LiveServer
from tests.entrypoints.web.pages.conftest import assert_fits_the_screen, demo_phone_tab, shot

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

#: The smallest text, in CSS pixels, a chart may draw on a phone.
SMALLEST = 10

#: Per chart: the boxes of the month labels shown, and the size each label is drawn at.
LABELS = """() => [...document.querySelectorAll('svg.figure-chart')].map(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const shown = e => getComputedStyle(e).display !== 'none'
      && getComputedStyle(e).visibility !== 'hidden';
  const drawn = e => parseFloat(getComputedStyle(e).fontSize) * scale;
  return {
    months: [...svg.querySelectorAll('.figure-month')].filter(shown).map(e => {
      const box = e.getBoundingClientRect();
      return {text: e.textContent, left: box.left, right: box.right, size: drawn(e)};
    }),
    ticks: [...svg.querySelectorAll('.figure-tick')].filter(shown).map(drawn),
  };
})"""


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_charts_month_labels_are_legible_on_a_phone(browser: Browser,
                                                        demo_server: LiveServer,
                                                        language: str) -> None:
    tab = demo_phone_tab(browser, demo_server, "registry-admin@demo.example",
                         "/console/figures", language=language)
    try:
        charts = tab.evaluate(LABELS)
        assert len(charts) >= 5
        for chart in charts:
            months = sorted(chart["months"], key=lambda label: label["left"])
            # A year's months stay readable as a sequence: a label at least every quarter.
            assert len(months) >= 4, months
            for before, after in pairwise(months):
                assert before["right"] <= after["left"], (before, after)
            assert min(label["size"] for label in months) >= SMALLEST, months
            assert min(chart["ticks"]) >= SMALLEST, chart["ticks"]
        assert_fits_the_screen(tab, f"figures-{language}")
        shot(tab, f"console-figures-phone-{language}")
    finally:
        tab.context.close()
