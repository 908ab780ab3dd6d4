"""Each cell of the employer's table (``/verify/compare``) as a person reads it, in ja and en.

The issuer is named — as the credential states it, marked as only claimed when the credential
did not verify — never by its DID, which stays folded in the technical details. Every cell's
value is one element: on a phone each cell is a card, a grid of its label and its value, and
a bare piece of text beside an element (the "、" between two levels) would fall into the
label's column, alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest

from tests.entrypoints.web.pages.test_programmes import HTML, Page, squash
from tests.signed_credentials import sign, tampered, unsigned

NAME = "火の国工業高等専門学校"
CLAIMED = {"ja": "記載のみ・未検証", "en": "as stated, not verified"}
LEVELS = {"ja": "JEQF レベル 5、EQF レベル 6", "en": "JEQF level 5, EQF level 6"}


def two_levels() -> dict[str, Any]:
    """The demo credential, its programme at JEQF level 5 and EQF level 6, signed."""
    credential = unsigned()
    credential["credentialSubject"]["achievement"]["microCredential"]["levels"].append(
        {"framework": "EQF", "level": 6})
    return sign(credential)


class Cells(HTMLParser):
    """The table's cells: each one's text outside the technical details, and the text it
    holds directly, outside any element of its own."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[dict[str, str]] = []
        self._depth = 0  # elements open inside the current cell
        self._folded = 0  # technical details open inside it
        self.feed(source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "td":
            self.cells.append({"label": dict(attrs).get("data-label") or "", "text": "",
                               "bare": ""})
            self._depth = 0
            return
        if self.cells and tag not in {"br", "img", "input"}:
            self._depth += 1
            if tag == "details":
                self._folded += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._depth = -1
        elif self.cells and self._depth > 0:
            self._depth -= 1
            if tag == "details":
                self._folded -= 1

    def handle_data(self, data: str) -> None:
        if not self.cells or self._depth < 0:
            return
        cell = self.cells[-1]
        if self._folded == 0:
            cell["text"] += data
        if self._depth == 0:
            cell["bare"] += data.strip()


def compared(http: httpx.Client, language: str) -> tuple[Page, Cells]:
    pasted = "\n".join(json.dumps(credential) for credential in (two_levels(), tampered()))
    response = http.post("/verify/compare", headers={**HTML, "Accept-Language": language},
                         files=[("files", ("", b"", "application/octet-stream")),
                                ("credentials", (None, pasted)), ("access_code", (None, ""))])
    assert response.status_code == 200, response.text
    return Page(response.text), Cells(response.text)


@pytest.fixture
def http(anonymous: httpx.Client) -> Iterator[httpx.Client]:
    anonymous.timeout = httpx.Timeout(60)
    yield anonymous


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_issuer_is_named_never_by_its_did(http: httpx.Client, language: str) -> None:
    """By the name it states; marked as only claimed beside a credential that did not
    verify; its DID only in the technical details."""
    page, cells = compared(http, language)
    label = {"ja": "発行者", "en": "Issuer"}[language]
    verified, changed = (squash(cell["text"]) for cell in cells.cells if cell["label"] == label)
    assert NAME in verified and CLAIMED[language] not in verified, verified
    assert NAME in changed and CLAIMED[language] in changed, changed
    for text in (verified, changed):
        assert not re.search(r"\bdid:[a-z0-9]+:", text), text
    assert "did:key:" in page.source, "the DID stays available, folded"


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_cell_holds_its_value_in_one_element(http: httpx.Client, language: str) -> None:
    """No text lies bare in a cell beside its elements: on a phone's card it would take the
    label's column (two levels read "JEQF level 5" and, alone under the label, ",")."""
    _, cells = compared(http, language)
    assert cells.cells
    for cell in cells.cells:
        assert cell["bare"] == "", (cell["label"], cell["bare"], squash(cell["text"]))
    label = {"ja": "レベル", "en": "Level"}[language]
    levels = [squash(cell["text"]) for cell in cells.cells if cell["label"] == label]
    assert levels == [LEVELS[language], LEVELS[language].split({"ja": "、", "en": ", "}[
        language])[0]], levels
