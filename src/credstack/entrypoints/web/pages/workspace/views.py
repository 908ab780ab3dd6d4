"""What the workspace's pages share: the page frame (never cached), the redirect after a
form, and a refusal as words next to its form in the page's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.i18n.codes import said
from credstack.entrypoints.web.pages.rendering import render
from credstack.errors import ConflictError, CredstackError, InputError, NotFoundError

#: Workspace pages are an administrator's: never cached.
NO_STORE: Final = {"Cache-Control": "no-store"}
#: Fields whose refused input has words of its own in the catalogue (the rules behind them —
#: accounts', the profile model's — speak English only).
_FIELD_MESSAGES: Final = {
    "email": "workspace.error.email",
    "scope": "workspace.error.scope",
    "display_name": "workspace.error.display_name",
    "password": "workspace.error.password",
    "url": "workspace.error.url",
    "name_ja": "workspace.error.name",
    "description_ja": "workspace.error.description",
}


def page(request: Request, template: str, *, status_code: int = 200, **context: object
         ) -> HTMLResponse:
    """A workspace page (never cached; the header marks the workspace as the section)."""
    response = render(request, template, section="workspace", status_code=status_code,
                      **context)
    response.headers.update(NO_STORE)
    return response


def see_other(path: str) -> RedirectResponse:
    """On to ``path`` after a form was posted (303); never cached."""
    return RedirectResponse(path, status_code=303, headers=NO_STORE)


@dataclass(frozen=True, slots=True)
class FormProblem:
    """Why a form was refused: the words to show, the field they are about, the status."""

    text: str
    field: str | None
    status: int


def problem_of(request: Request, exc: CredstackError) -> FormProblem:
    """A refusal of a form's values as words in the page's language."""
    t = i18n.Translator(i18n.negotiate(request).language)
    field = exc.problems[0].location if exc.problems else None
    status = 409 if isinstance(exc, ConflictError) else 404 \
        if isinstance(exc, NotFoundError) else 422
    if isinstance(exc, InputError) and field in _FIELD_MESSAGES:
        return FormProblem(str(t(_FIELD_MESSAGES[field])), field, status)
    return FormProblem(said(exc, t.language), field, status)
