"""``/workspace/{slug}/keys``: the organisation's issuer keys with their DIDs and
verification methods, made and rotated; ``/workspace/{slug}/authority``: its certificate
authority for PDF certificates, made and renewed. Each form names the key or authority it
replaces, so that sending it twice replaces it once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Final

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.workspace.views import page, problem_of, see_other
from credstack.errors import InputError
from credstack.services.runtime import Runtime
from credstack.services.workspace import home, keys

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]
KEYS_DONE: Final = frozenset({"created", "rotated"})
AUTHORITY_DONE: Final = frozenset({"created", "renewed"})


def keys_page(request: Request, runtime: Runtime, access: Access, slug: str, *,
              status_code: int = 200, **context: Any) -> HTMLResponse:
    found = home.home(runtime, actor=access, slug=slug)
    issuer = keys.issuer(runtime, actor=access, organisation=slug)
    values: dict[str, Any] = {"problem": None, "done": None, **context}
    missing = [key_type.value for key_type in keys.ISSUING_KEY_TYPES
               if not any(item.active and item.type is key_type for item in issuer.keys)]
    return page(request, "workspace_keys.html", status_code=status_code, slug=slug,
                home=found, sections=found.sections, here="keys", issuer=issuer,
                missing=missing, **values)


@router.get("/workspace/{slug}/keys", response_class=HTMLResponse)
def keys_list(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
              done: Annotated[str | None, Query()] = None) -> Response:
    return keys_page(request, runtime, access, slug, done=done if done in KEYS_DONE else None)


@router.post("/workspace/{slug}/keys", response_class=HTMLResponse)
def create_key(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
               type: FormText = "") -> Response:
    try:
        keys.create_key(runtime, actor=access, organisation=slug, key_type=type)
    except InputError as exc:
        problem = problem_of(request, exc)
        return keys_page(request, runtime, access, slug, status_code=problem.status,
                         problem=problem)
    return see_other(f"/workspace/{slug}/keys?done=created")


@router.post("/workspace/{slug}/keys/rotate", response_class=HTMLResponse)
def rotate_key(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
               type: FormText = "", replacing: FormText = "") -> Response:
    try:
        keys.rotate_key(runtime, actor=access, organisation=slug, key_type=type,
                        replacing=replacing)
    except InputError as exc:
        problem = problem_of(request, exc)
        return keys_page(request, runtime, access, slug, status_code=problem.status,
                         problem=problem)
    return see_other(f"/workspace/{slug}/keys?done=rotated")


# --- the certificate authority ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CertificateView:
    """A certificate as the page shows it."""

    subject: str
    issuer: str
    serial: str
    not_before: dt.datetime
    not_after: dt.datetime
    sha256: str


def _certificate(certificate: x509.Certificate) -> CertificateView:
    digest = certificate.fingerprint(hashes.SHA256()).hex().upper()
    return CertificateView(
        subject=certificate.subject.rfc4514_string(), issuer=certificate.issuer.rfc4514_string(),
        serial=format(certificate.serial_number, "x"),
        not_before=certificate.not_valid_before_utc, not_after=certificate.not_valid_after_utc,
        sha256=":".join(digest[i:i + 2] for i in range(0, len(digest), 2)))


def authority_page(request: Request, runtime: Runtime, access: Access, slug: str, *,
                   status_code: int = 200, **context: Any) -> HTMLResponse:
    found = home.home(runtime, actor=access, slug=slug)
    info = keys.authority(runtime, actor=access, organisation=slug)
    values: dict[str, Any] = {"problem": None, "done": None, **context}
    return page(request, "workspace_authority.html", status_code=status_code, slug=slug,
                home=found, sections=found.sections, here="authority", info=info,
                authority=_certificate(info.authority) if info else None,
                signing=_certificate(info.signing) if info else None,
                years=list(keys.YEARS), now=runtime.now(), **values)


@router.get("/workspace/{slug}/authority", response_class=HTMLResponse)
def authority(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
              done: Annotated[str | None, Query()] = None) -> Response:
    return authority_page(request, runtime, access, slug,
                          done=done if done in AUTHORITY_DONE else None)


def _years(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


@router.post("/workspace/{slug}/authority", response_class=HTMLResponse)
def create_authority(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
                     years: FormText = "10", replacing: FormText = "") -> Response:
    try:
        if replacing:
            keys.renew_authority(runtime, actor=access, organisation=slug,
                                 replacing=replacing, years=_years(years))
        else:
            keys.create_authority(runtime, actor=access, organisation=slug,
                                  years=_years(years))
    except InputError as exc:
        problem = problem_of(request, exc)
        return authority_page(request, runtime, access, slug, status_code=problem.status,
                              problem=problem)
    done = "renewed" if replacing else "created"
    return see_other(f"/workspace/{slug}/authority?done={done}")
