"""``did:jwk``: a DID that *is* a public JWK, resolved without I/O.

did:jwk Method Specification — Jeremie Miller et al., the text in the ``quartzjer/did-jwk``
repository as last revised (commit 44e186c) — https://github.com/quartzjer/did-jwk/blob/main/spec.md:

* the identifier is ``did:jwk:`` followed by the base64url encoding (RFC 4648 §5, no padding:
  ``[A-Za-z0-9_-]+``) of the UTF-8 JSON text of a JWK (RFC 7517);
* its DID document has one ``JsonWebKey2020`` verification method, ``<did>#0`` (the only
  valid fragment; a ``kid`` in the JWK is not used), listed under ``assertionMethod``,
  ``authentication``, ``capabilityInvocation``, ``capabilityDelegation`` and
  ``keyAgreement`` — only under ``keyAgreement`` when the JWK says ``use: "enc"``, and under
  all but ``keyAgreement`` when it says ``use: "sig"``;
* a JWK with private key material must be rejected.

Keys are read as :func:`~credstack.core.dids.did_web.public_key_from_jwk` reads a DID
document's ``publicKeyJwk`` (the key types :class:`~credstack.core.crypto.keys.KeyType`
supports, and RSA for RS256 VC-JWTs), so a did:jwk and a did:web give the same keys. The JSON
is read strictly: no repeated member, a JSON object. Anything wrong raises
:class:`~credstack.errors.MalformedCredentialError` (``invalidDid``) or, for a key credstack
cannot use, :class:`~credstack.errors.DidDocumentError`.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from typing import Any, Final

from credstack.core.crypto.keys import PublicKey
from credstack.core.crypto.multibase import base64url_json
from credstack.core.said import Listed, Said
from credstack.errors import MalformedCredentialError, Problem

from .did_web import public_key_from_jwk

__all__ = ["CONTEXTS", "FRAGMENT", "PREFIX", "did_from_jwk", "parse", "resolve",
           "resolve_public_key"]

PREFIX: Final = "did:jwk:"
#: The prefix of what this module says (``dids.jwk.…``).
_SAID: Final = "dids.jwk."
#: The fragment of a did:jwk's one verification method.
FRAGMENT: Final = "0"
CONTEXTS: Final = ("https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1")
_VALUE = re.compile(r"[A-Za-z0-9_-]+")
#: JWK members only a private (or symmetric) key has (RFC 7518 §6.2.2, §6.3.2, §6.4).
_PRIVATE_MEMBERS: Final = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")
_SIGNING: Final = ("assertionMethod", "authentication", "capabilityInvocation",
                   "capabilityDelegation")


def did_from_jwk(jwk: Mapping[str, Any]) -> str:
    """The ``did:jwk`` of a public JWK (its compact JSON text, members in the order given)."""
    text = json.dumps(dict(jwk), separators=(",", ":"), ensure_ascii=False)
    return PREFIX + base64.urlsafe_b64encode(text.encode("utf-8")).rstrip(b"=").decode("ascii")


def parse(did_url: str) -> tuple[str, dict[str, Any], str | None]:
    """Split a ``did:jwk`` DID or DID URL into (DID, its JWK, fragment or ``None``).

    The JWK is read, not yet judged as a key (see :func:`resolve_public_key`); one with
    private key material is refused here already.
    """
    if not isinstance(did_url, str):
        raise MalformedCredentialError(code=_SAID + "not_text")
    did, hash_sign, fragment = did_url.partition("#")
    if not did.startswith(PREFIX):
        raise _invalid(did_url, Problem("did", code=_SAID + "expected"))
    value = did[len(PREFIX):]
    if not _VALUE.fullmatch(value):
        raise _invalid(did_url, Problem("did", code=_SAID + "base64url"))
    try:
        jwk = base64url_json(value, "the identifier")
    except MalformedCredentialError as exc:
        raise _invalid(did_url, Problem("did", "" if exc.code else exc.message,
                                        code=exc.code, params=exc.params)) from None
    if not isinstance(jwk, dict):
        raise _invalid(did_url, Problem("did", code=_SAID + "not_object"))
    if not isinstance(jwk.get("kty"), str):
        raise _invalid(did_url, Problem("did", code=_SAID + "no_kty"))
    private = [member for member in _PRIVATE_MEMBERS if member in jwk]
    if private:
        raise _invalid(did_url, Problem("did", code=_SAID + "private",
                                        params={"members": Listed(private)}))
    return did, jwk, fragment if hash_sign else None


def resolve(did: str) -> dict[str, Any]:
    """The DID document of a ``did:jwk`` (a fragment, if any, is ignored)."""
    did, jwk, _ = parse(did)
    method_id = f"{did}#{FRAGMENT}"
    document: dict[str, Any] = {
        "@context": list(CONTEXTS), "id": did,
        "verificationMethod": [{"id": method_id, "type": "JsonWebKey2020", "controller": did,
                                "publicKeyJwk": jwk}]}
    use = jwk.get("use")
    relationships = (() if use == "enc" else _SIGNING) + (() if use == "sig"
                                                          else ("keyAgreement",))
    for relationship in relationships:
        document[relationship] = [method_id]
    return document


def resolve_public_key(verification_method: str) -> PublicKey | dict[str, str]:
    """The signing key a ``did:jwk`` verification method (``<did>#0``, or the DID) names.

    Raises :class:`~credstack.errors.MalformedCredentialError` for another fragment or a DID
    that is not one, :class:`~credstack.errors.DidDocumentError` for a key meant for
    encryption (``use: "enc"``) or one credstack does not read.
    """
    did, jwk, fragment = parse(verification_method)
    if fragment is not None and fragment != FRAGMENT:
        raise MalformedCredentialError(
            code=_SAID + "not_its_key",
            params={"method": verification_method, "did": did, "fragment": FRAGMENT},
            problems=[Problem("verificationMethod", code="dids.key.unknown_fragment",
                              params={"fragment": fragment})])
    return public_key_from_jwk(jwk, where=Said(_SAID + "where", did=did))


def _invalid(did_url: str, reason: Problem) -> MalformedCredentialError:
    """``did_url`` (shown shortened) is no did:jwk (``invalidDid``), for ``reason``."""
    shown = did_url if len(did_url) <= 80 else did_url[:77] + "…"
    return MalformedCredentialError(code=_SAID + "invalid", params={"quoted": repr(shown)},
                                    problems=[reason])
