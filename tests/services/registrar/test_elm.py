"""The degree as a sealed European Digital Credential (issue 56): an ELM v3 qualification
with the Diploma Supplement's fields, made from the record and its degree credential,
checked against the European Commission's EDC shapes (../shared/ref/elm, read at run time)
and read by ``credstack verify`` as verified under the organisation's authority."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from typer.testing import CliRunner

from credstack.adapters.resolvers.elm import elm_document_loader, read_elm_reference
from credstack.core.elm import jades, validation
from credstack.core.elm.reference import ElmReference
from credstack.core.registrar.elm import DIPLOMA_SUPPLEMENT_PROFILE, eqf_level
from credstack.entrypoints.cli.main import app
from credstack.errors import ConflictError, NotFoundError
from credstack.services import certificates
from credstack.services.registrar import documents, elm
from credstack.services.runtime import Runtime
from tests.conftest import SHARED_REF, store_environment
from tests.services.registrar import test_documents as base

ACTOR, SLUG = base.ACTOR, base.SLUG
#: The store with two records and a time-stamping authority (test_documents' fixtures).
tsa, runtime = base.tsa, base.runtime

NUMBER = "20A1001"


@pytest.fixture(scope="module")
def reference() -> ElmReference:
    if not (SHARED_REF / "elm").is_dir():
        pytest.skip("the ELM reference files are in ../shared/ref/elm")
    return read_elm_reference(SHARED_REF / "elm")


def sealed_degree(runtime: Runtime, language: str = "ja") -> tuple[bytes, dict[str, Any]]:
    made = elm.degree_edc_file(runtime, actor=ACTOR, organisation=SLUG, number=NUMBER,
                               language=language)
    sealed = json.loads(made.data)
    seal = jades.read_seal(sealed)
    jades.verify_signature(sealed, seal)
    return made.data, json.loads(seal.payload)


def violations(reference: ElmReference, credential: dict[str, Any], profile: str
               ) -> list[str]:
    graph = validation.credential_graph(credential, elm_document_loader(reference))
    return [f"{problem.location}: {problem.message} {problem.code} {dict(problem.params)}"
            for problem in validation.check_shapes(graph, reference, profile)]


def test_no_degree_no_edc_then_the_degree_as_a_qualification(
        runtime: Runtime, reference: ElmReference) -> None:
    """Before the degree is issued: not found. Then the EDC keeps edc-generic-full and
    states the Diploma Supplement's fields the record holds: holder, birth date, student
    number, the degree in Japanese, EQF 6, each course with credits and grade, the GPA."""
    with pytest.raises(NotFoundError):
        elm.degree_edc_file(runtime, actor=ACTOR, organisation=SLUG, number=NUMBER)
    issued = documents.issue_documents(runtime, actor=ACTOR, organisation=SLUG,
                                       number=NUMBER, kinds=["degree"], forms=["vc"])
    _, credential = sealed_degree(runtime)
    assert violations(reference, credential, validation.shapes_profile(credential)) == []
    person = credential["credentialSubject"]
    assert person["fullName"] == {"ja": "山田 花子"}
    assert person["dateOfBirth"] == "2003-04-02T00:00:00Z"
    assert person["identifier"][0]["notation"] == NUMBER
    claim = person["hasClaim"][0]
    assert claim["specifiedBy"]["type"] == "Qualification"
    assert claim["specifiedBy"]["title"]["ja"] == "学士（工学）"
    assert claim["specifiedBy"]["eqfLevel"]["id"].endswith("/eqf/6")
    assert [part["creditReceived"][0]["point"] for part in claim["hasPart"]] == [
        "2", "2", "1", "8", "0"]
    assert claim["provenBy"][0]["grade"]["noteLiteral"]["en"].startswith("GPA ")
    assert credential["identifier"][0]["notation"] == issued[0].credential_id
    _, english = sealed_degree(runtime, "en")
    assert english["credentialSubject"]["fullName"] == {"en": "YAMADA Hanako"}


def test_the_diploma_supplement_profile_finds_only_what_a_record_cannot_say(
        runtime: Runtime, reference: ElmReference) -> None:
    """Checked against edc-diploma-supplement (which imports edc-accredited): every finding
    is about what a record does not hold — the institution's accreditation, the ISCED-F
    field, the official length, learning outcomes, a national framework level, the mode and
    a part-qualification — never the holder, the achievement's credits or its assessment."""
    documents.issue_documents(runtime, actor=ACTOR, organisation=SLUG, number=NUMBER,
                              kinds=["degree"], forms=["vc"])
    _, credential = sealed_degree(runtime)
    found = violations(reference, credential, DIPLOMA_SUPPLEMENT_PROFILE)
    assert found
    allowed = ("evidence", "ISCEDFCode", "maximumDuration", "learningOutcome", "NQFLevel",
               "mode", "hasPart")
    assert [item for item in found if not any(name in item for name in allowed)] == []


def test_credstack_verify_reads_the_edc_as_verified(runtime: Runtime, tmp_path: Path,
                                                    reference: ElmReference) -> None:
    """The sealed EDC with the organisation's authority on the ELM trust list: credstack
    verify says verified (exit 0), the seal, the contexts and the shapes passed."""
    documents.issue_documents(runtime, actor=ACTOR, organisation=SLUG, number=NUMBER,
                              kinds=["degree"], forms=["vc"])
    data, _ = sealed_degree(runtime)
    path = tmp_path / "degree-edc.json"
    path.write_bytes(data)
    with runtime.transaction() as session:
        identity = certificates.signing_identity(
            session, organisation=SLUG, secret=runtime.key(), now=runtime.now(),
            public_url=runtime.settings.public_url)
    trust = tmp_path / "trusted.pem"
    trust.write_bytes(identity.chain[-1].public_bytes(serialization.Encoding.PEM)
                      if identity.chain else
                      identity.certificate.public_bytes(serialization.Encoding.PEM))
    result = CliRunner().invoke(app, ["verify", str(path), "--json"], env={
        **store_environment(runtime.settings, secret=runtime.settings.secret_key, lang="en"),
        "CREDSTACK_ELM_DIR": str(SHARED_REF / "elm"), "CREDSTACK_ELM_TRUST": str(trust)})
    body = json.loads(result.stdout)
    outcomes = {check["check"]: check["outcome"] for check in body["checks"]}
    assert body["outcome"] == "verified", outcomes
    assert outcomes["elm-shapes"] == "passed"


def test_a_withdrawn_degree_gets_no_edc(runtime: Runtime) -> None:
    documents.issue_documents(runtime, actor=ACTOR, organisation=SLUG, number=NUMBER,
                              kinds=["degree"], forms=["vc"])
    documents.withdraw(runtime, actor=ACTOR, organisation=SLUG, number=NUMBER,
                       reason="rescinded")
    with pytest.raises(ConflictError):
        elm.degree_edc_file(runtime, actor=ACTOR, organisation=SLUG, number=NUMBER)


def test_the_degrees_level() -> None:
    assert [eqf_level(name) for name in ("学士（工学）", "修士（理学）", "博士（工学）",
                                         "短期大学士", "学位")] == [6, 7, 8, None, None]
