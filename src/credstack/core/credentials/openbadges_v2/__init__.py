r"""Open Badges 2.0: a micro-credential as hosted and signed Badge Objects, and their rules.

Specification: *Open Badges v2.0*, IMS Global Learning Consortium (now 1EdTech), IMS Final
Release of 12 April 2018, document revision of 21 May 2021 —
https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html (the same text
is at https://www.imsglobal.org/spec/ob/v2p0/). Its JSON-LD context is
``https://w3id.org/openbadges/v2``. Where the text leaves a rule open, the rules of the
1EdTech public validator (``1EdTech/digital-credentials-public-validator``, the OB 2.0
inspector and its ``Assertion.validationMap``) are followed; deviations are named below.

Building (pure: ids, dates, keys and salts are parameters):

* :func:`build_issuer_profile`, :func:`build_cryptographic_key`,
  :func:`build_revocation_list` — the issuer's documents;
* :func:`build_badge_class` — a programme version as a ``BadgeClass`` (see the mapping
  below);
* :func:`build_assertion`, :func:`identity_object` — one learner's award;
* :func:`sign_assertion` — a *signed* badge: the assertion as the payload of a compact JWS,
  ``RS256`` with an RSA key ("For compatibility purposes, using RSA-SHA256 is recommended",
  §SignedBadge; the 1EdTech validator accepts nothing else), or ``ES256`` with a P-256 key
  (about 25 times faster to sign; verifiers other than the 1EdTech one accept it).

The descriptors of a programme go into a BadgeClass as the Japanese *guideline for issuing
micro-credentials digitally, 1.1 (Open Badges 2.0)* maps them (seed 000, table "Descriptors
of Microcredentials and Digital Badges"): the title is ``name``, the description
``description``, the provider and its country/region the ``issuer``, the learner the
assertion's ``recipient``, the date of issuing its ``issuedOn``; every other descriptor —
learning outcomes, language, delivery mode, learner effort, inherent requirements, price,
assessment, certification, credit recognition, quality assurance, prerequisites, level — is
a section of ``criteria.narrative`` (Markdown), in the table's order. Skills with a URL
become ``alignment``\ s, fields of study ``tags``. Every descriptor is also kept, in every
language and without loss, in the ``extensions:MicroCredential`` extension: an OB 2.0
Extension object with its own ``@context`` (credstack's vocabulary,
``https://w3id.org/credstack/mc/v1``) whose ``microCredential`` member is exactly the object
an Open Badges 3.0 achievement carries (``docs/mc-extension.md``), plus the programme code.

Checking (pure, plain JSON — no JSON-LD expansion, nothing fetched): :func:`class_of`,
:func:`validate`, :func:`context_problems`, :func:`extension_problems`,
:func:`hosted_policy_problem`, :func:`revocation_entry`, :func:`recipient_matches`,
:func:`read_jws` and :func:`verify_jws`. The verification pipeline
(:mod:`credstack.core.verification.openbadges_v2`) runs them with the fetching seam and the
clock it is given.

Deviations from the 1EdTech validator, each on the safe side:

* an inline ``@context`` object is accepted only when it defines the core Open Badges terms
  as the published context does (the validator does not look inside inline contexts);
* a hosted assertion is verified from the copy its issuer serves at its ``id`` (the
  specification's rule; the validator checks the copy it is given);
* an issuer profile whose ``id`` is not an HTTP URL has its hosted-verification origin taken
  from where it was fetched (the validator skips the origin check with a warning);
* ``RevocationList.revokedAssertions`` is required, as the specification marks it.
"""

from __future__ import annotations

from credstack.core.credentials.openbadges_v2.building import _timestamp as _timestamp
from credstack.core.credentials.openbadges_v2.building import build_assertion as build_assertion
from credstack.core.credentials.openbadges_v2.building import build_badge_class as build_badge_class
from credstack.core.credentials.openbadges_v2.building import (
    build_cryptographic_key as build_cryptographic_key,
)
from credstack.core.credentials.openbadges_v2.building import (
    build_issuer_profile as build_issuer_profile,
)
from credstack.core.credentials.openbadges_v2.building import (
    build_revocation_list as build_revocation_list,
)
from credstack.core.credentials.openbadges_v2.building import (
    descriptors_from_badge_class as descriptors_from_badge_class,
)
from credstack.core.credentials.openbadges_v2.criteria import _LANGUAGE_NAMES as _LANGUAGE_NAMES
from credstack.core.credentials.openbadges_v2.criteria import _WORDS as _WORDS
from credstack.core.credentials.openbadges_v2.criteria import _decimal as _decimal
from credstack.core.credentials.openbadges_v2.criteria import _pick as _pick
from credstack.core.credentials.openbadges_v2.criteria import _sections as _sections
from credstack.core.credentials.openbadges_v2.criteria import _text as _text
from credstack.core.credentials.openbadges_v2.criteria import (
    criteria_narrative as criteria_narrative,
)
from credstack.core.credentials.openbadges_v2.recipients import identity_hash as identity_hash
from credstack.core.credentials.openbadges_v2.recipients import identity_object as identity_object
from credstack.core.credentials.openbadges_v2.recipients import (
    recipient_matches as recipient_matches,
)
from credstack.core.credentials.openbadges_v2.signatures import KEY_MISMATCH as KEY_MISMATCH
from credstack.core.credentials.openbadges_v2.signatures import Jws as Jws
from credstack.core.credentials.openbadges_v2.signatures import SigningKey as SigningKey
from credstack.core.credentials.openbadges_v2.signatures import _b64url as _b64url
from credstack.core.credentials.openbadges_v2.signatures import _json_object as _json_object
from credstack.core.credentials.openbadges_v2.signatures import _public_key as _public_key
from credstack.core.credentials.openbadges_v2.signatures import _unique as _unique
from credstack.core.credentials.openbadges_v2.signatures import algorithm_of as algorithm_of
from credstack.core.credentials.openbadges_v2.signatures import (
    hosted_policy_problem as hosted_policy_problem,
)
from credstack.core.credentials.openbadges_v2.signatures import read_jws as read_jws
from credstack.core.credentials.openbadges_v2.signatures import revocation_entry as revocation_entry
from credstack.core.credentials.openbadges_v2.signatures import sign_assertion as sign_assertion
from credstack.core.credentials.openbadges_v2.signatures import verify_jws as verify_jws
from credstack.core.credentials.openbadges_v2.validation import RULES as RULES
from credstack.core.credentials.openbadges_v2.validation import _Rule as _Rule
from credstack.core.credentials.openbadges_v2.validation import context_problems as context_problems
from credstack.core.credentials.openbadges_v2.validation import (
    extension_problems as extension_problems,
)
from credstack.core.credentials.openbadges_v2.validation import validate as validate
from credstack.core.credentials.openbadges_v2.vocabulary import _ABSOLUTE_IRI as _ABSOLUTE_IRI
from credstack.core.credentials.openbadges_v2.vocabulary import _DATE_TIME as _DATE_TIME
from credstack.core.credentials.openbadges_v2.vocabulary import _JWS as _JWS
from credstack.core.credentials.openbadges_v2.vocabulary import (
    ACCEPTED_ALGORITHMS as ACCEPTED_ALGORITHMS,
)
from credstack.core.credentials.openbadges_v2.vocabulary import CLASSES as CLASSES
from credstack.core.credentials.openbadges_v2.vocabulary import CONTEXT_URL as CONTEXT_URL
from credstack.core.credentials.openbadges_v2.vocabulary import CONTEXT_URLS as CONTEXT_URLS
from credstack.core.credentials.openbadges_v2.vocabulary import EXTENSION_KEY as EXTENSION_KEY
from credstack.core.credentials.openbadges_v2.vocabulary import EXTENSION_TYPE as EXTENSION_TYPE
from credstack.core.credentials.openbadges_v2.vocabulary import (
    EXTENSIONS_NAMESPACE as EXTENSIONS_NAMESPACE,
)
from credstack.core.credentials.openbadges_v2.vocabulary import MIN_RSA_BITS as MIN_RSA_BITS
from credstack.core.credentials.openbadges_v2.vocabulary import (
    OB3_ACHIEVEMENT_TYPE as OB3_ACHIEVEMENT_TYPE,
)
from credstack.core.credentials.openbadges_v2.vocabulary import OB3_PROFILE_TYPE as OB3_PROFILE_TYPE
from credstack.core.credentials.openbadges_v2.vocabulary import OB_VOCABULARY as OB_VOCABULARY
from credstack.core.credentials.openbadges_v2.vocabulary import (
    SIGNING_ALGORITHM as SIGNING_ALGORITHM,
)
from credstack.core.credentials.openbadges_v2.vocabulary import (
    SIGNING_ALGORITHMS as SIGNING_ALGORITHMS,
)
from credstack.core.credentials.openbadges_v2.vocabulary import TERMS as TERMS
from credstack.core.credentials.openbadges_v2.vocabulary import _authority as _authority
from credstack.core.credentials.openbadges_v2.vocabulary import _items as _items
from credstack.core.credentials.openbadges_v2.vocabulary import class_of as class_of
from credstack.core.credentials.openbadges_v2.vocabulary import expand as expand
from credstack.core.credentials.openbadges_v2.vocabulary import is_http_url as is_http_url
from credstack.core.credentials.openbadges_v2.vocabulary import is_iri as is_iri
from credstack.core.credentials.openbadges_v2.vocabulary import parse_datetime as parse_datetime
from credstack.core.credentials.openbadges_v2.vocabulary import same_authority as same_authority
from credstack.core.credentials.openbadges_v2.vocabulary import types_of as types_of
from credstack.core.credentials.openbadges_v2.vocabulary import (
    verification_type as verification_type,
)

__all__ = [
    "ACCEPTED_ALGORITHMS",
    "CONTEXT_URL",
    "CONTEXT_URLS",
    "EXTENSION_KEY",
    "EXTENSION_TYPE",
    "KEY_MISMATCH",
    "OB3_ACHIEVEMENT_TYPE",
    "OB3_PROFILE_TYPE",
    "OB_VOCABULARY",
    "SIGNING_ALGORITHM",
    "SIGNING_ALGORITHMS",
    "Jws",
    "SigningKey",
    "algorithm_of",
    "build_assertion",
    "build_badge_class",
    "build_cryptographic_key",
    "build_issuer_profile",
    "build_revocation_list",
    "class_of",
    "context_problems",
    "criteria_narrative",
    "descriptors_from_badge_class",
    "expand",
    "extension_problems",
    "hosted_policy_problem",
    "identity_hash",
    "identity_object",
    "is_http_url",
    "is_iri",
    "parse_datetime",
    "read_jws",
    "recipient_matches",
    "revocation_entry",
    "same_authority",
    "sign_assertion",
    "types_of",
    "validate",
    "verification_type",
    "verify_jws",
]

