"""The core's codes in words: an error or a problem given as a code and parameters reads, in
Japanese and English, as credstack has always said it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from credstack.core.creditbank import load_target
from credstack.core.creditbank.ledger import LedgerEntry, Movement, post
from credstack.entrypoints.web.i18n.codes import problem_said, said, words
from credstack.errors import LedgerError, PathwayError, Problem


def test_a_code_is_worded_in_the_language_asked() -> None:
    """A message key with its values, in Japanese and in English."""
    values = {"programme": "urn:mc:x"}
    assert words("creditbank.ws.fault.elsewhere_twice", values, "en") == (
        "the programme 'urn:mc:x' is described twice")
    assert words("creditbank.ws.fault.elsewhere_twice", values, "ja") == (
        "プログラム 'urn:mc:x' の説明が重複しています")


def test_a_staff_code_reads_in_english_where_the_language_has_no_words_for_it() -> None:
    """The credit bank's words are in Japanese and English only."""
    assert words("creditbank.ws.fault.cap_id", {}, "ko") == "every cap has an id"


def test_values_read_as_people_write_them() -> None:
    """A decimal without trailing zeros, names joined with commas, a text in the language."""
    assert words("creditbank.ws.fault.kind", {"kinds": ("a", "b")}, "en") == (
        "kind must be one of a, b")
    assert words("creditbank.ws.adjustment.total", {"total": Decimal("124.0")}, "ja") == (
        "目標の総単位数は 124 単位です。")
    rule = {"en": "Credits from outside", "ja": "外部の単位"}
    values = {"rule": rule, "limit": Decimal(60), "used": Decimal(61)}
    assert words("creditbank.ws.adjustment.cap_no_source", values, "ja") == (
        "上限（外部の単位）は 60 単位までです（調整後 61 単位）。")


def test_a_ledger_refusal_reads_word_for_word_as_before() -> None:
    """The entry, then why, the why itself a code."""
    day = __import__("datetime").date(2020, 4, 1)
    deposit = LedgerEntry(Movement.DEPOSIT, "d1", Decimal(10), "jp-tani", day, "deposit",
                          "urn:vc:1")
    with pytest.raises(LedgerError) as refused:
        post((deposit,), LedgerEntry(Movement.WITHDRAW, "d1", Decimal(11), "jp-tani", day,
                                     "deposit", "urn:vc:1", "Q"))
    assert said(refused.value, "en") == (
        "Ledger entry 2 (withdraw of 11 jp-tani on deposit 'd1'): only 10 credits can be "
        "withdrawn into 'Q'.")
    assert said(refused.value, "ja") == (
        "台帳の記帳 2（預け入れ 'd1' の 11 jp-tani の withdraw）："
        "'Q' へ引き出せるのは 10 単位です。")


def test_a_pathway_s_faults_are_placed_and_worded() -> None:
    """The file's summary, then each fault at its line, column and pointer."""
    with pytest.raises(PathwayError) as refused:
        load_target("id: x\ncolour: blue\n", source="t.yaml")
    assert said(refused.value, "en").startswith("t.yaml: the pathway has ")
    assert said(refused.value, "ja").startswith("t.yaml：経路ファイルに ")
    placed = [problem_said(p, "en") for p in refused.value.problems]
    assert "t.yaml:2:9 /colour: unknown key 'colour'" in placed


def test_an_error_in_words_is_said_in_its_one_language() -> None:
    """A service's message written "English / 日本語" is said in one of them."""
    error = LedgerError("Nothing left. / 残りがありません。")
    assert (said(error, "en"), said(error, "ja")) == ("Nothing left.", "残りがありません。")


def test_a_problem_in_words_keeps_them() -> None:
    problem = Problem("credits", "a number", message_ja="数値")
    assert (problem_said(problem, "ja"), problem_said(problem, "en", placed=False)) == (
        "credits: 数値", "a number")
