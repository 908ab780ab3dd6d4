"""RFC 9457 problem details: the one place errors become HTTP responses (under the Open
Badges 3.0 and CLR 2.0 REST APIs' paths, ``Imsx_StatusInfo`` as their specifications ask)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from credstack.core.descriptors.interchange import (
    describe_validation_errors,
    field_names,
    format_path,
)
from credstack.core.hosting.apis import APIS
from credstack.core.hosting.status import status_info
from credstack.entrypoints.web.i18n.codes import problem_said, said
from credstack.errors import (
    AccessDeniedError,
    AuthenticationRequiredError,
    ConfigurationError,
    ConflictError,
    CredstackError,
    GoneError,
    InputTooLargeError,
    InvalidTokenError,
    NotFoundError,
    PageTokenError,
    Problem,
    RateLimitedError,
    StoreBusyError,
    StoreFullError,
    StoreUnavailableError,
    TimestampAuthorityError,
    UnknownFormatError,
    UnsupportedMediaError,
)

MEDIA_TYPE = "application/problem+json"
#: Where errors are ``Imsx_StatusInfo``.
IMS_PATHS = tuple(api.base_path + "/" for api in APIS)

STATUS: list[tuple[type[CredstackError], int]] = [
    (InputTooLargeError, 413),
    (PageTokenError, 400),
    (UnknownFormatError, 400),
    (UnsupportedMediaError, 415),
    (AuthenticationRequiredError, 401),
    (AccessDeniedError, 403),
    (RateLimitedError, 429),
    (GoneError, 410),
    (NotFoundError, 404),
    # Other writers held the store too long: try again later.
    (StoreBusyError, 503),
    (StoreUnavailableError, 503),
    (StoreFullError, 507),
    (ConflictError, 409),
    (ConfigurationError, 500),
    # Another server (the time-stamping authority) failed credstack: a bad gateway.
    (TimestampAuthorityError, 502),
    (CredstackError, 422),
]


#: Renders an error as an HTML page for people: (request, status, title, title_ja, detail).
HtmlRenderer = Callable[[Request, int, str, str, str], Response]


def _wants_html(request: Request) -> bool:
    return (not request.url.path.startswith("/api")
            and "text/html" in request.headers.get("accept", ""))


#: CASE 1.1's REST binding answers errors as ``imsx_StatusInfo`` too, with code minor
#: values of its own vocabulary (others are ``invalid_selection_field``).
CASE_PATH = "/ims/case/"
_CASE_MINOR = {400: "invalid_selection_field", 401: "unauthorisedrequest", 403: "forbidden",
               404: "unknownobject", 429: "server_busy", 500: "internal_server_error"}


def case_status_info(status: int, detail: str) -> Response:
    """A CASE 1.1 error: ``imsx_StatusInfo`` with the HTTP ``status``."""
    return JSONResponse(status_info(status, detail, code_minor=_CASE_MINOR.get(
        status, "invalid_selection_field")), status_code=status)


def problem_response(request: Request, *, status: int, slug: str, title: str, title_ja: str,
                     detail: str, problems: tuple[Problem, ...] | list[Problem] = ()
                     ) -> Response:
    if request.url.path.startswith(CASE_PATH):
        return case_status_info(status, detail)
    html: HtmlRenderer | None = getattr(request.app.state, "html_errors", None)
    if html is not None and _wants_html(request):
        return html(request, status, title, title_ja, detail)
    body: dict[str, Any] = {
        "type": f"/problems/{slug}",
        "title": title,
        "title_ja": title_ja,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if problems:
        body["errors"] = [_item(problem) for problem in problems]
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def _item(problem: Problem) -> dict[str, str]:
    """A problem as an ``errors`` item; one the core gave as a code in its words in English
    and Japanese, with the code (or, naming the rule it breaks, as a rule's item reads:
    rule, JSON pointer and Japanese)."""
    if not problem.code:
        return problem.to_dict()
    if problem.rule:
        return dataclasses.replace(
            problem, message=problem_said(problem, "en", placed=False),
            message_ja=problem_said(problem, "ja", placed=False)).to_dict()
    return {"location": problem.location, "message": problem_said(problem, "en", placed=False),
            "message_ja": problem_said(problem, "ja", placed=False), "code": problem.code}


def detail_of(exc: CredstackError) -> str:
    """An error's ``detail``: its message, or (given as a code) its words in English and
    Japanese, as credstack's messages have always read (``English / 日本語``)."""
    return f"{said(exc, 'en')} / {said(exc, 'ja')}" if exc.code else exc.message


def error_response(request: Request, exc: Exception) -> Response:
    """The answer to ``exc`` (a :class:`~credstack.errors.CredstackError`), as its handler
    gives it; for a middleware that refuses before any route runs."""
    assert isinstance(exc, CredstackError)
    status = next(code for kind, code in STATUS if isinstance(exc, kind))
    response = status_info_response(request, status, detail_of(exc)) if _ims(request) \
        else problem_response(request, status=status, slug=exc.slug, title=exc.title_en,
                              title_ja=exc.title_ja, detail=detail_of(exc),
                              problems=exc.problems)
    if isinstance(exc, RateLimitedError | StoreBusyError | StoreUnavailableError):
        response.headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, InvalidTokenError):
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    elif isinstance(exc, AuthenticationRequiredError):
        response.headers["WWW-Authenticate"] = 'Bearer realm="credstack"'
    return response


def _ims(request: Request) -> bool:
    """Whether ``request`` is to the OB 3.0 / CLR 2.0 REST APIs, whose errors are
    ``Imsx_StatusInfo`` (their specifications say so) rather than problem details."""
    return request.url.path.startswith(IMS_PATHS)


def status_info_response(request: Request, status: int, description: str) -> Response:
    """An ``Imsx_StatusInfo``; bad input is 400 there (the APIs' responses have no 422)."""
    status = 400 if status == 422 else status
    return JSONResponse(status_info(status, description), status_code=status)


def _from_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # A request body is no descriptor document: its unknown keys are fields (descriptor keys
    # only inside its descriptors), compared with the fields the route's body takes.
    keys = _body_fields(request)
    problems = [problem for error in exc.errors() for problem in describe_validation_errors(
        [error], _location, keys=keys,
        noun="descriptor key" if "descriptors" in error["loc"] else "field")]
    return problem_response(
        request, status=422, slug="invalid-input", title="Invalid input",
        title_ja="入力が正しくありません",
        detail=f"The request has {len(problems)} problem(s); nothing was changed.",
        problems=problems,
    )


def _body_fields(request: Request) -> list[str]:
    """Every field name of the matched route's body models (for "did you mean" hints)."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    params = getattr(dependant, "body_params", None) or []
    return field_names(*(param.field_info.annotation for param in params))


def _location(loc: tuple[str | int, ...]) -> str:
    where, *rest = loc or ("request",)
    path = format_path(rest)
    return f"{where}: {path}" if path else str(where)


def _from_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    titles = {404: ("Not found", "見つかりません"),
              405: ("Method not allowed", "許可されていない操作です")}
    title, title_ja = titles.get(exc.status_code, ("HTTP error", "HTTP エラー"))
    if _ims(request):
        return status_info_response(request, exc.status_code, f"{title}: {exc.detail}")
    return problem_response(request, status=exc.status_code, slug=f"http-{exc.status_code}",
                            title=title, title_ja=title_ja, detail=str(exc.detail))


def install(app: FastAPI, *, html: HtmlRenderer | None = None) -> None:
    """Map every error to a problem response; pages get ``html`` instead when given."""
    app.state.html_errors = html
    app.add_exception_handler(CredstackError, error_response)
    app.add_exception_handler(RequestValidationError, _from_validation)
    app.add_exception_handler(StarletteHTTPException, _from_http)
