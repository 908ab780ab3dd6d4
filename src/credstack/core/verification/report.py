"""What verification says: one :class:`Check` per step, a computed verdict, and the meaning.

A verification report is data, never an exception: each step of the pipeline
(:mod:`credstack.core.verification.pipeline`) adds one :class:`Check` with a reason in English
and Japanese, and :attr:`VerificationReport.ok` is *computed* from them — true only when every
verdict check passed. A check that could not be decided because an earlier one failed (the
issuer of a credential whose proof does not verify) is listed with ``ok = None`` and counts
as not passed. Informational checks (``kind = INFO``: what the credential *means*) never
change the verdict.

:meth:`VerificationReport.to_dict` gives the shape of a W3C VC-API verification result —
``verified``, ``checks``, ``errors``, ``warnings`` — plus ``meaning``; each error and warning
is a problem-details object (``type``, ``code``, ``title``, ``detail``) as VC-API 2024 uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from credstack.core.descriptors.validation import ProfileReport
from credstack.errors import Problem

__all__ = [
    "CHECK_TITLES",
    "PROBLEM_TYPE_BASE",
    "Check",
    "CheckKind",
    "DescriptorSource",
    "Meaning",
    "Notice",
    "VerificationReport",
]

#: Base of the ``type`` URI of each error and warning: ``…#proof``, ``…#status`` …
PROBLEM_TYPE_BASE: Final = "https://w3id.org/credstack/verification#"

#: A short title per check, in English and Japanese (for pages and problem details).
CHECK_TITLES: Final[Mapping[str, tuple[str, str]]] = {
    "parse": ("Readable credential", "証明書の読み取り"),
    "data-model": ("Data model", "データモデル"),
    "contexts": ("JSON-LD contexts", "JSON-LD コンテキスト"),
    "proof": ("Proof (signature)", "証明（署名）"),
    "issuer": ("Issuer", "発行者"),
    "validity": ("Validity period", "有効期間"),
    "status": ("Status (revocation, suspension)", "ステータス（失効・一時停止）"),
    "credential-schema": ("Credential schema", "スキーマ"),
    "meaning": ("Meaning", "内容"),
    "recognition": ("Recognition of the programme", "プログラムの認定"),
    # A presentation given where a credential was expected: its own checks, then each
    # credential's (``credential[i]``).
    "presentation": ("Verifiable Presentation", "プレゼンテーション"),
    "challenge": ("Challenge", "チャレンジ"),
    "domain": ("Domain", "ドメイン"),
    "holder": ("Holder", "提示者（ホルダー）"),
    "credentials": ("Credentials in the presentation", "含まれる証明書"),
}


class CheckKind(StrEnum):
    #: A pass/fail check: the report is verified only if every one passed.
    VERDICT = "verdict"
    #: Information (what the credential means): never passes or fails anything.
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning: worth knowing, not a failure (a VC 1.1 credential, a skipped proof …)."""

    code: str
    message_en: str
    message_ja: str

    def message(self, language: str) -> str:
        return self.message_ja if language == "ja" else self.message_en

    def to_dict(self, check: str) -> dict[str, Any]:
        return {
            "type": f"{PROBLEM_TYPE_BASE}{check}",
            "code": self.code,
            "check": check,
            "title": _title(check),
            "detail": self.message_en,
            "message": {"en": self.message_en, "ja": self.message_ja},
        }


@dataclass(frozen=True, slots=True)
class Check:
    """One step's finding about the credential.

    ``ok`` is ``True`` (passed), ``False`` (failed) or ``None`` (not decided: an earlier
    check failed, or an informational check). ``code`` is a stable machine-readable reason
    (``signature``, ``expired``, ``revoked`` …); ``details`` is JSON-ready data for people
    and programs (the offending locations, the URLs, the dates).
    """

    name: str
    ok: bool | None
    reason_en: str
    reason_ja: str
    details: Mapping[str, Any] = field(default_factory=dict)
    code: str | None = None
    kind: CheckKind = CheckKind.VERDICT
    warnings: tuple[Notice, ...] = ()

    @property
    def passed(self) -> bool:
        return self.ok is True

    @property
    def failed(self) -> bool:
        """A verdict check that failed (not one that was skipped)."""
        return self.kind is CheckKind.VERDICT and self.ok is False

    @property
    def skipped(self) -> bool:
        """A verdict check that could not be decided (an earlier check failed)."""
        return self.kind is CheckKind.VERDICT and self.ok is None

    def reason(self, language: str) -> str:
        return self.reason_ja if language == "ja" else self.reason_en

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.name,
            "kind": self.kind.value,
            "ok": self.ok,
            "code": self.code,
            "title": {"en": _title(self.name), "ja": _title(self.name, "ja")},
            "reason": {"en": self.reason_en, "ja": self.reason_ja},
            "details": _json(self.details),
            "warnings": [w.to_dict(self.name) for w in self.warnings],
        }

    def problem(self) -> dict[str, Any]:
        """The check as a VC-API problem-details object (for ``errors``)."""
        return {
            "type": f"{PROBLEM_TYPE_BASE}{self.name}",
            "code": self.code or self.name,
            "check": self.name,
            "title": _title(self.name),
            "detail": self.reason_en,
            "message": {"en": self.reason_en, "ja": self.reason_ja},
        }


class DescriptorSource(StrEnum):
    #: The credstack micro-credential extension (every descriptor, every language).
    EXTENSION = "credstack-extension"
    #: Only what Open Badges' own fields say (a foreign credential).
    OPEN_BADGES = "open-badges-fields"


@dataclass(frozen=True, slots=True)
class Meaning:
    """What a credential says, read from it: not a verdict on whether to trust it."""

    types: tuple[str, ...] = ()
    issuer_id: str | None = None
    issuer_name: str | None = None
    achievement_id: str | None = None
    achievement_type: str | None = None
    achievement_name: str | None = None
    #: The micro-credential descriptor document the achievement states (``None``: none).
    descriptors: Mapping[str, Any] | None = None
    descriptor_source: DescriptorSource | None = None
    #: One report per framework profile; empty when the descriptors are not a programme.
    conformance: tuple[ProfileReport, ...] = ()
    #: ``None`` when it cannot be told (no descriptors that form a programme).
    is_micro_credential: bool | None = None
    #: The programme's registry record, when credstack knows the achievement.
    registry: Mapping[str, Any] | None = None
    #: Why the descriptors could not be read as a programme, if they could not.
    problems: tuple[Problem, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "types": list(self.types),
            "issuer": {"id": self.issuer_id, "name": self.issuer_name},
            "achievement": {"id": self.achievement_id, "type": self.achievement_type,
                            "name": self.achievement_name},
            "descriptors": _json(self.descriptors) if self.descriptors is not None else None,
            "descriptor_source": (self.descriptor_source.value
                                  if self.descriptor_source is not None else None),
            "conformance": [report.to_dict() for report in self.conformance],
            "is_micro_credential": self.is_micro_credential,
            "registry": _json(self.registry) if self.registry is not None else None,
            "problems": [{"location": p.location, "message": p.message} for p in self.problems],
        }


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """Every check in the order it ran, what the credential means, and the verdict."""

    checks: tuple[Check, ...]
    meaning: Meaning | None = None

    @property
    def ok(self) -> bool:
        """True only when there are verdict checks and every one of them passed."""
        verdicts = [check for check in self.checks if check.kind is CheckKind.VERDICT]
        return bool(verdicts) and all(check.ok is True for check in verdicts)

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if check.failed)

    @property
    def warnings(self) -> tuple[tuple[str, Notice], ...]:
        """Every warning, with the name of the check that raised it."""
        return tuple((check.name, notice) for check in self.checks for notice in check.warnings)

    def check(self, name: str) -> Check | None:
        """The check called ``name`` (the last one, should a name repeat)."""
        found = None
        for check in self.checks:
            if check.name == name:
                found = check
        return found

    def to_dict(self) -> dict[str, Any]:
        """A VC-API-shaped result: ``verified``, ``checks``, ``errors``, ``warnings``, ``meaning``.

        ``errors`` holds the failed checks and, when one was not decided, the skipped ones
        (so an unverified result always says why).
        """
        return {
            "verified": self.ok,
            "checks": [check.to_dict() for check in self.checks],
            "errors": [check.problem() for check in self.checks
                       if check.failed or check.skipped],
            "warnings": [notice.to_dict(name) for name, notice in self.warnings],
            "meaning": self.meaning.to_dict() if self.meaning is not None else None,
        }


def _title(check: str, language: str = "en") -> str:
    titles = CHECK_TITLES.get(check)
    if titles is None:
        return check
    return titles[1] if language == "ja" else titles[0]


def _json(value: Any) -> Any:
    """A JSON-ready copy: mappings become dicts, tuples lists, other values stay."""
    if isinstance(value, Mapping):
        return {str(key): _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    return value
