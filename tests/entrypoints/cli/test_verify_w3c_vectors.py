"""``credstack verify FILE`` on the W3C's published signed vectors, as a user runs it.

Each signed document of Data Integrity ECDSA Cryptosuites v1.0 (``ecdsa-rdfc-2019`` and
``ecdsa-jcs-2019``, P-256 and P-384; and the holders' ``ecdsa-sd-2023`` disclosures;
``../shared/ref/vectors/vc-di-ecdsa``) and of Data Integrity EdDSA Cryptosuites v1.0
(``eddsa-rdfc-2022`` with its proof sets and chains, ``eddsa-jcs-2022``,
``Ed25519Signature2020``; ``../shared/ref/vectors/vc-di-eddsa``) goes through the installed
command in its own process — ``python -m credstack verify --json FILE``, no store, nothing
fetched — and its proof verifies, with the vector's suite and key, its did:key resolved
locally. The ``ecdsa-sd-2023`` issuers' base proofs are refused as ones a holder must derive
first. Every check's outcome is asserted, not only the proof's.

The vectors are proofs, not issued credentials: each names an issuer that is not its signer
(``https://vc.example/issuers/5678``, or another did:key, signed by the vector's own key).
What they test is Data Integrity's *verify proof* algorithm, which credstack's ``proof`` check
is; binding the key to the issuer the credential names is the ``issuer`` check, which these
vectors fail, as the JavaScript reference's ``verifyCredential`` does
(``CredentialIssuancePurpose``). The credential is therefore *not verified* (exit 1), and the
headline says why in plain words: the signature is intact, the signer is not the issuer. No
option relaxes that (``docs/verification.md``, "Proof and issuer").

Their contexts are credstack's bundled ones — citizenship v4rc1 among them, from
``@digitalbazaar/citizenship-context``, and the W3C's examples v2 context. An operator's pin
of the same examples context (``CREDSTACK_CONTEXTS_FILE`` naming
``../shared/ref/contexts/w3c/credentials-examples-v2.jsonld``, read at run time) is accepted
beside the bundled copy, since the two are the same document.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from credstack.core.verification.report import check_outcome
from tests.core.proofs.vectors import (
    ECDSA_JCS_VECTORS,
    ECDSA_RDFC_VECTORS,
    EDDSA_SIGNED_VECTORS,
    SD_VECTORS,
    EcdsaVector,
    SdVector,
    SignedVector,
)

EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"


@pytest.fixture
def contexts_file(shared_ref: Path, tmp_path: Path) -> Path:
    """The operator's pinned contexts: the examples v2 context, the same document as the
    bundled one, from ``../shared/ref/contexts``."""
    index = json.loads((shared_ref / "contexts" / "index.json").read_text(encoding="utf-8"))
    pinned = tmp_path / "contexts.json"
    pinned.write_text(json.dumps({EXAMPLES_V2: str(shared_ref / "contexts" / index[EXAMPLES_V2])}),
                      encoding="utf-8")
    return pinned


def run_verify(path: Path, cwd: Path, contexts_file: Path, *options: str
               ) -> subprocess.CompletedProcess[str]:
    """``credstack verify [options] FILE`` in a fresh process, in English, with
    ``contexts_file`` as ``CREDSTACK_CONTEXTS_FILE`` and no other credstack setting."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("CREDSTACK_")} | {
        "CREDSTACK_LANG": "en", "CREDSTACK_CONTEXTS_FILE": str(contexts_file), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "credstack", "verify", *options, str(path)],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def credstack_verify(path: Path, cwd: Path, contexts_file: Path) -> tuple[int, dict[str, Any]]:
    """``credstack verify --json``: its exit code and report."""
    finished = run_verify(path, cwd, contexts_file, "--json")
    report: dict[str, Any] = json.loads(finished.stdout)
    return finished.returncode, report


def _checks(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {check["check"]: check for check in report["checks"]}


def _outcomes(report: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    """Each check's outcome (passed, failed, not-checked, info) and code."""
    return {check["check"]: (check_outcome(check["kind"], check["ok"]), check.get("code"))
            for check in report["checks"]}


#: How every check of a W3C vector comes out: all pass but the issuer binding (the vectors
#: sign for an issuer that is not their key's controller); no schema, no status to check.
VECTOR_OUTCOMES: dict[str, tuple[str, str | None]] = {
    "parse": ("passed", None), "data-model": ("passed", None),
    "credential-schema": ("passed", "no-schema"), "contexts": ("passed", None),
    "proof": ("passed", None), "issuer": ("failed", "issuer-mismatch"),
    "validity": ("passed", None), "status": ("passed", "no-status"), "meaning": ("info", None),
}


def _signed_by_another(report: dict[str, Any]) -> None:
    """The issuer check names the issuer and a signer that is not it."""
    details = _checks(report)["issuer"]["details"]
    assert {signer["controller"] for signer in details["signers"]} != {details["issuer"]}


def _proofs(document: dict[str, Any]) -> list[dict[str, Any]]:
    proof = document["proof"]
    return proof if isinstance(proof, list) else [proof]


def _expired(document: dict[str, Any]) -> bool:
    """Whether the vector's validUntil is past (the CLI judges validity at the clock's now)."""
    until = document.get("validUntil")
    return until is not None and dt.datetime.fromisoformat(until) < dt.datetime.now(dt.UTC)


def _expected(document: dict[str, Any], **changes: tuple[str, str | None]
              ) -> dict[str, tuple[str, str | None]]:
    validity = ("failed", "expired") if _expired(document) else ("passed", None)
    return {**VECTOR_OUTCOMES, "validity": validity, **changes}


@pytest.mark.parametrize("vector", ECDSA_RDFC_VECTORS + ECDSA_JCS_VECTORS,
                         ids=lambda v: f"{v.suite}-{v.name}")
def test_every_vc_di_ecdsa_vector_verifies_through_the_cli(shared_ref: Path, tmp_path: Path,
                                                          contexts_file: Path,
                                                          vector: EcdsaVector) -> None:
    """The proof of every signed vc-di-ecdsa vector verifies with its suite and key; every
    other check passes but the issuer binding, so it is not verified (exit 1)."""
    path = vector.path(shared_ref, "signed", "json")
    document = json.loads(path.read_text(encoding="utf-8"))
    exit_code, report = credstack_verify(path, tmp_path, contexts_file)
    assert _outcomes(report) == _expected(document)
    proof = _checks(report)["proof"]
    assert [(found["suite"], found["verificationMethod"])
            for found in proof["details"]["proofs"]] == [
        (vector.suite, found["verificationMethod"]) for found in _proofs(document)]
    _signed_by_another(report)
    assert exit_code == 1 and report["verified"] is False and report["authentic"] is False


@pytest.mark.parametrize("vector", SD_VECTORS, ids=lambda v: v.name)
def test_every_ecdsa_sd_2023_disclosure_verifies_through_the_cli(shared_ref: Path,
                                                                 tmp_path: Path,
                                                                 contexts_file: Path,
                                                                 vector: SdVector) -> None:
    """A holder's published disclosure: its proof verifies, the issuer binding fails (and the
    validity check, once the permanent resident card's validUntil, 2025-12-16, is past); the
    issuer's base proof it was derived from is refused (``base-proof``), so nobody is known
    to have signed it (the issuer check is not decided)."""
    derived, base = vector.derived(shared_ref), vector.base(shared_ref)
    for document, suffix in ((derived, "derived"), (base, "base")):
        path = tmp_path / f"{vector.directory}-{suffix}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        exit_code, report = credstack_verify(path, tmp_path, contexts_file)
        assert exit_code == 1 and report["verified"] is False
        if suffix == "derived":
            assert _outcomes(report) == _expected(document)
            assert [found["suite"] for found in _checks(report)["proof"]["details"]["proofs"]
                    ] == ["ecdsa-sd-2023"]
            _signed_by_another(report)
        else:
            assert _outcomes(report) == _expected(
                document, proof=("failed", "base-proof"), issuer=("not-checked", "not-checked"))


def test_every_signed_vc_di_eddsa_document_is_listed(shared_ref: Path) -> None:
    """EDDSA_SIGNED_VECTORS names every ``signed*.json`` vc-di-eddsa publishes."""
    directory = shared_ref / "vectors" / "vc-di-eddsa"
    published = sorted(path.relative_to(directory).as_posix()
                       for path in directory.rglob("signed*.json"))
    assert sorted(vector.file for vector in EDDSA_SIGNED_VECTORS) == published


@pytest.mark.parametrize("vector", EDDSA_SIGNED_VECTORS, ids=lambda v: v.file.removesuffix(".json"))
def test_every_vc_di_eddsa_vector_verifies_through_the_cli(shared_ref: Path, tmp_path: Path,
                                                          contexts_file: Path,
                                                          vector: SignedVector) -> None:
    """Every proof of every signed vc-di-eddsa document (sets and chains too) verifies, with
    the vector's suite and key; every other check passes but the issuer binding."""
    document = json.loads(vector.path(shared_ref).read_text(encoding="utf-8"))
    exit_code, report = credstack_verify(vector.path(shared_ref), tmp_path, contexts_file)
    assert _outcomes(report) == _expected(document)
    assert [(found["suite"], found["verificationMethod"])
            for found in _checks(report)["proof"]["details"]["proofs"]] == [
        (vector.suite, proof["verificationMethod"]) for proof in _proofs(document)]
    _signed_by_another(report)
    assert exit_code == 1 and report["verified"] is False and report["authentic"] is False


def test_the_headline_says_the_signature_is_intact_but_not_the_issuers(
        shared_ref: Path, tmp_path: Path, contexts_file: Path) -> None:
    """For people (no --json): not verified, because it was not signed by the issuer it
    names — and the signature itself is intact, so nothing reads "changed after signing"."""
    path = ECDSA_RDFC_VECTORS[0].path(shared_ref, "signed", "json")
    finished = run_verify(path, tmp_path, contexts_file)
    assert finished.returncode == 1
    assert "Not verified." in finished.stdout
    assert "not signed by the issuer it names" in finished.stdout
    assert "the signature itself is intact" in finished.stdout
    assert "Changed after signing" not in finished.stdout
