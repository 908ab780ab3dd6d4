"""Every EDC sample in ../shared/ref/elm gets its right outcome; broken seals their finding."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from credstack.adapters.resolvers.elm import elm_document_loader, read_elm_reference
from credstack.core.elm.reference import ElmReference
from credstack.core.verification import VerificationReport
from credstack.core.verification.elm import is_edc, verify_edc
from credstack.core.verification.report import Decision
from credstack.testing.elm import SealPki, make_pki, seal
from credstack.words import words

NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
UNSEALED_BREAKING_SHAPES = {"proof": "unsealed", "elm-shapes": "shapes"}
CLASH = {"proof": "unsealed", "contexts": "context-clash"}

#: Each sample: its decision and the code of every check that failed or was undecided.
OUTCOMES: dict[str, tuple[Decision, dict[str, str]]] = {
    "ec-elm/credentials/Sample-MC-Annex1-signed.jsonld":
        (Decision.UNDECIDED, {"issuer": "no-trust-list"}),
    "ec-elm/credentials/Sample-CertOfPart-signed.jsonld":
        (Decision.UNDECIDED, {"issuer": "no-trust-list"}),
    "mynextid/edc-dc-signed.jsonld": (Decision.UNDECIDED, {"issuer": "no-trust-list"}),
    "mynextid/edc-dc-example.json": (Decision.NOT_VERIFIED, {"proof": "unsealed"}),
    "ec-elm/credentials/Sample-MC-Annex1-unsigned.jsonld":
        (Decision.NOT_VERIFIED, UNSEALED_BREAKING_SHAPES),
    "ec-elm/credentials/Sample-CertOfPart-unsigned.jsonld":
        (Decision.NOT_VERIFIED, UNSEALED_BREAKING_SHAPES),
    "ec-elm/credentials/Sample-MC-Annex1-unsigned-uploadable.json":
        (Decision.NOT_VERIFIED, UNSEALED_BREAKING_SHAPES),
    "ec-elm/credentials/Sample-CertOfPart-unsigned-uploadable.json":
        (Decision.NOT_VERIFIED, UNSEALED_BREAKING_SHAPES),
    "ec-elm/samples/credential-sample.jsonld":
        (Decision.NOT_VERIFIED, {**UNSEALED_BREAKING_SHAPES, "validity": "expired"}),
    "dc4eu-vc/HE-diploma-degreeHBO-M.xml.json": (Decision.NOT_VERIFIED, UNSEALED_BREAKING_SHAPES),
    "dc4eu-vc/HE-diploma-degreeMBO.xml.json": (Decision.NOT_VERIFIED, UNSEALED_BREAKING_SHAPES),
    "dc4eu-vc/HE-ToR-elmo1.7-simple-example.xml.json":
        (Decision.NOT_VERIFIED, UNSEALED_BREAKING_SHAPES),
    "ebsi-edc-schema/examples/Bengales_highSchoolDiploma.json": (Decision.NOT_VERIFIED, CLASH),
    "ebsi-edc-schema/examples/Certificate_of_Completion.json": (Decision.NOT_VERIFIED, CLASH),
    "ebsi-edc-schema/examples/DigiComp_Generic.json": (Decision.NOT_VERIFIED, CLASH),
    "ebsi-edc-schema/examples/Diploma_rntuo_credential.json":
        (Decision.NOT_VERIFIED, {**CLASH, "validity": "expired"}),
    "ebsi-edc-schema/examples/Microcredential_Data_and_software_business.json":
        (Decision.NOT_VERIFIED, CLASH),
    "ebsi-edc-schema/examples/Transcript_of_records_generic.json": (Decision.NOT_VERIFIED, CLASH),
}


@pytest.fixture(scope="module")
def reference(shared_ref: Path) -> ElmReference:
    return read_elm_reference(shared_ref / "elm")


def _verify(data: Any, reference: ElmReference, **kwargs: Any) -> VerificationReport:
    return verify_edc(data, now=NOW, reference=reference,
                      loader=elm_document_loader(reference), **kwargs, words=words)


def _findings(report: VerificationReport) -> dict[str, str]:
    return {check.name: check.code or "" for check in report.checks
            if check.failed or check.undecided}


@pytest.fixture(scope="module")
def payload(shared_ref: Path) -> str:
    """The EC's sealed micro-credential's payload (it keeps the shapes), to seal again."""
    document = json.loads((shared_ref / "elm/ec-elm/credentials/Sample-MC-Annex1-signed.jsonld"
                           ).read_text())
    return str(document["payload"])


@pytest.fixture(scope="module")
def pki() -> SealPki:
    return make_pki(not_before=NOW - dt.timedelta(days=30), not_after=NOW + dt.timedelta(days=300))


def test_every_sample_is_listed(shared_ref: Path) -> None:
    """Every EDC in ../shared/ref/elm has its expected outcome here."""
    root = shared_ref / "elm"
    present = {str(path.relative_to(root)) for path in root.rglob("*.json*")
               if is_edc(json.loads(path.read_text()))}
    assert present == set(OUTCOMES)


@pytest.mark.parametrize("name", sorted(OUTCOMES))
def test_sample_outcome(shared_ref: Path, reference: ElmReference, name: str) -> None:
    """The sample's decision, and each failed or undecided check with its code."""
    report = _verify((shared_ref / "elm" / name).read_bytes(), reference)
    decision, findings = OUTCOMES[name]
    assert (report.decision, _findings(report)) == (decision, findings)
    assert report.meaning is not None and report.meaning.learner_names


@pytest.mark.parametrize("name", sorted(OUTCOMES))
def test_the_report_says_which_envelope_it_read(shared_ref: Path, reference: ElmReference,
                                                name: str) -> None:
    """EBSI's examples are read as ELM 3.2 (VC 2.0), every other sample as ELM 3.1 (VC 1.1):
    the parse check and what the credential states both say so, in both languages."""
    report = _verify((shared_ref / "elm" / name).read_bytes(), reference)
    expected = "elm-3.2" if name.startswith("ebsi-edc-schema/") else "elm-3.1"
    parse = report.check("parse")
    assert parse is not None and parse.details["envelope"] == expected
    assert f"ELM {expected[-3:]}" in parse.reason_en and f"ELM {expected[-3:]}" in parse.reason_ja
    meaning = report.check("meaning")
    assert meaning is not None and meaning.details["edc"]["envelope"] == expected


def test_sealed_under_a_trusted_root_verifies(reference: ElmReference, payload: str,
                                              pki: SealPki) -> None:
    """An EDC sealed under a root the operator trusts verifies, with no finding."""
    report = _verify(seal(payload, pki, signing_time=NOW - dt.timedelta(days=1)), reference,
                     trusted=[pki.root])
    assert report.decision is Decision.VERIFIED, _findings(report)
    assert report.meaning is not None
    assert report.meaning.achievement_name == "Digital micro-credential creation"


def test_sealed_under_another_root_is_not_trusted(reference: ElmReference, payload: str,
                                                  pki: SealPki) -> None:
    """A seal that does not chain to the operator's list is not verified."""
    other = make_pki(not_before=NOW - dt.timedelta(days=30), not_after=NOW + dt.timedelta(days=9))
    report = _verify(seal(payload, pki, signing_time=NOW), reference, trusted=[other.root])
    assert _findings(report) == {"issuer": "untrusted-seal"}


def test_bad_signature(reference: ElmReference, payload: str, pki: SealPki) -> None:
    """A sealed EDC changed after sealing: the proof fails, with a reason in both languages."""
    document = seal(payload, pki, signing_time=NOW)
    document["payload"] = document["payload"].replace("Ana", "Anna", 1)
    report = _verify(document, reference, trusted=[pki.root])
    assert _findings(report) == {"proof": "signature"}
    check = report.check("proof")
    assert check is not None and "changed after sealing" in check.reason_en and check.reason_ja


def test_certificate_expired_at_signing(reference: ElmReference, payload: str) -> None:
    """Sealed after its certificate expired: refused, whatever the trust list says."""
    old = make_pki(not_before=NOW - dt.timedelta(days=60), not_after=NOW - dt.timedelta(days=2))
    report = _verify(seal(payload, old, signing_time=NOW - dt.timedelta(days=1)), reference,
                     trusted=[old.root])
    assert _findings(report) == {"issuer": "certificate-expired-at-signing"}


def test_b64_true(reference: ElmReference, payload: str, pki: SealPki) -> None:
    """``b64: true`` breaks the EDC profile: the seal is not read."""
    report = _verify(seal(payload, pki, signing_time=NOW, b64=True), reference,
                     trusted=[pki.root])
    assert report.decision is Decision.NOT_VERIFIED
    assert _findings(report)["parse"] == "jades-b64"


def test_breaking_the_shapes(reference: ElmReference, payload: str, pki: SealPki) -> None:
    """A sealed EDC without ``issued`` breaks the profile: a finding, fatal when strict."""
    credential = json.loads(payload)
    del credential["issued"]
    document = seal(json.dumps(credential), pki, signing_time=NOW)
    lenient = _verify(document, reference, trusted=[pki.root])
    assert lenient.decision is Decision.VERIFIED and lenient.ok
    assert [check.name for check in lenient.findings] == ["elm-shapes"]
    strict = _verify(document, reference, trusted=[pki.root], strict=True)
    assert not strict.ok
