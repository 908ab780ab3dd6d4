"""``credstack verify FILE`` on the W3C's published signed vectors, as a user runs it.

Each signed document of Data Integrity ECDSA Cryptosuites v1.0 (``ecdsa-rdfc-2019`` and
``ecdsa-jcs-2019``, P-256 and P-384; and the holders' ``ecdsa-sd-2023`` disclosures;
``../shared/ref/vectors/vc-di-ecdsa``) and of Data Integrity EdDSA Cryptosuites v1.0
(``eddsa-rdfc-2022`` with its proof sets and chains, ``eddsa-jcs-2022``,
``Ed25519Signature2020``; ``../shared/ref/vectors/vc-di-eddsa``) goes through the installed
command in its own process — ``python -m credstack verify --json FILE``, no store, nothing
fetched — and its proof verifies, its did:key resolved locally. The ``ecdsa-sd-2023`` issuers'
base proofs are refused as ones a holder must derive first.

The vectors are signatures, not issued credentials: each names an issuer that is not its
signer (``https://vc.example/issuers/5678``, or another did:key, signed by the vector's own
key), so the issuer check refuses them, as the JavaScript reference's ``verifyCredential``
does; nothing else may fail. Their contexts that no package publishes (the W3C's examples
context, citizenship v4rc1) are pinned as an operator would: ``CREDSTACK_CONTEXTS_FILE`` names
``../shared/ref/contexts/index.json``, whose contexts credstack also bundles being identical.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.core.proofs.vectors import (
    ECDSA_JCS_VECTORS,
    ECDSA_RDFC_VECTORS,
    EDDSA_SIGNED_VECTORS,
    SD_VECTORS,
    EcdsaVector,
    SdVector,
    SignedVector,
)


@pytest.fixture
def contexts_file(shared_ref: Path) -> Path:
    """The operator's pinned contexts: ``../shared/ref/contexts/index.json``."""
    index = shared_ref / "contexts" / "index.json"
    if not index.is_file():
        pytest.skip(f"{index} is not present: the vectors' unpublished contexts are pinned "
                    "from it")
    return index


def credstack_verify(path: Path, cwd: Path, contexts_file: Path) -> tuple[int, dict[str, Any]]:
    """Run ``credstack verify --json`` on a file in a fresh process, with ``contexts_file`` as
    ``CREDSTACK_CONTEXTS_FILE``; its exit code and report."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("CREDSTACK_")} | {
        "CREDSTACK_LANG": "en", "CREDSTACK_CONTEXTS_FILE": str(contexts_file)}
    finished = subprocess.run([sys.executable, "-m", "credstack", "verify", "--json", str(path)],
                              cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    report: dict[str, Any] = json.loads(finished.stdout)
    return finished.returncode, report


def _checks(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {check["check"]: check for check in report["checks"]}


@pytest.mark.parametrize("vector", ECDSA_RDFC_VECTORS + ECDSA_JCS_VECTORS,
                         ids=lambda v: f"{v.suite}-{v.name}")
def test_every_vc_di_ecdsa_vector_verifies_through_the_cli(shared_ref: Path, tmp_path: Path,
                                                          contexts_file: Path,
                                                          vector: EcdsaVector) -> None:
    """The proof of every signed vc-di-ecdsa vector verifies; only the issuer check fails."""
    exit_code, report = credstack_verify(vector.path(shared_ref, "signed", "json"), tmp_path,
                                         contexts_file)
    checks = _checks(report)
    assert checks["proof"]["ok"] is True, checks["proof"]["reason"]
    assert vector.suite in checks["proof"]["reason"]["en"]
    assert [name for name, check in checks.items() if check["ok"] is False] == ["issuer"]
    assert exit_code == 1 and report["verified"] is False


@pytest.mark.parametrize("vector", SD_VECTORS, ids=lambda v: v.name)
def test_every_ecdsa_sd_2023_disclosure_verifies_through_the_cli(shared_ref: Path,
                                                                 tmp_path: Path,
                                                                 contexts_file: Path,
                                                                 vector: SdVector) -> None:
    """A holder's published disclosure: its proof verifies, the issuer check fails (and the
    validity check, once the permanent resident card's validUntil, 2025-12-16, is past); the
    issuer's base proof it was derived from is refused (``base-proof``)."""
    derived = vector.derived(shared_ref)
    for document, suffix in ((derived, "derived"), (vector.base(shared_ref), "base")):
        path = tmp_path / f"{vector.directory}-{suffix}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        exit_code, report = credstack_verify(path, tmp_path, contexts_file)
        checks = _checks(report)
        assert exit_code == 1 and report["verified"] is False
        if suffix == "derived":
            assert checks["proof"]["ok"] is True, checks["proof"]["reason"]
            assert "ecdsa-sd-2023" in checks["proof"]["reason"]["en"]
            failed = {name for name, check in checks.items() if check["ok"] is False}
            assert failed - {"validity"} == {"issuer"}
        else:
            assert checks["proof"]["code"] == "base-proof"


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
    the vector's suite and key; only the issuer check fails."""
    document = json.loads(vector.path(shared_ref).read_text(encoding="utf-8"))
    proofs = document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
    exit_code, report = credstack_verify(vector.path(shared_ref), tmp_path, contexts_file)
    checks = _checks(report)
    assert checks["proof"]["ok"] is True, checks["proof"]["reason"]
    assert [(found["suite"], found["verificationMethod"])
            for found in checks["proof"]["details"]["proofs"]] == [
        (vector.suite, proof["verificationMethod"]) for proof in proofs]
    assert [name for name, check in checks.items() if check["ok"] is False] == ["issuer"]
    assert exit_code == 1 and report["verified"] is False
