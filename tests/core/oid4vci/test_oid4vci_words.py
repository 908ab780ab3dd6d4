"""A refused OID4VCI request says what it always said in English, word for word, and the
verifier's staff read it in Japanese.

``refusal_words.json`` holds what :mod:`credstack.core.oid4vci` raised before its words moved
into the catalogues (issue 53): for each refusal of a key proof, a nonce, a Token Request's
``authorization_details``, a Credential Request and a stored credential (one input for each
place it is refused), the specification's error code, the status, the message and the
``error_description`` a wallet reads. They had no Japanese. The refusals are now message keys
(``oid4vci.refused.…``) with their values; worded from the catalogues they must read the same.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.oid4vci import credentials, nonces, proofs, requests
from credstack.errors import ExchangeProtocolError
from tests.words import assert_protocol_refusal_as_recorded, assert_said_in_japanese

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "refusal_words.json").read_text(encoding="utf-8"))
IDS = [f"{row['function']}-{number}" for number, row in enumerate(RECORDED)]
#: What the refusals were recorded with: the nonces' key, the clock, the credential issuer.
KEY = b"n" * 32
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
ISSUER = "https://credstack.example"
MODULES = {"proofs": proofs, "nonces": nonces, "requests": requests,
           "credentials": credentials}
KEYWORDS: dict[str, dict[str, Any]] = {
    "proofs.verify_jwt_proof": {"audience": ISSUER, "nonce_key": KEY, "now": NOW},
    "nonces.verify": {"key": KEY, "now": NOW},
}


def _refused(recorded: dict[str, Any]) -> ExchangeProtocolError:
    module, name = recorded["function"].split(".")
    with pytest.raises(ExchangeProtocolError) as raised:
        getattr(MODULES[module], name)(*recorded["args"],
                                       **KEYWORDS.get(recorded["function"], {}))
    return raised.value


@pytest.mark.parametrize("recorded", RECORDED, ids=IDS)
def test_a_refused_request_says_in_english_what_it_said(recorded: dict[str, Any]) -> None:
    """The refusal is a message key with its values (no words in the code), with the same
    error code and status; its English and the ``error_description`` are the words they had."""
    assert_protocol_refusal_as_recorded(_refused(recorded), recorded, area="oid4vci.refused")


@pytest.mark.parametrize("recorded", RECORDED, ids=IDS)
def test_a_refused_request_is_said_in_japanese(recorded: dict[str, Any]) -> None:
    """Japanese words the refusal in its own words, with the values it names."""
    assert_said_in_japanese(_refused(recorded), recorded, area="oid4vci")
