"""The registrar's credit bank in an organisation's workspace:

* ``/workspace/{slug}/creditbank?state=`` — the applications into its targets, by state, the
  published targets and the form that publishes one (a pathway file pasted or chosen; its
  faults listed as ``file:line:column /pointer``);
* ``/workspace/{slug}/creditbank/applications/{id}`` — the evaluated decision and its
  adjustments, and the forms that decide the credits of each deposit awaiting a registrar's
  decision (its stated credits and hours conflict: the conflict in words, the most it may
  count), adjust a counted deposit's credits (with a reason; beyond a cap the refusal is
  shown in place and nothing changes), approve and refuse (with a reason). A
  decision someone else took already or at the same moment is answered 409 with words
  saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import partial
from itertools import zip_longest
from typing import Annotated, Any, Final

import yaml
from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from credstack.core.access import Action
from credstack.core.creditbank import jurisdictions
from credstack.core.descriptors import isced_f
from credstack.core.registry.query import SearchQuery
from credstack.core.types import whole_number
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import problem_said, said
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.creditbank.views import (
    RequirementRow,
    amount,
    conflict_texts,
    credit_amount,
    excluded_because,
    fields_named,
    form_faults,
    outline,
    pathway_of,
    rule_namer,
    unit,
)
from credstack.entrypoints.web.pages.workspace.views import page, see_other
from credstack.errors import ConflictError, InputError, NotFoundError, PathwayError
from credstack.services.creditbank import applications, resolutions, targets
from credstack.services.creditbank.figures import registrar_glance
from credstack.services.programmes import published as published_programmes
from credstack.services.programmes.views import StoredProgramme
from credstack.services.registry import service as registry
from credstack.services.runtime import Runtime
from credstack.services.workspace import home

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]
STATES: Final = ("submitted", "approved", "refused")
DONE: Final = frozenset({"published", "adjusted", "decided", "approved", "approved-none",
                         "refused"})


def _frame(runtime: Runtime, access: Access, slug: str) -> dict[str, Any]:
    found = home.home(runtime, actor=access, slug=slug)
    deciding = access.allows(Action.CREDITBANK_DECIDE, slug)
    return {"slug": slug, "home": found, "sections": found.sections, "here": "creditbank",
            "amount": amount, "unit": unit, "credit_amount": credit_amount, "outline": outline,
            "deciding": deciding,
            "applicants": applications.applicants(runtime, actor=access, organisation=slug)
            if deciding else {}}


def queue_page(request: Request, runtime: RuntimeDep, access: Access, slug: str, *,
               state: str | None = None, flagged: bool = False, status_code: int = 200,
               **context: Any
               ) -> HTMLResponse:
    language = i18n.negotiate(request).language
    frame = _frame(runtime, access, slug)
    # Administrators who may publish but not decide see the targets and the form only;
    # anyone else is refused (and the refusal recorded) by the service.
    listed = applications.applications(runtime, actor=access, organisation=slug, state=state,
                                       flagged=True if flagged else None) \
        if frame["deciding"] or not access.allows(Action.CREDITBANK_PUBLISH, slug) else []
    published = targets.published(runtime, organisation=slug)
    values: dict[str, Any] = {"problem": None, "faults": [], "text": "", "done": None,
                              "form_problem": None, "form_faults": [],
                              "form": {"jurisdiction": "jp", "general_credit": True,
                                       "rows": [RequirementRow()] * 3},
                              "jurisdictions": [(j.key, j.ja if language == "ja" else j.en)
                                                for j in jurisdictions().values()
                                                if j.system],
                              **context}
    values["chosen_programmes"] = _chosen_programmes(runtime, values["form"]["rows"])
    # The registrar's numbers at a glance, for whoever decides the applications.
    figures = (registrar_glance(runtime, actor=access, organisation=slug)
               if frame["deciding"] else [])
    return page(request, "creditbank_queue.html", status_code=status_code,
                **frame, applications=listed, published=published, figures=figures,
                titles={p.target.id: (p.target.ja if language == "ja" else p.target.en)
                        for p in published},
                state=state, states=STATES, flagged=flagged, **values)


@dataclass(frozen=True, slots=True)
class ChosenProgramme:
    """A programme a requirement row counts, as the form shows it: its address (kept in the
    form) and, when it is one of this registry's published programmes, that programme (named
    by its title and provider); another identifier is shown as it is."""

    address: str
    stored: StoredProgramme | None


def _chosen_programmes(runtime: Runtime, rows: list[RequirementRow]
                       ) -> dict[int, list[ChosenProgramme]]:
    """Each row's programmes (by row number from 1), named from the registry in one read."""
    prefix = f"{runtime.settings.public_url}/programmes/"
    ids = {address: int(address.removeprefix(prefix)) for row in rows
           for address in row.addresses()
           if address.startswith(prefix) and address.removeprefix(prefix).isdigit()
           and len(address) - len(prefix) <= 10}
    found = published_programmes.published_by_ids(runtime, programme_ids=sorted(set(
        ids.values())))
    return {number: [ChosenProgramme(address, found.get(ids.get(address, 0)))
                     for address in row.addresses()]
            for number, row in enumerate(rows, start=1)}


@router.get("/workspace/{slug}/creditbank", response_class=HTMLResponse)
def queue(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
          state: Annotated[str | None, Query(max_length=16)] = None,
          flagged: Annotated[bool, Query()] = False,
          done: Annotated[str | None, Query()] = None) -> Response:
    return queue_page(request, runtime, access, slug,
                      state=state if state in STATES else None, flagged=flagged,
                      done=done if done in DONE else None)


@router.post("/workspace/{slug}/creditbank/targets", response_class=HTMLResponse)
async def publish(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
                  text: FormText = "", file: Annotated[UploadFile | None, File()] = None
                  ) -> Response:
    source = "target.yaml"
    if file is not None and file.filename:
        data = await file.read(targets.MAX_TARGET_BYTES + 1)
        text, source = data.decode("utf-8", errors="replace"), file.filename
    try:
        targets.publish(runtime, actor=access, organisation=slug, text=text, source=source)
    except InputError as exc:
        language = i18n.negotiate(request).language
        faults = ([problem_said(p, language) for p in exc.problems]
                  if isinstance(exc, PathwayError) else [])
        return queue_page(request, runtime, access, slug, status_code=422,
                          problem=said(exc, language), faults=faults,
                          text=text)
    return see_other(f"/workspace/{slug}/creditbank?done=published")


FormList = Annotated[list[str], Form()]


#: The most requirement rows the form holds.
MAX_ROWS: Final = 20
#: Programmes a row's registry search offers.
PICKS: Final = 10
_SEARCH_STEP: Final = re.compile(r"search-([1-9][0-9]?)")
_PICK_STEP: Final = re.compile(r"pick-([1-9][0-9]?)-([1-9][0-9]{0,9})")
_UNPICK_STEP: Final = re.compile(r"unpick-([1-9][0-9]?)-([1-9][0-9]?)")
_FIELD_STEP: Final = re.compile(r"field-([1-9][0-9]?)")
_FIELD_PICK_STEP: Final = re.compile(r"fieldpick-([1-9][0-9]?)-([0-9]{2,4})")
_FIELD_CLEAR_STEP: Final = re.compile(r"fieldclear-([1-9][0-9]?)")


def _in(text: dict[str, str], language: str) -> str:
    """A registry text in ``language``, else in the first language it has."""
    return text.get(language) or next(iter(text.values()), "")


def _form_step(request: Request, runtime: Runtime, access: Access, slug: str, step: str,
               form: dict[str, Any]) -> HTMLResponse | None:
    """The form shown again after one of its steps that publish nothing: ``add-row`` (one
    more requirement row), ``search-<n>`` (the registry's programmes for row n's search,
    each to pick), ``pick-<n>-<programme>`` (the programme's registry address added to row
    n's programmes), ``unpick-<n>-<k>`` (row n's k-th programme taken away), ``field-<n>``
    (the ISCED-F fields named like row n's field search, each to pick),
    ``fieldpick-<n>-<code>`` (row n's field chosen), ``fieldclear-<n>`` (row n's field taken
    away); ``None`` for no step (publish)."""
    rows: list[RequirementRow] = form["rows"]
    language = i18n.negotiate(request).language
    if step == "add-row":
        if len(rows) < MAX_ROWS:
            rows.append(RequirementRow())
    elif (searched := _SEARCH_STEP.fullmatch(step)) and int(searched[1]) <= len(rows):
        number = int(searched[1])
        text = rows[number - 1].search.strip()
        found = registry.search(runtime, query=SearchQuery(
            text=text, language=language, limit=PICKS)) if text else None
        form["found"] = {number: [
            (hit.programme_id, _in(hit.title, language), _in(hit.provider, language))
            for hit in (found.hits if found is not None else [])]}
    elif (picked := _PICK_STEP.fullmatch(step)) and int(picked[1]) <= len(rows):
        number, address = int(picked[1]), f"{runtime.settings.public_url}/programmes/{picked[2]}"
        row = rows[number - 1]
        if address not in row.addresses():
            rows[number - 1] = replace(row, programmes=" ".join([*row.addresses(), address]))
    elif (unpicked := _UNPICK_STEP.fullmatch(step)) and int(unpicked[1]) <= len(rows):
        number, place = int(unpicked[1]), int(unpicked[2])
        row = rows[number - 1]
        rows[number - 1] = replace(row, programmes=" ".join(
            address for at, address in enumerate(row.addresses(), start=1) if at != place))
    elif (searched := _FIELD_STEP.fullmatch(step)) and int(searched[1]) <= len(rows):
        number = int(searched[1])
        form["fields_found"] = {number: fields_named(rows[number - 1].field_search, language,
                                                     limit=PICKS)}
    elif (picked := _FIELD_PICK_STEP.fullmatch(step)) and int(picked[1]) <= len(rows) \
            and isced_f.field_name(picked[2], language) is not None:
        number = int(picked[1])
        rows[number - 1] = replace(rows[number - 1], field=picked[2], field_search="")
    elif (cleared := _FIELD_CLEAR_STEP.fullmatch(step)) and int(cleared[1]) <= len(rows):
        number = int(cleared[1])
        rows[number - 1] = replace(rows[number - 1], field="")
    else:
        return None
    return queue_page(request, runtime, access, slug, form=form)


@router.post("/workspace/{slug}/creditbank/targets/form", response_class=HTMLResponse)
def publish_form(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
                 title_ja: FormText = "", title_en: FormText = "", jurisdiction: FormText = "",
                 total: FormText = "", general_credit: FormText = "",
                 requirement_ja: FormList = [], requirement_en: FormList = [],  # noqa: B006
                 requirement_programmes: FormList = [],  # noqa: B006
                 requirement_field: FormList = [], requirement_min: FormList = [],  # noqa: B006
                 requirement_max: FormList = [],  # noqa: B006
                 requirement_search: FormList = [],  # noqa: B006
                 requirement_field_search: FormList = [],  # noqa: B006
                 step: Annotated[str, Form(max_length=40)] = "") -> Response:
    """A target made with the form: the pathway file it describes, published as a pasted
    one would be (the same checks; its faults shown beside the form). A ``step`` button
    (more rows, a registry search, a programme picked) shows the form again instead."""
    rows = [RequirementRow(*values) for values in zip_longest(
        requirement_ja, requirement_en, requirement_programmes, requirement_field,
        requirement_min, requirement_max, requirement_search, requirement_field_search,
        fillvalue="")][:MAX_ROWS]
    form = {"title_ja": title_ja, "title_en": title_en, "jurisdiction": jurisdiction,
            "total": total, "general_credit": bool(general_credit), "rows": rows}
    shown = _form_step(request, runtime, access, slug, step, form)
    if shown is not None:
        return shown
    data = pathway_of(slug, title_ja=title_ja, title_en=title_en, jurisdiction=jurisdiction,
                      total=total, general_credit=bool(general_credit), rows=rows)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    try:
        targets.publish(runtime, actor=access, organisation=slug, text=text,
                        source="target-form.yaml")
    except InputError as exc:
        # The pathway check's faults placed on the form's fields and said in its words (the
        # file it made, its lines and pointers, are not the registrar's).
        t = i18n.Translator(i18n.negotiate(request).language)
        if isinstance(exc, PathwayError):
            return queue_page(request, runtime, access, slug, status_code=422,
                              form_faults=form_faults(exc.problems, rows, t), form=form)
        return queue_page(request, runtime, access, slug, status_code=422,
                          form_problem=said(exc, t.language), form=form)
    return see_other(f"/workspace/{slug}/creditbank?done=published")


def detail_page(request: Request, runtime: RuntimeDep, access: Access, slug: str,
                public_id: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    found = applications.application(runtime, actor=access, public_id=public_id)
    if found.organisation != slug:  # decided in its own organisation's workspace only
        raise NotFoundError("No such application. / その申請は見つかりません。")
    values: dict[str, Any] = {"problem": None, "problem_at": None, "done": None,
                              "chosen": {}, "conflict": False, **context}
    language = i18n.negotiate(request).language
    title = found.target
    for published in targets.published(runtime, organisation=slug):
        if published.target.id == found.target:
            title = published.target.ja if language == "ja" else published.target.en
    return page(request, "creditbank_decide.html", status_code=status_code,
                **_frame(runtime, access, slug), application=found, title=title,
                rule_named=rule_namer(i18n.Translator(language)), conflict_texts=conflict_texts,
                because=partial(excluded_because, language=language),
                awaiting=resolutions.awaiting(runtime, actor=access, public_id=public_id),
                **values)


def _path(slug: str, public_id: str) -> str:
    return f"/workspace/{slug}/creditbank/applications/{public_id}"


@router.get("/workspace/{slug}/creditbank/applications/{public_id}",
            response_class=HTMLResponse)
def detail(slug: str, public_id: str, request: Request, runtime: RuntimeDep,
           access: WebUserDep, done: Annotated[str | None, Query()] = None) -> Response:
    return detail_page(request, runtime, access, slug, public_id,
                       done=done if done in DONE else None)


def _refused(request: Request, runtime: RuntimeDep, access: Access, slug: str,
             public_id: str, exc: InputError | ConflictError, at: str,
             chosen: dict[str, str] | None = None) -> HTMLResponse:
    language = i18n.negotiate(request).language
    conflict = isinstance(exc, ConflictError)
    return detail_page(request, runtime, access, slug, public_id,
                       status_code=409 if conflict else 422, conflict=conflict,
                       problem=said(exc, language), problem_at=at,
                       chosen=chosen or {})


def _version(value: str) -> int | None:
    return whole_number(value)


@router.post("/workspace/{slug}/creditbank/applications/{public_id}/adjustments",
             response_class=HTMLResponse)
def adjust(slug: str, public_id: str, request: Request, runtime: RuntimeDep,
           access: WebUserDep, deposit: FormText = "", credits: FormText = "",
           reason: FormText = "", version: FormText = "") -> Response:
    try:
        made = resolutions.adjust(runtime, actor=access, public_id=public_id, deposit=deposit,
                                  credits=credits.strip(), reason=reason,
                                  version=_version(version))
    except (InputError, ConflictError) as exc:
        return _refused(request, runtime, access, slug, public_id, exc, f"adjust:{deposit}",
                        {"credits": credits, "reason": reason})
    # A deposit that awaited a decision is decided (the decision made again), not adjusted.
    decided = made.adjustments[-1].get("resolves") == resolutions.RESOLVES
    return see_other(_path(slug, public_id) + ("?done=decided" if decided else "?done=adjusted"))


@router.post("/workspace/{slug}/creditbank/applications/{public_id}/approval",
             response_class=HTMLResponse)
def approve(slug: str, public_id: str, request: Request, runtime: RuntimeDep,
            access: WebUserDep, version: FormText = "") -> Response:
    try:
        decided = applications.approve(runtime, actor=access, public_id=public_id,
                                       version=_version(version))
    except (InputError, ConflictError) as exc:
        return _refused(request, runtime, access, slug, public_id, exc, "approve")
    # A decision that grants nothing recognises nothing: the notice must not say it does.
    done = "approved" if Decimal(decided.granted) > 0 else "approved-none"
    return see_other(_path(slug, public_id) + f"?done={done}")


@router.post("/workspace/{slug}/creditbank/applications/{public_id}/refusal",
             response_class=HTMLResponse)
def refuse(slug: str, public_id: str, request: Request, runtime: RuntimeDep,
           access: WebUserDep, reason: FormText = "", version: FormText = "") -> Response:
    try:
        applications.refuse(runtime, actor=access, public_id=public_id, reason=reason,
                            version=_version(version))
    except (InputError, ConflictError) as exc:
        return _refused(request, runtime, access, slug, public_id, exc, "refuse",
                        {"reason": reason})
    return see_other(_path(slug, public_id) + "?done=refused")
