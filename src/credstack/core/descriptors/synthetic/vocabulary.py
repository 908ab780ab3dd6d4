"""The words synthetic programmes are made of: fields, subjects, outcomes, fictional places in
real prefectures."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from credstack.core.organisations import Organisation, OrganisationKind

Text = tuple[str, str]  # (ja, en)


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
