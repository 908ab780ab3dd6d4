"""Skill standards as YAML outlines, published as CASE packages on this server."""

from __future__ import annotations

import pytest
import yaml

from credstack.core.skills.standards import bundled_standard, read_standard, standard_package
from credstack.errors import FrameworkError


def test_the_digital_skill_standards_become_a_hierarchy_on_this_server() -> None:
    """Every item is under the document, URIs under the base URL, names in ja and en."""
    package, labels = standard_package(bundled_standard("dss"),
                                       base_url="https://mc.example.jp/")
    assert package.document.title == "デジタルスキル標準"
    assert all(item.uri.startswith("https://mc.example.jp/ims/case/v1p1/CFItems/")
               for item in package.items)
    parents = package.parents()
    assert all(item.uri in parents for item in package.items)
    genai = next(item for item in package.items if item.human_coding_scheme ==
                 "DSS-L.what.tech.genai")
    assert labels[genai.uri] == {"ja": "生成AIの活用", "en": "Using generative AI"}


def test_identifiers_are_stable_across_imports_and_hosts() -> None:
    """The same standard gives the same identifiers on every server."""
    one, _ = standard_package(bundled_standard("dss"), base_url="https://a.example")
    two, _ = standard_package(bundled_standard("dss"), base_url="https://b.example")
    assert [i.identifier for i in one.items] == [i.identifier for i in two.items]


def test_a_code_used_twice_is_refused_with_its_place() -> None:
    """Two items with one code cannot both be aligned to."""
    text = ("id: x\ntitle: {ja: X}\ncreator: c\nversion: '1'\nsource: s\nchanged: '2024'\n"
            "items:\n  - {code: A, name: {ja: あ}}\n  - {code: A, name: {ja: い}}\n")
    with pytest.raises(FrameworkError) as caught:
        read_standard(text, source="x.yaml")
    assert caught.value.problems[0].location == "x.yaml /items/1/code"


def test_an_items_keywords_become_its_concept_keywords() -> None:
    """Keywords in both languages are published as the CFItem's ``conceptKeywords``."""
    text = ("id: x\ntitle: {ja: X}\ncreator: c\nversion: '1'\nsource: s\nchanged: '2024'\n"
            "items:\n  - code: A\n    name: {ja: データを扱う, en: Handling data}\n"
            "    keywords: {ja: [集計, 前処理], en: [cleaning]}\n")
    package, _ = standard_package(read_standard(text), base_url="https://a.example")
    assert package.items[0].keywords == ("集計", "前処理", "cleaning")


def test_keywords_that_are_not_lists_of_words_are_refused_with_their_place() -> None:
    """``keywords: {ja: 集計}`` (a word, not a list) names the item's keywords."""
    text = ("id: x\ntitle: {ja: X}\ncreator: c\nversion: '1'\nsource: s\nchanged: '2024'\n"
            "items:\n  - {code: A, name: {ja: あ}, keywords: {ja: 集計}}\n")
    with pytest.raises(FrameworkError) as caught:
        read_standard(text, source="x.yaml")
    assert caught.value.problems[0].location == "x.yaml /items/0/keywords"


@pytest.mark.parametrize("text", ["id: [x\n", "a: 1\n---\nb: 2\n", "\tid: x\n"])
def test_a_file_that_is_not_yaml_is_refused_in_pyyamls_own_words(text: str) -> None:
    """libyaml parses, but what a refusal says is PyYAML's message with its line and column,
    word for word as ``yaml.safe_load`` says it."""
    with pytest.raises(yaml.YAMLError) as said:
        yaml.safe_load(text)
    with pytest.raises(FrameworkError) as caught:
        read_standard(text, source="x.yaml")
    assert caught.value.params["fault"].params == {"detail": str(said.value)}
    assert caught.value.problems[0].location == "x.yaml /"


def test_a_list_is_not_a_standard() -> None:
    with pytest.raises(FrameworkError) as caught:
        read_standard("- a\n- b\n", source="x.yaml")
    assert caught.value.problems[0].code.endswith("not_mapping")
