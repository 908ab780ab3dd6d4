"""The site's one stylesheet is well formed: a block left open (a lost ``}`` after a merge) makes
the browser drop every rule after it, which the layout tests only notice pages later."""

from __future__ import annotations

import re
from pathlib import Path

import credstack.entrypoints.web

STYLESHEET = Path(credstack.entrypoints.web.__file__).parent / "static" / "credstack.css"


def _depths(css: str) -> list[tuple[int, int]]:
    """(line, nesting depth after the line) for each line, comments and strings blanked."""
    blank = re.sub(r"/\*.*?\*/|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'",
                   lambda m: re.sub(r"[^\n]", " ", m.group()), css, flags=re.S)
    depth, depths = 0, []
    for number, line in enumerate(blank.split("\n"), start=1):
        depth += line.count("{") - line.count("}")
        depths.append((number, depth))
    return depths


def test_every_block_of_the_stylesheet_closes() -> None:
    depths = _depths(STYLESHEET.read_text(encoding="utf-8"))
    assert all(depth >= 0 for _, depth in depths), "a } closes a block that was never opened"
    assert depths[-1][1] == 0, "a block is left open"


def test_only_at_rules_nest() -> None:
    """A rule that starts inside another rule's block (not an @media or @supports) means the
    block before it was never closed: the line named is where the lost ``}`` belongs."""
    css = STYLESHEET.read_text(encoding="utf-8")
    lines = css.split("\n")
    depths = dict(_depths(css))
    inside_at_rule = False
    for number, line in enumerate(lines, start=1):
        before = depths.get(number - 1, 0)
        if before == 0:
            inside_at_rule = line.lstrip().startswith("@")
        elif before == 1 and not inside_at_rule and "{" in line:
            raise AssertionError(f"credstack.css line {number} starts a rule inside another: "
                                 f"{line.strip()!r}")


def test_the_check_finds_a_lost_brace() -> None:
    assert _depths(".a {\n  margin: 0;\n.b {\n  color: red;\n}\n")[-1][1] == 1


def test_every_kind_of_notice_a_page_shows_is_styled() -> None:
    """A refusal must look like one: a ``notice--…`` kind the stylesheet does not define
    shows an error as plain text (the credit bank's errors were ``notice--error``, unstyled)."""
    styled = set(re.findall(r"\.(notice--[\w-]+)", STYLESHEET.read_text(encoding="utf-8")))
    used: dict[str, set[str]] = {}
    for template in (STYLESHEET.parent.parent / "templates").glob("*.html"):
        for classes in re.findall(r'class="([^"]*)"', template.read_text(encoding="utf-8")):
            for kind in re.findall(r"\bnotice--[\w-]+", re.sub(r"\{[{%].*?[%}]\}", " ", classes)):
                used.setdefault(kind, set()).add(template.name)
    assert used, "the templates show notices"
    assert {kind: sorted(names) for kind, names in used.items() if kind not in styled} == {}
