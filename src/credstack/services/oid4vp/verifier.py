"""credstack as an OID4VP 1.0 verifier: an employer asks, a wallet answers by ``direct_post``.

* :func:`create_request` — a signed-in person (an employer, typically) asks for credentials
  with a DCQL query (by default: one micro-credential, an Open Badges 3.0 credential in any
  of the three formats); the answer is the ``openid4vp://`` request to show as a QR code:
  unsigned by value (client id ``redirect_uri:…``), or, ``signed_as`` an organisation whose
  credentials the person may issue, by reference to a request object signed with its key
  (client id ``decentralized_identifier:did:key:…``, or ``…:did:web:…`` with
  ``did_method="did:web"``; :mod:`.request_objects`), fetched by ``GET`` or, with
  ``request_uri_method="post"``, by ``POST``. Audited: ``oid4vp.request.created``.
  With ``response_mode="direct_post.jwt"`` the answer is to come encrypted (§8.3): the
  request's ``client_metadata.jwks`` holds a P-256 key for ``ECDH-ES`` derived from the
  master key and the request's id (:func:`credstack.core.oid4vp.responses.key_from_seed`),
  so no private key is stored and none outlives the request's use.
* :func:`request_object` — the signed request object at the ``request_uri``, while the
  request is neither answered nor expired; fetched by ``POST``, fitted to the wallet's
  ``wallet_metadata`` and carrying its ``wallet_nonce`` (OID4VP 1.0 §5.10,
  :mod:`credstack.core.oid4vp.wallet_metadata`), or refused with the error saying what of
  the wallet's metadata it cannot meet.
* :func:`receive` — the wallet's Authorization Response at the response URI: each
  presentation checked by the one verifier for this request's nonce and client id
  (:mod:`.presentations`), the credentials matched against the query, the outcome kept —
  ``verified``, ``not-verified`` (something proven wrong, or the answer does not fulfil the
  query) or ``could-not-be-checked`` (it would, but a presentation's issuer key or status
  list was out of reach), or ``error`` (the wallet declined). An
  encrypted request takes only ``response=<JWE>`` and decrypts it first; a plain answer, or a
  JWE for another key, is ``invalid_request`` and changes nothing.
  A second answer, a wrong ``state``, an expired request are ``invalid_request`` and change
  nothing. Audited: ``oid4vp.response.received`` (with the outcome) or
  ``oid4vp.response.refused``.
* :func:`result` — the asker reads the outcome and each presentation's report.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from joserfc.jwk import ECKey

from credstack.adapters.db.repositories import oid4vp as store
from credstack.adapters.db.repositories.oid4vp import PresentationRequest
from credstack.core.access import Action, Actor
from credstack.core.oid4vp import dcql, responses, wallet_metadata
from credstack.core.oid4vp.request_objects import reference_uri
from credstack.core.oid4vp.requests import (
    DID_PREFIX,
    RESPONSE_MODES,
    VP_FORMATS,
    AuthorizationRequest,
    to_uri,
)
from credstack.core.verification.report import Decision
from credstack.errors import (
    AccessDeniedError,
    ExchangeProtocolError,
    InputError,
    NotFoundError,
    Problem,
)
from credstack.services import access as refusals
from credstack.services import audit, federation, verification
from credstack.services.oid4vp import request_objects
from credstack.services.oid4vp.presentations import Checked, check
from credstack.services.runtime import Runtime
from credstack.words import error_words

__all__ = ["DEFAULT_QUERY", "Made", "Result", "create_request", "receive", "request_object",
           "request_uri", "response_uri", "result", "signing_organisations"]

LIFETIME: Final = dt.timedelta(minutes=15)
_OB: Final = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"
_VCT: Final = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"
_ACHIEVEMENT: Final = [{"path": ["credentialSubject", "achievement", "name"]}]
#: One micro-credential, in whichever format the wallet holds it.
DEFAULT_QUERY: Final[dict[str, Any]] = {
    "credentials": [
        {"id": "micro_credential_ldp", "format": "ldp_vc",
         "meta": {"type_values": [[_OB]]}, "claims": _ACHIEVEMENT},
        {"id": "micro_credential_jwt", "format": "jwt_vc_json",
         "meta": {"type_values": [[_OB]]}, "claims": _ACHIEVEMENT},
        {"id": "micro_credential_sd_jwt", "format": "dc+sd-jwt",
         "meta": {"vct_values": [_VCT]}, "claims": _ACHIEVEMENT},
    ],
    "credential_sets": [{"options": [["micro_credential_ldp"], ["micro_credential_jwt"],
                                     ["micro_credential_sd_jwt"]]}],
}


def response_uri(runtime: Runtime, public_id: str) -> str:
    return f"{runtime.settings.public_url}/oid4vp/responses/{public_id}"


def request_uri(runtime: Runtime, public_id: str) -> str:
    return f"{runtime.settings.public_url}/oid4vp/requests/{public_id}"


#: The ``kid`` of a request's response encryption key.
RESPONSE_KID: Final = "response-encryption"
_RESPONSE_KEY_LABEL: Final = b"credstack oid4vp response encryption key v1 "


def _response_key(runtime: Runtime, public_id: str) -> ECKey:
    """The request's ``direct_post.jwt`` key: derived, never stored (see the module)."""
    return responses.key_from_seed(runtime.key().derive(_RESPONSE_KEY_LABEL +
                                                        public_id.encode()))


def _request(runtime: Runtime, row: PresentationRequest) -> AuthorizationRequest:
    metadata: dict[str, Any] = {"vp_formats_supported": VP_FORMATS}
    if row.response_mode == "direct_post.jwt":
        metadata.update(responses.encryption_metadata(_response_key(runtime, row.public_id),
                                                      kid=RESPONSE_KID))
    return AuthorizationRequest(response_uri(runtime, row.public_id), row.nonce, row.public_id,
                                dcql.parse(row.query), row.query, metadata, row.client_did,
                                row.response_mode or "direct_post")


def _shown(runtime: Runtime, row: PresentationRequest, request: AuthorizationRequest
           ) -> str:
    """What the wallet scans: the request by value, or by reference when it is signed."""
    if row.client_did is None:
        return to_uri(request)
    return reference_uri(client_id=DID_PREFIX + row.client_did,
                         request_uri=request_uri(runtime, row.public_id),
                         method=row.request_uri_method or "get")


def signing_organisations(actor: Actor) -> list[str]:
    """The organisations ``actor`` may sign requests as: those whose credentials they may
    issue (a signed request speaks for the organisation as its credentials do)."""
    principal = actor.principal
    if principal is None:
        return []
    return sorted(slug for slug in principal.organisations()
                  if actor.allows(Action.CREDENTIAL_ISSUE, slug))


@dataclass(frozen=True, slots=True)
class Made:
    public_id: str
    uri: str
    request: AuthorizationRequest
    expires_at: dt.datetime


def create_request(runtime: Runtime, *, actor: Actor, label: str = "",
                   query: Mapping[str, Any] | None = None, signed_as: str | None = None,
                   request_uri_method: str = "get", response_mode: str = "direct_post",
                   did_method: str = "did:key") -> Made:
    """A new presentation request (see the module)."""
    principal = actor.user()
    if signed_as is not None:
        principal = actor.require(Action.CREDENTIAL_ISSUE, signed_as)
    if request_uri_method not in ("get", "post"):
        raise InputError(code="verifier.refused.request_uri_method",
                         problems=[Problem("request_uri_method", request_uri_method[:20])])
    if did_method not in request_objects.DID_METHODS:
        raise InputError(code="verifier.refused.did_method",
                         problems=[Problem("did_method", did_method[:20])])
    if response_mode not in RESPONSE_MODES:
        raise InputError(code="verifier.refused.response_mode",
                         problems=[Problem("response_mode", response_mode[:40])])
    chosen: dict[str, Any] = dict(query) if query is not None else DEFAULT_QUERY
    try:
        dcql.parse(chosen)
    except ExchangeProtocolError as error:
        raise InputError(code=error.code, params=error.params) from None
    if len(label) > 200:
        raise InputError(code="verifier.refused.label_too_long",
                         problems=[Problem("label", str(len(label)))])
    now = runtime.now()
    with runtime.transaction() as session:
        did = (request_objects.signer_of(session, runtime, organisation=signed_as,
                                         did_method=did_method)
               if signed_as is not None else None)
        row = store.add(session, public_id=secrets.token_urlsafe(32),
                        user_id=principal.user_id, label=label.strip(),
                        nonce=secrets.token_urlsafe(32), query=chosen, at=now,
                        expires_at=now + LIFETIME, organisation=signed_as, client_did=did,
                        request_uri_method=request_uri_method if did else None,
                        response_mode=None if response_mode == "direct_post"
                        else response_mode)
        audit.record(session, at=now, actor=principal.subject, action="oid4vp.request.created",
                     subject=f"oid4vp:{row.public_id[:12]}",
                     details={"credentials": [item["id"] for item in chosen["credentials"]],
                              "response_mode": response_mode,
                              **({"signed_as": signed_as, "client_did": did} if did else {})})
        request = _request(runtime, row)
        return Made(row.public_id, _shown(runtime, row, request), request, now + LIFETIME)


def request_object(runtime: Runtime, *, public_id: str, method: str = "get",
                   form: Mapping[str, str] | None = None) -> str:
    """The signed request object at request ``public_id``'s ``request_uri`` for the wallet
    that posted ``form`` (see the module): ``invalid_request_uri`` for a request that is not
    signed, not fetched by ``method``, answered or expired; ``invalid_request`` or
    ``vp_formats_not_supported`` for a wallet whose metadata it cannot meet; nothing
    changes."""
    now = runtime.now()
    with runtime.sessions() as session:
        row = store.request(session, public_id[:64])
        if row is None or row.organisation is None or row.client_did is None:
            raise ExchangeProtocolError("No such request object.", error="invalid_request_uri",
                                        status=404)
        if row.responded_at is not None or row.expires_at <= now:
            raise ExchangeProtocolError("This request was answered already or expired.",
                                        error="invalid_request_uri")
        if method != (row.request_uri_method or "get"):
            raise ExchangeProtocolError(f"Fetch this request object by "
                                        f"{(row.request_uri_method or 'get').upper()}.",
                                        error="invalid_request_uri_method", status=405)
        wallet = wallet_metadata.read_post(form or {})
        request = wallet_metadata.fitted(_request(runtime, row), wallet.metadata)
        return request_objects.signed(session, runtime, organisation=row.organisation,
                                      did=row.client_did, request=request, now=now,
                                      expires_at=row.expires_at, wallet=wallet)


def _presentations(vp_token: Any) -> dict[str, list[Any]]:
    if not vp_token:
        raise ExchangeProtocolError("The response has no vp_token.", error="invalid_request")
    try:
        # Posted as a form field it is JSON text; inside an encrypted response, JSON itself.
        token = json.loads(vp_token) if isinstance(vp_token, str) else vp_token
    except ValueError:
        raise ExchangeProtocolError("vp_token is not JSON.", error="invalid_request") from None
    if not isinstance(token, dict) or not all(isinstance(value, list) and value
                                               for value in token.values()):
        raise ExchangeProtocolError("vp_token must map Credential Query ids to non-empty "
                                    "arrays of presentations.", error="invalid_request")
    return token


def _opened(runtime: Runtime, row: PresentationRequest, form: Mapping[str, Any]
            ) -> Mapping[str, Any]:
    """The response parameters: as posted, or decrypted from ``response`` (direct_post.jwt).
    A wallet's refusal (``error`` without ``vp_token``) is taken in the clear either way: it
    carries no credential."""
    if row.response_mode != "direct_post.jwt" or ("error" in form and "vp_token" not in form
                                                  and "response" not in form):
        return form
    if "vp_token" in form or not isinstance(form.get("response"), str):
        raise ExchangeProtocolError("This request takes its answer encrypted "
                                    "(direct_post.jwt): post response=<the JWE>.",
                                    error="invalid_request")
    return responses.decrypt(form["response"], key=_response_key(runtime, row.public_id),
                             kid=RESPONSE_KID)


def receive(runtime: Runtime, *, public_id: str, form: Mapping[str, str],
            ip: str | None = None) -> dict[str, Any]:
    """The Authorization Response at this request's response URI (see the module)."""
    now = runtime.now()
    try:
        with runtime.transaction() as session:
            row = store.request(session, public_id[:64], lock=True)
            if row is None:
                raise ExchangeProtocolError("No such presentation request.",
                                            error="invalid_request")
            if row.responded_at is not None or row.expires_at <= now:
                raise ExchangeProtocolError("This request was answered already or expired.",
                                            error="invalid_request")
            form = _opened(runtime, row, form)
            if form.get("state") != row.public_id:
                raise ExchangeProtocolError("The state is not this request's.",
                                            error="invalid_request")
            request = _request(runtime, row)
            if form.get("error"):
                outcome, response = "error", {"error": str(form["error"])[:100],
                                              "error_description":
                                                  str(form.get("error_description", ""))[:300]}
                reports: dict[str, Any] = {}
            else:
                outcome, response, reports = _verified(runtime, request, form, now)
            store.answer(session, row.id, at=now, outcome=outcome, response=response,
                         report=reports)
            audit.record(session, at=now, actor="wallet:anonymous",
                         action="oid4vp.response.received",
                         subject=f"oid4vp:{row.public_id[:12]}",
                         details={"outcome": outcome, **({"ip": ip} if ip else {})})
    except ExchangeProtocolError as error:
        refusals.audit_refused_separately(
            runtime, at=now, actor="wallet:anonymous", action="oid4vp.response.refused",
            subject=f"oid4vp:{public_id[:12]}", ip=ip,
            details={"error": error.error, "reason": error_words(error, "en")[:300],
                     **({"ip": ip} if ip else {})})
        raise
    return {}


def _verified(runtime: Runtime, request: AuthorizationRequest, form: Mapping[str, Any],
              now: dt.datetime) -> tuple[str, dict[str, Any], dict[str, Any]]:
    token = _presentations(form.get("vp_token"))
    sources = verification.VerificationSources.for_runtime(runtime)
    reports: dict[str, Any] = {}
    answered: list[str] = []
    # Queries whose presentations nothing is proven wrong of, though one could not be
    # checked (its issuer's key or status list out of reach).
    undecided: list[str] = []
    proven_wrong = False
    for identifier, presentations in token.items():
        query = request.query.query(identifier)
        if query is None:
            raise ExchangeProtocolError(f"vp_token names no Credential Query {identifier[:64]}.",
                                        error="invalid_request")
        if len(presentations) > 1 and not query.multiple:
            raise ExchangeProtocolError(f"{identifier[:64]} asked for one presentation.",
                                        error="invalid_request")
        checked = [check(item, format=query.format, nonce=request.nonce,
                         client_id=request.client_id, now=now, sources=sources)
                   for item in presentations]
        matched = [dcql.matches(query, format=query.format, document=item.claims)
                   for item in checked]
        reports[identifier] = [{**item.summary, "matches_query": match,
                                **_trust_of(runtime, item)}
                               for item, match in zip(checked, matched, strict=True)]
        outcomes = {item.outcome for item in checked}
        proven_wrong = proven_wrong or Decision.NOT_VERIFIED.value in outcomes \
            or not all(matched)
        if outcomes == {Decision.VERIFIED.value} and all(matched):
            answered.append(identifier)
        elif Decision.NOT_VERIFIED.value not in outcomes and all(matched):
            undecided.append(identifier)
    return (_outcome(request, token, answered, undecided, proven_wrong), {"vp_token": token},
            {"answered": answered, "undecided": undecided, "presentations": reports})


def _trust_of(runtime: Runtime, item: Checked) -> dict[str, Any]:
    """The trust check of a presentation's issuer (:func:`credstack.services.federation
    .trust.describe`) under the registries the server trusts, as the verification page and
    the VC-API give it; nothing when none is configured or the credential could not be read.
    Shown beside the outcome, which it does not change."""
    trust = federation.described(runtime, issuer=item.issuer,
                                 achievement=item.achievement)
    return {} if trust is None else {"trust": trust}


def _outcome(request: AuthorizationRequest, token: Mapping[str, Any], answered: list[str],
             undecided: list[str], proven_wrong: bool) -> str:
    """``verified`` when the answer fulfils the query and every presentation verified;
    ``could-not-be-checked`` when it would, had the undecided ones been checked, and nothing
    is proven wrong; else ``not-verified``."""
    if dcql.satisfied(request.query, answered) and len(answered) == len(token):
        return Decision.VERIFIED.value
    possible = answered + undecided
    if not proven_wrong and dcql.satisfied(request.query, possible) \
            and len(possible) == len(token):
        return Decision.UNDECIDED.value
    return Decision.NOT_VERIFIED.value


@dataclass(frozen=True, slots=True)
class Result:
    public_id: str
    label: str
    uri: str
    created_at: dt.datetime
    expires_at: dt.datetime
    responded_at: dt.datetime | None
    outcome: str | None
    report: dict[str, Any] | None
    #: The organisation the request is signed as and its DID (None: unsigned).
    signed_as: str | None = None
    client_did: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.public_id, "label": self.label, "request_uri": self.uri,
                "signed_as": self.signed_as, "client_did": self.client_did,
                "created_at": self.created_at.isoformat(),
                "expires_at": self.expires_at.isoformat(),
                "responded_at": self.responded_at.isoformat() if self.responded_at else None,
                "outcome": self.outcome, "report": self.report}


def result(runtime: Runtime, *, actor: Actor, public_id: str) -> Result:
    """What the wallet answered, for the person who asked."""
    principal = actor.user()
    with runtime.sessions() as session:
        row = store.request(session, public_id[:64])
        if row is None:
            raise NotFoundError(code="verifier.refused.no_request")
        if row.user_id != principal.user_id:
            actor.refuse(AccessDeniedError(code="verifier.refused.not_yours"),
                         action="oid4vp.result")
        return Result(row.public_id, row.label, _shown(runtime, row, _request(runtime, row)),
                      row.created_at, row.expires_at, row.responded_at, row.outcome,
                      row.report, row.organisation, row.client_did)
