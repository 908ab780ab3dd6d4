"""The employer's page: several credentials verified at once and read side by side.

``GET /verify/compare`` shows the form; ``POST /verify/compare`` (``multipart/form-data``:
the files ``files`` — several at once, ``<input type=file multiple>`` —, the textarea
``credentials`` with credentials, VC-JWTs, VP-JWTs, presentations or share links pasted, the
share link's ``access_code`` and the ``strict`` checkbox) verifies them with
:func:`credstack.services.candidates.comparison.compare` and answers with one table: a row
per credential (a presentation's and a share link's credentials each have their own), and
for each the verdict in plain words (verified; or not, and why: revoked, expired, changed
after signing, an issuer whose key cannot be found …), the issuer, what was achieved, the
learner, the dates, hours, credits, level, how it was assessed, whether a recognition body on
this platform recognises the programme, and its skills. An input that could not be verified
has a row of its own saying which and why; the others are still verified. A presentation's
own checks (the holder's signature) are said above the table.

The table is a real ``<table>`` (a caption, ``<th scope>`` for the facts and for each
credential); on a phone's screen each row becomes a card, the facts labelled (the stylesheet;
the roles are written out so that the table stays a table to assistive technology). No
JavaScript is needed: the form posts and the page comes back with the table, its heading
focused through the action's fragment.

Public and stateless like ``/verify``: nothing is stored (opening a share link counts a
view), so there is no session and no CSRF token to check. The body may be larger than the
server's general limit (:data:`COMPARE_BODY_BYTES`, set in the application); a body declared
larger is answered here, in the visitor's language, without reading it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from credstack.core.descriptors.models import AssessmentMethod, Supervision
from credstack.core.verification import MAX_CREDENTIAL_BYTES
from credstack.core.verification.comparison import Column, Comparison, PresentationSummary
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import client_ip
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.rendering import render
from credstack.entrypoints.web.pages.verification_input import InputProblem, size_text
from credstack.entrypoints.web.pages.wallet.views import credit_text, framework_name, level_text
from credstack.errors import InputTooLargeError
from credstack.services.candidates import comparison as service
from credstack.services.certificates.verification import MAX_PDF_BYTES
from credstack.words import words

router = APIRouter(include_in_schema=False)

#: The largest body this page (and ``POST /api/verify/batch``) reads: every input together,
#: and room for the form's own framing.
COMPARE_BODY_BYTES: Final = service.MAX_TOTAL_BYTES + 256 * 1024
#: Files a form may carry: more than the credentials compared, so that those over the limit
#: are named rather than refused all together.
MAX_FILES: Final = 100
_UNDETERMINED: Final = "und"
_ICONS: Final = {"verified": "✓", "verified-with-warnings": "!", "not-verified": "✗",
                 "could-not-be-checked": "?", "unusable": "!"}


# --- view objects -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """A text, and its language when it is not the page's (for ``lang``)."""

    text: str
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """One credential as the table shows it, in the page's language."""

    column: Column
    icon: str
    title: Text | None
    reasons: tuple[str, ...]
    #: The issuer's name: the registry's where a trusted registry lists it, else as the
    #: credential states it.
    issuer: str | None
    #: Whether the name is only what a credential that did not verify states.
    issuer_claimed: bool
    #: The issuer's DID or URL: a technical detail, never shown as its name.
    issuer_id: str | None
    learner: str | None
    issued: dt.date | None
    expires: dt.date | None
    expired: bool
    credits: tuple[str, ...]
    levels: tuple[tuple[str, str | None], ...]
    assessment: tuple[str, ...]
    recognition_bodies: tuple[str, ...]
    skills: tuple[Text, ...]

    @property
    def outcome(self) -> str:
        return self.column.outcome


def _pick(texts: Any, language: str) -> Text | None:
    """A multilingual map's text in ``language``, else unstated, else another (marked)."""
    if not texts:
        return None
    for tag in (language, _UNDETERMINED):
        if texts.get(tag):
            return Text(texts[tag])
    tag, text = next(iter(texts.items()))
    return Text(text, tag if tag != _UNDETERMINED else None)


def _label(enum: type[AssessmentMethod] | type[Supervision], value: str,
           t: i18n.Translator) -> str:
    try:
        return t.label(enum(value))
    except ValueError:
        return value


def _listed_name(trust: Mapping[str, Any] | None, language: str) -> str | None:
    """The issuer's name in the first trusted registry that recognises it, if any."""
    for listing in (trust or {}).get("listings") or ():
        name = _pick(listing.get("name"), language) if listing.get("recognised") else None
        if name is not None:
            return name.text
    return None


def row_of(column: Column, t: i18n.Translator, now: dt.datetime) -> Row:
    language = t.language
    verdict, entry = column.verdict, column.entry
    reasons: tuple[str, ...] = ()
    if verdict is not None:
        reasons = tuple(words(reason.said, language) for reason in verdict.reasons)
    elif column.problem is not None:
        reasons = (words(column.problem, language),)
    title = None
    if entry is not None:
        title = _pick(entry.title, language)
    if title is None and verdict is not None:
        title = _pick(verdict.achievement, language)
    assessment = tuple(_label(AssessmentMethod, method, t)
                       for method in column.assessment.methods)
    if column.assessment.supervision:
        assessment += (_label(Supervision, column.assessment.supervision, t),)
    if column.assessment.participation_only:
        assessment += (str(t("vcompare.participation_only")),)
    return Row(
        column=column, icon=_ICONS[column.outcome], title=title, reasons=reasons,
        issuer=_listed_name(column.trust, language)
        or (verdict.issuer_name(language) if verdict is not None else None)
        or (entry.issuer_name if entry is not None else None),
        issuer_claimed=verdict is not None and not verdict.attested,
        issuer_id=verdict.issuer_id if verdict is not None else None,
        learner=verdict.learner(language) if verdict is not None else None,
        issued=entry.issued.date() if entry is not None and entry.issued else None,
        expires=entry.expires.date() if entry is not None and entry.expires else None,
        expired=entry is not None and entry.expired(now),
        credits=tuple(credit_text(t, system, amount)
                      for system, amount in (entry.credits if entry else ())),
        levels=tuple((level_text(t, framework, level), framework_name(t, framework))
                     for framework, level in (entry.levels if entry else ())),
        assessment=assessment,
        recognition_bodies=tuple(text.text for text in (
            _pick(body, language) for body in column.recognition.bodies) if text),
        skills=tuple(text for text in (_pick(skill.name, language)
                                       for skill in column.skills) if text))


@dataclass(frozen=True, slots=True)
class Result:
    comparison: Comparison
    rows: tuple[Row, ...]

    @property
    def presentations(self) -> tuple[PresentationSummary, ...]:
        return self.comparison.presentations


# --- reading the form -------------------------------------------------------------------


class _Unusable(Exception):
    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.problem = InputProblem(key, values)


def _declared_size(request: Request) -> int | None:
    declared = request.headers.get("content-length", "")
    return int(declared) if declared.isdigit() else None


async def _read_form(request: Request) -> FormData:
    declared = _declared_size(request)
    if declared is not None and declared > COMPARE_BODY_BYTES:
        # Said from the declared length: the body is not read at all.
        raise _Unusable("vcompare.error.too_large", limit=size_text(service.MAX_TOTAL_BYTES))
    try:
        return await request.form(max_files=MAX_FILES, max_fields=10,
                                  max_part_size=COMPARE_BODY_BYTES)
    except InputTooLargeError:
        raise _Unusable("vcompare.error.too_large",
                        limit=size_text(service.MAX_TOTAL_BYTES)) from None
    except StarletteHTTPException as exc:
        raise _Unusable("vcompare.error.form", reason=str(exc.detail)) from None


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def _inputs(form: FormData, t: i18n.Translator) -> list[service.Given]:
    """The chosen files (in the order chosen), then what was pasted."""
    given: list[service.Given] = []
    for upload in form.getlist("files"):
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        # Never more than the largest input plus one byte: the service names what is over.
        data = await upload.read(max(MAX_PDF_BYTES, MAX_CREDENTIAL_BYTES) + 1)
        given.append(service.Given(upload.filename, data, "file"))
    given.extend(service.pasted(_field(form, "credentials"),
                                word=str(t("vcompare.pasted_word"))))
    return given


# --- routes -----------------------------------------------------------------------------


def _render(request: Request, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("result", None)
    context.setdefault("problem", None)
    context.setdefault("pasted", "")
    context.setdefault("strict", False)
    return render(request, "verify_compare.html", section="verify", status_code=status_code,
                  max_credentials=service.MAX_CREDENTIALS,
                  file_limit=size_text(MAX_PDF_BYTES),
                  total_limit=size_text(service.MAX_TOTAL_BYTES), **context)


@router.get("/verify/compare", response_class=HTMLResponse)
def compare_form(request: Request) -> HTMLResponse:
    return _render(request)


@router.post("/verify/compare", response_class=HTMLResponse)
async def compare_submitted(request: Request, runtime: RuntimeDep) -> HTMLResponse:
    t = i18n.Translator(i18n.negotiate(request).language)
    pasted, strict = "", False
    try:
        form = await _read_form(request)
        try:
            pasted, strict = _field(form, "credentials"), form.get("strict") is not None
            given = await _inputs(form, t)
            code = _field(form, "access_code").strip() or None
        finally:
            await form.close()
        if not given:
            raise _Unusable("vcompare.error.empty")
    except _Unusable as unusable:
        status = 413 if unusable.problem.key == "vcompare.error.too_large" else 422
        return _render(request, status_code=status, problem=unusable.problem,
                       pasted=pasted, strict=strict)
    compared = await run_in_threadpool(service.compare, runtime, given=given, strict=strict,
                                       access_code=code, ip=client_ip(request))
    now = runtime.now()
    result = Result(compared, tuple(row_of(column, t, now) for column in compared.columns))
    return _render(request, result=result, pasted=pasted, strict=strict)
