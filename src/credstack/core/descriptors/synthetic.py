"""Deterministic synthetic programmes and organisations, for benchmarks and load tests.

``generate_programmes(100_000, seed=7)`` returns :class:`Documents` whose programmes read like a
Japanese-led micro-credential registry: bilingual (ja/en) titles such as
「実践データサイエンス入門」 / "Practical Introduction to Data Science", 2–5 learning outcomes,
6–200 hours with credits that agree with the hours, delivery modes, assessment methods (a few
per cent participation only, so validation finds *not a micro-credential*), quality assurance,
levels, fields of study, skills, prices and dates. About a tenth of the awarding bodies are
outside Japan (Malaysia, Australia, Germany, France, New Zealand) so that every framework
profile has work to do.

Every provider's name and URL is FICTIONAL (``example`` domains); any likeness to a real
institution is unintended. Quality-assurance agencies are named as the national bodies.

Determinism and chunking: programme *i* depends only on ``(seed, i, organisations)`` — it has
its own random generator — so ``iter_programmes(n, seed=s, start=k)`` yields exactly the
programmes ``k … k+n-1`` of any larger run, one at a time. A million programmes can therefore
be generated (and imported) in chunks, or in parallel, without holding them all in memory.
Codes embed the index, so ``(awarding body, code)`` is unique across any run with one seed.

Pure: no clock, no I/O; ``random.Random`` seeded explicitly.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from credstack.core.bulk import collector_paused
from credstack.core.descriptors.interchange import Documents
from credstack.core.descriptors.models import Programme
from credstack.core.organisations import Organisation, OrganisationKind

__all__ = ["generate_organisations", "generate_programmes", "iter_programmes"]

Text = tuple[str, str]  # (ja, en)


# --- vocabulary ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Topic:
    abbr: str
    ja: str
    #: The English name as used in a title ("Data Science") and inside a sentence.
    en: str
    en_phrase: str
    fields: tuple[str, ...]
    skills: tuple[Text, ...]
    #: Outcomes only this topic has, besides the generic ones.
    outcomes: tuple[Text, ...] = ()
    prerequisite: Text | None = None
    digital: bool = False


def _topic(abbr: str, ja: str, en: str, fields: str, skills: Sequence[Text],
           outcomes: Sequence[Text] = (), prerequisite: Text | None = None,
           phrase: str | None = None, digital: bool = False) -> _Topic:
    return _Topic(abbr, ja, en, phrase if phrase is not None else en.lower(),
                  tuple(fields.split()), tuple(skills), tuple(outcomes), prerequisite, digital)


_PYTHON: Text = ("Pythonによるプログラミングの基礎知識", "Basic programming in Python.")
_MATHS: Text = ("高等学校卒業程度の数学の知識", "Mathematics at upper-secondary school level.")

TOPICS: tuple[_Topic, ...] = (
    # medical and welfare
    _topic("CARE", "介護", "Care Work", "medical-welfare",
           [("介護計画の作成", "Care planning"), ("移乗・移動の介助", "Transfer assistance"),
            ("チームケア", "Team-based care")],
           [("利用者の状態に応じた介護計画を作成できる。",
             "Draw up a care plan that fits the person's condition.")]),
    _topic("DEM", "認知症ケア", "Dementia Care", "medical-welfare",
           [("認知症の理解", "Understanding dementia"),
            ("家族支援", "Supporting families")]),
    _topic("CIC", "地域包括ケア", "Community-based Integrated Care",
           "medical-welfare regional",
           [("多職種連携", "Interprofessional collaboration"),
            ("ケアマネジメント", "Care management")]),
    _topic("NRS", "看護マネジメント", "Nursing Management", "medical-welfare",
           [("病棟管理", "Ward management"), ("医療安全", "Patient safety")]),
    _topic("HDX", "医療データ活用", "Healthcare Data Analytics", "medical-welfare digital",
           [("医療統計", "Medical statistics"), ("電子カルテデータの分析", "EHR data analysis")],
           prerequisite=_MATHS, digital=True),
    # business
    _topic("STR", "経営戦略", "Business Strategy", "business",
           [("事業計画の策定", "Business planning"), ("競争分析", "Competitive analysis")]),
    _topic("FIN", "会計・ファイナンス", "Accounting and Finance", "business",
           [("財務諸表分析", "Financial statement analysis"),
            ("管理会計", "Management accounting")]),
    _topic("MKT", "マーケティング", "Marketing", "business",
           [("市場調査", "Market research"), ("デジタルマーケティング", "Digital marketing")]),
    _topic("PM", "プロジェクトマネジメント", "Project Management", "business",
           [("スケジュール管理", "Scheduling"), ("リスク管理", "Risk management"),
            ("ステークホルダー調整", "Stakeholder management")]),
    _topic("HCM", "人的資本経営", "Human Capital Management", "business",
           [("人材育成計画", "Talent development planning"),
            ("エンゲージメント調査", "Engagement surveys")]),
    # digital
    _topic("DS", "データサイエンス", "Data Science", "digital",
           [("データの前処理", "Data preparation"), ("統計的推論", "Statistical inference"),
            ("データ可視化", "Data visualisation")],
           [("Pythonを用いてデータの前処理と可視化ができる。",
             "Prepare and visualise data with Python.")],
           prerequisite=_MATHS, digital=True),
    _topic("ML", "機械学習", "Machine Learning", "digital",
           [("教師あり学習", "Supervised learning"), ("モデル評価", "Model evaluation")],
           [("適切な評価指標を選び、機械学習モデルの性能を評価できる。",
             "Choose suitable metrics and evaluate a machine learning model.")],
           prerequisite=_PYTHON, digital=True),
    _topic("GAI", "生成AI活用", "Generative AI in Practice", "digital business",
           [("プロンプト設計", "Prompt design"), ("AIガバナンス", "AI governance")],
           phrase="generative AI in practice", digital=True),
    _topic("SEC", "サイバーセキュリティ", "Cybersecurity", "digital",
           [("インシデント対応", "Incident response"), ("リスク評価", "Risk assessment"),
            ("ネットワークセキュリティ", "Network security")], digital=True),
    _topic("CLD", "クラウドアーキテクチャ", "Cloud Architecture", "digital",
           [("クラウド設計", "Cloud design"), ("コスト最適化", "Cost optimisation")],
           prerequisite=_PYTHON, digital=True),
    _topic("DX", "DX推進", "Digital Transformation", "digital business",
           [("業務改革", "Business process redesign"),
            ("データ駆動型経営", "Data-driven management")],
           digital=True),
    # semiconductors, science and engineering
    _topic("SEMI", "半導体", "Semiconductors", "semiconductors science-engineering",
           [("半導体物性", "Semiconductor physics"), ("デバイス評価", "Device characterisation")],
           [("半導体デバイスの動作原理を説明できる。",
             "Explain how semiconductor devices work.")], prerequisite=_MATHS),
    _topic("FAB", "半導体製造プロセス", "Semiconductor Manufacturing Processes",
           "semiconductors science-engineering",
           [("クリーンルーム作業", "Cleanroom practice"), ("歩留まり改善", "Yield improvement")]),
    _topic("ICD", "集積回路設計", "Integrated Circuit Design",
           "semiconductors science-engineering digital",
           [("論理設計", "Logic design"), ("回路シミュレーション", "Circuit simulation")],
           prerequisite=_MATHS, digital=True),
    _topic("ROB", "ロボット工学", "Robotics", "science-engineering",
           [("制御工学", "Control engineering"), ("ROSによる開発", "Development with ROS")],
           prerequisite=_PYTHON),
    _topic("QC", "品質管理", "Quality Control", "science-engineering business",
           [("統計的品質管理", "Statistical quality control"),
            ("QC七つ道具", "The seven QC tools")]),
    # green
    _topic("GX", "脱炭素", "Decarbonisation", "green",
           [("温室効果ガス排出量の算定", "Greenhouse gas accounting"),
            ("脱炭素経営", "Corporate decarbonisation")],
           [("自組織の温室効果ガス排出量を算定し、削減計画を立てられる。",
             "Calculate an organisation's greenhouse gas emissions and plan their reduction.")]),
    _topic("OWP", "洋上風力発電", "Offshore Wind Power", "green science-engineering",
           [("風況解析", "Wind resource assessment"), ("保守・点検", "Operation and maintenance")]),
    _topic("CE", "サーキュラーエコノミー", "Circular Economy", "green business",
           [("ライフサイクルアセスメント", "Life-cycle assessment"),
            ("資源循環設計", "Design for circularity")]),
    # regional
    _topic("REG", "地方創生", "Regional Revitalisation", "regional social-sciences",
           [("地域課題の分析", "Analysing local issues"), ("合意形成", "Consensus building")],
           [("地域の資源を活かした事業を構想できる。",
             "Conceive a venture that builds on local resources.")]),
    _topic("TOUR", "観光まちづくり", "Tourism and Community Development",
           "regional business",
           [("観光マーケティング", "Tourism marketing"), ("インバウンド対応", "Inbound tourism")]),
    _topic("AGRI", "スマート農業", "Smart Agriculture", "regional digital science-engineering",
           [("ドローン活用", "Using drones"), ("営農データ分析", "Farm data analysis")],
           digital=True),
    # languages, education, social sciences, law, humanities, arts, sports, home economics
    _topic("BE", "ビジネス英語", "Business English", "languages business",
           [("英文ビジネスメール", "Business email in English"),
            ("英語によるプレゼンテーション", "Presenting in English")],
           [("英語で会議を進行し、議論を要約できる。",
             "Chair a meeting in English and summarise the discussion.")],
           prerequisite=("英検2級程度の英語力", "English at about CEFR B1."),
           phrase="Business English"),
    _topic("JSL", "日本語教育", "Teaching Japanese as a Second Language", "languages education",
           [("授業設計", "Lesson design"), ("日本語教授法", "Japanese language pedagogy")],
           phrase="teaching Japanese as a second language"),
    _topic("EDT", "教育工学", "Educational Technology", "education digital",
           [("インストラクショナルデザイン", "Instructional design"),
            ("学習評価", "Learning assessment")]),
    _topic("CAR", "キャリアコンサルティング", "Career Consulting", "education social-sciences",
           [("キャリア面談", "Career interviews"),
            ("職業情報の活用", "Using labour-market information")]),
    _topic("BEH", "行動経済学", "Behavioural Economics", "social-sciences business",
           [("ナッジの設計", "Designing nudges"), ("実験の設計", "Experimental design")]),
    _topic("SRM", "社会調査法", "Social Research Methods", "social-sciences",
           [("質問紙調査", "Survey design"), ("インタビュー調査", "Interviewing")]),
    _topic("IP", "知的財産", "Intellectual Property", "law-politics business",
           [("特許調査", "Patent searching"), ("ライセンス契約", "Licensing")]),
    _topic("PRV", "個人情報保護", "Data Protection", "law-politics digital",
           [("個人情報保護法対応", "Data protection compliance"),
            ("プライバシー影響評価", "Privacy impact assessment")]),
    _topic("HER", "文化財保存", "Cultural Heritage Conservation", "humanities regional",
           [("文化財の記録", "Documenting heritage"),
            ("保存修復", "Conservation and restoration")]),
    _topic("DSN", "デジタルデザイン", "Digital Design", "arts digital",
           [("UIデザイン", "UI design"), ("デザイン思考", "Design thinking")]),
    _topic("SPM", "スポーツマネジメント", "Sports Management", "sports business",
           [("スポーツ施設運営", "Sports facility management"),
            ("コーチング", "Coaching")]),
    _topic("FOOD", "食品衛生", "Food Hygiene", "home-economics medical-welfare",
           [("HACCP", "HACCP"), ("衛生管理", "Hygiene management")]),
)

#: Title patterns: (ja, en, rank 0 introductory … 2 advanced). ``{t}`` is the topic.
TITLES: tuple[tuple[str, str, int], ...] = (
    ("実践{t}入門", "Practical Introduction to {T}", 0),
    ("はじめての{t}", "First Steps in {T}", 0),
    ("{t}基礎講座", "Foundations of {T}", 0),
    ("社会人のための{t}", "{T} for Working Professionals", 0),
    ("{t}実践演習", "Applied {T} Workshop", 1),
    ("{t}リスキリングプログラム", "{T} Reskilling Programme", 1),
    ("{t}実務者養成コース", "{T} Practitioner Course", 1),
    ("{t}と地域社会", "{T} and the Local Community", 1),
    ("{t}マイクロクレデンシャル", "{T} Micro-credential", 1),
    ("{t}上級セミナー", "Advanced Seminar in {T}", 2),
    ("{t}リーダー育成プログラム", "{T} Leadership Programme", 2),
    ("{t}履修証明プログラム", "{T} Certificate Programme", 2),
)

#: Hours by title rank (weights favour short programmes, as in MEXT's survey).
HOURS_BY_RANK: tuple[tuple[str, ...], ...] = (
    ("6", "7.5", "8", "10", "10", "12", "12", "15", "15", "16", "20", "24", "30"),
    ("10", "12", "15", "18", "20", "22.5", "24", "30", "30", "36", "40", "45", "60", "60", "90"),
    ("30", "45", "60", "60", "60", "75", "90", "100", "120", "120", "135", "150", "180", "200"),
)

#: Credits of credit-bearing programmes by system and title rank; hours follow from them.
CREDITS_BY_RANK: dict[str, tuple[tuple[str, ...], ...]] = {
    "jp-tani": (("0.5", "1", "1"), ("1", "1", "2", "2"), ("2", "3", "4")),
    "my-credit": (("0.5", "1", "1", "2"), ("1", "2", "3"), ("3", "4", "5")),
    "ects": (("1", "2"), ("2", "3", "4", "5"), ("4", "5", "6")),
    "nz-credit": (("1", "2", "3"), ("5", "10"), ("10", "15", "20")),
}
_HOURS_PER_CREDIT = {"jp-tani": 45, "my-credit": 40, "nz-credit": 10}
#: The credits of a master's degree, for stackability targets.
_MASTERS = {"jp-tani": 30, "my-credit": 40, "ects": 90, "nz-credit": 180}

OPENINGS: tuple[Text, ...] = (
    ("本プログラムでは、{t}の基礎から実務での活用までを体系的に学びます。",
     "This programme takes you from the basics of {p} to applying it at work."),
    ("{t}の最新動向を踏まえ、現場の課題解決に必要な知識と技能を身につけます。",
     "Building on recent developments in {p}, you gain the knowledge and skills needed to "
     "solve problems in practice."),
    ("講義と演習を組み合わせ、{t}についての理解を実践的に深めます。",
     "Lectures and exercises are combined to deepen your practical understanding of {p}."),
    ("企業・自治体の事例をもとに、{t}の考え方と手法を学びます。",
     "Through cases from companies and local governments you learn the ideas and methods "
     "of {p}."),
)
AUDIENCES: tuple[Text, ...] = (
    ("社会人・企業の実務担当者を主な対象とします。",
     "It is aimed mainly at working adults and practitioners."),
    ("自治体職員や地域の事業者の受講も歓迎します。",
     "Local government staff and regional businesses are welcome too."),
    ("オンデマンド教材により、仕事と両立しながら学べます。",
     "On-demand materials let you study alongside your job."),
    ("修了後は学んだ内容を職場で実践するための個別相談を受けられます。",
     "After completion you can book individual advice on applying what you learnt at work."),
)
OUTCOMES: tuple[Text, ...] = (
    ("{t}の基本的な概念と用語を説明できる。",
     "Explain the basic concepts and terminology of {p}."),
    ("{t}の手法を用いて職場の課題を分析できる。",
     "Analyse problems at work using the methods of {p}."),
    ("{t}の最新の動向と社会への影響を論じることができる。",
     "Discuss recent trends in {p} and their effects on society."),
    ("{t}の知見に基づき、改善策を企画・提案できる。",
     "Plan and propose improvements grounded in {p}."),
    ("{t}の実務における倫理的・法的な留意点を理解している。",
     "Understand the ethical and legal considerations of {p} in practice."),
    ("チームで協働し、{t}に関するプロジェクトを遂行できる。",
     "Carry out a project in {p} as part of a team."),
    ("{t}の成果を関係者にわかりやすく説明できる。",
     "Communicate results in {p} clearly to stakeholders."),
)

ASSESSMENT_NAMES: dict[str, Text] = {
    "examination": ("筆記試験", "a written examination"),
    "quiz": ("小テスト", "quizzes"),
    "assignment": ("課題", "assignments"),
    "report": ("レポート", "a report"),
    "project": ("プロジェクト", "a project"),
    "portfolio": ("ポートフォリオ", "a portfolio"),
    "practical": ("実技試験", "a practical test"),
    "presentation": ("成果発表", "a presentation"),
    "oral": ("口頭試問", "an oral examination"),
    "peer-review": ("相互評価", "peer review"),
}
_METHODS = tuple(ASSESSMENT_NAMES)
_METHOD_WEIGHTS = (8, 14, 14, 16, 8, 5, 6, 8, 3, 4)
_METHOD_CUM = tuple(itertools.accumulate(_METHOD_WEIGHTS))

GRADING: tuple[Text, ...] = (
    ("100点満点で60点以上を合格とします。", "Pass mark: 60 out of 100."),
    ("S・A・B・C・Fの5段階で評価し、C以上を合格とします。",
     "Graded S, A, B, C or F; C or better passes."),
    ("合否で評価します。", "Pass or fail."),
)
QA_INTERNAL: Text = ("毎年度、自己点検・評価を行い、その結果を公表しています。",
                     "We review ourselves every year and publish the results.")
PARTICIPATION: Text = ("全回の出席と演習への参加により修了を認定します。",
                       "Completion is granted for attending every session and taking part in "
                       "the exercises.")
PREREQUISITES: tuple[Text, ...] = (
    ("特になし。", "None."),
    ("{t}に関する実務経験1年以上。", "At least one year of work experience in {p}."),
    ("大学卒業程度の一般的な知識。", "General knowledge at university-graduate level."),
)
INHERENT: tuple[Text, ...] = (
    ("PCと安定したインターネット接続が必要です。",
     "A computer and a stable internet connection are needed."),
    ("実習では長時間の立ち作業があります。",
     "Practical sessions involve long periods of standing."),
    ("実習施設への通学が必要です。", "You must travel to the training site."),
)
ASSISTANCE: tuple[Text, ...] = (
    ("教育訓練給付制度の対象講座です。", "Eligible for the Education and Training Benefit."),
    ("自治体のリスキリング支援補助金を利用できます。",
     "Local government reskilling grants can cover the fee."),
    ("在職者は受講料の半額が免除されます。", "Employed learners pay half the fee."),
)
PACE_NOTES: dict[str, Text] = {
    "online": ("オンデマンド講義と月1回のオンライン演習", "On-demand lectures with a monthly "
               "live online workshop"),
    "blended": ("オンライン講義と週末の対面演習", "Online lectures with weekend workshops on "
                "campus"),
    "onsite": ("キャンパスでの対面授業（平日夜間・土曜）", "Classes on campus on weekday evenings "
               "and Saturdays"),
}
RECOGNITION_NOTES: dict[str, Text] = {
    "academic-credit": ("修了者は本学の科目等履修生として単位を取得できます。",
                        "Graduates earn academic credit as non-degree students."),
    "credit-transfer": ("本学大学院入学後、修得単位として認定されます。",
                        "Credits transfer to our graduate school on admission."),
    "professional-development": ("業界団体の継続教育ポイントとして認められます。",
                                 "Counts as continuing professional development."),
    "industry-recognition": ("協力企業の社内資格として認定されます。",
                             "Recognised as an in-house qualification by partner companies."),
    "none": ("単位等の認定はありません。", "No credit or other recognition."),
}


@dataclass(frozen=True, slots=True)
class _Place:
    ja: str
    en: str
    slug: str
    subdivision: str  # ISO 3166-2


# Fictional place names, each placed in a real prefecture (ISO 3166-2:JP).
PLACES: tuple[_Place, ...] = tuple(
    _Place(ja, en, en.lower().replace(" ", "-"), f"JP-{pref:02d}")
    for ja, en, pref in (
        ("北都", "Hokuto", 1), ("白樺", "Shirakaba", 1), ("青葉", "Aoba", 4),
        ("朝霧", "Asagiri", 6), ("東雲", "Shinonome", 13), ("若葉", "Wakaba", 12),
        ("桜台", "Sakuradai", 11), ("星見", "Hoshimi", 20), ("湖東", "Koto", 25),
        ("白鷺", "Shirasagi", 28), ("しまなみ", "Shimanami", 38), ("潮風", "Shiokaze", 39),
        ("西海", "Saikai", 42), ("翠嶺", "Suirei", 43), ("月見野", "Tsukimino", 14),
        ("水都", "Suito", 27), ("風早", "Kazahaya", 34), ("紅葉台", "Momijidai", 26),
        ("光が丘", "Hikarigaoka", 23), ("美空", "Misora", 40), ("暁", "Akatsuki", 15),
        ("緑ヶ丘", "Midorigaoka", 9), ("銀河", "Ginga", 3), ("南風", "Haenohara", 47),
        ("千波", "Senba", 8), ("雪見", "Yukimi", 17), ("遠州灘", "Enshunada", 22),
        ("白浜台", "Shirahamadai", 30), ("八雲", "Yakumo", 32), ("吉備野", "Kibino", 33),
    )
)


@dataclass(frozen=True, slots=True)
class _KindPattern:
    kind: OrganisationKind
    ja: str
    en: str
    slug: str
    domain: str
    weight: int


KINDS: tuple[_KindPattern, ...] = (
    _KindPattern(OrganisationKind.UNIVERSITY, "{p}大学", "{P} University", "u", "ac.jp", 30),
    _KindPattern(OrganisationKind.UNIVERSITY, "{p}工科大学", "{P} Institute of Technology",
                 "tech", "ac.jp", 8),
    _KindPattern(OrganisationKind.UNIVERSITY, "県立{p}大学", "{P} Prefectural University",
                 "pu", "ac.jp", 8),
    _KindPattern(OrganisationKind.JUNIOR_COLLEGE, "{p}短期大学", "{P} Junior College", "jc",
                 "ac.jp", 5),
    _KindPattern(OrganisationKind.COLLEGE_OF_TECHNOLOGY, "{p}工業高等専門学校",
                 "{P} College of Technology", "kosen", "ac.jp", 5),
    _KindPattern(OrganisationKind.VOCATIONAL_SCHOOL, "{p}情報ビジネス専門学校",
                 "{P} College of IT and Business", "college", "ed.jp", 5),
    _KindPattern(OrganisationKind.COMPANY, "株式会社{p}ラーニング", "{P} Learning Inc.",
                 "learning", "co.jp", 6),
    _KindPattern(OrganisationKind.ACADEMIC_SOCIETY, "{p}地域学会", "{P} Society for Regional "
                 "Studies", "society", "or.jp", 2),
    _KindPattern(OrganisationKind.MOOC_PLATFORM, "{p}オープンラーニング", "{P} Open Learning",
                 "open", "jp", 3),
)
_KIND_CUM = tuple(itertools.accumulate(k.weight for k in KINDS))


@dataclass(frozen=True, slots=True)
class _Abroad:
    ja: str
    en: str
    slug: str
    kind: OrganisationKind
    country: str
    subdivision: str | None
    domain: str
    languages: tuple[str, ...]


ABROAD: tuple[_Abroad, ...] = (
    _Abroad("マラヤ高原大学", "Malaya Highlands University", "malaya-highlands",
            OrganisationKind.UNIVERSITY, "MY", "MY-10", "edu.my", ("en", "ms")),
    _Abroad("コーラルコースト工科大学", "Coral Coast Institute of Technology", "coral-coast",
            OrganisationKind.UNIVERSITY, "AU", "AU-QLD", "edu.au", ("en",)),
    _Abroad("ノルデン応用科学大学", "Norden University of Applied Sciences", "norden-uas",
            OrganisationKind.UNIVERSITY, "DE", "DE-HH", "de", ("de", "en")),
    _Abroad("リヴィエール大学", "Rivière University", "riviere-u", OrganisationKind.UNIVERSITY,
            "FR", None, "fr", ("fr", "en")),
    _Abroad("カウリ工科大学", "Kauri Institute of Technology", "kauri-tech",
            OrganisationKind.UNIVERSITY, "NZ", "NZ-AUK", "ac.nz", ("en",)),
    _Abroad("ペナン・デジタル・アカデミー", "Penang Digital Academy", "penang-digital",
            OrganisationKind.MOOC_PLATFORM, "MY", "MY-07", "com.my", ("en", "ms")),
)

#: How each country states levels and credits, and the currency of its prices.
_COUNTRY: dict[str, tuple[str | None, tuple[int, int], str | None, str]] = {
    # country: (level framework, level range, credit system, currency)
    "JP": ("EQF", (4, 7), None, "JPY"),
    "MY": ("MQF", (3, 7), "my-credit", "MYR"),
    "AU": ("AQF", (5, 9), None, "AUD"),
    "DE": ("EQF", (5, 7), "ects", "EUR"),
    "FR": ("EQF", (5, 7), "ects", "EUR"),
    "NZ": ("NZQF", (4, 8), "nz-credit", "NZD"),
}

_EXTERNAL_QA: dict[str, Text] = {
    "JP": ("大学改革支援・学位授与機構", "NIAD-QE"),
    "MY": ("マレーシア資格庁", "Malaysian Qualifications Agency"),
    "AU": ("高等教育質・基準機構", "Tertiary Education Quality and Standards Agency"),
    "DE": ("認証評価機関", "Accreditation agency"),
    "FR": ("高等教育研究評価高等評議会", "Hcéres"),
    "NZ": ("ニュージーランド資格庁", "New Zealand Qualifications Authority"),
}


@dataclass(frozen=True, slots=True)
class _Org:
    """An organisation with what programmes need to know about it."""

    model: Organisation
    name: dict[str, str]
    url: str
    subdivision: str | None
    academic: bool
    languages: tuple[str, ...]
    #: Topics the organisation is known for (indices into TOPICS).
    topics: tuple[int, ...]


# --- organisations ---------------------------------------------------------------------


@lru_cache(maxsize=8)
def _organisation_pool(count: int, seed: int) -> tuple[tuple[_Org, ...], tuple[float, ...]]:
    """The organisations of a run and the cumulative weights of their programme shares."""
    if count < 1:
        raise ValueError("at least one organisation is needed")
    rng = random.Random(f"credstack-synthetic-organisations:{seed}")  # noqa: S311 (not secret)
    abroad = list(ABROAD)
    rng.shuffle(abroad)
    n_abroad = min(len(abroad), count // 10)
    used: set[str] = set()
    orgs: list[_Org] = []
    for index in range(count):
        if index % 10 == 9 and index // 10 < n_abroad:
            place = abroad[index // 10]
            slug, name = place.slug, {"ja": place.ja, "en": place.en}
            kind, country, subdivision = place.kind, place.country, place.subdivision
            domain, languages = place.domain, place.languages
        else:
            jp = PLACES[rng.randrange(len(PLACES))]
            pattern = KINDS[bisect.bisect_right(_KIND_CUM, rng.randrange(_KIND_CUM[-1]))]
            slug = f"{jp.slug}-{pattern.slug}"
            name = {"ja": pattern.ja.format(p=jp.ja), "en": pattern.en.format(P=jp.en)}
            kind, country, subdivision = pattern.kind, "JP", jp.subdivision
            domain, languages = pattern.domain, ("ja",)
        if slug in used:
            # Same place, same kind: a second campus, numbered.
            number = 2
            while f"{slug}-{number}" in used:
                number += 1
            slug = f"{slug}-{number}"
            name = {"ja": f"{name['ja']}（第{number}キャンパス）",
                    "en": f"{name['en']} (Campus {number})"}
        used.add(slug)
        url = f"https://www.{slug}.example.{domain}/"
        model = Organisation.model_validate(
            {"slug": slug, "kind": kind, "name": name, "country": country, "url": url})
        academic = kind in {OrganisationKind.UNIVERSITY, OrganisationKind.JUNIOR_COLLEGE,
                            OrganisationKind.COLLEGE_OF_TECHNOLOGY}
        topics = tuple(rng.sample(range(len(TOPICS)), rng.randint(3, 8)))
        orgs.append(_Org(model, name, url, subdivision, academic, languages, topics))
    # A few large providers and a long tail: weight 1 / (rank + 2), in a shuffled order.
    weights = [1 / (rank + 2) for rank in range(count)]
    rng.shuffle(weights)
    return tuple(orgs), tuple(itertools.accumulate(weights))


def generate_organisations(count: int = 50, *, seed: int = 0) -> tuple[Organisation, ...]:
    """The ``count`` organisations that the programmes of ``seed`` are awarded by."""
    return tuple(org.model for org in _organisation_pool(count, seed)[0])


# --- programmes ------------------------------------------------------------------------


def _sample_methods(rng: random.Random, count: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < count:
        method = _METHODS[bisect.bisect_right(_METHOD_CUM, rng.randrange(_METHOD_CUM[-1]))]
        if method not in chosen:
            chosen.append(method)
    return chosen


def _round_to(value: Decimal, step: Decimal) -> Decimal:
    steps = (value / step).quantize(Decimal(1))
    return max(steps, Decimal(1)) * step


_HALF = Decimal("0.5")
#: How many learning outcomes a programme states (sparse, plain, rich).
_OUTCOME_COUNTS = ((2, 2, 2, 3), (2, 2, 3, 3), (2, 3, 3, 3, 4, 4, 5, 5))
#: The shares of richly and sparsely described programmes, and of those that certify
#: participation only (not a micro-credential).
RICH_SHARE = 0.06
SPARSE_SHARE = 0.4
PARTICIPATION_ONLY_SHARE = 0.03
_FIRST_DAY = dt.date(2025, 4, 1)


def _text(pair: Text, topic: _Topic) -> dict[str, str]:
    return {"ja": pair[0].format(t=topic.ja), "en": pair[1].format(p=topic.en_phrase)}


def _pair(text: Text) -> dict[str, str]:
    return {"ja": text[0], "en": text[1]}


def _document(index: int, seed: int, orgs: Sequence[_Org], cum: Sequence[float]) -> dict[str, Any]:
    """The descriptor document of programme ``index``: a function of its arguments only.

    A few programmes are described richly (every optional descriptor, with explanations), two
    in five sparsely (the core descriptors, mostly), the rest in between — as in real
    registries. In ``write_documents`` JSON a programme averages about 2,450 characters
    (2,750 bytes as UTF-8): 100,000 programmes are 243 million characters, within
    ``MAX_INPUT_BYTES`` when read as text, but 275 MB as bytes, which is over it.
    """
    rng = random.Random((seed << 40) + index if seed >= 0 else f"{seed}:{index}")  # noqa: S311
    r = rng.random
    level = r()
    detail = 2 if level < RICH_SHARE else 0 if level >= 1 - SPARSE_SHARE else 1
    rich = detail == 2

    def chance(plain: float, rich: float = 1.0, sparse: float = 0.0) -> bool:
        """Whether an optional descriptor is stated, by how fully the programme is described."""
        return r() < (sparse, plain, rich)[detail]

    org = orgs[bisect.bisect_right(cum, r() * cum[-1])]
    country = org.model.country
    level_framework, level_range, credit_system, currency = _COUNTRY[country]
    topic = TOPICS[rng.choice(org.topics) if r() < 0.8 else rng.randrange(len(TOPICS))]
    title_ja, title_en, rank = TITLES[rng.randrange(len(TITLES))]
    code = f"{topic.abbr}-{index:07d}"

    # Learner effort: credit-bearing programmes start from the credits, others from hours.
    credits: list[dict[str, Any]] = []
    system = credit_system or ("jp-tani" if org.academic and r() < 0.35 else None)
    if system is not None:
        amount = Decimal(rng.choice(CREDITS_BY_RANK[system][rank]))
        hours = amount * (rng.choice((25, 30)) if system == "ects" else _HOURS_PER_CREDIT[system])
        credits.append({"system": system, "value": amount})
        if system == "jp-tani" and chance(0.1, 0.5):
            credits.append({"system": "ects", "value": _round_to(hours / Decimal("27.5"), _HALF)})
    else:
        hours = Decimal(rng.choice(HOURS_BY_RANK[rank]))
    weeks = min(max(-(-int(hours) // rng.choice((2, 3, 4, 6, 8, 10))), 1), 52)
    effort: dict[str, Any] = {"hours": hours, "duration_weeks": weeks}
    if credits:
        effort["credits"] = credits

    mode = rng.choices(("online", "blended", "onsite"), cum_weights=(45, 75, 100))[0]
    form: dict[str, Any] = {"mode": mode}
    if mode == "online":
        form["pace"] = rng.choice(("asynchronous", "asynchronous", "mixed", "synchronous"))
    elif mode == "blended":
        form["pace"] = "mixed"
    if chance(0.1):
        form["description"] = _pair(PACE_NOTES[mode])

    # Assessment: a few per cent certify participation only (not a micro-credential).
    assessment: dict[str, Any]
    if r() < PARTICIPATION_ONLY_SHARE:
        assessment = {"methods": ["participation"], "description": _pair(PARTICIPATION)}
    else:
        methods = _sample_methods(rng, rng.choice((1, 2, 2, 3)))
        assessment = {"methods": methods}
        if chance(0.2):
            names = [ASSESSMENT_NAMES[m] for m in methods]
            assessment["description"] = {
                "ja": "、".join(n[0] for n in names) + "により学修成果を評価します。",
                "en": "Learning outcomes are assessed by " + ", ".join(n[1] for n in names) + "."}
        if chance(0.3):
            assessment["supervision"] = {
                "online": "supervised-online-identity-check", "blended": "unsupervised",
                "onsite": "supervised-onsite-identity-check"}[mode]
        if chance(0.3):
            assessment["grading"] = _pair(rng.choice(GRADING))

    outcomes = [*topic.outcomes, *OUTCOMES]
    picked = rng.sample(range(len(outcomes)), rng.choice(_OUTCOME_COUNTS[detail]))
    opening, audience = rng.choice(OPENINGS), rng.choice(AUDIENCES)
    body: dict[str, Any] = {"id": org.model.slug, "name": org.name}
    if chance(0.3):
        body["url"] = org.url

    document: dict[str, Any] = {
        "code": code,
        "title": {"ja": title_ja.format(t=topic.ja), "en": title_en.format(T=topic.en)},
        "awarding_body": body,
        "issuer_region": ({"country": country, "subdivision": org.subdivision}
                          if org.subdivision else {"country": country}),
        "description": (
            {"ja": opening[0].format(t=topic.ja) + audience[0],
             "en": opening[1].format(p=topic.en_phrase) + " " + audience[1]} if chance(0.3)
            else {"ja": opening[0].format(t=topic.ja), "en": opening[1].format(p=topic.en_phrase)}),
        "learning_outcomes": [{"statement": _text(outcomes[i], topic)} for i in picked],
        "form_of_participation": form,
        "learner_effort": effort,
        "assessment": assessment,
        "fields": list(topic.fields),
    }
    if country != "JP":
        document["languages"] = list(org.languages)
    elif topic.abbr == "BE":
        document["languages"] = ["en", "ja"]
    elif chance(0.8, 1.0, 0.4):
        document["languages"] = ["ja"] if r() < 0.85 else ["ja", "en"]

    if r() < 0.96:
        qa: list[dict[str, Any]] = [{"kind": "internal", "scope": "institution"}]
        if chance(0.1):
            qa[0]["description"] = _pair(QA_INTERNAL)
            qa[0]["url"] = org.url + "quality/"
        if org.academic and chance(0.2, 0.8, 0.1):
            qa.append({"kind": "external", "scope": "programme" if country == "MY" else
                       "institution", "body": _pair(_EXTERNAL_QA[country]),
                       "valid_until": dt.date(2027 + rng.randrange(5), 3, 31)})
        document["quality_assurance"] = qa

    if level_framework is not None and (country != "JP" or chance(0.25, 0.6, 0.1)):
        low, high = level_range
        document["levels"] = [{"framework": level_framework,
                               "level": min(high, low + rank + rng.randrange(2))}]

    kinds = [kind for kind, p in (("digital-badge", 0.6), ("certificate", 0.35),
                                  ("verifiable-credential", 0.1)) if r() < p]
    if org.academic and country == "JP" and hours >= 60 and r() < 0.8:
        kinds.append("rishu-shomei")
    document["certification"] = {"kinds": kinds or ["certificate"]}

    if system is not None:
        recognition = ["academic-credit"] + (["credit-transfer"] if r() < 0.4 else [])
    else:
        recognition = [rng.choice(("professional-development", "industry-recognition", "none"))]
    document["credit_recognition"] = {"kinds": recognition}
    if chance(0.1):
        document["credit_recognition"]["description"] = _pair(RECOGNITION_NOTES[recognition[-1]])

    if chance(0.5, 1.0, 0.2):
        pool = [*PREREQUISITES, *([topic.prerequisite] if topic.prerequisite else [])]
        document["prerequisites"] = _text(rng.choice(pool), topic)

    roll = r()
    if roll < (0.0, 0.15, 0.6)[detail]:
        target: dict[str, Any] = (
            {"title": {"ja": f"{org.name['ja']}{topic.ja}履修証明プログラム",
                       "en": f"{topic.en} Certificate Programme, {org.name['en']}"},
             "kind": "certificate-programme"}
            if rank < 2 or not org.academic else
            {"title": {"ja": f"{org.name['ja']}大学院 修士課程",
                       "en": f"Master's programme, {org.name['en']}"},
             "kind": "degree",
             "credits": {"system": credit_system or "jp-tani",
                         "value": _MASTERS[credit_system or "jp-tani"]}})
        document["stackability"] = {"stackable": True, "targets": [target]}
    elif roll < (0.0, 0.25, 0.9)[detail]:
        document["stackability"] = {"stackable": False}

    if chance(0.6, 1.0, 0.3):
        start = _FIRST_DAY + dt.timedelta(days=rng.randrange(540))
        periods = [{"start": start, "end": start + dt.timedelta(days=weeks * 7 - 1)}]
        if chance(0.1, 0.5):
            again = start + dt.timedelta(days=182)
            periods.append({"start": again, "end": again + dt.timedelta(days=weeks * 7 - 1)})
        document["dates_of_delivery"] = periods

    if chance(0.1):
        document["inherent_requirements"] = _pair(
            INHERENT[0 if mode == "online" else rng.randrange(len(INHERENT))])

    if chance(0.8, 1.0, 0.4):
        price: dict[str, Any]
        if r() < 0.15:
            price = {"amount": 0, "currency": currency}
        elif currency == "JPY":
            price = {"amount": int(hours * rng.choice((500, 1000, 1500, 2500))) // 1000 * 1000
                     or 1000, "currency": currency}
        else:
            price = {"amount": int(hours * rng.choice((10, 20, 35))), "currency": currency}
        if currency == "JPY" and chance(0.1, 0.5):
            price["financial_assistance"] = _pair(rng.choice(ASSISTANCE))
        document["price"] = price

    if chance(0.4, 1.0, 0.2):
        document["further_information"] = {"url": f"{org.url}programmes/{code.lower()}"}

    if chance(0.35, 1.0, 0.1):
        skills = rng.sample(topic.skills, min(len(topic.skills), rng.randint(1, 3 if rich else 2)))
        framework = "DSS" if topic.digital and country == "JP" else (
            "ESCO" if country in {"DE", "FR"} else None)
        document["skills"] = [{"name": {"ja": ja, "en": en}} if framework is None else
                              {"name": {"ja": ja, "en": en}, "framework": framework}
                              for ja, en in skills]
    return document


def iter_programmes(count: int, *, seed: int = 0, start: int = 0, organisations: int = 50
                    ) -> Iterator[Programme]:
    """Programmes ``start … start+count-1`` of the run ``seed``, one at a time."""
    if count < 0 or start < 0:
        raise ValueError("count and start must not be negative")
    orgs, cum = _organisation_pool(organisations, seed)
    validate = Programme.model_validate
    for index in range(start, start + count):
        yield validate(_document(index, seed, orgs, cum))


@collector_paused  # like read_documents: a growing heap of models, no cyclic garbage
def generate_programmes(count: int, *, seed: int = 0, organisations: int = 50) -> Documents:
    """``count`` programmes and the ``organisations`` organisations that award them.

    Everything is held in memory; for very large runs iterate with :func:`iter_programmes`.
    """
    return Documents(generate_organisations(organisations, seed=seed),
                     tuple(iter_programmes(count, seed=seed, organisations=organisations)))
