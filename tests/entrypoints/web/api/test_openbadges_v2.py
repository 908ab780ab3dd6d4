"""Open Badges 2.0 over a real server: one issuance record, hosted and signed, verified.

A real server on SQLite and PostgreSQL; an organisation with an Ed25519 key and a published
programme, made through the API; one learner's OB 3.0 credential issued by the cohort
issuance; its OB 2.0 assertions read from ``/ob2/…`` and verified — over HTTP (loopback
allowed, as in every fetching test), through ``POST /api/ob2/verify`` (the server reads its
own documents from its store) and with the CLI.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import http.server
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from typer.testing import CliRunner

from credstack.adapters.db.engine import make_engine, session_factory
from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.adapters.resolvers.fetch import LOOPBACK_ENV
from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.credentials.cohorts import Cohort, CohortMember
from credstack.core.descriptors import parse_programme
from credstack.core.descriptors.models import Award, Identifier, IdentifierType, LearnerIdentity
from credstack.core.images.baked import Standard
from credstack.core.types import MultilingualText
from credstack.core.verification import Decision, VerificationReport
from credstack.entrypoints.cli.main import app as cli
from credstack.services.badges import service as baked
from credstack.services.issuance import service as issuance
from credstack.services.openbadges_v2 import verification as ob2_verification
from credstack.settings import Settings
from tests.conftest import (
    LiveServer,
    at_own_url,
    operator_token,
    serve,
    shared_store,
    store_environment,
)
from tests.helpers import organisation, programme
from tests.loopback import QuietHandler, serving

SECRET = new_master_key_text()
SLUG = "hokuto-tech"
EMAIL = "Hanako.Yamada@example.ac.jp"
CONTACT = "badges@example.ac.jp"


@dataclasses.dataclass
class Issued:
    server: LiveServer
    http: httpx.Client
    credential_id: str
    programme_id: int

    @property
    def uuid(self) -> str:
        return self.credential_id.removeprefix("urn:uuid:")

    @property
    def hosted_url(self) -> str:
        return f"{self.server.settings.public_url}/ob2/assertions/{self.uuid}"


def _serve(settings: Settings, algorithm: str) -> Iterator[LiveServer]:
    configured, port = at_own_url(settings, secret_key=SECRET, ob2_contact_email=CONTACT,
                                  ob2_algorithm=algorithm)
    yield from serve(configured, port=port)


@pytest.fixture(scope="module")
def live(module_settings: Settings, request: pytest.FixtureRequest,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server per database for the module's tests, each of which issues a credential of
    its own (:func:`issued`); its new OB 2.0 keys are RS256 unless a test asks for ES256
    (indirect), which has a store of its own (an organisation's first OB 2.0 key is made with
    the algorithm of the server that signs first). The test that rotates the organisation's
    keys has a server of its own (``own_live``)."""
    algorithm = getattr(request, "param", "RS256")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(LOOPBACK_ENV, "1")
        if algorithm == "RS256":
            yield from _serve(module_settings, algorithm)
            return
        for settings in shared_store(request, tmp_path_factory, like=module_settings):
            yield from _serve(settings, algorithm)


@pytest.fixture
def own_live(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    """A server of the test's own, its new OB 2.0 keys RS256."""
    monkeypatch.setenv(LOOPBACK_ENV, "1")
    yield from _serve(settings, "RS256")


@dataclasses.dataclass(frozen=True)
class Registered:
    """What a server's credentials are issued for: the programme, and the operator's token."""

    programme_id: int
    token: str


def _register(live: LiveServer) -> Registered:
    """The organisation with an Ed25519 key and a published programme, made through the API."""
    token = operator_token(live)
    with httpx.Client(base_url=live.url, timeout=30,
                      headers={"Authorization": f"Bearer {token}"}) as client:
        assert client.post("/api/organisations", json=organisation()).status_code == 201
        assert client.post(f"/api/organisations/{SLUG}/keys",
                           json={"type": "Ed25519"}).status_code == 201
        created = client.post("/api/programmes", json={"descriptors": programme()})
        assert created.status_code == 201, created.text
        return Registered(created.json()["id"], token)


@pytest.fixture(scope="module")
def registered(live: LiveServer) -> Registered:
    return _register(live)


def _issue(live: LiveServer, registered: Registered) -> Iterator[Issued]:
    """One learner's credential, issued by the cohort issuance for the published programme
    in a batch of its own."""
    with httpx.Client(base_url=live.url, timeout=30,
                      headers={"Authorization": f"Bearer {registered.token}"}) as client:
        learner = LearnerIdentity(name=MultilingualText({"ja": "山田花子"}), identifiers=(
            Identifier(type=IdentifierType.EMAIL, value=EMAIL),))
        cohort = Cohort((CohortMember(row=1, key=EMAIL.lower(), award=Award(learner=learner)),))
        engine = make_engine(live.settings)
        try:
            sessions = session_factory(engine)
            result = issuance.issue_cohort(
                sessions, secret=MasterKey.from_text(SECRET, source="test"),
                public_url=live.settings.public_url, programme_id=registered.programme_id,
                cohort=cohort, batch=f"2026-spring-{uuid.uuid4().hex[:12]}",
                now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1), workers=1)
            with sessions() as session:
                document = next(issuance.cohort_documents(session, result.keys))
        finally:
            engine.dispose()
        yield Issued(live, client, json.loads(document)["id"], registered.programme_id)


@pytest.fixture
def issued(live: LiveServer, registered: Registered) -> Iterator[Issued]:
    """A credential of the test's own on the module's server."""
    yield from _issue(live, registered)


@pytest.fixture
def own_issued(own_live: LiveServer) -> Iterator[Issued]:
    """A credential on the test's own server."""
    yield from _issue(own_live, _register(own_live))


def _hosted(issued: Issued) -> dict[str, Any]:
    response = issued.http.get(f"/ob2/assertions/{issued.uuid}")
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


def _signed(issued: Issued) -> str:
    response = issued.http.get(f"/ob2/assertions/{issued.uuid}.jws")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


def _failed(report: VerificationReport) -> dict[str, str | None]:
    return {check.name: check.code for check in report.failed}


def _revoke(issued: Issued) -> None:
    response = issued.http.post("/credentials/status", json={
        "credentialId": issued.credential_id,
        "credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                             "status": True}})
    assert response.status_code == 200, response.text


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def test_the_hosted_documents_are_served_as_json_ld(issued: Issued) -> None:
    """Issuer, badge and assertion are JSON-LD at stable URLs, JSON when only that is asked."""
    public = issued.server.settings.public_url
    assertion = _hosted(issued)
    assert assertion["id"] == issued.hosted_url
    assert assertion["verification"] == {"type": "HostedBadge"}
    assert assertion["recipient"]["type"] == "email" and assertion["recipient"]["hashed"]
    assert assertion["badge"] == f"{public}/ob2/badges/{issued.programme_id}/v1"
    badge = issued.http.get(f"/ob2/badges/{issued.programme_id}/v1")
    assert badge.headers["content-type"].startswith("application/ld+json")
    assert badge.json()["issuer"] == f"{public}/ob2/issuers/{SLUG}"
    assert badge.json()["image"] == f"{public}/badges/{issued.programme_id}/v1.svg"
    profile = issued.http.get(f"/ob2/issuers/{SLUG}", headers={"Accept": "application/json"})
    assert profile.headers["content-type"].startswith("application/json")
    assert profile.json()["email"] == CONTACT
    assert profile.json()["revocationList"] == f"{public}/ob2/issuers/{SLUG}/revocations"


def test_hosted_and_signed_assertions_of_one_credential_verify(issued: Issued) -> None:
    """Both OB 2.0 forms of the issued credential verify, over HTTP and on the server."""
    token = _signed(issued)
    jws = ob2.read_jws(token)
    assert jws.header["alg"] == "RS256"
    assert jws.payload["id"] == issued.credential_id
    creator = jws.payload["verification"]["creator"]
    assert issued.http.get(creator.removeprefix(issued.server.url)).json()["owner"].endswith(
        f"/ob2/issuers/{SLUG}")
    for badge in (issued.hosted_url, _hosted(issued), token):
        report = ob2_verification.verify_ob2(badge, recipient=EMAIL)
        assert report.ok, [(c.reason_en, c.details) for c in report.failed]
        response = issued.http.post("/api/ob2/verify", json={"assertion": badge,
                                                             "recipient": EMAIL})
        assert response.status_code == 200, response.json()["errors"]
        assert response.json()["verified"] is True


def test_every_descriptor_survives_in_the_badge_class(issued: Issued) -> None:
    """The meaning of the OB 2.0 badge is the programme itself, read from the extension."""
    report = ob2_verification.verify_ob2(_signed(issued))
    assert report.meaning is not None and report.meaning.descriptors is not None
    assert report.meaning.descriptor_source is not None
    assert report.meaning.descriptor_source.value == "credstack-extension"
    assert parse_programme(dict(report.meaning.descriptors)) == parse_programme(programme())
    assert report.meaning.is_micro_credential is True
    converted = report.check("meaning")
    assert converted is not None and "proof" not in converted.details["openBadgeCredential"]


def test_the_registry_knows_the_badge_through_the_server(issued: Issued) -> None:
    """On the server, the badge's OB 3.0 achievement is found in the registry."""
    body = issued.http.post("/api/ob2/verify", json=_hosted(issued)).json()
    assert body["meaning"]["registry"]["programme_id"] == issued.programme_id


def test_a_recipient_mismatch_fails(issued: Issued) -> None:
    """The hashed recipient matches the learner's e-mail, not anyone else's."""
    report = ob2_verification.verify_ob2(_signed(issued), recipient="someone.else@example.ac.jp")
    assert _failed(report) == {"recipient": "recipient-mismatch"}
    response = issued.http.post("/api/ob2/verify?recipient=someone.else%40example.ac.jp",
                                content=_signed(issued), headers={"Content-Type": "text/plain"})
    assert response.status_code == 400 and response.json()["verified"] is False


def test_a_revoked_credential_fails_in_both_forms(issued: Issued) -> None:
    """Revoking the credential revokes its OB 2.0 assertions: 410 hosted, listed signed."""
    token, hosted = _signed(issued), _hosted(issued)
    _revoke(issued)
    gone = issued.http.get(f"/ob2/assertions/{issued.uuid}")
    assert gone.status_code == 410 and gone.json()["revoked"] is True
    listed = issued.http.get(f"/ob2/issuers/{SLUG}/revocations").json()
    assert issued.credential_id in listed["revokedAssertions"]
    assert _failed(ob2_verification.verify_ob2(token)) == {"status": "revoked"}
    assert _failed(ob2_verification.verify_ob2(hosted))["proof"] == "gone"
    for badge in (token, hosted, issued.hosted_url):
        body = issued.http.post("/api/ob2/verify", json={"assertion": badge}).json()
        assert body["verified"] is False
        assert [check["code"] for check in body["checks"] if check["ok"] is False] == [
            "revoked"]


def test_a_tampered_signed_badge_fails(issued: Issued) -> None:
    """Changing the payload of the signed badge breaks its signature."""
    header, _, signature = _signed(issued).split(".")
    payload = ob2.read_jws(_signed(issued)).payload
    payload["issuedOn"] = "2020-01-01T00:00:00Z"
    forged = ".".join([header, _b64(json.dumps(payload).encode()), signature])
    assert _failed(ob2_verification.verify_ob2(forged))["proof"] == "signature"


def test_a_tampered_hosted_copy_is_replaced_by_the_served_one(issued: Issued) -> None:
    """A hosted assertion is only trusted as far as its id: the served copy is verified."""
    hosted = _hosted(issued)
    hosted["expires"] = "2000-01-01T00:00:00Z"
    report = ob2_verification.verify_ob2(hosted)
    assert report.ok
    assert "hosted-copy-differs" in {notice.code for _, notice in report.warnings}


def test_an_unsecured_jws_is_refused(issued: Issued) -> None:
    """alg: none carries no signature and is never accepted."""
    _, payload, _ = _signed(issued).split(".")
    unsecured = ".".join([_b64(b'{"alg":"none"}'), payload, ""])
    assert _failed(ob2_verification.verify_ob2(unsecured))["proof"] == "unsecured-jwt"


def test_a_badge_signed_with_another_key_fails(issued: Issued) -> None:
    """Another RSA key, even under the issuer's key URL, does not verify."""
    payload = ob2.read_jws(_signed(issued)).payload
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = ob2.sign_assertion(payload, key=stranger)
    assert _failed(ob2_verification.verify_ob2(forged))["proof"] == "signature"


class _Redirecting(QuietHandler):
    def do_GET(self) -> None:
        self.send_response(302)
        self.send_header("Location", "http://10.20.30.40/assertion.json")
        self.end_headers()


@pytest.fixture
def redirector(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv(LOOPBACK_ENV, "1")
    with serving(http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Redirecting)) as base:
        yield base


def test_a_redirect_to_a_private_address_is_refused(redirector: str) -> None:
    """A redirect into the network is refused before anything is sent there, naming the
    hop; private addresses are not fetched."""
    report = ob2_verification.verify_ob2(f"{redirector}/assertion.json")
    assert _undecided(report) == {"parse": ("redirect-refused", "not-allowed")}
    reason = report.undecided[0].reason_en
    assert "(hop 1) to http://10.20.30.40/assertion.json" in reason and "private" in reason
    direct = ob2_verification.verify_ob2("http://10.20.30.40/assertion.json")
    assert _undecided(direct) == {"parse": ("unreachable", "not-allowed")}
    assert "private" in direct.undecided[0].reason_en


def _undecided(report: VerificationReport) -> dict[str, tuple[str | None, str]]:
    """The checks that could not be checked (nothing is fetched from a private address, so
    nothing is proven), and why not."""
    assert report.decision is Decision.UNDECIDED and not report.failed
    return {check.name: (check.code, check.missing.why) for check in report.undecided
            if check.missing is not None}


def _cli_env(issued: Issued, **extra: str) -> dict[str, str]:
    live = issued.server.settings
    return store_environment(live, secret=SECRET, public_url=live.public_url,
                             ob2_contact_email=CONTACT) | {LOOPBACK_ENV: "1", **extra}


def test_the_cli_prints_and_verifies_both_forms(issued: Issued) -> None:
    """credstack ob2 assertion [--signed] derives them from the store; ob2 verify checks them."""
    env = _cli_env(issued)
    runner = CliRunner()
    hosted = runner.invoke(cli, ["ob2", "assertion", issued.credential_id], env=env)
    assert hosted.exit_code == 0, hosted.output
    assert json.loads(hosted.stdout)["id"] == issued.hosted_url
    signed = runner.invoke(cli, ["ob2", "assertion", issued.uuid, "--signed"], env=env)
    assert signed.exit_code == 0, signed.output
    assert signed.stdout.strip() == _signed(issued)
    checked = runner.invoke(cli, ["ob2", "verify", issued.hosted_url, "--json",
                                  "--recipient", EMAIL], env=env)
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["verified"] is True
    wrong = runner.invoke(cli, ["ob2", "verify", "-", "--recipient", "x@example.org"],
                          input=signed.stdout, env=env)
    assert wrong.exit_code == 1
    missing = runner.invoke(cli, ["ob2", "assertion", "urn:uuid:" + "0" * 8 + "-0000-4000-8000-"
                                  + "0" * 12], env=env)
    assert missing.exit_code == 1


# --- ES256 keys -------------------------------------------------------------------------------


@pytest.mark.parametrize("live", ["ES256"], indirect=True)
def test_an_es256_deployment_signs_with_p256_and_its_badges_verify(issued: Issued) -> None:
    """CREDSTACK_OB2_ALGORITHM=ES256: the first key is P-256 (SPKI PEM), badges are ES256
    and verify over HTTP and on the server."""
    token = _signed(issued)
    jws = ob2.read_jws(token)
    assert jws.header["alg"] == "ES256" and len(jws.signature) == 64
    creator = jws.payload["verification"]["creator"]
    assert creator.endswith(f"/ob2/issuers/{SLUG}/keys/p256-1")
    document = issued.http.get(creator.removeprefix(issued.server.url)).json()
    assert document["type"] == "CryptographicKey"
    key = serialization.load_pem_public_key(document["publicKeyPem"].encode())
    assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"
    report = ob2_verification.verify_ob2(token, recipient=EMAIL)
    assert report.ok, [(c.reason_en, c.details) for c in report.failed]
    body = issued.http.post("/api/ob2/verify", json={"assertion": token,
                                                     "recipient": EMAIL}).json()
    assert body["verified"] is True
    assert [c["details"]["alg"] for c in body["checks"] if c["check"] == "proof"] == ["ES256"]


@pytest.mark.parametrize("live", ["ES256"], indirect=True)
def test_an_es256_badge_baked_and_extracted_verifies_and_a_tampered_one_fails(
        issued: Issued) -> None:
    """Bake → extract → verify for an ES256 signed badge (SVG and PNG); a changed payload
    in the image fails."""
    token = _signed(issued)
    svg = issued.http.get(f"/badges/{issued.programme_id}/v1.svg")
    png = issued.http.get(f"/badges/{issued.programme_id}/v1.png")
    assert svg.status_code == 200 and png.status_code == 200
    for image in (svg.content, png.content):
        extracted = baked.extract_credential(baked.bake(image, token, standard=Standard.OB2))
        assert extracted.text == token
        report = ob2_verification.verify_ob2(extracted.text, recipient=EMAIL)
        assert report.ok, [(c.reason_en, c.details) for c in report.failed]
    header, _, signature = token.split(".")
    payload = ob2.read_jws(token).payload | {"issuedOn": "2020-01-01T00:00:00Z"}
    forged = ".".join([header, _b64(json.dumps(payload).encode()), signature])
    extracted = baked.extract_credential(baked.bake(svg.content, forged,
                                                    standard=Standard.OB2))
    assert _failed(ob2_verification.verify_ob2(extracted.text))["proof"] == "signature"


def test_rotating_to_es256_signs_new_badges_and_old_ones_keep_verifying(
        own_issued: Issued) -> None:
    """credstack issuer keys ob2-rotate --alg ES256: the next badge is ES256 with the new key;
    the RS256 badge signed before verifies with the retired key, still in the profile."""
    before = _signed(own_issued)
    assert ob2.read_jws(before).header["alg"] == "RS256"
    runner = CliRunner()
    wrong = runner.invoke(cli, ["issuer", "keys", "ob2-rotate", "--organisation", SLUG,
                                "--alg", "HS256"], env=_cli_env(own_issued))
    assert wrong.exit_code == 1 and "RS256 or ES256" in wrong.output
    rotated = runner.invoke(cli, ["issuer", "keys", "ob2-rotate", "--organisation", SLUG,
                                  "--alg", "es256"], env=_cli_env(own_issued))
    assert rotated.exit_code == 0, rotated.output
    assert f"/ob2/issuers/{SLUG}/keys/p256-2" in rotated.stdout
    after = _signed(own_issued)
    jws = ob2.read_jws(after)
    assert jws.header["alg"] == "ES256"
    assert jws.payload["verification"]["creator"].endswith("/keys/p256-2")
    profile = own_issued.http.get(f"/ob2/issuers/{SLUG}").json()
    assert [key.rsplit("/", 1)[1] for key in profile["publicKey"]] == ["rsa-1", "p256-2"]
    for token in (before, after):
        report = ob2_verification.verify_ob2(token, recipient=EMAIL)
        assert report.ok, [(c.reason_en, c.details) for c in report.failed]
    # The setting names the algorithm when --alg is not given.
    again = runner.invoke(cli, ["issuer", "keys", "ob2-rotate", "--organisation", SLUG],
                          env=_cli_env(own_issued, CREDSTACK_OB2_ALGORITHM="RS256"))
    assert again.exit_code == 0, again.output
    assert ob2.read_jws(_signed(own_issued)).header["alg"] == "RS256"
    assert ob2_verification.verify_ob2(after).ok
