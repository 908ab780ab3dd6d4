"""``credstack sign`` (issue 58): a credential file secured with a key file (JWK or PEM) in
every securing mechanism, which ``credstack verify`` verifies; keys that cannot sign and
unknown formats exit 2 saying why."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from typer.testing import CliRunner

from credstack.core.crypto import KeyPair, KeyType
from credstack.entrypoints.cli.main import app

VC2 = "https://www.w3.org/ns/credentials/v2"
CREDENTIAL = {"@context": [VC2, "https://www.w3.org/ns/credentials/examples/v2"],
              "type": ["VerifiableCredential"], "validFrom": "2026-01-01T00:00:00Z",
              "credentialSubject": {"id": "did:example:learner", "name": "Hanako"}}


def run(*args: str):
    env = {"CREDSTACK_LANG": "en", "CREDSTACK_VERIFY_OFFLINE": ""}
    return CliRunner().invoke(app, list(args), env=env)


def jwk_file(tmp_path: Path, key: KeyPair, *, private: bool = True) -> str:
    jwk = key.public_key.to_jwk()
    if private:
        jwk["d"] = base64.urlsafe_b64encode(key.secret_bytes()).rstrip(b"=").decode()
    path = tmp_path / "key.jwk"
    path.write_text(json.dumps(jwk), encoding="utf-8")
    return str(path)


def credential_file(tmp_path: Path, issuer: str, document: dict[str, object] | None = None
                    ) -> str:
    path = tmp_path / "credential.json"
    path.write_text(json.dumps({**(document or CREDENTIAL), "issuer": issuer}), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("format_name", ["eddsa-rdfc-2022", "eddsa-jcs-2022", "vc+jwt",
                                         "vc+sd-jwt", "vc+cose"])
def test_each_format_signed_with_a_jwk_verifies(tmp_path: Path, format_name: str) -> None:
    """An Ed25519 private JWK signs as its did:key in each mechanism; verify exits 0."""
    key = KeyPair.generate(KeyType.ED25519)
    from credstack.core.dids import did_key

    issuer = did_key.did_from_public_key(key.public_key)
    out = tmp_path / "signed.out"
    signed = run("sign", credential_file(tmp_path, issuer), "--key", jwk_file(tmp_path, key),
                 "--format", format_name, "--output", str(out))
    assert signed.exit_code == 0, signed.output
    verified = run("verify", str(out), "--offline")
    assert verified.exit_code == 0, verified.output


@pytest.mark.parametrize("format_name", ["eddsa-jcs-2022", "vc+jwt", "vc+sd-jwt", "vc+cose"])
def test_a_holder_signs_a_presentation_in_each_format_and_verify_reads_it_as_one(
        tmp_path: Path, format_name: str) -> None:
    """A presentation is secured as its holder secures it (a Data Integrity proof for
    authentication; vp+jwt, vp+sd-jwt, application/vp+cose): verify reads a presentation,
    finds the holder's signature by the holder; changed after signing, the proof fails."""
    from credstack.core.dids import did_key

    key = KeyPair.generate(KeyType.ED25519)
    holder = did_key.did_from_public_key(key.public_key)
    document = {"@context": [VC2], "type": ["VerifiablePresentation"], "holder": holder}
    source = tmp_path / "presentation.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    out = tmp_path / "signed.out"
    signed = run("sign", str(source), "--key", jwk_file(tmp_path, key), "--format",
                 format_name, "--output", str(out))
    assert signed.exit_code == 0, signed.output
    outcomes = _outcomes(out)
    assert outcomes["presentation"] == "info"
    assert (outcomes["proof"], outcomes["holder"]) == ("passed", "passed"), outcomes
    data = out.read_bytes()
    if format_name == "eddsa-jcs-2022":
        changed = data.replace(b'"VerifiablePresentation"', b'"VerifiablePresentation", "X"')
    elif format_name == "vc+cose":
        changed = data.replace(b"www.w3.org", b"www.w3.orG")  # in the payload only
    else:
        changed = _with_payload(data, {**document, "id": "urn:uuid:changed"})
    assert changed != data
    out.write_bytes(changed)
    assert _outcomes(out)["proof"] == "failed"


def test_disclose_names_what_an_sd_jwt_makes_selectively_disclosable(tmp_path: Path) -> None:
    """``--disclose`` (repeatable, dotted paths, an array element by its index) chooses the
    members made disclosable, in place of the subject's members: each named one is a
    disclosure, the rest stay signed in the clear; the SD-JWT verifies, disclosing each."""
    from credstack.core.dids import did_key
    from credstack.core.proofs.cryptosuites import sd_jwt

    key = KeyPair.generate(KeyType.ED25519)
    document = {**CREDENTIAL, "credentialSubject": {
        "id": "did:example:learner", "name": "Hanako", "phones": ["+81-1", "+81-2"]}}
    source = credential_file(tmp_path, did_key.did_from_public_key(key.public_key), document)
    out = tmp_path / "signed.sd-jwt"
    signed = run("sign", source, "--key", jwk_file(tmp_path, key), "--format", "vc+sd-jwt",
                 "--disclose", "validFrom", "--disclose", "credentialSubject.phones[1]",
                 "--output", str(out))
    assert signed.exit_code == 0, signed.output
    token = sd_jwt.parse(out.read_text())
    assert sorted(sd_jwt.disclose(token).paths) == [
        "credentialSubject.phones[1]", "validFrom"]
    assert token.payload["credentialSubject"]["name"] == "Hanako", "not named: in the clear"
    assert "validFrom" not in token.payload
    assert _outcomes(out)["proof"] == "passed"
    missing = run("sign", source, "--key", jwk_file(tmp_path, key), "--format", "vc+sd-jwt",
                  "--disclose", "credentialSubject.address", "--output", str(out))
    assert missing.exit_code == 2 and "credentialSubject.address" in missing.output


def _outcomes(path: Path) -> dict[str, str]:
    verified = run("verify", str(path), "--offline", "--json")
    return {check["check"]: check["outcome"]
            for check in json.loads(verified.output)["checks"]}


def _with_payload(token: bytes, payload: dict[str, object]) -> bytes:
    """A compact JWS (or an SD-JWT's issuer-signed JWT) with another payload, same signature."""
    text = token.decode("ascii")
    jwt, tilde, rest = text.partition("~")
    header, _, signature = jwt.split(".")
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    return f"{header}.{body}.{signature}{tilde}{rest}".encode("ascii")


def test_a_pem_p256_key_signs_a_vc_1_1_credential_as_a_vc_data_model_1_1_jwt(
        tmp_path: Path) -> None:
    """A PEM P-256 key, a VC 1.1 credential, vc+jwt: typ JWT with a vc claim, verified."""
    private = ec.generate_private_key(ec.SECP256R1())
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    (tmp_path / "key.pem").write_bytes(pem)
    key = KeyPair.from_secret_bytes(KeyType.P256, private.private_numbers().private_value
                                    .to_bytes(32, "big"))
    from credstack.core.dids import did_key

    issuer = did_key.did_from_public_key(key.public_key)
    document = {"@context": ["https://www.w3.org/2018/credentials/v1"],
                "type": ["VerifiableCredential"], "issuanceDate": "2026-01-01T00:00:00Z",
                "credentialSubject": {"id": "did:example:learner"}}
    signed = run("sign", credential_file(tmp_path, issuer, document), "--key",
                 str(tmp_path / "key.pem"), "--format", "vc+jwt")
    assert signed.exit_code == 0, signed.output
    token = signed.output.strip()
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header == {"alg": "ES256", "kid": did_key.verification_method_id(key.public_key),
                      "typ": "JWT"}
    (tmp_path / "signed.jwt").write_text(token, encoding="utf-8")
    assert run("verify", str(tmp_path / "signed.jwt"), "--offline").exit_code == 0


def test_keys_and_formats_that_cannot_sign_exit_2(tmp_path: Path) -> None:
    """A public key only, an unknown format, COSE bytes to the terminal: exit 2, saying so."""
    key = KeyPair.generate(KeyType.ED25519)
    document = credential_file(tmp_path, "did:example:issuer")
    public_only = run("sign", document, "--key", jwk_file(tmp_path, key, private=False))
    assert public_only.exit_code == 2 and "public key only" in public_only.output
    unknown = run("sign", document, "--key", jwk_file(tmp_path, key), "--format", "bogus")
    assert unknown.exit_code == 2 and "vc+sd-jwt" in unknown.output
    binary = run("sign", document, "--key", jwk_file(tmp_path, key), "--format", "vc+cose")
    assert binary.exit_code == 2 and "--output" in binary.output
