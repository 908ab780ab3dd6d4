"""A verdict a person can read: who earned what from whom, and, in plain words, what is wrong.

The verification page and ``credstack verify`` open with the same headline, made here from the
:class:`~credstack.core.verification.report.VerificationReport` alone (a pure function:
:func:`verdict_of`):

* the **outcome** — verified; verified with warnings (authentic, but it breaks Open Badges
  3.0 shape rules: see the verdict policy in :mod:`credstack.core.verification.report`);
  not verified (something about it is proven wrong); or could not be checked (nothing is
  proven wrong, but a DID document, a status list, a context or a blockchain record it
  needs was out of reach: the reason says which, and how to get it);
* **who earned what from whom** — the learner's name, the achievement's and the issuer's, as
  the credential states them (the issuer's by the registry's record when the achievement is
  one of this registry's and the issuer is the organisation that registered it). A DID is
  never the name: it is kept apart (:attr:`Verdict.issuer_id`) for the detail. A credential
  whose issuer's signature does not verify only *claims* these, and the statement says so
  (an expired or revoked one was still signed by its issuer: what it states is so);
* **what is wrong**, plainly — "revoked by its issuer, as its status list showed on …",
  "expired on …", "not yet valid until …", "changed after signing" — one :class:`Reason` per
  check that failed the verdict, and, for a credential verified with warnings, one per
  conformance finding. Reasons are plain sentences: the check codes, DIDs, URLs and
  exception texts stay in the report's checks (the details a page or the CLI shows apart).

Everything is in English and Japanese; dates are written as people read them
(:func:`credstack.core.dates.day_text`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from credstack.core import vocabularies
from credstack.core.certificates.models import PDF_CHECK_TITLES
from credstack.core.credentials.openbadges_v3 import learner_name
from credstack.core.dates import day_text
from credstack.core.verification.report import (
    CHECK_TITLES,
    Check,
    Decision,
    VerificationReport,
)

__all__ = ["Outcome", "Reason", "Verdict", "untrusted", "verdict_of"]

#: The language tag of a name whose language is not stated.
_UNDETERMINED: Final = "und"


class Outcome(StrEnum):
    VERIFIED = "verified"
    #: Authentic, with conformance findings that do not fail the verdict (not ``strict``).
    WITH_WARNINGS = "verified-with-warnings"
    #: Something about it is proven wrong: tampered, revoked, expired, not a credential …
    NOT_VERIFIED = "not-verified"
    #: Nothing is proven wrong, but something it needs was out of reach.
    UNDECIDED = "could-not-be-checked"

    @property
    def trusted(self) -> bool:
        """Whether a credential with this outcome may be relied on (verified, with or
        without warnings)."""
        return self in {Outcome.VERIFIED, Outcome.WITH_WARNINGS}


_TITLES: Final[Mapping[Outcome, tuple[str, str]]] = {
    Outcome(value): titles
    for value, titles in vocabularies.pairs("verification-outcome", "en", "ja").items()}


@dataclass(frozen=True, slots=True)
class Reason:
    """One thing wrong with the credential, in plain words; ``code`` says which
    (``revoked``, ``expired``, ``altered`` … or the failed check's own code)."""

    check: str
    code: str
    en: str
    ja: str

    def text(self, language: str) -> str:
        return self.ja if language == "ja" else self.en


@dataclass(frozen=True, slots=True)
class Verdict:
    """The headline of one verification: the outcome, who earned what from whom, and why."""

    outcome: Outcome
    #: The learner's names as stated, one per script (see :func:`learner_name`).
    learner_names: tuple[str, ...] = ()
    #: The achievement's name by language (``und``: the language is not stated).
    achievement: Mapping[str, str] = field(default_factory=dict)
    #: The issuer's name by language (``und``: the language is not stated).
    issuer: Mapping[str, str] = field(default_factory=dict)
    #: The issuer's identifier (a DID or URL): a detail, never the name.
    issuer_id: str | None = None
    #: Why it is not verified; or, verified with warnings, the conformance findings.
    reasons: tuple[Reason, ...] = ()
    #: Whether its issuer's signature verified (what it states is the issuer's word), even
    #: if the credential is not verified (expired, revoked …).
    signed: bool = False

    @property
    def verified(self) -> bool:
        return self.outcome.trusted

    @property
    def attested(self) -> bool:
        """Whether what it states is its issuer's word (verified, or signed by its issuer
        and failed on another check): only then may marks of trust be set beside it (see
        :attr:`~credstack.core.verification.report.VerificationReport.attested`)."""
        return self.verified or self.signed

    def title(self, language: str) -> str:
        """``Verified`` / ``Verified, with warnings`` / ``Not verified`` / ``Could not be
        checked``."""
        en, ja = _TITLES[self.outcome]
        return ja if language == "ja" else en

    def learner(self, language: str) -> str | None:
        return learner_name(self.learner_names, language)

    def achievement_name(self, language: str) -> str | None:
        return _in(self.achievement, language)

    def issuer_name(self, language: str) -> str | None:
        return _in(self.issuer, language)

    def statement(self, language: str) -> str | None:
        """Who earned what from whom — or, when not verified, who it *claims* earned it;
        ``None`` when the credential names none of them."""
        learner, achievement = self.learner(language), self.achievement_name(language)
        issuer = self.issuer_name(language)
        if learner is None and achievement is None and issuer is None:
            return None
        claimed = not (self.verified or self.signed)
        if language == "ja":
            by = issuer or "名称の記載のない発行者"
            phrase = (f"{by}が{learner}に授与した" if learner else f"{by}が授与した") + (
                f"「{achievement}」" if achievement else "証明書")
            return phrase + ("と記載されています。" if claimed else "です。")
        what = f"“{achievement}”," if achievement else "a credential"
        to = f" to {learner}" if learner else ""
        phrase = f"{what} awarded{to} by {issuer or 'an issuer that states no name'}"
        if claimed:
            return f"It claims to be {phrase}."
        return f"{phrase[0].upper()}{phrase[1:]}."

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "title": {"en": self.title("en"), "ja": self.title("ja")},
            "statement": {"en": self.statement("en"), "ja": self.statement("ja")},
            "learner": list(self.learner_names),
            "achievement": dict(self.achievement),
            "issuer": {"names": dict(self.issuer), "id": self.issuer_id},
            "signed": self.signed,
            "reasons": [{"check": r.check, "code": r.code, "en": r.en, "ja": r.ja}
                        for r in self.reasons],
        }


def _in(names: Mapping[str, str], language: str) -> str | None:
    """The name in ``language``, else the one of no stated language, else any."""
    for tag in (language, _UNDETERMINED):
        if names.get(tag):
            return names[tag]
    return next((name for name in names.values() if name), None)


# --- reading the report --------------------------------------------------------------------

def _names(value: object) -> dict[str, str]:
    """A name as the credential or the registry states it: a string (language not stated) or
    a language map."""
    if isinstance(value, str) and value.strip():
        return {_UNDETERMINED: value.strip()}
    if isinstance(value, Mapping):
        return {str(tag): text.strip() for tag, text in value.items()
                if isinstance(text, str) and text.strip()}
    return {}


def _moment(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def _day(moment: dt.datetime | None, language: str) -> str | None:
    if moment is None:
        return None
    utc = moment.astimezone(dt.UTC) if moment.tzinfo is not None else moment
    return day_text(utc.date(), language)


def _checked_on(report: VerificationReport) -> dt.datetime | None:
    """When the verification ran, as the validity check states it."""
    validity = report.check("validity")
    return _moment(validity.details.get("now")) if validity is not None else None


def _bound(check: Check, names: tuple[str, str]) -> dt.datetime | None:
    for name in names:
        moment = _moment(check.details.get(name))
        if moment is not None:
            return moment
    return None


def _title(check: Check) -> tuple[str, str]:
    return CHECK_TITLES.get(check.name) or PDF_CHECK_TITLES.get(check.name) or (check.name,
                                                                              check.name)


def _reason(check: Check, report: VerificationReport) -> Reason:
    """What the failed ``check`` means, in plain words."""
    code = check.code or check.name

    def said(en: str, ja: str, what: str = code) -> Reason:
        return Reason(check.name, what, en, ja)

    if check.name == "status" and code in {"revoked", "suspended"}:
        checked = _checked_on(report)
        on_en, on_ja = _day(checked, "en"), _day(checked, "ja")
        if code == "revoked":
            return said("Revoked by its issuer" + (f", as its status list showed on {on_en}."
                                                   if on_en else "."),
                        "発行者により失効されています" + (
                            f"（{on_ja}時点のステータスリストによる）。" if on_ja else "。"))
        return said("Suspended by its issuer" + (f", as its status list showed on {on_en}."
                                                 if on_en else "."),
                    "発行者により一時停止されています" + (
                        f"（{on_ja}時点のステータスリストによる）。" if on_ja else "。"))
    if check.name == "status":
        return said("Whether it has been revoked cannot be told: its status information is "
                    "not usable.",
                    "失効しているかどうか判断できません（ステータス情報が利用できません）。")
    if check.name == "validity" and code == "expired":
        end = _bound(check, ("validUntil", "expirationDate"))
        if end is not None:
            return said(f"Expired on {_day(end, 'en')}.", f"{_day(end, 'ja')}に有効期限が"
                                                           "切れています。")
    if check.name == "validity" and code == "not-yet-valid":
        start = _bound(check, ("validFrom", "issuanceDate"))
        if start is not None:
            return said(f"Not yet valid until {_day(start, 'en')}.",
                        f"{_day(start, 'ja')}まで有効ではありません。")
    if (check.name, code) in {("proof", "signature"), ("pdf-signature", "signature"),
                              ("pdf-signature", "altered"),
                              ("pdf-signature", "modified-after-signing")}:
        return said("Changed after signing: the signature does not match what it says.",
                    "署名の後に内容が変更されています（署名が一致しません）。", "altered")
    if check.name == "proof" and code == "missing-proof":
        return said("It is not signed: anyone could have written it.",
                    "署名がありません。誰でも作成できる内容です。")
    if check.name == "proof" and code == "unresolvable-method":
        return said("The key it was signed with is not one its issuer publishes.",
                    "署名に使われた鍵は、発行者が公開している鍵ではありません。")
    if check.name == "issuer" and code == "issuer-mismatch":
        # The proof check passed: what is wrong is who signed, not what was signed.
        return said("It was not signed by the issuer it names: the signature itself is intact "
                    "(nothing changed after signing), but the key that made it is not the "
                    "issuer's.",
                    "記載されている発行者ではない者が署名しています（署名自体は有効で、署名後の"
                    "変更はありませんが、署名した鍵は発行者のものではありません）。")
    if check.name in {"open-badges", "credential-schema", "elm-shapes"}:
        rules_en, rules_ja = {
            "open-badges": ("the Open Badges 3.0 rules", "Open Badges 3.0 の規則"),
            "elm-shapes": ("the European Digital Credential profile (SHACL shapes)",
                           "欧州デジタル証明書のプロファイル（SHACL）"),
        }.get(check.name, ("the JSON Schema it names", "指定された JSON スキーマ"))
        problems = [p for p in check.details.get("problems", ()) if isinstance(p, Mapping)]
        if problems:
            first = f"{problems[0].get('location')}: {problems[0].get('message')}"
            more = len(problems) - 1
            return said(f"It does not follow {rules_en}: {first}"
                        + (f" (and {more} more)." if more else "."),
                        f"{rules_ja}に適合しません：{first}"
                        + (f"（ほか {more} 件）。" if more else "。"))
    plain = _PLAIN.get((check.name, code)) or _PLAIN.get((check.name, ""))
    if plain is not None:
        return said(*plain)
    title_en, title_ja = _title(check)
    return said(f"It did not pass the check “{title_en}”.",
                f"「{title_ja}」の確認で問題が見つかりました。")


#: What a failed check means in plain words, by (check, code); ``(check, "")`` for any other
#: code of that check. The technical reason stays in the check (the details).
_PLAIN: Final[Mapping[tuple[str, str], tuple[str, str]]] = {
    ("parse", ""): ("It is not a credential credstack can read.",
                    "credstack が読み取れる証明書ではありません。"),
    ("data-model", ""): ("It is not a well-formed verifiable credential.",
                         "検証可能な証明書（VC）の形式に従っていません。"),
    ("contexts", ""): ("Its vocabulary (JSON-LD contexts) cannot be read safely.",
                       "用語の定義（JSON-LD コンテキスト）を安全に読み取れません。"),
    ("proof", "unsupported-proof"): ("It is signed in a way credstack does not verify.",
                                     "credstack が検証できない方式で署名されています。"),
    ("proof", "undefined-term"): ("It holds terms its own vocabulary does not define, so its "
                                  "signature would not cover them.",
                                  "用語の定義にない項目があり、署名の対象になりません。"),
    ("proof", "proof-expired"): ("Its signature has expired.", "署名の有効期限が切れています。"),
    ("proof", "base-proof"): ("It is the issuer's base copy, not one its holder prepared for "
                              "sharing: ask the holder for the shared copy.",
                              "発行者が保有者に渡す元の証明書です。保有者が共有用に作成した"
                              "ものを求めてください。"),
    ("proof", "unsecured-jwt"): ("It is not signed: anyone could have written it.",
                                 "署名がありません。誰でも作成できる内容です。"),
    ("proof", "disclosure"): ("Part of what it discloses was not signed by its issuer.",
                              "開示された内容の一部は発行者が署名したものではありません。"),
    ("proof", "key-binding"): ("The proof that its holder presented it does not verify.",
                               "提示者本人による提示であることを確認できません。"),
    ("proof", ""): ("Its signature cannot be verified: it is malformed.",
                    "署名の形式が正しくないため、検証できません。"),
    ("proof", "unsealed"): ("It carries no seal: anyone could have written it.",
                            "封印がありません。誰でも作成できる内容です。"),
    ("parse", "jades-b64"): ("Its seal is not made as the European Digital Credential "
                             "profile requires (an unencoded payload, b64: false).",
                             "欧州デジタル証明書のプロファイルが定める形式（b64: false）で封印"
                             "されていません。"),
    ("issuer", "certificate-expired-at-signing"): (
        "It was sealed after its seal certificate had expired.",
        "封印の証明書の有効期限が切れた後に封印されています。"),
    ("issuer", "untrusted-seal"): ("Its seal does not come from a certificate authority this "
                                   "server trusts.",
                                   "このサーバーが信頼する認証局の封印ではありません。"),
    ("contexts", "context-clash"): ("Its vocabularies (JSON-LD contexts) contradict each other, "
                                    "so what it says cannot be read reliably.",
                                    "用語の定義（JSON-LD コンテキスト）同士が矛盾しており、内容を"
                                    "確実に読み取れません。"),
    ("issuer", ""): ("It was not signed by the issuer it names.",
                     "記載されている発行者が署名していません。"),
    ("validity", ""): ("Its validity dates are not valid.", "有効期間の記載が正しくありません。"),
}


def _undecided(check: Check) -> Reason:
    """Why the undecided ``check`` could not be checked, and how to get what is missing."""
    missing = check.missing
    assert missing is not None
    host = missing.host
    code = check.code or check.name

    def said(en: str, ja: str) -> Reason:
        return Reason(check.name, code, en, ja)

    if missing.what == "blockchain":
        return said("It is secured by a record on a blockchain, which credstack does not read. "
                    "Check it with a verifier that reads that blockchain (for Blockcerts, the "
                    "Blockcerts verifier).",
                    "ブロックチェーン上の記録で保護された証明書ですが、credstack はブロック"
                    "チェーンを参照しません。そのブロックチェーンを参照できる検証ツール"
                    "（Blockcerts の場合は Blockcerts の検証ツール）で確認してください。")
    if missing.what == "trust-list":
        return said("Who stands behind its seal is not known: this server has no list of "
                    "trusted e-seal certificate authorities (the EU trusted lists are not read "
                    "offline). An administrator can configure one.",
                    "封印の発行元が信頼できるか確認できません。このサーバーには信頼する e シール"
                    "認証局の一覧が設定されていません（EU のトラステッドリストはオフラインでは"
                    "参照しません）。管理者が設定できます。")
    if missing.what == "context":
        return said("It uses a vocabulary (a JSON-LD context) this server does not hold, and "
                    "credstack never fetches one. An administrator can add it to the contexts "
                    "this server holds.",
                    "このサーバーが保持していない用語の定義（JSON-LD コンテキスト）を使って"
                    "います。credstack はこれをネットワークから取得しません。管理者が保持する"
                    "コンテキストに追加できます。")
    status = check.name == "status" or missing.what == "status-list"
    if status:
        lead_en, lead_ja = ("Whether it has been revoked is not known: ",
                            "失効しているかどうか確認できません。")
        thing_en = "its status list" + (f" ({host})" if host else "")
        thing_ja = "ステータスリスト" + (f"（{host}）" if host else "")
        if missing.what == "key":
            thing_en = "the key its status list is signed with" + (f" ({host})" if host else "")
            thing_ja = "ステータスリストの署名の鍵" + (f"（{host}）" if host else "")
    elif missing.what == "document":
        lead_en, lead_ja = "", ""
        thing_en = "the issuer's copy of it" + (f" (at {host})" if host else "")
        thing_ja = "発行者が公開している証明書" + (f"（{host}）" if host else "")
    else:
        lead_en, lead_ja = "", ""
        thing_en = "its issuer's signing key" + (f" (published at {host})" if host else "")
        thing_ja = "発行者の署名の鍵" + (f"（{host} で公開）" if host else "")
    if missing.why == "offline":
        en = (f"{thing_en} is published online, and nothing is fetched in offline mode. "
              "Verify it again with network access.")
        ja = (f"{thing_ja}はオンラインで公開されていますが、オフラインで検証したため取得して"
              "いません。ネットワークに接続して再度検証してください。")
    elif missing.why == "not-allowed":
        en = f"this server may not fetch {thing_en}. An administrator can allow it."
        ja = (f"このサーバーは{thing_ja}を取得することを許可されていません。"
              "管理者が許可できます。")
    elif missing.why == "not-found":
        en = f"{thing_en} is no longer published. Ask the issuer."
        ja = f"{thing_ja}は公開されていません。発行者にお問い合わせください。"
    elif missing.why == "unsupported":
        en = (f"{thing_en} is published in a way credstack cannot read (a kind of DID it does "
              "not resolve). Check it with a verifier that supports it.")
        ja = (f"{thing_ja}は credstack が読み取れない方式（対応していない種類の DID）で"
              "公開されています。対応している検証ツールで確認してください。")
    elif missing.why == "unreadable":
        en = f"{thing_en} could not be read. Ask the issuer."
        ja = f"{thing_ja}を読み取れませんでした。発行者にお問い合わせください。"
    elif status:  # unreachable, server
        published_en = ("the key its status list is signed with" if missing.what == "key"
                        else "its status list")
        published_ja = ("ステータスリストの署名の鍵" if missing.what == "key"
                        else "ステータスリスト")
        where = f" ({host})" if host else ""
        en = (f"the site that publishes {published_en}{where} could not be reached. Try again "
              "later.")
        ja = (f"{published_ja}を公開しているサイト{f'（{host}）' if host else ''}に接続"
              "できませんでした。時間をおいて再度お試しください。")
    elif missing.what == "document":  # unreachable, server
        en = (f"The issuer's site{f' ({host})' if host else ''} could not be reached, so "
              "its copy of the badge could not be read. Try again later.")
        ja = (f"発行者のサイト{f'（{host}）' if host else ''}に接続できず、公開されている"
              "証明書を読み取れませんでした。時間をおいて再度お試しください。")
    else:  # unreachable, server
        en = (f"The issuer's site{f' ({host})' if host else ''} could not be reached, so the "
              "key it signs with could not be read. Try again later.")
        ja = (f"発行者のサイト{f'（{host}）' if host else ''}に接続できず、署名の鍵を"
              "読み取れませんでした。時間をおいて再度お試しください。")
    if lead_en:
        return said(lead_en + en, lead_ja + ja)
    return said(en[0].upper() + en[1:], ja)


def _issuer(report: VerificationReport) -> dict[str, str]:
    """The issuer's names: the registry's, when the achievement is one of this registry's and
    the issuer is the organisation that registered it; else the credential's."""
    meaning = report.meaning
    if meaning is None:
        return {}
    registry = meaning.registry or {}
    if meaning.issuer_id is not None and registry.get("organisation_did") == meaning.issuer_id:
        registered = _names(registry.get("organisation_name"))
        if registered:
            return registered
    return _names(meaning.issuer_name)


def _achievement(report: VerificationReport) -> dict[str, str]:
    """The achievement's names: every language of the credstack extension's title, else the
    Open Badges ``name``."""
    meaning = report.meaning
    if meaning is None:
        return {}
    title = _names((meaning.descriptors or {}).get("title"))
    return title or _names(meaning.achievement_name)


def verdict_of(report: VerificationReport) -> Verdict:
    """The headline of ``report``: its outcome, who earned what from whom, and why not."""
    decision = report.decision
    if decision is Decision.UNDECIDED:
        outcome = Outcome.UNDECIDED
        reasons = (tuple(dict.fromkeys(_undecided(check) for check in report.undecided))
                   or tuple(_reason(check, report) for check in report.errors))
    elif decision is Decision.NOT_VERIFIED:
        outcome = Outcome.NOT_VERIFIED
        failed = report.failed or report.errors
        reasons = tuple(dict.fromkeys(_reason(check, report) for check in failed))
    elif report.findings:
        outcome = Outcome.WITH_WARNINGS
        reasons = tuple(_reason(check, report) for check in report.findings)
    else:
        outcome, reasons = Outcome.VERIFIED, ()
    meaning = report.meaning
    issuer = report.check("issuer")
    return Verdict(outcome=outcome,
                   learner_names=meaning.learner_names if meaning is not None else (),
                   achievement=_achievement(report), issuer=_issuer(report),
                   issuer_id=meaning.issuer_id if meaning is not None else None,
                   reasons=reasons, signed=issuer is not None and issuer.passed)


def untrusted(verdict: Verdict, *, state: str, en: str, ja: str) -> Verdict:
    """``verdict`` where the operator relies only on issuers a trusted registry lists
    (``CREDSTACK_REQUIRE_TRUSTED``) and this one's is not listed (``state``, said by the trust
    line ``en`` / ``ja``): a verified credential is not verified, or could not be checked when
    a registry could not be read (``unknown``). Any other verdict stands as it is."""
    if not verdict.verified or state == "listed":
        return verdict
    outcome = Outcome.UNDECIDED if state == "unknown" else Outcome.NOT_VERIFIED
    return dataclasses.replace(verdict, outcome=outcome,
                               reasons=(Reason("trust", state, en, ja),))
