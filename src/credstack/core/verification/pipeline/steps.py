"""The credential's steps in order, and :func:`verify_credential`, which runs them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping, MutableMapping, Sequence
from typing import Any, Final

from credstack.core.crypto import DocumentLoader
from credstack.core.said import Words
from credstack.core.verification.contexts import check_contexts
from credstack.core.verification.data_model import ResourceReader
from credstack.core.verification.meaning import ProgrammeLookup
from credstack.core.verification.methods import MethodResolver
from credstack.core.verification.pipeline.data_model import check_data_model, check_open_badges
from credstack.core.verification.pipeline.meaning import check_meaning
from credstack.core.verification.pipeline.parse import check_parse
from credstack.core.verification.pipeline.proof import check_proof
from credstack.core.verification.pipeline.seams import (
    CheckStep,
    StatusListFetcher,
    VerificationState,
)
from credstack.core.verification.pipeline.status import check_status
from credstack.core.verification.pipeline.validity import check_issuer, check_validity
from credstack.core.verification.report import VerificationReport
from credstack.core.verification.runner import run

__all__ = ["DEFAULT_CHECKS", "STEPS", "verify_credential"]

#: Every built-in step by the name of the check it adds, in the order they run by default.
STEPS: Final[Mapping[str, CheckStep]] = {
    "parse": check_parse,
    "data-model": check_data_model,
    "open-badges": check_open_badges,
    "contexts": check_contexts,
    "proof": check_proof,
    "issuer": check_issuer,
    "validity": check_validity,
    "status": check_status,
    "meaning": check_meaning,
}


DEFAULT_CHECKS: Final[tuple[CheckStep, ...]] = tuple(STEPS.values())


def verify_credential(
    credential: Mapping[str, Any] | str | bytes,
    *,
    document_loader: DocumentLoader,
    resolve_verification_method: MethodResolver,
    fetch_status_list: StatusListFetcher | None,
    now: dt.datetime,
    programme_lookup: ProgrammeLookup,
    checks: Sequence[CheckStep] = DEFAULT_CHECKS,
    recognition_lookup: Any = None,
    strict: bool = False,
    read_resource: ResourceReader | None = None,
    proof_memo: MutableMapping[Hashable, Any] | None = None,
    words: Words,
) -> VerificationReport:
    """Verify a credential and say what it means; every finding is a check in the report.

    ``credential`` is a VC 2.0 / OB 3.0 JSON-LD credential with Data Integrity proofs (a
    JSON object, or its JSON text or bytes), a VC-JWT compact JWS, or an
    ``EnvelopedVerifiableCredential`` holding one. ``document_loader`` serves the JSON-LD
    contexts (it never fetches); ``resolve_verification_method`` resolves verification
    methods other than ``did:key``; ``fetch_status_list`` returns status list credentials
    (``None``: do not check status, with a warning); ``now`` is an aware datetime;
    ``programme_lookup`` finds the registry record of an achievement;
    ``recognition_lookup`` (a :class:`~..recognition.RecognitionLookup`, for the
    ``recognition`` step) finds the recognitions of one. ``strict`` makes conformance
    findings (``open-badges``, ``credential-schema``) fail the verdict; by default an
    authentic credential with such findings verifies, with warnings. ``read_resource`` gives
    the bytes of the resources credstack holds (its bundled contexts), whose digests in
    ``relatedResource`` are then checked. ``proof_memo`` keeps the proofs that verified, so
    that the same document with the same keys is not verified twice (see
    :func:`~credstack.core.verification.proofs.verify_proofs`). ``words`` words what the
    checks say in English and Japanese (:func:`credstack.words.words`).

    Raises ``ValueError`` for a naive ``now`` or no checks, ``TypeError`` when a step or a
    seam breaks its contract — never for anything about the credential.
    """
    return run(VerificationState(
        input=credential, document_loader=document_loader,
        resolve_verification_method=resolve_verification_method,
        fetch_status_list=fetch_status_list, now=now, programme_lookup=programme_lookup,
        recognition_lookup=recognition_lookup, strict=strict, read_resource=read_resource,
        proof_memo=proof_memo, words=words), checks)
