"""Showing credentials to a verifier: a presentation, or a CLR, signed with the holder key.

A verifier sends a challenge and names its domain; the learner picks credentials and
:func:`present` answers with a VC 2.0 ``VerifiablePresentation`` of them, its Data Integrity
proof (``eddsa-rdfc-2022``, purpose ``authentication``) made with the learner's holder key
and carrying that challenge and domain, so that it verifies for that request only
(credstack's ``POST /presentations/verify`` and the JavaScript reference both check it).
:func:`present_secured` secures the same presentation as *Securing Verifiable Credentials
using JOSE and COSE* does instead — ``vp+jwt`` (§3.1.2), ``vp+sd-jwt`` (§3.2.2) or
``application/vp+cose`` (§3.3.2), signed by the holder's key, the challenge its ``nonce`` and
the domain its ``aud``. A credential the wallet keeps as an SD-JWT or a ``COSE_Sign1`` goes in
as its Enveloped Verifiable Credential (VC Data Model 2.0 §4.13); of an SD-JWT, only the
disclosures the learner chose to show (:func:`disclosable` lists them): those withheld are
left out, as RFC 9901 §4 lets a holder do, and the issuer's signature still verifies. An
SD-JWT whose issuer bound it to the learner's holder key (``cnf``) also gets a key binding
JWT (RFC 9901 §4.3) for the verifier's ``nonce`` and ``aud``.
:func:`clr` bundles chosen credentials into a CLR 2.0 ``ClrCredential`` the learner issues
and signs. Each credential goes in as it was imported (from a baked image or a PDF, the
credential it carries); an Open Badges 2.0 assertion cannot go in either, and the refusal
names it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from credstack.adapters.db.repositories import accounts as account_store
from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.access import Action, Actor, Principal
from credstack.core.credentials import securing
from credstack.core.credentials.holder_clr import sign_holder_clr
from credstack.core.credentials.presentations import build_presentation, sign_presentation
from credstack.core.crypto import KeyPair
from credstack.core.proofs.cryptosuites import sd_jwt, vc_cose, vc_jwt
from credstack.errors import CredstackError, InputError, Problem
from credstack.services import audit
from credstack.services.runtime import Runtime
from credstack.services.wallet.credentials import credential_text
from credstack.services.wallet.holders import Holder, holder_key, identifiers_of, wallet_owner
from credstack.services.wallet.items import owned_row

__all__ = ["SECURED_FORMS", "Disclosable", "Presented", "clr", "disclosable", "present",
           "present_secured", "withheld_claims"]

#: The forms :func:`present_secured` makes: the media type and file name extension of each.
SECURED_FORMS: Final[Mapping[str, tuple[str, str]]] = {
    "vp+jwt": ("application/vp+jwt", "jwt"), "vp+sd-jwt": ("application/vp+sd-jwt", "sd-jwt"),
    "vp+cose": (vc_cose.VP_MEDIA_TYPE, "cose")}


@dataclass(frozen=True, slots=True)
class Disclosable:
    """A claim a held SD-JWT can show or withhold: the disclosure's position among the
    SD-JWT's disclosures and where its value goes (``credentialSubject.identifier``)."""

    index: int
    place: str


@dataclass(frozen=True, slots=True)
class Presented:
    """A presentation secured as JOSE or COSE: its bytes, media type and file extension."""

    data: bytes
    media_type: str
    extension: str


def disclosable(data: bytes, kind: str) -> tuple[Disclosable, ...]:
    """The claims the wallet's credential ``data`` (of ``kind``) lets its holder show or
    withhold, in its disclosures' order: none unless it is an SD-JWT."""
    text = credential_text(data, kind)
    if text is None or text.startswith("{") or not sd_jwt.is_sd_jwt(text):
        return ()
    try:
        token = sd_jwt.parse(text)
    except CredstackError:
        return ()
    found = []
    for index, disclosure in enumerate(token.disclosures):
        alone = sd_jwt.disclose(dataclasses.replace(token, disclosures=(disclosure,),
                                                    key_binding=None))
        if alone.paths:
            found.append(Disclosable(index, alone.paths[0]))
    return tuple(found)


def withheld_claims(runtime: Runtime, *, actor: Actor, claims: Mapping[str, Sequence[str]]
                    ) -> dict[str, set[int]]:
    """The disclosures :func:`present` and :func:`present_secured` leave out (``withheld``)
    for the claims the holder keeps to themselves, named by where they go
    (:attr:`Disclosable.place`, ``credentialSubject.identifier``), by wallet id; a claim the
    credential does not let its holder withhold is refused, naming it."""
    principal = wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    withheld: dict[str, set[int]] = {}
    with runtime.sessions() as session:
        for public_id, places in claims.items():
            if not places:
                continue
            row = owned_row(session, principal.user_id, public_id)
            offered = disclosable(bytes(row.original), row.kind)
            for place in places:
                indices = {claim.index for claim in offered if claim.place == place}
                if not indices:
                    raise InputError(
                        code="wallet.present.not_disclosable",
                        params={"claim": place[:200]},
                        problems=[Problem(f"withhold.{public_id}", place[:200])])
                withheld.setdefault(public_id, set()).update(indices)
    return withheld


def _shown(text: str, withheld: Collection[int]) -> str:
    """An SD-JWT with the disclosures at ``withheld`` left out (and no key binding)."""
    token = sd_jwt.parse(text)
    kept = tuple(disclosure for index, disclosure in enumerate(token.disclosures)
                 if index not in withheld)
    return "~".join((token.jwt, *kept)) + "~"


def _bound(text: str, key: KeyPair, *, challenge: str, domain: str, now: int) -> str:
    """The SD-JWT with a key binding JWT for the verifier when its issuer bound it to
    ``key`` (its ``cnf.jwk`` is the holder key's); as it is otherwise."""
    token = sd_jwt.parse(text)
    confirmation = token.payload.get("cnf")
    jwk = confirmation.get("jwk") if isinstance(confirmation, Mapping) else None
    if not isinstance(jwk, Mapping) or dict(jwk) != key.public_key.to_jwk():
        return text
    return sd_jwt.bind(token, key=key, audience=domain, nonce=challenge, issued_at=now)


def _carried(texts: Sequence[str], withheld: Mapping[str, Collection[int]],
             public_ids: Sequence[str], key: KeyPair, *, challenge: str, domain: str,
             now: int) -> list[Any]:
    """Each credential as a presentation carries it: JSON and VC-JWTs as they are, an
    SD-JWT (its chosen disclosures, bound when it can be) enveloped."""
    carried: list[Any] = []
    for public_id, text in zip(dict.fromkeys(public_ids), texts, strict=True):
        if not text.startswith("{") and "~" in text and sd_jwt.is_sd_jwt(text):
            shown = _bound(_shown(text, withheld.get(public_id, ())), key,
                           challenge=challenge, domain=domain, now=now)
            carried.append(securing.enveloped(shown, "vc+sd-jwt"))
        else:
            carried.append(text)
    return carried


def _texts(session: Any, user_id: int, public_ids: Sequence[str]) -> list[str]:
    texts = []
    for index, public_id in enumerate(dict.fromkeys(public_ids)):
        row = owned_row(session, user_id, public_id)
        text = credential_text(bytes(row.original), row.kind)
        if text is None:
            raise InputError(
                code="wallet.refused.nothing_to_present", params={"public_id": public_id},
                problems=[Problem(f"credentials[{index}]", public_id)])
        texts.append(text)
    return texts


def _unsigned(runtime: Runtime, session: Any, principal: Principal, credentials: Sequence[str],
              withheld: Mapping[str, Collection[int]] | None, *, challenge: str, domain: str,
              now: dt.datetime) -> tuple[list[str], KeyPair, Holder, dict[str, Any]]:
    """The caller's credentials (wallet ids) read, the holder's key and the presentation that
    carries them, not yet signed: what :func:`present` and :func:`present_secured` share."""
    assert principal.user_id is not None
    texts = _texts(session, principal.user_id, credentials)
    key_pair, holder = holder_key(session, runtime.key(), user_id=principal.user_id, now=now)
    presentation = build_presentation(
        _carried(texts, withheld or {}, credentials, key_pair, challenge=challenge,
                 domain=domain, now=int(now.timestamp())),
        holder=holder.did, presentation_id=f"urn:uuid:{uuid.uuid4()}")
    return texts, key_pair, holder, presentation


def present(runtime: Runtime, *, actor: Actor, credentials: Sequence[str], challenge: str,
            domain: str, withheld: Mapping[str, Collection[int]] | None = None
            ) -> dict[str, Any]:
    """The caller's credentials (wallet ids) in a presentation signed for ``challenge`` and
    ``domain`` (see the module docstring); ``withheld``: by wallet id, the disclosures of a
    held SD-JWT its holder does not show (their :attr:`Disclosable.index`)."""
    principal = wallet_owner(actor, Action.WALLET_READ)
    now = runtime.now()
    with runtime.transaction() as session:
        texts, key_pair, holder, presentation = _unsigned(
            runtime, session, principal, credentials, withheld, challenge=challenge,
            domain=domain, now=now)
        signed = sign_presentation(presentation, key=key_pair,
                                   verification_method=holder.verification_method,
                                   challenge=challenge, domain=domain, created=now,
                                   document_loader=shared_document_loader())
        audit.record(session, at=now, actor=principal.subject, action="wallet.presented",
                     subject=signed["id"],
                     details={"credentials": len(texts), "domain": domain[:200]})
        return signed


def present_secured(runtime: Runtime, *, actor: Actor, credentials: Sequence[str],
                    challenge: str, domain: str, form: str,
                    withheld: Mapping[str, Collection[int]] | None = None) -> Presented:
    """The presentation :func:`present` makes, secured as ``form`` (``vp+jwt``,
    ``vp+sd-jwt`` or ``vp+cose``: see the module docstring) instead of a Data Integrity
    proof; the verifier's challenge is its ``nonce``, the domain its ``aud``."""
    if form not in SECURED_FORMS:
        raise InputError(code="wallet.present.unknown_form", params={"form": form},
                         problems=[Problem("form", form)])
    for value, name in ((challenge, "challenge"), (domain, "domain")):
        if not value.strip():
            # It binds the presentation to that one request: without it, it could be
            # replayed to any verifier.
            raise InputError(code=f"wallet.present.no_{name}",
                             problems=[Problem(name, "empty")])
    principal = wallet_owner(actor, Action.WALLET_READ)
    now = runtime.now()
    with runtime.transaction() as session:
        texts, key_pair, holder, presentation = _unsigned(
            runtime, session, principal, credentials, withheld, challenge=challenge,
            domain=domain, now=now)
        presentation.update({"nonce": challenge, "aud": domain, "iat": int(now.timestamp())})
        kid = holder.verification_method
        if form == "vp+jwt":
            data = vc_jwt.sign_claims(presentation, key=key_pair, kid=kid,
                                      typ="vp+jwt").encode("ascii")
        elif form == "vp+sd-jwt":
            data = sd_jwt.issue(presentation, key=key_pair, kid=kid, disclosable=(),
                                typ="vp+sd-jwt").encode("ascii")
        else:
            data = vc_cose.sign(presentation, key=key_pair, kid=kid, presentation=True)
        audit.record(session, at=now, actor=principal.subject, action="wallet.presented",
                     subject=presentation["id"],
                     details={"credentials": len(texts), "domain": domain[:200], "form": form})
    media_type, extension = SECURED_FORMS[form]
    return Presented(data, media_type, extension)


def clr(runtime: Runtime, *, actor: Actor, credentials: Sequence[str],
        name: str | None = None) -> dict[str, Any]:
    """A CLR 2.0 of the caller's credentials (wallet ids), issued and signed by the holder."""
    principal = wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    now = runtime.now()
    with runtime.transaction() as session:
        texts = _texts(session, principal.user_id, credentials)
        key_pair, _ = holder_key(session, runtime.key(), user_id=principal.user_id, now=now)
        user = account_store.user_row(session, principal.user_id)
        assert user is not None
        signed = sign_holder_clr(
            texts, key=key_pair,
            identifiers=[identifier.value for identifier in
                         identifiers_of(session, principal.user_id)],
            clr_id=f"urn:uuid:{uuid.uuid4()}",
            name=(name or "").strip() or f"Learning record of {user.display_name}",
            created=now, document_loader=shared_document_loader(),
            holder_name=user.display_name)
        audit.record(session, at=now, actor=principal.subject, action="wallet.clr",
                     subject=signed["id"], details={"credentials": len(texts)})
        return signed
