"""The W3C VC-API issuer side: ``POST /credentials/issue`` and ``POST /credentials/status``,
the status lists credstack publishes, and the achievements its credentials point at.

Issuing (see :mod:`credstack.services.issuance.service`): the server's default issuer
(``CREDSTACK_DEFAULT_ISSUER``) signs; ``/credentials/issue`` takes the securing mechanism
from ``options.cryptosuite`` (``eddsa-rdfc-2022`` by default, ``eddsa-jcs-2022``) or
``options.format: "vc-jwt"``; ``/issuers/{securing}/credentials/issue`` is one endpoint per
securing mechanism, as the W3C test suites want (they pick an issuer by tag). Success is
201 with ``{"verifiableCredential": …}``; a credential the issuer cannot accept is 422 with
problem details naming each field (400 when the body is not a usable request).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories.keys import organisation_did
from credstack.adapters.keystore import MasterKey
from credstack.adapters.web.access import Access, AccessDep
from credstack.adapters.web.dependencies import NowDep, RuntimeDep, SessionDep
from credstack.core.access.policy import Action, Principal, Role
from credstack.core.credentials.openbadges_v3 import build_achievement
from credstack.core.status.changes import StatusChange
from credstack.errors import InputError, NotFoundError, Problem, UnreadableInputError
from credstack.services.issuance import service as issuance
from credstack.services.issuance import status

router = APIRouter(tags=["vc-api"])

Securing = Annotated[str, Path(description="eddsa-rdfc-2022, eddsa-jcs-2022 or vc-jwt",
                               pattern="^(eddsa-rdfc-2022|eddsa-jcs-2022|vc-jwt)$")]

_ISSUE_SCHEMA: Final[dict[str, Any]] = {
    "type": "object",
    "required": ["credential"],
    "properties": {
        "credential": {"type": "object", "description": "The unsecured credential (VC 2.0, "
                       "or VC 1.1). Without `issuer`, the server's issuer is set."},
        "options": {"type": "object", "properties": {
            "cryptosuite": {"enum": ["eddsa-rdfc-2022", "eddsa-jcs-2022"]},
            "format": {"enum": ["vc-jwt", "ldp_vc"], "description": "`vc-jwt`: a VC-JWT, "
                       "returned as an EnvelopedVerifiableCredential."},
            "alg": {"enum": ["EdDSA", "ES256"], "description": "The VC-JWT algorithm."},
            "credentialStatus": {"type": "object", "description": "`{type: "
                                 "BitstringStatusListEntry, statusPurpose}`: which status "
                                 "entries to add (default: revocation and suspension)."},
        }},
    },
}


def _master_key(request: Request) -> MasterKey:
    key: MasterKey = request.app.state.master_key()
    return key


MasterKeyDep = Annotated[MasterKey, Depends(_master_key)]


def _body(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise UnreadableInputError('The request body is not JSON: send {"credential": …, '
                                   '"options": …}.') from None
    if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
        raise InputError("the request names no credential", problems=[Problem(
            "credential", "send the unsecured credential as a JSON object")])
    return body


def _securing(options: dict[str, Any], fixed: str | None) -> tuple[str, str]:
    alg = options.get("alg", "EdDSA")
    if alg not in {"EdDSA", "ES256"}:
        raise InputError("unsupported VC-JWT algorithm", problems=[Problem(
            "options.alg", f"credstack signs with EdDSA or ES256, not {alg!r}")])
    if fixed is not None:
        return fixed, alg
    if options.get("format") in {"vc-jwt", "jwt", "vc+jwt"}:
        return "vc-jwt", alg
    suite = options.get("cryptosuite", "eddsa-rdfc-2022")
    if suite not in {"eddsa-rdfc-2022", "eddsa-jcs-2022"}:
        raise InputError("unsupported cryptosuite", problems=[Problem(
            "options.cryptosuite", f"use eddsa-rdfc-2022 or eddsa-jcs-2022, not {suite!r}")])
    return suite, alg


async def _issue(request: Request, session: Any, now: Any, secret: MasterKey,
                 fixed: str | None, access: Access) -> JSONResponse:
    principal = access.user()
    body = _body(await request.body())
    options = body.get("options") if isinstance(body.get("options"), dict) else {}
    assert isinstance(options, dict)
    securing, alg = _securing(options, fixed)
    settings = request.app.state.settings

    def issue() -> issuance.Issued:
        organisation = _issuing_organisation(session, principal, settings)
        access.require(Action.CREDENTIAL_ISSUE, organisation)
        signer = issuance.signer_for(session, organisation=organisation, secret=secret,
                                     public_url=settings.public_url)
        return issuance.issue_document(
            session, signer=signer, credential=body["credential"], securing=securing,
            now=now, public_url=settings.public_url, alg=alg,
            status_option=options.get("credentialStatus"))

    issued = await run_in_threadpool(issue)
    return JSONResponse({"verifiableCredential": issued.to_json()}, status_code=201)


def _issuing_organisation(session: Any, principal: Principal, settings: Any) -> str:
    """Who signs: the caller's own organisation when they issue for exactly one, otherwise
    the service's default issuer (``CREDSTACK_DEFAULT_ISSUER``)."""
    own = {membership.organisation for membership in principal.memberships
           if membership.role in (Role.ISSUER, Role.PROVIDER_ADMIN)}
    if len(own) == 1:
        return own.pop()
    return issuance.default_issuer(session, configured=settings.default_issuer)


_ISSUE_DOC: Final[dict[str, Any]] = dict(
    response_class=JSONResponse, status_code=201,
    responses={201: {"description": "`{\"verifiableCredential\": …}`"},
               422: {"description": "The credential cannot be issued (problem details)."}},
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": _ISSUE_SCHEMA}}}},
)


@router.post("/credentials/issue", summary="Issue a credential (W3C VC-API)", **_ISSUE_DOC)
async def issue_credential(request: Request, session: SessionDep, now: NowDep,
                           secret: MasterKeyDep, access: AccessDep) -> JSONResponse:
    """Sign a credential as the caller's organisation (or the service's default issuer); the
    securing mechanism from the options."""
    return await _issue(request, session, now, secret, None, access)


@router.post("/issuers/{securing}/credentials/issue",
             summary="Issue a credential with one securing mechanism (W3C VC-API)",
             **_ISSUE_DOC)
async def issue_credential_with(securing: Securing, request: Request, session: SessionDep,
                                now: NowDep, secret: MasterKeyDep, access: AccessDep
                                ) -> JSONResponse:
    """One issuer endpoint per securing mechanism, as the W3C test suites select them."""
    return await _issue(request, session, now, secret, securing, access)


# True and False also stand for 1 and 0 here.
_STATUS_WORDS: Final[dict[bool | int | str, bool]] = {
    True: True, False: False, "1": True, "0": False,
    "revoked": True, "suspended": True, "active": False, "true": True, "false": False,
}


def _change(item: object, where: str) -> StatusChange:
    if not isinstance(item, dict):
        raise InputError("a status change must be an object", problems=[Problem(
            where, 'give {"type": "BitstringStatusListEntry", "statusPurpose": …, '
                   '"status": true|false}')])
    purpose = item.get("statusPurpose")
    if purpose is None and item.get("status") in {"revoked", "suspended"}:
        purpose = "revocation" if item["status"] == "revoked" else "suspension"
    raw = item.get("status", True)
    value = _STATUS_WORDS.get(raw) if isinstance(raw, bool | int | str) else None
    if value is None:
        raise InputError("unknown status", problems=[Problem(
            f"{where}.status", f"use true (set) or false (clear), not {raw!r}")])
    if purpose == "revocation":
        if not value:
            raise InputError("revocation is final", problems=[Problem(
                f"{where}.status", "a revoked credential cannot be reinstated")])
        return StatusChange.REVOKE
    if purpose == "suspension":
        return StatusChange.SUSPEND if value else StatusChange.REINSTATE
    raise InputError("unknown status purpose", problems=[Problem(
        f"{where}.statusPurpose", f"use revocation or suspension, not {purpose!r}")])


@router.post("/credentials/status", summary="Change a credential's status (W3C VC-API)")
async def update_status(request: Request, runtime: RuntimeDep, access: AccessDep
                        ) -> dict[str, Any]:
    """Revoke, suspend or reinstate a credential credstack issued.

    Body: ``{"credentialId": "urn:uuid:…", "credentialStatus": [{"type":
    "BitstringStatusListEntry", "statusPurpose": "revocation" | "suspension", "status":
    true | false}]}`` (one object is accepted too). Revocation is final.
    """
    access.user()
    try:
        body = json.loads(await request.body())
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise UnreadableInputError("The request body is not JSON.") from None
    if not isinstance(body, dict) or not isinstance(body.get("credentialId"), str):
        raise InputError("the request names no credential", problems=[Problem(
            "credentialId", "give the id of a credential credstack issued")])
    changes = body.get("credentialStatus")
    items = changes if isinstance(changes, list) else [changes]
    where = "credentialStatus"
    wanted = [_change(item, f"{where}[{i}]" if isinstance(changes, list) else where)
              for i, item in enumerate(items)]
    stored = await run_in_threadpool(status.change_status, runtime, actor=access,
                                     credential_id=body["credentialId"], changes=wanted)
    return stored.to_dict()


# --- published documents -------------------------------------------------------------------


@router.get("/status-lists/{organisation}/{number}/{purpose}", include_in_schema=True,
            tags=["status"], summary="A status list credential (Bitstring Status List v1.0)")
async def status_list(organisation: str, number: int, purpose: str, request: Request,
                      now: NowDep, secret: MasterKeyDep) -> Response:
    """The signed ``BitstringStatusListCredential``; re-signed only when the list changed."""
    settings = request.app.state.settings
    signed = await run_in_threadpool(
        issuance.published_status_list, request.app.state.sessions,
        organisation=organisation, number=number, purpose=purpose, secret=secret,
        public_url=settings.public_url, now=now)
    max_age = issuance.STATUS_LIST_TTL_MS // 1000
    return Response(json.dumps(signed, ensure_ascii=False), media_type="application/vc+ld+json",
                    headers={"Cache-Control": f"public, max-age={max_age}",
                             "Access-Control-Allow-Origin": "*"})


@router.post("/status-lists/{organisation}/{number}/{purpose}/publish", status_code=204,
             tags=["status"], summary="Publish a status list now")
async def publish_status_list(organisation: str, number: int, purpose: str, request: Request,
                              now: NowDep, secret: MasterKeyDep, access: AccessDep) -> Response:
    """Sign the list's current state now (lists are also signed on demand when read)."""
    access.require(Action.CREDENTIAL_STATUS, organisation)
    settings = request.app.state.settings
    await run_in_threadpool(
        issuance.published_status_list, request.app.state.sessions,
        organisation=organisation, number=number, purpose=purpose, secret=secret,
        public_url=settings.public_url, now=now)
    return Response(status_code=204)


@router.get("/achievements/{programme_id}/v{version}", tags=["credentials"],
            summary="The Open Badges 3.0 Achievement of a programme version")
def achievement(programme_id: int, version: int, request: Request, session: SessionDep,
                language: str = "ja") -> Response:
    """The ``Achievement`` that credentials of this published programme version carry."""
    organisation = programme_store.get_programme(session, programme_id=programme_id
                                                 ).organisation_slug
    stored = programme_store.get_version(session, programme_id=programme_id, version=version)
    if stored.status != programme_store.Status.PUBLISHED:
        raise NotFoundError(f"Version {version} of programme {programme_id} is not published.")
    public_url = request.app.state.settings.public_url
    body = stored.programme.awarding_body
    creator = (organisation_did(public_url, organisation)
               if body is not None and body.id == organisation else None)
    document = build_achievement(
        programme=stored.programme, language=language if language in {"ja", "en"} else "ja",
        achievement_id=issuance.achievement_url(public_url, programme_id, version),
        creator_id=creator)
    return Response(json.dumps(document, ensure_ascii=False), media_type="application/json",
                    headers={"Cache-Control": "public, max-age=86400",
                             "Access-Control-Allow-Origin": "*"})
