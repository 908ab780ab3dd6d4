"""The learner's requests for a registrar's documents: ``/wallet/requests`` (issue 56).

A student or graduate, signed in with their own account (it outlives the campus one), picks
the institution, gives their 学籍番号 and date of birth, chooses the documents, how many
copies, the language and the addressee (printed on the documents), and sends the request
(``POST /wallet/requests``, then 303 back with a notice). Below, their requests: each with
its state, the registrar's reason for a refusal, and once approved the delivery link to
forward, how long it lasts and every view and download through it.

A refused request comes back as the same page with each problem next to its field (422): a
document not chosen, a copy count out of range, no addressee, a number and date of birth that
match no record (404), a document the record's standing does not allow (409); after too many
numbers and dates that matched nothing, the page says in words how long to wait (429, with
``Retry-After``). A plain form: nothing here needs JavaScript.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.core.registrar.documents import KINDS
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.signed_in import WebUserDep
from credstack.entrypoints.web.pages.wallet.views import page, see_other
from credstack.errors import ConflictError, InputError, NotFoundError, RateLimitedError
from credstack.services.registrar import documents, requests
from credstack.services.runtime import Runtime

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form(max_length=400)]
PATH: Final = "/wallet/requests"
DONE: Final = frozenset({"asked", "approved"})
#: The fields of the form, in its order (the error summary lists problems so).
FIELDS: Final = ("organisation", "number", "birth_date", "kinds", "copies", "language",
                 "addressee")


def _name(names: dict[str, str], language: str, fallback: str) -> str:
    return names.get(language) or names.get("en") or next(iter(names.values()), fallback)


def requests_page(request: Request, runtime: Runtime, access: Access, *,
                  status_code: int = 200, errors: dict[str, str] | None = None,
                  waiting: int | None = None, values: dict[str, Any] | None = None,
                  done: str | None = None) -> HTMLResponse:
    language = i18n.negotiate(request).language
    offered = requests.institutions(runtime, actor=access)
    names = {item.slug: _name(item.name, language, item.slug) for item in offered}
    mine = requests.my_requests(runtime, actor=access)
    chosen = {"organisation": offered[0].slug if len(offered) == 1 else "", "number": "",
              "birth_date": "", "kinds": [], "copies": "1",
              "language": "ja" if language == "ja" else "en", "addressee": "",
              **(values or {})}
    response = page(request, "wallet_requests.html", status_code=status_code,
                    institutions=offered, names=names, mine=mine, kinds=KINDS,
                    languages=documents.LANGUAGES, max_copies=requests.MAX_COPIES,
                    errors=errors or {}, fields=FIELDS, waiting=waiting, chosen=chosen,
                    done=done, now=runtime.now())
    if waiting is not None:
        response.headers["Retry-After"] = str(waiting)
    return response


@router.get(PATH, response_class=HTMLResponse)
def my_requests(request: Request, runtime: RuntimeDep, access: WebUserDep,
                done: Annotated[str | None, Query(max_length=16)] = None) -> Response:
    return requests_page(request, runtime, access, done=done if done in DONE else None)


def _copies(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


@router.post(PATH, response_class=HTMLResponse)
def ask(request: Request, runtime: RuntimeDep, access: WebUserDep,
        organisation: FormText = "", number: FormText = "", birth_date: FormText = "",
        kinds: Annotated[list[str] | None, Form()] = None, copies: FormText = "1",
        language: FormText = "ja", addressee: FormText = "") -> Response:
    """The request sent: on to the list with a notice, or the form again with each problem
    by its field."""
    chosen_kinds = [kind for kind in (kinds or []) if len(kind) <= 20][:len(KINDS)]
    values: dict[str, Any] = {"organisation": organisation, "number": number.strip(),
                              "birth_date": birth_date.strip(), "kinds": chosen_kinds,
                              "copies": copies.strip(), "language": language,
                              "addressee": addressee}
    known = {item.slug for item in requests.institutions(runtime, actor=access)}
    errors: dict[str, str] = {}
    if organisation not in known:
        errors["organisation"] = "registrar.ask.error.organisation"
    if not number.strip():
        errors["number"] = "registrar.ask.error.number"
    born = _date(birth_date)
    if born is None:
        errors["birth_date"] = "registrar.ask.error.birth_date"
    count = _copies(copies)
    if count is None or not 1 <= count <= requests.MAX_COPIES:
        errors["copies"] = "registrar.ask.error.copies"
    if not chosen_kinds:
        errors["kinds"] = "registrar.ask.error.kinds"
    if not addressee.strip():
        errors["addressee"] = "registrar.ask.error.addressee"
    if errors:
        return requests_page(request, runtime, access, status_code=422, errors=errors,
                             values=values)
    assert born is not None and count is not None
    try:
        made = requests.request_documents(
            runtime, actor=access, organisation=organisation, number=number.strip(),
            birth_date=born, kinds=chosen_kinds, copies=count, language=language,
            addressee=addressee)
    except RateLimitedError as exc:
        return requests_page(request, runtime, access, status_code=429,
                             waiting=exc.retry_after, values=values)
    except NotFoundError:
        return requests_page(request, runtime, access, status_code=404, values=values,
                             errors={"number": "registrar.ask.error.no_record",
                                     "birth_date": "registrar.ask.error.no_record"})
    except ConflictError:
        return requests_page(request, runtime, access, status_code=409, values=values,
                             errors={"kinds": "registrar.ask.error.standing"})
    except InputError as exc:
        found = {problem.location for problem in exc.problems} & set(FIELDS)
        return requests_page(request, runtime, access, status_code=422, values=values,
                             errors={field: f"registrar.ask.error.{field}"
                                     for field in found or {"kinds"}})
    return see_other(f"{PATH}?done={'approved' if made.request.state == 'approved' else 'asked'}"
                     f"#request-{made.request.public_id}")
