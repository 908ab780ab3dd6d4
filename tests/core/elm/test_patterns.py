"""SHACL patterns written for Java's regular expressions, read as Python's with the same
meaning: the LOQ shapes' six, the constructs they use one by one, and what cannot be
translated refused with its reason (and reported, never dropped in silence)."""

from __future__ import annotations

import re
import unicodedata
import warnings
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import SH

from credstack.core.elm.patterns import UntranslatablePattern, python_patterns, to_python

#: The Qualification Dataset Register's URL pattern, as LOQ-constraints.ttl has it.
QDR_URL = (r"^(?i)(http|https):(//(([^@\[/?#]*)@)?(\[[[A-Fa-f0-9]\:\.]*[%[\p{L}\p{Nl}\p{Nd}]]*"
           r"\]|[^\[/?#:]*)(:(\d*(?:\{[^/]+?\})?))?)?([^?#]*)(\?([^#]*))?(#(.*))?")


def _compiled(pattern: str) -> re.Pattern[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "possible nested set" is a warning, not an error
        return re.compile(to_python(pattern))


def test_every_loq_pattern_is_read(elm_dir: Path) -> None:
    """The six patterns of the LOQ shapes: each rewritten, none refused; pySHACL's ``re``
    refuses them as published."""
    graph = rdflib.Graph()
    graph.parse(elm_dir / "ec-elm/shacl/LOQ-constraints.ttl", format="turtle")
    published = [str(pattern) for pattern in graph.objects(None, SH.pattern)]
    assert len(published) == 6
    assert any(_refused_by_re(pattern) for pattern in published)
    assert python_patterns(graph) == []
    for pattern in graph.objects(None, SH.pattern):
        _compiled(str(pattern))  # compiles with no warning


def _refused_by_re(pattern: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except re.error:
        return True
    return False


@pytest.mark.parametrize(("url", "matches"), [
    ("https://example.org/a?b#c", True),
    ("HTTP://EXAMPLE.ORG/", True),  # (?i) after ^ still applies
    ("http://[fe80::1%25eth0]:8080/x", True),  # a nested class: hex digits, ':' and '.'
    ("http://[fe80::1%日本]/", True),  # \p{L} inside a nested class
    ("ftp://example.org/", False),
    ("mailto:someone@example.org", False),
])
def test_the_qdr_url_pattern(url: str, matches: bool) -> None:
    assert bool(_compiled(QDR_URL).search(url)) is matches


def test_a_flag_after_the_start_applies_from_there_on() -> None:
    assert to_python("^(?i)ab") == "^(?i:ab)"
    assert to_python("(?i)ab") == "(?i)ab"
    compiled = _compiled("a(?i)b")
    assert compiled.fullmatch("aB") and not compiled.fullmatch("AB")


def test_a_nested_class_is_a_union() -> None:
    compiled = _compiled(r"^[[a-c]x[0-1]]+$")
    assert compiled.match("ax01cb") and not compiled.match("[") and not compiled.match("]")
    assert _compiled(r"^[^[a-c]x]$").match("d") and not _compiled(r"^[^[a-c]x]$").match("b")


@pytest.mark.parametrize("category", ["L", "Nd", "Nl", "Lu"])
def test_a_unicode_category_is_its_code_points(category: str) -> None:
    """Every code point of the Basic Multilingual Plane and of a supplementary block is in
    ``\\p{X}`` exactly when unicodedata gives it that category; ``\\P{X}`` the rest."""
    inside, outside = _compiled(rf"\p{{{category}}}"), _compiled(rf"\P{{{category}}}")
    for point in [*range(0x10000), *range(0x1D400, 0x1D800), *range(0x20000, 0x20100)]:
        char = chr(point)
        expected = unicodedata.category(char).startswith(category)
        assert bool(inside.fullmatch(char)) is expected, hex(point)
        assert bool(outside.fullmatch(char)) is not expected, hex(point)


def test_other_java_constructs() -> None:
    assert _compiled(r"\Qa.b\E+").fullmatch("a.bbb")
    assert not _compiled(r"\Qa.b\E").fullmatch("axb")
    assert _compiled(r"ab\z").search("ab") and not _compiled(r"ab\z").search("ab\n")
    assert _compiled(r"ab\Z").search("ab\n")
    assert _compiled(r"(?<year>\d{4})").match("2026").group("year") == "2026"  # type: ignore[union-attr]
    assert to_python(r"^\d+(\.\d+)?$") == r"^\d+(\.\d+)?$"  # nothing of Java's: unchanged


@pytest.mark.parametrize(("pattern", "reason"), [
    ("[a-z&&[^aeiou]]", "intersection"),
    ("[x[^a]]", "negated class inside"),
    (r"[\P{L}x]", r"\P{…} inside a class"),
    (r"\p{InGreek}", "Unicode property"),
    ("(a(?i)b)", "flag group inside a group"),
    ("(?d)a", "flags"),
    ("[abc", "unclosed"),
])
def test_what_cannot_be_translated_is_refused_with_why(pattern: str, reason: str) -> None:
    with pytest.raises(UntranslatablePattern, match=re.escape(reason)):
        to_python(pattern)


def test_the_graph_is_rewritten_and_what_is_refused_is_returned() -> None:
    graph = rdflib.Graph()
    ours, refused, kept = (rdflib.BNode() for _ in range(3))
    graph.add((ours, SH.pattern, rdflib.Literal(r"^(?i)x\p{Nd}")))
    graph.add((refused, SH.pattern, rdflib.Literal("[a&&b]")))
    graph.add((kept, SH.pattern, rdflib.Literal("^y$")))
    assert python_patterns(graph) == [("[a&&b]", "an intersection of classes (&&)")]
    [rewritten] = graph.objects(ours, SH.pattern)
    assert re.compile(str(rewritten)).match("X٣")  # an Arabic-Indic digit is Nd
    assert list(graph.objects(refused, SH.pattern)) == []
    assert list(graph.objects(kept, SH.pattern)) == [rdflib.Literal("^y$")]
