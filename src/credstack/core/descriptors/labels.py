"""People's names for the descriptor vocabularies, in Japanese and English.

One table for every place that shows a code to a person: the web pages, the CLI and the
readable parts of an issued credential.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from credstack.core.descriptors.models import (
    AssessmentMethod,
    CertificationKind,
    CreditRecognitionKind,
    DeliveryMode,
    FieldOfStudy,
    IdentifierType,
    LevelFramework,
    Pace,
    QualityAssuranceKind,
    QualityAssuranceScope,
    SkillTargetType,
    StackTargetKind,
    Supervision,
)

#: Labels by enum type and value, as (ja, en).
VOCABULARY_LABELS: Final[dict[type[StrEnum], dict[str, tuple[str, str]]]] = {
    DeliveryMode: {
        "online": ("オンライン", "Online"),
        "onsite": ("対面", "On site"),
        "blended": ("ブレンド型（対面とオンライン）", "Blended (on site and online)"),
    },
    Pace: {
        "synchronous": ("同期型（ライブ）", "Synchronous (live)"),
        "asynchronous": ("非同期型（オンデマンド）", "Asynchronous (self-paced)"),
        "mixed": ("同期・非同期の併用", "Mixed"),
    },
    AssessmentMethod: {
        "examination": ("試験", "Examination"),
        "quiz": ("小テスト", "Quiz"),
        "assignment": ("課題", "Assignment"),
        "report": ("レポート", "Report"),
        "project": ("プロジェクト", "Project"),
        "portfolio": ("ポートフォリオ", "Portfolio"),
        "practical": ("実技・実習", "Practical"),
        "presentation": ("発表", "Presentation"),
        "oral": ("口頭試問", "Oral examination"),
        "peer-review": ("ピアレビュー", "Peer review"),
        "participation": ("参加のみ", "Participation only"),
    },
    Supervision: {
        "unsupervised": ("監督なし", "Unsupervised"),
        "supervised-no-identity-check": ("監督あり（本人確認なし）",
                                         "Supervised, without identity check"),
        "supervised-online-identity-check": ("オンラインで監督・本人確認あり",
                                             "Supervised online, with identity check"),
        "supervised-onsite-identity-check": ("対面で監督・本人確認あり",
                                             "Supervised on site, with identity check"),
    },
    QualityAssuranceKind: {
        "internal": ("内部質保証（自己点検・評価）", "Internal quality assurance"),
        "external": ("外部質保証（第三者評価）", "External quality assurance"),
    },
    QualityAssuranceScope: {
        "institution": ("機関", "Institution"),
        "programme": ("プログラム", "Programme"),
    },
    LevelFramework: {
        "JEQF": ("日本の資格枠組み（JEQF）", "Japanese qualifications framework (JEQF)"),
        "EQF": ("欧州資格枠組み（EQF）", "European Qualifications Framework (EQF)"),
        "AQF": ("オーストラリア資格枠組み（AQF）", "Australian Qualifications Framework (AQF)"),
        "MQF": ("マレーシア資格枠組み（MQF）", "Malaysian Qualifications Framework (MQF)"),
        "NZQF": ("ニュージーランド資格枠組み（NZQF）",
                 "New Zealand Qualifications Framework (NZQF)"),
    },
    SkillTargetType: {
        "CFItem": ("CASE の項目（CFItem）", "CASE item (CFItem)"),
        "ceasn:Competency": ("CTDL-ASN のコンピテンシー", "CTDL-ASN competency"),
    },
    CertificationKind: {
        "digital-badge": ("デジタルバッジ", "Digital badge"),
        "verifiable-credential": ("検証可能なクレデンシャル（VC）", "Verifiable credential"),
        "certificate": ("修了証", "Certificate"),
        "transcript": ("成績証明書", "Transcript"),
        "rishu-shomei": ("履修証明書", "Certificate of a 履修証明 programme"),
    },
    CreditRecognitionKind: {
        "academic-credit": ("単位認定", "Academic credit"),
        "credit-transfer": ("単位互換・編入", "Credit transfer"),
        "recognition-of-prior-learning": ("既修得学修の認定（RPL）",
                                          "Recognition of prior learning"),
        "professional-development": ("職業上の継続研鑽（CPD）",
                                     "Continuing professional development"),
        "industry-recognition": ("業界による認定", "Industry recognition"),
        "none": ("なし", "None"),
    },
    StackTargetKind: {
        "degree": ("学位", "Degree"),
        "certificate-programme": ("履修証明プログラム等", "Certificate programme"),
        "micro-credential": ("マイクロクレデンシャル", "Micro-credential"),
        "professional-qualification": ("職業資格", "Professional qualification"),
        "other": ("その他", "Other"),
    },
    FieldOfStudy: {
        "medical-welfare": ("医療・福祉", "Medicine and welfare"),
        "business": ("ビジネス・経営", "Business"),
        "digital": ("デジタル・情報", "Digital"),
        "science-engineering": ("理学・工学", "Science and engineering"),
        "semiconductors": ("半導体", "Semiconductors"),
        "green": ("グリーン（環境・エネルギー）", "Green (environment and energy)"),
        "regional": ("地域創生", "Regional development"),
        "social-sciences": ("社会科学", "Social sciences"),
        "education": ("教育", "Education"),
        "humanities": ("人文科学", "Humanities"),
        "languages": ("語学", "Languages"),
        "law-politics": ("法律・政治", "Law and politics"),
        "home-economics": ("家政", "Home economics"),
        "arts": ("芸術", "Arts"),
        "sports": ("スポーツ", "Sports"),
        "hobbies": ("趣味・教養", "Hobbies and general interest"),
        "other": ("その他", "Other"),
    },
    IdentifierType: {
        "email": ("メールアドレス", "Email address"),
        "student-id": ("学籍番号", "Student ID"),
        "national-id": ("公的な識別番号", "National ID"),
        "url": ("URL", "URL"),
        "did": ("DID", "DID"),
        "other": ("その他", "Other"),
    },
}


def label(value: StrEnum, language: str) -> str:
    """The name of ``value`` in ``language`` (Japanese for ``ja``, else English)."""
    ja, en = VOCABULARY_LABELS[type(value)][value.value]
    return ja if language == "ja" else en
