"""Demo recognition: the review process run once, with real data, by the demo accounts.

``credstack serve --demo`` calls :func:`prepare_demo_recognition` after the demo accounts exist.
It drives the review service (:mod:`credstack.services.review.service`) as those accounts would from
their dashboards — nothing is written to the tables directly — so that every page of the
recognition process has something to show:

1. ``hokuto-tech``'s first published programme that conforms to ``jp-mc``:
   ``provider-admin@`` applies to the demo recognition body with a bilingual self-evaluation
   of all six criteria and one evidence file, and submits; ``committee@`` assigns
   ``evaluator1@`` and ``evaluator2@``, who declare no conflict of interest and review;
   ``committee@`` decides ``recognised`` (reasons in Japanese and English) and publishes. The
   recognition body signs the endorsement credential: the decision is on ``/recognition``
   and the programme page shows the recognition mark.
2. ``hokuto-tech``'s next such programme: applied for, submitted and both evaluators
   assigned, left ``under-review`` — a task on ``evaluator1@``'s ``/review`` dashboard; and
   the one after it (when there is one) applied for and submitted, left for ``committee@``
   to assign its evaluators — the committee's waiting application.
3. Optionally (:func:`issue_demo_credential`) one credential of the recognised programme for
   ``learner@demo.example``, whose verification then reports the recognition.

Idempotent: when the recognition body already has applications nothing is changed, and the
existing demo decision is reported. ``now`` is the caller's (the clock-free style of the
services).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Final

from sqlalchemy.orm import Session, sessionmaker

from credstack.adapters.db.repositories import accounts as account_store
from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.db.repositories import programmes as programme_store
from credstack.adapters.keystore import MasterKey
from credstack.core.access import Principal
from credstack.core.credentials.cohorts import read_cohort
from credstack.core.crypto.keys import KeyType
from credstack.core.descriptors import Severity, get_profile, validate
from credstack.core.review import State
from credstack.demo.accounts import PROVIDER, recognition_body
from credstack.errors import KeyStoreError, NotFoundError
from credstack.services.accounts import service as accounts
from credstack.services.audit import service as audit
from credstack.services.issuance import service as issuance
from credstack.services.review import service as review
from credstack.services.runtime import Runtime
from credstack.settings import Settings

__all__ = [
    "DemoRecognition",
    "DemoShowcase",
    "issue_demo_credential",
    "prepare_demo_recognition",
    "seed_demo_recognition",
]

PROFILE: Final = "jp-mc"
APPLICANT: Final = "provider-admin@demo.example"
COMMITTEE: Final = "committee@demo.example"
EVALUATORS: Final = ("evaluator1@demo.example", "evaluator2@demo.example")
LEARNER: Final = "learner@demo.example"
#: The cohort batch of the demo learner's credential (issuing it again reuses it).
BATCH: Final = "demo"

#: The self-evaluation, one bilingual text per criterion (Japanese, then English).
SELF_EVALUATION: Final[dict[str, str]] = {
    "transparency": (
        "学修成果・学修時間・評価方法・修了要件・受講料をプログラムのウェブページで公表し、"
        "共通記述項目に沿った記述子を機械可読形式でも公開している。\n\n"
        "Learning outcomes, learner effort, assessment, completion requirements and fees are "
        "published on the programme page, and the common descriptors are also published in "
        "machine-readable form."),
    "valid-assessment": (
        "各学修成果に対応する課題とルーブリックを定め、最終課題は2名の教員が独立に採点する。"
        "ルーブリックは受講開始時に受講者へ示している。\n\n"
        "Every learning outcome is assessed by a task with a rubric; the final project is "
        "marked independently by two instructors. The rubric is given to learners at the "
        "start."),
    "quality-assurance": (
        "リカレント教育委員会が毎年度プログラムを点検し、受講者アンケートと修了率を踏まえた"
        "改善計画を自己点検・評価報告書として公表している。\n\n"
        "The recurrent education committee reviews the programme every year and publishes an "
        "improvement plan, based on learner surveys and completion rates, in its "
        "self-evaluation report."),
    "framework-conformance": (
        "マイクロクレデンシャルの共通記述項目に準拠し、日本版資格枠組み（JEQF）の"
        "レベル6に位置付けている。\n\n"
        "The programme follows the Japanese common descriptors for micro-credentials "
        "and is placed at level 6 of the Japanese qualifications framework (JEQF)."),
    "learner-centredness": (
        "社会人が受講できるよう夜間・週末のオンライン開講とし、既修得の学修の認定や分割受講"
        "を可能にしている。\n\n"
        "Classes are online in the evenings and at weekends for working adults; prior "
        "learning is recognised and the programme can be taken in parts."),
    "relevance": (
        "道内企業5社と共同で学修成果を設計し、企業の実データを用いた課題を提供している。"
        "修了者の評価を企業と年1回検証している。\n\n"
        "The learning outcomes were designed with five regional employers, who provide "
        "projects on their own data; graduates' outcomes are reviewed with them once a year."),
}

#: The evidence file: a short self-evaluation report in UTF-8 plain text.
EVIDENCE_NAME: Final = "self-evaluation-report.txt"
EVIDENCE: Final = (
    "北都工業大学 リカレント教育 自己点検・評価報告書（抜粋）\n"
    "Hokuto Institute of Technology, recurrent education: self-evaluation report (excerpt)\n"
    "\n"
    "1. 修了率 / Completion rate: 87%\n"
    "2. 受講者満足度 / Learner satisfaction: 4.4 / 5\n"
    "3. 改善計画 / Improvement plan: ルーブリックの公開範囲を拡大する。"
    " Publish the rubrics of every assessment task.\n"
).encode()

#: Each evaluator's scores (1–4) and bilingual comments, by criterion.
REVIEWS: Final[tuple[tuple[dict[str, int], dict[str, str], str], ...]] = (
    ({"transparency": 4, "valid-assessment": 3, "quality-assurance": 3,
      "framework-conformance": 4, "learner-centredness": 3, "relevance": 4}, {
        "transparency": "記述子がすべて公表されている。 / Every descriptor is published.",
        "valid-assessment": "ルーブリックは適切。 / The rubrics fit the outcomes.",
        "quality-assurance": "年次点検が機能している。 / The yearly review works.",
        "framework-conformance": ("共通記述項目に完全に準拠。 / "
                                  "Fully conforms to the common descriptors."),
        "learner-centredness": "社会人に配慮した開講形態。 / Scheduled for working adults.",
        "relevance": "企業との共同設計が優れている。 / Designed well with employers.",
    }, "基準を満たしている。 / Meets the criteria."),
    ({"transparency": 3, "valid-assessment": 3, "quality-assurance": 3,
      "framework-conformance": 3, "learner-centredness": 4, "relevance": 3}, {
        "transparency": "受講料と修了要件が明確。 / Fees and requirements are clear.",
        "valid-assessment": "2名による独立採点は妥当。 / Double marking is sound.",
        "quality-assurance": "改善計画が公表されている。 / The improvement plan is public.",
        "framework-conformance": "JEQF レベルの根拠が示されている。 / The JEQF level is "
                                 "justified.",
        "learner-centredness": "既修得学修の認定が優れている。 / Recognition of prior "
                               "learning is exemplary.",
        "relevance": "実データ課題が有効。 / Projects on real data are relevant.",
    }, "認定を推奨する。 / Recommended for recognition."),
)
REASONS_JA: Final = ("6つの審査基準をすべて満たしている。特に、学修成果の公表と企業との共同設計が"
                     "優れている。")
REASONS_EN: Final = ("The programme meets all six criteria; its published learning outcomes "
                     "and its design with employers are particularly strong.")


@dataclass(frozen=True, slots=True)
class DemoRecognition:
    """What the demo recognition consists of."""

    #: The published decision's number (also the recognition's), e.g. ``R-2026-0001``.
    decision: str | None
    #: The recognised programme and version.
    programme_id: int | None
    programme_version: int | None
    #: The application left under review (evaluator1@'s task).
    under_review: str | None
    #: False when the demo recognition existed already (nothing was changed).
    created: bool


def _principal(session: Session, email: str) -> Principal:
    """The demo user as a signed-in web-session principal (as the accounts service does)."""
    return accounts.user(session, email=email).principal()


def _programmes(session: Session, count: int) -> list[tuple[int, int]]:
    """The first ``count`` published programmes of the provider that pass ``jp-mc``, as
    (programme id, published version)."""
    profile = get_profile(PROFILE)
    found: list[tuple[int, int]] = []
    after: int | None = None
    while len(found) < count:
        page = programme_store.list_published_programmes(session, organisation=PROVIDER,
                                                         after=after, total=0)
        for item in page.items:
            report = validate(item.programme, profile)
            if not any(f.severity is Severity.ERROR for f in report.findings):
                found.append((item.id, item.latest.version))
                if len(found) == count:
                    break
        if page.next_after is None:
            break
        after = page.next_after
    return found


def _ready(session: Session, body: str) -> bool:
    """The organisations, the demo accounts and the body's signing key are all there."""
    if (account_store.organisation_row(session, PROVIDER) is None
            or account_store.organisation_row(session, body) is None):
        return False
    for email in (APPLICANT, COMMITTEE, *EVALUATORS):
        if account_store.user_by_email(session, email) is None:
            return False
    return any(key.active and key.key_type is KeyType.ED25519
               for key in key_store.public_keys(session, organisation=body))


def _existing(session: Session, committee: Principal) -> DemoRecognition | None:
    """The demo recognition already in the store (None when the body has no application)."""
    summaries = review.list_applications(session, committee, limit=200)
    if not summaries:
        return None
    decision = programme_id = version = pending = None
    for summary in summaries:
        view = review.get_application(session, committee, application=summary.id)
        if view.state is State.UNDER_REVIEW and pending is None:
            pending = view.id
        for made in view.decisions:
            if made.recognition and made.published_at is not None and decision is None:
                decision, programme_id, version = (made.recognition, view.programme_id,
                                                   view.programme_version)
    return DemoRecognition(decision, programme_id, version, pending, created=False)


def _apply(session: Session, applicant: Principal, programme_id: int, version: int,
           body: str, now: dt.datetime) -> str:
    """Open, fill in and submit an application; its id (it awaits assignment)."""
    opened = review.open_application(session, applicant, organisation=PROVIDER,
                                     programme_id=programme_id, programme_version=version,
                                     recognition_body=body, profile=PROFILE, now=now)
    review.update_self_evaluation(session, applicant, application=opened.id,
                                  self_evaluation=SELF_EVALUATION, now=now)
    review.add_evidence(session, applicant, application=opened.id, filename=EVIDENCE_NAME,
                        content=EVIDENCE, now=now)
    submitted = review.submit(session, applicant, application=opened.id, now=now)
    if submitted.state is not State.AWAITING_ASSIGNMENT:
        codes = ", ".join(str(f.get("code")) for f in submitted.findings)
        raise RuntimeError(f"demo application {opened.id} is incomplete: {codes}")
    return opened.id


def seed_demo_recognition(session: Session, *, settings: Settings, secret: MasterKey,
                          now: dt.datetime) -> DemoRecognition | None:
    """Run the demo recognition in the caller's transaction (see the module's docstring).

    None when the demo set is not there to run it on (no provider, recognition body, demo
    accounts, the body's Ed25519 key, or two programmes conforming to ``jp-mc``); the
    existing demo recognition, unchanged, when the body already has applications.
    """
    session.info.setdefault(audit.KEY_INFO, secret)
    body = recognition_body()
    if not _ready(session, body):
        return None
    committee = _principal(session, COMMITTEE)
    existing = _existing(session, committee)
    if existing is not None:
        return existing
    chosen = _programmes(session, 3)
    if len(chosen) < 2:
        return None
    applicant = _principal(session, APPLICANT)
    evaluators = [_principal(session, email) for email in EVALUATORS]
    (recognised_id, recognised_version), (pending_id, pending_version) = chosen[:2]

    application = _apply(session, applicant, recognised_id, recognised_version, body, now)
    for email in EVALUATORS:
        review.assign_evaluator(session, committee, application=application,
                                evaluator_email=email, now=now)
    for evaluator, (scores, comments, summary) in zip(evaluators, REVIEWS, strict=True):
        review.declare_interests(session, evaluator, application=application, conflict=False,
                                 now=now)
        review.submit_review(session, evaluator, application=application, scores=scores,
                             comments=comments, summary=summary, now=now)
    decided = review.decide(session, committee, application=application, outcome="recognised",
                            reasons_ja=REASONS_JA, reasons_en=REASONS_EN, now=now,
                            signer=secret, settings=settings)
    review.publish(session, committee, application=application, now=now)

    pending = _apply(session, applicant, pending_id, pending_version, body, now)
    for email in EVALUATORS:
        review.assign_evaluator(session, committee, application=pending, evaluator_email=email,
                                now=now)
    for waiting_id, waiting_version in chosen[2:]:
        _apply(session, applicant, waiting_id, waiting_version, body, now)
    return DemoRecognition(decided.decisions[-1].recognition, recognised_id,
                           recognised_version, pending, created=True)


def issue_demo_credential(sessions: sessionmaker[Session], *, settings: Settings,
                          secret: MasterKey, programme_id: int, version: int,
                          now: dt.datetime) -> str:
    """Issue (or find, when issued before) the demo learner's credential of the recognised
    programme version; its id."""
    cohort = read_cohort(f"email,name.ja,name.en\n{LEARNER},学習者 花子,Hanako Gakushu\n",
                         source="demo-cohort.csv")
    result = issuance.issue_cohort(sessions, secret=secret, public_url=settings.public_url,
                                   programme_id=programme_id, version=version, cohort=cohort,
                                   batch=BATCH, now=now, workers=1)
    with sessions() as session:
        credential = next(iter(issuance.cohort_documents(session, result.keys)), None)
    if credential is None:
        raise NotFoundError("the demo learner's credential was not stored")
    found: str = json.loads(credential)["id"]
    return found


@dataclass(frozen=True, slots=True)
class DemoShowcase:
    """What ``serve --demo`` shows of the demo recognition."""

    #: The published decision's number.
    decision: str
    #: The demo learner's credential of the recognised programme (None: none issued).
    credential: str | None


def prepare_demo_recognition(runtime: Runtime) -> DemoShowcase | None:
    """Run the demo recognition (once) and issue the demo learner's credential; ``None``
    when there is nothing to show (no master key to sign with, no demo set, no decision)."""
    try:
        secret = runtime.key()
    except KeyStoreError:
        return None  # the demo organisations have no keys either: nothing to sign with
    now = runtime.now()
    with runtime.transaction() as session:
        result = seed_demo_recognition(session, settings=runtime.settings, secret=secret,
                                       now=now)
    if result is None or result.decision is None:
        return None
    credential = None
    if result.programme_id is not None and result.programme_version is not None:
        credential = issue_demo_credential(
            runtime.sessions, settings=runtime.settings, secret=secret,
            programme_id=result.programme_id, version=result.programme_version, now=now)
    return DemoShowcase(result.decision, credential)
