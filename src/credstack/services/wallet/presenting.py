"""Showing credentials to a verifier: a presentation, or a CLR, signed with the holder key.

A verifier sends a challenge and names its domain; the learner picks credentials and
:func:`present` answers with a VC 2.0 ``VerifiablePresentation`` of them, its Data Integrity
proof (``eddsa-rdfc-2022``, purpose ``authentication``) made with the learner's holder key
and carrying that challenge and domain, so that it verifies for that request only
(credstack's ``POST /presentations/verify`` and the JavaScript reference both check it).
:func:`clr` bundles chosen credentials into a CLR 2.0 ``ClrCredential`` the learner issues
and signs. Each credential goes in as it was imported (from a baked image or a PDF, the
credential it carries); an Open Badges 2.0 assertion cannot go in either, and the refusal
names it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from credstack.adapters.db.repositories import accounts as account_store
from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.core.access import Action, Actor
from credstack.core.credentials.holder_clr import sign_holder_clr
from credstack.core.credentials.presentations import build_presentation, sign_presentation
from credstack.errors import InputError, Problem
from credstack.services import audit
from credstack.services.runtime import Runtime
from credstack.services.wallet.credentials import credential_text
from credstack.services.wallet.holders import holder_key, identifiers_of, wallet_owner
from credstack.services.wallet.items import owned_row

__all__ = ["clr", "present"]


def _texts(session: Any, user_id: int, public_ids: Sequence[str]) -> list[str]:
    texts = []
    for index, public_id in enumerate(dict.fromkeys(public_ids)):
        row = owned_row(session, user_id, public_id)
        text = credential_text(bytes(row.original), row.kind)
        if text is None:
            raise InputError(
                f"The credential {public_id} carries no credential that can be shown (a PDF "
                "certificate without one). / この証明には提示できる内容がありません。",
                problems=[Problem(f"credentials[{index}]", public_id)])
        texts.append(text)
    return texts


def present(runtime: Runtime, *, actor: Actor, credentials: Sequence[str], challenge: str,
            domain: str) -> dict[str, Any]:
    """The caller's credentials (wallet ids) in a presentation signed for ``challenge`` and
    ``domain`` (see the module docstring)."""
    principal = wallet_owner(actor, Action.WALLET_READ)
    assert principal.user_id is not None
    now = runtime.now()
    with runtime.transaction() as session:
        texts = _texts(session, principal.user_id, credentials)
        key_pair, holder = holder_key(session, runtime.key(), user_id=principal.user_id,
                                      now=now)
        presentation = build_presentation(texts, holder=holder.did,
                                          presentation_id=f"urn:uuid:{uuid.uuid4()}")
        signed = sign_presentation(presentation, key=key_pair,
                                   verification_method=holder.verification_method,
                                   challenge=challenge, domain=domain, created=now,
                                   document_loader=shared_document_loader())
        audit.record(session, at=now, actor=principal.subject, action="wallet.presented",
                     subject=signed["id"],
                     details={"credentials": len(texts), "domain": domain[:200]})
        return signed


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
