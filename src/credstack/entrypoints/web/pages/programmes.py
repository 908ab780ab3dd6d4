"""The pages for people: home, the programme list, one programme, the frameworks, errors.

Visitors see published versions only: drafts are the providers' business. The registry's
other pages — search, providers, comparison, sitemaps — are in :mod:`.registry_pages`.

Server-rendered Jinja2 (autoescaped) that works without JavaScript; htmx, vendored under
``/static/vendor``, only appends the next rows of the programme list (a request with the
``HX-Request`` header gets the rows alone). Routes stay thin: they read through the
services, validate with the core and hand small view objects to a template, which speaks
the visitor's language through :class:`~credstack.entrypoints.web.i18n.Translator`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from credstack.core.descriptors import Profile, ProfileReport, Programme, profiles, rules, validate
from credstack.core.descriptors.catalogue import (
    CreditSystemInfo,
    Descriptor,
    Scope,
    credit_systems,
    descriptors,
    equivalent_credits,
)
from credstack.core.descriptors.elm.register import left_out_because
from credstack.core.descriptors.findings import Severity
from credstack.core.descriptors.validation import (
    NOT_A_MICRO_CREDENTIAL,
    DescriptorCheck,
    Requirement,
)
from credstack.core.registry.comparison import MAX_PROGRAMMES, parse_ids
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.caching import Cached, answer, kept, remembered
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n import Choice
from credstack.entrypoints.web.ids import MAX_ID
from credstack.entrypoints.web.pages.rendering import SECURITY_HEADERS, render, with_query
from credstack.entrypoints.web.pages.targets import stacks_into
from credstack.errors import InputError, NotFoundError
from credstack.services.console import moderation
from credstack.services.organisations import providers
from credstack.services.programmes import published
from credstack.services.programmes.generations import known_page_generation, page_generation
from credstack.services.programmes.views import StoredProgramme
from credstack.services.recognitions.service import RecognitionRecord
from credstack.services.runtime import Runtime
from credstack.services.skills.alignments import with_alignments
from credstack.services.skills.levels import frameworks as level_frameworks
from credstack.services.skills.levels import levels_in

#: Rows per page of the programme list.
PAGE_SIZE = 20
#: The largest id a database integer key can hold; larger ids cannot exist.

router = APIRouter(include_in_schema=False)


# --- view objects -----------------------------------------------------------------------


class Verdict(StrEnum):
    CONFORMS = "conforms"
    DOES_NOT_CONFORM = "does-not-conform"
    NOT_A_MICRO_CREDENTIAL = "not-a-micro-credential"


@dataclass(frozen=True, slots=True)
class Conformance:
    """One programme against one framework profile."""

    profile: Profile
    report: ProfileReport

    @property
    def verdict(self) -> Verdict:
        if not self.report.is_micro_credential:
            return Verdict.NOT_A_MICRO_CREDENTIAL
        return Verdict.CONFORMS if self.report.conforms else Verdict.DOES_NOT_CONFORM

    def count(self, severity: Severity | str) -> int:
        return sum(1 for finding in self.report.findings if finding.severity == severity)


def conformance(programme: Programme) -> tuple[Conformance, ...]:
    return tuple(Conformance(p, validate(programme, p)) for p in profiles().values())


@dataclass(frozen=True, slots=True)
class ListedProgramme:
    stored: StoredProgramme
    conformance: tuple[Conformance, ...]


@dataclass(frozen=True, slots=True)
class DescriptorRow:
    """One descriptor of one programme: its value and what each profile makes of it."""

    descriptor: Descriptor
    value: object
    checks: tuple[DescriptorCheck, ...]

    @property
    def at_issuance(self) -> bool:
        return self.descriptor.scope is Scope.AWARD


@dataclass(frozen=True, slots=True)
class Equivalent:
    """What the learner effort is worth in one credit system, and what the provider stated."""

    system: CreditSystemInfo
    low: Decimal
    high: Decimal
    stated: Decimal | None


def descriptor_rows(programme: Programme, reports: Iterable[ProfileReport]
                    ) -> list[DescriptorRow]:
    by_profile = [{check.key: check for check in report.descriptors} for report in reports]
    return [
        DescriptorRow(d, d.value_in(programme), tuple(checks[d.key] for checks in by_profile))
        for d in descriptors()
    ]


def equivalents(programme: Programme) -> list[Equivalent]:
    effort = programme.learner_effort
    if effort is None:
        return []
    systems = credit_systems()
    return [Equivalent(systems[system], low, high, effort.credits_in(system))
            for system, (low, high) in equivalent_credits(effort.hours).items()]


def requirement(profile: Profile, key: str) -> Requirement:
    if key in profile.required:
        return Requirement.REQUIRED
    if key in profile.optional:
        return Requirement.OPTIONAL
    return Requirement.NOT_LISTED


def describe_rule(rule: rules.Rule, t: i18n.Translator) -> Markup:
    """A profile's rule in words, e.g. "At least 60 hours of learner effort"."""
    n = t.number
    parts: list[Markup] = []
    if isinstance(rule, rules.EffortHours):
        if rule.min is not None and rule.below is not None:
            parts.append(t("rule.hours_range", min=n(rule.min), below=n(rule.below)))
        elif rule.below is not None:
            parts.append(t("rule.hours_below", below=n(rule.below)))
        elif rule.min is not None:
            parts.append(t("rule.hours_min", min=n(rule.min)))
        if rule.below_reason is not None:
            parts.append(t("rule.reason", reason=rule.below_reason.text(t.language)))
    elif isinstance(rule, rules.EffortCredits):
        system = t.label(rule.system)
        if rule.min is not None and rule.max is not None:
            parts.append(t("rule.credits_range", system=system, min=n(rule.min),
                           max=n(rule.max)))
        elif rule.max is not None:
            parts.append(t("rule.credits_max", system=system, max=n(rule.max)))
        elif rule.min is not None:
            parts.append(t("rule.credits_min", system=system, min=n(rule.min)))
        if rule.typical_max is not None:
            parts.append(t("rule.credits_typical", typical=n(rule.typical_max)))
        if rule.stated:
            key = "rule.also_stated" if parts else "rule.credits_stated"
            parts.append(t(key, system=system))
    elif isinstance(rule, rules.CreditsMatchHours):
        parts.append(t("rule.credits_match", tolerance=n(rule.tolerance * 100)))
    elif isinstance(rule, rules.Duration):
        parts.append(t("rule.duration", weeks=n(rule.max_weeks)))
    elif isinstance(rule, rules.LevelFrameworkRule):
        parts.append(t("rule.level", frameworks=t.join(f.value for f in rule.frameworks)))
    elif isinstance(rule, rules.QualityAssuranceRule):
        parts.append(t("rule.quality", kind=t.label(rule.kind)))
    elif isinstance(rule, rules.CertificationKindRule):
        parts.append(t("rule.certification", kinds=t.join(t.label(k) for k in rule.kinds)))
    if not parts:  # pragma: no cover - a new kind of rule shows its data until it has words.
        parts.append(escape(str(rule)))
    if rule.severity is not Severity.ERROR:
        parts.append(t("rule.not_error", severity=t.label(rule.severity)))
    return Markup("").join(parts)


# --- routes -----------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def home(request: Request, runtime: RuntimeDep) -> HTMLResponse:
    # Only what is published is public: drafts count nowhere.
    return render(request, "home.html", section="home",
                  programme_count=published.count_published(runtime),
                  provider_count=providers.count_providers(runtime),
                  profiles=list(profiles().values()))


@router.get("/programmes", response_class=HTMLResponse)
def programme_list(
    request: Request,
    runtime: RuntimeDep,
    provider: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = PAGE_SIZE,
    after: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
) -> HTMLResponse:
    page = published.published_programmes(runtime, organisation=provider or None,
                                           limit=limit, after=after)
    rows = [ListedProgramme(item, conformance(item.programme)) for item in page.items]
    next_url = (with_query(request, after=page.next_after)
                if page.next_after is not None else None)
    context: dict[str, Any] = {"rows": rows, "next_url": next_url, "limit": limit,
                               "profiles": list(profiles().values())}
    if request.headers.get("hx-request") == "true" and after is not None:
        return render(request, "_programmes_more.html", **context)
    first_url = with_query(request, after=None) if after is not None else None
    return render(request, "programmes.html", section="programmes", total=page.total,
                  providers=providers.list_providers(runtime), provider=provider or "",
                  first_url=first_url,
                  page_size=PAGE_SIZE, **context)


def compare_selection(values: Iterable[str]) -> tuple[int, ...]:
    """The programmes a visitor has chosen to compare, carried in ``?compare=12,34``.

    The selection only shapes a link or a button, so a tampered one is forgotten rather than
    refused.
    """
    try:
        return parse_ids(values)
    except InputError:
        return ()


@dataclass(frozen=True, slots=True)
class CompareOffer:
    """What a programme page offers for comparing it with the programmes already chosen."""

    chosen: tuple[int, ...]
    programme_id: int

    @property
    def included(self) -> bool:
        return self.programme_id in self.chosen

    @property
    def full(self) -> bool:
        return not self.included and len(self.chosen) >= MAX_PROGRAMMES

    @property
    def ids(self) -> str:
        """The comparison with this programme added (or as it is, when it cannot be)."""
        added = self.chosen if self.included or self.full else (*self.chosen, self.programme_id)
        return ",".join(str(i) for i in added)


@dataclass(frozen=True, slots=True)
class RecognitionShown:
    """One recognition of the programme on its page: the decision, its status now, its mark."""

    record: RecognitionRecord
    status: str

    def body(self, language: str) -> str:
        """The recognition body's name in ``language`` (else the other one)."""
        names = self.record.recognition_body_name
        return (names.get(language) or names.get("en" if language == "ja" else "ja")
                or self.record.recognition_body)

    @property
    def mark_url(self) -> str:
        return f"/recognitions/{self.record.number}/mark.svg"

    @property
    def credential_url(self) -> str:
        return f"/recognitions/{self.record.number}"

    @property
    def decision_url(self) -> str:
        return f"/recognition/decisions/{self.record.number}"


#: A programme's page may be held a minute by a shared cache, then revalidated by its ETag.
PAGE_CACHE = "public, max-age=60"


@router.get("/programmes/{programme_id:int}", response_class=HTMLResponse)
async def programme_page(
    request: Request, programme_id: int, runtime: RuntimeDep,
    compare: Annotated[str | None, Query()] = None,
    level_in: Annotated[str | None, Query(max_length=8)] = None,
) -> Response:
    """The page from the runtime's cache, keyed by what makes it: the store's generation as
    the page reads it, the language, the address (its query shapes the links). While the
    generation and the operator's marks read a moment ago still hold
    (:mod:`credstack.services.freshness`) and the page is kept, it is sent without a thread
    or a query."""
    # A visitor's link to a programme that cannot exist is not found, as any other.
    if programme_id > MAX_ID:
        raise NotFoundError(f"No programme with id {programme_id}.")
    choice = i18n.negotiate(request)
    generation = known_page_generation(runtime)
    marked = moderation.known_marks(runtime, programme_id=programme_id)
    cached = None
    if generation is not None and marked is not None and marked.hidden is None:
        cached = kept(runtime, "programme-page", (generation, programme_id, choice.language,
                                                  str(request.url), marked.suspended),
                      now=runtime.now())
    if cached is None:
        return await run_in_threadpool(_programme_answer, request, runtime, programme_id,
                                       compare, level_in, choice)
    return _answered(request, cached, choice)


def _programme_answer(request: Request, runtime: Runtime, programme_id: int,
                      compare: str | None, level_in: str | None, choice: Choice) -> Response:
    # The operator's marks are read on every view (at most a moment old), so that hiding a
    # programme or suspending its organisation shows at once (the cache knows programmes'
    # changes only).
    marked = moderation.marks(runtime, programme_id=programme_id)
    if marked.hidden is not None:
        hidden = render(request, "console_hidden.html", section="programmes", status_code=410,
                        hiding=marked.hidden, programme_id=programme_id)
        i18n.remember(hidden, choice)
        return hidden
    key = (page_generation(runtime), programme_id, choice.language, str(request.url),
           marked.suspended)
    cached = remembered(runtime, "programme-page", key, now=runtime.now(),
                        make=lambda: _programme_page(request, runtime, programme_id, compare,
                                                     level_in, marked.suspended))
    return _answered(request, cached, choice)


def _answered(request: Request, cached: Cached, choice: Choice) -> Response:
    response = answer(request, cached, "private, max-age=60" if choice.chosen else PAGE_CACHE)
    i18n.remember(response, choice)
    return response


def _programme_page(request: Request, runtime: RuntimeDep, programme_id: int,
                    compare: str | None, level_in: str | None, suspended: bool) -> Cached:
    # Drafts are not public: the page shows the newest published version, and a programme
    # that was never published does not exist for visitors.
    now = runtime.now()
    page = published.programme_page(runtime, programme_id=programme_id)
    stored = page.stored
    results = conformance(stored.programme)
    # Not being a micro-credential does not depend on the framework; the page says it first.
    nature = next((f for f in results[0].report.findings if f.code == NOT_A_MICRO_CREDENTIAL),
                  None)
    offer = CompareOffer(compare_selection([compare] if compare else []), stored.id)
    # The skills its outcomes are aligned to are shown with those it states (issue 17), and
    # its levels in the framework the reader chose.
    shown = with_alignments(runtime, programme_id=stored.id, programme=stored.programme)
    chosen = level_in if level_in in level_frameworks() else None
    rendered = render(
        request, "programme.html", section="programmes", stored=stored,
        programme=shown, suspended=suspended, level_frameworks=level_frameworks(), level_in=chosen,
        level_readings=levels_in(shown.to_document(), chosen) if chosen else [],
        versions=list(page.versions), conformance=results,
        nature=nature,
        # Why the Register profile of its ELM dataset would leave it out, if it would (its
        # offers name this page, its organisation provides them).
        register_left_out=left_out_because(stored.programme),
        rows=descriptor_rows(stored.programme, (c.report for c in results)),
        equivalents=equivalents(stored.programme), offer=offer, max_compare=MAX_PROGRAMMES,
        stacks_into=stacks_into(runtime, request, programme_id=stored.id,
                                fields=tuple(f.value for f in stored.programme.fields)),
        recognitions=[RecognitionShown(record, status.value)
                      for record, status in page.recognitions])
    # A recognition that begins or ends changes the page with no write: not past that moment.
    boundaries = [moment for record, _ in page.recognitions
                  for moment in (record.valid_from, record.valid_until)
                  if moment is not None and moment > now]
    return Cached.of(bytes(rendered.body), "text/html; charset=utf-8", SECURITY_HEADERS,
                     until=min(boundaries, default=None))


@router.get("/profiles", response_class=HTMLResponse)
def profile_list(request: Request) -> HTMLResponse:
    return render(request, "profiles.html", section="profiles",
                  profiles=list(profiles().values()), descriptors=descriptors(),
                  catalogue={d.key: d for d in descriptors()}, requirement=requirement,
                  describe_rule=describe_rule)
