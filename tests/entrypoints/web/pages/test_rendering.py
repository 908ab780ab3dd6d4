"""Error pages speak the page's language: the right half of a bilingual message. The pages'
templates are compiled once for every process of the user."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from credstack.entrypoints.web.pages.rendering import (
    CompiledTemplates,
    compiled_templates,
    detail_in,
    split_bilingual,
    templates,
)


@pytest.mark.parametrize(("text", "english", "japanese"), [
    ("Your wallet has no credential 'x'. / ウォレットにその証明はありません。",
     "Your wallet has no credential 'x'.", "ウォレットにその証明はありません。"),
    ("See /api/a / b and more. / 詳しくは /api/a をご覧ください。",
     "See /api/a / b and more.", "詳しくは /api/a をご覧ください。"),
    ("Two halves. / 日本語 / 続きもある。", "Two halves.", "日本語 / 続きもある。"),
    ("No programme with id 9.", "No programme with id 9.", None),
    ("Open https://a.example/x / y", "Open https://a.example/x / y", None),
])
def test_a_bilingual_message_is_split_at_its_japanese_half(text, english, japanese):
    """'English. / 日本語。' splits in two; an English-only message stays whole."""
    assert split_bilingual(text) == (english, japanese)


def test_each_page_language_gets_its_half():
    """Japanese pages show the Japanese half, English pages the English one; an English-only
    detail on a Japanese page is kept apart as technical detail."""
    both = "Not found. / 見つかりません。"
    assert detail_in("ja", both) == ("見つかりません。", None)
    assert detail_in("en", both) == ("Not found.", None)
    assert detail_in("ja", "No programme with id 9.") == (None, "No programme with id 9.")
    assert detail_in("en", "No programme with id 9.") == ("No programme with id 9.", None)


def test_the_pages_templates_are_compiled_into_a_folder_of_the_users_alone() -> None:
    """The pages' environment keeps what it compiles in a folder only its user may read."""
    cache = templates.bytecode_cache
    assert isinstance(cache, CompiledTemplates)
    assert stat.S_IMODE(Path(cache.directory).stat().st_mode) == stat.S_IRWXU


def test_a_template_one_process_compiled_is_loaded_compiled_by_the_next(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A template compiled once is read compiled afterwards (another process starts with no
    template in memory, as a new environment does): nothing is compiled again, and it renders
    as the one compiled."""
    first = templates.overlay(bytecode_cache=compiled_templates(tmp_path))
    compiled = first.get_template("error.html")
    assert list(tmp_path.glob("credstack-pages-*.cache"))
    second = templates.overlay(bytecode_cache=compiled_templates(tmp_path))

    def compile_again(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(second, "compile", compile_again)
    loaded = second.get_template("error.html")
    assert loaded.root_render_func.__code__.co_code == compiled.root_render_func.__code__.co_code
    assert loaded.blocks.keys() == compiled.blocks.keys()


def test_a_cache_that_cannot_be_written_leaves_the_templates_compiled_as_without_one(
        tmp_path: Path) -> None:
    """Where the compiled templates cannot be kept (a folder that is not there), each is
    compiled on its first render, as without a cache."""
    absent = tmp_path / "absent"
    pages = templates.overlay(bytecode_cache=compiled_templates(absent))
    assert pages.get_template("error.html").blocks
    assert not absent.exists()
