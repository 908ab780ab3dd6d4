"""Reading the input of every format within its limits: what the ``parse`` steps share.

A format verifies a :class:`Subject` — a credential, a presentation, a badge — that arrives as
a JSON object, as JSON text or as UTF-8 bytes. :func:`text_of` turns any of them into text,
refusing what is larger than the format reads (:func:`too_large`), what is not UTF-8 and
what is not JSON; :func:`loads` parses that text strictly
(:func:`~credstack.core.verification.json_values.strict_loads`: no repeated key, no ``NaN``,
no nesting deeper than :data:`~credstack.core.verification.json_values.MAX_DEPTH`). A step
that cannot run because the input could not be read says so with :func:`unread`.

The messages name the subject (``the credential is 2,000,000 bytes …``): each is said as a
message key with the subject's own key as a parameter (``verification.subject.credential``),
so that each format says the same things in its own words and the entrypoint words them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from credstack.core.said import Said
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

    #: The message key of its name: ``verification.subject.credential`` (credential).
    name: str
    #: The largest input read, in UTF-8 bytes.
    limit: int
    #: The message key of the forms it may be given in (``a JSON object or a JWS string``).
    forms: str = "verification.subject.forms.object"
    #: The message key of what a signature that does not verify says was changed after
    #: signing (``the credential``).
    changed: str = "verification.check.proof.changed.credential"
    #: The code of a proof whose ``proofValue`` cannot be read.
    malformed_value: str = "malformed-proof-value"
    #: The prefix of the message keys that say what its Merkle receipt, anchoring it on a
    #: blockchain, shows (:mod:`credstack.core.verification.anchored`).
    anchored: str = "verification.check.proof.merkle"

    @property
    def said(self) -> Said:
        """Its name, as a phrase of a message (``credential``)."""
        return Said(self.name)

    @property
    def the(self) -> Said:
        """Its name as a message names what it reads (``the credential``)."""
        return Said("verification.subject.the", subject=self.said)


def too_large(size: int, limit: int, what: Said | str) -> Refusal:
    """``what`` (a phrase, or a URL) is ``size`` bytes, more than the ``limit`` read."""
    return Refusal("too-large", Said("verification.read.too_large", what=what, bytes=size,
                                     limit=limit), bytes=size, limit=limit)


def unread(name: str, subject: Subject) -> Check:
    """The check ``name``, not checked because the input could not be read."""
    return not_checked(name, Said("verification.read.unread", subject=subject.said))


def not_an_object(value: Any, subject: Subject) -> Refusal:
    if isinstance(value, list):
        return Refusal("not-an-object", Said("verification.read.not_an_object.array",
                                             subject=subject.said))
    return Refusal("not-an-object", Said("verification.read.not_an_object",
                                         subject=subject.said, kind=type(value).__name__))


def loads(text: str | bytes, subject: Subject) -> Any:
    """``text`` parsed strictly as JSON, else :class:`Refusal` naming the subject."""
    return json_values.strict_loads(text, subject.the)


def text_of(raw: object, subject: Subject) -> tuple[str, int]:
    """The input as text (a byte order mark and surrounding spaces removed) and its size in
    UTF-8 bytes, within the subject's limit; :class:`Refusal` when it cannot be."""
    limit = subject.limit
    if isinstance(raw, bytes | bytearray | memoryview):
        data = bytes(raw)
        if len(data) > limit:
            raise too_large(len(data), limit, subject.the)
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Refusal("not-json", Said("verification.read.not_utf8", byte=exc.start)
                          ) from None
    if isinstance(raw, str):
        if len(raw) > limit:
            # Each character is at least one byte: the length is enough to refuse.
            raise too_large(len(raw), limit, subject.the)
        size = len(raw.encode("utf-8", "surrogatepass"))
        if size > limit:
            raise too_large(size, limit, subject.the)
        return raw.strip().removeprefix("\ufeff").strip(), size
    if isinstance(raw, Mapping):
        try:
            text = json.dumps(raw, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        except RecursionError:
            raise Refusal("too-deep", Said("verification.json.too_deep", what=subject.the,
                                           depth=MAX_DEPTH)) from None
        except (TypeError, ValueError) as exc:
            raise Refusal("not-json", Said("verification.read.not_json_value",
                                           subject=subject.said, detail=str(exc))) from None
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > limit:
            raise too_large(size, limit, subject.the)
        return text, size
    raise Refusal("not-an-object", Said("verification.read.not_a_form", subject=subject.said,
                                        forms=Said(subject.forms), kind=type(raw).__name__))
