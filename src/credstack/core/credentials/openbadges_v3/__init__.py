"""Open Badges 3.0 credentials that carry a micro-credential's descriptors.

Specification: *Open Badges Specification v3.0*, 1EdTech Consortium, Final Release of
27 May 2024 (read with the errata up to document version 1.2, 23 December 2024),
https://www.imsglobal.org/spec/ob/v3p0/ — an ``OpenBadgeCredential`` is a W3C Verifiable
Credential 2.0 (https://www.w3.org/TR/vc-data-model-2.0/) whose subject holds an
``Achievement``.

:func:`build_open_badge_credential` turns a registered programme version and one learner's
award into the *unsigned* credential (the proof layer signs it). Every descriptor that Open
Badges has a field for goes into that field, in one language:

============================== ============================================================
descriptor                     Open Badges 3.0
============================== ============================================================
title                          ``achievement.name`` (and the credential's ``name``)
description                    ``achievement.description``
learning outcomes, assessment  ``achievement.criteria.narrative`` (Markdown)
learner effort (credits)       ``achievement.creditsAvailable`` (one system, see below)
language                       ``achievement.inLanguage`` (the first language of instruction)
field of study                 ``achievement.fieldOfStudy`` (the first field), ``tag``
skills with a URL              ``achievement.alignment`` (``Alignment``)
grading scheme                 ``achievement.resultDescription``
awarding body                  ``achievement.creator`` (``Profile``; needs a profile id)
programme code                 ``achievement.humanCode``
learner                        ``credentialSubject.id`` / ``credentialSubject.identifier``
date of issuing                ``awardedDate``
grade achieved                 ``credentialSubject.result``
============================== ============================================================

Everything else — and every multilingual text in full — travels in one extension property
of the achievement, ``microCredential``, an object of type ``MicroCredentialDescriptors``
whose keys are the descriptor model's own fields in camelCase (``docs/mc-extension.md``
describes each term). Its JSON-LD context ships inside this package
(``contexts/mc-v1.jsonld``) and is published at :data:`EXTENSION_CONTEXT_URL`. The URL is on
w3id.org, the permanent-identifier redirect service that W3C community vocabularies and
contexts (security, DID, Data Integrity) use, so the identifier outlives any one host of
credstack; the vocabulary terms live under :data:`VOCABULARY_BASE`.
:func:`descriptors_from_credential` reads the descriptor document back. The achievement
itself is :mod:`credstack.core.descriptors.achievement`'s (re-exported here): it describes
the programme, as its CTDL form does, and the interchange reads and writes both.

Decisions the standard leaves open, taken here:

* ``creditsAvailable`` is one number without a unit. It carries the credits in the credit
  system of the issuer's country when the programme states them (単位 for Japan, Malaysian
  credits for Malaysia, …), otherwise the first system the programme lists; the extension
  names the system (``creditsAvailableSystem``) and keeps every amount.
* ``achievementType`` is ``MicroCredential`` only when the descriptors show an assessment of
  learning outcomes. A programme without an assessment, or assessed by participation alone,
  is not a micro-credential (seeds 000–002; the same rule as
  :mod:`credstack.core.descriptors.validation`): its credential still builds, as a
  ``Badge``, so that an attendance badge is never dressed up as a micro-credential.
* Levels are not repeated as ``Alignment``: the formal schema requires ``targetUrl``, and the
  qualifications frameworks publish no stable URL per level; they travel in the extension.
  Skills become alignments only when they have a URL, for the same reason.
* ``creator`` is written only with a real profile id for the awarding body: the issuer's,
  when the issuer is the awarding body, or one the caller gives. The awarding body's
  credstack slug is not an IRI, and the issuer's id under another organisation's name
  would merge two organisations into one node of the credential's graph.
* ``awardedDate`` is a date-time: the date of issuing at midnight in ``valid_from``'s
  time zone.
* Learner identifiers other than the subject's ``id`` become ``IdentityObject`` entries.
  Given a ``salt``, each is hashed as the specification describes
  (``sha256$`` + the hex SHA-256 of the value followed by the salt); without one it is
  written in plain text. The learner's name is always plain (``identityType: name``): it is
  what people read. The salt is a parameter — the core draws no random numbers.

Pure: ids, dates, the issuer and the salt are parameters; no clock, no network, no I/O but
reading the bundled context.
"""

from __future__ import annotations

from credstack.core.credentials.openbadges_v3.credential import _subject as _subject
from credstack.core.credentials.openbadges_v3.credential import (
    build_open_badge_credential as build_open_badge_credential,
)
from credstack.core.credentials.openbadges_v3.profile import _IDENTITY_TYPES as _IDENTITY_TYPES
from credstack.core.credentials.openbadges_v3.profile import (
    ACHIEVEMENT_CREDENTIAL_SCHEMA_URL as ACHIEVEMENT_CREDENTIAL_SCHEMA_URL,
)
from credstack.core.credentials.openbadges_v3.profile import (
    EXTENSION_CONTEXT_URL as EXTENSION_CONTEXT_URL,
)
from credstack.core.credentials.openbadges_v3.profile import OB_CONTEXT_URL as OB_CONTEXT_URL
from credstack.core.credentials.openbadges_v3.profile import VC_CONTEXT_URL as VC_CONTEXT_URL
from credstack.core.credentials.openbadges_v3.profile import VOCABULARY_BASE as VOCABULARY_BASE
from credstack.core.credentials.openbadges_v3.profile import IssuerProfile as IssuerProfile
from credstack.core.credentials.openbadges_v3.profile import _timestamp as _timestamp
from credstack.core.credentials.openbadges_v3.profile import extension_context as extension_context
from credstack.core.credentials.openbadges_v3.profile import identity_hash as identity_hash
from credstack.core.credentials.openbadges_v3.reading import (
    descriptors_from_credential as descriptors_from_credential,
)
from credstack.core.credentials.openbadges_v3.reading import learner_name as learner_name
from credstack.core.credentials.openbadges_v3.reading import learner_names as learner_names
from credstack.core.descriptors.achievement import _UNDETERMINED as _UNDETERMINED
from credstack.core.descriptors.achievement import _WORDS as _WORDS
from credstack.core.descriptors.achievement import EXTENSION_PROPERTY as EXTENSION_PROPERTY
from credstack.core.descriptors.achievement import EXTENSION_TYPE as EXTENSION_TYPE
from credstack.core.descriptors.achievement import _camel as _camel
from credstack.core.descriptors.achievement import _text as _text
from credstack.core.descriptors.achievement import _words as _words
from credstack.core.descriptors.achievement import achievement_type as achievement_type
from credstack.core.descriptors.achievement import build_achievement as build_achievement
from credstack.core.descriptors.achievement import (
    descriptors_from_achievement as descriptors_from_achievement,
)

__all__ = [
    "ACHIEVEMENT_CREDENTIAL_SCHEMA_URL",
    "EXTENSION_CONTEXT_URL",
    "EXTENSION_PROPERTY",
    "EXTENSION_TYPE",
    "OB_CONTEXT_URL",
    "VC_CONTEXT_URL",
    "VOCABULARY_BASE",
    "IssuerProfile",
    "achievement_type",
    "build_achievement",
    "build_open_badge_credential",
    "descriptors_from_achievement",
    "descriptors_from_credential",
    "extension_context",
    "identity_hash",
    "learner_name",
    "learner_names",
]

