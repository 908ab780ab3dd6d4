"""The compiled shapes give pySHACL's own answer, faster."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyshacl
import pytest
import rdflib
from pyshacl.graph_abstraction import DataGraph
from pyshacl.rdfutil.stringify import stringify_blank_node
from pyshacl.shape import Shape

from credstack.core.elm import jades, shapes, validation
from credstack.core.elm.reference import DEFAULT_PROFILE, PROFILES, ElmReference, _files_of

SAMPLES = ["ec-elm/credentials/Sample-MC-Annex1-signed.jsonld",
           "ec-elm/credentials/Sample-CertOfPart-unsigned.jsonld",
           "ec-elm/samples/credential-sample.jsonld",
           "dc4eu-vc/HE-ToR-elmo1.7-simple-example.xml.json",
           "mynextid/edc-dc-signed.jsonld"]


def _graph(elm_dir: Path, name: str, loader: Any) -> rdflib.Graph:
    document = json.loads((elm_dir / name).read_text())
    if jades.is_sealed(document):
        document = json.loads(jades.read_seal(document).payload)
    return validation.credential_graph(document.get("credential", document), loader)


def _ordered(found: list[shapes.ShapeFinding]) -> list[tuple[str, ...]]:
    return sorted((f.focus, f.path, f.constraint, f.message, f.severity) for f in found)


def _stock_findings(graph: rdflib.Graph, elm_reference: ElmReference
                    ) -> tuple[bool, list[shapes.ShapeFinding]]:
    """What pySHACL's ``validate`` says with every shape parsed and compiled anew."""
    stock_shapes = rdflib.Graph()
    for path in _files_of(DEFAULT_PROFILE):
        stock_shapes.parse(data=elm_reference.texts[path], format="turtle")
    conforms, report, _text = pyshacl.validate(graph, shacl_graph=stock_shapes,
                                               inference="none", advanced=False)
    return conforms, shapes._findings(report, None)


@pytest.mark.parametrize("name", SAMPLES)
def test_the_same_findings_as_pyshacl_validate(elm_dir: Path, elm_reference: ElmReference,
                                               elm_loader: Any, name: str) -> None:
    """Compiled once, only the shapes whose targets occur: what pySHACL's ``validate`` says
    with every shape parsed and compiled anew."""
    graph = _graph(elm_dir, name, elm_loader)
    conforms, expected = _stock_findings(graph, elm_reference)
    found = elm_reference.shapes(DEFAULT_PROFILE).validate(graph, limit=None)
    assert _ordered(found) == _ordered(expected)
    assert conforms == (found == [])


def _broken(graph: rdflib.Graph, how: str) -> rdflib.Graph:
    """The graph with statements taken out, or its literals given other datatypes."""
    broken = rdflib.Graph()
    for index, (subject, predicate, value) in enumerate(sorted(graph)):
        if how.startswith("every ") and index % int(how.removeprefix("every ")) == 0:
            continue
        if how == "retyped" and isinstance(value, rdflib.Literal) and index % 3 == 0:
            value = (rdflib.Literal(str(value), datatype=rdflib.XSD.token) if value.language
                     else rdflib.Literal(str(value), lang="en"))
        broken.add((subject, predicate, value))
    return broken


@pytest.mark.parametrize("how", ["every 5", "every 13", "retyped"])
@pytest.mark.parametrize("name", SAMPLES)
def test_the_same_findings_as_pyshacl_validate_when_broken(
        elm_dir: Path, elm_reference: ElmReference, elm_loader: Any, name: str,
        how: str) -> None:
    """A credential that breaks the shapes in many places (statements dropped: missing
    values, nodes no shape targets; literals of the wrong datatype): every finding
    pySHACL's ``validate`` gives, and no other."""
    graph = _broken(_graph(elm_dir, name, elm_loader), how)
    conforms, expected = _stock_findings(graph, elm_reference)
    found = elm_reference.shapes(DEFAULT_PROFILE).validate(graph, limit=None)
    assert not conforms and len(expected) >= 5
    assert _ordered(found) == _ordered(expected)


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_a_shape_skipped_on_a_node_without_values_holds_there(elm_reference: ElmReference,
                                                               profile: str) -> None:
    """Each property shape a validation does not evaluate on a focus node without values
    holds there, with no result, when pySHACL evaluates it."""
    compiled = elm_reference.shapes(profile)
    skipped = compiled._compiled.each_value
    empty = DataGraph.from_rdflib(rdflib.Graph())
    executor = pyshacl.Validator(empty, shacl_graph=compiled._graph,
                                 options={"inference": "none", "advanced": False}
                                 ).make_executor()
    assert len(skipped) > 20
    for shape in skipped:
        assert Shape.validate(shape, executor, empty, focus=rdflib.URIRef("urn:x:nothing")) \
            == (True, []), shape


def test_pyshacl_reads_the_indexed_parameters(elm_dir: Path, elm_reference: ElmReference,
                                              elm_loader: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """pySHACL still looks its constraint parameters up where credstack indexed them: were it
    to stop (a new pySHACL), validation would be right but twice as slow, and this fails."""
    asked: list[object] = []
    original = shapes._IndexedParameters.__contains__

    def counting(self: shapes._IndexedParameters, item: object) -> bool:
        asked.append(item)
        return original(self, item)

    monkeypatch.setattr(shapes._IndexedParameters, "__contains__", counting)
    elm_reference.shapes(DEFAULT_PROFILE).validate(_graph(elm_dir, SAMPLES[0], elm_loader))
    assert len(asked) > 1000


def test_the_compiled_shapes_graph_answers_as_rdflib(elm_dir: Path, elm_reference: ElmReference,
                                                     elm_loader: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Every triple pattern a validation asks of the compiled shapes graph, answered from
    what it keeps, matches what rdflib's own graph it was made from answers."""
    compiled = shapes.CompiledShapes(DEFAULT_PROFILE, [elm_reference.texts[path]
                                                       for path in _files_of(DEFAULT_PROFILE)])
    asked: set[tuple[Any, Any, Any]] = set()
    original = shapes._AnsweredGraph._matches

    def recording(self: shapes._AnsweredGraph, pattern: tuple[Any, Any, Any]) -> Any:
        asked.add(pattern)
        return original(self, pattern)

    monkeypatch.setattr(shapes._AnsweredGraph, "_matches", recording)
    for name in SAMPLES:
        compiled.validate(_graph(elm_dir, name, elm_loader))
    answered = compiled._compiled.graph
    plain = rdflib.Graph()  # the same blank nodes: the statements of its store, copied
    plain.addN((*triple, plain) for triple, _contexts in answered.store.triples((None, None, None)))
    plain += pyshacl.ShapesGraph.system_triples
    assert len(asked) > 500
    for pattern in asked:
        assert sorted(answered.triples(pattern)) == sorted(plain.triples(pattern)), pattern
    with pytest.raises(TypeError):
        answered.add((rdflib.URIRef("urn:x"), rdflib.RDF.type, rdflib.URIRef("urn:y")))


def test_a_compiled_shape_makes_its_constraint_components_once(
        elm_dir: Path, elm_reference: ElmReference, elm_loader: Any) -> None:
    """pySHACL makes a shape's components through credstack's map (were a new pySHACL to
    stop, validation would be right but slower, and this fails), once per compiled shape:
    a second validation makes none."""
    compiled = shapes.CompiledShapes(DEFAULT_PROFILE, [elm_reference.texts[path]
                                                       for path in _files_of(DEFAULT_PROFILE)])
    graph = _graph(elm_dir, SAMPLES[0], elm_loader)
    compiled.validate(graph)
    made = dict(compiled._compiled.components)
    compiled.validate(graph)
    assert len(made) > 300
    assert compiled._compiled.components == made
    assert all(str(shape).startswith(("<PropertyShape ", "<NodeShape "))
               for shape, _kind in made)


@pytest.mark.parametrize("name", SAMPLES[:2])
def test_the_indexed_view_answers_as_the_credential_graph(elm_dir: Path, elm_loader: Any,
                                                          name: str) -> None:
    """Every triple pattern made of the credential's own terms (and a term it lacks), each
    place given or open: the view validation reads answers as the graph does."""
    graph = _graph(elm_dir, name, elm_loader)
    view = shapes._IndexedView(graph)
    absent = rdflib.URIRef("urn:example:absent")
    patterns = {(s, p, o) for triple in [*graph, (absent, absent, absent)]
                for s in (triple[0], None) for p in (triple[1], None) for o in (triple[2], None)}
    for pattern in patterns:
        assert sorted(view.triples(pattern)) == sorted(graph.triples(pattern)), pattern
        subject, predicate, value = pattern
        assert sorted(view.objects(subject, predicate)) \
            == sorted(graph.objects(subject, predicate))
        assert sorted(view.subjects(predicate, value)) \
            == sorted(graph.subjects(predicate, value))
        assert (pattern in view) == (pattern in graph)
    assert len(view) == len(graph)


def test_a_validation_lets_its_index_go(elm_dir: Path, elm_reference: ElmReference,
                                        elm_loader: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The view's index is emptied when the validation ends, not left for the garbage
    collector to find (see ``_IndexedView.forget``)."""
    views: list[shapes._IndexedView] = []
    original = shapes._IndexedView.__init__

    def keeping(self: shapes._IndexedView, graph: rdflib.Graph) -> None:
        original(self, graph)
        views.append(self)

    monkeypatch.setattr(shapes._IndexedView, "__init__", keeping)
    elm_reference.shapes(DEFAULT_PROFILE).validate(_graph(elm_dir, SAMPLES[0], elm_loader))
    assert len(views) == 1
    assert views[0]._by_subject == {} and views[0]._by_object == {}


def test_validations_leave_no_text_of_their_blank_nodes_behind(
        elm_dir: Path, elm_reference: ElmReference, elm_loader: Any) -> None:
    """Twenty credentials never seen before, each breaking a shape on its credential node, a
    blank node (the dc4eu samples have no ``id``): each finding's message names that node's
    own statements, and pySHACL's module-level texts of blank nodes
    (``stringify_blank_node.dict_cache``) are left empty after each validation — kept, they
    grew by one text per finding for as long as the server ran, and a later credential's
    message could read an earlier one's, its graph given the freed graph's id."""
    text = (elm_dir / "dc4eu-vc/HE-ToR-elmo1.7-simple-example.xml.json").read_text()
    compiled = elm_reference.shapes(DEFAULT_PROFILE)
    for run in range(20):
        graph = validation.credential_graph(
            json.loads(text.replace("urn:epass:", f"urn:epass:r{run}-")), elm_loader)
        found = compiled.validate(graph)
        assert [(f.path, f.constraint.rsplit("#")[-1]) for f in found] \
            == [("cred:issuer", "MinCountConstraintComponent")]
        assert f"urn:epass:r{run}-" in found[0].message
        assert stringify_blank_node.dict_cache == {}
