"""The recognition pages' messages, as (ja, en)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- Recognition in credential verification (/verify) ---------------------------------
    "recognition.verify.title": ("プログラムの認定", "Recognition of the programme"),
    "recognition.verify.status.valid": ("このプログラムは認定を受けています（有効）。",
                                        "This programme is recognised (valid)."),
    "recognition.verify.status.withdrawn": ("このプログラムの認定は取り消されています。",
                                            "The recognition of this programme was withdrawn."),
    "recognition.verify.status.expired": ("このプログラムの認定は有効期限が切れています。",
                                          "The recognition of this programme has expired."),
    "recognition.verify.status.not-yet-valid": ("このプログラムの認定の有効期間はまだ始まって"
                                                "いません。",
                                                "The recognition of this programme is not "
                                                "valid yet."),
    "recognition.verify.status.invalid": ("認定の記録はありますが、その推薦証明を検証できません。",
                                          "A recognition is recorded, but its endorsement "
                                          "credential does not verify."),
    "recognition.verify.status.none": ("このプログラムの認定は記録されていません。",
                                       "No recognition of this programme is recorded."),
    "recognition.verify.note": ("認定は参考情報です。この証明書が検証できるかどうかには"
                                "影響しません。",
                                "The recognition is shown for information: it does not change "
                                "whether this credential verifies."),
    "recognition.verify.body": ("認定機関", "Recognition body"),
    "recognition.verify.outcome": ("結果", "Outcome"),
    "recognition.verify.conditions": ("条件", "Conditions"),
    "recognition.verify.period": ("有効期間", "Validity"),
    "recognition.verify.period_value": ("{start}〜{end}", "{start} to {end}"),
    "recognition.verify.no_end": ("期限なし", "no end"),
    "recognition.verify.item_status": ("状態", "Status"),
    "recognition.verify.decision": ("決定", "Decision"),
    "recognition.verify.decision_link": ("決定 {number} の内容と理由",
                                         "Decision {number}: outcome and reasons"),
    # --- The certification mark (programme page, registry) -------------------------------
    "recognition.mark.title": ("認定", "Recognition"),
    "recognition.mark.alt": ("{body}による認定マーク（決定 {number}）",
                             "Certification mark of {body} (decision {number})"),
    "recognition.mark.none": ("このプログラムは認定機関の認定を受けていません。",
                              "This programme has not been recognised by a recognition body."),
    "recognition.mark.status.valid": ("有効", "Valid"),
    "recognition.mark.status.expired": ("期限切れ", "Expired"),
    "recognition.mark.status.withdrawn": ("取消し", "Withdrawn"),
    "recognition.mark.status.not-yet-valid": ("有効期間前", "Not yet valid"),
    "recognition.mark.version": ("対象：バージョン {version}", "Of version {version}"),
    "recognition.mark.until": ("{date}まで", "until {date}"),
    "recognition.mark.withdrawn_on": ("{date}に取消し", "withdrawn on {date}"),
    "recognition.mark.credential": ("推薦証明（Open Badges 3.0、JSON）",
                                    "Endorsement credential (Open Badges 3.0, JSON)"),
    "recognition.mark.decision": ("決定 {number}", "Decision {number}"),
    "recognition.mark.recognised": ("認定済み", "Recognised"),
    "recognition.mark.recognised_conditionally": ("条件付きで認定", "Recognised with conditions"),
    # --- The transparency pages (/recognition) -------------------------------------------
    "recognition.nav": ("認定", "Recognition"),
    "recognition.title": ("マイクロクレデンシャルの認定", "Recognition of micro-credentials"),
    "recognition.intro": ("認定機関は、公表した基準に照らし、外部の評価者による審査を経て"
                          "プログラムを認定します。審査の基準と手続き、すべての決定とその理由を"
                          "ここで公開しています。",
                          "The recognition body recognises programmes against published "
                          "criteria, after a review by external evaluators. The criteria, the "
                          "process and every decision with its reasons are public here."),
    "recognition.toc": ("このページの内容", "On this page"),
    "recognition.criteria": ("審査基準", "Criteria"),
    "recognition.criteria_intro": ("審査は次の {n} つの基準で行います。評価者は基準ごとに"
                                   "確認項目に沿って申請を読み、評点とコメントを付けます。",
                                   "Applications are reviewed against these {n} criteria. "
                                   "For each, the evaluators work through its checklist and "
                                   "give a score and a comment."),
    "recognition.checklist": ("確認項目", "Checklist"),
    "recognition.scale": ("評点", "Scores"),
    "recognition.scale_intro": ("評点は基準ごとに 4 段階です。", "Each criterion is scored on "
                                "four levels."),
    "recognition.process": ("審査の手続き", "The process"),
    "recognition.process_intro": ("申請から公表までの手順と、各段階の期限です。期限は各段階に"
                                  "入った日から数えます。",
                                  "The steps from application to publication, and the time "
                                  "each may take, counted from the day the step begins."),
    "recognition.step.apply": ("申請", "Application"),
    "recognition.step.apply.text": ("プログラムの提供機関が、公開済みのプログラム（版）、"
                                    "認定機関、フレームワークのプロファイルを選び、基準ごとの"
                                    "自己評価と根拠資料を添えて申請します。",
                                    "The provider chooses a published programme version, the "
                                    "recognition body and a framework profile, and applies "
                                    "with a self-evaluation per criterion and evidence "
                                    "files."),
    "recognition.step.completeness": ("書類の自動確認", "Completeness check"),
    "recognition.step.completeness.text": ("提出と同時に、記述子の検証器がプロファイルの必須"
                                           "記述子、自己評価、根拠資料がそろっているかを確認"
                                           "します。不備があれば申請者に戻ります。",
                                           "On submission, the descriptor validator checks "
                                           "the profile's required descriptors, the "
                                           "self-evaluation and the evidence. Anything "
                                           "missing sends the application back."),
    "recognition.step.assignment": ("評価者の選任", "Evaluators assigned"),
    "recognition.step.assignment.text": ("委員会が外部の評価者を選任します。申請機関に所属する"
                                         "者は選任されません。",
                                         "The committee assigns external evaluators; nobody "
                                         "from the applicant organisation can be one."),
    "recognition.step.review": ("利益相反の申告と審査", "Conflict declaration and review"),
    "recognition.step.review.text": ("評価者は利益相反がないことを申告してから、基準ごとに"
                                     "評点とコメントを付けます。",
                                     "Each evaluator first declares any conflict of interest, "
                                     "then scores and comments on every criterion."),
    "recognition.step.information": ("追加情報の依頼", "Requests for information"),
    "recognition.step.information.text": ("審査中、委員会は申請者に追加の情報を求めることが"
                                          "できます。回答までの間、審査の期限は止まります。",
                                          "During the review the committee may ask the "
                                          "applicant for more information; the review clock "
                                          "waits for the answer."),
    "recognition.step.decision": ("決定", "Decision"),
    "recognition.step.decision.text": ("委員会が審査結果を踏まえ、認定・条件付き認定・不認定"
                                       "のいずれかを理由とともに決定します。申請機関の者は"
                                       "決定に加わりません。",
                                       "The committee decides — recognised, recognised with "
                                       "conditions, or not recognised — and gives its "
                                       "reasons. Members of the applicant organisation take "
                                       "no part."),
    "recognition.step.publication": ("公表", "Publication"),
    "recognition.step.publication.text": ("決定と理由をこのページで公表します。認定の場合は、"
                                          "認定機関が署名した認定クレデンシャル（Open Badges "
                                          "3.0 の EndorsementCredential）と認定マークを発行"
                                          "します。",
                                          "The decision and its reasons are published on this "
                                          "page. A recognition comes with an endorsement "
                                          "credential signed by the recognition body (an Open "
                                          "Badges 3.0 EndorsementCredential) and a "
                                          "certification mark."),
    "recognition.step.appeal": ("異議申立て", "Appeal"),
    "recognition.step.appeal.text": ("条件付き認定または不認定の決定には、公表から "
                                     "{appeal_days} 日以内に異議を申し立てることができます。",
                                     "A recognition with conditions or a refusal can be "
                                     "appealed within {appeal_days} days of publication."),
    "recognition.step.renewal": ("更新と取消し", "Renewal and withdrawal"),
    "recognition.step.renewal.text": ("認定には有効期間があり、満了前に更新の審査を受けられ"
                                      "ます。認定が取り消されると、認定クレデンシャルは失効"
                                      "リストで失効します。",
                                      "A recognition lasts for a fixed period and can be "
                                      "renewed by a new review before it ends. A withdrawn "
                                      "recognition's credential is revoked through its status "
                                      "list."),
    "recognition.step.limit": ("期限：{party}が {days} 日以内に{duty}",
                               "Time limit: {party} — {duty} within {days} days"),
    "recognition.validity": ("認定の有効期間", "How long a recognition lasts"),
    "recognition.validity.years": ("{n} 年", "{n} years"),
    "recognition.decisions": ("決定の一覧", "Decisions"),
    "recognition.search": ("決定を検索", "Search the decisions"),
    "recognition.search.q": ("キーワード", "Words"),
    "recognition.search.q_hint": ("プログラム名、提供機関、決定番号、理由の語句で探せます。",
                                  "Find decisions by programme, provider, decision number or "
                                  "words of the reasons."),
    "recognition.search.outcome": ("結果", "Outcome"),
    "recognition.search.all_outcomes": ("すべての結果", "All outcomes"),
    "recognition.search.submit": ("検索", "Search"),
    "recognition.search.clear": ("条件をクリア", "Clear the search"),
    "recognition.total": ("{n} 件の決定", "{n} decisions"),
    "recognition.total.one": ("{n} 件の決定", "{n} decision"),
    "recognition.page_of": ("{page} / {pages} ページ", "page {page} of {pages}"),
    "recognition.none_yet": ("公表された決定はまだありません。", "No decision has been "
                             "published yet."),
    "recognition.none_found": ("条件に合う決定はありません。", "No decision matches."),
    "recognition.pagination": ("決定一覧のページ", "Pages of decisions"),
    "recognition.previous": ("前のページ", "Previous page"),
    "recognition.next": ("次のページ", "Next page"),
    "recognition.col.number": ("決定番号", "Decision number"),
    "recognition.col.programme": ("プログラム", "Programme"),
    "recognition.col.provider": ("提供機関", "Provider"),
    "recognition.col.body": ("認定機関", "Recognition body"),
    "recognition.col.outcome": ("結果", "Outcome"),
    "recognition.col.decided": ("決定日", "Decided"),
    "recognition.col.date": ("公表日", "Published"),
    "recognition.col.validity": ("有効期間", "Valid"),
    "recognition.col.status": ("現在の状態", "Status today"),
    "recognition.col.criterion": ("基準", "Criterion"),
    "recognition.col.reviews": ("審査数", "Reviews"),
    "recognition.col.mean": ("平均評点", "Mean score"),
    "recognition.col.range": ("最低–最高", "Lowest–highest"),
    "recognition.status.none": ("認定なし", "No recognition"),
    "recognition.no_end": ("期限なし", "no end"),
    "recognition.not_given": ("記載なし", "not given"),
    "recognition.other_language": ("英語版", "Japanese version"),
    "recognition.appeal_decision": ("異議申立てへの決定", "Appeal decision"),
    "recognition.reasons": ("理由", "Reasons"),
    "recognition.conditions": ("条件", "Conditions"),
    "recognition.read_decision": ("決定 {number} を読む", "Read decision {number}"),
    "recognition.version": ("（第 {n} 版）", "(version {n})"),
    "recognition.decision.title": ("決定 {number}", "Decision {number}"),
    "recognition.decision.facts": ("決定の概要", "The decision"),
    "recognition.decision.summary": ("基準ごとの審査結果", "The review, criterion by criterion"),
    "recognition.decision.summary_caption": ("評価者の評点の集計（1〜4）",
                                             "The evaluators' scores, summed up (1–4)"),
    "recognition.decision.scale_hint": ("評点：1 未充足、2 一部充足、3 充足、4 特に優れている。",
                                         "Scores: 1 not met, 2 partly met, 3 met, "
                                         "4 exemplary."),
    "recognition.decision.no_summary": ("この決定には審査結果の集計がありません。",
                                        "This decision has no summary of scores."),
    "recognition.decision.mark": ("認定マーク", "Certification mark"),
    "recognition.decision.mark_alt": ("認定マーク：{programme}（{outcome}、決定番号 {number}）",
                                      "Certification mark: {programme} ({outcome}, decision "
                                      "{number})"),
    "recognition.decision.until": ("{date} まで", "until {date}"),
    "recognition.decision.credential": ("認定クレデンシャル（JSON）",
                                        "Endorsement credential (JSON)"),
    "recognition.decision.verify": ("証明書を検証する", "Verify a credential"),
    "recognition.decision.verify_hint": ("このプログラムの修了証明書を検証すると、この認定の"
                                         "状態も表示されます。",
                                         "Verifying a learner's credential for this "
                                         "programme shows this recognition and its status."),
    "recognition.decision.no_mark": ("不認定のため、認定マークと認定クレデンシャルはありません。",
                                     "Not recognised: there is no mark and no endorsement "
                                     "credential."),
    "recognition.decision.withdrawn": ("この認定は {date} に取り消されました。",
                                       "This recognition was withdrawn on {date}."),
    "recognition.decision.withdrawn_reason": ("取消しの理由：", "The reason given:"),
    # --- The review workflow pages (/review) ---------------------------------------------
    "recognition.review.title": ("認定の審査", "Recognition reviews"),
    "recognition.review.intro": ("あなたが関わる認定申請と、あなたの対応を待っている手続きです。",
                                 "The recognition applications you take part in, and the steps "
                                 "waiting for you."),
    "recognition.review.new": ("新しく申請する", "Apply for recognition"),
    "recognition.review.tasks": ("対応が必要な手続き", "Waiting for you"),
    "recognition.review.task_count": ("（{n} 件）", "({n})"),
    "recognition.review.no_tasks": ("いま対応が必要な手続きはありません。",
                                    "Nothing is waiting for you."),
    "recognition.review.applications": ("申請", "Applications"),
    "recognition.review.applications_caption": ("閲覧できる申請", "The applications you can "
                                                "see"),
    "recognition.review.no_applications": ("閲覧できる申請はまだありません。",
                                           "There are no applications for you yet."),
    "recognition.review.notifications": ("お知らせ", "Notifications"),
    "recognition.review.no_notifications": ("お知らせはありません。", "No notifications."),
    "recognition.review.due": ("期限 {date}", "due {date}"),
    "recognition.col.applicant": ("申請機関", "Applicant"),
    "recognition.col.application": ("申請番号", "Application"),
    "recognition.col.due": ("期限", "Due"),
    "recognition.col.profile": ("フレームワークのプロファイル", "Framework profile"),
    "recognition.col.role": ("あなたの立場", "Your role"),
    "recognition.col.state": ("状態", "State"),
    "recognition.col.updated": ("更新", "Updated"),
    "recognition.viewer.applicant": ("申請者", "Applicant"),
    "recognition.viewer.committee": ("委員会", "Committee"),
    "recognition.viewer.evaluator": ("評価者", "Evaluator"),
    "recognition.viewer.registry-admin": ("レジストリ管理者", "Registry admin"),
    "recognition.step_name.submit": ("提出", "submit"),
    "recognition.step_name.revise": ("修正", "revise"),
    "recognition.step_name.assign-evaluator": ("評価者の選任", "assign evaluators"),
    "recognition.step_name.declare-interests": ("利益相反の申告", "declare interests"),
    "recognition.step_name.submit-review": ("審査結果の提出", "submit your review"),
    "recognition.step_name.request-information": ("追加情報の依頼", "request information"),
    "recognition.step_name.answer-information": ("追加情報の回答", "answer the request"),
    "recognition.step_name.complete-review": ("審査の完了", "complete the review"),
    "recognition.step_name.decide": ("決定", "decide"),
    "recognition.step_name.publish": ("公表", "publish"),
    "recognition.step_name.appeal": ("異議申立て", "appeal"),
    "recognition.step_name.uphold-appeal": ("異議申立ての認容", "uphold the appeal"),
    "recognition.step_name.dismiss-appeal": ("異議申立ての棄却", "dismiss the appeal"),
    "recognition.step_name.withdraw": ("申請の取下げ", "withdraw"),
    "recognition.step_name.withdraw-recognition": ("認定の取消し", "withdraw the recognition"),
    "recognition.step_name.completeness-passed": ("書類確認", "completeness check"),
    "recognition.step_name.completeness-failed": ("書類確認", "completeness check"),
    "recognition.new.title": ("認定を申請する", "Apply for recognition"),
    "recognition.new.intro": ("公開済みのプログラム（版）を選び、審査を依頼する認定機関と、"
                              "確認に使うフレームワークのプロファイルを選んでください。申請は"
                              "下書きとして作られ、提出するまで変更できます。",
                              "Choose a published programme version, the recognition body to "
                              "review it and the framework profile to check it against. The "
                              "application starts as a draft you can change until you submit "
                              "it."),
    "recognition.new.programme": ("プログラム（版）", "Programme version"),
    "recognition.new.programme_hint": ("あなたが管理する組織の、公開済みの版だけを選べます。",
                                       "Only published versions of your organisations' "
                                       "programmes are listed."),
    "recognition.new.body": ("認定機関", "Recognition body"),
    "recognition.new.profile": ("フレームワークのプロファイル", "Framework profile"),
    "recognition.new.profile_hint": ("書類の自動確認で、このプロファイルの必須記述子がそろって"
                                     "いるかを確認します。",
                                     "The completeness check looks for the descriptors this "
                                     "profile requires."),
    "recognition.new.choose": ("選んでください", "Choose…"),
    "recognition.new.no_programmes": ("申請できる公開済みのプログラムがありません。",
                                      "There is no published programme to apply with."),
    "recognition.new.submit": ("申請を作成する", "Create the application"),
    "recognition.app.title": ("認定申請", "Recognition application"),
    "recognition.app.renewal": ("更新", "Renewal"),
    "recognition.app.findings": ("書類の自動確認の結果", "Completeness check"),
    "recognition.app.findings_intro": ("提出時の自動確認で見つかった点です。",
                                       "What the automatic check found on submission."),
    "recognition.app.findings_incomplete": ("申請に不備がありました。次の点を直してから、もう一度"
                                            "提出してください。",
                                            "The application is incomplete. Put these right, "
                                            "then submit it again."),
    "recognition.severity.error": ("不備", "Missing"),
    "recognition.severity.warning": ("注意", "Warning"),
    "recognition.severity.info": ("情報", "Note"),
    "recognition.app.self_evaluation": ("自己評価", "Self-evaluation"),
    "recognition.app.self_evaluation_intro": ("基準ごとに、プログラムがどう満たしているかを"
                                              "書いてください。確認項目が手がかりになります。"
                                              "すべての基準の記入が提出の条件です。",
                                              "For each criterion, describe how the programme "
                                              "meets it; its checklist shows what evaluators "
                                              "look for. Every criterion needs a text before "
                                              "you can submit."),
    "recognition.app.save": ("自己評価を保存", "Save the self-evaluation"),
    "recognition.app.evidence": ("根拠資料", "Evidence"),
    "recognition.app.no_evidence": ("根拠資料はまだありません。", "No evidence yet."),
    "recognition.app.upload": ("根拠資料を追加する", "Add evidence"),
    "recognition.app.file": ("ファイル", "File"),
    "recognition.app.file_hint": ("PDF、PNG、JPEG、テキスト（UTF-8）のファイルを {limit} まで。"
                                  "種類はファイルの中身で判定します。",
                                  "A PDF, PNG, JPEG or plain-text (UTF-8) file of up to "
                                  "{limit}. The type is judged by the content."),
    "recognition.app.upload_submit": ("アップロード", "Upload"),
    "recognition.app.submit": ("申請を提出する", "Submit the application"),
    "recognition.app.submit_intro": ("提出すると自動確認が行われ、そろっていれば評価者の選任に"
                                     "進みます。提出後は内容を変更できません。",
                                     "On submission the completeness check runs; a complete "
                                     "application goes on to the committee. It cannot be "
                                     "changed after that."),
    "recognition.app.submit_button": ("提出する", "Submit"),
    "recognition.app.submit_confirm": ("提出後は申請の内容を変更できないことを確認しました",
                                       "I understand the application cannot be changed once "
                                       "submitted"),
    "recognition.app.evaluators": ("評価者", "Evaluators"),
    "recognition.app.evaluator_count": ("評価者 {n} 名が選任されています。",
                                        "{n} evaluators are assigned."),
    "recognition.app.evaluator_count.one": ("評価者 {n} 名が選任されています。",
                                            "{n} evaluator is assigned."),
    "recognition.app.declared_none": ("利益相反なし", "no conflict of interest"),
    "recognition.app.declared_conflict": ("利益相反あり（辞退）", "conflict of interest "
                                          "(recused)"),
    "recognition.app.not_declared": ("利益相反は未申告", "interests not declared yet"),
    "recognition.app.reviewed": ("審査済み", "reviewed"),
    "recognition.app.assign": ("評価者を選任する", "Assign an evaluator"),
    "recognition.app.evaluator": ("評価者", "Evaluator"),
    "recognition.app.evaluator_hint": ("認定機関の評価者のうち、申請機関に所属していない人を選べ"
                                       "ます。",
                                       "The recognition body's evaluators who do not belong "
                                       "to the applicant."),
    "recognition.app.assign_submit": ("選任する", "Assign"),
    "recognition.app.interests": ("利益相反の申告", "Conflict of interest"),
    "recognition.app.interests_intro": ("審査の前に、この申請機関・プログラムとの利害関係を"
                                        "申告してください。利益相反がある場合は審査を辞退します。",
                                        "Before reviewing, declare any interest you have in "
                                        "this applicant or programme. With a conflict, you "
                                        "step aside."),
    "recognition.app.interests_question": ("この申請について利益相反がありますか。",
                                           "Do you have a conflict of interest in this "
                                           "application?"),
    "recognition.app.no_conflict": ("利益相反はありません", "I have no conflict of interest"),
    "recognition.app.has_conflict": ("利益相反があります（辞退します）",
                                     "I have a conflict of interest (I step aside)"),
    "recognition.app.statement": ("説明", "Statement"),
    "recognition.app.statement_hint": ("利益相反がある場合は、その内容を書いてください。",
                                       "If you have a conflict, say what it is."),
    "recognition.app.declare": ("申告する", "Declare"),
    "recognition.app.review": ("審査", "Your review"),
    "recognition.app.review_intro": ("基準ごとに確認項目に沿って申請を読み、評点（1〜4）と"
                                     "コメントを付けてください。",
                                     "For each criterion, work through its checklist and give "
                                     "a score (1–4) and a comment."),
    "recognition.app.applicant_says": ("申請者の自己評価", "The applicant's self-evaluation"),
    "recognition.app.score_for": ("「{criterion}」の評点", "Score for {criterion}"),
    "recognition.app.comment_for": ("「{criterion}」へのコメント", "Comment on {criterion}"),
    "recognition.app.summary": ("総評（任意）", "Overall remarks (optional)"),
    "recognition.app.submit_review": ("審査結果を提出する", "Submit the review"),
    "recognition.app.reviews": ("審査結果", "Reviews"),
    "recognition.app.no_reviews": ("表示できる審査結果はまだありません。",
                                   "No review to show yet."),
    "recognition.app.review_by": ("{name} の審査", "Review by {name}"),
    "recognition.app.review_n": ("審査 {n}", "Review {n}"),
    "recognition.app.recommendation": ("評点からの目安", "What the scores suggest"),
    "recognition.app.recommendation_hint": ("（参考。決定は委員会が行います）",
                                            "(a suggestion; the committee decides)"),
    "recognition.app.messages": ("追加情報・異議申立てなどのやり取り", "Messages"),
    "recognition.app.no_messages": ("やり取りはありません。", "No messages."),
    "recognition.message.information-request": ("追加情報の依頼", "Request for information"),
    "recognition.message.answer": ("回答", "Answer"),
    "recognition.message.appeal": ("異議申立て", "Appeal"),
    "recognition.message.withdrawal": ("取下げ・取消しの理由", "Withdrawal"),
    "recognition.party.applicant": ("申請者", "applicant"),
    "recognition.party.committee": ("委員会", "committee"),
    "recognition.party.evaluator": ("評価者", "evaluator"),
    "recognition.party.system": ("システム", "system"),
    "recognition.app.text": ("内容", "Text"),
    "recognition.app.answer": ("追加情報の依頼に回答する", "Answer the request for information"),
    "recognition.app.answer_submit": ("回答を送る", "Send the answer"),
    "recognition.app.request": ("申請者に追加情報を依頼する", "Ask the applicant for more "
                                "information"),
    "recognition.app.request_submit": ("依頼を送る", "Send the request"),
    "recognition.app.decisions": ("決定", "Decisions"),
    "recognition.app.no_decisions": ("まだ決定はありません。", "No decision yet."),
    "recognition.app.not_published": ("未公表", "not published yet"),
    "recognition.app.public_page": ("公開ページ", "public page"),
    "recognition.app.decide": ("決定する", "Decide"),
    "recognition.app.decide_appeal": ("異議申立てについて決定する", "Decide the appeal"),
    "recognition.app.appeal_choice": ("異議申立てを", "The appeal is"),
    "recognition.app.dismiss": ("棄却する（決定を維持）", "dismissed (the decision stands)"),
    "recognition.app.uphold": ("認容する（新しい結果で決定し直す）",
                               "upheld (a new decision with a new outcome)"),
    "recognition.app.outcome": ("結果", "Outcome"),
    "recognition.app.new_outcome": ("新しい結果（認容する場合）", "New outcome (if upheld)"),
    "recognition.app.reasons_ja": ("理由（日本語）", "Reasons (Japanese)"),
    "recognition.app.reasons_en": ("理由（英語）", "Reasons (English)"),
    "recognition.app.reasons_hint": ("理由は公表されます。日本語か英語の少なくとも一方が必要です。",
                                     "The reasons are published; give them in Japanese, "
                                     "English or both."),
    "recognition.app.conditions_ja": ("条件（日本語）", "Conditions (Japanese)"),
    "recognition.app.conditions_en": ("条件（英語）", "Conditions (English)"),
    "recognition.app.conditions_hint": ("条件付き認定の場合にだけ記入してください。",
                                        "Only for a recognition with conditions."),
    "recognition.app.decide_submit": ("決定する", "Record the decision"),
    "recognition.app.publish": ("決定を公表する", "Publish the decision"),
    "recognition.app.publish_intro": ("公表すると、決定と理由が認定のページに載ります。",
                                      "Publishing puts the decision and its reasons on the "
                                      "recognition page."),
    "recognition.app.publish_submit": ("公表する", "Publish"),
    "recognition.app.appeal": ("異議を申し立てる", "Appeal"),
    "recognition.app.grounds": ("申立ての理由", "Grounds of appeal"),
    "recognition.app.appeal_submit": ("申し立てる", "Appeal"),
    "recognition.app.withdraw_recognition": ("認定を取り消す", "Withdraw the recognition"),
    "recognition.app.withdraw_recognition_intro": ("取り消すと、認定クレデンシャルは失効リストで"
                                                   "失効し、元に戻せません。",
                                                   "The endorsement credential is revoked "
                                                   "through its status list. This cannot be "
                                                   "undone."),
    "recognition.app.withdraw_reason": ("理由", "Reason"),
    "recognition.app.withdraw_recognition_submit": ("認定を取り消す", "Withdraw the "
                                                    "recognition"),
    "recognition.app.withdraw": ("申請の取下げ", "Withdraw the application"),
    "recognition.app.withdraw_intro": ("この申請を取り下げる（元に戻せません）",
                                       "Withdraw this application (final)"),
    "recognition.app.withdraw_submit": ("取り下げる", "Withdraw"),
    "recognition.form.has_errors": ("入力を確認してください", "Please check the form"),
    "recognition.done.opened": ("申請を作成しました。自己評価と根拠資料を用意してください。",
                                "The application is created. Add the self-evaluation and the "
                                "evidence."),
    "recognition.done.saved": ("自己評価を保存しました。", "The self-evaluation is saved."),
    "recognition.done.uploaded": ("根拠資料を追加しました。", "The evidence file is added."),
    "recognition.done.submitted": ("申請を提出しました。書類はそろっています。",
                                   "The application is submitted and complete."),
    "recognition.done.incomplete": ("申請を提出しましたが、不備がありました。",
                                    "The application was submitted but is incomplete."),
    "recognition.done.answered": ("回答を送りました。", "The answer is sent."),
    "recognition.done.appealed": ("異議を申し立てました。", "The appeal is lodged."),
    "recognition.done.withdrawn": ("申請を取り下げました。", "The application is withdrawn."),
    "recognition.done.assigned": ("評価者を選任しました。", "The evaluator is assigned."),
    "recognition.done.requested": ("追加情報を依頼しました。", "The request is sent."),
    "recognition.done.declared": ("利益相反を申告しました。", "Your declaration is recorded."),
    "recognition.done.reviewed": ("審査結果を提出しました。", "Your review is submitted."),
    "recognition.done.decided": ("決定しました。公表するまで公開されません。",
                                 "The decision is recorded; it is not public until "
                                 "published."),
    "recognition.done.published": ("決定を公表しました。", "The decision is published."),
    "recognition.done.recognition-withdrawn": ("認定を取り消しました。",
                                               "The recognition is withdrawn."),
    "recognition.done.appeal-decided": ("異議申立てについて決定しました。",
                                        "The appeal is decided."),
    "recognition.conflict.title": ("この手続きはいまは行えません", "This step cannot be taken "
                                   "now"),
    "recognition.conflict.text": ("申請の状態がこの手続きを認めていません。何も変更されて"
                                  "いません。", "The application's state does not allow it. "
                                  "Nothing was changed."),
    "recognition.conflict.stale_title": ("申請が先に更新されました", "The application changed "
                                         "in the meantime"),
    "recognition.conflict.decided_first": ("先に別の人が決定しました",
                                           "Someone else decided first"),
    "recognition.conflict.stale_text": ("このページを開いた後に、別の人がこの申請を更新しました。"
                                        "あなたの送信内容は記録されていません。最新の状態を"
                                        "確認してからやり直してください。",
                                        "Someone else changed this application after you "
                                        "opened the page. What you sent was not recorded: "
                                        "look at the application as it is now, then try "
                                        "again."),
    "recognition.conflict.back": ("申請の最新の状態を見る", "See the application as it is now"),
}
