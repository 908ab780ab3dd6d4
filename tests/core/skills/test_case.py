"""CASE 1.1 packages: read losslessly, refused whole with every fault placed."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from credstack.core.skills.case import dumps, parse_package, read_package
from credstack.entrypoints.web.i18n.codes import problem_said
from credstack.errors import FrameworkError
from tests.conftest import SHARED_REF

#: A third-party package, written for credstack's tests (real ones may not be copied into the
#: repository) in the shape of the packages OpenSALT publishes and exports: CASE 1.0 habits
#: (``CFPackageURI`` and ``CFDocumentURI`` as bare URIs, escaped slashes, uneven indentation,
#: ``CFItemAssociationURI``, ``educationalLevel``) beside CASE 1.1 objects (LinkURI, item and
#: package extensions, CFDefinitions with licences and item types), Japanese text, unicode
#: escapes, keys in a different order in different objects, and an ``exactMatchOf`` to an
#: item of another framework (ESCO).
FIXTURE = Path(__file__).with_name("third_party_case_package.json")
#: Genuine CASE packages that other implementations wrote (OpenSALT's exports and test
#: frameworks, for example), kept beside the repository as test data and never copied into
#: it; ``wild/README.md`` there names each file's origin and licence.
WILD = SHARED_REF / "wild" / "case"


def _wild_packages() -> list[Path]:
    return sorted(WILD.glob("*.json")) if WILD.is_dir() else []


def _package() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data


def _locations(data: Any) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        parse_package(data)
    return [problem.location for problem in caught.value.problems]


def _assert_round_trip(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    package = read_package(text, source=path.name)
    original = orjson.loads(text)
    assert package.to_json() == original
    assert orjson.dumps(package.to_json()) == orjson.dumps(original)
    assert orjson.loads(dumps(package)) == original


def test_a_third_party_package_round_trips_with_zero_differences() -> None:
    """Every key and value comes back, in its order, identifiers and URIs unchanged."""
    _assert_round_trip(FIXTURE)


@pytest.mark.parametrize("path", _wild_packages() or [None],
                         ids=lambda path: getattr(path, "name", "absent"))
def test_a_package_from_the_wild_round_trips_with_zero_differences(path: Path | None) -> None:
    """A CASE package another implementation published comes back exactly, read at run
    time from ``../shared/ref/wild/case/`` (never copied into the repository)."""
    if path is None:
        pytest.skip(f"{WILD} holds no CASE package: put genuine ones there (with their origin "
                    "and licence in wild/README.md) to run the round trip on them")
    _assert_round_trip(path)


def test_a_quoted_sequence_number_is_read_as_the_number_and_kept_as_written() -> None:
    """OpenSALT's CASE 1.0 exports write ``"sequenceNumber": "1"``: accepted, given back."""
    data = _package()
    data["CFAssociations"][2]["sequenceNumber"] = "2"
    package = parse_package(data)
    assert package.associations[2].sequence_number == 2
    assert package.to_json()["CFAssociations"][2]["sequenceNumber"] == "2"


@pytest.mark.parametrize("value", ["two", "-1", "1.5", " 1", "1\n", True, 1.5])
def test_a_sequence_number_that_is_no_whole_number_is_refused(value: Any) -> None:
    """Only an integer, or a string of its digits, is a sequence number."""
    data = _package()
    data["CFAssociations"][2]["sequenceNumber"] = value
    assert _locations(data) == ["<package> /CFAssociations/2/sequenceNumber"]


def test_the_model_reads_what_credstack_uses() -> None:
    """Labels, codes, the hierarchy and cross-framework links are typed."""
    package = read_package(FIXTURE.read_text(encoding="utf-8"))
    assert package.document.title == "Regional Data Literacy Framework"
    first = package.items[0]
    assert first.label == "Read and explain data"
    assert first.human_coding_scheme == "RDL.1"
    assert package.items[1].label.startswith("Choose a chart")
    parents = package.parents()
    assert parents[package.items[1].uri] == (first.uri,)
    assert parents[first.uri] == (package.document.uri,)
    assert {a.association_type for a in package.associations} == {"isChildOf", "exactMatchOf"}


def test_a_missing_required_property_is_placed_by_line_and_column() -> None:
    """The fault names the file, line, column and JSON pointer."""
    data = _package()
    del data["CFItems"][1]["fullStatement"]
    text = json.dumps(data, indent=2)
    with pytest.raises(FrameworkError) as caught:
        read_package(text, source="p.json")
    [problem] = caught.value.problems
    assert problem.location.startswith("p.json:")
    assert problem.location.endswith(" /CFItems/1")
    assert problem_said(problem, "en", placed=False) == "'fullStatement' is required"
    assert problem_said(problem, "ja", placed=False) == "'fullStatement' は必須です"


def test_a_syntax_error_is_placed() -> None:
    """Broken JSON is refused with its line and column."""
    with pytest.raises(FrameworkError) as caught:
        read_package('{\n  "CFDocument": ,\n}', source="bad.json")
    assert caught.value.problems[0].location.startswith("bad.json:2:")


def test_duplicate_identifiers_are_refused() -> None:
    """An identifier used by two objects (case-insensitively, as UUIDs are) is a fault at
    the second."""
    data = _package()
    data["CFItems"][2]["identifier"] = data["CFItems"][0]["identifier"].upper()
    assert _locations(data) == ["<package> /CFItems/2/identifier"]


def test_a_cycle_of_child_associations_is_refused() -> None:
    """A is a child of B and B of A: the hierarchy contradicts itself."""
    data = _package()
    loop = copy.deepcopy(data["CFAssociations"][1])
    loop["identifier"] = "f1000000-0000-4000-8000-0000000000ff"
    loop["uri"] = "https://frameworks.example.org/uri/loop"
    loop["originNodeURI"], loop["destinationNodeURI"] = \
        loop["destinationNodeURI"], loop["originNodeURI"]
    data["CFAssociations"].append(loop)
    with pytest.raises(FrameworkError) as caught:
        parse_package(data)
    [problem] = caught.value.problems
    assert "associations form a cycle: " in problem_said(problem, "en")
    assert "の関連が循環しています: " in problem_said(problem, "ja")


def test_every_fault_is_reported_at_once() -> None:
    """Several faults give several problems, and nothing is returned."""
    data = _package()
    data["CFItems"][0]["uri"] = "not a uri"
    data["CFAssociations"][0]["associationType"] = "isBestFriendOf"
    data["CFItems"].append("an item")
    locations = _locations(data)
    assert locations == ["<package> /CFItems/0/uri", "<package> /CFItems/5",
                         "<package> /CFAssociations/0/associationType"]


@pytest.mark.parametrize("data", [[], {"CFItems": []}, {"CFDocument": "x"}])
def test_what_is_no_package_is_refused(data: Any) -> None:
    """Not an object, no document, a document that is not an object."""
    with pytest.raises(FrameworkError):
        parse_package(data)


def test_an_extension_association_type_is_accepted() -> None:
    """``ext:`` types are CASE 1.1's extension point."""
    data = _package()
    data["CFAssociations"][5]["associationType"] = "ext:isTaughtWith"
    assert parse_package(data).associations[5].association_type == "ext:isTaughtWith"
