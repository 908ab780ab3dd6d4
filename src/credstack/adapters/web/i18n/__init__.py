"""The pages' two languages: the ja/en message catalogue, vocabulary labels and negotiation.

A visitor's language is, in order: ``?lang=ja|en`` (which is also remembered in the ``lang``
cookie), the ``lang`` cookie, the best supported match in ``Accept-Language``, and Japanese.

Everything a page says goes through a :class:`Translator` bound to that language, so that a
template never chooses between ``ja`` and ``en`` itself: ``t("nav.programmes")`` for
messages, ``t.label(value)`` for the controlled vocabularies of the descriptor model,
``t.text(multilingual)`` for what providers wrote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Literal, get_args

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response

from credstack.adapters.db.repositories.programmes import Status
from credstack.adapters.web.i18n import accounts as accounts_messages
from credstack.adapters.web.i18n import review as recognition_messages
from credstack.core.descriptors.catalogue import credit_systems
from credstack.core.descriptors.findings import Severity
from credstack.core.descriptors.labels import VOCABULARY_LABELS
from credstack.core.descriptors.models import (
    CreditSystem,
)
from credstack.core.descriptors.validation import Requirement, State
from credstack.core.organisations import OrganisationKind
from credstack.core.types import MultilingualText

Language = Literal["ja", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT_LANGUAGE: Language = "ja"
COOKIE = "lang"
#: How long the ``lang`` cookie remembers a choice: one year.
COOKIE_MAX_AGE = 365 * 24 * 60 * 60

#: A (ja, en) pair.
Pair = tuple[str, str]


# --- negotiation ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    """The language of one response, and whether the visitor just chose it (``?lang=``)."""

    language: Language
    chosen: bool = False


def _supported(tag: str | None) -> Language | None:
    """``ja``, ``ja-JP`` → ``ja``; anything credstack has no pages for → None."""
    if not tag:
        return None
    primary = tag.strip().lower().split("-", 1)[0]
    for language in LANGUAGES:
        if primary == language:
            return language
    return None


def parse_accept_language(header: str) -> Language | None:
    """The supported language the visitor prefers most (RFC 9110 §12.5.4), or None."""
    best: tuple[float, int, Language] | None = None
    for position, item in enumerate(header.split(",")):
        tag, _, parameters = item.partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = _supported(tag)
        if tag.strip() == "*":
            language = DEFAULT_LANGUAGE
        if language is None or quality <= 0:
            continue
        # Higher quality wins; among equals, the one listed first.
        candidate = (quality, -position, language)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else None


def negotiate(request: Request) -> Choice:
    """The language to answer ``request`` in."""
    asked = _supported(request.query_params.get("lang"))
    if asked is not None:
        return Choice(asked, chosen=True)
    remembered = _supported(request.cookies.get(COOKIE))
    if remembered is not None:
        return Choice(remembered)
    preferred = parse_accept_language(request.headers.get("accept-language", ""))
    return Choice(preferred or DEFAULT_LANGUAGE)


def remember(response: Response, choice: Choice) -> None:
    """Keep an explicit choice in the ``lang`` cookie; say what the response varies on."""
    if choice.chosen:
        response.set_cookie(COOKIE, choice.language, max_age=COOKIE_MAX_AGE, path="/",
                            samesite="lax", httponly=True)
    response.headers["Content-Language"] = choice.language
    response.headers["Vary"] = "Accept-Language, Cookie, HX-Request"


# --- the message catalogue --------------------------------------------------------------

#: Every message the pages show, as (ja, en). Placeholders use ``str.format`` names.
#: A key ending in ``.one`` is the English singular of the key without it (see ``plural``).
MESSAGES: dict[str, Pair] = {
    # Frame of every page.
    "site.tagline": ("マイクロクレデンシャルの共通記述子・枠組み・登録簿",
                     "Common descriptors, frameworks and a registry for micro-credentials"),
    "skip": ("本文へ移動", "Skip to main content"),
    "nav.label": ("メインメニュー", "Main menu"),
    "nav.home": ("ホーム", "Home"),
    "nav.programmes": ("プログラム", "Programmes"),
    "nav.profiles": ("枠組み", "Frameworks"),
    "nav.verify": ("証明書の検証", "Verify"),
    "lang.label": ("言語（Language）", "Language (言語)"),
    "footer.label": ("サイト情報", "About this site"),
    "footer.api_docs": ("API ドキュメント", "API documentation"),
    "footer.openapi": ("OpenAPI 定義（JSON）", "OpenAPI description (JSON)"),
    "footer.about": ("credstack {version} — オープンなマイクロクレデンシャル基盤",
                     "credstack {version} — an open micro-credential platform"),
    # Home.
    "home.title": ("マイクロクレデンシャルを、読める・比べられる・積み上げられるものに",
                   "Micro-credentials you can read, compare and stack"),
    "home.intro": (
        "マイクロクレデンシャル（MC）は、学位より小さな短期の学修（約10時間または1単位以上）を、"
        "公表された学修成果、実際の評価、信頼できる提供機関と質保証とともに証明するものです。"
        "単独で価値を持ち、より大きな資格や学位へ積み上げることができます。",
        "A micro-credential (MC) records a short, focused piece of learning — about 10 hours "
        "or 1 credit and up, under a degree — with published learning outcomes, a real "
        "assessment, a trusted provider and quality assurance. It stands alone and can stack "
        "toward a larger credential or a degree.",
    ),
    "home.what": (
        "credstack は、各プログラムを17の共通記述子で記述し、日本提案・EU・オーストラリア・"
        "マレーシア・履修証明の5つの枠組みに照らして確認します。評価のない参加証明は"
        "マイクロクレデンシャルではありません。",
        "credstack describes each programme with the 17 common descriptors and checks it "
        "against five frameworks: the Japanese proposal, the EU, Australia, Malaysia and "
        "Japan's 履修証明 certificate programmes. A participation badge without assessment is "
        "not a micro-credential.",
    ),
    "home.registry": ("登録状況", "In the registry"),
    "home.browse": ("プログラムを見る", "Browse the programmes"),
    "home.frameworks": ("5つの枠組み", "Five framework profiles"),
    "home.frameworks_more": ("各枠組みの必須記述子と規則を見る",
                             "See the required descriptors and rules of each framework"),
    "home.data": ("データと API", "Data and API"),
    "home.data_text": ("ここに表示されるすべての情報は、公開 API（JSON）からも取得できます。",
                       "Everything shown here is also available from the public JSON API."),
    # The list of programmes.
    "list.title": ("プログラム一覧", "Programmes"),
    "list.filter": ("絞り込み", "Filter"),
    "list.provider": ("提供機関", "Provider"),
    "list.all_providers": ("すべての提供機関", "All providers"),
    "list.apply": ("絞り込む", "Apply"),
    "list.total": ("全 {n} 件", "{n} programmes in total"),
    "list.total.one": ("全 {n} 件", "{n} programme in total"),
    "list.loaded": ("{n} 件を追加で表示しました。", "{n} more programmes shown."),
    "list.loaded.one": ("{n} 件を追加で表示しました。", "{n} more programme shown."),
    "list.caption": ("マイクロクレデンシャル・プログラムと各枠組みへの適合",
                     "Micro-credential programmes and their conformance to each framework"),
    "list.continued": ("（続き）", "(continued)"),
    "list.col.title": ("名称", "Title"),
    "list.col.provider": ("提供機関", "Provider"),
    "list.col.effort": ("学習量", "Learner effort"),
    "list.col.delivery": ("授業の方法", "Delivery"),
    "list.empty": ("該当するプログラムはありません。", "No programmes match."),
    "list.next": ("次のページを表示", "Show the next page"),
    "list.first": ("最初のページへ", "Back to the first page"),
    "list.pagination": ("ページ送り", "Pagination"),
    # Verdicts of validation.
    "verdict.conforms": ("適合", "conforms"),
    "verdict.does-not-conform": ("不適合", "does not conform"),
    "verdict.not-a-micro-credential": ("MC ではない", "not a micro-credential"),
    "verdict.everywhere": ("マイクロクレデンシャルではありません（どの枠組みでも）",
                           "Not a micro-credential (under any framework)"),
    "verdict.long.conforms": ("適合しています", "Conforms"),
    "verdict.long.does-not-conform": ("適合していません", "Does not conform"),
    "verdict.long.not-a-micro-credential": ("マイクロクレデンシャルではありません",
                                            "Not a micro-credential"),
    "count.error": ("エラー {n} 件", "{n} errors"),
    "count.error.one": ("エラー {n} 件", "{n} error"),
    "count.warning": ("警告 {n} 件", "{n} warnings"),
    "count.warning.one": ("警告 {n} 件", "{n} warning"),
    "count.info": ("情報 {n} 件", "{n} notes"),
    "count.info.one": ("情報 {n} 件", "{n} note"),
    # One programme.
    "programme.untitled": ("（名称未記載）", "(untitled)"),
    "programme.provider": ("提供機関", "Provider"),
    "programme.code": ("コード", "Code"),
    "programme.version": ("版", "Version"),
    "programme.status": ("状態", "Status"),
    "programme.toc": ("このページの内容", "On this page"),
    "programme.glance": ("枠組みへの適合（概要）", "Conformance at a glance"),
    "programme.descriptors": ("記述子", "Descriptors"),
    "programme.common": ("共通記述子（17項目）", "The 17 common descriptors"),
    "programme.extras": ("EU・オーストラリアの追加要素", "Additional EU and Australian elements"),
    "programme.classification": ("分野とスキル", "Fields and skills"),
    "programme.fields": ("分野", "Fields of study"),
    "programme.skills": ("スキル", "Skills"),
    "programme.conformance": ("枠組みごとの適合状況", "Conformance by framework"),
    "programme.matrix_caption": ("各記述子の要件（必須・選択・対象外）と記載状況",
                                 "What each framework asks of each descriptor "
                                 "(required, optional, not listed) and whether it is stated"),
    "programme.descriptor": ("記述子", "Descriptor"),
    "programme.verdict": ("判定", "Verdict"),
    "programme.findings_caption": ("{profile}の指摘事項", "Findings under {profile}"),
    "programme.no_findings": ("指摘事項はありません。", "No findings."),
    "programme.severity": ("重要度", "Severity"),
    "programme.path": ("箇所", "Where"),
    "programme.message": ("内容", "Message"),
    "programme.versions": ("版の履歴", "Version history"),
    "programme.versions_caption": ("このプログラムの版（古い順）",
                                   "Versions of this programme, oldest first"),
    "programme.created": ("作成", "Created"),
    "programme.published": ("公開", "Published"),
    "programme.hash": ("内容ハッシュ（SHA-256）", "Content hash (SHA-256)"),
    "programme.json": ("このプログラムを JSON で取得", "This programme as JSON"),
    "programme.not_published": ("未公開", "not published"),
    # Values of descriptors.
    "value.not_stated": ("未記載", "not stated"),
    "value.at_issuance": ("発行時に記載", "supplied at issuance"),
    "value.at_issuance_note": ("学習者ごとの証明書（クレデンシャル）に記載されます。",
                               "Stated in each learner's credential when it is issued."),
    "value.website": ("ウェブサイト", "Website"),
    "value.hours": ("{n} 時間", "{n} hours"),
    "value.hours.one": ("{n} 時間", "{n} hour"),
    "value.weeks": ("{n} 週間", "{n} weeks"),
    "value.weeks.one": ("{n} 週間", "{n} week"),
    "value.stated_credits": ("記載された単位", "Stated credits"),
    "value.equivalents_caption": ("{hours}の各単位制度での換算",
                                  "What {hours} are worth in each credit system"),
    "value.credit_system": ("単位制度", "Credit system"),
    "value.equivalent": ("時間からの換算", "From the hours"),
    "value.stated": ("記載値", "Stated"),
    "value.hours_per_credit": ("1単位あたり {hours} 時間", "{hours} hours per credit"),
    "value.pace": ("ペース", "Pace"),
    "value.methods": ("評価方法", "Methods"),
    "value.supervision": ("監督と本人確認", "Supervision"),
    "value.grading": ("成績評価", "Grading"),
    "value.body": ("実施主体", "By"),
    "value.valid_until": ("有効期限", "Valid until"),
    "value.level": ("{framework} レベル {level}", "{framework} level {level}"),
    "value.stackable": ("積み上げ可能", "Stackable"),
    "value.not_stackable": ("積み上げ不可", "Not stackable"),
    "value.targets": ("積み上げ先", "Leads to"),
    "value.period": ("{start} 〜 {end}", "{start} – {end}"),
    "value.period_open": ("{start} 〜", "from {start}"),
    "value.free": ("無料", "Free"),
    "value.financial_assistance": ("経済的支援", "Financial assistance"),
    "value.more": ("詳細", "More information"),
    # Framework profiles.
    "profiles.title": ("枠組みプロファイル", "Framework profiles"),
    "profiles.intro": (
        "各枠組みが必須・選択とする記述子と、学習量などの規則です。どの枠組みでも、評価のない"
        "もの・参加のみのものはマイクロクレデンシャルではありません。",
        "What each framework requires or allows, and its rules on volume and more. Under every "
        "framework, a programme without assessment, or with participation only, is not a "
        "micro-credential.",
    ),
    "profiles.overview": ("記述子と枠組みの対応表", "Descriptors by framework"),
    "profiles.overview_caption": ("各枠組みで必須・選択とされる記述子",
                                  "Which descriptors each framework requires or allows"),
    "profiles.source": ("出典", "Source"),
    "profiles.required": ("必須の記述子", "Required descriptors"),
    "profiles.optional": ("選択の記述子", "Optional descriptors"),
    "profiles.none": ("なし", "None"),
    "profiles.rules": ("規則", "Rules"),
    "profiles.rule_nature": ("評価があり、参加のみではないこと（すべての枠組みで確認）",
                             "An assessment that is more than participation (checked under "
                             "every framework)"),
    "rule.hours_min": ("学習量が {min} 時間以上", "At least {min} hours of learner effort"),
    "rule.hours_below": ("学習量が {below} 時間未満", "Under {below} hours of learner effort"),
    "rule.hours_range": ("学習量が {min} 時間以上 {below} 時間未満",
                         "At least {min} and under {below} hours of learner effort"),
    "rule.credits_range": ("{system}で {min}〜{max} 単位", "{min}–{max} {system}"),
    "rule.credits_min": ("{system}で {min} 単位以上", "At least {min} {system}"),
    "rule.credits_max": ("{system}で {max} 単位以下", "At most {max} {system}"),
    "rule.credits_typical": ("（多くは {typical} 単位まで）", " (mostly up to {typical})"),
    "rule.reason": ("（{reason}）", " ({reason})"),
    "rule.also_stated": ("（{system}で明記）", ", stated in {system}"),
    "rule.credits_stated": ("{system}での単位数を明記すること",
                            "The credits are stated in {system}"),
    "rule.credits_match": ("記載された単位数が学習時間と合っていること（±{tolerance}%）",
                           "Stated credits agree with the hours (within {tolerance}%)"),
    "rule.duration": ("期間が {weeks} 週以内", "Runs for at most {weeks} weeks"),
    "rule.level": ("{frameworks} のレベルを記載すること", "A level in {frameworks} is stated"),
    "rule.quality": ("{kind}を記載すること", "{kind} is recorded"),
    "rule.certification": ("証明に {kinds} を含むこと", "The certification includes {kinds}"),
    "rule.not_error": ("（{severity}）", " ({severity})"),
    # The registry: search, providers, comparison.
    "nav.search": ("検索", "Search"),
    "search.title": ("プログラムを探す", "Find programmes"),
    "search.form": ("プログラムの検索", "Programme search"),
    "search.q": ("キーワード", "Keywords"),
    "search.q_hint": ("名称・内容・学修成果・スキルなどから探します。",
                      "Searches titles, descriptions, learning outcomes and skills."),
    "search.submit": ("検索", "Search"),
    "search.sort": ("並び順", "Sort by"),
    "search.filters": ("絞り込み", "Filters"),
    "search.apply": ("条件を適用", "Apply filters"),
    "search.clear": ("条件をすべて解除", "Clear all filters"),
    "search.active": ("選択中の条件", "Active filters"),
    "search.remove_filter": ("条件「{value}」を解除", "Remove the filter “{value}”"),
    "search.results": ("検索結果", "Results"),
    "search.skip_to_results": ("検索結果へ移動", "Skip to the results"),
    "search.total": ("{n} 件見つかりました", "{n} programmes found"),
    "search.total.one": ("{n} 件見つかりました", "{n} programme found"),
    "search.facet_count": ("{n} 件", "{n} programmes"),
    "search.facet_count.one": ("{n} 件", "{n} programme"),
    "search.none": ("条件に合うプログラムは見つかりませんでした。", "No programmes match."),
    "search.none_hint": ("キーワードを変えるか、絞り込みの条件を減らしてみてください。",
                         "Try other keywords or fewer filters."),
    "search.did_you_mean": ("もしかして：", "Did you mean:"),
    "search.next": ("次のページ", "Next page"),
    "search.first": ("最初のページへ", "Back to the first page"),
    "search.continued": ("（続き）", "(continued)"),
    "search.error": ("検索条件を確認してください", "Please check the search"),
    "search.unavailable": ("検索は現在利用できません。しばらくしてからもう一度お試しください。",
                           "Search is not available right now. Please try again later."),
    "search.effort": ("学習量", "Learner effort"),
    "search.delivery": ("授業の方法", "Delivery"),
    "search.language": ("授業言語", "Language"),
    "search.browse_all": ("すべてのプログラムを一覧で見る", "Browse all the programmes"),
    "facet.field": ("分野", "Field of study"),
    "facet.provider": ("提供機関", "Provider"),
    "facet.provider_type": ("提供機関の種類", "Type of provider"),
    "facet.level": ("レベル", "Level"),
    "facet.effort_band": ("学習量", "Learner effort"),
    "facet.credits": ("単位", "Credits"),
    "facet.delivery_mode": ("授業の方法", "Delivery"),
    "facet.language": ("授業言語", "Language"),
    "facet.price_band": ("受講料", "Price"),
    "facet.assessment": ("評価の方法", "Assessment"),
    "facet.recognition": ("単位・その他の認定", "Recognition"),
    "facet.stackable": ("積み上げ", "Stackability"),
    "facet.profile": ("枠組みへの適合", "Conforms to"),
    "sort.relevance": ("関連度順", "Relevance"),
    "sort.title": ("名称順", "Title"),
    "sort.effort": ("学習量の少ない順", "Learner effort"),
    "sort.credits": ("単位数の少ない順", "Credits"),
    "sort.newest": ("新着順", "Newest"),
    "compare.nav": ("比較", "Compare"),
    "compare.title": ("プログラムの比較", "Compare programmes"),
    "compare.intro": ("最大 {max} 件のプログラムを、記述子ごとに並べて比較します。値が異なる行には"
                      "「≠ 違いあり」と表示します。",
                      "Up to {max} programmes side by side, descriptor by descriptor. Rows "
                      "where they differ are marked “≠ Differs”."),
    "compare.empty": ("比較するプログラムが選ばれていません。検索結果やプログラムのページで"
                      "「比較」を選んでください。",
                      "No programmes are chosen yet. Choose “Compare” in the search results "
                      "or on a programme's page."),
    "compare.choose": ("比較するプログラムを探す", "Find programmes to compare"),
    "compare.select": ("比較", "Compare"),
    "compare.select_hint": ("「比較」を選ぶと、最大 {max} 件を並べて比べられます。",
                            "Tick “Compare” on up to {max} programmes to see them side by side."),
    "compare.submit": ("選んだプログラムを比較", "Compare the chosen programmes"),
    "compare.chosen": ("比較に選んだプログラム：{n} 件", "Chosen for comparison: {n}"),
    "compare.caption": ("記述子ごとの比較（違いのある行に「≠ 違いあり」）",
                        "Descriptor by descriptor (rows that differ are marked “≠ Differs”)"),
    "compare.descriptor": ("記述子", "Descriptor"),
    "compare.differs": ("違いあり", "Differs"),
    "compare.differs_note": ("この行は、プログラムによって値が異なります。",
                             "The programmes differ in this row."),
    "compare.summary": ("{n} 項目に違いがあります。", "The programmes differ in {n} descriptors."),
    "compare.summary.one": ("{n} 項目に違いがあります。",
                            "The programmes differ in {n} descriptor."),
    "compare.only_differences": ("違いのある行だけを表示", "Show only the rows that differ"),
    "compare.all_rows": ("すべての行を表示", "Show all the rows"),
    "compare.effort": ("学習量の換算", "Learner effort on common scales"),
    "compare.effort_caption": ("総学習時間と、各単位制度での換算（記載された単位も併記）",
                               "Hours, and what they are worth in each credit system, with the "
                               "credits each provider states"),
    "compare.hours": ("総学習時間", "Hours"),
    "compare.stated": ("記載：{n}", "stated: {n}"),
    "compare.remove": ("比較から外す", "Remove from the comparison"),
    "compare.add": ("プログラムを追加する", "Add a programme"),
    "compare.at_issuance": ("学習者ごとに発行時に記載される項目（{names}）は比較していません。",
                            "What each learner's credential states when it is issued ({names}) "
                            "is not compared."),
    "compare.share": ("この比較の URL（共有できます）", "Link to this comparison (to share)"),
    "compare.json": ("この比較を JSON で取得", "This comparison as JSON"),
    "compare.add_this": ("このプログラムを比較に追加", "Add this programme to the comparison"),
    "compare.add_this_with": ("比較に追加（選択中 {n} 件と比較）",
                              "Add to the comparison (with the {n} chosen)"),
    "compare.full": ("比較できるのは {max} 件までです。", "At most {max} programmes can be "
                                                     "compared."),
    "compare.in_comparison": ("このプログラムは比較に含まれています。",
                              "This programme is in the comparison."),
    "compare.back": ("比較に戻る", "Back to the comparison"),
    "compare.fix": ("見つかったプログラムだけで比較する", "Compare the programmes that were found"),
    "compare.fix_first": ("最初の {max} 件を比較する", "Compare the first {max}"),
    "compare.too_many": ("比較できるのは {max} 件までです（{n} 件が選ばれています）。",
                         "At most {max} programmes can be compared ({n} were chosen)."),
    "compare.unknown": ("ID {ids} の公開中のプログラムは見つかりませんでした。",
                        "No published programme has the id {ids}."),
    "compare.invalid": ("比較するプログラムの指定（ids）を読み取れませんでした。",
                        "The programmes to compare (ids) could not be read."),
    "compare.no_differences": ("違いのある行はありません。", "No row differs."),
    "search.more": ("ほかの {n} 件を表示", "{n} more"),
    "programme.compare": ("比較", "Compare"),
    "programme.more_from": ("{name}のほかのプログラム", "More programmes from {name}"),
    "provider.kind": ("種類", "Type"),
    "provider.country": ("所在国", "Country"),
    "provider.website": ("ウェブサイト", "Website"),
    "provider.programmes": ("公開中のプログラム", "Published programmes"),
    "provider.count": ("公開中のプログラム", "Published programmes"),
    "provider.none": ("公開中のプログラムはありません。", "No published programmes."),
    "provider.search": ("この提供機関のプログラムを検索する", "Search this provider's programmes"),
    "provider.caption": ("{name}の公開中のプログラム", "Published programmes of {name}"),
    "provider.breakdown": ("内訳", "At a glance"),
    "provider.by": ("{facet}別", "{facet}"),
    "home.search": ("プログラムを探す", "Find a programme"),
    # The verification page.
    "verify.title": ("証明書を検証する", "Verify a credential"),
    "verify.intro": (
        "オープンバッジ 3.0・検証可能な資格情報（VC 2.0）の証明書を貼り付けるか、ファイルを"
        "選んでください。署名・発行者・有効期間・失効の有無を確かめ、マイクロクレデンシャル"
        "としての内容を表示します。",
        "Paste an Open Badges 3.0 or Verifiable Credentials 2.0 credential, or choose its "
        "file. credstack checks its signature, its issuer, its validity period and whether it "
        "was revoked, and shows what it says as a micro-credential.",
    ),
    "verify.privacy": (
        "証明書は保存しません。失効の有無を確かめるため、発行者の公開するステータスリストを"
        "取得することがあります。",
        "The credential is not stored. To check its status, credstack may fetch the status "
        "list its issuer publishes.",
    ),
    "verify.form": ("検証する証明書", "The credential to verify"),
    "verify.paste": ("証明書を貼り付ける", "Paste the credential"),
    "verify.paste_hint": ("JSON（Data Integrity 証明付き）、または eyJ で始まる VC-JWT の文字列",
                          "JSON with a Data Integrity proof, or a VC-JWT string starting "
                          "with eyJ"),
    "verify.file": ("またはファイルを選ぶ", "Or choose a file"),
    "verify.file_hint": ("JSON または JWT のテキストファイル（{limit} まで）。ファイルを選ぶと、"
                         "貼り付けた内容より優先します。",
                         "A JSON or JWT text file, up to {limit}. A chosen file is verified "
                         "instead of pasted text."),
    "verify.submit": ("検証する", "Verify"),
    "verify.progress": ("検証しています…", "Verifying…"),
    "verify.result": ("検証結果", "Result"),
    "verify.verified": ("検証済み", "Verified"),
    "verify.verified_text": ("すべての確認項目に合格しました。署名後に変更されておらず、発行者が"
                             "署名しており、現在有効です。",
                             "Every check passed: the credential has not changed since it was "
                             "signed, its issuer signed it, and it is valid now."),
    "verify.not_verified": ("検証できませんでした", "Not verified"),
    "verify.not_verified_text": ("{n} 件の確認項目に合格しませんでした：{checks}",
                                 "{n} checks did not pass: {checks}"),
    "verify.not_verified_text.one": ("{n} 件の確認項目に合格しませんでした：{checks}",
                                     "{n} check did not pass: {checks}"),
    "verify.status.verified": ("検証結果：検証済み", "Result: verified"),
    "verify.status.not_verified": ("検証結果：検証できませんでした",
                                   "Result: not verified"),
    "verify.status.problem": ("入力を確認してください", "Please check the input"),
    "verify.file_used": ("アップロードされたファイル「{name}」を検証しました。",
                         "The uploaded file “{name}” was verified."),
    "verify.paste_ignored": ("（貼り付けた内容は使っていません）",
                             " (the pasted text was not used)"),
    "verify.checks": ("確認項目", "Checks"),
    "verify.checks_caption": ("実施した確認とその結果", "Each check and its outcome"),
    "verify.col.check": ("確認項目", "Check"),
    "verify.col.outcome": ("結果", "Outcome"),
    "verify.col.reason": ("理由", "Reason"),
    "verify.outcome.passed": ("合格", "Passed"),
    "verify.outcome.failed": ("不合格", "Failed"),
    "verify.outcome.not-checked": ("未確認", "Not checked"),
    "verify.outcome.info": ("情報", "Information"),
    "verify.errors": ("エラー", "Errors"),
    "verify.warnings": ("警告", "Warnings"),
    "verify.warning": ("警告", "Warning"),
    "verify.meaning": ("証明書の内容", "What the credential says"),
    "verify.meaning_note": ("以下は証明書に書かれている内容で、検証結果にかかわらず"
                            "表示しています。",
                            "What follows is what the credential states, shown whatever the "
                            "verdict."),
    "verify.meaning_unverified": ("この証明書は検証できなかったため、以下の内容は信頼できません"
                                  "（改ざんされている可能性があります）。",
                                  "The credential did not verify, so none of this can be "
                                  "trusted: it may have been changed."),
    "verify.achievement": ("達成（プログラム）", "Achievement"),
    "verify.kind": ("種類", "Kind"),
    "verify.issuer": ("発行者", "Issuer"),
    "verify.learner": ("学習者（記載のとおり）", "Learner (as stated)"),
    "verify.learner_note": ("証明書に記載された本人情報です。本人確認をしたものではありません。",
                            "As the credential states it; credstack does not check who the "
                            "learner is."),
    "verify.learner_id": ("識別子（id）", "Identifier (id)"),
    "verify.learner_name": ("氏名", "Name"),
    "verify.hashed": ("ハッシュ化された値（表示しません）", "hashed (the value is not shown)"),
    "verify.id_type.name": ("氏名", "Name"),
    "verify.id_type.emailAddress": ("メールアドレス", "Email address"),
    "verify.id_type.studentId": ("学籍番号", "Student ID"),
    "verify.id_type.nationalIdentityNumber": ("国民識別番号", "National identity number"),
    "verify.id_type.identifier": ("識別子", "Identifier"),
    "verify.descriptors": ("記述子の概要", "Descriptors at a glance"),
    "verify.no_descriptors": ("この証明書にはマイクロクレデンシャルの記述子が含まれていません。",
                              "This credential states no micro-credential descriptors."),
    "verify.mc.yes": ("マイクロクレデンシャルです", "A micro-credential"),
    "verify.mc.no": ("マイクロクレデンシャルではありません", "Not a micro-credential"),
    "verify.source.credstack-extension": ("credstack のマイクロクレデンシャル拡張による記述",
                                          "Stated with credstack's micro-credential extension"),
    "verify.source.open-badges-fields": ("オープンバッジの項目から読み取った記述",
                                         "Read from the Open Badges fields"),
    "verify.conformance": ("枠組みごとの適合", "Conformance by framework"),
    "verify.conformance_caption": ("証明書の記述子による各枠組みプロファイルへの適合",
                                   "Conformance to each framework profile, from the "
                                   "credential's descriptors"),
    "verify.col.profile": ("枠組み", "Framework"),
    "verify.col.verdict": ("判定", "Verdict"),
    "verify.registry": ("登録簿", "Registry"),
    "verify.registry_link": ("登録簿でこのプログラムを見る", "See this programme in the registry"),
    "verify.registry_none": ("この登録簿には登録されていません。", "Not in this registry."),
    "verify.again": ("別の証明書を検証する", "Verify another credential"),
    "verify.error.title": ("入力を確認してください", "Please check the input"),
    "verify.error.empty": ("証明書を貼り付けるか、ファイルを選んでください。",
                           "Paste a credential or choose a file."),
    "verify.error.empty_file": ("ファイル「{name}」は空です。", "The file “{name}” is empty."),
    "verify.error.too_large": ("入力が大きすぎます。検証できる証明書は {limit} までです。",
                               "The input is too large: credentials up to {limit} can be "
                               "verified."),
    "verify.error.not_utf8": ("ファイルが UTF-8 のテキストではありません。JSON または JWT の"
                              "テキストファイルを選んでください。",
                              "The file is not UTF-8 text. Choose a JSON or JWT text file."),
    "verify.error.unreadable": ("証明書として読み取れませんでした：{reason}",
                                "This could not be read as a credential: {reason}"),
    "verify.error.form": ("フォームの内容を読み取れませんでした：{reason}",
                          "The form could not be read: {reason}"),
    # Errors.
    "error.status": ("HTTP ステータス {status}", "HTTP status {status}"),
    "error.home": ("トップページへ戻る", "Back to the home page"),
    "error.programmes": ("プログラム一覧へ", "Go to the programmes"),
    "error.sorry": ("お探しのページを表示できませんでした。",
                    "We could not show the page you asked for."),
}
for _catalogue in (accounts_messages.MESSAGES, recognition_messages.MESSAGES):
    assert not MESSAGES.keys() & _catalogue.keys(), "message keys collide"
    MESSAGES.update(_catalogue)

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

#: Short units for stated credits ("2 単位", "3 ECTS"), by credit system.
CREDIT_UNITS: dict[CreditSystem, Pair] = {
    CreditSystem.JP_TANI: ("単位", "JP credits"),
    CreditSystem.ECTS: ("ECTS", "ECTS"),
    CreditSystem.MY_CREDIT: ("MY 単位", "MY credits"),
    CreditSystem.NZ_CREDIT: ("NZ 単位", "NZ credits"),
    CreditSystem.US_CREDIT_HOUR: ("米国単位時間", "US credit hours"),
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

_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def _pick(pair: Pair, language: Language) -> str:
    return pair[0] if language == "ja" else pair[1]


@dataclass(frozen=True, slots=True)
class Translator:
    """Everything a template says, in one language."""

    language: Language

    @property
    def other(self) -> Language:
        return "en" if self.language == "ja" else "ja"

    @property
    def separator(self) -> str:
        """Between the items of a short list in running text: 「A、B」 / "A, B"."""
        return "、" if self.language == "ja" else ", "

    @property
    def colon(self) -> str:
        """Between a label and its value: 「ペース：同期型」 / "Pace: synchronous"."""
        return "：" if self.language == "ja" else ": "

    @property
    def paren_open(self) -> str:
        """Around an aside: full-width （…） in Japanese; " (…)" in English."""
        return "（" if self.language == "ja" else " ("

    @property
    def paren_close(self) -> str:
        return "）" if self.language == "ja" else ")"

    def __call__(self, key: str, /, **values: object) -> Markup:
        """The message ``key``, with ``values`` filled in (escaped unless they are markup)."""
        return escape(_pick(MESSAGES[key], self.language)).format(**values)

    def plural(self, key: str, count: int, /, **values: object) -> Markup:
        """The message ``key`` for ``count`` things (English has a singular; Japanese not)."""
        singular = f"{key}.one"
        chosen = singular if count == 1 and singular in MESSAGES else key
        return self(chosen, n=self.number(count), **values)

    def label(self, value: StrEnum) -> str:
        """The human label of a vocabulary value, e.g. ``DeliveryMode.ONLINE`` → オンライン."""
        if isinstance(value, CreditSystem):
            return credit_systems()[value].name.text(self.language)
        return _pick(LABELS[type(value)][value.value], self.language)

    def labels(self, values: Iterable[StrEnum]) -> Markup:
        """Several vocabulary values as a short list in running text."""
        return self.join(self.label(value) for value in values)

    def text(self, text: MultilingualText) -> str:
        return self.pick(text)[1]

    def texts(self, texts: Iterable[MultilingualText]) -> Markup:
        """Several multilingual texts as a short list in running text."""
        return self.join(self.text(text) for text in texts)

    def pick(self, text: MultilingualText) -> tuple[str, str]:
        """(language tag, text): this language, else the other one, else any."""
        for tag in (self.language, self.other):
            if tag in text.root:
                return tag, text.root[tag]
        return next(iter(text.root.items()))

    def profile_short(self, profile_id: str, fallback: MultilingualText) -> str:
        pair = PROFILE_SHORT_NAMES.get(profile_id)
        return _pick(pair, self.language) if pair else fallback.text(self.language)

    def credit_unit(self, system: CreditSystem) -> str:
        return _pick(CREDIT_UNITS[system], self.language)

    def language_name(self, tag: str) -> str:
        pair = LANGUAGE_NAMES.get(tag.split("-", 1)[0].lower())
        return _pick(pair, self.language) if pair else tag

    def language_names(self, tags: Iterable[str]) -> Markup:
        """Several teaching languages as a short list: 「日本語、英語」."""
        return self.join(self.language_name(tag) for tag in tags)

    def country_name(self, code: str) -> str:
        pair = COUNTRY_NAMES.get(code)
        return _pick(pair, self.language) if pair else code

    def number(self, value: Decimal | int) -> str:
        """A number as people write it: thousands grouped, at most two decimals, no ``.00``."""
        if isinstance(value, int):
            return f"{value:,}"
        rounded = value.quantize(Decimal("0.01")).normalize()
        if rounded == rounded.to_integral_value():
            return f"{int(rounded):,}"
        return f"{rounded:,f}"

    def number_range(self, low: Decimal, high: Decimal) -> str:
        shown_low, shown_high = self.number(low), self.number(high)
        if shown_low == shown_high:
            return shown_low
        dash = "〜" if self.language == "ja" else "–"
        return f"{shown_low}{dash}{shown_high}"

    def date(self, value: dt.date) -> str:
        if self.language == "ja":
            return f"{value.year}年{value.month}月{value.day}日"
        return f"{value.day} {_EN_MONTHS[value.month - 1]} {value.year}"

    def timestamp(self, value: dt.datetime) -> str:
        """A moment in UTC, to the minute."""
        utc = value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return f"{self.date(utc.date())} {utc:%H:%M} UTC"

    def join(self, items: Iterable[str]) -> Markup:
        """A short list in running text; items that are not markup are escaped."""
        return escape(self.separator).join(items)

