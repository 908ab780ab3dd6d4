"""The EDC validator on the published samples: the shapes, the contexts, EBSI's schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib.compare import isomorphic

from credstack.core.elm import jades, validation
from credstack.core.elm.reference import ElmReference
from credstack.core.said import Said
from credstack.core.verification.elm import is_edc
from credstack.errors import MalformedCredentialError, UnknownContextError
from credstack.words import words


def _credential(elm_dir: Path, name: str) -> dict[str, Any]:
    document = json.loads((elm_dir / name).read_text())
    if jades.is_sealed(document):
        document = json.loads(jades.read_seal(document).payload)
    result: dict[str, Any] = document.get("credential", document)
    return result


@pytest.mark.parametrize("name", ["ec-elm/credentials/Sample-MC-Annex1-signed.jsonld",
                                  "ec-elm/credentials/Sample-CertOfPart-signed.jsonld",
                                  "mynextid/edc-dc-signed.jsonld",
                                  "mynextid/edc-dc-example.json"])
def test_sealed_samples_keep_the_shapes(elm_dir: Path, elm_reference: ElmReference,
                                        elm_loader: Any, name: str) -> None:
    """The sealed EC samples and MyNextID's diploma conform to edc-generic-full."""
    credential = _credential(elm_dir, name)
    graph = validation.credential_graph(credential, elm_loader)
    assert validation.check_shapes(graph, elm_reference,
                                   validation.shapes_profile(credential)) == []


@pytest.mark.parametrize(("name", "paths"), [
    ("ec-elm/credentials/Sample-MC-Annex1-unsigned.jsonld", {"cred:issued", "cred:issuer"}),
    ("ec-elm/credentials/Sample-CertOfPart-unsigned.jsonld", {"cred:issued", "cred:issuer"}),
    ("dc4eu-vc/HE-diploma-degreeHBO-M.xml.json", {"cred:issuer"}),
    ("ec-elm/samples/credential-sample.jsonld", {"cred:issuer", "elm:individualDisplay"}),
])
def test_unsealed_samples_break_the_shapes_sealing_fills(
        elm_dir: Path, elm_reference: ElmReference, elm_loader: Any, name: str,
        paths: set[str]) -> None:
    """Unsealed EDCs lack what sealing adds (issued, the eIDAS identifier, an issuer)."""
    credential = _credential(elm_dir, name)
    graph = validation.credential_graph(credential, elm_loader)
    problems = validation.check_shapes(graph, elm_reference, validation.shapes_profile(credential))
    assert {problem.location.split()[-1] for problem in problems} == paths
    assert all(problem.rule == "elm-shapes" and problem.message_ja for problem in problems)


def test_ebsi_32_examples_clash_with_the_vc2_context(elm_dir: Path, elm_loader: Any) -> None:
    """ELM 3.2 examples redefine VC 2.0's protected ``description``: a named finding."""
    for path in sorted((elm_dir / "ebsi-edc-schema" / "examples").glob("*.json")):
        with pytest.raises(MalformedCredentialError) as caught:
            validation.credential_graph(json.loads(path.read_text()), elm_loader)
        assert caught.value.code == "verification.check.elm.contexts_clash_on", path
        assert caught.value.params == {"code": "protected term redefinition",
                                       "terms": "description"}, path
        assert words(Said(caught.value.code, **caught.value.params), "en").endswith(
            "protected term redefinition on description"), path


def test_ebsi_examples_keep_ebsis_schema(elm_dir: Path, elm_reference: ElmReference) -> None:
    """Every EBSI example names EBSI's schema and keeps it; an EC 3.1 sample names none."""
    for path in sorted((elm_dir / "ebsi-edc-schema" / "examples").glob("*.json")):
        credential = json.loads(path.read_text())
        assert validation.names_ebsi_schema(credential)
        assert validation.check_ebsi_schema(credential, elm_reference) == [], path
    broken = json.loads((elm_dir / "ebsi-edc-schema/examples/DigiComp_Generic.json").read_text())
    del broken["credentialSubject"]
    assert validation.check_ebsi_schema(broken, elm_reference)
    assert not validation.names_ebsi_schema(
        _credential(elm_dir, "ec-elm/credentials/Sample-MC-Annex1-unsigned.jsonld"))


def test_an_unknown_context_stays_an_error(elm_loader: Any) -> None:
    """A context credstack does not hold is an error, never fetched."""
    with pytest.raises(UnknownContextError):
        validation.credential_graph({"@context": ["https://www.w3.org/2018/credentials/v1",
                                                  "https://example.org/unknown/v1"],
                                     "type": ["VerifiableCredential"]}, elm_loader)


def _every_edc(elm_dir: Path) -> list[str]:
    return sorted(str(path.relative_to(elm_dir)) for path in elm_dir.rglob("*.json*")
                  if is_edc(json.loads(path.read_text())))


def test_every_sample_reads_as_plain_pyld_reads_it(elm_dir: Path, elm_loader: Any) -> None:
    """The memoized Data Integrity expansion gives plain PyLD's graph on every published EDC
    (or falls back to it), and the same errors."""
    names = _every_edc(elm_dir)
    assert len(names) >= 18
    for name in names:
        credential = _credential(elm_dir, name)
        try:
            plain = validation._plain_graph(credential, elm_loader)
        except MalformedCredentialError as error:
            with pytest.raises(MalformedCredentialError) as caught:
                validation.credential_graph(credential, elm_loader)
            assert caught.value.message == error.message
            continue
        assert isomorphic(validation.credential_graph(credential, elm_loader), plain), name


def test_a_dropped_term_is_dropped_as_json_ld_drops_it(elm_dir: Path, elm_loader: Any) -> None:
    """The EC's sample spells eIDASΙdentifier with a Greek iota: JSON-LD drops the term and
    what it holds, and so does credstack (the shapes then miss the issuer's identifier)."""
    credential = _credential(elm_dir, "ec-elm/samples/credential-sample.jsonld")
    graph = validation.credential_graph(credential, elm_loader)
    assert (rdflib.URIRef("http://example.org/126839"), None, None) not in graph
    assert (None, None, rdflib.URIRef("http://example.org/126839")) not in graph


@pytest.mark.parametrize("identifier", ["credentials/1", "https://example.org/a{b}",
                                        'urn:x:"q"', "https://example.org/a|b"])
def test_an_odd_iri_is_read_as_pyld_reads_it(elm_dir: Path, elm_loader: Any,
                                             identifier: str) -> None:
    """A relative ``id`` (refused by the Data Integrity path) or one with characters an IRI may
    not hold (refused by Oxigraph's parser) reads as plain PyLD reads it, never an error."""
    credential = dict(_credential(elm_dir, "ec-elm/credentials/Sample-MC-Annex1-unsigned.jsonld"))
    credential["id"] = identifier
    # Both come from PyLD, blank nodes labelled alike (rdflib's isomorphism check cannot
    # serialise such IRIs).
    assert set(validation.credential_graph(credential, elm_loader)) == set(
        validation._plain_graph(credential, elm_loader))
