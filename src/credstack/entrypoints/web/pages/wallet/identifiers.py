"""The learner's identifiers: ``/wallet/identifiers``, the holder DID, adding and removing.

Credentials name their recipient by an e-mail address, a student number, a DID, a URL; the
wallet takes a credential that names one of these. The sign-in address and the holder DID
are the account's own and stay; an identifier the learner adds is unverified until it is
confirmed, and credentials issued here are delivered to verified ones only (see
:mod:`credstack.services.wallet.holders`). A refused identifier comes back as the same page,
422 (409 when it is already registered), the message next to the form and what was typed
kept.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.core.descriptors.models import IdentifierType
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import said
from credstack.entrypoints.web.pages.signed_in import WebUserDep
from credstack.entrypoints.web.pages.wallet.views import FormProblem, page, see_other
from credstack.errors import ConflictError, InputError
from credstack.services.runtime import Runtime
from credstack.services.wallet import holders

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]
DONE: Final = frozenset({"added", "removed"})
#: The kinds a learner may add, in the order the form offers them.
KINDS: Final = (IdentifierType.EMAIL, IdentifierType.STUDENT_ID, IdentifierType.DID,
                IdentifierType.URL, IdentifierType.NATIONAL_ID, IdentifierType.OTHER)


def identifiers_page(request: Request, runtime: Runtime, access: Access, *,
                     status_code: int = 200, problem: FormProblem | None = None,
                     kind: str = "email", value: str = "", done: str | None = None
                     ) -> HTMLResponse:
    found, identifiers = holders.holder(runtime, actor=access)
    return page(request, "wallet_identifiers.html", status_code=status_code, holder=found,
                identifiers=identifiers, kinds=KINDS, problem=problem, kind=kind, value=value,
                done=done)


@router.get("/wallet/identifiers", response_class=HTMLResponse)
def identifiers(request: Request, runtime: RuntimeDep, access: WebUserDep,
                done: Annotated[str | None, Query()] = None) -> Response:
    return identifiers_page(request, runtime, access, done=done if done in DONE else None)


def _problem(exc: InputError | ConflictError, kind: str, language: str) -> FormProblem:
    """The message of a refused identifier: already registered, or not of its kind."""
    if not exc.problems and isinstance(exc, InputError):
        # Not about what was typed (a wallet holds at most so many identifiers).
        return FormProblem("wallet.error.refused", {"reason": said(exc, language)})
    if isinstance(exc, ConflictError):
        key = ("wallet.error.identifier_elsewhere" if exc.problems
               else "wallet.error.identifier_yours")
        return FormProblem(key, status=409)
    if any(problem.location == "type" for problem in exc.problems):
        return FormProblem("wallet.error.identifier_kind")
    known = {"email", "did", "url"}
    return FormProblem(f"wallet.error.identifier_{kind}" if kind in known
                       else "wallet.error.identifier_value")


@router.post("/wallet/identifiers", response_class=HTMLResponse)
def add(request: Request, runtime: RuntimeDep, access: WebUserDep, kind: FormText = "email",
        value: FormText = "") -> Response:
    try:
        holders.add_identifier(runtime, actor=access, kind=kind, value=value)
    except (InputError, ConflictError) as exc:
        problem = _problem(exc, kind, i18n.negotiate(request).language)
        return identifiers_page(request, runtime, access, status_code=problem.status,
                                problem=problem, kind=kind, value=value)
    return see_other("/wallet/identifiers?done=added")


@router.post("/wallet/identifiers/remove")
def remove(runtime: RuntimeDep, access: WebUserDep, kind: FormText = "",
           value: FormText = "") -> Response:
    holders.remove_identifier(runtime, actor=access, kind=kind, value=value)
    return see_other("/wallet/identifiers?done=removed")
