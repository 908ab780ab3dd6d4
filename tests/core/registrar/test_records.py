"""Reading a student-information system's export (issue 56): the columns, the encodings,
and every bad row named by row and column; the same read from the export's parts, a line at
a time."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from credstack.core.registrar.records import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    Standing,
    decode,
    read_csv,
    read_export,
    read_rows,
    write_csv,
)
from credstack.errors import UnreadableInputError

HEADER = ",".join(COLUMNS)
HANAKO = ("20A1001,山田 花子,ヤマダ ハナコ,YAMADA Hanako,2003-04-02,工学部,機械工学科,"
          "学士（工学）,2022-04-01,2026-03-31,卒業見込")


def _file(*rows: str) -> str:
    return "\r\n".join([HEADER, *rows]) + "\r\n"


def test_a_written_export_reads_back_as_the_same_students() -> None:
    """What :func:`write_csv` writes (the template, the bench's files) reads back unchanged,
    grades and standings written as codes."""
    students, problems = read_csv(_file(f"{HANAKO},2022-前期,ME101,機械工学概論,2,jp,優",
                                        f"{HANAKO},2022-後期,P100,体育,1,pass_fail,合",
                                        HANAKO.replace("卒業見込", "休学")
                                        .replace("20A1001", "20A1003") + ",,,,,,"))
    assert problems == []
    assert students[0].standing is Standing.EXPECTED
    assert [result.grade.mark for result in students[0].results] == ["yu", "pass"]
    again, problems = read_csv(write_csv(students))
    assert problems == [] and again == students
    assert ",expected,2022-前期,ME101,機械工学概論,2,jp,yu" in write_csv(students)


def test_the_english_names_are_optional_columns_in_any_place() -> None:
    """The programme's English names read from their columns wherever the header puts them;
    a file without them reads them as empty and digests as it did before they existed."""
    english = "Faculty of Engineering,Department of Mechanical Engineering,Bachelor of Engineering"
    header = ",".join((*OPTIONAL_COLUMNS, *COLUMNS))
    [named], problems = read_csv(f"{header}\r\n{english},{HANAKO},,,,,,\r\n")
    assert problems == []
    assert (named.faculty_en, named.department_en, named.degree_name_en) == tuple(
        english.split(","))
    assert named.programme("en") == ("Faculty of Engineering",
                                     "Department of Mechanical Engineering",
                                     "Bachelor of Engineering")
    assert named.programme("ja") == ("工学部", "機械工学科", "学士（工学）")
    [plain], problems = read_csv(_file(f"{HANAKO},,,,,,"))
    assert problems == [] and plain.degree_name_en == ""
    assert plain.programme("en") == ("工学部", "機械工学科", "学士（工学）")
    assert plain.fingerprint() != named.fingerprint()
    again, _ = read_csv(write_csv([named, dataclasses.replace(plain, number="20A1002")]))
    assert again[0] == named and again[1].degree_name_en == ""


def test_an_english_name_too_long_is_named_by_its_column() -> None:
    """An English name is held to the same length as the Japanese one."""
    header = ",".join((*COLUMNS, "degree_name_en"))
    _, [problem] = read_csv(f"{header}\r\n{HANAKO},,,,,,,{'B' * 201}\r\n")
    assert problem.location == "row 2, column degree_name_en"


def test_a_students_rows_make_one_record_with_its_gpa() -> None:
    """Rows of one student gather in file order; the GPA follows the published rule."""
    students, problems = read_csv(_file(
        f"{HANAKO},2022-前期,ME101,機械工学概論,2,jp,秀",
        f"{HANAKO},2022-後期,ME102,材料力学,2,jp,可",
        f"{HANAKO},2023-前期,EN201,English,1,letter,B",
        f"{HANAKO},2023-前期,TR001,他大学単位,4,transfer,認定"))
    assert problems == []
    [student] = students
    assert [result.course_code for result in student.results] == ["ME101", "ME102", "EN201",
                                                                    "TR001"]
    assert student.gpa() == Decimal("2.40")  # (4×2 + 1×2 + 2×1) / 5
    assert student.credits_earned == Decimal(9)
    assert student.completion_date == dt.date(2026, 3, 31)


def test_a_student_without_results_is_one_row_with_empty_course_columns() -> None:
    """A newly admitted student has a record before any grade."""
    students, problems = read_csv(_file(f"{HANAKO.replace('卒業見込', '在学')},,,,,,"))
    assert problems == []
    assert students[0].results == ()
    assert students[0].gpa() is None


def test_every_bad_row_is_named_by_row_and_column() -> None:
    """Each fault is one problem with its line and column, none stops the others."""
    _, problems = read_csv(_file(
        f"{HANAKO},2022-前期,ME101,機械工学概論,2,jp,A",
        f"{HANAKO.replace('2003-04-02', '2003-02-30')},2022-前期,ME102,材料力学,2,jp,優",
        "20A1002,鈴木 一郎,スズキ イチロウ,SUZUKI Ichiro,2003-05-01,工学部,機械工学科,学士（工学）,"
        "2022-04-01,,卒業,2022-前期,ME101,機械工学概論,abc,grades,優",
        f"{HANAKO},2022-前期,ME101,機械工学概論,2,jp,優"))
    found = {(problem.params["row"], problem.params["column"], problem.code)
             for problem in problems}
    assert found == {
        (2, "grade", "registrar.import.fault.grade"),
        (3, "birth_date", "registrar.import.fault.differs"),
        (4, "completion_date", "registrar.import.fault.completion_required"),
        (4, "credits", "registrar.import.fault.credits"),
        (4, "scale", "registrar.import.fault.scale"),
    }
    assert problems[0].location == "row 2, column grade"


def test_the_same_course_twice_in_a_term_is_refused() -> None:
    """A course appears once per term; the second names the first's row."""
    _, problems = read_csv(_file(f"{HANAKO},2022-前期,ME101,機械工学概論,2,jp,優",
                                 f"{HANAKO},2022-前期,ME101,機械工学概論,2,jp,良"))
    [problem] = problems
    assert (problem.code, problem.params["row"], problem.params["first"]) == (
        "registrar.import.fault.duplicate_course", 3, 2)


def test_a_header_without_the_columns_is_one_problem() -> None:
    """A file that is not the template's shape names the missing and unknown columns."""
    students, [problem] = read_csv("学籍番号,氏名\r\n20A1001,山田\r\n")
    assert students == []
    assert problem.code == "registrar.import.fault.header"
    assert "student_number" in problem.params["missing"]  # type: ignore[operator]
    assert problem.params["unknown"] == ["学籍番号", "氏名"]


def test_a_row_of_the_wrong_width_is_named() -> None:
    """A row with cells missing is refused, not read shifted."""
    _, [problem] = read_csv(_file("20A1001,山田 花子"))
    assert (problem.code, problem.params["row"]) == ("registrar.import.fault.width", 2)


@pytest.mark.parametrize("encoding", ["shift_jis", "cp932", "utf-8", "utf-8-sig"])
def test_an_export_decodes_in_each_encoding(encoding: str) -> None:
    """Shift_JIS, CP932 and UTF-8 (with or without a byte order mark) are told apart."""
    text = _file(f"{HANAKO},2022-前期,ME101,機械工学概論,2,jp,優")
    assert decode(text.encode(encoding)) == text
    assert decode(text.encode(encoding), None if encoding == "utf-8-sig" else encoding) == text


def test_cp932_characters_beyond_shift_jis_decode() -> None:
    """NEC and IBM extensions (①, 髙) that Windows writes are read as CP932."""
    assert decode("髙橋①".encode("cp932")) == "髙橋①"


def test_a_control_character_is_refused_with_its_line() -> None:
    """A control character (not a tab or a line break) is refused before any row is read."""
    with pytest.raises(UnreadableInputError) as raised:
        decode(_file(f"{HANAKO}\x07,,,,,,").encode())
    assert raised.value.params == {"row": 2}


def test_bytes_in_no_accepted_encoding_are_unreadable() -> None:
    """Text that is neither UTF-8 nor CP932 (nor an encoding named) is refused."""
    with pytest.raises(UnreadableInputError):
        decode(b"\x80\x81\xff\xfe\xa0", "utf-8")
    with pytest.raises(UnreadableInputError):
        decode(b"abc", "latin-1")


def test_json_rows_are_placed_by_their_json_location() -> None:
    """Rows from the JSON API are named by their place in the document."""
    cells = (HANAKO + ",2022-前期,ME101,機械工学概論,2,jp,X").split(",")
    _, [problem] = read_rows([("students[0].results[0]", cells)])
    assert problem.location == "students[0].results[0], column grade"


def _parted(data: bytes, size: int) -> list[bytes]:
    return [data[start:start + size] for start in range(0, len(data), size)] or [b""]


#: Exports as the reader is given them, each read whole and in parts: Shift_JIS, CP932 told
#: from UTF-8, UTF-8 with its byte order mark, bare line feeds, a quoted line break, a broken
#: row, a bad header, a control character (on the third line), bytes in no encoding (after a
#: bad header and after a control character: the encoding is the fault said).
EXPORTS: dict[str, tuple[bytes, str | None]] = {
    "shift_jis": (_file(f"{HANAKO},2022-前期,ME101,機械工学概論,2,jp,優",
                        f"{HANAKO},2022-後期,ME102,材料力学,2,jp,良").encode("shift_jis"),
                  "shift_jis"),
    "cp932 guessed": (_file(f"{HANAKO.replace('山田', '髙橋')},2022-前期,ME101,概論①,2,jp,優")
                      .encode("cp932"), None),
    "utf-8 bom": (b"\xef\xbb\xbf" + _file(f"{HANAKO},2022-前期,ME101,概論,2,jp,優").encode(),
                  None),
    "line feeds": (_file(f"{HANAKO},2022-前期,ME101,概論,2,jp,優").replace("\r\n", "\n")
                   .encode(), "utf-8"),
    "quoted break": (_file(f'{HANAKO},2022-前期,ME101,"機械\r\n工学",2,jp,優').encode(), None),
    "broken": (_file(f"{HANAKO},2022-前期,ME101,概論,2,jp,優",
                     HANAKO.replace("2003-04-02", "2003-02-30") + ",2022-前期,X1,概論,2,jp,優",
                     "a,b").encode("cp932"), None),
    "header": ("student_number,name\r\n20A1001,山田\r\n".encode("cp932"), None),
    "control": (_file(f"{HANAKO},2022-前期,ME101,概論,2,jp,優",
                      f"{HANAKO}\x07,,,,,,").encode(), None),
    "header, then no encoding": (b"student_number\r\n" + b"\x80\x81\xff\xfe\xa0" * 3, None),
    "control, then no encoding": (_file(f"{HANAKO}\x07,,,,,,").encode("shift_jis")
                                  + b"\xff\xff\xff", "shift_jis"),
}


def _outcome(read: Callable[[], tuple[list[Any], list[Any]]]) -> object:
    try:
        return read()
    except UnreadableInputError as refused:
        return refused.code, refused.params


@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("size", [1, 2, 3, 7, 4096])
def test_an_export_read_in_parts_reads_as_it_does_whole(name: str, size: int) -> None:
    """:func:`read_export` gives what :func:`read_csv` gives of :func:`decode`'s text (the
    same students and problems, or the same refusal) for an export given in parts of any
    size, a character's bytes or a line's end split between two parts, and says how many
    bytes it has read as it goes, up to them all (from the start again when the first
    encoding tried does not read them)."""
    data, encoding = EXPORTS[name]
    whole = _outcome(lambda: read_csv(decode(data, encoding), limit=10))
    seen: list[int] = []
    parted = _outcome(lambda: read_export(lambda: iter(_parted(data, size)), encoding,
                                          limit=10, read=seen.append))
    assert parted == whole
    if isinstance(whole, tuple) and isinstance(whole[0], list):
        # Up to them all; back to the first part only when the next encoding is tried.
        assert seen[-1] == len(data)
        assert all(later > earlier or later == seen[0]
                   for earlier, later in itertools.pairwise(seen))
