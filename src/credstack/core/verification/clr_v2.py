"""Verification of a CLR 2.0 ``ClrCredential``: the credential's steps, then the CLR's own.

*Comprehensive Learner Record Standard v2.0* — 1EdTech — https://www.imsglobal.org/spec/clr/v2p0/
(§8 ``ClrCredential``, ``ClrSubject``, ``Association``; what credstack reads of them is
:mod:`credstack.core.credentials.clr_v2`).

A CLR is a credential, so it runs the credential's steps (``parse``, ``data-model``,
``contexts``, ``proof``, ``issuer``, ``validity``, ``status`` … as the caller lists them, see
:mod:`credstack.core.verification.pipeline`) with the one runner, then the CLR's own
(:data:`CLR_STEPS`):

``clr-structure``     the CLR 2.0 shape (contexts, types, issuer, subject, nested entries);
                      when it fails, the steps below do not apply;
``clr-learner``       every nested credential is about the CLR's learner (fails naming each
                      one that is not);
``clr-associations``  when there are associations: known types, both ends achievements of the
                      CLR;
``credential[i]``     one check per nested credential, verified by the injected
                      :class:`~.pipeline.seams.CredentialVerifier`: passed only when that
                      credential's own verification is ok; its full report is in the
                      check's details.

A CLR that cannot even be read as a JSON object or a VC-JWT (:func:`read_clr`) gets one
failed ``clr-structure`` check and nothing else. The report has no meaning of its own: what
a CLR means is what its credentials mean, in their reports. Never raises for anything about
the CLR.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from credstack.core.credentials import clr_v2
from credstack.core.crypto import DocumentLoader
from credstack.core.said import Said, Words
from credstack.core.verification.checks import (
    enclosed,
    failed,
    not_checked,
    passed,
    problem_dicts,
)
from credstack.core.verification.meaning import ProgrammeLookup
from credstack.core.verification.methods import MethodResolver
from credstack.core.verification.pipeline.seams import (
    CredentialVerifier,
    StatusListFetcher,
    VerificationState,
)
from credstack.core.verification.pipeline.steps import DEFAULT_CHECKS
from credstack.core.verification.report import Check, VerificationReport
from credstack.core.verification.runner import Step, run, worded
from credstack.errors import CredstackError

__all__ = ["CLR_STEPS", "DEFAULT_CLR_CHECKS", "ClrState", "check_associations",
           "check_learner", "check_nested", "check_structure", "read_clr", "verify_clr"]


@dataclass(slots=True, kw_only=True)
class ClrState(VerificationState):
    """A credential's state, and what the CLR's own steps need and find."""

    #: Verifies each nested credential (as it appears in the CLR).
    verify_nested: CredentialVerifier
    #: The CLR as its structure is read: the JSON object, or the (unverified) payload of its
    #: VC-JWT.
    clr: Mapping[str, Any] = field(default_factory=dict)
    #: Whether ``clr-structure`` found a CLR 2.0 ``ClrCredential``.
    structured: bool = False


def read_clr(data: bytes | str | Mapping[str, Any]) -> Mapping[str, Any] | str:
    """The CLR as given: a JSON object, or the text of a VC-JWT.

    Raises a :class:`~credstack.errors.CredstackError` or ``ValueError`` when it is neither.
    """
    if isinstance(data, Mapping):
        return data
    return clr_v2.parsed_document(data.decode("utf-8") if isinstance(data, bytes) else data)


def _structure_of(secured: Mapping[str, Any] | str) -> Mapping[str, Any]:
    if isinstance(secured, Mapping):
        return secured
    try:
        return clr_v2.jwt_payload(secured)
    except (CredstackError, ValueError):
        return {}


def check_structure(state: ClrState) -> Check:
    """``clr-structure``: the document is a CLR 2.0 ``ClrCredential``."""
    problems = clr_v2.structure_problems(state.clr)
    if problems:
        return failed("clr-structure", "data-model", Said("verification.check.clr.not_a_clr"),
                      problems=problem_dicts(problems))
    state.structured = True
    return passed("clr-structure", Said("verification.check.clr.a_clr"))


def check_learner(state: ClrState) -> Check | None:
    """``clr-learner``: every nested credential is about the CLR's learner."""
    if not state.structured:
        return None
    learner = clr_v2.learner_of(state.clr)
    strangers = clr_v2.learner_mismatches(learner, clr_v2.nested_credentials(state.clr))
    if strangers:
        named = ", ".join(f"credential[{index}]" for index in strangers)
        return failed("clr-learner", "learner-mismatch",
                      Said("verification.check.clr.learner_mismatch", credentials=named),
                      mismatched=strangers)
    return passed("clr-learner", Said("verification.check.clr.learner_kept"))


def check_associations(state: ClrState) -> Check | None:
    """``clr-associations`` (when there are any): each relates two achievements of the CLR."""
    associations = clr_v2.associations_of(state.clr) if state.structured else []
    if not associations:
        return None
    problems = clr_v2.association_problems(associations, clr_v2.achievement_ids(state.clr))
    if problems:
        return failed("clr-associations", "association",
                      Said("verification.check.clr.associations_broken"),
                      problems=problem_dicts(problems))
    return passed("clr-associations",
                  Said("verification.check.clr.associations_kept", associations=len(associations)))


def _nested(index: int, entry: Any, state: ClrState) -> Check:
    name = f"credential[{index}]"
    if not isinstance(entry, Mapping):
        return not_checked(name, Said("verification.check.clr.not_an_object"))
    return enclosed(name, state.verify_nested(entry),
                    label=Said("verification.check.enclosed.label.nested", index=index))


def check_nested(state: ClrState) -> tuple[Check, ...] | None:
    """``credential[i]``: each nested credential verifies on its own."""
    if not state.structured:
        return None
    return tuple(_nested(index, entry, state)
                 for index, entry in enumerate(clr_v2.nested_credentials(state.clr)))


#: The CLR's own steps, after the credential's, by the name of the check (or checks) each adds.
CLR_STEPS: Final[Mapping[str, Step[ClrState]]] = {
    "clr-structure": check_structure,
    "clr-learner": check_learner,
    "clr-associations": check_associations,
    "credential[i]": check_nested,
}

#: The credential's default steps, then the CLR's.
DEFAULT_CLR_CHECKS: Final[tuple[Step[ClrState], ...]] = (*DEFAULT_CHECKS, *CLR_STEPS.values())


def verify_clr(
    clr: bytes | str | Mapping[str, Any],
    *,
    document_loader: DocumentLoader,
    resolve_verification_method: MethodResolver,
    fetch_status_list: StatusListFetcher | None,
    now: dt.datetime,
    programme_lookup: ProgrammeLookup,
    verify_nested: CredentialVerifier,
    checks: Sequence[Step[ClrState]] = DEFAULT_CLR_CHECKS,
    recognition_lookup: Any = None,
    strict: bool = False,
    words: Words,
) -> VerificationReport:
    """Verify a ``ClrCredential`` and each credential it bundles; every finding is a check.

    The seams are those of :func:`~credstack.core.verification.verify_credential`, plus
    ``verify_nested`` for the nested credentials, and the verdict policy ``strict``. Raises
    ``ValueError`` for a naive ``now`` or no checks — never for anything about the CLR.
    """
    try:
        secured = read_clr(clr)
    except (CredstackError, ValueError) as exc:
        return VerificationReport((worded(failed(
            "clr-structure", "unreadable",
            Said("verification.check.clr.unreadable", why=str(exc))), words),))
    report = run(ClrState(
        input=secured, document_loader=document_loader,
        resolve_verification_method=resolve_verification_method,
        fetch_status_list=fetch_status_list, now=now, programme_lookup=programme_lookup,
        recognition_lookup=recognition_lookup, verify_nested=verify_nested,
        clr=_structure_of(secured), strict=strict, words=words), checks)
    # What a CLR means is what the credentials it bundles mean: each report says it.
    return VerificationReport(report.checks, strict=strict)
