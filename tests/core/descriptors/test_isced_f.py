"""ISCED-F 2013 fields are named in Japanese and English: a detailed field by its own name,
an inter-disciplinary or not-elsewhere-classified one by its parent's; nothing else is."""

from __future__ import annotations

import pytest

from credstack.core.descriptors.isced_f import field_name, fields


@pytest.mark.parametrize(("code", "ja", "en"), [
    ("0542", "統計学", "Statistics"),
    ("0613", "ソフトウェア・アプリケーションの開発と分析",
     "Software and applications development and analysis"),
    ("054", "数学・統計学", "Mathematics and statistics"),
    ("06", "情報通信技術（ICT）", "Information and communication technologies (ICTs)"),
    ("0688", "情報通信技術（ICT）（学際）",
     "Information and communication technologies (ICTs) (inter-disciplinary)"),
    ("0599", "自然科学・数学・統計学（その他）",
     "Natural sciences, mathematics and statistics (not elsewhere classified)"),
    ("0419", "経営・管理（その他）", "Business and administration (not elsewhere classified)"),
])
def test_a_field_is_named_in_both_languages(code: str, ja: str, en: str) -> None:
    assert (field_name(code, "ja"), field_name(code, "en")) == (ja, en)


@pytest.mark.parametrize("code", ["0550", "12", "green", "", "05420"])
def test_a_code_isced_f_does_not_have_is_not_named(code: str) -> None:
    assert field_name(code, "en") is None


def test_every_detailed_field_belongs_to_a_named_narrow_and_broad_field() -> None:
    for code in fields():
        assert all(code[:cut] in fields() for cut in range(2, len(code))), code
