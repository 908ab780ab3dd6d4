"""The share links' messages (the owner's page and the public page), as (ja, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # The owner's page.
    "shares.nav": ("共有リンク", "Share links"),
    "shares.title": ("共有リンク", "Share links"),
    "shares.intro": ("証明書またはコレクションを、リンクを知っている人に見せることができます。"
                     "リンクを開くたびに証明書は検証し直されます。期限とアクセスコードを設定でき、"
                     "いつでも取り消せます。",
                     "Show a credential or a collection to anyone who has the link. Each time "
                     "the link is opened, every credential is verified again. A link can have "
                     "an expiry and an access code, and you can revoke it at any time."),
    "shares.new": ("共有リンクを作成", "Make a share link"),
    "shares.what": ("共有するもの", "What to share"),
    "shares.what_credential": ("証明書：{title}", "Credential: {title}"),
    "shares.what_collection": ("コレクション：{name}", "Collection: {name}"),
    "shares.nothing": ("共有できる証明書やコレクションがまだありません。",
                       "There is nothing to share yet: import a credential first."),
    "shares.label": ("ラベル（自分用のメモ、例：応募先）",
                     "Label (for you, such as who it is for)"),
    "shares.expires": ("有効期間", "Valid for"),
    "shares.expires_none": ("期限なし", "No expiry"),
    "shares.expires_days": ("{days} 日", "{days} days"),
    "shares.code": ("アクセスコード（任意、4 文字以上）",
                    "Access code (optional, 4 characters or more)"),
    "shares.code_hint": ("設定すると、リンクを開く人はこのコードを入力する必要があります。",
                         "If you set one, whoever opens the link must type it."),
    "shares.create": ("リンクを作成", "Make the link"),
    "shares.created": ("共有リンクを作成しました。コピーして共有してください。このアドレスは、"
                       "リンクが有効な間は下の「作成したリンク」でいつでも確認できます。",
                       "The share link is ready: copy it and send it. While the link is "
                       "active, its address stays under “Your links” below."),
    "shares.address": ("リンクのアドレス", "The link's address"),
    "shares.copy": ("コピー", "Copy"),
    "shares.copied": ("コピーしました", "Copied"),
    "shares.yours": ("作成したリンク", "Your links"),
    "shares.none": ("共有リンクはまだありません。", "You have no share links yet."),
    "shares.target": ("共有しているもの", "Shows"),
    "shares.state": ("状態", "State"),
    "shares.state.active": ("有効", "Active"),
    "shares.state.revoked": ("取り消し済み", "Revoked"),
    "shares.state.expired": ("期限切れ", "Expired"),
    "shares.views": ("閲覧数", "Views"),
    "shares.created_at": ("作成日", "Made"),
    "shares.expires_at": ("期限", "Expires"),
    "shares.with_code": ("アクセスコードあり", "Access code"),
    "shares.revoke": ("「{label}」のリンクを取り消す", "Revoke the link “{label}”"),
    "shares.revoked": ("リンクを取り消しました。今後このリンクを開いても表示されません。",
                       "The link is revoked: from now on it shows nothing."),
    "shares.error": ("共有リンクを作成できませんでした：{reason}",
                     "The link could not be made: {reason}"),
    "shares.share_this": ("この証明書を共有", "Share this credential"),
    # The public page.
    "share.title": ("{name} さんの証明書", "Credentials of {name}"),
    "share.title_collection": ("{name} さんのコレクション「{title}」",
                               "{name}’s collection “{title}”"),
    "share.intro": ("{name} さんがこのページを共有しています。各証明書はこのページを開いた時点で"
                    "検証されています。",
                    "{name} shared this page with you. Every credential below was verified "
                    "just now, when you opened it."),
    "share.expires": ("このリンクの期限：{date}", "This link expires on {date}."),
    "share.linkedin": ("LinkedIn のプロフィールに追加", "Add to LinkedIn profile"),
    "share.code_title": ("アクセスコードを入力してください", "Enter the access code"),
    "share.code_intro": ("このリンクを見るにはアクセスコードが必要です。"
                         "共有した方に確認してください。",
                         "This link asks for an access code; the person who shared it can "
                         "tell you."),
    "share.code": ("アクセスコード", "Access code"),
    "share.code_wrong": ("アクセスコードが正しくありません。", "The access code is wrong."),
    "share.open": ("開く", "Open"),
    "share.gone_title": ("このリンクは公開が終了しています", "This link is no longer available"),
    "share.gone": ("共有した方がリンクを取り消したか、期限が切れています。",
                   "The person who shared it revoked the link, or it expired."),
    "share.unknown_title": ("共有リンクが見つかりません", "No such share link"),
    "share.unknown": ("アドレスが正しいか確認してください。",
                      "Check that the address is complete."),
    "share.limited": ("試行が多すぎます。しばらくしてからお試しください。",
                      "Too many attempts: try again later."),
    "share.empty": ("このコレクションには証明書がありません。",
                    "This collection holds no credentials."),
    "share.verified_by": ("credstack がこのページを開いた時点で検証しました。",
                          "Checked by credstack when this page was opened."),
    # Presenting to a verifier, and a CLR of a selection.
    "wallet.present.nav": ("提示", "Present"),
    "wallet.present.title": ("検証者への提示", "Present to a verifier"),
    "wallet.present.intro": ("採用担当者や大学などの検証者が、チャレンジ（一度限りの値）と"
                             "ドメインを示して証明書の提示を求めたときに使います。選んだ証明書を、"
                             "あなたの保有者の鍵で署名したプレゼンテーションとしてダウンロードし、"
                             "検証者に渡してください。その要求にだけ有効です。",
                             "When a verifier — an employer's or a university's system — asks "
                             "you for credentials with a challenge (a one-time value) and its "
                             "domain, choose the credentials here and download a presentation "
                             "signed with your holder key to give them. It is valid for that "
                             "one request only."),
    "wallet.present.to_verifier": ("プレゼンテーションを作成", "Make a presentation"),
    "wallet.present.choose": ("含める証明書", "Credentials to include"),
    "wallet.present.challenge": ("チャレンジ", "Challenge"),
    "wallet.present.challenge_hint": ("検証者から示された値をそのまま入力してください。",
                                      "Type the value the verifier gave you, exactly."),
    "wallet.present.domain": ("検証者のドメイン", "The verifier’s domain"),
    "wallet.present.submit": ("署名してダウンロード", "Sign and download"),
    "wallet.present.none": ("証明書を 1 件以上選んでください。", "Choose at least one credential."),
    "wallet.present.this": ("検証者に提示", "Present to a verifier"),
    "wallet.clr.title": ("学修歴の CLR を作成", "Make a CLR of your record"),
    "wallet.clr.intro": ("選んだ証明書を 1 つの CLR 2.0（包括的学修記録）にまとめ、あなたの鍵で"
                         "署名してダウンロードします。各証明書は発行者の署名のまま含まれます。",
                         "Bundle the chosen credentials into one CLR 2.0 (Comprehensive "
                         "Learner Record), signed with your key; each credential keeps its "
                         "issuer's own signature."),
    "wallet.clr.name": ("CLR の名前（任意）", "The CLR's name (optional)"),
    "wallet.clr.submit": ("CLR をダウンロード", "Download the CLR"),
}
