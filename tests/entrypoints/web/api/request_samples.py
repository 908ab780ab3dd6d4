"""Every refusal of an unusable VC-API verification request, made by a request that earns it.

``request_words.json`` holds how each was worded in Japanese and English before the words
moved to the catalogues (recorded from that code); ``test_request_words`` compares.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from credstack.entrypoints.web.api import credentials, openbadges_v2, presentations, verification
from credstack.errors import UnreadableInputError


def _credential(body: bytes) -> Callable[[], Any]:
    return lambda: verification._read_body(body)


def _presentation(body: bytes) -> Callable[[], Any]:
    return lambda: presentations._read_body(body)


def _badge(body: bytes, content_type: str = "application/json") -> Callable[[], Any]:
    return lambda: openbadges_v2._read(body, content_type, None)


def samples() -> Iterator[tuple[str, Callable[[], Any]]]:
    """``(name, call)``: each call raises the refusal ``name`` stands for."""
    yield "duplicate-key", _credential(b'{"verifiableCredential": {}, "verifiableCredential": {}}')
    yield "not-json", _credential(b"{nope")
    yield "not-an-object", _credential(b"[1]")
    yield "missing-verifiableCredential", _credential(b"{}")
    yield "invalid-verifiableCredential", _credential(b'{"verifiableCredential": 1}')
    yield "credential-as-string", _credential(b'{"verifiableCredential": "{}"}')
    yield "invalid-checks", _credential(b'{"verifiableCredential": {}, "options": {"checks": 1}}')
    yield "invalid-strict", _credential(b'{"verifiableCredential": {}, "options": {"strict": 1}}')
    yield "invalid-requireTrusted", _credential(
        b'{"verifiableCredential": {}, "options": {"requireTrusted": 1}}')
    yield "presentation-not-json", _presentation(b"{nope")
    yield "missing-verifiablePresentation", _presentation(b"{}")
    yield "ambiguous-presentation", _presentation(
        b'{"verifiablePresentation": {}, "presentation": {}}')
    yield "invalid-verifiablePresentation", _presentation(b'{"verifiablePresentation": 1}')
    yield "invalid-presentation", _presentation(b'{"presentation": 1}')
    yield "invalid-options", _presentation(b'{"presentation": {}, "options": 1}')
    yield "invalid-options-challenge", _presentation(
        b'{"presentation": {}, "options": {"challenge": 1}}')
    yield "invalid-options-domain", _presentation(
        b'{"presentation": {}, "options": {"domain": 1}}')
    yield "badge-not-utf-8", _badge(b"\xff")
    yield "badge-empty", _badge(b"  ")
    yield "badge-not-json", _badge(b"{nope")
    yield "badge-not-an-object", _badge(b"[1]")
    yield "badge-duplicate-key", _badge(b'{"a": 1, "a": 2}')
    yield "invalid-recipient", _badge(b'{"assertion": {}, "recipient": 1}')
    yield "invalid-assertion", _badge(b'{"assertion": 1}')


def answer(call: Callable[[], Any]) -> dict[str, Any]:
    """The problem the VC-API answers for the refusal ``call`` raises."""
    try:
        call()
    except verification.BadRequest as bad:
        [problem] = json.loads(bytes(verification.unverified(bad).body))["errors"]
        return dict(problem)
    raise AssertionError("the request was not refused")


def issuance_refusal() -> dict[str, Any]:
    """What POST /credentials/issue says of a body that is not JSON."""
    try:
        credentials._body(b"{nope")
    except UnreadableInputError as error:
        return {"message": str(error),
                "problems": [[p.location, p.message] for p in error.problems]}
    raise AssertionError("the request was not refused")


if __name__ == "__main__":
    recorded = {name: answer(call) for name, call in samples()}
    recorded["issuance"] = issuance_refusal()
    print(json.dumps(recorded, ensure_ascii=False, indent=1, sort_keys=True))
