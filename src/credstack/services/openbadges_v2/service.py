"""Open Badges 2.0 in the service: hosted Badge Objects, RS256/ES256 keys, signed badges,
verifying.

One issuance record, every format: a credential credstack issued (``issued_credentials``)
is also an Open Badges 2.0 award. Nothing is stored twice — every OB 2.0 document is made
from the store when asked for (:mod:`credstack.core.credentials.conversions`):

================================================  =====================================
``/ob2/issuers/<organisation>``                   the issuer ``Profile`` (``Issuer``)
``/ob2/issuers/<organisation>/keys/<fragment>``   its ``CryptographicKey`` (RSA or P-256,
                                                  ``publicKeyPem``: SPKI PEM)
``/ob2/issuers/<organisation>/revocations``       its ``RevocationList``
``/ob2/badges/<programme id>/v<version>``         a programme version's ``BadgeClass``
``/ob2/assertions/<credential uuid>``             the *hosted* assertion of a credential
                                                  (410 Gone with ``revoked: true`` once
                                                  it is revoked or suspended)
``/ob2/assertions/<credential uuid>.jws``         the *signed* assertion (compact JWS)
================================================  =====================================

The hosted assertion's id is its URL; the signed one's is the credential's own ``urn:uuid``
(what the revocation list names). Both award the programme version's BadgeClass to the same
learner — the same salted hash of the same e-mail address as the OB 3.0 credential — on the
same date, with the same expiry. A suspended credential is published as revoked (OB 2.0 has
no suspension; "revoked" with reason ``suspended``) until it is reinstated.

Each OB 2.0 key has an algorithm: ``RS256`` (RSA-2048; what OB 2.0 recommends and the
1EdTech validator requires, so the default) or ``ES256`` (P-256; about 25 times faster to
sign, verified by credstack and most verifiers but refused by the 1EdTech validator). An
organisation's first key is made the first time it signs a badge, with the deployment's
algorithm (``CREDSTACK_OB2_ALGORITHM``, :attr:`Settings.ob2_algorithm
<credstack.settings.Settings.ob2_algorithm>`);
:func:`~credstack.services.openbadges_v2.keys.rotate_key` (``credstack issuer keys
ob2-rotate``) retires it for a new one of either algorithm. A badge is signed
with the algorithm of the organisation's *active* key. Private halves are sealed like the
other issuer keys (AES-256-GCM under the key store's master key, bound to the organisation,
fragment and public key) in the ``ob2_keys`` table (migrations ``0004_ob2``,
``0010_ob2_algorithms``); retired keys stay listed in the profile so old badges verify. A
signed badge is cached by its payload (RS256 signatures are deterministic; an ES256 one is
one valid signature among many, as good as a fresh one).

The issuer profile needs a contact e-mail address (OB 2.0 requires one of every issuer);
credstack has none per organisation, so the deployment's is used:
``CREDSTACK_OB2_CONTACT_EMAIL`` (:attr:`Settings.ob2_contact_email
<credstack.settings.Settings.ob2_contact_email>`, passed in by the callers; without
it, profiles have no e-mail and verifiers refuse them).

Verifying (:func:`verify_ob2`) is :func:`credstack.core.verification.openbadges_v2.verify_badge`
with these seams: documents fetched with
:func:`~credstack.adapters.resolvers.fetch.fetch_bytes` (HTTPS, limits, public addresses
only, at most :data:`MAX_REDIRECTS` redirects, each hop checked like the first URL); with
:class:`Ob2Sources`, this deployment's own ``/ob2/…`` documents are read from the store
instead of fetched, and its achievements looked up in the registry.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from credstack.adapters import keystore
from credstack.adapters.db.repositories import credentials as credential_store
from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.db.repositories import ob2_keys
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.db.repositories.organisations import find_row
from credstack.adapters.db.transactions import Session
from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.credentials.conversions import assertion_from_credential
from credstack.core.types import MultilingualText
from credstack.errors import (
    NotFoundError,
)
from credstack.services import issuance
from credstack.services.openbadges_v2.keys import SigningCache, sign_cached, signing_key

__all__ = [
    "MAX_REDIRECTS",
    "HostedAssertion",
    "assertion_credential",
    "assertion_url",
    "badge_class",
    "badge_url",
    "hosted_assertion",
    "issuer_profile",
    "issuer_url",
    "key_document",
    "key_url",
    "revocation_list",
    "revocation_list_url",
    "signed_assertion",
]

#: Redirects followed when fetching an OB 2.0 document (http → https, a trailing slash, a
#: CDN); every hop is checked as the first URL is.
MAX_REDIRECTS: Final = 3
_ASSERTION_PATH: Final = "/ob2/assertions/"


# --- where the documents live ---------------------------------------------------------------

def issuer_url(public_url: str, organisation: str) -> str:
    return f"{public_url}/ob2/issuers/{organisation}"


def key_url(public_url: str, organisation: str, fragment: str) -> str:
    return f"{issuer_url(public_url, organisation)}/keys/{fragment}"


def revocation_list_url(public_url: str, organisation: str) -> str:
    return f"{issuer_url(public_url, organisation)}/revocations"


def badge_url(public_url: str, programme_id: int, version: int) -> str:
    return f"{public_url}/ob2/badges/{programme_id}/v{version}"


def assertion_url(public_url: str, credential_uuid: str) -> str:
    return f"{public_url}{_ASSERTION_PATH}{credential_uuid}"


def assertion_credential(public_url: str, assertion_id: str) -> str | None:
    """The credential (``urn:uuid:…``) that an assertion hosted here stands for, given the
    assertion's id (its address, :func:`assertion_url`); ``None`` for any other id."""
    prefix = f"{public_url}{_ASSERTION_PATH}"
    if not assertion_id.startswith(prefix):
        return None
    try:
        return f"urn:uuid:{uuid.UUID(assertion_id.removeprefix(prefix))}"
    except ValueError:
        return None


def image_url(public_url: str, programme_id: int, version: int) -> str:
    """The badge image (drawn by the image module, served at ``/badges/…svg``)."""
    return f"{public_url}/badges/{programme_id}/v{version}.svg"


def _language(language: str) -> str:
    return language if language in {"ja", "en"} else "ja"


# --- documents from the store ---------------------------------------------------------------

def issuer_profile(session: Session, *, organisation: str, public_url: str,
                   contact_email: str | None, language: str = "ja") -> dict[str, Any]:
    """The OB 2.0 issuer profile of one of this deployment's organisations.

    ``contact_email`` is the deployment's (``Settings.ob2_contact_email``): without one the
    profile has no ``email``, which OB 2.0 verifiers refuse.
    """
    row = find_row(session, organisation)
    if row is None:
        raise NotFoundError(f"No organisation with slug {organisation!r}.")
    fragments = [key.fragment for key in ob2_keys.keys(session, row.id)]
    own = issuer_url(public_url, organisation)
    return ob2.build_issuer_profile(
        issuer_id=own, name=MultilingualText(row.name), url=row.url or own,
        email=contact_email, language=_language(language),
        public_keys=[key_url(public_url, organisation, fragment) for fragment in fragments],
        revocation_list=revocation_list_url(public_url, organisation),
        starts_with=f"{public_url}{_ASSERTION_PATH}",
        related=[(key_store.organisation_did(public_url, organisation), ob2.OB3_PROFILE_TYPE)])


def key_document(session: Session, *, organisation: str, fragment: str,
                 public_url: str) -> dict[str, Any]:
    """One of an organisation's OB 2.0 ``CryptographicKey`` documents (public half only)."""
    pem = ob2_keys.public_key_pem(session, organisation=organisation, fragment=fragment)
    if pem is None:
        raise NotFoundError(f"{organisation!r} has no Open Badges 2.0 key {fragment!r}.")
    return ob2.build_cryptographic_key(key_id=key_url(public_url, organisation, fragment),
                                       owner=issuer_url(public_url, organisation),
                                       public_key_pem=pem)


def revocation_list(session: Session, *, organisation: str, public_url: str) -> dict[str, Any]:
    """The organisation's RevocationList: its revoked (and suspended) credentials' ids."""
    row = find_row(session, organisation)
    if row is None:
        raise NotFoundError(f"No organisation with slug {organisation!r}.")
    revoked = [(credential_id, "suspended" if state == "suspended" else None)
               for credential_id, state in credential_store.inactive(session,
                                                                     organisation_id=row.id)]
    return ob2.build_revocation_list(list_id=revocation_list_url(public_url, organisation),
                                     issuer_id=issuer_url(public_url, organisation),
                                     revoked=revoked)


def badge_class(session: Session, *, programme_id: int, version: int, public_url: str,
                language: str = "ja") -> dict[str, Any]:
    """The BadgeClass of a published programme version (404 for drafts)."""
    organisation = programme_store.get_programme(session, programme_id=programme_id
                                                 ).organisation_slug
    stored = programme_store.get_version(session, programme_id=programme_id, version=version)
    if stored.status != programme_store.Status.PUBLISHED:
        raise NotFoundError(f"Version {version} of programme {programme_id} is not published.")
    return ob2.build_badge_class(
        programme=stored.programme, badge_id=badge_url(public_url, programme_id, version),
        issuer_id=issuer_url(public_url, organisation),
        image=image_url(public_url, programme_id, version),
        criteria_url=f"{public_url}/programmes/{programme_id}",
        achievement_id=issuance.achievement_url(public_url, programme_id, version), version=version,
        language=_language(language))


@dataclass(frozen=True, slots=True)
class _Issued:
    """A stored credential as the OB 2.0 documents need it."""

    credential_id: str
    uuid: str
    organisation: str
    programme_id: int
    version: int
    state: str
    credential: dict[str, Any]


def _uuid(credential: str) -> str:
    text_value = credential.strip().removeprefix("urn:uuid:")
    try:
        return str(uuid.UUID(text_value))
    except ValueError:
        raise NotFoundError(f"{credential!r} is not a credential id (urn:uuid:… or a UUID)."
                            ) from None


def _issued(session: Session, credential: str) -> _Issued:
    identifier = _uuid(credential)
    try:
        row = credential_store.get_credential(session, credential_id=f"urn:uuid:{identifier}")
    except NotFoundError:
        raise NotFoundError(f"credstack issued no credential with id urn:uuid:{identifier}."
                            ) from None
    version = credential_store.programme_version_of(session, credential_id=row.credential_id)
    if version is None:
        raise NotFoundError(
            f"The credential urn:uuid:{identifier} was not issued for a programme version "
            "(VC-API issuance), so it has no Open Badges 2.0 BadgeClass.")
    programme_id, number = version
    return _Issued(row.credential_id, identifier, row.organisation, programme_id, number,
                   row.state, _credential_of(row.document))


def _credential_of(document: str) -> dict[str, Any]:
    """The OB 3.0 credential a stored document is: its JSON, or a VC-JWT's payload."""
    stripped = document.lstrip()
    if stripped.startswith("{"):
        loaded: dict[str, Any] = json.loads(stripped)
        return loaded
    payload = ob2.read_jws(stripped).payload
    inner = payload.get("vc")
    return dict(inner) if isinstance(inner, Mapping) else payload


@dataclass(frozen=True, slots=True)
class HostedAssertion:
    """A hosted assertion as served: the document, and whether it is revoked (410 Gone)."""

    document: dict[str, Any]
    revoked: bool


def hosted_assertion(session: Session, *, credential: str, public_url: str) -> HostedAssertion:
    """The hosted OB 2.0 assertion of a credential credstack issued (``urn:uuid:…``/UUID).

    A revoked or suspended credential's assertion is ``{"id", "revoked": true,
    "revocationReason"}`` only, as §Assertion allows ("many issuers strip a hosted Assertion
    down to only those properties when revoked"); the route serves it with 410 Gone.
    """
    issued = _issued(session, credential)
    assertion_id = assertion_url(public_url, issued.uuid)
    if issued.state != "active":
        return HostedAssertion({"@context": ob2.CONTEXT_URL, "type": "Assertion",
                                "id": assertion_id, "revoked": True,
                                "revocationReason": issued.state}, True)
    document = assertion_from_credential(
        issued.credential, assertion_id=assertion_id,
        badge_id=badge_url(public_url, issued.programme_id, issued.version),
        verification={"type": "HostedBadge"})
    return HostedAssertion(document, False)


def signed_assertion(session: Session, *, cache: SigningCache, credential: str,
                     public_url: str, secret: keystore.MasterKey, now: dt.datetime,
                     algorithm: str = ob2.SIGNING_ALGORITHM) -> str:
    """The signed OB 2.0 assertion (compact JWS) of a credential credstack issued.

    It is signed with the organisation's active key, in that key's algorithm; ``algorithm``
    (``Settings.ob2_algorithm``) is only that of a first key made now. Its id is the
    credential's own ``urn:uuid``, its ``verification.creator`` the URL of the key;
    revocation goes through the organisation's RevocationList.
    """
    issued = _issued(session, credential)
    fragment, key = signing_key(session, cache=cache, organisation=issued.organisation,
                                secret=secret, now=now, algorithm=algorithm)
    creator = key_url(public_url, issued.organisation, fragment)
    assertion = assertion_from_credential(
        issued.credential, assertion_id=issued.credential_id,
        badge_id=badge_url(public_url, issued.programme_id, issued.version),
        verification={"type": "SignedBadge", "creator": creator})
    return sign_cached(assertion, key, creator, cache=cache)
