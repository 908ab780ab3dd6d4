"""An issued credential offered to its learner's wallet app, from the workspace:
``POST /workspace/{slug}/credentials/{id}/offer``.

An issuer or administrator of the organisation hands a learner their credential in person:
the page shows an OID4VCI offer by reference as a QR code to scan, with the transaction code
beside it (said aloud, never in the QR code) and when it expires
(:func:`credstack.services.oid4vci.offers.create_offer`, which checks the organisation and
records the offer). A plain form, CSRF-checked; Japanese and English.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import said
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.issuing import credential_path, page
from credstack.errors import InputError
from credstack.services.issuance import workspace
from credstack.services.oid4vci import offers

router = APIRouter(include_in_schema=False)


@router.post("/workspace/{slug}/credentials/{credential_id:path}/offer",
             response_class=HTMLResponse)
def offer(slug: str, credential_id: str, request: Request, runtime: RuntimeDep,
          access: WebUserDep) -> Response:
    language = i18n.negotiate(request).language
    # The organisation's own credential, or 404/403 as its page says.
    workspace.credential_detail(runtime, actor=access, organisation=slug,
                                credential_id=credential_id)
    back = credential_path(slug, credential_id)
    try:
        made = offers.create_offer(runtime, actor=access, credential_id=credential_id,
                                   channel="page")
    except InputError as exc:
        return page(request, "issuing_offer.html", status_code=422, slug=slug, back=back,
                    offer=None, problem=said(exc, language))
    return page(request, "issuing_offer.html", slug=slug, back=back, offer=made, problem=None,
                expires=i18n.Translator(language).timestamp(made.expires_at))
