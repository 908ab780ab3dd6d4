"""The JSON-LD contexts an operator pins (``CREDSTACK_CONTEXTS_FILE``), read and checked.

Some contexts that real credentials use are published nowhere credstack could bundle them
from (a plugfest's or a vendor's own context). An operator who has a copy they trust lists it
in a JSON file, URL → file path (relative to that JSON file, or absolute)::

    {"https://vendor.example/contexts/v1": "vendor/contexts-v1.jsonld"}

Each file must be a JSON object with ``@context``. Nothing is fetched: the operator vouches
for these files as the bundle's manifest vouches for its own. A pinned URL that credstack
also bundles is accepted only when the two parse to the same JSON (the bundled one is
served); any other difference is a :class:`~credstack.errors.ConfigurationError`, because
replacing a bundled context silently would change what credentials already verified mean.
Every problem in the file is named at once, with its URL and file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from credstack.errors import ConfigurationError, Problem

__all__ = ["read_pinned"]

_VARIABLE = "CREDSTACK_CONTEXTS_FILE"


def _refused(index: Path, message_en: str, message_ja: str,
             problems: list[Problem] | None = None) -> ConfigurationError:
    return ConfigurationError(f"{_VARIABLE} ({index}): {message_en} / {_VARIABLE}（{index}）："
                              f"{message_ja}", problems=problems or [])


def _parse(data: bytes) -> Any:
    """The JSON in ``data``; ``ValueError`` (with the position) when it is not JSON."""
    try:
        return json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(str(exc)) from None


def _entries(index: Path) -> dict[str, str]:
    """The index file's URL → file entries, or the reason it cannot be used."""
    try:
        data = index.read_bytes()
    except OSError as exc:
        raise _refused(index, f"cannot read the file ({exc.strerror}).",
                       f"ファイルを読めません（{exc.strerror}）。") from None
    try:
        entries = _parse(data)
    except ValueError as exc:
        raise _refused(index, f"the file is not JSON ({exc}).",
                       f"ファイルが JSON ではありません（{exc}）。") from None
    if not isinstance(entries, dict) or not all(
            isinstance(url, str) and url and isinstance(file, str) and file
            for url, file in entries.items()):
        raise _refused(index, "the file must be a JSON object mapping each context URL to "
                       "the path of its file.",
                       "コンテキストの URL からファイルのパスへの対応を表す JSON オブジェクト"
                       "でなければなりません。")
    return entries


def _document(path: Path) -> tuple[dict[str, Any] | None, str, str]:
    """The context document in ``path``, or ``None`` with why not (English, and Japanese to
    follow 「このファイルは」)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror})", f"読めません（{exc.strerror}）"
    try:
        document = _parse(data)
    except ValueError as exc:
        return None, f"is not JSON ({exc})", f" JSON ではありません（{exc}）"
    if not isinstance(document, dict) or "@context" not in document:
        return (None, "is not a JSON-LD context (a JSON object with @context)",
                " JSON-LD コンテキスト（@context を持つ JSON オブジェクト）ではありません")
    return document, "", ""


def read_pinned(index: Path, *, bundled: Mapping[str, Any]) -> dict[str, Any]:
    """URL (without fragment) → document for every context ``index`` pins that ``bundled``
    (URL → document) does not already serve identically.

    Raises :class:`~credstack.errors.ConfigurationError` naming the index file when it cannot
    be read, and every URL and file that is missing, not JSON, not a context, or different
    from the bundled context of the same URL.
    """
    pinned: dict[str, Any] = {}
    problems: list[Problem] = []
    for url, file in _entries(index).items():
        path = index.parent / file
        where = f"{url} → {path}"
        document, why_en, why_ja = _document(path)
        if document is None:
            problems.append(Problem(where, f"the file {why_en}. / このファイルは{why_ja}。"))
            continue
        key = url.partition("#")[0]
        known = bundled.get(key, pinned.get(key))
        if known is None:
            pinned[key] = document
        elif known != document:
            source = "bundled with credstack" if key in bundled else "pinned above"
            source_ja = " credstack に同梱された" if key in bundled else "先に指定された"
            problems.append(Problem(where, (
                f"differs from the context {source} for this URL; credstack never replaces "
                f"it: remove the entry, or correct the file. / この URL について{source_ja}"
                "コンテキストと異なります。credstack はそれを置き換えません。項目を削除するか"
                "ファイルを直してください。")))
    if problems:
        raise _refused(index, f"{len(problems)} pinned context(s) cannot be used.",
                       f"指定されたコンテキストのうち {len(problems)} 件を使えません。",
                       problems)
    return pinned
