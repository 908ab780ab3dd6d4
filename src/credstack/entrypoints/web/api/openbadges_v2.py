"""Open Badges 2.0 over HTTP: the hosted Badge Objects and ``POST /api/ob2/verify``.

The documents (see :mod:`credstack.services.openbadges_v2.service`) are JSON-LD, served as
``application/ld+json`` — or ``application/json`` when a client asks only for that
(OB 2.0 §"Setting Content-Type") — readable from any origin. A revoked (or suspended)
credential's hosted assertion answers 410 Gone with ``{"id", "revoked": true}``.

``POST /api/ob2/verify`` verifies a badge from any issuer: the body is the assertion's JSON,
``{"assertion": <JSON, JWS or URL>, "recipient": "<e-mail>"}``, or (``text/plain``) a
compact JWS or the URL of a hosted assertion; ``?recipient=`` also names the recipient. It
answers like ``POST /credentials/verify``: 200 and the report when verified, 400 with the
same body (``verified: false``) when not or when the request is unusable.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Final

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from credstack.core.said import Said
from credstack.entrypoints.web.api.verification import BadRequest, unique_keys, unverified
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.ids import PathId, PathVersion
from credstack.services.openbadges_v2 import documents
from credstack.services.openbadges_v2 import verification as ob2_verification

router = APIRouter(tags=["open-badges-2"])

Organisation = Annotated[str, Path(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")]
CredentialUuid = Annotated[str, Path(pattern=r"^[0-9a-fA-F-]{36}$",
                                     description="The credential's UUID (its id without "
                                                 "urn:uuid:).")]
Language = Annotated[str, Query(pattern="^(ja|en)$", description="The language of the texts.")]

_HEADERS: Final = {"Access-Control-Allow-Origin": "*"}
_LONG: Final = "public, max-age=86400"
_SHORT: Final = "public, max-age=300"
_REQUEST_SCHEMA: Final[dict[str, Any]] = {
    "oneOf": [
        {"type": "object", "description": "An Open Badges 2.0 assertion (with @context)."},
        {"type": "object", "required": ["assertion"], "properties": {
            "assertion": {"oneOf": [{"type": "object"}, {"type": "string"}],
                          "description": "The assertion: JSON, a compact JWS, or a URL."},
            "recipient": {"type": "string", "description": "An e-mail address (or URL …) to "
                                                           "compare with the recipient."}}},
    ],
}


def _document(request: Request, document: dict[str, Any], *, status: int = 200,
              cache: str = _LONG) -> Response:
    accept = request.headers.get("accept", "")
    media = ("application/json" if "application/json" in accept
             and "application/ld+json" not in accept else "application/ld+json")
    return Response(json.dumps(document, ensure_ascii=False, indent=2), status_code=status,
                    media_type=media, headers={**_HEADERS, "Cache-Control": cache})


@router.get("/ob2/issuers/{organisation}", summary="An issuer's Open Badges 2.0 Profile")
def issuer_profile(organisation: Organisation, request: Request, runtime: RuntimeDep,
                   language: Language = "ja") -> Response:
    """The issuer ``Profile`` (type ``Issuer``): keys, revocation list, hosting policy."""
    document = documents.issuer_profile(runtime, organisation=organisation, language=language)
    return _document(request, document, cache=_SHORT)


@router.get("/ob2/issuers/{organisation}/keys/{fragment}",
            summary="An issuer's Open Badges 2.0 CryptographicKey")
def key_document(organisation: Organisation, fragment: str, request: Request,
                 runtime: RuntimeDep) -> Response:
    """The public half of a key (RSA or P-256, SPKI PEM) that signs the issuer's OB 2.0
    assertions."""
    document = documents.key_document(runtime, organisation=organisation, fragment=fragment)
    return _document(request, document)


@router.get("/ob2/issuers/{organisation}/revocations",
            summary="An issuer's Open Badges 2.0 RevocationList")
def revocation_list(organisation: Organisation, request: Request,
                    runtime: RuntimeDep) -> Response:
    """The ids of the issuer's revoked (and suspended) signed assertions."""
    document = documents.revocation_list(runtime, organisation=organisation)
    return _document(request, document, cache=_SHORT)


@router.get("/ob2/badges/{programme_id}/v{version}",
            summary="A programme version's Open Badges 2.0 BadgeClass")
def badge_class(programme_id: PathId, version: PathVersion, request: Request, runtime: RuntimeDep,
                language: Language = "ja") -> Response:
    """The ``BadgeClass``: criteria structured by descriptor, every descriptor in an
    extension."""
    document = documents.badge_class(runtime, programme_id=programme_id, version=version,
                                     language=language)
    return _document(request, document)


# Declared before the hosted assertion: its path would also match "<uuid>.jws".
@router.get("/ob2/assertions/{credential}.jws", response_class=Response,
            summary="The signed Open Badges 2.0 assertion of a credential (compact JWS)")
def signed_assertion(credential: CredentialUuid, runtime: RuntimeDep) -> Response:
    """The assertion as the payload of a JWS (``text/plain``), RS256 or ES256 as the
    organisation's active key is."""
    token = documents.signed_assertion(runtime, credential=credential)
    return Response(token, media_type="text/plain", headers={**_HEADERS,
                                                             "Cache-Control": _SHORT})


@router.get("/ob2/assertions/{credential}",
            summary="The hosted Open Badges 2.0 assertion of a credential")
def hosted_assertion(credential: CredentialUuid, request: Request,
                     runtime: RuntimeDep) -> Response:
    """The hosted assertion; 410 Gone with ``revoked: true`` once revoked or suspended."""
    hosted = documents.hosted_assertion(runtime, credential=credential)
    return _document(request, hosted.document, status=410 if hosted.revoked else 200,
                     cache="no-cache")


# --- verifying ------------------------------------------------------------------------------


def _read(body: bytes, content_type: str, recipient: str | None) -> tuple[Any, str | None]:
    """The badge and the recipient from a request body (see the module docstring)."""
    try:
        text = body.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise BadRequest("not-utf-8", Said("verification.request.not_utf8")) from None
    if not text:
        raise BadRequest("empty", Said("verification.request.empty"))
    if "json" not in content_type and not text.startswith(("{", "[", '"')):
        return text, recipient
    try:
        document = json.loads(text, object_pairs_hook=unique_keys)
    except (json.JSONDecodeError, RecursionError):
        raise BadRequest("not-json", Said("verification.request.badge_not_json")) from None
    if isinstance(document, str):
        return document, recipient
    if not isinstance(document, dict):
        raise BadRequest("not-an-object", Said("verification.request.not_an_object"))
    if "assertion" in document and "@context" not in document:
        given = document.get("recipient")
        if given is not None and not isinstance(given, str):
            raise BadRequest("invalid-recipient",
                             Said("verification.request.recipient_not_a_string"))
        badge = document["assertion"]
        if not isinstance(badge, dict | str):
            raise BadRequest("invalid-assertion",
                             Said("verification.request.assertion_not_usable"))
        return badge, given if given is not None else recipient
    return document, recipient


@router.post(
    "/api/ob2/verify",
    summary="Verify an Open Badges 2.0 badge",
    description="Verifies an Open Badges 2.0 badge from any issuer — a hosted assertion (its "
                "JSON or its URL) or a signed one (compact JWS) — by the 1EdTech verification "
                "rules, and says what it means (its Open Badges 3.0 equivalent, unsigned, in "
                "the `meaning` check). 200 when verified, 400 with the same body and "
                "`verified: false` when not. Documents are fetched over HTTPS with limits "
                "(public addresses only, at most 3 redirects, each hop checked); this server's own "
                "are read from its "
                "store.",
    response_class=JSONResponse,
    responses={400: {"description": "Not verified, or not a usable request."}},
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": _REQUEST_SCHEMA},
        "text/plain": {"schema": {"type": "string", "description": "A compact JWS or the "
                                                                   "URL of an assertion."}}}}},
)
async def verify(request: Request, runtime: RuntimeDep, recipient: str | None = None
                 ) -> JSONResponse:
    try:
        badge, wanted = _read(await request.body(), request.headers.get("content-type", ""),
                              recipient)
    except BadRequest as bad:
        return unverified(bad, meaning=None)
    report = await run_in_threadpool(ob2_verification.verify_ob2, badge, recipient=wanted,
                                     now=runtime.now(),
                                     sources=ob2_verification.Ob2Sources.for_runtime(runtime))
    return JSONResponse(report.to_dict(), status_code=200 if report.ok else 400)
