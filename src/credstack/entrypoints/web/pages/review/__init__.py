"""The signed-in pages of the review process, over :mod:`credstack.services.review.workflow`.

* ``GET /review`` — my dashboard: the applications I may see, what is waiting for me, my
  notifications.
* ``GET /review/new``, ``POST /review/new`` — a provider admin opens an application: a
  published programme version, the recognition body, the framework profile.
* ``GET /review/applications/{id}`` — one application, as the service lets this person see it,
  with the forms of the steps they may take now: the applicant's self-evaluation, evidence
  upload, submission, answers and appeal; the committee's assignment, requests for
  information, decision, publication and withdrawal of the recognition; the evaluator's
  conflict-of-interest declaration and review.
* ``POST /review/applications/{id}/<step>`` — one step each; ``GET …/evidence/{sha256}`` — an
  evidence file, as a download.

Every form posts with the session's CSRF token (checked by
:data:`~credstack.entrypoints.web.access.AccessDep` before the route runs) and the application's
``version``; a step that succeeds redirects back to the application (303, redirect after
post); input the service refuses comes back as the same page, 422, with each message next to
its field (``aria-invalid``, ``aria-describedby``) and what was typed kept. A step on a version
that is no longer current — someone else decided first — is a 409 page that says so. Roles are
checked here first (``access.require``, so that every refusal is in the audit log) and again
by the service, which also checks what needs stored facts (the evaluator is assigned, the
committee member is not of the applicant). Each step runs in a transaction of its own on the
runtime: a refused step leaves nothing behind, and the page that explains it is read afresh.

Visitors who are not signed in are sent to ``/sign-in`` and back. Nothing here is cached.
"""

from __future__ import annotations

from credstack.entrypoints.web.pages.review.applications import Row as Row
from credstack.entrypoints.web.pages.review.applications import ScoreSummary as ScoreSummary
from credstack.entrypoints.web.pages.review.applications import _load as _load
from credstack.entrypoints.web.pages.review.applications import _read as _read
from credstack.entrypoints.web.pages.review.applications import application_page as application_page
from credstack.entrypoints.web.pages.review.applications import dashboard as dashboard
from credstack.entrypoints.web.pages.review.applications import evidence_file as evidence_file
from credstack.entrypoints.web.pages.review.applications import new_application as new_application
from credstack.entrypoints.web.pages.review.applications import (
    new_application_form as new_application_form,
)
from credstack.entrypoints.web.pages.review.forms import _MAX_FIELDS as _MAX_FIELDS
from credstack.entrypoints.web.pages.review.forms import DONE as DONE
from credstack.entrypoints.web.pages.review.forms import EVIDENCE_ACCEPT as EVIDENCE_ACCEPT
from credstack.entrypoints.web.pages.review.forms import NO_STORE as NO_STORE
from credstack.entrypoints.web.pages.review.forms import FormDep as FormDep
from credstack.entrypoints.web.pages.review.forms import FormState as FormState
from credstack.entrypoints.web.pages.review.forms import _form as _form
from credstack.entrypoints.web.pages.review.forms import _language as _language
from credstack.entrypoints.web.pages.review.forms import _page as _page
from credstack.entrypoints.web.pages.review.forms import _sign_in as _sign_in
from credstack.entrypoints.web.pages.review.forms import _text as _text
from credstack.entrypoints.web.pages.review.forms import _version as _version
from credstack.entrypoints.web.pages.review.forms import form_state as form_state
from credstack.entrypoints.web.pages.review.forms import router as router
from credstack.entrypoints.web.pages.review.forms import size_text as size_text
from credstack.entrypoints.web.pages.review.steps import STEPS as STEPS
from credstack.entrypoints.web.pages.review.steps import Step as Step
from credstack.entrypoints.web.pages.review.steps import take_step as take_step
