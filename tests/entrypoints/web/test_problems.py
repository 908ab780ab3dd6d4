"""Errors as RFC 9457 problem details: what a refused request body is told."""

from __future__ import annotations

import httpx


def test_an_unknown_request_field_is_called_a_field_with_the_close_one(http: httpx.Client
                                                                         ) -> None:
    """A CLR request with a misspelt field: 'unknown field', and the field it resembles."""
    response = http.post("/api/organisations/nobody/clr",
                         json={"credential_id": ["urn:uuid:1"], "securing": "vc-jwt"})
    assert response.status_code == 422
    [problem] = response.json()["errors"]
    assert problem["location"] == "body: credential_id"
    assert problem["message"] == "unknown field 'credential_id'; did you mean 'credential_ids'?"
    assert "descriptor" not in response.text


def test_inside_descriptors_an_unknown_key_is_a_descriptor_key(http: httpx.Client) -> None:
    """The descriptors of a programme are descriptor documents: their keys keep that name."""
    response = http.post("/api/programmes", json={"descriptors": {
        "code": "X-1", "titel": {"en": "X"}}})
    assert response.status_code == 422
    messages = {e["location"]: e["message"] for e in response.json()["errors"]}
    assert messages["body: descriptors.titel"] == (
        "unknown descriptor key 'titel'; did you mean 'title'?")
