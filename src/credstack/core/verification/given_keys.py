"""Keys a verifier's caller gives: a JWK or a JWK Set (RFC 7517 §4, §5), or a public key in
PEM, for the verification methods a credential or presentation names.

*Securing Verifiable Credentials using JOSE and COSE* (W3C Recommendation, 15 May 2025)
§4 "Key Discovery": a verifier may have the issuer's key by other means than a DID document
or JWT VC Issuer Metadata. A caller who has it (a test suite, a developer with the issuer's
key file) gives it; a method the given keys answer for is not looked up elsewhere, any
other goes to the usual resolution.

A key answers for a method when its ``kid`` is the method, or the method's fragment (with
or without ``#``); a set of one key without a ``kid`` answers for every method. The
controller of a method answered for is the method's part before ``#`` (the DID or URL whose
key the caller vouches it is).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OKPKey, RSAKey

from credstack.core.dids.did_web import public_key_from_jwk
from credstack.core.said import said_of
from credstack.core.verification.methods import MethodResolver, VerificationKey
from credstack.errors import CredstackError, InputError, Problem

__all__ = ["GivenKeys", "given_keys_resolver"]

#: A JWK Set larger than this is not a caller's handful of keys.
_MAX_KEYS: Final = 64


@dataclass(frozen=True, slots=True)
class GivenKeys:
    """The public keys a caller gave, each with its ``kid`` (``None``: none given)."""

    keys: tuple[tuple[str | None, VerificationKey], ...]

    @classmethod
    def parse(cls, value: object, *, where: str) -> GivenKeys:
        """A JWK or a JWK Set (``{"keys": [...]}``) as a JSON object; :class:`InputError`
        (a ``verification.keys.*`` code) naming ``where`` for anything else, a private key or
        a key credstack does not read."""
        if not isinstance(value, Mapping):
            raise _refused("not_keys", where, most=_MAX_KEYS)
        if "keys" in value:
            found = value["keys"]
            if not isinstance(found, list) or not found or len(found) > _MAX_KEYS:
                raise _refused("not_keys", f"{where}.keys", most=_MAX_KEYS)
            listed = [(f"{where}.keys[{index}]", jwk) for index, jwk in enumerate(found)]
        else:
            listed = [(where, value)]
        keys = []
        for place, jwk in listed:
            try:
                key = public_key_from_jwk(jwk, where=place)
            except CredstackError as exc:
                raise _refused("unusable", place, why=said_of(exc)) from None
            kid = jwk.get("kid") if isinstance(jwk, Mapping) else None
            keys.append((kid if isinstance(kid, str) else None, key))
        return cls(tuple(keys))

    @classmethod
    def read(cls, data: bytes, *, where: str) -> GivenKeys:
        """A key file's bytes: a JWK or JWK Set in JSON, or a public key in PEM."""
        text = data.decode("utf-8", errors="replace").strip()
        if text.startswith("-----BEGIN"):
            if "PRIVATE KEY" in text.partition("\n")[0]:
                raise _refused("private", where)
            return cls.parse(_pem_jwk(data, where), where=where)
        try:
            value = json.loads(text)
        except ValueError:
            raise _refused("unreadable", where) from None
        return cls.parse(value, where=where)

    def find(self, method: str) -> VerificationKey | None:
        """The given key that answers for ``method`` (see the module), or ``None``."""
        fragment = method.partition("#")[2]
        names = {method, *((fragment, f"#{fragment}") if fragment else ())}
        for kid, key in self.keys:
            if kid is not None and kid in names:
                return key
        if len(self.keys) == 1 and self.keys[0][0] is None:
            return self.keys[0][1]
        return None


def _pem_jwk(data: bytes, where: str) -> dict[str, Any]:
    """A PEM public key (SubjectPublicKeyInfo) as a JWK, whichever of the key types it is."""
    for kind in (OKPKey, ECKey, RSAKey):
        try:
            jwk = dict(kind.import_key(data).as_dict(private=False))
        except (JoseError, ValueError, TypeError):
            continue
        jwk.pop("kid", None)  # joserfc's thumbprint is no kid the caller gave
        return jwk
    raise _refused("unreadable", where)


def _refused(reason: str, where: str, **params: object) -> InputError:
    """The caller's keys refused: ``verification.keys.<reason>``, naming where."""
    code = f"verification.keys.{reason}"
    return InputError(code=code, params={"where": where, **params},
                      problems=[Problem(where, code=code, params={"where": where, **params})])


def given_keys_resolver(keys: GivenKeys, fallback: MethodResolver) -> MethodResolver:
    """A method resolver answering from ``keys`` first, then from ``fallback``."""

    def resolve(method: str) -> tuple[VerificationKey, str]:
        key = keys.find(method)
        if key is None:
            return fallback(method)
        return key, method.partition("#")[0]

    return resolve
