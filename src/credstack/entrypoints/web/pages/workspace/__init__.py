"""The workspace of the people who run micro-credentials, as web pages in Japanese and
English (issue 15, item 3).

* ``/workspace`` — the organisations the signed-in user belongs to, with their roles
  (:mod:`.home`); ``/workspace/{slug}`` — one organisation's home and its navigation
  (``_workspace_nav.html``).
* ``/workspace/{slug}/members`` — members and roles, invitations (:mod:`.members`); the
  invited person's ``/invitations/{token}`` (:mod:`.invitations`).
* ``/workspace/{slug}/clients`` — the members' API clients (:mod:`.clients`).
* ``/workspace/{slug}/keys`` and ``/workspace/{slug}/authority`` — issuer keys and the PDF
  certificate authority (:mod:`.keys`).
* ``/workspace/{slug}/profile`` — the organisation's public profile (:mod:`.profile`) and
  its logo (:mod:`.logo`, which also serves it to everyone at ``/providers/{slug}/logo``).
* ``/workspace/{slug}/lti`` — the LMSs it registered credstack with (LTI 1.3), and its
  course links with each learner's outcome (:mod:`.lti`).
* ``/workspace/{slug}/sso`` — its identity providers for campus sign-in and their rules
  from attributes to roles (:mod:`.sso`).
* ``/workspace/{slug}/mail`` — its outbox and the name its e-mail is sent under
  (:mod:`.mail`).

Every page calls the workspace services (:mod:`credstack.services.workspace`) as the
signed-in user; visitors who are not signed in are sent to sign in and back. Every form is a
plain HTML form with the session's CSRF token that works without JavaScript; a change
redirects back (303) with a ``done`` notice, and what a service refuses comes back as the
same page with the reason next to the form. Nothing here is cached.
"""

from __future__ import annotations

from fastapi import APIRouter

from credstack.entrypoints.web.pages.workspace import (
    clients,
    home,
    invitations,
    keys,
    logo,
    lti,
    mail,
    members,
    profile,
    sso,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
for _module in (home, members, invitations, clients, keys, profile, logo, mail, lti, sso):
    router.include_router(_module.router)
