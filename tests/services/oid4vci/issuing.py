"""What the OID4VCI service tests share: a learner's issued credential, and a wallet that
proves its key as OID4VCI's ``jwt`` proof type says."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.dids import did_key
from credstack.core.oid4vci.metadata import PRE_AUTHORIZED_GRANT
from credstack.core.proofs.cryptosuites import vc_jwt
from credstack.errors import ExchangeProtocolError
from credstack.services.oauth import service as oauth
from credstack.services.oauth.requests import HttpRequest
from credstack.services.oid4vci import service
from credstack.services.oid4vci.offers import NewOffer
from credstack.services.runtime import Runtime
from tests.services.wallet.wallets import Wallets, issue_to


def learners_credential(wallets: Wallets) -> str:
    """The id of a credential issued to Hanako."""
    credential_id: str = json.loads(issue_to(wallets, "hanako@example.jp")[0])["id"]
    return credential_id


def code_of(offer: NewOffer | dict[str, Any]) -> str:
    document = offer.offer if isinstance(offer, NewOffer) else offer
    code: str = document["grants"][PRE_AUTHORIZED_GRANT]["pre-authorized_code"]
    return code


@dataclass(frozen=True)
class Grant:
    access_token: str
    authorization_details: list[dict[str, Any]] | None
    body: dict[str, Any]


def redeem(runtime: Runtime, *, code: str, tx_code: str | None,
           authorization_details: str | None = None) -> Grant:
    """The pre-authorised grant at the authorization server's token endpoint; its refusal
    raised as the :class:`~credstack.errors.ExchangeProtocolError` of the answer's error."""
    form = {"grant_type": [PRE_AUTHORIZED_GRANT], "pre-authorized_code": [code]}
    if tx_code is not None:
        form["tx_code"] = [tx_code]
    if authorization_details is not None:
        form["authorization_details"] = [authorization_details]
    answer = oauth.token(runtime, request=HttpRequest(
        method="POST", url=f"{runtime.settings.public_url}/oauth/token",
        headers={"Content-Type": "application/x-www-form-urlencoded"}, form=form,
        ip="127.0.0.1"))
    body = dict(answer.json())
    if answer.status != 200:
        raise ExchangeProtocolError(str(body.get("error_description")),
                                    error=str(body.get("error")), status=answer.status)
    return Grant(body["access_token"], body.get("authorization_details"), body)


def details(*configurations: str) -> str:
    return json.dumps([{"type": "openid_credential", "credential_configuration_id": name}
                       for name in configurations])


@dataclass
class Wallet:
    """A holder's key, and the key proofs it signs."""

    key: KeyPair

    @classmethod
    def new(cls) -> Wallet:
        return cls(KeyPair.from_secret_bytes(KeyType.ED25519, secrets.token_bytes(32)))

    @property
    def did(self) -> str:
        return did_key.did_from_public_key(self.key.public_key)

    def proof(self, runtime: Runtime, *, nonce: str | None = None, aud: str | None = None,
              typ: str = "openid4vci-proof+jwt", **claims: Any) -> str:
        """A key proof for ``runtime``'s issuer with a fresh nonce (unless given)."""
        payload = {"aud": aud or runtime.settings.public_url,
                   "iat": int(runtime.now().timestamp()),
                   "nonce": nonce if nonce is not None else service.new_nonce(runtime), **claims}
        return vc_jwt.sign_claims({name: value for name, value in payload.items()
                                   if value is not None}, key=self.key,
                                  kid=did_key.verification_method_id(self.key.public_key), typ=typ)
