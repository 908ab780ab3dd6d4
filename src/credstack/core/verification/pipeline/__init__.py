"""Verification of a credential (VC 2.0, Open Badges 3.0): its list of steps, one check each.

What is verified, and against which texts:

* *Verifiable Credentials Data Model v2.0* — W3C Recommendation, 15 May 2025 —
  https://www.w3.org/TR/vc-data-model-2.0/ (§4 "Basic Concepts": the MUSTs checked by
  :func:`check_data_model`; §4.9 "Validity Period"); VC Data Model 1.1 credentials
  (``issuanceDate``) are still read, with a warning.
* *Open Badges Specification v3.0* — 1EdTech, 27 May 2024 —
  https://www.imsglobal.org/spec/ob/v3p0/ — §9 "Verification" (schema shape, proof, status,
  dates) and the shape of an ``OpenBadgeCredential`` from its JSON Schema
  (:func:`check_open_badges`: a conformance check, see the verdict policy in
  :mod:`credstack.core.verification.report`).
* *Verifiable Credential Data Integrity 1.0* and *Data Integrity EdDSA Cryptosuites v1.0*
  (``credstack.core.proofs``); *Securing Verifiable Credentials using JOSE and COSE* for
  VC-JWT; *Bitstring Status List v1.0* §3.2 (``credstack.core.status``).

:func:`verify_credential` runs a list of steps with the one runner
(:mod:`credstack.core.verification.runner`); each step is a function of the shared
:class:`VerificationState` that returns one :class:`~..report.Check`. The configuration is the
list: :data:`DEFAULT_CHECKS` runs ``parse``, ``data-model``, ``open-badges``, ``contexts``,
``proof``, ``issuer``, ``validity``, ``status`` and ``meaning``; :data:`STEPS` names them so
that an adapter can run a subset (VC-API ``options.checks``) or add its own
(:func:`credential_schema`, the ``recognition`` step). ``contexts`` and the meaning the
``meaning`` step reads are the ones every format shares (:mod:`..contexts`,
:mod:`..meaning`); the proof step verifies with :mod:`..proofs`; a CLR (:mod:`..clr_v2`) runs
these steps and its own.

One module per step: ``parse`` (:mod:`.parse`), ``data-model`` and ``open-badges``
(:mod:`.data_model`), ``proof`` (:mod:`.proof`), ``issuer`` and ``validity``
(:mod:`.validity`), ``status`` (:mod:`.status`), ``meaning`` (:mod:`.meaning`),
``credential-schema`` (:mod:`.schema`); the state and the seams in :mod:`.seams`, the list and
the recipe in :mod:`.steps`.

Verdict versus error: everything about the *credential* — unreadable, tampered, expired,
revoked, signed by someone else — is a failed check, never an exception. The pipeline raises
only when it cannot decide for reasons that are the *caller's*: a naive ``now``, an empty
list of checks, a seam that breaks its contract. The seams — JSON-LD document loader, key
resolver, status list source, programme registry — and the time are parameters; nothing here
does I/O or reads the clock.
"""

from __future__ import annotations

from credstack.core.verification.contexts import check_contexts
from credstack.core.verification.json_values import MAX_DEPTH
from credstack.core.verification.meaning import ProgrammeLookup
from credstack.core.verification.methods import MethodResolver, VerificationKey
from credstack.core.verification.pipeline.data_model import check_data_model, check_open_badges
from credstack.core.verification.pipeline.meaning import check_meaning
from credstack.core.verification.pipeline.parse import check_parse
from credstack.core.verification.pipeline.proof import check_proof
from credstack.core.verification.pipeline.schema import SchemaLookup, credential_schema
from credstack.core.verification.pipeline.seams import (
    CheckStep,
    StatusListFetcher,
    VerificationState,
)
from credstack.core.verification.pipeline.status import check_status
from credstack.core.verification.pipeline.steps import DEFAULT_CHECKS, STEPS, verify_credential
from credstack.core.verification.pipeline.validity import check_issuer, check_validity
from credstack.core.verification.proofs import Signer
from credstack.core.verification.reading import MAX_CREDENTIAL_BYTES

__all__ = [
    "DEFAULT_CHECKS",
    "MAX_CREDENTIAL_BYTES",
    "MAX_DEPTH",
    "STEPS",
    "CheckStep",
    "MethodResolver",
    "ProgrammeLookup",
    "SchemaLookup",
    "Signer",
    "StatusListFetcher",
    "VerificationKey",
    "VerificationState",
    "check_contexts",
    "check_data_model",
    "check_issuer",
    "check_meaning",
    "check_open_badges",
    "check_parse",
    "check_proof",
    "check_status",
    "check_validity",
    "credential_schema",
    "verify_credential",
]
