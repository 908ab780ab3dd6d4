"""What a wallet posts to the request_uri (OID4VP 1.0 §5.10, §10.1) and the request fitted to
it: each malformed member named, each unmet capability answered with §8.5's code, and the
request the wallet gets narrowed to what it supports — never something it cannot read."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from credstack.core.oid4vp import dcql, responses
from credstack.core.oid4vp.requests import VP_FORMATS, AuthorizationRequest
from credstack.core.oid4vp.wallet_metadata import (
    WalletMetadata,
    WalletPost,
    fitted,
    read_post,
    signing_alg,
)
from credstack.errors import ExchangeProtocolError
from tests.core.oid4vp.refusals import refused

QUERY: dict[str, Any] = {
    "credentials": [{"id": "ldp", "format": "ldp_vc"}, {"id": "jwt", "format": "jwt_vc_json"},
                    {"id": "sd", "format": "dc+sd-jwt"}],
    "credential_sets": [{"options": [["ldp"], ["jwt"], ["sd"]]}],
}
REQUEST = AuthorizationRequest("https://verifier.example/r", "n", "s", dcql.parse(QUERY), QUERY,
                               {"vp_formats_supported": VP_FORMATS}, "did:key:z6Mk")


def _form(metadata: Any, **more: str) -> dict[str, str]:
    return {"wallet_metadata": json.dumps(metadata), **more}


def test_the_posted_metadata_and_nonce_are_read() -> None:
    """The members credstack reads; unknown ones (and other form fields) ignored."""
    post = read_post(_form({"vp_formats_supported": {"vc+sd-jwt": None, "ldp_vc": {}},
                            "client_id_prefixes_supported": ["decentralized_identifier"],
                            "request_object_signing_alg_values_supported": ["EdDSA"],
                            "authorization_encryption_enc_values_supported": ["A256GCM"],
                            "something_else": 1}, wallet_nonce="abc", other="x"))
    assert post == WalletPost(WalletMetadata(
        {"dc+sd-jwt": {}, "ldp_vc": {}}, ("decentralized_identifier",), ("EdDSA",), None,
        ("A256GCM",)), "abc")
    assert read_post({}) == WalletPost()


@pytest.mark.parametrize(("form", "why"), [
    ({"wallet_metadata": "{"}, "wallet_metadata is not JSON"),
    ({"wallet_metadata": "[" * 100_000}, "longer than"),
    ({"wallet_metadata": "[" * 20_000 + "]" * 20_000}, "longer than"),
    ({"wallet_metadata": "[" * 5_000 + "]" * 5_000}, "nested too deeply"),
    ({"wallet_metadata": "[[]]"}, "must be a JSON object"),
    (_form({"vp_formats_supported": []}), "vp_formats_supported must be a JSON object"),
    (_form({"vp_formats_supported": {"ldp_vc": "yes"}}),
     "vp_formats_supported.ldp_vc must be a JSON object"),
    (_form({"client_id_prefixes_supported": "decentralized_identifier"}),
     "client_id_prefixes_supported must be an array of strings"),
    (_form({"authorization_encryption_alg_values_supported": [1]}),
     "authorization_encryption_alg_values_supported must be an array of strings"),
    (_form({"jwks": []}), "jwks must be a JSON Web Key Set"),
    (_form({"issuer": ["https://wallet.example"]}), "issuer must be a string"),
    ({"wallet_nonce": ""}, "wallet_nonce must be 1 to 256"),
    ({"wallet_nonce": "n" * 257}, "wallet_nonce must be 1 to 256"),
    ({"wallet_nonce": "a\nb"}, "printable ASCII"),
    ({"wallet_nonce": "ナンス"}, "printable ASCII"),
])
def test_a_malformed_post_is_invalid_request_naming_the_member(form: dict[str, str],
                                                                why: str) -> None:
    with refused(why) as raised:
        read_post(form)
    assert raised.value.error == "invalid_request" and raised.value.status == 400


def test_without_metadata_the_request_is_served_as_made() -> None:
    assert fitted(REQUEST, None) is REQUEST
    assert fitted(REQUEST, WalletMetadata()) == REQUEST


def test_the_query_keeps_only_the_formats_the_wallet_presents() -> None:
    """An SD-JWT wallet gets the SD-JWT Credential Query alone, and client_metadata names
    only that format."""
    served = fitted(REQUEST, WalletMetadata(vp_formats={"dc+sd-jwt": {}}))
    assert [item["id"] for item in served.query_json["credentials"]] == ["sd"]
    assert served.query_json["credential_sets"] == [{"options": [["sd"]]}]
    assert list(served.client_metadata["vp_formats_supported"]) == ["dc+sd-jwt"]
    assert REQUEST.query_json == QUERY, "the stored query is not changed"


def test_a_format_with_no_algorithm_in_common_is_not_kept() -> None:
    served = fitted(REQUEST, WalletMetadata(vp_formats={
        "jwt_vc_json": {"alg_values": ["ES384"]}, "ldp_vc": {"cryptosuite_values":
                                                             ["eddsa-jcs-2022"]}}))
    assert [item["id"] for item in served.query_json["credentials"]] == ["ldp"]


@pytest.mark.parametrize("metadata", [
    WalletMetadata(vp_formats={}),
    WalletMetadata(vp_formats={"mso_mdoc": {}}),
    WalletMetadata(vp_formats={"dc+sd-jwt": {"kb-jwt_alg_values": ["ES384"]}}),
], ids=["none", "another-format", "no-common-algorithm"])
def test_no_format_that_satisfies_the_query_is_vp_formats_not_supported(
        metadata: WalletMetadata) -> None:
    with refused("no combination the query accepts") \
            as raised:
        fitted(REQUEST, metadata)
    assert raised.value.error == "vp_formats_not_supported"


def test_every_required_credential_must_be_in_a_supported_format() -> None:
    """Without Credential Sets every Credential Query is required: one the wallet cannot
    present leaves the query unsatisfiable."""
    query = {"credentials": QUERY["credentials"][:2]}
    both = dataclasses.replace(REQUEST, query=dcql.parse(query), query_json=query)
    with pytest.raises(ExchangeProtocolError) as raised:
        fitted(both, WalletMetadata(vp_formats={"ldp_vc": {}}))
    assert raised.value.error == "vp_formats_not_supported"
    assert fitted(both, WalletMetadata(vp_formats={"ldp_vc": {}, "jwt_vc_json": {}})) \
        .query_json == query


def test_a_wallet_without_the_decentralized_identifier_prefix_is_invalid_request() -> None:
    """§8.5: "The Wallet does not support the Client Identifier Prefix"."""
    with refused("decentralized_identifier") as raised:
        fitted(REQUEST, WalletMetadata(client_id_prefixes=("x509_san_dns",)))
    assert raised.value.error == "invalid_request"
    assert fitted(REQUEST, WalletMetadata(
        client_id_prefixes=("decentralized_identifier",))) == REQUEST


ENCRYPTED = dataclasses.replace(
    REQUEST, response_mode="direct_post.jwt",
    client_metadata={"vp_formats_supported": VP_FORMATS,
                     "encrypted_response_enc_values_supported": list(responses.ENC_VALUES)})


def test_an_encrypted_request_offers_the_content_encryptions_both_know() -> None:
    served = fitted(ENCRYPTED, WalletMetadata(encryption_algs=("ECDH-ES",),
                                              encryption_encs=("A256GCM", "A192GCM")))
    assert served.client_metadata["encrypted_response_enc_values_supported"] == ["A256GCM"]


@pytest.mark.parametrize("metadata", [
    WalletMetadata(encryption_algs=("RSA-OAEP-256",)),
    WalletMetadata(encryption_encs=("A192GCM",)),
], ids=["alg", "enc"])
def test_a_wallet_that_cannot_encrypt_as_asked_is_invalid_request(
        metadata: WalletMetadata) -> None:
    with refused(r"direct_post\.jwt|encrypted with") \
            as raised:
        fitted(ENCRYPTED, metadata)
    assert raised.value.error == "invalid_request"


def test_the_signing_algorithm_is_the_first_the_wallet_verifies() -> None:
    assert signing_alg(None, ["EdDSA", "ES256"]) == "EdDSA"
    assert signing_alg(WalletMetadata(), ["EdDSA"]) == "EdDSA"
    assert signing_alg(WalletMetadata(request_object_signing_algs=("ES256", "EdDSA")),
                       ["EdDSA", "ES256"]) == "EdDSA"
    assert signing_alg(WalletMetadata(request_object_signing_algs=("ES256",)),
                       ["EdDSA", "ES256"]) == "ES256"
    with refused(r"ES384.*EdDSA") as raised:
        signing_alg(WalletMetadata(request_object_signing_algs=("ES384",)), ["EdDSA"])
    assert raised.value.error == "invalid_request"
