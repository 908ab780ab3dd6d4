"""Finding one's institution on the sign-in page: any word of any of its names, written in
full-width or half-width letters, with or without accents, in any case."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from credstack.core.sso.discovery import Institution, folded, matching

HOKUTO = Institution("hokuto-campus", "北斗大学 (Hokuto University)", "hokuto-uni",
                     {"ja": "北斗大学", "en": "Hokuto University"})
HANOI = Institution("vnu-sso", "VNU Single Sign-On", "vnu",
                    {"vi": "Đại học Quốc gia Hà Nội", "en": "Vietnam National University, Hanoi"})
KITA = Institution("kita-idp", "北アカデミー ID", "kita-academy", {"ja": "北アカデミー"})
ALL = (KITA, HANOI, HOKUTO)


def test_a_part_of_any_name_finds_the_institution() -> None:
    assert matching(ALL, "北斗") == [HOKUTO]
    assert matching(ALL, "hokuto") == [HOKUTO]
    assert matching(ALL, "University") == [HANOI, HOKUTO]  # by name: V before 北
    assert matching(ALL, "kita-academy") == [KITA]


def test_full_width_letters_case_and_accents_do_not_matter() -> None:
    assert matching(ALL, "ＨＯＫＵＴＯ") == [HOKUTO]
    assert matching(ALL, "ha noi") == [HANOI]
    assert matching(ALL, "Đại học") == [HANOI]
    assert matching(ALL, "dai hoc") == [HANOI]


def test_every_word_must_be_found() -> None:
    assert matching(ALL, "hokuto university") == [HOKUTO]
    assert matching(ALL, "hokuto hanoi") == []


def test_japanese_voicing_marks_are_kept() -> None:
    """ガ is not カ: the marks that change a kana stay."""
    assert folded("ガ") != folded("カ")
    assert matching(ALL, "アガデミー") == []


def test_an_empty_query_finds_nothing_and_the_list_is_capped() -> None:
    assert matching(ALL, "   ") == ()
    many = [Institution(f"idp-{n}", f"University {n:03d}", f"u{n}", {}) for n in range(50)]
    found = matching(many, "university", most=20)
    assert [i.name for i in found] == [f"University {n:03d}" for n in range(20)]


def test_the_organisations_name_is_shown_in_the_readers_language_or_the_next_best() -> None:
    assert HANOI.organisation_name("vi") == "Đại học Quốc gia Hà Nội"
    assert HANOI.organisation_name("ja") == "Vietnam National University, Hanoi"
    assert KITA.organisation_name("en") == "北アカデミー"
    assert Institution("x", "X", "x-org", {}).organisation_name("en") == "x-org"


@given(st.text(max_size=40))
def test_an_institution_is_found_by_its_own_name(text: str) -> None:
    named = Institution("s", f"Campus {text}", "org", {})
    assert matching([named], named.name) == [named]
