"""Oxigraph reads an EDC's JSON-LD only where it reads it as plain PyLD does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib.compare import isomorphic

from credstack.core.elm import jades, json_ld, validation
from credstack.core.verification.elm import is_edc

CONTEXTS = ["https://www.w3.org/2018/credentials/v1",
            "http://data.europa.eu/snb/model/context/edc-ap"]


def _credential(path: Path) -> dict[str, Any]:
    document = json.loads(path.read_text())
    if jades.is_sealed(document):
        document = json.loads(jades.read_seal(document).payload)
    result: dict[str, Any] = document.get("credential", document)
    return result


def _edc(**subject: Any) -> dict[str, Any]:
    return {"@context": CONTEXTS, "id": "urn:credential:1",
            "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
            "credentialSubject": {"id": "urn:learner:1", **subject}}


def test_every_sample_reads_as_plain_pyld_reads_it(elm_dir: Path, elm_loader: Any) -> None:
    """On every published EDC, Oxigraph's graph is plain PyLD's, or it leaves it to PyLD; it
    reads the EC's own credentials and DC4EU's conversions."""
    read = []
    for path in sorted(elm_dir.rglob("*.json*")):
        if not is_edc(json.loads(path.read_text())):
            continue
        credential = _credential(path)
        graph = json_ld.graph(credential, elm_loader)
        if graph is not None:
            assert isomorphic(graph, validation._plain_graph(credential, elm_loader)), path
            read.append(path.relative_to(elm_dir).parts[0])
    assert read.count("ec-elm") == 6 and read.count("dc4eu-vc") == 3


def test_a_clash_of_contexts_is_left_to_pyld(elm_dir: Path, elm_loader: Any) -> None:
    """The ELM 3.2 examples (VC 2.0 and EDC-AP contexts) are left to PyLD, whose error names
    the protected term redefinition."""
    for path in sorted((elm_dir / "ebsi-edc-schema" / "examples").glob("*.json")):
        assert json_ld.graph(json.loads(path.read_text()), elm_loader) is None, path


@pytest.mark.parametrize(("subject", "read"), [
    # What Oxigraph reads as PyLD does.
    ({"title": {"EN": "Data", "fr": ["a", "b"]}}, True),
    ({"notation": {"@value": "x", "@language": "EN-gb"}}, True),
    ({"awardedBy": 5, "contentSize": 3.0, "value": [6, 7]}, True),
    ({"notation": [1, True, None], "title": {"en": None}}, True),
    ({"zz:p": "x", "type": "zz:T"}, True),
    ({"notation": "a\u0000b\u2028\"\\"}, True),
    ({"type": "_:t"}, True),
    # A term no context defines, dropped with the nodes it holds (whose types Oxigraph keeps).
    ({"eIDASΙdentifier": {"id": "urn:x", "type": "LegalIdentifier",
                          "spatial": {"id": "urn:y", "type": "Concept"}}}, False),
    ({"issuanceDate": "2020-01-01T00:00:00Z"}, False),  # the VC context's, not here
    ({"": "x", "@foo": "y"}, False),
    # Relative IRIs (PyLD resolves them against its own base; Oxigraph, with none, drops them).
    ({"type": "StatusList2021Entry"}, False),
    ({"awardedBy": "agents/1"}, False),
    ({"awardedBy": "//host/agent"}, False),
    ({"notation": {"@value": "x", "@type": "Foo"}}, False),
    # IRIs PyLD writes as they are (Oxigraph refuses or, lenient, keeps them otherwise).
    ({"awardedBy": "http://example.org/a b"}, False),
    ({"awardedBy": "https://example.org/a{b}"}, False),
    ({"_:p": "x"}, False),
    # Values PyLD writes otherwise: a fraction, a very large integer, a list of lists.
    ({"notation": 1.5}, False),
    ({"notation": 2**70}, False),
    ({"notation": {"@list": [["a"], "b"]}}, False),
    ({"notation": {"@value": "x", "@language": "en", "@direction": "rtl"}}, False),
    ({"proof": 7}, False),  # a graph's name, to PyLD
    # Values JSON-LD refuses: PyLD's error says why.
    ({"notation": {"@value": "x", "foo": 1}}, False),
    ({"title": {"e n": "x"}}, False),
])
def test_oxigraph_reads_only_what_it_reads_as_pyld_does(elm_loader: Any, subject: Any,
                                                         read: bool) -> None:
    """Each credential is read by Oxigraph as plain PyLD reads it, or left to PyLD."""
    credential = _edc(**subject)
    graph = json_ld.graph(credential, elm_loader)
    assert (graph is not None) == read
    if graph is not None:
        assert isomorphic(graph, validation._plain_graph(credential, elm_loader))


def test_an_inline_context_is_left_to_pyld(elm_loader: Any) -> None:
    """A context written in the credential, or one inside it, is left to PyLD."""
    inline = _edc()
    inline["@context"] = [*CONTEXTS, {"extra": "http://example.org/extra"}]
    nested = _edc(achieved={"@context": {"x": "http://example.org/x"}, "x": "y"})
    assert json_ld.graph(inline, elm_loader) is None
    assert json_ld.graph(nested, elm_loader) is None
