"""Verification of a credential: a pipeline of small checks, one :class:`Check` each.

What is verified, and against which texts:

* *Verifiable Credentials Data Model v2.0* — W3C Recommendation, 15 May 2025 —
  https://www.w3.org/TR/vc-data-model-2.0/ (§4 "Basic Concepts": the MUSTs checked by
  :func:`check_data_model`; §4.9 "Validity Period"); VC Data Model 1.1 credentials
  (``issuanceDate``) are still read, with a warning.
* *Open Badges Specification v3.0* — 1EdTech, 27 May 2024 —
  https://www.imsglobal.org/spec/ob/v3p0/ — §9 "Verification" (schema shape, proof, status,
  dates) and the shape of an ``OpenBadgeCredential`` from its JSON Schema.
* *Verifiable Credential Data Integrity 1.0* and *Data Integrity EdDSA Cryptosuites v1.0*
  (``credstack.core.proofs``); *Securing Verifiable Credentials using JOSE and COSE* for
  VC-JWT; *Bitstring Status List v1.0* §3.2 (``credstack.core.status``).

:func:`verify_credential` runs a list of steps; each step is a function of the shared
:class:`VerificationState` that returns one :class:`~.report.Check`. The configuration is the
list: :data:`DEFAULT_CHECKS` runs ``parse``, ``data-model``, ``contexts``, ``proof``,
``issuer``, ``validity``, ``status`` and ``meaning``; :data:`STEPS` names them so that an
adapter can run a subset (VC-API ``options.checks``) or add its own (:func:`credential_schema`).

Verdict versus error: everything about the *credential* — unreadable, tampered, expired,
revoked, signed by someone else — is a failed check, never an exception. The pipeline raises
only when it cannot decide for reasons that are the *caller's*: a naive ``now``, an empty
list of checks, a seam that breaks its contract. The seams — JSON-LD document loader, key
resolver, status list source, programme registry — and the time are parameters; nothing here
does I/O or reads the clock.
"""

from __future__ import annotations

from credstack.core.verification.pipeline.data_model import _a as _a
from credstack.core.verification.pipeline.data_model import _context_problems as _context_problems
from credstack.core.verification.pipeline.data_model import check_data_model as check_data_model
from credstack.core.verification.pipeline.meaning import _read_meaning as _read_meaning
from credstack.core.verification.pipeline.meaning import check_meaning as check_meaning
from credstack.core.verification.pipeline.parse import _b64_json as _b64_json
from credstack.core.verification.pipeline.parse import _loads as _loads
from credstack.core.verification.pipeline.parse import _read as _read
from credstack.core.verification.pipeline.parse import _too_large as _too_large
from credstack.core.verification.pipeline.parse import check_parse as check_parse
from credstack.core.verification.pipeline.proof import _describe as _describe
from credstack.core.verification.pipeline.proof import _proof_refusal as _proof_refusal
from credstack.core.verification.pipeline.proof import _public_key as _public_key
from credstack.core.verification.pipeline.proof import _resolve as _resolve
from credstack.core.verification.pipeline.proof import _secure as _secure
from credstack.core.verification.pipeline.proof import check_contexts as check_contexts
from credstack.core.verification.pipeline.proof import check_proof as check_proof
from credstack.core.verification.pipeline.runner import DEFAULT_CHECKS as DEFAULT_CHECKS
from credstack.core.verification.pipeline.runner import STEPS as STEPS
from credstack.core.verification.pipeline.runner import verify_credential as verify_credential
from credstack.core.verification.pipeline.schema import JSON_SCHEMA_TYPES as JSON_SCHEMA_TYPES
from credstack.core.verification.pipeline.schema import SchemaLookup as SchemaLookup
from credstack.core.verification.pipeline.schema import credential_schema as credential_schema
from credstack.core.verification.pipeline.seams import _DATE_TIME as _DATE_TIME
from credstack.core.verification.pipeline.seams import _JWS as _JWS
from credstack.core.verification.pipeline.seams import BITSTRING_ENTRY as BITSTRING_ENTRY
from credstack.core.verification.pipeline.seams import DATA_INTEGRITY_PROOF as DATA_INTEGRITY_PROOF
from credstack.core.verification.pipeline.seams import ENVELOPED_TYPE as ENVELOPED_TYPE
from credstack.core.verification.pipeline.seams import JWT_DATA_URL as JWT_DATA_URL
from credstack.core.verification.pipeline.seams import MAX_CREDENTIAL_BYTES as MAX_CREDENTIAL_BYTES
from credstack.core.verification.pipeline.seams import MAX_DEPTH as MAX_DEPTH
from credstack.core.verification.pipeline.seams import VC_V1_CONTEXT as VC_V1_CONTEXT
from credstack.core.verification.pipeline.seams import VC_V2_CONTEXT as VC_V2_CONTEXT
from credstack.core.verification.pipeline.seams import CheckStep as CheckStep
from credstack.core.verification.pipeline.seams import MethodResolver as MethodResolver
from credstack.core.verification.pipeline.seams import ProgrammeLookup as ProgrammeLookup
from credstack.core.verification.pipeline.seams import Signer as Signer
from credstack.core.verification.pipeline.seams import StatusListFetcher as StatusListFetcher
from credstack.core.verification.pipeline.seams import VerificationKey as VerificationKey
from credstack.core.verification.pipeline.seams import VerificationState as VerificationState
from credstack.core.verification.pipeline.seams import _issuer_id as _issuer_id
from credstack.core.verification.pipeline.seams import _unread as _unread
from credstack.core.verification.pipeline.seams import _version as _version
from credstack.core.verification.pipeline.status import check_status as check_status
from credstack.core.verification.pipeline.validity import check_issuer as check_issuer
from credstack.core.verification.pipeline.validity import check_validity as check_validity

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
    "check_parse",
    "check_proof",
    "check_status",
    "check_validity",
    "credential_schema",
    "verify_credential",
]

