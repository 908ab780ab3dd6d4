"""The Digital Credentials Consortium's test credentials, verified as an employer would.

``../shared/ref/wild/dcc-vc-test-fixtures/`` holds the credentials the DCC's Learner
Credential Wallet and VerifierPlus are tested with, the did:web documents and status lists
they name, and ``expected.tsv``: for each credential, what a verifier should conclude. Here a
loopback HTTPS server answers for the hosts those documents live on
(``digitalcredentials.github.io``, ``raw.githubusercontent.com``) with a certificate from a
CA of the test's own (``CREDSTACK_FETCH_CONNECT_TO``, ``CREDSTACK_FETCH_CA_FILE``), and every
credential goes through the one verifier (:func:`verify_any`, as ``/verify`` and
``credstack verify`` do), which fetches what it needs over real TLS. Every row's outcome is
asserted:

* ``valid`` — the credential verifies (perhaps with conformance warnings);
* ``revoked`` — the status check fails, saying revoked; ``expired`` / ``not-yet-valid`` —
  the validity check fails; both when both are named;
* ``tampered`` — the proof check fails;
* ``status-list-…(invalid)`` — the status check fails because of the list;
* ``bad-did-web(invalid)`` — the issuer's key cannot be found: the proof check fails;
* ``empty-upstream-file`` — the file is empty upstream: it cannot be read;
* ``(embedded)`` — an SVG of a QR code for the DCC wallet (its credential compressed with
  CBOR-LD), not a baked badge: credstack reads no QR codes, and says that the image holds no
  baked credential (a strict expected failure names it).

The same list (``e5WK8CbZ1GjycuPombrj``) is published by the DCC under two URLs; both serve
the one file, as the fixtures' README says.
"""

from __future__ import annotations

import csv
import http.server
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest

from credstack.adapters.resolvers.fetch import CA_FILE_ENV, CONNECT_TO_ENV, LOOPBACK_ENV
from credstack.core.verification import Decision, VerificationReport
from credstack.services import public_verification as public
from credstack.services.formats import verify_any
from tests.conftest import SHARED_REF
from tests.loopback import QuietHandler, serving_tls, tls_site

HOSTS = ("digitalcredentials.github.io", "raw.githubusercontent.com")
#: URL path on each host → the fixture file it serves.
ROUTES = {
    "/vc-test-fixtures/dids/legacy/did.json": "dids/legacy/did.json",
    "/vc-test-fixtures/dids/oidf/did.json": "dids/oidf/did.json",
    **{f"/vc-test-fixtures/statusLists/didkey-ed25519Signature2020/{name}":
       f"statusLists/didkey-ed25519Signature2020/{name}"
       for name in ("e5WK8CbZ1GjycuPombrj", "expired", "notYetValid", "tampered",
                    "missingBitStringType")},
    "/digitalcredentials/verifier-core/refs/heads/main/src/test-fixtures/status/"
    "e5WK8CbZ1GjycuPombrj": "statusLists/didkey-ed25519Signature2020/e5WK8CbZ1GjycuPombrj",
}


@dataclass(frozen=True)
class Row:
    path: str
    suites: str
    expected: str

    @property
    def outcomes(self) -> set[str]:
        return set(self.expected.split(","))


def _fixtures(shared_ref: Path) -> Path:
    return shared_ref / "wild" / "dcc-vc-test-fixtures"


def _rows() -> list[Row]:
    table = SHARED_REF / "wild" / "dcc-vc-test-fixtures" / "expected.tsv"
    if not table.exists():
        return []
    with table.open(encoding="utf-8", newline="") as rows:
        return [Row(row["path"], row["proof_suites"], row["expected"])
                for row in csv.DictReader(rows, delimiter="\t")]


ROWS = _rows()
#: Rows credstack cannot do as expected, and why.
UNDONE = {
    "verifiableCredentials/v1/dataIntegrityProof/didKey/mixedRegistry-validStatus-noExpiry.svg":
        "a QR code of the credential for the DCC wallet (CBOR-LD), not a baked SVG badge: "
        "credstack reads no QR codes",
}


@pytest.fixture(scope="module")
def dcc_hosts(shared_ref: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The DCC's hosts, answered on loopback over TLS, for the whole module."""
    root = _fixtures(shared_ref)
    site = tls_site(HOSTS, tmp_path_factory.mktemp("dcc-tls"))

    class Hosts(QuietHandler):
        routes: ClassVar[dict[str, Path]] = {path: root / file for path, file in ROUTES.items()}

        def do_GET(self) -> None:
            file = self.routes.get(self.path.partition("?")[0])
            body = file.read_bytes() if file is not None else b"not found"
            self.send_response(200 if file is not None else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with pytest.MonkeyPatch.context() as env, serving_tls(
            http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hosts), site.context) as port:
        env.setenv(LOOPBACK_ENV, "1")
        env.setenv(CA_FILE_ENV, str(site.ca_file))
        env.setenv(CONNECT_TO_ENV, ",".join(f"{host}:443:127.0.0.1:{port}" for host in HOSTS))
        env.delenv(public.DID_WEB_ALLOW_ENV, raising=False)
        yield


def _verify(shared_ref: Path, row: Row) -> VerificationReport:
    return verify_any((_fixtures(shared_ref) / row.path).read_bytes(), sources=None)


def _check(report: VerificationReport, name: str) -> tuple[bool | None, str]:
    found = [check for check in report.checks if check.name == name]
    assert found, f"no {name} check in {[check.name for check in report.checks]}"
    return found[-1].ok, f"{found[-1].code}: {found[-1].reason_en}"


def _failures(report: VerificationReport) -> str:
    return "; ".join(f"{check.name} ({check.code}): {check.reason_en}"
                     for check in report.checks if check.failed or check.ok is None)


@pytest.mark.parametrize("row", [
    pytest.param(row, marks=[pytest.mark.xfail(strict=True, reason=UNDONE[row.path])]
                 if row.path in UNDONE else []) for row in ROWS],
    ids=[row.path.removeprefix("verifiableCredentials/") for row in ROWS])
def test_every_dcc_credential_gets_the_expected_outcome(row: Row, shared_ref: Path,
                                                        dcc_hosts: None) -> None:
    if row.expected == "empty-upstream-file":
        report = _verify(shared_ref, row)
        assert not report.ok
        ok, why = _check(report, "parse")
        assert ok is False and why.startswith("empty: the input is empty"), why
        return
    report = _verify(shared_ref, row)
    outcomes = row.outcomes
    if outcomes <= {"valid"}:
        assert report.ok, _failures(report)
        return
    assert not report.ok, f"{row.expected} verified"
    if "tampered" in outcomes:
        ok, why = _check(report, "proof")
        assert ok is False, why
    if "bad-did-web(invalid)" in outcomes:
        # Its DID document is not published (404): the key is out of reach, so the proof
        # could not be checked — nothing is proven against the credential.
        proof = report.check("proof")
        assert proof is not None and proof.ok is None and proof.missing is not None
        assert proof.missing.why == "not-found", proof.missing
        assert report.decision is Decision.UNDECIDED
    if outcomes & {"revoked", "status-list-expired(invalid)", "status-list-malformed(invalid)",
                   "status-list-tampered(invalid)"}:
        ok, why = _check(report, "status")
        assert ok is False, why
        if "revoked" in outcomes:
            assert "revoked" in why, why
    else:
        assert _check(report, "proof")[0] is not False or "tampered" in outcomes \
            or "bad-did-web(invalid)" in outcomes, _failures(report)
    if outcomes & {"expired", "not-yet-valid"}:
        ok, why = _check(report, "validity")
        if "-notYetValidStatus-" in row.path:
            # The status list, not the credential, is outside its validity period.
            ok, why = _check(report, "status")
            assert "valid" in why, why
        assert ok is False, why
    if not outcomes & {"tampered", "bad-did-web(invalid)"}:
        # Whatever else is wrong, a genuine credential's signature verifies.
        ok, why = _check(report, "proof")
        assert ok is True, why


def test_the_table_names_every_credential_in_the_fixtures(shared_ref: Path) -> None:
    root = _fixtures(shared_ref) / "verifiableCredentials"
    files = {str(path.relative_to(root.parent)) for path in root.rglob("*")
             if path.is_file() and path.suffix in {".json", ".svg"}}
    assert files == {row.path for row in ROWS}


def test_a_list_shorter_than_group_privacy_asks_still_answers_with_a_notice(
        shared_ref: Path, dcc_hosts: None) -> None:
    """The DCC's lists hold fewer than 131,072 entries: the status is read all the same, and
    the shortfall is said (it is the issuer's privacy problem, not a doubt about the
    credential)."""
    row = Row("verifiableCredentials/v1/ed25519/didWeb/legacy-validStatus-noExpiry.json",
              "Ed25519Signature2020", "valid")
    report = _verify(shared_ref, row)
    status = report.check("status")
    assert report.ok and status is not None and status.ok
    short = [notice for notice in status.warnings if notice.code == "status-list-short"]
    assert len(short) == 1 and "131,072" in short[0].message_en
