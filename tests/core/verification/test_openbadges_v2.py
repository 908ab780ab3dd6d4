"""Verification of Open Badges 2.0 badges, as specifications.

Every fixture of the 1EdTech public validator (``../shared/ref/examples/ob-v2p0``, read at
run time) goes through :func:`verify_badge` with the outcome the validator's own tests give
it (``OB20Tests.java``: valid, invalid, or valid with a warning). The documents the fixtures
link to (``https://example.org/…``, ``http://example.org/…``) are served by a local HTTP
server from the fixtures' ``assets`` folder, each hosted assertion at its own id, and
fetched through the real seam — a function of a URL — with the standard library.

Badges credstack builds are verified against an in-memory set of documents (a dictionary
lookup is the seam, no mock): hosted and signed, revoked, tampered, impersonated.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hmac
import http.server
import json
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.descriptors.models import Programme
from credstack.core.types import MultilingualText
from credstack.core.verification.openbadges_v2 import DEFAULT_CHECKS, STEPS, verify_badge
from credstack.core.verification.report import CheckKind, Decision, VerificationReport
from credstack.errors import FetchError
from credstack.words import words
from tests.conftest import SHARED_REF
from tests.helpers import programme as demo_programme
from tests.loopback import QuietHandler, serving

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
VALIDATOR = Path("examples") / "ob-v2p0" / "validator"
#: The hosts the validator's tests map onto the fixtures' assets folder.
FIXTURE_HOSTS = ("https://www.example.org/", "https://example.org/", "http://example.org/")

VALID, WARNING = "valid", "warning"
#: Each fixture's expected outcome, from the 1EdTech validator's tests (OB20Tests.java) and
#: the fixture's name: valid, valid with a warning, or the checks that fail.
EXPECTED: dict[str, str | set[str]] = {
    "basic-assertion.json": VALID,
    "assertion-with-data-image.json": {"data-model"},
    "assertion-with-endorsements.json": VALID,
    "assertion-with-extension-node-basic.json": VALID,
    "assertion-with-extension-node-invalid.json": {"data-model"},
    "assertion-with-multiple-extensions.json": VALID,
    "badge-class-with-language.json": VALID,
    "basic-assertion-expired-before-issued.json": {"validity"},
    "basic-assertion-expired.json": {"validity"},
    "basic-assertion-in-future.json": {"validity"},
    "basic-assertion-invalid-context.json": {"contexts"},
    "basic-assertion-invalid-type.json": {"data-model"},
    "basic-assertion-no-public-key.json": VALID,
    "basic-assertion-with-allowed-origins.json": VALID,
    "basic-assertion-with-allowed-origins-invalid-multiple-starts-with.json": {"issuer"},
    "basic-assertion-with-allowed-origins-invalid-starts-with.json": {"issuer"},
    "basic-assertion-with-allowed-origins-valid-multiple-starts-with.json": VALID,
    "basic-assertion-with-allowed-origins-valid-starts-with.json": VALID,
    "basic-assertion-with-language.json": VALID,
    "issuer-compact-iri-validation.json": VALID,
    "warning-issuer-non-http.json": WARNING,
    "warning-with-redirection.json": WARNING,
    "simple.jwt": VALID,
    "simple-not-revoked.jwt": VALID,
    "simple-revoked.jwt": {"status"},
    "rdf-validation/valid-badge-class.json": VALID,
    "rdf-validation/valid-issuer-extension.json": VALID,
    "rdf-validation/valid-alignment-object.json": VALID,
    "rdf-validation/valid-cool-class.json": VALID,
    "rdf-validation/valid-badge-class-empty-criteria-type.json": VALID,
    "rdf-validation/invalid-empty-type.json": {"data-model"},
    "rdf-validation/invalid-class.json": {"data-model"},
    "rdf-validation/invalid-one-invalid-class.json": {"data-model"},
    "rdf-validation/badge-class-invalid-issuer-type.json": {"data-model"},
}


def _failed(report: VerificationReport) -> dict[str, str | None]:
    return {check.name: check.code for check in report.failed}


# --- the 1EdTech fixtures, served over HTTP ---------------------------------------------------


class _Fixtures(QuietHandler):
    """GET /<path> → the asset of that name, or the document a test put at that path."""

    assets: Path
    overrides: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        body = self.overrides.get(path)
        if body is None:
            candidate = (self.assets / path.lstrip("/")).resolve()
            if candidate.parent == self.assets.resolve() and candidate.is_file():
                body = candidate.read_bytes()
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def fixture_server() -> Iterator[tuple[str, type[_Fixtures]]]:
    """A loopback server for the fixtures' linked documents (one per module)."""
    if not SHARED_REF.is_dir():
        pytest.skip(f"{SHARED_REF} is not present")
    handler = type("Handler", (_Fixtures,), {"assets": SHARED_REF / VALIDATOR / "assets",
                                             "overrides": {}})
    with serving(http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)) as base:
        yield base, handler


def _http_fetch(base: str) -> Callable[[str], bytes | None]:
    """The fetching seam over the fixture server: example.org's URLs are its paths."""
    def fetch(url: str) -> bytes | None:
        host = next((prefix for prefix in FIXTURE_HOSTS if url.startswith(prefix)), None)
        if host is None:
            raise FetchError(f"{url} is not a fixture URL")
        try:
            with urllib.request.urlopen(f"{base}/{url[len(host):]}", timeout=5) as response:
                body: bytes = response.read()
                return body
        except urllib.error.HTTPError as exc:
            if exc.code in {404, 410}:
                return None
            raise FetchError(f"{url} answered HTTP {exc.code}") from None

    return fetch


def _fixture_names(ref: Path) -> list[str]:
    folder = ref / VALIDATOR
    return sorted(str(path.relative_to(folder)) for pattern in ("*.json", "*.jwt",
                                                                 "rdf-validation/*.json")
                  for path in folder.glob(pattern))


def test_every_fixture_has_an_expected_outcome(shared_ref: Path) -> None:
    """The table below covers each input fixture, so no fixture goes untested."""
    assert set(_fixture_names(shared_ref)) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_1edtech_fixture_gets_the_validators_outcome(
        name: str, shared_ref: Path, fixture_server: tuple[str, type[_Fixtures]]) -> None:
    """Valid fixtures verify, warning ones verify with a warning, invalid ones fail there."""
    base, handler = fixture_server
    data = (shared_ref / VALIDATOR / name).read_bytes()
    handler.overrides.clear()
    if name.endswith(".json"):
        own_id = json.loads(data).get("id")
        host = next((prefix for prefix in FIXTURE_HOSTS if str(own_id).startswith(prefix)), None)
        if host is not None:  # a hosted assertion is served at its id
            handler.overrides[f"/{own_id[len(host):]}"] = data
    report = verify_badge(data, fetch=_http_fetch(base), now=NOW, words=words)
    expected = EXPECTED[name]
    if expected == VALID:
        assert report.ok, [check.to_dict() for check in report.failed]
    elif expected == WARNING:
        assert report.ok, [check.to_dict() for check in report.failed]
        assert report.warnings
    else:
        assert not report.ok
        assert set(_failed(report)) == expected, _failed(report)


def test_a_fixture_not_served_at_its_id_is_gone(
        shared_ref: Path, fixture_server: tuple[str, type[_Fixtures]]) -> None:
    """A hosted assertion its issuer does not serve (404/410) fails the proof."""
    base, handler = fixture_server
    handler.overrides.clear()
    data = (shared_ref / VALIDATOR / "basic-assertion.json").read_bytes()
    report = verify_badge(data, fetch=_http_fetch(base), now=NOW, words=words)
    assert _failed(report)["proof"] == "gone"


def test_the_fixture_recipient_is_checked(shared_ref: Path,
                                          fixture_server: tuple[str, type[_Fixtures]]) -> None:
    """simple.jwt's hashed recipient is not just anyone."""
    base, _ = fixture_server
    data = (shared_ref / VALIDATOR / "simple.jwt").read_text("utf-8")
    report = verify_badge(data, fetch=_http_fetch(base), now=NOW, recipient="a@example.org",
                          words=words)
    assert _failed(report) == {"recipient": "recipient-mismatch"}


# --- badges credstack builds, against an in-memory web ----------------------------------------

BASE = "https://badges.example.ac.jp"
ISSUER = f"{BASE}/ob2/issuers/hokuto-tech"
KEY = f"{ISSUER}/keys/rsa-1"
REVOCATIONS = f"{ISSUER}/revocations"
BADGE = f"{BASE}/ob2/badges/1/v1"
HOSTED = f"{BASE}/ob2/assertions/0b4b7a52-6f0e-4a39-9a8c-2f3f4c8e8a01"
SIGNED_ID = "urn:uuid:0b4b7a52-6f0e-4a39-9a8c-2f3f4c8e8a01"
EMAIL = "hanako@example.ac.jp"


@cache
def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo
                                         ).decode("ascii")


def _assertion(assertion_id: str, verification: dict[str, Any], **changes: Any
               ) -> dict[str, Any]:
    document = ob2.build_assertion(assertion_id=assertion_id, badge=BADGE,
                                   recipient=ob2.identity_object(EMAIL, salt="pepper"),
                                   issued_on="2025-04-01T00:00:00Z", verification=verification)
    document.update(changes)
    return document


def _web(revoked: tuple[str, ...] = ()) -> dict[str, Any]:
    """The issuer's documents as its server would answer them, by URL."""
    programme = Programme.model_validate(demo_programme())
    issuer = ob2.build_issuer_profile(
        issuer_id=ISSUER, name=MultilingualText({"ja": "北都工科大学"}), url=BASE,
        email="badges@example.ac.jp", public_keys=[KEY], revocation_list=REVOCATIONS,
        starts_with=f"{BASE}/ob2/assertions/")
    return {
        ISSUER: issuer,
        KEY: ob2.build_cryptographic_key(key_id=KEY, owner=ISSUER, public_key_pem=_pem(_key())),
        REVOCATIONS: ob2.build_revocation_list(list_id=REVOCATIONS, issuer_id=ISSUER,
                                               revoked=[(item, None) for item in revoked]),
        BADGE: ob2.build_badge_class(programme=programme, badge_id=BADGE, issuer_id=ISSUER,
                                     image=f"{BASE}/badges/1/v1.svg",
                                     achievement_id=f"{BASE}/achievements/1/v1", version=1),
        HOSTED: _assertion(HOSTED, {"type": "HostedBadge"}),
    }


def _fetch(web: dict[str, Any]) -> Callable[[str], bytes | None]:
    def fetch(url: str) -> bytes | None:
        document = web.get(url)
        if document is None:
            return None
        if isinstance(document, Exception):
            raise document
        return json.dumps(document).encode("utf-8")

    return fetch


def _signed(**changes: Any) -> str:
    return ob2.sign_assertion(_assertion(SIGNED_ID, {"type": "SignedBadge", "creator": KEY},
                                         **changes), key=_key())


def _verify(badge: Any, web: dict[str, Any] | None = None, **options: Any
            ) -> VerificationReport:
    return verify_badge(badge, fetch=_fetch(_web() if web is None else web), now=NOW, words=words,
                        **options)


def test_a_hosted_badge_verifies_by_json_or_url() -> None:
    """Given as JSON or as its URL, the served assertion verifies, recipient and all."""
    for badge in (_web()[HOSTED], HOSTED, json.dumps(_web()[HOSTED]).encode()):
        report = _verify(badge, recipient=EMAIL)
        assert report.ok, [check.to_dict() for check in report.failed]
        assert [check.name for check in report.checks] == list(STEPS)


def test_a_signed_badge_verifies() -> None:
    """The JWS verifies with the key the issuer lists, which names the issuer as owner."""
    report = _verify(_signed(), recipient=EMAIL)
    assert report.ok, [check.to_dict() for check in report.failed]
    proof = report.check("proof")
    assert proof is not None and proof.details["key"] == KEY


def test_the_report_has_the_shape_of_an_ob3_report() -> None:
    """to_dict(): verified, checks, errors, warnings, meaning — as for OB 3.0."""
    result = _verify(_signed()).to_dict()
    assert set(result) == {"verified", "outcome", "authentic", "conformant", "strict", "checks",
                           "errors", "warnings", "meaning"}
    assert result["verified"] is True and result["errors"] == []
    assert result["meaning"]["achievement"]["id"] == f"{BASE}/achievements/1/v1"
    assert result["meaning"]["descriptor_source"] == "credstack-extension"


def test_a_recipient_who_is_someone_else_fails() -> None:
    """The salted hash names one learner."""
    assert _failed(_verify(_signed(), recipient="taro@example.ac.jp")) == {
        "recipient": "recipient-mismatch"}
    check = _verify(_signed()).check("recipient")
    assert check is not None and check.kind is CheckKind.INFO


def test_a_revoked_signed_badge_fails_on_the_revocation_list() -> None:
    """The id in the issuer's RevocationList revokes the signed badge."""
    assert _failed(_verify(_signed(), _web(revoked=(SIGNED_ID,)))) == {"status": "revoked"}


def test_a_revoked_hosted_badge_fails_by_its_flag() -> None:
    """The issuer serves {"id", "revoked": true}: revoked, whatever the copy given says."""
    web = _web()
    web[HOSTED] = {"@context": ob2.CONTEXT_URL, "type": "Assertion", "id": HOSTED,
                   "revoked": True, "revocationReason": "Awarded in error"}
    report = _verify(_assertion(HOSTED, {"type": "HostedBadge"}), web)
    assert _failed(report) == {"status": "revoked"}
    assert "Awarded in error" in report.failed[0].reason_en


def test_a_revocation_list_that_cannot_be_fetched_could_not_be_checked() -> None:
    """Revocation cannot be ruled out without the list, nor is anything proven: the status is
    undecided, the list named as what is missing."""
    web = _web()
    web[REVOCATIONS] = FetchError("timed out", url=REVOCATIONS)
    report = _verify(_signed(), web)
    assert _failed(report) == {} and report.decision is Decision.UNDECIDED
    [status] = report.undecided
    assert (status.name, status.code) == ("status", "status-unavailable")
    assert status.missing is not None and status.missing.url == REVOCATIONS


def test_a_tampered_signed_badge_fails() -> None:
    """A payload changed after signing does not verify."""
    header, _, signature = _signed().split(".")
    payload = _assertion(SIGNED_ID, {"type": "SignedBadge", "creator": KEY},
                         issuedOn="2020-01-01T00:00:00Z")
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    assert _failed(_verify(f"{header}.{forged}.{signature}"))["proof"] == "signature"


def test_alg_none_is_refused() -> None:
    """An unsecured JWS never verifies, whatever its payload."""
    _, payload, _ = _signed().split(".")
    header = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    assert _failed(_verify(f"{header}.{payload}."))["proof"] == "unsecured-jwt"


EC_KEY = f"{ISSUER}/keys/p256-2"


@cache
def _p256() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _es256_web() -> dict[str, Any]:
    """The issuer after rotating to a P-256 key: both keys listed, the new one ES256."""
    web = _web()
    web[ISSUER] = {**web[ISSUER], "publicKey": [KEY, EC_KEY]}
    web[EC_KEY] = ob2.build_cryptographic_key(key_id=EC_KEY, owner=ISSUER,
                                              public_key_pem=_pem(_p256()))
    return web


def _es256(**changes: Any) -> str:
    return ob2.sign_assertion(_assertion(SIGNED_ID, {"type": "SignedBadge", "creator": EC_KEY},
                                         **changes), key=_p256())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_an_es256_badge_verifies_with_a_warning() -> None:
    """ES256 with the P-256 key the issuer lists verifies; the report says RS256 is the
    interoperable choice."""
    report = _verify(_es256(), _es256_web(), recipient=EMAIL)
    assert report.ok, [check.to_dict() for check in report.failed]
    proof = report.check("proof")
    assert proof is not None and proof.details["alg"] == "ES256"
    assert proof.details["key"] == EC_KEY
    assert "not-rs256" in {notice.code for _, notice in report.warnings}
    assert _verify(_signed(), _es256_web()).ok  # the retired RSA key still verifies


def test_a_tampered_es256_badge_fails() -> None:
    """A payload changed after ES256 signing does not verify."""
    header, _, signature = _es256().split(".")
    payload = _assertion(SIGNED_ID, {"type": "SignedBadge", "creator": EC_KEY},
                         issuedOn="2020-01-01T00:00:00Z")
    forged = f"{header}.{_b64(json.dumps(payload).encode())}.{signature}"
    assert _failed(_verify(forged, _es256_web()))["proof"] == "signature"


@pytest.mark.parametrize(("alg", "creator"), [("RS256", EC_KEY), ("ES256", KEY)])
def test_an_alg_that_does_not_fit_the_key_is_refused(alg: str, creator: str) -> None:
    """RS256 needs the RSA key, ES256 the P-256 key: a relabelled header is a key mismatch."""
    token = _es256() if alg == "RS256" else _signed()
    _, _, signature = token.split(".")
    payload = _b64(json.dumps(_assertion(SIGNED_ID, {"type": "SignedBadge",
                                                     "creator": creator})).encode())
    forged = f"{_b64(json.dumps({'alg': alg}).encode())}.{payload}.{signature}"
    report = _verify(forged, _es256_web())
    assert _failed(report)["proof"] == "key-mismatch"
    assert alg in report.failed[0].reason_en


def test_an_hmac_token_keyed_with_the_public_key_is_refused() -> None:
    """HS256 "signed" with the issuer's public PEM (the classic confusion) is never checked."""
    payload = _b64(json.dumps(_assertion(SIGNED_ID, {"type": "SignedBadge",
                                                     "creator": EC_KEY})).encode())
    header = _b64(b'{"alg":"HS256"}')
    mac = hmac.new(_pem(_p256()).encode(), f"{header}.{payload}".encode(), "sha256").digest()
    report = _verify(f"{header}.{payload}.{_b64(mac)}", _es256_web())
    assert _failed(report)["proof"] == "unsupported-algorithm"


def test_alg_none_over_an_es256_payload_is_refused() -> None:
    """Stripping an ES256 badge's signature leaves an unsecured JWS: refused."""
    _, payload, _ = _es256().split(".")
    header = _b64(b'{"alg":"none"}')
    report = _verify(f"{header}.{payload}.", _es256_web())
    assert _failed(report)["proof"] == "unsecured-jwt"


def test_a_key_the_issuer_does_not_list_is_refused() -> None:
    """verification.creator must be one of the issuer's publicKey entries."""
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    web = _web()
    web["https://evil.example/key"] = ob2.build_cryptographic_key(
        key_id="https://evil.example/key", owner=ISSUER, public_key_pem=_pem(stranger))
    token = ob2.sign_assertion(_assertion(SIGNED_ID, {
        "type": "SignedBadge", "creator": "https://evil.example/key"}), key=stranger)
    assert _failed(_verify(token, web))["proof"] == "unauthorized-key"


def test_a_key_owned_by_someone_else_is_refused() -> None:
    """The key document must name the issuer as its owner (two-way link)."""
    web = _web()
    web[KEY] = {**web[KEY], "owner": "https://other.example/issuer"}
    assert _failed(_verify(_signed(), web))["proof"] == "key-owner"


def test_an_embedded_issuer_cannot_bring_its_own_key() -> None:
    """An embedded profile naming the issuer is replaced by the one fetched from its id."""
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    web = _web()
    badge = copy.deepcopy(web[BADGE])
    badge["issuer"] = {**web[ISSUER], "publicKey": {"id": "https://evil.example/k",
                                                    "publicKeyPem": _pem(stranger)}}
    token = ob2.sign_assertion(_assertion(SIGNED_ID, {"type": "SignedBadge"}, badge=badge),
                               key=stranger)
    assert _failed(_verify(token, web))["proof"] == "signature"


def test_a_badge_hosted_outside_the_issuers_scope_fails() -> None:
    """An assertion served by another host does not speak for the issuer."""
    elsewhere = "https://evil.example/ob2/assertions/1"
    web = _web()
    web[elsewhere] = _assertion(elsewhere, {"type": "HostedBadge"})
    assert _failed(_verify(elsewhere, web)) == {"issuer": "verification-policy"}


def test_a_document_claiming_another_hosts_id_is_refused() -> None:
    """A BadgeClass fetched from one host that calls itself another host's is refused."""
    web = _web()
    web["https://evil.example/badge"] = {**web[BADGE], "id": BADGE}
    web[HOSTED] = _assertion(HOSTED, {"type": "HostedBadge"}, badge="https://evil.example/badge")
    report = _verify(HOSTED, web)
    assert "data-model" in _failed(report)
    assert "another host" in json.dumps(report.to_dict())


def test_a_signed_assertion_without_its_jws_cannot_be_checked() -> None:
    """SignedBadge JSON alone has no signature to verify."""
    payload = _assertion(SIGNED_ID, {"type": "SignedBadge", "creator": KEY})
    assert _failed(_verify(payload))["proof"] == "missing-signature"


def test_the_meaning_is_the_ob3_equivalent_without_a_proof() -> None:
    """The meaning check shows the unsigned OB 3.0 credential and the programme."""
    report = _verify(_signed())
    meaning = report.check("meaning")
    assert meaning is not None and meaning.kind is CheckKind.INFO
    converted = meaning.details["openBadgeCredential"]
    assert "proof" not in converted
    assert converted["evidence"][-1]["id"].startswith("data:application/jose,")
    assert report.meaning is not None and report.meaning.is_micro_credential is True
    assert report.meaning.descriptors is not None
    assert Programme.model_validate(dict(report.meaning.descriptors)) == Programme.model_validate(
        demo_programme())


def test_a_badge_class_is_validated_not_verified() -> None:
    """A BadgeClass has no award: its data is checked, the award checks say so."""
    report = _verify(_web()[BADGE])
    assert report.ok
    proof = report.check("proof")
    assert proof is not None and proof.kind is CheckKind.INFO


@pytest.mark.parametrize(("data", "code"), [
    (b"", "not-a-badge"), (b"[1, 2]", "not-a-badge"), (b'{"a": 1, "a": 2}', "duplicate-key"),
    (b"\xff", "not-json"), (b"{" * 100 + b"}" * 100, "not-json"), (42, "not-a-badge"),
    (b"x" * (1024 * 1024 + 1), "too-large"), ("https://nowhere.example/a", "not-found"),
])
def test_what_cannot_be_read_fails_the_parse(data: Any, code: str) -> None:
    """Unreadable input is a failed parse check, never an exception."""
    report = _verify(data)
    assert _failed(report) == {"parse": code}
    assert all(check.ok is None for check in report.checks[1:])


def test_the_clock_must_be_aware_and_checks_given() -> None:
    """The caller's mistakes raise: a naive now, no checks."""
    with pytest.raises(ValueError, match="aware"):
        verify_badge(_signed(), fetch=_fetch(_web()), now=dt.datetime(2025, 1, 1), words=words)
    with pytest.raises(ValueError, match="check"):
        verify_badge(_signed(), fetch=_fetch(_web()), now=NOW, checks=(), words=words)
    assert len(DEFAULT_CHECKS) == len(STEPS)


def _reasons(report: VerificationReport, *names: str) -> list[tuple[str, str]]:
    return [(check.reason_en, check.reason_ja) for check in report.checks if check.name in names]


def test_a_well_formed_badge_and_what_does_not_apply_read_as_they_did() -> None:
    """The data-model step's pass and a check that does not apply to a BadgeClass, in English
    and Japanese as before their words moved into the catalogues (issue 53)."""
    web = _web()
    revoked = _assertion(HOSTED, {"type": "HostedBadge"}, revoked=True)
    assert _reasons(_verify(web[HOSTED]), "data-model") == [(
        "a well-formed Open Badges 2.0 assertion, with its BadgeClass and issuer profile",
        "Open Badges 2.0 の規則に適合しています（Assertion）")]
    assert _reasons(_verify(revoked, {**web, HOSTED: revoked}), "data-model") == [(
        "a well-formed Open Badges 2.0 revoked assertion (only its id and revoked flag are "
        "required)", "Open Badges 2.0 の規則に適合しています（Assertion）")]
    badge_class = _verify(web[BADGE])
    assert _reasons(badge_class, "data-model") == [(
        "a well-formed Open Badges 2.0 BadgeClass, with its issuer profile",
        "Open Badges 2.0 の規則に適合しています（BadgeClass）")]
    assert set(_reasons(badge_class, "recipient")) == {(
        "not applicable: a BadgeClass, not an assertion (nothing is awarded, so only its data "
        "is validated)",
        "対象外：アサーションではなく BadgeClass です（授与を表さないため、データの検証のみ"
        "行います）")}


def test_a_document_out_of_reach_reads_as_it_did() -> None:
    """A refusal of a fetched document is said as codes and passed on as a parameter (issue 53):
    English and Japanese as before the move, and worded in the reader's language too."""
    web = _web()
    del web[REVOCATIONS]
    status = _verify(_signed(), web).check("status")
    assert status is not None and status.ok is None
    assert (status.reason_en, status.reason_ja) == (
        f"the revocation list cannot be read, so revocation cannot be ruled out: the revocation "
        f"list {REVOCATIONS} is not served (HTTP 404 or 410)",
        f"失効リストを読み取れないため、失効していないことを確認できません：失効リスト "
        f"{REVOCATIONS} は公開されていません（HTTP 404 または 410）")
    assert status.said is not None
    assert words(status.said, "ko") == (
        f"취소 목록을 읽을 수 없으므로 취소되지 않았음을 확인할 수 없습니다: 취소 목록 "
        f"{REVOCATIONS}이(가) 게시되어 있지 않습니다(HTTP 404 또는 410)")
    web = _web()
    web[ISSUER] = OSError("timed out")
    issuer = _verify(web[HOSTED], web).check("issuer")
    assert issuer is not None and (issuer.reason_en, issuer.reason_ja) == (
        f"the issuer cannot be read: the issuer profile {ISSUER} could not be fetched: timed out",
        f"発行者を読み取れません：発行者プロファイル {ISSUER} を取得できません：timed out")
