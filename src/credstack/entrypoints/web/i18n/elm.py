"""What a European Digital Credential (ELM v3) says, as the verifier and the wallet show it:
messages as (ja, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "edc.heading": ("欧州デジタル証明書（ELM v3）の内容",
                    "What the European Digital Credential (ELM v3) states"),
    "edc.note": (
        "欧州学習モデル（ELM v3）で記述された証明書です。学習成果・単位・資格枠組みのレベルは"
        "証明書の記載どおりに表示しています。",
        "A credential described by the European Learning Model (ELM v3). Learning outcomes, "
        "credits and framework levels are shown as the credential states them.",
    ),
    "edc.claim.LearningAchievement": ("学習成果の達成", "Learning achievement"),
    "edc.claim.LearningActivity": ("学習活動への参加", "Learning activity"),
    "edc.claim.LearningEntitlement": ("学習による権利", "Learning entitlement"),
    "edc.claim.LearningAssessment": ("評価", "Assessment"),
    "edc.spec.Qualification": ("資格", "Qualification"),
    "edc.spec.LearningAchievementSpecification": ("学習成果の仕様",
                                                  "Learning achievement specification"),
    "edc.spec.LearningActivitySpecification": ("学習活動の仕様", "Learning activity specification"),
    "edc.specification": ("仕様", "Specification"),
    "edc.description": ("説明", "Description"),
    "edc.eqf": ("EQF レベル", "EQF level"),
    "edc.eqf_value": ("EQF レベル {level}", "EQF level {level}"),
    "edc.nqf": ("各国の資格枠組みのレベル", "National framework level"),
    "edc.field": ("分野（ISCED-F 2013）", "Field (ISCED-F 2013)"),
    "edc.credits": ("単位", "Credits"),
    "edc.credit_value": ("{points}（{framework}）", "{points} ({framework})"),
    "edc.ects_total": ("ECTS 単位の合計", "ECTS credits in all"),
    "edc.volume": ("学習量", "Volume of learning"),
    "edc.awarded": ("授与日", "Awarded on"),
    "edc.grade": ("成績", "Grade"),
    "edc.outcomes": ("学習成果", "Learning outcomes"),
    "edc.esco": ("ESCO スキル", "ESCO skills"),
    "edc.parts": ("構成する学習成果（{count} 件）", "Parts ({count})"),
    "edc.issuer_country": ("発行者の国", "Issuer's country"),
    "edc.none": ("記載なし", "Not stated"),
    "edc.envelope": ("形式", "Envelope"),
    "edc.envelope.elm-3.1": ("ELM 3.1（欧州委員会の形式、VC データモデル 1.1）",
                             "ELM 3.1 (the European Commission's, VC Data Model 1.1)"),
    "edc.envelope.elm-3.2": ("ELM 3.2（EBSI の形式、VC データモデル 2.0）",
                             "ELM 3.2 (EBSI's, VC Data Model 2.0)"),
    "edc.envelope.unknown": ("ELM 3.1 でも 3.2 でもない形式", "Neither ELM 3.1 nor ELM 3.2"),
    "edc.levels_elsewhere": ("他の資格枠組みでのレベル（レベル対応表による）",
                             "The EQF level in other frameworks (by the level crosswalk)"),
    "edc.no_reading": ("対応なし（公表された対応がありません）", "no reading (none published)"),
}
