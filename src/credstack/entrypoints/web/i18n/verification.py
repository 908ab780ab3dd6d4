"""The verification page's messages, as (ja, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # The verification page.
    "verify.title": ("証明書を検証する", "Verify a credential"),
    "verify.stored_title": ("証明書の検証結果", "Verification of a credential"),
    # Open Badges 3.0 achievement types (AchievementType), in words.
    "verify.achievement_type": ("種類：{kind}", "Kind: {kind}"),
    "achievement_type.MicroCredential": ("マイクロクレデンシャル", "Micro-credential"),
    # Short: a tag does not wrap (the wallet's facts say it is no programme completed).
    "achievement_type.ext:CreditRecognition": ("単位認定", "Credit recognition"),
    "achievement_type.Badge": ("バッジ", "Badge"),
    "achievement_type.Certificate": ("修了証", "Certificate"),
    "achievement_type.CertificateOfCompletion": ("修了証", "Certificate of completion"),
    "achievement_type.Certification": ("資格認定", "Certification"),
    "achievement_type.Course": ("科目", "Course"),
    "achievement_type.Competency": ("コンピテンシー", "Competency"),
    "achievement_type.Achievement": ("達成", "Achievement"),
    "achievement_type.Award": ("表彰", "Award"),
    "achievement_type.Diploma": ("卒業証書", "Diploma"),
    "achievement_type.Degree": ("学位", "Degree"),
    "achievement_type.LearningProgram": ("学習プログラム", "Learning programme"),
    "achievement_type.License": ("免許", "Licence"),
    "achievement_type.Membership": ("会員資格", "Membership"),
    "verify.intro": (
        "オープンバッジ 3.0・検証可能な資格情報（VC 2.0）の証明書を貼り付けるか、そのファイル・"
        "証明書が焼き込まれたバッジ画像（PNG・SVG）・証明書 PDF を選んでください。署名・発行者・"
        "有効期間・失効の有無を確かめ、マイクロクレデンシャルとしての内容を表示します。",
        "Paste an Open Badges 3.0 or Verifiable Credentials 2.0 credential, or choose its "
        "file, a badge image with the credential baked in (PNG, SVG) or a certificate PDF. "
        "credstack checks its signature, its issuer, its validity period and whether it was "
        "revoked, and shows what it says as a micro-credential.",
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
    "verify.file_hint": ("JSON・JWT のテキストファイル、証明書が焼き込まれたバッジ画像（PNG・"
                         "SVG）、または証明書 PDF（{limit} まで）。ファイルを選ぶと、貼り付けた"
                         "内容より優先します。",
                         "A JSON or JWT text file, a badge image with the credential baked in "
                         "(PNG, SVG) or a certificate PDF, up to {limit}. A chosen file is "
                         "verified instead of pasted text."),
    "verify.strict": ("厳格に判定する：Open Badges 3.0 の規則に従っていない証明書は不合格にする",
                      "Strict: fail a credential that does not follow the Open Badges 3.0 "
                      "rules"),
    "verify.strict_hint": ("通常は、発行者の署名が確認でき有効な証明書は、Open Badges 3.0 の"
                           "形式の規則（学習者の識別子がない、画像がアドレスだけで書かれている"
                           "など）に従っていなくても、注意事項付きで検証済みとします（他の検証"
                           "サービスと同じ扱いです）。",
                           "By default a credential its issuer signed and that is in force "
                           "verifies with warnings when it breaks Open Badges 3.0 shape rules "
                           "(no learner identifier, an image given as a bare address …), as "
                           "other verifiers treat it."),
    "verify.submit": ("検証する", "Verify"),
    "verify.progress": ("検証しています…", "Verifying…"),
    "verify.result": ("検証結果", "Result"),
    "verify.verified_text": ("すべての確認項目に合格しました。発行者が署名し、署名後に変更されて"
                             "おらず、有効期間内で、失効していません。",
                             "Every check passed: its issuer signed it, it has not changed "
                             "since, it is within its validity period and it has not been "
                             "revoked."),
    "verify.warnings_text": ("発行者が署名し、署名後に変更されておらず、有効です。注意事項：",
                             "Its issuer signed it, it has not changed since, and it is in "
                             "force. To note:"),
    "verify.issuer_id": ("発行者の識別子：", "Issuer's identifier: "),
    "verify.trust.title": ("信頼する登録簿", "Trusted registries"),
    "verify.trust.listed_in": ("掲載：", "Listed in: "),
    "verify.trust.unchecked": ("確認できなかった登録簿：", "Not checked: "),
    "verify.trust.programme_covered": ("認定はこの証明のプログラムに及びます。",
                                       "The recognition covers this credential's programme."),
    "verify.trust.programme_not_covered": ("この証明のプログラムを対象とする認定はありません。",
                                           "No recognition covers this credential's programme."),
    "verify.status.verified": ("検証結果：検証済み", "Result: verified"),
    "verify.status.verified_with_warnings": ("検証結果：検証済み（注意事項あり）",
                                             "Result: verified, with warnings"),
    "verify.status.not_verified": ("検証結果：検証に失敗しました",
                                   "Result: not verified"),
    "verify.status.undecided": ("検証結果：確認できませんでした（未判定）",
                                "Result: could not be checked"),
    "verify.undecided_text": ("改ざんなどの問題は見つかっていませんが、確認に必要な情報を取得"
                              "できなかったため、検証済みとはいえません。取得できなかったものと"
                              "対処：",
                              "Nothing wrong was found, but something needed to check it could "
                              "not be had, so it is not verified. What is missing, and how to "
                              "get it:"),
    "verify.details": ("詳細（確認項目と技術情報）", "Details (each check, technical)"),
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
    "verify.outcome.warning": ("注意", "Warning"),
    "verify.outcome.not-checked": ("未確認", "Not checked"),
    "verify.outcome.undecided": ("未判定", "Could not be checked"),
    "verify.outcome.info": ("情報", "Information"),
    "verify.errors": ("エラー", "Errors"),
    "verify.warnings": ("警告", "Warnings"),
    "verify.warning": ("警告", "Warning"),
    "verify.meaning": ("証明書の内容", "What the credential says"),
    "verify.meaning_claimed": ("この証明書に記載されている内容（検証されていません）",
                               "What the credential claims (not verified)"),
    "verify.meaning_note": ("以下は証明書に書かれている内容で、検証結果にかかわらず"
                            "表示しています。",
                            "What follows is what the credential states, shown whatever the "
                            "verdict."),
    "verify.meaning_unverified": ("この証明書は検証できなかったため、以下の内容は信頼できません"
                                  "（改ざんされている可能性があります）。",
                                  "The credential did not verify, so none of this can be "
                                  "trusted: it may have been changed."),
    "verify.meaning_undecided": ("この証明書は確認できなかったため、以下の内容はまだ信頼できま"
                                 "せん（問題が見つかったわけではありません）。",
                                 "The credential could not be checked, so none of this can be "
                                 "relied on yet (nothing wrong was found)."),
    "verify.meaning_signed": ("以下は発行者が署名したとおりの内容ですが、この証明書は現在は"
                              "検証できません（理由は上記のとおり）。",
                              "Its issuer signed what follows, but the credential does not "
                              "verify now: see why above."),
    "verify.achievement": ("達成（プログラム）", "Achievement"),
    "verify.kind": ("種類", "Kind"),
    "verify.issuer": ("発行者", "Issuer"),
    "verify.issued": ("発行日", "Date of issue"),
    "verify.learner": ("学習者（記載のとおり）", "Learner (as stated)"),
    "verify.learner_note": ("証明書に記載された本人情報です。本人確認をしたものではありません。",
                            "As the credential states it; credstack does not check who the "
                            "learner is."),
    "verify.learner_id": ("識別子（id）", "Identifier (id)"),
    "verify.learner_name": ("氏名", "Name"),
    "verify.learner_name.japanese": ("氏名（日本語表記）", "Name in Japanese script"),
    "verify.learner_name.latin": ("氏名（ローマ字表記）", "Name in the Latin alphabet"),
    "verify.learner_name.other": ("氏名（その他の表記）", "Name in another script"),
    "verify.hashed": ("ハッシュ化された値（表示しません）", "hashed (the value is not shown)"),
    "verify.id_type.name": ("氏名", "Name"),
    "verify.id_type.emailAddress": ("メールアドレス", "Email address"),
    "verify.id_type.studentId": ("学籍番号", "Student ID"),
    "verify.id_type.nationalIdentityNumber": ("国民識別番号", "National identity number"),
    "verify.id_type.identifier": ("識別子", "Identifier"),
    # The rest of Open Badges 3.0's identityType values, named as a person reads them.
    "verify.id_type.sourcedId": ("教育機関での ID", "ID at the institution"),
    "verify.id_type.systemId": ("システム内の ID", "ID in a system"),
    "verify.id_type.productId": ("製品 ID", "Product ID"),
    "verify.id_type.userName": ("ユーザー名", "User name"),
    "verify.id_type.accountId": ("アカウント ID", "Account ID"),
    "verify.id_type.isbn": ("ISBN", "ISBN"),
    "verify.id_type.issn": ("ISSN", "ISSN"),
    "verify.id_type.lisSourcedId": ("学習情報システムでの ID",
                                    "ID in the learning information system"),
    "verify.id_type.oneRosterSourcedId": ("名簿（OneRoster）での ID",
                                          "ID in the roster (OneRoster)"),
    "verify.id_type.sisSourcedId": ("学籍番号", "Student number"),
    "verify.id_type.ltiContextId": ("LMS のコース ID", "Course ID in the LMS"),
    "verify.id_type.ltiDeploymentId": ("LMS の導入 ID", "Deployment ID in the LMS"),
    "verify.id_type.ltiToolId": ("LMS のツール ID", "Tool ID in the LMS"),
    "verify.id_type.ltiPlatformId": ("LMS の ID", "LMS ID"),
    "verify.id_type.ltiUserId": ("LMS の利用者 ID", "User ID in the LMS"),
    "verify.conformance_note": ("枠組みへの適合は参考情報です。"
                                "証明書が本物かどうかには関わりません。",
                                "Which frameworks the programme is written to is information: "
                                "it does not bear on whether the credential is genuine."),
    "verify.framework.not_followed": ("この枠組みには沿っていません（参考）",
                                      "Not written to this framework (for information)"),
    "verify.descriptors": ("記述子の概要", "Descriptors at a glance"),
    "verify.descriptors_withheld": ("プログラムについての記載（記述子）は表示しません。発行者が"
                                    "署名したとおりの内容ではないためです。",
                                    "What it says about its programme (its descriptors) is not "
                                    "shown: it is not its issuer's word as signed."),
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
    "verify.error.not_utf8": ("ファイルが UTF-8 のテキストでも、バッジ画像（PNG・SVG）でも PDF "
                              "でもありません。JSON・JWT のテキストファイル、バッジ画像、または"
                              "証明書 PDF を選んでください。",
                              "The file is neither UTF-8 text nor a badge image (PNG, SVG) nor "
                              "a PDF. Choose a JSON or JWT text file, a badge image or a "
                              "certificate PDF."),
    "verify.error.upload_too_large": ("ファイルが大きすぎます。このサーバーにアップロードできる"
                                      "のは {limit} までです。小さいファイルを選ぶか、証明書の"
                                      "内容を貼り付けてください。",
                                      "The file is too large: this server accepts uploads of "
                                      "up to {limit}. Choose a smaller file, or paste the "
                                      "credential itself."),
    "verify.error.unreadable": ("証明書として読み取れませんでした：{reason}",
                                "This could not be read as a credential: {reason}"),
    "verify.error.form": ("フォームの内容を読み取れませんでした：{reason}",
                          "The form could not be read: {reason}"),
    # An address of this site, pasted: read from the store, never fetched.
    "verify.error.no_credential_here": ("このサイトにはこのアドレスの証明書はありません。"
                                        "アドレスを確かめてください。",
                                        "This site has no credential at this address. Check "
                                        "the address."),
    "verify.error.share_code": ("この共有リンクにはアクセスコードが必要です。コードは共有した"
                                "本人に尋ねてください。リンクを開くと入力できます。",
                                "This link asks for an access code, which the person who "
                                "shared it can tell you: open the link to enter it."),
    "verify.error.share_gone": ("この共有リンクは取り消されたか、期限が切れています。共有した"
                                "本人に新しいリンクを尋ねてください。",
                                "This share link is no longer available: it was revoked or it "
                                "expired. Ask the person who shared it for a new one."),
    "verify.error.share_limited": ("失敗が続いたため、この共有リンクはしばらく開けません。"
                                   "時間をおいてお試しください。",
                                   "This share link cannot be opened for a while after too "
                                   "many failed attempts. Try again later."),
    "verify.error.share_unknown": ("この共有リンクはありません。アドレスを確かめてください。",
                                   "There is no such share link. Check the address."),
    "verify.error.share_several": ("この共有リンクには証明書が {count} 件あります。リンクを開く"
                                   "と、それぞれを検証した結果が表示されます。",
                                   "This share link shows {count} credentials: open it to see "
                                   "each one verified."),
    "verify.share_open": ("共有リンクを開く", "Open the share link"),
    "verify.own.page": ("このサイトの証明書のアドレスです。証明書をこのサイトの記録から読み"
                        "取って検証しました。",
                        "This is the address of one of this site's credentials: it was read "
                        "from this site's records and verified."),
    "verify.own.badge": ("このサイトのバッジ画像のアドレスです。画像に焼き込まれる証明書を"
                         "このサイトの記録から読み取って検証しました。お手元の画像ファイルを"
                         "確かめるには、そのファイルを選んでください。",
                         "This is the address of a badge image on this site: the credential "
                         "baked into it was read from this site's records and verified. To "
                         "check an image file you have, choose that file."),
    "verify.own.certificate": ("このサイトの証明書 PDF のアドレスです。PDF に添付される証明書を"
                               "このサイトの記録から読み取って検証しました（PDF はダウンロード"
                               "のたびに署名されます）。お手元の PDF を署名ごと確かめるには、"
                               "そのファイルを選んでください。",
                               "This is the address of a PDF certificate on this site: the "
                               "credential it carries was read from this site's records and "
                               "verified (a PDF is signed at each download). To check a PDF "
                               "you have, with its signature, choose that file."),
    "verify.own.edc": ("このサイトの欧州デジタル資格証明（EDC）のアドレスです。EDC の元になる"
                       "証明書をこのサイトの記録から読み取って検証しました。お手元の EDC を"
                       "封印ごと確かめるには、そのファイルを選んでください。",
                       "This is the address of a European Digital Credential (EDC) on this "
                       "site: the credential it is made from was read from this site's records "
                       "and verified. To check an EDC file you have, with its seal, choose "
                       "that file."),
    "verify.own.file": ("このサイトの証明書ファイルのアドレスです。証明書をこのサイトの記録から"
                        "読み取って検証しました。",
                        "This is the address of a credential's file on this site: the "
                        "credential was read from this site's records and verified."),
    "verify.own.share": ("共有リンクです。共有された証明書を、リンクのページと同じく今あらため"
                         "て確かめました。",
                         "This is a share link: the credential it shares was checked again "
                         "now, as the link's page checks it."),
}
