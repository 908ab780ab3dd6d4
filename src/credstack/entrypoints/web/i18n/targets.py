"""The registry's credit target pages (``/targets``) and a programme's "stacks into", as
(ja, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "targets.nav": ("単位認定の目標", "Credit targets"),
    "targets.title": ("単位認定の目標", "Credit targets"),
    "targets.intro": (
        "大学・機関が公開している、マイクロクレデンシャルを単位として積み上げられる学位・プログ"
        "ラムと、その認定ルールです。",
        "Degrees and programmes that institutions have published, with the rules by which "
        "micro-credentials count toward them as credit."),
    "targets.none": ("公開されている目標はまだありません。", "No targets have been published yet."),
    "targets.caption": ("公開されている単位認定の目標", "Published credit targets"),
    "targets.col.title": ("目標", "Target"),
    "targets.col.organisation": ("機関", "Institution"),
    "targets.col.kind": ("種類", "Kind"),
    "targets.col.total": ("必要単位", "Credits required"),
    "targets.col.jurisdiction": ("法域", "Jurisdiction"),
    "targets.kind.micro-credential": ("マイクロクレデンシャル", "Micro-credential"),
    "targets.kind.rishu-programme": ("履修証明プログラム", "Certificate programme (rishu shōmei)"),
    "targets.kind.degree": ("学位課程", "Degree programme"),
    "targets.total": ("{total} {system}", "{total} {system}"),
    "targets.organisation": ("機関", "Institution"),
    "targets.version": ("版", "Version"),
    "targets.published": ("公開日", "Published"),
    "targets.system": ("単位制度", "Credit system"),
    "targets.not_newest": ("これは以前の版です。", "This is an earlier version."),
    "targets.newest_link": (
        "目標の一覧で最新の版を見る",
        "See the newest version in the list of targets"),
    "targets.requirements": ("要件と経路", "Requirements and pathways"),
    "targets.requirements_none": (
        "個別の要件はありません。単位は上限の範囲で合計に数えます。",
        "No particular requirements: credits count toward the total within the caps."),
    "targets.general_credit": (
        "どの要件にも当たらない単位も、一般単位として合計に数えます。",
        "Credits that no requirement takes count toward the total as general credit."),
    "targets.all_of": ("次のすべて（{n} 件）", "All of these ({n})"),
    "targets.choose": ("次の {total} 件のうち {n} 件", "{n} of these {total}"),
    "targets.credits_min": ("{min} 単位以上", "At least {min} credits"),
    "targets.credits_range": ("{min}〜{max} 単位", "{min} to {max} credits"),
    "targets.hours_min": ("{min} 時間以上", "At least {min} hours"),
    "targets.field": ("分野：{field}", "Field: {field}"),
    "targets.field_search": ("この分野のプログラムを探す", "Find programmes in this field"),
    "targets.skill": ("スキル：{skill}", "Skill: {skill}"),
    "targets.level": ("レベル：{framework} {min} 以上", "Level: {framework} {min} or above"),
    "targets.within_years": ("{years} 年以内に取得したもの", "Earned within {years} years"),
    "targets.min_grade": ("成績 {grade} 以上", "Grade {grade} or above"),
    "targets.routes": ("認定の経路：{routes}", "Routes: {routes}"),
    "targets.after": ("先に満たす要件：{ids}", "After: {ids}"),
    "targets.not_in_registry": (
        "このレジストリ外のプログラム",
        "A programme outside this registry"),
    "targets.not_published": (
        "このレジストリで公開されていないプログラム",
        "Not published in this registry"),
    "targets.version_only": ("第 {version} 版のみ", "Version {version} only"),
    "targets.caps": ("上限と下限", "Caps and minimums"),
    "targets.caps_none": ("上限・下限はありません。", "No caps or minimums."),
    "targets.rule.cap": ("上限", "Cap"),
    "targets.rule.minimum": ("下限", "Minimum"),
    "targets.rule.expiry": ("有効期限", "Expiry"),
    "targets.rule.limit": ("{limit} 単位", "{limit} credits"),
    "targets.rule.years": ("{years} 年", "{years} years"),
    "targets.rule.adopted": ("{jurisdiction}の規則", "Rule of {jurisdiction}"),
    "targets.rule.own": ("この目標独自の規則", "This target's own rule"),
    "targets.rule.source": ("出典", "Source"),
    "targets.rule.all_routes": ("すべての経路", "All routes"),
    "targets.caps_caption": (
        "上限と下限（法域の規則と独自の規則）",
        "Caps and minimums (the jurisdiction's and its own)"),
    "targets.col.rule": ("規則", "Rule"),
    "targets.col.kind_rule": ("種類", "Kind"),
    "targets.col.limit": ("単位数", "Credits"),
    "targets.col.routes": ("経路", "Routes"),
    "targets.col.source": ("出典", "Source"),
    "targets.history": ("版の履歴", "Version history"),
    "targets.history.link": ("版の履歴と変更点", "All versions and what changed"),
    "targets.history.intro": (
        "公開された各版と、その前の版から規則の何が変わったかです。",
        "Each published version, and what changed in its rules since the version before."),
    "targets.history.version": ("第 {version} 版", "Version {version}"),
    "targets.history.newest": ("（最新の版）", "(newest)"),
    "targets.history.first": ("最初に公開された版です。", "The first version published."),
    "targets.history.unchanged": (
        "前の版から規則の変更はありません。",
        "No change in its rules since the version before."),
    "targets.history.back": ("最新の版を見る", "See the newest version"),
    "targets.ctdl": ("CTDL（JSON-LD）で見る", "View as CTDL (JSON-LD)"),
    "targets.stacks_into": ("積み上げ先", "Stacks into"),
    "targets.stacks_into_none": (
        "このプログラムを要件に含む公開の目標はありません。",
        "No published target counts this programme in its requirements."),
    "targets.stacks_named": (
        "要件「{requirement}」に数えられます",
        "Counts toward “{requirement}”"),
    "targets.stacks_field": (
        "分野が合うため要件「{requirement}」に数えられる場合があります（成績・取得時期などの条"
        "件によります）",
        "May count toward “{requirement}” by its field (subject to grade, recency and the "
        "other conditions)"),
}
