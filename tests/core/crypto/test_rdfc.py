"""RDFC-1.0 and JSON-LD → RDF: literal forms, graphs and lists, blank-node ties, the work limit."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyld import jsonld

from credstack.core.crypto import rdfc
from credstack.core.crypto.canonicalization import rdfc_canonicalize
from credstack.errors import MalformedCredentialError

EX = "http://example.org/vocab#"


def _value(value: Any, **extra: Any) -> str:
    """The object term of one expanded value object."""
    quads = rdfc.dataset_from_expanded(
        [{"@id": "http://example.org/s", f"{EX}p": [{"@value": value, **extra}]}])
    (quad,) = quads
    return quad[2]


@pytest.mark.parametrize(
    ("value", "extra", "term"),
    [
        ("text", {}, '"text"'),
        ("text", {"@language": "ja"}, '"text"@ja'),
        (True, {}, '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'),
        (7, {}, '"7"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        # JSON has one number type: 2.0 is the integer 2 (JSON-LD 1.1 §8.6), as in jsonld.js.
        (2.0, {"@type": "http://www.w3.org/2001/XMLSchema#float"},
         '"2"^^<http://www.w3.org/2001/XMLSchema#float>'),
        (1.5, {}, '"1.5E0"^^<http://www.w3.org/2001/XMLSchema#double>'),
        (10**21, {}, '"1.0E21"^^<http://www.w3.org/2001/XMLSchema#double>'),
        (5, {"@type": "http://www.w3.org/2001/XMLSchema#double"},
         '"5.0E0"^^<http://www.w3.org/2001/XMLSchema#double>'),
        ({"b": 1, "a": [1.0, "x"]}, {"@type": "@json"},
         '"{\\"a\\":[1,\\"x\\"],\\"b\\":1}"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON>'),
        ('a"b\\c\nd\te\bf\x01g\x7f', {}, '"a\\"b\\\\c\\nd\\te\\bf\\u0001g\\u007F"'),
         # A base direction: rdfDirection "i18n-datatype", the language lower-cased (jsonld.js).
        ("مرحبا", {"@language": "ar-EG", "@direction": "rtl"},
         '"مرحبا"^^<https://www.w3.org/ns/i18n#ar-eg_rtl>'),
        ("abc", {"@direction": "ltr"}, '"abc"^^<https://www.w3.org/ns/i18n#_ltr>'),
    ],
)
def test_literals_take_their_canonical_form(value: Any, extra: dict[str, Any], term: str) -> None:
    """Value objects become the literals JSON-LD 1.1 §8.6 and canonical N-Quads prescribe."""
    assert _value(value, **extra) == term


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer()))
def test_doubles_are_written_as_pyld_and_jsonld_js_write_them(value: float) -> None:
    """The canonical xsd:double form agrees with PyLD's (which follows jsonld.js)."""
    assert rdfc.canonical_double(value) == jsonld._canonicalize_double(value)


def test_graphs_lists_reverse_and_included_become_quads() -> None:
    """Named graphs, @list (and the empty list), @reverse and @included all yield their quads."""
    document = [{
        "@id": "http://example.org/a",
        "@type": [f"{EX}Thing"],
        f"{EX}list": [{"@list": [{"@value": "x"}, {"@id": "http://example.org/b"}]}],
        f"{EX}empty": [{"@list": []}],
        "@reverse": {f"{EX}knows": [{"@id": "http://example.org/c"}]},
        "@included": [{"@id": "http://example.org/d", f"{EX}p": [{"@value": "d"}]}],
        f"{EX}proof": [{"@graph": [{"@id": "http://example.org/e", f"{EX}p": [{"@value": "e"}]}]}],
    }]
    canonical = rdfc.canonicalize(rdfc.dataset_from_expanded(document))
    expected = jsonld.normalize(document, {"algorithm": "URDNA2015",
                                           "format": "application/n-quads"})
    assert canonical == expected
    assert "<http://example.org/c> <http://example.org/vocab#knows> <http://example.org/a> ." in (
        canonical)
    assert '<http://example.org/e> <http://example.org/vocab#p> "e" _:c14n' in canonical


@pytest.mark.parametrize(
    "document",
    [
        [{"@id": "relative", f"{EX}p": [{"@value": 1}]}],
        [{"@id": "http://example.org/a", "_:p": [{"@value": 1}]}],
        [{"@id": "http://example.org/a", f"{EX}p": [{"@id": "not absolute"}]}],
        [{"@id": "http://example.org/a", f"{EX}p": [{"@value": 1, "@type": "xsd:int x"}]}],
    ],
)
def test_what_rdf_cannot_say_is_refused(document: list[Any]) -> None:
    """Relative IRIs, blank-node predicates and broken datatypes raise instead of vanishing."""
    with pytest.raises(rdfc.RdfError):
        rdfc.dataset_from_expanded(document)


def _circle(size: int) -> set[rdfc.Quad]:
    return {(f"_:n{i}", f"{EX}next", f"_:n{(i + 1) % size}", "") for i in range(size)}


def test_blank_node_ties_are_broken_as_the_w3c_test_suite_expects() -> None:
    """RDFC-1.0 test021 ("circle of 2") with work factor 2 gives the suite's expected output."""
    canonical = rdfc.canonicalize(_circle(2), max_work_factor=2)
    assert canonical == (f"_:c14n0 <{EX}next> _:c14n1 .\n"
                         f"_:c14n1 <{EX}next> _:c14n0 .\n")


def test_the_work_limit_refuses_poisoned_datasets() -> None:
    """Like rdf-canonize's default, cycles and cliques of blank nodes exceed work factor 1."""
    with pytest.raises(rdfc.PoisonedDatasetError):
        rdfc.canonicalize(_circle(2))
    clique = {(f"_:n{a}", f"{EX}p", f"_:n{b}", "")
              for a, b in itertools.permutations(range(10), 2)}
    with pytest.raises(rdfc.PoisonedDatasetError):
        rdfc.canonicalize(clique, max_work_factor=2)


def test_a_node_related_through_many_quads_is_one_ordering_not_a_factorial() -> None:
    """Two named graphs (a presentation's credentials) each hold the same 24-property blank
    node: Hash N-Degree Quads relates it to its graph's blank name once per quad, and
    orderings of those copies are all alike — the dataset canonicalizes at once, to what PyLD
    (whose permuter skips equal copies, as rdf-canonize's does) gives."""
    node = {f"{EX}p{index}": [{"@value": f"v{index}"}] for index in range(24)}
    document = [{"@id": "http://example.org/presentation", f"{EX}holds": [
        {"@graph": [node]},
        {"@graph": [node, {"@id": "http://example.org/other", f"{EX}q": [{"@value": "x"}]}]}]}]
    canonical = rdfc.canonicalize(rdfc.dataset_from_expanded(document))
    assert canonical == jsonld.normalize(document, {"algorithm": "URDNA2015",
                                                    "format": "application/n-quads"})
    assert canonical.count("\n") == 2 + 2 * 24 + 1


def test_a_poisoned_credential_is_malformed() -> None:
    """Through JSON-LD, a blank-node cycle is a MalformedCredentialError, not a hang."""
    document = {
        "@context": {"next": {"@id": f"{EX}next", "@type": "@id"}},
        "@id": "_:a", "next": {"@id": "_:b", "next": "_:a"},
    }

    def loader(url: str, options: Any = None) -> Any:
        raise AssertionError("no remote context is needed")

    with pytest.raises(MalformedCredentialError, match="poisoning"):
        rdfc_canonicalize(document, document_loader=loader)


def test_blank_node_labels_never_leak_into_the_result() -> None:
    """Whatever the input labels, the output is the same (canonical labels only)."""
    first = {("_:x", f"{EX}p", '"1"', ""), ("_:y", f"{EX}p", '"2"', ""),
             ("_:x", f"{EX}q", "_:y", "")}
    renamed = {("_:zz", f"{EX}p", '"1"', ""), ("_:aa", f"{EX}p", '"2"', ""),
               ("_:zz", f"{EX}q", "_:aa", "")}
    assert rdfc.canonicalize(first) == rdfc.canonicalize(renamed)
    assert "_:x" not in rdfc.canonicalize(first)


def test_the_canonical_labels_can_be_renamed_before_writing() -> None:
    """canonical_labels gives each input blank node its _:c14n label (what canonicalize
    writes); nquads writes the quads under any renaming, sorted again (as the selective
    disclosure suites rename canonical labels to HMAC labels)."""
    quads = {("_:x", f"{EX}p", '"1"', ""), ("_:y", f"{EX}p", '"2"', ""),
             ("_:x", f"{EX}q", "_:y", "")}
    labels = rdfc.canonical_labels(quads)
    assert sorted(labels) == ["_:x", "_:y"]
    assert sorted(labels.values()) == ["_:c14n0", "_:c14n1"]
    assert "".join(rdfc.nquads(quads, labels)) == rdfc.canonicalize(quads)
    renamed = rdfc.nquads(quads, {"_:x": "_:zz", "_:y": "_:aa"})
    assert renamed == sorted(renamed) and renamed[0].startswith("_:aa ")
    assert rdfc.nquads(quads, {}) == sorted(rdfc.nquads(quads, {}))


@pytest.mark.parametrize("context", [False, [False], [{"@vocab": "https://example.org/"}, 0],
                                     True])
def test_a_context_that_is_not_null_a_string_or_an_object_is_refused(context: Any) -> None:
    """JSON-LD 1.1 §9.15; PyLD would read ``false`` as a reset, jsonld.js refuses it."""
    document = {"@context": {"@vocab": "https://example.org/"},
                "nested": {"@context": context, "name": "x"}}
    with pytest.raises(MalformedCredentialError, match="null, a string or an object"):
        rdfc_canonicalize(document, document_loader=lambda url, options=None: None)


def test_a_scoped_null_context_is_a_reset_not_an_error() -> None:
    """A term definition's ``"@context": null`` (as the VC 2.0 context gives
    ``verifiableCredential``) resets the context inside it; it is not refused."""
    document = {"@context": {"@vocab": "https://example.org/",
                             "inner": {"@id": "https://example.org/inner", "@context": None}},
                "inner": {"@context": {"@vocab": "https://example.com/"}, "name": "x"}}
    assert '<https://example.com/name> "x"' in rdfc_canonicalize(
        document, document_loader=lambda url, options=None: None)


def test_a_template_gives_each_filling_its_own_labelling_past_what_it_keeps() -> None:
    """A template keeps the lines of its fixed quads with blank nodes under up to 64
    labellings of their nodes; fillings that give those nodes more labels than that (here 80
    filled nodes whose hashes fall anywhere among the fixed ones) still get the bytes of
    canonicalizing the filled dataset."""
    holes = [f"\ue000{index}\ue001" for index in range(80)]
    quads: set[rdfc.Quad] = {
        ("_:fixed", "https://example.org/p", '"fixed"', ""),
        ("_:fixed", "https://example.org/next", "_:other", ""),
        ("_:other", "https://example.org/p", '"other"', ""),
        *((f"_:filled{index}", "https://example.org/p", hole, "")
          for index, hole in enumerate(holes))}
    template = rdfc.DatasetTemplate(quads, holes)
    labels = set()
    for filling in range(150):
        terms = {hole: f'"{filling * 81 + index}"' for index, hole in enumerate(holes)}
        expected = rdfc.canonicalize({(s, p, terms.get(o, o), g) for s, p, o, g in quads})
        assert template.canonicalize(terms) == expected
        labels.add(next(line for line in expected.splitlines() if "next" in line))
    assert len(labels) > 64
