"""What validation reports: one finding per thing a profile says is wrong or worth knowing.

A finding says what it found as a message key with its values (:class:`~credstack.core.said.Said`,
``programme.finding.credits-below-minimum``), never in words: the page, the API or the command
that shows it words it in its reader's language (issue 53). A report's JSON gives the words in
English and Japanese, which whoever writes it fills in (:func:`worded`), as the verification's
runner words a check.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum

from credstack.core.said import Said, Words


class Severity(StrEnum):
    #: The programme does not conform to the profile.
    ERROR = "error"
    #: It conforms, but something looks wrong (e.g. credits that do not match the hours).
    WARNING = "warning"
    #: Worth knowing (e.g. larger than most programmes under this framework).
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding: a stable code, the descriptor path, a severity and what it says (a
    message key with its values); its English and Japanese once :func:`worded`."""

    code: str
    path: str
    severity: Severity
    said: Said
    message_en: str = ""
    message_ja: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "path": self.path,
            "severity": self.severity.value,
            "message": {"en": self.message_en, "ja": self.message_ja},
        }


def worded(finding: Finding, words: Words) -> Finding:
    """``finding`` with its English and Japanese (for a report's JSON), worded by ``words``."""
    if finding.message_en:
        return finding
    return dataclasses.replace(finding, message_en=words(finding.said, "en"),
                               message_ja=words(finding.said, "ja"))
