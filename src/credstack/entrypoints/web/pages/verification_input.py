"""What the verification page (``POST /verify``) was given, read into what it verifies.

The form (``multipart/form-data``: the textarea ``credential``, the file ``file``, the
checkbox ``strict``) is read within the page's limits (:func:`read_form`), and the uploaded
file, else the pasted text, is what to verify (:func:`given_in`). Pasted text that is an
address of this site — a credential's verification page, the share link a learner copies from
the wallet, where a credential's badge, PDF certificate, EDC or file downloads from — is read
from the store as the page that verifies several reads it
(:mod:`credstack.services.candidates.own_links`): the server never fetches its own pages
(:func:`resolved`). Input that cannot be verified at all is an :class:`Unusable` with the
message that says why.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from credstack.core.proofs.cryptosuites.vc_cose import is_cose
from credstack.core.verification import MAX_CREDENTIAL_BYTES, VerificationReport
from credstack.entrypoints.web.access import client_ip
from credstack.errors import (
    AccessCodeError,
    GoneError,
    InputTooLargeError,
    NotFoundError,
    RateLimitedError,
)
from credstack.services.candidates import own_links
from credstack.services.certificates.verification import MAX_PDF_BYTES
from credstack.services.formats import detect
from credstack.services.runtime import Runtime
from credstack.services.wallet import sharing

__all__ = ["Given", "InputProblem", "Unusable", "given_in", "limit_for", "pasted_text",
           "read_form", "resolved", "size_text", "upload_limit"]

#: Form fields a request may carry: the textarea, the file, the checkbox, and room for a
#: submit button.
_MAX_FIELDS: Final = 5


@dataclass(frozen=True, slots=True)
class InputProblem:
    """Why the input could not be verified at all: a message key and its values, and where
    to go on (an address and the message naming it) when somewhere else can."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)
    link: str | None = None
    link_key: str | None = None


class Unusable(Exception):
    def __init__(self, key: str, *, link: str | None = None, link_key: str | None = None,
                 **values: object) -> None:
        super().__init__(key)
        self.problem = InputProblem(key, values, link, link_key)


@dataclass(frozen=True, slots=True)
class Given:
    #: What to verify: the pasted text, the uploaded file's bytes, or a credential of this
    #: site read from the store.
    data: str | bytes
    filename: str | None = None
    ignored_paste: bool = False
    strict: bool = False
    #: The message saying where the credential was read from, when an address of this site
    #: was given for it.
    source: str | None = None
    #: A share link's credential as its page checked it (then ``data`` is not verified again).
    report: VerificationReport | None = None


def size_text(size: int) -> str:
    """A size as people read it: 980 bytes, 512 KB, 1 MB."""
    if size < 1024:
        return f"{size:,} B"
    if size < 1024 * 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size / (1024 * 1024):,.1f} MB".replace(".0 MB", " MB")


def limit_for(request: Request) -> int:
    """The largest credential this page reads: the pipeline's limit, or the server's if lower."""
    limit: int = min(MAX_CREDENTIAL_BYTES, request.app.state.settings.max_body_bytes)
    return limit


def upload_limit(request: Request) -> int:
    """The largest upload this page takes: a PDF certificate's limit, or the server's if
    lower (a badge image or a credential file has its own limit below it)."""
    limit: int = min(MAX_PDF_BYTES, request.app.state.settings.max_body_bytes)
    return limit


def _declared_size(request: Request) -> int | None:
    declared = request.headers.get("content-length", "")
    return int(declared) if declared.isdigit() else None


async def read_form(request: Request) -> FormData:
    limit = upload_limit(request)
    declared = _declared_size(request)
    if declared is not None and declared > limit:
        # Said from the declared length: the body is not read at all.
        raise Unusable("verify.error.upload_too_large", limit=size_text(limit))
    try:
        # A pasted credential is a form field: starlette's own cap on fields (1 MB) would
        # refuse one the pipeline accepts, so the cap is the page's limit (plus slack for
        # the line breaks a browser normalises to CR LF).
        return await request.form(max_files=1, max_fields=_MAX_FIELDS,
                                  max_part_size=limit_for(request) + 64 * 1024)
    except InputTooLargeError:
        raise Unusable("verify.error.upload_too_large", limit=size_text(limit)) from None
    except StarletteHTTPException as exc:
        raise Unusable("verify.error.form", reason=str(exc.detail)) from None


def pasted_text(form: FormData) -> str:
    value = form.get("credential")
    return value if isinstance(value, str) else ""


async def given_in(form: FormData, request: Request) -> Given:
    """What to verify: the uploaded file if one was chosen, else the pasted text."""
    pasted = pasted_text(form)
    strict = form.get("strict") is not None
    upload = form.get("file")
    credential_limit = limit_for(request)
    if isinstance(upload, UploadFile):
        limit = upload_limit(request)
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise Unusable("verify.error.upload_too_large", limit=size_text(limit))
        if data.strip():
            kind = detect(data)
            if kind not in {"pdf", "image"}:
                if len(data) > credential_limit:
                    raise Unusable("verify.error.too_large", limit=size_text(credential_limit))
                try:
                    data.decode("utf-8")
                except UnicodeDecodeError:
                    # A COSE_Sign1 (application/vc+cose, vp+cose) is binary, as it is sent.
                    if not is_cose(data):
                        raise Unusable("verify.error.not_utf8") from None
            return Given(data, filename=upload.filename or "credential",
                         ignored_paste=bool(pasted.strip()), strict=strict)
        if upload.filename:
            raise Unusable("verify.error.empty_file", name=upload.filename)
    if not pasted.strip():
        raise Unusable("verify.error.empty")
    if len(pasted.encode("utf-8", "surrogatepass")) > credential_limit:
        raise Unusable("verify.error.too_large", limit=size_text(credential_limit))
    return Given(pasted, strict=strict)


async def resolved(given: Given, runtime: Runtime, request: Request) -> Given:
    """``given``, or — pasted text that is an address of this site — the credential it names
    read from the store (a share link's as its page checks it), saying so."""
    link = own_links.own_link(given.data, public_url=runtime.settings.public_url) \
        if isinstance(given.data, str) else None
    if isinstance(link, own_links.ShareLink):
        return await _shared(given, runtime, request, link)
    if link is None:
        return given
    try:
        document = await run_in_threadpool(own_links.stored_document, runtime, link)
    except NotFoundError:
        raise Unusable("verify.error.no_credential_here") from None
    return dataclasses.replace(given, data=document, source=f"verify.own.{link.artefact}")


async def _shared(given: Given, runtime: Runtime, request: Request,
                  link: own_links.ShareLink) -> Given:
    """A share link's one credential, opened and checked now as its page does (it counts a
    view); a link that shows several, or that asks for its access code, is opened itself."""
    path = f"/s/{link.token}"
    try:
        opened = await run_in_threadpool(sharing.open_share, runtime, token=link.token,
                                         ip=client_ip(request))
    except AccessCodeError:
        raise Unusable("verify.error.share_code", link=path,
                       link_key="verify.share_open") from None
    except GoneError:
        raise Unusable("verify.error.share_gone") from None
    except RateLimitedError:
        raise Unusable("verify.error.share_limited") from None
    except NotFoundError:
        raise Unusable("verify.error.share_unknown") from None
    if len(opened.items) != 1:
        raise Unusable("verify.error.share_several", link=path, link_key="verify.share_open",
                       count=len(opened.items))
    [(_, report)] = opened.items
    return dataclasses.replace(given, source="verify.own.share", report=report)
