"""The files a provider may upload that the interchange readers refuse before any descriptor
is read: a file that is empty, not UTF-8, not valid CSV, JSON or YAML, with a key given twice,
columns that name no descriptor path or contradict each other, a row with too many cells, a
bundle with a key it cannot have (:mod:`credstack.core.descriptors.interchange`)."""

from __future__ import annotations

from credstack.errors import Problem
from credstack.words import problem_words

#: (format, text) of each refused file; bytes as latin-1 text where the file is not UTF-8.
CASES: list[tuple[str, str]] = [
    ("csv", ""),
    ("csv", '"a"b,c\r\n'),
    ("csv", ",,\r\n"),
    ("csv", "title.ja,[0]\r\n"),
    ("csv", "title.ja,title.ja\r\n"),
    ("csv", "title,title.ja\r\n"),
    ("csv", "code,title.ja\r\nA,B,C\r\n"),
    ("csv", 'code,title.ja\r\nA,"B"x\r\n'),
    ("json", '{"a": 1, "a": 2}'),
    ("json", '{"programmes": ['),
    ("json", "null"),
    ("json", '"text"'),
    ("json", "[1, 2"),
    ("yaml", '{"programmes": 5}'),
    ("yaml", "programmes: []\nextra: 1\n"),
    ("yaml", "a: [\n"),
    ("yaml", "a: 1\na: 2\n"),
    ("yaml", ""),
    ("yaml", "42\n"),
    ("yaml", "- 1\n- text\n"),
    ("yaml", "programmes: text\n"),
    ("yaml", "organisations: {a: 1}\n"),
    ("yaml", "- 1\n"),
    ("yaml", "- {code: A-1, title: {ja: 題}}\n- {code: A-1, title: {ja: 題}}\n"),
    ("bytes-csv", "title.ja\r\n\xff\r\n"),
]


def worded(problem: Problem) -> Problem:
    """``problem`` as the pages and the CLI word it (its code in English and Japanese), to
    compare with a problem written in words."""
    if not problem.code:
        return problem
    return Problem(problem.location, problem_words(problem, "en"),
                   message_ja=problem_words(problem, "ja"))


#: (format, text) of each refused exchange file (CTDL JSON-LD, OB 3.0, ELM): not the format's
#: document, nothing in it credstack reads, records that are not the format's nodes.
EXCHANGE_CASES: list[tuple[str, str]] = [
    ("ctdl", '{"@context": "https://credreg.net/ctdl/schema/context/json", "@graph": 5}'),
    ("ctdl", '{"@context": "https://credreg.net/ctdl/schema/context/json", '
             '"@graph": [{"@type": "ceterms:Competency"}]}'),
    ("ctdl", '{"@context": "https://credreg.net/ctdl/schema/context/json", '
             '"@graph": [5, {"@type": "ceterms:Competency"}]}'),
    ("ob3", "42"),
    ("ob3", '[{"type": ["OpenBadgeCredential"], "credentialSubject": {}}]'),
    ("ob3", '[{"type": ["Profile"]}]'),
    ("ob3", '[{"name": "x"}]'),
    ("ob3", '["x"]'),
    ("elm", '{"@graph": []}'),
]
