"""The learner's wallet as an OID4VP 1.0 holder: a verifier's request answered with only the
credentials that match it, after the learner chose them.

* :func:`proposal` — read the ``openid4vp://`` request the learner scanned or pasted (see
  :func:`credstack.core.oid4vp.requests.parse_request`; a request by reference is fetched
  from its ``request_uri`` through the hardened fetcher — by ``POST`` with this wallet's
  ``wallet_metadata`` (:data:`WALLET_METADATA`) and a fresh ``wallet_nonce`` when it says
  ``request_uri_method=post`` (OID4VP 1.0 §5.10), with a key made for that fetch to which
  the verifier may encrypt the request object — and its signature, signer, audience,
  expiry and ``wallet_nonce`` checked by :func:`credstack.core.oid4vp.request_objects.read`;
  the signer's key comes from its DID: ``did:key`` read locally, ``did:web`` from its
  document, this credstack's own organisations' from the store and any other's fetched by the
  did:web resolver) and list, for each Credential Query,
  the wallet's credentials that answer it (format, type, ``vct``, every claim asked for:
  :func:`credstack.core.oid4vp.dcql.matches`). Nothing is sent.
* :func:`answer` — the learner's choice (one credential per Credential Query), each checked to
  match again and the whole to satisfy the query (no more is sent than asked for), presented
  with the holder key bound to the request's nonce and client id — an ``ldp_vc`` in a
  Verifiable Presentation with a Data Integrity proof (``challenge``, ``domain``), a
  ``jwt_vc_json`` in a VP JWT (``nonce``, ``aud``), a ``dc+sd-jwt`` with a key binding JWT — and
  posted to the verifier's ``response_uri`` (``direct_post``, through the hardened fetcher;
  for ``direct_post.jwt``, encrypted to the verifier's key as ``response=<JWE>``).
  Audited: ``wallet.oid4vp.presented`` (the verifier's address and what was sent). The
  request is read once more before presenting (a signed one fetched again: it may have
  expired or been answered since); what was sent comes back with the reading it was sent for
  (:class:`Answered`), the request being no longer on offer afterwards.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from joserfc.jwk import ECKey

from credstack.adapters.db.repositories import wallet_credentials as wallet_store
from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.adapters.resolvers.fetch import Answer, FetchError, fetch_bytes, post
from credstack.core.access import Action, Actor
from credstack.core.credentials.presentations import build_presentation, sign_presentation
from credstack.core.oid4vp import dcql, request_encryption, request_objects, responses
from credstack.core.oid4vp.requests import VP_FORMATS, AuthorizationRequest, parse_request
from credstack.core.proofs.cryptosuites import sd_jwt, vc_jwt
from credstack.core.said import Said
from credstack.core.verification.json_values import jws_payload
from credstack.core.wallet.entries import Entry
from credstack.errors import ExchangeProtocolError, InputError, Problem
from credstack.services import audit, verification, wallet
from credstack.services.runtime import Runtime
from credstack.words import error_words, protocol_description

__all__ = ["WALLET_METADATA", "Answered", "Choice", "Proposal", "answer", "proposal"]

#: What this wallet tells a verifier it can do when it posts to a ``request_uri`` (OID4VP 1.0
#: §5.10, §10.1): the formats it presents (those credstack's verifier reads, as it signs them:
#: Data Integrity ``eddsa-rdfc-2022`` presentations, EdDSA VP JWTs and key binding JWTs), the
#: prefixes and request object algorithms it checks, and how it encrypts an answer.
WALLET_METADATA: Final[Mapping[str, Any]] = {
    "vp_formats_supported": {
        "ldp_vc": {"proof_type_values": ["DataIntegrityProof"],
                   "cryptosuite_values": ["eddsa-rdfc-2022"]},
        "jwt_vc_json": {"alg_values": ["EdDSA"]},
        "dc+sd-jwt": {"sd-jwt_alg_values": VP_FORMATS["dc+sd-jwt"]["sd-jwt_alg_values"],
                      "kb-jwt_alg_values": ["EdDSA"]},
    },
    "client_id_prefixes_supported": ["redirect_uri", "decentralized_identifier"],
    "request_object_signing_alg_values_supported": ["EdDSA", "ES256"],
    "response_types_supported": ["vp_token"],
    "response_modes_supported": ["direct_post", "direct_post.jwt"],
    "authorization_encryption_alg_values_supported": [responses.ALG],
    "authorization_encryption_enc_values_supported": list(responses.ENC_VALUES),
    "request_object_encryption_alg_values_supported": [request_encryption.ALG],
    "request_object_encryption_enc_values_supported": list(request_encryption.ENC_VALUES),
}
#: The ``kid`` of the key a request object may be encrypted to (one per fetch, never kept).
REQUEST_KEY_ID: Final = "request-encryption"


@dataclass(frozen=True, slots=True)
class Choice:
    """A wallet credential that answers a Credential Query."""

    public_id: str
    title: str
    format: str


@dataclass(frozen=True, slots=True)
class Proposal:
    request: AuthorizationRequest
    #: Credential Query id → the wallet's credentials that answer it.
    choices: dict[str, list[Choice]]

    @property
    def verifier(self) -> str:
        return urlsplit(self.request.response_uri).netloc

    @property
    def signed_by(self) -> str | None:
        """The DID whose signature over the request the wallet checked (None: unsigned)."""
        return self.request.signer


@dataclass(frozen=True, slots=True)
class Answered:
    """What :func:`answer` sent, for which request, and the verifier's answer."""

    proposal: Proposal
    reply: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Held:
    public_id: str
    title: str
    format: str
    text: str
    claims: dict[str, Any]


def _held(public_id: str, kind: str, entry: dict[str, Any], original: bytes) -> _Held | None:
    text = wallet.credential_text(original, kind)
    if text is None or kind == "ob2":
        return None
    title = Entry.from_dict(entry).title_in("ja") or public_id
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except ValueError:
            return None
        if not isinstance(document, dict) or "proof" not in document:
            return None
        return _Held(public_id, str(title), "ldp_vc", text, document)
    if sd_jwt.is_sd_jwt(text):
        claims = sd_jwt.disclose(sd_jwt.parse(text)).claims
        return _Held(public_id, str(title), "dc+sd-jwt", text, claims)
    payload = jws_payload(text)
    if not isinstance(payload, Mapping):
        return None
    document = payload.get("vc", payload)
    return _Held(public_id, str(title), "jwt_vc_json", text,
                 dict(document) if isinstance(document, Mapping) else {})


def _wallet(runtime: Runtime, user_id: int) -> list[_Held]:
    with runtime.sessions() as session:
        rows = wallet_store.presentable(session, user_id=user_id)
    return [held for row in rows if (held := _held(*row)) is not None]


def _matching(request: AuthorizationRequest, held: list[_Held]) -> dict[str, list[_Held]]:
    return {query.id: [item for item in held
                       if dcql.matches(query, format=item.format, document=item.claims)]
            for query in request.query.credentials}


def proposal(runtime: Runtime, *, actor: Actor, uri: str) -> Proposal:
    """What the wallet could answer ``uri`` with (see the module)."""
    principal = wallet.wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    request = _read(runtime, uri)
    found = _matching(request, _wallet(runtime, principal.user_id))
    return _proposal(request, found)


def _proposal(request: AuthorizationRequest, found: Mapping[str, list[_Held]]) -> Proposal:
    return Proposal(request, {name: [Choice(item.public_id, item.title, item.format)
                                     for item in items] for name, items in found.items()})


def _read(runtime: Runtime, uri: str) -> AuthorizationRequest:
    try:
        shown = request_objects.reference(uri.strip())
        if shown is None:
            return parse_request(uri)
        nonce = key = None
        if shown.method == "post":
            nonce, key = secrets.token_urlsafe(32), ECKey.generate_key("P-256")
        token = _fetched(shown, _posted(nonce, key) if nonce and key else None)
        if request_encryption.is_encrypted(token):
            if key is None:
                raise ExchangeProtocolError("The request object is encrypted, but this wallet "
                                            "gave no key to encrypt it to.",
                                            error="invalid_request_object")
            token = request_encryption.decrypt(token, key=key)
        sources = verification.VerificationSources.for_runtime(runtime)
        return request_objects.read(
            token, shown=shown, now=runtime.now(), wallet_nonce=nonce,
            resolve_key=lambda kid: sources.resolve_verification_method(kid)[0])
    except ExchangeProtocolError as error:
        raise InputError(code="wallet.refused.oid4vp_request",
                         params={"reason": protocol_description(error), "why": _why(error)},
                         problems=[_problem(error)]) from None


def _problem(error: ExchangeProtocolError) -> Problem:
    """What ``error`` says of the request, as a problem: its words in English, as the
    protocol says them (the wallet's reader is told why in their language beside it)."""
    return Problem("request", error_words(error, "en"))


#: Why a request was refused, as the wallet says it beside the protocol's own English (the
#: Japanese says only this), by the specification's error code.
_WHYS: Final = frozenset({"invalid_request_object", "invalid_request_uri",
                          "invalid_request_uri_method", "invalid_request",
                          "vp_formats_not_supported"})


def _why(error: ExchangeProtocolError) -> Said | str:
    """Why ``error`` refused the request, in the reader's words: by its error code, or where
    that code covers other reasons too (``invalid_request_uri`` is also a request no longer
    offered) by what it said; nothing more when its code says nothing to a learner."""
    if error.code == "oid4vp.refused.reference.request_uri_https":
        return Said("wallet.oid4vp.why.request_uri_https")
    return Said(f"wallet.oid4vp.why.{error.error}") if error.error in _WHYS else ""


def _posted(nonce: str, key: ECKey) -> dict[str, str]:
    """What this wallet posts to a ``request_uri``: its metadata, with the public half of
    ``key`` to encrypt the request object to (the verifier may, or may sign it only), and
    ``nonce``."""
    public = {**key.as_dict(private=False), "use": "enc", "alg": request_encryption.ALG,
              "kid": REQUEST_KEY_ID}
    metadata = {**WALLET_METADATA, "jwks": {"keys": [public]}}
    return {"wallet_metadata": json.dumps(metadata, separators=(",", ":")),
            "wallet_nonce": nonce}


def _fetched(shown: request_objects.Reference, posted: Mapping[str, str] | None) -> str:
    """The request object at ``shown.request_uri``, as text: by ``GET``, or by ``POST`` of
    the form ``posted``."""
    gone = ExchangeProtocolError("The verifier no longer offers this request (it was "
                                 "answered or has expired); ask for a new one.",
                                 error="invalid_request_uri")
    limit = request_objects.MAX_BYTES
    if shown.method == "post":
        reply = post(shown.request_uri, limit=limit, form=posted or {},
                     headers={"Accept": request_objects.MEDIA_TYPE})
        if reply.status != 200:
            raise _refused(reply) or gone
        body: bytes | None = reply.body
    else:
        try:
            body = fetch_bytes(shown.request_uri, limit=limit)
        except FetchError as error:
            if " answered HTTP 4" in error.message:
                raise gone from None
            raise
    if body is None:
        raise gone
    try:
        return body.decode("ascii").strip()
    except UnicodeDecodeError:
        raise ExchangeProtocolError("The request_uri did not answer a request object.",
                                    error="invalid_request_object") from None


def _refused(reply: Answer) -> ExchangeProtocolError | None:
    """The verifier's refusal of what this wallet posted (its metadata or nonce), with its
    code and reason; None for any other failure (no such request, or no longer)."""
    body = reply.json()
    code = body.get("error") if isinstance(body, dict) else None
    if reply.status != 400 or not isinstance(code, str) \
            or code in ("invalid_request_uri", "invalid_request_uri_method"):
        return None
    why = str(body.get("error_description") or "no reason given")[:300]
    return ExchangeProtocolError(f"The verifier cannot make a request this wallet can answer "
                                 f"({code[:60]}): {why}", error=code[:60])


def answer(runtime: Runtime, *, actor: Actor, uri: str, chosen: Mapping[str, str]
           ) -> Answered:
    """Present the ``chosen`` credentials (Credential Query id → wallet id) to the verifier
    of ``uri``; the verifier's answer (see the module)."""
    principal = wallet.wallet_owner(actor, Action.WALLET_WRITE)
    assert principal.user_id is not None
    request = _read(runtime, uri)
    found = _matching(request, _wallet(runtime, principal.user_id))
    picked: dict[str, _Held] = {}
    for name, public_id in chosen.items():
        item = next((held for held in found.get(name, []) if held.public_id == public_id),
                    None)
        if item is None:
            raise InputError(code="wallet.refused.oid4vp_not_matching",
                             problems=[Problem(f"chosen.{name}", public_id)])
        picked[name] = item
    if not dcql.satisfied(request.query, picked):
        raise InputError(code="wallet.refused.oid4vp_not_whole",
                         problems=[Problem("chosen", ", ".join(picked) or "nothing chosen")])
    now = runtime.now()
    with runtime.transaction() as session:
        key, holder = wallet.holder_key(session, runtime.key(), user_id=principal.user_id, now=now)
        token = {name: [_present(item, request, key=key, holder=holder.did,
                                 method=holder.verification_method, now=now)]
                 for name, item in picked.items()}
    # Posted outside any transaction: the verifier may be this very server, whose answer
    # writes to the same database (on SQLite it would wait for the wallet's write lock).
    reply = post(request.response_uri, form=_response(request, token))
    with runtime.transaction() as session:
        audit.record(session, at=now, actor=principal.subject, action="wallet.oid4vp.presented",
                     subject=f"verifier:{urlsplit(request.response_uri).netloc}"[:200],
                     details={"credentials": sorted(item.public_id for item in picked.values()),
                              "status": reply.status})
    body = reply.json()
    if reply.status != 200:
        error = body.get("error") if isinstance(body, dict) else None
        why = f"HTTP {reply.status}" + (f", {str(error)[:100]}" if error else "")
        raise InputError(code="wallet.refused.oid4vp_verifier_refused", params={"answer": why})
    return Answered(_proposal(request, found), body if isinstance(body, dict) else {})


def _response(request: AuthorizationRequest, token: Mapping[str, Any]) -> dict[str, str]:
    """The form posted to the response URI: the parameters, or them encrypted to the
    verifier's key (``direct_post.jwt``)."""
    if request.response_mode == "direct_post.jwt":
        try:
            return {"response": responses.encrypt(
                {"vp_token": token, "state": request.state},
                metadata=request.client_metadata, nonce=request.nonce)}
        except ExchangeProtocolError as error:
            raise InputError(code="wallet.refused.oid4vp_not_encryptable",
                             params={"reason": protocol_description(error)},
                             problems=[_problem(error)]) from None
    return {"vp_token": json.dumps(token), "state": request.state}


def _present(item: _Held, request: AuthorizationRequest, *, key: Any, holder: str,
             method: str, now: Any) -> Any:
    if item.format == "ldp_vc":
        presentation = build_presentation([item.text], holder=holder,
                                          presentation_id=f"urn:uuid:{uuid.uuid4()}")
        return sign_presentation(presentation, key=key, verification_method=method,
                                 challenge=request.nonce, domain=request.client_id,
                                 created=now, document_loader=shared_document_loader())
    if item.format == "dc+sd-jwt":
        return sd_jwt.bind(sd_jwt.parse(item.text), key=key, audience=request.client_id,
                           nonce=request.nonce, issued_at=int(now.timestamp()))
    return vc_jwt.sign_claims({
        "iss": holder, "aud": request.client_id, "nonce": request.nonce,
        "iat": int(now.timestamp()),
        "vp": {"@context": ["https://www.w3.org/2018/credentials/v1"],
               "type": ["VerifiablePresentation"], "verifiableCredential": [item.text]}},
        key=key, kid=method)
