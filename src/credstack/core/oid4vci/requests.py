"""Token Request and Credential Request parameters, read into small types.

* :func:`authorization_details` — the ``openid_credential`` entries of a Token Request's
  ``authorization_details`` (RFC 9396; OID4VCI 1.0 §5.1.1, §6.1.1): the configurations asked
  for. Anything else there is ``invalid_authorization_details``.
* :func:`credential_request` — a Credential Request (§8.2): exactly one of
  ``credential_identifier`` and ``credential_configuration_id``, and ``proofs`` with one
  ``jwt`` proof (credstack issues one credential per request: it states no
  ``batch_credential_issuance``). The singular ``proof`` object of earlier drafts is read
  too, and a ``proof_type`` member beside ``jwt`` inside ``proofs`` (Digital Bazaar's client
  writes one) is ignored when it says ``jwt``. Encrypted responses are not offered:
  ``credential_response_encryption`` is ``invalid_encryption_parameters``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from credstack.errors import ExchangeProtocolError

from .metadata import CONFIGURATIONS

__all__ = ["CredentialRequest", "authorization_details", "credential_request"]

_MAX_DETAILS: Final = 4096
#: The prefix of what a refused request says (``oid4vci.refused.request.…``).
_SAID: Final = "oid4vci.refused.request."


def _bad(said: str, error: str = "invalid_credential_request",
         **values: object) -> ExchangeProtocolError:
    return ExchangeProtocolError(error=error, code=_SAID + said, params=values)


def authorization_details(text: str | None) -> tuple[str, ...] | None:
    """The configuration ids a Token Request's ``authorization_details`` asks for (``None``
    when it has none)."""
    if text is None:
        return None
    error = "invalid_authorization_details"
    if len(text) > _MAX_DETAILS:
        raise _bad("details_too_long", error)
    try:
        details = json.loads(text)
    except ValueError:
        raise _bad("details_not_json", error) from None
    if not isinstance(details, list) or not details:
        raise _bad("details_not_array", error)
    found = []
    for index, entry in enumerate(details):
        if not isinstance(entry, Mapping) or entry.get("type") != "openid_credential":
            raise _bad("details_type", error, index=index)
        identifier = entry.get("credential_configuration_id")
        if identifier not in CONFIGURATIONS:
            raise _bad("details_configuration", error, index=index)
        found.append(str(identifier))
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True, slots=True)
class CredentialRequest:
    """What a Credential Request asks for: one of the two ids, and the key proof."""

    credential_identifier: str | None
    configuration_id: str | None
    proof: str


def _proof(body: Mapping[str, Any]) -> str:
    proofs, proof = body.get("proofs"), body.get("proof")
    if proofs is not None and proof is not None:
        raise _bad("proofs_and_proof")
    if proofs is None and proof is None:
        raise _bad("no_proof", "invalid_proof")
    if proof is not None:
        if not isinstance(proof, Mapping) or proof.get("proof_type") != "jwt":
            raise _bad("proof_type", "invalid_proof")
        return _one_jwt([proof.get("jwt")])
    if not isinstance(proofs, Mapping):
        raise _bad("proofs_not_object")
    kinds = set(proofs) - ({"proof_type"} if proofs.get("proof_type") == "jwt" else set())
    if kinds != {"jwt"}:
        raise _bad("proofs_type", "invalid_proof")
    listed = proofs["jwt"]
    if not isinstance(listed, list) or not listed:
        raise _bad("proofs_not_array")
    return _one_jwt(listed)


def _one_jwt(listed: list[Any]) -> str:
    if len(listed) > 1:
        raise _bad("one_proof")
    if not isinstance(listed[0], str):
        raise _bad("proof_not_text", "invalid_proof")
    return listed[0]


def credential_request(body: object) -> CredentialRequest:
    """Read a Credential Request's JSON body (see the module)."""
    if not isinstance(body, Mapping):
        raise _bad("not_object")
    if "credential_response_encryption" in body:
        raise _bad("encryption", "invalid_encryption_parameters")
    identifier = body.get("credential_identifier")
    configuration = body.get("credential_configuration_id")
    if (identifier is None) == (configuration is None):
        raise _bad("one_identifier")
    if identifier is not None and not isinstance(identifier, str):
        raise _bad("identifier_not_text")
    if configuration is not None and configuration not in CONFIGURATIONS:
        raise _bad("unknown_configuration", "unknown_credential_configuration")
    return CredentialRequest(identifier, configuration, _proof(body))
