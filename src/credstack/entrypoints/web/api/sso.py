"""Campus single sign-on, configured over the API by an organisation's administrator:
``GET|POST /api/organisations/{slug}/sso/providers`` (list, add an OpenID Connect provider),
``POST /api/organisations/{slug}/sso/saml-providers`` (add a SAML 2.0 identity provider from
its signed metadata) and ``PUT /api/sso/providers/{provider}/rules`` (its ceiling of roles
and its rules)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field

from credstack.core.access.policy import Role
from credstack.core.sso.roles import Rule
from credstack.entrypoints.web.access import AccessDep
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.services.sso import providers
from credstack.services.sso.providers import Provider

router = APIRouter(tags=["sso"])


class RuleBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attribute: str = Field(max_length=200)
    value: str = Field(max_length=200)
    role: Role


class RulesBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    allowed_roles: list[Role] = Field(max_length=10)
    rules: list[RuleBody] = Field(default_factory=list, max_length=100)


class OidcProviderBody(RulesBody):
    slug: str = Field(max_length=63)
    name: str = Field(max_length=200)
    issuer: str = Field(max_length=500)
    client_id: str = Field(max_length=255)
    client_secret: str = Field(default="", max_length=1000)
    scopes: str = Field(default=providers.DEFAULT_SCOPES, max_length=500)


class SamlProviderBody(RulesBody):
    slug: str = Field(max_length=63)
    name: str = Field(max_length=200)
    #: The identity provider's metadata by its URL, or the document itself (one of the two).
    metadata_url: str = Field(default="", max_length=500)
    metadata: str = Field(default="", max_length=2_000_000)
    #: The federation's metadata signing certificate (PEM) the metadata must verify with.
    federation_certificate: str = Field(max_length=20_000)
    #: Which identity provider of a federation's aggregate (optional for one provider's).
    entity_id: str = Field(default="", max_length=500)
    binding: Literal["redirect", "post"] = "redirect"


class ProviderPublic(BaseModel):
    slug: str
    organisation: str
    kind: str
    name: str
    issuer: str
    client_id: str
    scopes: str
    allowed_roles: list[str]
    rules: list[dict[str, str]]
    enabled: bool


def _public(provider: Provider) -> ProviderPublic:
    return ProviderPublic(
        slug=provider.slug, organisation=provider.organisation, kind=provider.kind,
        name=provider.name, issuer=provider.issuer, client_id=provider.client_id,
        scopes=provider.scopes, allowed_roles=[r.value for r in provider.allowed_roles],
        rules=[{"attribute": r.attribute, "value": r.value, "role": r.role.value}
               for r in provider.rules], enabled=provider.enabled)


def _rules(body: RulesBody) -> list[Rule]:
    return [Rule(r.attribute, r.value, r.role) for r in body.rules]


@router.get("/api/organisations/{slug}/sso/providers", response_model=list[ProviderPublic])
def list_providers(slug: str, runtime: RuntimeDep, access: AccessDep) -> list[ProviderPublic]:
    return [_public(p) for p in providers.provider_list(runtime, actor=access,
                                                        organisation=slug)]


@router.post("/api/organisations/{slug}/sso/providers", response_model=ProviderPublic,
             status_code=status.HTTP_201_CREATED)
def add_provider(slug: str, body: OidcProviderBody, runtime: RuntimeDep,
                 access: AccessDep) -> ProviderPublic:
    return _public(providers.add_oidc_provider(
        runtime, actor=access, organisation=slug, slug=body.slug, name=body.name,
        issuer=body.issuer, client_id=body.client_id, client_secret=body.client_secret,
        allowed_roles=[r.value for r in body.allowed_roles], rules=_rules(body),
        scopes=body.scopes))


@router.post("/api/organisations/{slug}/sso/saml-providers", response_model=ProviderPublic,
             status_code=status.HTTP_201_CREATED)
def add_saml_provider(slug: str, body: SamlProviderBody, runtime: RuntimeDep,
                      access: AccessDep) -> ProviderPublic:
    return _public(providers.add_saml_provider(
        runtime, actor=access, organisation=slug, slug=body.slug, name=body.name,
        metadata_url=body.metadata_url, metadata=body.metadata,
        federation_cert=body.federation_certificate, entity_id=body.entity_id or None,
        binding=body.binding, allowed_roles=[r.value for r in body.allowed_roles],
        rules=_rules(body)))


@router.put("/api/sso/providers/{provider}/rules", response_model=ProviderPublic)
def set_rules(provider: str, body: RulesBody, runtime: RuntimeDep,
              access: AccessDep) -> ProviderPublic:
    return _public(providers.set_rules(runtime, actor=access, slug=provider,
                                       allowed_roles=[r.value for r in body.allowed_roles],
                                       rules=_rules(body)))
