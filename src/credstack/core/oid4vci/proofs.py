"""The ``jwt`` key proof: the wallet shows it holds the key the credential is bound to.

OID4VCI 1.0 Appendix F.1 and F.4. The JOSE header has ``alg`` (asymmetric, one of
:data:`~.metadata.PROOF_ALGORITHMS`), ``typ: openid4vci-proof+jwt``, and the key as exactly one
of ``kid`` (a ``did:key`` or ``did:jwk`` DID URL) or ``jwk`` (a public JWK, bound as its
``did:jwk``); ``x5c`` is not accepted. The claims: ``aud`` the Credential Issuer Identifier,
``iat``, and ``nonce`` a ``c_nonce`` of this server (:mod:`.nonces`). A proof made before its
nonce (by more than a wallet back-dates, :data:`BACKDATING`), or later than the clock
allows, is refused; the nonce's single use is the caller's to
record (:attr:`BoundKey.nonce`).

Two leniencies, for wallets in circulation, each safe because the nonce is this server's own,
timestamped and single-use: a proof *without* ``typ`` is accepted (any other ``typ`` is
refused, so no other kind of JWT passes for a key proof), and ``nbf`` stands in for a missing
``iat``. Digital Bazaar's ``@digitalbazaar/oid4-client`` 5.10 writes such proofs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from credstack.core.crypto.keys import PublicKey
from credstack.core.crypto.multibase import strict_json
from credstack.core.dids import did_jwk, did_key
from credstack.core.dids.did_web import public_key_from_jwk
from credstack.core.proofs.cryptosuites.vc_jwt import read_header, verify_signature
from credstack.errors import CredstackError, ExchangeProtocolError

from . import nonces
from .metadata import PROOF_ALGORITHMS

__all__ = ["PROOF_TYPE", "BoundKey", "verify_jwt_proof"]

PROOF_TYPE: Final = "openid4vci-proof+jwt"
#: How far ahead of the server's clock a proof's ``iat`` may be.
CLOCK_SKEW: Final = dt.timedelta(seconds=60)
#: How far before its nonce a proof's ``iat`` may be: wallets back-date it to allow for
#: clocks that run ahead (Sphereon's client by 60 seconds).
BACKDATING: Final = dt.timedelta(minutes=5)
_MAX_LENGTH: Final = 16 * 1024
#: The prefix of what a refused key proof says (``oid4vci.refused.proof.…``).
_SAID: Final = "oid4vci.refused.proof."


@dataclass(frozen=True, slots=True)
class BoundKey:
    """The key a verified proof binds the credential to."""

    #: The holder's DID (``did:key`` or ``did:jwk``): the credential subject's ``id``.
    did: str
    #: Its verification method (the proof's ``kid``, or the did:jwk's ``#0``).
    method: str
    public_key: PublicKey
    #: The nonce the proof carried (to be recorded as used).
    nonce: str

    @property
    def jwk(self) -> dict[str, str]:
        return self.public_key.to_jwk()


def _refuse(said: str, **values: object) -> ExchangeProtocolError:
    return ExchangeProtocolError(error="invalid_proof", code=_SAID + said, params=values)


def _key(header: Mapping[str, Any]) -> tuple[str, str, PublicKey]:
    """(DID, verification method, key) named by the header's ``kid`` or ``jwk``."""
    named = [member for member in ("kid", "jwk", "x5c") if member in header]
    if len(named) != 1:
        raise _refuse("one_key")
    try:
        if "jwk" in header:
            key = public_key_from_jwk(header["jwk"], where="the proof's jwk header")
            if not isinstance(key, PublicKey):
                raise _refuse("rsa")
            did = did_jwk.did_from_jwk(key.to_jwk())
            return did, f"{did}#{did_jwk.FRAGMENT}", key
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise _refuse("kid_not_text")
        if kid.startswith(did_key.PREFIX):
            public = did_key.resolve_public_key(kid)
            did = kid.partition("#")[0]
            return did, did_key.verification_method_id(public), public
        if kid.startswith(did_jwk.PREFIX):
            found = did_jwk.resolve_public_key(kid)
            if not isinstance(found, PublicKey):
                raise _refuse("rsa")
            did = kid.partition("#")[0]
            return did, f"{did}#{did_jwk.FRAGMENT}", found
    except CredstackError as exc:
        if isinstance(exc, ExchangeProtocolError):
            raise
        raise ExchangeProtocolError(error="invalid_proof", code=_SAID + "key_unusable",
                                    cause=exc) from None
    raise _refuse("kid_method")


def _time(claims: Mapping[str, Any]) -> dt.datetime:
    value = claims.get("iat", claims.get("nbf"))
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise _refuse("no_iat")
    try:
        return dt.datetime.fromtimestamp(value, dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise _refuse("iat_not_time") from None


def verify_jwt_proof(token: object, *, audience: str, nonce_key: bytes, now: dt.datetime,
                     algorithms: tuple[str, ...] = PROOF_ALGORITHMS) -> BoundKey:
    """The key ``token`` proves possession of, for a credential of ``audience``.

    Raises :class:`~credstack.errors.ExchangeProtocolError`: ``invalid_proof`` for a proof
    that is not one (see the module), ``invalid_nonce`` for a nonce that is not this
    server's, or is too old.
    """
    if not isinstance(token, str) or len(token) > _MAX_LENGTH:
        raise _refuse("not_text")
    try:
        header = read_header(token)
    except CredstackError:
        raise _refuse("not_jwt") from None
    typ = header.get("typ")
    if typ is not None and typ != PROOF_TYPE:
        raise _refuse("typ", typ=PROOF_TYPE)
    if header.get("alg") not in algorithms:
        raise _refuse("alg", algorithms=algorithms)
    did, method, key = _key(header)
    try:
        _, payload = verify_signature(token, key)
        claims = strict_json(payload, "the key proof's payload")
    except CredstackError:
        raise _refuse("signature") from None
    if not isinstance(claims, dict):
        raise _refuse("payload")
    audiences = claims.get("aud")
    if audiences != audience and not (isinstance(audiences, list) and audience in audiences):
        raise _refuse("aud", issuer=audience)
    nonce = claims.get("nonce")
    if nonce is None:
        raise _refuse("no_nonce")
    made = nonces.verify(nonce, key=nonce_key, now=now)
    issued = _time(claims)
    if issued > now + CLOCK_SKEW:
        raise _refuse("future")
    if issued < made - BACKDATING:
        raise _refuse("before_nonce")
    expires = claims.get("exp")
    if isinstance(expires, int | float) and not isinstance(expires, bool) \
            and expires < now.timestamp():
        raise _refuse("expired")
    return BoundKey(did, method, key, nonce)
