"""The service provider's reading of the identity provider's LogoutResponse
(credstack.adapters.saml), against an identity provider of pysaml2's own (``saml2.server``)
answering our LogoutRequest: signed by it, by HTTP-Redirect (the query's signature) or by
HTTP-POST (the message's), it is read; unsigned, signed by another key or changed after it
was signed, it is refused with its reason. Whether the answer is to our request, from our
provider, successful and new is :func:`credstack.core.sso.saml.check_logout`'s and the
service's to judge (tests/core/sso/test_saml.py, the SimpleSAMLphp page tests).

The same provider's answer to an AuthnRequest: signed and encrypted to us, it is read; signed
by another key, changed after signing, unsigned, or its ciphertext changed, it is refused
(the signatures verified and the assertion decrypted in process, adapters/saml_crypto.py;
these pass with pysaml2's xmlsec1 backend as well)."""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from credstack.adapters.saml import ServiceProvider, Sp, have_xmlsec, new_key_pair
from credstack.core.sso.saml import SUCCESS, NameId
from credstack.errors import AuthenticationRequiredError
from tests.simplesamlphp import REQUIRE

NOW = dt.datetime.now(dt.UTC)
IDP = "https://idp.hokuto.example.ac.jp/idp/shibboleth"
SP = "https://credstack.example/sso/saml/hokuto/metadata"
SLO = "https://credstack.example/sso/saml/hokuto/slo"
TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"


@dataclass
class Pair:
    sp: ServiceProvider
    idp: Server


def _idp_config(folder: Path, key: str, cert: str, sp_metadata: str | None) -> IdPConfig:
    (folder / "idp.key").write_text(key, encoding="ascii")
    (folder / "idp.crt").write_text(cert, encoding="ascii")
    config = IdPConfig()
    config.load({
        "entityid": IDP, "xmlsec_binary": have_xmlsec(),
        "key_file": str(folder / "idp.key"), "cert_file": str(folder / "idp.crt"),
        "metadata": {"inline": [sp_metadata]} if sp_metadata else {},
        "service": {"idp": {"endpoints": {
            "single_sign_on_service": [(f"{IDP}/sso", BINDING_HTTP_REDIRECT)],
            "single_logout_service": [(f"{IDP}/slo", BINDING_HTTP_REDIRECT),
                                      (f"{IDP}/slo", BINDING_HTTP_POST)]}}},
    })
    return config


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """Our service provider for a pysaml2 identity provider, and that provider, each
    knowing the other by its metadata."""
    if have_xmlsec() is None:
        if REQUIRE:
            pytest.fail("CREDSTACK_REQUIRE_SAML=1 but xmlsec1 is missing")
        pytest.skip("the service provider needs xmlsec1 (apt-get install xmlsec1)")
    folder = tmp_path_factory.mktemp("saml")
    idp_key, idp_cert = new_key_pair("Hokuto IdP", now=NOW)
    idp_metadata = create_metadata_string(
        None, config=_idp_config(folder, idp_key, idp_cert, None), valid=None,
        sign=False).decode("utf-8")
    sp_key, sp_cert = new_key_pair("credstack hokuto", now=NOW)
    sp = ServiceProvider(Sp(entity_id=SP, acs_url="https://credstack.example/sso/saml/acs",
                            slo_url=SLO, key=sp_key, cert=sp_cert, idp_metadata=idp_metadata))
    yield Pair(sp, Server(config=_idp_config(folder, idp_key, idp_cert, sp.metadata())))


def _request(pair: Pair, request_id: str) -> Any:
    """Our LogoutRequest as the identity provider reads it."""
    sent = pair.sp.logout_request(request_id=request_id, name=NameId("t-1", TRANSIENT),
                                  session_index="s-1", relay_state="rs-1")
    query = parse_qs(urlsplit(sent.url).query)
    return pair.idp.parse_logout_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)


def _redirected(pair: Pair, request_id: str) -> dict[str, str]:
    """The identity provider's LogoutResponse by HTTP-Redirect: its query."""
    response = pair.idp.create_logout_response(_request(pair, request_id).message,
                                               [BINDING_HTTP_REDIRECT], sign=False)
    info = pair.idp.apply_binding(BINDING_HTTP_REDIRECT, str(response), SLO, "rs-1",
                                  response=True, sign=True, sigalg=SIG_RSA_SHA256)
    location = dict(info["headers"])["Location"]
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def _posted(pair: Pair, request_id: str, *, idp: Server | None = None) -> str:
    """The identity provider's LogoutResponse by HTTP-POST, its XML signed (by ``idp``'s key
    when given): the SAMLResponse field."""
    signer = idp or pair.idp
    response = signer.create_logout_response(_request(pair, request_id).message,
                                             [BINDING_HTTP_POST], sign=True,
                                             sign_alg=SIG_RSA_SHA256)
    return base64.b64encode(str(response).encode("utf-8")).decode("ascii")


def _read_redirected(pair: Pair, query: dict[str, str]) -> Any:
    return pair.sp.read_logout_response(
        query["SAMLResponse"], binding=BINDING_HTTP_REDIRECT,
        relay_state=query.get("RelayState"), sigalg=query.get("SigAlg"),
        signature=query.get("Signature"))


def _read_posted(pair: Pair, encoded: str) -> Any:
    return pair.sp.read_logout_response(encoded, binding=BINDING_HTTP_POST, relay_state="rs-1",
                                        sigalg=None, signature=None)


def _reason(read: Any, *args: Any) -> str:
    with pytest.raises(AuthenticationRequiredError) as refused:
        read(*args)
    assert refused.value.code == f"sso.refused.{refused.value.params['reason']}"
    return str(refused.value.params["reason"])


def _xml(encoded: str) -> str:
    return base64.b64decode(encoded).decode("utf-8")


def _encode(xml: str) -> str:
    return base64.b64encode(xml.encode("utf-8")).decode("ascii")


def test_a_logout_response_by_http_redirect_signed_by_the_provider_is_read(pair: Pair
                                                                         ) -> None:
    answer = _read_redirected(pair, _redirected(pair, "id-r1"))
    assert (answer.issuer, answer.in_response_to, answer.status) == (IDP, "id-r1", SUCCESS)


def test_a_logout_response_by_http_redirect_without_its_signature_is_refused(pair: Pair
                                                                           ) -> None:
    """Bindings §3.4.4.1: the query carries the signature; without it nothing is signed."""
    query = _redirected(pair, "id-r2")
    del query["Signature"]
    assert _reason(_read_redirected, pair, query) == "unsigned"


def test_a_logout_response_by_http_redirect_whose_query_changed_is_refused(pair: Pair
                                                                         ) -> None:
    """The signature covers the message and the RelayState: either changed, it fails."""
    query = _redirected(pair, "id-r3")
    assert _reason(_read_redirected, pair, {**query, "RelayState": "rs-2"}) == "tampered"
    signature = query["Signature"]
    flipped = ("B" if signature[10] == "A" else "A").join((signature[:10], signature[11:]))
    assert _reason(_read_redirected, pair, {**query, "Signature": flipped}) == "tampered"


def test_a_logout_response_by_http_post_signed_by_the_provider_is_read(pair: Pair) -> None:
    answer = _read_posted(pair, _posted(pair, "id-p1"))
    assert (answer.issuer, answer.in_response_to, answer.status) == (IDP, "id-p1", SUCCESS)


def test_a_logout_response_by_http_post_without_a_signature_is_refused(pair: Pair) -> None:
    """Bindings §3.5.4: by HTTP-POST the message itself is signed."""
    xml = re.sub(r"<ns\d:Signature[ >].*?</ns\d:Signature>|<ds:Signature[ >].*?</ds:Signature>",
                 "", _xml(_posted(pair, "id-p2")), count=1, flags=re.S)
    assert "Signature" not in xml
    assert _reason(_read_posted, pair, _encode(xml)) == "unsigned"


def test_a_logout_response_by_http_post_changed_after_signing_is_refused(pair: Pair) -> None:
    xml = _xml(_posted(pair, "id-p3"))
    changed = xml.replace('InResponseTo="id-p3"', 'InResponseTo="id-p9"', 1)
    assert changed != xml
    assert _reason(_read_posted, pair, _encode(changed)) == "tampered"


def test_a_logout_response_by_http_post_signed_by_another_key_is_refused(
        pair: Pair, tmp_path: Path) -> None:
    """Signed, but not with a key the provider's metadata names."""
    key, cert = new_key_pair("Impostor", now=NOW)
    impostor = Server(config=_idp_config(tmp_path, key, cert, pair.sp.metadata()))
    assert _reason(_read_posted, pair, _posted(pair, "id-p4", idp=impostor)) == "tampered"


def test_what_is_not_a_logout_response_is_refused(pair: Pair) -> None:
    assert _reason(_read_posted, pair, "bm90IHhtbA==") == "malformed"


# The identity provider's answer to an AuthnRequest (HTTP-POST): its signatures verified and
# its assertion decrypted in this process (credstack.adapters.saml_crypto), refused as before.

ACS = "https://credstack.example/sso/saml/acs"


def _answer(pair: Pair, *, idp: Server | None = None, encrypt: bool = True,
            sign_assertion: bool = True, sign_response: bool = True) -> str:
    """The provider's (or ``idp``'s) answer for our service provider, as the XML it posts."""
    signer = idp or pair.idp
    response = signer.create_authn_response(
        {"eduPersonAffiliation": ["staff"], "mail": ["staff1@hokuto.example.ac.jp"]},
        "id-a1", ACS, SP, name_id=NameID(format=TRANSIENT, text="t-a1"),
        authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
        sign_assertion=sign_assertion, sign_response=sign_response, encrypt_assertion=encrypt,
        encrypt_cert_assertion=pair.sp.sp.cert if encrypt else None,
        sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256)
    return str(response)


def test_a_signed_and_encrypted_assertion_is_read(pair: Pair) -> None:
    xml = _answer(pair)
    assert "EncryptedAssertion" in xml and "staff1@" not in xml
    assertion = pair.sp.read_response(_encode(xml))
    assert (assertion.issuer, assertion.name_id, assertion.in_response_to) == \
        (IDP, "t-a1", "id-a1")
    assert "staff1@hokuto.example.ac.jp" in [v for vs in assertion.attributes.values()
                                             for v in vs]


def test_an_assertion_signed_by_another_key_is_refused(pair: Pair, tmp_path: Path) -> None:
    """Signed (response and assertion) and encrypted to us, but not with a key the
    provider's metadata names."""
    key, cert = new_key_pair("Impostor", now=NOW)
    impostor = Server(config=_idp_config(tmp_path, key, cert, pair.sp.metadata()))
    assert _reason(pair.sp.read_response, _encode(_answer(pair, idp=impostor))) == "tampered"
    unencrypted = _answer(pair, idp=impostor, encrypt=False, sign_response=False)
    assert _reason(pair.sp.read_response, _encode(unencrypted)) == "tampered"


def test_an_assertion_changed_after_signing_is_refused(pair: Pair) -> None:
    xml = _answer(pair, encrypt=False, sign_response=False)
    changed = xml.replace(">staff<", ">faculty<", 1)
    assert changed != xml
    assert _reason(pair.sp.read_response, _encode(changed)) == "tampered"


def test_an_unsigned_assertion_is_refused(pair: Pair) -> None:
    xml = _answer(pair, encrypt=False, sign_assertion=False, sign_response=False)
    assert "Signature" not in xml
    assert _reason(pair.sp.read_response, _encode(xml)) == "unsigned"


def test_an_encrypted_assertion_whose_ciphertext_changed_is_not_read(pair: Pair) -> None:
    """The data's CipherValue (the last in the document) with some of its bytes changed:
    what decrypts, if anything, is not the signed assertion."""
    xml = _answer(pair)
    *_, last = re.finditer(r"CipherValue>([^<]+)<", xml)
    sealed = base64.b64decode(last[1])
    changed = sealed[:40] + bytes(b ^ 0x5A for b in sealed[40:56]) + sealed[56:]
    xml = xml[:last.start(1)] + base64.b64encode(changed).decode() + xml[last.end(1):]
    assert _reason(pair.sp.read_response, _encode(xml)) in ("tampered", "malformed")
