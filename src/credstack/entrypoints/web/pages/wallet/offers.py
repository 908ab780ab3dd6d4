"""A wallet credential sent to a wallet app: ``POST /wallet/credentials/{id}/offer``.

The learner asks for an OID4VCI credential offer of a credential issued on this platform
(:func:`credstack.services.oid4vci.offers.create_offer`); the page shows the offer by reference
as a QR code, a link for a wallet app on the same device, the transaction code beside it (never
in the QR code) and when it expires. A credential that cannot be offered (imported from
another issuer, revoked) is said so in place. A form without JavaScript; CSRF-checked like
every form.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.signed_in import WebUserDep
from credstack.entrypoints.web.pages.wallet.views import page, refusal_of
from credstack.errors import CredstackError, NotFoundError
from credstack.services.oid4vci import offers
from credstack.services.wallet import credentials as wallet

router = APIRouter(include_in_schema=False)


@router.post("/wallet/credentials/{public_id}/offer", response_class=HTMLResponse)
def offer(public_id: str, request: Request, runtime: RuntimeDep, access: WebUserDep
          ) -> Response:
    language = i18n.negotiate(request).language
    item = wallet.credential(runtime, actor=access, public_id=public_id)
    try:
        if item.credential_id is None:
            raise NotFoundError("This credential names no id. / この証明には ID がありません。")
        made = offers.create_offer(runtime, actor=access, credential_id=item.credential_id,
                                   channel="page")
    except CredstackError as exc:
        return page(request, "wallet_offer.html", status_code=422, public_id=public_id,
                    problem=refusal_of(exc, language), offer=None)
    return page(request, "wallet_offer.html", public_id=public_id, offer=made, problem=None,
                expires=i18n.Translator(language).timestamp(made.expires_at))
