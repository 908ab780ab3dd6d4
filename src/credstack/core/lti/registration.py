"""1EdTech LTI Dynamic Registration 1.0 (https://www.imsglobal.org/spec/lti-dr/v1p0): what
the tool reads of a platform's OpenID configuration (§3.4) and the registration it posts
(§3.5), with the platform's answer (§3.6).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from credstack.core.lti.services import SCOPES
from credstack.errors import InputError, Problem

__all__ = [
    "PlatformConfiguration",
    "Registered",
    "platform_configuration",
    "reachable_by_platforms",
    "registered",
    "tool_registration",
]

PLATFORM_CONFIGURATION: Final = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIGURATION: Final = "https://purl.imsglobal.org/spec/lti-tool-configuration"
#: Names that never reach past this machine or its own network.
_PRIVATE_SUFFIXES: Final = (".local", ".localhost", ".internal", ".lan", ".home.arpa")


def reachable_by_platforms(url: str) -> bool:
    """Whether an LMS can register and launch the tool at the site's address ``url``: LTI 1.3
    is HTTPS only (Security Framework §3), and an LMS on another machine reaches neither
    loopback, a private address, nor a single-label or local name."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or host == "localhost":
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." in host and not host.endswith(_PRIVATE_SUFFIXES)
    return address.is_global


#: What the tool asks to be told of the user at launch.
CLAIMS: Final = ("iss", "sub", "name", "given_name", "family_name", "email")


@dataclass(frozen=True, slots=True)
class PlatformConfiguration:
    issuer: str
    login_url: str
    token_url: str
    jwks_url: str
    registration_url: str
    product: str


def _refused(problems: list[Problem]) -> InputError:
    return InputError(code="lti.registration.incomplete", problems=problems)


def platform_configuration(document: Any, *, url: str) -> PlatformConfiguration:
    """The platform as its OpenID configuration at ``url`` describes it; the issuer must be
    of the configuration's own origin (§3.4.1: the tool checks it)."""
    body = document if isinstance(document, Mapping) else {}
    problems = []
    for field in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri",
                  "registration_endpoint"):
        if not isinstance(body.get(field), str) or not body[field]:
            problems.append(Problem(f"openid_configuration.{field}",
                                    code="lti.registration.missing"))
    if problems:
        raise _refused(problems)
    if urlsplit(body["issuer"]).netloc != urlsplit(url).netloc:
        raise _refused([Problem("openid_configuration.issuer",
                                code="lti.registration.other_host")])
    product = body.get(PLATFORM_CONFIGURATION)
    name = product.get("product_family_code") if isinstance(product, Mapping) else None
    return PlatformConfiguration(body["issuer"], body["authorization_endpoint"],
                                 body["token_endpoint"], body["jwks_uri"],
                                 body["registration_endpoint"], str(name or body["issuer"]))


def tool_registration(*, public_url: str, organisation: str, name: str) -> dict[str, Any]:
    """The client registration the tool posts for ``organisation`` (§3.5.2)."""
    base = public_url.rstrip("/")
    launch = f"{base}/lti/launch"
    return {
        "application_type": "web", "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": f"{base}/lti/login", "redirect_uris": [launch],
        "client_name": name, "jwks_uri": f"{base}/lti/jwks",
        "token_endpoint_auth_method": "private_key_jwt", "scope": " ".join(SCOPES),
        TOOL_CONFIGURATION: {
            "domain": urlsplit(base).netloc, "target_link_uri": launch,
            "custom_parameters": {"credstack_organisation": organisation},
            "claims": list(CLAIMS),
            "messages": [{"type": "LtiDeepLinkingRequest", "target_link_uri": launch,
                          "label": name, "placements": ["assignment_selection"]},
                         {"type": "LtiResourceLinkRequest", "target_link_uri": launch}]}}


@dataclass(frozen=True, slots=True)
class Registered:
    client_id: str
    deployment_id: str | None


def registered(document: Any) -> Registered:
    """The platform's answer to the registration: the client id, the deployment if given."""
    body = document if isinstance(document, Mapping) else {}
    if not isinstance(body.get("client_id"), str) or not body["client_id"]:
        raise _refused([Problem("client_id", code="lti.registration.no_client_id")])
    tool = body.get(TOOL_CONFIGURATION)
    deployment = tool.get("deployment_id") if isinstance(tool, Mapping) else None
    return Registered(body["client_id"], str(deployment) if deployment else None)
