"""What ``credstack verify`` concludes of other issuers' credentials (issue 38, part 4).

    .venv/bin/python bench/world_credentials.py [--json]

Runs ``credstack verify --json`` (in this process, through the command line's own entry point,
with no store: nothing of credstack's own is trusted) over

* every file of ``../shared/ref/wild/dcc-vc-test-fixtures/`` (the Digital Credentials
  Consortium's credentials, did:web documents and status lists; ``expected.tsv`` says what a
  verifier should conclude of each credential) — skipped when absent;
* one credential of each format issue 38 adds, made here with the test keys, and a tampered
  twin of each: COSE (bytes and enveloped), an SD-JWT without its trailing ``~``, a VC 1.1
  VC-JWT whose issuer is only its ``iss``, ``EcdsaSecp256k1Signature2019``, language values
  with ``@direction`` (eddsa-rdfc-2022) and an enveloped presentation (vp+jwt).

Each file is *verified* (exit 0), *undecided* (every failed verdict check is one that needed
the network: an unresolvable key or an unavailable status list; exit 3 once the three-state
verdict exists) or *refused*; a *crash* is an exception out of the command. A *forgery
accepted* is a verified file that should not be (tampered, revoked, expired …). The machine
is expected to be offline, as the figures are.
"""

from __future__ import annotations

import argparse
import base64
import collections
import copy
import csv
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from credstack.adapters.resolvers.contexts import shared_document_loader  # noqa: E402
from credstack.core.crypto import KeyPair, KeyType  # noqa: E402
from credstack.core.dids import did_key  # noqa: E402
from credstack.core.proofs import sign_data_integrity  # noqa: E402
from credstack.core.proofs.cryptosuites import sd_jwt  # noqa: E402
from credstack.core.proofs.cryptosuites.vc_jwt import sign_claims  # noqa: E402
from credstack.entrypoints.cli.main import app  # noqa: E402
from tests.core.proofs.cryptosuites.test_vc_cose import cose_sign1  # noqa: E402
from tests.signed_credentials import (  # noqa: E402
    HOLDER_KEY,
    ISSUER,
    KEY,
    METHOD,
    presentation,
    signed,
    unsigned,
)

DCC = ROOT.parent / "shared" / "ref" / "wild" / "dcc-vc-test-fixtures"
#: Failed checks that only say something could not be fetched.
UNDECIDED = {"proof:unresolvable-method", "status:status-unavailable"}
EXIT_UNDECIDED = 3


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _flip(token: str) -> str:
    head, _, signature = token.rpartition(".")
    return f"{head}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"


def _made() -> Iterator[tuple[str, bytes | str | dict[str, Any], bytes | str | dict[str, Any]]]:
    """(name, credential, its tampered twin) for each format issue 38 adds."""
    cose = cose_sign1(KEY, unsigned(), kid=METHOD)
    forged = cose.replace(b"Hanako", b"Janako")
    yield "cose.cbor", cose, forged

    def envelope(data: bytes) -> dict[str, Any]:
        return {"@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": "EnvelopedVerifiableCredential",
                "id": "data:application/vc+cose;base64," + base64.b64encode(data).decode()}
    yield "cose-enveloped.json", envelope(cose), envelope(forged)
    jwt, *disclosures, _ = sd_jwt.issue(unsigned(), key=KEY, kid=METHOD,
                                        disclosable=("name", "awardedDate")).split("~")
    other = _b64(json.dumps(["salt", "name", "Doctor"]).encode())
    yield ("sd-jwt-no-tilde.txt", "~".join([jwt, *disclosures]),
           "~".join([jwt, disclosures[0], other]))
    token = sign_claims({"vc": {"@context": ["https://www.w3.org/2018/credentials/v1"],
                                "type": ["VerifiableCredential"],
                                "credentialSubject": {"id": "did:example:learner"}},
                         "iss": ISSUER, "nbf": 1735689600, "sub": "did:example:learner"},
                        key=KEY, kid=METHOD)
    yield "vc11-jwt.txt", token, _flip(token)
    k1 = KeyPair.from_secret_bytes(KeyType.SECP256K1, bytes(range(1, 33)))
    document = {"@context": ["https://www.w3.org/2018/credentials/v1"],
                "type": ["VerifiableCredential"],
                "issuer": did_key.did_from_public_key(k1.public_key),
                "issuanceDate": "2024-07-01T00:00:00Z",
                "credentialSubject": {"id": "did:example:learner",
                                      "https://schema.org/name": "Hanako"}}
    secp = sign_data_integrity(document, key=k1,
                               verification_method=did_key.verification_method_id(
                                   k1.public_key),
                               cryptosuite="EcdsaSecp256k1Signature2019",
                               created="2024-07-01T00:00:00Z",
                               document_loader=shared_document_loader())
    changed = copy.deepcopy(secp)
    changed["credentialSubject"]["https://schema.org/name"] = "Taro"
    yield "secp256k1-2019.json", secp, changed
    directed = sign_data_integrity(
        {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
         "issuer": {"id": ISSUER, "name": {"@value": "جامعة", "@language": "ar",
                                           "@direction": "rtl"}},
         "name": {"@value": "Degree", "@language": "en", "@direction": "ltr"},
         "validFrom": "2025-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:x"}},
        key=KEY, verification_method=METHOD, cryptosuite="eddsa-rdfc-2022",
        created="2025-01-01T00:00:00Z", document_loader=shared_document_loader())
    turned = copy.deepcopy(directed)
    turned["name"]["@direction"] = "rtl"
    yield "direction-rdfc.json", directed, turned
    kid = did_key.verification_method_id(HOLDER_KEY.public_key)
    head = _b64(json.dumps({"alg": "EdDSA", "typ": "vp+jwt", "kid": kid}).encode())
    body = _b64(json.dumps(presentation(signed(), signed_by_holder=False)).encode())
    vp = f"{head}.{body}.{_b64(HOLDER_KEY.sign(f'{head}.{body}'.encode()))}"

    def vp_envelope(token: str) -> dict[str, Any]:
        return {"@context": "https://www.w3.org/ns/credentials/v2",
                "type": "EnvelopedVerifiablePresentation",
                "id": "data:application/vp+jwt," + token}
    yield "vp-enveloped.json", vp_envelope(vp), vp_envelope(_flip(vp))


def _files(made: Path) -> Iterator[tuple[str, Path, str]]:
    """(group, file, what it should come to: valid, tampered, … or - for not a credential)."""
    if DCC.is_dir():
        expected = {row["path"]: row["expected"] for row in csv.DictReader(
            (DCC / "expected.tsv").open(encoding="utf-8"), delimiter="\t")}
        for path in sorted(DCC.rglob("*")):
            if path.is_file() and path.suffix not in {".md", ".tsv"}:
                yield "dcc", path, expected.get(str(path.relative_to(DCC)), "-")
    for name, good, bad in _made():
        for suffix, value, outcome in (("", good, "valid"), ("-tampered", bad, "tampered")):
            path = made / f"{name}{suffix}"
            path.write_bytes(value if isinstance(value, bytes) else (
                value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            ).encode())
            yield "issue-38", path, outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object per file")
    args = parser.parse_args(argv)
    runner = CliRunner()
    totals: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    with tempfile.TemporaryDirectory() as scratch:
        store, made = Path(scratch) / "no-store", Path(scratch) / "made"
        made.mkdir()
        for group, path, expected in _files(made):
            result = runner.invoke(app, ["verify", "--json", str(path)],
                                   env={"CREDSTACK_DATA_DIR": str(store)})
            crashed = result.exception is not None and not isinstance(result.exception,
                                                                       SystemExit)
            try:
                checks = json.loads(result.stdout).get("checks", [])
            except ValueError:
                checks = []
            failed = {f"{check['check']}:{check['code']}" for check in checks
                      if check.get("ok") is False and check.get("kind") == "verdict"}
            if crashed:
                outcome = "crash"
            elif result.exit_code == 0:
                outcome = "verified"
            elif result.exit_code == EXIT_UNDECIDED or (failed and failed <= UNDECIDED):
                outcome = "undecided"
            else:
                outcome = "refused"
            totals[group][outcome] += 1
            if outcome == "verified" and expected not in {"valid", "-"}:
                totals[group]["forgery accepted"] += 1
            if args.json:
                print(json.dumps({"group": group, "file": path.name, "expected": expected,
                                  "outcome": outcome, "failed": sorted(failed)}))
    outcomes = ("verified", "refused", "undecided", "crash")
    for group, counts in totals.items():
        print(f"{group}: {sum(counts[key] for key in outcomes)} files — " + ", ".join(
            f"{key} {counts[key]}" for key in (*outcomes, "forgery accepted")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
