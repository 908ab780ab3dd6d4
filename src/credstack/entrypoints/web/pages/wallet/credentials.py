"""One credential of the wallet: ``/wallet/credentials/{id}`` and what is done to it.

* ``GET /wallet/credentials/{id}`` — verified again now (:func:`~credstack.services.wallet
  .credentials.check`) and shown as the verification page shows a result, with what it means
  (outcomes, levels, credits), its tags and private note, its collections, the download of
  the original and the way to delete it.
* ``POST …/notes`` — the tags and the note; ``POST …/collections`` — into a collection (an
  existing one, or a new one named there); ``POST …/collections/{collection}/remove``.
* ``GET …/original`` — the bytes as imported, always as a download (``Content-Disposition:
  attachment``), never sniffed, and sandboxed should a browser render them anyway: an
  uploaded SVG must never run in this site's origin (:mod:`credstack.entrypoints.web.originals`).
* ``GET …/delete`` asks for confirmation; ``POST …/delete`` deletes.

Another learner's credential is answered as one that does not exist (404), by the services.
"""

from __future__ import annotations

import re
from typing import Annotated, Final, Literal
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.core.certificates.models import Language as CertificateLanguage
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.originals import certificate_download, original_download
from credstack.entrypoints.web.pages import verification as verify_page
from credstack.entrypoints.web.pages.credential_page import Downloads, verify_url, wallet_page
from credstack.entrypoints.web.pages.signed_in import WebUserDep
from credstack.entrypoints.web.pages.verification_trust import trust_of
from credstack.entrypoints.web.pages.wallet.views import (
    FormProblem,
    page,
    refusal_of,
    row_of,
    see_other,
)
from credstack.errors import InputError
from credstack.services import elm_export
from credstack.services.runtime import Runtime
from credstack.services.wallet import certificates as wallet_certificates
from credstack.services.wallet import collections
from credstack.services.wallet import credentials as wallet

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]
#: What ``?done=…`` may announce on a credential's page.
DONE: Final = frozenset({"imported", "already", "saved", "added", "removed"})
#: Tags are typed as one line, separated by commas (ASCII, Japanese or full-width) or lines.
_TAG_SEPARATORS: Final = re.compile(r"[,、，\n]")


def credential_page(request: Request, runtime: Runtime, access: Access, public_id: str, *,
                    status_code: int = 200, problem: FormProblem | None = None,
                    problem_at: str | None = None, tags: str | None = None,
                    note: str | None = None, new_collection: str = "",
                    done: str | None = None) -> HTMLResponse:
    """The credential, checked again now; ``problem`` is shown next to the form
    ``problem_at`` (``notes`` or ``collections``), what was typed kept."""
    language = i18n.negotiate(request).language
    t = i18n.Translator(language)
    item, report = wallet.check(runtime, actor=access, public_id=public_id)
    member_of = {public_id for public_id, _ in item.collections}
    result = verify_page.result_of(report, language, trust=trust_of(runtime, report))
    certificate = wallet_certificates.has_certificate(runtime, actor=access,
                                                      public_id=public_id)
    own = f"/wallet/credentials/{public_id}"
    issued = item.credential_id
    downloads = Downloads(
        pdf=f"{own}/certificate.pdf?language={t.language}" if certificate else None,
        pdf_other=f"{own}/certificate.pdf?language={t.document_other}" if certificate else None,
        baked=f"/api/credentials/{quote(issued, safe='')}/baked" if issued else None,
        json=f"{own}/original" if "json" in item.media_type else None)
    card = wallet_page(runtime, item, result, t, downloads=downloads,
                       link=verify_url(runtime.settings.public_url, issued) if issued else None)
    return page(
        request, "wallet_credential.html", status_code=status_code,
        row=row_of(item, t, runtime.now()), card=card, result=result,
        others=[group for group in collections.collections(runtime, actor=access)
                if group.public_id not in member_of],
        problem=problem, problem_at=problem_at,
        certificate=certificate,
        tags=", ".join(item.tags) if tags is None else tags,
        note=item.note if note is None else note, new_collection=new_collection, done=done)


@router.get("/wallet/credentials/{public_id}", response_class=HTMLResponse)
def credential(public_id: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
               done: Annotated[str | None, Query()] = None) -> Response:
    return credential_page(request, runtime, access, public_id,
                           done=done if done in DONE else None)


def _tags(text: str) -> list[str]:
    return [tag.strip() for tag in _TAG_SEPARATORS.split(text) if tag.strip()]


@router.post("/wallet/credentials/{public_id}/notes", response_class=HTMLResponse)
def save_notes(public_id: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
               tags: FormText = "", note: FormText = "") -> Response:
    try:
        wallet.update(runtime, actor=access, public_id=public_id, tags=_tags(tags),
                      note=note.replace("\r\n", "\n"))
    except InputError as exc:
        return credential_page(request, runtime, access, public_id, status_code=422,
                               problem=refusal_of(exc, i18n.negotiate(request).language),
                               problem_at="notes", tags=tags, note=note)
    return see_other(f"/wallet/credentials/{public_id}?done=saved#notes-title")


@router.post("/wallet/credentials/{public_id}/collections", response_class=HTMLResponse)
def add_to_collection(public_id: str, request: Request, runtime: RuntimeDep,
                      access: WebUserDep, collection: FormText = "",
                      new_collection: FormText = "") -> Response:
    try:
        if new_collection.strip():
            collections.create(runtime, actor=access, name=new_collection,
                               credentials=[public_id])
        elif collection:
            collections.add_to(runtime, actor=access, public_id=collection,
                               credential=public_id)
        else:
            return credential_page(request, runtime, access, public_id, status_code=422,
                                   problem=FormProblem("wallet.error.no_collection"),
                                   problem_at="collections")
    except InputError as exc:
        return credential_page(request, runtime, access, public_id, status_code=422,
                               problem=refusal_of(exc, i18n.negotiate(request).language),
                               problem_at="collections", new_collection=new_collection)
    return see_other(f"/wallet/credentials/{public_id}?done=added#collections-title")


@router.post("/wallet/credentials/{public_id}/collections/{collection}/remove")
def remove_from_collection(public_id: str, collection: str, runtime: RuntimeDep,
                           access: WebUserDep) -> Response:
    collections.remove_from(runtime, actor=access, public_id=collection, credential=public_id)
    return see_other(f"/wallet/credentials/{public_id}?done=removed#collections-title")


@router.get("/wallet/credentials/{public_id}/original")
def original(public_id: str, runtime: RuntimeDep, access: WebUserDep) -> Response:
    """The credential as imported, byte for byte, as a download that never renders here."""
    data, item = wallet.original(runtime, actor=access, public_id=public_id)
    return original_download(data, item)


@router.get("/wallet/credentials/{public_id}/certificate.pdf")
def certificate(public_id: str, runtime: RuntimeDep, access: WebUserDep,
                language: Annotated[CertificateLanguage, Query()] = "ja") -> Response:
    """The signed PDF certificate of a credential issued here to the learner, in any of the
    eight languages, as a download (``language``, not ``lang``: that one switches the
    language of the pages)."""
    made = wallet_certificates.certificate(runtime, actor=access, public_id=public_id,
                                           language=language)
    return certificate_download(made)


@router.get("/wallet/credentials/{public_id}/edc.json")
def edc(public_id: str, runtime: RuntimeDep, access: WebUserDep,
        language: Annotated[Literal["ja", "en"], Query()] = "ja") -> Response:
    """The credential as a sealed European Digital Credential (ELM v3), as a download."""
    made = elm_export.wallet_edc(runtime, actor=access, public_id=public_id,
                                 language=language)
    return Response(made.data, media_type="application/json", headers={
        "Cache-Control": "no-store",
        "Content-Disposition": f'attachment; filename="{made.filename}"'})


@router.get("/wallet/credentials/{public_id}/delete", response_class=HTMLResponse)
def delete_form(public_id: str, request: Request, runtime: RuntimeDep, access: WebUserDep
                ) -> Response:
    """Ask before deleting: what goes with the credential."""
    t = i18n.Translator(i18n.negotiate(request).language)
    item = wallet.credential(runtime, actor=access, public_id=public_id)
    return page(request, "wallet_delete.html", row=row_of(item, t, runtime.now()))


@router.post("/wallet/credentials/{public_id}/delete")
def delete(public_id: str, runtime: RuntimeDep, access: WebUserDep) -> Response:
    wallet.remove(runtime, actor=access, public_id=public_id)
    return see_other("/wallet?done=deleted")
