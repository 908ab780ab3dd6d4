"""JWT VC Issuer Metadata: where an issuer named by an HTTPS URL publishes its JOSE keys.

SD-JWT-based Verifiable Credentials (SD-JWT VC), IETF OAuth working group draft
``draft-ietf-oauth-sd-jwt-vc-09`` — https://datatracker.ietf.org/doc/draft-ietf-oauth-sd-jwt-vc/
— §5 "JWT VC Issuer Metadata":

* an issuer whose ``iss`` is an HTTPS URL serves its metadata at that URL with
  ``/.well-known/jwt-vc-issuer`` inserted between the host and the path, the path's
  terminating ``/`` removed (:func:`metadata_url`: ``https://example.com/tenant/1234`` →
  ``https://example.com/.well-known/jwt-vc-issuer/tenant/1234``);
* the metadata is a JSON object whose ``issuer`` is exactly the ``iss`` it was fetched for,
  and which gives the issuer's keys either by value (``jwks``, a JWK Set) or by reference
  (``jwks_uri``), never both;
* the key of a JWT is the JWK of that set whose ``kid`` is the JWT header's ``kid``.

credstack serves it for each organisation (:func:`metadata`, every key it ever signed with,
each JWK's ``kid`` the key's fragment, ``key-1``…) and reads it, through an adapter
(:mod:`credstack.adapters.resolvers.did_web`), when a JWT names an HTTPS issuer and a bare
``kid``. Everything here is pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final
from urllib.parse import urlsplit, urlunsplit

from .did_web import VerificationKey

__all__ = ["WELL_KNOWN", "metadata", "metadata_url"]

#: The well-known URI suffix (SD-JWT VC §5.1, registered in §11.1).
WELL_KNOWN: Final = "/.well-known/jwt-vc-issuer"


def metadata_url(issuer: str) -> str:
    """Where the metadata of the HTTPS ``issuer`` is served (its query and fragment, which an
    issuer identifier has none of, left out)."""
    parts = urlsplit(issuer)
    return urlunsplit((parts.scheme, parts.netloc, WELL_KNOWN + parts.path.rstrip("/"), "", ""))


def metadata(issuer: str, keys: Iterable[VerificationKey]) -> dict[str, Any]:
    """The metadata of ``issuer``: its keys by value, each JWK's ``kid`` the key's fragment
    (retired keys too, so that what they signed keeps verifying)."""
    return {"issuer": issuer,
            "jwks": {"keys": [{**key.public_key.to_jwk(), "kid": key.fragment, "use": "sig"}
                              for key in keys]}}
