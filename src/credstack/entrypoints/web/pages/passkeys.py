"""The account page's passkeys without script: removing one is a plain form (registering
one is a WebAuthn ceremony, which ``static/passkeys.js`` runs through the API of
:mod:`credstack.entrypoints.web.api.passkeys`; its words are on the account page)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from credstack.entrypoints.web.access import SESSION_COOKIE, client_ip
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.ids import PathId
from credstack.entrypoints.web.pages.signed_in import WebUserDep, see_other
from credstack.services.accounts import passkeys

router = APIRouter(include_in_schema=False)


@router.post("/account/passkeys/{passkey_id}/remove")
def remove_passkey(passkey_id: PathId, request: Request, runtime: RuntimeDep,
                   access: WebUserDep) -> Response:
    """Remove one of one's passkeys; the account's other sessions end with it."""
    passkeys.remove_own(runtime, actor=access, passkey_id=passkey_id, ip=client_ip(request),
                        keep_session=request.cookies.get(SESSION_COOKIE))
    return see_other("/account?done=passkey-removed#passkeys")
