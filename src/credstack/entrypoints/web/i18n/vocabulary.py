"""Labels of the controlled vocabularies and names pages show, as (ja, en)."""

from __future__ import annotations

from enum import StrEnum

from credstack.core.descriptors.findings import Severity
from credstack.core.descriptors.labels import VOCABULARY_LABELS
from credstack.core.descriptors.models import CreditSystem
from credstack.core.descriptors.validation import Requirement, State
from credstack.core.organisations import OrganisationKind
from credstack.core.programmes import Status

#: A (ja, en) pair.
Pair = tuple[str, str]

#: Labels of the controlled vocabularies, by enum type and value, as (ja, en).
LABELS: dict[type[StrEnum], dict[str, Pair]] = {
    **VOCABULARY_LABELS,
    OrganisationKind: {
        "university": ("大学", "University"),
        "junior-college": ("短期大学", "Junior college"),
        "college-of-technology": ("高等専門学校", "College of technology"),
        "vocational-school": ("専門学校", "Vocational school"),
        "company": ("企業", "Company"),
        "academic-society": ("学会", "Academic society"),
        "mooc-platform": ("MOOC プラットフォーム", "MOOC platform"),
        "government": ("行政機関", "Government"),
        "recognition-body": ("認定機関", "Recognition body"),
        "other": ("その他", "Other"),
    },
    Requirement: {
        "required": ("必須", "required"),
        "optional": ("選択", "optional"),
        "not-listed": ("対象外", "not listed"),
    },
    State: {
        "present": ("記載あり", "present"),
        "missing": ("記載なし", "missing"),
        "at-issuance": ("発行時に記載", "at issuance"),
    },
    Severity: {
        "error": ("エラー", "Error"),
        "warning": ("警告", "Warning"),
        "info": ("情報", "Note"),
    },
    Status: {
        "draft": ("下書き", "Draft"),
        "published": ("公開中", "Published"),
    },
}

#: Short column headings for the framework profiles, by profile id.
PROFILE_SHORT_NAMES: dict[str, Pair] = {
    "jp-mc": ("日本提案", "JP proposal"),
    "eu-2022": ("EU", "EU"),
    "au-nmf-2022": ("豪州 NMF", "AU NMF"),
    "my-mqa": ("MQA", "MY MQA"),
    "jp-rishu": ("履修証明", "JP certificate"),
}

#: Units for stated credits ("2 単位", "1 Japanese credit", "3 ECTS"), by credit
#: system: (Japanese, English for one, English for any other number).
CREDIT_UNITS: dict[CreditSystem, tuple[str, str, str]] = {
    CreditSystem.JP_TANI: ("単位", "Japanese credit", "Japanese credits"),
    CreditSystem.ECTS: ("ECTS", "ECTS", "ECTS"),
    CreditSystem.MY_CREDIT: ("MY 単位", "Malaysian credit", "Malaysian credits"),
    CreditSystem.NZ_CREDIT: ("NZ 単位", "New Zealand credit", "New Zealand credits"),
    CreditSystem.US_CREDIT_HOUR: ("米国単位時間", "US credit hour", "US credit hours"),
}

#: Names of the languages programmes are most often taught in, by primary subtag.
LANGUAGE_NAMES: dict[str, Pair] = {
    "ja": ("日本語", "Japanese"),
    "en": ("英語", "English"),
    "zh": ("中国語", "Chinese"),
    "ko": ("韓国語", "Korean"),
    "ms": ("マレー語", "Malay"),
    "id": ("インドネシア語", "Indonesian"),
    "th": ("タイ語", "Thai"),
    "vi": ("ベトナム語", "Vietnamese"),
    "fr": ("フランス語", "French"),
    "de": ("ドイツ語", "German"),
    "es": ("スペイン語", "Spanish"),
    "pt": ("ポルトガル語", "Portuguese"),
}

#: Names of the countries the frameworks and seeds mention, by ISO 3166-1 code.
COUNTRY_NAMES: dict[str, Pair] = {
    "JP": ("日本", "Japan"),
    "AU": ("オーストラリア", "Australia"),
    "MY": ("マレーシア", "Malaysia"),
    "NZ": ("ニュージーランド", "New Zealand"),
    "AE": ("アラブ首長国連邦", "United Arab Emirates"),
    "IN": ("インド", "India"),
    "KR": ("韓国", "South Korea"),
    "TH": ("タイ", "Thailand"),
    "SG": ("シンガポール", "Singapore"),
    "CN": ("中国", "China"),
    "GB": ("英国", "United Kingdom"),
    "US": ("米国", "United States"),
    "DE": ("ドイツ", "Germany"),
    "FR": ("フランス", "France"),
    "IE": ("アイルランド", "Ireland"),
    "NL": ("オランダ", "Netherlands"),
}
