"""What a certificate says, read from an issued OB 3.0 credential, in each of the eight
languages (Japanese and English worded as they always were)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from typing import Any

import pytest

from credstack.core import vocabularies
from credstack.core.certificates import (
    LANGUAGES,
    PDF_CHECK_TITLES,
    SUMMARY,
    certificate_content,
    language_of,
    learner_name,
    read_credential,
    verification_url,
)
from credstack.core.credentials.openbadges_v3 import IssuerProfile, build_open_badge_credential
from credstack.core.creditbank import evaluate
from credstack.core.creditbank.recognised import decision_credential
from credstack.core.descriptors import parse_programme
from credstack.core.descriptors.catalogue import descriptors_by_key
from credstack.core.descriptors.models import Award
from credstack.core.types import MultilingualText
from credstack.errors import InputError, MalformedCredentialError
from credstack.words import words
from tests.core.creditbank.test_engine import JP, TODAY, deposit
from tests.helpers import ORGANISATION, programme

PUBLIC_URL = "https://issuer.example.ac.jp"
CREDENTIAL_ID = "urn:uuid:6f1d6a52-5c1b-4f0e-9a53-8c1ce3b3c0de"
ISSUED = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)


def credential(language: str = "ja", **changes: Any) -> dict[str, Any]:
    award = Award.model_validate({
        "learner": {"name": {"ja": "山田 花子", "en": "Hanako Yamada"},
                    "identifiers": [{"type": "email", "value": "hanako@example.jp"}]},
        "issued_on": "2026-11-28", "grade": "A"})
    issuer = IssuerProfile(id="did:web:issuer.example.ac.jp:organisations:hokuto-tech",
                           name=MultilingualText(ORGANISATION["name"]), slug="hokuto-tech")
    return build_open_badge_credential(
        programme=parse_programme(programme(**changes)), award=award, issuer=issuer,
        credential_id=CREDENTIAL_ID,
        achievement_id=f"{PUBLIC_URL}/achievements/1/v1", valid_from=ISSUED,
        language=language, salt="0123456789abcdef")


def test_a_japanese_certificate_is_written_in_japanese() -> None:
    """Heading, honorific, statement, title, awarding body and date, all in Japanese."""
    content = certificate_content(credential(), language="ja", public_url=PUBLIC_URL)
    assert content.language == "ja"
    assert (content.heading, content.kind) == ("修了証", "マイクロクレデンシャル")
    assert content.learner == "山田 花子 殿"
    assert content.preamble == ""
    assert "修得したことをここに証します" in content.statement
    assert content.programme_title == "実践データサイエンス入門"
    assert content.programme_code == "DS-101"
    assert content.awarding_body == "北都工科大学"
    assert content.issued_on == "2026年11月28日"
    assert content.grade == "A"
    assert content.document_title == "修了証：実践データサイエンス入門"
    assert content.captions.signed_note == "この PDF には北都工科大学の電子署名があります。"


def test_an_english_certificate_is_written_in_english_from_the_same_credential() -> None:
    """The credential's texts are Japanese; the English certificate uses the extension's."""
    content = certificate_content(credential("ja"), language="en", public_url=PUBLIC_URL)
    assert content.heading == "Certificate of Achievement"
    assert content.preamble == "This is to certify that"
    assert content.learner == "Hanako Yamada"
    assert content.programme_title == "Practical Introduction to Data Science"
    assert content.awarding_body == "Hokuto Institute of Technology"
    assert content.issued_on == "28 November 2026"
    assert content.outcomes == ("Clean and visualise data.", "Explain regression analysis.")


@pytest.mark.parametrize(("language", "expected"), [
    ("ja", {"learner_effort": "45 時間・1 単位",
            "form_of_participation": "オンライン・非同期型（オンデマンド）",
            "languages": "日本語", "assessment": "試験、プロジェクト",
            "quality_assurance": "内部質保証（自己点検・評価）",
            "credit_recognition": "単位認定"}),
    ("en", {"learner_effort": "45 hours, 1 Japanese credit",
            "form_of_participation": "Online, Asynchronous (self-paced)",
            "languages": "Japanese", "assessment": "Examination, Project",
            "quality_assurance": "Internal quality assurance",
            "credit_recognition": "Academic credit"}),
])
def test_the_summary_names_and_writes_out_the_descriptors(language: str,
                                                          expected: dict[str, str]) -> None:
    """Each stated descriptor of the summary, named as the catalogue names it, in order."""
    content = certificate_content(credential(), language=language, public_url=PUBLIC_URL)
    assert {row.key: row.value for row in content.summary} == expected
    labels = {row.key: row.label for row in content.summary}
    assert labels["learner_effort"] == ("学習量（総学習時間）" if language == "ja"
                                        else "Learner effort")


def test_more_descriptors_are_summed_up_when_stated() -> None:
    """Levels, certification, stackability and supervision appear when the programme has them."""
    document = credential(
        levels=[{"framework": "EQF", "level": 5}],
        certification={"kinds": ["digital-badge", "certificate"]},
        stackability={"stackable": True, "targets": [
            {"title": {"ja": "データサイエンス修士", "en": "MSc Data Science"},
             "kind": "degree"}]},
        assessment={"methods": ["examination"], "supervision": "unsupervised"})
    rows = {row.key: row.value for row in certificate_content(
        document, language="en", public_url=PUBLIC_URL).summary}
    assert rows["levels"] == "EQF level 5"
    assert rows["certification"] == "Digital badge, Certificate"
    assert rows["stackability"] == "Stackable: MSc Data Science"
    assert rows["assessment"] == "Examination, Unsupervised"
    ja = {row.key: row.value for row in certificate_content(
        document, language="ja", public_url=PUBLIC_URL).summary}
    assert ja["stackability"] == "積み上げ可能：データサイエンス修士"


def test_a_programme_assessed_by_participation_is_a_badge_not_a_micro_credential() -> None:
    content = certificate_content(credential(assessment={"methods": ["participation"]}),
                                  language="en", public_url=PUBLIC_URL)
    assert not content.is_micro_credential
    assert content.kind == "Digital badge"
    assert content.statement == "has completed the programme below."


def test_the_qr_code_leads_to_the_credentials_verification_page() -> None:
    content = certificate_content(credential(), language="ja", public_url=PUBLIC_URL + "/")
    assert content.verify_url == f"{PUBLIC_URL}/verify/{CREDENTIAL_ID}"
    assert f"{PUBLIC_URL}/verify" in content.captions.verify_hint
    assert verification_url(PUBLIC_URL, "https://x.example/c/1 a") == \
        f"{PUBLIC_URL}/verify/https:%2F%2Fx.example%2Fc%2F1%20a"


def test_a_foreign_credential_without_descriptors_still_has_a_certificate() -> None:
    """Only the standard's own fields: the achievement's name, no summary."""
    foreign = {"id": "urn:uuid:1", "issuer": {"id": "did:web:elsewhere.example",
                                             "name": "Elsewhere University"},
               "validFrom": "2025-04-01T00:00:00Z",
               "credentialSubject": {"name": "Jane Doe", "achievement": {
                   "id": "https://elsewhere.example/a/1", "name": "Kitchen Safety"}}}
    content = certificate_content(foreign, language="en", public_url=PUBLIC_URL)
    assert content.programme_title == "Kitchen Safety"
    assert content.awarding_body == "Elsewhere University"
    assert content.learner == "Jane Doe"
    assert content.issued_on == "1 April 2025"
    assert content.summary == () and content.outcomes == ()


def test_a_credential_without_id_or_achievement_is_refused_naming_the_field() -> None:
    with pytest.raises(MalformedCredentialError) as missing_id:
        certificate_content({"credentialSubject": {}}, language="ja", public_url=PUBLIC_URL)
    assert missing_id.value.problems[0].location == "id"
    with pytest.raises(MalformedCredentialError) as no_achievement:
        certificate_content({"id": "urn:uuid:1", "credentialSubject": {"name": "x"}},
                            language="ja", public_url=PUBLIC_URL)
    assert no_achievement.value.problems[0].location == "credentialSubject.achievement"


def test_the_eight_languages_are_offered_and_no_other() -> None:
    assert LANGUAGES == ("ja", "en", "ko", "zh-Hans", "th", "vi", "id", "ms")
    assert language_of("en") == "en" and language_of("zh-Hans") == "zh-Hans"
    with pytest.raises(InputError) as refused:
        language_of("fr")
    assert refused.value.problems[0].location == "language"


#: What a certificate of each of the six other languages says: its heading, the words before
#: the learner's name, its date of issue (CLDR's long date), the summary's first row named,
#: the effort written out (a credit's unit in the language), the awarding body's caption.
SIX = {
    "ko": ("수료증", "", "2026년 11월 28일", "학습량", "45시간, 1 일본 학점", "발급기관"),
    "zh-Hans": ("结业证书", "兹证明", "2026年11月28日", "学习量", "45 小时，1 日本学分",
                "颁发机构"),
    "th": ("ประกาศนียบัตร", "ขอรับรองว่า", "28 พฤศจิกายน ค.ศ. 2026", "ภาระการเรียน",
           "45 ชั่วโมง, 1 หน่วยกิตญี่ปุ่น", "หน่วยงานผู้ออก"),
    "vi": ("Giấy chứng nhận hoàn thành", "Chứng nhận", "28 tháng 11, 2026", "Khối lượng học tập",
           "45 giờ, 1 tín chỉ Nhật Bản", "Đơn vị cấp"),
    "id": ("Sertifikat Penyelesaian", "Dengan ini menyatakan bahwa", "28 November 2026",
           "Beban belajar", "45 jam, 1 kredit Jepang", "Lembaga penerbit"),
    "ms": ("Sijil Pencapaian", "Dengan ini disahkan bahawa", "28 November 2026",
           "Jam pembelajaran pelajar", "45 jam, 1 kredit Jepun", "Badan penganugerah"),
}


@pytest.mark.parametrize("language", list(SIX))
def test_a_certificate_is_written_in_each_other_language(language: str) -> None:
    """The fixed words, the date, the summary's names and values in the language; the
    credential's own texts in English where it has none in that language (no Japanese)."""
    heading, preamble, day, effort_name, effort, awarding = SIX[language]
    content = certificate_content(credential(), language=language, public_url=PUBLIC_URL)
    assert content.language == language
    assert (content.heading, content.preamble, content.issued_on) == (heading, preamble, day)
    assert (content.summary[0].label, content.summary[0].value) == (effort_name, effort)
    assert content.captions.awarding_body == awarding
    assert content.learner == "Hanako Yamada"
    assert content.programme_title == "Practical Introduction to Data Science"
    assert f"{PUBLIC_URL}/verify" in content.captions.verify_hint
    every_word = [content.heading, content.kind, content.statement, content.document_title,
                  *(row.label for row in content.summary), *(row.value for row in content.summary),
                  *(getattr(content.captions, name) for name in content.captions.__slots__)]
    assert not [text for text in every_word if re.search("[ぁ-んァ-ヶ]", text)]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_summarys_names_in_japanese_and_english_are_the_descriptors_names(
        language: str) -> None:
    """The certificate names its rows as it did when it read the descriptors' catalogue."""
    phrases = vocabularies.names("certificate-phrase", language)
    for key in SUMMARY:
        assert phrases[f"row_{key}"] == descriptors_by_key()[key].name.text(language)


@pytest.mark.parametrize(("names", "language", "expected"), [
    (["山田 花子", "Hanako Yamada"], "ja", "山田 花子"),
    (["山田 花子", "Hanako Yamada"], "en", "Hanako Yamada"),
    (["Hanako Yamada"], "ja", "Hanako Yamada"),
    (["やまだ はなこ"], "en", "やまだ はなこ"),
    ([], "en", None),
])
def test_the_learners_name_is_chosen_by_script(names: list[str], language: str,
                                               expected: str | None) -> None:
    assert learner_name(names, language) == expected  # type: ignore[arg-type]


def test_a_vc_jwt_is_read_for_its_credential() -> None:
    """The claims' ``vc`` when there is one, else the claims; garbage is refused."""
    claims = base64.urlsafe_b64encode(json.dumps({"vc": {"id": "urn:uuid:1"}}).encode())
    token = f"eyJhbGciOiJFZERTQSJ9.{claims.decode().rstrip('=')}.c2ln"
    assert read_credential(token) == {"id": "urn:uuid:1"}
    assert read_credential(' {"id": "urn:uuid:2"} ') == {"id": "urn:uuid:2"}
    for bad in ("not a credential", "[1, 2]", "a.b.c"):
        with pytest.raises(MalformedCredentialError):
            read_credential(bad)


def test_the_pdf_checks_have_titles_in_both_languages() -> None:
    assert PDF_CHECK_TITLES["pdf-signature"] == ("PDF signature", "PDF の電子署名")
    assert set(PDF_CHECK_TITLES) == {"pdf-signature", "pdf-credential", "pdf-timestamp",
                                     "pdf-revocation"}


SEVEN_OUTCOMES = [{"statement": {"ja": f"成果 {n} を説明できる。", "en": f"Explain outcome {n}."}}
                  for n in range(1, 8)]


@pytest.mark.parametrize(("language", "first"), [("ja", "成果 1 を説明できる。"),
                                                 ("en", "Explain outcome 1.")])
def test_a_certificate_carries_every_learning_outcome_in_its_language(language: str,
                                                                      first: str) -> None:
    """All seven outcomes, none cut, in the certificate's language."""
    content = certificate_content(credential(learning_outcomes=SEVEN_OUTCOMES),
                                  language=language, public_url=PUBLIC_URL)
    assert len(content.outcomes) == 7 and content.outcomes[0] == first


@pytest.mark.parametrize(("language", "heading", "title", "statement"), [
    ("ja", "単位認定証", "単位認定：学士課程 に向けて 124 単位中 4 単位",
     "修了を証するものではありません"),
    ("en", "Certificate of Credit Recognition",
     "Credit recognised: 4 of 124 credits toward Bachelor's programme",
     "does not certify that the programme was completed")])
def test_a_credit_recognitions_certificate_says_what_was_recognised_not_a_completion(
        language: str, heading: str, title: str, statement: str) -> None:
    """The PDF of a credit bank's decision is a certificate of credit recognition, titled by
    what was recognised toward what in its language — not a certificate of completion of the
    programme (issue 51, defect 1)."""
    decision = evaluate(JP, [deposit("a", "other-university", "4")], today=TODAY).to_dict(words)
    credential = {**decision_credential(
        target_url="https://mc.example.jp/api/creditbank/targets/t1",
        title={"ja": "学士課程", "en": "Bachelor's programme"}, email="hanako@example.jp",
        salt="5a1t", decision=decision, adjustments=[], words=words),
        "id": "urn:uuid:1", "issuer": {"id": "did:web:mc.example.jp", "name": "Hokuto"},
        "validFrom": "2026-11-23T00:00:00Z"}
    content = certificate_content(credential, language=language, public_url=PUBLIC_URL)
    assert content.heading == heading
    assert content.programme_title == title
    assert statement in content.statement
    assert title in content.document_title
