"""Verification of European Digital Credentials (ELM v3), sealed with JAdES or not.

Specifications: *European Learning Model v3* and its EDC application profile (European
Commission, 2023); ETSI TS 119 182-1 (JAdES). The steps, in order, are listed in
:mod:`.steps`; they give the same report every format gives, so one page or one API answer
shows an EDC as it shows an Open Badge.
"""

from credstack.core.verification.elm.steps import (
    DEFAULT_CHECKS,
    ElmState,
    is_edc,
    sealed_credential,
    verify_edc,
)

__all__ = ["DEFAULT_CHECKS", "ElmState", "is_edc", "sealed_credential", "verify_edc"]
