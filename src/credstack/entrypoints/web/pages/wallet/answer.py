"""Answering a verifier's presentation request (OpenID4VP) from the wallet: ``/wallet/answer``.

* ``GET /wallet/answer`` — a form (``GET``, nothing changes) to paste an ``openid4vp://``
  request; the same address with ``?request=<the request>`` (what the form sends, or a link a
  verifier's page opens) reads it with :func:`credstack.services.oid4vp.holder.proposal` and
  shows who asks (the verifier's address and client id), for what (each Credential Query: the
  credential's type and format, the claims asked for, which combinations are enough), and for
  each query only the wallet's credentials that answer it, as radio buttons (none ticked is an
  answer: that query is not answered).
* ``POST /wallet/answer`` — the learner's decision. *Send* presents the ticked credentials
  with :func:`~credstack.services.oid4vp.holder.answer` and the page says what went to whom;
  *Decline* sends nothing and says so. What the service refuses (a choice that does not answer
  the whole request, a verifier that refuses the presentation or cannot be reached) comes back
  beside the choices in the page's language (422).

Plain forms without JavaScript, CSRF-checked like every wallet form; never cached.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Final

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from credstack.core.oid4vp import dcql
from credstack.core.oid4vp.dcql import CredentialQuery, DcqlQuery
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.signed_in import WebUserDep
from credstack.entrypoints.web.pages.wallet.views import FormProblem, Row, page, refusal_of, row_of
from credstack.errors import CredstackError, FetchError
from credstack.services.oid4vp import holder
from credstack.services.runtime import Runtime
from credstack.services.wallet import credentials as wallet

router = APIRouter(include_in_schema=False)

#: A ticked credential arrives as ``chosen-<Credential Query id>`` (ids are letters, digits,
#: ``_`` and ``-``, so the name needs no escaping).
CHOSEN: Final = "chosen-"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A wallet credential that answers a Credential Query, as the page lists it."""

    public_id: str
    #: The wallet's row (title in the page's language, standing), when the record has it.
    row: Row | None
    #: The service's title, for a credential the record did not list.
    title: str
    format: str


@dataclass(frozen=True, slots=True)
class Asked:
    """One Credential Query as the page shows it."""

    number: int
    id: str
    format: str
    #: The credential types (``type_values``) or SD-JWT VC types (``vct_values``) asked for,
    #: by their last segment; each alternative joined with ``+``.
    types: tuple[str, ...]
    #: Each claim asked for, its path written ``credentialSubject › achievement › name``.
    claims: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    #: The credential ticked (the learner's, or the page's suggestion), if any.
    picked: str | None


def _short(value: object) -> str:
    text = str(value)
    return text.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or text


def _types(query: CredentialQuery) -> tuple[str, ...]:
    if query.format == "dc+sd-jwt":
        wanted = query.meta.get("vct_values")
        return tuple(_short(item) for item in wanted) if isinstance(wanted, list) else ()
    alternatives = query.meta.get("type_values")
    if not isinstance(alternatives, list):
        return ()
    return tuple(" + ".join(_short(item) for item in option) for option in alternatives
                 if isinstance(option, list))


def _claims(query: CredentialQuery) -> tuple[str, ...]:
    shown = []
    for claim in query.claims:
        path = " › ".join("*" if part is None else str(part) for part in claim.path)
        if claim.values is not None:
            path += " = " + " | ".join(json.dumps(value, ensure_ascii=False)
                                       for value in claim.values)
        shown.append(path)
    return tuple(shown)


def suggested(query: DcqlQuery, found: Mapping[str, Sequence[object]]) -> set[str]:
    """The Credential Queries ticked before the learner chooses: in each required Credential
    Set, the first option the wallet can answer in full (without sets, every query it can);
    no more is suggested than is needed."""
    if not query.credential_sets:
        return {item.id for item in query.credentials if found.get(item.id)}
    wanted: set[str] = set()
    for options, required in query.credential_sets:
        if not required:
            continue
        option = next((option for option in options
                       if all(found.get(name) for name in option)), ())
        wanted.update(option)
    return wanted


def asked(proposal: holder.Proposal, rows: Mapping[str, Row],
          chosen: Mapping[str, str] | None) -> list[Asked]:
    """What the page lists of ``proposal``: each query with its candidates, ticked as
    ``chosen`` (the learner's choice) or, before any, as :func:`suggested`."""
    query = proposal.request.query
    suggestion = suggested(query, proposal.choices) if chosen is None else set()
    listed = []
    for number, item in enumerate(query.credentials, start=1):
        candidates = tuple(Candidate(choice.public_id, rows.get(choice.public_id), choice.title,
                                     choice.format)
                           for choice in proposal.choices.get(item.id, []))
        if chosen is not None:
            picked = chosen.get(item.id)
        else:
            picked = candidates[0].public_id if item.id in suggestion else None
        listed.append(Asked(number, item.id, item.format, _types(item), _claims(item),
                            candidates, picked))
    return listed


def sets_of(query: DcqlQuery, listed: Sequence[Asked]) -> list[tuple[bool, list[str]]]:
    """Each Credential Set: whether it is required, and its options as query numbers
    (``1``, ``2 + 3``)."""
    numbers = {item.id: str(item.number) for item in listed}
    return [(required, [" + ".join(numbers[name] for name in option) for option in options])
            for options, required in query.credential_sets]


def _rows(runtime: Runtime, access: Access, t: i18n.Translator) -> dict[str, Row]:
    now = runtime.now()
    return {item.public_id: row_of(item, t, now)
            for item in wallet.record(runtime, actor=access).items}


def _paste(request: Request, uri: str = "", problem: FormProblem | None = None) -> Response:
    return page(request, "wallet_answer.html", status_code=problem.status if problem else 200,
                uri=uri, problem=problem, proposal=None, outcome=None)


def _proposal_page(request: Request, runtime: Runtime, access: Access, uri: str, *,
                   chosen: Mapping[str, str] | None = None,
                   problem: FormProblem | None = None) -> Response:
    t = i18n.Translator(i18n.negotiate(request).language)
    # The record first: reading it delivers what was issued to the learner here since.
    rows = _rows(runtime, access, t)
    try:
        found = holder.proposal(runtime, actor=access, uri=uri)
    except CredstackError as exc:
        return _paste(request, uri, refusal_of(exc, t.language))
    listed = asked(found, rows, chosen)
    return page(request, "wallet_answer.html", status_code=problem.status if problem else 200,
                uri=uri, problem=problem, proposal=found, asked=listed,
                sets=sets_of(found.request.query, listed),
                answerable=dcql.satisfied(found.request.query, [
                    name for name, items in found.choices.items() if items]),
                outcome=None)


@router.get("/wallet/answer", response_class=HTMLResponse)
def answer_form(request: Request, runtime: RuntimeDep, access: WebUserDep,
                uri: Annotated[str, Query(alias="request")] = "") -> Response:
    if not uri.strip():
        return _paste(request)
    return _proposal_page(request, runtime, access, uri.strip())


@router.post("/wallet/answer", response_class=HTMLResponse)
async def answer(request: Request, runtime: RuntimeDep, access: WebUserDep) -> Response:
    form = await request.form()
    fields = {name: value for name, value in form.multi_items() if isinstance(value, str)}
    uri = fields.get("request", "").strip()
    language = i18n.negotiate(request).language
    if not uri:
        return _paste(request, problem=FormProblem("answer.missing"))
    chosen = {name.removeprefix(CHOSEN): value for name, value in fields.items()
              if name.startswith(CHOSEN) and value}
    if fields.get("decision") == "decline":
        return await run_in_threadpool(_declined, request, runtime, access, uri)
    if not chosen:
        return await run_in_threadpool(
            lambda: _proposal_page(request, runtime, access, uri, chosen=chosen,
                                   problem=FormProblem("answer.none")))
    try:
        sent = await run_in_threadpool(lambda: holder.answer(runtime, actor=access, uri=uri,
                                                             chosen=chosen))
    except FetchError as exc:
        problem = FormProblem("answer.unreachable", {"reason": exc.message})
        return await run_in_threadpool(
            lambda: _proposal_page(request, runtime, access, uri, chosen=chosen,
                                   problem=problem))
    except CredstackError as exc:
        problem = refusal_of(exc, language)
        return await run_in_threadpool(
            lambda: _proposal_page(request, runtime, access, uri, chosen=chosen,
                                   problem=problem))
    return await run_in_threadpool(_sent, request, runtime, access, sent.proposal, chosen)


def _declined(request: Request, runtime: Runtime, access: Access, uri: str) -> Response:
    t = i18n.Translator(i18n.negotiate(request).language)
    try:
        found = holder.proposal(runtime, actor=access, uri=uri)
    except CredstackError as exc:
        return _paste(request, uri, refusal_of(exc, t.language))
    return page(request, "wallet_answer.html", uri="", problem=None, proposal=found,
                asked=[], sets=[], answerable=False, outcome="declined")


def _sent(request: Request, runtime: Runtime, access: Access, found: holder.Proposal,
          chosen: Mapping[str, str]) -> Response:
    """What went to whom: the request as it was read to answer it (a signed one is no longer
    on offer once answered) and the credentials sent."""
    t = i18n.Translator(i18n.negotiate(request).language)
    rows = _rows(runtime, access, t)
    listed = [item for item in asked(found, rows, chosen) if item.picked]
    return page(request, "wallet_answer.html", uri="", problem=None, proposal=found,
                asked=listed, sets=[], answerable=False, outcome="sent")
