"""A :class:`Problem`: one thing that was wrong, and where — what every error of
:mod:`credstack.errors` carries, one per fault, and what a validation finds."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing that was wrong, and where: in words (``message``), or as a ``code`` with
    ``params`` that the entrypoint showing it words from its catalogues (the core's way)."""
    location: str
    message: str = ""
    #: The message in Japanese where the finder words it; a translation, not part of equality.
    message_ja: str = field(default="", compare=False)
    #: The rule broken where the finder names one (``subject-empty`` …); not part of equality.
    rule: str = field(default="", compare=False)
    #: What was wrong as a message key (``creditbank.ws.fault.unknown_key``), for a finder that
    #: leaves the words to whoever shows it; ``params`` fill the message's placeholders.
    code: str = ""
    params: Mapping[str, object] = field(default_factory=dict, compare=False)

    def message_in(self, language: str) -> str:
        """The message in ``language`` (``ja`` or ``en``), English when there is no other
        (a coded problem: its code and parameters, for an entrypoint to word)."""
        if self.code and not self.message:
            return coded(self.code, self.params)
        return self.message_ja if language == "ja" and self.message_ja else self.message

    @property
    def pointer(self) -> str:
        """The location as an RFC 6901 JSON pointer (``a[0].id`` → ``/a/0/id``); empty: all."""
        return json_pointer(self.location)

    def to_dict(self) -> dict[str, str]:
        """A problem detail's ``errors`` item (with rule, pointer and Japanese, given a rule)."""
        item = {"location": self.location, "message": self.message_in("en")}
        if self.rule:
            item |= {"rule": self.rule, "pointer": self.pointer, "message_ja": self.message_ja}
        return item

    def __str__(self) -> str:
        message = self.message_in("en")
        return f"{self.location}: {message}" if self.location else message


def coded(code: str, params: Mapping[str, object]) -> str:
    """A code and its parameters as a log or a test reads them, not as people do:
    ``creditbank.ws.fault.unknown_key(key='x')``."""
    return f"{code}({', '.join(f'{name}={_value(value)}' for name, value in params.items())})"


def _value(value: object) -> str:
    if isinstance(value, Problem):
        return value.message_in("en")
    return repr(str(value) if type(value).__name__ == "Decimal" else value)


_STEP = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")


def json_pointer(location: str) -> str:
    """``a.b[2].c`` → ``/a/b/2/c`` (RFC 6901: ``~`` and ``/`` escaped)."""
    steps = [index if index else name for index, name in _STEP.findall(location)]
    return "".join("/" + step.replace("~", "~0").replace("/", "~1") for step in steps)
