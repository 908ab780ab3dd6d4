"""The learner's collections: ``/wallet/collections``, created, renamed and deleted there.

A collection groups credentials (a job application, a degree plan); its credentials are
shown by the timeline filtered to it (``/wallet?collection=…``). Deleting a collection keeps
its credentials in the wallet. A name the service refuses comes back as the same page, 422,
with the message next to the form and what was typed kept.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.signed_in import WebUserDep
from credstack.entrypoints.web.pages.wallet.views import FormProblem, page, refusal_of, see_other
from credstack.errors import InputError
from credstack.services.runtime import Runtime
from credstack.services.wallet import collections
from credstack.services.wallet.collections import MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]
DONE: Final = frozenset({"created", "renamed", "deleted"})


def collections_page(request: Request, runtime: Runtime, access: Access, *,
                     status_code: int = 200, problem: FormProblem | None = None,
                     problem_at: str | None = None, name: str = "", description: str = "",
                     done: str | None = None) -> HTMLResponse:
    """The collections; ``problem`` next to the form ``problem_at`` (``new`` or a
    collection's id), with ``name`` and ``description`` as typed there."""
    return page(request, "wallet_collections.html", status_code=status_code,
                collections=collections.collections(runtime, actor=access), problem=problem,
                problem_at=problem_at, name=name, description=description, done=done,
                max_name=MAX_NAME_LENGTH, max_description=MAX_DESCRIPTION_LENGTH)


@router.get("/wallet/collections", response_class=HTMLResponse)
def collections_list(request: Request, runtime: RuntimeDep, access: WebUserDep,
                     done: Annotated[str | None, Query()] = None) -> Response:
    return collections_page(request, runtime, access, done=done if done in DONE else None)


@router.post("/wallet/collections", response_class=HTMLResponse)
def create(request: Request, runtime: RuntimeDep, access: WebUserDep, name: FormText = "",
           description: FormText = "") -> Response:
    try:
        collections.create(runtime, actor=access, name=name, description=description)
    except InputError as exc:
        return collections_page(request, runtime, access, status_code=422,
                                problem=refusal_of(exc, i18n.negotiate(request).language),
                                problem_at="new", name=name, description=description)
    return see_other("/wallet/collections?done=created")


@router.post("/wallet/collections/{public_id}", response_class=HTMLResponse)
def rename(public_id: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
           name: FormText = "", description: FormText = "") -> Response:
    try:
        collections.rename(runtime, actor=access, public_id=public_id, name=name,
                           description=description)
    except InputError as exc:
        return collections_page(request, runtime, access, status_code=422,
                                problem=refusal_of(exc, i18n.negotiate(request).language),
                                problem_at=public_id, name=name, description=description)
    return see_other("/wallet/collections?done=renamed")


@router.post("/wallet/collections/{public_id}/delete")
def delete(public_id: str, runtime: RuntimeDep, access: WebUserDep) -> Response:
    collections.delete(runtime, actor=access, public_id=public_id)
    return see_other("/wallet/collections?done=deleted")
