"""The wallet pages' messages, as (ja, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # The header and the wallet's own navigation.
    "wallet.nav": ("ウォレット", "Wallet"),
    "wallet.nav.label": ("ウォレットのページ", "Wallet pages"),
    "wallet.nav.record": ("学修歴", "Record"),
    "wallet.nav.collections": ("コレクション", "Collections"),
    "wallet.nav.identifiers": ("識別子", "Identifiers"),
    # The record (timeline).
    "wallet.title": ("ウォレット（学修歴）", "Your wallet and learning record"),
    "wallet.intro": (
        "大学・企業・学会・MOOC などから受け取った証明書を保管し、生涯にわたる学修歴として"
        "まとめて確認できます。証明書は取り込むときに検証し、開くたびに検証し直します。",
        "Keep the credentials you earn from universities, companies, academic societies and "
        "MOOCs, and see them together as your lifelong learning record. Each is verified when "
        "it comes in and checked again whenever you open it."),
    "wallet.untitled": ("名称のない証明書", "Untitled credential"),
    "wallet.back": ("学修歴に戻る", "Back to your record"),
    "wallet.issuer": ("発行者", "Issuer"),
    "wallet.kind": ("種類", "Kind"),
    "wallet.kind.record": ("学習記録（CLR）：{n} 件の証明をまとめたもの",
                           "Learner record (CLR) bundling {n} credentials"),
    "wallet.kind.credit": ("単位認定（単位バンクの判定。プログラムの修了ではありません）",
                           "Credit recognition (a credit bank's decision, not the programme "
                           "completed)"),
    "wallet.credit.recognised": ("認定された単位", "Credits recognised"),
    "wallet.credit.of": ("{total}中 {granted}", "{granted} of {total}"),
    "wallet.record.parts": ("この記録に含まれる証明", "The credentials in this record"),
    "wallet.record.part_issuer": ("発行者：{name}", "issued by {name}"),
    "wallet.issued": ("発行日", "Issued"),
    "wallet.expires": ("有効期限", "Expires"),
    "wallet.no_expiry": ("期限なし", "No expiry"),
    "wallet.hours": ("学修時間", "Hours"),
    "wallet.credits": ("単位", "Credits"),
    "wallet.level": ("レベル", "Level"),
    "wallet.fields": ("分野", "Field"),
    "wallet.skills": ("スキル", "Skills"),
    "wallet.tags": ("タグ", "Tags"),
    "wallet.imported": ("取込日時", "Added"),
    "wallet.source.upload": ("ファイルから", "from a file"),
    "wallet.source.paste": ("貼り付け", "pasted"),
    "wallet.source.url": ("URL から", "from a URL"),
    "wallet.source.issued": ("このサイトで発行", "issued here"),
    # A credential's standing.
    "wallet.standing.verified": ("検証済み", "Verified"),
    "wallet.standing.warnings": ("検証済み（注意事項あり）", "Verified, with warnings"),
    "wallet.standing.not_verified": ("検証に失敗しました", "Not verified"),
    "wallet.standing.undecided": ("確認できませんでした（未判定）", "Could not be checked"),
    "wallet.reason.undecided": ("：確認に必要な情報（発行者の鍵やステータスリスト）を取得"
                                "できませんでした。問題が見つかったわけではありません",
                                ": what is needed to check it (its issuer's key or status "
                                "list) could not be fetched; nothing wrong was found"),
    "wallet.standing.revoked": ("発行者により失効", "Revoked by its issuer"),
    "wallet.standing.suspended": ("発行者により一時停止中", "Suspended by its issuer"),
    "wallet.standing.expired": ("有効期限切れ", "Expired"),
    "wallet.standing.expired_on": ("（{date}）", " on {date}"),
    "wallet.standing.not-yet-valid": ("まだ有効期間前", "Not yet valid"),
    "wallet.reason.check": ("：「{check}」が不合格", ": the “{check}” check failed"),
    "wallet.reason.altered": ("：署名の後に内容が変更されています", ": changed after signing"),
    "wallet.reason.missing-proof": ("：署名がありません", ": not signed"),
    "wallet.reason.unresolvable-method": ("：発行者の鍵を取得できませんでした",
                                          ": the issuer's key could not be found"),
    "wallet.reason.issuer-mismatch": ("：記載された発行者の署名ではありません",
                                      ": not signed by the issuer it names"),
    # Importing.
    "wallet.import.title": ("証明書を取り込む", "Add a credential"),
    "wallet.import.intro": (
        "ファイルを選ぶか、証明書の URL を入力するか、内容を貼り付けてください。"
        "複数を指定した場合は、ファイル、URL、貼り付けの順に 1 つだけ取り込みます。",
        "Choose a file, give the credential's address or paste it. If you give more than "
        "one, the file is taken first, then the address, then the pasted text."),
    "wallet.import.file": ("ファイル", "File"),
    "wallet.import.file_hint": (
        "JSON・VC-JWT、証明書が焼き込まれたバッジ画像（PNG・SVG）、署名付き PDF 証明書、"
        "Open Badges 2.0、CLR 2.0（{limit} まで）。",
        "JSON or a VC-JWT, a badge image with the credential baked in (PNG, SVG), a signed "
        "PDF certificate, Open Badges 2.0 or CLR 2.0; up to {limit}."),
    "wallet.import.url": ("証明書の URL", "The credential's address (URL)"),
    "wallet.import.url_hint": ("https:// で始まるアドレス（Open Badges 2.0 のホスト型など）",
                               "An https:// address, such as a hosted Open Badges 2.0 badge"),
    "wallet.import.paste_open": ("内容を貼り付ける", "Paste it instead"),
    "wallet.import.paste": ("証明書の内容", "The credential"),
    "wallet.import.paste_hint": ("JSON、または eyJ で始まる VC-JWT の文字列",
                                 "JSON, or a VC-JWT string starting with eyJ"),
    "wallet.import.submit": ("取り込む", "Add to my wallet"),
    # Totals.
    "wallet.totals.title": ("合計", "Totals"),
    "wallet.totals.note": (
        "検証済みで有効期限内の証明書だけを数えます。単位は制度ごとに合計し、互いに換算しません。",
        "Only verified credentials that have not expired count. Credits are added up per "
        "credit system and never converted into one another."),
    "wallet.totals.count": ("証明書", "Credentials"),
    "wallet.totals.hours": ("学修時間（時間）", "Hours"),
    "wallet.totals.recognitions": ("単位認定（別に数えます）", "Credit recognitions (apart)"),
    "wallet.totals.credits": ("単位制度ごとの単位", "Credits by credit system"),
    "wallet.totals.system": ("単位制度", "Credit system"),
    "wallet.totals.amount": ("単位", "Credits"),
    "wallet.totals.fields": ("分野ごとの件数と学修時間", "Credentials and hours by field"),
    "wallet.totals.field": ("分野", "Field"),
    # The timeline and its filters.
    "wallet.timeline.title": ("学修歴（新しい順）", "Your record, newest first"),
    "wallet.timeline.empty": ("まだ証明書がありません。下のフォームから取り込めます。",
                              "No credentials yet: add one with the form below."),
    "wallet.timeline.none_here": ("この条件に当てはまる証明書はありません。",
                                  "No credential matches this filter."),
    "wallet.recognition": ("プログラムの認定", "Recognition"),
    "wallet.recognition.valid": ("認定済み（有効）", "Recognised"),
    "wallet.recognition.conditional": ("条件付きで認定（有効）", "Recognised with conditions"),
    "wallet.recognition.withdrawn": ("認定は取り消されています", "Recognition withdrawn"),
    "wallet.recognition.expired": ("認定の有効期限切れ", "Recognition expired"),
    "wallet.recognition.not-yet-valid": ("認定の有効期間前", "Recognition not yet in force"),
    "wallet.recognition.invalid": ("認定の記録を検証できません",
                                   "Recognition cannot be verified"),
    "wallet.recognition.none": ("認定されていません", "Not recognised"),
    "wallet.pages.label": ("学修歴のページ", "Pages of the record"),
    "wallet.pages.range": ("{all} 件中 {first}〜{last} 件目", "{first}–{last} of {all}"),
    "wallet.pages.previous": ("新しい証明書へ", "Newer credentials"),
    "wallet.pages.next": ("古い証明書へ", "Older credentials"),
    "wallet.filter.label": ("学修歴の絞り込み", "Filter the record"),
    "wallet.filter.tag": ("タグ", "Tag"),
    "wallet.filter.collection": ("コレクション", "Collection"),
    "wallet.filter.any": ("すべて", "All"),
    "wallet.filter.submit": ("表示する", "Show"),
    "wallet.filter.showing": ("{all} 件中 {n} 件を表示しています", "Showing {n} of {all}"),
    "wallet.filter.with_tag": ("（タグ「{tag}」）", "tagged “{tag}”"),
    "wallet.filter.in_collection": ("（コレクション「{name}」）", "in the collection “{name}”"),
    "wallet.filter.clear": ("すべて表示", "Show all"),
    # A credential's page.
    "wallet.check.title": ("いま検証した結果", "Checked again just now"),
    "wallet.check.note": (
        "この結果はページを開いたときの検証です。取込時の検証結果はそのまま保存されています。",
        "This is the check made when you opened the page; the check made when you added the "
        "credential is kept as it was."),
    "wallet.means.title": ("この証明書が示すこと", "What it means"),
    "wallet.means.outcomes": ("学修成果", "Learning outcomes"),
    "wallet.means.grade": ("成績", "Grade"),
    "wallet.means.micro": ("マイクロクレデンシャル", "Micro-credential"),
    "wallet.means.micro_yes": ("枠組みの要件を満たすマイクロクレデンシャルです",
                               "A micro-credential under the frameworks"),
    "wallet.means.micro_no": ("マイクロクレデンシャルの要件を満たしていません",
                              "Not a micro-credential under the frameworks"),
    "wallet.means.counts": ("この証明書は合計に数えられます。",
                            "This credential counts in your totals."),
    "wallet.means.credit": ("単位認定はプログラムの修了ではないため、証明書・学修時間・単位の"
                            "合計には数えず、単位認定として別に数えます。",
                            "A credit recognition is not a programme completed: it does not "
                            "count as a credential, hours or credits in your totals, and is "
                            "counted apart as a credit recognition."),
    "wallet.means.does_not_count": ("この証明書は検証済みでないか期限切れのため、"
                                    "合計に数えません。",
                                    "This credential does not count in your totals: it is not "
                                    "verified, or it has expired."),
    "wallet.notes.title": ("タグとメモ", "Tags and note"),
    "wallet.notes.tags": ("タグ", "Tags"),
    "wallet.notes.tags_hint": ("カンマ（, または 、）で区切って入力（20 個まで）",
                               "Separate them with commas (up to 20)"),
    "wallet.notes.note": ("メモ（非公開）", "Private note"),
    "wallet.notes.note_hint": ("あなただけが見られます。共有しても表示されません。",
                               "Only you see it; it is never shared."),
    "wallet.notes.submit": ("保存する", "Save"),
    "wallet.in_collections.title": ("コレクション", "Collections"),
    "wallet.in_collections.none": ("どのコレクションにも入っていません。",
                                   "It is in no collection."),
    "wallet.in_collections.remove": ("「{name}」から外す", "Take out of “{name}”"),
    "wallet.in_collections.add": ("コレクションに入れる", "Put it in a collection"),
    "wallet.in_collections.choose": ("コレクションを選ぶ", "Choose a collection"),
    "wallet.in_collections.choose_none": ("（選ばない）", "(none)"),
    "wallet.in_collections.new": ("または新しいコレクションの名前", "Or name a new collection"),
    "wallet.in_collections.new_first": ("新しいコレクションの名前", "Name a new collection"),
    "wallet.in_collections.submit": ("入れる", "Put it in"),
    "wallet.file.title": ("ファイル", "The file"),
    "wallet.file.intro": ("取り込んだときのまま、1 バイトも変えずに保管しています。",
                          "Kept exactly as it came in, byte for byte."),
    "wallet.file.name": ("ファイル名", "File name"),
    "wallet.file.format": ("形式", "Format"),
    "wallet.file.url": ("取得元", "Fetched from"),
    "wallet.file.recipient": ("受領者として一致した識別子", "Recipient matched"),
    "wallet.file.download": ("元のファイルをダウンロード", "Download the original"),
    "wallet.certificate.download": ("PDF 証明書をダウンロード",
                                    "Download the PDF certificate"),
    "wallet.certificate.download_other": ("英語版の PDF 証明書", "The certificate in Japanese"),
    "wallet.edc.download": ("欧州デジタル資格証明（EDC）をダウンロード",
                            "Download the European Digital Credential (EDC)"),
    "wallet.edc.download_other": ("英語を主にした EDC", "The EDC with Japanese first"),
    "wallet.file.delete": ("この証明書を削除…", "Delete this credential…"),
    # Deleting a credential.
    "wallet.delete.title": ("この証明書を削除しますか？", "Delete this credential?"),
    "wallet.delete.back": ("証明書に戻る", "Back to the credential"),
    "wallet.delete.explain": (
        "ウォレットから削除すると、元に戻せません。タグ・メモ・コレクションへの登録・共有リンクも"
        "削除されます。必要なら先に元のファイルをダウンロードしてください。",
        "Deleting it from your wallet cannot be undone: its tags, note, place in your "
        "collections and share links go with it. Download the original first if you need it."),
    "wallet.delete.issued": (
        "このサイトで発行された証明書は、削除した後に自動で再び届くことはありません。",
        "It was issued on this site; once deleted, it is not delivered to your wallet again."),
    "wallet.delete.submit": ("削除する", "Delete it"),
    "wallet.delete.cancel": ("削除しない", "Keep it"),
    # Collections.
    "wallet.collections.title": ("コレクション", "Collections"),
    "wallet.collections.intro": (
        "就職の応募、学位の計画など、目的ごとに証明書をまとめられます。",
        "Group credentials for a purpose: a job application, a degree plan."),
    "wallet.collections.new": ("新しいコレクション", "New collection"),
    "wallet.collections.name": ("名前", "Name"),
    "wallet.collections.description": ("説明（任意）", "Description (optional)"),
    "wallet.collections.create": ("作成する", "Create"),
    "wallet.collections.yours": ("あなたのコレクション", "Your collections"),
    "wallet.collections.none": ("コレクションはまだありません。", "No collections yet."),
    "wallet.collections.show": ("{n} 件の証明書を見る", "See its {n} credentials"),
    "wallet.collections.show.one": ("{n} 件の証明書を見る", "See its {n} credential"),
    "wallet.collections.rename": ("「{name}」の名前と説明を変える",
                                  "Rename “{name}” or change its description"),
    "wallet.collections.save": ("保存する", "Save"),
    "wallet.collections.delete": ("「{name}」を削除", "Delete “{name}”"),
    "wallet.collections.delete_note": (
        "コレクションを削除しても、中の証明書はウォレットに残ります。",
        "Deleting a collection keeps its credentials in your wallet."),
    # Identifiers.
    "wallet.identifiers.title": ("識別子", "Identifiers"),
    "wallet.identifiers.intro": (
        "証明書は、受領者をメールアドレス・学籍番号・DID・URL などで示します。"
        "そのいずれかがここにある証明書を取り込めます。識別子を削除しても証明書は残ります。",
        "A credential names its recipient by an e-mail address, a student number, a DID or a "
        "URL. You can add a credential that names one of the identifiers listed here; "
        "removing an identifier keeps every credential."),
    "wallet.identifiers.holder": ("保有者 DID", "Your holder DID"),
    "wallet.identifiers.holder_intro": (
        "このウォレットの鍵の DID です。検証者への提示に署名するときに使います。",
        "The DID of this wallet's key, which signs what you present to a verifier."),
    "wallet.identifiers.yours": ("あなたの識別子", "Your identifiers"),
    "wallet.identifiers.caption": ("識別子と確認状況", "Identifiers and whether they are "
                                                   "verified"),
    "wallet.identifiers.kind": ("種類", "Type"),
    "wallet.identifiers.value": ("識別子", "Identifier"),
    "wallet.identifiers.state": ("確認状況", "Verified"),
    "wallet.identifiers.action": ("操作", "Action"),
    "wallet.identifiers.verified": ("確認済み", "Verified"),
    "wallet.identifiers.unverified": ("未確認", "Not verified yet"),
    "wallet.identifiers.own": ("アカウント固有（削除不可）", "Your account's own"),
    "wallet.identifiers.remove": ("{value} を削除", "Remove {value}"),
    "wallet.identifiers.unverified_note": (
        "このサイトで発行された証明書は、確認済みの識別子宛てのものだけが自動で届きます。"
        "ファイルなどからの取込みには、未確認の識別子も使えます。",
        "Credentials issued on this site arrive by themselves for verified identifiers only; "
        "any identifier here lets you add a credential you hold."),
    "wallet.identifiers.add": ("識別子を追加する", "Add an identifier"),
    "wallet.identifiers.value_hint": (
        "例：hanako@example.jp、学籍番号、DID、https://…",
        "For example hanako@example.jp, a student number, a DID, https://…"),
    "wallet.identifiers.did_value": ("DID を表示", "Show the DID"),
    "wallet.identifiers.submit": ("追加する", "Add"),
    # What was done.
    "wallet.done.imported": ("証明書を取り込みました。", "The credential is in your wallet."),
    "wallet.done.already": ("この証明書はすでにウォレットにあります。",
                            "This credential was already in your wallet."),
    "wallet.done.saved": ("タグとメモを保存しました。", "Tags and note saved."),
    "wallet.done.added": ("コレクションに入れました。", "Put in the collection."),
    "wallet.done.removed": ("コレクションから外しました。", "Taken out of the collection."),
    "wallet.done.deleted": ("証明書を削除しました。", "The credential was deleted."),
    "wallet.done.collection_created": ("コレクションを作成しました。", "Collection created."),
    "wallet.done.collection_renamed": ("コレクションを変更しました。", "Collection changed."),
    "wallet.done.collection_deleted": ("コレクションを削除しました（証明書は残っています）。",
                                       "Collection deleted (its credentials stay)."),
    "wallet.done.identifier_added": ("識別子を追加しました。", "Identifier added."),
    "wallet.done.identifier_removed": ("識別子を削除しました。証明書はすべて残っています。",
                                       "Identifier removed; every credential stays."),
    # Refusals.
    "wallet.error.title": ("取り込めませんでした", "This could not be done"),
    "wallet.error.add_identifier": ("識別子を追加する", "Add an identifier"),
    "wallet.error.empty": ("ファイルを選ぶか、URL を入力するか、証明書を貼り付けてください。",
                           "Choose a file, give an address or paste a credential."),
    "wallet.error.too_large": ("ファイルが大きすぎます。ウォレットに保管できるのは {limit} "
                               "までです。",
                               "The file is too large: a wallet keeps credentials of up to "
                               "{limit}."),
    "wallet.error.someone_else": (
        "この証明書は他の方に発行されています。あなたの識別子のどれも、証明書に記載された受領者"
        "（{places}）と一致しません。あなたの証明書であれば、発行時の識別子（メールアドレス・"
        "学籍番号・DID など）を追加してから、もう一度取り込んでください。",
        "This credential was issued to someone else: none of your identifiers is the "
        "recipient it names ({places}). If it is yours, add the identifier it was issued to "
        "(an e-mail address, a student number, a DID) and add it again."),
    "wallet.error.url_not_found": ("その URL には何もありませんでした（404 または 410）。",
                                   "Nothing is served at that address (404 or 410)."),
    "wallet.error.fetch": ("その URL から取得できませんでした（{reason}）。",
                           "That address could not be fetched: {reason}"),
    "wallet.error.form": ("フォームを読み取れませんでした（{reason}）。",
                          "The form could not be read: {reason}"),
    "wallet.error.refused": ("{reason}", "{reason}"),
    "wallet.error.tags": ("タグは {count} 個まで、1 つ {length} 文字までです。",
                          "Give at most {count} tags of at most {length} characters each."),
    "wallet.error.note": ("メモは {length} 文字までです。",
                          "A note has at most {length} characters."),
    "wallet.error.no_collection": ("コレクションを選ぶか、新しい名前を入力してください。",
                                   "Choose a collection or name a new one."),
    "wallet.error.collection_name": ("名前を 1〜{length} 文字で入力してください。",
                                     "Give a name of 1 to {length} characters."),
    "wallet.error.collection_description": ("説明は {length} 文字までです。",
                                            "A description has at most {length} characters."),
    "wallet.error.identifier_yours": ("この識別子はすでに登録されています。",
                                      "This is already one of your identifiers."),
    "wallet.error.identifier_elsewhere": (
        "この識別子は別のアカウントに登録されています。識別子は 1 人の学習者のものです。",
        "This identifier belongs to another account here; an identifier is one learner's."),
    "wallet.error.identifier_kind": ("識別子の種類を選んでください。",
                                     "Choose the type of identifier."),
    "wallet.error.identifier_email": ("メールアドレスの形になっていません。",
                                      "This is not an e-mail address."),
    "wallet.error.identifier_did": ("DID は did: で始まります。", "A DID starts with did:"),
    "wallet.error.identifier_url": ("URL は https:// または http:// で始まります。",
                                    "A URL starts with https:// or http://"),
    "wallet.error.identifier_value": ("識別子を 1〜500 文字で入力してください。",
                                      "Give the identifier, 1 to 500 characters."),
    # The claim link of a "credential issued" e-mail (pages/wallet/claims.py).
    "wallet.claim.title": ("修了証の受け取り", "Claim your credential"),
    "wallet.claim.heading": ("{issuer}から「{title}」の修了証が発行されています",
                             "{issuer} has issued you “{title}”"),
    "wallet.claim.untitled": ("デジタル修了証", "a digital credential"),
    "wallet.claim.issued_on": ("発行日：{date}", "Issued {date}"),
    "wallet.claim.signed_out": ("修了証が送られたメールアドレスでサインインするか、そのアドレスで"
                                "アカウントを作成すると、ウォレットに受け取れます。",
                                "Sign in with the e-mail address it was sent to, or create an "
                                "account with that address, to claim it into your wallet."),
    "wallet.claim.sign_in": ("サインイン", "Sign in"),
    "wallet.claim.sign_up": ("アカウントを作成", "Create an account"),
    "wallet.claim.no_sign_up": ("アカウントをお持ちでない方は、発行元にお問い合わせください。",
                                "If you have no account, ask the issuer for one."),
    "wallet.claim.someone_else": ("この修了証は、いまサインインしているアカウント（{email}）とは"
                                  "別のメールアドレス宛てに送られています。送られたアドレスの"
                                  "アカウントに切り替えて受け取ってください。",
                                  "This credential was sent to another e-mail address than the "
                                  "one you are signed in with ({email}). Switch to the account "
                                  "of the address it was sent to, to claim it."),
    "wallet.claim.switch": ("サインアウトして別のアカウントでサインイン",
                            "Sign out and sign in with another account"),
    "wallet.claim.also_yours": ("送られたアドレスもご自身のものなら、ウォレットに追加できます：",
                                "If that address is yours too, add it to your wallet:"),
    "wallet.claim.identifiers": ("自分の識別子", "your identifiers"),
    "wallet.claim.revoked": ("この修了証は発行元により取り消されています。",
                             "The issuer has revoked this credential."),
    "wallet.claim.verify": ("この修了証の検証ページ", "This credential's verification page"),
    "wallet.claim.unknown_title": ("この受け取りリンクは使えません",
                                   "This claim link cannot be used"),
    "wallet.claim.unknown": ("この受け取りリンクに当たる修了証は、このサイトで発行されていません。"
                             "メールのリンクを最後までコピーしたか確かめてください。",
                             "This claim link names no credential issued on this site. Check "
                             "that the whole link from the e-mail was copied."),
}
