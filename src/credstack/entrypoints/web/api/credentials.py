"""The W3C VC-API issuer side: ``POST /credentials/issue`` and ``POST /credentials/status``,
the status lists credstack publishes, and the achievements its credentials point at.

Issuing (see :mod:`credstack.services.issuance.service`): the server's default issuer
(``CREDSTACK_DEFAULT_ISSUER``) signs; ``/credentials/issue`` takes the securing mechanism
from ``options.cryptosuite`` (``eddsa-rdfc-2022`` by default, ``eddsa-jcs-2022``) or
``options.format`` (``vc+jwt``, ``vc+sd-jwt``, ``vc+cose``; any other is 400 naming them);
``/issuers/{securing}/credentials/issue`` is one endpoint per
securing mechanism, as the W3C test suites want (they pick an issuer by tag). Success is
201 with ``{"verifiableCredential": …}``; a credential the issuer cannot accept is 422 with
problem details naming each field (400 when the body is not a usable request).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Final

from fastapi import APIRouter, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from credstack.core.credentials import securing as securing_forms
from credstack.core.status.changes import StatusChange
from credstack.entrypoints.web.access import Access, AccessDep, access_of
from credstack.entrypoints.web.api.programmes import ProgrammeId, Version
from credstack.entrypoints.web.api.verification import BadRequest, request_object
from credstack.entrypoints.web.caching import Cached, answer, kept, remembered
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.ids import PathNumber
from credstack.errors import InputError, Problem, UnknownFormatError, UnreadableInputError
from credstack.services import freshness
from credstack.services.issuance import credentials, status, status_lists
from credstack.services.programmes.generations import page_generation
from credstack.services.runtime import Runtime
from credstack.words import words

router = APIRouter(tags=["vc-api"])

Securing = Annotated[str, Path(
    description="eddsa-rdfc-2022, eddsa-jcs-2022, vc-jwt, vc+sd-jwt or vc+cose",
    pattern=r"^(eddsa-rdfc-2022|eddsa-jcs-2022|vc-jwt|vc\+sd-jwt|vc\+cose)$")]

#: The JOSE/COSE algorithms an issue request may ask for (the key of each kind must exist).
_ALGORITHMS: Final = ("EdDSA", "ES256", "ES384", "ES512")

_ISSUE_SCHEMA: Final[dict[str, Any]] = {
    "type": "object",
    "required": ["credential"],
    "properties": {
        "credential": {"type": "object", "description": "The unsecured credential (VC 2.0, "
                       "or VC 1.1). Without `issuer`, the server's issuer is set."},
        "options": {"type": "object", "properties": {
            "cryptosuite": {"enum": ["eddsa-rdfc-2022", "eddsa-jcs-2022"]},
            "format": {"enum": list(securing_forms.FORMATS), "description": "`vc+jwt` "
                       "(`vc-jwt`), `vc+sd-jwt` or `vc+cose` (Securing Verifiable "
                       "Credentials using JOSE and COSE; a VC 2.0 credential), returned as "
                       "an EnvelopedVerifiableCredential; `ldp_vc`: Data Integrity. Any "
                       "other: 400 naming these."},
            "alg": {"enum": list(_ALGORITHMS), "description": "The JOSE/COSE algorithm "
                    "(the issuer's Ed25519, P-256, P-384 or P-521 key)."},
            "credentialStatus": {"type": "object", "description": "`{type: "
                                 "BitstringStatusListEntry, statusPurpose}`: which status "
                                 "entries to add (`[]`: none). Without it: the server's "
                                 "CREDSTACK_ISSUE_STATUS, none unless the operator set it."},
        }},
    },
}


def _request_object(raw: bytes, *, member: str, example: str) -> dict[str, Any]:
    """The JSON object of a request body, read as POST /credentials/verify reads its body: a
    key repeated in one object is refused there, so it is refused here (which value counts
    would depend on the reader)."""
    try:
        return request_object(raw, member=member, example=example)
    except BadRequest as bad:
        en = words(bad.said, "en")
        raise UnreadableInputError(f"{en[0].upper()}{en[1:]}.", problems=[Problem(
            "request body", f"{en} / {words(bad.said, 'ja')}")]) from None


def _body(raw: bytes) -> dict[str, Any]:
    body = _request_object(raw, member="credential", example='{"credential": …, "options": …}')
    if not isinstance(body.get("credential"), dict):
        raise InputError("the request names no credential", problems=[Problem(
            "credential", "send the unsecured credential as a JSON object")])
    return body


_JSON_KINDS: Final[dict[type, str]] = {dict: "an object", list: "an array", bool: "a boolean",
                                        int: "a number", float: "a number"}


def _name(options: dict[str, Any], option: str, default: str) -> str:
    """``options[option]`` when it is a name (a string), else an error naming the option."""
    value = options.get(option, default)
    if not isinstance(value, str):
        kind = _JSON_KINDS.get(type(value), "null")
        raise InputError(f"options.{option} must be a name", problems=[Problem(
            f"options.{option}", f"give a name (a string), not {kind}")])
    return value


def _securing(options: dict[str, Any], fixed: str | None) -> tuple[str, str]:
    alg = _name(options, "alg", "EdDSA")
    if alg not in _ALGORITHMS:
        raise InputError("unsupported algorithm", problems=[Problem(
            "options.alg", f"credstack signs with {', '.join(_ALGORITHMS)}, not {alg!r}")])
    if fixed is not None:
        return fixed, alg
    format_name = _name(options, "format", "")
    if format_name and format_name not in securing_forms.FORMATS:
        raise UnknownFormatError(
            f"credstack does not issue the format {format_name!r}", problems=[Problem(
                "options.format", f"use one of {', '.join(securing_forms.FORMATS)}")])
    chosen = securing_forms.FORMATS.get(format_name)
    if chosen is not None:
        return chosen, alg
    suite = _name(options, "cryptosuite", "eddsa-rdfc-2022")
    if suite not in securing_forms.DATA_INTEGRITY:
        raise InputError("unsupported cryptosuite", problems=[Problem(
            "options.cryptosuite", f"use eddsa-rdfc-2022 or eddsa-jcs-2022, not {suite!r}")])
    return suite, alg


async def _issue(request: Request, runtime: Runtime, fixed: str | None, access: Access
                 ) -> Response:
    access.user()
    body = _body(await request.body())
    options = body.get("options") if isinstance(body.get("options"), dict) else {}
    assert isinstance(options, dict)
    securing, alg = _securing(options, fixed)
    # Waits for its batch on the event loop, holding no thread (the committer's docstring).
    issued = await credentials.issue_credential_waiting(
        runtime, actor=access, credential=body["credential"], securing=securing, alg=alg,
        status_option=options.get("credentialStatus"))
    return Response(issued.answer(), status_code=201, media_type="application/json")


_ISSUE_DOC: Final[dict[str, Any]] = dict(
    response_class=JSONResponse, status_code=201,
    responses={201: {"description": "`{\"verifiableCredential\": …}`"},
               422: {"description": "The credential cannot be issued (problem details)."}},
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": _ISSUE_SCHEMA}}}},
)


@router.post("/credentials/issue", summary="Issue a credential (W3C VC-API)", **_ISSUE_DOC)
async def issue_credential(request: Request) -> Response:
    """Sign a credential as the caller's organisation (or the service's default issuer); the
    securing mechanism from the options."""
    # The runtime and the caller read here, not declared as dependencies: a plain request
    # is handed to this function alone (:class:`~credstack.entrypoints.web.direct.
    # DirectRoute`), and FastAPI solving them cost each request more than reading them.
    return await _issue(request, request.app.state.runtime, None, await access_of(request))


@router.post("/issuers/{securing}/credentials/issue",
             summary="Issue a credential with one securing mechanism (W3C VC-API)",
             **_ISSUE_DOC)
async def issue_credential_with(securing: Securing, request: Request, runtime: RuntimeDep,
                                access: AccessDep) -> Response:
    """One issuer endpoint per securing mechanism, as the W3C test suites select them."""
    return await _issue(request, runtime, securing, access)


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
    body = _request_object(await request.body(), member="credentialId",
                           example='{"credentialId": …, "credentialStatus": …}')
    if not isinstance(body.get("credentialId"), str):
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
async def status_list(organisation: str, number: PathNumber, purpose: str, request: Request,
                      runtime: RuntimeDep) -> Response:
    """The signed ``BitstringStatusListCredential``; re-signed only when the list changed,
    and kept by this process, with its ETag, until it changes again. While the list's
    generation read a moment ago still holds (:mod:`credstack.services.freshness`), the
    kept answer is sent without a thread or a query."""
    list_key = (organisation, number, purpose)
    generation = freshness.known(runtime, credentials.STATUS_LIST_GENERATIONS, list_key)
    cached = None if generation is None else kept(runtime, "status-list",
                                                  (*list_key, generation))
    if cached is None:
        cached = await run_in_threadpool(_status_list_document, runtime, organisation, number,
                                         purpose)
    max_age = status_lists.STATUS_LIST_TTL_MS // 1000
    return answer(request, cached, f"public, max-age={max_age}")


def _status_list_document(runtime: Runtime, organisation: str, number: int, purpose: str
                          ) -> Cached:
    generation = credentials.status_list_generation(runtime, organisation=organisation,
                                                    number=number, purpose=purpose)

    def make() -> Cached:
        signed = credentials.signed_status_list(runtime, organisation=organisation,
                                                number=number, purpose=purpose)
        return Cached.of(json.dumps(signed, ensure_ascii=False).encode(),
                         "application/vc+ld+json", {"Access-Control-Allow-Origin": "*"})

    return remembered(runtime, "status-list", (organisation, number, purpose, generation),
                      make)


@router.post("/status-lists/{organisation}/{number}/{purpose}/publish", status_code=204,
             tags=["status"], summary="Publish a status list now")
async def publish_status_list(organisation: str, number: PathNumber, purpose: str,
                              runtime: RuntimeDep, access: AccessDep) -> Response:
    """Sign the list's current state now (lists are also signed on demand when read)."""
    await run_in_threadpool(credentials.publish_status_list, runtime, actor=access,
                            organisation=organisation, number=number, purpose=purpose)
    return Response(status_code=204)


@router.get("/achievements/{programme_id}/v{version}", tags=["credentials"],
            summary="The Open Badges 3.0 Achievement of a programme version")
def achievement(programme_id: ProgrammeId, version: Version, request: Request,
                runtime: RuntimeDep, language: str = "ja") -> Response:
    """The ``Achievement`` that credentials of this published programme version carry; kept
    by this process (with its ETag) while nothing it is made of changes (its alignments)."""
    key = (page_generation(runtime), programme_id, version, language)
    cached = remembered(runtime, "achievement", key, lambda: Cached.of(
        json.dumps(credentials.achievement_document(
            runtime, programme_id=programme_id, version=version, language=language),
            ensure_ascii=False).encode(), "application/json",
        {"Access-Control-Allow-Origin": "*"}))
    return answer(request, cached, "public, max-age=86400")
