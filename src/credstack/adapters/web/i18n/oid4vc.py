"""The OpenID for Verifiable Credentials pages' messages, as (ja, en): a credential offered to
a wallet app (QR code and transaction code), and the employer's presentation requests."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "offer.button": ("ウォレットアプリに送る（OpenID4VCI）", "Send to a wallet app (OpenID4VCI)"),
    "offer.intro": ("お使いのウォレットアプリ（OpenID for Verifiable Credential Issuance "
                    "対応）でこの証明を受け取れます。",
                    "Receive this credential in a wallet app that speaks OpenID for "
                    "Verifiable Credential Issuance."),
    "offer.title": ("ウォレットアプリで受け取る", "Receive in a wallet app"),
    "offer.scan": ("ウォレットアプリでこの QR コードを読み取ってください。",
                   "Scan this QR code with your wallet app."),
    "offer.qr_alt": ("証明の提供（OpenID4VCI）の QR コード",
                     "QR code of the credential offer (OpenID4VCI)"),
    "offer.same_device": ("この端末のウォレットアプリで開く",
                          "Open in a wallet app on this device"),
    "offer.tx_code": ("確認コード（ウォレットアプリに入力してください）",
                      "Transaction code (type it into the wallet app)"),
    "offer.tx_code_note": ("確認コードは QR コードに含まれていません。他の人に見せないでください。",
                           "The code is not in the QR code: do not show it to anyone."),
    "offer.expires": ("有効期限：{when}（1 回限り）", "Valid until {when}, once"),
    "offer.refused": ("この証明はウォレットアプリに送れません。",
                      "This credential cannot be sent to a wallet app."),
    "offer.issuer_scan": ("学習者にウォレットアプリでこの QR コードを読み取ってもらってください。",
                          "Have the learner scan this QR code with their wallet app."),
    "offer.issuer_button": ("学習者のウォレットアプリに渡す（OpenID4VCI）",
                            "Hand to the learner's wallet app (OpenID4VCI)"),
    "receive.title": ("他の発行者から受け取る（OpenID4VCI）",
                      "Receive from another issuer (OpenID4VCI)"),
    "receive.form": ("証明の提供（オファー）を貼り付ける", "Paste a credential offer"),
    "receive.intro": ("発行者から届いた openid-credential-offer:// で始まるリンクを貼り付けると、"
                      "証明をこのウォレットに受け取ります。",
                      "Paste the openid-credential-offer:// link an issuer gave you to receive "
                      "the credential into this wallet."),
    "receive.offer": ("証明の提供（オファー）のリンク", "Credential offer link"),
    "receive.offer_hint": ("openid-credential-offer:// で始まります。",
                           "It starts with openid-credential-offer://."),
    "receive.tx_code": ("確認コード（求められた場合）", "Transaction code (if you were given one)"),
    "receive.tx_code_hint": ("発行者から別に伝えられた数字です。",
                             "The digits the issuer gave you separately."),
    "receive.submit": ("受け取る", "Receive"),
    "receive.done": ("証明を受け取りました。", "The credential was received."),
    "receive.already": ("この証明はすでにウォレットにあります。",
                        "This credential is already in your wallet."),
    "receive.open": ("受け取った証明を見る", "See the received credential"),
    "receive.link": ("他の発行者から受け取る", "Receive from another issuer"),
    "offer.back": ("証明に戻る", "Back to the credential"),
    "verifier.title": ("証明の提示を求める（OpenID4VP）", "Ask for a credential (OpenID4VP)"),
    "verifier.intro": ("応募者のウォレットアプリにマイクロクレデンシャルの提示を求めます。"
                       "QR コードを読み取ってもらうと、届いた証明をこのページで検証します。",
                       "Ask an applicant's wallet app for a micro-credential. Once they scan "
                       "the QR code, what arrives is verified on this page."),
    "verifier.label": ("メモ（応募者名など、任意）", "Note (the applicant's name, optional)"),
    "verifier.create": ("QR コードを作る", "Make the QR code"),
    "verifier.scan": ("応募者のウォレットアプリでこの QR コードを読み取ってもらってください。",
                      "Have the applicant scan this QR code with their wallet app."),
    "verifier.qr_alt": ("提示要求（OpenID4VP）の QR コード",
                        "QR code of the presentation request (OpenID4VP)"),
    "verifier.waiting": ("まだ回答はありません。読み取り後にこのページを再読み込みしてください。",
                         "No answer yet: reload this page once it has been scanned."),
    "verifier.reload": ("再読み込み", "Reload"),
    "verifier.outcome": ("結果", "Outcome"),
    "verifier.verified": ("検証できました", "Verified"),
    "verifier.not_verified": ("検証できませんでした", "Not verified"),
    "verifier.error": ("ウォレットが提示を断りました", "The wallet declined"),
    "verifier.answered": ("回答のあった証明", "Credentials answered"),
}
