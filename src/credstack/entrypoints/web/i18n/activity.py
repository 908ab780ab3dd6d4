"""The issuer's view of what happens to its credentials, and the notices to learners, as
(ja, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "workspace.nav.activity": ("受け取り・検証状況", "Claims and checks"),
    "workspace.home.activity": (
        "発行した証明書がメールで届き、受け取られ、共有され、検証されたかを、バッチごと・"
        "月ごとに確認します。",
        "Whether your credentials were e-mailed, claimed, shared and verified, per batch and "
        "per month."),
    "workspace.mail.template.credential_notice": ("学習者へのお知らせ", "Notice to a learner"),
    "activity.title": ("受け取り・検証状況", "Claims and checks"),
    "activity.intro": (
        "発行した証明書に何が起きたかを、このサーバーが見たとおりに数えています"
        "（トラッキングピクセルや外部サービスは使いません）。メールの送信、受け取りリンクを開いた"
        "回数、ウォレットへの受け取り（このサイトまたは OID4VCI のウォレットアプリ）、共有リンクの"
        "作成、公開の検証ページと VC-API での検証です。",
        "What happened to the credentials you issued, as this server saw it (no tracking "
        "pixel, no third party): the e-mail sent, its claim link followed, the credential "
        "claimed into a wallet (here or a wallet app by OID4VCI), a share link made, and "
        "verifications at the public verification page and the VC-API."),
    "activity.kind.issued": ("発行", "Issued"),
    "activity.kind.mailed": ("メール送信", "E-mailed"),
    "activity.kind.opened": ("リンクを開いた", "Opened"),
    "activity.kind.claimed": ("受け取り", "Claimed"),
    "activity.kind.shared": ("共有", "Shared"),
    "activity.kind.verified": ("検証", "Verified"),
    "activity.months": ("月ごとの数", "Per month"),
    "activity.months.caption": ("月ごとに、それぞれが起きた証明書の数",
                                "Credentials each happened to, per month"),
    "activity.month": ("月", "Month"),
    "activity.count": ("証明書の数", "Credentials"),
    "activity.charts": ("グラフ", "Charts"),
    "activity.chart.describe": ("{first}から{last}まで、月ごとの「{kind}」の証明書の数の棒グラフ"
                                "（合計 {n}）。同じ数を横の表に示します。",
                                "A bar chart of the credentials “{kind}” per month, {first} to "
                                "{last} ({n} in all); the table beside it has the same numbers."),
    "activity.csv": ("CSV でダウンロード", "Download as CSV"),
    "activity.none": ("まだ何も数えられていません。", "Nothing has been counted yet."),
    "activity.batches": ("バッチ", "Batches"),
    "activity.batches.caption": ("バッチごとの証明書の数", "Credentials per batch"),
    "activity.batch": ("バッチ", "Batch"),
    "activity.batch.none": ("（バッチなし）", "(no batch)"),
    "activity.batch.title": ("バッチ「{name}」", "Batch “{name}”"),
    "activity.batch.size": ("このバッチの証明書：{n} 件", "{n} credentials in this batch"),
    "activity.batch.caption": ("このバッチで、それぞれが起きた証明書",
                               "What happened in this batch"),
    "activity.batch.list": ("このバッチの証明書の一覧", "The batch's credentials"),
    "activity.what": ("出来事", "What"),
    "activity.credentials": ("証明書", "Credentials"),
    "activity.share": ("割合", "Share"),
    "activity.times": ("回数", "Times"),
    "activity.first": ("最初", "First"),
    "activity.last": ("最新", "Latest"),
    "activity.never": ("—", "—"),
    "activity.back": ("受け取り・検証状況に戻る", "Back to claims and checks"),
    "activity.credential.title": ("証明書の受け取り・検証状況", "A credential's claims and checks"),
    "activity.credential.caption": ("この証明書に起きたこと", "What happened to this credential"),
    "activity.credential.learner": ("学習者", "Learner"),
    "activity.credential.state": ("状態", "Status"),
    "activity.credential.page": ("証明書の詳細", "The credential's details"),
    "activity.claimed_by.wallet": ("このサイトのウォレット", "the wallet here"),
    "activity.claimed_by.oid4vci": ("ウォレットアプリ（OID4VCI）", "a wallet app (OID4VCI)"),
    "activity.claimed_by": ("受け取り先：{where}", "Claimed into {where}"),
    "activity.mail": ("この証明書のメール", "This credential's e-mail"),
    "activity.mail.caption": ("この証明書について送ったメール",
                              "E-mail sent about this credential"),
    "activity.mail.none": ("この証明書のメールはありません（メールアドレスなしで発行されました）。",
                           "No e-mail about this credential (it was issued without an "
                           "e-mail address)."),
    "activity.mail.preview": ("メールの種類を選ぶと、学習者が受け取ったとおりに表示します。",
                              "Open one to see it as the learner got it."),
    "activity.mail.kind": ("種類", "Kind"),
    "activity.mail.to": ("宛先", "To"),
    "activity.mail.state": ("状態", "State"),
    "activity.mail.when": ("日時", "When"),
    "activity.resend": ("もう一度送る", "Send it again"),
    "activity.resend.hint": (
        "同じアドレスに再送するか、正しいアドレスに直して送ります。いずれも監査ログに"
        "記録されます。",
        "Send it again to the same address, or to a corrected one. Either is recorded in "
        "the audit log."),
    "activity.resend.to": ("宛先のメールアドレス", "E-mail address to send to"),
    "activity.resend.button": ("送る", "Send"),
    "activity.done.resent": ("メールを送信待ちにしました。", "The e-mail is queued to be sent."),
    "activity.error.title": ("送れませんでした", "It was not sent"),
    "activity.error.to": ("メールアドレスの形式ではありません（例：name@example.jp）。",
                          "This is not an e-mail address (such as name@example.jp)."),
    "notices.title": ("学習者へのお知らせ", "Notices to learners"),
    "notices.intro": (
        "失効・一時停止・再開は、証明書のメールを受け取った学習者に必ず知らせます。"
        "受け取りのリマインダーと有効期限のお知らせはここで設定します。",
        "Learners are always told when their credential is revoked, suspended or "
        "reinstated. Reminders to claim and notices of an expiry coming are set here."),
    "notices.reminder": ("未受け取りのリマインダー（発行から何日後）",
                         "Remind those who have not claimed, after (days)"),
    "notices.reminder.hint": ("空欄にするとリマインダーを送りません。1 回だけ送ります。",
                              "Leave empty to send none. It is sent once."),
    "notices.expiry": ("有効期限のお知らせ（何日前、カンマ区切り）",
                       "Tell of an expiry coming (days before, separated by commas)"),
    "notices.expiry.hint": ("例：30, 7。空欄にすると送りません。",
                            "For example 30, 7. Leave empty to send none."),
    "notices.save": ("保存", "Save"),
    "notices.send": ("今すぐ送る", "Send what is due now"),
    "notices.send.hint": ("毎日自動で送られます。今すぐ送る場合はこちら。",
                          "They are sent every day by themselves; this sends what is due now."),
    "notices.done.saved": ("設定を保存しました。", "The settings are saved."),
    "notices.done.sent": ("リマインダー {reminders} 通、有効期限のお知らせ {expiry} 通を送信待ちに"
                          "しました。",
                          "{reminders} reminders and {expiry} expiry notices are queued."),
    "notices.error.title": ("保存できませんでした", "The settings were not saved"),
    "notices.link": ("学習者へのお知らせの設定", "Notices to learners"),
}
