"""Credential Offers (OID4VCI 1.0 §4.1): what a wallet scans to start issuance.

An offer names the Credential Issuer, the configurations offered and the grants: here the
pre-authorised code (``urn:ietf:params:oauth:grant-type:pre-authorized_code``), with a
``tx_code`` object when a transaction code (a PIN shown apart from the QR code) must come
with it, and ``authorization_code`` with ``issuer_state`` for wallets that would rather sign
in. It travels as ``openid-credential-offer://?credential_offer=<JSON>`` (by value) or
``…?credential_offer_uri=<https URL>`` (by reference, §4.1.3: smaller QR codes; the URL is
unique per offer).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

from .metadata import PRE_AUTHORIZED_GRANT

__all__ = ["SCHEME", "TxCode", "by_reference", "by_value", "credential_offer"]

SCHEME: Final = "openid-credential-offer://"


@dataclass(frozen=True, slots=True)
class TxCode:
    """How the transaction code looks, for the wallet's input screen (§4.1.1)."""

    length: int
    description: str
    input_mode: str = "numeric"

    def to_json(self) -> dict[str, Any]:
        return {"input_mode": self.input_mode, "length": self.length,
                "description": self.description[:300]}


def credential_offer(*, issuer: str, configuration_ids: Sequence[str],
                     pre_authorized_code: str, tx_code: TxCode | None = None,
                     issuer_state: str | None = None) -> dict[str, Any]:
    """The Credential Offer object."""
    pre_authorized: dict[str, Any] = {"pre-authorized_code": pre_authorized_code}
    if tx_code is not None:
        pre_authorized["tx_code"] = tx_code.to_json()
    grants: dict[str, Any] = {PRE_AUTHORIZED_GRANT: pre_authorized}
    if issuer_state is not None:
        grants["authorization_code"] = {"issuer_state": issuer_state}
    return {"credential_issuer": issuer, "credential_configuration_ids": list(configuration_ids),
            "grants": grants}


def by_value(offer: dict[str, Any]) -> str:
    """The offer as an ``openid-credential-offer://`` URI carrying it."""
    text = json.dumps(offer, separators=(",", ":"), ensure_ascii=False)
    return f"{SCHEME}?credential_offer={quote(text, safe='')}"


def by_reference(url: str) -> str:
    """An ``openid-credential-offer://`` URI that names where the offer is served."""
    return f"{SCHEME}?credential_offer_uri={quote(url, safe='')}"
