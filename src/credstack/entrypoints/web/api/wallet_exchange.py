"""What a learner does with the wallet toward others, as a JSON API (issue 14): presenting
to a verifier, a CLR of a selection, share links, the archive, closing the account.

==============================================  ============================================
``POST /api/wallet/presentations``              ``{"credentials": [ids], "challenge",
                                                "domain", "form", "withhold"}`` → a VC 2.0
                                                presentation signed by the holder key for that
                                                challenge and domain: a Data Integrity proof
                                                (JSON), or ``vp+jwt``, ``vp+sd-jwt``,
                                                ``vp+cose`` (the token or COSE_Sign1, of its
                                                media type); of a credential kept as an
                                                SD-JWT, the claims ``withhold`` names for it
                                                left out (``disclosable`` of ``GET
                                                /api/wallet/credentials/{id}`` lists them)
``POST /api/wallet/clr``                        ``{"credentials": [ids], "name"}`` → a CLR 2.0
                                                issued and signed by the holder
``GET /api/wallet/archive``                     the whole wallet as a ZIP archive
``POST /api/account/delete``                    ``{"email", "password"}``: close the account;
                                                the wallet is deleted with it (204)
``GET|POST /api/wallet/shares``                 the owner's share links; make one (the secret
                                                is in the answer, once)
``DELETE /api/wallet/shares/{id}``              revoke a link (410 from then on)
``GET /api/shares/{secret}``                    what a link shows, for anyone who has it: each
                                                credential checked now (``X-Access-Code``
                                                when the link asks for one)
==============================================  ============================================

Like :mod:`.wallet`, every route calls :mod:`credstack.services.wallet` with the caller as
the actor; errors are RFC 9457 problems.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from credstack.core.certificates.models import Language as CertificateLanguage
from credstack.entrypoints.web.access import AccessDep, client_ip
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.services.wallet import archive, presenting, sharing

router = APIRouter(tags=["wallet"])

_NO_STORE: Final = {"Cache-Control": "no-store"}


def _json(content: object, status_code: int = 200, **headers: str) -> JSONResponse:
    return JSONResponse(content, status_code=status_code, headers={**_NO_STORE, **headers})


# --- presenting, the CLR, the archive, closing the account ---------------------------------


class PresentationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credentials: list[str] = Field(min_length=1, max_length=100,
                                   description="The wallet's ids of the credentials to show.")
    challenge: str = Field(max_length=1000, description="The verifier's challenge.")
    domain: str = Field(max_length=1000, description="The verifier's domain.")
    form: str = Field(default="data-integrity", max_length=100, description=(
        "How the presentation is secured: data-integrity (a proof, JSON), or as Securing "
        "Verifiable Credentials using JOSE and COSE does, vp+jwt, vp+sd-jwt or vp+cose (the "
        "challenge its nonce, the domain its aud)."))
    withhold: dict[str, list[str]] = Field(default_factory=dict, max_length=100, description=(
        "By the wallet's id of a credential kept as an SD-JWT, the claims its holder keeps to "
        "themselves, as its `disclosable` names them (credentialSubject.identifier): their "
        "disclosures are left out, the issuer's signature still verifies."))


@router.post("/api/wallet/presentations", summary="A presentation signed by the holder key "
             "for a verifier's challenge and domain")
async def present(body: PresentationIn, runtime: RuntimeDep, access: AccessDep) -> Response:
    withheld = await run_in_threadpool(presenting.withheld_claims, runtime, actor=access,
                                       claims=body.withhold) if body.withhold else None
    if body.form != "data-integrity":
        secured = await run_in_threadpool(
            presenting.present_secured, runtime, actor=access, credentials=body.credentials,
            challenge=body.challenge, domain=body.domain, form=body.form, withheld=withheld)
        return Response(secured.data, media_type=secured.media_type, headers=_NO_STORE)
    signed = await run_in_threadpool(presenting.present, runtime, actor=access,
                                     credentials=body.credentials, challenge=body.challenge,
                                     domain=body.domain, withheld=withheld)
    return _json(signed)


class ClrIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credentials: list[str] = Field(min_length=1, max_length=1000)
    name: str | None = Field(default=None, max_length=200)


@router.post("/api/wallet/clr", summary="A CLR 2.0 of chosen credentials, signed by the holder")
async def make_clr(body: ClrIn, runtime: RuntimeDep, access: AccessDep) -> JSONResponse:
    signed = await run_in_threadpool(presenting.clr, runtime, actor=access,
                                     credentials=body.credentials, name=body.name)
    return _json(signed)


@router.get("/api/wallet/archive", summary="The whole wallet as a ZIP archive")
async def read_archive(runtime: RuntimeDep, access: AccessDep,
                       lang: Annotated[CertificateLanguage, Query(
                           description="The language of the archive's README.txt.")] = "ja"
                       ) -> Response:
    data = await run_in_threadpool(archive.export_archive, runtime, actor=access, language=lang)
    return Response(data, media_type="application/zip", headers={
        **_NO_STORE, "Content-Disposition": 'attachment; filename="credstack-wallet.zip"'})


class AccountDeletion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)


@router.post("/api/account/delete", status_code=204,
             summary="Close the account; the wallet is deleted with it")
async def delete_account(body: AccountDeletion, runtime: RuntimeDep, access: AccessDep
                         ) -> Response:
    await run_in_threadpool(archive.close_account, runtime, actor=access, email=body.email,
                            password=body.password)
    return Response(status_code=204, headers=_NO_STORE)


# --- share links -------------------------------------------------------------------------


class ShareIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credential: str | None = Field(default=None, description="A credential's wallet id.")
    collection: str | None = Field(default=None, description="A collection's id.")
    label: str = Field(default="", max_length=sharing.MAX_LABEL)
    expires_in_days: int | None = Field(default=None, ge=1, le=sharing.MAX_DAYS)
    access_code: str | None = Field(default=None, max_length=sharing.MAX_CODE)


@router.get("/api/wallet/shares", summary="The owner's share links (never their secrets)")
async def list_shares(runtime: RuntimeDep, access: AccessDep) -> JSONResponse:
    found = await run_in_threadpool(sharing.list_shares, runtime, actor=access)
    now = runtime.now()
    return _json([share.to_dict(now) for share in found])


@router.post("/api/wallet/shares", status_code=201,
             summary="Make a share link to a credential or a collection")
async def create_share(body: ShareIn, runtime: RuntimeDep, access: AccessDep) -> JSONResponse:
    made = await run_in_threadpool(
        sharing.create_share, runtime, actor=access, credential=body.credential,
        collection=body.collection, label=body.label, expires_in_days=body.expires_in_days,
        access_code=body.access_code)
    url = f"{runtime.settings.public_url.rstrip('/')}{made.path}"
    return _json({**made.view.to_dict(runtime.now()), "url": url, "secret": made.token}, 201)


@router.delete("/api/wallet/shares/{public_id}", summary="Revoke a share link")
async def revoke_share(public_id: str, runtime: RuntimeDep, access: AccessDep) -> JSONResponse:
    view = await run_in_threadpool(sharing.revoke_share, runtime, actor=access,
                                   public_id=public_id)
    return _json(view.to_dict(runtime.now()))


@router.get("/api/shares/{token}", summary="What a share link shows (anyone with it)")
async def open_share(token: str, request: Request, runtime: RuntimeDep) -> JSONResponse:
    opened = await run_in_threadpool(
        sharing.open_share, runtime, token=token,
        access_code=request.headers.get("x-access-code"), ip=client_ip(request))
    return JSONResponse({
        "holder": opened.holder_name, "type": opened.kind, "title": opened.title,
        "description": opened.description, "label": opened.label,
        "credentials": [{"credential": item.to_dict(), "report": report.to_dict()}
                        for item, report in opened.items]},
        headers={**_NO_STORE, "X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"})
