"""Labels of the controlled vocabularies and names pages show, as (ja, en).

The words are the data files of :mod:`credstack.core.vocabularies`; this module puts them
in the (ja, en) pairs the translator picks from.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from credstack.core import vocabularies
from credstack.core.descriptors.findings import Severity
from credstack.core.descriptors.labels import LABELLED
from credstack.core.descriptors.models import CreditSystem
from credstack.core.descriptors.validation import Requirement, State
from credstack.core.organisations import OrganisationKind
from credstack.core.programmes import Status
from credstack.core.registrar.records import Standing

#: A (ja, en) pair.
Pair = tuple[str, str]

#: The vocabularies pages label besides the descriptor model's, by enum type.
PAGE_LABELLED: dict[type[StrEnum], str] = {
    OrganisationKind: "organisation-kind",
    Requirement: "descriptor-requirement",
    State: "descriptor-state",
    Severity: "finding-severity",
    Status: "programme-status",
    Standing: "registrar-standing",
}


def _pairs(vocabulary: str) -> dict[str, Pair]:
    return vocabularies.pairs(vocabulary, "ja", "en")


def _by_enum(vocabularies_of: Mapping[type[StrEnum], str]) -> dict[type[StrEnum], dict[str, Pair]]:
    return {enum: _pairs(vocabulary) for enum, vocabulary in vocabularies_of.items()}


#: Labels of the controlled vocabularies, by enum type and value, as (ja, en).
LABELS: dict[type[StrEnum], dict[str, Pair]] = _by_enum(LABELLED | PAGE_LABELLED)

#: Short column headings for the framework profiles, by profile id.
PROFILE_SHORT_NAMES: dict[str, Pair] = _pairs("profile-short-name")

#: Units for stated credits ("2 単位", "1 Japanese credit", "3 ECTS"), by credit
#: system: (Japanese, English for one, English for any other number).
CREDIT_UNITS: dict[CreditSystem, tuple[str, str, str]] = {
    CreditSystem(system): (japanese, vocabularies.names("credit-unit.one", "en")[system], many)
    for system, (japanese, many) in _pairs("credit-unit").items()
}

#: Names of the languages programmes are taught in, by primary subtag.
LANGUAGE_NAMES: dict[str, Pair] = _pairs("language")

#: Names of the countries the frameworks and seeds mention, by ISO 3166-1 code.
COUNTRY_NAMES: dict[str, Pair] = _pairs("country")
