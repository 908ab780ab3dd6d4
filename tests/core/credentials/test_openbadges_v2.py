"""Open Badges 2.0 Badge Objects built from micro-credential descriptors, and their rules.

Every demo programme (and one that states every descriptor) becomes a BadgeClass whose
criteria follow the Japanese guideline 1.1 mapping (seed 000), whose extension gives the
programme back unchanged, and which expands as JSON-LD without dropping a term; the
assertions credstack derives from its OB 3.0 credentials name the same learner; signed
badges are RS256 JWS. The published OB 2.0 context and the 1EdTech fixtures are read from
``../shared/ref`` at run time.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.credentials.conversions import (
    OB2_ASSERTION_TYPE,
    assertion_from_credential,
    credential_from_assertion,
)
from credstack.core.credentials.openbadges_v3 import (
    EXTENSION_CONTEXT_URL,
    IssuerProfile,
    achievement_type,
    build_open_badge_credential,
)
from credstack.core.descriptors import parse_programme
from credstack.core.descriptors.models import Award, Programme
from credstack.core.types import MultilingualText
from credstack.demo import load_demo_documents
from credstack.errors import InputError, MalformedCredentialError, SignatureError
from credstack.words import error_words
from tests.core.credentials.test_openbadges_v3 import (
    COMPLETE,
    _assert_expands_completely,
    _assert_schema_valid,
    _expand,
)

DEMO = load_demo_documents().programmes
BASE = "https://badges.example.ac.jp"
BADGE_ID = f"{BASE}/ob2/badges/7/v2"
ISSUER_ID = f"{BASE}/ob2/issuers/example-university"
ACHIEVEMENT_ID = f"{BASE}/achievements/7/v2"
ISSUED = dt.datetime(2026, 4, 1, 0, 0, tzinfo=dt.UTC)


@cache
def _rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key: Any) -> str:
    return str(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii"))


def _complete() -> Programme:
    return Programme.model_validate(COMPLETE)


def _badge(programme: Programme, language: str = "ja") -> dict[str, Any]:
    return ob2.build_badge_class(programme=programme, badge_id=BADGE_ID, issuer_id=ISSUER_ID,
                                 image=f"{BASE}/badges/7/v2.svg",
                                 criteria_url=f"{BASE}/programmes/7",
                                 achievement_id=ACHIEVEMENT_ID, version=2, language=language)


def _issuer(**changes: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = dict(
        issuer_id=ISSUER_ID, name=MultilingualText({"ja": "例示大学", "en": "Example University"}),
        url="https://example.ac.jp/", email="badges@example.ac.jp",
        public_keys=[f"{ISSUER_ID}/keys/rsa-1"], revocation_list=f"{ISSUER_ID}/revocations",
        starts_with=f"{BASE}/ob2/assertions/")
    arguments.update(changes)
    return ob2.build_issuer_profile(**arguments)


def _credential(programme: Programme, **award: Any) -> dict[str, Any]:
    issuer = IssuerProfile(id="did:web:badges.example.ac.jp:organisations:example-university",
                           name={"ja": "例示大学"})
    document = {"learner": {"identifiers": [{"type": "email", "value": "hanako@example.ac.jp"}]},
                "issued_on": "2026-04-01", **award}
    return build_open_badge_credential(
        programme=programme, award=Award.model_validate(document), issuer=issuer,
        credential_id="urn:uuid:6f1d6a52-5c1b-4f0e-9a53-8c1ce3b3c0de",
        achievement_id=ACHIEVEMENT_ID, valid_from=ISSUED,
        valid_until=ISSUED + dt.timedelta(days=3650), salt="pepper")


# --- the vocabulary ---------------------------------------------------------------------------


def test_the_term_table_is_the_published_context(shared_ref: Path) -> None:
    """Every term of https://w3id.org/openbadges/v2 stands for the IRI the context gives it."""
    context = json.loads((shared_ref / "contexts" / "1edtech" / "ob-v2p0-context.json")
                         .read_text("utf-8"))["@context"]
    expanded = {term: ob2.TERMS.get(term) for term in context}
    for term, definition in context.items():
        iri = definition if isinstance(definition, str) else definition["@id"]
        prefix, _, suffix = iri.partition(":")
        if prefix in context and isinstance(context[prefix], str) and not suffix.startswith("//"):
            iri = context[prefix] + suffix
        if iri in context:  # "verify": "verification", an alias
            iri = ob2.TERMS[iri]
        assert expanded[term] == iri, term


@pytest.mark.parametrize(("term", "expected"), [
    ("Assertion", "Assertion"), ("obi:BadgeClass", "BadgeClass"), ("Issuer", "Issuer"),
    ("http://example.com/CoolClass", "External"), ("UNKNOWN", "Unknown"),
])
def test_a_node_is_read_as_the_class_its_type_names(term: str, expected: str) -> None:
    """Terms and obi: compact IRIs name classes; other IRIs are external; the rest unknown."""
    assert ob2.class_of({"type": term}) == expected


def test_dates_need_a_time_zone() -> None:
    """OB 2.0 DateTimes are ISO 8601 with a time and a zone, seconds optional."""
    assert ob2.parse_datetime("2017-10-01T00:00Z") == dt.datetime(2017, 10, 1, tzinfo=dt.UTC)
    assert ob2.parse_datetime("2016-12-31T23:59:59+0900") is not None
    assert ob2.parse_datetime("2016-12-31T23:59:59") is None
    assert ob2.parse_datetime("2016-12-31") is None


# --- recipients -------------------------------------------------------------------------------


def test_identity_hash_reproduces_the_specification_example() -> None:
    """§IdentityHash: sha256$7a1a… is the SHA-256 of "mayze"."""
    assert ob2.identity_hash("mayze") == (
        "sha256$7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c6")


@pytest.mark.parametrize("algorithm", ["sha256", "md5"])
def test_a_hashed_recipient_matches_its_address_only(algorithm: str) -> None:
    """The salted hash matches the address (in any case) and nothing else."""
    recipient = {"type": "email", "hashed": True, "salt": "deadsea",
                 "identity": ob2.identity_hash("hanako@example.org", "deadsea",
                                               algorithm=algorithm)}
    assert ob2.recipient_matches(recipient, "hanako@example.org")
    assert ob2.recipient_matches(recipient, " Hanako@Example.org ")
    assert not ob2.recipient_matches(recipient, "taro@example.org")
    assert not ob2.recipient_matches({**recipient, "salt": "other"}, "hanako@example.org")


def test_a_plain_recipient_and_a_broken_one() -> None:
    """Unhashed identities compare as text; an unreadable one matches nothing."""
    assert ob2.recipient_matches({"type": "url", "hashed": False,
                                  "identity": "https://example.org/me"}, "https://example.org/me")
    assert not ob2.recipient_matches({"hashed": True, "identity": "sha1$abc"}, "a")
    assert not ob2.recipient_matches({"hashed": True}, "a")


# --- the BadgeClass ---------------------------------------------------------------------------


def test_the_badge_class_maps_the_descriptors_as_the_guideline_does() -> None:
    """Title → name, description → description, the rest → criteria; skills → alignment."""
    programme = _complete()
    badge = _badge(programme, "en")
    assert badge["@context"] == ob2.CONTEXT_URL and badge["type"] == "BadgeClass"
    assert badge["name"] == "Applied data use"
    assert badge["description"] == "Methods for business data."
    assert badge["issuer"] == ISSUER_ID
    assert badge["image"] == f"{BASE}/badges/7/v2.svg"
    assert badge["criteria"]["id"] == f"{BASE}/programmes/7"
    assert badge["alignment"] == [{"targetName": "Data analysis",
                                   "targetUrl": "https://esco.example.org/skill/data-analysis",
                                   "targetFramework": "ESCO", "targetCode": "S2.7"}]
    assert badge["tags"] == ["Digital", "Business"]
    assert badge["version"] == 2
    assert badge["related"] == [{"type": [ob2.OB3_ACHIEVEMENT_TYPE], "id": ACHIEVEMENT_ID,
                                 "version": "Open Badges v3p0"}]


def test_the_criteria_sections_follow_the_seed_000_table() -> None:
    """Learning outcomes, language, delivery mode, effort … level: the table's order."""
    narrative = _badge(_complete())["criteria"]["narrative"]
    headings = [line[3:] for line in narrative.splitlines() if line.startswith("## ")]
    assert headings == ["学修成果", "授業言語", "授業の方法", "学習量", "受講に必要な固有の要件",
                        "受講料と経済的支援", "評価の方法（修了要件）", "証明",
                        "単位／その他の認定", "質保証", "前提条件", "レベル", "積み上げ可能性",
                        "実施期間", "その他の情報"]
    assert "- 基本統計量を説明できる。" in narrative
    assert "90.5 時間、3 ECTS 単位、2 単位、2.25 単位（マレーシア）、13 週間" in narrative
    assert "50000.5 JPY" in narrative


def test_a_programme_that_states_no_criteria_is_awarded_on_completion() -> None:
    """Without any criteria descriptor the narrative says what completion means."""
    bare = Programme.model_validate({"code": "X-1", "title": {"en": "X"},
                                     "description": {"en": "Y"}})
    assert _badge(bare, "en")["criteria"]["narrative"] == (
        "Awarded to learners who complete the programme.")


def test_a_badge_class_needs_a_title_and_a_description() -> None:
    """Both are required of a BadgeClass; the error names what is missing."""
    with pytest.raises(InputError) as caught:
        _badge(Programme.model_validate({"code": "X-1", "title": {"en": "X"}}))
    assert [problem.location for problem in caught.value.problems] == ["description"]


def test_the_extension_is_an_ob2_extension_with_its_own_context() -> None:
    """extensions:MicroCredential has @context mc/v1, type Extension, and the descriptors."""
    extension = _badge(_complete())[ob2.EXTENSION_KEY]
    assert extension["@context"] == EXTENSION_CONTEXT_URL
    assert extension["type"] == ["Extension", ob2.EXTENSION_TYPE]
    assert extension["microCredential"]["code"] == "DX-201"
    assert extension["microCredential"]["title"] == COMPLETE["title"]
    assert ob2.extension_problems(_badge(_complete())) == []


def test_a_complete_programme_comes_back_from_its_badge_class() -> None:
    """Nothing is lost: the read-back programme equals the original, in every language."""
    programme = _complete()
    assert Programme.model_validate(ob2.descriptors_from_badge_class(_badge(programme))) == (
        programme)


@pytest.mark.parametrize("programme", DEMO, ids=lambda p: p.code)
def test_every_demo_programme_comes_back_from_its_badge_class(programme: Programme) -> None:
    """Every demo programme's BadgeClass is valid OB 2.0 and gives the programme back."""
    badge = _badge(programme)
    assert ob2.validate(badge, "BadgeClass") == ([], [])
    assert ob2.context_problems(badge) == ([], [])
    assert Programme.model_validate(ob2.descriptors_from_badge_class(badge)) == programme


def test_a_foreign_badge_class_gives_what_its_fields_say() -> None:
    """Without the extension: name and description in an undetermined language, skills."""
    document = ob2.descriptors_from_badge_class({
        "name": "Robotics", "description": "Robots.",
        "alignment": [{"targetName": "Welding", "targetUrl": "https://example.org/weld"}]})
    assert document == {"title": {"und": "Robotics"}, "description": {"und": "Robots."},
                        "skills": [{"name": {"und": "Welding"},
                                    "url": "https://example.org/weld"}]}


def test_the_badge_class_expands_without_dropping_a_term(shared_ref: Path) -> None:
    """Every property credstack writes — the extension's too — is defined (safe expansion)."""
    for document in (_badge(_complete()), _issuer(related=[("did:web:example", "https://purl"
                                                             ".imsglobal.org/spec/vc/ob/vocab"
                                                             ".html#Profile")])):
        _expand(document, shared_ref)


# --- the issuer's documents ------------------------------------------------------------------


def test_the_issuer_documents_are_valid_ob2() -> None:
    """Profile, CryptographicKey and RevocationList pass the OB 2.0 rules."""
    assert ob2.validate(_issuer(), "Issuer") == ([], [])
    key = ob2.build_cryptographic_key(key_id=f"{ISSUER_ID}/keys/rsa-1", owner=ISSUER_ID,
                                      public_key_pem=_pem(_rsa_key()))
    assert ob2.validate(key, "CryptographicKey") == ([], [])
    revoked = ob2.build_revocation_list(list_id=f"{ISSUER_ID}/revocations", issuer_id=ISSUER_ID,
                                        revoked=[("urn:uuid:6f1d6a52-5c1b-4f0e-9a53-8c1ce3b3c0de",
                                                  None), (f"{BASE}/x", "suspended")])
    assert ob2.validate(revoked, "RevocationList") == ([], [])
    assert revoked["revokedAssertions"][1] == {"id": f"{BASE}/x", "revocationReason": "suspended"}


def test_an_issuer_without_email_is_built_but_not_valid() -> None:
    """OB 2.0 requires an issuer's e-mail address; the profile says what is missing."""
    errors, _ = ob2.validate(_issuer(email=None), "Issuer")
    assert [problem.location for problem in errors] == ["email"]


def test_one_key_is_one_value_and_several_are_an_array() -> None:
    """A single publicKey is a string (what most validators expect), rotations an array."""
    assert _issuer()["publicKey"] == f"{ISSUER_ID}/keys/rsa-1"
    assert _issuer(public_keys=["a", "b"])["publicKey"] == ["a", "b"]


# --- assertions derived from OB 3.0 credentials --------------------------------------------


def test_the_assertion_names_the_learner_the_credential_names() -> None:
    """Same salted hash of the same e-mail, same date of issuing, same expiry."""
    credential = _credential(_complete())
    assertion = assertion_from_credential(credential, assertion_id=f"{BASE}/ob2/assertions/1",
                                          badge_id=BADGE_ID,
                                          verification={"type": "HostedBadge"})
    identity = credential["credentialSubject"]["identifier"][-1]
    assert assertion["recipient"] == {"type": "email", "hashed": True, "salt": "pepper",
                                      "identity": identity["identityHash"]}
    assert ob2.recipient_matches(assertion["recipient"], "hanako@example.ac.jp")
    assert assertion["issuedOn"] == credential["awardedDate"]
    assert assertion["expires"] == credential["validUntil"]
    assert ob2.validate(assertion, "Assertion") == ([], [])


def test_a_learner_known_by_a_did_is_an_id_recipient() -> None:
    """No e-mail: the subject's DID (plain, as in the credential) names the recipient."""
    credential = _credential(_complete(), learner={"identifiers": [
        {"type": "did", "value": "did:example:hanako"}]})
    assertion = assertion_from_credential(credential, assertion_id="urn:uuid:6f1d6a52-5c1b-"
                                          "4f0e-9a53-8c1ce3b3c0de", badge_id=BADGE_ID,
                                          verification={"type": "SignedBadge",
                                                        "creator": f"{ISSUER_ID}/keys/rsa-1"})
    assert assertion["recipient"] == {"type": "id", "hashed": False,
                                      "identity": "did:example:hanako"}


def test_a_learner_known_only_by_a_student_number_has_no_ob2_recipient() -> None:
    """OB 2.0 names recipients by e-mail, URL, telephone or id; a student number is none."""
    credential = _credential(_complete(), learner={"identifiers": [
        {"type": "student-id", "value": "S123"}]})
    with pytest.raises(InputError, match="no identifier"):
        assertion_from_credential(credential, assertion_id=f"{BASE}/a", badge_id=BADGE_ID,
                                  verification={"type": "HostedBadge"})


def test_a_hosted_assertion_needs_an_http_id() -> None:
    """Hosted verification fetches the assertion from its id."""
    with pytest.raises(InputError, match="http"):
        ob2.build_assertion(assertion_id="urn:uuid:6f1d6a52-5c1b-4f0e-9a53-8c1ce3b3c0de",
                            badge=BADGE_ID, recipient=ob2.identity_object("a@b.c", salt="s"),
                            issued_on=ISSUED, verification={"type": "hosted"})


# --- OB 2.0 shown as OB 3.0 -------------------------------------------------------------------


def _hosted_assertion() -> dict[str, Any]:
    return ob2.build_assertion(assertion_id=f"{BASE}/ob2/assertions/1", badge=BADGE_ID,
                               recipient=ob2.identity_object("hanako@example.ac.jp",
                                                             salt="pepper"),
                               issued_on="2026-04-01T09:00:00+0900",
                               verification={"type": "HostedBadge"},
                               evidence=["https://example.org/work"])


def test_a_converted_badge_claims_no_signature() -> None:
    """The OB 3.0 form has no proof; its evidence links the OB 2.0 original."""
    converted = credential_from_assertion(_hosted_assertion(), badge=_badge(_complete()),
                                          issuer=_issuer())
    assert "proof" not in converted
    original = converted["evidence"][-1]
    assert original["id"] == f"{BASE}/ob2/assertions/1"
    assert original["type"] == ["Evidence", OB2_ASSERTION_TYPE]
    assert converted["evidence"][0] == {"id": "https://example.org/work", "type": ["Evidence"]}
    assert converted["validFrom"] == "2026-04-01T09:00:00+09:00"
    assert converted["id"].startswith("urn:uuid:")


def test_a_converted_signed_badge_embeds_its_jws() -> None:
    """A signed original is carried as a data: URI of its compact JWS."""
    converted = credential_from_assertion(_hosted_assertion(), badge=_badge(_complete()),
                                          issuer=_issuer(), jws="a.b.c")
    assert converted["evidence"][-1]["id"] == "data:application/jose,a.b.c"


def test_a_converted_credstack_badge_is_the_ob3_achievement_again() -> None:
    """The achievement is the related OB 3.0 one, with the same descriptors."""
    converted = credential_from_assertion(_hosted_assertion(), badge=_badge(_complete()),
                                          issuer=_issuer())
    achievement = converted["credentialSubject"]["achievement"]
    assert achievement["id"] == ACHIEVEMENT_ID
    assert achievement["humanCode"] == "DX-201"
    assert achievement["achievementType"] == "MicroCredential"
    assert EXTENSION_CONTEXT_URL in converted["@context"]
    assert parse_programme(ob2.descriptors_from_badge_class(_badge(_complete()))) == _complete()
    assert converted["credentialSubject"]["identifier"][0]["identityType"] == "emailAddress"


def test_a_converted_badge_is_a_valid_ob3_credential(shared_ref: Path) -> None:
    """The 1EdTech OB 3.0 and VC 2.0 schemas accept it; every term expands."""
    converted = credential_from_assertion(_hosted_assertion(), badge=_badge(_complete()),
                                          issuer=_issuer())
    _assert_schema_valid(converted, shared_ref)
    _assert_expands_completely(converted, shared_ref)


@pytest.mark.parametrize("programme", DEMO, ids=lambda p: p.code)
def test_a_converted_badge_has_the_achievement_type_of_its_programme(
        programme: Programme) -> None:
    """MicroCredential exactly when OB 3.0 issuance says so (assessed beyond participation)."""
    converted = credential_from_assertion(_hosted_assertion(), badge=_badge(programme),
                                          issuer=_issuer())
    assert converted["credentialSubject"]["achievement"]["achievementType"] == (
        achievement_type(programme))


def test_converting_twice_gives_the_same_credential() -> None:
    """Ids are derived, not drawn: a badge always converts to the same credential."""
    first = credential_from_assertion(_hosted_assertion(), badge={"name": "B"}, issuer={})
    assert first == credential_from_assertion(_hosted_assertion(), badge={"name": "B"},
                                              issuer={})


# --- signed badges ----------------------------------------------------------------------------


def test_a_signed_badge_is_an_rs256_jws_that_verifies() -> None:
    """sign_assertion → RS256 compact JWS with the assertion as payload; deterministic."""
    assertion = _hosted_assertion()
    token = ob2.sign_assertion(assertion, key=_rsa_key())
    jws = ob2.read_jws(token)
    assert jws.header == {"alg": "RS256", "typ": "JWT"}
    assert jws.payload == assertion
    assert ob2.verify_jws(jws, _pem(_rsa_key())) == "RS256"
    assert ob2.sign_assertion(assertion, key=_rsa_key()) == token


def test_a_changed_payload_does_not_verify() -> None:
    """One changed byte of the payload breaks the signature."""
    header, payload, signature = ob2.sign_assertion(_hosted_assertion(), key=_rsa_key()).split(".")
    changed = json.loads(base64.urlsafe_b64decode(payload + "=="))
    changed["issuedOn"] = "2020-01-01T00:00:00Z"
    forged = base64.urlsafe_b64encode(json.dumps(changed).encode()).rstrip(b"=").decode()
    with pytest.raises(SignatureError):
        ob2.verify_jws(ob2.read_jws(f"{header}.{forged}.{signature}"), _pem(_rsa_key()))


def _token(header: dict[str, Any], signature: bytes = b"") -> str:
    parts = [json.dumps(header).encode(), json.dumps(_hosted_assertion()).encode(), signature]
    return ".".join(base64.urlsafe_b64encode(part).rstrip(b"=").decode() for part in parts)


@pytest.mark.parametrize("header", [{"alg": "none"}, {}, {"alg": "HS256"},
                                    {"alg": "RS256", "crit": ["b64"]}])
def test_unsecured_hmac_and_critical_tokens_are_refused(header: dict[str, Any]) -> None:
    """alg none (or missing), HMAC, and critical headers are never verified."""
    with pytest.raises(MalformedCredentialError):
        ob2.verify_jws(ob2.read_jws(_token(header, b"x")), _pem(_rsa_key()))


def test_a_key_of_the_wrong_kind_is_refused() -> None:
    """An RS256 token with a P-256 key (or the reverse) is refused, never tried."""
    p256 = ec.generate_private_key(ec.SECP256R1())
    token = ob2.sign_assertion(_hosted_assertion(), key=_rsa_key())
    with pytest.raises(MalformedCredentialError) as rsa_wanted:
        ob2.verify_jws(ob2.read_jws(token), _pem(p256))
    with pytest.raises(MalformedCredentialError) as p256_wanted:
        ob2.verify_jws(ob2.read_jws(_token({"alg": "ES256"}, bytes(64))), _pem(_rsa_key()))
    assert rsa_wanted.value.code == p256_wanted.value.code == ob2.KEY_MISMATCH
    assert "needs an RSA key" in error_words(rsa_wanted.value, "en")
    assert "needs a P-256 key" in error_words(p256_wanted.value, "en")


def test_es256_and_eddsa_badges_verify_too() -> None:
    """Other issuers may sign with ES256 or EdDSA; both verify with keys of their kind."""
    p256 = ec.generate_private_key(ec.SECP256R1())
    edkey = ed25519.Ed25519PrivateKey.generate()
    for alg, key in (("ES256", p256), ("EdDSA", edkey)):
        unsigned = _token({"alg": alg}).rstrip(".")
        if alg == "ES256":
            r, s = decode_dss_signature(key.sign(unsigned.encode(), ec.ECDSA(hashes.SHA256())))
            signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        else:
            signature = key.sign(unsigned.encode())
        token = unsigned + "." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()
        assert ob2.verify_jws(ob2.read_jws(token), _pem(key)) == alg


def test_a_p256_key_signs_an_es256_jws_that_verifies() -> None:
    """sign_assertion with a P-256 key → ES256 compact JWS, a raw 64-byte r ‖ s signature."""
    p256 = ec.generate_private_key(ec.SECP256R1())
    assertion = _hosted_assertion()
    token = ob2.sign_assertion(assertion, key=p256)
    jws = ob2.read_jws(token)
    assert jws.header == {"alg": "ES256", "typ": "JWT"}
    assert jws.payload == assertion and len(jws.signature) == 64
    assert ob2.verify_jws(jws, _pem(p256)) == "ES256"
    assert ob2.algorithm_of(p256) == "ES256" and ob2.algorithm_of(_rsa_key()) == "RS256"


def test_a_changed_es256_payload_does_not_verify() -> None:
    """One changed claim of an ES256 badge breaks its signature."""
    p256 = ec.generate_private_key(ec.SECP256R1())
    header, payload, signature = ob2.sign_assertion(_hosted_assertion(), key=p256).split(".")
    changed = json.loads(base64.urlsafe_b64decode(payload + "=="))
    changed["issuedOn"] = "2020-01-01T00:00:00Z"
    forged = base64.urlsafe_b64encode(json.dumps(changed).encode()).rstrip(b"=").decode()
    with pytest.raises(SignatureError):
        ob2.verify_jws(ob2.read_jws(f"{header}.{forged}.{signature}"), _pem(p256))


def test_an_es256_token_relabelled_rs256_is_refused() -> None:
    """The header's alg must fit the key: an ES256 signature called RS256 is never tried."""
    p256 = ec.generate_private_key(ec.SECP256R1())
    _, payload, signature = ob2.sign_assertion(_hosted_assertion(), key=p256).split(".")
    header = base64.urlsafe_b64encode(b'{"alg":"RS256"}').rstrip(b"=").decode()
    with pytest.raises(MalformedCredentialError) as raised:
        ob2.verify_jws(ob2.read_jws(f"{header}.{payload}.{signature}"), _pem(p256))
    assert "needs an RSA key" in error_words(raised.value, "en")


@pytest.mark.parametrize("key", [ec.generate_private_key(ec.SECP384R1()),
                                 ed25519.Ed25519PrivateKey.generate()],
                         ids=["p384", "ed25519"])
def test_only_rsa_and_p256_keys_sign_ob2_assertions(key: Any) -> None:
    """credstack signs OB 2.0 with RS256 or ES256 only; other keys are refused."""
    with pytest.raises(InputError) as raised:
        ob2.sign_assertion(_hosted_assertion(), key=key)
    assert "RS256" in error_words(raised.value, "en")


def test_a_short_rsa_key_is_refused_for_signing_and_verifying() -> None:
    """RSA keys under 2048 bits are not used."""
    short = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(InputError):
        ob2.sign_assertion(_hosted_assertion(), key=short)
    token = ob2.sign_assertion(_hosted_assertion(), key=_rsa_key())
    with pytest.raises(MalformedCredentialError) as raised:
        ob2.verify_jws(ob2.read_jws(token), _pem(short))
    assert "at least 2048" in error_words(raised.value, "en")


def test_the_1edtech_signed_fixture_verifies_with_its_key(shared_ref: Path) -> None:
    """simple.jwt verifies with assets/key1.json (RS256), and not with key2.json."""
    folder = shared_ref / "examples" / "ob-v2p0" / "validator"
    jws = ob2.read_jws((folder / "simple.jwt").read_text("utf-8"))
    key1 = json.loads((folder / "assets" / "key1.json").read_text("utf-8"))["publicKeyPem"]
    key2 = json.loads((folder / "assets" / "key2.json").read_text("utf-8"))["publicKeyPem"]
    assert ob2.verify_jws(jws, key1) == "RS256"
    with pytest.raises(SignatureError):
        ob2.verify_jws(jws, key2)


@pytest.mark.parametrize("text", ["", "a.b", "not a jws", "e30.e30", "W10.e30.", "e30.W10."])
def test_what_is_not_a_compact_jws_of_objects_is_malformed(text: str) -> None:
    """Two parts, spaces, arrays instead of objects: malformed, not a verdict."""
    with pytest.raises(MalformedCredentialError):
        ob2.read_jws(text)


# --- rules ------------------------------------------------------------------------------------


def test_an_inline_context_must_define_the_open_badges_terms_as_published() -> None:
    """A copy of the context inline is fine; a redefinition of a core term is not."""
    inline = {"id": "@id", "type": "@type", "obi": ob2.OB_VOCABULARY,
              "schema": "http://schema.org/", "sec": "https://w3id.org/security#",
              "dc": "http://purl.org/dc/terms/"}
    inline.update({term: iri for term, iri in ob2.TERMS.items() if term not in inline})
    assert ob2.context_problems({"@context": inline}) == ([], [])
    errors, _ = ob2.context_problems({"@context": [ob2.CONTEXT_URL,
                                                   {"badge": "http://evil.example/badge"}]})
    assert [problem.location for problem in errors] == ["@context[1].badge"]
    errors, _ = ob2.context_problems({"@context": "https://w3id.org/openbadges/invalid"})
    assert errors


def test_other_contexts_are_not_loaded_and_say_so() -> None:
    """An extra context URL is a warning: credstack never fetches contexts."""
    errors, warnings = ob2.context_problems({"@context": [ob2.CONTEXT_URL,
                                                          "https://example.org/ctx.json"]})
    assert errors == [] and [problem.location for problem in warnings] == ["@context[1]"]


def test_an_extension_needs_its_own_context_and_type() -> None:
    """§Extensions: @context and a type including Extension are required."""
    problems = ob2.extension_problems({"extensions:Thing": {"type": ["Thing"]}})
    assert [problem.location for problem in problems] == ["extensions:Thing.@context",
                                                          "extensions:Thing.type"]


@pytest.mark.parametrize(("issuer", "assertion_id", "allowed"), [
    ({"id": "https://example.org/issuer"}, "https://example.org/a/1", True),
    ({"id": "https://example.org/issuer"}, "https://evil.example/a/1", False),
    ({"id": "https://example.org/i", "verification": {"allowedOrigins": ["example.com"]}},
     "https://example.com/a", True),
    ({"id": "https://example.org/i", "verification": {"startsWith": "https://example.org/a/"}},
     "https://example.org/b/1", False),
    ({"id": "https://example.org/i", "verification": {"startsWith": ["https://x.example/",
                                                                     "https://example.org/a/"]}},
     "https://example.org/a/1", True),
    ({"id": "urn:uuid:2d391246-6e0d-4dab-906c-b29770bd7aa6"}, "https://example.org/a", True),
])
def test_the_hosted_verification_policy(issuer: dict[str, Any], assertion_id: str,
                                        allowed: bool) -> None:
    """startsWith and allowedOrigins scope hosted assertions; by default the issuer's host."""
    reason, _ = ob2.hosted_policy_problem(assertion_id, issuer,
                                          issuer_location="https://example.org/issuer.json")
    assert (reason is None) is allowed


def test_an_issuer_with_no_http_origin_allows_nothing() -> None:
    """An embedded profile with a urn id and no location has no origin to host on."""
    reason, _ = ob2.hosted_policy_problem(
        "https://example.org/a", {"id": "urn:uuid:2d391246-6e0d-4dab-906c-b29770bd7aa6"},
        issuer_location=None)
    assert reason is not None


def test_the_revocation_list_names_assertions_by_id_or_uid() -> None:
    """Entries are ids, objects with an id, or (legacy) objects with a uid."""
    listed = {"revokedAssertions": ["urn:a", {"id": "urn:b", "revocationReason": "r"},
                                    {"uid": "abc"}]}
    assert ob2.revocation_entry(listed, "urn:a") == {"id": "urn:a"}
    assert ob2.revocation_entry(listed, "urn:b") == {"id": "urn:b", "revocationReason": "r"}
    assert ob2.revocation_entry(listed, "urn:c", uid="abc") == {"uid": "abc"}
    assert ob2.revocation_entry(listed, "urn:c") is None


def test_a_revoked_hosted_assertion_needs_only_its_id() -> None:
    """§Assertion: "If revoked is true, only revoked and id are required"."""
    revoked = {"@context": ob2.CONTEXT_URL, "type": "Assertion", "id": f"{BASE}/a",
               "revoked": True}
    assert ob2.validate(revoked, "Assertion") == ([], [])
