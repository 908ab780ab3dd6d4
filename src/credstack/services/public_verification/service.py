"""Verifying a credential or a presentation with nothing but public sources: the bundled
JSON-LD contexts and schemas, ``did:key`` and ``did:jwk`` read locally, ``did:web`` documents
and status lists fetched over HTTPS (or, ``offline``, nothing fetched at all).

This is what ``credstack verify FILE`` runs without a store, and what every verifier
falls back to: :class:`Sources` are the seams a caller that knows a deployment gives instead
(:class:`credstack.services.verification.VerificationSources` reads its own organisations'
keys, status lists and registry from the store). It imports no store, no PDF signature
library and no SHACL machinery (the ``public-verification`` import-linter contract), so a
command that verifies a JSON credential starts at once.

* ``document_loader`` — the bundled JSON-LD contexts plus credstack's own extension context
  (:data:`~credstack.core.credentials.openbadges_v3.EXTENSION_CONTEXT_URL`). Made once, so its
  caches stay warm. Nothing is ever fetched.
* ``resolve_verification_method`` — ``did:key`` and ``did:jwk`` are resolved locally; every
  ``did:web``, and every method named by an HTTPS URL (its controller document, Controlled
  Identifiers v1.0), is fetched by :class:`~credstack.adapters.resolvers.did_web.DidWebResolver`
  (HTTPS, a timeout, a size limit, public hosts only, ``CREDSTACK_DID_WEB_ALLOW``; documents
  cached five minutes), and its method must be an ``assertionMethod`` of its controller.
  Other DID methods fail with :class:`VerificationMethodUnavailableError`. A method that
  cannot be resolved fails the proof check with the reason; it never passes.
* ``fetch_status_list`` — status list credentials fetched with :func:`fetch_bytes`: HTTPS
  only, a 5 s timeout, at most 1 MiB, no redirects, public addresses only. Loopback hosts
  (``127.0.0.1``, ``::1``, ``localhost``) are allowed, over HTTP too, only when
  ``CREDSTACK_ALLOW_LOOPBACK_FETCH=1`` (tests). The pipeline verifies the list's proof and
  issuer; a list that cannot be fetched fails the status check.
* ``programme_lookup`` — no registry (:func:`no_registry`): ``meaning.registry`` is ``None``,
  and a credential gets no ``recognition`` check.
* ``now`` — the UTC time when :func:`verify` is called.

**Offline.** With ``offline`` nothing is fetched: a did:web or HTTPS verification method and a
status list that would be fetched raise :class:`~credstack.errors.OutOfReachError`
(``why = "offline"``) instead, and the checks that needed them are "could not be checked".
did:key and did:jwk keys still verify.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Callable, Hashable, Iterable, Mapping, MutableMapping, Sequence
from functools import cache
from typing import Any, Final, Protocol, TypedDict

from credstack.adapters.resolvers.contexts import published_bytes, shared_document_loader
from credstack.adapters.resolvers.did_web import (
    DidWebResolver,
    VerificationMethodUnavailableError,
)
from credstack.adapters.resolvers.fetch import (
    FETCH_TIMEOUT_SECONDS,
    LOOPBACK_ENV,
    MAX_FETCH_BYTES,
    FetchError,
    fetch_bytes,
)
from credstack.adapters.resolvers.schemas import bundled_schema, schema_registry
from credstack.core.crypto import DocumentLoader
from credstack.core.dids import cid, did_web
from credstack.core.verification import (
    STEPS as PIPELINE_STEPS,
)
from credstack.core.verification import (
    CheckStep,
    Decision,
    MethodResolver,
    ProgrammeLookup,
    StatusListFetcher,
    VerificationKey,
    VerificationReport,
    credential_schema,
    verify_credential,
)
from credstack.core.verification.given_keys import GivenKeys, given_keys_resolver
from credstack.core.verification.methods import resolve_locally
from credstack.core.verification.pipeline.seams import VerificationState
from credstack.core.verification.presentations import PresentationReport
from credstack.core.verification.presentations import (
    verify_presentation as verify_presentation_proofs,
)
from credstack.core.verification.recognition import check_recognition
from credstack.core.verification.report import Check, CheckKind
from credstack.errors import OutOfReachError
from credstack.networks import did_web_allow
from credstack.words import words

__all__ = [
    "ALWAYS_CHECKED",
    "DEFAULT_CHECKS",
    "DID_WEB_ALLOW_ENV",
    "FETCH_TIMEOUT_SECONDS",
    "LOOPBACK_ENV",
    "MAX_FETCH_BYTES",
    "STEPS",
    "Count",
    "FetchError",
    "Seams",
    "Sources",
    "VerificationMethodUnavailableError",
    "checks_for",
    "fetch_bytes",
    "fetch_nothing",
    "fetch_status_list",
    "no_registry",
    "reported",
    "resolve_offline",
    "resolve_remote",
    "resolve_verification_method",
    "seams",
    "shared_did_web_resolver",
    "verify",
    "verify_presentation",
]

#: The hosts did:web documents may be fetched from when :func:`verify` has no sources (the
#: same variable :class:`~credstack.settings.Settings` reads).
DID_WEB_ALLOW_ENV: Final = "CREDSTACK_DID_WEB_ALLOW"

#: Steps every verification runs, whatever a caller asks for: without them nothing is
#: verified at all. ``meaning`` is informational (never changes the verdict) and always runs.
# Validity is always checked: an expired or not-yet-valid credential must never come back
# verified, whichever checks a caller names.
# The issuer binding (the signing key's controller is the issuer) is a check of its own: a
# caller who names checks without ``issuer`` (the VC-API's ``checks: ["proof"]``) gets the
# proof's answer, and the report still says, without deciding, whether the key is the
# issuer's (:func:`reported`).
ALWAYS_CHECKED: Final = ("parse", "data-model", "open-badges", "credential-schema", "contexts",
                         "proof", "validity", "meaning", "recognition")

#: The steps that read the credential's shape, before the JSON Schema check.
_SHAPE: Final = frozenset({"parse", "data-model", "open-badges"})
#: The pipeline's steps plus the JSON Schema check against the bundled 1EdTech schemas
#: (their ``$ref``s resolved from the bundle only: nothing is fetched), after the data model
#: and the Open Badges rules, and, last, the recognition of the programme (informational;
#: only for achievements of this registry).
STEPS: Final[Mapping[str, CheckStep]] = {
    **{name: step for name, step in PIPELINE_STEPS.items() if name in _SHAPE},
    "credential-schema": credential_schema(bundled_schema, registry=schema_registry()),
    **{name: step for name, step in PIPELINE_STEPS.items() if name not in _SHAPE},
    "recognition": check_recognition,
}
DEFAULT_CHECKS: Final[tuple[CheckStep, ...]] = tuple(STEPS.values())

#: VC-API ``options.checks`` names (and credstack's own step names) → pipeline steps.
_OPTIONAL_CHECKS: Final[Mapping[str, str]] = {
    "credentialStatus": "status",
    "status": "status",
    "expiration": "validity",
    "validFrom": "validity",
    "validUntil": "validity",
    "validity": "validity",
    "issuer": "issuer",
}


class Sources(Protocol):
    """The seams of a verifier that knows a deployment (its own keys, status lists and
    registry), given instead of the public ones (see
    :class:`credstack.services.verification.VerificationSources`)."""

    #: Fetch nothing: what is not the deployment's own is out of reach.
    offline: bool
    #: Proofs that verified, kept between verifications (``None``: none are kept).
    proof_memo: MutableMapping[Hashable, Any] | None

    def resolve_verification_method(self, method: str) -> tuple[VerificationKey, str]: ...

    def fetch_status_list(self, url: str) -> Mapping[str, Any] | None: ...

    def programme_lookup(self, achievement_id: str) -> Mapping[str, Any] | None: ...

    def recognitions(self, achievement_id: str) -> Sequence[Mapping[str, Any]] | None: ...

    def organisation_names(self, did: str) -> Mapping[str, str] | None: ...


#: Told each credential's decision once it is verified (a server's metrics).
Count = Callable[[Decision], None]


# --- the seams ------------------------------------------------------------------------------

@cache
def shared_did_web_resolver(allow: tuple[str, ...] = ()) -> DidWebResolver:
    """The did:web resolver for an allow-list: one per process, so its cache is shared."""
    return DidWebResolver(allow=allow)


def _offline(what: str, url: str) -> OutOfReachError:
    return OutOfReachError(f"{what} {url} is not fetched: this verification is offline",
                           why="offline", url=url)


def resolve_offline(method: str) -> tuple[VerificationKey, str]:
    """``did:key`` and ``did:jwk`` methods, read locally; any other is out of reach."""
    local = resolve_locally(method)
    if local is not None:
        return local
    raise _offline("the verification method", method)


def fetch_nothing(url: str) -> Mapping[str, Any] | None:
    """Status lists, offline: none is fetched."""
    raise _offline("the status list", url)


def resolve_verification_method(method: str) -> tuple[VerificationKey, str]:
    """``did:key`` and ``did:jwk`` locally, ``did:web`` and HTTPS URL methods over HTTPS
    (``CREDSTACK_DID_WEB_ALLOW``); no other."""
    allow = did_web_allow(os.environ.get(DID_WEB_ALLOW_ENV))
    return resolve_remote(method, shared_did_web_resolver(tuple(sorted(allow))))


def resolve_remote(method: str, resolver: DidWebResolver) -> tuple[VerificationKey, str]:
    """``did:key`` and ``did:jwk`` locally, ``did:web`` and HTTPS URL methods with
    ``resolver``; any other method is refused."""
    local = resolve_locally(method)
    if local is not None:
        return local
    if method.startswith((did_web.PREFIX, cid.PREFIX)):
        return resolver(method)
    raise VerificationMethodUnavailableError(
        f"the verification method {method} cannot be resolved: credstack resolves did:key, "
        "did:jwk and did:web methods, and methods named by HTTPS URLs", why="unsupported",
        url=method.partition("#")[0])


def fetch_status_list(url: str) -> Mapping[str, Any] | None:
    """The status list credential at ``url`` as a JSON object (``None``: not found)."""
    data = fetch_bytes(url)
    if data is None:
        return None
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise FetchError(f"{url} is not JSON: {exc}", why="unreadable", url=url) from None
    if not isinstance(document, dict):
        raise FetchError(f"{url} is not a JSON object", why="unreadable", url=url)
    return document


def no_registry(achievement_id: str) -> Mapping[str, Any] | None:
    """No registry to look in: every achievement is unknown (``meaning.registry`` is None)."""
    return None


def checks_for(names: Iterable[str] | None) -> tuple[CheckStep, ...]:
    """The pipeline steps for VC-API ``options.checks``.

    :data:`ALWAYS_CHECKED` always run; ``credentialStatus`` (or ``status``) adds the status
    check, ``expiration``/``validFrom``/``validUntil``/``validity`` the validity window,
    ``issuer`` the issuer binding as part of the verdict — without it the binding is
    reported only (:func:`reported`). Unknown names are ignored. Steps run in the
    pipeline's own order. ``None`` (no checks named): every default check, the issuer
    binding reported only — a VC-API verifier answers for the proofs, the status and the
    validity; VC Data Model 2.0 §7.1 returns the key's controller beside the verdict and
    leaves matching it to the issuer to the verifier's own rules (appendix "Validation",
    "Issuer": "Some ecosystems might have more complex relationships between issuers and
    controllers of verification methods"), and VCALM's verifier service "only checks the
    authenticity and timeliness …, leaving the verifier coordinator to finish applying any
    necessary business rules". credstack's own pages and CLI keep the binding in their verdict.
    """
    if names is None:
        return tuple(reported(step) if name == "issuer" else step
                     for name, step in STEPS.items())
    wanted = set(ALWAYS_CHECKED)
    for name in names:
        if name in _OPTIONAL_CHECKS:
            wanted.add(_OPTIONAL_CHECKS[name])
    return tuple(step if name in wanted else reported(step) for name, step in STEPS.items()
                 if name in wanted or name == "issuer")


def reported(step: CheckStep) -> CheckStep:
    """``step`` run and listed as information: its answer is in the report but never
    changes the verdict."""

    def run(state: VerificationState) -> Check | None:
        check = step(state)
        return None if check is None else dataclasses.replace(check, kind=CheckKind.INFO)

    return run


class Seams(TypedDict):
    """The seams a credential's verification is given (every format that holds credentials —
    a CLR — is given the same)."""

    document_loader: DocumentLoader
    resolve_verification_method: MethodResolver
    fetch_status_list: StatusListFetcher | None
    programme_lookup: ProgrammeLookup
    recognition_lookup: Any


def seams(sources: Sources | None, *, offline: bool = False,
          keys: GivenKeys | None = None) -> Seams:
    """The seams above: this deployment's ``sources``, or the network alone (``None``);
    ``offline`` without sources: nothing at all is fetched; ``keys``: the caller's keys,
    answering for the methods they name before anything else is asked
    (:mod:`credstack.core.verification.given_keys`)."""
    found = _seams(sources, offline=offline)
    if keys is not None:
        found["resolve_verification_method"] = given_keys_resolver(
            keys, found["resolve_verification_method"])
    return found


def _seams(sources: Sources | None, *, offline: bool) -> Seams:
    if sources is None:
        return Seams(document_loader=shared_document_loader(),
                     resolve_verification_method=(resolve_offline if offline
                                                  else resolve_verification_method),
                     fetch_status_list=fetch_nothing if offline else fetch_status_list,
                     programme_lookup=no_registry, recognition_lookup=None)
    return Seams(document_loader=shared_document_loader(),
                 resolve_verification_method=sources.resolve_verification_method,
                 fetch_status_list=sources.fetch_status_list,
                 programme_lookup=sources.programme_lookup,
                 recognition_lookup=sources.recognitions)


def verify(data: bytes | str | Mapping[str, Any], *,
           checks: Sequence[CheckStep] | None = None,
           now: dt.datetime | None = None,
           sources: Sources | None = None,
           strict: bool = False, offline: bool = False,
           count: Count | None = None, keys: GivenKeys | None = None) -> VerificationReport:
    """Verify a credential (JSON bytes or text, a VC-JWT, or a JSON object) with the seams above.

    ``checks`` defaults to every default check; ``now`` to the current UTC time; ``sources``
    to the network alone (did:key, did:web over HTTPS, no registry) — or, ``offline``, to
    nothing fetched at all; ``strict`` makes conformance findings (Open Badges rules, JSON
    Schema) fail the verdict (see :mod:`credstack.core.verification.report`); ``count`` is
    told the decision; ``keys``: keys the caller gives (:func:`seams`).
    """
    report = verify_credential(
        data, **seams(sources, offline=offline, keys=keys),
        now=now if now is not None else dt.datetime.now(dt.UTC),
        checks=DEFAULT_CHECKS if checks is None else checks, strict=strict,
        read_resource=published_bytes,
        proof_memo=sources.proof_memo if sources is not None else None, words=words)
    if sources is not None:
        report = _named_issuer(report, sources)
    if count is not None:
        count(report.decision)
    return report


def _named_issuer(report: VerificationReport, sources: Sources) -> VerificationReport:
    """``report`` with its issuer's names by language when the deployment knows the issuer
    (one of its own organisations): a credential states one name, in one language."""
    meaning = report.meaning
    if meaning is None or meaning.issuer_id is None:
        return report
    names = sources.organisation_names(meaning.issuer_id)
    if not names:
        return report
    return dataclasses.replace(report, meaning=dataclasses.replace(meaning, issuer_names=names))


def verify_presentation(presentation: bytes | str | Mapping[str, Any], *,
                        challenge: str | None, domain: str | None,
                        checks: Sequence[CheckStep] | None, now: dt.datetime,
                        sources: Sources | None,
                        strict: bool = False, offline: bool = False,
                        count: Count | None = None,
                        keys: GivenKeys | None = None) -> PresentationReport:
    """Verify a presentation (its proof, its holder's binding) and every credential in it
    with ``checks`` (default: every default check) and ``strict``, as :func:`verify` does
    one credential (``sources``, ``count`` and ``keys``: as for :func:`verify`)."""

    def verify_one(credential: Any) -> VerificationReport:
        return verify(credential, checks=checks, now=now, sources=sources, strict=strict,
                      offline=offline, count=count, keys=keys)

    # did:key holders are resolved by the core itself. Other holders go through the same
    # resolver as issuers, which looks their key up among the DID's assertion methods: a
    # did:web holder whose key is listed under `authentication` only is not found yet.
    return verify_presentation_proofs(
        presentation, challenge=challenge, domain=domain,
        document_loader=shared_document_loader(),
        resolve_verification_method=seams(sources, offline=offline, keys=keys)[
            "resolve_verification_method"],
        verify_credential=verify_one, now=now, words=words)
