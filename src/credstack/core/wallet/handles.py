"""A learner's public profile handle: ``/@{handle}``.

3 to 30 characters: lower-case letters a–z, digits, ``-`` and ``_``, beginning with a letter
or a digit. Compared and kept lower-case (``Hanako`` is ``hanako``). Words the site uses for
its own pages and roles are reserved, so that no profile is mistaken for the platform.
"""

from __future__ import annotations

import re
from typing import Final

from credstack.errors import InputError, Problem

__all__ = ["RESERVED", "parse_handle"]

_HANDLE: Final = re.compile(r"[a-z0-9][a-z0-9_-]{2,29}")

RESERVED: Final = frozenset({
    "admin", "administrator", "api", "app", "auth", "badges", "claim", "credstack",
    "credentials", "docs", "help", "home", "issuer", "issuers", "jobs", "login", "logout",
    "mail", "mailbox", "manual", "me", "oauth", "oid4vci", "oid4vp", "operator", "people",
    "profile", "profiles", "programmes", "registry", "review", "root", "s", "search",
    "security", "settings", "sign-in", "sign-up", "signin", "signup", "skills", "static",
    "support", "system", "targets", "verify", "wallet", "well-known", "workspace", "www",
})


def parse_handle(text: str) -> str:
    """The handle ``text`` names, lower-cased; InputError (``wallet.refused.handle_…``, field
    ``handle``) when it is malformed or reserved."""
    handle = text.strip().lower().removeprefix("@")
    if not _HANDLE.fullmatch(handle):
        raise InputError(code="wallet.refused.handle_form", problems=[
            Problem("handle", code="wallet.refused.handle_form_problem")])
    if handle in RESERVED:
        raise InputError(code="wallet.refused.handle_reserved", params={"handle": handle},
                         problems=[Problem("handle", code="wallet.refused.handle_reserved_problem",
                                           params={"handle": handle})])
    return handle
