"""The accounts pages' messages, as (ja, en)."""

from __future__ import annotations

from credstack.core.access import ROLE_NAMES

MESSAGES: dict[str, tuple[str, str]] = {
    # The page header.
    "accounts.nav.label": ("アカウント", "Account"),
    "accounts.nav.sign_in": ("サインイン", "Sign in"),
    "accounts.nav.account": ("アカウント", "Account"),
    "accounts.nav.sign_out": ("サインアウト", "Sign out"),
    "accounts.nav.signed_in_as": ("{name} としてサインイン中", "Signed in as {name}"),
    # Signing in.
    "accounts.sign_in.title": ("サインイン", "Sign in"),
    "accounts.sign_in.intro": ("登録済みのメールアドレスとパスワードでサインインします。",
                               "Sign in with the e-mail address and password of your account."),
    "accounts.sign_in.email": ("メールアドレス", "E-mail address"),
    "accounts.sign_in.password": ("パスワード", "Password"),
    "accounts.sign_in.code": ("確認コード（設定している場合）",
                              "Authentication code (if you have set one up)"),
    "accounts.sign_in.code_hint": ("認証アプリに表示される 6 桁の数字。",
                                   "The six digits your authenticator app shows."),
    "accounts.sign_in.submit": ("サインイン", "Sign in"),
    "accounts.error.title": ("入力内容を確認してください", "Please check what you entered"),
    "accounts.error.wrong": ("メールアドレス、パスワードまたは確認コードが正しくありません。",
                             "The e-mail address, password or authentication code is wrong."),
    "accounts.error.locked": ("失敗が続いたため、サインインを一時的に停止しています。"
                              "{seconds} 秒後にもう一度お試しください。",
                              "Too many failed attempts: signing in is paused. Try again in "
                              "{seconds} seconds."),
    "accounts.error.form_expired": ("フォームの有効期限が切れました。もう一度入力してください。",
                                    "The form has expired. Please enter your details again."),
    "accounts.error.disabled": ("このアカウントは管理者によって無効化されています。"
                                "管理者にお問い合わせください。",
                                "This account has been disabled by an administrator. Please "
                                "ask an administrator."),
    "accounts.error.current_password": ("現在のパスワードが正しくありません。",
                                        "The current password is wrong."),
    "accounts.error.password_short": ("パスワードは 12 文字以上にしてください。",
                                      "The password must have at least 12 characters."),
    "accounts.error.password_long": ("パスワードは 1024 文字以内にしてください。",
                                     "The password must have at most 1024 characters."),
    "accounts.error.password_email": ("メールアドレスをパスワードにすることはできません。",
                                      "The password cannot be your e-mail address."),
    "accounts.error.password_again": ("確認用に入力したパスワードが一致しません。",
                                      "The two new passwords differ."),
    "accounts.error.code": ("確認コードが正しくないか、期限切れか、使用済みです。",
                            "The authentication code is wrong, expired or already used."),
    "accounts.error.client_scope": ("あなたの役割で使えるスコープを 1 つ以上選んでください。",
                                    "Choose at least one scope your roles allow."),
    "accounts.error.client_name": ("名前は 200 文字以内にしてください。",
                                   "The name must have at most 200 characters."),
    # The account page.
    "accounts.account.title": ("アカウント", "Your account"),
    "accounts.credentials.title": ("あなたの証明", "Your credentials"),
    "accounts.credentials.summary": (
        "ウォレットに {n} 件の証明があります（検証済み {verified} 件、合計 {hours} 時間）。",
        "Your wallet holds {n} credentials ({verified} verified, {hours} hours in all)."),
    "accounts.credentials.open": ("ウォレットを開く（{n} 件）", "Open your wallet ({n})"),
    "accounts.credentials.none": (
        "まだ証明はありません。確認済みのメールアドレス宛てにこのプラットフォームで発行された"
        "証明は、自動でウォレットに届きます。ほかの証明は取り込めます。",
        "No credentials yet. Those issued on this platform to your verified e-mail address "
        "arrive in your wallet by themselves; others can be imported."),
    "accounts.credentials.import": ("ウォレットで証明を取り込む", "Import a credential"),
    "accounts.account.name": ("表示名", "Name"),
    "accounts.account.email": ("メールアドレス", "E-mail address"),
    "accounts.account.memberships": ("所属と役割", "Organisations and roles"),
    "accounts.account.no_memberships": ("役割はまだありません。",
                                        "You have no roles yet."),
    "accounts.account.organisation": ("組織", "Organisation"),
    "accounts.account.role": ("役割", "Role"),
    "accounts.account.platform": ("プラットフォーム全体", "The whole platform"),
    "accounts.done.totp-on": ("二要素認証（TOTP）を有効にしました。",
                              "Two-factor authentication (TOTP) is on."),
    "accounts.done.totp-off": ("二要素認証（TOTP）を無効にしました。",
                               "Two-factor authentication (TOTP) is off."),
    "accounts.done.lti-linked": ("LMS のアカウントを連携しました。", "The LMS account is linked."),
    "accounts.done.lti-linked-moved": ("LMS のアカウントを連携しました。この LMS で以前に授与された"
                                       "証明をウォレットに移しました。",
                                       "The LMS account is linked. The credentials the LMS "
                                       "awarded it before are now in your wallet."),
    "accounts.done.lti-unlinked": ("LMS のアカウントの連携を解除しました。",
                                   "The LMS account is unlinked."),
    "accounts.done.client-revoked": ("API クライアントを失効させました。",
                                     "The API client has been revoked."),
    "accounts.done.password-changed": ("パスワードを変更しました。ほかの端末のサインインは"
                                       "終了しました。",
                                       "Your password has been changed; you are signed out "
                                       "everywhere else."),
    "accounts.done.password-set": ("新しいパスワードを設定しました。サインインしてください。",
                                   "Your new password is set. Please sign in."),
    # Passwords.
    "accounts.password.title": ("パスワード", "Password"),
    "accounts.password.intro": ("パスワードを変更すると、ほかの端末のサインインは終了します。",
                                "Changing your password signs you out everywhere else."),
    "accounts.password.current_password": ("現在のパスワード", "Current password"),
    "accounts.password.new_password": ("新しいパスワード", "New password"),
    "accounts.password.new_password_again": ("新しいパスワード（確認）", "New password again"),
    "accounts.password.hint": ("12 文字以上。メールアドレスは使えません。",
                               "At least 12 characters, and not your e-mail address."),
    "accounts.password.submit": ("パスワードを変更", "Change the password"),
    "accounts.reset.title": ("パスワードの再設定", "Set a new password"),
    "accounts.reset.intro": ("{email} の新しいパスワードを設定します。このリンクは一度だけ"
                             "使えます。",
                             "Set a new password for {email}. This link works only once."),
    "accounts.reset.submit": ("パスワードを設定", "Set the password"),
    "accounts.reset.invalid": ("このリンクは使えません（使用済み、期限切れ、または不明なリンク"
                               "です）。サインインのページから新しいリンクを申し込むか、管理者に"
                               "依頼してください。",
                               "This link cannot be used: it is unknown, used or expired. Ask "
                               "for a new one from the sign-in page, or ask an administrator."),
    # Asking for a reset link by e-mail.
    "accounts.sign_in.forgot": ("パスワードを忘れた場合", "Forgot your password?"),
    "accounts.forgot.title": ("パスワードの再設定を申し込む", "Reset a forgotten password"),
    "accounts.forgot.intro": ("アカウントのメールアドレスを入力してください。新しいパスワードを"
                              "設定するためのリンクをお送りします。",
                              "Enter your account's e-mail address: we e-mail you a link to "
                              "choose a new password."),
    "accounts.forgot.submit": ("再設定用のリンクを送信", "E-mail me a link"),
    "accounts.forgot.sent_title": ("メールを確認してください", "Check your e-mail"),
    "accounts.forgot.sent": ("入力されたアドレスにアカウントがあれば、パスワード再設定用の"
                             "リンクをお送りしました。リンクは {minutes} 分間、1 回だけ使えます。",
                             "If the address you entered has an account, we have e-mailed it "
                             "a link to choose a new password. The link works once, for "
                             "{minutes} minutes."),
    "accounts.forgot.sent_more": ("メールが届かない場合は、迷惑メールフォルダを確認するか、"
                                  "しばらくしてからもう一度お申し込みください。",
                                  "No e-mail? Look in your spam folder, or ask again in a "
                                  "while."),
    "accounts.forgot.unavailable": ("このサイトではメールによるパスワードの再設定はできません。"
                                    "所属組織の管理者に再設定リンクを依頼してください。",
                                    "Passwords are not reset by e-mail here: ask your "
                                    "organisation's administrator for a reset link."),
    "accounts.forgot.limited": ("このメールアドレスまたはこのネットワークからの申し込みが多すぎ"
                                "ます。{seconds} 秒後にもう一度お試しください。",
                                "Too many requests for this e-mail address or from this "
                                "network: try again in {seconds} seconds."),
    # Signing up on one's own.
    "accounts.sign_in.no_account": ("アカウントをお持ちでない方（修了証をメールで受け取った"
                                    "方など）",
                                    "No account yet (were you e-mailed a credential?)"),
    "accounts.sign_in.sign_up": ("アカウントを作成する", "Create an account"),
    "accounts.sign_up.title": ("アカウントの作成", "Create an account"),
    "accounts.sign_up.intro": ("修了証を受け取ったメールアドレスで登録すると、発行済みの修了証が"
                               "ウォレットに届きます。確認のため、登録したアドレスにリンクを"
                               "お送りします。",
                               "Sign up with the e-mail address your credentials were sent to: "
                               "they arrive in your wallet. To confirm the address, we e-mail a "
                               "link to it."),
    "accounts.sign_up.email_hint": ("確認用のリンクをこのアドレスにお送りします。",
                                    "The confirmation link is sent to this address."),
    "accounts.sign_up.display_name": ("表示名", "Display name"),
    "accounts.sign_up.display_name_hint": ("200 文字以内。修了証の記載内容は変わりません。",
                                           "At most 200 characters. It does not change what "
                                           "your credentials say."),
    "accounts.sign_up.password": ("パスワード", "Password"),
    "accounts.sign_up.show_password": ("パスワードを表示する", "Show the password"),
    "accounts.sign_up.submit": ("確認メールを送信", "Send the confirmation e-mail"),
    "accounts.sign_up.have_account": ("アカウントをお持ちの方は", "Have an account already?"),
    "accounts.sign_up.sent_title": ("メールを確認してください", "Check your e-mail"),
    "accounts.sign_up.sent": ("入力されたアドレスにメールを送信しました。メール内のリンクを "
                              "{hours} 時間以内に開くと、登録が完了してサインインします。",
                              "We have sent an e-mail to the address you entered. Open its "
                              "link within {hours} hours to finish: you are then signed in."),
    "accounts.sign_up.sent_more": ("メールが届かない場合は、迷惑メールフォルダを確認するか、"
                                   "しばらくしてからもう一度登録してください。すでにアカウントが"
                                   "ある場合は、その旨をお知らせするメールが届きます。",
                                   "No e-mail? Look in your spam folder, or sign up again in a "
                                   "while. If the address has an account already, the e-mail "
                                   "says so instead."),
    "accounts.sign_up.confirm_title": ("アカウント作成の確認", "Confirm your account"),
    "accounts.sign_up.confirm": ("{email} のアカウントを作成してサインインします。",
                                 "Create the account of {email} and sign in."),
    "accounts.sign_up.confirm_submit": ("アカウントを作成", "Create the account"),
    "accounts.sign_up.confirm_password": ("パスワード", "Password"),
    "accounts.sign_up.confirm_password_hint": ("登録時に設定したパスワードをもう一度入力して"
                                               "ください。",
                                               "The password you chose when you signed up."),
    "accounts.sign_up.wrong_password": ("登録時に設定したパスワードと異なります。ご自身で申し"
                                        "込んでいない場合は、このリンクを使わず、改めて登録して"
                                        "ください。",
                                        "This is not the password chosen when signing up. If "
                                        "you did not ask for this account, ignore the link and "
                                        "sign up yourself."),
    "accounts.sign_up.invalid": ("この登録リンクは使えません（不明・使用済み・期限切れ、または"
                                 "新しいリンクを送信済み）。もう一度登録して新しいリンクを受け"
                                 "取るか、作成済みの場合はサインインしてください。",
                                 "This sign-up link cannot be used: it is unknown, used or "
                                 "expired, or a newer one was sent. Sign up again for a new "
                                 "link, or sign in if you have made your account."),
    "accounts.sign_up.exists": ("このアドレスのアカウントはすでにあります。サインインして"
                                "ください。",
                                "This address has an account already: please sign in."),
    "accounts.sign_up.closed": ("このサイトではアカウントを自分で作成できません。所属組織の"
                                "管理者にアカウントの作成または招待を依頼してください。",
                                "Accounts are not made here on one's own: ask your "
                                "organisation's administrator for an account or an invitation."),
    "accounts.sign_up.limited": ("このメールアドレスまたはこのネットワークからの登録の申し込みが"
                                 "多すぎます。{seconds} 秒後にもう一度お試しください。",
                                 "Too many sign-up requests for this e-mail address or from "
                                 "this network: try again in {seconds} seconds."),
    "accounts.error.display_name": ("表示名は 1〜200 文字で入力してください。",
                                    "The display name must have 1 to 200 characters."),
    "accounts.error.email": ("メールアドレスの形式が正しくありません。",
                             "This is not an e-mail address."),
    # The people page.
    "accounts.people.link": ("利用者の管理", "Manage people"),
    "accounts.people.title": ("利用者", "People"),
    "accounts.people.intro": ("管理しているアカウントの一覧です。パスワード再設定リンクは一度だけ"
                              "表示されます。本人に安全な方法で渡してください。",
                              "The accounts you look after. A password reset link is shown "
                              "only once: hand it to its user by a safe way."),
    "accounts.people.actions": ("操作", "Actions"),
    "accounts.people.none": ("管理している利用者はいません。", "You look after nobody yet."),
    "accounts.people.disabled": ("無効", "Disabled"),
    "accounts.people.reset": ("{name} のパスワード再設定リンクを作成",
                              "Make a password reset link for {name}"),
    "accounts.people.disable": ("{name} を無効化", "Disable {name}"),
    "accounts.people.enable": ("{name} を有効化", "Enable {name}"),
    "accounts.people.reset_made": ("{email} のパスワード再設定リンクです（{hours} 時間有効、"
                                   "一度だけ使えます）。",
                                   "The password reset link for {email} (valid for {hours} "
                                   "hours, once):"),
    "accounts.people.done.disabled": ("アカウントを無効化しました。サインイン中のセッションは"
                                      "終了しました。",
                                      "The account is disabled; its sessions have ended."),
    "accounts.people.done.enabled": ("アカウントを有効化しました。", "The account is enabled."),
    # TOTP.
    "accounts.totp.title": ("二要素認証（TOTP）", "Two-factor authentication (TOTP)"),
    "accounts.totp.on": ("有効です。サインインには認証アプリの確認コードも必要です。",
                         "On: signing in also needs a code from your authenticator app."),
    "accounts.totp.off": ("無効です。認証アプリ（RFC 6238 TOTP 対応）を登録すると、"
                          "パスワードに加えて確認コードが必要になります。",
                          "Off. Set up an authenticator app (RFC 6238 TOTP) to need a code "
                          "as well as your password."),
    "accounts.totp.enrol": ("認証アプリを設定する", "Set up an authenticator app"),
    "accounts.totp.disable": ("二要素認証を無効にする", "Turn two-factor authentication off"),
    "accounts.totp.code": ("現在の確認コード", "Current authentication code"),
    "accounts.totp_page.title": ("認証アプリの設定", "Set up your authenticator app"),
    "accounts.totp_page.intro": ("認証アプリでこの QR コードを読み取るか、秘密鍵を入力してから、"
                                 "表示された確認コードを入力してください。",
                                 "Scan this QR code with your authenticator app, or enter the "
                                 "secret key, then enter the code it shows."),
    "accounts.totp_page.qr": ("認証アプリ用の QR コード", "QR code for your authenticator app"),
    "accounts.totp_page.secret": ("秘密鍵", "Secret key"),
    "accounts.totp_page.confirm": ("確認して有効にする", "Confirm and turn on"),
    "accounts.totp_page.back": ("アカウントに戻る", "Back to your account"),
    # API clients.
    "accounts.clients.title": ("API クライアント", "API clients"),
    "accounts.clients.intro": ("OAuth 2.0 クライアントクレデンシャルで API を使うプログラム用です。"
                               "トークンは POST /oauth/token で取得します。",
                               "For programs that use the API with OAuth 2.0 client "
                               "credentials; they get tokens from POST /oauth/token."),
    "accounts.clients.none": ("API クライアントはありません。", "You have no API clients."),
    "accounts.clients.client_id": ("クライアント ID", "Client ID"),
    "accounts.clients.name": ("名前", "Name"),
    "accounts.clients.scopes": ("スコープ", "Scopes"),
    "accounts.clients.state": ("状態", "State"),
    "accounts.clients.active": ("有効", "Active"),
    "accounts.clients.revoked": ("失効", "Revoked"),
    "accounts.clients.revoke": ("{name} を失効させる", "Revoke {name}"),
    "accounts.clients.create": ("API クライアントを作成", "Create an API client"),
    "accounts.clients.choose_scopes": ("許可するスコープ", "Scopes it may ask for"),
    "accounts.clients.no_scopes": ("あなたの役割では API クライアントに与えられる"
                                   "スコープがありません。",
                                   "Your roles allow no scopes for an API client."),
    "accounts.clients.created": ("API クライアントを作成しました。シークレットはこの一度しか"
                                 "表示されません。安全な場所に保存してください。",
                                 "The API client has been created. Its secret is shown only "
                                 "this once: store it somewhere safe."),
    "accounts.clients.secret": ("クライアントシークレット", "Client secret"),
    # Your data: the wallet's archive and closing the account.
    "accounts.data.title": ("あなたのデータ", "Your data"),
    "accounts.data.archive": ("ウォレットのすべて（取り込んだままの証明、検証レポート、一覧）を"
                              "ZIP ファイルでダウンロードできます。",
                              "Download your whole wallet as a ZIP file: every credential as "
                              "imported, its verification report, and a manifest."),
    "accounts.data.download": ("アーカイブをダウンロード", "Download the archive"),
    "accounts.delete.title": ("アカウントの削除", "Delete your account"),
    "accounts.delete.explain": ("アカウントを削除すると、ウォレットの証明、識別子、保有者の鍵、"
                                "コレクション、共有リンクもすべて削除され、元に戻せません。"
                                "先にアーカイブをダウンロードしてください。",
                                "Deleting your account deletes your wallet with it — "
                                "credentials, identifiers, holder key, collections and share "
                                "links — and cannot be undone. Download the archive first."),
    "accounts.delete.email": ("確認のためメールアドレス", "Your e-mail address, to confirm"),
    "accounts.delete.password": ("パスワード", "Password"),
    "accounts.delete.understand": ("元に戻せないことを理解しました",
                                   "I understand that this cannot be undone"),
    "accounts.delete.submit": ("アカウントを削除", "Delete my account"),
    "accounts.delete.wrong": ("メールアドレスまたはパスワードが正しくありません。",
                              "The e-mail address or password is wrong."),
    "accounts.delete.unconfirmed": ("元に戻せないことの確認にチェックを入れてください。",
                                    "Tick the box to confirm that this cannot be undone."),
    "accounts.delete.kept": ("このアカウントには認定審査の記録があるため削除できません。"
                             "レジストリ管理者に無効化を依頼してください。",
                             "This account holds records of recognition reviews, which the "
                             "recognition process keeps: ask the registry admin to disable "
                             "it instead."),
    "accounts.delete.done": ("アカウントとウォレットを削除しました。",
                             "Your account and wallet have been deleted."),
}

# The demo accounts a demo server lists on its sign-in page (credstack.demo.accounts).
MESSAGES.update({
    "accounts.demo.title": ("デモ用アカウント", "Demo accounts"),
    "accounts.demo.intro": ("このデモサーバーでは次のアカウントで各役割を試せます。"
                            "パスワード（全アカウント共通）：",
                            "Try each role on this demo server with these accounts. The "
                            "password of every one:"),
    "accounts.demo.caption": ("デモ用アカウントと、サインイン後に開くページ",
                              "Demo accounts, and where each lands after signing in"),
    "accounts.demo.email": ("メールアドレス", "E-mail address"),
    "accounts.demo.role": ("役割", "Role"),
    "accounts.demo.home": ("サインイン後のページ", "Lands on"),
    **{f"accounts.demo.role.{role.value}": names for role, names in ROLE_NAMES.items()},
    # Named by the place each account lands on (credstack.core.access.homes), so that the
    # table says where signing in really goes.
    **{f"accounts.demo.home.{place}": names for place, names in {
        "console": ("運営コンソール", "the operator's console"),
        "workspace": ("組織のワークスペース", "the organisation's workspace"),
        "issuing": ("証明書の発行", "issuing credentials"),
        "review": ("審査待ちの一覧", "the review queue"),
        "wallet": ("ウォレット", "the wallet"),
        "employers": ("人材マッチングと検証", "matching and verification"),
        "creditbank": ("単位認定の申請と決定", "credit-bank decisions"),
    }.items()},
})
