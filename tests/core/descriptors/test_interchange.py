"""Reading and writing descriptor documents: YAML, JSON and CSV, with positioned errors.

Reading is all-or-nothing: a file with any bad record raises with every problem and yields no
documents. A file that cannot be parsed at all is unreadable; one that parses but holds bad
descriptors is a descriptor error whose problems say where — line, or row and column.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from credstack.core.descriptors import (
    AwardedMicroCredential,
    Documents,
    Format,
    Programme,
    interchange,
    parse_organisation,
    parse_programme,
    read_documents,
    write_documents,
)
from credstack.errors import (
    DescriptorError,
    InputTooLargeError,
    Problem,
    UnreadableInputError,
)
from credstack.words import error_words
from tests.core.descriptors.interchange_refusals import worded

ORGANISATION = {"slug": "example-university", "kind": "university",
                "name": {"ja": "例示大学", "en": "Example University"}}


def _problems(text: str | bytes, fmt: Format, source: str = "input") -> list[Problem]:
    with pytest.raises(DescriptorError) as caught:
        read_documents(text, fmt, source=source)
    return [worded(problem) for problem in caught.value.problems]


def _unreadable(text: str | bytes, fmt: Format, source: str = "input") -> str:
    with pytest.raises(UnreadableInputError) as caught:
        read_documents(text, fmt, source=source)
    return error_words(caught.value, "en")


# --- file shapes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.yaml", Format.YAML), ("a.YML", Format.YAML), ("dir.v2/a.json", Format.JSON),
     ("a.csv", Format.CSV)],
)
def test_the_format_follows_the_file_name(name: str, fmt: Format) -> None:
    """.yaml, .yml, .json and .csv, in any case."""
    assert Format.from_filename(name) is fmt


@pytest.mark.parametrize("name", ["a.txt", "a", "yaml"])
def test_an_unknown_file_name_is_unreadable(name: str) -> None:
    """A name without a known suffix says which suffixes work."""
    with pytest.raises(UnreadableInputError, match=r"\.yaml, \.yml, \.json or \.csv"):
        Format.from_filename(name)


@pytest.mark.parametrize("fmt", [Format.YAML, Format.JSON])
def test_one_programme_a_list_or_a_bundle_can_be_read(
    fmt: Format, programme_document: dict[str, Any]
) -> None:
    """A file holds one programme, a list of them, or organisations and programmes."""
    def dump(data: Any) -> str:
        return json.dumps(data) if fmt is Format.JSON else yaml.safe_dump(data)

    single = read_documents(dump(programme_document), fmt)
    listed = read_documents(dump([programme_document]), fmt)
    bundle = read_documents(
        dump({"organisations": [ORGANISATION], "programmes": [programme_document]}), fmt
    )
    assert single == listed == Documents(programmes=bundle.programmes)
    assert [o.slug for o in bundle.organisations] == ["example-university"]
    assert [p.code for p in single.programmes] == ["DX-101"]


def test_a_document_with_an_award_is_a_learners_micro_credential(
    complete_document: dict[str, Any],
) -> None:
    """``award`` makes a document one learner's micro-credential; without it, a programme."""
    bare_document = {k: v for k, v in complete_document.items() if k != "award"}
    (awarded, bare) = read_documents(
        json.dumps([complete_document, {**bare_document, "code": "DX-102"}]), Format.JSON
    ).programmes
    assert isinstance(awarded, AwardedMicroCredential)
    assert type(bare) is Programme


def test_a_bundle_with_an_unknown_top_level_key_is_rejected() -> None:
    """A bundle holds only organisations and programmes."""
    problems = _problems("programmes: []\ncourses: []\n", Format.YAML)
    assert problems == [Problem("input: courses", "unknown top-level key")]


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("programmes: {code: A}\n", "input: programmes"),
        ("organisations: example-university\n", "input: organisations"),
    ],
)
def test_bundle_parts_must_be_lists(text: str, location: str) -> None:
    """``programmes`` and ``organisations`` are lists."""
    (problem,) = _problems(text, Format.YAML)
    assert problem.location == location
    assert "expected a list" in problem.message


@pytest.mark.parametrize(("text", "found"), [("42\n", "a number"), ("just text\n", "text")])
def test_a_file_of_one_scalar_is_unreadable(text: str, found: str) -> None:
    """A number or a sentence is not a descriptor document."""
    assert found in _unreadable(text, Format.YAML)


def test_a_list_item_that_is_not_a_mapping_is_a_problem() -> None:
    """Each record of a list must be a mapping of descriptors."""
    problems = _problems("- code: A\n- 42\n- [code, B]\n", Format.YAML)
    assert problems == [
        Problem("input: [1]", "expected a mapping of descriptors, found a number"),
        Problem("input: [2]", "expected a mapping of descriptors, found a list"),
    ]


# --- unreadable input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("code: A\ntitle:\n  ja: x\n en: y\n", "line 4, column 2"),
        ("code: A\n\ttitle: {en: x}\n", "line 2, column 1"),
        ("code: A\ntitle: {en: x\n", "line 3, column 1"),
    ],
)
def test_a_yaml_syntax_error_names_line_and_column(text: str, where: str) -> None:
    """Broken YAML is unreadable, and the message says where it broke."""
    message = _unreadable(text, Format.YAML, source="programmes.yaml")
    assert message.startswith("programmes.yaml: not valid YAML")
    assert where in message


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"code": "A",\n "title": }', "line 2, column 11"),
        ('{"code": "A",}', "line 1, column 14"),
        ('[{"code": "A"}\n\n{"code": "B"}]', "line 3, column 1"),
    ],
)
def test_a_json_syntax_error_names_line_and_column(text: str, where: str) -> None:
    """Broken JSON is unreadable, and the message says where it broke."""
    message = _unreadable(text, Format.JSON, source="programmes.json")
    assert message.startswith("programmes.json: not valid JSON")
    assert where in message


def test_bytes_that_are_not_utf8_are_unreadable() -> None:
    """Text must be UTF-8; the message gives the first bad byte."""
    text = "code: A\ntitle: {ja: データ}\n".encode("shift_jis")
    message = _unreadable(text, Format.YAML)
    assert "not UTF-8" in message
    assert "byte 20" in message


@pytest.mark.parametrize("fmt", list(Format))
def test_utf8_bytes_with_or_without_a_byte_order_mark_are_read(fmt: Format) -> None:
    """UTF-8 is read whether or not a spreadsheet put a BOM in front."""
    document = {"code": "A", "title": {"ja": "データ"}, "description": {"ja": "説明"}}
    text = ("code,title.ja\nA,データ\n" if fmt is Format.CSV
            else json.dumps(document, ensure_ascii=False) if fmt in {Format.YAML, Format.JSON}
            else write_documents(Documents(programmes=(parse_programme(document),)), fmt))
    for data in (text.encode(), b"\xef\xbb\xbf" + text.encode()):
        (programme,) = read_documents(data, fmt).programmes
        assert programme.title is not None
        assert programme.title.text("ja") == "データ"


@pytest.mark.parametrize("fmt", list(Format))
@pytest.mark.parametrize("text", ["", b"", "\n", "   \n\n"])
def test_an_empty_file_is_unreadable(fmt: Format, text: str | bytes) -> None:
    """Nothing at all (or only blank lines) cannot be read as descriptors."""
    _unreadable(text, fmt)


def test_input_over_the_size_limit_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Above the limit the input is too large, whatever it holds; at the limit it is read."""
    # The real limit is 512 MiB; a smaller one keeps the test light.
    monkeypatch.setattr(interchange.reading, "MAX_INPUT_BYTES", 40)
    at_limit = '{"code": "A", "title": {"en": "012345"}}'
    assert len(at_limit) == 40
    assert read_documents(at_limit, Format.JSON).programmes[0].code == "A"
    for too_large in (at_limit + " ", (at_limit + " ").encode(), "[" * 41):
        with pytest.raises(InputTooLargeError, match="at most 40"):
            read_documents(too_large, Format.JSON)


# --- descriptor errors, positioned -------------------------------------------------------

YAML_WITH_PROBLEMS = """\
programmes:
  - code: A
    title:
      ja: データ活用
      en: Data use
    learner_effort:
      hours: -1
      hourz: 3
  - code: B
    levels:
      - {framework: EQF, level: 5}
      - {framework: EQF, level: 9}
    title: Data use
"""


def test_descriptor_errors_name_the_yaml_line() -> None:
    """Every problem in a YAML file is placed by its path and line."""
    problems = _problems(YAML_WITH_PROBLEMS, Format.YAML, source="mc.yaml")
    assert [p.location for p in problems] == [
        "mc.yaml: programmes[0].learner_effort.hours (line 7)",
        "mc.yaml: programmes[0].learner_effort.hourz (line 8)",
        "mc.yaml: programmes[1].title (line 13)",
        "mc.yaml: programmes[1].levels[1] (line 12)",
    ]
    assert problems[0].message == "must be greater than 0 (got -1)"
    assert problems[0].message_ja == "0 より大きい値にしてください（入力: -1）"
    assert problems[1].message == "unknown descriptor key 'hourz'; did you mean 'hours'?"
    assert problems[2].message.startswith("give the text per language")
    assert problems[3].message == "EQF has levels 1–8; 9 is not one of them"


def test_a_single_yaml_programme_names_lines_too() -> None:
    """Without a list around it, the path starts at the programme itself."""
    (problem,) = _problems("code: A\n\nform_of_participation:\n  mode: zoom\n", Format.YAML)
    assert problem.location == "input: form_of_participation.mode (line 4)"
    assert "(got 'zoom')" in problem.message


def test_json_descriptor_errors_name_the_path() -> None:
    """JSON problems are placed by their path."""
    text = json.dumps({"programmes": [{"code": "A", "languages": "ja"}]})
    (problem,) = _problems(text, Format.JSON, source="mc.json")
    assert problem.location == "mc.json: programmes[0].languages"
    assert problem.message == "must be a list (got 'ja')"


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("titel", "; did you mean 'title'?"),
        ("lerning_outcomes", "; did you mean 'learning_outcomes'?"),
        ("prerequisite", "; did you mean 'prerequisites'?"),
        ("zzzzzz", ""),
    ],
)
def test_an_unknown_key_suggests_the_nearest_known_one(key: str, hint: str) -> None:
    """A misspelt descriptor key is refused with a suggestion when one is close."""
    with pytest.raises(DescriptorError) as caught:
        parse_programme({"code": "A", key: {"en": "x"}})
    assert caught.value.problems == (
        Problem(f"programme: {key}", f"unknown descriptor key {key!r}{hint}"),
    )


def test_a_missing_code_is_a_problem() -> None:
    """The provider's code is the one key every programme needs."""
    with pytest.raises(DescriptorError) as caught:
        parse_programme({"title": {"en": "x"}}, source="form")
    assert caught.value.problems == (Problem("form: code", "this key is required"),)


def test_one_bad_record_means_nothing_is_read(programme_document: dict[str, Any]) -> None:
    """All or nothing: every problem of every record is reported, and no document returned."""
    records = [
        {**programme_document, "code": "A"},
        {**programme_document, "code": "B", "learner_effort": {"hours": 0}},
        {**programme_document, "code": "C"},
        {**programme_document, "code": "D", "title": "plain", "levels": [{"framework": "X"}]},
    ]
    with pytest.raises(DescriptorError) as caught:
        read_documents(json.dumps(records), Format.JSON)
    assert error_words(caught.value, "en") == "input: 4 problems; nothing was read."
    assert [p.location for p in caught.value.problems] == [
        "input: [1].learner_effort.hours",
        "input: [3].title",
        "input: [3].levels[0].framework",
        "input: [3].levels[0].level",
    ]


@pytest.mark.parametrize("fmt", [Format.YAML, Format.JSON])
def test_duplicate_programme_codes_in_one_file_are_a_problem(
    fmt: Format, programme_document: dict[str, Any]
) -> None:
    """Two programmes of one awarding body with the same code cannot both be imported."""
    records = [programme_document, {**programme_document, "title": {"en": "Again"}}]
    text = json.dumps(records) if fmt is Format.JSON else yaml.safe_dump(records)
    (problem,) = _problems(text, fmt)
    assert problem.location == "input: [1]"
    assert problem.message == (
        "programme 'DX-101' of example-university is also at input: [0]"
    )


def test_the_same_code_from_different_awarding_bodies_is_fine(
    programme_document: dict[str, Any],
) -> None:
    """Codes are the provider's own, so they need only be unique per awarding body."""
    other = {**programme_document,
             "awarding_body": {"id": "other-college", "name": {"en": "Other College"}}}
    documents = read_documents(json.dumps([programme_document, other]), Format.JSON)
    assert [p.code for p in documents.programmes] == ["DX-101", "DX-101"]


def test_organisations_are_read_and_checked_with_programmes() -> None:
    """Bad organisations are problems like bad programmes."""
    bundle = {"organisations": [ORGANISATION, {**ORGANISATION, "slug": "Bad Slug"}]}
    (problem,) = _problems(json.dumps(bundle), Format.JSON)
    assert problem.location == "input: organisations[1].slug"
    organisation = parse_organisation(ORGANISATION)
    assert organisation.slug == "example-university"


@pytest.mark.parametrize(
    ("text", "fmt", "key"),
    [
        ("code: A\ntitle: {en: x}\ncode: B\n", Format.YAML, "code"),
        ("code: A\nlearner_effort:\n  hours: 10\n  hours: 100\n", Format.YAML, "hours"),
        ('{"code": "A", "learner_effort": {"hours": 10, "hours": 100}}', Format.JSON, "hours"),
    ],
)
def test_a_key_given_twice_is_unreadable(text: str, fmt: Format, key: str) -> None:
    """A repeated key would silently drop one value, so the file is refused instead."""
    message = _unreadable(text, fmt)
    assert f"{key!r}" in message
    assert "more than once" in message


def test_a_repeated_key_in_yaml_names_its_line() -> None:
    """The second occurrence is placed by line and column."""
    message = _unreadable("code: A\nlearner_effort:\n  hours: 10\n  hours: 100\n", Format.YAML)
    assert "line 4, column 3" in message


# --- CSV ----------------------------------------------------------------------------------

CSV_HEADER = "code,title.ja,title.en,learner_effort.hours,languages[0],languages[1]\n"


def test_csv_rows_are_programmes_with_descriptor_paths_as_columns() -> None:
    """Columns are paths; empty cells are absent; blank rows are skipped; list holes close."""
    text = CSV_HEADER + "A,データ,Data,10.5,ja,en\n,,,,,\nB,,Only English,20,,en\n"
    (first, second) = read_documents(text, Format.CSV).programmes
    assert first.to_document() == {
        "code": "A", "title": {"ja": "データ", "en": "Data"},
        "languages": ["ja", "en"], "learner_effort": {"hours": "10.5"},
    }
    assert second.title is not None
    assert second.title.root == {"en": "Only English"}
    assert second.languages == ("en",)


def test_a_csv_row_with_award_columns_is_a_learners_micro_credential() -> None:
    """``award.*`` columns make a row one learner's award."""
    text = "code,award.learner.name.ja,award.issued_on\nA,山田花子,2025-07-01\n"
    (awarded,) = read_documents(text, Format.CSV).programmes
    assert isinstance(awarded, AwardedMicroCredential)
    assert str(awarded.award.issued_on) == "2025-07-01"


def test_a_csv_with_only_a_header_holds_no_programmes() -> None:
    """A header and nothing else is an empty, valid file."""
    assert read_documents(CSV_HEADER, Format.CSV) == Documents()


@pytest.mark.parametrize(
    ("header", "column", "name"),
    [
        ("code,title..ja\n", "B", "title..ja"),
        ("code,title.ja,[0].x\n", "C", "[0].x"),
        ("code,title.ja,learning_outcomes[x]\n", "C", "learning_outcomes[x]"),
        ("code,,title.ja\n", "B", ""),
    ],
)
def test_a_csv_header_that_is_not_a_descriptor_path_is_unreadable(
    header: str, column: str, name: str
) -> None:
    """Every header cell must be a descriptor path; the bad one is named by column."""
    message = _unreadable(header + "A,x,y\n", Format.CSV, source="mc.csv")
    assert message.startswith(f"mc.csv: row 1, column {column}: {name!r} is not a descriptor path")


@pytest.mark.parametrize(
    ("header", "complaint"),
    [
        ("code,title,title.ja\n", "column C: 'title.ja' contradicts column B ('title')"),
        ("code,title.ja,title\n", "column C: 'title' contradicts column B ('title.ja')"),
        ("code,languages[0],languages.x\n",
         "column C: 'languages.x' contradicts column B ('languages[0]')"),
        ("code,learning_outcomes.x,learning_outcomes[0].statement.en\n",
         "column C: 'learning_outcomes[0].statement.en' contradicts column B"),
        ("code,title.ja, title.ja \n", "column C: 'title.ja' contradicts column B ('title.ja')"),
    ],
)
def test_csv_columns_that_contradict_each_other_are_unreadable(header: str, complaint: str
                                                               ) -> None:
    """A path cannot be both a value and a container, a list and a mapping, or given twice."""
    message = _unreadable(header + "A,x,y\n", Format.CSV, source="mc.csv")
    assert message.startswith(f"mc.csv: row 1, {complaint}")


def test_a_csv_row_with_too_many_cells_is_unreadable() -> None:
    """A row longer than the header is refused, naming the row and the first extra column."""
    text = "code,title.en\nA,Data\nB,Data,extra\n"
    assert _unreadable(text, Format.CSV) == (
        "input: row 3 has 3 cells but the header has 2 columns (first extra cell in column C)."
    )


def test_broken_csv_quoting_is_unreadable() -> None:
    """A stray quote is a syntax error in the row where it happens."""
    text = 'code,title.en\nA,Data\n"B"x,Data\n'
    assert _unreadable(text, Format.CSV).startswith("input: row 3 is not valid CSV")


@pytest.mark.parametrize(
    ("row", "location", "complaint"),
    [
        ("A,Data,abc,online", "row 3, column C (learner_effort.hours)", "must be a number"),
        ("A,Data,10,zoom", "row 3, column D (form_of_participation.mode)", "(got 'zoom')"),
        ("A bad code,Data,10,online", "row 3, column A (code)", "must be a code of letters"),
    ],
)
def test_a_bad_csv_cell_is_named_by_row_and_column(
    row: str, location: str, complaint: str
) -> None:
    """A problem in a cell names the row, the column letter and the column's path."""
    text = "code,title.en,learner_effort.hours,form_of_participation.mode\n"
    text += "OK,Fine,10,online\n" + row + "\n"
    (problem,) = _problems(text, Format.CSV, source="mc.csv")
    assert problem.location == f"mc.csv: {location}"
    assert complaint in problem.message


def test_a_problem_with_a_whole_csv_object_names_its_first_column() -> None:
    """A rule across cells (subdivision outside the country) points at the object's columns."""
    text = "code,issuer_region.country,issuer_region.subdivision\nA,JP,US-CA\n"
    (problem,) = _problems(text, Format.CSV)
    assert problem.location == "input: row 2, column B (issuer_region.country)"
    assert problem.message == "subdivision US-CA is not in country JP"


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("code,quality_assurance[0].kind,quality_assurance[0].scope,"
         "quality_assurance[1].kind,quality_assurance[1].scope\nA,,,bogus,programme\n",
         "row 2, column D (quality_assurance[1].kind)"),
        ("code,languages[0],languages[1],languages[2]\nA,ja,,Japanese\n",
         "row 2, column D (languages[2])"),
    ],
)
def test_a_bad_cell_after_an_empty_list_item_is_named_by_its_own_column(
    text: str, location: str
) -> None:
    """Empty list items close up, but a problem still points at the cell that has it."""
    (problem,) = _problems(text, Format.CSV)
    assert problem.location == f"input: {location}"


def test_a_missing_csv_column_is_named_as_such() -> None:
    """A key required inside an object whose column is absent is named by its path."""
    (problem,) = _problems("code,form_of_participation.pace\nA,mixed\n", Format.CSV)
    assert problem.location == "input: row 2, form_of_participation.mode (no such column)"
    assert problem.message == "this key is required"
    (problem,) = _problems("title.en\nData\n", Format.CSV)
    assert problem.location == "input: row 2, code (no such column)"
    assert problem.message == "this key is required"


def test_duplicate_programme_codes_in_a_csv_name_both_rows() -> None:
    """The second row with a code already used is the problem, and points at the first."""
    (problem,) = _problems("code,title.en\nA,One\nB,Two\nA,Three\n", Format.CSV)
    assert problem == Problem("input: row 4",
                              "programme 'A' of no awarding body is also at input: row 2")


# --- writing -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [Format.YAML, Format.JSON])
def test_yaml_and_json_are_written_as_a_bundle(fmt: Format, complete_document: dict[str, Any]
                                               ) -> None:
    """Trees are written as ``{organisations, programmes}``, readable by people."""
    documents = Documents((parse_organisation(ORGANISATION),),
                          (parse_programme(complete_document),))
    text = write_documents(documents, fmt)
    data = json.loads(text) if fmt is Format.JSON else yaml.safe_load(text)
    assert list(data) == ["organisations", "programmes"]
    assert data["programmes"][0]["title"]["ja"] == "データ活用入門"
    assert "データ活用入門" in text
    assert read_documents(text, fmt) == documents


def test_csv_is_written_with_one_row_per_programme(complete_document: dict[str, Any]) -> None:
    """Each programme is a row; columns are the union of every programme's paths."""
    first = parse_programme(complete_document)
    second = parse_programme({"code": "X-1", "title": {"en": "Tiny"}, "stackability":
                              {"stackable": False}})
    text = write_documents(Documents(programmes=(first, second)), Format.CSV)
    header, *rows = text.splitlines()
    assert header.startswith("code,title.ja,title.en,")
    assert "learning_outcomes[1].statement.en" in header.split(",")
    assert len(rows) == 2
    assert read_documents(text, Format.CSV).programmes == (first, second)


@pytest.mark.parametrize("fmt", list(Format))
@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\r"])
def test_text_with_line_breaks_survives_writing_and_reading(fmt: Format, line_break: str) -> None:
    """A description typed on any platform comes back unchanged, and stays one programme."""
    programme = parse_programme({
        "code": "A",
        "description": {"en": f"First line.{line_break}Second line, with a comma."},
        "title": {"en": "After the description"},
    })
    documents = Documents(programmes=(programme,))
    assert read_documents(write_documents(documents, fmt), fmt) == documents
