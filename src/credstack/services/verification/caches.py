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
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator, Mapping, MutableMapping
from typing import Any, Final

from cachetools import LRUCache

from credstack.adapters.db.repositories import keys as key_store
from credstack.core.dids import did_web
from credstack.core.verification import VerificationKey
from credstack.errors import NotFoundError
from credstack.services import freshness, issuance
from credstack.services.runtime import Runtime
from credstack.services.verification.service import VerificationSources

__all__ = ["CachedSources"]

#: Documents kept per kind (a status list credential is some 20 KB).
ENTRIES: Final = 256
#: Proofs that verified, kept (a few hundred bytes each).
PROOFS: Final = 8192


def _kept(runtime: Runtime, kind: str, key: Hashable, make: Callable[[], Any]) -> Any:
    cache, lock = runtime.caches.setdefault(f"verification.{kind}",
                                            (LRUCache(ENTRIES), threading.Lock()))
    with lock:
        found = cache.get(key)
    if found is None:
        found = make()
        if found is not None:
            with lock:
                cache[key] = found
    return found


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
        #: What this verification has read already (one is made per verification): a
        #: slot's generation (its revocation and suspension lists change together).
        self._generations: dict[str, Any] = {}
        self.proof_memo = runtime.caches.setdefault("verification.proofs",
                                                    SharedMemo(PROOFS))

    def _status_list(self, url: str) -> Mapping[str, Any] | None:
        runtime = self._runtime
        slot = url.rpartition("/")[0]
        if slot not in self._generations:
            self._generations[slot] = freshness.recent(
                runtime, "own-status-lists", url, lambda: issuance.own_list_generation(
                    runtime.sessions, settings=runtime.settings, url=url))
        generation = self._generations[slot]
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
