"""Verification's sources with this deployment's own documents kept by generation.

Verifying one of credstack's credentials reads two of its own documents from the store: the
issuer's DID document (for the key of the proof) and the status lists the credential names.
Both are kept in the runtime's caches (``runtime.caches``; bounded, shared by the threads)
under a key of what makes them, read from the store by one light query at most once a moment
(:mod:`credstack.services.freshness`):

* a status list by the moment it last changed — a revocation moves it, so the next
  verification in this process reads the new list at once, and one in another process
  within :data:`~credstack.services.freshness.FRESH_SECONDS`;
* an organisation's DID document by its key stamp (keys made, the newest, keys retired),
  and each of its methods as resolved from it (the key and its controller) by the same.

And the proofs that verified are remembered (:attr:`CachedSources.proof_memo`, bounded): a
credential verified again — the same bytes, the same keys its methods resolve to now — has
its signature checked once, while its dates, its issuer and its status (read by the list's
generation) are checked every time.

Everything else is as :class:`~credstack.services.verification.service.VerificationSources`
does it.

:class:`KeptSources` answers from what is kept and nothing else: whatever it would have to
read from the store, fetch, or check afresh (a proof not remembered) raises
:class:`WouldWait`. A server verifies with it first on its event loop, and in a thread only
when it raised: handing a verification to a thread and back cost about as much as the
verification of a remembered proof.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator, Mapping, MutableMapping, Sequence
from typing import Any, Final

from cachetools import LRUCache

from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.waiting import WouldWait, without_waiting
from credstack.core.dids import did_web
from credstack.core.verification import VerificationKey
from credstack.core.verification.methods import resolve_locally
from credstack.errors import NotFoundError
from credstack.services import freshness, issuance, programmes
from credstack.services.runtime import Runtime
from credstack.services.verification.service import VerificationSources

# What a caller verifying with KeptSources catches, and runs it in (the web may not reach
# the adapters itself).
__all__ = ["CachedSources", "KeptSources", "WouldWait", "without_waiting"]

#: Documents kept per kind (a status list credential is some 20 KB).
ENTRIES: Final = 256
#: Proofs that verified, kept (a few hundred bytes each).
PROOFS: Final = 8192


def _kept(runtime: Runtime, kind: str, key: Hashable, make: Callable[[], Any]) -> Any:
    name = f"verification.{kind}"
    found = runtime.caches.get(name)
    cache, lock = found if found is not None else runtime.caches.setdefault(
        name, (LRUCache(ENTRIES), threading.Lock()))
    with lock:
        found = cache.get(key)
    if found is None:
        found = make()
        if found is not None:
            with lock:
                cache[key] = found
    return found


def _kept_only_or_none(runtime: Runtime, kind: str, key: Hashable) -> Any:
    try:
        return _kept_only(runtime, kind, key)
    except WouldWait:
        return None


def _keep(runtime: Runtime, kind: str, key: Hashable, value: Any) -> None:
    _kept(runtime, kind, key, lambda: value)


def _would_block(*_: object) -> Any:
    raise WouldWait


def _kept_only(runtime: Runtime, kind: str, key: Hashable) -> Any:
    found = runtime.caches.get(f"verification.{kind}")
    if found is None:
        raise WouldWait
    cache, lock = found
    with lock:
        kept = cache.get(key)
    if kept is None:
        raise WouldWait
    return kept


class _RememberedOnly(MutableMapping[Hashable, Any]):
    """A memo read as it is: a key it lacks (a proof to check afresh) is :class:`WouldWait`."""

    def __init__(self, memo: MutableMapping[Hashable, Any]) -> None:
        self._memo = memo

    def __getitem__(self, key: Hashable) -> Any:
        try:
            return self._memo[key]
        except KeyError:
            raise WouldWait from None

    def __setitem__(self, key: Hashable, value: Any) -> None:
        self._memo[key] = value

    def __delitem__(self, key: Hashable) -> None:
        del self._memo[key]

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._memo)

    def __len__(self) -> int:
        return len(self._memo)


class SharedMemo(MutableMapping[Hashable, Any]):
    """A bounded LRU mapping that the threads of a process share (each access locked)."""

    def __init__(self, entries: int) -> None:
        self._cache: LRUCache[Hashable, Any] = LRUCache(entries)
        self._lock = threading.Lock()

    def __getitem__(self, key: Hashable) -> Any:
        with self._lock:
            return self._cache[key]

    def __setitem__(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._cache[key] = value

    def __delitem__(self, key: Hashable) -> None:
        with self._lock:
            del self._cache[key]

    def __iter__(self) -> Iterator[Hashable]:
        with self._lock:
            return iter(list(self._cache))

    def __len__(self) -> int:
        return len(self._cache)


class CachedSources(VerificationSources):
    """The deployment's sources, its own status lists and DID documents cached by
    generation in ``runtime``'s caches; made for one verification."""

    def __init__(self, runtime: Runtime) -> None:
        # Offline as the deployment says (CREDSTACK_VERIFY_OFFLINE): its own lists and
        # documents are read from the store, nothing else is fetched.
        super().__init__(public_url=runtime.settings.public_url, sessions=runtime.sessions,
                         allow=runtime.settings.did_web_allow,
                         own_status_list=self._status_list,
                         offline=runtime.settings.verify_offline)
        self._runtime = runtime
        shared = runtime.caches.get("verification.proofs")
        self.shared_proofs: MutableMapping[Hashable, Any] = (
            shared if shared is not None
            else runtime.caches.setdefault("verification.proofs", SharedMemo(PROOFS)))
        self.proof_memo = self.shared_proofs

    def _status_list(self, url: str) -> Mapping[str, Any] | None:
        runtime = self._runtime
        generation = freshness.recent(
            runtime, "own-status-lists", url, lambda: issuance.own_list_generation(
                runtime.sessions, settings=runtime.settings, url=url))
        if generation is None:
            return None
        found: Mapping[str, Any] | None = _kept(
            runtime, "status-lists", (url, generation),
            lambda: issuance.own_status_list(runtime.sessions, settings=runtime.settings,
                                             url=url, now=runtime.now()))
        return found

    def _own_method(self, slug: str, method: str) -> tuple[VerificationKey, str]:
        """An organisation's method (its key and controller), kept by the organisation's key
        stamp: read from its DID document once per stamp, not once per verification."""
        runtime = self._runtime

        def stamp() -> object:
            with runtime.sessions() as session:
                return key_store.key_stamp(session, organisation=slug)

        def document() -> dict[str, Any]:
            with runtime.sessions() as session:
                return key_store.did_document(session, organisation=slug,
                                              public_url=self.public_url)

        def read(generation: object) -> tuple[VerificationKey, str]:
            found = did_web.assertion_method(
                _kept(runtime, "did-documents", (slug, generation), document), method)
            return found.public_key, found.controller

        generation = freshness.recent(runtime, "key-stamps", slug, stamp)
        resolved: tuple[VerificationKey, str] = _kept(runtime, "methods", (method, generation),
                                                      lambda: read(generation))
        return resolved

    def programme_lookup(self, achievement_id: str) -> Mapping[str, Any] | None:
        """The registry record of one of credstack's achievements, kept by the programme
        pages' generation (which moves with every publication, new version, organisation
        change and recognition decision) unless it names a draft, which changes in place and
        is read every time; any other id is nobody's, as before."""
        if not achievement_id.startswith(self._achievements):
            return None
        key = (achievement_id, programmes.page_generation(self._runtime))
        kept: Mapping[str, Any] | None = _kept_only_or_none(self._runtime, "programmes", key)
        if kept is not None:
            return kept
        found = super().programme_lookup(achievement_id)
        if found is not None and found["status"] != "draft":
            _keep(self._runtime, "programmes", key, found)
        return found

    def organisation_names(self, did: str) -> Mapping[str, str] | None:
        """An organisation of ours' names, kept by the programme pages' generation (which
        moves with every organisation change); any other DID is nobody's."""
        if self._own_slug(did) is None:
            return None
        found: Mapping[str, str] | None = _kept(
            self._runtime, "organisation-names", (did, programmes.page_generation(self._runtime)),
            lambda: super(CachedSources, self).organisation_names(did))
        return found

    def recognitions(self, achievement_id: str) -> Sequence[Mapping[str, Any]] | None:
        """The recognitions of one of credstack's programme versions, kept by the same
        generation (a decision or a withdrawal moves it; their dates are checked at each
        verification)."""
        if not achievement_id.startswith(self._achievements):
            return None
        generation = programmes.page_generation(self._runtime)
        found: Sequence[Mapping[str, Any]] | None = _kept(
            self._runtime, "recognitions", (achievement_id, generation),
            lambda: super(CachedSources, self).recognitions(achievement_id))
        return found

    def resolve_verification_method(self, method: str) -> tuple[VerificationKey, str]:
        """An organisation's own method from its cached DID document; any other as
        :class:`VerificationSources` resolves it."""
        did = method.partition("#")[0]
        slug = did.removeprefix(self._organisations)
        if not did.startswith(self._organisations) or not slug or ":" in slug:
            return super().resolve_verification_method(method)
        try:
            return self._own_method(slug, method)
        except NotFoundError:
            return super().resolve_verification_method(method)


class KeptSources(CachedSources):
    """:class:`CachedSources` answering only from what the runtime keeps: its own status
    lists and methods by a generation read a moment ago, proofs that verified before,
    ``did:key`` and ``did:jwk`` methods (resolved from the DID itself). Anything else — a
    read of the store, a fetch, a proof to check — raises :class:`WouldWait`, never an
    error of the credential: the caller verifies it again with :class:`CachedSources`."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self._sessions = _would_block
        self.proof_memo = _RememberedOnly(self.shared_proofs)

    def _status_list(self, url: str) -> Mapping[str, Any] | None:
        generation = freshness.known(self._runtime, "own-status-lists", url)
        if generation is None:
            raise WouldWait
        found: Mapping[str, Any] = _kept_only(self._runtime, "status-lists", (url, generation))
        return found

    def _own_method(self, slug: str, method: str) -> tuple[VerificationKey, str]:
        generation = freshness.known(self._runtime, "key-stamps", slug)
        if generation is None:
            raise WouldWait
        resolved: tuple[VerificationKey, str] = _kept_only(self._runtime, "methods",
                                                           (method, generation))
        return resolved

    def programme_lookup(self, achievement_id: str) -> Mapping[str, Any] | None:
        if not achievement_id.startswith(self._achievements):
            return None
        found: Mapping[str, Any] = _kept_only(self._runtime, "programmes",
                                              (achievement_id, self._page_generation()))
        return found

    def organisation_names(self, did: str) -> Mapping[str, str] | None:
        if self._own_slug(did) is None:
            return None
        found: Mapping[str, str] = _kept_only(self._runtime, "organisation-names",
                                              (did, self._page_generation()))
        return found

    def recognitions(self, achievement_id: str) -> Sequence[Mapping[str, Any]] | None:
        if not achievement_id.startswith(self._achievements):
            return None
        found: Sequence[Mapping[str, Any]] = _kept_only(
            self._runtime, "recognitions", (achievement_id, self._page_generation()))
        return found

    def _page_generation(self) -> tuple[str, ...]:
        generation = programmes.known_page_generation(self._runtime)
        if generation is None:
            raise WouldWait
        return generation

    def resolve_verification_method(self, method: str) -> tuple[VerificationKey, str]:
        did = method.partition("#")[0]
        slug = did.removeprefix(self._organisations)
        if did.startswith(self._organisations) and slug and ":" not in slug:
            return self._own_method(slug, method)
        local = resolve_locally(method)
        if local is None:
            raise WouldWait
        return local

    def fetch_status_list(self, url: str) -> Mapping[str, Any] | None:
        if url.startswith(self._status_lists):
            return self._status_list(url)
        raise WouldWait
