"""The owner's share links: ``/wallet/shares``.

* ``GET /wallet/shares`` — every link with what it shows, its state (active, revoked,
  expired), its views, and a form to make one for a credential or a collection
  (``?credential=`` or ``?collection=`` preselects it, as the credential page's "Share"
  action does); each active link's whole address, to select or copy.
* ``POST /wallet/shares`` — make one (label, expiry in days, optional access code); the
  answer shows the link's address at once.
* ``POST /wallet/shares/{id}/revoke`` — from then on the link answers 410.

The page a link opens is :mod:`credstack.entrypoints.web.pages.shares`.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import said
from credstack.entrypoints.web.pages.signed_in import WebUserDep
from credstack.entrypoints.web.pages.wallet.views import (
    FormProblem,
    page,
    see_other,
    title_of,
)
from credstack.errors import InputError, NotFoundError
from credstack.services.runtime import Runtime
from credstack.services.wallet import collections, sharing
from credstack.services.wallet import credentials as wallet

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]
#: The expiries offered, in days (none: no expiry).
EXPIRIES: Final = (7, 30, 90, 365)


def shares_page(request: Request, runtime: Runtime, access: Access, *, status_code: int = 200,
                created: sharing.CreatedShare | None = None, chosen: str = "",
                problem: FormProblem | None = None, done: str | None = None) -> HTMLResponse:
    t = i18n.Translator(i18n.negotiate(request).language)
    record = wallet.record(runtime, actor=access)
    targets = [(f"credential:{item.public_id}",
                t("shares.what_credential",
                  title=(found.text if (found := title_of(item, t)) else t("wallet.untitled"))))
               for item in record.items]
    targets += [(f"collection:{group.public_id}", t("shares.what_collection", name=group.name))
                for group in collections.collections(runtime, actor=access)]
    address = (f"{runtime.settings.public_url.rstrip('/')}{created.path}"
               if created is not None else None)
    return page(request, "wallet_shares.html", status_code=status_code,
                shares=sharing.list_shares(runtime, actor=access), now=runtime.now(),
                targets=targets, chosen=chosen, expiries=EXPIRIES, created=created,
                address=address, problem=problem, done=done,
                public_url=runtime.settings.public_url.rstrip("/"))


@router.get("/wallet/shares", response_class=HTMLResponse)
def shares_list(request: Request, runtime: RuntimeDep, access: WebUserDep,
                credential: Annotated[str | None, Query()] = None,
                collection: Annotated[str | None, Query()] = None,
                done: Annotated[str | None, Query()] = None) -> Response:
    chosen = (f"credential:{credential}" if credential else
              f"collection:{collection}" if collection else "")
    return shares_page(request, runtime, access, chosen=chosen,
                       done=done if done == "revoked" else None)


@router.post("/wallet/shares", response_class=HTMLResponse)
def create_share(request: Request, runtime: RuntimeDep, access: WebUserDep,
                 target: FormText = "", label: FormText = "", expires: FormText = "",
                 access_code: FormText = "") -> Response:
    kind, _, public_id = target.partition(":")
    try:
        days = int(expires) if expires else None
        created = sharing.create_share(
            runtime, actor=access, label=label,
            credential=public_id if kind == "credential" else None,
            collection=public_id if kind == "collection" else None,
            expires_in_days=days, access_code=access_code or None)
    except (InputError, NotFoundError, ValueError) as exc:
        reason = said(exc, i18n.negotiate(request).language) \
            if isinstance(exc, InputError | NotFoundError) else str(exc)
        return shares_page(request, runtime, access, status_code=422, chosen=target,
                           problem=FormProblem("shares.error", {"reason": reason}))
    return shares_page(request, runtime, access, status_code=201, created=created)


@router.post("/wallet/shares/{public_id}/revoke")
def revoke_share(public_id: str, runtime: RuntimeDep, access: WebUserDep) -> Response:
    sharing.revoke_share(runtime, actor=access, public_id=public_id)
    return see_other("/wallet/shares?done=revoked")
