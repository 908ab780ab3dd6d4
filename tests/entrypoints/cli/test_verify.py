"""``credstack verify FILE|URL|-``: exit 0 only when verified, 1 when not (something proven
wrong), 2 when unreadable, 3 when it could not be checked (something it needs out of reach, or
not fetched with ``--offline``); the output ends with the verdict a person reads."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from typer.testing import CliRunner

from credstack.core.crypto import KeyPair, KeyType
from credstack.core.proofs import sign_vc_jwt
from credstack.entrypoints.cli.main import app
from credstack.services.recognitions import service as recognitions
from credstack.settings import Settings
from tests.conftest import free_port
from tests.services.recognitions.test_service import NOW as RECOGNITION_NOW
from tests.services.recognitions.test_service import PUBLIC_URL as RECOGNITION_URL
from tests.services.recognitions.test_service import SECRET as RECOGNITION_SECRET
from tests.services.recognitions.test_service import prepare as prepare_recognition
from tests.signed_credentials import (
    ISSUER,
    PINNED_CONTEXT_URL,
    blockcerts_v3,
    jwt,
    pin_context,
    presentation,
    sd_base,
    sd_disclosure,
    sd_jwt_credential,
    sign,
    signed,
    signed_by_did_web,
    signed_with_pinned_context,
    signed_with_status,
    tampered,
    unsigned,
)


def run(*args: str, lang: str = "en", stdin: str | None = None, contexts_file: str = "",
        loopback: bool = False):
    env = {"CREDSTACK_LANG": lang, "CREDSTACK_ALLOW_LOOPBACK_FETCH": "1" if loopback else "",
           "CREDSTACK_CONTEXTS_FILE": contexts_file, "CREDSTACK_VERIFY_OFFLINE": ""}
    return CliRunner().invoke(app, ["verify", *args], env=env, input=stdin)


def write(tmp_path: Path, data: object, name: str = "credential.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("credential", "lang", "exit_code", "said"), [
    pytest.param(signed, "en", 0, [
        "✓ Proof (signature)",
        f"signed by the issuer, {ISSUER}",  # no emoji for "did:key:"
        "A micro-credential.", "Profile jp-mc: conforms",
        "Verified: “Maintenance of Semiconductor Manufacturing Equipment”, awarded to Hanako "
        "Yamada by 火の国工業高等専門学校.", f"Issuer ID: {ISSUER}"], id="valid"),
    pytest.param(signed, "ja", 0, [
        "✓ 証明（署名）", "マイクロクレデンシャルです。",
        "検証済み：火の国工業高等専門学校が山田花子に授与した「半導体製造装置の保全技術」です。"],
        id="valid-in-japanese"),
    pytest.param(tampered, "ja", 1, [
        "✗ 証明（署名）", "検証に失敗しました：", "と記載されています。",
        "署名の後に内容が変更されています"], id="tampered-exits-1-saying-it-was-changed"),
])
def test_the_output_names_each_check_and_the_meaning(
        tmp_path: Path, credential: Callable[[], dict[str, Any]], lang: str, exit_code: int,
        said: list[str]) -> None:
    """Exit 0 only when verified; each check and what the credential means, in either
    language."""
    result = run(write(tmp_path, credential()), lang=lang)
    assert result.exit_code == exit_code, result.output
    for text in said:
        assert text in result.output


def test_a_presentation_is_verified_as_one_showing_each_credential(tmp_path: Path) -> None:
    """Said to be a presentation; each credential's checks indented under its own; exit 1
    when one of them does not verify."""
    result = run(write(tmp_path, presentation(signed())))
    assert result.exit_code == 0, result.output
    assert "ℹ Verifiable Presentation: a Verifiable Presentation, not a credential" in \
        result.output
    assert "✓ credential[0]: credential 1 of 1 (" in result.output
    assert "    ✓ Proof (signature): " in result.output
    result = run(write(tmp_path, presentation(signed(), tampered())), lang="ja")
    assert result.exit_code == 1, result.output
    assert "✗ credential[1]: 2 件中 2 件目の証明書を検証できません（proof）" in result.output
    assert "    ✗ 証明（署名）: 署名が一致しません" in result.output


def test_an_sd_jwt_verifies_and_a_forged_disclosure_exits_1(tmp_path: Path) -> None:
    token = sd_jwt_credential()
    result = run(write(tmp_path, token, "credential.sd-jwt"))
    assert result.exit_code == 0, result.output
    assert "(vc+sd-jwt)" in result.output and "3 disclosures are the issuer's" in result.output
    jwt, _, rest = token.partition("~")
    result = run(write(tmp_path, f"{jwt}~WyJzYWx0IiwgIm5hbWUiLCAiRXZpbCJd~{rest}",
                       "forged.sd-jwt"))
    assert result.exit_code == 1, result.output
    assert "not every disclosure is the issuer's: disclosures[0]" in result.output


def test_an_ecdsa_sd_disclosure_verifies_and_a_base_proof_is_refused(tmp_path: Path) -> None:
    """A holder's ecdsa-sd-2023 disclosure verifies (exit 0); changed, it exits 1; the
    issuer's base proof itself exits 1, saying the holder must derive a disclosure."""
    result = run(write(tmp_path, sd_disclosure()))
    assert result.exit_code == 0, result.output
    assert "1 proof (ecdsa-sd-2023) verifies" in result.output
    changed = sd_disclosure()
    changed["credentialSubject"]["identifier"][0]["identityHash"] = "Taro Yamada"
    result = run(write(tmp_path, changed))
    assert result.exit_code == 1, result.output
    assert "✗ Proof (signature)" in result.output
    result = run(write(tmp_path, sd_base()))
    assert result.exit_code == 1, result.output
    assert "a holder must derive" in result.output
    result = run(write(tmp_path, sd_base()), lang="ja")
    assert result.exit_code == 1, result.output
    assert "保有者が開示する項目を選んで導出した証明でなければ検証できません" in result.output


def test_json_prints_the_report(tmp_path: Path) -> None:
    result = run(write(tmp_path, tampered()), "--json")
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert body["verified"] is False
    assert "proof" in [error["check"] for error in body["errors"]]
    result = run(write(tmp_path, signed()), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["meaning"]["is_micro_credential"] is True


def test_a_vc_jwt_from_standard_input(tmp_path: Path) -> None:
    result = run("-", stdin=jwt())
    assert result.exit_code == 0, result.output


def test_unreadable_input_exits_2(tmp_path: Path) -> None:
    assert run(str(tmp_path / "missing.json")).exit_code == 2
    assert run(write(tmp_path, "this is not a credential")).exit_code == 2
    assert run("-", "--json", stdin="{not json").exit_code == 2


def test_the_contexts_the_operator_pins_are_read(tmp_path: Path) -> None:
    """With ``CREDSTACK_CONTEXTS_FILE`` pinning its context, a credential verifies; without
    it, the context is unknown, named, and never fetched."""
    credential = write(tmp_path, signed_with_pinned_context())
    pinned = run(credential, "--json", contexts_file=str(pin_context(tmp_path)))
    assert pinned.exit_code == 0, pinned.output
    assert json.loads(pinned.stdout)["verified"] is True
    unpinned = run(credential, "--json")
    assert unpinned.exit_code == 3, "an unknown context could not be checked: not forged"
    contexts = next(check for check in json.loads(unpinned.stdout)["checks"]
                    if check["check"] == "contexts")
    assert contexts["ok"] is None and PINNED_CONTEXT_URL in contexts["reason"]["en"]
    assert contexts["missing"]["url"] == PINNED_CONTEXT_URL


def test_a_contexts_file_that_cannot_be_used_exits_2_naming_it(tmp_path: Path) -> None:
    """A pinned context that is not a context: the configuration error, in the user's
    language, names the URL and the file; nothing is verified."""
    index = pin_context(tmp_path)
    (tmp_path / "pinned.jsonld").write_text("[]", encoding="utf-8")
    result = run(write(tmp_path, signed()), contexts_file=str(index))
    assert result.exit_code == 2
    assert f"{PINNED_CONTEXT_URL} → {tmp_path / 'pinned.jsonld'}" in result.output
    assert "is not a JSON-LD context" in result.output


def test_urls_are_https_only(tmp_path: Path) -> None:
    result = run("http://issuer.example.ac.jp/credential.json")
    assert result.exit_code == 2
    assert "https" in result.output
    result = run("https://127.0.0.1:9/credential.json")
    assert result.exit_code == 2
    assert "loopback" in result.output


def nonconforming() -> dict[str, Any]:
    """Signed by its issuer as it is, but named by a bare DID: Open Badges wants a Profile."""
    document = unsigned()
    document["issuer"] = ISSUER
    return sign(document)


def test_an_authentic_credential_that_breaks_open_badges_rules_verifies_with_warnings(
        tmp_path: Path) -> None:
    """Exit 0 with the finding said plainly; --strict makes it fail (exit 1)."""
    path = write(tmp_path, nonconforming())
    result = run(path)
    assert result.exit_code == 0, result.output
    assert "Verified, with warnings: “" in result.output
    assert "by an issuer that states no name." in result.output
    assert ("! It does not follow the Open Badges 3.0 rules: issuer: must be a Profile object"
            in result.output)
    result = run(path, "--strict", lang="ja")
    assert result.exit_code == 1, result.output
    assert "検証に失敗しました：" in result.output
    assert "✗ Open Badges 3.0 の規則に適合しません" in result.output
    body = json.loads(run(path, "--json").stdout)
    assert (body["verified"], body["authentic"], body["conformant"]) == (True, True, False)
    assert body["warnings"][0]["check"] == "open-badges"
    body = json.loads(run(path, "--json", "--strict").stdout)
    assert (body["verified"], body["strict"]) == (False, True)


#: DCC fixtures (MIT) that are valid by their source and break only Open Badges shape rules:
#: a plain-URL issuer image, a subject without id or identifier.
DCC_SHAPE_ONLY = [
    "v1/dataIntegrityProof/didKey/fourRegistry-noStatus-noExpiry.json",
    "v1/dataIntegrityProof/didKey/legacy-noStatus-noExpiry.json",
    "v1/dataIntegrityProof/didKey/noRegistry-noStatus-noExpiry.json",
    "v1/dataIntegrityProof/didKey/oidf-noStatus-noExpiry.json",
    "v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-notExpired-withSchema.json",
    "v2/dataIntegrityProof/didKey/oidf-noStatus-notExpired-complexIssuer.json",
]


@pytest.mark.parametrize("name", DCC_SHAPE_ONLY)
def test_real_dcc_credentials_with_shape_findings_verify_with_warnings(shared_ref: Path,
                                                                       name: str) -> None:
    """As the DCC's verifier does: verified, the learner, achievement and issuer named."""
    path = shared_ref / "wild" / "dcc-vc-test-fixtures" / "verifiableCredentials" / name
    result = run(str(path))
    assert result.exit_code == 0, result.output
    assert "Verified, with warnings: “" in result.output
    assert "It does not follow the Open Badges 3.0 rules" in result.output
    assert run(str(path), "--strict").exit_code == 1


def test_a_blockcerts_credential_cannot_be_decided_and_says_so(tmp_path: Path) -> None:
    """A Blockcerts v3 credential (MerkleProof2019): read under the bundled Blockcerts
    context, its proof reported as one that cannot be checked offline — never as a bad
    signature — and could not be checked (exit 3)."""
    result = run(write(tmp_path, blockcerts_v3()))
    assert result.exit_code == 3, result.output
    assert "✓ JSON-LD contexts" in result.output
    assert "? Proof (signature)" in result.output
    assert "matches its Blockcerts (MerkleProof2019) receipt" in result.output
    assert "can only be read from that blockchain" in result.output
    assert "Changed after signing" not in result.output


# --- could not be checked: exit 3, a headline of its own -------------------------------------


def test_a_did_web_on_a_closed_port_could_not_be_checked(tmp_path: Path) -> None:
    """The issuer's DID document is on a real loopback address where nothing listens: the
    connection is refused. Exit 3, a blue ? headline — never the red ✗ of a forgery —, in
    plain words; the DID and the technical reason only among the details."""
    did = f"did:web:localhost%3A{free_port()}"
    result = run(write(tmp_path, signed_by_did_web(did)), loopback=True)
    assert result.exit_code == 3, result.output
    details, _, headline = result.output.rpartition("\n\n")
    assert headline.startswith("? Could not be checked: It claims to be “"), headline
    assert "The issuer's site (localhost:" in headline and "Try again later." in headline
    assert "✗" not in headline and did not in headline and "Errno" not in headline
    assert "Details" in details and "? Proof (signature)" in details and did in details
    assert "(key-out-of-reach)" in details
    japanese = run(write(tmp_path, signed_by_did_web(did)), loopback=True, lang="ja")
    assert japanese.exit_code == 3
    assert "? 確認できませんでした（未判定）：" in japanese.output
    assert "発行者のサイト（localhost:" in japanese.output


@pytest.mark.parametrize("credential", [
    pytest.param(lambda: signed_by_did_web("did:web:issuer.credstack.example"), id="did-web"),
    pytest.param(lambda: signed_with_status("https://status.credstack.example/lists/1"),
                 id="status-list"),
])
def test_offline_fetches_nothing_and_could_not_be_checked(
        tmp_path: Path, credential: Callable[[], dict[str, Any]]) -> None:
    """--offline: neither the DID document nor the status list is fetched (their hosts do not
    even exist); what needed them could not be checked, saying it was offline."""
    path = write(tmp_path, credential())
    result = run(path, "--offline")
    assert result.exit_code == 3, result.output
    assert "nothing is fetched in offline mode" in result.output
    report = json.loads(run(path, "--offline", "--json").stdout)
    assert report["verified"] is False and report["outcome"] == "could-not-be-checked"
    assert [error["missing"]["why"] for error in report["errors"]
            if error["outcome"] == "could-not-be-checked"] == ["offline"]


def test_offline_still_verifies_what_needs_no_fetch_and_refuses_a_forgery(
        tmp_path: Path) -> None:
    """A did:key credential needs nothing fetched: verified offline (0); a tampered one is
    still not verified (1)."""
    assert run(write(tmp_path, signed()), "--offline").exit_code == 0
    assert run(write(tmp_path, tampered()), "--offline").exit_code == 1


def test_offline_refuses_a_url_it_would_have_to_fetch() -> None:
    result = run("https://credentials.credstack.example/1.json", "--offline")
    assert result.exit_code == 2
    assert "--offline" in result.output


# --- the trust check (issue 42) ---------------------------------------------------------------


def _store_env(settings: Settings, lang: str = "en") -> dict[str, str]:
    return {"CREDSTACK_LANG": lang, "CREDSTACK_VERIFY_OFFLINE": "",
            "CREDSTACK_SECRET_KEY": RECOGNITION_SECRET, "CREDSTACK_SECRET_KEY_FILE": "",
            "CREDSTACK_PUBLIC_URL": RECOGNITION_URL, "CREDSTACK_DATA_DIR": str(settings.data_dir),
            "CREDSTACK_DATABASE_URL": "" if settings.is_sqlite else settings.database_url}


def test_require_trusted_checks_the_issuer_in_the_registries(settings: Settings,
                                                             tmp_path: Path) -> None:
    """A credential of a recognised provider: verified, with the trust line; once the
    recognition is withdrawn, not verified under --require-trusted (1), and could not be
    checked (3) when a trusted registry could not be read — named by a flag, or by the
    service's own settings (CREDSTACK_TRUST_REGISTRIES, CREDSTACK_REQUIRE_TRUSTED)."""
    store = prepare_recognition(settings)
    store.grant("R-2026-0200")
    path = write(tmp_path, store.learner_credential)
    env = _store_env(settings)
    listed = CliRunner().invoke(app, ["verify", path, "--require-trusted", "--offline"], env=env)
    assert listed.exit_code == 0, listed.output
    assert "Recognised provider: Hokuto Institute of Technology (this registry)" in listed.output
    as_json = CliRunner().invoke(app, ["verify", path, "--require-trusted", "--offline",
                                       "--json"], env=env)
    trust = json.loads(as_json.stdout)["trust"]
    assert trust["state"] == "listed" and trust["covers_programme"] is True
    assert trust["line"]["ja"] == "認定された提供機関：北都工科大学（この登録簿）"
    with store.sessions() as session, session.begin():
        recognitions.withdraw(session, recognition="R-2026-0200", reason="Rubric not published.",
                              now=RECOGNITION_NOW, secret=store.secret)
    plain = CliRunner().invoke(app, ["verify", path, "--offline"], env=env)
    assert plain.exit_code == 0, plain.output
    refused = CliRunner().invoke(app, ["verify", path, "--require-trusted", "--offline"], env=env)
    assert refused.exit_code == 1, refused.output
    assert "none of the trusted registries" in refused.output
    unknown = CliRunner().invoke(app, ["verify", path, "--require-trusted", "--offline",
                                       "--registry-dcc", "https://registry.example/registry.json"],
                                 env=env)
    assert unknown.exit_code == 3, unknown.output
    assert "could not be checked" in unknown.output
    configured = CliRunner().invoke(app, ["verify", path, "--offline"], env={
        **env, "CREDSTACK_REQUIRE_TRUSTED": "1",
        "CREDSTACK_TRUST_REGISTRIES": "own,dcc:https://registry.example/registry.json"})
    assert configured.exit_code == 3, configured.output  # as the service is configured
    assert "registry.example" in configured.output
    store.sessions.kw["bind"].dispose()


def test_a_sealed_edc_is_read_with_the_operators_elm_files(shared_ref: Path) -> None:
    """Without a store, ``CREDSTACK_ELM_DIR`` still gives the EDC's contexts and shapes; with
    no trust list the seal's issuer could not be checked."""
    sample = shared_ref / "elm/ec-elm/credentials/Sample-MC-Annex1-signed.jsonld"
    result = CliRunner().invoke(app, ["verify", str(sample), "--json"], env={
        "CREDSTACK_LANG": "en", "CREDSTACK_ELM_DIR": str(shared_ref / "elm"),
        "CREDSTACK_ELM_TRUST": "", "CREDSTACK_VERIFY_OFFLINE": ""})
    body = json.loads(result.stdout)
    assert body["outcome"] == "could-not-be-checked"
    outcomes = {check["check"]: check["outcome"] for check in body["checks"]}
    assert outcomes["proof"] == outcomes["contexts"] == outcomes["elm-shapes"] == "passed"
    assert outcomes["issuer"] == "undecided"


def _outside_jwt() -> tuple[str, KeyPair]:
    """A vc+jwt of an HTTPS issuer whose kid is bare: no DID names its key."""
    key = KeyPair.generate(KeyType.P256)
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2",
                               "https://www.w3.org/ns/credentials/examples/v2"],
                  "type": ["VerifiableCredential"], "issuer": "https://issuer.example",
                  "validFrom": "2026-01-01T00:00:00Z",
                  "credentialSubject": {"id": "did:example:learner", "name": "Hanako"}}
    return sign_vc_jwt(credential, key=key, kid="key-1"), key


def test_a_key_given_with_key_verifies_a_jwt_whose_kid_nothing_resolves(tmp_path: Path) -> None:
    """--key (a JWK Set whose kid is the token's, or a PEM file) verifies a vc+jwt of an
    HTTPS issuer offline; without it the key is out of reach (3), with another key it fails
    (1), and a private key file is refused (2)."""
    token, key = _outside_jwt()
    path = write(tmp_path, token, "credential.jwt")
    assert run(path, "--offline").exit_code == 3
    jwks = write(tmp_path, {"keys": [{**key.public_key.to_jwk(), "kid": "key-1"}]}, "keys.json")
    result = run(path, "--offline", "--key", jwks)
    assert result.exit_code == 0, result.output
    assert "https://issuer.example#key-1" in result.output
    pem = ec.derive_private_key(int.from_bytes(key.secret_bytes(), "big"), ec.SECP256R1())
    public_pem = pem.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    (tmp_path / "key.pem").write_bytes(public_pem)
    assert run(path, "--offline", "--key", str(tmp_path / "key.pem")).exit_code == 0
    other = write(tmp_path, KeyPair.generate(KeyType.P256).public_key.to_jwk(), "other.json")
    assert run(path, "--offline", "--key", other).exit_code == 1
    private = pem.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    (tmp_path / "private.pem").write_bytes(private)
    refused = run(path, "--offline", "--key", str(tmp_path / "private.pem"))
    assert refused.exit_code == 2 and "private key" in refused.output
