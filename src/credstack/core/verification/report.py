"""What verification says: one :class:`Check` per step, a computed verdict, and the meaning.

A verification report is data, never an exception: each step of the pipeline
(:mod:`credstack.core.verification.pipeline`) adds one :class:`Check` with a reason in English
and Japanese, and the verdict is *computed* from them. A check that could not be decided
because an earlier one failed (the issuer of a credential whose proof does not verify) is
listed with ``ok = None`` and counts as not passed.

Two questions, kept apart
-------------------------

*Is it authentic?* (:attr:`VerificationReport.authentic`) — the checks of kind
:attr:`CheckKind.VERDICT`: the credential can be read (``parse``), what its signature covers
means what the VC Data Model says it means (``data-model``, ``contexts``), the proof verifies
(``proof``) with a key of the issuer it names (``issuer``), it is inside its validity window
(``validity``) and neither revoked nor suspended (``status``). The ``data-model`` check keeps
only the rules whose breach changes what the credential *is* or what was signed: an
``@context`` whose first item is the VC base context, a ``type`` that includes
``VerifiableCredential``, an issuer that is a URL (or an object with a URL ``id``), a
non-empty ``credentialSubject`` of objects, ``id``s that are URLs, dates that parse (with a
time zone in VC 2.0) and a ``validUntil`` not before ``validFrom``, typed
``credentialStatus``, ``credentialSchema``, ``evidence``, ``termsOfUse`` and
``refreshService`` entries.

*Does it conform?* (:attr:`VerificationReport.conformant`) — the checks of kind
:attr:`CheckKind.CONFORMANCE`: the Open Badges 3.0 shape rules (``open-badges``: a subject
with an ``id`` or an ``identifier``, an issuer ``Profile`` object rather than a string,
``issuer.image`` as an ``Image`` object rather than a plain URL, a credential ``id``, the
classes and required properties of the 1EdTech JSON Schema …) and the JSON Schemas the
credential names (``credential-schema``). ``None`` when no such rule applies (a plain VC, an
Open Badges 2.0 badge).

Three outcomes
--------------

A check ends *passed* (``ok = True``), *failed* (``ok = False``: something about the
credential is proven wrong) or *undecided* (``ok = None``). An undecided check says what it
was missing (:attr:`Check.missing`: a DID document, a status list, a context or a
blockchain record that could not be had, and why); a check that did not run because an
earlier one failed or was undecided is ``ok = None`` with no ``missing``. The whole
(:attr:`VerificationReport.decision`) follows from them: any check that decides failed →
:attr:`Decision.NOT_VERIFIED`; else any that decides is undecided →
:attr:`Decision.UNDECIDED` ("could not be checked": nothing is proven against the
credential, but it is not verified either); else :attr:`Decision.VERIFIED`.

The verdict policy
------------------

:attr:`VerificationReport.ok` (``verified``) is true when the credential is authentic — and,
under the ``strict`` policy (:attr:`VerificationReport.strict`), conformant too. By default
an authentic credential that breaks Open Badges shape rules *verifies with warnings*: each
conformance finding is listed in ``warnings``, not ``errors``, as the Digital Credentials
Consortium's verifier and wallet and 1EdTech's validator treat them — issuers in the wild
write string issuers and plain-URL images, and an employer still needs to know that the
credential is genuine and current. ``strict`` (the VC-API option ``options.strict``, the
``/verify`` page's checkbox, ``credstack verify --strict``) makes them fatal: a conformance
finding is then an error and the credential does not verify. Informational checks
(``kind = INFO``: what the credential *means*) never change the verdict.

:meth:`VerificationReport.to_dict` gives the shape of a W3C VC-API verification result —
``verified``, ``checks``, ``errors``, ``warnings`` — plus ``outcome``, ``authentic``,
``conformant``, ``strict`` and ``meaning``; each check says which question it answers
(``question``: ``authentic``, ``conformant`` or ``null`` for information) and how it came
out (``outcome``), and each error and warning is a problem-details object (``type``,
``code``, ``title``, ``detail``) as VC-API 2024 uses.

How "could not be checked" travels in that shape: ``verified`` is ``false`` (a client that
reads nothing else never accepts it), the top-level ``outcome`` is
``could-not-be-checked`` (``verified`` and ``not-verified`` otherwise), and each undecided
check is in ``errors`` with ``"outcome": "could-not-be-checked"`` and a ``missing`` object
(``what``: ``key``, ``status-list``, ``context`` or ``blockchain``; ``why``; ``url``;
``detail``, the technical text). A failed check's problem has ``"outcome": "failed"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final, Literal

from credstack.core import vocabularies
from credstack.core.descriptors.validation import ProfileReport
from credstack.core.said import Said
from credstack.errors import Problem

__all__ = [
    "CHECK_TITLES",
    "PROBLEM_TYPE_BASE",
    "Check",
    "CheckKind",
    "CheckOutcome",
    "Decision",
    "DescriptorSource",
    "Identity",
    "Meaning",
    "Missing",
    "Notice",
    "VerificationReport",
    "check_outcome",
]

#: Base of the ``type`` URI of each error and warning: ``…#proof``, ``…#status`` …
PROBLEM_TYPE_BASE: Final = "https://w3id.org/credstack/verification#"

#: A short title per check, in English and Japanese (for pages and problem details).
CHECK_TITLES: Final[Mapping[str, tuple[str, str]]] = vocabularies.pairs(
    "verification-check", "en", "ja")


#: How one check came out, as pages and the CLI mark it: ``undecided`` when something it
#: needed was out of reach, ``not-checked`` when it did not run because of an earlier check.
CheckOutcome = Literal["passed", "failed", "warning", "undecided", "not-checked", "info"]


def check_outcome(kind: object, ok: object, *, finding: bool = False,
                  missing: object = None) -> CheckOutcome:
    """How a check came out, from its ``kind``, ``ok`` and ``missing`` (as
    :meth:`Check.to_dict` writes them too): ``warning`` for a ``finding`` — a failed
    conformance check that does not fail the verdict (:attr:`VerificationReport.findings`)."""
    if kind == CheckKind.INFO.value:
        return "info"
    if ok is None:
        return "not-checked" if missing is None else "undecided"
    if ok is True:
        return "passed"
    return "warning" if finding else "failed"


class Decision(StrEnum):
    """The three outcomes of a verification (see "Three outcomes" above)."""

    VERIFIED = "verified"
    #: Something about the credential is proven wrong (tampered, revoked, expired …).
    NOT_VERIFIED = "not-verified"
    #: Nothing is proven wrong, but something a check needed was out of reach.
    UNDECIDED = "could-not-be-checked"


@dataclass(frozen=True, slots=True)
class Missing:
    """What an undecided check needed and could not have.

    ``what`` is ``key`` (a verification method's DID or controller document), ``status-list``,
    ``context`` (a JSON-LD context credstack does not hold) or ``blockchain`` (the record a
    blockchain-anchored proof points at); ``why`` is one of
    :attr:`credstack.errors.OutOfReachError.WHY` (``offline``, ``not-allowed``,
    ``unsupported``, ``unreachable``, ``not-found``, ``server``, ``unreadable``); ``url``
    names it (a URL or a DID); ``detail`` is the technical text, for the details section, or
    ``said`` what it says as a message key, which the runner words in English as ``detail``.
    """

    what: str
    why: str
    url: str | None = None
    detail: str = ""
    said: Said | None = field(default=None, compare=False)

    @property
    def host(self) -> str | None:
        """The host name of :attr:`url` (a URL's, or a did:web's), if it names one."""
        url = self.url or ""
        if url.startswith("did:web:"):
            return url.removeprefix("did:web:").split(":")[0].split("#")[0].replace("%3A", ":")
        if "://" in url:
            return url.split("://", 1)[1].split("/")[0].split("#")[0] or None
        return None

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what, "why": self.why, "url": self.url, "host": self.host,
                "detail": self.detail}


class CheckKind(StrEnum):
    #: A pass/fail check of authenticity: the report is verified only if every one passed.
    VERDICT = "verdict"
    #: A pass/fail check of conformance (shape rules, JSON Schema): a warning when it fails,
    #: an error only under the ``strict`` policy.
    CONFORMANCE = "conformance"
    #: Information (what the credential means): never passes or fails anything.
    INFO = "info"

    @property
    def question(self) -> str | None:
        """``authentic``, ``conformant`` or ``None`` (information answers neither)."""
        return {"verdict": "authentic", "conformance": "conformant"}.get(self.value)


_KIND_VALUES: Final = {kind: kind.value for kind in CheckKind}
_KIND_QUESTIONS: Final = {kind: kind.question for kind in CheckKind}


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning: worth knowing, not a failure (a VC 1.1 credential, a skipped proof …).

    A step says it as :attr:`said` (a message key and its parameters) with no words; the
    runner (:func:`~credstack.core.verification.runner.run`) words it in English and
    Japanese with the words its caller gave (see :class:`Check`).
    """

    code: str
    message_en: str = ""
    message_ja: str = ""
    said: Said | None = None

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

    ``ok`` is ``True`` (passed), ``False`` (failed) or ``None`` (not decided: something it
    needed was out of reach — then ``missing`` says what —, an earlier check failed, or an
    informational check). ``code`` is a stable machine-readable reason (``signature``,
    ``expired``, ``revoked`` …); ``details`` is JSON-ready data for people and programs (the
    offending locations, the URLs, the dates).

    A step says its reason as :attr:`said` (a message key of the catalogues and its
    parameters, issue 53) with no words; the runner
    (:func:`~credstack.core.verification.runner.run`) words it in English and Japanese into
    :attr:`reason_en` and :attr:`reason_ja` with the :data:`~credstack.core.said.Words` its
    caller gave, and keeps :attr:`said` for whoever words it in another language.
    """

    name: str
    ok: bool | None
    reason_en: str
    reason_ja: str
    details: Mapping[str, Any] = field(default_factory=dict)
    code: str | None = None
    kind: CheckKind = CheckKind.VERDICT
    warnings: tuple[Notice, ...] = ()
    #: What it needed and could not have, when it is undecided for that reason.
    missing: Missing | None = None
    #: The reason as a message key and its parameters (``None``: said in words above).
    said: Said | None = None

    @property
    def passed(self) -> bool:
        return self.ok is True

    @property
    def failed(self) -> bool:
        """A verdict or conformance check that failed (not one that was skipped)."""
        return self.kind is not CheckKind.INFO and self.ok is False

    @property
    def skipped(self) -> bool:
        """A verdict or conformance check that was not decided (something it needed was out
        of reach, or an earlier check failed or was undecided)."""
        return self.kind is not CheckKind.INFO and self.ok is None

    @property
    def undecided(self) -> bool:
        """A verdict or conformance check undecided because something was out of reach."""
        return self.skipped and self.missing is not None

    @property
    def outcome(self) -> CheckOutcome:
        """``passed``, ``failed``, ``undecided``, ``not-checked`` or ``info`` (a finding is
        ``failed`` here: only its report knows it does not fail the verdict)."""
        return check_outcome(self.kind.value, self.ok, missing=self.missing)

    def reason(self, language: str) -> str:
        return self.reason_ja if language == "ja" else self.reason_en

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.name,
            # Read from a table: an enumeration's ``value`` is a descriptor call each time.
            "kind": _KIND_VALUES[self.kind],
            "question": _KIND_QUESTIONS[self.kind],
            "ok": self.ok,
            "outcome": self.outcome,
            "code": self.code,
            "title": {"en": _title(self.name), "ja": _title(self.name, "ja")},
            "reason": {"en": self.reason_en, "ja": self.reason_ja},
            "details": _json(self.details),
            "missing": self.missing.to_dict() if self.missing is not None else None,
            "warnings": [w.to_dict(self.name) for w in self.warnings],
        }

    def problem(self) -> dict[str, Any]:
        """The check as a VC-API problem-details object (for ``errors``, or ``warnings`` for
        a conformance finding); the problems the check found (each rule broken, with its
        JSON pointer) are listed in it."""
        problem: dict[str, Any] = {
            "type": f"{PROBLEM_TYPE_BASE}{self.name}",
            "code": self.code or self.name,
            "check": self.name,
            "title": _title(self.name),
            "detail": self.reason_en,
            "message": {"en": self.reason_en, "ja": self.reason_ja},
            "outcome": ("could-not-be-checked" if self.undecided else
                        "not-checked" if self.skipped else "failed"),
        }
        if self.missing is not None:
            problem["missing"] = self.missing.to_dict()
        if "problems" in self.details:
            problem["problems"] = _json(self.details["problems"])
        return problem


class DescriptorSource(StrEnum):
    #: The credstack micro-credential extension (every descriptor, every language).
    EXTENSION = "credstack-extension"
    #: Only what Open Badges' own fields say (a foreign credential).
    OPEN_BADGES = "open-badges-fields"


@dataclass(frozen=True, slots=True)
class Identity:
    """One way the credential identifies its learner besides a name (an Open Badges
    ``IdentityObject``): its ``identityType`` and, unless hashed, its value."""

    kind: str
    #: ``None`` when the credential states only a hash of it.
    value: str | None
    hashed: bool

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.kind, "value": self.value, "hashed": self.hashed}


@dataclass(frozen=True, slots=True)
class Meaning:
    """What a credential says, read from it: not a verdict on whether to trust it."""

    types: tuple[str, ...] = ()
    issuer_id: str | None = None
    issuer_name: str | None = None
    #: The learner as the credential states it (nothing here is checked against a person):
    #: names in plain text (one per script), the subject's ``id``, other identifiers.
    learner_names: tuple[str, ...] = ()
    learner_id: str | None = None
    learner_identifiers: tuple[Identity, ...] = ()
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
    #: The issuer's names by language as the deployment records them, when the issuer is
    #: one of its own organisations (a credential states one ``name``; a page in another
    #: language names the organisation in that language).
    issuer_names: Mapping[str, str] | None = None
    #: Why the descriptors could not be read as a programme, if they could not.
    problems: tuple[Problem, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "types": list(self.types),
            "issuer": {"id": self.issuer_id, "name": self.issuer_name},
            "learner": {"names": list(self.learner_names), "id": self.learner_id,
                        "identifiers": [item.to_dict() for item in self.learner_identifiers]},
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
    """Every check in the order it ran, what the credential means, and the verdict.

    ``strict`` is the verdict policy: ``False`` (the default) lets an authentic credential
    with conformance findings verify, with warnings; ``True`` makes those findings fatal.
    """

    checks: tuple[Check, ...]
    meaning: Meaning | None = None
    strict: bool = False

    def decides(self, check: Check) -> bool:
        """Whether ``check`` can fail the verdict under this report's policy."""
        return check.kind is CheckKind.VERDICT or (
            self.strict and check.kind is CheckKind.CONFORMANCE)

    @property
    def authentic(self) -> bool:
        """True only when there are authenticity checks and every one of them passed."""
        verdicts = [check for check in self.checks if check.kind is CheckKind.VERDICT]
        return bool(verdicts) and all(check.ok is True for check in verdicts)

    @property
    def attested(self) -> bool:
        """Whether what the credential states is its issuer's word: it verified, or its
        signature and issuer held (``issuer`` passes only after the proof verified) though
        another check failed it — a revoked or expired credential was still issued as it
        reads. Only then may a page set marks of trust beside it (the issuer's listing in a
        trusted registry, the programme's recognition and badge): beside a credential changed
        after signing, or one nobody is known to have signed, they would vouch for claims."""
        issuer = self.check("issuer")
        return self.ok or (issuer is not None and issuer.passed)

    @property
    def conformant(self) -> bool | None:
        """Every conformance check passed; ``None`` when no conformance rule applied."""
        rules = [check for check in self.checks if check.kind is CheckKind.CONFORMANCE]
        if not rules:
            return None
        return all(check.ok is True for check in rules)

    @property
    def ok(self) -> bool:
        """Verified: authentic and, under the ``strict`` policy, conformant."""
        return self.authentic and (not self.strict or self.conformant is not False)

    @property
    def decision(self) -> Decision:
        """Verified, not verified (a deciding check failed), or could not be checked (none
        failed, but one that decides was not decided)."""
        if self.ok:
            return Decision.VERIFIED
        if self.failed or not any(self.decides(check) for check in self.checks):
            return Decision.NOT_VERIFIED
        return Decision.UNDECIDED

    @property
    def undecided(self) -> tuple[Check, ...]:
        """The deciding checks that were undecided because something was out of reach."""
        return tuple(check for check in self.checks
                     if check.undecided and self.decides(check))

    @property
    def failed(self) -> tuple[Check, ...]:
        """The checks that failed and, under this policy, fail the verdict."""
        return tuple(check for check in self.checks if check.failed and self.decides(check))

    @property
    def errors(self) -> tuple[Check, ...]:
        """Why the credential is not verified: the failed checks that decide, and those not
        decided because of them (VC-API ``errors``)."""
        return tuple(check for check in self.checks
                     if (check.failed or check.skipped) and self.decides(check))

    @property
    def findings(self) -> tuple[Check, ...]:
        """Failed conformance checks that do not fail the verdict (not ``strict``): reported
        as warnings."""
        return tuple(check for check in self.checks
                     if check.failed and check.kind is CheckKind.CONFORMANCE
                     and not self.decides(check))

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
        """A VC-API-shaped result: ``verified``, ``checks``, ``errors``, ``warnings``, plus
        ``outcome`` (:class:`Decision`), ``authentic``, ``conformant``, ``strict`` and
        ``meaning``.

        ``errors`` holds the failed checks that decide the verdict and, when one was not
        decided, the skipped ones (so an unverified result always says why; an undecided one
        with ``"outcome": "could-not-be-checked"`` and what was ``missing``); ``warnings``
        holds the conformance findings that do not (not ``strict``), then every notice.
        """
        return {
            "verified": self.ok,
            "outcome": self.decision.value,
            "authentic": self.authentic,
            "conformant": self.conformant,
            "strict": self.strict,
            "checks": [check.to_dict() for check in self.checks],
            "errors": [check.problem() for check in self.errors],
            "warnings": [*(check.problem() for check in self.findings),
                         *(notice.to_dict(name) for name, notice in self.warnings)],
            "meaning": self.meaning.to_dict() if self.meaning is not None else None,
        }


def _title(check: str, language: str = "en") -> str:
    titles = CHECK_TITLES.get(check)
    if titles is None:
        return check
    return titles[1] if language == "ja" else titles[0]


def _json(value: Any) -> Any:
    """A JSON-ready copy: mappings become dicts, tuples lists, other values stay."""
    # The types a document read from JSON holds are told by their type first: an
    # ``isinstance`` against ``Mapping`` asks the ABC machinery, and a verification report
    # copies some fifty values (its descriptors, the registry's record of the achievement).
    kind = type(value)
    if kind is str or kind is bool or kind is int or kind is float or value is None:
        return value
    if kind is dict:
        return {key if type(key) is str else str(key): _json(item)
                for key, item in value.items()}
    if kind is list or kind is tuple:
        return [_json(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    return value
