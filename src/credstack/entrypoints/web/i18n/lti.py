"""The LTI pages' messages (the instructor's deep linking, the learner's launch, Dynamic
Registration, the workspace's LMS page), as (ja, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "workspace.home.lti": ("LMS（Moodle、Canvas など）と LTI 1.3 でつなぎ、コースの成績から証明を"
                           "発行します。",
                           "Connect an LMS (Moodle, Canvas…) by LTI 1.3 and issue from a "
                           "course's grades."),
    "lti.pick.title": ("コースで授与する証明書", "The credential this course awards"),
    "lti.pick.intro": ("「{course}」のこのリンクで授与するプログラムと、授与の規則を"
                       "選んでください。",
                       "Choose the programme this link in “{course}” awards, and the rule "
                       "for awarding it."),
    "lti.pick.programme": ("プログラム", "Programme"),
    "lti.pick.none": ("この組織に公開済みのプログラムがありません。",
                      "This organisation has no published programme yet."),
    "lti.pick.rule": ("授与の規則", "Rule"),
    "lti.pick.rule_score": ("評定項目の最低点", "A minimum score on a line item"),
    "lti.pick.rule_completion": ("評定項目の修了（評定が記録されたこと）",
                                 "Completion of a line item (any result recorded)"),
    "lti.pick.line_item": ("評定項目（LMS でのラベル、タグまたは ID）",
                           "Line item (its label, tag or id in the LMS)"),
    "lti.pick.minimum": ("最低点（満点に対する %）", "Minimum (per cent of the maximum)"),
    "lti.pick.submit": ("このリンクに設定する", "Set up this link"),
    "lti.storage.title": ("LMS とつないでいます", "Connecting with the LMS"),
    "lti.storage.continue": ("進まない場合はこちら", "Continue if nothing happens"),
    "lti.storage.failed": ("LMS がこのログインの記録を返しませんでした。LMS で credstack のリンクを"
                           "開き直してください。",
                           "The LMS did not give back this login's record. Open the credstack "
                           "link in the LMS again."),
    "lti.return.title": ("LMS に戻ります", "Back to the LMS"),
    "lti.return.intro": ("設定を LMS に返します。自動で戻らない場合はボタンを押してください。",
                         "The choice goes back to the LMS. If it does not on its own, press "
                         "the button."),
    "lti.return.submit": ("LMS に戻る", "Return to the LMS"),
    "lti.launch.title": ("{programme}", "{programme}"),
    "lti.launch.course": ("コース：{course}", "Course: {course}"),
    "lti.launch.hello": ("{name} さんの進捗", "{name}'s progress"),
    "lti.launch.rule_score": ("評定項目「{item}」で満点の {minimum}% 以上を取ると、この証明書が"
                              "発行されます。", "This credential is issued when you score at "
                              "least {minimum}% of the maximum on “{item}”."),
    "lti.launch.rule_completion": ("評定項目「{item}」を修了すると、この証明書が発行されます。",
                                   "This credential is issued when you complete “{item}”."),
    "lti.launch.score": ("現在の評定：{score} / {maximum}", "Your result: {score} / {maximum}"),
    "lti.launch.no_score": ("まだ評定がありません。", "No result yet."),
    "lti.outcome.pending": ("まだ条件を満たしていません", "Not met yet"),
    "lti.outcome.passed": ("条件を満たしました。まもなく発行されます",
                           "Met: the credential is being issued"),
    "lti.outcome.issued": ("発行済み", "Issued"),
    "lti.outcome.lowered": ("発行後に評定が下がりました", "Result lowered after issuance"),
    "lti.outcome.blocked": ("発行できません", "Cannot be issued"),
    "lti.launch.claim": ("ウォレットに受け取る", "Claim it into your wallet"),
    "lti.launch.claim_hint": ("新しいウィンドウで開きます。LMS と同じメールアドレスのアカウントで"
                              "サインインしてください。", "Opens in a new window: sign in with "
                              "an account of the same e-mail address as in the LMS."),
    "lti.launch.account": ("credstack のアカウント", "Your credstack account"),
    "lti.launch.account_intro": ("サインイン（またはアカウントを作成）してこの LMS のアカウントと"
                                 "連携すると、このコースの証明書は LMS のメールアドレスにかかわら"
                                 "ず、あなたのウォレットに届きます。新しいウィンドウで開きます。",
                                 "Sign in (or create an account) and link it to this LMS "
                                 "account: this course's credentials then arrive in your "
                                 "wallet, whatever address the LMS has. Opens in a new "
                                 "window."),
    "lti.launch.sign_in": ("サインインして連携する", "Sign in and link"),
    "lti.launch.sign_up": ("アカウントを作成して連携する", "Create an account and link"),
    "lti.connect.title": ("LMS のアカウントを連携する", "Link your LMS account"),
    "lti.connect.intro": ("{lms} の {name} さん（コース「{course}」）を、credstack のアカウント "
                          "{email} に連携します。この LMS で以前に授与された証明書も、今後授与"
                          "される証明書も、このアカウントのウォレットに届きます。",
                          "{name} at {lms} (course “{course}”) will be linked to the "
                          "credstack account {email}: the credentials this LMS awarded them "
                          "before, and those it awards from now on, arrive in this account's "
                          "wallet."),
    "lti.launch.account_again": ("アカウントを連携するには、LMS で credstack のリンクを開き直して"
                                 "ください（連携用のリンクは起動から 30 分有効です）。",
                                 "To link your account, open the credstack link in the LMS "
                                 "again (the link to link it works for 30 minutes after a "
                                 "launch)."),
    "lti.connect.submit": ("連携する", "Link"),
    "lti.identities.title": ("連携した LMS のアカウント", "Linked LMS accounts"),
    "lti.identities.intro": ("連携した LMS から授与される証明書は、このアカウントのウォレットに"
                             "届きます。", "Credentials a linked LMS awards arrive in this "
                             "account's wallet."),
    "lti.identities.none": ("連携した LMS のアカウントはありません。LMS のコースで credstack の"
                            "リンクを開くと連携できます。", "No LMS account is linked. Open "
                            "credstack's link in an LMS course to link one."),
    "lti.identities.lms": ("LMS", "LMS"),
    "lti.identities.name": ("LMS での名前", "Name in the LMS"),
    "lti.identities.email": ("LMS でのメールアドレス", "E-mail address in the LMS"),
    "lti.identities.linked_at": ("連携日時", "Linked on"),
    "lti.identities.unlink": ("{lms} の連携を解除する", "Unlink {lms}"),
    "lti.launch.refresh": ("最新の状態を見る", "See the latest"),
    "lti.launch.learners": ("受講者の状況", "Learners"),
    "lti.launch.issue_now": ("今すぐ発行する", "Issue now"),
    "lti.launch.issuing": ("発行を開始しました（ジョブ {job}）。ほかの発行処理の実行中や発行用の"
                           "鍵を利用できないときも、破棄せずに自動で再試行します。",
                           "Issuing started (job {job}). If it cannot issue now — another run "
                           "is under way, or the issuing key is unavailable — it is not "
                           "dropped: it is tried again by itself."),
    "lti.awards.queued": ("発行処理は順番待ちです。", "Issuing is waiting its turn."),
    "lti.awards.running": ("発行処理を実行中です。", "Issuing is under way."),
    "lti.awards.retrying": ("発行処理は完了できず、自動で再試行されます：{reason}",
                            "Issuing could not finish and is tried again by itself: {reason}"),
    "lti.awards.failed": ("発行処理は失敗しました：{reason}「今すぐ発行する」で再実行できます。",
                          "Issuing failed: {reason} Issue now runs it again."),
    "lti.registered.title": ("LMS を登録しました", "The LMS is registered"),
    "lti.registered.intro": ("{name} の登録を受け付けました。組織の管理者が credstack の"
                             "ワークスペースで承認すると、起動できるようになります。",
                             "The registration of {name} was received. Launches work once an "
                             "administrator of the organisation approves it in credstack's "
                             "workspace."),
    "lti.workspace.title": ("LMS 連携（LTI 1.3）", "LMS integration (LTI 1.3)"),
    "lti.workspace.intro": ("Moodle や Canvas などの LMS に credstack をツールとして登録します。"
                            "LMS に入力する値は次のとおりです。", "Register credstack as a "
                            "tool in an LMS such as Moodle or Canvas. The LMS asks for these "
                            "values."),
    "lti.workspace.guide": ("LMS 連携の手引き（マニュアル）", "The LMS guide (manual)"),
    "lti.workspace.not_public": ("このサイトのアドレス {url} は公開された https のアドレスでは"
                                 "ありません。LMS は公開された https のアドレスのツールしか登録"
                                 "・起動できないため、下の値は LMS からは使えません。"
                                 "サイトの運営者に、公開された https のアドレスでの公開を依頼"
                                 "してください。",
                                 "This site's address, {url}, is not a public https address: an "
                                 "LMS registers and launches only a tool at a public https "
                                 "address, so it cannot use the values below. Ask the site's "
                                 "operator to serve it at a public https address."),
    "lti.workspace.tool_urls": ("credstack 側の URL", "credstack's URLs"),
    "lti.workspace.login_url": ("ログイン開始 URL", "Login initiation URL"),
    "lti.workspace.launch_url": ("起動（リダイレクト）URL", "Launch (redirect) URL"),
    "lti.workspace.jwks_url": ("公開鍵セット URL", "Public keyset URL"),
    "lti.workspace.dr_url": ("動的登録 URL", "Dynamic registration URL"),
    "lti.workspace.platforms": ("登録済みの LMS", "Registered LMSs"),
    "lti.workspace.none": ("まだ登録はありません。", "Nothing registered yet."),
    "lti.workspace.pending": ("承認待ち", "Awaiting approval"),
    "lti.workspace.active": ("有効", "Active"),
    "lti.workspace.approve": ("承認する", "Approve"),
    "lti.workspace.by_hand": ("手動で登録", "Register by hand"),
    "lti.workspace.name": ("名前", "Name"),
    "lti.workspace.issuer": ("プラットフォーム ID（issuer）", "Platform ID (issuer)"),
    "lti.workspace.client_id": ("クライアント ID", "Client ID"),
    "lti.workspace.auth_url": ("認可 URL（OIDC 認証リクエスト URL）",
                               "Authentication request URL"),
    "lti.workspace.token_url": ("アクセストークン URL", "Access token URL"),
    "lti.workspace.platform_jwks": ("LMS の公開鍵セット URL", "The LMS's public keyset URL"),
    "lti.workspace.deployments": ("デプロイメント ID（1 行に 1 つ）",
                                  "Deployment IDs (one a line)"),
    "lti.workspace.register": ("登録する", "Register"),
    "lti.workspace.links": ("コースリンク", "Course links"),
    "lti.workspace.no_links": ("まだコースリンクはありません。", "No course links yet."),
    "lti.workspace.learner": ("学習者", "Learner"),
    "lti.workspace.result": ("評定", "Result"),
    "lti.workspace.outcome": ("状況", "Outcome"),
    "lti.workspace.done.registered": ("LMS を登録しました。", "The LMS is registered."),
    "lti.workspace.done.approved": ("登録を承認しました。", "The registration is approved."),
    "lti.workspace.done.issuing": ("発行を開始しました。ジョブの一覧で進み具合を確認できます。"
                                   "ほかの発行処理の実行中や発行用の鍵を利用できないときも、破棄"
                                   "せずに自動で再試行します。",
                                   "Issuing started: see its progress among the jobs. If it "
                                   "cannot issue now — another run is under way, or the issuing "
                                   "key is unavailable — it is not dropped: it is tried again by "
                                   "itself."),
    "lti.workspace.synced": ("最終読み込み：{when}", "Last read: {when}"),
    "lti.workspace.never": ("まだ読み込んでいません", "Not read yet"),
}
