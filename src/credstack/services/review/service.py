"""The review process as a service: applications for recognition, from the applicant's first
draft to the published decision, appeals, withdrawals and renewals.

Every function takes the caller's SQLAlchemy session (one transaction per request), the
:class:`~credstack.core.access.Principal` acting and, for changes, ``now``. What may happen in
which state is :mod:`credstack.core.review`'s to say (:func:`~credstack.core.review.
transition`, the conflict rules, the completeness check, the criteria); this module adds the
store, the record-level rules and the audit log:

* **Who.** Routes check the role first (``access.require(action, applicant,
  recognition_body=body)``, :func:`target` names both organisations). The service checks the
  role again (:func:`credstack.core.access.decide`) and the rules that need stored facts — the
  evaluator is *assigned* to this application, the committee member does not belong to the
  applicant — and raises :class:`~credstack.errors.AccessDeniedError` (403). A principal of
  another organisation asking for an existing application gets 403, not 404: application ids
  are 128-bit random values, so a 403 tells only someone who already holds the id that it
  exists, and it lets every refusal be the same ``access.denied`` audit entry. An unknown id
  is 404.
* **Changes.** Every state change goes through ``transition``, is written to the audit log in
  the same transaction (actor = the principal's subject, subject ``application:<id>``), and
  bumps ``applications.version`` with a compare-and-swap: a caller that read version *n*
  (``expected_version``, the API's ``If-Match``) and finds another gets
  :class:`~credstack.errors.StaleStateError` (409). Of two concurrent decisions on one
  application exactly one wins; the other changes nothing.
* **What each principal sees** (:func:`get_application`): the committee and registry admins
  see everything; an assigned evaluator sees their own assignment and review, and the other
  reviews only once the application is decided; the applicant sees reviews and decisions only
  once published, and never the evaluators' names.
"""

from __future__ import annotations

from credstack.services.review.applicants import _MAGIC as _MAGIC
from credstack.services.review.applicants import TEXT as TEXT
from credstack.services.review.applicants import add_evidence as add_evidence
from credstack.services.review.applicants import answer as answer
from credstack.services.review.applicants import appeal as appeal
from credstack.services.review.applicants import evidence_content as evidence_content
from credstack.services.review.applicants import open_application as open_application
from credstack.services.review.applicants import sniff as sniff
from credstack.services.review.applicants import start_renewal as start_renewal
from credstack.services.review.applicants import submit as submit
from credstack.services.review.applicants import update_self_evaluation as update_self_evaluation
from credstack.services.review.applicants import withdraw_application as withdraw_application
from credstack.services.review.assessment import assign_evaluator as assign_evaluator
from credstack.services.review.assessment import decide as decide
from credstack.services.review.assessment import decide_appeal as decide_appeal
from credstack.services.review.assessment import declare_interests as declare_interests
from credstack.services.review.assessment import publish as publish
from credstack.services.review.assessment import request_information as request_information
from credstack.services.review.assessment import submit_review as submit_review
from credstack.services.review.assessment import withdraw_recognition as withdraw_recognition
from credstack.services.review.reading import _decision as _decision
from credstack.services.review.reading import _public as _public
from credstack.services.review.reading import get_application as get_application
from credstack.services.review.reading import list_applications as list_applications
from credstack.services.review.reading import public_decision as public_decision
from credstack.services.review.reading import public_decisions as public_decisions
from credstack.services.review.records import _change as _change
from credstack.services.review.records import _label as _label
from credstack.services.review.records import _load as _load
from credstack.services.review.records import _message as _message
from credstack.services.review.records import _text as _text
from credstack.services.review.records import _title as _title
from credstack.services.review.records import _utc as _utc
from credstack.services.review.records import target as target
from credstack.services.review.reminders import notifications as notifications
from credstack.services.review.reminders import reminders as reminders
from credstack.services.review.views import DECISIONS_PER_PAGE as DECISIONS_PER_PAGE
from credstack.services.review.views import MAX_EVIDENCE_BYTES as MAX_EVIDENCE_BYTES
from credstack.services.review.views import MAX_MESSAGE as MAX_MESSAGE
from credstack.services.review.views import ApplicationSummary as ApplicationSummary
from credstack.services.review.views import ApplicationView as ApplicationView
from credstack.services.review.views import AssignmentView as AssignmentView
from credstack.services.review.views import DecisionPage as DecisionPage
from credstack.services.review.views import DecisionView as DecisionView
from credstack.services.review.views import EvidenceView as EvidenceView
from credstack.services.review.views import MessageView as MessageView
from credstack.services.review.views import PublicDecision as PublicDecision
from credstack.services.review.views import ReviewView as ReviewView
from credstack.services.review.views import SentReminder as SentReminder
from credstack.services.review.views import Signer as Signer
from credstack.services.review.views import Target as Target
from credstack.services.review.views import Viewer as Viewer

__all__ = [
    "MAX_EVIDENCE_BYTES",
    "MAX_MESSAGE",
    "TEXT",
    "ApplicationSummary",
    "ApplicationView",
    "AssignmentView",
    "DecisionPage",
    "DecisionView",
    "EvidenceView",
    "MessageView",
    "PublicDecision",
    "ReviewView",
    "SentReminder",
    "Signer",
    "Target",
    "Viewer",
    "add_evidence",
    "answer",
    "appeal",
    "assign_evaluator",
    "decide",
    "decide_appeal",
    "declare_interests",
    "evidence_content",
    "get_application",
    "list_applications",
    "notifications",
    "open_application",
    "public_decision",
    "public_decisions",
    "publish",
    "reminders",
    "request_information",
    "sniff",
    "start_renewal",
    "submit",
    "submit_review",
    "target",
    "update_self_evaluation",
    "withdraw_application",
    "withdraw_recognition",
]

