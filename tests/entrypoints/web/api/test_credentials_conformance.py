"""The W3C VC Data Model 2.0 test suite's inputs, run the way the suite runs them.

For each input in ``../shared/ref/conformance/vc-data-model-2.0-test-suite/input`` the suite
fills in the issuer, posts it to the issuer endpoint and verifies what comes back:

* ``…-ok``: issued (201) and verified (200);
* ``…-fail``: refused by the issuer (400/422) or, if issued, refused by the verifier (400);
* ``…-fail-or-inject``: refused, or issued with the missing base context added.

The verifier is asked for ``checks: ["proof"]`` as the suite asks; credstack checks the
validity period whatever the checks, so inputs whose fixed dates have passed (the suite
replaces them with fresh ones in its temporal tests) are verified before their dates.
Presentations are the presentation verifier's (``test_vc_api_presentations.py``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import SHARED_REF, issuing_operator

INPUTS = SHARED_REF / "conformance" / "vc-data-model-2.0-test-suite" / "input"
CASES = sorted(path for path in INPUTS.rglob("credential-*.json")) if INPUTS.is_dir() else []
VC2 = "https://www.w3.org/ns/credentials/v2"


@pytest.fixture(scope="module", params=["eddsa-rdfc-2022", "eddsa-jcs-2022"])
def suite(request: pytest.FixtureRequest) -> str:
    """The cryptosuite of the issuer endpoint; each has its own store, as the W3C suite runs
    each issuer against its own (inputs with a fixed id issued once per store)."""
    return str(request.param)


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory, suite: str) -> Iterator[httpx.Client]:
    """One server for every input of a suite: SQLite, one organisation with an Ed25519 key."""
    yield from issuing_operator(tmp_path_factory.mktemp("conformance"))


def _case_id(path: Path) -> str:
    return str(path.relative_to(INPUTS)) if INPUTS.is_dir() else path.name


@pytest.mark.parametrize("path", CASES or [INPUTS / "missing"],
                         ids=_case_id)
def test_each_input_is_issued_or_refused_as_the_suite_expects(shared_ref: Path,
                                                              http: httpx.Client, path: Path,
                                                              suite: str) -> None:
    text = path.read_text(encoding="utf-8")
    # The suite's temporal inputs hold placeholders it replaces with real dates.
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for placeholder, moment in (("PAST DATE", now - dt.timedelta(days=365)),
                                ("FUTURE DATE", now + dt.timedelta(days=365))):
        text = text.replace(placeholder, moment.isoformat().replace("+00:00", "Z"))
    credential = json.loads(text)
    issuer = http.get("/api/organisations/hokuto-tech/issuer").json()["did"]
    if "issuer" not in credential:
        credential["issuer"] = issuer
    issued = http.post(f"/issuers/{suite}/credentials/issue", json={"credential": credential})
    name = path.stem
    if name.endswith("-ok"):
        assert issued.status_code == 201, issued.text
        verified = http.post("/credentials/verify", json={
            "verifiableCredential": issued.json()["verifiableCredential"],
            "options": {"checks": ["proof"]}})
        failed = {error["code"] for error in verified.json()["errors"]}
        if path.name == "credential-proof-ok.json":
            # The input brings an Ed25519Signature2020 proof of its own with no
            # verificationMethod: issued beside it, but a proof set stands only when every
            # proof credstack can check verifies.
            assert "malformed-proof" in failed
            return
        assert verified.status_code == 200 or failed <= {"expired", "not-yet-valid"}, failed
        return
    if issued.status_code in {400, 422}:
        assert issued.json().get("errors") or issued.json()["detail"]
        return
    assert issued.status_code == 201, issued.text
    signed = issued.json()["verifiableCredential"]
    if name.endswith("-fail-or-inject"):
        assert VC2 in signed["@context"]
        return
    verified = http.post("/credentials/verify", json={"verifiableCredential": signed,
                                                      "options": {"checks": ["proof"]}})
    assert verified.status_code == 400, f"{name} was issued and verified"
