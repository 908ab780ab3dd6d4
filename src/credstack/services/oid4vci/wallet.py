"""The learner's wallet as an OID4VCI 1.0 client: an offer from any issuer, received into the
wallet.

:func:`accept_offer` takes what the learner scanned or pasted — ``openid-credential-offer://``
with the offer by value or by reference — and runs the pre-authorised code flow against the
offering issuer, every request through the hardened fetcher (HTTPS, public addresses only):
the Credential Issuer Metadata (§12.2.2, the well-known path inserted before any path), the
authorisation server's RFC 8414 metadata (the first of ``authorization_servers``, else the
issuer), the token request (with the transaction code the learner typed, when the offer asks
for one), a ``c_nonce``, and the Credential Request with a ``jwt`` key proof signed by the
learner's holder key (``did:key``), for the first offered configuration the wallet keeps
(``ldp_vc``, then ``jwt_vc_json``, then ``dc+sd-jwt``). The credential then goes through the
wallet's import (screened, verified, kept as it came, audited ``wallet.credential.imported``)
with the issuer as its source; an issuer's refusal is an
:class:`~credstack.errors.ExchangeProtocolError` with its error code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import parse_qsl, urlsplit

from credstack.adapters.resolvers.fetch import fetch_bytes, post
from credstack.core.access import Action, Actor
from credstack.core.dids import did_key
from credstack.core.oid4vci.metadata import FORMAT_ALIASES, PRE_AUTHORIZED_GRANT
from credstack.core.proofs.cryptosuites import vc_jwt
from credstack.core.said import Said
from credstack.errors import ExchangeProtocolError, InputError, Problem
from credstack.services import wallet
from credstack.services.runtime import Runtime

__all__ = ["accept_offer"]

#: The formats the wallet asks for, in order of preference.
PREFERRED: Final = ("ldp_vc", "jwt_vc_json", "dc+sd-jwt")
_MAX_DOCUMENT: Final = 256 * 1024


def _json(data: bytes | None, what: str) -> dict[str, Any]:
    try:
        found = json.loads(data or b"")
    except ValueError:
        found = None
    if not isinstance(found, dict):
        raise InputError(code="wallet.refused.oid4vci_unreadable",
                         params={"what": Said("wallet.oid4vci.what." + what.replace(" ", "_"))},
                         problems=[Problem(what, "not JSON")])
    return found


def _offer(uri: str) -> dict[str, Any]:
    fields = dict(parse_qsl(urlsplit(uri.strip()).query, keep_blank_values=True))
    if "credential_offer" in fields:
        try:
            found = json.loads(fields["credential_offer"])
        except ValueError:
            found = None
        if isinstance(found, dict):
            return found
    elif "credential_offer_uri" in fields:
        return _json(fetch_bytes(fields["credential_offer_uri"], limit=_MAX_DOCUMENT),
                     "credential offer")
    raise InputError(code="wallet.refused.oid4vci_not_offer",
                     problems=[Problem("offer", uri[:100])])


def _well_known(identifier: str, name: str) -> str:
    parts = urlsplit(identifier)
    path = parts.path.rstrip("/")
    return f"{parts.scheme}://{parts.netloc}/.well-known/{name}{path}"


def _rank(configuration: Mapping[str, Any]) -> int:
    """Where a configuration's format stands in :data:`PREFERRED` (unknown ones last)."""
    kind = configuration.get("format")
    kind = FORMAT_ALIASES.get(kind, kind) if isinstance(kind, str) else kind
    return PREFERRED.index(kind) if kind in PREFERRED else len(PREFERRED)


def _refused(answer: Any, where: str) -> ExchangeProtocolError:
    body = answer.json()
    error = body.get("error") if isinstance(body, dict) else None
    description = body.get("error_description", "") if isinstance(body, dict) else ""
    return ExchangeProtocolError(
        f"The issuer refused the {where} (HTTP {answer.status}): {error} {description}".strip(),
        error=str(error or "invalid_request"))


def accept_offer(runtime: Runtime, *, actor: Actor, uri: str, tx_code: str | None = None
                 ) -> wallet.Imported:
    """Receive the offered credential into the caller's wallet (see the module)."""
    principal = wallet.wallet_owner(actor, Action.WALLET_WRITE)
    assert principal.user_id is not None
    offer = _offer(uri)
    issuer = offer.get("credential_issuer")
    if not isinstance(issuer, str) or not issuer.startswith("https://"):
        raise InputError(code="wallet.refused.oid4vci_issuer_not_https")
    grant = (offer.get("grants") or {}).get(PRE_AUTHORIZED_GRANT)
    if not isinstance(grant, Mapping) or not grant.get("pre-authorized_code"):
        raise InputError(code="wallet.refused.oid4vci_not_pre_authorised")
    if "tx_code" in grant and not tx_code:
        raise InputError(code="wallet.refused.oid4vci_tx_code_needed",
                         problems=[Problem("tx_code", "required")])
    metadata = _json(fetch_bytes(_well_known(issuer, "openid-credential-issuer"),
                                 limit=_MAX_DOCUMENT), "credential issuer metadata")
    if metadata.get("credential_issuer") != issuer:
        raise InputError(code="wallet.refused.oid4vci_other_issuer")
    servers = metadata.get("authorization_servers") or [issuer]
    authorization = _json(fetch_bytes(_well_known(str(servers[0]), "oauth-authorization-server"),
                                      limit=_MAX_DOCUMENT), "authorization server metadata")
    configurations = metadata.get("credential_configurations_supported") or {}
    offered = [name for name in offer.get("credential_configuration_ids") or []
               if isinstance(configurations.get(name), Mapping)]
    ranked = sorted(offered, key=lambda name: _rank(configurations[name]))
    if not ranked:
        raise InputError(code="wallet.refused.oid4vci_no_configuration")
    chosen = ranked[0]
    form = {"grant_type": PRE_AUTHORIZED_GRANT,
            "pre-authorized_code": str(grant["pre-authorized_code"]),
            **({"tx_code": tx_code} if tx_code else {})}
    token = post(str(authorization.get("token_endpoint")), form=form)
    if token.status != 200 or not isinstance(token.json(), dict):
        raise _refused(token, "token request")
    access = token.json()
    nonce = None
    if isinstance(metadata.get("nonce_endpoint"), str):
        answered = post(metadata["nonce_endpoint"], form={})
        nonce = (answered.json() or {}).get("c_nonce") if answered.status == 200 else None
    now = runtime.now()
    with runtime.transaction() as session:
        key, _ = wallet.holder_key(session, runtime.key(), user_id=principal.user_id, now=now)
    proof = vc_jwt.sign_claims(
        {"aud": issuer, "iat": int(now.timestamp()), **({"nonce": nonce} if nonce else {})},
        key=key, kid=did_key.verification_method_id(key.public_key),
        typ="openid4vci-proof+jwt")
    details = access.get("authorization_details") or []
    identifiers = [item for entry in details if isinstance(entry, Mapping)
                   and entry.get("credential_configuration_id") == chosen
                   for item in entry.get("credential_identifiers") or []]
    request: dict[str, Any] = ({"credential_identifier": identifiers[0]} if identifiers
                               else {"credential_configuration_id": chosen})
    answer = post(str(metadata.get("credential_endpoint")), json_body={
        **request, "proofs": {"jwt": [proof]}},
        headers={"Authorization": f"Bearer {access.get('access_token')}"})
    body = answer.json()
    if answer.status != 200 or not isinstance(body, dict) or not body.get("credentials"):
        raise _refused(answer, "credential request")
    credential = body["credentials"][0].get("credential")
    data = (json.dumps(credential, ensure_ascii=False) if isinstance(credential, dict)
            else str(credential)).encode("utf-8")
    return wallet.import_credential(runtime, actor=actor, data=data, source="url",
                                    source_url=issuer)
