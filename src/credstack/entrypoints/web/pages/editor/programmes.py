"""The programme editor's pages, under ``/workspace/{slug}/programmes``.

* ``GET /workspace/{slug}/programmes`` — the organisation's programmes, drafts too.
* ``GET …/new`` and ``GET …/{id}/edit`` — the form with every descriptor, the conformance
  matrix beside it; ``POST`` to the same address with the button pressed: ``action=save``
  (a draft), ``publish``, ``check`` (the page again with the matrix: the no-JavaScript way),
  ``add`` / ``remove`` (a row of a repeated group, without JavaScript).
* ``POST …/check`` — the matrix alone, for htmx as the user types
  (``hx-trigger="input changed delay:500ms"``).
* ``GET …/{id}/history``, ``GET …/{id}/diff?from=&to=``, ``POST …/{id}/versions/{n}/publish``.
* ``GET|POST …/import`` — a YAML, JSON or CSV file, with the report of every bad row.
* ``GET …/{id}/badge.svg``, ``badge.png``, ``certificate.pdf?lang=`` — previews.

Every form carries the session's CSRF token (checked by
:data:`~credstack.entrypoints.web.access.AccessDep` before the route runs). Who may do what is
the services' business (:mod:`credstack.services.programmes.editing`: a provider admin of
the organisation, or a registry admin); a visitor who is not signed in is sent to sign in
first. What the model refuses comes back as the same page, 422, each message next to its
field and nothing typed lost. Nothing here is cached.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Final
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from credstack.core.descriptors import Format
from credstack.core.images.badge_svg import TEMPLATES, BadgeStyle
from credstack.core.images.badge_svg import badge_svg as draw_badge
from credstack.core.programmes import Change, Status
from credstack.core.types import whole_number
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access, AccessDep
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.i18n.codes import said
from credstack.entrypoints.web.ids import PathId, PathVersion, QueryVersion
from credstack.entrypoints.web.pages.editor import form as forms
from credstack.entrypoints.web.pages.editor import views
from credstack.entrypoints.web.pages.rendering import render
from credstack.errors import ConflictError, InputError, NotFoundError
from credstack.services.badges.service import render_badge_png
from credstack.services.programmes import editing
from credstack.services.runtime import Runtime

router = APIRouter(include_in_schema=False)

NO_STORE: Final = {"Cache-Control": "no-store"}
BASE: Final = "/workspace/{slug}/programmes"
DONE: Final = frozenset({"saved", "created", "published", "new-version", "unchanged"})
_MAX_FIELD_BYTES: Final = 64 * 1024
_FORMATS: Final = {".yaml": Format.YAML, ".yml": Format.YAML, ".json": Format.JSON,
                   ".csv": Format.CSV}


async def _form(request: Request) -> FormData:
    try:
        return await request.form(max_files=1, max_fields=forms.MAX_FIELDS,
                                  max_part_size=_MAX_FIELD_BYTES)
    except StarletteHTTPException as exc:
        raise InputError(f"The form could not be read: {exc.detail}") from None


FormDep = Annotated[FormData, Depends(_form)]


def _page(request: Request, template: str, *, status_code: int = 200, **context: Any
          ) -> HTMLResponse:
    response = render(request, template, section="workspace", status_code=status_code,
                      **context)
    response.headers.update(NO_STORE)
    return response


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=NO_STORE)


def _visitor(access: Access) -> bool:
    """Nobody is signed in and no credentials were presented (a bad token is refused)."""
    return access.principal is None and access.via is None


def _sign_in(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return _see_other(f"/sign-in?next={quote(target, safe='/')}")


def base(slug: str) -> str:
    return BASE.format(slug=quote(slug, safe=""))


def _translator(request: Request) -> i18n.Translator:
    return i18n.Translator(i18n.negotiate(request).language)


# --- the list --------------------------------------------------------------------------------


@router.get(BASE, response_class=HTMLResponse)
def programme_list(slug: str, request: Request, access: AccessDep, runtime: RuntimeDep
                   ) -> Response:
    if _visitor(access):
        return _sign_in(request)
    found = editing.workspace(runtime, actor=access, organisation=slug)
    return _page(request, "editor_list.html", workspace=found, base=base(slug), slug=slug)


# --- the form ----------------------------------------------------------------------------------


def _editor_page(request: Request, runtime: Runtime, access: Access, slug: str, *,
                 values: forms.FormValues, programme_id: int | None,
                 status_code: int = 200, show_problems: bool = False,
                 general: list[Markup] | None = None, done: str | None = None,
                 refused: Mapping[str, Markup] | None = None,
                 section: str | None = None) -> HTMLResponse:
    """``refused``: what the page refuses of the form beside what the model does, by field;
    ``section``: the section just saved (``done`` says how)."""
    t = _translator(request)
    document, origin = forms.document_of(values)
    checked = editing.check(runtime, actor=access, organisation=slug, document=document,
                            programme_id=programme_id)
    stored = None
    if programme_id is not None:
        organisation, stored = editing.read(runtime, actor=access, organisation=slug,
                                            programme_id=programme_id)
    else:
        organisation = editing.workspace(runtime, actor=access, organisation=slug,
                                         limit=1).organisation
    problems = {**(views.problems_of(checked.draft.errors, origin, t) if show_problems else {}),
                **(refused or {})}
    sections = views.sections(values, problems, t,
                              readonly=("code",) if programme_id is not None else (),
                              saved=forms.values_of(stored.programme) if stored else None)
    action = (f"{base(slug)}/{programme_id}/edit" if programme_id is not None
              else f"{base(slug)}/new")
    return _page(
        request, "editor_form.html", status_code=status_code, slug=slug, base=base(slug),
        organisation=organisation, stored=stored, sections=sections, values=values,
        summary=views.summary(problems, sections), general=general or [],
        matrix=views.matrix(checked.reports), draft=checked.draft, action=action,
        check_url=(f"{base(slug)}/check" + (f"?programme={programme_id}"
                                             if programme_id is not None else "")),
        done=done, saved_section=section if section in forms.SECTION_KEYS else None)


@router.get(BASE + "/new", response_class=HTMLResponse)
def new_form(slug: str, request: Request, access: AccessDep, runtime: RuntimeDep
             ) -> Response:
    if _visitor(access):
        return _sign_in(request)
    return _editor_page(request, runtime, access, slug, values=forms.empty_values(),
                        programme_id=None)


@router.get(BASE + "/{programme_id:int}/edit", response_class=HTMLResponse)
def edit_form(slug: str, programme_id: PathId, request: Request, access: AccessDep,
              runtime: RuntimeDep, done: Annotated[str | None, Query()] = None,
              section: Annotated[str | None, Query()] = None) -> Response:
    if _visitor(access):
        return _sign_in(request)
    _, stored = editing.read(runtime, actor=access, organisation=slug,
                             programme_id=programme_id)
    return _editor_page(request, runtime, access, slug,
                        values=forms.values_of(stored.programme), programme_id=programme_id,
                        done=done if done in DONE else None, section=section)


def _posted(request: Request, runtime: Runtime, access: Access, slug: str,
            programme_id: int | None, form: FormData) -> Response:
    values = forms.posted_values(form)
    if programme_id is not None:
        # The code of a stored programme never changes: it names the programme in every
        # credential and recognition. A form that sends another (its field is read-only)
        # is refused, saying so, rather than saved under the old code unnoticed.
        _, stored = editing.read(runtime, actor=access, organisation=slug,
                                 programme_id=programme_id)
        asked = values.value("code").strip()
        values = forms.FormValues({**values.fields, "code": (stored.code,)}, values.rows)
        if asked and asked != stored.code:
            return _editor_page(request, runtime, access, slug, programme_id=programme_id,
                                values=values, status_code=422, refused={
                                    "code": _translator(request)("editor.error.code_fixed",
                                                                 code=stored.code)})
    action = form.get("action")
    action = action if isinstance(action, str) else "check"
    if action.removeprefix("save:") in forms.SECTION_KEYS:
        return _save_section(request, runtime, access, slug, programme_id, values,
                             action.removeprefix("save:"))
    if action.startswith("add:"):
        return _editor_page(request, runtime, access, slug, programme_id=programme_id,
                            values=values.with_row_added(action.removeprefix("add:")))
    if action.startswith("remove:"):
        group, _, index = action.removeprefix("remove:").rpartition(".")
        return _editor_page(request, runtime, access, slug, programme_id=programme_id,
                            values=values.with_row_removed(
                                group, -1 if (row := whole_number(index)) is None else row))
    if action not in ("save", "publish"):
        return _editor_page(request, runtime, access, slug, programme_id=programme_id,
                            values=values, show_problems=True)
    document, _ = forms.document_of(values)
    checked = editing.check(runtime, actor=access, organisation=slug, document=document,
                            programme_id=programme_id)
    if checked.draft.programme is None:
        return _editor_page(request, runtime, access, slug, programme_id=programme_id,
                            values=values, show_problems=True, status_code=422)
    try:
        # Publishing cannot be undone: the form saves a draft and asks first (a page of its
        # own, so that it works without JavaScript).
        saved = editing.save(runtime, actor=access, organisation=slug,
                             programme=checked.draft.programme, programme_id=programme_id,
                             publish=False)
    except ConflictError:
        t = _translator(request)
        return _editor_page(request, runtime, access, slug, programme_id=programme_id,
                            values=values, show_problems=True, status_code=422,
                            general=[t("editor.error.code_taken")])
    done = _DONE_BY_CHANGE[saved.change]
    latest = saved.stored.latest
    if action == "publish" and latest.status is not Status.PUBLISHED:
        return _see_other(f"{base(slug)}/{saved.stored.id}/versions/{latest.version}/publish")
    return _see_other(f"{base(slug)}/{saved.stored.id}/edit?done={done}#editor-title")


_DONE_BY_CHANGE: Final = {Change.CREATED: "created", Change.NEW_VERSION: "new-version",
                          Change.DRAFT_REPLACED: "saved", Change.PUBLISHED: "published",
                          Change.UNCHANGED: "unchanged"}


def _save_section(request: Request, runtime: Runtime, access: Access, slug: str,
                  programme_id: int | None, values: forms.FormValues, key: str) -> Response:
    """Save the section ``key`` as posted, every other section as it is stored (empty, for a
    new programme, but for its basics): a draft, as "Save as draft" makes one. Then back to
    the section with a message; what was typed in other sections and not saved stays on the
    page, unsaved."""
    if programme_id is None:
        # A programme is made with its basics (its code and title), whichever section is
        # saved first.
        stored_values = forms.empty_values().with_section(values, "basics")
    else:
        _, stored = editing.read(runtime, actor=access, organisation=slug,
                                 programme_id=programme_id)
        stored_values = forms.values_of(stored.programme)
    merged = stored_values.with_section(values, key)
    document, origin = forms.document_of(merged)
    checked = editing.check(runtime, actor=access, organisation=slug, document=document,
                            programme_id=programme_id)
    t = _translator(request)
    if checked.draft.programme is None:
        # What the model refuses of the programme as it would be stored, by the field it
        # was typed in (the section's own, or a stored one it no longer fits).
        return _editor_page(request, runtime, access, slug, programme_id=programme_id,
                            values=values, status_code=422,
                            refused=views.problems_of(checked.draft.errors, origin, t))
    try:
        saved = editing.save(runtime, actor=access, organisation=slug,
                             programme=checked.draft.programme, programme_id=programme_id,
                             publish=False)
    except ConflictError:
        return _editor_page(request, runtime, access, slug, programme_id=programme_id,
                            values=values, show_problems=True, status_code=422,
                            general=[t("editor.error.code_taken")])
    done = _DONE_BY_CHANGE[saved.change]
    others = [other for other in forms.SECTION_KEYS if other != key]
    if any(forms.document_of(values.only(other))[0]
           != forms.document_of(stored_values.only(other))[0] for other in others):
        return _editor_page(request, runtime, access, slug, programme_id=saved.stored.id,
                            values=values, done=done, section=key)
    return _see_other(f"{base(slug)}/{saved.stored.id}/edit?done={done}&section={key}#s-{key}")


@router.post(BASE + "/new", response_class=HTMLResponse)
def create(slug: str, request: Request, access: AccessDep, runtime: RuntimeDep,
           form: FormDep) -> Response:
    return _posted(request, runtime, access, slug, None, form)


@router.post(BASE + "/{programme_id:int}/edit", response_class=HTMLResponse)
def update(slug: str, programme_id: PathId, request: Request, access: AccessDep,
           runtime: RuntimeDep, form: FormDep) -> Response:
    return _posted(request, runtime, access, slug, programme_id, form)


@router.post(BASE + "/check", response_class=HTMLResponse)
def check(slug: str, request: Request, access: AccessDep, runtime: RuntimeDep,
          form: FormDep, programme: Annotated[int | None, Query()] = None) -> Response:
    """The conformance matrix of what the form holds now (for htmx)."""
    t = _translator(request)
    values = forms.posted_values(form)
    document, origin = forms.document_of(values)
    checked = editing.check(runtime, actor=access, organisation=slug, document=document,
                            programme_id=programme)
    problems = views.problems_of(checked.draft.errors, origin, t)
    return _page(request, "_editor_matrix.html", matrix=views.matrix(checked.reports),
                 draft=checked.draft, problem_count=len(problems))


# --- versions ------------------------------------------------------------------------------------


@router.get(BASE + "/{programme_id:int}/history", response_class=HTMLResponse)
def history(slug: str, programme_id: PathId, request: Request, access: AccessDep,
            runtime: RuntimeDep) -> Response:
    if _visitor(access):
        return _sign_in(request)
    stored, versions = editing.history(runtime, actor=access, organisation=slug,
                                       programme_id=programme_id)
    return _page(request, "editor_history.html", slug=slug, base=base(slug), stored=stored,
                 versions=list(reversed(versions)))


@router.get(BASE + "/{programme_id:int}/versions/{version:int}/publish",
            response_class=HTMLResponse)
def publish_confirmation(slug: str, programme_id: int, version: int, request: Request,
                         access: AccessDep, runtime: RuntimeDep) -> Response:
    """Publishing asks first: what it does and that it cannot be undone; the button posts."""
    if _visitor(access):
        return _sign_in(request)
    stored, versions = editing.history(runtime, actor=access, organisation=slug,
                                       programme_id=programme_id)
    chosen = next((v for v in versions if v.version == version), None)
    if chosen is None:
        raise NotFoundError(f"Programme {programme_id} has no version {version}. / "
                            f"プログラム {programme_id} に版 {version} はありません。")
    if chosen.status is Status.PUBLISHED:
        return _see_other(f"{base(slug)}/{programme_id}/edit?done=published#editor-title")
    return _page(request, "editor_publish.html", slug=slug, base=base(slug), stored=stored,
                 chosen=chosen)


@router.post(BASE + "/{programme_id:int}/versions/{version:int}/publish")
def publish(slug: str, programme_id: PathId, version: PathVersion, access: AccessDep,
            runtime: RuntimeDep) -> Response:
    editing.publish_version(runtime, actor=access, organisation=slug,
                            programme_id=programme_id, version=version)
    return _see_other(f"{base(slug)}/{programme_id}/edit?done=published#editor-title")


@router.get(BASE + "/{programme_id:int}/diff", response_class=HTMLResponse)
def diff(slug: str, programme_id: PathId, request: Request, access: AccessDep,
         runtime: RuntimeDep,
         before: Annotated[int | None, Query(alias="from", ge=1, le=2**31)] = None,
         after: Annotated[int | None, Query(alias="to", ge=1, le=2**31)] = None) -> Response:
    if _visitor(access):
        return _sign_in(request)
    stored, versions = editing.history(runtime, actor=access, organisation=slug,
                                       programme_id=programme_id)
    newest = versions[-1].version
    after = after or newest
    before = before or max(after - 1, 1)
    found = editing.version_diff(runtime, actor=access, organisation=slug,
                                 programme_id=programme_id, before=before, after=after)
    t = _translator(request)
    return _page(request, "editor_diff.html", slug=slug, base=base(slug), stored=stored,
                 versions=list(reversed(versions)), found=found,
                 rows=views.difference_rows(found.differences, t))


# --- importing -----------------------------------------------------------------------------------


def _import_page(request: Request, runtime: Runtime, access: Access, slug: str, *,
                 status_code: int = 200, problems: list[views.ImportProblem] | None = None,
                 general: str | None = None, imported: editing.Imported | None = None,
                 chosen: str = "", publish: bool = False) -> HTMLResponse:
    found = editing.workspace(runtime, actor=access, organisation=slug, limit=1)
    return _page(request, "editor_import.html", status_code=status_code, slug=slug,
                 base=base(slug), organisation=found.organisation, problems=problems,
                 general=general, imported=imported, chosen=chosen, publish=publish,
                 max_bytes=editing.MAX_IMPORT_BYTES,
                 max_programmes=editing.MAX_IMPORT_PROGRAMMES)


@router.get(BASE + "/import", response_class=HTMLResponse)
def import_form(slug: str, request: Request, access: AccessDep, runtime: RuntimeDep
                ) -> Response:
    if _visitor(access):
        return _sign_in(request)
    return _import_page(request, runtime, access, slug)


@router.post(BASE + "/import", response_class=HTMLResponse)
async def import_file(slug: str, request: Request, access: AccessDep, runtime: RuntimeDep,
                      form: FormDep) -> Response:
    upload = form.get("file")
    chosen = form.get("format")
    chosen = chosen if isinstance(chosen, str) else ""
    publish = form.get("publish") == "yes"
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await run_in_threadpool(
            _import_page, request, runtime, access, slug, status_code=422,
            general="editor.import.no_file", chosen=chosen, publish=publish)
    data = await upload.read(editing.MAX_IMPORT_BYTES + 1)
    name = upload.filename
    fmt = _FORMATS.get(chosen and f".{chosen}") or _FORMATS.get(
        "." + name.rsplit(".", 1)[-1].lower() if "." in name else "")
    if fmt is None:
        return await run_in_threadpool(
            _import_page, request, runtime, access, slug, status_code=422,
            general="editor.import.unknown_format", chosen=chosen, publish=publish)
    try:
        imported = await run_in_threadpool(
            lambda: editing.import_programmes(runtime, actor=access, organisation=slug,
                                              data=data, fmt=fmt, source=name,
                                              publish=publish))
    except InputError as exc:
        # Every problem placed by row and column (CSV) or record and line (YAML, JSON), in
        # the page's language.
        language = i18n.negotiate(request).language
        return await run_in_threadpool(
            _import_page, request, runtime, access, slug, status_code=422,
            problems=views.import_problems(exc, name, language), chosen=chosen,
            publish=publish)
    return await run_in_threadpool(_import_page, request, runtime, access, slug,
                                   imported=imported)


# --- previews ------------------------------------------------------------------------------------


#: A design the badge designer shows before it is saved: its template and colour (none: the
#: generated one), in the preview image's address.
QueryTemplate = Annotated[str | None, Query(max_length=16)]
QueryColour = Annotated[str | None, Query(max_length=16)]


def _previewed(template: str | None, colour: str | None) -> BadgeStyle | None:
    """The design a preview's address asks for; a colour refused is left out (the designer's
    form says why), so that the preview still draws."""
    if template is None:
        return None
    try:
        return editing.chosen_style(template=template, colour=colour or "",
                                    own_colour=bool(colour))
    except InputError:
        return editing.chosen_style(template=template, colour="", own_colour=False)


@router.get(BASE + "/{programme_id:int}/badge.svg")
def badge_svg(slug: str, programme_id: PathId, access: AccessDep, runtime: RuntimeDep,
              version: QueryVersion = None, template: QueryTemplate = None,
              colour: QueryColour = None) -> Response:
    design = editing.badge_design(runtime, actor=access, organisation=slug,
                                  programme_id=programme_id, version=version,
                                  style=_previewed(template, colour))
    return Response(draw_badge(design), media_type="image/svg+xml",
                    headers={**NO_STORE, "Content-Security-Policy": "default-src 'none'"})


@router.get(BASE + "/{programme_id:int}/badge.png")
def badge_png(slug: str, programme_id: PathId, access: AccessDep, runtime: RuntimeDep,
              version: QueryVersion = None) -> Response:
    design = editing.badge_design(runtime, actor=access, organisation=slug,
                                  programme_id=programme_id, version=version)
    return Response(render_badge_png(design).png, media_type="image/png", headers=NO_STORE)


# --- the badge designer ------------------------------------------------------------------------


def _designer(request: Request, runtime: Runtime, access: Access, slug: str,
              programme_id: int, *, style: BadgeStyle, colour: str, status_code: int = 200,
              **context: Any) -> HTMLResponse:
    """The designer's page: the templates, the colour, the logo and the preview of ``style``
    (``colour``: as the form holds it, a refused one too)."""
    stored = editing.badge_designer_programme(runtime, actor=access, organisation=slug,
                                              programme_id=programme_id)
    design = editing.badge_design(runtime, actor=access, organisation=slug,
                                  programme_id=programme_id, style=style)
    query = {"template": style.template, **({"colour": style.colour} if style.colour else {})}
    values: dict[str, Any] = {"done": None, "problem": None, "problem_at": None,
                              "own_colour": False, **context}
    return _page(request, "editor_badge.html", status_code=status_code, slug=slug,
                 base=base(slug), stored=stored, design=design, style=style,
                 templates=TEMPLATES, colour=colour,
                 preview=f"{base(slug)}/{programme_id}/badge.svg?{urlencode(query)}", **values)


@router.get(BASE + "/{programme_id:int}/badge", response_class=HTMLResponse)
def badge_designer(slug: str, programme_id: PathId, request: Request, access: AccessDep,
                   runtime: RuntimeDep, done: Annotated[str | None, Query()] = None
                   ) -> Response:
    """The programme's badge designer, showing the design its badge has."""
    if _visitor(access):
        return _sign_in(request)
    style = editing.badge_style_of(runtime, actor=access, organisation=slug,
                                   programme_id=programme_id)
    return _designer(request, runtime, access, slug, programme_id, style=style,
                     colour=style.colour or _design_colour(runtime, access, slug, programme_id),
                     done="saved" if done == "saved" else None)


def _design_colour(runtime: Runtime, access: Access, slug: str, programme_id: int) -> str:
    """The colour the badge has now (the generated one), where the colour picker starts."""
    return editing.badge_design(runtime, actor=access, organisation=slug,
                                programme_id=programme_id).colour.lower()


@router.post(BASE + "/{programme_id:int}/badge", response_class=HTMLResponse)
def design_badge(slug: str, programme_id: PathId, request: Request, access: AccessDep,
                 runtime: RuntimeDep, form: FormDep) -> Response:
    """``action=preview`` shows the chosen design without keeping it (the way without
    JavaScript; with it the preview follows each choice); ``action=save`` keeps it."""
    template, colour = str(form.get("template", "")), str(form.get("colour", ""))
    own = bool(form.get("own_colour"))
    try:
        style = editing.chosen_style(template=template, colour=colour, own_colour=own)
    except InputError as exc:
        fallback = template if template in TEMPLATES else TEMPLATES[0]
        return _designer(request, runtime, access, slug, programme_id,
                         style=BadgeStyle(fallback), colour=colour, own_colour=own,
                         status_code=422, problem=said(exc, i18n.negotiate(request).language),
                         problem_at="template" if exc.code.endswith("template") else "colour")
    if form.get("action") == "preview":
        return _designer(request, runtime, access, slug, programme_id, style=style,
                         colour=colour, own_colour=own)
    editing.design_badge(runtime, actor=access, organisation=slug, programme_id=programme_id,
                         style=style)
    return _see_other(f"{base(slug)}/{programme_id}/badge?done=saved#badge-title")


@router.get(BASE + "/{programme_id:int}/certificate.pdf")
def certificate_pdf(slug: str, programme_id: PathId, access: AccessDep, runtime: RuntimeDep,
                    lang: Annotated[str, Query(pattern="^(ja|en)$")] = "ja",
                    version: QueryVersion = None
                    ) -> Response:
    pdf = editing.certificate_preview(runtime, actor=access, organisation=slug,
                                      programme_id=programme_id, language=lang,
                                      version=version)
    return Response(pdf, media_type="application/pdf", headers={
        **NO_STORE,
        "Content-Disposition": f'inline; filename="specimen-{programme_id}-{lang}.pdf"'})

