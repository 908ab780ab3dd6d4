"""Verifying a CLR 2.0 ``ClrCredential``: the CLR's credential steps and its own
(:mod:`credstack.core.verification.clr_v2`), then every credential it bundles, each through
the same verification as a credential on its own — with the seams of
:mod:`credstack.services.verification.service`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from credstack.core.verification import clr_v2
from credstack.core.verification.report import VerificationReport
from credstack.services import public_verification as public
from credstack.services import verification as verifier
from credstack.words import words

__all__ = ["STEPS", "verify_clr"]

#: The credential's steps as the verification service runs them (the bundled JSON Schemas,
#: the recognition of the programme), then the CLR's own.
STEPS: Final = (*public.DEFAULT_CHECKS, *clr_v2.CLR_STEPS.values())


def verify_clr(data: bytes | str | Mapping[str, Any], *,
               sources: verifier.VerificationSources | None = None,
               now: dt.datetime | None = None, strict: bool = False,
               offline: bool = False) -> VerificationReport:
    """Verify a ``ClrCredential`` and each credential it bundles.

    Checks: the service's checks of the CLR itself (``parse``, ``data-model``, ``contexts``,
    ``proof``, ``issuer``, ``validity``, ``status`` …), then ``clr-structure`` (the CLR 2.0
    shape), ``clr-learner`` (every nested credential is about the CLR's learner; fails naming
    each one that is not), ``clr-associations`` (when there are associations: known types,
    both ends achievements of the CLR) and ``credential[i]`` per nested credential — passed
    only when that credential's own verification is ok; its full report is in the check's
    details. ``strict`` makes conformance findings fail the verdict, the nested credentials'
    too; ``offline`` fetches nothing (as :func:`~..verification.service.verify`). Never
    raises for a bad CLR.
    """
    moment = now if now is not None else dt.datetime.now(dt.UTC)
    return clr_v2.verify_clr(
        data, **verifier.seams(sources, offline=offline), now=moment, checks=STEPS,
        strict=strict, words=words,
        verify_nested=lambda entry: verifier.verify(entry, now=moment, sources=sources,
                                                    strict=strict, offline=offline))
