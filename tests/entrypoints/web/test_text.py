"""Text no one can read or store is refused before a route reads it (issue 55, L1): a control
character (other than tab, line feed and carriage return), a lone surrogate or bytes that are
no UTF-8, in a JSON body, a form, a text body, the query or the path, is a 422 problem
(``invalid-text``) naming the field — never a 500 from the reader or the store behind."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import LiveServer, operator_client, serve

#: Control characters a text may not hold: C0 but tab, line feed and carriage return; DEL; C1.
CONTROLS = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20),
                             *range(0x7F, 0xA0)]]


@pytest.fixture(scope="module")
def live(module_settings: Any) -> Iterator[LiveServer]:
    yield from serve(module_settings)


@pytest.fixture(scope="module")
def operator(live: LiveServer) -> Iterator[httpx.Client]:
    with operator_client(live) as client:
        yield client


def refused(response: httpx.Response, where: str) -> None:
    assert response.status_code == 422, (response.status_code, response.text[:300])
    problem = response.json()
    assert problem["type"] == "/problems/invalid-text", problem
    assert [error["location"] for error in problem["errors"]] == [where], problem


def test_a_control_character_in_a_targets_pathway_is_refused_by_name(
        operator: httpx.Client) -> None:
    """U+0018 in the pathway's text stopped the YAML reader: a 500."""
    refused(operator.post("/api/creditbank/organisations/hokuto-tech/targets",
                          json={"text": "id: a\u0018\n"}), "body: text")


def test_a_c1_control_in_a_case_package_is_refused(operator: httpx.Client) -> None:
    """U+0091 (raw UTF-8, which JSON allows in a string) in a CASE package's body."""
    package = json.dumps({"CFDocument": {"title": "x\u0091"}}, ensure_ascii=False)
    refused(operator.post("/api/skills/frameworks", content=package.encode(),
                          headers={"content-type": "application/json"}),
            "body: CFDocument.title")


@pytest.mark.parametrize("text", ["a\\u0000b", "\\u001f", "\\b", "\\f", "\\u007F", "\\u0085",
                                  "\\ud800", "x\\udc00", "\\ud83dx", "\\\\ud800\\udc00"])
def test_escaped_controls_and_lone_surrogates_in_json_are_refused(
        operator: httpx.Client, text: str) -> None:
    body = '{"name": "ok", "scopes": ["wallet:read"], "extra": ["' + text + '"]}'
    refused(operator.post("/api/me/clients", content=body,
                          headers={"content-type": "application/json"}), "body: extra[0]")


def test_bytes_that_are_no_utf8_are_refused(operator: httpx.Client) -> None:
    refused(operator.post("/api/skills/suggestions", content=b'{"text": "\xff\xfe"}',
                          headers={"content-type": "application/json"}), "body")


def test_a_control_character_in_a_key_names_where_the_key_is(operator: httpx.Client) -> None:
    refused(operator.post("/api/skills/suggestions", json={"a": {"b\u0007": 1}}),
            "body: a")


@pytest.mark.parametrize("text", ["line one\nline two\r\n\tindented", "\\\\u0018 is text",
                                  "\\ud83d\\ude00", "😀 北都", "\\n\\t\\r\\\\b"])
def test_tabs_line_breaks_escaped_backslashes_and_pairs_pass(
        operator: httpx.Client, text: str) -> None:
    body = '{"text": "' + text.replace("\n", "\\n").replace("\r", "\\r").replace(
        "\t", "\\t") + '"}'
    answer = operator.post("/api/skills/suggestions", content=body,
                           headers={"content-type": "application/json"})
    assert answer.status_code == 200, answer.text[:300]


def test_a_control_character_in_the_query_names_the_parameter(live: LiveServer) -> None:
    refused(httpx.get(f"{live.url}/api/skills?q=a%18"), "query: q")


def test_a_control_character_in_the_path_is_refused(live: LiveServer) -> None:
    refused(httpx.get(f"{live.url}/api/skills/{quote(chr(0x91))}"), "path")
    refused(httpx.get(f"{live.url}/api/skills/%FF"), "path")


def test_a_control_character_in_a_form_names_the_field(live: LiveServer) -> None:
    refused(httpx.post(f"{live.url}/sign-in", content=urlencode(
        {"email": "a\x00@example.org", "password": "x"}),
        headers={"content-type": "application/x-www-form-urlencoded"}), "form: email")


def test_a_multipart_forms_text_field_is_judged_and_its_files_are_not(live: LiveServer) -> None:
    """A page's upload form: its text fields are text, its files are the service's to read."""
    binary = ("badge.png", b"\x89PNG\r\n\x1a\n\x00\x01", "image/png")
    refused(httpx.post(f"{live.url}/verify", files={"credential": binary},
                       data={"note": "ok", "lang": "en\x07"}), "form: lang")
    answer = httpx.post(f"{live.url}/verify", files={"credential": binary}, data={"lang": "en"})
    assert "invalid-text" not in answer.text


def test_a_control_character_in_a_text_body_is_refused(live: LiveServer) -> None:
    refused(httpx.post(f"{live.url}/credentials/verify", content="eyJ\x1b",
                       headers={"content-type": "application/jwt"}), "body")


def test_the_fast_path_of_verification_refuses_too(live: LiveServer) -> None:
    """``POST /credentials/verify`` with a plain JSON body skips the middleware stack."""
    refused(httpx.post(f"{live.url}/credentials/verify",
                       json={"verifiableCredential": {"name": "\x18"}}),
            "body: verifiableCredential.name")


def _text_fields(openapi: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Every text field of the OpenAPI description: (method, path, "body"|"query", name)."""
    schemas = openapi.get("components", {}).get("schemas", {})

    def resolved(schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def is_text(schema: dict[str, Any]) -> bool:
        schema = resolved(schema)
        return schema.get("type") == "string" or any(
            is_text(option) for option in schema.get("anyOf", []))

    fields = []
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and is_text(parameter.get("schema", {})):
                    fields.append((method, path, "query", parameter["name"]))
            body = operation.get("requestBody", {}).get("content", {}).get(
                "application/json", {}).get("schema")
            if body is not None:
                fields += [(method, path, "body", name) for name, schema
                           in resolved(body).get("properties", {}).items() if is_text(schema)]
    return fields


def test_every_text_field_of_the_api_refuses_control_characters(
        live: LiveServer, operator: httpx.Client) -> None:
    """A property over every text field the OpenAPI description names (query parameters and
    JSON body fields, as the operator, who may call them all): a control character in it is a
    422 naming it — a 4xx, never a 5xx."""
    fields = _text_fields(operator.get("/openapi.json").json())
    assert len(fields) > 100

    @given(field=st.sampled_from(fields), control=st.sampled_from(CONTROLS),
           before=st.text(max_size=5), after=st.text(max_size=5))
    @settings(max_examples=300, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def posted(field: tuple[str, str, str, str], control: str, before: str,
               after: str) -> None:
        method, path, where, name = field
        url = path.replace("{", "x").replace("}", "x")
        value = before + control + after
        if where == "query":
            answer = operator.request(method, url, params={name: value})
        else:
            answer = operator.request(method, url, json={name: value})
        assert 400 <= answer.status_code < 500, (field, answer.status_code, answer.text[:300])
        if path.startswith("/ims/"):
            # The Open Badges, CLR and CASE REST APIs answer bad input as a 400 of their own.
            assert answer.status_code == 400
            assert f"（{where}: {name}）" in answer.json()["imsx_description"]
        else:
            refused(answer, f"{where}: {name}")

    posted()
