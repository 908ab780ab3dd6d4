"""Programmes and organisations as CTDL JSON-LD, the language of the Credential Registry.

Specification: *Credential Transparency Description Language (CTDL)*, Credential Engine,
release of 31 January 2025, https://credreg.net/ctdl/terms (terms under the ``ceterms:``
prefix, https://purl.org/ctdl/terms/; concept schemes such as ``deliveryType:`` and
``creditUnit:``). Documents are written and read in the compact form the Credential Registry
publishes as its "graph" JSON-LD (https://credreg.net/registry/handbook): ``"@context"`` is
the string :data:`CONTEXT_URL`, every property is ``ceterms:``-prefixed, texts are language
maps (``{"ja": …, "en": …}``) and a bundle is one ``"@graph"`` of nodes. Nothing here loads
the context or does JSON-LD processing: documents are read as plain JSON.

A programme is one credential node — ``ceterms:MicroCredential`` when its learning outcomes
are assessed, else ``ceterms:Badge`` (the rule of
:attr:`credstack.core.descriptors.models.Programme.assesses_learning`: an attendance badge is
never dressed up as a micro-credential) — and an organisation one
``ceterms:CredentialOrganization`` node (``ceterms:QACredentialOrganization`` for a
recognition body). Only properties whose CTDL domain includes those classes are written:

=================================== ========================================================
descriptor                          CTDL (on the credential node unless said otherwise)
=================================== ========================================================
code                                ``ceterms:identifier`` (``IdentifierValue``); read as
                                    the first valid code of ``ceterms:codedNotation``, the
                                    identifiers' values and the ``ceterms:ctid``
title, description                  ``ceterms:name``, ``ceterms:description``
awarding body                       ``ceterms:ownedBy`` and ``ceterms:offeredBy``: the
                                    ``@id`` of the organisation's node
country/region of the issuer        read only: an ISO 3166-1 code in the owning
                                    organisation's ``ceterms:address/addressCountry``
languages                           ``ceterms:inLanguage``
form of participation (mode)        ``ceterms:learningDeliveryType``: ``deliveryType:
                                    OnlineOnly`` / ``InPerson`` / ``BlendedDelivery``
                                    (``ceterms:deliveryType`` on a learning opportunity)
form of participation (description) ``ceterms:learningMethodDescription``
learner effort: hours               ``ceterms:estimatedDuration`` → ``DurationProfile``
                                    ``ceterms:timeRequired`` (``PT45H``)
learner effort: weeks               the same profile's ``ceterms:exactDuration`` (``P10W``)
learner effort: credits             ``ceterms:requires`` → ``ConditionProfile``
                                    ``ceterms:creditValue`` → ``ValueProfile``
                                    (``schema:value``, ``ceterms:creditUnitType``)
learning outcomes, skills           that profile's ``ceterms:targetCompetency``
                                    (``CredentialAlignmentObject``)
assessment (description)            that profile's ``ceterms:description``
prerequisites                       a second ``ceterms:requires`` profile named
                                    "Prerequisites" (``ceterms:entryCondition`` on a
                                    learning opportunity)
stackability (targets)              ``ceterms:isPreparationFor`` → ``ConditionProfile``
                                    (name, ``subjectWebpage``, ``creditValue``)
price                               ``ceterms:estimatedCost`` → ``CostProfile``
                                    (``price``, ``currency``, ``costType:AggregateCost``)
financial assistance                ``ceterms:financialAssistance`` →
                                    ``FinancialAssistanceProfile``
further information (URL)           ``ceterms:subjectWebpage``
fields of study                     ``ceterms:keyword`` (their labels; written only)
credit recognition "none"           ``ceterms:isNonCredit: true``
every descriptor, in full           :data:`DESCRIPTORS_PROPERTY` (see below)
=================================== ========================================================

Decisions the mapping takes:

* **What CTDL cannot say travels in an extension property.** CTDL has no property for the
  assessment methods, supervision, quality assurance, qualification levels, certification,
  credit recognition, dates of delivery, inherent requirements or pace, and its credit units
  name no Japanese, Malaysian or New Zealand credit. So every credential node also carries
  the programme's whole descriptor document under :data:`DESCRIPTORS_PROPERTY`
  (``https://w3id.org/credstack/mc#descriptors``, in the vocabulary of the credstack
  micro-credential extension, ``docs/mc-extension.md``), and every organisation node its
  organisation document under :data:`ORGANISATION_PROPERTY`. The property is a full IRI so
  that the ``@context`` stays the Credential Registry's string, and its value is a JSON
  literal (``{"@type": "@json", "@value": {…}}``, JSON-LD 1.1) so that JSON-LD processing
  keeps the document whole. Reading a node with the extension uses the extension alone:
  credstack → CTDL → credstack is lossless. A node without it (foreign CTDL) yields what
  the CTDL properties say, as the table shows, and no more.
* **CTIDs are derived, not stored.** A CTID is ``ce-`` and a UUID; the Registry asks that a
  resource keep its CTID for life, so that publishing again updates it. credstack keeps no
  CTID column: :func:`programme_ctid` is ``ce-`` + the UUID v5 of ``programme:<organisation
  slug>/<code>`` (:func:`organisation_ctid`: ``organisation:<slug>``) in
  :data:`CTID_NAMESPACE`. Every export gives the same CTID to the same programme, without
  a database write; the programme's key in credstack is exactly that pair. Slugs are
  unique within one credstack registry only: a deployment publishing beside another
  credstack deployment passes its own ``namespace``.
* **Node ids** are the Registry's resource URIs (``https://credentialengineregistry.org/
  resources/<ctid>``): the graph is what publishing it would produce. They resolve only
  once published; ``resource_base`` changes them.
* **Credits**: ``us-credit-hour`` is ``creditUnit:SemesterHour``; the other systems are
  academic credits towards a degree, ``creditUnit:DegreeCredit``, with the system named in
  ``schema:description``. Reading foreign CTDL, ``SemesterHour`` and descriptions naming
  ECTS or one of those systems are understood; other units are left out.
* **Foreign CTDL** is read leniently where CTDL is looser than credstack: empty texts,
  durations in months, currencies that are not ISO 4217 codes and credit units without a
  credstack system are left out rather than refused; hours need ``timeRequired`` (or an
  ``exactDuration`` in hours). A competency with only a name is a learning outcome; one
  with a framework, code or URL is a skill. An organisation is read only when CTDL states
  what credstack needs of one (a name and a country code); its slug is its CTID. Values of
  the wrong shape are passed on, so that validation names them.

Pure: no clock, no network, no I/O.
"""

from __future__ import annotations

from credstack.core.descriptors.ctdl.reading import Fields as Fields
from credstack.core.descriptors.ctdl.reading import _credits as _credits
from credstack.core.descriptors.ctdl.reading import _types as _types
from credstack.core.descriptors.ctdl.reading import graph_nodes as graph_nodes
from credstack.core.descriptors.ctdl.reading import has_extension as has_extension
from credstack.core.descriptors.ctdl.reading import looks_like_ctdl as looks_like_ctdl
from credstack.core.descriptors.ctdl.reading import node_kind as node_kind
from credstack.core.descriptors.ctdl.reading import organisation_from_ctdl as organisation_from_ctdl
from credstack.core.descriptors.ctdl.reading import programme_from_ctdl as programme_from_ctdl
from credstack.core.descriptors.ctdl.reading import property_of as property_of
from credstack.core.descriptors.ctdl.vocabulary import _COUNTRY as _COUNTRY
from credstack.core.descriptors.ctdl.vocabulary import _UNDETERMINED as _UNDETERMINED
from credstack.core.descriptors.ctdl.vocabulary import CONTEXT_URL as CONTEXT_URL
from credstack.core.descriptors.ctdl.vocabulary import CTID_NAMESPACE as CTID_NAMESPACE
from credstack.core.descriptors.ctdl.vocabulary import DESCRIPTORS_PROPERTY as DESCRIPTORS_PROPERTY
from credstack.core.descriptors.ctdl.vocabulary import (
    ORGANISATION_PROPERTY as ORGANISATION_PROPERTY,
)
from credstack.core.descriptors.ctdl.vocabulary import REGISTRY_RESOURCES as REGISTRY_RESOURCES
from credstack.core.descriptors.ctdl.vocabulary import VOCABULARY as VOCABULARY
from credstack.core.descriptors.ctdl.vocabulary import organisation_ctid as organisation_ctid
from credstack.core.descriptors.ctdl.vocabulary import programme_ctid as programme_ctid
from credstack.core.descriptors.ctdl.vocabulary import programme_uuid as programme_uuid
from credstack.core.descriptors.ctdl.vocabulary import resource_uri as resource_uri
from credstack.core.descriptors.ctdl.writing import _plain as _plain
from credstack.core.descriptors.ctdl.writing import _texts as _texts
from credstack.core.descriptors.ctdl.writing import credential_class as credential_class
from credstack.core.descriptors.ctdl.writing import ctdl_graph as ctdl_graph
from credstack.core.descriptors.ctdl.writing import organisation_to_ctdl as organisation_to_ctdl
from credstack.core.descriptors.ctdl.writing import programme_to_ctdl as programme_to_ctdl

__all__ = [
    "CONTEXT_URL",
    "CTID_NAMESPACE",
    "DESCRIPTORS_PROPERTY",
    "ORGANISATION_PROPERTY",
    "REGISTRY_RESOURCES",
    "credential_class",
    "ctdl_graph",
    "graph_nodes",
    "has_extension",
    "looks_like_ctdl",
    "node_kind",
    "organisation_ctid",
    "organisation_from_ctdl",
    "organisation_to_ctdl",
    "programme_ctid",
    "programme_from_ctdl",
    "programme_to_ctdl",
    "programme_uuid",
    "property_of",
    "resource_uri",
]

