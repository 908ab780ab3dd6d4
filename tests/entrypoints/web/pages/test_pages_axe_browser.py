"""The accessibility check every browser test makes (``conftest.axe_violations``): axe-core's
serious and critical findings, found as they are when every rule runs, though the rules that
can only find something minor or moderate are left out."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.entrypoints.web.pages.conftest import axe_findings, axe_violations

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

#: A page with faults of every impact: an image with no text (critical), grey on white
#: (serious), no main landmark, no first-level heading, a heading level skipped and two
#: navigation landmarks of one name (moderate), an empty heading (minor).
FAULTY = """<!doctype html><html lang="en"><head><title>Faults</title></head><body>
<h3>A third-level heading first</h3>
<p style="color: #bbb; background: #fff">Grey words on white.</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<h4></h4>
<nav><p><a href="#a">Ahead</a></p></nav><nav><p><a href="#b">Behind</a></p></nav>
</body></html>"""


def test_the_check_finds_what_every_rule_finds_serious_or_critical(page: Page) -> None:
    """The faulty page's image with no text and its grey words are found, the same lines as
    when every rule runs; what only the rules left out find (minor, moderate) is not."""
    page.set_content(FAULTY)
    found = axe_violations(page)
    assert found == axe_findings(page, every_rule=True)
    assert {line.split(" ", 1)[0] for line in found} == {"image-alt", "color-contrast"}, found
    everything = page.evaluate("""() => axe.run(document, {resultTypes: ['violations']})
        .then(results => results.violations.map(found => found.impact))""")
    assert {"moderate", "minor"} <= set(everything), everything


def test_a_page_with_no_fault_has_no_finding(page: Page) -> None:
    page.set_content("""<!doctype html><html lang="en"><head><title>Fine</title></head>
        <body><main><h1>Fine</h1><p>Black words on white.</p></main></body></html>""")
    assert axe_violations(page) == [] == axe_findings(page, every_rule=True)
