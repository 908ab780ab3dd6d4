"""The verification page's messages, as (ja, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
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
    "verify.enclosed": ("含まれる証明書ごとの確認", "Each credential it holds"),
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
}
