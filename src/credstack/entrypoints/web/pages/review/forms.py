"""What the review pages share: their router, reading their forms, rendering a review page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Final
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException

from credstack.core.access import Principal
from credstack.core.types import whole_number
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.i18n.codes import problem_said, said
from credstack.entrypoints.web.pages.rendering import render
from credstack.errors import (
    CredstackError,
    InputError,
)
from credstack.services.review import service as review

router = APIRouter(include_in_schema=False)


NO_STORE: Final = {"Cache-Control": "no-store"}


#: Form fields any of these forms may carry (six criteria × two, and a few more).
_MAX_FIELDS: Final = 40


#: The longest text field accepted before the service's own limits apply.
_MAX_FIELD_BYTES: Final = 256 * 1024


#: What the evidence upload offers to pick (the service judges the bytes, not this).
EVIDENCE_ACCEPT: Final = ".pdf,.png,.jpg,.jpeg,.txt,application/pdf,image/png,image/jpeg,text/plain"


#: The messages a redirect after a successful step may show (``?done=``).
DONE: Final = frozenset({"opened", "saved", "uploaded", "submitted", "incomplete", "answered",
                         "appealed", "withdrawn", "assigned", "requested", "declared",
                         "reviewed", "decided", "published", "recognition-withdrawn",
                         "appeal-decided"})


async def _form(request: Request) -> FormData:
    try:
        return await request.form(max_files=1, max_fields=_MAX_FIELDS,
                                  max_part_size=_MAX_FIELD_BYTES)
    except StarletteHTTPException as exc:
        raise InputError(f"The form could not be read: {exc.detail}") from None


FormDep = Annotated[FormData, Depends(_form)]


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _version(form: FormData) -> int | None:
    """The application version the form was made from (None: not sent)."""
    value = _text(form, "version").strip()
    return whole_number(value)


@dataclass(slots=True)
class FormState:
    """A form that came back with problems: which one, what was typed, what is wrong."""

    name: str
    values: Mapping[str, str] = field(default_factory=dict)
    #: Field name → message, in the page's language.
    errors: dict[str, str] = field(default_factory=dict)
    #: Problems that belong to no field of the form.
    general: list[str] = field(default_factory=list)


def form_state(name: str, form: FormData, error: CredstackError, language: str,
               fields: Callable[[str], str | None]) -> FormState:
    """``error``'s problems placed next to their fields (``fields`` maps a problem's location
    to a field name, or None when it has none)."""
    values = {key: value for key, value in form.multi_items() if isinstance(value, str)
              and key not in ("csrf_token", "version")}
    state = FormState(name, values)
    for problem in error.problems:
        message = problem_said(problem, language, placed=False)
        target = fields(problem.location)
        if target is not None and target not in state.errors:
            state.errors[target] = message
        elif target is None:
            state.general.append(message)
    if not error.problems or (not state.errors and not state.general):
        state.general.insert(0, said(error, language))
    return state


def _same_name(*names: str) -> Callable[[str], str | None]:
    known = set(names)
    return lambda location: location if location in known else None


def _page(request: Request, template: str, *, status_code: int = 200, **context: Any
          ) -> HTMLResponse:
    response = render(request, template, section="review", status_code=status_code, **context)
    response.headers.update(NO_STORE)
    return response


def _sign_in(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/sign-in?next={quote(target, safe='/')}", status_code=303,
                            headers=NO_STORE)


def _who(access: Access) -> Principal | None:
    """The signed-in person, or None for a visitor (a bad token is still refused)."""
    if access.principal is None and access.via is None:
        return None
    return access.user()


def _application_url(application: str, done: str | None = None, anchor: str = "") -> str:
    url = f"/review/applications/{application}"
    if done is not None:
        url += f"?done={done}"
    return url + (f"#{anchor}" if anchor else "")


def _language(request: Request) -> str:
    return i18n.negotiate(request).language


def _upload_limit(request: Request) -> int:
    """The largest evidence file this server takes: the service's, or the body limit."""
    limit: int = min(review.MAX_EVIDENCE_BYTES, request.app.state.settings.max_body_bytes)
    return limit


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size / (1024 * 1024):,.1f} MB".replace(".0 MB", " MB")
