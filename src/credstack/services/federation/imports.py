"""Other registries' providers imported, kept apart and labelled (issue 42, part 4).

A registry administrator imports another registry's recognised providers so that the
trust check can say "listed by <that registry>" — never as credstack's own recognition:

* :func:`import_federation` — an OpenID Federation anchor: its entity configuration (its
  keys as it publishes them, or those pinned for the source — ``anchor_jwks``, kept with the
  source for the next imports until ``unpin`` — when its configuration and its statements
  about its subordinates must be signed with a pinned key, else ``unpinned-key`` naming the
  key id), its list endpoint, and for each
  subordinate the trust chain collected through the authority hints and validated with the
  core rules (:mod:`credstack.core.federation.chains`); the names, country, issuer DIDs,
  programmes and trust marks of the resolved metadata are kept until the chains expire (a
  trust mark counts once the anchor's status endpoint, when it names one, answers it
  ``active``; a withdrawn one leaves the provider listed, not recognised);
* :func:`import_ctdl` — a CTDL JSON-LD graph (its organisations and the credentials and
  learning opportunities they own or offer), kept with no end of validity of its own.

An import replaces what the source listed before (re-importing is idempotent); any refusal
— unreachable, garbage, a bad signature, an expired statement, a CTDL node without a
required field — raises :class:`~credstack.errors.TrustChainError` with its reason and keeps
nothing new of that source. :func:`forget` removes a source and all it listed;
:func:`sources` lists them; :func:`listings_for` is what the trust check reads.

An import (or refresh) reads for at most ``CREDSTACK_FEDERATION_IMPORT_SECONDS`` and at most
``CREDSTACK_FEDERATION_SUBORDINATES`` of the subordinates listed (:class:`Limits`): past
either it stops cleanly, keeps the subordinates read whole by then, and says how many were
listed and why it stopped (:attr:`Source.listed`, :attr:`Source.stopped`, and the audit
entry's details). Each statement is judged at the time it was fetched, not at the start:
a slow walk of a live anchor signing as it serves is not refused as "not yet valid".

The providers of an intermediate entity below this anchor (:mod:`.intermediates`) are kept
the same way, as a source of kind :data:`MEMBER` read by :func:`read_providers` with the
intermediate's keys as registered: they are this registry's, through that member, so the
trust check labels them with the intermediate, the public pages and :func:`sources` leave
them out, and only removing the intermediate forgets them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlencode, urlsplit

from credstack.adapters.db.repositories import federation_imports as store
from credstack.adapters.db.repositories.federation_imports import Refusal, Source
from credstack.adapters.resolvers.fetch import Answer, fetch_bytes, post
from credstack.core.access import Action, Actor
from credstack.core.federation import chains, imports, statements, trust_marks
from credstack.core.federation.imports import ImportedProvider
from credstack.core.federation.registries import Listing
from credstack.errors import (
    CredstackError,
    InputError,
    NotFoundError,
    OutOfReachError,
    TrustChainError,
)
from credstack.services import audit, freshness
from credstack.services.runtime import Runtime

__all__ = [
    "MEMBER",
    "Limits",
    "PostForm",
    "Progress",
    "Read",
    "Refusal",
    "RemoteStatements",
    "Source",
    "entity_names",
    "forget",
    "import_ctdl",
    "import_federation",
    "kept_sources",
    "limits",
    "listings_for",
    "member_providers",
    "post_form_to",
    "read_configuration",
    "read_providers",
    "sources",
]

#: Why an import stopped before the end of the list: its time was up, or its number read.
DEADLINE: Final = "deadline"
LIMIT: Final = "limit"
#: The kind of source an intermediate entity's providers are kept as.
MEMBER: Final = "member"

Fetch = Callable[[str], bytes | None]
#: Posts a form to a URL (the trust mark status endpoint): the guarded fetcher's ``post``.
PostForm = Callable[[str, Mapping[str, str]], Answer]
#: Told, as an import reads its entries, how many it has read of how many.
Progress = Callable[[int, int], None]


def _unseen(done: int, total: int) -> None:
    """No one watches the import's progress."""


@dataclass(frozen=True, slots=True)
class Limits:
    """How far one import or refresh of a source reads: until ``deadline`` by ``clock`` (the
    time each statement is judged at, too), and at most ``most`` subordinates."""

    clock: Callable[[], dt.datetime]
    deadline: dt.datetime
    most: int


def limits(runtime: Runtime) -> Limits:
    """The settings' limits for an import starting now."""
    settings = runtime.settings
    return Limits(runtime.now, runtime.now() + dt.timedelta(
        seconds=settings.federation_import_seconds), settings.federation_subordinates)


@dataclass(frozen=True, slots=True)
class Read:
    """What a walk of a list read: the end of the chains' validity, the providers, how many
    subordinates were listed, and why it stopped before the end (None: it did not)."""

    valid_until: dt.datetime
    providers: list[ImportedProvider]
    listed: int
    stopped: str | None = None


class _TimeUp(Exception):
    """The import's deadline passed before a fetch: the subordinate being read is left out."""


def _until_deadline(fetch: Fetch, post_form: PostForm, limits: Limits
                    ) -> tuple[Fetch, PostForm]:
    """``fetch`` and ``post_form`` raising :class:`_TimeUp` instead once the deadline passed."""
    def check() -> None:
        if limits.clock() >= limits.deadline:
            raise _TimeUp

    def fetch_in_time(url: str) -> bytes | None:
        check()
        return fetch(url)

    def post_in_time(url: str, form: Mapping[str, str]) -> Answer:
        check()
        return post_form(url, form)

    return fetch_in_time, post_in_time


def post_form_to(url: str, form: Mapping[str, str]) -> Answer:
    return post(url, form=form)


def _mark_status(endpoint: Any, jwks: Mapping[str, Any], post_form: PostForm,
                 clock: Callable[[], dt.datetime]
                 ) -> Callable[[statements.Statement], trust_marks.MarkStanding] | None:
    """What the anchor's status endpoint says of a trust mark (§8.4), its answer checked
    under the anchor's keys at the time it came; ``invalid`` when it answers anything
    else."""
    if not isinstance(endpoint, str):
        return None

    def standing(mark: statements.Statement) -> trust_marks.MarkStanding:
        try:
            answer = post_form(endpoint, {"trust_mark": mark.token})
            found = statements.read(answer.body.decode("ascii").strip(),
                                    typ=statements.TRUST_MARK_STATUS)
            statements.check_times(found, clock(), expiry_required=False)
            statements.verify(found, jwks)
        except (CredstackError, UnicodeDecodeError):
            return "invalid"
        status = found.claims.get("status")
        return status if status in ("active", "expired", "revoked") else "invalid"

    return standing


#: Why a registry's document could not be fetched (:attr:`OutOfReachError.why`), in
#: Japanese: the fetcher words its refusals in English only.
_WHY_JA: Final = {
    "offline": "このサーバーは外部から取得しない設定です",
    "not-allowed": "取得が許可されていない宛先です（ループバック、https 以外、私的アドレスなど）",
    "unsupported": "この種類の文書は取得できません",
    "unreachable": "接続できません（名前解決、接続、時間切れ、TLS）",
    "not-found": "見つかりません（HTTP 404/410）",
    "server": "サーバーがエラーを返しました",
    "unreadable": "内容を読めません（大きすぎるか、形式が違います）",
}


def _fetched(fetch: Fetch, url: str) -> bytes:
    try:
        body = fetch(url)
    except CredstackError as failed:
        why = _WHY_JA.get(failed.why, _WHY_JA["unreachable"]) \
            if isinstance(failed, OutOfReachError) else _WHY_JA["unreachable"]
        raise TrustChainError(f"{failed.message} / {url} を取得できません：{why}。",
                              reason="registry-unreachable") from None
    if body is None:
        raise TrustChainError(f"{url} answered 404. / {url} は 404 を返しました。",
                              reason="registry-unreachable")
    return body


def _text(body: bytes, url: str) -> str:
    try:
        return body.decode("ascii").strip()
    except UnicodeDecodeError:
        raise TrustChainError(f"{url} answered something that is not a JWT.",
                              reason="registry-garbage") from None


@dataclass
class RemoteStatements:
    """The statements of a federation over HTTP, as a chain's
    :class:`~credstack.core.federation.chains.StatementSource`."""

    fetch: Fetch

    def configuration(self, entity_id: str) -> str:
        url = f"{entity_id.rstrip('/')}/.well-known/openid-federation"
        return _text(_fetched(self.fetch, url), url)

    def subordinate(self, issuer: statements.Statement, subject: str) -> str:
        entity = (issuer.claims.get("metadata") or {}).get("federation_entity") or {}
        endpoint = entity.get("federation_fetch_endpoint")
        if not isinstance(endpoint, str):
            raise TrustChainError(f"{issuer.sub} names no fetch endpoint.",
                                  reason="registry-garbage")
        url = f"{endpoint}?{urlencode({'sub': subject})}"
        return _text(_fetched(self.fetch, url), url)


def entity_names(claims: Mapping[str, Any], fallback: str) -> dict[str, str]:
    """An entity's ``organization_name`` per language, from its statement's claims."""
    entity = (claims.get("metadata") or {}).get("federation_entity") or {}
    names = {language: entity[f"organization_name#{language}"] for language in ("ja", "en")
             if isinstance(entity.get(f"organization_name#{language}"), str)}
    if "en" not in names and isinstance(entity.get("organization_name"), str):
        names["en"] = entity["organization_name"]
    return names or {"en": fallback}


def _subordinates(body: bytes, url: str) -> list[str]:
    try:
        found = json.loads(body)
    except ValueError:
        raise TrustChainError(f"{url} is not JSON.", reason="registry-garbage") from None
    if not isinstance(found, list) or not all(isinstance(item, str) for item in found):
        raise TrustChainError(f"{url} is not a list of entity identifiers.",
                              reason="registry-garbage")
    return list(dict.fromkeys(found))


@contextmanager
def _refusal_audited(runtime: Runtime, actor: str, url: str, kind: str) -> Iterator[None]:
    """A refused import, audited (``federation.source.refused``, with its reason) before the
    refusal goes on to the caller."""
    try:
        yield
    except TrustChainError as refusal:
        audit.record_separately(runtime.sessions, at=runtime.now(), actor=actor,
                                action="federation.source.refused",
                                subject=f"federation-source:{url[:500]}",
                                details={"kind": kind, "reason": refusal.reason,
                                         "message": refusal.message[:1000]})
        raise


def _keep(runtime: Runtime, *, actor: Actor, url: str, kind: str, name: Mapping[str, str],
          valid_until: dt.datetime | None, providers: list[ImportedProvider],
          now: dt.datetime, pinned_jwks: Mapping[str, Any] | None = None,
          listed: int | None = None, stopped: str | None = None) -> Source:
    secret = runtime.key()
    with runtime.transaction() as session:
        principal = actor.require(Action.KEYS_MANAGE)
        if store.kind_of(session, url=url) == MEMBER:
            # Its providers are this registry's, through the intermediate: an import would
            # replace them with another registry's, labelled as imported.
            raise InputError(f"{url} is an intermediate entity of this registry: its "
                             "providers are read as such, not imported. / "
                             f"{url} はこの登録簿の中間エンティティです。その提供機関は取り込み"
                             "ではなく中間エンティティとして読み込まれます。")
        created = store.replace(session, url=url, kind=kind, name=name, fetched_at=now,
                                valid_until=valid_until, providers=providers,
                                pinned_jwks=pinned_jwks)
        audit.record(
            session, at=now, actor=principal.subject, action="federation.source.imported",
            subject=f"federation-source:{url}", key=secret,
            details={"kind": kind, "providers": len(providers), "new": created,
                     "valid_until": valid_until.isoformat() if valid_until else None,
                     "pinned": imports.pinned_kids(pinned_jwks),
                     **({"listed": listed, "stopped": stopped} if listed is not None else {})},
        )
    return Source(url, kind, dict(name), now, valid_until, tuple(providers),
                  dict(pinned_jwks) if pinned_jwks else None, listed=listed, stopped=stopped)


def import_federation(
    runtime: Runtime,
    *,
    actor: Actor,
    anchor: str,
    names: Mapping[str, str] | None = None,
    anchor_jwks: Mapping[str, Any] | None = None,
    unpin: bool = False,
    pin_current: bool = False,
    fetch: Fetch = fetch_bytes,
    post_form: PostForm = post_form_to,
    progress: Progress = _unseen,
) -> Source:
    """Import the providers of the federation whose trust anchor is ``anchor`` (see the
    module's docstring); ``names`` label it (else the anchor's own organisation names).
    ``anchor_jwks`` pins its keys (a JWK set, checked by
    :func:`~credstack.core.federation.imports.read_pinned_jwks`); without it, the keys pinned
    by an earlier import hold, unless ``unpin``; ``pin_current`` pins the JWK set the anchor's
    self-signed configuration carries at this import (trust on first use: the import is read
    under those keys, and they hold for the next). ``progress`` is told, subordinate by
    subordinate, how many of those listed are read (each chain fetched and validated); the
    settings' :class:`Limits` hold (see the module)."""
    if pin_current and (anchor_jwks is not None or unpin):
        raise InputError("Pin the keys the anchor publishes now, or those of a JWK set, or "
                         "none: one at a time. / 現在の鍵の固定、JWK セットによる固定、固定の"
                         "解除は同時に指定できません。")
    pinned = imports.read_pinned_jwks(anchor_jwks) if anchor_jwks is not None else None
    anchor = anchor.rstrip("/")
    with runtime.transaction() as session:
        principal = actor.require(Action.KEYS_MANAGE)
        if pinned is None and not unpin and not pin_current:
            pinned = store.pinned(session, url=anchor)
    now = runtime.now()
    bounds = limits(runtime)
    with _refusal_audited(runtime, principal.subject, anchor, "oidf"):
        if pin_current:
            current = read_configuration(anchor, fetch=fetch, now=now).claims["jwks"]
            pinned = imports.read_pinned_jwks(current)
        label, read = _read_federation(anchor, pinned, fetch, post_form, bounds, progress)
    return _keep(runtime, actor=actor, url=anchor, kind="oidf",
                 name=dict(names) if names else label, valid_until=read.valid_until,
                 providers=read.providers, now=now, pinned_jwks=pinned, listed=read.listed,
                 stopped=read.stopped)


def read_configuration(entity_id: str, *, fetch: Fetch, now: dt.datetime,
                       jwks: Mapping[str, Any] | None = None) -> statements.Statement:
    """The entity configuration of ``entity_id``, fetched: about itself, current and signed
    with ``jwks`` (pinned: with one of those keys), else its own keys, self-signed."""
    configuration = statements.read(RemoteStatements(fetch).configuration(entity_id),
                                    typ=statements.ENTITY_STATEMENT)
    if not configuration.is_configuration or configuration.sub != entity_id:
        raise TrustChainError(f"{entity_id} serves {configuration.describe()} as its "
                              "configuration.", reason="wrong-subject")
    statements.check_entity_statement(configuration)
    statements.check_times(configuration, now)
    if jwks:
        imports.require_pinned(configuration, jwks)
    statements.verify(configuration, jwks or configuration.claims["jwks"])
    return configuration


def read_providers(
    configuration: statements.Statement,
    *,
    jwks: Mapping[str, Any],
    fetch: Fetch,
    limits: Limits,
    post_form: PostForm = post_form_to,
    list_required: bool = True,
    pinned: bool = False,
    progress: Progress = _unseen,
) -> Read:
    """The subordinates of the federation whose top is ``configuration`` (an anchor, or an
    intermediate read as the top of its own federation), each chain validated under
    ``jwks``: the end of the chains' validity and the providers — all listed, or those read
    whole when ``limits`` stopped the walk (said in :attr:`Read.stopped`); any refusal
    refuses all. With ``list_required`` false, an entity that names no list endpoint has no
    providers; with ``pinned``, each statement the top makes must be signed with a key of
    ``jwks``; ``progress`` is told after each subordinate how many of the listed are read."""
    top = configuration.sub
    entity = (configuration.claims.get("metadata") or {}).get("federation_entity") or {}
    endpoint = entity.get("federation_list_endpoint")
    if not isinstance(endpoint, str):
        if list_required:
            raise TrustChainError(f"{top} names no list endpoint.", reason="registry-garbage")
        return Read(configuration.expires, [], 0)
    fetch_in_time, post_in_time = _until_deadline(fetch, post_form, limits)
    source = RemoteStatements(fetch_in_time)
    mark_status = _mark_status(entity.get("federation_trust_mark_status_endpoint"), jwks,
                               post_in_time, limits.clock)
    providers: list[ImportedProvider] = []
    ends = [configuration.expires]
    listed = _subordinates(_fetched(fetch, endpoint), endpoint)
    subjects = listed[:limits.most]
    stopped = LIMIT if len(listed) > limits.most else None
    progress(0, len(subjects))
    for done, subject in enumerate(subjects, start=1):
        try:
            # Each configuration is judged as it comes, the chain once it is all fetched.
            tokens = chains.collect(subject, anchors=[top], source=source, now=limits.clock())
            if pinned:
                for token in tokens:
                    found = statements.read(token, typ=statements.ENTITY_STATEMENT)
                    if found.iss == top:
                        imports.require_pinned(found, jwks)
            chain = chains.validate(tokens, anchor=top, anchor_jwks=jwks, now=limits.clock(),
                                    mark_status=mark_status)
        except TrustChainError as refusal:
            raise TrustChainError(f"{subject}: {refusal.message}", reason=refusal.reason
                                  ) from None
        except _TimeUp:
            stopped = DEADLINE
            break
        providers.append(imports.from_chain(chain))
        ends.append(chain.expires)
        progress(done, len(subjects))
    return Read(min(ends), providers, len(listed), stopped)


def _read_federation(
    anchor: str,
    anchor_jwks: Mapping[str, Any] | None,
    fetch: Fetch,
    post_form: PostForm,
    limits: Limits,
    progress: Progress = _unseen,
) -> tuple[dict[str, str], Read]:
    """The anchor's names and what :func:`read_providers` read of its list."""
    configuration = read_configuration(anchor, fetch=fetch, now=limits.clock(),
                                       jwks=anchor_jwks)
    jwks = anchor_jwks or configuration.claims["jwks"]
    read = read_providers(configuration, jwks=jwks, fetch=fetch, limits=limits,
                          post_form=post_form, pinned=bool(anchor_jwks), progress=progress)
    return entity_names(configuration.claims, anchor), read


def import_ctdl(
    runtime: Runtime,
    *,
    actor: Actor,
    url: str,
    names: Mapping[str, str] | None = None,
    document: bytes | None = None,
    fetch: Fetch = fetch_bytes,
    progress: Progress = _unseen,
) -> Source:
    """Import the organisations and programmes of the CTDL graph at ``url`` (or its
    ``document`` as read from a file ``url`` names); ``names`` label it (else its host)."""
    with runtime.transaction():
        principal = actor.require(Action.KEYS_MANAGE)
    now = runtime.now()
    with _refusal_audited(runtime, principal.subject, url, "ctdl"):
        body = document if document is not None else _fetched(fetch, url)
        try:
            data = json.loads(body)
        except ValueError:
            raise TrustChainError(f"{url} is not JSON.", reason="registry-garbage") from None
        providers = imports.from_ctdl(data, source=url)
    # A graph is read whole: its organisations are all read at once.
    progress(len(providers), len(providers))
    label = dict(names) if names else {"en": urlsplit(url).hostname or url}
    return _keep(runtime, actor=actor, url=url, kind="ctdl", name=label, valid_until=None,
                 providers=providers, now=now)


def forget(runtime: Runtime, *, actor: Actor, url: str) -> Source:
    """Remove source ``url`` and every provider it listed."""
    secret = runtime.key()
    now = runtime.now()
    with runtime.transaction() as session:
        principal = actor.require(Action.KEYS_MANAGE)
        found = next((item for item in store.sources(session)
                      if item.url in (url, url.rstrip("/"))), None)
        if found is None:
            raise NotFoundError(f"No registry was imported from {url}; "
                                "`credstack federation sources` lists those that were.")
        if found.kind == MEMBER:
            raise InputError(f"{found.url} is an intermediate entity of this registry: "
                             "`credstack federation intermediates remove` removes it. / "
                             f"{found.url} はこの登録簿の中間エンティティです。`credstack "
                             "federation intermediates remove` で削除します。")
        store.forget(session, url=found.url)
        audit.record(session, at=now, actor=principal.subject,
                     action="federation.source.forgotten",
                     subject=f"federation-source:{found.url}", key=secret,
                     details={"kind": found.kind})
    return found


def sources(runtime: Runtime, *, with_providers: bool = False) -> list[Source]:
    """Every imported registry (public: what the registry pages show); the intermediate
    entities' providers are not imported and are left out."""
    with runtime.transaction() as session:
        return [item for item in store.sources(session, with_providers=with_providers)
                if item.kind != MEMBER]


def kept_sources(runtime: Runtime, *, actor: Actor) -> list[Source]:
    """Every source with its providers, the intermediates' included, with the refusal of its
    last refresh (what an operator manages: ``/console/federation``)."""
    with runtime.transaction() as session:
        actor.require(Action.KEYS_MANAGE)
        return store.sources(session, with_providers=True)


def member_providers(runtime: Runtime) -> list[tuple[Source, ImportedProvider]]:
    """The providers the intermediate entities list, each with its intermediate's source,
    while their statements are valid."""
    now = runtime.now()
    with runtime.transaction() as session:
        found = store.sources(session, with_providers=True)
    return [(source, provider) for source in found if source.kind == MEMBER
            and (source.valid_until is None or now < source.valid_until)
            for provider in source.providers]


def _label(name: Mapping[str, str], kind: str) -> dict[str, str]:
    ja = name.get("ja") or name.get("en") or ""
    en = name.get("en") or name.get("ja") or ""
    if kind == MEMBER:
        return {"ja": f"{ja}、この登録簿の中間エンティティ",
                "en": f"{en}, an intermediate entity of this registry"}
    return {"ja": f"{ja} の登録簿より取り込み", "en": f"listed by {en}, imported"}


def _listings_of(runtime: Runtime, did: str) -> list[tuple[Source, ImportedProvider]]:
    with runtime.transaction() as session:
        return store.listings_of(session, did=did)


def listings_for(runtime: Runtime, *, did: str) -> tuple[list[Listing], list[tuple[str, str]]]:
    """The imported registries that list ``did``, as trust-check listings labelled "listed by
    <source>"; an import past its validity is reported unchecked instead."""
    now = runtime.now()
    # Asked at every verification: read from the store at most once a moment per DID
    # (:mod:`~credstack.services.freshness`; an import through this process is seen at once).
    found = freshness.recent(runtime, "federation.listings", did,
                             lambda: _listings_of(runtime, did))
    listings: list[Listing] = []
    unchecked: list[tuple[str, str]] = []
    for source, provider in found:
        registry = source.name.get("en") or source.url
        if source.valid_until is not None and source.valid_until <= now:
            unchecked.append((registry, f"imported on {source.fetched_at:%Y-%m-%d}, "
                                        f"valid until {source.valid_until:%Y-%m-%d %H:%M} UTC"))
            continue
        member = source.kind == MEMBER
        listings.append(Listing(
            registry, dict(provider.name), provider.url, provider.country,
            tuple(item.id for item in provider.programmes), recognised=provider.recognised,
            registry_names=_label(source.name, source.kind),
            imported_from=None if member else source.url,
            intermediate=source.url if member else None,
        ))
    return listings, unchecked
