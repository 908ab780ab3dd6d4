"""The verifier's seams, and :func:`verify` for the adapters.

The verification pipeline (:mod:`credstack.core.verification`) does no I/O and reads no
clock: its seams are parameters. :class:`VerificationSources` holds the ones that depend on
the deployment — built from :class:`~credstack.settings.Settings` and a session factory, it
reads credstack's *own* organisations and programmes from the store — and :func:`verify`
falls back to the network-only functions of :mod:`credstack.services.public_verification`
(re-exported here) when it is given none; it counts each verification in the server's
metrics:

* ``document_loader`` — the bundled JSON-LD contexts plus credstack's own extension context
  (:data:`~credstack.core.credentials.openbadges_v3.EXTENSION_CONTEXT_URL`). Made once, so its
  caches stay warm. Nothing is ever fetched.
* ``resolve_verification_method`` — ``did:key`` and ``did:jwk`` are resolved locally (the
  pipeline does it before asking; it is handled here too, for completeness). ``did:web`` methods of
  credstack's own organisations (``did:web:<public url>:organisations:<slug>``, with
  :class:`VerificationSources`) are read from the store — the same document
  ``/organisations/<slug>/did.json`` serves — and never fetched. Every other ``did:web``, and
  every method named by an HTTPS URL (its controller document, Controlled Identifiers v1.0),
  is fetched by :class:`~credstack.adapters.resolvers.did_web.DidWebResolver` (HTTPS, a
  timeout, a size limit, public hosts only, ``CREDSTACK_DID_WEB_ALLOW``; documents cached
  five minutes), and its method must be an ``assertionMethod`` of its controller. Other DID
  methods fail with :class:`VerificationMethodUnavailableError`. A method that cannot be
  resolved fails the proof check with the reason; it never passes.
* ``fetch_status_list`` — status list credentials fetched with :func:`fetch_bytes`: HTTPS
  only, a 5 s timeout, at most 1 MiB, no redirects, public addresses only. Loopback hosts
  (``127.0.0.1``, ``::1``, ``localhost``) are allowed, over HTTP too, only when
  ``CREDSTACK_ALLOW_LOOPBACK_FETCH=1`` (tests). The pipeline verifies the list's proof and
  issuer; a list that cannot be fetched fails the status check. credstack's own lists are not
  read from the store yet: :meth:`VerificationSources.fetch_status_list` is the place for it.
* ``programme_lookup`` — with :class:`VerificationSources`, an achievement id credstack
  issues (``<public url>/achievements/<programme id>/v<version>``) is looked up in the
  registry; ``meaning.registry`` is then its :meth:`~VerificationSources.programme_lookup`
  record. Without sources (:func:`no_registry`) it is always ``None``.
* ``recognition_lookup`` — with :class:`VerificationSources`, the recognitions of one of
  credstack's achievements, each with its endorsement credential, read from the store
  (:meth:`~VerificationSources.recognitions`); the ``recognition`` step verifies each
  endorsement with these same seams. Without sources there is none, and a credential gets
  no ``recognition`` check.
* ``now`` — the UTC time when :func:`verify` is called.

**Offline.** With ``offline`` (``credstack verify --offline``; for a server, the setting
``CREDSTACK_VERIFY_OFFLINE``, which :meth:`VerificationSources.from_settings` reads) nothing
is fetched: a did:web or HTTPS verification method and a status list that would be fetched
raise :class:`~credstack.errors.OutOfReachError` (``why = "offline"``) instead, and the
checks that needed them are "could not be checked". did:key and did:jwk keys, and this
deployment's own organisations' keys and status lists (read from the store), still verify.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable, Iterable, Mapping, MutableMapping, Sequence
from functools import cache
from typing import Any, Final, Self

from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.db.repositories import organisations as organisation_store
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.transactions import Session
from credstack.adapters.resolvers.did_web import DidWebResolver
from credstack.core.dids import did_web
from credstack.core.verification import CheckStep, VerificationKey, VerificationReport
from credstack.core.verification.given_keys import GivenKeys
from credstack.core.verification.presentations import PresentationReport
from credstack.errors import DidDocumentError, NotFoundError
from credstack.services import issuance, recognitions
from credstack.services import operations as metrics
from credstack.services import public_verification as public
from credstack.services.public_verification import (
    fetch_nothing,
    fetch_status_list,
    resolve_offline,
    resolve_remote,
    seams,
    shared_did_web_resolver,
)
from credstack.services.runtime import Runtime, utc_now
from credstack.settings import Settings

__all__ = ["VerificationSources", "seams", "verify", "verify_presentation"]

#: The largest programme id or version number an achievement id can name (a 32-bit integer
#: column); a bigger number is not one of credstack's achievements.
_MAX_ROW_NUMBER: Final = 2**31 - 1
_ACHIEVEMENT_PATH = re.compile(r"([1-9][0-9]{0,9})/v([1-9][0-9]{0,9})")

# --- the seams ------------------------------------------------------------------------------

@cache
def own_dids(public_url: str) -> tuple[str, str]:
    """The did:web of a deployment's ``public_url`` and the prefix of its organisations'
    DIDs (``<did>:organisations:``): worked out once per process, not per verification."""
    return did_web.did_for(public_url), did_web.did_for(public_url, ["organisations"]) + ":"


class VerificationSources:
    """The seams that know this deployment: its own DIDs and registry in the store.

    ``public_url`` names what is credstack's own (its organisations' did:web DIDs and its
    achievement ids); ``sessions`` opens a session on the store, one per lookup. Everything
    else goes over the network, with ``did_web_resolver`` (by default the process-wide one
    for the hosts in ``allow``). Safe to share between threads; cheap to build per request.
    """

    def __init__(self, *, public_url: str, sessions: Callable[[], Session],
                 did_web_resolver: DidWebResolver | None = None,
                 allow: Iterable[str] = (),
                 own_status_list: Callable[[str], Mapping[str, Any] | None] | None = None,
                 offline: bool = False) -> None:
        self.public_url = public_url.rstrip("/")
        #: Fetch nothing: what is not this deployment's own is out of reach.
        self.offline = offline
        self._sessions = sessions
        #: Reads one of our own status list credentials from the store (``None``: not found).
        self._own_status_list = own_status_list
        self._status_lists = f"{self.public_url}/status-lists/"
        self._did_web = did_web_resolver or shared_did_web_resolver(tuple(sorted(set(allow))))
        #: Every DID under the public address is ours: organisations' DIDs add one segment.
        self._own_did, self._organisations = own_dids(self.public_url)
        self._achievements = f"{self.public_url}/achievements/"

    @classmethod
    def from_settings(cls, settings: Settings, sessions: Callable[[], Session], *,
                      clock: Callable[[], dt.datetime] = utc_now,
                      offline: bool | None = None) -> Self:
        """The sources of a deployment: its public URL, its store (keys, status lists,
        registry), its did:web allow-list; ``clock`` dates the status lists it signs.
        ``offline`` (default: ``CREDSTACK_VERIFY_OFFLINE``) fetches nothing."""
        def own_status_list(url: str) -> Mapping[str, Any] | None:
            return issuance.own_status_list(sessions, settings=settings, url=url, now=clock())

        return cls(public_url=settings.public_url, sessions=sessions,
                   allow=settings.did_web_allow, own_status_list=own_status_list,
                   offline=settings.verify_offline if offline is None else offline)

    @classmethod
    def for_runtime(cls, runtime: Runtime, *, offline: bool | None = None) -> Self:
        """The sources of the deployment ``runtime`` runs, on its store and its clock."""
        return cls.from_settings(runtime.settings, runtime.sessions, clock=runtime.clock,
                                 offline=offline)

    #: Proofs that verified, kept between verifications (``None`` here: none are kept; see
    #: :class:`~credstack.services.verification.caches.CachedSources`).
    proof_memo: MutableMapping[Hashable, Any] | None = None

    def resolve_verification_method(self, method: str) -> tuple[VerificationKey, str]:
        """Our organisations' did:web methods from the store; others as :func:`verify` does
        (offline: did:key and did:jwk only)."""
        did = method.partition("#")[0]
        if did != self._own_did and not did.startswith(self._own_did + ":"):
            if self.offline:
                return resolve_offline(method)
            return resolve_remote(method, self._did_web)
        slug = did.removeprefix(self._organisations)
        if not did.startswith(self._organisations) or not slug or ":" in slug:
            # Under our own address, but not an organisation's DID: nobody serves it, and
            # fetching from ourselves would only find that out more slowly.
            raise DidDocumentError(
                f"{did} is under this credstack's address ({self.public_url}) but is not the "
                "DID of one of its organisations")
        with self._sessions() as session:
            try:
                document = key_store.did_document(session, organisation=slug,
                                                  public_url=self.public_url)
            except NotFoundError as exc:
                raise DidDocumentError(
                    f"{did} is a DID of this credstack, but it has no DID document: "
                    f"{exc.message}") from None
        found = did_web.assertion_method(document, method)
        return found.public_key, found.controller

    def fetch_status_list(self, url: str) -> Mapping[str, Any] | None:
        """The status list credential at ``url``: ours from the store (signed again if it
        changed), anyone else's fetched over HTTPS."""
        if self._own_status_list is not None and url.startswith(self._status_lists):
            return self._own_status_list(url)
        if self.offline:
            return fetch_nothing(url)
        return fetch_status_list(url)

    def _programme_version(self, achievement_id: str) -> tuple[int, int] | None:
        """(programme id, version) an achievement id of ours names; ``None`` for any other."""
        if not achievement_id.startswith(self._achievements):
            return None
        match = _ACHIEVEMENT_PATH.fullmatch(achievement_id.removeprefix(self._achievements))
        if match is None:
            return None
        programme_id, version = int(match[1]), int(match[2])
        if programme_id > _MAX_ROW_NUMBER or version > _MAX_ROW_NUMBER:
            return None
        return programme_id, version

    def recognitions(self, achievement_id: str) -> Sequence[Mapping[str, Any]] | None:
        """The recognitions of one of credstack's programme versions, each with its
        endorsement credential (see :class:`~credstack.core.verification.RecognitionLookup`);
        ``None`` for an achievement that is not one of this registry's."""
        found = self._programme_version(achievement_id)
        if found is None or self.programme_lookup(achievement_id) is None:
            return None
        with self._sessions() as session:
            return recognitions.endorsements_for(session, programme_id=found[0],
                                                 version=found[1], public_url=self.public_url)

    def _own_slug(self, did: str) -> str | None:
        """The slug of the organisation of ours whose DID ``did`` is; ``None`` for any other."""
        slug = did.removeprefix(self._organisations)
        if not did.startswith(self._organisations) or not slug or ":" in slug:
            return None
        return slug

    def organisation_names(self, did: str) -> Mapping[str, str] | None:
        """The names by language of the organisation of ours whose DID ``did`` is; ``None``
        for any other DID (never fetched: another deployment's names are what its
        credentials state)."""
        slug = self._own_slug(did)
        if slug is None:
            return None
        with self._sessions() as session:
            organisation = organisation_store.find_row(session, slug)
        return dict(organisation.name) if organisation is not None else None

    def programme_lookup(self, achievement_id: str) -> Mapping[str, Any] | None:
        """The registry record of one of credstack's achievement ids; ``None`` for any other.

        ``<public url>/achievements/<programme id>/v<version>`` names a programme version;
        the record says which, its status and title, the organisation's slug, names (by
        language) and DID, where to read it, and whether it is the newest version. An id of
        ours naming a programme or version that does not exist is unknown (``None``) like a
        foreign one.
        """
        named = self._programme_version(achievement_id)
        if named is None:
            return None
        programme_id, version = named
        with self._sessions() as session:
            try:
                stored = programme_store.get_programme(session, programme_id=programme_id)
                found = (stored.latest if stored.latest.version == version else
                         programme_store.get_version(session, programme_id=programme_id,
                                                     version=version))
            except NotFoundError:
                return None
            organisation = organisation_store.find_row(session, stored.organisation_slug)
        title = found.programme.title
        return {
            "id": achievement_id,
            "programme_id": stored.id,
            "organisation": stored.organisation_slug,
            "organisation_name": dict(organisation.name) if organisation is not None else None,
            "organisation_did": key_store.organisation_did(self.public_url,
                                                           stored.organisation_slug),
            "code": stored.code,
            "version": found.version,
            "status": found.status.value,
            "title": dict(title.root) if title is not None else None,
            "page_url": f"{self.public_url}/programmes/{stored.id}",
            "api_url": f"{self.public_url}/api/programmes/{stored.id}/versions/{found.version}",
            "is_latest": found.version == stored.latest.version,
            "latest_version": stored.latest.version,
        }


def verify(data: bytes | str | Mapping[str, Any], *,
           checks: Sequence[CheckStep] | None = None,
           now: dt.datetime | None = None,
           sources: VerificationSources | None = None,
           strict: bool = False, offline: bool = False,
           keys: GivenKeys | None = None) -> VerificationReport:
    """:func:`credstack.services.public_verification.verify`, with this deployment's
    ``sources`` when given, counted in the server's metrics."""
    return public.verify(data, checks=checks, now=now, sources=sources, strict=strict,
                         offline=offline, count=metrics.count_verification, keys=keys)


def verify_presentation(presentation: bytes | str | Mapping[str, Any], *,
                        challenge: str | None, domain: str | None,
                        checks: Sequence[CheckStep] | None, now: dt.datetime,
                        sources: VerificationSources | None,
                        strict: bool = False, offline: bool = False,
                        keys: GivenKeys | None = None) -> PresentationReport:
    """:func:`credstack.services.public_verification.verify_presentation`, each credential
    it holds counted in the server's metrics."""
    return public.verify_presentation(presentation, challenge=challenge, domain=domain,
                                      checks=checks, now=now, sources=sources, strict=strict,
                                      offline=offline, count=metrics.count_verification,
                                      keys=keys)
