"""The consent page's messages (the OAuth 2.0 authorization endpoint), as (ja, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "oauth.title": ("アプリケーションへのアクセス許可", "Allow an application in"),
    "oauth.asks": ("「{name}」が、あなたのアカウントへのアクセスを求めています。",
                   "“{name}” asks for access to your account."),
    "oauth.signed_in_as": ("サインイン中：{email}", "Signed in as {email}"),
    "oauth.who": ("アプリケーション", "The application"),
    "oauth.name": ("名前", "Name"),
    "oauth.site": ("サイト", "Site"),
    "oauth.returns_to": ("許可後の戻り先", "Sends you back to"),
    "oauth.terms": ("利用規約", "Terms of service"),
    "oauth.policy": ("プライバシーポリシー", "Privacy policy"),
    "oauth.what": ("許可すると、このアプリケーションは次のことができます",
                   "If you allow it, this application may"),
    "oauth.details": ("求められている証明書", "Credentials it asks for"),
    "oauth.unverified": ("credstack はこのアプリケーションを審査していません。"
                         "信頼できる場合にだけ許可してください。",
                         "credstack has not reviewed this application: allow it only if you "
                         "trust it."),
    "oauth.allow": ("許可する", "Allow"),
    "oauth.deny": ("許可しない", "Deny"),
    "oauth.answer": ("回答", "Your answer"),
}
