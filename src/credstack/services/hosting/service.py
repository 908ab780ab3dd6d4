"""The OB 3.0 / CLR 2.0 REST APIs' use cases on the learner's wallet.

* :func:`discovery` — the Service Description Document (no authentication).
* :func:`credentials` — ``getCredentials``: the wallet's credentials of the API's kind
  (``vc``: Open Badges 3.0; ``clr``: CLR 2.0), oldest first so that pages stay put as new ones
  arrive, ``since`` counting from when each came into the wallet. A credential is served as
  it is kept — the very bytes imported or issued: the JSON of one with an embedded proof in
  ``credential``, a VC-JWT in ``compactJwsString``. Credentials issued on this platform to
  the learner are delivered into the wallet first, as the wallet's own pages do.
* :func:`upsert` — ``upsertCredential``: the credential is verified and kept by the wallet's
  import (:func:`credstack.services.wallet.credentials.import_credential`, the one
  verifier); one that is *the same* under OB 3.0 §10 (issuer id and credential id) replaces
  the kept one when it is newer (200) — unless it does not verify while the kept one does
  (400: nothing changes) —, is not modified when it is not newer (304), and is added
  otherwise (201). The answer echoes the credential in the format sent.
* :func:`profile`, :func:`update_profile` — ``getProfile``/``putProfile``: the learner as a
  ``Profile`` (their holder DID, name and e-mail address); only the name may change here.

Each checks the API's scope for the operation (``…/scope/credential.readonly`` …, actions
of :mod:`credstack.core.access`); a token without it is refused, as everywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

from credstack.adapters.db.repositories import wallet_credentials as wallet_store
from credstack.core.access import Actor
from credstack.core.credentials.openbadges_v3 import equality
from credstack.core.hosting import discovery as sdd
from credstack.core.hosting.apis import Api, Operation
from credstack.core.hosting.paging import Window
from credstack.core.verification.json_values import jws_payload
from credstack.core.verification.verdict import Outcome
from credstack.errors import (
    InputError,
    NotFoundError,
    Problem,
    UnsupportedMediaError,
)
from credstack.services import accounts as users
from credstack.services import audit, oauth, wallet
from credstack.services.runtime import Runtime

COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$")
JSON_TYPES = frozenset({"application/json", "application/ld+json", "application/vc+ld+json",
                        "application/vc"})


@dataclass(frozen=True, slots=True)
class Page:
    """One page of ``getCredentials``."""

    credential: tuple[Any, ...]
    compact_jws: tuple[str, ...]
    total: int
    window: Window

    def body(self) -> dict[str, Any]:
        return {"credential": list(self.credential), "compactJwsString": list(self.compact_jws)}


@dataclass(frozen=True, slots=True)
class Upserted:
    """What ``upsertCredential`` did: 201 added, 200 replaced, 304 not modified; the body
    to echo (the credential as sent: JSON, or a compact JWS as text)."""

    status: int
    json: Mapping[str, Any] | None
    text: str | None
    wallet_id: str | None


def discovery(runtime: Runtime, *, api: Api) -> dict[str, Any]:
    base = runtime.settings.public_url.rstrip("/")
    return sdd.service_description(
        api, base_url=base, title=f"credstack — {api.title}",
        terms_url=f"{base}/", privacy_url=f"{base}/",
        # The installed distribution's version: the package's own __version__ would make this
        # service import the front door, which imports the entrypoints above it.
        software_version=version("credstack"),
        server=sdd.AuthorizationServer(
            authorization_url=base + oauth.AUTHORIZATION_PATH,
            token_url=base + oauth.TOKEN_PATH,
            registration_url=base + oauth.REGISTRATION_PATH))


def _served(data: bytes, kind: str) -> tuple[Any, str | None]:
    """A kept credential as the API serves it: (its JSON, None) or (None, its compact JWS)."""
    text = wallet.credential_text(data, kind) or ""
    if text.startswith("{"):
        return json.loads(text), None
    return None, text


def credentials(runtime: Runtime, *, actor: Actor, api: Api, window: Window,
                since: dt.datetime | None = None) -> Page:
    """``getCredentials`` (see the module)."""
    principal = wallet.wallet_owner(actor, api.actions[Operation.READ_CREDENTIALS])
    assert principal.user_id is not None
    with runtime.transaction() as session:
        wallet.open_wallet(session, runtime.key(), user_id=principal.user_id, now=runtime.now())
    wallet.deliver_issued(runtime, user_id=principal.user_id, subject=principal.subject)
    with runtime.sessions() as session:
        total, rows = wallet_store.page_of_kind(session, user_id=principal.user_id,
                                                kind=api.wallet_kind, since=since,
                                                limit=window.limit, offset=window.offset)
    documents, tokens = [], []
    for original, kind in rows:
        document, token = _served(original, kind)
        if document is not None:
            documents.append(document)
        elif token:
            tokens.append(token)
    return Page(tuple(documents), tuple(tokens), int(total), window)


def _parse(api: Api, body: bytes, media_type: str) -> tuple[Mapping[str, Any], bool]:
    """The posted credential as JSON (a VC-JWT's claims), and whether it came as a JWS."""
    if media_type in JSON_TYPES:
        try:
            document = json.loads(body)
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            raise InputError(f"The body is not JSON: {error}.",
                             problems=[Problem("body", "not JSON")]) from error
        if not isinstance(document, Mapping):
            raise InputError("The body must be one credential, a JSON object.",
                             problems=[Problem("body", "not a JSON object")])
        jws = False
    elif media_type == "text/plain":
        text = body.decode("utf-8", errors="replace").strip()
        payload = jws_payload(text) if COMPACT_JWS.fullmatch(text) else None
        if not isinstance(payload, Mapping):
            raise InputError("A text/plain body must be a credential as a compact JWS "
                             "(VC-JWT).", problems=[Problem("body", "not a compact JWS")])
        document, jws = payload, True
    else:
        raise UnsupportedMediaError(
            f"Send the credential as application/json or, a VC-JWT, as text/plain (not "
            f"{media_type or 'no media type'}).")
    inner = document.get("vc")
    credential: Mapping[str, Any] = inner if isinstance(inner, Mapping) else document
    declared = credential.get("type")
    kinds = {declared} if isinstance(declared, str) else set(map(str, declared)) \
        if isinstance(declared, list) else set()
    if not kinds & api.credential_types:
        raise InputError(f"The {api.title} API keeps "
                         f"{' or '.join(sorted(api.credential_types))} credentials; this one "
                         f"is of type {', '.join(sorted(map(str, kinds))) or 'none'}.",
                         problems=[Problem("type", "not " + " or ".join(
                             sorted(api.credential_types)))])
    return document, jws


def _same(runtime: Runtime, user_id: int, identity: equality.Identity
          ) -> tuple[str, str, Mapping[str, Any], str] | None:
    """The kept credential that is the same as ``identity`` (OB 3.0 §10): (public id, digest,
    its JSON, its latest outcome), or None."""
    with runtime.sessions() as session:
        candidates = wallet_store.identified(session, user_id=user_id)
        for public_id, credential_id, digest, original, kind, outcome in candidates:
            if equality.normalise(credential_id) != identity.credential:
                continue
            document, token = _served(original, kind)
            kept = document if document is not None else jws_payload(token or "")
            if isinstance(kept, Mapping) and equality.identity(kept) == identity:
                return public_id, digest, kept, outcome
    return None


def upsert(runtime: Runtime, *, actor: Actor, api: Api, body: bytes, media_type: str
           ) -> Upserted:
    """``upsertCredential`` (see the module)."""
    action = api.actions[Operation.UPSERT_CREDENTIAL]
    principal = wallet.wallet_owner(actor, action)
    assert principal.user_id is not None
    document, jws = _parse(api, body, media_type)
    data = body.strip() if jws else body
    echo_json, echo_text = (None, data.decode("utf-8")) if jws else (document, None)
    identity = equality.identity(document)
    kept = _same(runtime, principal.user_id, identity) if identity is not None else None
    if kept is not None:
        public_id, digest, kept_document, _ = kept
        unchanged = digest == hashlib.sha256(data).hexdigest()
        if unchanged or not equality.newer(document, kept_document):
            return Upserted(304, None, None, public_id)
    imported = wallet.import_credential(
        runtime, actor=actor, data=data, source="upload", action=action,
        media_type="application/vc+jwt" if jws else "application/json")
    if not imported.created:
        return Upserted(304, None, None, imported.item.public_id)
    if kept is not None:
        new_id = imported.item.public_id
        if not imported.item.outcome.trusted and Outcome(kept[3]).trusted:
            # A newer representation must be one: what does not verify never displaces a
            # credential that does (an application could otherwise forge a "newer" one).
            reason = imported.item.failed_reason or imported.item.failed_check or "not verified"
            wallet.discard_credential(runtime, actor=actor, action=action, public_id=new_id,
                                      reason=reason)
            raise InputError(
                f"This credential does not verify ({reason}); the one kept with the same "
                "issuer and id, which does, stays. / この証明は検証できないため、同じ発行者・"
                "ID の検証済みの証明をそのまま保持します。",
                problems=[Problem("proof", reason)])
        wallet.replace_credential(runtime, actor=actor, action=action, old=kept[0], new=new_id)
        return Upserted(200, echo_json, echo_text, imported.item.public_id)
    return Upserted(201, echo_json, echo_text, imported.item.public_id)


def _profile(runtime: Runtime, user_id: int) -> dict[str, Any]:
    with runtime.transaction() as session:
        owner = users.user_row(session, user_id)
        if owner is None:
            raise NotFoundError("There is no such learner.")
        _, holder = wallet.holder_key(session, runtime.key(), user_id=user_id, now=runtime.now())
        return {"id": holder.did, "type": ["Profile"], "name": owner.display_name,
                "email": owner.email}


def profile(runtime: Runtime, *, actor: Actor, api: Api) -> dict[str, Any]:
    """``getProfile``: the learner as an OB 3.0 / CLR 2.0 ``Profile``."""
    principal = wallet.wallet_owner(actor, api.actions[Operation.READ_PROFILE])
    assert principal.user_id is not None
    return _profile(runtime, principal.user_id)


def update_profile(runtime: Runtime, *, actor: Actor, api: Api, document: Any
                   ) -> dict[str, Any]:
    """``putProfile``: the name changes (``users.display_name``, audited
    ``profile.updated``); any other member that differs from the profile as served is
    refused with 400 naming it (the id is the holder DID, the e-mail address the account's:
    neither changes through this API), so nothing sent is silently dropped."""
    principal = wallet.wallet_owner(actor, api.actions[Operation.UPDATE_PROFILE])
    assert principal.user_id is not None
    if not isinstance(document, Mapping):
        raise InputError("The body must be a Profile, a JSON object.",
                         problems=[Problem("body", "not a JSON object")])
    current = _profile(runtime, principal.user_id)
    kinds = document.get("type")
    if kinds not in ("Profile", ["Profile"]):
        raise InputError("type must be Profile.", problems=[Problem("type", "not Profile")])
    refused = [Problem(name, "cannot be changed through this API")
               for name, value in document.items()
               if name not in ("name", "type", "@context") and current.get(name) != value]
    if refused:
        raise InputError(f"{refused[0].location} {refused[0].message}; only name can.",
                         problems=refused)
    name = document.get("name", current["name"])
    if not isinstance(name, str):
        raise InputError("name must be a text.", problems=[Problem("name", "not a text")])
    checked = users.check_display_name(name)
    now = runtime.now()
    with runtime.transaction() as session:
        row = users.user_row(session, principal.user_id)
        if row.display_name != checked:
            row.display_name = checked
            audit.record(session, at=now, actor=principal.subject, action="profile.updated",
                         subject=f"user:{principal.user_id}", details={"api": api.name})
    return {**current, "name": checked}
