"""Verifying Open Badges 2.0 assertions: hosted (fetched, or read from this deployment's own
store) and signed (JWS).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, Final, Self
from urllib.parse import parse_qs, urlsplit

from credstack.adapters.db.transactions import Session
from credstack.adapters.resolvers.contexts import shared_document_loader
from credstack.adapters.resolvers.fetch import fetch_bytes
from credstack.core.verification import MAX_CREDENTIAL_BYTES, VerificationReport
from credstack.core.verification.openbadges_v2 import verify_badge
from credstack.errors import FetchError, NotFoundError
from credstack.services import verification
from credstack.services.openbadges_v2.service import (
    MAX_REDIRECTS,
    badge_class,
    hosted_assertion,
    issuer_profile,
    key_document,
    revocation_list,
)
from credstack.services.runtime import utc_now
from credstack.settings import Settings
from credstack.words import words

_OWN: Final = re.compile(
    r"/ob2/(?:issuers/(?P<organisation>[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)"
    r"(?:/keys/(?P<fragment>[A-Za-z0-9-]{1,32})|(?P<revocations>/revocations))?"
    r"|badges/(?P<programme>[1-9][0-9]{0,9})/v(?P<version>[1-9][0-9]{0,9})"
    r"|assertions/(?P<assertion>[0-9a-fA-F-]{36}))")


def own_document(session: Session, *, url: str, public_url: str,
                 contact_email: str | None) -> bytes | None:
    """The body this deployment serves at one of its ``/ob2/…`` URLs (None: nothing there).

    A revoked hosted assertion is its 410 body (``revoked: true``), which the verifier reads
    as revoked, as it would over HTTP.
    """
    parts = urlsplit(url)
    path = url.split("?", 1)[0].split("#", 1)[0].removeprefix(public_url)
    match = _OWN.fullmatch(path)
    if not url.startswith(public_url) or match is None:
        return None
    language = (parse_qs(parts.query).get("language") or ["ja"])[0]
    try:
        if match["assertion"]:
            document = hosted_assertion(session, credential=match["assertion"],
                                        public_url=public_url).document
        elif match["programme"]:
            document = badge_class(session, programme_id=int(match["programme"]),
                                   version=int(match["version"]), public_url=public_url,
                                   language=language)
        elif match["fragment"]:
            document = key_document(session, organisation=match["organisation"],
                                    fragment=match["fragment"], public_url=public_url)
        elif match["revocations"]:
            document = revocation_list(session, organisation=match["organisation"],
                                       public_url=public_url)
        else:
            document = issuer_profile(session, organisation=match["organisation"],
                                      public_url=public_url, contact_email=contact_email,
                                      language=language)
    except NotFoundError:
        return None
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def fetch_document(url: str) -> bytes | None:
    """A Badge Object over the network: HTTPS, limits, public addresses, and at most
    :data:`MAX_REDIRECTS` redirects, each checked as the first URL is."""
    return fetch_bytes(url, limit=MAX_CREDENTIAL_BYTES, max_redirects=MAX_REDIRECTS)


class Ob2Sources(verification.VerificationSources):
    """:class:`~credstack.services.verification.service.VerificationSources` that also serve this
    deployment's own ``/ob2/…`` documents from the store (never fetched from itself).

    Build it as the base class is built — ``Ob2Sources.for_runtime(runtime)`` —
    and use it for OB 3.0 verification too.
    """

    #: The contact address the deployment's issuer profiles show (``Settings``).
    contact_email: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings, sessions: Callable[[], Session], *,
                      clock: Callable[[], dt.datetime] = utc_now,
                      offline: bool | None = None) -> Self:
        sources = super().from_settings(settings, sessions, clock=clock, offline=offline)
        sources.contact_email = settings.ob2_contact_email
        return sources

    def fetch_document(self, url: str) -> bytes | None:
        if url.startswith(f"{self.public_url}/ob2/"):
            with self._sessions() as session:
                return own_document(session, url=url, public_url=self.public_url,
                                    contact_email=self.contact_email)
        if self.offline:
            return fetch_no_document(url)
        return fetch_document(url)


def fetch_no_document(url: str) -> bytes | None:
    """Badge Objects, offline: none is fetched."""
    raise FetchError(f"{url} is not fetched: this verification is offline", why="offline",
                     url=url)


def verify_ob2(data: bytes | str | Mapping[str, Any], *, recipient: str | None = None,
               now: dt.datetime | None = None,
               sources: verification.VerificationSources | None = None,
               offline: bool = False) -> VerificationReport:
    """Verify an Open Badges 2.0 badge: an assertion's JSON, a signed badge (compact JWS), or
    the URL of a hosted assertion.

    ``recipient`` (an e-mail address …) is compared with the assertion's recipient when
    given; ``now`` defaults to the current UTC time; ``sources`` — an :class:`Ob2Sources`
    reads this deployment's own documents from the store and looks achievements up in its
    registry (a plain ``VerificationSources`` gives the registry only); without sources,
    everything is fetched and nothing is looked up. ``offline`` (or offline sources):
    nothing is fetched, and what needed a fetch could not be checked.
    """
    fetch = (sources.fetch_document if isinstance(sources, Ob2Sources)
             else fetch_no_document if offline or (sources is not None and sources.offline)
             else fetch_document)
    if sources is not None:
        return verify_badge(data, fetch=fetch, now=now or dt.datetime.now(dt.UTC),
                            recipient=recipient, programme_lookup=sources.programme_lookup,
                            words=words, document_loader=shared_document_loader())
    return verify_badge(data, fetch=fetch, now=now or dt.datetime.now(dt.UTC),
                        recipient=recipient, words=words,
                        document_loader=shared_document_loader())

