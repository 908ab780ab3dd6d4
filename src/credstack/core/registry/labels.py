"""People's names for facet values, in Japanese and English.

Descriptor vocabularies (fields, delivery modes, assessment methods) take their names from
:data:`credstack.core.descriptors.labels.VOCABULARY_LABELS`, credit systems from
``credit_systems.yaml`` and framework profiles from their files, so a value is named the same
on every page. Providers are named by the index (from the store); a value nobody has named
(an unknown language tag, say) is labelled with itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from credstack.core.descriptors import isced_f
from credstack.core.descriptors.catalogue import credit_systems
from credstack.core.descriptors.labels import VOCABULARY_LABELS
from credstack.core.descriptors.models import (
    AssessmentMethod,
    CreditSystem,
    DeliveryMode,
    FieldOfStudy,
    LevelFramework,
)
from credstack.core.descriptors.profiles import profiles
from credstack.core.organisations import OrganisationKind

__all__ = ["facet_label"]

Label = dict[str, str]

_NOT_STATED: Final = ("記載なし", "Not stated")

#: Organisation kinds, as the pages name them.
ORGANISATION_KINDS: Final[Mapping[str, tuple[str, str]]] = {
    OrganisationKind.UNIVERSITY: ("大学", "University"),
    OrganisationKind.JUNIOR_COLLEGE: ("短期大学", "Junior college"),
    OrganisationKind.COLLEGE_OF_TECHNOLOGY: ("高等専門学校", "College of technology"),
    OrganisationKind.VOCATIONAL_SCHOOL: ("専門学校", "Vocational school"),
    OrganisationKind.COMPANY: ("企業", "Company"),
    OrganisationKind.ACADEMIC_SOCIETY: ("学会", "Academic society"),
    OrganisationKind.MOOC_PLATFORM: ("MOOC プラットフォーム", "MOOC platform"),
    OrganisationKind.GOVERNMENT: ("行政機関", "Government"),
    OrganisationKind.RECOGNITION_BODY: ("認定機関", "Recognition body"),
    OrganisationKind.OTHER: ("その他", "Other"),
}

#: Languages programmes are most often taught in, by primary subtag.
LANGUAGES: Final[Mapping[str, tuple[str, str]]] = {
    "ja": ("日本語", "Japanese"), "en": ("英語", "English"), "zh": ("中国語", "Chinese"),
    "ko": ("韓国語", "Korean"), "ms": ("マレー語", "Malay"),
    "id": ("インドネシア語", "Indonesian"), "th": ("タイ語", "Thai"),
    "vi": ("ベトナム語", "Vietnamese"), "fr": ("フランス語", "French"),
    "de": ("ドイツ語", "German"), "es": ("スペイン語", "Spanish"),
    "pt": ("ポルトガル語", "Portuguese"), "mi": ("マオリ語", "Māori"),
}

_FIXED: Final[Mapping[str, Mapping[str, tuple[str, str]]]] = {
    "effort_band": {
        "lt-10h": ("10時間未満", "Under 10 hours"),
        "10-29h": ("10〜29時間", "10–29 hours"),
        "30-59h": ("30〜59時間", "30–59 hours"),
        "60-119h": ("60〜119時間", "60–119 hours"),
        "120h-plus": ("120時間以上", "120 hours or more"),
    },
    "price_band": {
        "free": ("無料", "Free"),
        "lt-10k-jpy": ("1万円未満", "Under ¥10,000"),
        "10k-50k-jpy": ("1万〜5万円", "¥10,000–49,999"),
        "50k-100k-jpy": ("5万〜10万円", "¥50,000–99,999"),
        "100k-300k-jpy": ("10万〜30万円", "¥100,000–299,999"),
        "300k-jpy-plus": ("30万円以上", "¥300,000 or more"),
        "other-currency": ("その他の通貨", "Other currency"),
    },
    "recognition": {
        "recognised": ("認定済み（認定機関）", "Recognised by a recognition body"),
        "external-qa": ("外部質保証あり", "External quality assurance"),
        "internal-qa": ("内部質保証のみ", "Internal quality assurance only"),
        "none": ("質保証の記載なし", "No quality assurance stated"),
    },
    "stackable": {
        "yes": ("積み上げ可能", "Stackable"),
        "no": ("積み上げ不可", "Not stackable"),
    },
    "credits": {"none": ("単位なし", "No credits")},
    "profile": {"none": ("適合する枠組みなし", "Conforms to no framework")},
    "skill": {"none": ("スキルの対応付けなし", "Aligned to no skill")},
}

_ENUMS: Final[Mapping[str, type[StrEnum]]] = {
    "field": FieldOfStudy,
    "delivery_mode": DeliveryMode,
    "assessment": AssessmentMethod,
}


def _pair(ja: str, en: str) -> Label:
    return {"ja": ja, "en": en}


def facet_label(facet: str, value: str) -> Label:
    """The name of ``value`` of ``facet`` as ``{"ja": …, "en": …}`` (providers excepted)."""
    fixed = _FIXED.get(facet, {}).get(value)
    if fixed is not None:
        return _pair(*fixed)
    if value in {"not-stated"}:
        return _pair(*_NOT_STATED)
    enum = _ENUMS.get(facet)
    if enum is not None:
        names = VOCABULARY_LABELS[enum].get(value)
        if names is None and facet == "field" and isced_f.field_name(value, "en"):
            # A credit-bank target's requirement searches by an ISCED-F field: its name.
            return _pair(f"{isced_f.field_name(value, 'ja')}（{value}）",
                         f"{isced_f.field_name(value, 'en')} ({value})")
        return _pair(*names) if names else _pair(value, value)
    if facet == "provider_type":
        return _pair(*ORGANISATION_KINDS.get(value, (value, value)))
    if facet == "language":
        names = LANGUAGES.get(value.split("-", 1)[0].lower())
        return _pair(*names) if names else _pair(value, value)
    if facet == "credits":
        try:
            info = credit_systems()[CreditSystem(value)]
        except ValueError:
            return _pair(value, value)
        return _pair(info.name.text("ja"), info.name.text("en"))
    if facet == "profile":
        profile = profiles().get(value)
        if profile is None:
            return _pair(value, value)
        return _pair(profile.name.text("ja"), profile.name.text("en"))
    if facet == "level":
        framework, _, level = value.partition("-")
        if framework in {item.value for item in LevelFramework} and level.isdigit():
            return _pair(f"{framework} レベル{level}", f"{framework} level {level}")
    return _pair(value, value)
