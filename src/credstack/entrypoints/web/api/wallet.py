"""The learner's wallet as a JSON API, so that a mobile app can be built on it (issue 14).

Every route acts on the caller's own wallet — a signed-in session (its CSRF token in
``X-CSRF-Token`` on writes) or a bearer token carrying ``wallet:read`` / ``wallet:write`` —
and calls :mod:`credstack.services.wallet` with the caller
(:class:`~credstack.entrypoints.web.access.Access`) as the actor: the services decide who may,
and write the audit log. Another learner's credential or collection is answered as one that
does not exist (404). Errors are RFC 9457 problems: a credential issued to somebody else
422 (``recipient-mismatch``, naming where it names its recipient), something that is not a
credential or a hostile file 422, a declared type the content contradicts 415, more than the
wallet keeps 413, a URL that cannot be fetched 422 (one that serves nothing 404). Every
answer is ``Cache-Control: no-store``.

The record and its credentials:

* ``GET /api/wallet`` — the record: ``credentials`` newest first and the ``totals`` of the
  verified ones (``?tag=``, ``?collection=``);
* ``POST /api/wallet/credentials`` — import (below);
* ``GET /api/wallet/credentials/{id}`` — the credential, verified again now, with that
  check's ``report`` (and, kept as an SD-JWT, the claims its holder may withhold when
  presenting: ``disclosable``); ``…/original`` — the bytes as imported, as a download that never
  renders here (:mod:`credstack.entrypoints.web.originals`); ``…/import-report`` — the report
  made at import, unchanged; ``…/certificate.pdf?lang=ja|en|ko|…`` — the signed PDF
  certificate (in one of the eight languages) of a credential issued on this platform to the
  learner (404 for one issued elsewhere);
* ``PATCH /api/wallet/credentials/{id}`` — ``{"tags": […], "note": "…"}`` (what is left out
  stays); ``DELETE`` — remove it (204).

Who the learner is:

* ``GET /api/wallet/holder`` — the holder DID, its verification method and the identifiers;
* ``GET /api/wallet/identifiers``; ``POST`` ``{"type": "email", "value": "…"}`` (201; 409 when
  it is someone's already); ``DELETE /api/wallet/identifiers/{type}/{value}`` (204; the
  value may keep a URL's slashes; the sign-in address and the holder DID stay: 409).

Collections:

* ``GET /api/wallet/collections``; ``POST`` ``{"name", "description", "credentials"}`` (201);
* ``GET /api/wallet/collections/{id}`` (its credentials' ids; the items themselves:
  ``GET /api/wallet?collection={id}``), ``PATCH`` ``{"name", "description"}`` (what is left
  out stays), ``DELETE`` (204; its credentials stay in the wallet);
* ``PUT`` / ``DELETE /api/wallet/collections/{id}/credentials/{credential}`` — put a
  credential in (once) or take it out; both answer with the collection.

Importing takes, by ``Content-Type``:

* ``multipart/form-data`` — the file in the field ``file`` (its name and type are kept, and
  must not contradict the content);
* ``application/json`` — ``{"credential": <object or string>}``: an object is kept as compact
  UTF-8 JSON (send a JSON file as the body itself, or as a string, to keep it byte for byte),
  a string as it is (a VC-JWT, JSON text, a URL); or ``{"url": "https://…"}``, fetched
  through the hardened fetcher (a hosted Open Badges 2.0 assertion too);
* the file itself as the body: ``application/vc+jwt`` (or ``application/jwt``),
  ``application/ld+json`` (``application/vc+ld+json``, ``application/vc``), ``image/png``,
  ``image/svg+xml``, ``application/pdf``.

The answer is the credential with its verification ``report`` and its address in
``Location``: 201 when kept, 200 when the same bytes were in the wallet already. A file sent
as the body and declared larger than the wallet keeps
(:data:`~credstack.services.wallet.credentials.MAX_IMPORT_BYTES`) is refused before any of it
is read; no request is read past the limit :mod:`credstack.entrypoints.web.app` sets for this
path (:data:`IMPORT_BODY_BYTES`, room for a multipart envelope).

Share links, presentations, the CLR and the archive have routes of their own.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Final

import orjson
from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import UploadFile

from credstack.core.access import Action
from credstack.core.certificates.models import Language as CertificateLanguage
from credstack.entrypoints.web.access import Access, AccessDep, access_of, credentials
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.originals import certificate_download, original_download
from credstack.errors import (
    InputError,
    InputTooLargeError,
    Problem,
    UnreadableInputError,
    UnsupportedMediaError,
)
from credstack.services.runtime import Runtime
from credstack.services.wallet import certificates as wallet_certificates
from credstack.services.wallet import collections, holders, presenting
from credstack.services.wallet import credentials as wallet
from credstack.services.wallet.credentials import MAX_IMPORT_BYTES, Imported

router = APIRouter(prefix="/api/wallet", tags=["wallet"])

#: The largest import request: the file and a multipart envelope around it.
IMPORT_BODY_BYTES: Final = MAX_IMPORT_BYTES + 64 * 1024
#: The media types of a file sent as the body itself.
RAW_TYPES: Final = frozenset({
    "application/vc+jwt", "application/jwt", "application/ld+json", "application/vc+ld+json",
    "application/vc", "image/png", "image/svg+xml", "application/pdf"})
#: A multipart import's fields: the file and, from a page, the CSRF token.
_MAX_FIELDS: Final = 4
_NO_STORE: Final = {"Cache-Control": "no-store"}
_SHAPE: Final = ('send {"credential": <the credential, an object or a string>} or '
                 '{"url": "https://…"}')

CredentialId = Annotated[str, Path(max_length=64, description="The credential's id in the "
                                   "wallet (`id` of an item).")]
CollectionId = Annotated[str, Path(max_length=64, description="The collection's id.")]


class _Json(JSONResponse):
    """JSON written by orjson: a record of a thousand credentials is 1.9 MB of JSON, which
    the standard library's encoder takes 30 ms to write, orjson 5."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def _json(content: Any, status_code: int = 200, **headers: str) -> JSONResponse:
    return _Json(content, status_code=status_code, headers={**_NO_STORE, **headers})


def _no_content() -> Response:
    return Response(status_code=204, headers=_NO_STORE)


# --- the record and one credential --------------------------------------------------------


@router.get("", summary="The learner's record: every credential, newest first, and totals")
def read_record(runtime: RuntimeDep, access: AccessDep,
                tag: Annotated[str | None, Query(max_length=64)] = None,
                collection: Annotated[str | None, Query(max_length=64)] = None
                ) -> JSONResponse:
    """Credentials issued on this platform to the learner's verified identifiers are
    delivered first. The totals add up the verified, unexpired credentials only."""
    found = wallet.record(runtime, actor=access, tag=tag or None,
                          collection=collection or None)
    return _json(found.to_dict())


@router.get("/credentials/{credential}",
            summary="A credential of the wallet, verified again now")
def read_credential(credential: CredentialId, runtime: RuntimeDep, access: AccessDep
                    ) -> JSONResponse:
    """The item as the record lists it, its standing from this check, the check's
    ``report`` (revoked, suspended, expired, a recognition withdrawn show here first) and,
    of a credential kept as an SD-JWT, the claims its holder may withhold when presenting
    (``disclosable``: where each goes, ``credentialSubject.identifier``)."""
    item, report = wallet.check(runtime, actor=access, public_id=credential)
    data, kept = wallet.original(runtime, actor=access, public_id=credential)
    return _json({**item.to_dict(), "report": report.to_dict(), "disclosable": [
        claim.place for claim in presenting.disclosable(data, kept.kind)]})


@router.get("/credentials/{credential}/original", response_class=Response,
            summary="The credential as imported, byte for byte (a download)",
            responses={200: {"description": "The file, with the media type it was kept as, "
                             "`Content-Disposition: attachment`, `nosniff` and a sandbox "
                             "Content-Security-Policy: it never renders in this origin."}})
def read_original(credential: CredentialId, runtime: RuntimeDep, access: AccessDep
                  ) -> Response:
    data, item = wallet.original(runtime, actor=access, public_id=credential)
    return original_download(data, item)


@router.get("/credentials/{credential}/certificate.pdf", response_class=Response,
            summary="The signed PDF certificate of a credential issued on this platform",
            responses={200: {"content": {"application/pdf": {}},
                             "description": "A PAdES-signed PDF, as a download."}})
async def read_certificate(credential: CredentialId, runtime: RuntimeDep, access: AccessDep,
                           lang: Annotated[CertificateLanguage, Query(
                               description="The certificate's language.")] = "ja"
                           ) -> Response:
    made = await run_in_threadpool(wallet_certificates.certificate, runtime, actor=access,
                                   public_id=credential, language=lang)
    return certificate_download(made)


@router.get("/credentials/{credential}/import-report",
            summary="The verification report made when the credential was imported")
def read_import_report(credential: CredentialId, runtime: RuntimeDep, access: AccessDep
                       ) -> JSONResponse:
    return _json(wallet.import_report(runtime, actor=access, public_id=credential))


class CredentialUpdate(BaseModel):
    """What the learner writes about a credential; what is left out stays as it is."""

    model_config = ConfigDict(extra="forbid")

    tags: list[str] | None = Field(default=None, max_length=1000, description="Replaces "
                                   "the tags (at most 20, each up to 64 characters).")
    note: str | None = Field(default=None, max_length=100_000, description="Replaces the "
                             "private note (at most 10,000 characters).")


@router.patch("/credentials/{credential}", summary="Tag a credential, or write its note")
def update_credential(credential: CredentialId, body: CredentialUpdate, runtime: RuntimeDep,
                      access: AccessDep) -> JSONResponse:
    item = wallet.update(runtime, actor=access, public_id=credential, tags=body.tags,
                         note=body.note)
    return _json(item.to_dict())


@router.delete("/credentials/{credential}", status_code=204, response_class=Response,
               summary="Remove a credential from the wallet")
def remove_credential(credential: CredentialId, runtime: RuntimeDep, access: AccessDep
                      ) -> Response:
    """Its share links go with it; one issued on this platform is not delivered again."""
    wallet.remove(runtime, actor=access, public_id=credential)
    return _no_content()


# --- importing ----------------------------------------------------------------------------


def _essence(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _refuse_declared_over(request: Request, limit: int) -> None:
    """A body declared larger than ``limit`` is refused before any of it is read."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise InputTooLargeError(
            f"The file is {int(declared):,} bytes; a wallet keeps credentials of at most "
            f"{limit:,} bytes. / ファイルが大きすぎます（上限 {limit:,} バイト）。",
            problems=[Problem("body", f"Content-Length: {declared}")])


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise InputError(f"The JSON repeats the key {key!r} in one object: which one is "
                             f"meant cannot be told. / JSON のキー {key!r} が重複しています。",
                             problems=[Problem(key, "repeated")])
        found[key] = value
    return found


def _named_in(body: bytes) -> str | bytes:
    """What a JSON import request names: the URL (text) or the credential (bytes)."""
    try:
        document = json.loads(body, object_pairs_hook=_unique)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise UnreadableInputError(f"The request body is not JSON: {_SHAPE}. / "
                                   "リクエスト本文が JSON ではありません。",
                                   problems=[Problem("body", "not JSON")]) from None
    members = set(document) if isinstance(document, dict) else set()
    if len(members & {"credential", "url"}) != 1 or members - {"credential", "url"}:
        raise InputError(f"Nothing to import: {_SHAPE}. / "
                         '{"credential": …} か {"url": …} のどちらかを送ってください。',
                         problems=[Problem("body", "one of credential, url")])
    if "url" in document:
        if not isinstance(document["url"], str):
            raise InputError(f"The url is not text: {_SHAPE}. / url は文字列です。",
                             problems=[Problem("url", "a string")])
        return str(document["url"])
    given = document["credential"]
    if isinstance(given, str):
        return given.encode("utf-8", "surrogatepass")
    if isinstance(given, dict):
        # As credentials issued here are stored: compact UTF-8 (the same credential given
        # again is then the same bytes).
        return json.dumps(given, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8", "surrogatepass")
    raise InputError(f"The credential is neither an object nor a string: {_SHAPE}. / "
                     "credential はオブジェクトか文字列です。",
                     problems=[Problem("credential", type(given).__name__)])


async def _from_form(request: Request, runtime: Runtime) -> Imported:
    form = await request.form(max_files=1, max_fields=_MAX_FIELDS)
    try:
        # The CSRF token of a session may be one of the form's fields: read it now.
        access = await access_of(request)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InputError("The form has no file: send it in the field 'file'. / "
                             "ファイル（file）がありません。",
                             problems=[Problem("file", "missing")])
        data = await upload.read(MAX_IMPORT_BYTES + 1)
        return await run_in_threadpool(
            wallet.import_credential, runtime, actor=access, data=data, source="upload",
            filename=upload.filename or None, media_type=upload.content_type)
    finally:
        await form.close()


async def _from_json(request: Request, runtime: Runtime) -> Imported:
    access = await access_of(request)
    given = _named_in(await request.body())
    if isinstance(given, str):
        return await run_in_threadpool(wallet.import_url, runtime, actor=access, url=given)
    return await run_in_threadpool(wallet.import_credential, runtime, actor=access,
                                   data=given, source="paste")


async def _from_body(request: Request, runtime: Runtime, media_type: str) -> Imported:
    _refuse_declared_over(request, MAX_IMPORT_BYTES)
    access = await access_of(request)
    data = await request.body()
    return await run_in_threadpool(wallet.import_credential, runtime, actor=access, data=data,
                                   source="upload", media_type=media_type)


_IMPORT_BODY: Final[dict[str, Any]] = {
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary"}}}},
    "application/json": {"schema": {"oneOf": [
        {"type": "object", "required": ["credential"], "additionalProperties": False,
         "properties": {"credential": {"oneOf": [{"type": "object"}, {"type": "string"}]}}},
        {"type": "object", "required": ["url"], "additionalProperties": False,
         "properties": {"url": {"type": "string", "format": "uri"}}}]}},
    **{media_type: {"schema": {"type": "string", "format": "binary"}}
       for media_type in sorted(RAW_TYPES)},
}


@router.post(
    "/credentials", status_code=201,
    summary="Import a credential: verified, and kept byte for byte",
    description="A file (`multipart/form-data`, field `file`), `{\"credential\": …}` or "
                "`{\"url\": …}` as JSON, or the file itself as the body with its media type. "
                "Kept even when it does not verify (marked with the failed check); refused "
                "when it names somebody else or is not a credential.",
    responses={200: {"description": "The same bytes were in the wallet already."},
               201: {"description": "Kept: the credential and its verification `report`."},
               413: {"description": "Larger than the wallet keeps."},
               415: {"description": "A media type this route does not take, or one the "
                                    "content contradicts."},
               422: {"description": "Issued to somebody else, not a credential, hostile, "
                                    "or a URL that cannot be fetched."}},
    openapi_extra={"requestBody": {"required": True, "content": _IMPORT_BODY}})
async def import_credential(request: Request, runtime: RuntimeDep) -> JSONResponse:
    caller = Access(request, await run_in_threadpool(credentials, request))
    # Who is asking, and whether they may, is settled before anything of the body is read.
    await run_in_threadpool(caller.require, Action.WALLET_WRITE)
    media_type = _essence(request.headers.get("content-type", ""))
    if media_type == "multipart/form-data":
        imported = await _from_form(request, runtime)
    elif media_type == "application/json":
        imported = await _from_json(request, runtime)
    elif media_type in RAW_TYPES:
        imported = await _from_body(request, runtime, media_type)
    else:
        raise UnsupportedMediaError(
            f"A credential is imported as multipart/form-data, application/json or one of "
            f"{', '.join(sorted(RAW_TYPES))}, not {media_type or 'a body without a type'}. / "
            "対応していない Content-Type です。",
            problems=[Problem("Content-Type", media_type or "missing")])
    item = imported.item
    body = {**item.to_dict(),
            "report": imported.report.to_dict() if imported.report is not None else None}
    return _json(body, 201 if imported.created else 200,
                 Location=f"/api/wallet/credentials/{item.public_id}")


# --- the holder and their identifiers -----------------------------------------------------


def _identifiers(views: list[holders.IdentifierView]) -> dict[str, Any]:
    return {"identifiers": [view.to_dict() for view in views]}


@router.get("/holder", summary="The learner's holder DID and identifiers")
def read_holder(runtime: RuntimeDep, access: AccessDep) -> JSONResponse:
    """The ``did:key`` presentations are signed with, and every identifier."""
    found, views = holders.holder(runtime, actor=access)
    return _json({"did": found.did, "verification_method": found.verification_method,
                  **_identifiers(views)})


@router.get("/identifiers", summary="The identifiers credentials may name the learner by")
def read_identifiers(runtime: RuntimeDep, access: AccessDep) -> JSONResponse:
    _, views = holders.holder(runtime, actor=access)
    return _json(_identifiers(views))


class IdentifierCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(alias="type", max_length=32, description="email, student-id, "
                      "national-id, url, did or other.")
    value: str = Field(max_length=2_000)


@router.post("/identifiers", status_code=201,
             summary="Add an identifier (unverified); answers with all of them")
def add_identifier(body: IdentifierCreate, runtime: RuntimeDep, access: AccessDep
                   ) -> JSONResponse:
    """409 when it is already this or another learner's."""
    views = holders.add_identifier(runtime, actor=access, kind=body.kind, value=body.value)
    return _json(_identifiers(views), 201)


@router.delete("/identifiers/{type}/{value:path}", status_code=204, response_class=Response,
               summary="Remove an identifier the learner added (credentials stay)")
def remove_identifier(kind: Annotated[str, Path(alias="type", max_length=32)],
                      value: Annotated[str, Path(max_length=2_000)], runtime: RuntimeDep,
                      access: AccessDep) -> Response:
    """The value as a path (a URL's slashes may stay); the sign-in address and the holder DID
    stay (409)."""
    holders.remove_identifier(runtime, actor=access, kind=kind, value=value)
    return _no_content()


# --- collections --------------------------------------------------------------------------


class CollectionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=10_000, description="1 to 200 characters.")
    description: str = Field(default="", max_length=100_000,
                             description="At most 2,000 characters.")
    credentials: list[str] = Field(default=[], max_length=10_000,
                                   description="Ids of credentials to put in it.")


class CollectionUpdate(BaseModel):
    """What is left out stays as it is."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=10_000)
    description: str | None = Field(default=None, max_length=100_000)


def _collection(found: collections.Collection, status_code: int = 200, **headers: str
                ) -> JSONResponse:
    return _json(found.to_dict(), status_code, **headers)


@router.get("/collections", summary="The learner's collections")
def read_collections(runtime: RuntimeDep, access: AccessDep) -> JSONResponse:
    found = collections.collections(runtime, actor=access)
    return _json({"collections": [group.to_dict() for group in found]})


@router.post("/collections", status_code=201, summary="Make a collection")
def create_collection(body: CollectionCreate, runtime: RuntimeDep, access: AccessDep
                      ) -> JSONResponse:
    made = collections.create(runtime, actor=access, name=body.name,
                              description=body.description, credentials=body.credentials)
    return _collection(made, 201, Location=f"/api/wallet/collections/{made.public_id}")


@router.get("/collections/{collection}", summary="A collection")
def read_collection(collection: CollectionId, runtime: RuntimeDep, access: AccessDep
                    ) -> JSONResponse:
    return _collection(collections.collection(runtime, actor=access, public_id=collection))


@router.patch("/collections/{collection}", summary="Rename a collection or describe it")
def update_collection(collection: CollectionId, body: CollectionUpdate, runtime: RuntimeDep,
                      access: AccessDep) -> JSONResponse:
    return _collection(collections.rename(runtime, actor=access, public_id=collection,
                                          name=body.name, description=body.description))


@router.delete("/collections/{collection}", status_code=204, response_class=Response,
               summary="Delete a collection (its credentials stay in the wallet)")
def delete_collection(collection: CollectionId, runtime: RuntimeDep, access: AccessDep
                      ) -> Response:
    collections.delete(runtime, actor=access, public_id=collection)
    return _no_content()


@router.put("/collections/{collection}/credentials/{credential}",
            summary="Put a credential in a collection (once)")
def add_to_collection(collection: CollectionId, credential: CredentialId,
                      runtime: RuntimeDep, access: AccessDep) -> JSONResponse:
    return _collection(collections.add_to(runtime, actor=access, public_id=collection,
                                          credential=credential))


@router.delete("/collections/{collection}/credentials/{credential}",
               summary="Take a credential out of a collection (it stays in the wallet)")
def remove_from_collection(collection: CollectionId, credential: CredentialId,
                           runtime: RuntimeDep, access: AccessDep) -> JSONResponse:
    return _collection(collections.remove_from(runtime, actor=access, public_id=collection,
                                               credential=credential))
