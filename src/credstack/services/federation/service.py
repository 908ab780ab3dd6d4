"""credstack's registry as an OpenID Federation trust anchor.

OpenID Federation 1.0, draft 48 — 1 February 2026 —
https://openid.net/specs/openid-federation-1_0.html

The anchor's entity identifier is the public URL. What it publishes, on a runtime:

* :func:`anchor_configuration` — its entity configuration (``/.well-known/openid-federation``);
* :func:`provider_configuration` — each recognised provider's entity configuration
  (``/organisations/<slug>/.well-known/openid-federation``), signed with the provider's own
  federation key, carrying the trust marks the anchor issued it;
* :func:`subordinate_statement` — the fetch endpoint: the anchor's statement about a
  provider, asked by its entity identifier or by one of its issuer DIDs (as the DCC's
  ``issuer-registry-client`` asks: ``sub=<did>``; the statement's ``sub`` is then that DID);
* :func:`resolve` — the resolve endpoint, for the anchor's own subordinates;
* :func:`trust_mark`, :func:`trust_mark_status` — the trust marks
  (:mod:`credstack.core.federation.trust_marks`), issued, expiring and withdrawn with the
  recognition decisions.

The list endpoints are :mod:`~credstack.services.federation.listing`'s, the DCC registry form
:mod:`~credstack.services.federation.registry`'s; keys are rotated by
:mod:`~credstack.services.federation.keys`. Signed statements are kept in the runtime's
cache (:data:`TOKENS`) and reused until a recognition is granted, withdrawn, begins or ends,
a federation key is made or retired, or five minutes pass.

Federation keys live in the key store (``federation_keys``, sealed with the master key) and
never leave it; an entity's first key is made on first use, with its audit entry
(``federation.key.created``); a rotation writes ``federation.key.rotated``. Refusals a
federation client reads are :class:`~credstack.errors.ExchangeProtocolError` with the
specification's error codes (§8.9: ``invalid_request``, ``not_found``,
``invalid_trust_anchor`` …).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from credstack.adapters.db.repositories import federation as store
from credstack.adapters.db.repositories import federation_intermediates as intermediates_store
from credstack.adapters.db.repositories.keys import organisation_did
from credstack.adapters.db.transactions import Session
from credstack.adapters.resolvers.fetch import fetch_bytes
from credstack.core.credentials.endorsements import decision_url
from credstack.core.crypto.keys import KeyPair
from credstack.core.crypto.multikey import decode_public_key
from credstack.core.dids import did_key
from credstack.core.federation import chains, providers, statements, trust_marks
from credstack.core.federation.providers import Anchor, ProgrammeRecognition, Provider
from credstack.errors import ExchangeProtocolError, TrustChainError
from credstack.services import audit, issuance
from credstack.services.federation.imports import RemoteStatements
from credstack.services.runtime import Runtime

__all__ = [
    "ANCHOR_NAME",
    "anchor_configuration",
    "provider_configuration",
    "providers_at",
    "refused",
    "resolve",
    "subordinate_statement",
    "trust_mark",
    "trust_mark_status",
]

ANCHOR_NAME: Final = {"ja": "credstack 認定登録簿", "en": "credstack registry"}
#: The runtime cache of the list endpoint (:func:`subordinates`).
CACHE: Final = "federation.subordinates"
#: The runtime cache of signed statements, and how long one is reused at most.
TOKENS: Final = "federation.statements"
REUSE: Final = dt.timedelta(minutes=5)
MAX_TOKENS: Final = 20_000
#: The runtime cache of signatures the resolver verified.
VERIFIED: Final = "federation.verified"


def refused(error: str, message: str, status: int = 400) -> ExchangeProtocolError:
    return ExchangeProtocolError(message, error=error, status=status)


def _key(
    session: Session, runtime: Runtime, entity: str, now: dt.datetime, actor: str = "system"
) -> KeyPair:
    """``entity``'s signing key, made (and audited) on first use."""
    secret = runtime.key()
    key, created = store.active_key(session, entity=entity, secret=secret, now=now)
    if created:
        audit.record(
            session,
            at=now,
            actor=actor,
            action="federation.key.created",
            subject=f"federation:{entity}",
            key=secret,
            details={"kid": statements.key_id(key.public_key), "key_type": str(key.type)},
        )
    return key


def _jwks(session: Session, entity: str, now: dt.datetime) -> dict[str, Any]:
    return {
        "keys": [
            statements.federation_jwk(key.public_key)
            for key in store.published_keys(session, entity=entity, now=now)
        ]
    }


def _anchor(session: Session, runtime: Runtime, now: dt.datetime) -> tuple[Anchor, KeyPair]:
    key = _key(session, runtime, store.ANCHOR, now)
    anchor = Anchor(runtime.settings.public_url, ANCHOR_NAME, _jwks(session, store.ANCHOR, now))
    return anchor, key


@dataclass(frozen=True, slots=True)
class _Token:
    stamp: tuple[object, ...]
    computed: dt.datetime
    until: dt.datetime
    token: str


def _cached(
    runtime: Runtime,
    session: Session,
    name: tuple[str, str],
    now: dt.datetime,
    sign: Callable[[], str],
) -> str:
    """A signed statement made by ``sign``, reused until a recognition is granted or
    withdrawn, a federation key made or retired, an organisation or its issuer keys change
    (its names, 法人番号 …), a recognition begins or ends, or :data:`REUSE` passes — so a
    statement is signed once, not on every request."""
    tokens = runtime.caches.setdefault(TOKENS, {})
    stamp = (store.recognition_count(session), store.key_stamp(session),
             store.providers_stamp(session))
    found = tokens.get(name)
    if (
        isinstance(found, _Token)
        and found.stamp == stamp
        and found.computed <= now
        and now < found.until
    ):
        return found.token
    token = sign()
    boundary = store.next_boundary(session, after=now)
    until = min(now + REUSE, boundary) if boundary else now + REUSE
    if len(tokens) >= MAX_TOKENS:
        tokens.clear()
    # The stamp after signing: signing may have made the entity's first key.
    tokens[name] = _Token(
        (store.recognition_count(session), store.key_stamp(session),
         store.providers_stamp(session)),
        now,
        until,
        token,
    )
    return token


def anchor_configuration(runtime: Runtime) -> str:
    """The anchor's entity configuration (``entity-statement+jwt``)."""
    now = runtime.now()
    with runtime.transaction() as session:
        return _cached(
            runtime,
            session,
            ("configuration", ""),
            now,
            lambda: _anchor_configuration(runtime, session, now),
        )


def _anchor_configuration(runtime: Runtime, session: Session, now: dt.datetime) -> str:
    anchor, key = _anchor(session, runtime, now)
    return statements.sign(
        providers.anchor_configuration(anchor, now=now), key=key, typ=statements.ENTITY_STATEMENT
    )


def historical_keys(runtime: Runtime) -> str:
    """The anchor's historical keys (``jwk-set+jwt``): every key a rotation retired, with
    when it was made and until when what it signed stays valid, signed with today's key."""
    now = runtime.now()
    with runtime.transaction() as session:
        return _cached(
            runtime,
            session,
            ("historical-keys", ""),
            now,
            lambda: _historical_keys(runtime, session, now),
        )


def _historical_keys(runtime: Runtime, session: Session, now: dt.datetime) -> str:
    anchor, key = _anchor(session, runtime, now)
    retired = [
        (statements.federation_jwk(found.public_key), found.created_at,
         found.published_until or now)
        for found in store.retired_keys(session, entity=store.ANCHOR)
    ]
    return statements.sign(
        providers.historical_keys(anchor, retired, now=now),
        key=key,
        typ=statements.HISTORICAL_KEYS,
    )


# --- the recognised providers -----------------------------------------------------------


def _recognition(public_url: str, found: store.StoredRecognition) -> ProgrammeRecognition:
    return ProgrammeRecognition(
        programme_id=found.programme_id,
        version=found.version,
        title=found.title,
        achievement=issuance.achievement_url(public_url, found.programme_id, found.version),
        decision=found.number,
        decision_url=decision_url(public_url, found.number),
        recognition_body=found.recognition_body,
        recognition_body_name=found.recognition_body_name,
        outcome=found.outcome,
        valid_from=found.valid_from,
        valid_until=found.valid_until,
    )


def providers_at(
    session: Session, public_url: str, slugs: Sequence[str] | None, now: dt.datetime
) -> list[Provider]:
    """The providers among ``slugs`` (all when None) recognised at ``now``."""
    current: dict[str, list[ProgrammeRecognition]] = {}
    for found in store.provider_recognitions(session, slugs=slugs, now=now):
        recognitions = current.setdefault(found.provider, [])
        # One per programme: its newest current decision.
        if all(item.programme_id != found.programme_id for item in recognitions):
            recognitions.append(_recognition(public_url, found))
    chosen = sorted(current)
    rows = store.providers(session, slugs=chosen if slugs is not None else None)
    keys = store.issuer_key_multibases(session, slugs=chosen if slugs is not None else None)
    return [
        Provider(
            slug=slug,
            name=rows[slug].name,
            country=rows[slug].country,
            url=rows[slug].url,
            email=rows[slug].email,
            did_web=organisation_did(public_url, slug) if keys.get(slug) else None,
            did_keys=[did_key.PREFIX + multibase for multibase in keys.get(slug, [])],
            recognitions=current[slug],
            corporate_number=rows[slug].corporate_number,
            location=rows[slug].country,
        )
        for slug in chosen
    ]


def _slug(runtime: Runtime, session: Session, subject: str) -> str | None:
    """The provider ``subject`` names: its entity identifier or one of its issuer DIDs."""
    prefix = providers.provider_entity_id(runtime.settings.public_url, "")
    if subject.startswith(prefix) and "/" not in subject[len(prefix) :]:
        return subject[len(prefix) :] or None
    if subject.startswith(did_key.PREFIX):
        return store.slug_of_key(session, multibase=subject[len(did_key.PREFIX) :])
    if subject.startswith("did:web:"):
        # A client that puts the DID unencoded in a query (the DCC's) has its "%3A" (the
        # port's colon) decoded on the way: both spellings name the organisation.
        own = organisation_did(runtime.settings.public_url, "x")[:-1]
        for spelling in (own, own.replace("%3A", ":")):
            if subject.startswith(spelling) and ":" not in subject[len(spelling) :]:
                return subject[len(spelling) :] or None
    return None


def _provider(runtime: Runtime, session: Session, subject: str, now: dt.datetime) -> Provider:
    slug = _slug(runtime, session, subject)
    found = providers_at(session, runtime.settings.public_url, [slug], now) if slug else []
    if not found:
        raise refused(
            "not_found", f"{subject} is not a provider this registry recognises now.", 404
        )
    return found[0]


def _marks(anchor: Anchor, key: KeyPair, provider: Provider) -> list[dict[str, str]]:
    """The trust marks the anchor issues ``provider`` now, as ``trust_marks`` items."""
    subject = providers.provider_entity_id(anchor.entity_id, provider.slug)
    issued = [
        trust_marks.TrustMarkClaims(
            anchor.entity_id,
            subject,
            trust_marks.provider_mark_type(anchor.entity_id),
            provider.recognised_since(),
            provider.recognised_until(),
            ref=f"{anchor.entity_id}/providers/{provider.slug}",
            name={"ja": "認定された提供機関", "en": "Recognised provider"},
        )
    ]
    issued.extend(
        trust_marks.TrustMarkClaims(
            anchor.entity_id,
            subject,
            trust_marks.programme_mark_type(anchor.entity_id, item.programme_id),
            item.valid_from,
            item.valid_until,
            ref=item.decision_url,
            decision=item.decision,
            name={language: text for language, text in item.title.items()},
        )
        for item in provider.recognitions
    )
    return [
        trust_marks.mark_entry(
            statements.sign(mark.to_claims(), key=key, typ=statements.TRUST_MARK), mark.mark_type
        )
        for mark in issued
    ]


@dataclass(frozen=True, slots=True)
class _Signed:
    anchor: Anchor
    anchor_key: KeyPair
    provider: Provider
    provider_jwks: dict[str, Any]
    provider_key: KeyPair


def _signed(runtime: Runtime, session: Session, subject: str, now: dt.datetime) -> _Signed:
    anchor, anchor_key = _anchor(session, runtime, now)
    provider = _provider(runtime, session, subject, now)
    entity = store.organisation_entity(provider.slug)
    provider_key = _key(session, runtime, entity, now)
    return _Signed(anchor, anchor_key, provider, _jwks(session, entity, now), provider_key)


def _provider_configuration(signed: _Signed, now: dt.datetime) -> str:
    claims = providers.provider_configuration(
        signed.anchor,
        signed.provider,
        provider_jwks=signed.provider_jwks,
        trust_marks=_marks(signed.anchor, signed.anchor_key, signed.provider),
        now=now,
    )
    return statements.sign(claims, key=signed.provider_key, typ=statements.ENTITY_STATEMENT)


def _statement(signed: _Signed, now: dt.datetime, subject: str | None = None) -> str:
    claims = providers.subordinate_statement(
        signed.anchor, signed.provider, provider_jwks=signed.provider_jwks, now=now
    )
    if subject is not None and subject.startswith("did:"):
        # About the DID itself: the keys it names are the issuer's own.
        claims["sub"] = subject
        if subject.startswith(did_key.PREFIX):
            public = decode_public_key(subject[len(did_key.PREFIX) :])
            claims["jwks"] = {"keys": [statements.federation_jwk(public)]}
    return statements.sign(claims, key=signed.anchor_key, typ=statements.ENTITY_STATEMENT)


def provider_configuration(runtime: Runtime, *, slug: str) -> str:
    """The entity configuration of recognised provider ``slug`` (404 when not recognised)."""
    now = runtime.now()
    entity_id = providers.provider_entity_id(runtime.settings.public_url, slug)
    with runtime.transaction() as session:
        return _cached(
            runtime,
            session,
            ("configuration", entity_id),
            now,
            lambda: _provider_configuration(_signed(runtime, session, entity_id, now), now),
        )


def subordinate_statement(runtime: Runtime, *, subject: str | None) -> str:
    """The anchor's statement about ``subject`` (the fetch endpoint, §8.1)."""
    public_url = runtime.settings.public_url
    if not subject:
        raise refused(
            "invalid_request",
            "The fetch endpoint needs sub: the entity "
            "identifier (or an issuer DID) of a recognised provider.",
        )
    if subject.rstrip("/") == public_url:
        raise refused(
            "invalid_request",
            "The anchor makes no statement about itself at "
            "the fetch endpoint; its configuration is at "
            "/.well-known/openid-federation.",
        )
    now = runtime.now()
    with runtime.transaction() as session:
        intermediate = intermediates_store.find(session, entity_id=subject)
        if intermediate is not None:
            found = intermediate
            # Kept by when it was registered: registering it again (its keys rotated) or
            # removing it is seen at once, by every process.
            return _cached(runtime, session,
                           ("intermediate", f"{subject} {found.registered_at.isoformat()}"),
                           now, lambda: _intermediate(runtime, session, found, now))
        return _cached(
            runtime,
            session,
            ("statement", subject),
            now,
            lambda: _statement(_signed(runtime, session, subject, now), now, subject),
        )


def _intermediate(runtime: Runtime, session: Session,
                  intermediate: intermediates_store.Intermediate, now: dt.datetime) -> str:
    """The anchor's statement about an intermediate entity it lists."""
    anchor, key = _anchor(session, runtime, now)
    claims = providers.intermediate_statement(anchor, intermediate.entity_id,
                                              jwks=intermediate.jwks, name=intermediate.name,
                                              now=now)
    return statements.sign(claims, key=key, typ=statements.ENTITY_STATEMENT)


# --- resolve -----------------------------------------------------------------------------


class _Local:
    """The anchor's own statements, as a :class:`~credstack.core.federation.chains.
    StatementSource`: what a resolver would fetch, signed in this transaction; those of an
    intermediate entity and its subordinates are fetched from it over HTTP."""

    def __init__(self, runtime: Runtime, session: Session, now: dt.datetime) -> None:
        self.runtime, self.session, self.now = runtime, session, now
        self.public_url = runtime.settings.public_url
        self.remote = RemoteStatements(fetch_bytes)

    def configuration(self, entity_id: str) -> str:
        if entity_id.rstrip("/") == self.public_url:
            anchor, key = _anchor(self.session, self.runtime, self.now)
            return statements.sign(
                providers.anchor_configuration(anchor, now=self.now),
                key=key,
                typ=statements.ENTITY_STATEMENT,
            )
        if not entity_id.startswith(f"{self.public_url}/organisations/"):
            return self.remote.configuration(entity_id)
        return _provider_configuration(
            _signed(self.runtime, self.session, entity_id, self.now), self.now
        )

    def subordinate(self, issuer: statements.Statement, subject: str) -> str:
        if issuer.sub != self.public_url:
            return self.remote.subordinate(issuer, subject)
        intermediate = intermediates_store.find(self.session, entity_id=subject)
        if intermediate is not None:
            return _intermediate(self.runtime, self.session, intermediate, self.now)
        return _statement(_signed(self.runtime, self.session, subject, self.now), self.now)


def resolve(
    runtime: Runtime,
    *,
    subject: str | None,
    trust_anchors: Sequence[str],
    entity_types: Sequence[str] = (),
) -> str:
    """The resolve response (§8.3) for ``subject`` under credstack's own anchor: the chain
    collected and validated as any client would, its metadata resolved, its marks checked."""
    public_url = runtime.settings.public_url
    if not subject or not trust_anchors:
        raise refused("invalid_request", "The resolve endpoint needs sub and trust_anchor.")
    if public_url not in {anchor.rstrip("/") for anchor in trust_anchors}:
        raise refused(
            "invalid_trust_anchor",
            f"This resolver resolves under its own trust anchor only, {public_url}.",
            404,
        )
    now = runtime.now()
    with runtime.transaction() as session:
        source = _Local(runtime, session, now)
        verified = runtime.caches.setdefault(VERIFIED, statements.VerifiedSignatures())
        anchor, key = _anchor(session, runtime, now)
        try:
            tokens = chains.collect(
                subject, anchors=[public_url], source=source, now=now, verified=verified
            )
            chain = chains.validate(
                tokens,
                anchor=public_url,
                anchor_jwks=anchor.jwks,
                now=now,
                mark_status=lambda mark: _standing(session, runtime, mark, now),
                verified=verified,
            )
        except TrustChainError as refusal:
            raise refused("invalid_trust_chain", refusal.message) from None
        metadata = (
            {kind: value for kind, value in chain.metadata.items() if kind in entity_types}
            if entity_types
            else chain.metadata
        )
        ends = [
            chain.expires,
            *(mark.expires for mark in chain.trust_marks if "exp" in mark.claims),
        ]
        claims: dict[str, Any] = {
            "iss": public_url,
            "sub": chain.subject,
            "iat": int(now.timestamp()),
            "exp": int(min(ends).timestamp()),
            "metadata": metadata,
            "trust_chain": chain.tokens,
            "trust_marks": [
                trust_marks.mark_entry(mark.token, str(mark.claims.get("trust_mark_type")))
                for mark in chain.trust_marks
            ],
        }
        return statements.sign(claims, key=key, typ=statements.RESOLVE_RESPONSE)


# --- trust marks -------------------------------------------------------------------------


def trust_mark(runtime: Runtime, *, mark_type: str | None, subject: str | None) -> str:
    """The trust mark of ``mark_type`` the anchor issues ``subject`` now (§8.6)."""
    if not mark_type or not subject:
        raise refused("invalid_request", "The trust mark endpoint needs trust_mark_type and sub.")
    now = runtime.now()
    with runtime.transaction() as session:
        signed = _signed(runtime, session, subject, now)
        for entry in _marks(signed.anchor, signed.anchor_key, signed.provider):
            if entry["trust_mark_type"] == mark_type:
                return entry["trust_mark"]
    raise refused("not_found", f"{subject} holds no current trust mark {mark_type}.", 404)


def _standing(
    session: Session, runtime: Runtime, mark: statements.Statement, now: dt.datetime
) -> trust_marks.MarkStanding:
    """What the anchor says of a mark it issued: revoked once its recognition is withdrawn."""
    public_url = runtime.settings.public_url
    expires = mark.expires if "exp" in mark.claims else None
    slug = _slug(runtime, session, mark.sub)
    mark_type = str(mark.claims.get("trust_mark_type", mark.claims.get("id", "")))
    history = store.provider_recognitions(session, slugs=[slug]) if slug else []
    decision = mark.claims.get("decision")
    if trust_marks.programme_of(public_url, mark_type) is not None:
        found = [item for item in history if item.number == decision]
        if not found:
            raise refused("not_found", "This registry issued no such trust mark.", 404)
        return trust_marks.standing(
            expires=expires, withdrawn=found[0].withdrawn_at is not None, now=now
        )
    if mark_type != trust_marks.provider_mark_type(public_url) or not history:
        raise refused("not_found", "This registry issued no such trust mark.", 404)
    current = any(
        item.withdrawn_at is None
        and item.valid_from <= now
        and (item.valid_until is None or item.valid_until > now)
        for item in history
    )
    standing = trust_marks.standing(expires=expires, withdrawn=False, now=now)
    if standing == "active" and not current:
        return "revoked"
    return standing


def trust_mark_status(runtime: Runtime, *, token: str | None) -> str:
    """The signed status (§8.4) of a trust mark the anchor issued: ``active``, ``expired``,
    ``revoked`` (its recognition withdrawn) or ``invalid`` (its signature fails)."""
    public_url = runtime.settings.public_url
    if not token:
        raise refused("invalid_request", "The trust mark status endpoint needs trust_mark.")
    now = runtime.now()
    with runtime.transaction() as session:
        anchor, key = _anchor(session, runtime, now)
        try:
            mark = statements.read(token, typ=statements.TRUST_MARK)
        except TrustChainError:
            raise refused("not_found", "This is no trust mark this registry issued.", 404) from None
        if mark.iss != public_url:
            raise refused("not_found", "This registry did not issue that trust mark.", 404)
        try:
            statements.verify(mark, anchor.jwks)
            status: trust_marks.MarkStanding = _standing(session, runtime, mark, now)
        except TrustChainError:
            status = "invalid"
        claims = {
            "iss": public_url,
            "iat": int(now.timestamp()),
            "trust_mark": mark.token,
            "status": status,
        }
        return statements.sign(claims, key=key, typ=statements.TRUST_MARK_STATUS)
