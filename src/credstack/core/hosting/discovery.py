"""The Service Description Document of ``GET <base>/discovery`` (OB 3.0 §6.2.4 and §7.2.1,
CLR 2.0 likewise): an OpenAPI 3.0 document, the profile of 1EdTech's that credstack serves —
its server, the operations it offers and the ``OAuth2ACG`` security scheme, whose
``x-imssf-registrationUrl`` is where an application registers itself (RFC 7591) before the
authorization code flow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from credstack.core.hosting.apis import Api, Operation


@dataclass(frozen=True, slots=True)
class AuthorizationServer:
    """Where the OAuth 2.0 endpoints are."""

    authorization_url: str
    token_url: str
    registration_url: str


_ERRORS = {str(status): {"description": text, "content": {"application/json": {"schema": {
    "$ref": "#/components/schemas/Imsx_StatusInfo"}}}}
    for status, text in ((400, "Bad request"), (401, "Unauthorized"), (403, "Forbidden"),
                         (404, "Not found"), (405, "Method not allowed"),
                         (500, "Internal server error"))}


def _operation(api: Api, operation: Operation, summary: str, responses: dict[str, Any],
               **more: Any) -> dict[str, Any]:
    return {"operationId": operation.value, "summary": summary,
            "tags": ["Credentials" if "Credential" in operation.value else "Profile"],
            "security": [{"OAuth2ACG": [api.scope(operation)]}],
            "responses": {**responses, **_ERRORS}, **more}


def service_description(api: Api, *, base_url: str, server: AuthorizationServer,
                        title: str, terms_url: str, privacy_url: str,
                        software_version: str) -> dict[str, Any]:
    """The document for ``api`` served at ``base_url`` (the public URL), by credstack
    ``software_version``."""
    ok = {"description": "OK"}
    return {
        "openapi": "3.0.1",
        "info": {"title": title, "description": f"{api.title} REST API of credstack: the "
                 "learner's wallet, as a Host (resource server).",
                 "version": api.version, "termsOfService": terms_url,
                 "x-imssf-privacyPolicyUrl": privacy_url,
                 "x-credstack-version": software_version},
        "servers": [{"url": base_url + api.base_path}],
        "paths": {
            "/credentials": {
                "get": _operation(api, Operation.READ_CREDENTIALS, "The learner's credentials",
                                  {"200": ok}, parameters=[
                                      {"name": "limit", "in": "query",
                                       "schema": {"type": "integer", "minimum": 1}},
                                      {"name": "offset", "in": "query",
                                       "schema": {"type": "integer", "minimum": 0}},
                                      {"name": "since", "in": "query",
                                       "schema": {"type": "string", "format": "date-time"}}]),
                "post": _operation(api, Operation.UPSERT_CREDENTIAL,
                                   "Add or replace one credential",
                                   {"200": ok, "201": {"description": "Created"},
                                    "304": {"description": "Not modified"}}),
            },
            "/profile": {
                "get": _operation(api, Operation.READ_PROFILE, "The learner's profile",
                                  {"200": ok}),
                "put": _operation(api, Operation.UPDATE_PROFILE, "Update the learner's profile",
                                  {"200": ok}),
            },
            "/discovery": {"get": {"operationId": "getServiceDescription",
                                   "summary": "This document", "security": [],
                                   "responses": {"200": ok}}},
        },
        "components": {
            "securitySchemes": {"OAuth2ACG": {
                "type": "oauth2",
                "description": "OAuth 2.0 authorization code grant with PKCE (S256)",
                "x-imssf-registrationUrl": server.registration_url,
                "flows": {"authorizationCode": {
                    "authorizationUrl": server.authorization_url,
                    "tokenUrl": server.token_url, "refreshUrl": server.token_url,
                    "scopes": {api.scope(operation): operation.value
                               for operation in Operation}}}}},
            "schemas": {"Imsx_StatusInfo": {"type": "object", "required": [
                "imsx_codeMajor", "imsx_severity"]}},
        },
    }
