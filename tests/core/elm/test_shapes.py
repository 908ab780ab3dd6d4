"""The compiled shapes give pySHACL's own answer, faster."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyshacl
import pytest
import rdflib

from credstack.core.elm import jades, shapes, validation
from credstack.core.elm.reference import DEFAULT_PROFILE, ElmReference, _files_of

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


@pytest.mark.parametrize("name", SAMPLES)
def test_the_same_findings_as_pyshacl_validate(elm_dir: Path, elm_reference: ElmReference,
                                               elm_loader: Any, name: str) -> None:
    """Compiled once, only the shapes whose targets occur: what pySHACL's ``validate`` says
    with every shape parsed and compiled anew."""
    graph = _graph(elm_dir, name, elm_loader)
    stock_shapes = rdflib.Graph()
    for path in _files_of(DEFAULT_PROFILE):
        stock_shapes.parse(data=elm_reference.texts[path], format="turtle")
    conforms, report, _text = pyshacl.validate(graph, shacl_graph=stock_shapes,
                                               inference="none", advanced=False)
    found = elm_reference.shapes(DEFAULT_PROFILE).validate(graph)
    assert _ordered(found) == _ordered(shapes._findings(report, shapes.MAX_FINDINGS))
    assert conforms == (found == [])


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
