"""Counting an event about a credential credstack issued, when it happens.

:func:`count_in` runs in the caller's transaction (a claim into the wallet, an OID4VCI
issuance, a share link made, an e-mail sent); :func:`count_event` and
:func:`count_verification` open their own, for what happens on a page or the VC-API. A
credential credstack did not issue is not counted (and not an error): the verification page
and the VC-API verify anyone's credentials.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from credstack.adapters.db.repositories import activity as store
from credstack.core.activity.events import Channel, Kind
from credstack.services.runtime import Runtime
from credstack.services.verification.any_format import jws_payload

__all__ = ["count_event", "count_in", "count_verification", "credential_id_of"]


def count_in(session: Session, *, credential_id: str, kind: Kind, at: dt.datetime,
             channel: Channel | None = None) -> bool:
    """Count ``kind`` for ``credential_id`` in the caller's transaction; whether it is one
    of ours (and so was counted)."""
    key = store.credential_key(session, credential_id)
    if key is None:
        return False
    store.count(session, key, kind, at=at, channel=channel.value if channel else None)
    return True


def count_event(runtime: Runtime, *, credential_id: str, kind: Kind, channel: Channel
                ) -> bool:
    """Count ``kind`` for ``credential_id`` now, in a transaction of its own."""
    if not credential_id or len(credential_id) > 2048:
        return False
    now = runtime.now()
    with runtime.transaction() as session:
        return count_in(session, credential_id=credential_id, kind=kind, at=now,
                        channel=channel)


def credential_id_of(document: object) -> str | None:
    """The ``id`` of a credential as a verifier was given it: a JSON object or its text, or
    a VC-JWT (its ``vc.id`` or ``jti``); ``None`` when it names none."""
    data: Any = document
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if isinstance(data, str):
        text = data.strip()
        if text.startswith("{"):
            try:
                data = json.loads(text)
            except ValueError:
                return None
        else:
            data = jws_payload(text)
            if isinstance(data, Mapping):
                vc = data.get("vc")
                found = vc.get("id") if isinstance(vc, Mapping) else None
                data = {"id": found or data.get("jti") or data.get("id")}
    if not isinstance(data, Mapping):
        return None
    found = data.get("id")
    return found if isinstance(found, str) and 0 < len(found) <= 2048 else None


def count_verification(runtime: Runtime, *, document: object, channel: Channel) -> bool:
    """Count a verification of ``document`` (as :func:`credential_id_of` reads it) at
    ``channel``; whether it was one of ours."""
    credential_id = credential_id_of(document)
    if credential_id is None:
        return False
    return count_event(runtime, credential_id=credential_id, kind=Kind.VERIFIED,
                       channel=channel)
