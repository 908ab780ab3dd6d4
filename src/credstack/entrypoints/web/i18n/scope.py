"""Which pages speak every language, and which messages they say.

The pages the public reads — the registry, the credential's page and ``/verify``, the
learner's claim, sign-up and sign-in, the wallet and its shares, the learner's credit bank,
the public profile, the credit targets, the skills, the register of recognition decisions,
other registries' providers, the forms that ask to join as a provider and report a
programme, error pages — are offered in every language with a catalogue
(:attr:`Scope.PUBLIC`). The pages of the people who run credstack — workspaces, the editor,
review, issuing, the credit bank's registrar, the console, LTI, jobs, … — are offered in
Japanese and English (:attr:`Scope.STAFF`), and say so to a reader who asked for another
language.

This module is the one place that says which is which: the message keys of the staff areas
(:data:`STAFF_AREAS`, the keys the catalogues of the other languages do not hold) and the
pages' paths of the staff pages (:data:`STAFF_PATHS`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Scope(StrEnum):
    """The languages a page is offered in."""

    #: Every language with a catalogue.
    PUBLIC = "public"
    #: Japanese and English.
    STAFF = "staff"


#: The parts of the key space only staff pages say: an area (``editor`` for ``editor.…``) or a
#: part of one (``creditbank.ws`` for ``creditbank.ws.…``, the registrar's pages, beside the
#: learner's credit bank; ``recognition.app`` for a provider's application, beside the
#: register of decisions the public reads; ``registrar.import``, ``registrar.record``,
#: ``registrar.page``, ``registrar.col`` and ``registrar.scale``, the certificate office's
#: import, records and their pages).
STAFF_AREAS: Final = frozenset({
    "workspace", "editor", "console", "creditbank.ws", "issuing", "lti", "activity", "jobs",
    "alignments", "audit", "backup", "oauth", "recognition.app", "recognition.review",
    "recognition.conflict",
    "recognition.done", "recognition.new", "recognition.message", "recognition.viewer",
    "recognition.party", "recognition.severity", "recognition.step_name", "recognition.form",
    "registrar.import", "registrar.record", "registrar.page", "registrar.col", "registrar.scale",
    # A OneRoster roster's faults, named to the registrar who imports it.
    "registrar.oneroster",
    # The registrar's documents: issued, withdrawn (issue 56).
    "registrar.documents",
    # The registrar's queue of requests and a record's documents with their history.
    "registrar.queue", "registrar.history",
    # Campus sign-in's identity providers, configured and overseen (issue 57).
    "sso.admin", "sso.console",
    # What the readiness check found, which the operator reads (/readyz).
    "operations.health",
    # An exchange protocol's refusals (OID4VCI, OID4VP): answered to the wallet or verifier
    # program in English (error_description), read in Japanese too by the verifier's staff.
    "oid4vci.refused", "oid4vp.refused",
})

#: Keys of the staff areas that public pages say too (a key, or a prefix ending in ``.`` or ``_``):
#: the frame's links to the staff pages; what a programme's page says of its report and the
#: form that reports it, of a suspended provider, of a programme the operator hid; the form
#: that asks to join as a provider and the title of its refusal; the account's LMS
#: identities; the mailbox's note on a message it cannot show; what the learner's credit bank
#: says of a credential's hours that disagree with its credits.
PUBLIC_IN_STAFF_AREAS: Final = (
    "console.join.", "console.report.", "console.suspended_notice", "console.error.title",
    "console.hidden.", "lti.identities.", "workspace.mail.unreadable", "creditbank.ws.conflict_",
)

#: The paths of the staff pages (a path is one of them, or under one).
STAFF_PATHS: Final = (
    "/workspace", "/console", "/review", "/jobs", "/lti", "/people", "/invitations", "/oauth",
)


def _in_staff_area(key: str) -> bool:
    parts = key.split(".")
    return any(".".join(parts[:depth]) in STAFF_AREAS for depth in range(1, len(parts)))


def is_public(key: str) -> bool:
    """Whether ``key`` is a message public pages say, which every language's catalogue holds."""
    if not _in_staff_area(key):
        return True
    return any(key == kept or (kept.endswith((".", "_")) and key.startswith(kept))
               for kept in PUBLIC_IN_STAFF_AREAS)


def _under(path: str, prefix: str) -> bool:
    head, braces, tail = prefix.partition("{}")
    if braces:
        if not path.startswith(head):
            return False
        rest = path[len(head):].split("/", 1)
        return len(rest) == 2 and ("/" + rest[1]).startswith(tail)
    return path == prefix or path.startswith(prefix + "/")


def scope_of(path: str) -> Scope:
    """The scope of the page at ``path``."""
    return Scope.STAFF if any(_under(path, prefix) for prefix in STAFF_PATHS) else Scope.PUBLIC
