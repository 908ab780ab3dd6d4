"""The W3C VC-API: ``POST /presentations/verify``.

Shaped like ``POST /credentials/verify`` (:mod:`.vc_api`) and for the W3C VC Data Model 2.0
test suite's presentation verifier (``../shared/ref/CONFORMANCE.md`` §2): the body is
``{"verifiablePresentation": {…}, "options": {"challenge": "…", "domain": "…"}}`` (or the
VC-API's proofless form ``{"presentation": {…}}``); a verified presentation answers 200 with
``{"verified": true, "outcome", "checks", "errors", "warnings", "presentationResult",
"credentialResults"}``, one that does not verify 400 with the same body and ``"verified":
false`` (``outcome``: ``not-verified`` or ``could-not-be-checked``, as on
``/credentials/verify``), and a request that is not usable 400 with ``"verified": false``
and an error naming what is wrong. Unknown options are ignored; ``options.checks`` chooses
the credential checks as on ``/credentials/verify``.

The verification is :func:`credstack.core.verification.presentations.verify_presentation`
with the seams of :mod:`credstack.services.verification.service` and this server's
:class:`~credstack.services.verification.service.VerificationSources`; each credential in the
presentation
goes through :func:`credstack.services.verification.service.verify`, exactly as on
``/credentials/verify``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from credstack.core.said import Said
from credstack.core.verification.given_keys import GivenKeys
from credstack.entrypoints.web.api.verification import (
    BadRequest,
    request_object,
    requested_checks,
    requested_keys,
    requested_strict,
    unverified,
    verify_route,
)
from credstack.entrypoints.web.dependencies import RuntimeDep
from credstack.services import public_verification as public
from credstack.services.verification import service as verifier

router = APIRouter(tags=["vc-api"])

_REQUEST_SCHEMA: Final[dict[str, Any]] = {
    "type": "object",
    "properties": {
        "verifiablePresentation": {
            "type": "object",
            "description": "The presentation: a VC 2.0 JSON-LD presentation secured with a "
                           "Data Integrity proof (proofPurpose `authentication`; "
                           "eddsa-rdfc-2022 or eddsa-jcs-2022), or without a proof when no "
                           "challenge is given.",
        },
        "presentation": {
            "type": "object",
            "description": "The VC-API's proofless form: a presentation without a proof "
                           "(only its credentials are verified). Used instead of "
                           "`verifiablePresentation`.",
        },
        "options": {
            "type": "object",
            "description": "Unknown options are ignored.",
            "properties": {
                "challenge": {"type": "string", "description": "The challenge the holder was "
                              "asked to sign; the proof must carry it."},
                "domain": {"type": "string", "description": "The domain the presentation is "
                           "meant for; the proof must name it."},
                "checks": {"type": "array", "items": {"type": "string"},
                           "description": "Credential checks, as on `/credentials/verify`."},
                "strict": {"type": "boolean", "default": False,
                           "description": "Conformance findings of the credentials fail the "
                                          "verdict, as on `/credentials/verify`."},
            },
        },
    },
    "examples": [{"verifiablePresentation": {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"], "holder": "did:key:z6Mk…",
        "verifiableCredential": [{"…": "…"}], "proof": {"…": "…"}},
        "options": {"challenge": "1f44b9c2", "domain": "verifier.example"}}],
}


class PresentationVerificationResult(BaseModel):
    """The result of verifying a presentation (also the body of a 400)."""

    verified: bool
    outcome: str = Field(description="`verified`, `not-verified` or `could-not-be-checked`, "
                         "as on `/credentials/verify`: the last when nothing is proven wrong "
                         "but a credential's (or the holder's) key, status list or context "
                         "was out of reach.")
    checks: list[dict[str, Any]] = Field(description="Every check of the presentation in the "
                                         "order it ran; `credentials` sums up the credentials.")
    errors: list[dict[str, Any]] = Field(description="Failed (and undecided) checks, as "
                                         "problem details.")
    warnings: list[dict[str, Any]]
    presentationResult: dict[str, Any] | None = Field(
        description="The checks about the presentation itself (proof, challenge, domain, "
                    "holder).")
    credentialResults: list[dict[str, Any]] = Field(
        description="One result per credential in the presentation, in order, shaped like "
                    "the result of `/credentials/verify`.")



def _option(options: dict[str, Any], name: str) -> str | None:
    value = options.get(name)
    if value is None or isinstance(value, str):
        return value
    raise BadRequest(f"invalid-options-{name}",
                     Said("verification.request.option_not_string", name=name))


@dataclass(frozen=True, slots=True)
class _Request:
    presentation: dict[str, Any]
    challenge: str | None
    domain: str | None
    #: The credential checks asked for (``None``: every default check).
    checks: list[str] | None
    #: Whether the credentials' conformance findings fail the verdict.
    strict: bool
    #: The holder's and issuers' keys the caller gave (``options.jwks``).
    keys: GivenKeys | None = None


def _read_body(body: bytes) -> _Request:
    document = request_object(body, member="verifiablePresentation",
                              example='{"verifiablePresentation": …, "options": {…}}')
    named = [name for name in ("verifiablePresentation", "presentation") if name in document]
    if not named:
        raise BadRequest("missing-verifiablePresentation",
                         Said("verification.request.missing", member="verifiablePresentation"))
    if len(named) > 1:
        raise BadRequest("ambiguous-presentation",
                         Said("verification.request.ambiguous_presentation"))
    presentation = document[named[0]]
    if not isinstance(presentation, dict):
        raise BadRequest(f"invalid-{named[0]}",
                         Said("verification.request.presentation_not_an_object",
                              member=named[0]))
    options = document.get("options", {})
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise BadRequest("invalid-options", Said("verification.request.options_not_an_object"))
    checks = requested_checks(options)
    return _Request(presentation, _option(options, "challenge"), _option(options, "domain"),
                    checks, requested_strict(options), requested_keys(options))


@router.post(
    "/presentations/verify",
    summary="Verify a presentation and its credentials (W3C VC-API)",
    description="Verifies a VC 2.0 presentation's Data Integrity proof (proof purpose "
                "`authentication`, with the `challenge` and `domain` of `options` when given), "
                "that its `holder` signed it, and every credential in it as "
                "`/credentials/verify` does. A presentation without a proof is accepted only "
                "when no challenge is given. 200 when everything verifies, 400 with the same "
                "body and `verified: false` when not (or when the request is unusable). "
                "Holder and issuer keys are resolved as on `/credentials/verify` (did:key, "
                "did:web). An `EnvelopedVerifiablePresentation` (VC-JOSE-COSE: a "
                "`data:application/vp+jwt,` URL) is verified by its JWS signature, `nonce` and "
                "`aud` standing for the challenge and domain.",
    **verify_route(PresentationVerificationResult,
                   {"application/json": {"schema": _REQUEST_SCHEMA}}),
)
async def verify_presentation_route(request: Request, runtime: RuntimeDep) -> JSONResponse:
    try:
        asked = _read_body(await request.body())
    except BadRequest as bad:
        return unverified(bad, presentationResult=None, credentialResults=[])
    report = await run_in_threadpool(
        verifier.verify_presentation, asked.presentation, challenge=asked.challenge,
        domain=asked.domain, checks=public.checks_for(asked.checks), now=runtime.now(),
        sources=verifier.VerificationSources.for_runtime(runtime), strict=asked.strict,
        keys=asked.keys)
    return JSONResponse(report.to_dict(), status_code=200 if report.ok else 400)
