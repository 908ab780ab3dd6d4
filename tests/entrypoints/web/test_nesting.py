"""JSON nested deeper than any request needs is refused before a route reads it: a 422
problem naming the depth, on every JSON entry point (JSON bodies, and JSON inside form
fields such as OID4VP's ``vp_token``), instead of a 500 (``RecursionError``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from credstack.entrypoints.web.nesting import MAX_NESTING
from tests import patiently
from tests.conftest import LiveServer, serve, sqlite_store


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory,
         _sqlite_template: Any) -> Iterator[LiveServer]:
    yield from serve(sqlite_store(tmp_path_factory.mktemp("nesting") / "data",
                                  _sqlite_template))


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _refused(response: httpx.Response) -> None:
    assert response.status_code == 422, (response.status_code, response.text[:300])
    problem = response.json()
    assert problem["type"] == "/problems/input-too-deep"
    assert f"more than {MAX_NESTING} levels" in problem["detail"]
    assert f"上限 {MAX_NESTING} 段" in problem["detail"]


@pytest.mark.parametrize("path", ["/oid4vci/credential", "/credentials/verify",
                                  "/credentials/issue", "/api/programmes",
                                  "/api/verify/batch", "/oauth/register", "/api/search"])
def test_a_json_body_nested_five_thousand_deep_is_refused(live: LiveServer, path: str) -> None:
    body = '{"credential_configuration_id": ' + nested(5_000) + "}"
    _refused(patiently.post(f"{live.url}{path}", content=body, timeout=30,
                            headers={"content-type": "application/json",
                                 "authorization": "Bearer x"}))


def test_json_in_a_form_field_is_measured_too(live: LiveServer) -> None:
    """The OID4VP response URI takes ``vp_token`` (JSON) in a form."""
    form = urlencode({"vp_token": nested(5_000), "state": "x"})
    _refused(patiently.post(f"{live.url}/oid4vp/responses/unknown", content=form, timeout=30,
                            headers={"content-type": "application/x-www-form-urlencoded"}))


def test_brackets_inside_strings_and_other_fields_do_not_count(live: LiveServer) -> None:
    """``"[[[["`` is text, and quotes in one form field do not hide another's nesting."""
    text = json.dumps({"text": "[" * 5_000})
    answer = patiently.post(f"{live.url}/credentials/verify", content=text, timeout=30,
                            headers={"content-type": "application/json"})
    assert answer.status_code != 422 or "input-too-deep" not in answer.text
    form = urlencode({"a": '"', "vp_token": nested(5_000), "b": '"'})
    _refused(patiently.post(f"{live.url}/oid4vp/responses/unknown", content=form, timeout=30,
                            headers={"content-type": "application/x-www-form-urlencoded"}))


def test_nesting_up_to_the_limit_reaches_the_route(live: LiveServer) -> None:
    """At the limit the route answers (the verifier reports its own, lower, depth limit)."""
    body = json.dumps({"verifiableCredential": json.loads(nested(MAX_NESTING - 1))})
    answer = patiently.post(f"{live.url}/credentials/verify", content=body, timeout=30,
                            headers={"content-type": "application/json"})
    assert "input-too-deep" not in answer.text
    assert answer.status_code < 500


def test_a_form_in_japanese_reaches_the_route_and_deep_json_in_it_is_still_refused(
        live: LiveServer) -> None:
    """Form fields are measured byte for byte: text outside Latin-1 (北都工科大学) passes to the
    route as it is, and nesting beside it is still found."""
    form = urlencode({"name_ja": "北都工科大学", "state": "x"})
    answer = patiently.post(f"{live.url}/oid4vp/responses/unknown", content=form, timeout=30,
                            headers={"content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code < 500 and "input-too-deep" not in answer.text
    form = urlencode({"name_ja": "北都工科大学", "vp_token": nested(5_000)})
    _refused(patiently.post(f"{live.url}/oid4vp/responses/unknown", content=form, timeout=30,
                            headers={"content-type": "application/x-www-form-urlencoded"}))
