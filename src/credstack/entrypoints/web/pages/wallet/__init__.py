"""The learner's wallet, as web pages in Japanese and English (issue 14).

* ``/wallet`` — the lifelong learning record (the LER view): every credential, newest first,
  with its issuer, dates, hours, credits in each credit system, level, its standing (verified,
  with warnings, revoked, suspended, expired, not verified and why) and tags; what the
  verified ones add up to, by credit system and by field; filters by tag and collection; the
  import form (:mod:`.record`).
* ``/wallet/credentials/{id}`` — one credential verified again now, what it means, its tags,
  note and collections, the original to download, deleting it (:mod:`.credentials`).
* ``/wallet/collections`` (:mod:`.collections`), ``/wallet/identifiers``
  (:mod:`.identifiers`), ``/wallet/shares``, the share links (:mod:`.sharing`), and
  ``/wallet/present``, a presentation or a CLR signed by the holder (:mod:`.presenting`);
  a credential sent to a wallet app as an OID4VCI offer with its QR code (:mod:`.offers`);
  another issuer's OID4VCI offer received, ``/wallet/receive`` (:mod:`.receive`); a verifier's
  OID4VP request answered with the matching credentials the learner chose, ``/wallet/answer``
  (:mod:`.answer`); ``/wallet/profile``, the learner's public profile (:mod:`.public_profile`);
  ``/claim/{id}``, the claim link of a credential's e-mail, open to anyone (:mod:`.claims`);
  ``/wallet/requests``, documents asked of a university's registrar (:mod:`.document_requests`).

Every page calls the wallet services (:mod:`credstack.services.wallet`) as the signed-in
learner (the :class:`~credstack.entrypoints.web.access.Access` of the request); visitors who are
not signed in are sent to sign in and back. Every form is a plain HTML form that posts with
the session's CSRF token and works without JavaScript; a change redirects back (303) with a
``done`` notice, and what a service refuses comes back as the same page with the reason next
to the form. Nothing here is cached. Sharing and presenting add their actions through
``_wallet_actions.html``.
"""

from __future__ import annotations

from fastapi import APIRouter

from credstack.entrypoints.web.pages.wallet import (
    answer,
    claims,
    collections,
    credentials,
    document_requests,
    identifiers,
    offers,
    presenting,
    public_profile,
    receive,
    record,
    sharing,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
router.include_router(record.router)
router.include_router(credentials.router)
router.include_router(offers.router)
router.include_router(receive.router)
router.include_router(collections.router)
router.include_router(identifiers.router)
router.include_router(sharing.router)
router.include_router(presenting.router)
router.include_router(answer.router)
router.include_router(public_profile.router)
router.include_router(claims.router)
router.include_router(document_requests.router)
