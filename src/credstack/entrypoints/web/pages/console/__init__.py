"""The operator's console as web pages in Japanese and English (issue 41, part 1), and the
public forms that feed it.

* ``/join`` — a provider applies to join (public; :mod:`.applications`); ``/console/
  applications`` — the operator's queue, approving or refusing.
* ``/console/organisations`` — suspending and reinstating (:mod:`.organisations`).
* ``/console/people`` — every account: roles, lock, unlock, end sessions (:mod:`.people`).
* ``/programmes/{id}/report`` — anyone reports a problem; ``/console/reports`` — hiding or
  dismissing (:mod:`.moderation`).
* ``/console/figures`` (and ``.csv``) — the platform's figures (:mod:`.figures`);
  ``/console/health`` (:mod:`.health`); ``/console`` — the overview (:mod:`.home`).
* ``/console/federation`` — the trust anchor's intermediate entities (:mod:`.federation`).

Plain HTML forms that work without JavaScript (the session's CSRF token for the operator's,
a nonce cookie for the public ones); a change redirects back (303) with a ``done`` notice;
a refusal comes back as the same page with the reason next to the form. Never cached.
"""

from __future__ import annotations

from fastapi import APIRouter

from credstack.entrypoints.web.pages.console import (
    applications,
    federation,
    figures,
    health,
    home,
    moderation,
    organisations,
    people,
    sso,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
for _module in (home, applications, organisations, people, moderation, figures, health,
                federation, sso):
    router.include_router(_module.router)
