"""CLR 2.0: bundling one learner's credentials into a signed ClrCredential and verifying it."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from credstack.adapters.db.engine import make_engine, migrate, session_factory
from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.db.repositories.organisations import create_organisation
from credstack.adapters.db.repositories.programmes import create_programme
from credstack.adapters.keystore import MasterKey, new_master_key_text
from credstack.core.credentials import clr_v2
from credstack.core.credentials.cohorts import read_cohort
from credstack.core.crypto import KeyType
from credstack.core.descriptors import parse_organisation, parse_programme
from credstack.core.status.changes import StatusChange
from credstack.core.verification import VerificationKey, VerificationReport
from credstack.entrypoints.cli.main import app
from credstack.errors import InputError, MalformedCredentialError
from credstack.services.clr import service as clr
from credstack.services.clr import verification as clr_verification
from credstack.services.issuance import service as issuance
from credstack.services.issuance import status_lists
from credstack.services.verification import service as verifier
from credstack.settings import Settings
from tests.conftest import free_port
from tests.core.proofs.vectors import ONE_EDTECH_RDFC_VECTORS, one_edtech_key, read_json
from tests.helpers import organisation, programme

SECRET = new_master_key_text()
SLUG = "hokuto-tech"
ALICE = "alice@example.jp"
BOB = "bob@example.jp"
#: The credentials :func:`prepare` issues: name → (learner, securing).
ISSUED = {"alice-rdfc": (ALICE, "eddsa-rdfc-2022"), "alice-jwt": (ALICE, "vc-jwt"),
          "bob-rdfc": (BOB, "eddsa-rdfc-2022")}


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def secret() -> MasterKey:
    return MasterKey.from_text(SECRET, source="test")


def prepare(settings: Settings) -> dict[str, str]:
    """Organisation, issuer key, programme 1; two credentials of Alice's and one of Bob's."""
    engine = make_engine(settings)
    issued_at = now() - dt.timedelta(minutes=1)
    try:
        migrate(engine)
        sessions = session_factory(engine)
        with sessions() as session, session.begin():
            create_organisation(session, organisation=parse_organisation(organisation()),
                                now=issued_at)
            key_store.create_key(session, organisation=SLUG, key_type=KeyType.ED25519,
                                 now=issued_at, secret=secret())
            create_programme(session, programme=parse_programme(programme()), publish=True,
                             now=issued_at)
        issued: dict[str, str] = {}
        for name, (email, securing) in ISSUED.items():
            cohort = read_cohort(f"email,name.en\n{email},{email.split('@')[0]}\n")
            issuance.issue_cohort(sessions, secret=secret(), public_url=settings.public_url,
                                  programme_id=1, cohort=cohort, batch=name, now=issued_at,
                                  securing=securing, workers=1)
            with sessions() as session:
                issued[name] = credential_store.list_credentials(session, batch=name)[0] \
                    .credential_id
        for purpose in ("revocation", "suspension"):
            status_lists.published_status_list(sessions, organisation=SLUG, number=1,
                                           purpose=purpose, secret=secret(),
                                           public_url=settings.public_url, now=issued_at)
    finally:
        engine.dispose()
    return issued


@dataclasses.dataclass
class Clr:
    settings: Settings
    sessions: sessionmaker[Session]
    sources: verifier.VerificationSources
    credentials: dict[str, str]

    def document(self, name: str) -> str:
        with self.sessions() as session:
            return credential_store.get_credential(
                session, credential_id=self.credentials[name]).document


@pytest.fixture
def env(sqlite_settings: Settings) -> Iterator[Clr]:
    configured = dataclasses.replace(sqlite_settings, secret_key=SECRET,
                                     public_url=f"http://localhost:{free_port()}")
    credentials = prepare(configured)
    engine = make_engine(configured)
    sessions = session_factory(engine)
    try:
        yield Clr(configured, sessions,
                  verifier.VerificationSources.from_settings(configured, sessions), credentials)
    finally:
        engine.dispose()


def bundle(env: Clr, securing: str, names: tuple[str, ...] = ("alice-rdfc", "alice-jwt"),
           **extra: Any) -> str:
    return clr.issue_clr(env.sessions, organisation=SLUG,
                         credential_ids=[env.credentials[name] for name in names],
                         secret=secret(), public_url=env.settings.public_url,
                         securing=securing, now=now(), **extra)


def sign(env: Clr, document: dict[str, Any], securing: str = "eddsa-rdfc-2022") -> str:
    """``document`` signed as the organisation, bypassing issue_clr's own checks."""
    with env.sessions() as session:
        signer = issuance.signer_for(session, organisation=SLUG, secret=secret(),
                                     public_url=env.settings.public_url)
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    return issuance.secure_document(unsigned, signer=signer, securing=securing, now=now())


def verify(env: Clr, data: Any) -> VerificationReport:
    return clr_verification.verify_clr(data, sources=env.sources,
                                       now=now() + dt.timedelta(seconds=1))


def ok(report: VerificationReport, name: str) -> bool | None:
    check = report.check(name)
    assert check is not None, name
    return check.ok


def payload(text: str, securing: str) -> dict[str, Any]:
    return json.loads(text) if securing != "vc-jwt" else clr_v2.jwt_payload(text)


def achievement_of(env: Clr, name: str) -> str:
    document = env.document(name)
    credential = (json.loads(document) if document.startswith("{")
                  else clr_v2.jwt_payload(document))
    achievement_id: str = credential["credentialSubject"]["achievement"]["id"]
    return achievement_id


# --- issue and verify -----------------------------------------------------------------------

@pytest.mark.parametrize("securing", clr.CLR_SECURINGS)
def test_a_clr_of_one_learners_credentials_verifies(env: Clr, securing: str) -> None:
    """Each securing, eddsa-rdfc-2022 included: the pipeline's checks, then the CLR's."""
    text = bundle(env, securing)
    report = verify(env, text)
    assert report.ok, report.to_dict()
    names = [check.name for check in report.checks]
    for name in ("data-model", "contexts", "proof", "issuer", "validity", "status",
                 "clr-structure", "clr-learner", "credential[0]", "credential[1]"):
        assert name in names
    assert names[-2:] == ["credential[0]", "credential[1]"]
    document = payload(text, securing)
    assert document["type"] == ["VerifiableCredential", "ClrCredential"]
    assert document["@context"][:2] == ["https://www.w3.org/ns/credentials/v2",
                                        clr_v2.CLR_CONTEXT_URL]
    subject = document["credentialSubject"]
    assert subject["type"] == ["ClrSubject"]
    identities = subject["identifier"]
    assert identities and all(i["hashed"] is True and i["identityType"] == "emailAddress"
                              for i in identities)
    assert ALICE not in json.dumps(document)
    entries = subject["verifiableCredential"]
    assert "proof" in entries[0]
    assert entries[1]["type"] == "EnvelopedVerifiableCredential"
    assert entries[1]["id"].startswith("data:application/vc+jwt,ey")
    assert {a["id"] for a in subject["achievement"]} == {achievement_of(env, "alice-rdfc")}
    if securing != "vc-jwt":
        assert document["proof"]["cryptosuite"] == securing
    details = report.check("credential[0]").details  # type: ignore[union-attr]
    assert details["report"]["verified"] is True


def test_rdfc_is_the_default_securing(env: Clr) -> None:
    """The suite 1EdTech certifies, now that the CLR 2.0.1 context is bundled."""
    document = json.loads(clr.issue_clr(
        env.sessions, organisation=SLUG, credential_ids=[env.credentials["alice-rdfc"]],
        secret=secret(), public_url=env.settings.public_url, now=now()))
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


def test_an_unknown_securing_is_refused(env: Clr) -> None:
    with pytest.raises(InputError, match="Ed25519Signature2020"):
        bundle(env, "Ed25519Signature2020")


def test_an_imported_credential_is_bundled_and_checked(env: Clr) -> None:
    text = clr.issue_clr(env.sessions, organisation=SLUG,
                         credential_ids=[env.credentials["alice-rdfc"]],
                         imported=[env.document("alice-jwt")], secret=secret(),
                         public_url=env.settings.public_url, now=now())
    report = verify(env, text)
    assert report.ok, report.to_dict()
    assert ok(report, "credential[1]") is True


def test_the_1edtech_clr_vector_verifies_through_the_pipeline(env: Clr,
                                                              shared_ref: Path) -> None:
    """The published eddsa-rdfc-2022 CLR: proof, learner, associations, nested credential."""
    vector = ONE_EDTECH_RDFC_VECTORS[1]
    key = one_edtech_key(shared_ref, vector)
    document = read_json(vector.path(shared_ref, "credential-signed.json"))

    class VectorKey(verifier.VerificationSources):
        def resolve_verification_method(self, method: str) -> tuple[VerificationKey, str]:
            return key.public_key, method.partition("#")[0]

    sources = VectorKey(public_url=env.settings.public_url, sessions=env.sessions)
    report = clr_verification.verify_clr(document, sources=sources, now=now())
    assert report.ok, report.to_dict()
    proof = report.check("proof")
    assert proof is not None and "eddsa-rdfc-2022" in proof.reason("en")
    assert ok(report, "clr-learner") is True
    assert ok(report, "clr-associations") is True
    document["credentialSubject"]["association"][0]["associationType"] = "isCousinOf"
    assert ok(clr_verification.verify_clr(document, sources=sources, now=now()), "proof") is False


# --- tampering ------------------------------------------------------------------------------

def test_a_tampered_nested_credential_fails_its_check(env: Clr) -> None:
    document = json.loads(bundle(env, "eddsa-jcs-2022"))
    nested = document["credentialSubject"]["verifiableCredential"][0]
    nested["name"] = nested.get("name", "") + " (forged)"
    # Re-sign the outer CLR so that only the nested credential is wrong.
    report = verify(env, sign(env, document, "eddsa-jcs-2022"))
    assert ok(report, "proof") is True
    assert ok(report, "credential[0]") is False
    assert ok(report, "credential[1]") is True
    assert not report.ok


@pytest.mark.parametrize("securing", clr.CLR_SECURINGS)
def test_a_tampered_clr_fails_its_proof(env: Clr, securing: str) -> None:
    text = bundle(env, securing)
    if securing != "vc-jwt":
        document = json.loads(text)
        document["name"] = "Forged record"
        report = verify(env, document)
    else:
        header, body, signature = text.split(".")
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        claims["name"] = "Forged record"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        report = verify(env, ".".join([header, forged, signature]))
    assert ok(report, "proof") is False
    assert not report.ok


def test_a_revoked_nested_credential_makes_the_clr_unverified(env: Clr) -> None:
    text = bundle(env, "eddsa-jcs-2022")
    with env.sessions() as session, session.begin():
        credential_store.change_status(session, credential_id=env.credentials["alice-jwt"],
                                       action=StatusChange.REVOKE, now=now())
    report = clr_verification.verify_clr(text, sources=env.sources,
                                         now=now() + dt.timedelta(seconds=5))
    assert ok(report, "proof") is True
    assert ok(report, "credential[0]") is True
    assert ok(report, "credential[1]") is False
    nested = report.check("credential[1]").details["report"]  # type: ignore[union-attr]
    assert any(error["check"] == "status" for error in nested["errors"])
    assert not report.ok


def test_not_a_clr_fails_its_structure(env: Clr) -> None:
    report = verify(env, env.document("alice-rdfc"))
    assert ok(report, "clr-structure") is False
    assert not report.ok


# --- the learner ----------------------------------------------------------------------------

def test_another_learners_stored_credential_is_refused_by_index(env: Clr) -> None:
    """Bob's credential in Alice's CLR: refused, naming credentials[1] and its id."""
    with pytest.raises(InputError, match=r"credentials\[1\]") as raised:
        bundle(env, "eddsa-rdfc-2022", ("alice-rdfc", "bob-rdfc"))
    assert env.credentials["bob-rdfc"] in str(raised.value)


def test_another_learners_imported_credential_is_refused_by_index(env: Clr) -> None:
    """A named learner: hashed identities are compared with each credential's own salt."""
    with pytest.raises(InputError, match=r"credentials\[2\] \(imported\[1\]\)"):
        clr.issue_clr(env.sessions, organisation=SLUG,
                      credential_ids=[env.credentials["alice-rdfc"]],
                      imported=[env.document("alice-jwt"), env.document("bob-rdfc")],
                      secret=secret(), public_url=env.settings.public_url, now=now(),
                      learner=ALICE)
    with pytest.raises(InputError, match=r"credentials\[0\]"):
        bundle(env, "eddsa-rdfc-2022", ("alice-rdfc",), learner=BOB)


def test_a_subject_id_the_credentials_do_not_name_is_refused(env: Clr) -> None:
    """The learner given as a DID: a credential about an e-mail address is not theirs."""
    document = json.loads(env.document("alice-rdfc"))
    with pytest.raises(InputError, match="learner"):
        clr.issue_clr(env.sessions, organisation=SLUG, imported=[document],
                      secret=secret(), public_url=env.settings.public_url, now=now(),
                      subject_id="did:example:alice")


def test_a_signed_clr_about_two_learners_fails_clr_learner(env: Clr) -> None:
    """Verification names each nested credential that is not about the CLR's learner."""
    document = json.loads(bundle(env, "eddsa-rdfc-2022", ("alice-rdfc",)))
    entries = document["credentialSubject"]["verifiableCredential"]
    entries.append(json.loads(env.document("bob-rdfc")))
    report = verify(env, sign(env, document))
    assert ok(report, "proof") is True
    assert ok(report, "credential[1]") is True
    check = report.check("clr-learner")
    assert check is not None and check.ok is False
    assert check.details["mismatched"] == [1]
    assert "credential[1]" in check.reason("en")
    assert not report.ok


def test_identity_objects_match_as_ob3_does() -> None:
    """Plain against hashed with its salt; hashes only with the same salt; names never."""
    from credstack.core.credentials.openbadges_v3 import identity_hash

    def subject(*identities: dict[str, Any]) -> dict[str, Any]:
        return {"credentialSubject": {"identifier": list(identities)}}

    def email(value: str, salt: str | None = None) -> dict[str, Any]:
        return {"type": "IdentityObject", "identityType": "emailAddress",
                "hashed": salt is not None, "salt": salt,
                "identityHash": identity_hash(value, salt) if salt else value}

    known = clr_v2.Learner(known=(ALICE,))
    assert clr_v2.learner_mismatches(known, [subject(email(ALICE, "s1")),
                                             subject(email("Alice@Example.jp")),
                                             subject(email(BOB, "s1"))]) == [2]
    hashed = clr_v2.Learner(identifiers=(email(ALICE, "s1"),))
    assert clr_v2.learner_mismatches(hashed, [subject(email(ALICE, "s1")),
                                              subject(email(ALICE, "s2")),
                                              subject(email(ALICE))]) == [1]
    name = {"type": "IdentityObject", "identityType": "name", "hashed": False,
            "identityHash": "alice"}
    assert clr_v2.learner_mismatches(clr_v2.Learner(identifiers=(name,)),
                                     [subject(name)]) == [0]


# --- associations ---------------------------------------------------------------------------

def test_associations_are_bundled_and_verified(env: Clr) -> None:
    achievement = achievement_of(env, "alice-rdfc")
    association = {"associationType": "isRelatedTo", "sourceId": achievement,
                   "targetId": achievement}
    text = bundle(env, "eddsa-rdfc-2022", associations=[association])
    document = json.loads(text)
    assert document["credentialSubject"]["association"] == [
        {"type": "Association", **association}]
    report = verify(env, text)
    assert report.ok, report.to_dict()
    assert ok(report, "clr-associations") is True


@pytest.mark.parametrize(("change", "location"), [
    ({"associationType": "isCousinOf"}, "associations[0].associationType"),
    ({"targetId": "urn:uuid:not-here"}, "associations[0].targetId"),
    ({"sourceId": 7}, "associations[0].sourceId"),
])
def test_a_bad_association_is_refused_when_issuing(env: Clr, change: dict[str, Any],
                                                   location: str) -> None:
    achievement = achievement_of(env, "alice-rdfc")
    association = {"associationType": "isPartOf", "sourceId": achievement,
                   "targetId": achievement, **change}
    with pytest.raises(MalformedCredentialError) as raised:
        bundle(env, "eddsa-rdfc-2022", associations=[association])
    assert [problem.location for problem in raised.value.problems] == [location]


def test_a_signed_clr_with_a_bad_association_fails_clr_associations(env: Clr) -> None:
    document = json.loads(bundle(env, "eddsa-rdfc-2022"))
    document["credentialSubject"]["association"] = [
        {"type": "Association", "associationType": "precedes",
         "sourceId": achievement_of(env, "alice-rdfc"), "targetId": "urn:uuid:elsewhere"}]
    report = verify(env, sign(env, document))
    assert ok(report, "proof") is True
    check = report.check("clr-associations")
    assert check is not None and check.ok is False
    assert check.details["problems"][0]["location"] == \
        "credentialSubject.association[0].targetId"


# --- the CLI and the one verifier -------------------------------------------------------------

def test_the_cli_bundles_and_verifies(env: Clr, tmp_path: Path) -> None:
    environment = {"CREDSTACK_LANG": "en", "CREDSTACK_SECRET_KEY": SECRET,
                   "CREDSTACK_SECRET_KEY_FILE": "",
                   "CREDSTACK_DATA_DIR": str(env.settings.data_dir),
                   "CREDSTACK_DATABASE_URL": "",
                   "CREDSTACK_PUBLIC_URL": env.settings.public_url}
    runner = CliRunner()
    achievement = achievement_of(env, "alice-rdfc")
    for securing in clr.CLR_SECURINGS:
        output = tmp_path / f"clr-{securing}.txt"
        args = ["clr", "bundle", "--organisation", SLUG, "--securing", securing, "-o",
                str(output), "--association", f"{achievement} isPeerOf {achievement}"]
        for name in ("alice-rdfc", "alice-jwt"):
            args += ["--credential", env.credentials[name]]
        made = runner.invoke(app, args, env=environment)
        assert made.exit_code == 0, made.output
        checked = runner.invoke(app, ["clr", "verify", str(output), "--json"], env=environment)
        assert checked.exit_code == 0, checked.output
        assert json.loads(checked.stdout)["verified"] is True
    refused = runner.invoke(app, ["clr", "bundle", "--organisation", SLUG, "-o",
                                  str(tmp_path / "two.json"), "--credential",
                                  env.credentials["alice-rdfc"], "--credential",
                                  env.credentials["bob-rdfc"]], env=environment)
    assert refused.exit_code == 2
    assert "credentials[1]" in refused.output
    forged = tmp_path / "forged.json"
    document = json.loads((tmp_path / "clr-eddsa-rdfc-2022.txt").read_text())
    document["name"] = "Forged"
    forged.write_text(json.dumps(document))
    failed = runner.invoke(app, ["clr", "verify", str(forged)], env=environment)
    assert failed.exit_code == 1
    assert "proof" in failed.stdout


@pytest.mark.parametrize("securing", clr.CLR_SECURINGS)
def test_the_one_verifier_recognises_a_clr(env: Clr, securing: str) -> None:
    """credstack verify / POST /credentials/verify route a ClrCredential to the CLR checks."""
    from credstack.services.formats import detect, verify_any

    text = bundle(env, securing)
    assert detect(text) == "clr"
    report = verify_any(text, sources=env.sources, now=now() + dt.timedelta(seconds=1))
    assert report.ok, report.to_dict()
    assert report.check("clr-learner") is not None
