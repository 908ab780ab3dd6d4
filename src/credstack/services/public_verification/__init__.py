"""Verifying a credential or a presentation with public sources alone (:mod:`.service`):
no store, nothing of this deployment; ``offline``, nothing fetched either.

``credstack verify FILE`` without a store runs it; the deployment's verifier
(:mod:`credstack.services.verification`) gives it the store's sources and counts what it
verified.
"""

from credstack.services.public_verification.service import (
    ALWAYS_CHECKED,
    DEFAULT_CHECKS,
    DID_WEB_ALLOW_ENV,
    FETCH_TIMEOUT_SECONDS,
    LOOPBACK_ENV,
    MAX_FETCH_BYTES,
    STEPS,
    Count,
    FetchError,
    Seams,
    Sources,
    VerificationMethodUnavailableError,
    checks_for,
    fetch_bytes,
    fetch_nothing,
    fetch_status_list,
    no_registry,
    reported,
    resolve_offline,
    resolve_remote,
    resolve_verification_method,
    seams,
    shared_did_web_resolver,
    verify,
    verify_presentation,
)

__all__ = ["ALWAYS_CHECKED", "DEFAULT_CHECKS", "DID_WEB_ALLOW_ENV", "FETCH_TIMEOUT_SECONDS",
           "LOOPBACK_ENV", "MAX_FETCH_BYTES", "STEPS", "Count", "FetchError", "Seams", "Sources",
           "VerificationMethodUnavailableError", "checks_for", "fetch_bytes", "fetch_nothing",
           "fetch_status_list", "no_registry", "reported", "resolve_offline", "resolve_remote",
           "resolve_verification_method", "seams", "shared_did_web_resolver", "verify",
           "verify_presentation"]
