"""Choosing the exchange formats: by name, by a file's name, or by what a JSON file holds."""

from __future__ import annotations

import json

import pytest

from credstack.core.descriptors import Documents, Format, read_documents, write_documents
from credstack.core.descriptors.interchange import exchange_format
from credstack.demo import load_demo_documents
from credstack.errors import DescriptorError, UnreadableInputError
from credstack.words import error_words
from tests.core.descriptors.interchange_refusals import worded
from tests.helpers import organisation, programme

DEMO = Documents(load_demo_documents().organisations[:3], load_demo_documents().programmes[:3])


def test_the_exchange_formats_are_named_ctdl_and_ob3() -> None:
    """The names --format accepts."""
    assert (Format("ctdl"), Format("ob3")) == (Format.CTDL, Format.OB3)


@pytest.mark.parametrize("name", ["graph.jsonld", "GRAPH.JSONLD", "achievements.json"])
def test_json_ld_files_are_json(name: str) -> None:
    """.jsonld is JSON: what it holds decides between descriptors, CTDL and OB 3.0."""
    assert Format.from_filename(name) is Format.JSON


@pytest.mark.parametrize("fmt", [Format.CTDL, Format.OB3])
def test_json_holding_an_exchange_format_is_read_as_that_format(fmt: Format) -> None:
    """A CTDL graph or a list of achievements in a .json file needs no --format."""
    text = write_documents(DEMO, fmt)
    assert exchange_format(json.loads(text)) is fmt
    assert read_documents(text, Format.JSON) == read_documents(text, fmt)


@pytest.mark.parametrize("data", [
    {"@type": "ceterms:Certificate", "ceterms:name": {"en": "A"}},
    {"@context": "https://credreg.net/ctdl/schema/context/json"},
    [{"@graph": []}],
])
def test_ctdl_is_recognised_by_its_context_graph_or_terms(data: object) -> None:
    """Any of the marks of a CTDL document is enough."""
    assert exchange_format(data) is Format.CTDL


@pytest.mark.parametrize("data", [
    {"type": ["Achievement"], "name": "A"},
    {"type": "Achievement"},
    [{"type": ["VerifiableCredential", "OpenBadgeCredential"]}],
])
def test_ob3_is_recognised_by_its_type(data: object) -> None:
    """An achievement, or a credential that awards one, alone or in a list."""
    assert exchange_format(data) is Format.OB3


@pytest.mark.parametrize("data", [
    programme(), [programme()], {"organisations": [organisation()], "programmes": []}, [],
])
def test_descriptor_json_is_still_descriptor_json(data: object) -> None:
    """Descriptor documents have none of those marks, and read as before."""
    assert exchange_format(data) is None
    assert read_documents(json.dumps(data), Format.JSON) is not None


def test_descriptor_json_named_ctdl_holds_no_ctdl() -> None:
    """--format ctdl on a descriptor document says what a CTDL node needs."""
    with pytest.raises(UnreadableInputError) as caught:
        read_documents(json.dumps(programme()), Format.CTDL)
    assert "no CTDL credential" in error_words(caught.value, "en")


def test_descriptor_json_named_ob3_is_no_achievement() -> None:
    """--format ob3 on a descriptor document names the record that is no achievement."""
    with pytest.raises(DescriptorError) as caught:
        read_documents(json.dumps([programme()]), Format.OB3, source="x.json")
    assert [str(worded(p)) for p in caught.value.problems] == [
        "x.json: record 1 ([0]): expected an OB 3.0 Achievement (type Achievement) or an "
        "OpenBadgeCredential; it has no type"]


@pytest.mark.parametrize("fmt", [Format.CTDL, Format.OB3])
def test_a_key_given_twice_is_unreadable_in_the_exchange_formats_too(fmt: Format) -> None:
    """Exchange files are read by the same strict JSON reader as descriptor JSON."""
    with pytest.raises(UnreadableInputError) as caught:
        read_documents('{"@graph": [], "@graph": []}', fmt)
    assert "given more than once" in error_words(caught.value, "en")
