"""Skills and levels pages (issue 17): frameworks, a skill's page, the employer's match, the
provider's alignments and a programme's level in the reader's framework, as (ja, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "skills.nav": ("スキル", "Skills"),
    "skills.title": ("スキルとコンピテンシーフレームワーク", "Skills and competency frameworks"),
    "skills.intro": ("学習成果が対応付けられたスキルから、プログラムと提供機関を探せます。"
                     "フレームワークは CASE 1.1 で公開しています。",
                     "Find programmes and providers by the skills their learning outcomes are "
                     "aligned to. The frameworks are published as CASE 1.1."),
    "skills.find": ("スキルを探す", "Find a skill"),
    "skills.q": ("スキル名（日本語・英語）", "Skill name (Japanese or English)"),
    "skills.q_hint": ("例：データサイエンス、セキュリティ、介護", "For example: data science, "
                      "security, care"),
    "skills.notes_in_english": ("説明（英語のみ）：", "Description: "),
    "skills.search": ("探す", "Search"),
    "skills.found": ("見つかったスキル", "Skills found"),
    "skills.none_found": ("該当するスキルはありません。", "No skill matches."),
    "skills.frameworks": ("フレームワーク", "Frameworks"),
    "skills.no_frameworks": ("フレームワークはまだ取り込まれていません。",
                             "No framework has been imported yet."),
    "skills.col.title": ("名称", "Title"),
    "skills.col.creator": ("作成者", "Creator"),
    "skills.col.items": ("項目数", "Items"),
    "skills.col.case": ("CASE パッケージ", "CASE package"),
    "skills.framework": ("フレームワーク", "Framework"),
    "skills.code": ("コード", "Code"),
    "skills.statement": ("説明", "Statement"),
    "skills.uri": ("URI", "URI"),
    "skills.broader": ("上位のスキル", "Broader skills"),
    "skills.narrower": ("下位のスキル", "Narrower skills"),
    "skills.programmes": ("このスキルのプログラム", "Programmes with this skill"),
    "skills.programmes_count": ("{count} 件（下位のスキルを含む）",
                                "{count} (narrower skills included)"),
    "skills.all_programmes": ("検索ですべて見る", "See them all in search"),
    "skills.no_programmes": ("このスキルに対応付けられたプログラムはまだありません。",
                             "No programme is aligned to this skill yet."),
    "skills.providers": ("提供機関", "Providers"),
    "skills.json": ("CASE の JSON", "CASE JSON"),
    "skills.credit": ("出典", "Source"),
    # The employer's match.
    "employers.nav": ("人材要件とマッチング", "Match a role"),
    "employers.title": ("求める人材のスキルとマッチング", "Match a role's skills"),
    "employers.intro": ("職務に必要なスキルを選ぶか、求人票を貼り付けて"
                        "候補のスキルを確認してください。"
                        "スキルを満たすプログラムと、候補者が共有した証明書がどのスキルを満たすかを"
                        "示します。",
                        "Choose the skills a role needs, or paste a job description and confirm "
                        "the skills suggested. See the programmes that cover them, and which of "
                        "them a candidate's shared credentials cover."),
    "employers.text": ("求人票・職務内容（任意）", "Job description (optional)"),
    "employers.text_hint": ("貼り付けて「スキルを提案」を押すと、候補のスキルが下に並びます。",
                            "Paste it and choose “Suggest skills”: the skills it speaks of are "
                            "listed below."),
    "employers.suggest": ("スキルを提案", "Suggest skills"),
    "employers.skills": ("必要なスキル", "Skills the role needs"),
    "employers.skills_hint": ("確認したスキルにチェックを入れてください（{max} 件まで）。",
                              "Tick the skills you confirm (up to {max})."),
    "employers.no_skills": ("スキルがまだありません。求人票から提案するか、"
                            "スキル名で探してください。",
                            "No skills yet: suggest them from a job description, or search by "
                            "name."),
    "employers.add": ("スキル名で追加", "Add a skill by name"),
    "employers.role.saved": ("保存した求人", "Your saved roles"),
    "employers.role.summary": ("スキル {count} 件・{date} 更新", "{count} skills, saved {date}"),
    "employers.role.delete": ("削除", "Delete"),
    "employers.role.delete_named": ("「{title}」を削除", "Delete “{title}”"),
    "employers.role.save_title": ("この求人を保存", "Save this role"),
    "employers.role.title": ("求人の名前", "The role's title"),
    "employers.role.title_hint": ("同じ名前で保存すると上書きされます。",
                                  "Saving under the same title replaces that role."),
    "employers.role.save": ("保存する", "Save the role"),
    "employers.role.sign_in": ("サインインすると、この求人を保存してあとで開けます。",
                               "Sign in to save this role and open it again later."),
    "employers.role.done.saved": ("求人を保存しました。", "The role was saved."),
    "employers.role.done.deleted": ("求人を削除しました。", "The role was deleted."),
    "employers.match": ("プログラムを探す", "Find programmes"),
    "employers.results": ("スキルを満たすプログラム", "Programmes covering the skills"),
    "employers.results_count": ("{count} 件のプログラムが 1 つ以上のスキルを満たします。",
                                "{count} programmes cover at least one of the skills."),
    "employers.no_results": ("これらのスキルを満たすプログラムはまだありません。",
                             "No programme covers these skills yet."),
    "employers.col.programme": ("プログラム", "Programme"),
    "employers.col.provider": ("提供機関", "Provider"),
    "employers.col.coverage": ("満たすスキル", "Skills covered"),
    "employers.covered": ("満たす", "covered"),
    "employers.missing": ("満たさない", "missing"),
    "employers.candidate": ("候補者の証明書と照合", "Check a candidate's credentials"),
    "employers.shared": ("共有リンクまたは検証可能なプレゼンテーション",
                         "Share link or verifiable presentation"),
    "employers.shared_hint": ("候補者から受け取った /s/… のリンク、またはプレゼンテーション（JSON "
                              "か VP-JWT）を貼り付けてください。検証済みの証明書だけを数えます。",
                              "Paste the /s/… link the candidate sent, or their presentation "
                              "(JSON or VP-JWT). Only verified credentials count."),
    "employers.access_code": ("アクセスコード（あれば）", "Access code (if any)"),
    "employers.check": ("照合する", "Check"),
    "employers.candidate_result": ("照合結果", "What the candidate covers"),
    "employers.holder": ("保有者：{name}", "Holder: {name}"),
    "employers.covered_by": ("根拠：{titles}", "Shown by: {titles}"),
    "employers.missing_list": ("不足しているスキル", "Skills missing"),
    "employers.trust": ("発行者の登録", "The issuers in trusted registries"),
    "employers.none_missing": ("すべてのスキルを満たしています。", "Every skill is covered."),
    "employers.unverified": ("検証できなかった証明書（数えていません）：{titles}",
                             "Credentials that did not verify (not counted): {titles}"),
    # The provider's alignments.
    "alignments.title": ("学習成果とスキルの対応付け", "Align learning outcomes to skills"),
    "alignments.intro": ("各学習成果に対して候補のスキルを示します。"
                         "当てはまるものを確定し、当てはまらないものは却下してください。"
                         "候補にないスキルは名前で探して追加できます。"
                         "確定した対応付けは、発行する証明書（Open Badges の alignment）、CTDL、"
                         "レジストリのスキル検索に反映されます。",
                         "Each learning outcome is shown with suggested skills: confirm those "
                         "that fit and reject those that do not; a skill not suggested can be "
                         "found by name and added. Confirmed alignments travel in the "
                         "credentials you issue (Open Badges alignment), in CTDL and in the "
                         "registry's skill search."),
    "alignments.outcome": ("学習成果 {n}", "Learning outcome {n}"),
    "alignments.confirmed": ("確定済み", "Confirmed"),
    "alignments.none_confirmed": ("まだありません。", "None yet."),
    "alignments.suggested": ("候補", "Suggested"),
    "alignments.confirm": ("確定する", "Confirm"),
    "alignments.reject": ("却下する", "Reject"),
    "alignments.remove": ("取り消す", "Remove"),
    "alignments.match.strong": ("よく合致", "Strong match"),
    "alignments.match.good": ("おおむね合致", "Good match"),
    "alignments.match.partial": ("一部が合致", "Partial match"),
    "alignments.none": ("候補はありません。名前で探して追加できます。",
                        "No suggestions: find a skill by name to add it."),
    "alignments.rejected": ("却下した候補 {count} 件は再び表示しません。",
                            "{count} rejected suggestions are not shown again."),
    "alignments.search": ("スキルを名前で探す", "Find a skill by name"),
    "alignments.search_hint": ("読み込まれたフレームワークのスキル名を日本語か英語で"
                               "（一部でも）入力します。",
                               "A skill's name in the loaded frameworks, in Japanese or "
                               "English (part of it is enough)."),
    "alignments.search_button": ("探す", "Find"),
    "alignments.found": ("「{q}」の検索結果", "Skills named “{q}”"),
    "alignments.found_none": ("「{q}」という名前のスキルはありません。",
                              "No skill in the loaded frameworks is named “{q}”."),
    "alignments.add": ("追加する", "Add"),
    "alignments.added": ("追加済み", "Added"),
    "alignments.link": ("スキルの対応付け", "Skills alignment"),
    # A programme's page.
    "programme.levels_in": ("レベルを別の枠組みで読む", "Read the level in another framework"),
    "programme.levels_framework": ("枠組み", "Framework"),
    "programme.levels_show": ("表示", "Show"),
    "programme.levels_reading": ("{stated} は {framework} で：", "{stated} in {framework}:"),
    "programme.levels_none": ("この枠組みへの対応はありません。",
                              "The crosswalk reaches no level of this framework."),
    "programme.levels_via": ("経由：{path}", "via {path}"),
    "programme.levels_check": ("（出典の確認が必要）", "(source to be checked)"),
    "programme.levels_relation.comparable": ("同等", "comparable"),
    "programme.levels_relation.indicative": ("参考", "indicative"),
}
