"""What an e-mail's HTML says, apart from how it is laid out: for tests that hold an e-mail's
words and links to what it said before its design changed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: The elements whose words are one thing said (a paragraph, a heading, an item, a quote).
_SAID = frozenset({"p", "h1", "h2", "li", "blockquote"})


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.said: list[tuple[str, tuple[str, ...]]] = []
        self._open: list[tuple[list[str], list[str]]] = []
        self._section = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self._section += 1
        elif self._section and tag in _SAID:
            self._open.append(([], []))
        elif tag == "a" and self._open:
            self._open[-1][1].append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._section -= 1
        elif self._section and tag in _SAID and self._open:
            words, links = self._open.pop()
            if words or links:  # a paragraph of an image alone says nothing in words
                self.said.append((" ".join("".join(words).split()), tuple(links)))

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][0].append(data)


def said(html: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each paragraph, heading, item and quote of the e-mail's parts (its ``<section>``\\ s),
    in order: its words (white space folded) and the links it holds."""
    reader = _Reader()
    reader.feed(re.sub(r">\s+<", "><", html))
    return reader.said


def says_all_of(html: str, before: str) -> bool:
    """Whether ``html`` says everything ``before`` said, in the same order and with the same
    links, leaving out nothing (it may say more: a heading, a button's own words)."""
    now = iter(said(html))
    return all(any(item == found for found in now) for item in said(before))
