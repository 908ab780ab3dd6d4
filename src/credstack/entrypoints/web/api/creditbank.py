"""The credit bank as a JSON API (issue 16) over :mod:`credstack.services.creditbank`.

The caller (:class:`~credstack.entrypoints.web.access.Access`: a signed-in session with its
CSRF token on writes, or a bearer token) is the actor; the services decide who may and write
the audit log. Errors are RFC 9457 problems: a pathway file that cannot be used 422
(``invalid-pathway``, each fault placed as ``file:line:column /pointer``), a credential the
bank does not take 422 (``deposit-refused``), an adjustment beyond a cap 422
(``credit-adjustment``), an application decided already or at the same moment 409, an
application whose counted credits another application holds (or were withdrawn) 409
(``credit-ledger``; nothing reserved, the attempt audited). Another
learner's credential or application is answered as one that does not exist (404). Every
answer is ``Cache-Control: no-store``.

Targets (``creditbank:publish`` for an organisation's registrar or administrator):

* ``GET /api/creditbank/targets?organisation=`` — the published targets (public);
* ``POST /api/creditbank/organisations/{organisation}/targets`` ``{"text": "<YAML or JSON>"}``
  (201). A new version of a target answers ``reevaluation_job``: the id of the background job
  re-evaluating every learner against it (``GET /api/jobs/{id}`` shows its progress); the
  pending applications get the fresh decision.

The learner's own account (``creditbank:read`` / ``creditbank:write``):

* ``GET /api/creditbank/account`` — deposits, ledger and balances;
* ``POST /api/creditbank/deposits`` ``{"credential": "<wallet id>", "kind", "route"}`` (201);
* ``GET /api/creditbank/targets/{target}/decision?lang=ja|en`` — the deposits, verified again
  now, against the target, with its explanation;
* ``GET /api/creditbank/applications`` — the learner's own;
  ``POST /api/creditbank/applications`` ``{"target": "<id>"}`` (201);
* ``GET /api/creditbank/applications/{application}?lang=ja|en`` — for its learner or a
  registrar, with its decision (as adjusted) explained.

Applying reserves the counted credits for the target (``reserve`` entries in the ledger,
naming the application and the rule); refusal releases them (``release``); approval
withdraws them. An application carries ``flagged`` (true when a credential it counted no
longer verifies — revoked, suspended, expired, removed from the wallet, lapsed under an
expiry rule — or the target's rules changed after an adjustment), ``flag`` (``reason``,
``reason_ja``, ``deposits``: ``[{"deposit", "credential", "why"}]``) and ``flagged_at``.

The registrar (``creditbank:decide``, of the target's organisation):

* ``GET /api/creditbank/organisations/{organisation}/applications?state=&flagged=true`` —
  ``flagged=true``: only those flagged for review;
* ``POST /api/creditbank/applications/{application}/adjustments``
  ``{"deposit", "credits", "reason", "version"}``;
* ``POST …/approval`` ``{"version"}``; ``POST …/refusal`` ``{"reason", "version"}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from credstack.core.creditbank import explain
from credstack.entrypoints.web.access import AccessDep
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.services.creditbank import accounts, applications, resolutions, targets
from credstack.words import words

router = APIRouter(prefix="/api/creditbank", tags=["credit bank"])

_NO_STORE: Final = {"Cache-Control": "no-store"}

Slug = Annotated[str, Path(max_length=64, description="The organisation's slug.")]
Id = Annotated[str, Path(max_length=64, description="The record's id.")]


def _titled(decision: Mapping[str, Any], names: Mapping[str, Mapping[str, str]]
            ) -> dict[str, Any]:
    """``decision`` (its JSON form) with each counted and excluded deposit's credential title
    (language → title; ``{}`` when unknown) beside its id, so it is named in words."""
    def named(items: Any) -> list[Any]:
        return [{**item, "title": dict(names.get(str(item.get("deposit")), {}))}
                if isinstance(item, Mapping) else item for item in items or ()]

    return {**decision,
            "requirements": [{**r, "counted": named(r.get("counted"))}
                             if isinstance(r, Mapping) else r
                             for r in decision.get("requirements") or ()],
            "general": named(decision.get("general")),
            "excluded": named(decision.get("excluded"))}


def _json(content: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(content, status_code=status_code, headers=_NO_STORE)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TargetText(_Body):
    text: str = Field(max_length=targets.MAX_TARGET_BYTES,
                      description="The pathway file, YAML or JSON.")


class DepositRequest(_Body):
    credential: str = Field(max_length=64, description="The credential's id in the wallet.")
    kind: Literal["credential", "mooc", "work-experience", "reviewed-evidence"] = "credential"
    route: str = Field(max_length=64, description="The route by which the credit arrives, "
                       "as the target's jurisdiction names it (`other-university`…).")


class ApplicationRequest(_Body):
    target: str = Field(max_length=64, description="The published target's id.")


class AdjustmentRequest(_Body):
    deposit: str = Field(max_length=64)
    credits: str = Field(max_length=32, pattern=r"^\d+(\.\d+)?$")
    reason: str = Field(max_length=applications.MAX_REASON)
    version: int | None = None


class ApprovalRequest(_Body):
    version: int | None = None


class RefusalRequest(_Body):
    reason: str = Field(max_length=applications.MAX_REASON)
    version: int | None = None


@router.get("/targets", summary="The published credit targets")
def read_targets(runtime: RuntimeDep,
                 organisation: Annotated[str | None, Query(max_length=64)] = None
                 ) -> JSONResponse:
    return _json([found.to_dict() for found
                  in targets.published(runtime, organisation=organisation)])


@router.post("/organisations/{organisation}/targets", status_code=201,
             summary="Publish a target (a pathway file) of the organisation")
def publish_target(organisation: Slug, body: TargetText, runtime: RuntimeDep,
                   access: AccessDep) -> JSONResponse:
    made = targets.publish(runtime, actor=access, organisation=organisation, text=body.text)
    return _json(made.to_dict(), 201)


@router.get("/account", summary="The learner's credit bank account")
def read_account(runtime: RuntimeDep, access: AccessDep) -> JSONResponse:
    return _json(accounts.account(runtime, actor=access).to_dict())


@router.post("/deposits", status_code=201,
             summary="Deposit one of the learner's wallet credentials, verified again now")
def make_deposit(body: DepositRequest, runtime: RuntimeDep, access: AccessDep
                 ) -> JSONResponse:
    made = accounts.deposit(runtime, actor=access, credential=body.credential,
                            kind=body.kind, route=body.route)
    return _json(made.to_dict(), 201)


@router.get("/targets/{target}/decision",
            summary="The learner's deposits, verified again now, against a target")
def read_decision(target: Id, runtime: RuntimeDep, access: AccessDep,
                  lang: Annotated[Literal["ja", "en"], Query()] = "en") -> JSONResponse:
    decision = applications.evaluate(runtime, actor=access, target=target)
    names = {d.deposit.id: d.deposit.entry.title
             for d in accounts.account(runtime, actor=access).deposits}
    return _json({**_titled(decision.to_dict(words), names),
                  "explanation": [words(line, lang) for line in explain(decision, names)]})


@router.post("/applications", status_code=201, summary="Apply for credit transfer")
def make_application(body: ApplicationRequest, runtime: RuntimeDep, access: AccessDep
                     ) -> JSONResponse:
    made = applications.apply(runtime, actor=access, target=body.target)
    return _json(made.to_dict(), 201)


@router.get("/applications", summary="The learner's own applications for credit transfer")
def read_own_applications(runtime: RuntimeDep, access: AccessDep) -> JSONResponse:
    return _json([found.to_dict() for found
                  in applications.own_applications(runtime, actor=access)])


@router.get("/applications/{application}", summary="An application for credit transfer")
def read_application(application: Id, runtime: RuntimeDep, access: AccessDep,
                     lang: Annotated[Literal["ja", "en"], Query()] = "en") -> JSONResponse:
    found = applications.application(runtime, actor=access, public_id=application)
    return _json({**found.to_dict(), "decision": _titled(found.decision, found.names),
                  "explanation": [words(line, lang) for line in found.explanation]})


@router.get("/organisations/{organisation}/applications",
            summary="The applications into the organisation's targets (registrars)")
def read_applications(organisation: Slug, runtime: RuntimeDep, access: AccessDep,
                      state: Annotated[Literal["submitted", "approved", "refused"] | None,
                                       Query()] = None,
                      flagged: Annotated[bool | None, Query()] = None) -> JSONResponse:
    return _json([found.to_dict() for found in applications.applications(
        runtime, actor=access, organisation=organisation, state=state, flagged=flagged)])


@router.post("/applications/{application}/adjustments",
             summary="Set the credits counted for a deposit (one awaiting a decision, its "
                     "stated credits and hours in conflict, included), with a reason")
def adjust_application(application: Id, body: AdjustmentRequest, runtime: RuntimeDep,
                       access: AccessDep) -> JSONResponse:
    made = resolutions.adjust(runtime, actor=access, public_id=application,
                              deposit=body.deposit, credits=body.credits,
                              reason=body.reason, version=body.version)
    return _json(made.to_dict())


@router.post("/applications/{application}/approval",
             summary="Approve: the counted credits are withdrawn into the target")
def approve_application(application: Id, body: ApprovalRequest, runtime: RuntimeDep,
                        access: AccessDep) -> JSONResponse:
    made = applications.approve(runtime, actor=access, public_id=application,
                                version=body.version)
    return _json(made.to_dict())


@router.post("/applications/{application}/refusal", summary="Refuse, with a reason")
def refuse_application(application: Id, body: RefusalRequest, runtime: RuntimeDep,
                       access: AccessDep) -> JSONResponse:
    made = applications.refuse(runtime, actor=access, public_id=application,
                               reason=body.reason, version=body.version)
    return _json(made.to_dict())
