"""The workspace pages' messages, as (ja, en): an organisation's home, members and
invitations, API clients, issuer keys, certificate authority and profile."""

from __future__ import annotations

from credstack.core.access import ROLE_NAMES

MESSAGES: dict[str, tuple[str, str]] = {
    "workspace.title": ("ワークスペース", "Workspace"),
    "workspace.nav": ("ワークスペース", "Workspace"),
    "workspace.intro": (
        "所属する組織のマイクロクレデンシャル業務（プログラム、発行、メンバー、鍵など）を"
        "ここから管理します。",
        "Run your organisations' micro-credentials from here: programmes, issuing, members, "
        "keys and more."),
    "workspace.none": ("所属している組織はまだありません。組織の管理者から招待を受けてください。",
                       "You do not belong to an organisation yet. Ask its administrator to "
                       "invite you."),
    "workspace.your_roles": ("あなたの役割", "Your roles"),
    "workspace.registry_admin": ("レジストリ管理者として管理できます。",
                                 "You administer it as a registry admin."),
    # The navigation of an organisation's workspace.
    "workspace.nav.label": ("{name} のワークスペース", "{name}'s workspace"),
    "workspace.nav.home": ("概要", "Overview"),
    "workspace.nav.programmes": ("プログラム", "Programmes"),
    "workspace.nav.issue": ("発行", "Issue"),
    "workspace.nav.credentials": ("発行済み証明書", "Credentials"),
    "workspace.nav.members": ("メンバー", "Members"),
    "workspace.nav.clients": ("API クライアント", "API clients"),
    "workspace.nav.keys": ("発行者鍵", "Keys"),
    "workspace.nav.authority": ("認証局", "Certificate authority"),
    "workspace.nav.profile": ("組織情報", "Profile"),
    "workspace.nav.lti": ("LMS 連携", "LMS (LTI)"),
    "workspace.nav.jobs": ("ジョブ", "Jobs"),
    "workspace.nav.mail": ("メール", "E-mail"),
    "workspace.nav.review": ("認定審査", "Recognition"),
    "workspace.home.review": ("認定の申請・審査・決定（審査待ちの一覧）",
                              "Apply for recognition, review and decide (the queue)"),
    "workspace.queue.title": ("審査待ち", "Your review queue"),
    "workspace.queue.count": ("あなたの対応を待つ申請：{n} 件",
                              "{n} applications wait for you"),
    "workspace.queue.count.one": ("あなたの対応を待つ申請：{n} 件",
                                  "{n} application waits for you"),
    "workspace.queue.open": ("審査の一覧を開く", "Open the review queue"),
    "workspace.mail.title": ("送信メール", "E-mail sent"),
    "workspace.mail.intro": ("発行通知などこの組織から学習者へ送るメールの状況です。"
                             "失敗したメールは理由とともに表示されます。",
                             "The e-mail this organisation sends learners (credentials issued, "
                             "and more), and what became of each; failures show their reason."),
    "workspace.mail.not_configured": ("メールサーバーが設定されていないため、メールは送信されず"
                                      "送信待ちのまま保管されています。",
                                      "No mail server is configured: e-mail is not sent, and "
                                      "waits in the outbox."),
    "workspace.mail.counts": ("状態ごとの件数", "By state"),
    "workspace.mail.unreadable": ("（内容を復元できません）", "(its content cannot be restored)"),
    "workspace.mail.state.pending": ("送信待ち", "Waiting"),
    "workspace.mail.state.sent": ("送信済み", "Sent"),
    "workspace.mail.state.failed": ("送信失敗", "Failed"),
    "workspace.mail.state.bounced": ("不達", "Bounced"),
    "workspace.mail.state.withdrawn": ("取り下げ済み", "Withdrawn"),
    "workspace.mail.withdrawn": ("このメールは送信前に取り下げられました（修了証が失効したため）。"
                                 "送信されることはありません。",
                                 "This e-mail was withdrawn before it was sent (its credential "
                                 "was revoked) and is never sent."),
    "workspace.mail.filter": ("表示する状態", "Show"),
    "workspace.mail.every_state": ("すべて", "Every state"),
    "workspace.mail.show": ("表示", "Show"),
    "workspace.mail.latest": ("最近のメール", "Latest e-mail"),
    "workspace.mail.caption": ("最近のメール {count} 件", "The latest {count} e-mails"),
    "workspace.mail.to": ("宛先", "To"),
    "workspace.mail.subject": ("件名", "Subject"),
    "workspace.mail.state": ("状態", "State"),
    "workspace.mail.attempts": ("試行回数", "Attempts"),
    "workspace.mail.when": ("日時", "When"),
    "workspace.mail.error": ("最後のエラー", "Last error"),
    "workspace.mail.sent_at": ("{date} に送信", "sent {date}"),
    "workspace.mail.next_at": ("{date} に再試行", "next try {date}"),
    "workspace.mail.none": ("該当するメールはありません。", "No e-mail here."),
    "workspace.mail.sender": ("差出人名", "Sender name"),
    "workspace.mail.sender_name": ("メールの差出人として表示する名前",
                                   "The name e-mail is sent under"),
    "workspace.mail.sender_hint": ("空欄にすると組織名（{name}）で送信します。",
                                   "Left empty, e-mail goes under the organisation's name "
                                   "({name})."),
    "workspace.mail.sender_save": ("差出人名を保存", "Save the sender name"),
    "workspace.mail.done.sender": ("差出人名を保存しました。", "The sender name was saved."),
    "workspace.mail.template.credential_issued": ("修了証の発行通知", "Credential issued"),
    "workspace.mail.template.credential_revoked": ("修了証の失効通知", "Credential revoked"),
    "workspace.mail.template.review_reminder": ("審査のリマインダー", "Review reminder"),
    "workspace.mail.template.invitation": ("組織への招待", "Invitation"),
    "workspace.mail.template.sign_up": ("アカウント作成の確認", "Sign-up confirmation"),
    "workspace.mail.template.sign_up_existing": ("既存アカウントの案内",
                                                 "Sign-up with an existing account"),
    "workspace.mail.template.password_reset": ("パスワードの再設定", "Password reset"),
    "workspace.mail.message": ("メールの内容", "The e-mail"),
    "workspace.mail.back": ("送信メールの一覧へ戻る", "Back to the e-mail sent"),
    "workspace.mail.body": ("本文", "Text"),
    "workspace.mail.unrenderable": ("保存された内容からこのメールを作れません。",
                                    "This e-mail cannot be written from what was stored."),
    "workspace.mail.links": ("本文中のリンク", "Links in the text"),
    "workspace.mail.resend": ("もう一度送る", "Send it again"),
    "workspace.mail.resend_hint": ("送信待ちに戻し、すぐに送ります（メールサーバーが設定されて"
                                   "いる場合）。操作は監査ログに記録されます。",
                                   "It goes back to waiting and is sent at once (when a mail "
                                   "server is set up). This is recorded in the audit log."),
    "workspace.mail.resend_button": ("このメールをもう一度送る", "Send this e-mail again"),
    "workspace.mail.done.resent": ("送信待ちに戻しました。", "It is waiting to be sent again."),
    "workspace.home.what": ("できること", "What you can do here"),
    "workspace.home.programmes": ("プログラムの作成・編集・公開", "Describe, check and publish "
                                  "programmes"),
    "workspace.home.issue": ("学習者 1 人または CSV の受講者全員への発行",
                             "Issue to one learner or to a cohort from a CSV file"),
    "workspace.home.credentials": ("発行した証明書の検索・失効・停止",
                                   "Find, revoke and suspend the credentials issued"),
    "workspace.home.members": ("メンバーの招待、役割の変更、削除",
                               "Invite members, change their roles, remove them"),
    "workspace.home.clients": ("API クライアントの作成と取消し",
                               "Make and revoke API clients"),
    "workspace.home.keys": ("発行者鍵（DID）の作成とローテーション",
                            "Create and rotate the issuer keys and see their DIDs"),
    "workspace.home.authority": ("PDF 証明書に署名する認証局の作成と更新",
                                 "Create and renew the authority that signs PDF certificates"),
    "workspace.home.profile": ("組織の公開情報の編集", "Edit the organisation's public profile"),
    "workspace.home.jobs": ("バックグラウンドジョブの状況", "Follow background jobs"),
    "workspace.home.mail": ("学習者へ送ったメールの状況と差出人名",
                            "See the e-mail sent to learners, and the sender name"),
    # Roles.
    **{f"workspace.role.{role.value}": names for role, names in ROLE_NAMES.items()},
    # Refusals.
    "workspace.error.title": ("入力内容を確認してください", "Please check what you entered"),
    "workspace.error.email": ("メールアドレスの形式が正しくありません。",
                              "That is not an e-mail address."),
    "workspace.error.scope": ("選んだスコープの一部は、所有者の役割では使えません（1 つ以上を"
                              "選んでください）。",
                              "Choose at least one scope, and only scopes the owner's roles "
                              "allow."),
    "workspace.error.display_name": ("表示名は 1〜200 文字で入力してください。",
                                     "Give a display name of 1 to 200 characters."),
    "workspace.error.password": ("パスワードは 12 文字以上で、メールアドレスを含まないものに"
                                 "してください。",
                                 "Choose a password of at least 12 characters that does not "
                                 "contain your e-mail address."),
    "workspace.error.password_again": ("確認用のパスワードが一致しません。",
                                       "The two passwords differ."),
    "workspace.error.url": ("URL は http:// または https:// で始まる完全な形で入力してください。",
                            "Give the full address, starting with http:// or https://."),
    "workspace.error.name": ("組織名を日本語または英語で入力してください。",
                             "Give the organisation's name in Japanese or English."),
    "workspace.error.description": ("説明が長すぎるか、空白だけです。",
                                    "The description is empty or too long."),
    # Members and invitations.
    "workspace.members.title": ("メンバー", "Members"),
    "workspace.members.list": ("メンバーと役割", "Members and their roles"),
    "workspace.members.list_caption": ("メンバー（{count} 人）", "Members ({count})"),
    "workspace.members.name": ("名前", "Name"),
    "workspace.members.email": ("メールアドレス", "E-mail address"),
    "workspace.members.roles": ("役割", "Roles"),
    "workspace.members.role": ("役割", "Role"),
    "workspace.members.actions": ("操作", "Actions"),
    "workspace.members.you": ("（あなた）", "(you)"),
    "workspace.members.change_label": ("{name} の役割（現在：{role}）",
                                       "{name}'s role (now {role})"),
    "workspace.members.change": ("役割を変更", "Change role"),
    "workspace.members.remove": ("{name} を組織から外す", "Remove {name}"),
    "workspace.members.last_admin": ("組織管理者が 1 人だけのときは、その人を外したり別の役割に"
                                     "変えたりできません。",
                                     "The last administrator cannot be removed or given "
                                     "another role: make someone else administrator first."),
    "workspace.members.done.role-changed": ("役割を変更しました。", "The role was changed."),
    "workspace.members.done.removed": ("メンバーを組織から外しました。",
                                       "The member was removed."),
    "workspace.members.done.invitation-revoked": ("招待を取り消しました。",
                                                  "The invitation was revoked."),
    "workspace.invite.title": ("メールアドレスで招待する", "Invite by e-mail address"),
    "workspace.invite.email": ("招待するメールアドレス", "E-mail address to invite"),
    "workspace.invite.submit": ("招待リンクを作成", "Make the invitation link"),
    "workspace.invite.made": ("{email} を{role}として招待しました（{date} まで有効）。",
                              "{email} is invited as {role} (the link works until {date})."),
    "workspace.invite.renewed": ("{email} への招待を更新しました（{role}、{date} まで有効）。"
                                 "以前のリンクは使えなくなりました。",
                                 "The invitation of {email} was renewed ({role}, until {date}); "
                                 "the earlier link no longer works."),
    "workspace.invite.link": ("招待リンク", "Invitation link"),
    "workspace.invite.copy": ("このリンクは今だけ表示されます。コピーして本人に渡してください。",
                              "This link is shown only now: copy it and pass it on."),
    "workspace.invitations.title": ("未承諾の招待", "Pending invitations"),
    "workspace.invitations.none": ("未承諾の招待はありません。", "No invitation is pending."),
    "workspace.invitations.until": ("{date} まで有効", "valid until {date}"),
    "workspace.invitations.expired": ("期限切れ", "expired"),
    "workspace.invitations.revoke": ("{email} への招待を取り消す",
                                     "Revoke the invitation of {email}"),
    "workspace.invitations.renew": ("同じアドレスをもう一度招待すると、新しいリンクに"
                                    "置き換わります。",
                                    "Inviting the same address again replaces its link with a "
                                    "new one."),
    # The invitation's own page.
    "workspace.invitation.title": ("組織への招待", "Invitation to join an organisation"),
    "workspace.invitation.intro": ("{organisation} から、{email} 宛てに{role}としての招待が"
                                   "届いています。",
                                   "{organisation} invites {email} to join as {role}."),
    "workspace.invitation.until": ("この招待は {date} まで有効です。",
                                   "The invitation is valid until {date}."),
    "workspace.invitation.accept": ("{organisation} に参加する", "Join {organisation}"),
    "workspace.invitation.open": ("組織のワークスペースを開く",
                                  "Open the organisation's workspace"),
    "workspace.invitation.someone_else": (
        "この招待は {email} 宛てです。サインアウトしてから、このアドレスでサインインしてリンクを"
        "開き直してください。",
        "This invitation is for {email}. Sign out, then sign in with that address and open "
        "the link again."),
    "workspace.invitation.sign_in": ("{email} でサインインして参加する",
                                     "Sign in as {email} to join"),
    "workspace.invitation.join_title": ("アカウントを作成して参加する",
                                        "Create your account and join"),
    "workspace.invitation.display_name": ("表示名", "Display name"),
    "workspace.invitation.password": ("パスワード", "Password"),
    "workspace.invitation.password_hint": ("12 文字以上。メールアドレスを含めないでください。",
                                           "At least 12 characters, not containing your "
                                           "e-mail address."),
    "workspace.invitation.password_again": ("パスワード（確認）", "Password again"),
    "workspace.invitation.join": ("アカウントを作成して参加", "Create the account and join"),
    "workspace.invitation.form_expired": ("フォームの有効期限が切れました。もう一度送信して"
                                          "ください。",
                                          "The form expired; please send it again."),
    # API clients.
    "workspace.clients.title": ("API クライアント", "API clients"),
    "workspace.clients.intro": (
        "API クライアントは所有者の代わりに API を使います。使えるのは、選んだスコープのうち"
        "所有者の役割で許されるものだけです。",
        "An API client uses the API for its owner, with the scopes chosen here that the "
        "owner's roles allow."),
    "workspace.clients.new": ("API クライアントを作成", "Make an API client"),
    "workspace.clients.name": ("名前", "Name"),
    "workspace.clients.owner": ("所有者", "Owner"),
    "workspace.clients.scopes": ("スコープ", "Scopes"),
    "workspace.clients.state": ("状態", "State"),
    "workspace.clients.active": ("有効", "Active"),
    "workspace.clients.revoked_on": ("{date} に取消し", "Revoked on {date}"),
    "workspace.clients.create": ("作成", "Make the client"),
    "workspace.clients.list": ("メンバーの API クライアント", "The members' API clients"),
    "workspace.clients.none": ("API クライアントはまだありません。", "There is no API client yet."),
    "workspace.clients.made": ("API クライアント「{name}」を作成しました。",
                               "The API client “{name}” was made."),
    "workspace.clients.once": ("シークレットはこの画面でだけ表示されます。安全な場所に保管して"
                               "ください。",
                               "The secret is shown only now: keep it somewhere safe."),
    "workspace.clients.revoke": ("「{name}」を取り消す", "Revoke “{name}”"),
    "workspace.clients.done.revoked": ("API クライアントを取り消しました。そのトークンも"
                                       "使えません。",
                                       "The API client and its tokens were revoked."),
    # Keys.
    "workspace.keys.title": ("発行者鍵", "Issuer keys"),
    "workspace.keys.intro": (
        "証明書に署名する鍵です。秘密鍵は鍵ストアから出ません。ローテーションしても、以前の鍵で"
        "署名した証明書は引き続き検証できます。",
        "The keys that sign credentials. Private keys never leave the key store; after a "
        "rotation, credentials signed with an earlier key keep verifying."),
    "workspace.keys.did": ("組織の DID", "The organisation's DID"),
    "workspace.keys.document": ("DID ドキュメント", "DID document"),
    "workspace.keys.new": ("鍵を作成", "Create a key"),
    "workspace.keys.type": ("鍵の種類", "Key type"),
    "workspace.keys.create": ("鍵を作成", "Create the key"),
    "workspace.keys.list": ("鍵の一覧", "Keys"),
    "workspace.keys.none": ("鍵はまだありません。", "There is no key yet."),
    "workspace.keys.active": ("使用中", "in use"),
    "workspace.keys.retired": ("{date} に退役", "retired on {date}"),
    "workspace.keys.method": ("検証メソッド（did:web）", "Verification method (did:web)"),
    "workspace.keys.did_key_method": ("検証メソッド（did:key）", "Verification method (did:key)"),
    "workspace.keys.multibase": ("公開鍵（multibase）", "Public key (multibase)"),
    "workspace.keys.created": ("作成日時", "Created"),
    "workspace.keys.rotate": ("この {type} 鍵をローテーション", "Rotate this {type} key"),
    "workspace.keys.key_of_type": ("{type} 鍵", "{type} key"),
    "workspace.keys.fragment": ("鍵の名前（DID 文書内）", "Key name (in the DID document)"),
    "workspace.keys.rotate_note": (
        "ローテーションすると新しい鍵が作られ、以後の証明書はその鍵で署名されます。",
        "Rotating makes a new key, which signs every credential from then on."),
    "workspace.keys.done.created": ("鍵を作成しました。", "The key was created."),
    "workspace.keys.done.rotated": ("鍵をローテーションしました。", "The key was rotated."),
    # The certificate authority.
    "workspace.authority.title": ("認証局", "Certificate authority"),
    "workspace.authority.intro": (
        "PDF 証明書への電子署名に使う組織の認証局（CA）と文書署名証明書です。",
        "The organisation's certificate authority and the document-signing certificate it "
        "issued, which sign PDF certificates."),
    "workspace.authority.ca": ("CA 証明書", "CA certificate"),
    "workspace.authority.external": ("（外部の認証局）", "(an external authority)"),
    "workspace.authority.signing": ("文書署名証明書", "Document-signing certificate"),
    "workspace.authority.subject": ("サブジェクト", "Subject"),
    "workspace.authority.issuer": ("発行者", "Issuer"),
    "workspace.authority.serial": ("シリアル番号", "Serial number"),
    "workspace.authority.valid": ("有効期間", "Valid"),
    "workspace.authority.crl": ("失効リスト（CRL）", "Revocation list (CRL)"),
    "workspace.authority.new": ("認証局を作成", "Create the authority"),
    "workspace.authority.new_note": ("この組織にはまだ認証局がありません。",
                                     "This organisation has no certificate authority yet."),
    "workspace.authority.renew": ("認証局を更新", "Renew the authority"),
    "workspace.authority.renew_note": (
        "新しい CA 証明書と文書署名証明書を作成し、現在のものを退役させます。以前に署名した PDF "
        "は引き続き検証できます。",
        "Makes a new CA certificate and signing certificate and retires the current ones; "
        "PDFs signed before keep verifying."),
    "workspace.authority.years": ("有効期間", "Valid for"),
    "workspace.authority.year_count": ("{n} 年", "{n} years"),
    "workspace.authority.year_count.one": ("{n} 年", "{n} year"),
    "workspace.authority.create": ("認証局を作成", "Create the authority"),
    "workspace.authority.renew_button": ("認証局を更新", "Renew the authority"),
    "workspace.authority.done.created": ("認証局を作成しました。",
                                         "The certificate authority was created."),
    "workspace.authority.done.renewed": ("認証局を更新しました。",
                                         "The certificate authority was renewed."),
    # The profile.
    "workspace.profile.title": ("組織情報", "Organisation profile"),
    "workspace.profile.intro": ("登録簿やプログラムのページに表示される組織の公開情報です。",
                                "What the registry and programme pages show about the "
                                "organisation."),
    "workspace.profile.slug": ("識別子（変更不可）", "Identifier (cannot change)"),
    "workspace.profile.name_ja": ("組織名（日本語）", "Name in Japanese"),
    "workspace.profile.name_en": ("組織名（英語）", "Name in English"),
    "workspace.profile.url": ("ウェブサイト", "Web site"),
    "workspace.profile.email": ("問い合わせ先メールアドレス", "Contact e-mail address"),
    "workspace.profile.description_ja": ("説明（日本語）", "Description in Japanese"),
    "workspace.profile.description_en": ("説明（英語）", "Description in English"),
    "workspace.profile.corporate_number": ("法人番号（13桁、任意）",
                                           "Corporate number (法人番号, 13 digits, optional)"),
    "workspace.profile.corporate_number_hint": (
        "国税庁法人番号公表サイトに載っている番号です。公開ページと登録簿のフェデレーションに"
        "載ります。",
        "As the National Tax Agency's corporate number site shows it; it appears on the "
        "public page and in the registry's federation."),
    "workspace.profile.save": ("保存", "Save the profile"),
    "workspace.profile.done.saved": ("組織情報を保存しました。", "The profile was saved."),
    "workspace.profile.done.logo": ("ロゴを登録しました。", "The logo was saved."),
    "workspace.profile.done.logo-removed": ("ロゴを削除しました。", "The logo was removed."),
    "workspace.logo.title": ("ロゴ", "Logo"),
    "workspace.logo.intro": ("登録簿の組織ページと、この組織のバッジ画像に表示されます。",
                             "It is shown on the organisation's page in the registry and on "
                             "its badges."),
    "workspace.logo.none": ("ロゴはまだ登録されていません。", "No logo yet."),
    "workspace.logo.alt": ("{name} のロゴ", "Logo of {name}"),
    "workspace.logo.current": ("現在のロゴ（{when} に登録）", "The logo now (set {when})"),
    "workspace.logo.file": ("ロゴ画像", "Logo image"),
    "workspace.logo.hint": ("PNG・JPEG・SVG、{size} まで、一辺 2,048 ピクセルまで。SVG には"
                            "スクリプトや外部の資源への参照を含められません。",
                            "PNG, JPEG or SVG, at most {size} and 2,048 pixels a side. An SVG "
                            "may hold no script and no reference to anything outside it."),
    "workspace.logo.upload": ("ロゴを登録", "Upload the logo"),
    "workspace.logo.remove": ("ロゴを削除", "Remove the logo"),
    "workspace.logo.no_file": ("画像ファイルを選んでください。", "Choose an image file."),
}
