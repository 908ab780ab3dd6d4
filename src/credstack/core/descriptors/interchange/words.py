"""What a validation error says, in English and Japanese, by the kind of error.

Pydantic words its errors in English only, and for programmers ("Input should be a valid
decimal", "String should match pattern '^[A-Z]{2}$'"). Each kind of error a descriptor
document can meet has words of its own here, in both languages, filled from the error's
context (the bound, the length, the values allowed); a pattern of the shared types says what
it asks for (a language tag, a country code) rather than showing the regular expression.
Credstack's own validators give both languages themselves
(:func:`credstack.core.types.refusal`). A kind not
listed keeps Pydantic's English, and the Japanese says that the value cannot be used.

Pure: an error's data in, two strings out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

__all__ = ["PATTERNS", "WORDS", "words_for"]

_NUMBER: Final = ("must be a number", "数値で書いてください")
_WHOLE: Final = ("must be a whole number", "整数で書いてください")
_LIST: Final = ("must be a list", "リストで書いてください")
_MAPPING: Final = ("must be a mapping of keys to values",
                   "キーと値の組（マッピング）で書いてください")
_DATE: Final = ("must be a date written YYYY-MM-DD", "日付は YYYY-MM-DD の形式で書いてください")
_DATETIME: Final = ("must be a date and time (ISO 8601, such as 2026-04-01T09:00:00+09:00)",
                    "日時は ISO 8601 の形式（例: 2026-04-01T09:00:00+09:00）で書いてください")
_URL: Final = ("must be a URL such as https://www.example.ac.jp/",
               "URL（例: https://www.example.ac.jp/）で書いてください")
_CHOICE: Final = ("must be one of {expected}", "次のいずれかにしてください: {expected}")

#: Each kind of Pydantic error: its words in English and Japanese, with ``{…}`` filled from
#: the error's context.
WORDS: Final[Mapping[str, tuple[str, str]]] = {
    "missing": ("this key is required", "この項目は必須です"),
    "string_type": ("must be text", "文字列で書いてください"),
    "string_unicode": ("must be Unicode text", "Unicode の文字列で書いてください"),
    "string_too_short": ("must have at least {min_length} character(s)",
                         "{min_length} 文字以上で書いてください"),
    "string_too_long": ("must have at most {max_length} characters",
                        "{max_length} 文字以内で書いてください"),
    "string_pattern_mismatch": ("does not have the form asked for (pattern {pattern})",
                                "形式が正しくありません（パターン {pattern}）"),
    "int_type": _WHOLE,
    "int_parsing": _WHOLE,
    "int_parsing_size": ("is too large a number", "数値が大きすぎます"),
    "int_from_float": ("must be a whole number, without a fraction",
                       "小数部のない整数で書いてください"),
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "finite_number": ("must be a finite number", "有限の数値で書いてください"),
    "decimal_max_digits": ("must have at most {max_digits} digits",
                           "{max_digits} 桁以内で書いてください"),
    "decimal_max_places": ("must have at most {decimal_places} digits after the point",
                           "小数点以下は {decimal_places} 桁以内で書いてください"),
    "decimal_whole_digits": ("must have at most {whole_digits} digits before the point",
                             "整数部は {whole_digits} 桁以内で書いてください"),
    "greater_than": ("must be greater than {gt}", "{gt} より大きい値にしてください"),
    "greater_than_equal": ("must be {ge} or more", "{ge} 以上にしてください"),
    "less_than": ("must be less than {lt}", "{lt} 未満にしてください"),
    "less_than_equal": ("must be {le} or less", "{le} 以下にしてください"),
    "multiple_of": ("must be a multiple of {multiple_of}", "{multiple_of} の倍数にしてください"),
    "bool_type": ("must be true or false", "true または false で書いてください"),
    "bool_parsing": ("must be true or false", "true または false で書いてください"),
    "enum": _CHOICE,
    "literal_error": _CHOICE,
    "list_type": _LIST,
    "tuple_type": _LIST,
    "set_type": _LIST,
    "frozen_set_type": _LIST,
    "iterable_type": _LIST,
    "too_short": ("must have at least {min_length} item(s)", "{min_length} 個以上にしてください"),
    "too_long": ("must have at most {max_length} items", "{max_length} 個以内にしてください"),
    "dict_type": _MAPPING,
    "mapping_type": _MAPPING,
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "dataclass_type": _MAPPING,
    "invalid_key": ("keys must be text", "キーは文字列で書いてください"),
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": ("must be a date without a time of day",
                                   "時刻を含まない日付で書いてください"),
    "date_past": ("must be a date in the past", "過去の日付にしてください"),
    "date_future": ("must be a date in the future", "未来の日付にしてください"),
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "datetime_object_invalid": _DATETIME,
    "datetime_past": ("must be in the past", "過去の日時にしてください"),
    "datetime_future": ("must be in the future", "未来の日時にしてください"),
    "timezone_aware": ("must give its time zone (such as +09:00)",
                       "タイムゾーン（例: +09:00）を付けてください"),
    "timezone_naive": ("must not give a time zone", "タイムゾーンを付けないでください"),
    "time_type": ("must be a time of day (HH:MM)", "時刻（HH:MM）で書いてください"),
    "time_parsing": ("must be a time of day (HH:MM)", "時刻（HH:MM）で書いてください"),
    "time_delta_type": ("must be a duration (such as P3D)", "期間（例: P3D）で書いてください"),
    "time_delta_parsing": ("must be a duration (such as P3D)", "期間（例: P3D）で書いてください"),
    "url_type": _URL,
    "url_parsing": _URL,
    "url_syntax_violation": _URL,
    "url_too_long": ("is too long for a URL (at most {max_length} characters)",
                     "URL が長すぎます（{max_length} 文字以内）"),
    "url_scheme": ("must be a URL starting with {expected_schemes}",
                   "{expected_schemes} で始まる URL にしてください"),
    "uuid_type": ("must be a UUID", "UUID で書いてください"),
    "uuid_parsing": ("must be a UUID", "UUID で書いてください"),
    "none_required": ("must be left out (null)", "空（null）にしてください"),
    "union_tag_invalid": ("{tag!r} is not one of {expected_tags}",
                          "{tag} は使えません。次のいずれかにしてください: {expected_tags}"),
    "union_tag_not_found": ("needs the key {discriminator}", "{discriminator} が必要です"),
    "json_invalid": ("is not valid JSON", "JSON として正しくありません"),
    "json_type": ("must be JSON text", "JSON の文字列で書いてください"),
    "recursion_loop": ("refers to itself", "自分自身を参照しています"),
    "recursion_depth_exceeded": ("is nested too deeply", "入れ子が深すぎます"),
    "bytes_type": ("must be text", "文字列で書いてください"),
}

#: The patterns of :mod:`credstack.core.types`, said as what they ask for.
PATTERNS: Final[Mapping[str, tuple[str, str]]] = {
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$": (
        "must be a language tag such as ja, en or zh-Hant",
        "言語タグ（例: ja、en、zh-Hant）で書いてください"),
    r"^[A-Z]{2}$": ("must be a country code of two capital letters, such as JP",
                    "国コード（大文字 2 文字、例: JP）で書いてください"),
    r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$": (
        "must be a short name of lower-case letters, digits and hyphens (such as hokuto-tech)",
        "英小文字・数字・ハイフンの短い名前（例: hokuto-tech）で書いてください"),
    r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$": (
        "must be a code of letters, digits, '.', '_' and '-' (such as MC-101), at most 64",
        "英数字と . _ - からなる 64 文字以内のコード（例: MC-101）で書いてください"),
}


def _filled(template: str, context: Mapping[str, Any]) -> str | None:
    try:
        return template.format(**context)
    except (KeyError, IndexError, ValueError):
        return None


def words_for(error: Mapping[str, Any]) -> tuple[str, str]:
    """The English and Japanese words of one Pydantic error (``type``, ``msg``, ``ctx``)."""
    kind = str(error.get("type", ""))
    context: Mapping[str, Any] = error.get("ctx") or {}
    if "en" in context and "ja" in context:
        return str(context["en"]), str(context["ja"])
    if kind == "string_pattern_mismatch" and context.get("pattern") in PATTERNS:
        return PATTERNS[str(context["pattern"])]
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    found = WORDS.get(kind)
    if found is not None:
        en, ja = (_filled(found[0], context), _filled(found[1], context))
        if en is not None and ja is not None:
            return en, ja
    return message, f"この値は使えません（{message}）"
