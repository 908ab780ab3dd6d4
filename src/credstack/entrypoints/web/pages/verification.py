"""The public verification page: paste or upload a credential, read whether it verifies.

``GET /verify`` shows the form; ``POST /verify`` (``multipart/form-data``: the textarea
``credential``, the file ``file`` and the checkbox ``strict``) verifies with the one verifier,
:func:`credstack.services.formats.verify_any` — the pipeline of ``POST
/credentials/verify`` — whatever was given: pasted JSON or a VC-JWT, or a file holding one, a
badge image (PNG, SVG) with a credential baked in, or a signed PDF certificate (the
certificate tells employers to upload it here). The page shows the verdict a person reads
(:func:`credstack.core.verification.verdict_of`: verified, verified with warnings or not
verified; who earned what from whom; what is wrong in plain words), every check with its
reason, the errors and warnings, and what the credential means (achievement, issuer, learner
as stated, descriptors, conformance per framework profile, the registry record, and the
recognition of the programme — valid, withdrawn, expired or none, with who recognised it, the
outcome, conditions, validity and the decision) in the visitor's language. An authentic
credential that breaks Open Badges 3.0 shape rules verifies with warnings; the ``strict``
checkbox makes those findings fail it (the verdict policy of
:mod:`credstack.core.verification.report`).

It works without JavaScript: the form posts, the whole page comes back with the result, and the
form's action ends in ``#verify-result-title``, so the browser scrolls to the result and
focuses its heading (``tabindex="-1"``). With htmx the form posts in place (``HX-Request``):
the answer is the result alone, swapped into ``#verify-result``, plus the verdict for the
``role="status"`` live region, and the result's heading takes the focus (``autofocus``, which
htmx honours after a swap).

Input that cannot be verified at all — nothing given, an upload over the size limit, a file
that is neither text nor a badge image nor a PDF, an image with no credential baked in, text
that is neither JSON nor a VC-JWT — is shown as an error next to the form: 422 (413 for an
upload over the server's limit) for a plain form post, 200 for htmx (which swaps only
successful answers). An upload larger than the server accepts
(``CREDSTACK_MAX_BODY_BYTES``) is answered by this page from its declared length, without
reading it (:class:`~.limits.BodySizeLimit` lets this path answer for itself, and still never
reads more than the limit).

Pasted text that is an address of this site — a credential's own verification page, the share
link a learner copies from the wallet, where a credential's badge, PDF certificate, EDC or
file downloads from — is read from the store, as the page that verifies several reads it, and
the result says so (:mod:`.verification_input`): the server never fetches its own pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from credstack.core import vocabularies
from credstack.core.activity.events import Channel
from credstack.core.credentials.openbadges_v3.profile import CREDIT_RECOGNITION_TYPE
from credstack.core.dates import day_in
from credstack.core.descriptors import Programme, parse_programme, profiles
from credstack.core.descriptors.catalogue import Scope
from credstack.core.review.outcomes import Outcome as DecisionOutcome
from credstack.core.verification import (
    Check,
    Meaning,
    Outcome,
    Verdict,
    VerificationReport,
    untrusted,
    verdict_of,
)
from credstack.core.verification.report import CheckOutcome, check_outcome
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.scripts import script_of
from credstack.entrypoints.web.pages.programmes import Conformance, DescriptorRow, descriptor_rows
from credstack.entrypoints.web.pages.rendering import badge_src, render
from credstack.entrypoints.web.pages.verification_input import (
    InputProblem,
    Unusable,
    given_in,
    pasted_text,
    read_form,
    resolved,
    size_text,
    upload_limit,
)
from credstack.entrypoints.web.pages.verification_securing import (
    Securing,
    check_passed,
    securing_in,
    securing_of,
)
from credstack.entrypoints.web.pages.verification_trust import TrustView, trust_of
from credstack.errors import CredstackError, DescriptorError
from credstack.services import counting
from credstack.services.formats import verify_any
from credstack.services.verification import service as verifier
from credstack.words import error_words

router = APIRouter(include_in_schema=False)

#: The descriptors the result sums up, in this order (the programme page shows them all).
SUMMARY: Final = ("awarding_body", "learner_effort", "form_of_participation", "languages",
                  "assessment", "levels", "quality_assurance", "certification",
                  "credit_recognition", "stackability")
#: At most this many identifiers of the learner are listed.
MAX_IDENTIFIERS: Final = 10

RowOutcome = CheckOutcome

#: The live region's words for each outcome.
STATUS_KEYS: Final = {Outcome.VERIFIED: "verify.status.verified",
                      Outcome.WITH_WARNINGS: "verify.status.verified_with_warnings",
                      Outcome.NOT_VERIFIED: "verify.status.not_verified",
                      Outcome.UNDECIDED: "verify.status.undecided"}


# --- view objects -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckRow:
    """One check as the page shows it: title, outcome and reason in the page's language."""

    check: Check
    title: str
    outcome: RowOutcome


@dataclass(frozen=True, slots=True)
class EnclosedRow:
    """One check of an enclosed credential's own report, as the page shows it."""

    name: str
    title: str
    outcome: RowOutcome
    reason: str


@dataclass(frozen=True, slots=True)
class Enclosed:
    """A credential enclosed in what was verified (a presentation's, a CLR's): its check in
    the report and the checks of its own report."""

    row: CheckRow
    checks: tuple[EnclosedRow, ...]
    #: How the enclosed credential is secured (``None``: it could not be read).
    securing: Securing | None = None


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
        return key if i18n.is_message(key) else None


@dataclass(frozen=True, slots=True)
class Learner:
    """The learner as the credential states it (nothing here is checked against a person)."""

    id: str | None = None
    names: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.id or self.names or self.identifiers)

    @property
    def labelled_names(self) -> tuple[tuple[str, int | None, str], ...]:
        """Each name with the message that labels it and, where its script repeats, its
        number among the names in that script: by its script when there are several (one per
        script, as credentials write a Japanese learner), so that no two read just "Name" —
        two Latin names read "Name in the Latin alphabet 1" and "… 2"; "Name" alone when there
        is one."""
        if len(self.names) < 2:
            return tuple(("verify.learner_name", None, name) for name in self.names)
        scripts = [script_of(name) for name in self.names]
        labelled = []
        for index, (script, name) in enumerate(zip(scripts, self.names, strict=True)):
            repeated = scripts.count(script) > 1
            number = scripts[:index + 1].count(script) if repeated else None
            labelled.append((f"verify.learner_name.{script}", number, name))
        return tuple(labelled)



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
    #: The headline: the outcome, who earned what from whom, what is wrong.
    verdict: Verdict
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
    #: The message saying where the credential was read from, when an address of this site
    #: was given for it (:mod:`.verification_input`).
    source: str | None = None
    #: The recognition of the programme (``None``: not an achievement of this registry).
    recognition: RecognitionView | None = None
    #: The badge image of the credential's programme version, when it is one of this
    #: registry's (``/badges/{id}/v{version}.svg``; images elsewhere are not loaded).
    badge_url: str | None = None
    #: The credentials a presentation (or a CLR) holds, each with its own checks.
    enclosed: tuple[Enclosed, ...] = ()
    #: Whether the issuer is in a registry the server trusts (``None``: none configured).
    trust: TrustView | None = None
    #: The date of issue the credential states (its ``validFrom``, in VC 1.1 its
    #: ``issuanceDate``): the one date every artefact of it shows.
    issued: dt.date | None = None
    #: How it is secured (``None``: it could not be read, or it has no proof).
    securing: Securing | None = None
    #: Whether it is a credit recognition (a credit bank's approved decision,
    #: :mod:`credstack.core.creditbank.recognised`): no programme of any registry, so the
    #: page says whose credit bank recorded it where a programme's registry entry is told.
    credit_recognition: bool = False

    @property
    def attested(self) -> bool:
        """Whether what it states is its issuer's word (:attr:`VerificationReport.attested`):
        else the page shows no mark of trust, and what it states as claims."""
        return self.report.attested

    @property
    def ok(self) -> bool:
        """Verified, by the report and, where trust is required, by the trust line."""
        return self.report.ok and self.verdict.verified

    @property
    def status_key(self) -> str:
        """The message of the live region that says the outcome."""
        return STATUS_KEYS[self.verdict.outcome]

    @property
    def failed(self) -> tuple[CheckRow, ...]:
        return tuple(row for row in self.rows if row.outcome == "failed")

    @property
    def errors(self) -> tuple[CheckRow, ...]:
        """Failed checks, the undecided ones, then the ones not run because of them (as
        VC-API ``errors``)."""
        return self.failed + tuple(row for row in self.rows if row.outcome == "undecided"
                                   and self.report.decides(row.check)) + tuple(
            row for row in self.rows if row.outcome == "not-checked"
            and self.report.decides(row.check))


def _title(name: str, language: i18n.Language) -> str:
    """The check's title in the reader's language: a credential's check, else a PDF's."""
    return (vocabularies.name("verification-check", name, language)
            or vocabularies.name("pdf-check", name, language) or name)


def _outcome(check: Check, report: VerificationReport) -> RowOutcome:
    return check_outcome(check.kind.value, check.ok, finding=check in report.findings,
                         missing=check.missing)


def _enclosed(row: CheckRow, language: i18n.Language) -> Enclosed | None:
    """The enclosed credential whose report ``row``'s check carries, if it carries one."""
    report = row.check.details.get("report")
    if not isinstance(report, Mapping):
        return None
    rows = []
    details: dict[str, Mapping[str, Any]] = {}
    for found in report.get("checks", ()):
        if not isinstance(found, Mapping):
            continue
        if isinstance(found.get("details"), Mapping):
            details[str(found.get("check"))] = found["details"]
        name = str(found.get("check"))
        reason = found.get("reason")
        rows.append(EnclosedRow(name, _title(name, language), check_outcome(found.get("kind"),
                                                                           found.get("ok")),
                                _in(language, reason) or ""))
    return Enclosed(row, tuple(rows), securing_of(details.get("parse"), details.get("proof"),
                                                  passed=check_passed(report, "proof")))


# --- reading the credential for display -------------------------------------------------


def learner_of(meaning: Meaning | None) -> Learner:
    """The learner's id, names and identifiers as the credential states them."""
    if meaning is None:
        return Learner()
    identifiers = tuple(Identifier(item.kind, item.value, item.hashed)
                        for item in meaning.learner_identifiers[:MAX_IDENTIFIERS])
    return Learner(id=meaning.learner_id, names=meaning.learner_names, identifiers=identifiers)


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


def _in(language: i18n.Language, texts: object) -> str | None:
    """A language map's text in ``language``, else English, else Japanese (as
    :meth:`~.i18n.Translator.pick` chooses among them)."""
    if not isinstance(texts, Mapping):
        return None
    written: dict[str, str] = {tag: texts[tag] for tag in dict.fromkeys((language, "en", "ja"))
               if isinstance(texts.get(tag), str) and texts[tag]}
    return i18n.Translator(language).pick(written)[1] if written else None


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
            valid_from=day_in(found.get("valid_from")),
            valid_until=day_in(found.get("valid_until")),
            decision_url=url if isinstance(url, str) and url.startswith(("https://", "http://"))
            else None,
            mark_url=(f"/recognitions/{number}/mark.svg?lang={language}"
                      if number is not None and found.get("status") == "valid" else None)))
    return RecognitionView(str(check.details.get("status") or check.code), tuple(items))


def result_of(report: VerificationReport, language: i18n.Language, *,
              filename: str | None = None, ignored_paste: bool = False,
              source: str | None = None, public_url: str | None = None,
              trust: TrustView | None = None) -> Result:
    """The result part of a page. Beside a credential its issuer did not sign as it reads,
    nothing vouches: no trust line, no recognition of the programme it names (not even as a
    row of the checks), not the registry's badge of that programme, and nothing of the
    programme it describes (its descriptors, their summary, its conformance), which could be
    anything and would be laid out as a real programme's."""
    attested = report.attested
    rows = tuple(CheckRow(check, _title(check.name, language), _outcome(check, report))
                 for check in report.checks if attested or check.name != "recognition")
    meaning = report.meaning
    programme = None
    summary: tuple[DescriptorRow, ...] = ()
    conformance: tuple[Conformance, ...] = ()
    if attested and meaning is not None and meaning.descriptors is not None:
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
    verdict = verdict_of(report)
    if trust is not None and trust.required:
        verdict = untrusted(verdict, state=trust.state)
    return Result(report=report, verdict=verdict, rows=rows,
                  learner=learner_of(meaning),
                  programme=programme, summary=summary, conformance=conformance,
                  registry_url=_registry_url(meaning.registry if meaning else None),
                  filename=filename, ignored_paste=ignored_paste, source=source,
                  recognition=recognition_view(report, language) if attested else None,
                  enclosed=tuple(found for found in (_enclosed(row, language) for row in rows)
                                 if found is not None),
                  badge_url=badge_src(meaning.achievement_id if meaning and attested else None,
                                      public_url),
                  trust=trust if attested else None, issued=_issued(report),
                  securing=securing_in(report),
                  credit_recognition=meaning is not None
                  and meaning.achievement_type == CREDIT_RECOGNITION_TYPE)


def _issued(report: VerificationReport) -> dt.date | None:
    """The date of issue as the validity check read it from the credential (the day in the
    zone the credential writes, as the wallet reads it)."""
    validity = report.check("validity")
    if validity is None:
        return None
    for name in ("validFrom", "issuanceDate"):
        day = day_in(validity.details.get(name))
        if day is not None:
            return day
    return None


# --- routes -----------------------------------------------------------------------------


def render_result(request: Request, *, status_code: int = 200, **context: Any
                  ) -> HTMLResponse:
    """The page (or, for htmx, the result alone) with ``result`` or ``problem`` shown."""
    is_htmx = request.headers.get("hx-request") == "true"
    template = "verify_result.html" if is_htmx else "verify.html"
    context.setdefault("result", None)
    context.setdefault("problem", None)
    context.setdefault("pasted", "")
    context.setdefault("strict", False)
    context.setdefault("submitted", False)
    context.setdefault("stored", False)
    result: Result | None = context["result"]
    context["status_key"] = ("verify.status.problem" if result is None else result.status_key)
    # htmx swaps only successful answers; an unusable input is still shown in place.
    return render(request, template, section="verify", status_code=200 if is_htmx else status_code,
                  limit=size_text(upload_limit(request)), oob=is_htmx, **context)


@router.get("/verify", response_class=HTMLResponse)
def verify_form(request: Request) -> HTMLResponse:
    return render_result(request)


@router.post("/verify", response_class=HTMLResponse)
async def verify_submitted(request: Request, runtime: RuntimeDep) -> HTMLResponse:
    language = i18n.negotiate(request).language
    pasted, strict = "", False
    try:
        form = await read_form(request)
        # What was pasted (and the policy chosen) is shown again, so that it can be corrected.
        pasted, strict = pasted_text(form), form.get("strict") is not None
        try:
            given = await given_in(form, request)
        finally:
            await form.close()
        given = await resolved(given, runtime, request)
    except Unusable as unusable:
        status = 413 if unusable.problem.key == "verify.error.upload_too_large" else 422
        return render_result(request, status_code=status, problem=unusable.problem,
                             submitted=True, pasted=pasted, strict=strict)
    report = given.report
    try:
        if report is None:
            report = await run_in_threadpool(
                verify_any, given.data, now=runtime.now(),
                sources=verifier.VerificationSources.for_runtime(runtime),
                settings=runtime.settings, sessions=runtime.sessions, strict=given.strict)
    except CredstackError as exc:
        # A PDF or image that cannot be read at all (damaged, no credential baked in).
        # Worded in the reader's language where the core raised it with a code.
        problem = InputProblem("verify.error.unreadable",
                               {"reason": error_words(exc, language)})
        return render_result(request, status_code=422, problem=problem, submitted=True,
                             pasted=pasted, strict=strict)
    parse = report.check("parse")
    if parse is not None and parse.failed:
        problem = InputProblem("verify.error.unreadable",
                               {"reason": i18n.Translator(language).reason(parse)})
        return render_result(request, status_code=422, problem=problem, submitted=True,
                             pasted=pasted, strict=strict)
    trusted = await run_in_threadpool(trust_of, runtime, report)
    result = result_of(report, language, filename=given.filename,
                       ignored_paste=given.ignored_paste, source=given.source,
                       public_url=runtime.settings.public_url, trust=trusted)
    if given.report is None:
        # A credential of ours verified here: its issuer's view counts it (nothing else is
        # kept; a share link's opening counted a view).
        await run_in_threadpool(counting.count_verification, runtime, document=given.data,
                                channel=Channel.PAGE)
    return render_result(request, result=result, submitted=True, pasted=pasted, strict=strict)
