"""The credit bank as web pages in Japanese and English (issue 16).

* ``/wallet/creditbank`` — the learner's account (deposits, ledger balances), the form that
  deposits a wallet credential, the published targets with progress toward each (per
  requirement what counted, which rule or cap applied, what is missing, explained in the
  page's language, and links into the registry's search to fill each gap), applying for
  credit transfer and the learner's applications (:mod:`.learner`);
* ``/workspace/{slug}/creditbank`` — the registrar's queue by state, one application's
  evaluated decision with adjustments, approval and refusal, and publishing a target
  (:mod:`.registrar`).

Every page calls :mod:`credstack.services.creditbank` as the signed-in person; the services
decide who may and write the audit log. Forms are plain HTML forms with the CSRF token; a
change redirects back (303) with a ``done`` notice; what a service refuses comes back as the
same page with the reason next to the form (422; a decision taken already or at the same
moment, 409). Nothing here is cached.
"""

from __future__ import annotations

from fastapi import APIRouter

from credstack.entrypoints.web.pages.creditbank import learner, registrar

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
router.include_router(learner.router)
router.include_router(registrar.router)
