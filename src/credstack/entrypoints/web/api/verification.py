"""The W3C VC-API: ``POST /credentials/verify``.

Shaped for the W3C VC-API test suites (``../shared/ref/CONFORMANCE.md``): a verified
credential answers 200 with ``{"verified": true, "authentic", "conformant", "strict",
"checks", "errors", "warnings", "meaning", "outcome"}``; one that does not verify answers
400 with the same body and ``"verified": false`` — ``outcome`` then tells ``not-verified``
(something is proven wrong) from ``could-not-be-checked`` (something it needs was out of
reach: each such error says what was ``missing``; see
:mod:`credstack.core.verification.report`); a request that is not JSON or names no
``verifiableCredential`` answers 400 with ``"verified": false`` and an error naming what is
wrong. The verdict policy (:mod:`credstack.core.verification.report`): an authentic
credential that breaks Open Badges shape rules verifies, the findings in ``warnings``;
``options.strict: true`` (``?strict=true`` for a PDF or image body) makes them errors. The
verification itself is :func:`credstack.services.verification.service.verify`, with this
server's :class:`~credstack.services.verification.service.VerificationSources`: its own
organisations' did:web keys and its registry are read from the store, everything else is
fetched.
"""

from __future__ import annotations

import json
from typing import Any, Final

import orjson
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from credstack.core.activity.events import Channel
from credstack.core.federation.registries import TrustVerdict
from credstack.core.said import Said
from credstack.core.verification.given_keys import GivenKeys
from credstack.core.verification.report import PROBLEM_TYPE_BASE, VerificationReport
from credstack.errors import CredstackError, InputError
from credstack.services import counting
from credstack.services import public_verification as public
from credstack.services.federation import trust
from credstack.services.formats import detect, verify_any
from credstack.services.runtime import Runtime
from credstack.services.verification.caches import (
    CachedSources,
    KeptSources,
    WouldWait,
    without_waiting,
)
from credstack.settings import Settings
from credstack.words import error_words, words

router = APIRouter(tags=["vc-api"])

_CHECK_NAMES: Final = ["proof", "credentialStatus", "expiration"]
#: Bodies verified as they are, not as JSON: signed PDF certificates and baked badge images.
_BINARY_TYPES: Final = frozenset({"application/pdf", "image/png", "image/svg+xml"})

_REQUEST_SCHEMA: Final[dict[str, Any]] = {
    "type": "object",
    "required": ["verifiableCredential"],
    "properties": {
        "verifiableCredential": {
            "description": "The credential: a JSON-LD object secured with Data Integrity "
                           "proofs, an EnvelopedVerifiableCredential, a VC-JWT (compact "
                           "JWS string) or an SD-JWT (vc+sd-jwt, dc+sd-jwt); a Verifiable "
                           "Presentation is verified as one, with each credential in it.",
            "oneOf": [{"type": "object"}, {"type": "string"}],
        },
        "options": {
            "type": "object",
            "description": "Unknown options are ignored.",
            "properties": {
                "checks": {
                    "type": "array", "items": {"type": "string"},
                    "description": "Checks to run besides the ones always run (parse, "
                                   "data-model, contexts, proof, issuer, meaning): "
                                   "`credentialStatus` adds status, `expiration` the validity "
                                   "period. Without it, every check runs.",
                    "examples": [_CHECK_NAMES],
                },
                "requireTrusted": {
                    "type": "boolean", "default": False,
                    "description": "Do not verify a credential whose issuer no trusted "
                                   "registry lists (`could-not-be-checked` when a registry "
                                   "could not be read and none listed it). Default: "
                                   "`CREDSTACK_REQUIRE_TRUSTED`.",
                },
                "jwks": {
                    "type": "object",
                    "description": "The issuer's public keys, as a JWK Set (`{\"keys\": "
                                   "[…]}`) or one JWK: a key whose `kid` is the method the "
                                   "credential names (or its fragment), or the only key "
                                   "without a `kid`, is used for it, and that method is not "
                                   "looked up elsewhere.",
                },
                "strict": {
                    "type": "boolean", "default": False,
                    "description": "Treat conformance findings (the Open Badges 3.0 shape "
                                   "rules, the JSON Schema the credential names) as errors. "
                                   "By default an authentic credential with such findings "
                                   "verifies, and they are listed in `warnings`.",
                },
            },
        },
    },
}


class VerificationResult(BaseModel):
    """The result of a verification (also the body of a 400)."""

    verified: bool
    outcome: str = Field(description="`verified`, `not-verified` (something is proven wrong: "
                         "tampered, revoked, expired, a bad signature, not a credential) or "
                         "`could-not-be-checked` (nothing is proven wrong, but a DID "
                         "document, status list, context or blockchain record it needs was "
                         "out of reach — or not fetched, the server being offline). "
                         "`verified` is true only for `verified`; each undecided check is in "
                         "`errors` with `outcome: could-not-be-checked` and what was "
                         "`missing`.")
    authentic: bool = Field(description="Proof, issuer key, status and validity window all "
                            "pass (with the data model the signature relies on).")
    conformant: bool | None = Field(description="The Open Badges 3.0 shape rules and JSON "
                                    "Schemas pass; null when none apply.")
    strict: bool = Field(description="Whether conformance findings failed the verdict.")
    checks: list[dict[str, Any]] = Field(description="Every check in the order it ran; "
                                         "`question` says whether it is about authenticity "
                                         "or conformance.")
    errors: list[dict[str, Any]] = Field(description="Failed (and undecided) checks, as "
                                         "problem details.")
    warnings: list[dict[str, Any]] = Field(description="Conformance findings (unless strict), "
                                           "then notices.")
    meaning: dict[str, Any] | None = Field(description="What the credential says: the MC "
                                           "descriptors, conformance per profile and, for an "
                                           "achievement of this registry, its record.")
    trust: dict[str, Any] | None = Field(
        default=None,
        description="Whether the issuer is in a registry this server trusts: `state` "
        "(`listed`, `not-listed`, `unknown` = could not be checked), the plain `line` in ja "
        "and en, each `listings` entry (registry, its address, the issuer's name there) and "
        "the registries left `unchecked` with why; absent when no registry is configured.")


def verify_route(result: type[BaseModel], content: dict[str, Any]) -> dict[str, Any]:
    """What a VC-API verify endpoint's route says of itself: ``result`` answers 200 when
    verified and 400 when not (or when the request is unusable); ``content`` maps the media
    types of the request body to their schemas."""
    return {"response_model": result,
            "responses": {400: {"model": result,
                                "description": "Not verified, or not a usable request."}},
            "openapi_extra": {"requestBody": {"required": True, "content": content}}}


#: The title of the problem an unusable request is answered with.
_INVALID: Final = Said("verification.request.title")


class BadRequest(Exception):
    """A VC-API request that cannot be used at all (400 with ``verified: false``): its
    ``code``, and what is wrong with it, said (``verification.request.…``)."""

    def __init__(self, code: str, said: Said) -> None:
        super().__init__(said.key)
        self.code, self.said = code, said


def unverified(bad: BadRequest, **extra: Any) -> JSONResponse:
    """The 400 answer to an unusable verification request; ``extra`` adds the members the
    endpoint's result has besides ``verified``, ``checks``, ``errors`` and ``warnings``."""
    return _unusable(bad.code, words(bad.said, "en"), words(bad.said, "ja"), **extra)


def _unusable(code: str, en: str, ja: str, **extra: Any) -> JSONResponse:
    problem = {"type": f"{PROBLEM_TYPE_BASE}request", "code": code, "check": "request",
               "title": words(_INVALID, "en"), "detail": en, "message": {"en": en, "ja": ja}}
    return JSONResponse({"verified": False, "checks": [], "errors": [problem],
                         "warnings": [], **extra}, status_code=400)


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)  # in C; only an object with a repeated key is looked at again
    if len(result) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise BadRequest("duplicate-key",
                                 Said("verification.request.duplicate_key", key=repr(key)))
            seen.add(key)
    return result


def request_object(body: bytes, *, member: str, example: str) -> dict[str, Any]:
    """The body of a request that sends ``member`` as a JSON object (``example`` shows what to
    send), its keys unrepeated; else :class:`BadRequest`."""
    try:
        document = json.loads(body, object_pairs_hook=unique_keys)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise BadRequest("not-json", Said("verification.request.not_json",
                                          example=example)) from None
    if not isinstance(document, dict):
        raise BadRequest("not-an-object", Said("verification.request.not_an_object_with",
                                               member=member))
    return document


def requested_checks(options: dict[str, Any]) -> list[str] | None:
    """``options.checks``: the names of the checks asked for (``None``: every check)."""
    checks = options.get("checks")
    if checks is not None and (not isinstance(checks, list)
                               or not all(isinstance(item, str) for item in checks)):
        raise BadRequest("invalid-options", Said("verification.request.checks_not_strings"))
    return checks


def requested_strict(options: dict[str, Any]) -> bool:
    """``options.strict``: whether conformance findings fail the verdict (default: no)."""
    strict = options.get("strict", False)
    if not isinstance(strict, bool):
        raise BadRequest("invalid-options", Said("verification.request.option_not_boolean",
                                                 name="strict"))
    return strict


def requested_keys(options: dict[str, Any]) -> GivenKeys | None:
    """``options.jwks``: the issuer's (or holder's) public keys, a JWK Set or one JWK, used
    for the methods they name before any is looked up (``None``: not given)."""
    value = options.get("jwks")
    if value is None:
        return None
    try:
        return GivenKeys.parse(value, where="options.jwks")
    except InputError as exc:
        raise BadRequest("invalid-options-jwks", Said(exc.code, **exc.params)) from None


def requested_trust(options: dict[str, Any]) -> bool | None:
    """``options.requireTrusted`` (``None``: not given)."""
    required = options.get("requireTrusted")
    if required is not None and not isinstance(required, bool):
        raise BadRequest("invalid-options", Said("verification.request.option_not_boolean",
                                                 name="requireTrusted"))
    return required


def with_trust(result: dict[str, Any], verdict: TrustVerdict | None, *, issuer: str,
               settings: Settings, required: bool) -> dict[str, Any]:
    """``result`` with its ``trust`` member; when trust is ``required``, a verified result
    whose issuer is not listed becomes not verified (or could not be checked)."""
    if verdict is None:
        return result
    result["trust"] = trust.describe(verdict, issuer=issuer, settings=settings)
    if required and result["verified"] and verdict.state != "listed":
        undecided = verdict.state == "unknown"
        result["verified"] = False
        result["outcome"] = "could-not-be-checked" if undecided else "not-verified"
        result["errors"].append({
            "type": f"{PROBLEM_TYPE_BASE}trust", "code": verdict.state, "check": "trust",
            "title": words(Said("verification.request.trust_title"), "en"),
            "detail": trust.line(verdict, "en"),
            "message": {"en": trust.line(verdict, "en"), "ja": trust.line(verdict, "ja")},
            "outcome": "could-not-be-checked" if undecided else "failed"})
    return result


def _read_body(body: bytes
               ) -> tuple[Any, list[str] | None, bool, bool | None, GivenKeys | None]:
    """The credential, the requested check names (``None``: all), ``strict``,
    ``requireTrusted`` (``None``: not given) and the keys given (``options.jwks``)."""
    document = request_object(body, member="verifiableCredential",
                              example='{"verifiableCredential": …}')
    if "verifiableCredential" not in document:
        raise BadRequest("missing-verifiableCredential",
                         Said("verification.request.missing", member="verifiableCredential"))
    credential = document["verifiableCredential"]
    if not isinstance(credential, dict | str):
        raise BadRequest("invalid-verifiableCredential",
                         Said("verification.request.credential_not_an_object"))
    if isinstance(credential, str) and credential.lstrip().startswith(("{", "[")):
        # A credential sent as JSON text inside the JSON request: the VC-API's
        # verifiableCredential is an object (or, enveloped, a VC-JWT); text that would have to
        # be parsed again is refused, not guessed at (VC Data Model 2.0 §6.1).
        raise BadRequest("credential-as-string",
                         Said("verification.request.credential_as_string"))
    options = document.get("options")
    if not isinstance(options, dict):
        return credential, None, False, None, None
    checks, strict = requested_checks(options), requested_strict(options)
    return credential, checks, strict, requested_trust(options), requested_keys(options)


@router.post(
    "/credentials/verify",
    summary="Verify a credential (W3C VC-API)",
    description="Verifies a VC 2.0 / Open Badges 3.0 credential — Data Integrity "
                "(eddsa-rdfc-2022, eddsa-jcs-2022), VC-JWT or SD-JWT (every disclosure "
                "checked) — and says what it means; a Verifiable Presentation given instead "
                "is verified as one, each credential in it reported; "
                "also an Open Badges 2.0 badge (its JSON, a signed JWS or a hosted URL as "
                "`verifiableCredential`), and, sent as the body itself with its media type, "
                "a signed PDF certificate or a PNG/SVG badge with a credential baked in. "
                "200 when verified, 400 with the same body and `verified: false` when not "
                "(or when the request is unusable); `outcome` is then `not-verified` "
                "(proven wrong) or `could-not-be-checked` (a DID document, status list, "
                "context or blockchain record out of reach — nothing is fetched when the "
                "server runs with `CREDSTACK_VERIFY_OFFLINE`), each such error saying what "
                "was `missing`. `authentic` and `conformant` answer apart "
                "whether the credential is genuine and current, and whether it follows the "
                "Open Badges 3.0 rules; findings of the latter are warnings unless "
                "`options.strict` (or `?strict=true`) is given. Issuer keys: did:key, did:jwk, "
                "and did:web and HTTPS URL methods — this server's organisations from its "
                "store, others fetched over HTTPS with limits (and `CREDSTACK_DID_WEB_ALLOW`). "
                "Status lists are fetched over HTTPS with limits. An achievement of this "
                "registry comes back in `meaning.registry`. `trust` says whether the issuer "
                "is in a registry the server trusts (`CREDSTACK_TRUST_REGISTRIES`): `listed`, "
                "`not-listed` or `unknown` (could not be checked); it changes the verdict only "
                "when `options.requireTrusted` (or `CREDSTACK_REQUIRE_TRUSTED`) asks for it.",
    **verify_route(VerificationResult, {
        "application/json": {"schema": _REQUEST_SCHEMA},
        **{media_type: {"schema": {"type": "string", "format": "binary"}}
           for media_type in ("application/pdf", "image/png", "image/svg+xml")}}),
)
async def verify_credential(request: Request) -> Response:
    # The runtime read here, not declared as a dependency: FastAPI solving one (an awaited
    # call, its cache) cost each verification more than the read.
    runtime: Runtime = request.app.state.runtime
    body = await request.body()
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    names: list[str] | None = None
    credential: Any
    required: bool | None = None
    keys: GivenKeys | None = None
    if media_type in _BINARY_TYPES:
        # A signed PDF certificate or a badge image with a credential baked in, as it is.
        credential = body
        strict = request.query_params.get("strict", "").lower() in {"true", "1"}
    else:
        try:
            credential, names, strict, required, keys = _read_body(body)
        except BadRequest as bad:
            return unverified(bad, meaning=None)
    # From what is kept, on the event loop; else one thread for the verification, its count
    # and the trust check (each hand-over to a thread and back costs about as much CPU as
    # the check of a remembered proof).
    verified: tuple[VerificationReport, TrustVerdict | None] | CredstackError | None = (
        _verified_from_kept(runtime, credential, names, strict) if keys is None else None)
    if verified is None:
        verified = await run_in_threadpool(_verified, runtime, credential, names, strict, keys)
    if isinstance(verified, CredstackError):
        # Worded from its code where the core raised it so (its message is then no words).
        return _unusable(verified.slug, error_words(verified, "en"),
                         verified.title_ja + "：" + error_words(verified, "ja"), meaning=None)
    report, verdict = verified
    issuer = report.meaning.issuer_id if report.meaning is not None else None
    result = with_trust(report.to_dict(), verdict, issuer=issuer or "", settings=runtime.settings,
                        required=runtime.settings.require_trusted if required is None
                        else required)
    return json_response(result, status_code=200 if result["verified"] else 400)


def json_response(result: dict[str, Any], *, status_code: int) -> Response:
    """``result`` as JSON, written by orjson (the same compact UTF-8 text as
    :class:`JSONResponse`, in a third of the time); by :mod:`json` when orjson cannot write
    it (an integer past 64 bits)."""
    try:
        body = orjson.dumps(result)
    except TypeError:
        return JSONResponse(result, status_code=status_code)
    return Response(body, status_code=status_code, media_type="application/json")


def _verified_from_kept(runtime: Runtime, credential: Any, names: list[str] | None,
                        strict: bool
                        ) -> tuple[VerificationReport, TrustVerdict | None] | None:
    """The report and trust verdict of a credential whose every input this process keeps —
    its issuer's method, its status lists and the trust listings by generations read a
    moment ago, its proofs verified before
    (:class:`~credstack.services.verification.caches.KeptSources`) — made without waiting
    for anything (:func:`~credstack.adapters.waiting.without_waiting`); ``None`` when
    anything was missing, or for another format than a credential as JSON, so that a thread
    makes it."""
    if not isinstance(credential, dict) or detect(credential) != "vc":
        return None
    try:
        with without_waiting():
            report = verify_any(credential, checks=public.checks_for(names),
                                now=runtime.now(), sources=KeptSources(runtime),
                                settings=runtime.settings, strict=strict, kind="vc")
            meaning = report.meaning
            verdict = trust.check_meaning(
                runtime, issuer=meaning.issuer_id if meaning is not None else None,
                achievement=meaning.achievement_id if meaning is not None else None)
    except (WouldWait, CredstackError):
        return None
    counting.count_verification(runtime, document=credential, channel=Channel.API)
    return report, verdict


def _verified(runtime: Runtime, credential: Any, names: list[str] | None, strict: bool,
              keys: GivenKeys | None = None
              ) -> tuple[VerificationReport, TrustVerdict | None] | CredstackError:
    """The credential's report and its issuer's trust verdict, or the error that kept it from
    being verified; ``keys``: the caller's (``options.jwks``)."""
    try:
        report = verify_any(credential, checks=public.checks_for(names), now=runtime.now(),
                            sources=CachedSources(runtime), settings=runtime.settings,
                            sessions=runtime.sessions, strict=strict, keys=keys)
    except CredstackError as exc:
        return exc
    # A credential of ours verified here: its issuer's view counts it (nothing else is kept).
    counting.count_verification(runtime, document=credential, channel=Channel.API)
    meaning = report.meaning
    return report, trust.check_meaning(
        runtime, issuer=meaning.issuer_id if meaning is not None else None,
        achievement=meaning.achievement_id if meaning is not None else None)
