"""The names of the fields of education and training of ISCED-F 2013, in Japanese and
English.

Specification: *International Standard Classification of Education: Fields of education and
training 2013 (ISCED-F 2013)*, UNESCO Institute for Statistics, 2014 —
https://uis.unesco.org/sites/default/files/documents/international-standard-classification-of-education-fields-of-education-and-training-2013-detailed-field-descriptions-2015-en.pdf

A field is a code of two digits (broad field), three (narrow) or four (detailed): ``05``
natural sciences, mathematics and statistics; ``054`` mathematics and statistics; ``0542``
statistics. A detailed code ending in ``88`` is the inter-disciplinary programmes of its broad
field, one ending in ``99`` (``9`` for a narrow one) what its parent field does not classify
elsewhere. The Japanese names are credstack's translations.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["FIELDS", "field_name"]

#: Every field's names, (ja, en), by its code.
FIELDS: Final[dict[str, tuple[str, str]]] = {
    "00": ("汎用プログラム・資格", "Generic programmes and qualifications"),
    "001": ("基礎プログラム・資格", "Basic programmes and qualifications"),
    "0011": ("基礎プログラム・資格", "Basic programmes and qualifications"),
    "002": ("読み書き・計算", "Literacy and numeracy"),
    "0021": ("読み書き・計算", "Literacy and numeracy"),
    "003": ("個人の技能・能力開発", "Personal skills and development"),
    "0031": ("個人の技能・能力開発", "Personal skills and development"),
    "01": ("教育", "Education"),
    "011": ("教育", "Education"),
    "0111": ("教育学", "Education science"),
    "0112": ("就学前教育の教員養成", "Training for pre-school teachers"),
    "0113": ("教科を定めない教員養成", "Teacher training without subject specialisation"),
    "0114": ("教科を定めた教員養成", "Teacher training with subject specialisation"),
    "02": ("芸術・人文科学", "Arts and humanities"),
    "021": ("芸術", "Arts"),
    "0211": ("映像・音響技術とメディア制作", "Audio-visual techniques and media production"),
    "0212": ("ファッション・インテリア・工業デザイン", "Fashion, interior and industrial design"),
    "0213": ("美術", "Fine arts"),
    "0214": ("工芸", "Handicrafts"),
    "0215": ("音楽・舞台芸術", "Music and performing arts"),
    "022": ("人文科学（語学を除く）", "Humanities (except languages)"),
    "0221": ("宗教・神学", "Religion and theology"),
    "0222": ("歴史学・考古学", "History and archaeology"),
    "0223": ("哲学・倫理学", "Philosophy and ethics"),
    "023": ("語学", "Languages"),
    "0231": ("語学習得", "Language acquisition"),
    "0232": ("文学・言語学", "Literature and linguistics"),
    "03": ("社会科学・ジャーナリズム・情報", "Social sciences, journalism and information"),
    "031": ("社会科学・行動科学", "Social and behavioural sciences"),
    "0311": ("経済学", "Economics"),
    "0312": ("政治学・公民", "Political sciences and civics"),
    "0313": ("心理学", "Psychology"),
    "0314": ("社会学・文化研究", "Sociology and cultural studies"),
    "032": ("ジャーナリズム・情報", "Journalism and information"),
    "0321": ("ジャーナリズム・報道", "Journalism and reporting"),
    "0322": ("図書館・情報・アーカイブズ学", "Library, information and archival studies"),
    "04": ("経営・管理・法律", "Business, administration and law"),
    "041": ("経営・管理", "Business and administration"),
    "0411": ("会計・税務", "Accounting and taxation"),
    "0412": ("金融・銀行・保険", "Finance, banking and insurance"),
    "0413": ("経営・管理", "Management and administration"),
    "0414": ("マーケティング・広告", "Marketing and advertising"),
    "0415": ("秘書・事務", "Secretarial and office work"),
    "0416": ("卸売・小売", "Wholesale and retail sales"),
    "0417": ("職業技能", "Work skills"),
    "042": ("法律", "Law"),
    "0421": ("法学", "Law"),
    "05": ("自然科学・数学・統計学", "Natural sciences, mathematics and statistics"),
    "051": ("生物学・関連科学", "Biological and related sciences"),
    "0511": ("生物学", "Biology"),
    "0512": ("生化学", "Biochemistry"),
    "052": ("環境", "Environment"),
    "0521": ("環境科学", "Environmental sciences"),
    "0522": ("自然環境・野生生物", "Natural environments and wildlife"),
    "053": ("物理科学", "Physical sciences"),
    "0531": ("化学", "Chemistry"),
    "0532": ("地球科学", "Earth sciences"),
    "0533": ("物理学", "Physics"),
    "054": ("数学・統計学", "Mathematics and statistics"),
    "0541": ("数学", "Mathematics"),
    "0542": ("統計学", "Statistics"),
    "06": ("情報通信技術（ICT）", "Information and communication technologies (ICTs)"),
    "061": ("情報通信技術（ICT）", "Information and communication technologies (ICTs)"),
    "0611": ("コンピュータの利用", "Computer use"),
    "0612": ("データベース・ネットワークの設計と管理",
             "Database and network design and administration"),
    "0613": ("ソフトウェア・アプリケーションの開発と分析",
             "Software and applications development and analysis"),
    "07": ("工学・製造・建設", "Engineering, manufacturing and construction"),
    "071": ("工学・工業技術", "Engineering and engineering trades"),
    "0711": ("化学工学・化学プロセス", "Chemical engineering and processes"),
    "0712": ("環境保護技術", "Environmental protection technology"),
    "0713": ("電気・エネルギー", "Electricity and energy"),
    "0714": ("電子工学・自動化", "Electronics and automation"),
    "0715": ("機械・金属加工", "Mechanics and metal trades"),
    "0716": ("自動車・船舶・航空機", "Motor vehicles, ships and aircraft"),
    "072": ("製造・加工", "Manufacturing and processing"),
    "0721": ("食品加工", "Food processing"),
    "0722": ("材料（ガラス・紙・プラスチック・木材）",
             "Materials (glass, paper, plastic and wood)"),
    "0723": ("繊維（衣服・履物・皮革）", "Textiles (clothes, footwear and leather)"),
    "0724": ("鉱業・採掘", "Mining and extraction"),
    "073": ("建築・建設", "Architecture and construction"),
    "0731": ("建築・都市計画", "Architecture and town planning"),
    "0732": ("建設・土木工学", "Building and civil engineering"),
    "08": ("農林水産業・獣医学", "Agriculture, forestry, fisheries and veterinary"),
    "081": ("農業", "Agriculture"),
    "0811": ("作物・畜産", "Crop and livestock production"),
    "0812": ("園芸", "Horticulture"),
    "082": ("林業", "Forestry"),
    "0821": ("林業", "Forestry"),
    "083": ("水産業", "Fisheries"),
    "0831": ("水産業", "Fisheries"),
    "084": ("獣医学", "Veterinary"),
    "0841": ("獣医学", "Veterinary"),
    "09": ("保健・福祉", "Health and welfare"),
    "091": ("保健", "Health"),
    "0911": ("歯学", "Dental studies"),
    "0912": ("医学", "Medicine"),
    "0913": ("看護・助産", "Nursing and midwifery"),
    "0914": ("医療診断・治療技術", "Medical diagnostic and treatment technology"),
    "0915": ("療法・リハビリテーション", "Therapy and rehabilitation"),
    "0916": ("薬学", "Pharmacy"),
    "0917": ("伝統医学・補完医療", "Traditional and complementary medicine and therapy"),
    "092": ("福祉", "Welfare"),
    "0921": ("高齢者・障害のある成人の介護", "Care of the elderly and of disabled adults"),
    "0922": ("保育・青少年支援", "Child care and youth services"),
    "0923": ("ソーシャルワーク・カウンセリング", "Social work and counselling"),
    "10": ("サービス", "Services"),
    "101": ("対人サービス", "Personal services"),
    "1011": ("家事サービス", "Domestic services"),
    "1012": ("理容・美容", "Hair and beauty services"),
    "1013": ("ホテル・飲食・ケータリング", "Hotel, restaurants and catering"),
    "1014": ("スポーツ", "Sports"),
    "1015": ("旅行・観光・レジャー", "Travel, tourism and leisure"),
    "102": ("衛生・労働衛生サービス", "Hygiene and occupational health services"),
    "1021": ("地域衛生", "Community sanitation"),
    "1022": ("労働安全衛生", "Occupational health and safety"),
    "103": ("保安サービス", "Security services"),
    "1031": ("軍事・防衛", "Military and defence"),
    "1032": ("人と財産の保護", "Protection of persons and property"),
    "104": ("運輸サービス", "Transport services"),
    "1041": ("運輸サービス", "Transport services"),
    "99": ("分野不明", "Field unknown"),
    "999": ("分野不明", "Field unknown"),
    "9999": ("分野不明", "Field unknown"),
}

_CODE: Final = re.compile(r"\d{2,4}")


def field_name(code: str, language: str) -> str | None:
    """The name of the ISCED-F field ``code`` in ``language`` (``ja``, else English); an
    inter-disciplinary (``…88``) or not-elsewhere-classified (``…99``, ``…9``) field by its
    parent's name; ``None`` for a code ISCED-F does not have."""
    if not _CODE.fullmatch(code):
        return None
    japanese = language == "ja"
    if code in FIELDS:
        ja, en = FIELDS[code]
        return ja if japanese else en
    if len(code) == 4 and code.endswith("88") and code[:2] in FIELDS:
        ja, en = FIELDS[code[:2]]
        return f"{ja}（学際）" if japanese else f"{en} (inter-disciplinary)"
    parent = code[:-2] if len(code) == 4 and code.endswith("99") else code[:-1]
    if code.endswith("9") and parent in FIELDS:
        ja, en = FIELDS[parent]
        return f"{ja}（その他）" if japanese else f"{en} (not elsewhere classified)"
    return None
