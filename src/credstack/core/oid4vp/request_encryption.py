"""Request objects encrypted to the wallet (OID4VP 1.0 §5.10, RFC 9101 §4).

*OpenID for Verifiable Presentations 1.0* §5.10: "If the Wallet requires the Verifier to
encrypt the Request Object, it SHOULD use the ``jwks`` parameter within the
``wallet_metadata`` parameter to pass public encryption keys"; *RFC 9101* §4 (the request
object signed, then encrypted: a nested JWT, RFC 7519 §5.2 ``cty: JWT``); *RFC 7516* JWE with
``ECDH-ES`` on P-256 (RFC 7518 §4.6) and ``A128GCM`` or ``A256GCM`` — the algorithms
credstack's verifier already decrypts responses with (:mod:`.responses`).

* :func:`chosen` — the key and content encryption to encrypt a request object to, from the
  wallet's ``jwks`` (and its RFC 8414 ``request_object_encryption_alg_values_supported`` /
  ``…_enc_values_supported``, when given): None when the wallet gave no key for encryption
  (keys marked ``"use": "sig"`` are not), ``invalid_request`` when it gave keys for
  encryption none of which credstack can encrypt to, or algorithms it does not make.
* :func:`encrypt` — the signed request object as a compact JWE to that key.
* :func:`is_encrypted`, :func:`decrypt` — the wallet's side: the JWS inside, with the private
  key it posted the public half of; ``invalid_request_object`` when it does not decrypt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from credstack.errors import ExchangeProtocolError

from .responses import ALG, ENC_VALUES

__all__ = ["ALG", "ENC_VALUES", "chosen", "decrypt", "encrypt", "is_encrypted"]

#: The JWE ``cty`` of a nested JWT (RFC 7519 §5.2).
CTY: Final = "JWT"
#: The prefix of what a request object that cannot be encrypted says.
_SAID: Final = "oid4vp.refused.encryption."


def _refused(said: str, **values: object) -> ExchangeProtocolError:
    return ExchangeProtocolError(error="invalid_request", code=_SAID + said, params=values)


def _usable(jwk: Mapping[str, Any]) -> bool:
    return (jwk.get("kty") == "EC" and jwk.get("crv") == "P-256"
            and jwk.get("use", "enc") == "enc" and jwk.get("alg", ALG) == ALG
            and isinstance(jwk.get("x"), str) and isinstance(jwk.get("y"), str)
            and "d" not in jwk)


def chosen(jwks: Mapping[str, Any] | None, *, algs: Sequence[str] | None = None,
           encs: Sequence[str] | None = None) -> tuple[Mapping[str, Any], str] | None:
    """The wallet's key to encrypt to and the content encryption (see the module)."""
    keys = [item for item in (jwks or {}).get("keys") or [] if isinstance(item, Mapping)]
    for_encryption = [item for item in keys if item.get("use") != "sig"]
    if not for_encryption:
        return None
    if algs is not None and ALG not in algs:
        raise _refused("wallet_takes", theirs=", ".join(algs)[:120], ours=ALG)
    enc = next((value for value in ENC_VALUES if encs is None or value in encs), None)
    if enc is None:
        raise _refused("wallet_takes", theirs=", ".join(encs or ())[:120], ours=ENC_VALUES)
    key = next((item for item in for_encryption if _usable(item)), None)
    if key is None:
        raise _refused("no_key", alg=ALG)
    return key, enc


def encrypt(token: str, *, jwk: Mapping[str, Any], enc: str) -> str:
    """The signed request object ``token`` as a compact JWE to ``jwk``."""
    header = {"alg": ALG, "enc": enc, "cty": CTY,
              **({"kid": jwk["kid"]} if isinstance(jwk.get("kid"), str) else {})}
    public = {name: jwk[name] for name in ("kty", "crv", "x", "y")}
    return jwe.encrypt_compact(header, token.encode("ascii"), ECKey.import_key(public))


def is_encrypted(token: str) -> bool:
    """Whether ``token`` is a compact JWE (five parts) rather than a JWS (three)."""
    return token.count(".") == 4


def decrypt(token: str, *, key: ECKey) -> str:
    """The signed request object inside ``token``, encrypted to ``key``."""
    try:
        opened = jwe.decrypt_compact(token, key, algorithms=[ALG, *ENC_VALUES])
        return (opened.plaintext or b"").decode("ascii")
    except (JoseError, ValueError):
        raise ExchangeProtocolError(error="invalid_request_object",
                                    code=_SAID + "undecryptable") from None
