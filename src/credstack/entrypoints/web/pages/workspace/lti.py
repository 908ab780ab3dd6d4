"""``/workspace/{slug}/lti``: the LMSs the organisation registered credstack with (LTI 1.3):
the values to give an LMS, a registration by hand, the registration URLs for Dynamic
Registration (``POST …/lti/registration-urls`` makes one, shown that once: only its token's
digest is kept) and the approval of a registration an LMS made with one; and its course
links, each learner's result and outcome (a grade lowered after issuance shows here, for
the issuer to decide), with "issue now"."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from credstack.core.lti.registration import reachable_by_platforms
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.workspace.views import page, problem_of, see_other
from credstack.errors import ConflictError, InputError, NotFoundError
from credstack.services import lti
from credstack.services.background.lti import start_awards
from credstack.services.runtime import Runtime
from credstack.services.workspace import home

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]
DONE: Final = frozenset({"registered", "approved", "issuing"})


def lti_page(request: Request, runtime: Runtime, access: Access, slug: str, *,
             status_code: int = 200, **context: Any) -> HTMLResponse:
    found = home.home(runtime, actor=access, slug=slug)
    base = runtime.settings.public_url.rstrip("/")
    values: dict[str, Any] = {"problem": None, "done": None, "form": {}, "made": None,
                              **context}
    return page(request, "workspace_lti.html", status_code=status_code, slug=slug,
                home=found, sections=found.sections, here="lti",
                platforms=lti.platforms(runtime, actor=access, organisation=slug),
                links=lti.links(runtime, actor=access, organisation=slug,
                                language=i18n.negotiate(request).language),
                tool={"login": f"{base}/lti/login", "launch": f"{base}/lti/launch",
                      "jwks": f"{base}/lti/jwks"},
                tokens=lti.registration_tokens(runtime, actor=access, organisation=slug),
                now=runtime.now(),
                reachable=reachable_by_platforms(base),
                **values)


@router.get("/workspace/{slug}/lti", response_class=HTMLResponse)
def lti_list(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
             done: Annotated[str | None, Query()] = None) -> Response:
    return lti_page(request, runtime, access, slug, done=done if done in DONE else None)


@router.post("/workspace/{slug}/lti", response_class=HTMLResponse)
def register(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
             name: FormText = "", issuer: FormText = "", client_id: FormText = "",
             login_url: FormText = "", token_url: FormText = "", jwks_url: FormText = "",
             deployments: FormText = "") -> Response:
    form = lti.PlatformForm(name, issuer, client_id, login_url, token_url, jwks_url,
                            tuple(deployments.splitlines()))
    try:
        lti.register(runtime, actor=access, organisation=slug, form=form)
    except (InputError, ConflictError) as exc:
        problem = problem_of(request, exc)
        return lti_page(request, runtime, access, slug, status_code=problem.status,
                        problem=problem, form={
                            "name": name, "issuer": issuer, "client_id": client_id,
                            "login_url": login_url, "token_url": token_url,
                            "jwks_url": jwks_url, "deployments": deployments})
    return see_other(f"/workspace/{slug}/lti?done=registered")


@router.post("/workspace/{slug}/lti/registration-urls", response_class=HTMLResponse)
def make_registration_url(slug: str, request: Request, runtime: RuntimeDep,
                          access: WebUserDep) -> Response:
    """A new registration URL, shown on the page this once (not redirected to: the URL is
    not kept, and would be in the address bar and the history)."""
    made = lti.make_registration_token(runtime, actor=access, organisation=slug)
    return lti_page(request, runtime, access, slug, made=made)


@router.post("/workspace/{slug}/lti/{platform_id}/approve")
def approve(slug: str, platform_id: int, runtime: RuntimeDep, access: WebUserDep) -> Response:
    lti.approve(runtime, actor=access, organisation=slug, platform_id=platform_id)
    return see_other(f"/workspace/{slug}/lti?done=approved")


@router.post("/workspace/{slug}/lti/links/{link}/issue")
def issue_now(slug: str, link: str, runtime: RuntimeDep, access: WebUserDep) -> Response:
    if lti.link_organisation(runtime, link=link) != slug:
        raise NotFoundError(f"No course link {link} of {slug}. / このコースリンクはありません。")
    start_awards(runtime, link=link, key=f"now:{runtime.now().isoformat(timespec='seconds')}",
                 actor=access, now=True)
    return see_other(f"/workspace/{slug}/lti?done=issuing")
