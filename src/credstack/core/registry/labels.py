"""People's names for facet values, in every language credstack speaks.

Descriptor vocabularies (fields, delivery modes, assessment methods) take their names from
:func:`credstack.core.descriptors.labels.labels`, credit systems from ``credit_systems.yaml``
and framework profiles from their files, so a value is named the same on every page; the
rest (organisation kinds, languages, effort and price bands…) from the vocabularies of
:mod:`credstack.core.vocabularies`. Providers are named by the index (from the store); a value
nobody has named (an unknown language tag, say) is labelled with itself.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from credstack.core import vocabularies
from credstack.core.descriptors import isced_f
from credstack.core.descriptors.catalogue import credit_systems
from credstack.core.descriptors.labels import labels
from credstack.core.descriptors.models import (
    AssessmentMethod,
    CreditSystem,
    DeliveryMode,
    FieldOfStudy,
    LevelFramework,
)
from credstack.core.descriptors.profiles import profiles

__all__ = ["facet_label"]

Label = dict[str, str]

#: Facets whose values are a vocabulary of their own, by the vocabulary's name.
_FIXED: Final = {
    "effort_band": "effort-band",
    "price_band": "price-band",
    "recognition": "recognition-level",
    "stackable": "stackability",
    "provider_type": "organisation-kind",
}

#: Facets with a value ``none``, named in the ``facet-none`` vocabulary by the facet.
_NONE: Final = frozenset({"credits", "profile", "skill"})

_ENUMS: Final[dict[str, type[StrEnum]]] = {
    "field": FieldOfStudy,
    "delivery_mode": DeliveryMode,
    "assessment": AssessmentMethod,
}


def _named(vocabulary: str, value: str, shown: str | None = None) -> Label:
    """``value``'s names in every language that names it; ``shown`` (by default the value
    itself) when none does."""
    found = {language: text for language in vocabularies.languages()
             if (text := vocabularies.names(vocabulary, language).get(value)) is not None}
    return found or _itself(value if shown is None else shown)


def _itself(value: str) -> Label:
    return {language: value for language in vocabularies.languages()}


def facet_label(facet: str, value: str) -> Label:
    """The name of ``value`` of ``facet`` by language, ``{"ja": …, "en": …}`` (providers
    excepted)."""
    if facet in _NONE and value == "none":
        return _named("facet-none", facet)
    if value == "not-stated":
        return _named("facet-none", value)
    if facet in _FIXED:
        return _named(_FIXED[facet], value)
    enum = _ENUMS.get(facet)
    if enum is not None:
        names = labels(enum, value)
        if not names and facet == "field" and isced_f.field_name(value, "en"):
            # A credit-bank target's requirement searches by an ISCED-F field: its name.
            return {language: vocabularies.phrase(
                        "facet-isced-f-field", language, code=value,
                        name=isced_f.field_name(value, language))
                    for language in vocabularies.languages()}
        return names or _itself(value)
    if facet == "language":
        return _named("language", value.split("-", 1)[0].lower(), shown=value)
    if facet == "credits":
        try:
            info = credit_systems()[CreditSystem(value)]
        except ValueError:
            return _itself(value)
        return {language: info.name.text(language) for language in vocabularies.languages()}
    if facet == "profile":
        profile = profiles().get(value)
        if profile is None:
            return _itself(value)
        return {language: profile.name.text(language) for language in vocabularies.languages()}
    if facet == "level":
        framework, _, level = value.partition("-")
        if framework in {item.value for item in LevelFramework} and level.isdigit():
            return {language: vocabularies.phrase("facet-level", language,
                                                  framework=framework, level=level)
                    for language in vocabularies.languages()}
    return _itself(value)
