"""The learner's credit bank: ``/wallet/creditbank`` (account, deposit, progress, applying,
applications) and ``/wallet/creditbank/applications/{id}`` (one of the learner's own; any
other is not found)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.core.creditbank import DepositKind, explain
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import said
from credstack.entrypoints.web.pages.creditbank.views import (
    Progress,
    amount,
    credit_amount,
    excluded_because,
    gaps_of,
    ledger_rules,
    outline,
    route_choices,
    rule_namer,
    unit,
)
from credstack.entrypoints.web.pages.signed_in import WebUserDep
from credstack.entrypoints.web.pages.wallet.views import page, see_other, title_of
from credstack.errors import ConflictError, InputError, NotFoundError
from credstack.services.creditbank import accounts, applications, targets
from credstack.services.runtime import Runtime
from credstack.services.wallet import credentials as wallet
from credstack.services.wallet.items import WalletItem

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]
DONE: Final = frozenset({"deposited", "applied"})


def _progress(runtime: Runtime, access: Access, t: i18n.Translator,
              names: Mapping[str, Mapping[str, str]]) -> list[Progress]:
    found = []
    for published in targets.published(runtime):
        title = t.pair(published.target.ja, published.target.en)
        try:
            decision = applications.evaluate(runtime, actor=access, target=published.public_id)
        except (InputError, ConflictError) as exc:
            found.append(Progress(published.public_id, title, published.target, None, (), {},
                                  said(exc, t.language)))
            continue
        found.append(Progress(published.public_id, title, published.target, decision,
                              explain(decision, names),
                              {o.requirement.id: gaps_of(o, t.field)
                               for o in decision.requirements}))
    return found


def creditbank_page(request: Request, runtime: Runtime, access: Access, *,
                    status_code: int = 200, problem: str | None = None,
                    problem_at: str | None = None, done: str | None = None,
                    chosen: dict[str, str] | None = None) -> HTMLResponse:
    t = i18n.Translator(i18n.negotiate(request).language)
    account = accounts.account(runtime, actor=access)
    items = wallet.record(runtime, actor=access).items
    titles = {item.public_id: title_of(item, t) for item in items}
    wallet_of = {item.credential_id: item.public_id for item in items if item.credential_id}
    names = {d.deposit.id: d.deposit.entry.title for d in account.deposits}
    progress = _progress(runtime, access, t, names)
    context: dict[str, Any] = {
        "account": account, "balances": list(account.balances.values()),
        "depositable": _depositable(items, account),
        "holds_any": bool(items),
        "titles": titles, "wallet_of": wallet_of,
        "deposit_wallet": {d.deposit.id: d.wallet_id for d in account.deposits},
        "progress": progress,
        "kinds": [kind.value for kind in DepositKind],
        "routes": route_choices([p.target for p in progress], t),
        "route_names": dict(route_choices([], t, qualified=False)),
        "own": applications.own_applications(runtime, actor=access),
        "target_titles": {p.target.id: p.title for p in progress},
        "ledger_rules": ledger_rules([p.target for p in progress], t),
        "problem": problem, "problem_at": problem_at, "done": done,
        "chosen": chosen or {}, "amount": amount, "unit": unit,
        "credit_amount": credit_amount, "outline": outline,
        "here": "creditbank",
    }
    return page(request, "creditbank_wallet.html", status_code=status_code, **context)


def _depositable(items: Sequence[WalletItem], account: accounts.Account) -> list[WalletItem]:
    """The wallet's credentials the form offers: each credential once (a wallet may hold
    two entries of one, kept before issue 51), and none already deposited."""
    deposited = {d.wallet_id for d in account.deposits}
    counted = {d.deposit.credential for d in account.deposits}
    offered: list[WalletItem] = []
    for item in items:
        if item.public_id in deposited or item.credential_id in counted:
            continue
        if item.credential_id is not None:
            counted.add(item.credential_id)
        offered.append(item)
    return offered


@router.get("/wallet/creditbank", response_class=HTMLResponse)
def account_page(request: Request, runtime: RuntimeDep, access: WebUserDep,
                 done: Annotated[str | None, Query()] = None) -> Response:
    return creditbank_page(request, runtime, access, done=done if done in DONE else None)


@router.post("/wallet/creditbank/deposits", response_class=HTMLResponse)
def deposit(request: Request, runtime: RuntimeDep, access: WebUserDep,
            credential: FormText = "", kind: FormText = "credential", route: FormText = ""
            ) -> Response:
    chosen = {"credential": credential, "kind": kind, "route": route}
    language = i18n.negotiate(request).language
    try:
        accounts.deposit(runtime, actor=access, credential=credential, kind=kind, route=route)
    except (InputError, NotFoundError) as exc:
        return creditbank_page(request, runtime, access, status_code=422,
                               problem=said(exc, language),
                               problem_at="deposit", chosen=chosen)
    except ConflictError:
        # The ledger refused the entry (the same credential deposited at the same moment
        # from another tab): its reason names ledger entries, so the page says it in words.
        return creditbank_page(request, runtime, access, status_code=409,
                               problem=i18n.Translator(language)("creditbank.error.ledger"),
                               problem_at="deposit", chosen=chosen)
    return see_other("/wallet/creditbank?done=deposited#deposits-title")


@router.post("/wallet/creditbank/applications", response_class=HTMLResponse)
def apply(request: Request, runtime: RuntimeDep, access: WebUserDep, target: FormText = ""
          ) -> Response:
    try:
        applications.apply(runtime, actor=access, target=target)
    except (InputError, ConflictError, NotFoundError) as exc:
        language = i18n.negotiate(request).language
        return creditbank_page(request, runtime, access,
                               status_code=409 if isinstance(exc, ConflictError) else 422,
                               problem=said(exc, language),
                               problem_at=f"apply:{target}")
    return see_other("/wallet/creditbank?done=applied#applications-title")


@router.get("/wallet/creditbank/applications/{public_id}", response_class=HTMLResponse)
def application_page(public_id: str, request: Request, runtime: RuntimeDep,
                     access: WebUserDep) -> Response:
    found = applications.application(runtime, actor=access, public_id=public_id)
    me = access.principal
    if me is None or found.learner != me.user_id:  # registrars read it in the workspace
        raise NotFoundError("No such application. / その申請は見つかりません。")
    t = i18n.Translator(i18n.negotiate(request).language)
    items = wallet.record(runtime, actor=access).items
    wallet_of = {item.credential_id: item.public_id for item in items if item.credential_id}
    return page(request, "creditbank_application.html", application=found,
                wallet_of=wallet_of, amount=amount, unit=unit, credit_amount=credit_amount,
                outline=outline,
                rule_named=rule_namer(t),
                because=partial(excluded_because, language=t.language),
                here="creditbank", workspace=None,
                title=_target_title(runtime, found.target, t))


def _target_title(runtime: Runtime, target: str, t: i18n.Translator) -> str:
    for published in targets.published(runtime):
        if published.target.id == target:
            return t.pair(published.target.ja, published.target.en)
    return target
