"""What the console's pages share: the page frame (never cached, the console's navigation),
the ``done`` notices a redirect may announce."""

from __future__ import annotations

from typing import Final

from fastapi import Request
from fastapi.responses import HTMLResponse

from credstack.core.organisations import OrganisationKind
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.i18n.codes import problem_said, said
from credstack.entrypoints.web.pages.rendering import render
from credstack.entrypoints.web.pages.workspace.views import FormProblem, see_other
from credstack.errors import (
    ConflictError,
    CredstackError,
    InputTooLargeError,
    NotFoundError,
    RateLimitedError,
)

__all__ = ["DONE", "NO_STORE", "FormProblem", "page", "problem_of", "see_other"]

NO_STORE: Final = {"Cache-Control": "no-store"}
#: What ``?done=…`` may announce on a console page.
DONE: Final = frozenset({"approved", "refused", "suspended", "reinstated", "hidden",
                         "unhidden", "dismissed", "locked", "unlocked", "sessions",
                         "role_added", "role_removed", "registered",
                         "intermediate_removed", "corporate_number"})


def page(request: Request, template: str, *, here: str, status_code: int = 200,
         done: str | None = None, **context: object) -> HTMLResponse:
    """A console page: ``here`` names the navigation's current entry."""
    response = render(request, template, section="console", status_code=status_code,
                      here=here, done=done if done in DONE else None,
                      organisation_kinds={kind.value: kind for kind in OrganisationKind},
                      **context)
    response.headers.update(NO_STORE)
    return response


def problem_of(request: Request, exc: CredstackError) -> FormProblem:
    """A refusal as words in the page's language: the first problem's own words when it is a
    code (worded from the catalogues) or the service gave both languages, else the message's
    half in that language."""
    language = i18n.negotiate(request).language
    first = exc.problems[0] if exc.problems else None
    if first is not None and first.code:
        text = problem_said(first, language, placed=False)
    elif first is not None and first.message_ja:
        text = first.message_ja if language == "ja" else first.message
    else:
        text = said(exc, language)
    status = (429 if isinstance(exc, RateLimitedError) else 409
              if isinstance(exc, ConflictError) else 404 if isinstance(exc, NotFoundError)
              else 413 if isinstance(exc, InputTooLargeError) else 422)
    return FormProblem(text, first.location if first is not None else None, status)
