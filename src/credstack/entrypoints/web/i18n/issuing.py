"""The issuing pages' messages (``/workspace/{slug}/issue`` and ``…/credentials``), as
(ja, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "issuing.workspace": ("ワークスペース：{organisation}", "Workspace: {organisation}"),
    "issuing.nav.label": ("発行", "Issuing"),
    "issuing.nav.issue": ("証明書を発行", "Issue credentials"),
    "issuing.nav.credentials": ("発行済みの証明書", "Issued credentials"),
    # The issue page.
    "issuing.issue.title": ("証明書を発行", "Issue credentials"),
    "issuing.issue.intro": (
        "公開済みのプログラムの証明書を、一人の学習者に、または名簿ファイル（CSV）の学習者全員に"
        "発行します。同じ学習者・プログラムの版・バッチには、何度送信しても証明書は一つだけ"
        "発行されます。",
        "Issue a published programme's credential to one learner, or to every learner of a "
        "cohort file (CSV). One learner, programme version and batch always get one "
        "credential, however often the form is sent."),
    "issuing.no_programmes": (
        "公開済みのプログラムがまだありません。プログラムを公開すると発行できます。",
        "There is no published programme yet: publish a programme to issue its credential."),
    "issuing.programme": ("プログラム", "Programme"),
    "issuing.programme_option": ("{code}：{title}", "{code}: {title}"),
    "issuing.version": ("版", "Version"),
    "issuing.version_latest": ("最新の公開版", "The newest published version"),
    "issuing.version_number": ("第 {version} 版", "Version {version}"),
    "issuing.batch": ("バッチ名", "Batch"),
    "issuing.batch_hint": (
        "この発行の名前（例：2026-spring）。同じバッチで同じ学習者に二度発行することはありません。",
        "A name for this issuance (such as 2026-spring). A learner is never issued twice in "
        "one batch."),
    "issuing.securing": ("署名方式", "Securing mechanism"),
    # The cryptosuites by what they do; their registered names are in the manual.
    "issuing.securing.eddsa-rdfc-2022": ("Data Integrity・RDF 正規化（推奨）",
                                         "Data Integrity, RDF canonicalisation (recommended)"),
    "issuing.securing.eddsa-jcs-2022": ("Data Integrity・JSON 正規化",
                                        "Data Integrity, JSON canonicalisation"),
    "issuing.securing.vc-jwt": ("VC-JWT", "VC-JWT"),
    "issuing.language": ("証明書の言語", "Language of the credential"),
    "issuing.language.ja": ("日本語", "Japanese"),
    "issuing.language.en": ("英語", "English"),
    "issuing.one.title": ("一人に発行", "Issue to one learner"),
    "issuing.one.learner": ("学習者", "Learner"),
    "issuing.one.name_ja": ("氏名（日本語）", "Name in Japanese"),
    "issuing.one.name_en": ("氏名（英語）", "Name in English"),
    "issuing.one.email": ("メールアドレス", "E-mail address"),
    "issuing.one.student_id": ("学籍番号・職員番号", "Student or staff number"),
    "issuing.one.identifies": ("メールアドレスか学籍番号のどちらかが必要です。",
                               "The e-mail address or the number is required."),
    "issuing.one.issued_on": ("発行日", "Date of issue"),
    "issuing.one.issued_on_hint": ("空欄なら本日です。", "Today if left empty."),
    "issuing.one.grade": ("成績（任意）", "Grade (optional)"),
    "issuing.one.submit": ("発行する", "Issue the credential"),
    "issuing.cohort.title": ("名簿ファイル（CSV）から一括発行", "Issue to a cohort (CSV)"),
    "issuing.cohort.explain": (
        "1 行目は見出し、以降は学習者 1 人 1 行です。列：email、student_id、id、name.ja、"
        "name.en、issued_on（YYYY-MM-DD）、grade。UTF-8（BOM 付きも可）と Shift_JIS の"
        "どちらも読めます。",
        "The first row names the columns; then one row per learner. Columns: email, "
        "student_id, id, name.ja, name.en, issued_on (YYYY-MM-DD), grade. UTF-8 (with or "
        "without a BOM) and Shift_JIS are both read."),
    "issuing.cohort.file": ("名簿ファイル（CSV、{limit} まで）",
                            "Cohort file (CSV, up to {limit})"),
    "issuing.cohort.check": ("確認する（まだ発行しません）", "Check it (nothing is issued yet)"),
    "issuing.cohort.no_file": ("名簿ファイルを選んでください。", "Choose a cohort file."),
    "issuing.cohort.too_large": ("ファイルが大きすぎます（{limit} まで）。分割してください。",
                                 "The file is too large (at most {limit}): split it."),
    "issuing.cohort.unreadable": ("ファイルを読めません：{reason}",
                                  "The file cannot be read: {reason}"),
    # The preview and the report.
    "issuing.preview.title": ("名簿の確認", "Check the cohort"),
    "issuing.preview.file": ("ファイル", "File"),
    "issuing.preview.rows": ("行数", "Rows"),
    "issuing.preview.learners": ("発行する学習者", "Learners to issue to"),
    "issuing.preview.first": ("最初の {count} 行", "The first {count} rows"),
    "issuing.preview.row": ("行", "Row"),
    "issuing.preview.ok": (
        "すべての行に問題はありません。{n} 人に発行します。発行はバックグラウンドで行われ、進み具"
        "合はジョブのページで確認できます。",
        "Every row is good: {n} learners will be issued their credential. Issuing runs in the "
        "background; its page shows how far it has got."),
    "issuing.preview.ok.one": (
        "すべての行に問題はありません。{n} 人に発行します。発行はバックグラウンドで行われ、進み具"
        "合はジョブのページで確認できます。",
        "Every row is good: {n} learner will be issued their credential. Issuing runs in the "
        "background; its page shows how far it has got."),
    "issuing.preview.confirm": (
        "{n} 人に発行する",
        "Issue to {n} learners"),
    "issuing.preview.confirm.one": (
        "{n} 人に発行する",
        "Issue to {n} learner"),
    "issuing.preview.again": ("別のファイルを選ぶ", "Choose another file"),
    "issuing.report.title": ("問題のある行", "Rows with problems"),
    "issuing.report.good_rows": ("問題のない {n} 行だけ発行する", "Issue the {n} good rows"),
    "issuing.report.good_rows.one": ("問題のない 1 行だけ発行する", "Issue the 1 good row"),
    "issuing.report.good_rows_hint": ("問題のある {bad} 行を除いて発行できます。除いた行は、"
                                      "直してから改めてアップロードしてください。",
                                      "The {bad} rows with problems can be left out; correct "
                                      "them and upload them later."),
    "issuing.report.summary": (
        "{n} 件の問題があります。何も発行していません。ファイルを直してもう一度アップロードしてく"
        "ださい。",
        "{n} problems were found; nothing was issued. Correct the file and upload it again."),
    "issuing.report.summary.one": (
        "{n} 件の問題があります。何も発行していません。ファイルを直してもう一度アップロードしてく"
        "ださい。",
        "{n} problem was found; nothing was issued. Correct the file and upload it again."),
    "issuing.report.shown": ("最初の {shown} 件を表示しています。",
                             "The first {shown} are shown."),
    "issuing.report.where": ("場所", "Where"),
    "issuing.report.what": ("問題", "Problem"),
    "issuing.report.row_column": ("{row} 行目 {column} 列（{name}）",
                                  "Row {row}, column {column} ({name})"),
    "issuing.report.row_col": ("{row} 行目 {column} 列", "Row {row}, column {column}"),
    "issuing.report.row": ("{row} 行目", "Row {row}"),
    "issuing.no_jobs": ("バックグラウンドジョブが使えないため、発行を開始できません。",
                        "Issuing cannot start: background jobs are not available here."),
    # The list.
    "issuing.list.title": ("発行済みの証明書", "Issued credentials"),
    "issuing.list.search": ("検索（氏名・メールアドレス・証明書 ID）",
                            "Search (name, e-mail address, credential id)"),
    "issuing.list.filters": ("絞り込み", "Filters"),
    "issuing.list.any": ("すべて", "Any"),
    "issuing.list.status": ("状態", "Status"),
    "issuing.list.from": ("発行日（から）", "Issued from"),
    "issuing.list.until": ("発行日（まで）", "Issued until"),
    "issuing.list.apply": ("絞り込む", "Apply"),
    "issuing.list.clear": ("条件をクリア", "Clear"),
    "issuing.list.count": (
        "{n} 件",
        "{n} credentials"),
    "issuing.list.count.one": (
        "{n} 件",
        "{n} credential"),
    "issuing.list.page": ("{number} / {pages} ページ", "Page {number} of {pages}"),
    "issuing.list.previous": ("前のページ", "Previous page"),
    "issuing.list.next": ("次のページ", "Next page"),
    "issuing.list.none": ("該当する証明書はありません。", "No credential matches."),
    "issuing.list.caption": ("証明書（新しい順）", "Credentials, newest first"),
    "issuing.list.learner": ("学習者", "Learner"),
    "issuing.list.issued": ("発行日時", "Issued"),
    "issuing.credential.issued_on": ("発行日", "Date of issue"),
    "issuing.credential.signed": ("署名・保存日時", "Signed and stored"),
    "issuing.list.downloads": ("バッチ「{batch}」のダウンロード", "Downloads of batch “{batch}”"),
    "issuing.download.jsonl": ("証明書（JSON Lines）", "Credentials (JSON Lines)"),
    "issuing.download.zip": ("証明書ファイル（zip）", "Credential files (zip)"),
    "issuing.download.pdf": ("PDF 証明書（zip）", "PDF certificates (zip)"),
    "issuing.certificates.hint": ("PDF 証明書はバックグラウンドで作成します。ジョブのページで"
                                  "進捗を確認し、完成したらダウンロードできます。",
                                  "The certificates are made in the background: the job's "
                                  "page shows the progress and offers the zip when it is "
                                  "ready."),
    "issuing.certificates.language": ("証明書の言語", "Language of the certificates"),
    "issuing.certificates.submit": ("PDF 証明書を作成", "Make the PDF certificates"),
    "issuing.download.csv": ("一覧（CSV）", "List (CSV)"),
    "issuing.bad_date": ("日付は YYYY-MM-DD で入力してください。", "Give dates as YYYY-MM-DD."),
    "issuing.state.active": ("有効", "Active"),
    "issuing.state.suspended": ("停止中", "Suspended"),
    "issuing.state.revoked": ("失効", "Revoked"),
    # One credential.
    "issuing.credential.title": ("証明書", "Credential"),
    "issuing.credential.id": ("証明書 ID", "Credential id"),
    "issuing.credential.learner_key": ("学習者（識別子）", "Learner (identifier)"),
    "issuing.credential.learner_name": ("氏名", "Name"),
    "issuing.credential.grade": ("成績", "Grade"),
    "issuing.credential.programme": ("プログラム", "Programme"),
    "issuing.credential.no_programme": ("（API で発行）", "(issued through the API)"),
    "issuing.credential.securing": ("署名方式", "Securing mechanism"),
    "issuing.credential.status_list": ("ステータスリスト", "Status list"),
    "issuing.credential.verify": ("公開の検証ページ", "Public verification page"),
    "issuing.credential.verify_open": ("検証ページを開く（誰でも開けます）",
                                       "Open the verification page (anyone can open it)"),
    "issuing.credential.verify_address": ("公開の検証ページのアドレス",
                                          "Public verification page's address"),
    "issuing.credential.downloads": ("ダウンロード", "Downloads"),
    "issuing.credential.json": ("証明書（JSON）", "Credential (JSON)"),
    "issuing.credential.jwt": ("証明書（VC-JWT）", "Credential (VC-JWT)"),
    "issuing.credential.pdf_ja": ("PDF 証明書（日本語）", "PDF certificate (Japanese)"),
    "issuing.credential.pdf_en": ("PDF 証明書（英語）", "PDF certificate (English)"),
    "issuing.credential.edc_ja": ("欧州デジタル資格証明 EDC（日本語を主に）",
                                  "European Digital Credential, EDC (Japanese first)"),
    "issuing.credential.edc_en": ("欧州デジタル資格証明 EDC（英語を主に）",
                                  "European Digital Credential, EDC (English first)"),
    "issuing.credential.no_pdf": ("失効・停止中の証明書には PDF はありません。",
                                  "A revoked or suspended credential has no PDF."),
    "issuing.credential.history": ("状態の履歴", "Status history"),
    "issuing.credential.when": ("日時", "When"),
    "issuing.credential.what": ("内容", "What"),
    "issuing.credential.who": ("実行者", "By"),
    "issuing.credential.reason": ("理由", "Reason"),
    "issuing.credential.actions": ("状態の変更", "Change the status"),
    "issuing.credential.final": ("失効した証明書は元に戻せません。",
                                 "A revoked credential cannot be reinstated."),
    "issuing.done.issued": ("証明書を発行しました。", "The credential was issued."),
    "issuing.done.revoke": ("証明書を失効させました。", "The credential was revoked."),
    "issuing.done.suspend": ("証明書を停止しました。", "The credential was suspended."),
    "issuing.done.reinstate": ("証明書を再開しました。", "The credential was reinstated."),
    "issuing.history.issued": ("発行", "Issued"),
    "issuing.history.revoke": ("失効", "Revoked"),
    "issuing.history.suspend": ("停止", "Suspended"),
    "issuing.history.reinstate": ("再開", "Reinstated"),
    "issuing.change.revoke": ("失効させる", "Revoke"),
    "issuing.change.suspend": ("停止する", "Suspend"),
    "issuing.change.reinstate": ("再開する", "Reinstate"),
    "issuing.confirm.title.revoke": ("この証明書を失効させますか", "Revoke this credential?"),
    "issuing.confirm.title.suspend": ("この証明書を停止しますか", "Suspend this credential?"),
    "issuing.confirm.title.reinstate": ("この証明書を再開しますか", "Reinstate this credential?"),
    "issuing.confirm.explain.revoke": (
        "失効は取り消せません。検証する人には、この証明書が失効していると表示されます。",
        "Revocation is final: whoever verifies the credential is told it was revoked."),
    "issuing.confirm.explain.suspend": (
        "再開するまで、検証する人には停止中と表示されます。",
        "Until it is reinstated, whoever verifies the credential is told it is suspended."),
    "issuing.confirm.explain.reinstate": (
        "検証する人には、再び有効と表示されます。",
        "Whoever verifies the credential is told it is valid again."),
    "issuing.confirm.reason": ("理由（必須、監査ログに記録されます）",
                               "Reason (required; kept in the audit log)"),
    "issuing.confirm.cancel": ("やめる", "Cancel"),
    "issuing.problem.title": ("入力に問題があります", "Something needs correcting"),
    "issuing.back": ("一覧に戻る", "Back to the list"),
}
