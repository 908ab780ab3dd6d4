"""The employer's page (``/verify/compare``): several credentials side by side, as (ja, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "vcompare.title": ("複数の証明書を検証して比べる", "Verify and compare several credentials"),
    "vcompare.intro": (
        "応募者から受け取った証明書をまとめて検証し、並べて比べます。ファイルを複数選ぶか、"
        "証明書を貼り付けるか、検証可能なプレゼンテーション（VP）やこのサイトのウォレットの"
        "共有リンクを入力してください。一度に {max} 件まで検証できます。",
        "Verify the credentials a candidate sent you, all at once, and read them side by "
        "side. Choose several files, paste credentials, or give a Verifiable Presentation or "
        "a share link of a wallet on this site. Up to {max} credentials at a time."),
    "vcompare.privacy": (
        "証明書は保存しません。失効の有無を確かめるため、発行者の公開するステータスリストを"
        "取得することがあります。共有リンクを開くと、閲覧回数に数えられます。",
        "Nothing is stored. To check their status, credstack may fetch the status lists "
        "their issuers publish. Opening a share link counts as a view of it."),
    "vcompare.link": ("複数の証明書をまとめて検証し、並べて比べる",
                      "Verify several credentials at once and compare them"),
    "vcompare.single": ("1 件だけ検証する", "Verify one credential"),
    "vcompare.form": ("検証する証明書", "The credentials to verify"),
    "vcompare.files": ("ファイルを選ぶ（複数可）", "Choose files (several at once)"),
    "vcompare.files_hint": (
        "JSON・JWT のテキストファイル、バッジ画像（PNG・SVG）、証明書 PDF、プレゼンテーション"
        "（JSON・VP-JWT）。1 ファイル {file_limit} まで、合計 {total} まで。",
        "JSON or JWT text files, badge images (PNG, SVG), certificate PDFs, presentations "
        "(JSON or VP-JWT); up to {file_limit} each and {total} in all."),
    "vcompare.paste": ("または証明書・リンクを貼り付ける", "Or paste credentials or links"),
    "vcompare.paste_hint": (
        "JSON の証明書は続けて貼り付けるか JSON 配列で。VC-JWT・VP-JWT・共有リンク"
        "（/s/…）・URL は 1 行に 1 つずつ。",
        "JSON credentials one after another, or as a JSON array; VC-JWTs, VP-JWTs, share "
        "links (/s/…) and addresses one per line."),
    "vcompare.access_code": ("共有リンクのアクセスコード（求められた場合）",
                             "Access code of the share link (if it asks for one)"),
    "vcompare.access_code_hint": ("学習者から共有リンクと一緒に伝えられたコード",
                                  "The code the learner gave you with the link"),
    "vcompare.strict": ("厳格に判定する：Open Badges 3.0 の規則に従っていない証明書は不合格にする",
                        "Strict: fail a credential that does not follow the Open Badges 3.0 "
                        "rules"),
    "vcompare.submit": ("まとめて検証する", "Verify them all"),
    "vcompare.pasted_word": ("貼り付け", "pasted"),
    "vcompare.result": ("比較結果", "Comparison"),
    "vcompare.summary": ("{count} 件中 {verified} 件を検証できました。",
                         "{verified} of {count} verified."),
    "vcompare.status": ("比較結果：{count} 件中 {verified} 件を検証できました",
                        "Comparison: {verified} of {count} verified"),
    "vcompare.caption": ("証明書ごとの検証結果と内容（行ごとに 1 件）",
                         "Each credential's verdict and what it states, one per row"),
    "vcompare.col.credential": ("証明書", "Credential"),
    "vcompare.col.verdict": ("検証結果", "Verdict"),
    "vcompare.col.issuer": ("発行者", "Issuer"),
    "vcompare.issuer_claimed": ("{name}（記載のみ・未検証）", "{name} (as stated, not verified)"),
    "vcompare.col.learner": ("学習者（記載のとおり）", "Learner (as stated)"),
    "vcompare.col.issued": ("発行日", "Issued"),
    "vcompare.col.expires": ("有効期限", "Valid until"),
    "vcompare.col.hours": ("学修時間", "Hours"),
    "vcompare.col.credits": ("単位", "Credits"),
    "vcompare.col.level": ("レベル", "Level"),
    "vcompare.col.assessment": ("評価方法", "Assessment"),
    "vcompare.col.recognition": ("認定", "Recognition"),
    "vcompare.col.skills": ("スキル", "Skills"),
    "vcompare.untitled": ("名称の記載なし", "No title stated"),
    "vcompare.from": ("入力：{label}", "Given as: {label}"),
    "vcompare.in_presentation": ("プレゼンテーション {n} に含まれる", "In presentation {n}"),
    "vcompare.from_share": ("共有リンクから", "From a share link"),
    "vcompare.same_as": ("「{label}」と同じ証明書です", "The same credential as “{label}”"),
    "vcompare.outcome.verified": ("検証済み", "Verified"),
    "vcompare.outcome.verified-with-warnings": ("検証済み（注意事項あり）",
                                                "Verified, with warnings"),
    "vcompare.outcome.not-verified": ("検証に失敗しました", "Not verified"),
    "vcompare.outcome.could-not-be-checked": ("確認できませんでした（未判定）",
                                              "Could not be checked"),
    "vcompare.outcome.unusable": ("読み取れませんでした", "Could not be read"),
    "vcompare.unsigned_note": ("検証できなかったため、以下の内容は信頼できません。",
                               "It did not verify: what it states cannot be trusted."),
    "vcompare.no_expiry": ("期限なし", "No expiry"),
    "vcompare.participation_only": ("参加のみ（評価なし）", "Participation only (not assessed)"),
    "vcompare.recognition.valid": ("認定されています", "Recognised"),
    "vcompare.recognition.withdrawn": ("認定は取り消されています", "Recognition withdrawn"),
    "vcompare.recognition.expired": ("認定の期限が切れています", "Recognition expired"),
    "vcompare.recognition.not-yet-valid": ("認定はまだ有効ではありません",
                                           "Recognition not yet in force"),
    "vcompare.recognition.invalid": ("認定を確認できませんでした",
                                     "Recognition could not be verified"),
    "vcompare.recognition.none": ("この登録簿の認定はありません",
                                  "Not recognised on this registry"),
    "vcompare.recognition.unknown": ("この登録簿のプログラムではないため不明",
                                     "Unknown: not a programme of this registry"),
    "vcompare.recognition.unverified": ("表示しません（証明書が検証されなかったため）",
                                        "Not shown: the credential did not verify"),
    "vcompare.recognition.by": ("認定機関：{body}", "By {body}"),
    "vcompare.recognition.until": ("{date} まで", "until {date}"),
    "vcompare.presentations": ("プレゼンテーション", "Presentations"),
    "vcompare.presentation.title": ("プレゼンテーション {n}（{label}）",
                                    "Presentation {n} ({label})"),
    "vcompare.presentation.ok": ("提示者の署名を確認しました。",
                                 "The holder's signature verified."),
    "vcompare.presentation.bad": ("提示者の署名を確認できませんでした。",
                                  "The holder's signature did not verify."),
    "vcompare.presentation.holder": ("提示者（ホルダー）", "Holder"),
    "vcompare.presentation.count": ("含まれる証明書", "Credentials it holds"),
    "vcompare.presentation.no_challenge": (
        "チャレンジ（使い回し防止の値）は求めていないため、この提示が以前に別の相手に"
        "送られたものでないかは確かめていません。",
        "No challenge was asked, so whether this presentation was made for someone else "
        "before is not checked."),
    "vcompare.left_out": ("上限の {max} 件を超えたため、次は検証していません：{names}",
                          "Over the limit of {max}, these were not verified: {names}"),
    "vcompare.json": ("同じ検証を JSON で行う API：POST /api/verify/batch",
                      "The same as JSON: POST /api/verify/batch"),
    "vcompare.again": ("別の証明書を比べる", "Compare other credentials"),
    "vcompare.error.title": ("入力を確認してください", "Please check the input"),
    "vcompare.error.empty": ("ファイルを選ぶか、証明書または共有リンクを貼り付けてください。",
                             "Choose files, or paste credentials or share links."),
    "vcompare.error.too_large": (
        "送信された内容が大きすぎます。一度に検証できるのは合計 {limit} までです。ファイルを"
        "分けて検証してください。",
        "What was sent is too large: one comparison reads up to {limit} in all. Verify the "
        "files in smaller groups."),
    "vcompare.error.form": ("フォームの内容を読み取れませんでした：{reason}",
                            "The form could not be read: {reason}"),
}
