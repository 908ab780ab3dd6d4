"""The verifier's seams, built once per process, and :func:`verify` for the adapters.

The verification pipeline (:mod:`credstack.core.verification`) does no I/O and reads no
clock: its seams are parameters. This module is the one place the service and the CLI get
them from:

* ``document_loader`` — the bundled JSON-LD contexts plus credstack's own extension context
  (:data:`~credstack.core.credentials.openbadges_v3.EXTENSION_CONTEXT_URL`). Made once, so its
  caches stay warm. Nothing is ever fetched.
* ``resolve_verification_method`` — ``did:key`` is resolved locally (the pipeline does it
  before asking; it is handled here too, for completeness). Every other method fails with a
  :class:`VerificationMethodUnavailableError`: **did:web resolution is not available yet**
  (over HTTPS with a timeout, a size limit and an allow-list, in a later piece), so a proof
  made with a ``did:web`` key fails its check with that reason — it never passes.
* ``fetch_status_list`` — status list credentials fetched with :func:`fetch_bytes`: HTTPS
  only, a 5 s timeout, at most 1 MiB, no redirects, no literal private or loopback
  addresses. Loopback hosts (``127.0.0.1``, ``::1``, ``localhost``) are allowed, over HTTP
  too, only when ``CREDSTACK_ALLOW_LOOPBACK_FETCH=1`` (tests). The pipeline verifies the
  list's proof and issuer; a list that cannot be fetched fails the status check. credstack's
  own lists are not read from the local store yet: they are fetched like anyone's.
* ``programme_lookup`` — :func:`no_registry`: no achievement is looked up in the registry
  yet, so ``meaning.registry`` is always ``None``.
* ``now`` — the UTC time when :func:`verify` is called.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any, Final, cast

import httpx

from credstack.adapters.resolvers.contexts import document_loader
from credstack.core.credentials.openbadges_v3 import EXTENSION_CONTEXT_URL, extension_context
from credstack.core.crypto import DocumentLoader
from credstack.core.dids import did_key
from credstack.core.verification import (
    DEFAULT_CHECKS,
    STEPS,
    CheckStep,
    VerificationKey,
    VerificationReport,
    verify_credential,
)
from credstack.errors import CredstackError, InputTooLargeError

__all__ = [
    "ALWAYS_CHECKED",
    "FETCH_TIMEOUT_SECONDS",
    "LOOPBACK_ENV",
    "MAX_FETCH_BYTES",
    "FetchError",
    "VerificationMethodUnavailableError",
    "checks_for",
    "fetch_bytes",
    "fetch_status_list",
    "no_registry",
    "resolve_verification_method",
    "shared_document_loader",
    "verify",
]

#: The most a fetch reads (a status list credential of 16 KB lists is a few tens of KB).
MAX_FETCH_BYTES: Final = 1024 * 1024
FETCH_TIMEOUT_SECONDS: Final = 5.0
#: ``1`` allows fetching from loopback hosts (over HTTP too): for tests only.
LOOPBACK_ENV: Final = "CREDSTACK_ALLOW_LOOPBACK_FETCH"

#: Steps every verification runs, whatever a caller asks for: without them nothing is
#: verified at all. ``meaning`` is informational (never changes the verdict) and always runs.
# Validity is always checked: an expired or not-yet-valid credential must never come back
# verified, whichever checks a caller names.
ALWAYS_CHECKED: Final = ("parse", "data-model", "contexts", "proof", "issuer", "validity",
                         "meaning")

#: VC-API ``options.checks`` names (and credstack's own step names) → pipeline steps.
_OPTIONAL_CHECKS: Final[Mapping[str, str]] = {
    "credentialStatus": "status",
    "status": "status",
    "expiration": "validity",
    "validFrom": "validity",
    "validUntil": "validity",
    "validity": "validity",
}


class FetchError(CredstackError):
    """A document could not be fetched: refused URL, network error, too large, bad status."""

    title_en = "Cannot fetch"
    title_ja = "取得できません"
    slug = "fetch"


class VerificationMethodUnavailableError(CredstackError):
    """A verification method credstack cannot resolve (yet): ``did:web`` and others."""

    title_en = "Verification method not resolvable"
    title_ja = "検証方法を解決できません"
    slug = "verification-method"


# --- fetching -------------------------------------------------------------------------------

def _loopback_allowed() -> bool:
    return os.environ.get(LOOPBACK_ENV) == "1"


def _check_url(url: str) -> httpx.URL:
    """The URL, if credstack may fetch it; else :class:`FetchError` saying why."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError(f"{url!r} is not a URL: {exc}") from None
    host = parsed.host.lower().rstrip(".")
    if not host:
        raise FetchError(f"{url} has no host")
    loopback = host == "localhost" or host.endswith(".localhost")
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        address = None
    if address is not None:
        loopback = address.is_loopback
        if not loopback and not address.is_global:
            raise FetchError(f"{url} names a private or reserved address; credstack does not "
                             "fetch from it")
    if loopback:
        if not _loopback_allowed():
            raise FetchError(f"{url} is a loopback address; credstack does not fetch from it "
                             f"(tests set {LOOPBACK_ENV}=1)")
        if parsed.scheme not in {"http", "https"}:
            raise FetchError(f"{url} is not an HTTP(S) URL")
    elif parsed.scheme != "https":
        raise FetchError(f"{url} is not an https URL; credstack fetches over HTTPS only")
    return parsed


def fetch_bytes(url: str, *, limit: int = MAX_FETCH_BYTES,
                timeout: float = FETCH_TIMEOUT_SECONDS) -> bytes | None:
    """The body at ``url`` (HTTPS, ``timeout`` seconds, at most ``limit`` bytes, no redirects).

    ``None`` when the server answers 404 or 410 (not found). Raises :class:`FetchError` for a
    refused URL, a network error, a redirect or another status, and
    :class:`~credstack.errors.InputTooLargeError` for a body over ``limit``.
    """
    target = _check_url(url)
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client, \
                client.stream("GET", target, headers={"Accept": "application/json, */*"}
                              ) as response:
            if response.status_code in {404, 410}:
                return None
            if response.status_code != 200:
                raise FetchError(f"{url} answered HTTP {response.status_code}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise InputTooLargeError(
                    f"{url} is {int(declared):,} bytes; at most {limit:,} bytes are read")
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > limit:
                    raise InputTooLargeError(f"{url} is over {limit:,} bytes")
            return bytes(body)
    except httpx.HTTPError as exc:
        raise FetchError(f"{url} could not be fetched: {exc.__class__.__name__}: {exc}"
                         ) from None


# --- the seams ------------------------------------------------------------------------------

@cache
def shared_document_loader() -> DocumentLoader:
    """The bundled contexts plus credstack's extension context: one loader per process."""
    # PyLD's loader takes (url, options dict); the core's protocol is the same call, typed
    # with Mapping: the bundled loader reads nothing from the options.
    return cast(DocumentLoader,
                document_loader(extra={EXTENSION_CONTEXT_URL: extension_context()}))


def resolve_verification_method(method: str) -> tuple[VerificationKey, str]:
    """``did:key`` locally; anything else fails (did:web resolution is not available yet)."""
    if method.startswith("did:key:"):
        return did_key.resolve_public_key(method), did_key.parse(method)[0]
    if method.startswith("did:web:"):
        raise VerificationMethodUnavailableError(
            "did:web resolution is not available yet: credstack cannot fetch the key "
            f"{method}, so a proof made with it cannot be verified")
    raise VerificationMethodUnavailableError(
        f"the verification method {method} cannot be resolved: credstack resolves did:key "
        "methods (did:web resolution is not available yet)")


def fetch_status_list(url: str) -> Mapping[str, Any] | None:
    """The status list credential at ``url`` as a JSON object (``None``: not found)."""
    data = fetch_bytes(url)
    if data is None:
        return None
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise FetchError(f"{url} is not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise FetchError(f"{url} is not a JSON object")
    return document


def no_registry(achievement_id: str) -> Mapping[str, Any] | None:
    """No registry lookup yet: every achievement is unknown (``meaning.registry`` is None)."""
    return None


def checks_for(names: Iterable[str] | None) -> tuple[CheckStep, ...]:
    """The pipeline steps for VC-API ``options.checks`` (``None``: every default check).

    :data:`ALWAYS_CHECKED` always run; ``credentialStatus`` (or ``status``) adds the status
    check, ``expiration``/``validFrom``/``validUntil``/``validity`` the validity window.
    Unknown names are ignored. Steps run in the pipeline's own order.
    """
    if names is None:
        return DEFAULT_CHECKS
    wanted = set(ALWAYS_CHECKED)
    for name in names:
        if name in _OPTIONAL_CHECKS:
            wanted.add(_OPTIONAL_CHECKS[name])
    return tuple(step for name, step in STEPS.items() if name in wanted)


def verify(data: bytes | str | Mapping[str, Any], *,
           checks: Sequence[CheckStep] | None = None,
           now: dt.datetime | None = None) -> VerificationReport:
    """Verify a credential (JSON bytes or text, a VC-JWT, or a JSON object) with the seams above.

    ``checks`` defaults to every default check; ``now`` to the current UTC time.
    """
    return verify_credential(
        data,
        document_loader=shared_document_loader(),
        resolve_verification_method=resolve_verification_method,
        fetch_status_list=fetch_status_list,
        now=now if now is not None else dt.datetime.now(dt.UTC),
        programme_lookup=no_registry,
        checks=DEFAULT_CHECKS if checks is None else checks,
    )
