"""The issuer's endpoints of OID4VCI 1.0: metadata, nonces and the credential endpoint.

* :func:`issuer_metadata` — the document at ``/.well-known/openid-credential-issuer``.
* :func:`new_nonce` — a ``c_nonce`` (nothing stored: :mod:`credstack.core.oid4vci.nonces`).
* :func:`issue` — the Credential Request (§8): the access token (of the pre-authorised grant or
  a learner's authorisation, :mod:`.grants`) and the credential it may get, the configuration
  asked for, the key proof (its nonce recorded as used, in the issuance's transaction), then
  that credential bound to the proven key and secured in that configuration's format.
  Audited: ``oid4vci.credential.issued`` / ``oid4vci.credential.refused``.

The token endpoint is the authorization server's (:mod:`credstack.services.oauth`), to which
:mod:`.grants` adds the pre-authorised code grant. Every refusal here is an
:class:`~credstack.errors.ExchangeProtocolError` with the specification's error code; nothing
is issued, and the attempt is in the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

from cachetools import TTLCache

from credstack.adapters.db.repositories import oid4vci as offer_store
from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.activity.events import Channel, Kind
from credstack.core.oid4vci import credentials as shapes
from credstack.core.oid4vci import metadata, nonces, requests
from credstack.core.oid4vci.metadata import CONFIGURATIONS
from credstack.core.oid4vci.proofs import BoundKey, verify_jwt_proof
from credstack.core.proofs import data_integrity
from credstack.core.proofs.cryptosuites import sd_jwt, vc_jwt
from credstack.errors import ExchangeProtocolError, InvalidTokenError
from credstack.services import access as refusals
from credstack.services import audit, counting, issuance, oauth
from credstack.services.oid4vci.grants import Dataset, datasets, identifier
from credstack.services.runtime import Runtime
from credstack.words import error_words

__all__ = ["Issued", "bearer_token", "issue", "issuer_metadata", "new_nonce"]

_NONCE_LABEL: Final = b"credstack oid4vci c_nonce v1"
_ANONYMOUS: Final = "wallet:anonymous"


def issuer_metadata(runtime: Runtime) -> dict[str, Any]:
    """The Credential Issuer Metadata of this deployment."""
    return metadata.issuer_metadata(runtime.settings.public_url,
                                    name={"ja": "credstack", "en": "credstack"})


def _nonce_key(runtime: Runtime) -> bytes:
    found = runtime.caches.get("oid4vci.nonce-key")
    if not isinstance(found, bytes):
        found = runtime.key().derive(_NONCE_LABEL)
        runtime.caches["oid4vci.nonce-key"] = found
    return found


def new_nonce(runtime: Runtime) -> str:
    """A fresh ``c_nonce``."""
    return nonces.issue(key=_nonce_key(runtime), now=runtime.now())


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@contextmanager
def _audited_refusals(runtime: Runtime, *, action: str, subject: Callable[[], str],
                      ip: str | None) -> Iterator[None]:
    """Record every :class:`ExchangeProtocolError` raised in the block, then let it go."""
    try:
        yield
    except ExchangeProtocolError as exc:
        refusals.audit_refused_separately(
            runtime, at=runtime.now(), actor=_ANONYMOUS, action=action,
            subject=subject()[:200], ip=ip,
            details={"error": exc.error, "reason": error_words(exc, "en")[:300],
                     **({"ip": ip} if ip else {})})
        raise


# --- the credential endpoint -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Issued:
    """A Credential Response (§8.3): one credential, in its format's encoding."""

    credential: str | dict[str, Any]
    configuration: str
    credential_id: str

    def to_json(self) -> dict[str, Any]:
        return {"credentials": [{"credential": self.credential}]}


def _signer(runtime: Runtime, organisation: str) -> issuance.Signer:
    """The organisation's opened keys, kept a minute (every credential of a wallet's
    request would otherwise unseal them again)."""
    lock = runtime.caches.setdefault("oid4vci.signers.lock", threading.Lock())
    with lock:
        cache = runtime.caches.setdefault("oid4vci.signers", TTLCache(maxsize=64, ttl=60))
        found = cache.get(organisation)
    if isinstance(found, issuance.Signer):
        return found
    with runtime.sessions() as session:
        signer = issuance.signer_for(session, organisation=organisation, secret=runtime.key(),
                                     public_url=runtime.settings.public_url)
    with lock:
        cache[organisation] = signer
    return signer


def _chosen(request: requests.CredentialRequest, found: list[Dataset]
            ) -> tuple[Dataset, metadata.Configuration]:
    """The credential and configuration a request names, among what its token may get."""
    if request.credential_identifier is not None:
        for item in found:
            for name in item.configurations:
                if request.credential_identifier == identifier(name, item.credential_id):
                    return item, CONFIGURATIONS[name]
        raise ExchangeProtocolError("No credential with that credential_identifier was "
                                    "granted to this access token.",
                                    error="unknown_credential_identifier")
    granted = [item for item in found if request.configuration_id in item.configurations]
    if not granted:
        raise ExchangeProtocolError("The access token was not granted that credential "
                                    "configuration.", error="unknown_credential_configuration")
    if len(granted) > 1:
        raise ExchangeProtocolError("The access token stands for several credentials: name "
                                    "one by its credential_identifier.",
                                    error="invalid_credential_request")
    assert request.configuration_id is not None
    return granted[0], CONFIGURATIONS[request.configuration_id]


def _secure(credential: Mapping[str, Any], *, configuration: metadata.Configuration,
            signer: issuance.Signer, holder: BoundKey, now: dt.datetime) -> str | dict[str, Any]:
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    method = signer.identities.get(str(issuer_id))
    if method is None:
        raise ExchangeProtocolError("The credential's issuer key is no longer active.",
                                    error="credential_request_denied")
    key = signer.methods[method]
    if configuration.format == "ldp_vc":
        signed: dict[str, Any] = data_integrity.sign(
            credential, key=key, verification_method=method, cryptosuite=configuration.signing,
            created=now, document_loader=shared_document_loader())
        return signed
    if configuration.format == "jwt_vc_json":
        return vc_jwt.sign_claims(shapes.jwt_vc_claims(credential, now=now), key=key,
                                  kid=method)
    return sd_jwt.issue(shapes.sd_jwt_claims(credential, holder_jwk=holder.jwk, now=now),
                        key=key, kid=method, disclosable=shapes.disclosable_paths(credential),
                        typ="dc+sd-jwt")


def bearer_token(authorization: str | None) -> str | None:
    """The access token of an ``Authorization: Bearer …`` header (``DPoP`` is not offered)."""
    if authorization is None:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def issue(runtime: Runtime, *, access_token: str | None, body: object,
          ip: str | None = None) -> Issued:
    """Answer a Credential Request (see the module)."""
    subject = ["token:unknown"]
    with _audited_refusals(runtime, action="oid4vci.credential.refused",
                           subject=lambda: subject[0], ip=ip):
        if not access_token or len(access_token) > 128:
            raise ExchangeProtocolError("The Credential Request needs a Bearer access token.",
                                        error="invalid_token", status=401)
        now = runtime.now()
        with runtime.sessions() as session:
            try:
                token = oauth.live_token(session, access_token, now=now)
            except InvalidTokenError as error:
                raise ExchangeProtocolError(oauth.ascii_description(error.message),
                                            error="invalid_token", status=401) from None
            # The token is judged first (RFC 6750 §3.1), then the request's payload.
            request = requests.credential_request(body)
            dataset, configuration = _chosen(request, datasets(session, token))
            row = offer_store.credential_to_issue(session, dataset.row_id)
        assert row is not None
        subject[0] = row.credential_id
        if row.state != "active":
            raise ExchangeProtocolError(f"The credential is {row.state}.",
                                        error="credential_request_denied")
        holder = verify_jwt_proof(request.proof, audience=runtime.settings.public_url,
                                  nonce_key=_nonce_key(runtime), now=now)
        credential = shapes.bound_credential(shapes.unsecured(row.document, row.securing),
                                             holder.did)
        secured = _secure(credential, configuration=configuration,
                          signer=_signer(runtime, row.organisation), holder=holder, now=now)
        with runtime.transaction() as session:
            if not offer_store.spend_nonce(session, nonces.nonce_digest(holder.nonce), at=now,
                                           expires_at=now + nonces.LIFETIME):
                raise ExchangeProtocolError(
                    "The key proof's nonce was already used; fetch a new one.",
                    error="invalid_nonce")
            audit.record(session, at=now, actor=_ANONYMOUS, action="oid4vci.credential.issued",
                         subject=row.credential_id,
                         details={"configuration": configuration.id, "token": token.id,
                                  "holder": holder.did[:200], **({"ip": ip} if ip else {})})
            counting.count_in(session, credential_id=row.credential_id, kind=Kind.CLAIMED,
                              at=now, channel=Channel.OID4VCI)
        return Issued(secured, configuration.id, row.credential_id)
