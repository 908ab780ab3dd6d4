"""Which pages speak every language, and which messages they say.

The pages the public reads — the registry, the credential's page and ``/verify``, the
learner's claim, sign-up and sign-in, the wallet and its shares, the public profile, error
pages — are offered in every language with a catalogue (:data:`PUBLIC`). The pages of the
people who run credstack — workspaces, the editor, review, issuing, the credit bank's
registrar, the console, LTI, jobs, … — are offered in Japanese and English (:data:`STAFF`),
and say so to a reader who asked for another language.

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


#: The first part of the keys only staff pages say (``editor.…``, ``console.…``).
STAFF_AREAS: Final = frozenset({
    "workspace", "editor", "console", "creditbank", "issuing", "lti", "targets", "activity",
    "jobs", "skills", "alignments", "federation", "oauth", "recognition",
})

#: Keys of the staff areas that public pages say too (a key, or a prefix ending in ``.`` or ``_``):
#: the frame's links to the staff pages; a recognition's mark and what ``/verify`` says of a
#: credential's recognition; what a programme's page says of the targets it stacks into, of
#: its skills and its report, of a suspended provider, of a programme the operator hid; the
#: account's LMS identities;
#: the mailbox's note on a message it cannot show; the wallet's link to the credit bank.
PUBLIC_IN_STAFF_AREAS: Final = (
    "recognition.mark.", "recognition.verify.", "recognition.nav", "targets.nav",
    "federation.nav", "skills.nav", "console.join.link", "creditbank.nav",
    "targets.title", "targets.stacks_", "skills.credit", "console.report.link",
    "console.suspended_notice", "console.hidden.", "lti.identities.",
    "workspace.mail.unreadable",
)

#: The paths of the staff pages (a path is one of them, or under one).
STAFF_PATHS: Final = (
    "/workspace", "/console", "/review", "/jobs", "/lti", "/targets", "/skills",
    "/recognition", "/registries", "/people", "/invitations", "/join", "/oauth",
    "/wallet/creditbank", "/programmes/{}/report",
)


def is_public(key: str) -> bool:
    """Whether ``key`` is a message public pages say, which every language's catalogue holds."""
    if key.split(".", 1)[0] not in STAFF_AREAS:
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
