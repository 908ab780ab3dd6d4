"""A refused OID4VP request, request object, wallet metadata or response says what it always
said in English, word for word, and the verifier's staff read it in Japanese.

``refusal_words.json`` holds what :mod:`credstack.core.oid4vp` raised before its words moved
into the catalogues (issue 53): for each place a DCQL query, a request by value or by
reference, a request object, a wallet's metadata, an encrypted response or an encrypted
request object is refused (one input each; a long input recorded as a text repeated), the
specification's error code, the status, the message and the ``error_description``. They had
no Japanese. The refusals are now message keys (``oid4vp.refused.…``) with their values;
worded from the catalogues they must read the same.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from credstack.core.oid4vp import (
    dcql,
    request_encryption,
    request_objects,
    requests,
    responses,
    wallet_metadata,
)
from credstack.errors import ExchangeProtocolError
from tests.words import assert_protocol_refusal_as_recorded, assert_said_in_japanese

RECORDED: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "refusal_words.json").read_text(encoding="utf-8"))
IDS = [f"{row['function']}-{number}" for number, row in enumerate(RECORDED)]
MODULES = {"dcql": dcql, "requests": requests, "request_objects": request_objects,
           "wallet_metadata": wallet_metadata, "responses": responses,
           "request_encryption": request_encryption}


def _expanded(arg: Any) -> Any:
    """A long text recorded short: ``{"before": …, "repeated": c, "times": n}``."""
    if isinstance(arg, dict) and set(arg) == {"before", "repeated", "times"}:
        return arg["before"] + arg["repeated"] * arg["times"]
    if isinstance(arg, dict):
        return {name: _expanded(value) for name, value in arg.items()}
    return arg


def _call(row: dict[str, Any]) -> Any:
    """The recorded call: a request object's reference and clock, a verifier's key by its
    seed, a wallet's metadata by the form it posted, a request by its fields."""
    module, name = row["function"].split(".")
    args = [_expanded(arg) for arg in row["args"]]
    kwargs = dict(row.get("kwargs", {}))
    if "now" in kwargs:
        kwargs["now"] = dt.datetime.fromisoformat(kwargs["now"])
    if "shown" in kwargs:
        kwargs["shown"] = request_objects.Reference(*kwargs["shown"])
    if "seed" in kwargs:
        kwargs["key"] = responses.key_from_seed(bytes.fromhex(kwargs.pop("seed")))
    if name == "signing_alg":
        args[0] = wallet_metadata.read_post(args[0]).metadata
    if name == "fitted":
        fields, signer, form = args
        args = [requests.read_fields(fields, signer=signer),
                wallet_metadata.read_post(form).metadata]
    return getattr(MODULES[module], name)(*args, **kwargs)


def _refused(recorded: dict[str, Any]) -> ExchangeProtocolError:
    with pytest.raises(ExchangeProtocolError) as raised:
        _call(recorded)
    return raised.value


@pytest.mark.parametrize("recorded", RECORDED, ids=IDS)
def test_a_refused_request_says_in_english_what_it_said(recorded: dict[str, Any]) -> None:
    """The refusal is a message key with its values (no words in the code), with the same
    error code and status; its English and the ``error_description`` are the words they had."""
    assert_protocol_refusal_as_recorded(_refused(recorded), recorded, area="oid4vp.refused")


@pytest.mark.parametrize("recorded", RECORDED, ids=IDS)
def test_a_refused_request_is_said_in_japanese(recorded: dict[str, Any]) -> None:
    """Japanese words the refusal in its own words, with the values it names."""
    assert_said_in_japanese(_refused(recorded), recorded, area="oid4vp")
