"""``/workspace/{slug}/profile``: the organisation's public profile (names in Japanese and
English, web site, contact address, description) as one form, and its logo as another
(:mod:`.logo`)."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.core.images.logos import LogoLimits
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.workspace.views import page, problem_of, see_other
from credstack.errors import ConflictError, InputError
from credstack.services.organisations import logos
from credstack.services.runtime import Runtime
from credstack.services.workspace import home
from credstack.services.workspace import profile as profiles
from credstack.services.workspace.profile import ProfileForm

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]
DONE: Final = frozenset({"saved", "logo", "logo-removed"})


def profile_page(request: Request, runtime: Runtime, access: Access, slug: str, *,
                 status_code: int = 200, form: ProfileForm | None = None, **context: Any
                 ) -> HTMLResponse:
    found = home.home(runtime, actor=access, slug=slug)
    stored = profiles.profile(runtime, actor=access, organisation=slug).organisation
    if form is None:
        names = stored.name.root
        descriptions = stored.description.root if stored.description else {}
        form = ProfileForm(name_ja=names.get("ja", ""), name_en=names.get("en", ""),
                           url=str(stored.url) if stored.url else "", email=stored.email or "",
                           description_ja=descriptions.get("ja", ""),
                           description_en=descriptions.get("en", ""),
                           corporate_number=stored.corporate_number or "")
    values: dict[str, Any] = {"problem": None, "done": None, "logo_problem": None, **context}
    return page(request, "workspace_profile.html", status_code=status_code, slug=slug,
                home=found, sections=found.sections, here="profile", organisation=stored,
                form=form, logo=logos.logo(runtime, organisation=slug),
                logo_bytes=LogoLimits().max_bytes, **values)


@router.get("/workspace/{slug}/profile", response_class=HTMLResponse)
def profile(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
            done: Annotated[str | None, Query()] = None) -> Response:
    return profile_page(request, runtime, access, slug, done=done if done in DONE else None)


@router.post("/workspace/{slug}/profile", response_class=HTMLResponse)
def save(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
         name_ja: FormText = "", name_en: FormText = "", url: FormText = "",
         email: FormText = "", description_ja: FormText = "", description_en: FormText = "",
         corporate_number: FormText = "") -> Response:
    form = ProfileForm(name_ja=name_ja, name_en=name_en, url=url, email=email,
                       description_ja=description_ja, description_en=description_en,
                       corporate_number=corporate_number)
    try:
        profiles.update_profile(runtime, actor=access, organisation=slug, form=form)
    except (InputError, ConflictError) as exc:
        # A conflict: the corporate number is another organisation's, said beside its field.
        problem = problem_of(request, exc)
        return profile_page(request, runtime, access, slug, status_code=problem.status,
                            form=form, problem=problem)
    return see_other(f"/workspace/{slug}/profile?done=saved")
