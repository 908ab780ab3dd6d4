"""Reading a cohort CSV as spreadsheets save it: the encodings, Excel's habits, e-mail
addresses that are not, duplicate learners, and the preview of a file's first rows."""

from __future__ import annotations

import pytest

from credstack.core.credentials.cohorts import (
    bad_rows,
    decode_cohort,
    preview_cohort,
    read_cohort,
    without_rows,
)
from credstack.errors import InputError, Problem, UnreadableInputError
from credstack.words import error_words, problem_words

JAPANESE = "email,name.ja,name.en\nhanako@example.jp,山田　花子,Hanako Yamada\n"


def _problems(data: str | bytes) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as raised:
        read_cohort(data)
    return [(problem.location, problem_words(problem, "en"))
            for problem in raised.value.problems]


@pytest.mark.parametrize("encoded", [
    JAPANESE.encode("utf-8"),
    b"\xef\xbb\xbf" + JAPANESE.encode("utf-8"),
    JAPANESE.encode("shift_jis"),
    JAPANESE.encode("cp932"),
], ids=["utf-8", "utf-8 with BOM", "Shift_JIS", "cp932"])
def test_utf8_with_or_without_bom_and_shift_jis_are_read(encoded: bytes) -> None:
    """The same file in each encoding gives the same learner, the name as typed."""
    [member] = read_cohort(encoded).members
    assert member.key == "hanako@example.jp"
    assert member.award.learner is not None and member.award.learner.name is not None
    assert member.award.learner.name.root["ja"] == "山田　花子"


def test_a_file_in_neither_encoding_is_refused_in_both_languages() -> None:
    with pytest.raises(UnreadableInputError) as raised:
        decode_cohort(b"email\n\xff\x81\x20@example.jp\n")
    english, japanese = error_words(raised.value, "en"), error_words(raised.value, "ja")
    assert "UTF-8" in english and "Shift_JIS" in english
    assert "保存してください" in japanese


def test_excels_habits_are_forgiven() -> None:
    """CRLF, trailing empty columns and rows, full-width spaces and a full-width header."""
    text = ("ｅｍａｉｌ,name.en,,\r\n"
            "\u3000taro@example.jp\u3000, Taro ,,\r\n"
            "jiro＠example.jp,Jiro,,\r\n"
            ",,,\r\n,,,\r\n")
    members = read_cohort(text.encode("cp932")).members
    assert [member.key for member in members] == ["taro@example.jp", "jiro@example.jp"]
    assert members[0].award.learner is not None
    assert members[0].award.learner.name is not None
    assert members[0].award.learner.name.root["en"] == "Taro"


def test_a_value_beyond_the_header_is_reported_with_its_column() -> None:
    problems = _problems("email,name.en\nx@example.jp,X,stray\n")
    assert problems[0][0] == "cohort.csv: row 2, column C"


def test_an_address_that_is_not_one_is_reported_with_row_and_column() -> None:
    problems = _problems("email,name.en\nok@example.jp,Ok\nnot-an-email,Bad\n")
    assert problems == [("cohort.csv: row 3, column A (email)",
                         "'not-an-email' is not an e-mail address (name@example.jp): An "
                         "email address must have an @-sign")]


def test_every_bad_row_is_reported_and_none_is_issued() -> None:
    problems = _problems("email,name.en,issued_on\n"
                         "a@example.jp,A,2026-13-01\nb@example,B,\n,,2026-01-01\n")
    assert [location for location, _ in problems] == [
        "cohort.csv: row 2, column C (issued_on)", "cohort.csv: row 3, column A (email)",
        "cohort.csv: row 4"]


def test_duplicate_learners_are_reported_by_key_and_by_identifier() -> None:
    """The same e-mail twice (in any case), and the same e-mail under two ids."""
    problems = _problems("id,email\n1,Hanako@example.jp\n2,taro@example.jp\n"
                         "3,hanako@example.jp\n2,jiro@example.jp\n")
    assert problems[0] == ("cohort.csv: row 4, column B (email)",
                           "'hanako@example.jp' is already in row 2")
    assert problems[1][0] == "cohort.csv: row 5"
    assert "already in row 3" in problems[1][1]


def test_the_preview_shows_the_first_rows_and_counts_them_all() -> None:
    rows = "".join(f"l{i}@example.jp,L {i},,\r\n" for i in range(1000))
    preview = preview_cohort(f"email,name.en,,\r\n{rows},,,\r\n", limit=3)
    assert preview.header == ("email", "name.en")
    assert preview.rows == ((2, ("l0@example.jp", "L 0")), (3, ("l1@example.jp", "L 1")),
                            (4, ("l2@example.jp", "L 2")))
    assert preview.total == 1000


def test_a_hundred_thousand_learners_are_read() -> None:
    rows = "".join(f"learner{i}@example.jp,学習者 {i}\r\n" for i in range(100_000))
    cohort = read_cohort(f"email,name.ja\r\n{rows}".encode("cp932"))
    assert len(cohort) == 100_000


@pytest.mark.parametrize("address", ["not-an-email", "hanako@", "@example.jp",
                                     "hanako@@example.jp", "hanako@localhost",
                                     "hanako example@example.jp"])
def test_what_is_not_an_e_mail_address_is_refused_naming_row_and_column(address):
    """The row, the column and why: nothing of the cohort is accepted."""
    data = f"name,email\nHanako,hanako@example.jp\nTaro,{address}\n"
    with pytest.raises(InputError) as raised:
        read_cohort(data, source="cohort.csv")
    [problem] = raised.value.problems
    assert problem.location == "cohort.csv: row 3, column B (email)"
    assert problem_words(problem, "en").startswith(
        f"{address!r} is not an e-mail address (name@example.jp): ")
    assert problem_words(problem, "ja") == "メールアドレスではありません"


def test_every_bad_address_is_reported_at_once():
    """Two bad rows: two problems, each in its own row."""
    data = "email,name\nnot-an-email,A\nok@example.jp,B\nalso wrong,C\n"
    with pytest.raises(InputError) as raised:
        read_cohort(data)
    assert [p.location for p in raised.value.problems] == [
        "cohort.csv: row 2, column A (email)", "cohort.csv: row 4, column A (email)"]


@pytest.mark.parametrize("address", ["hanako@example.jp", "Taro.Yamada+mc@univ.ac.jp",
                                     "learner@demo.example", "operator@credstack.test",
                                     "山田@例え.jp"])
def test_real_addresses_are_read_as_they_are(address):
    """Ordinary, plus-tagged, reserved-for-testing and internationalised addresses pass."""
    cohort = read_cohort(f"email,name\n{address},X\n")
    assert [member.key for member in cohort.members] == [address.lower()]


def test_the_good_rows_of_a_file_with_bad_ones_read_as_a_cohort() -> None:
    """The rows the problems name are left out (the header kept, quoting kept); a problem of
    a column, not a row, leaves nothing to mend by leaving rows out."""
    text = ('email,name.ja\r\na@example.jp,"花子, 山田"\r\nbad,悪い\r\n'
            "a@example.jp,again\r\nb@example.jp,太郎\r\n")
    with pytest.raises(InputError) as refused:
        read_cohort(text)
    rows = bad_rows(refused.value.problems)
    assert rows == {3, 4}
    good = read_cohort(without_rows(text, rows))
    assert [member.key for member in good.members] == ["a@example.jp", "b@example.jp"]
    name = good.members[0].award.learner.name
    assert name is not None and name.root["ja"] == "花子, 山田"
    assert bad_rows([Problem("cohort.csv: column C", "unknown column")]) is None
