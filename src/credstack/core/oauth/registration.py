"""RFC 7591 client metadata, as credstack's registration endpoint accepts it.

The Open Badges 3.0 REST API profile of dynamic registration (OB 3.0 §7.2.1 "Dynamic Client
Registration") asks for HTTPS URLs that all share one host: the redirect URIs, the client's
home page, logo, terms of service and privacy policy. Native apps (RFC 8252, "OAuth 2.0 for
Native Apps", October 2017, https://www.rfc-editor.org/rfc/rfc8252) may also register:

* a loopback redirect, ``http`` on the loopback IP literal ``127.0.0.1`` or ``[::1]``
  (§7.3); ``localhost`` is refused, as §8.3 recommends against it (the name may resolve to
  another interface than the loopback one, and is not as safe from a firewall);
* a public client (``token_endpoint_auth_method`` ``none``, which PKCE holds) a private-use
  URI scheme redirect (§7.1), such as ``com.example.wallet:/callback``: the scheme must be a
  domain name in reverse order, as §8.4 asks servers to enforce — at least two labels of
  letters, digits and hyphens, the first of letters (a top-level domain); one without a
  period (``mywallet:``), a web or local scheme (``javascript:``, ``data:``, ``file:`` …),
  or a confidential client's private-use redirect is refused, naming the URI. For such a
  client the "one host" is its scheme's domain (``wallet.example.com``), on which, or a
  domain above it (``example.com``), its HTTPS URLs must be.

Redirect URIs are compared with the authorization request's exactly, character for
character (RFC 9700 §4.1.1), so none may carry a fragment or be relative; but for the port of
a loopback redirect, which a native app picks when it starts listening, and which the server
therefore lets vary (RFC 8252 §7.3, "MUST allow any port"; RFC 9700 §4.1.1 makes the same
exception): :func:`redirect_uri_matches`.

:func:`client_metadata` reads the JSON a client sent and returns the metadata kept and echoed
back, or raises :class:`~credstack.errors.InputError` with one problem per field (the
registration endpoint answers ``invalid_redirect_uri`` or ``invalid_client_metadata``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from credstack.errors import InputError, Problem

#: The URL fields of RFC 7591 §2 that must share the redirect URIs' host.
URL_FIELDS = ("client_uri", "logo_uri", "tos_uri", "policy_uri")
#: The text fields kept as given (each at most :data:`MAX_TEXT` characters).
TEXT_FIELDS = ("client_name", "software_id", "software_version")
MAX_TEXT = 200
MAX_URL = 2048
MAX_REDIRECT_URIS = 10
MAX_CONTACTS = 10
GRANT_TYPES = frozenset({"authorization_code", "refresh_token"})
RESPONSE_TYPES = frozenset({"code"})
#: ``none``: a public client (a wallet on a phone), which PKCE alone protects.
AUTH_METHODS = frozenset({"client_secret_basic", "client_secret_post", "none"})


@dataclass(frozen=True, slots=True)
class ClientMetadata:
    """What a client registered, checked (RFC 7591 §2)."""

    redirect_uris: tuple[str, ...]
    client_name: str
    grant_types: tuple[str, ...]
    response_types: tuple[str, ...]
    token_endpoint_auth_method: str
    scope: str
    #: Everything else kept and echoed: the URLs, software id and version, contacts.
    others: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {**self.others, "client_name": self.client_name,
                "redirect_uris": list(self.redirect_uris), "grant_types": list(self.grant_types),
                "response_types": list(self.response_types),
                "token_endpoint_auth_method": self.token_endpoint_auth_method,
                "scope": self.scope}

    @property
    def host(self) -> str:
        """The redirect URIs' host (for a native app's private-use scheme, its domain)."""
        return origin(self.redirect_uris[0])


class RedirectUriError(InputError):
    """A redirect URI credstack does not accept (RFC 7591 ``invalid_redirect_uri``)."""


def redirect_uri_matches(registered: str, given: str) -> bool:
    """Whether the authorization request's ``given`` redirect URI is the ``registered`` one:
    the same characters, or for ``http`` on the loopback IP literal ``127.0.0.1`` or
    ``[::1]``, the same but for the port (RFC 8252 §7.3)."""
    if given == registered:
        return True
    mine, theirs = urlsplit(registered), urlsplit(given)
    if mine.scheme != "http" or theirs.scheme != "http" or mine.hostname in (None, "localhost"):
        return False
    try:
        if not (ipaddress.ip_address(mine.hostname).is_loopback and theirs.port is not None):
            return False
    except ValueError:
        return False
    host = f"[{mine.hostname}]" if ":" in mine.hostname else mine.hostname
    return given == mine._replace(netloc=f"{host}:{theirs.port}").geturl()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


#: Schemes that are the web's or the device's own, never an app's redirect (a browser runs or
#: reads them in place: RFC 8252 §7.1 wants a scheme the app's own domain names).
REFUSED_SCHEMES = frozenset({"javascript", "data", "file", "vbscript", "about", "blob",
                             "filesystem", "view-source", "ftp", "ws", "wss", "mailto", "tel",
                             "sms", "chrome", "resource", "intent", "content"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TOP_LEVEL = re.compile(r"[a-z]{2,63}")


def private_use_domain(scheme: str) -> str | None:
    """The domain a private-use scheme names in reverse order (``com.example.wallet`` →
    ``wallet.example.com``); None for one that is not in reverse domain form."""
    labels = scheme.lower().split(".")
    if len(labels) < 2 or not _TOP_LEVEL.fullmatch(labels[0]) or not all(
            _LABEL.fullmatch(label) for label in labels):
        return None
    return ".".join(reversed(labels))


def _scheme(value: str) -> str:
    found = _SCHEME.match(value)
    return found.group(1).lower() if found else ""


def _private_use_problem(value: str, scheme: str, *, public: bool) -> str:
    """Why the redirect URI of a scheme other than http(s) is refused ("" if it is not)."""
    if scheme in REFUSED_SCHEMES:
        return f"uses the {scheme}: scheme, which is never a redirect URI"
    if private_use_domain(scheme) is None:
        return (f"uses the scheme {scheme}:, neither https nor a private-use scheme in "
                "reverse domain form (such as com.example.wallet:/callback, RFC 8252 "
                "section 7.1)")
    if not public:
        return ("uses a private-use scheme, which only a native app, a public client "
                "(token_endpoint_auth_method none), may register")
    if len(value) == len(scheme) + 1:
        return "has nothing after its scheme (such as com.example.wallet:/callback)"
    return ""


def _redirect_problem(value: object, *, public: bool) -> str | None:
    """Why a redirect URI is refused, or None (see the module)."""
    if not isinstance(value, str) or not value:
        return "must be a URL"
    if len(value) > MAX_URL:
        return f"longer than {MAX_URL} characters"
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in value):
        return "must not contain spaces or control characters"
    scheme = _scheme(value)
    if scheme in {"http", "https"}:
        problem = _url_problem(value, redirect=True)
        if problem is None and urlsplit(value).hostname == "localhost":
            return ("must name the loopback address 127.0.0.1 or [::1], not localhost "
                    "(RFC 8252 section 8.3)")
        return problem
    if not scheme:
        return "is not an absolute URL"
    if "#" in value:
        return "must not have a fragment"
    return _private_use_problem(value, scheme, public=public) or None


def origin(uri: str) -> str:
    """What a checked redirect URI's client is known by: its host, or for a private-use
    scheme the domain the scheme names."""
    scheme = _scheme(uri)
    if scheme in {"http", "https"}:
        return urlsplit(uri).hostname or ""
    return private_use_domain(scheme) or ""


def _on_origin(url: str, host: str, *, native: bool) -> bool:
    """Whether a client's URL is on its redirect URIs' host (for a native app, on its
    scheme's domain or a domain above it, of two labels at least)."""
    found = urlsplit(url).hostname or ""
    if not native:
        return found == host
    return found == host or ("." in found and host.endswith("." + found))


def _url_problem(value: object, *, redirect: bool) -> str | None:
    if not isinstance(value, str) or not value:
        return "must be a URL"
    if len(value) > MAX_URL:
        return f"longer than {MAX_URL} characters"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        return "is not a URL"
    if not parts.hostname:
        return "is not an absolute URL"
    if parts.scheme != "https" and not (parts.scheme == "http" and is_loopback(parts.hostname)):
        return "must use https (http only on a loopback address)"
    if parts.fragment or value.endswith("#"):
        return "must not have a fragment"
    if redirect and any(ord(c) < 0x21 for c in value):
        return "must not contain spaces or control characters"
    return None


def client_metadata(data: Mapping[str, Any], *, scopes_supported: frozenset[str],
                    default_scope: str) -> ClientMetadata:
    """The checked metadata of a registration request (see the module)."""
    if not isinstance(data, Mapping):
        raise InputError("The registration request must be a JSON object.",
                         problems=[Problem("", "not a JSON object")])
    uris = data.get("redirect_uris")
    if not isinstance(uris, list) or not uris:
        raise RedirectUriError("redirect_uris must be a non-empty array of URLs.",
                               problems=[Problem("redirect_uris", "a non-empty array")])
    if len(uris) > MAX_REDIRECT_URIS:
        raise RedirectUriError(f"At most {MAX_REDIRECT_URIS} redirect URIs.",
                               problems=[Problem("redirect_uris", "too many")])
    public = data.get("token_endpoint_auth_method") == "none"
    bad = [Problem(f"redirect_uris[{index}]", f"{uri!r} {problem}")
           for index, uri in enumerate(uris)
           if (problem := _redirect_problem(uri, public=public))]
    if bad:
        raise RedirectUriError(f"{bad[0].location} {bad[0].message}.",
                               problems=bad)
    hosts = {origin(uri) for uri in uris}
    if len(hosts) > 1:
        raise RedirectUriError("Every redirect URI must be on one host (or one private-use "
                               "scheme).", problems=[Problem("redirect_uris", "several hosts")])
    [host] = hosts
    native = any(_scheme(uri) not in {"http", "https"} for uri in uris)
    problems: list[Problem] = []
    others: dict[str, Any] = {}
    for field in URL_FIELDS:
        if field in data and data[field] is not None:
            problem = _url_problem(data[field], redirect=False)
            if problem is None and not _on_origin(data[field], host, native=native):
                problem = (f"must be on {host} or a domain above it (the private-use "
                           "scheme's)" if native else f"must be on the redirect URIs' host "
                                                      f"{host}")
            if problem:
                problems.append(Problem(field, problem))
            else:
                others[field] = data[field]
    for field in TEXT_FIELDS:
        value = data.get(field)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
            problems.append(Problem(field, f"a text of 1 to {MAX_TEXT} characters"))
        elif field != "client_name":
            others[field] = value
    contacts = data.get("contacts")
    if contacts is not None:
        if (not isinstance(contacts, list) or len(contacts) > MAX_CONTACTS
                or not all(isinstance(c, str) and 0 < len(c) <= 320 for c in contacts)):
            problems.append(Problem("contacts", f"an array of at most {MAX_CONTACTS} "
                                                "addresses"))
        else:
            others["contacts"] = list(contacts)
    grant_types = _listed(data, "grant_types", ["authorization_code"], GRANT_TYPES, problems)
    response_types = _listed(data, "response_types", ["code"], RESPONSE_TYPES, problems)
    method = data.get("token_endpoint_auth_method", "client_secret_basic")
    if method not in AUTH_METHODS:
        problems.append(Problem("token_endpoint_auth_method",
                                f"one of {', '.join(sorted(AUTH_METHODS))}"))
    scope = data.get("scope", default_scope)
    if not isinstance(scope, str) or not scope.split():
        problems.append(Problem("scope", "a space-separated list of scopes"))
    else:
        unknown = sorted(set(scope.split()) - scopes_supported)
        if unknown:
            problems.append(Problem("scope", f"unknown scope {unknown[0]}"))
    if "jwks" in data or "jwks_uri" in data or "software_statement" in data:
        problems.append(Problem(next(f for f in ("jwks", "jwks_uri", "software_statement")
                                     if f in data), "not supported"))
    if problems:
        raise InputError(f"The client metadata is not valid: {problems[0]}.", problems=problems)
    name = data.get("client_name")
    return ClientMetadata(
        redirect_uris=tuple(uris),
        client_name=name.strip() if isinstance(name, str) else str(host),
        grant_types=tuple(grant_types), response_types=tuple(response_types),
        token_endpoint_auth_method=str(method), scope=" ".join(dict.fromkeys(scope.split())),
        others=others)


def _listed(data: Mapping[str, Any], field: str, default: list[str], allowed: frozenset[str],
            problems: list[Problem]) -> list[str]:
    value = data.get(field, default)
    if (not isinstance(value, list) or not value
            or not all(isinstance(item, str) for item in value)):
        problems.append(Problem(field, "a non-empty array of strings"))
        return default
    unknown = sorted(set(value) - allowed)
    if unknown:
        problems.append(Problem(field, f"{unknown[0]} is not supported (only "
                                       f"{', '.join(sorted(allowed))})"))
    return list(dict.fromkeys(value))
