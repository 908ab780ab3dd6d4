"""What validation reports: one finding per thing a profile says is wrong or worth knowing."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    #: The programme does not conform to the profile.
    ERROR = "error"
    #: It conforms, but something looks wrong (e.g. credits that do not match the hours).
    WARNING = "warning"
    #: Worth knowing (e.g. larger than most programmes under this framework).
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding: a stable code, the descriptor path, a severity and a message in ja and en."""

    code: str
    path: str
    severity: Severity
    message_en: str
    message_ja: str

    def message(self, language: str) -> str:
        return self.message_ja if language == "ja" else self.message_en

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "path": self.path,
            "severity": self.severity.value,
            "message": {"en": self.message_en, "ja": self.message_ja},
        }
