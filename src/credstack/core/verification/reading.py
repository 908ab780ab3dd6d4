"""Reading the input of every format within its limits: what the ``parse`` steps share.

A format verifies a :class:`Subject` — a credential, a presentation, a badge — that arrives as
a JSON object, as JSON text or as UTF-8 bytes. :func:`text_of` turns any of them into text,
refusing what is larger than the format reads (:func:`too_large`), what is not UTF-8 and
what is not JSON; :func:`loads` parses that text strictly
(:func:`~credstack.core.verification.json_values.strict_loads`: no repeated key, no ``NaN``,
no nesting deeper than :data:`~credstack.core.verification.json_values.MAX_DEPTH`). A step
that cannot run because the input could not be read says so with :func:`unread`.

The messages name the subject (``the credential is 2,000,000 bytes …``, ``証明書が大きすぎます
…``), so that each format says the same things in its own words.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from credstack.core.verification import json_values
from credstack.core.verification.checks import Refusal, not_checked
from credstack.core.verification.json_values import MAX_DEPTH
from credstack.core.verification.report import Check

__all__ = ["MAX_CREDENTIAL_BYTES", "Subject", "loads", "not_an_object", "text_of", "too_large",
           "unread"]

#: The largest credential read (UTF-8 bytes of its JSON or of its compact JWS). Real ones are
#: a few kilobytes; a baked image's credential rarely exceeds 100 KB.
MAX_CREDENTIAL_BYTES: Final = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Subject:
    """What one format verifies, as its messages name it, and the most of it that is read."""

    #: Its name in English and in Japanese: ``credential``, ``証明書``.
    en: str
    ja: str
    #: The largest input read, in UTF-8 bytes.
    limit: int
    #: The forms it may be given in: ``a JSON object or a JWS string``.
    forms_en: str = "a JSON object"
    forms_ja: str = "JSON オブジェクト"
    #: The message key of what a signature that does not verify says was changed after
    #: signing (``the credential``).
    changed: str = "verification.check.proof.changed.credential"
    #: The code of a proof whose ``proofValue`` cannot be read.
    malformed_value: str = "malformed-proof-value"
    #: The prefix of the message keys that say what its Merkle receipt, anchoring it on a
    #: blockchain, shows (:mod:`credstack.core.verification.anchored`).
    anchored: str = "verification.check.proof.merkle"


def too_large(size: int, limit: int, what: str, what_ja: str = "") -> Refusal:
    """``what`` is ``size`` bytes, more than the ``limit`` read."""
    return Refusal("too-large", f"{what} is {size:,} bytes; credstack reads at most {limit:,}",
                   f"{what_ja}{'が' if what_ja else ''}大きすぎます（{size:,} バイト。上限は "
                   f"{limit:,} バイト）", bytes=size, limit=limit)


def unread(name: str, subject: Subject) -> Check:
    """The check ``name``, not checked because the input could not be read."""
    return not_checked(name, f"the {subject.en} could not be read",
                       f"{subject.ja}を読み取れませんでした")


def not_an_object(value: Any, subject: Subject) -> Refusal:
    kind = "an array" if isinstance(value, list) else type(value).__name__
    return Refusal("not-an-object", f"a {subject.en} is a JSON object, not {kind}",
                   f"{subject.ja}は JSON オブジェクトでなければなりません")


def loads(text: str | bytes, subject: Subject) -> Any:
    """``text`` parsed strictly as JSON, else :class:`Refusal` naming the subject."""
    return json_values.strict_loads(text, f"the {subject.en}", subject.ja)


def text_of(raw: object, subject: Subject) -> tuple[str, int]:
    """The input as text (a byte order mark and surrounding spaces removed) and its size in
    UTF-8 bytes, within the subject's limit; :class:`Refusal` when it cannot be."""
    limit = subject.limit
    if isinstance(raw, bytes | bytearray | memoryview):
        data = bytes(raw)
        if len(data) > limit:
            raise too_large(len(data), limit, f"the {subject.en}", subject.ja)
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Refusal("not-json", f"the input is not UTF-8 (byte {exc.start})",
                          f"UTF-8 のテキストではありません（{exc.start} バイト目）") from None
    if isinstance(raw, str):
        if len(raw) > limit:
            # Each character is at least one byte: the length is enough to refuse.
            raise too_large(len(raw), limit, f"the {subject.en}", subject.ja)
        size = len(raw.encode("utf-8", "surrogatepass"))
        if size > limit:
            raise too_large(size, limit, f"the {subject.en}", subject.ja)
        return raw.strip().removeprefix("\ufeff").strip(), size
    if isinstance(raw, Mapping):
        try:
            text = json.dumps(raw, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        except RecursionError:
            raise Refusal("too-deep", f"the {subject.en} is nested more than {MAX_DEPTH} levels "
                          "deep", f"{subject.ja}の入れ子が深すぎます（上限 {MAX_DEPTH} 段）"
                          ) from None
        except (TypeError, ValueError) as exc:
            raise Refusal("not-json", f"the {subject.en} holds a value that is not JSON ({exc})",
                          f"{subject.ja}に JSON ではない値が含まれています") from None
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > limit:
            raise too_large(size, limit, f"the {subject.en}", subject.ja)
        return text, size
    raise Refusal("not-an-object", f"a {subject.en} is {subject.forms_en}, not "
                  f"{type(raw).__name__}", f"{subject.ja}は {subject.forms_ja}でなければなりません")
