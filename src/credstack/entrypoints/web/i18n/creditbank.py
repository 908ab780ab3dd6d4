"""The credit bank's pages (issue 16): the learner's account, progress and applications in
the wallet, and the registrar's queue, decisions and targets in the workspace, as (ja, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # The learner's page.
    "creditbank.nav": ("単位バンク", "Credit bank"),
    "creditbank.title": ("単位バンク", "Credit bank"),
    "creditbank.intro": ("ウォレットの検証済み証明書を預け入れ、公開されている目標（学位や大きな"
                         "証明）に向けた進み具合を確認し、単位認定を申請できます。預け入れた証明書は"
                         "判定のたびに検証し直されます。",
                         "Deposit verified credentials from your wallet, see how far they take "
                         "you toward the published targets (degrees, larger credentials) and "
                         "apply for credit transfer. Deposits are verified again at every "
                         "decision."),
    "creditbank.account": ("口座", "Your account"),
    "creditbank.deposits": ("預け入れ", "Deposits"),
    "creditbank.no_deposits": ("まだ預け入れはありません。", "Nothing is deposited yet."),
    "creditbank.col.credential": ("証明書", "Credential"),
    "creditbank.col.kind": ("種類", "Kind"),
    "creditbank.col.route": ("経路", "Route"),
    "creditbank.col.state": ("状態", "State"),
    "creditbank.col.credits": ("単位", "Credits"),
    "creditbank.col.system": ("単位制度", "Credit system"),
    "creditbank.col.entered": ("預け入れ", "Entered"),
    "creditbank.col.reserved": ("予約済み", "Reserved"),
    "creditbank.col.withdrawn": ("引き出し済み", "Withdrawn"),
    "creditbank.col.expired": ("失効", "Expired"),
    "creditbank.col.available": ("利用可能", "Available"),
    "creditbank.col.deposited": ("預け入れ日", "Deposited"),
    "creditbank.col.target": ("目標", "Target"),
    "creditbank.col.granted": ("認定単位", "Granted"),
    "creditbank.col.submitted": ("申請日", "Submitted"),
    "creditbank.col.learner": ("学習者", "Learner"),
    "creditbank.col.requirement": ("要件", "Requirement"),
    "creditbank.col.counted": ("算入されたもの", "What counted"),
    "creditbank.col.missing": ("不足", "Missing"),
    "creditbank.state.verified": ("検証済み", "Verified"),
    "creditbank.state.not_verified": ("未検証", "Not verified"),
    "creditbank.kind.credential": ("証明書", "Credential"),
    "creditbank.kind.mooc": ("MOOC", "MOOC"),
    "creditbank.kind.work-experience": ("職務経験", "Work experience"),
    "creditbank.kind.reviewed-evidence": ("審査済みの証拠", "Reviewed evidence"),
    "creditbank.ledger": ("単位の台帳", "Credit ledger"),
    "creditbank.entries": ("台帳の記録（{count} 件）", "Ledger entries ({count})"),
    "creditbank.col.movement": ("記録", "Entry"),
    "creditbank.col.on": ("日付", "On"),
    "creditbank.col.rule": ("規則", "Rule"),
    "creditbank.col.source": ("出典", "Source"),
    "creditbank.col.programme": ("プログラム", "Programme"),
    "creditbank.movement.deposit": ("預け入れ", "Deposited"),
    "creditbank.movement.reserve": ("確保（申請中）", "Reserved (applied for)"),
    "creditbank.movement.release": ("確保の解除", "Released"),
    "creditbank.movement.withdraw": ("認定に使用", "Used for credit"),
    "creditbank.movement.expire": ("期限切れ", "Expired"),
    "creditbank.ledger.rule.deposit": ("預け入れの記録", "the deposit"),
    "creditbank.ledger.rule.general-credit": ("その他の単位", "general credit"),
    "creditbank.ledger.rule.released": ("判定で使われなかった分", "not used by the decision"),
    "creditbank.ledger.rule.re-evaluated": ("再判定", "evaluated again"),
    "creditbank.ledger.rule.other": ("その他", "other"),
    "creditbank.ledger.application": ("申請を開く", "the application"),
    "creditbank.deposit": ("証明書を預け入れる", "Deposit a credential"),
    "creditbank.deposit.credential": ("ウォレットの証明書", "Credential from your wallet"),
    "creditbank.deposit.kind": ("種類", "Kind"),
    "creditbank.deposit.route": ("単位の経路", "Route by which the credit arrives"),
    "creditbank.deposit.route_hint": ("単位をどのように得たかを、目標の管轄（国・制度）が"
                                      "定める経路から選んでください。",
                                      "How you earned the credit, among the routes the "
                                      "target's jurisdiction (country, scheme) recognises."),
    "creditbank.deposit.submit": ("預け入れる", "Deposit"),
    "creditbank.deposit.nothing": ("預け入れできる証明書がありません。先にウォレットに証明書を"
                                   "取り込んでください。",
                                   "There is no credential to deposit: import one into your "
                                   "wallet first."),
    "creditbank.deposit.all_in": ("ウォレットの証明書はすべて預け入れ済みです。",
                                  "Every credential in your wallet is already deposited."),
    "creditbank.deposit.see_deposits": ("預け入れた証明書を見る", "See your deposits"),
    "creditbank.error.ledger": ("この証明はすでに預け入れられています。同じ証明を二重に数えることは"
                                "できません。ページを読み込み直して、預け入れを確かめてください。",
                                "This credential is already deposited: one credential cannot "
                                "count twice. Reload the page to see your deposits."),
    "creditbank.targets": ("目標と進み具合", "Targets and your progress"),
    "creditbank.no_targets": ("公開されている目標はまだありません。",
                              "No target is published yet."),
    "creditbank.progress": ("{granted} / {total} {unit}（残り {missing}）",
                            "{granted} of {total} {unit} ({missing} to go)"),
    "creditbank.met": ("充足", "Met"),
    "creditbank.not_met": ("未充足", "Not met"),
    "creditbank.explanation": ("判定の説明", "How this was decided"),
    "creditbank.target_rules": ("この目標の規則と版の履歴", "Its rules and version history"),
    "creditbank.gaps": ("不足を埋めるプログラムを探す", "Find programmes that fill the gap"),
    "creditbank.gap.field": ("「{field}」分野のプログラム", "Programmes in {field}"),
    "creditbank.gap.programme": ("プログラム「{programme}」", "The programme {programme}"),
    "creditbank.gap.stackable": ("積み上げ可能なプログラム", "Stackable programmes"),
    "creditbank.apply": ("「{target}」への単位認定を申請する",
                         "Apply for credit transfer into {target}"),
    "creditbank.applications": ("あなたの申請", "Your applications"),
    "creditbank.no_applications": ("申請はまだありません。", "You have not applied yet."),
    "creditbank.app.submitted": ("審査中", "Submitted"),
    "creditbank.app.approved": ("承認", "Approved"),
    "creditbank.app.refused": ("却下", "Refused"),
    "creditbank.app.open": ("申請 {id} を開く", "Open application {id}"),
    "creditbank.app.credential": ("認定の証明書を開く", "Open the decision credential"),
    "creditbank.app.title": ("単位認定の申請", "Application for credit transfer"),
    "creditbank.app.reason": ("理由：{reason}", "Reason: {reason}"),
    "creditbank.app.adjustments": ("調整", "Adjustments"),
    "creditbank.app.decision": ("判定", "The decision"),
    "creditbank.app.caps": ("適用された上限・下限", "Caps and minimums applied"),
    "creditbank.app.excluded": ("算入されなかったもの", "Not counted"),
    "creditbank.app.general": ("その他の単位", "General credit"),
    "creditbank.app.limited": ("制限：{rules}", "limited by {rules}"),
    "creditbank.app.under": ("上限の対象：{rules}", "under {rules}"),
    "creditbank.app.source": ("出典：{source}", "source: {source}"),
    "creditbank.app.rule_use": ("{rule}：{used} / {limit}", "{rule}: {used} of {limit}"),
    "creditbank.app.minimum": ("{rule}：{counted} / {needed}（{state}）",
                               "{rule}: {counted} of {needed} ({state})"),
    "creditbank.done.deposited": ("預け入れました。", "The credential is deposited."),
    "creditbank.done.applied": ("申請しました。登録担当者の判定をお待ちください。",
                                "You applied; the registrar will decide."),
    "creditbank.done.published": ("目標を公開しました。", "The target is published."),
    "creditbank.done.adjusted": ("調整しました。", "The credits are adjusted."),
    "creditbank.done.decided": ("預け入れの単位を決定し、判定をやり直しました。",
                                "The deposit's credits are decided and the decision made "
                                "again."),
    "creditbank.done.approved": ("承認しました。認定の証明書を発行しました。",
                                 "Approved: the decision credential is issued."),
    "creditbank.done.approved-none": ("承認しました。認められた単位はありません（0 単位）。"
                                      "判定の記録を学習者に届けました。",
                                      "Approved: no credits are granted (0). The learner "
                                      "receives the record of the decision."),
    "creditbank.done.refused": ("却下しました。", "Refused."),
    "creditbank.error": ("実行できませんでした：{reason}", "This was refused: {reason}"),
    "creditbank.error.title": ("エラー", "Error"),
    "creditbank.conflict": ("この申請は他の登録担当者が同時に、またはすでに判定しました。"
                            "最新の状態を確認してください。何も変更していません。",
                            "Someone else decided this application at the same moment or "
                            "before: nothing was changed. Check its current state."),
    # The registrar's pages.
    "creditbank.ws.nav": ("単位認定", "Credit transfer"),
    "creditbank.ws.title": ("単位認定の申請", "Applications for credit transfer"),
    "creditbank.ws.intro": ("学習者の申請を判定します。判定は申請時の預け入れに基づき、"
                            "調整には理由が必要で、すべて監査ログに記録されます。",
                            "Decide learners' applications. Each decision is evaluated from "
                            "their deposits; adjustments need a reason, and everything is "
                            "recorded in the audit log."),
    "creditbank.ws.filter": ("状態で絞り込む", "Filter by state"),
    "creditbank.ws.all": ("すべて", "All"),
    "creditbank.ws.show": ("表示", "Show"),
    "creditbank.ws.none": ("該当する申請はありません。", "No applications."),
    "creditbank.ws.adjust": ("算入済みの預け入れの単位を調整する",
                             "Adjust the credits of a counted deposit"),
    "creditbank.ws.awaiting": ("教務の判断が必要な預け入れ", "Deposits awaiting your decision"),
    "creditbank.ws.awaiting_intro": (
        "記載の単位数と学習時間が一致しないため、規則では数えられませんでした。どちらの記載を"
        "採るかを判断し、この預け入れで数える単位を理由とともに決めてください。判定はその単位で"
        "規則と上限に従ってやり直され、監査ログに記録されます。",
        "What it states of credits and hours disagrees, so the rules could not count it. "
        "Decide which to believe and the credits this deposit counts, with a reason: the "
        "decision is made again with them, under the rules and caps, and the audit log "
        "records it."),
    "creditbank.ws.conflict_hours": ("{credits} と記載されていますが、これは {implied} 時間に"
                                     "あたり、記載の学習時間 {hours} 時間と一致しません。",
                                     "It states {credits}, standing for {implied} hours, "
                                     "but {hours} hours of learning."),
    "creditbank.ws.conflict_systems": ("{credits}（{implied} 時間）と {other} の記載（{hours} "
                                       "時間）が一致しません。",
                                       "It states {credits} ({implied} hours), which disagree "
                                       "with what it states in {other} ({hours} hours)."),
    "creditbank.ws.decide_credits": ("この預け入れで数える単位（0〜{limit}）",
                                     "Credits this deposit counts (0 to {limit})"),
    "creditbank.ws.decide_submit": ("この預け入れの単位を決定する",
                                    "Decide this deposit's credits"),
    "creditbank.ws.uncounted": ("どの要件にも算入されなかった預け入れ",
                                "Deposits no requirement counted"),
    "creditbank.ws.uncounted_intro": (
        "規則ではどの要件にも算入されませんでした。数えるべきと判断する場合は、数える単位を理由と"
        "ともに決めてください。要件外の単位として、上限と総単位数の範囲で算入され、監査ログに"
        "記録されます。",
        "The rules counted it toward no requirement. If you find it should count, decide the "
        "credits with a reason: it counts outside the requirements, within the caps and the "
        "total, and the audit log records it."),
    "creditbank.ws.uncounted_why": ("算入されなかった理由：{reason}", "Not counted: {reason}."),
    "creditbank.ws.uncounted_submit": ("この預け入れを算入する", "Count this deposit"),
    "creditbank.ws.deposit": ("預け入れ", "Deposit"),
    "creditbank.ws.credits": ("算入する単位", "Credits to count"),
    "creditbank.ws.reason": ("理由", "Reason"),
    "creditbank.ws.adjust_submit": ("調整する", "Adjust"),
    "creditbank.ws.approve": ("承認する（単位を引き出し、証明書を発行）",
                              "Approve (withdraw the credits, issue the credential)"),
    "creditbank.ws.refuse": ("却下する", "Refuse"),
    "creditbank.ws.decide": ("承認または却下", "Approve or refuse"),
    "creditbank.ws.refuse_reason": ("却下の理由", "Why it is refused"),
    "creditbank.ws.targets": ("公開中の目標", "Published targets"),
    "creditbank.ws.publish": ("目標を公開する", "Publish a target"),
    "creditbank.ws.publish_intro": ("経路ファイル（YAML または JSON）を貼り付けるか、"
                                    "ファイルを選んでください。",
                                    "Paste the pathway file (YAML or JSON) or choose the "
                                    "file."),
    "creditbank.ws.text": ("経路ファイルの内容", "The pathway file"),
    "creditbank.ws.file": ("またはファイル", "Or a file"),
    "creditbank.ws.publish_submit": ("公開する", "Publish"),
    "creditbank.ws.form_intro": ("目標の名称、合計単位数と、各要件（対象となるプログラムまたは"
                                 "分野、必要な単位数と上限）を入力してください。空の要件欄は"
                                 "無視されます。",
                                 "Give the target's title, its total and each requirement "
                                 "(the programmes or the field that count, the credits it "
                                 "asks for and its cap). Empty requirement rows are left "
                                 "out."),
    "creditbank.ws.form.title_ja": ("名称（日本語）", "Title in Japanese"),
    "creditbank.ws.form.title_en": ("名称（英語）", "Title in English"),
    "creditbank.ws.form.jurisdiction": ("準拠する制度", "Jurisdiction"),
    "creditbank.ws.form.total": ("合計単位数", "Total credits"),
    "creditbank.ws.form.general": ("どの要件にも当たらない単位も合計に数える",
                                   "Count credits no requirement takes toward the total"),
    "creditbank.ws.form.requirement": ("要件 {number}", "Requirement {number}"),
    "creditbank.ws.form.programmes": ("対象となるプログラム", "Programmes that count"),
    "creditbank.ws.form.programmes_hint": ("プログラムの識別子または URL を1行に1つ。空なら"
                                           "分野または単位数で判定します。",
                                           "A programme's identifier or URL, one a line. "
                                           "Empty: the field or the credits decide."),
    "creditbank.ws.form.field": ("分野コード（ISCED-F、任意）",
                                 "Field code (ISCED-F, optional)"),
    "creditbank.ws.form.min": ("必要な単位数", "Credits required"),
    "creditbank.ws.form.max": ("算入の上限（任意）", "Cap on credits counted (optional)"),
    "creditbank.ws.form.search": ("登録簿からプログラムを探す", "Find programmes in the registry"),
    "creditbank.ws.form.search_hint": ("名称の一部を入力して「探す」を押すと、見つかった"
                                       "プログラムをこの要件に追加できます。",
                                       "Type part of a name and press Find: each programme "
                                       "found can be added to this requirement."),
    "creditbank.ws.form.search_button": ("探す", "Find"),
    "creditbank.ws.form.found": ("見つかったプログラム：{count} 件", "Programmes found: {count}"),
    "creditbank.ws.form.pick": ("追加：{title}", "Add: {title}"),
    "creditbank.ws.form.add_row": ("要件の行を追加", "Add a requirement row"),
    "creditbank.ws.file_route": ("経路ファイルから公開する（上級者向け）",
                                 "Publish from a pathway file (advanced)"),
    "creditbank.ws.faults": ("経路ファイルに誤りがあります：", "The pathway file has faults:"),
    "creditbank.ws.version": ("第 {version} 版", "version {version}"),
    "creditbank.ws.flagged": ("要再確認のみ", "Flagged for review only"),
    "creditbank.flag": ("要再確認：{reason}", "Flagged for review: {reason}"),
    "creditbank.flag.short": ("要再確認", "Flagged for review"),
    "creditbank.ws.back": ("申請の一覧へ戻る", "Back to the applications"),
}
