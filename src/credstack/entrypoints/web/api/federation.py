"""credstack's registry as an OpenID Federation trust anchor, over HTTP (public).

OpenID Federation 1.0, draft 48 — https://openid.net/specs/openid-federation-1_0.html

* ``GET /.well-known/openid-federation`` — the anchor's entity configuration;
* ``GET /organisations/{slug}/.well-known/openid-federation`` — a recognised provider's;
* ``GET /federation/fetch?sub=`` — the anchor's statement about a provider (by its entity
  identifier or an issuer DID);
* ``GET /federation/list`` — the recognised providers' entity identifiers (``entity_type``,
  ``trust_marked``, ``trust_mark_type``, ``intermediate``);
* ``GET /federation/resolve?sub=&trust_anchor=`` — a resolve response;
* ``GET /federation/trust-mark?trust_mark_type=&sub=`` — a trust mark;
* ``POST /federation/trust-mark-status`` (form ``trust_mark``) — its status, signed;
* ``GET /federation/trust-mark-list?trust_mark_type=`` — who holds a mark now;
* ``GET /federation/registry.json`` — the DCC's legacy registry form;
* ``GET /federation/historical-keys`` — the keys the anchor no longer signs with
  (``jwk-set+jwt``), each with when it was made and until when what it signed is valid;
* ``GET /api/federation/sources`` — the registries imported from, with their providers
  (public; each with the ``pinnedKids`` of its pinned anchor keys, and the ``refusal`` of its
  last refused refresh — ``at``, ``reason``, ``message`` — or null); ``POST
  /api/federation/sources`` (``{"kind": "oidf"|"ctdl", "url", "names"}``, for an anchor
  ``"pinnedJwks"`` — a JWK set its statements must be signed with, kept for the next imports
  —, ``"pinCurrent": true`` — the keys its configuration carries now — or ``"unpin":
  true``) imports one, ``DELETE /api/federation/sources?url=`` forgets one
  (a registry administrator: ``keys:manage`` on no organisation). A refused import is a
  problem (422) whose detail gives the reason; nothing of it is kept.

Statements are answered with their media types (``application/entity-statement+jwt`` …);
errors as the specification's ``{"error", "error_description"}`` (§8.9).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Final, Literal, TypeVar
from urllib.parse import parse_qsl

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from credstack.core.federation.imports import pinned_kids
from credstack.entrypoints.web.access import AccessDep
from credstack.entrypoints.web.api.oid4vci import protocol_error
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.errors import ExchangeProtocolError, InputError, Problem
from credstack.services.federation import imports, listing, registry, service

router = APIRouter(tags=["federation"])

Slug = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
_PUBLIC: Final = {"Cache-Control": "public, max-age=60", "Access-Control-Allow-Origin": "*"}
_FORM: Final = "application/x-www-form-urlencoded"
_T = TypeVar("_T")


async def _answer(call: Callable[[], _T], wrap: Callable[[_T], Response]) -> Response:
    try:
        return wrap(await run_in_threadpool(call))
    except ExchangeProtocolError as refused:
        return protocol_error(refused)


def _jwt(media_type: str) -> Callable[[str], Response]:
    return lambda token: Response(token, media_type=f"application/{media_type}", headers=_PUBLIC)


_STATEMENT: Final = _jwt("entity-statement+jwt")


@router.get(
    "/.well-known/openid-federation",
    response_class=Response,
    summary="The trust anchor's entity configuration (OpenID Federation)",
)
async def anchor_configuration(runtime: RuntimeDep) -> Response:
    return await _answer(lambda: service.anchor_configuration(runtime), _STATEMENT)


@router.get(
    "/federation/historical-keys",
    response_class=Response,
    summary="The keys the anchor no longer signs with (OpenID Federation historical keys)",
)
async def historical_keys(runtime: RuntimeDep) -> Response:
    return await _answer(lambda: service.historical_keys(runtime), _jwt("jwk-set+jwt"))


@router.get(
    "/organisations/{slug}/.well-known/openid-federation",
    response_class=Response,
    summary="A recognised provider's entity configuration",
)
async def provider_configuration(slug: Slug, runtime: RuntimeDep) -> Response:
    return await _answer(lambda: service.provider_configuration(runtime, slug=slug), _STATEMENT)


@router.get(
    "/federation/fetch",
    response_class=Response,
    summary="The anchor's subordinate statement about a provider",
)
async def fetch(
    runtime: RuntimeDep, sub: Annotated[str | None, Query(max_length=2048)] = None
) -> Response:
    return await _answer(lambda: service.subordinate_statement(runtime, subject=sub), _STATEMENT)


def _flag(value: str | None, name: str) -> bool | None:
    if value is None:
        return None
    if value not in ("true", "false"):
        raise ExchangeProtocolError(f"{name} is true or false.", error="invalid_request")
    return value == "true"


def _json(found: list[str]) -> Response:
    return JSONResponse(found, headers=_PUBLIC)


@router.get("/federation/list", summary="The anchor's immediate subordinates")
async def subordinates(
    runtime: RuntimeDep,
    entity_type: Annotated[list[str] | None, Query(max_length=10)] = None,
    trust_marked: Annotated[str | None, Query()] = None,
    trust_mark_type: Annotated[str | None, Query(max_length=2048)] = None,
    intermediate: Annotated[str | None, Query()] = None,
) -> Response:
    def listed() -> list[str]:
        return listing.subordinates(
            runtime,
            entity_types=entity_type or (),
            trust_marked=_flag(trust_marked, "trust_marked"),
            trust_mark_type=trust_mark_type,
            intermediate=_flag(intermediate, "intermediate"),
        )

    return await _answer(listed, _json)


@router.get(
    "/federation/resolve",
    response_class=Response,
    summary="Resolved metadata and trust chain of a provider",
)
async def resolve(
    runtime: RuntimeDep,
    sub: Annotated[str | None, Query(max_length=2048)] = None,
    trust_anchor: Annotated[list[str] | None, Query(max_length=10)] = None,
    entity_type: Annotated[list[str] | None, Query(max_length=10)] = None,
) -> Response:
    return await _answer(
        lambda: service.resolve(
            runtime, subject=sub, trust_anchors=trust_anchor or (), entity_types=entity_type or ()
        ),
        _jwt("resolve-response+jwt"),
    )


@router.get(
    "/federation/trust-mark",
    response_class=Response,
    summary="The trust mark of a type the anchor issues a provider",
)
async def trust_mark(
    runtime: RuntimeDep,
    trust_mark_type: Annotated[str | None, Query(max_length=2048)] = None,
    sub: Annotated[str | None, Query(max_length=2048)] = None,
) -> Response:
    return await _answer(
        lambda: service.trust_mark(runtime, mark_type=trust_mark_type, subject=sub),
        _jwt("trust-mark+jwt"),
    )


@router.get("/federation/trust-mark-list", summary="Who holds a trust mark now")
async def trust_marked(
    runtime: RuntimeDep,
    trust_mark_type: Annotated[str | None, Query(max_length=2048)] = None,
    sub: Annotated[str | None, Query(max_length=2048)] = None,
) -> Response:
    return await _answer(
        lambda: listing.trust_marked(runtime, mark_type=trust_mark_type, subject=sub), _json
    )


@router.post(
    "/federation/trust-mark-status",
    response_class=Response,
    summary="The status of a trust mark the anchor issued (signed)",
)
async def trust_mark_status(request: Request, runtime: RuntimeDep) -> Response:
    body = await request.body()

    def status() -> str:
        media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        if media_type != _FORM:
            raise ExchangeProtocolError(
                f"The status endpoint takes a POST of {_FORM}.", error="invalid_request"
            )
        try:
            fields = dict(parse_qsl(body.decode("utf-8"), errors="strict", max_num_fields=10))
        except (UnicodeDecodeError, ValueError):
            raise ExchangeProtocolError(
                "The body is not UTF-8 form data.", error="invalid_request"
            ) from None
        return service.trust_mark_status(runtime, token=fields.get("trust_mark"))

    return await _answer(status, _jwt("trust-mark-status-response+jwt"))


@router.get(
    "/federation/registry.json", summary="The recognised issuers in the DCC's legacy registry form"
)
async def dcc_registry(runtime: RuntimeDep) -> Response:
    document = await run_in_threadpool(registry.dcc_registry, runtime)
    return JSONResponse(document, headers=_PUBLIC)


def _source(found: imports.Source) -> dict[str, Any]:
    return {
        "url": found.url,
        "kind": found.kind,
        "name": dict(found.name),
        "fetchedAt": found.fetched_at.isoformat(),
        "validUntil": found.valid_until.isoformat() if found.valid_until else None,
        "pinnedKids": pinned_kids(found.pinned_jwks),
        "refusal": {"at": found.refusal.at.isoformat(), "reason": found.refusal.reason,
                    "message": found.refusal.message} if found.refusal else None,
        "providers": [
            {
                "id": provider.entity_id,
                "name": dict(provider.name),
                "country": provider.country,
                "url": provider.url,
                "dids": list(provider.dids),
                "recognised": provider.recognised,
                "programmes": [item.to_json() for item in provider.programmes],
            }
            for provider in found.providers
        ],
    }


class SourceImport(BaseModel):
    """A registry to import: its anchor (``oidf``) or CTDL graph (``ctdl``) and its names."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["oidf", "ctdl"]
    url: str = Field(min_length=8, max_length=2048)
    names: dict[Literal["ja", "en"], Annotated[str, Field(min_length=1, max_length=200)]] = {}
    #: The anchor's keys to pin (a JWK set), for ``oidf``.
    pinned_jwks: dict[str, Any] | None = Field(default=None, alias="pinnedJwks")
    #: Forget the keys pinned by an earlier import.
    unpin: bool = False
    #: Pin the keys the anchor's configuration carries at this import.
    pin_current: bool = Field(default=False, alias="pinCurrent")


@router.get("/api/federation/sources", summary="The registries imported from")
async def imported_sources(runtime: RuntimeDep) -> JSONResponse:
    found = await run_in_threadpool(imports.sources, runtime, with_providers=True)
    return JSONResponse([_source(item) for item in found])


@router.post("/api/federation/sources", status_code=201,
             summary="Import another registry's providers (kept apart, labelled)")
async def import_source(body: SourceImport, runtime: RuntimeDep,
                        access: AccessDep) -> JSONResponse:
    names = {str(language): text for language, text in body.names.items()} or None

    def imported() -> imports.Source:
        if body.kind == "ctdl":
            if body.pinned_jwks is not None or body.unpin or body.pin_current:
                raise InputError("Keys are pinned for an OpenID Federation anchor, not a CTDL "
                                 "graph. / 鍵を固定できるのは OpenID Federation のアンカーです。",
                                 problems=[Problem("pinnedJwks", "not for ctdl")])
            return imports.import_ctdl(runtime, actor=access, url=body.url, names=names)
        return imports.import_federation(runtime, actor=access, anchor=body.url, names=names,
                                         anchor_jwks=body.pinned_jwks, unpin=body.unpin,
                                         pin_current=body.pin_current)

    found = await run_in_threadpool(imported)
    return JSONResponse(_source(found), status_code=201)


@router.delete("/api/federation/sources", status_code=204,
               summary="Forget an imported registry and every provider it listed")
async def forget_source(runtime: RuntimeDep, access: AccessDep,
                        url: Annotated[str, Query(max_length=2048)]) -> Response:
    await run_in_threadpool(lambda: imports.forget(runtime, actor=access, url=url))
    return Response(status_code=204)


__all__ = ["router"]
