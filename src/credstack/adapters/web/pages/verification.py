"""The public verification page: paste or upload a credential, read whether it verifies.

``GET /verify`` shows the form; ``POST /verify`` (``multipart/form-data``: the textarea
``credential`` or the file ``file``) verifies with
:func:`credstack.services.verification.any_format.verify_any`, the one verifier of ``POST
/credentials/verify`` (a presentation is verified as one, and each credential in it), and
shows the verdict, every check with its
reason, the errors and warnings, and what the credential means (achievement, issuer, learner as
stated, descriptors, conformance per framework profile, the registry record, and the
recognition of the programme — valid, withdrawn, expired or none, with who recognised it, the
outcome, conditions, validity and the decision) in the visitor's language.

It works without JavaScript: the form posts, the whole page comes back with the result, and the
form's action ends in ``#verify-result-title``, so the browser scrolls to the result and
focuses its heading (``tabindex="-1"``). With htmx the form posts in place (``HX-Request``):
the answer is the result alone, swapped into ``#verify-result``, plus the verdict for the
``role="status"`` live region, and the result's heading takes the focus (``autofocus``, which
htmx honours after a swap).

Input that cannot be verified at all — nothing given, a file over the size limit or not UTF-8,
text that is neither JSON nor a VC-JWT — is shown as an error next to the form: 422 for a plain
form post, 200 for htmx (which swaps only successful answers). Bodies over the server's limit
(``CREDSTACK_MAX_BODY_BYTES``) are refused by :class:`~.limits.BodySizeLimit` before they reach
this page.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from credstack.adapters.web import i18n
from credstack.adapters.web.dependencies import RuntimeDep
from credstack.adapters.web.pages.programmes import Conformance, DescriptorRow, descriptor_rows
from credstack.adapters.web.pages.rendering import render
from credstack.core.certificates import PDF_CHECK_TITLES
from credstack.core.descriptors import Programme, parse_programme, profiles
from credstack.core.descriptors.catalogue import Scope
from credstack.core.proofs.cryptosuites import sd_jwt
from credstack.core.review.outcomes import Outcome as DecisionOutcome
from credstack.core.verification import (
    CHECK_TITLES,
    MAX_CREDENTIAL_BYTES,
    Check,
    CheckKind,
    VerificationReport,
)
from credstack.errors import CredstackError, DescriptorError, InputTooLargeError
from credstack.services.certificates import documents
from credstack.services.verification import service as verifier
from credstack.services.verification.any_format import verify_any

router = APIRouter(include_in_schema=False)

#: The descriptors the result sums up, in this order (the programme page shows them all).
SUMMARY: Final = ("awarding_body", "learner_effort", "form_of_participation", "languages",
                  "assessment", "levels", "quality_assurance", "certification",
                  "credit_recognition", "stackability")
#: At most this many identifiers of the learner are listed.
MAX_IDENTIFIERS: Final = 10
#: Form fields a request may carry: the textarea, the file, and room for a submit button.
_MAX_FIELDS: Final = 5
_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_ENVELOPE_PREFIX: Final = "data:application/vc+jwt,"

Outcome = Literal["passed", "failed", "not-checked", "info"]


# --- view objects -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InputProblem:
    """Why the input could not be verified at all: a message key and its values."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CheckRow:
    """One check as the page shows it: title, outcome and reason in the page's language."""

    check: Check
    title: str
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class EnclosedRow:
    """One check of an enclosed credential's own report, as the page shows it."""

    name: str
    title: str
    outcome: Outcome
    reason: str


@dataclass(frozen=True, slots=True)
class Enclosed:
    """A credential enclosed in what was verified (a presentation's, a CLR's): its check in
    the report and the checks of its own report."""

    row: CheckRow
    checks: tuple[EnclosedRow, ...]


@dataclass(frozen=True, slots=True)
class Identifier:
    """One way the credential identifies its learner; a hashed one's value is not shown."""

    kind: str
    value: str | None
    hashed: bool

    @property
    def label_key(self) -> str | None:
        """The message naming this kind of identifier (``None``: show the kind as written)."""
        key = f"verify.id_type.{self.kind}"
        return key if key in i18n.MESSAGES else None


@dataclass(frozen=True, slots=True)
class Learner:
    """The learner as the credential states it (nothing here is checked against a person)."""

    id: str | None = None
    name: str | None = None
    identifiers: tuple[Identifier, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.id or self.name or self.identifiers)


@dataclass(frozen=True, slots=True)
class RecognitionItem:
    """One recognition of the programme, as the ``recognition`` check found it."""

    status: str
    number: str | None
    body: str | None
    outcome: str | None
    conditions: str | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    decision_url: str | None
    mark_url: str | None


@dataclass(frozen=True, slots=True)
class RecognitionView:
    """The recognition of the credential's programme: the overall status and each one."""

    status: str
    items: tuple[RecognitionItem, ...]


@dataclass(frozen=True, slots=True)
class Result:
    """Everything the result part of the page shows."""

    report: VerificationReport
    rows: tuple[CheckRow, ...]
    learner: Learner
    programme: Programme | None
    summary: tuple[DescriptorRow, ...]
    conformance: tuple[Conformance, ...]
    registry_url: str | None
    #: The name of the uploaded file that was verified (``None``: the pasted text was).
    filename: str | None = None
    #: Whether text was also pasted, and left aside for the file.
    ignored_paste: bool = False
    #: The recognition of the programme (``None``: not an achievement of this registry).
    recognition: RecognitionView | None = None
    #: The credentials a presentation (or a CLR) holds, each with its own checks.
    enclosed: tuple[Enclosed, ...] = ()

    @property
    def ok(self) -> bool:
        return self.report.ok

    @property
    def failed(self) -> tuple[CheckRow, ...]:
        return tuple(row for row in self.rows if row.outcome == "failed")

    @property
    def errors(self) -> tuple[CheckRow, ...]:
        """Failed checks, then the ones not decided because of them (as VC-API ``errors``)."""
        return self.failed + tuple(row for row in self.rows if row.outcome == "not-checked")


def _title(name: str, language: i18n.Language) -> str:
    titles = CHECK_TITLES.get(name) or PDF_CHECK_TITLES.get(name)
    if titles is None:
        return name
    return titles[1] if language == "ja" else titles[0]


def _outcome(check: Check) -> Outcome:
    return _outcome_of(check.kind.value, check.ok)


def _outcome_of(kind: object, ok: object) -> Outcome:
    if kind == CheckKind.INFO.value:
        return "info"
    if ok is None:
        return "not-checked"
    return "passed" if ok is True else "failed"


def _enclosed(row: CheckRow, language: i18n.Language) -> Enclosed | None:
    """The enclosed credential whose report ``row``'s check carries, if it carries one."""
    report = row.check.details.get("report")
    if not isinstance(report, Mapping):
        return None
    rows = []
    for found in report.get("checks", ()):
        if not isinstance(found, Mapping):
            continue
        name = str(found.get("check"))
        reason = found.get("reason")
        rows.append(EnclosedRow(name, _title(name, language), _outcome_of(found.get("kind"),
                                                                          found.get("ok")),
                                _in(language, reason) or ""))
    return Enclosed(row, tuple(rows))


# --- reading the credential for display -------------------------------------------------


def _b64_json(part: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _from_token(token: str) -> Any:
    claims = _b64_json(token.split(".")[1])
    if isinstance(claims, dict) and isinstance(claims.get("vc"), dict):
        return claims["vc"]
    return claims


def credential_of(text: str) -> dict[str, Any] | None:
    """The credential in ``text`` (JSON, a VC-JWT, an SD-JWT's disclosed claims or an
    enveloped one, or the one credential a presentation holds), read for display only.

    The pipeline has already read (and judged) the same text; this reads it again, leniently,
    to show what it states about the learner. ``None`` when it cannot.
    """
    text = text.strip().removeprefix("\ufeff").strip()
    if sd_jwt.is_sd_jwt(text):
        try:
            return sd_jwt.disclose(sd_jwt.parse(text)).claims
        except CredstackError:
            return None
    try:
        value = json.loads(text) if text.startswith("{") else (
            _from_token(text) if _JWS.fullmatch(text) else None)
        if isinstance(value, dict) and isinstance(value.get("id"), str) and value["id"].startswith(
                _ENVELOPE_PREFIX):
            value = _from_token(value["id"].removeprefix(_ENVELOPE_PREFIX))
    except (ValueError, IndexError, binascii.Error, RecursionError):
        return None
    if isinstance(value, dict) and "VerifiablePresentation" in _types(value):
        # A presentation of one credential is read as that credential.
        held = value.get("verifiableCredential")
        held = held if isinstance(held, list) else [held]
        value = held[0] if len(held) == 1 else None
    return value if isinstance(value, dict) else None


def _types(value: Mapping[str, Any]) -> list[Any]:
    kinds = value.get("type")
    return kinds if isinstance(kinds, list) else [kinds]


def learner_of(credential: Mapping[str, Any] | None) -> Learner:
    """The learner's id, name and identifiers as the credential states them."""
    if credential is None:
        return Learner()
    subject = credential.get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if subject else None
    if not isinstance(subject, Mapping):
        return Learner()
    name = subject.get("name")
    identifiers = []
    found = subject.get("identifier")
    for item in found if isinstance(found, list) else [found]:
        if not isinstance(item, Mapping):
            continue
        kind, value, hashed = item.get("identityType"), item.get("identityHash"), item.get("hashed")
        if not isinstance(kind, str) or not isinstance(value, str):
            continue
        # Only a value the credential says is not hashed is the identifier itself.
        plain = hashed is False
        identifiers.append(Identifier(kind, value if plain else None, not plain))
    subject_id = subject.get("id")
    return Learner(id=subject_id if isinstance(subject_id, str) else None,
                   name=name if isinstance(name, str) else None,
                   identifiers=tuple(identifiers[:MAX_IDENTIFIERS]))


def _registry_url(registry: Mapping[str, Any] | None) -> str | None:
    """Where this registry shows the programme: its page on this very site, when known."""
    if registry is None:
        return None
    programme_id = registry.get("programme_id")
    if isinstance(programme_id, int) and not isinstance(programme_id, bool):
        return f"/programmes/{programme_id}"
    url = registry.get("page_url")
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        return url
    return None


def _day(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        return None


def _in(language: str, texts: object) -> str | None:
    """A language map's text in ``language`` (else the other one)."""
    if not isinstance(texts, Mapping):
        return None
    for tag in (language, "en" if language == "ja" else "ja"):
        text = texts.get(tag)
        if isinstance(text, str) and text:
            return text
    return None


def recognition_view(report: VerificationReport, language: i18n.Language
                     ) -> RecognitionView | None:
    """The ``recognition`` check's findings for the page (``None`` when it did not run)."""
    check = report.check("recognition")
    if check is None:
        return None
    items = []
    for found in check.details.get("recognitions", ()):
        if not isinstance(found, Mapping):
            continue
        issuer = found.get("issuer") if isinstance(found.get("issuer"), Mapping) else {}
        assert isinstance(issuer, Mapping)
        number = found.get("number") if isinstance(found.get("number"), str) else None
        try:
            outcome: str | None = DecisionOutcome(str(found.get("outcome"))).label.text(language)
        except ValueError:
            outcome = None
        url = found.get("decision_url")
        items.append(RecognitionItem(
            status=str(found.get("status")), number=number,
            body=_in(language, issuer.get("names")) or (
                issuer.get("name") if isinstance(issuer.get("name"), str) else None),
            outcome=outcome, conditions=_in(language, found.get("conditions")),
            valid_from=_day(found.get("valid_from")), valid_until=_day(found.get("valid_until")),
            decision_url=url if isinstance(url, str) and url.startswith(("https://", "http://"))
            else None,
            mark_url=(f"/recognitions/{number}/mark.svg?lang={language}"
                      if number is not None and found.get("status") == "valid" else None)))
    return RecognitionView(str(check.details.get("status") or check.code), tuple(items))


def result_of(report: VerificationReport, text: str, language: i18n.Language, *,
              filename: str | None = None, ignored_paste: bool = False) -> Result:
    rows = tuple(CheckRow(check, _title(check.name, language), _outcome(check))
                 for check in report.checks)
    meaning = report.meaning
    programme = None
    summary: tuple[DescriptorRow, ...] = ()
    conformance: tuple[Conformance, ...] = ()
    if meaning is not None and meaning.descriptors is not None:
        try:
            programme = parse_programme(dict(meaning.descriptors),
                                        source="credentialSubject.achievement")
        except DescriptorError:
            programme = None
        known = profiles()
        conformance = tuple(Conformance(known[r.profile], r) for r in meaning.conformance
                            if r.profile in known)
    if programme is not None:
        summary = tuple(row for row in descriptor_rows(programme, (c.report for c in conformance))
                        if row.descriptor.key in SUMMARY and row.descriptor.scope is not Scope.AWARD
                        and row.value is not None)
        summary = tuple(sorted(summary, key=lambda row: SUMMARY.index(row.descriptor.key)))
    return Result(report=report, rows=rows, learner=learner_of(credential_of(text)),
                  programme=programme, summary=summary, conformance=conformance,
                  registry_url=_registry_url(meaning.registry if meaning else None),
                  filename=filename, ignored_paste=ignored_paste,
                  recognition=recognition_view(report, language),
                  enclosed=tuple(found for found in (_enclosed(row, language) for row in rows)
                                 if found is not None))


def size_text(size: int) -> str:
    """A size as people read it: 980 bytes, 512 KB, 1 MB."""
    if size < 1024:
        return f"{size:,} B"
    if size < 1024 * 1024:
        return f"{size / 1024:,.0f} KB"
    return f"{size / (1024 * 1024):,.1f} MB".replace(".0 MB", " MB")


# --- reading the form -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Input:
    text: str
    filename: str | None = None
    ignored_paste: bool = False
    #: An uploaded PDF certificate (``%PDF-``), verified by the certificates service.
    pdf: bytes | None = None


class _Unusable(Exception):
    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.problem = InputProblem(key, values)


def limit_for(request: Request) -> int:
    """The largest credential this page reads: the pipeline's limit, or the server's if lower."""
    limit: int = min(MAX_CREDENTIAL_BYTES, request.app.state.settings.max_body_bytes)
    return limit


async def _read_form(request: Request) -> FormData:
    limit = limit_for(request)
    try:
        # A pasted credential is a form field: starlette's own cap on fields (1 MB) would
        # refuse one the pipeline accepts, so the cap is the page's limit (plus slack for
        # the line breaks a browser normalises to CR LF).
        return await request.form(max_files=1, max_fields=_MAX_FIELDS,
                                  max_part_size=limit + 64 * 1024)
    except InputTooLargeError:
        raise _Unusable("verify.error.too_large", limit=size_text(limit)) from None
    except StarletteHTTPException as exc:
        raise _Unusable("verify.error.form", reason=str(exc.detail)) from None


def _pasted(form: FormData) -> str:
    value = form.get("credential")
    return value if isinstance(value, str) else ""


async def _input_of(form: FormData, limit: int) -> _Input:
    """The text to verify: the uploaded file if one was chosen, else the pasted text."""
    pasted = _pasted(form)
    upload = form.get("file")
    if isinstance(upload, UploadFile):
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise _Unusable("verify.error.too_large", limit=size_text(limit))
        if data.lstrip().startswith(b"%PDF-"):
            return _Input("", filename=upload.filename or "certificate.pdf",
                          ignored_paste=bool(pasted.strip()), pdf=data)
        if data.strip():
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise _Unusable("verify.error.not_utf8") from None
            return _Input(text, filename=upload.filename or "credential",
                          ignored_paste=bool(pasted.strip()))
        if upload.filename:
            raise _Unusable("verify.error.empty_file", name=upload.filename)
    if not pasted.strip():
        raise _Unusable("verify.error.empty")
    if len(pasted.encode("utf-8", "surrogatepass")) > limit:
        raise _Unusable("verify.error.too_large", limit=size_text(limit))
    return _Input(pasted)


# --- routes -----------------------------------------------------------------------------


def _page(request: Request, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    is_htmx = request.headers.get("hx-request") == "true"
    template = "verify_result.html" if is_htmx else "verify.html"
    context.setdefault("result", None)
    context.setdefault("problem", None)
    context.setdefault("pasted", "")
    context.setdefault("submitted", False)
    result: Result | None = context["result"]
    context["status_key"] = ("verify.status.problem" if result is None else
                             "verify.status.verified" if result.ok else
                             "verify.status.not_verified")
    # htmx swaps only successful answers; an unusable input is still shown in place.
    return render(request, template, section="verify", status_code=200 if is_htmx else status_code,
                  limit=size_text(limit_for(request)), oob=is_htmx, **context)


@router.get("/verify", response_class=HTMLResponse)
def verify_form(request: Request) -> HTMLResponse:
    return _page(request)


@router.post("/verify", response_class=HTMLResponse)
async def verify_submitted(request: Request, runtime: RuntimeDep) -> HTMLResponse:
    language = i18n.negotiate(request).language
    pasted = ""
    try:
        form = await _read_form(request)
        # What was pasted is shown again, so that it can be corrected.
        pasted = _pasted(form)
        try:
            given = await _input_of(form, limit_for(request))
        finally:
            await form.close()
    except _Unusable as unusable:
        return _page(request, status_code=422, problem=unusable.problem, submitted=True,
                     pasted=pasted)
    if given.pdf is not None:
        try:
            checked = await run_in_threadpool(documents.verify_certificate, runtime,
                                              data=given.pdf)
        except CredstackError as exc:
            problem = InputProblem("verify.error.unreadable", {"reason": exc.message})
            return _page(request, status_code=422, problem=problem, submitted=True,
                         pasted=pasted)
        report = checked.report
        given = _Input(checked.credential or "", filename=given.filename,
                       ignored_paste=given.ignored_paste)
    else:
        report = await run_in_threadpool(
            verify_any, given.text, now=runtime.now(),
            sources=verifier.VerificationSources.for_runtime(runtime),
            settings=runtime.settings, sessions=runtime.sessions)
    parse = report.check("parse")
    if parse is not None and parse.failed:
        problem = InputProblem("verify.error.unreadable", {"reason": parse.reason(language)})
        return _page(request, status_code=422, problem=problem, submitted=True, pasted=pasted)
    result = result_of(report, given.text, language, filename=given.filename,
                       ignored_paste=given.ignored_paste)
    return _page(request, result=result, submitted=True, pasted=pasted)
