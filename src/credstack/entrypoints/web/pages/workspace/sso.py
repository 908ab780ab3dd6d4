"""``/workspace/{slug}/sso``: the organisation's identity providers (campus single sign-on,
issue 57), for its administrator: a SAML 2.0 identity provider added from its metadata (by
URL or as a file, signed with the federation's certificate), an OpenID provider by its issuer
(its endpoints found by discovery at each sign-in), and each provider's ceiling of roles and
its rules from attributes to roles. The roles offered are only those the administrator may
grant (:func:`credstack.services.sso.providers.givable_roles`). Plain forms: a rule is a row
of three fields, with empty rows to add more."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from credstack.core.access.policy import Role
from credstack.core.sso.roles import Rule
from credstack.entrypoints.web import i18n
from credstack.entrypoints.web.access import Access
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.entrypoints.web.pages.accounts import WebUserDep
from credstack.entrypoints.web.pages.workspace.views import (
    FormProblem,
    page,
    problem_of,
    see_other,
)
from credstack.errors import ConflictError, CredstackError, InputError, NotFoundError, Problem
from credstack.services.runtime import Runtime
from credstack.services.sso import providers
from credstack.services.workspace import home

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form(max_length=20_000)]
FormList = Annotated[list[str] | None, Form()]
DONE: Final = frozenset({"added", "rules"})
#: Empty rule rows under a form's rules, for rules to add without JavaScript.
SPARE_ROWS: Final = 3
#: The largest metadata file read from the form (GakuNin's aggregate is some megabytes).
METADATA_FILE_LIMIT: Final = 32 * 1024 * 1024
#: Refused fields with words of their own in the catalogue (``sso.admin.error.<field>``).
_FIELDS: Final = frozenset({"slug", "name", "issuer", "client_id", "scopes", "metadata_url",
                            "metadata", "binding", "federation_certificate", "allowed_roles",
                            "rules", "role"})
#: The refusals of an OpenID provider whose discovery fails, each with words of its own.
DISCOVERY: Final = "sso.admin.error.discovery."


def _field(location: str | None) -> str | None:
    if location is None:
        return None
    if location.startswith("rules["):
        return "role" if location.endswith(".role") else "rules"
    return location


def _problem(request: Request, exc: CredstackError) -> FormProblem:
    """The refusal in the page's catalogue words: for the field refused, for a short name
    taken, or a refusal in general."""
    found = problem_of(request, exc)
    field = _field(found.field)
    t = i18n.Translator(i18n.negotiate(request).language)
    if exc.code.startswith(DISCOVERY):
        # The issuer's metadata or key set, read when the provider was added, does not serve
        # (the words are markup, the issuer and the address in them escaped).
        return FormProblem(t(exc.code, **exc.params), field, found.status)
    key = "taken" if isinstance(exc, ConflictError) else field if field in _FIELDS \
        else "refused"
    return FormProblem(str(t(f"sso.admin.error.{key}")), field, found.status)


def _rules(attributes: list[str] | None, values: list[str] | None,
           roles: list[str] | None) -> list[Rule]:
    """The rule rows the form posted; a row left empty is no rule."""
    rules = []
    for attribute, value, role in zip(attributes or [], values or [], roles or [],
                                      strict=False):
        if not attribute.strip() and not value.strip():
            continue
        try:
            given = Role(role)
        except ValueError:
            raise InputError(f"Unknown role {role!r}.",
                             problems=[Problem("rules[0].role", "unknown role")]) from None
        rules.append(Rule(attribute.strip(), value.strip(), given))
    return rules


def sso_page(request: Request, runtime: Runtime, access: Access, slug: str, *,
             status_code: int = 200, **context: Any) -> HTMLResponse:
    found = home.home(runtime, actor=access, slug=slug)
    listed = providers.provider_list(runtime, actor=access, organisation=slug)
    values: dict[str, Any] = {"problem": None, "problem_form": None, "done": None,
                              "form": {}, **context}
    return page(request, "workspace_sso.html", status_code=status_code, slug=slug,
                home=found, sections=found.sections, here="sso",
                listed=listed, rows={p.slug: [(r.attribute, r.value, r.role.value)
                                              for r in p.rules] for p in listed},
                givable=providers.givable_roles(runtime, actor=access, organisation=slug),
                spare=SPARE_ROWS, base=runtime.settings.public_url.rstrip("/"), **values)


def _refused(request: Request, runtime: Runtime, access: Access, slug: str,
             exc: CredstackError, *, which: str, form: dict[str, Any]) -> HTMLResponse:
    problem = _problem(request, exc)
    return sso_page(request, runtime, access, slug, status_code=problem.status,
                    problem=problem, problem_form=which, form=form)


def _kept(roles: list[str] | None, attributes: list[str] | None, values: list[str] | None,
          rule_roles: list[str] | None, **fields: str) -> dict[str, Any]:
    """What the administrator typed, to show again next to a refusal (never a secret)."""
    rows = [(a, v, r) for a, v, r in zip(attributes or [], values or [], rule_roles or [],
                                         strict=False) if a.strip() or v.strip()]
    return {**fields, "allowed_roles": tuple(roles or ()), "rules": rows}


@router.get("/workspace/{slug}/sso", response_class=HTMLResponse)
def sso_list(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
             done: Annotated[str | None, Query()] = None) -> Response:
    return sso_page(request, runtime, access, slug, done=done if done in DONE else None)


@router.post("/workspace/{slug}/sso/saml", response_class=HTMLResponse)
async def add_saml(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
                   provider: FormText = "", name: FormText = "", metadata_url: FormText = "",
                   metadata_file: UploadFile | None = None,
                   federation_certificate: FormText = "", entity_id: FormText = "",
                   binding: FormText = "redirect", allowed_roles: FormList = None,
                   rule_attribute: FormList = None, rule_value: FormList = None,
                   rule_role: FormList = None) -> Response:
    document = ""
    if metadata_file is not None and metadata_file.filename:
        raw = await metadata_file.read(METADATA_FILE_LIMIT + 1)
        document = raw[:METADATA_FILE_LIMIT].decode("utf-8", errors="replace")
    kept = _kept(allowed_roles, rule_attribute, rule_value, rule_role, provider=provider,
                 name=name, metadata_url=metadata_url, entity_id=entity_id, binding=binding,
                 federation_certificate=federation_certificate)
    try:
        await run_in_threadpool(
            providers.add_saml_provider, runtime, actor=access, organisation=slug,
            slug=provider.strip(), name=name, metadata_url=metadata_url.strip(),
            metadata=document, federation_cert=federation_certificate,
            entity_id=entity_id.strip() or None, binding=binding,
            allowed_roles=allowed_roles or [],
            rules=_rules(rule_attribute, rule_value, rule_role))
    except (InputError, ConflictError, NotFoundError) as exc:
        return await run_in_threadpool(_refused, request, runtime, access, slug, exc,
                                       which="saml", form=kept)
    return see_other(f"/workspace/{slug}/sso?done=added")


@router.post("/workspace/{slug}/sso/oidc", response_class=HTMLResponse)
def add_oidc(slug: str, request: Request, runtime: RuntimeDep, access: WebUserDep,
             provider: FormText = "", name: FormText = "", issuer: FormText = "",
             client_id: FormText = "", client_secret: FormText = "",
             scopes: FormText = providers.DEFAULT_SCOPES, allowed_roles: FormList = None,
             rule_attribute: FormList = None, rule_value: FormList = None,
             rule_role: FormList = None) -> Response:
    kept = _kept(allowed_roles, rule_attribute, rule_value, rule_role, provider=provider,
                 name=name, issuer=issuer, client_id=client_id, scopes=scopes)
    try:
        providers.add_oidc_provider(
            runtime, actor=access, organisation=slug, slug=provider.strip(), name=name,
            issuer=issuer.strip(), client_id=client_id.strip(), client_secret=client_secret,
            allowed_roles=allowed_roles or [],
            rules=_rules(rule_attribute, rule_value, rule_role), scopes=scopes.strip())
    except (InputError, ConflictError, NotFoundError) as exc:
        return _refused(request, runtime, access, slug, exc, which="oidc", form=kept)
    return see_other(f"/workspace/{slug}/sso?done=added")


@router.post("/workspace/{slug}/sso/{provider}/rules", response_class=HTMLResponse)
def set_rules(slug: str, provider: str, request: Request, runtime: RuntimeDep,
              access: WebUserDep, allowed_roles: FormList = None,
              rule_attribute: FormList = None, rule_value: FormList = None,
              rule_role: FormList = None) -> Response:
    if provider not in {p.slug for p in providers.provider_list(runtime, actor=access,
                                                                  organisation=slug)}:
        raise NotFoundError(f"There is no identity provider {provider!r} of {slug}.")
    try:
        providers.set_rules(runtime, actor=access, slug=provider,
                            allowed_roles=allowed_roles or [],
                            rules=_rules(rule_attribute, rule_value, rule_role))
    except InputError as exc:
        return _refused(request, runtime, access, slug, exc, which=f"rules-{provider}",
                        form=_kept(allowed_roles, rule_attribute, rule_value, rule_role))
    return see_other(f"/workspace/{slug}/sso?done=rules#provider-{provider}")
