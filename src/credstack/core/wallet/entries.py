"""What one credential adds to a learner's record, and what the record adds up to.

An :class:`Entry` is read from the credential's verification report (its *meaning*: the
achievement, its descriptors, its registry record) and from the credential itself (its
dates): title by language, issuer, when it was issued and until when it is valid, hours,
credits in each credit system, levels, learning outcomes and fields of study. Entries are
stored with the credential (as :meth:`Entry.to_dict`) so that the timeline of a large wallet
is read, not recomputed.

:func:`totals_of` adds up the entries that count: hours, credits by credit system (単位,
ECTS … are never converted into one another: the conversion is a credit bank's decision,
not the record's), and, by field of study, how many credentials and hours.

A credit recognition (a credit bank's approved decision, ``achievementType``
``ext:CreditRecognition``: :mod:`credstack.core.creditbank.recognised`) is an entry of its
own kind, :attr:`Entry.credit`: the credits recognised toward a programme, not a programme
completed. It adds no credential, hours or credits to the totals (the credits it recognises
are those of credentials the record holds already); the totals count it apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Final

from credstack.core.credentials.openbadges_v3.profile import CREDIT_RECOGNITION_TYPE
from credstack.core.descriptors.achievement import EXTENSION_PROPERTY
from credstack.core.elm.summary import EdcSummary
from credstack.core.verification.json_values import instant
from credstack.core.verification.report import Check, Meaning, VerificationReport
from credstack.core.verification.skills import Skill, skills_of

__all__ = ["CreditRecognised", "Entry", "RecordPart", "Summary", "Totals", "edc_entry",
           "entry_of", "parts_of", "recognition_in", "stated_grade", "totals_of"]

#: The outcome of a recognition granted with conditions (the review's decision).
CONDITIONAL_OUTCOME: Final = "recognised-with-conditions"
#: The language tag of a title whose language is not stated.
UNDETERMINED: Final = "und"

#: Where formats state when a credential was issued, and until when it is valid.
_ISSUED: Final = ("validFrom", "issuanceDate", "awardedDate", "issuedOn")
_EXPIRES: Final = ("validUntil", "expirationDate", "expires")


@dataclass(frozen=True, slots=True)
class RecordPart:
    """One credential a learner record (a CLR) bundles: its achievement's title by language,
    who issued it, and whether it verified on its own (``None``: could not be checked)."""

    title: Mapping[str, str]
    issuer_name: str | None
    verified: bool | None

    def title_in(self, language: str) -> str | None:
        return self.title.get(language) or next(iter(self.title.values()), None)

    def to_dict(self) -> dict[str, Any]:
        return {"title": dict(self.title), "issuer_name": self.issuer_name,
                "verified": self.verified}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RecordPart:
        return cls(dict(data.get("title") or {}), data.get("issuer_name"), data.get("verified"))


@dataclass(frozen=True, slots=True)
class CreditRecognised:
    """What a credit recognition states: the credits ``granted`` toward a programme of
    ``total`` credits, in the credit ``system`` (``None`` when it does not say)."""

    granted: Decimal
    total: Decimal | None
    system: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"granted": str(self.granted),
                "total": str(self.total) if self.total is not None else None,
                "system": self.system}

    @classmethod
    def from_dict(cls, data: object) -> CreditRecognised | None:
        """What :meth:`to_dict` wrote; ``None`` for anything else (an entry of before)."""
        if not isinstance(data, Mapping):
            return None
        granted = _decimal(data.get("granted"))
        system = data.get("system")
        return None if granted is None else cls(granted, _decimal(data.get("total")),
                                                system if isinstance(system, str) else None)


@dataclass(frozen=True, slots=True)
class Entry:
    """One credential in the record (see the module docstring)."""

    title: Mapping[str, str] = field(default_factory=dict)
    issuer_id: str | None = None
    issuer_name: str | None = None
    #: The issuer's names by language, when the registry knows them (the issuer is the
    #: organisation that registered the achievement): ``{"ja": …, "en": …}``.
    issuer_names: Mapping[str, str] = field(default_factory=dict)
    achievement_id: str | None = None
    achievement_type: str | None = None
    issued: dt.datetime | None = None
    expires: dt.datetime | None = None
    hours: Decimal | None = None
    #: (credit system, amount), as the descriptors state them.
    credits: tuple[tuple[str, Decimal], ...] = ()
    #: (framework, level).
    levels: tuple[tuple[str, int], ...] = ()
    #: Each outcome's statement by language.
    outcomes: tuple[Mapping[str, str], ...] = ()
    #: The grade the credential states (its subject's first ``result`` with a value).
    grade: str | None = None
    fields: tuple[str, ...] = ()
    is_micro_credential: bool | None = None
    #: The programme's page in this registry, when the achievement is one of its programmes.
    programme_url: str | None = None
    #: The recognition of the programme at the latest check (``valid``, ``withdrawn``,
    #: ``expired``, ``not-yet-valid``, ``invalid``, ``none``: the ``recognition`` check's
    #: status; ``conditional`` for ``valid`` when each recognition in force has conditions);
    #: ``None`` when the achievement is not a programme of this registry.
    recognition: str | None = None
    #: The skills it states: the descriptors' and the Open Badges alignments (issue 17),
    #: each with its name by language and, when it says, its URL (a framework item's URI).
    skills: tuple[Skill, ...] = ()
    #: A learner record's (a CLR's) credentials, in its order; empty for a credential.
    parts: tuple[RecordPart, ...] = ()
    #: Whether it is a learner record (a CLR) rather than one credential.
    is_record: bool = False
    #: What a credit recognition recognised; ``None`` for any other credential.
    credit: CreditRecognised | None = None

    def title_in(self, language: str) -> str | None:
        """The title in ``language``, else in any language, else None."""
        return self.title.get(language) or next(iter(self.title.values()), None)

    def issuer_in(self, language: str) -> str | None:
        """The issuer's name in ``language`` when the registry knows it, else the name the
        credential states, else the registry's name in any language."""
        return (self.issuer_names.get(language) or self.issuer_name
                or next(iter(self.issuer_names.values()), None))

    def expired(self, now: dt.datetime) -> bool:
        return self.expires is not None and self.expires <= now

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": dict(self.title), "issuer": {"id": self.issuer_id,
                                                  "name": self.issuer_name,
                                                  "names": dict(self.issuer_names)},
            "achievement": {"id": self.achievement_id, "type": self.achievement_type},
            "issued": _stamp(self.issued), "expires": _stamp(self.expires),
            "hours": str(self.hours) if self.hours is not None else None,
            "credits": [{"system": system, "value": str(value)}
                        for system, value in self.credits],
            "levels": [{"framework": framework, "level": level}
                       for framework, level in self.levels],
            "outcomes": [dict(outcome) for outcome in self.outcomes],
            "grade": self.grade,
            "fields": list(self.fields),
            "is_micro_credential": self.is_micro_credential,
            "programme_url": self.programme_url,
            "recognition": self.recognition,
            "skills": [skill.to_dict() for skill in self.skills],
            "record": self.is_record,
            **({"parts": [part.to_dict() for part in self.parts]} if self.is_record else {}),
            "credit_recognised": self.credit.to_dict() if self.credit is not None else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Entry:
        """The entry :meth:`to_dict` wrote."""
        issuer, achievement = data.get("issuer") or {}, data.get("achievement") or {}
        return cls(
            title=dict(data.get("title") or {}), issuer_id=issuer.get("id"),
            issuer_name=issuer.get("name"), issuer_names=dict(issuer.get("names") or {}),
            achievement_id=achievement.get("id"),
            achievement_type=achievement.get("type"),
            issued=_when(data.get("issued")), expires=_when(data.get("expires")),
            hours=_decimal(data.get("hours")),
            credits=tuple((item["system"], Decimal(item["value"]))
                          for item in data.get("credits") or ()),
            levels=tuple((item["framework"], int(item["level"]))
                         for item in data.get("levels") or ()),
            outcomes=tuple(data.get("outcomes") or ()),
            grade=data.get("grade") if isinstance(data.get("grade"), str) else None,
            fields=tuple(data.get("fields") or ()),
            is_micro_credential=data.get("is_micro_credential"),
            programme_url=data.get("programme_url"), recognition=data.get("recognition"),
            skills=tuple(Skill(dict(item.get("name") or {}), item.get("url"),
                               item.get("framework"))
                         for item in data.get("skills") or () if isinstance(item, Mapping)),
            parts=tuple(RecordPart.from_dict(item) for item in data.get("parts") or ()
                        if isinstance(item, Mapping)),
            is_record=data.get("record") is True,
            credit=CreditRecognised.from_dict(data.get("credit_recognised")))


@dataclass(frozen=True, slots=True)
class Summary:
    """What the record's order and totals need of an entry: when it was issued and until
    when it is valid, its hours, credits and fields (a page of a long record reads these of
    every entry, and whole entries of the page's alone)."""

    issued: dt.datetime | None
    expires: dt.datetime | None
    hours: Decimal | None
    credits: tuple[tuple[str, Decimal], ...]
    fields: tuple[str, ...]
    #: A learner record (a CLR), which :func:`totals_of` does not count as a credential.
    is_record: bool = False
    #: What a credit recognition recognised, which :func:`totals_of` counts apart.
    credit: CreditRecognised | None = None

    #: The members of :meth:`Entry.to_dict` it is read from, in :meth:`from_members`' order.
    MEMBERS: ClassVar[tuple[str, ...]] = ("issued", "expires", "hours", "credits", "fields",
                                          "record", "credit_recognised")

    @classmethod
    def from_members(cls, members: Sequence[Any]) -> Summary:
        """The summary of the stored entry whose :data:`MEMBERS` are ``members``."""
        issued, expires, hours, credits, fields, record, credit = members
        return cls(_when(issued), _when(expires), _decimal(hours),
                   tuple((item["system"], Decimal(item["value"])) for item in credits or ()),
                   tuple(fields or ()), record is True, CreditRecognised.from_dict(credit))

    def expired(self, now: dt.datetime) -> bool:
        return self.expires is not None and self.expires <= now


def _stamp(moment: dt.datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None


def _when(value: object) -> dt.datetime | None:
    """A stamp :func:`_stamp` wrote (ISO 8601 with its zone), read by the standard library's
    C parser (a thirtieth of the XML Schema reader's time, which a record of a thousand
    entries feels); anything else as an XML Schema date-time."""
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return instant(value)
        if moment.tzinfo is not None:
            return moment
    return instant(value)


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


def _texts(value: object) -> dict[str, str]:
    """A multilingual text ({language: text}), or a plain string (language unstated)."""
    if isinstance(value, str) and value.strip():
        return {UNDETERMINED: value.strip()}
    if isinstance(value, Mapping):
        return {str(language): text.strip() for language, text in value.items()
                if isinstance(text, str) and text.strip()}
    return {}


def _date(document: Mapping[str, Any], names: tuple[str, ...]) -> dt.datetime | None:
    for name in names:
        found = instant(document.get(name), require_zone=False)
        if found is not None:
            return found
        value = document.get(name)
        if isinstance(value, str) and len(value) == 10:
            # An Open Badges 2.0 date may be a date alone.
            found = instant(f"{value}T00:00:00Z")
            if found is not None:
                return found
    return None


def _claim_date(document: Mapping[str, Any], name: str) -> dt.datetime | None:
    value = document.get(name)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return dt.datetime.fromtimestamp(value, dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return None


def _dates(document: Mapping[str, Any] | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    if document is None:
        return None, None
    vc = document.get("vc")
    body = vc if isinstance(vc, Mapping) else document
    issued = _date(body, _ISSUED) or _claim_date(document, "nbf") or _claim_date(document, "iat")
    expires = _date(body, _EXPIRES) or _claim_date(document, "exp")
    return issued, expires


def stated_grade(document: Mapping[str, Any] | None) -> str | None:
    """The grade the credential states: the value of its subject's first ``result`` that
    has one (Open Badges 3.0 ``Result``)."""
    if document is None:
        return None
    vc = document.get("vc")
    subject = (vc if isinstance(vc, Mapping) else document).get("credentialSubject")
    if isinstance(subject, list) and subject:
        subject = subject[0]
    results = subject.get("result") if isinstance(subject, Mapping) else None
    for result in results if isinstance(results, list) else ():
        value = result.get("value") if isinstance(result, Mapping) else None
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def recognition_in(report: VerificationReport) -> str | None:
    """The recognition status the report's ``recognition`` check found (see
    :attr:`Entry.recognition`); ``None`` when it did not run, or when the credential is not
    its issuer's word (:attr:`VerificationReport.attested`): the programme it names is then
    only a claim, and its recognition would vouch for it."""
    check = report.check("recognition")
    if check is None or not report.attested:
        return None
    status = check.details.get("status")
    if status == "valid":
        # In force with conditions only, when no recognition in force is unconditional.
        found = check.details.get("recognitions")
        outcomes = {item.get("outcome") for item in found if isinstance(item, Mapping)
                    and item.get("status") == "valid"} if isinstance(found, list) else set()
        if outcomes == {CONDITIONAL_OUTCOME}:
            return "conditional"
    return status if isinstance(status, str) else check.code


def _part(check: Check) -> RecordPart | None:
    report = check.details.get("report")
    meaning = report.get("meaning") if isinstance(report, Mapping) else None
    if not isinstance(meaning, Mapping):
        return RecordPart({}, None, check.ok) if isinstance(report, Mapping) else None
    descriptors = meaning.get("descriptors") or {}
    registry = meaning.get("registry") or {}
    achievement = meaning.get("achievement") or {}
    issuer = meaning.get("issuer") or {}
    title = (_texts(descriptors.get("title")) or _texts(registry.get("title"))
             or _texts(achievement.get("name")))
    name = issuer.get("name")
    return RecordPart(title, name if isinstance(name, str) else None, check.ok)


def parts_of(report: VerificationReport) -> tuple[RecordPart, ...]:
    """The credentials a learner record's (a CLR's) report verified one by one (its
    ``credential[i]`` checks), in order; empty for any other report."""
    found = (_part(check) for check in report.checks
             if check.name.startswith("credential[") and isinstance(check.details, Mapping))
    return tuple(part for part in found if part is not None)


def _issuer(document: Mapping[str, Any]) -> tuple[str | None, str | None]:
    issuer = document.get("issuer")
    if isinstance(issuer, str):
        return issuer, None
    if not isinstance(issuer, Mapping):
        return None, None
    identifier, name = issuer.get("id"), issuer.get("name")
    return (identifier if isinstance(identifier, str) else None,
            name if isinstance(name, str) and name.strip() else None)


def _registered_issuer(issuer_id: str | None, registry: Mapping[str, Any]) -> dict[str, str]:
    """The registry's names of the issuer by language, when the issuer is the organisation
    that registered the achievement (else none: the deployment's names of its own
    organisation, or the credential's own name, stand)."""
    if issuer_id is None or registry.get("organisation_did") != issuer_id:
        return {}
    return _texts(registry.get("organisation_name"))


def entry_of(meaning: Meaning | None, document: Mapping[str, Any] | None, *,
             recognition: str | None = None, parts: Sequence[RecordPart] | None = None
             ) -> Entry:
    """The record entry of a credential: ``meaning`` from its verification report,
    ``document`` the credential as JSON (or a VC-JWT's claims; ``None`` when unreadable),
    ``recognition`` what :func:`recognition_in` found in the report; ``parts`` for a learner
    record (a CLR: what :func:`parts_of` found), which has no meaning of its own."""
    issued, expires = _dates(document)
    if meaning is None:
        name = document.get("name") if document is not None else None
        issuer_id, issuer_name = _issuer(document) if document is not None else (None, None)
        return Entry(title=_texts(name), issuer_id=issuer_id, issuer_name=issuer_name,
                     issued=issued, expires=expires, recognition=recognition,
                     parts=tuple(parts or ()), is_record=parts is not None)
    descriptors = meaning.descriptors or {}
    registry = meaning.registry or {}
    title = (_texts(descriptors.get("title")) or _texts(registry.get("title"))
             or _texts(meaning.achievement_name))
    if not title and document is not None:
        title = _texts(document.get("name"))
    effort = descriptors.get("learner_effort")
    effort = effort if isinstance(effort, Mapping) else {}
    credits = []
    for item in effort.get("credits") or ():
        amount = _decimal(item.get("value")) if isinstance(item, Mapping) else None
        if amount is not None and isinstance(item.get("system"), str):
            credits.append((item["system"], amount))
    levels = [(item["framework"], item["level"]) for item in descriptors.get("levels") or ()
              if isinstance(item, Mapping) and isinstance(item.get("framework"), str)
              and isinstance(item.get("level"), int)]
    outcomes = [_texts(item.get("statement")) for item in
                descriptors.get("learning_outcomes") or () if isinstance(item, Mapping)]
    page = registry.get("page_url")
    credit = (_credit_recognised(document)
              if meaning.achievement_type == CREDIT_RECOGNITION_TYPE else None)
    return Entry(
        title=title, issuer_id=meaning.issuer_id, issuer_name=meaning.issuer_name,
        issuer_names=(_registered_issuer(meaning.issuer_id, registry)
                      or _texts(meaning.issuer_names)),
        achievement_id=meaning.achievement_id, achievement_type=meaning.achievement_type,
        issued=issued, expires=expires, hours=_decimal(effort.get("hours")),
        credits=tuple(credits), levels=tuple(levels),
        outcomes=tuple(outcome for outcome in outcomes if outcome),
        grade=stated_grade(document),
        fields=tuple(item for item in descriptors.get("fields") or ()
                     if isinstance(item, str)),
        is_micro_credential=meaning.is_micro_credential,
        programme_url=page if isinstance(page, str) else None, recognition=recognition,
        skills=skills_of(descriptors, document), credit=credit)


def _credit_recognised(document: Mapping[str, Any] | None) -> CreditRecognised | None:
    """What a credit recognition states: the subject's ``creditsEarned``, its achievement's
    ``creditsAvailable`` and the extension's ``creditsAvailableSystem``; a recognition that
    states no credits earned recognised none."""
    vc = document.get("vc") if document is not None else None
    body = vc if isinstance(vc, Mapping) else document
    subject = body.get("credentialSubject") if body is not None else None
    if isinstance(subject, list):
        subject = subject[0] if subject else None
    if not isinstance(subject, Mapping):
        return CreditRecognised(Decimal(0), None, None)
    achievement = subject.get("achievement")
    achievement = achievement if isinstance(achievement, Mapping) else {}
    extension = achievement.get(EXTENSION_PROPERTY)
    system = extension.get("creditsAvailableSystem") if isinstance(extension, Mapping) else None
    return CreditRecognised(_decimal(subject.get("creditsEarned")) or Decimal(0),
                            _decimal(achievement.get("creditsAvailable")),
                            system if isinstance(system, str) else None)


def edc_entry(meaning: Meaning | None, document: Mapping[str, Any] | None,
              edc: EdcSummary) -> Entry:
    """The record entry of a European Digital Credential (ELM v3): its first claim's title,
    its ECTS credit points (the credit system ``ects``: other credit frameworks are not ones
    credstack converts), its EQF levels, its learning outcomes and their ESCO skills."""
    issued, expires = _dates(document)
    first = edc.claims[0] if edc.claims else None
    total = edc.ects()
    return Entry(
        title=dict(first.title or first.specification_title) if first else {},
        issuer_id=edc.issuer_id, issuer_name=meaning.issuer_name if meaning else None,
        achievement_type=first.kind if first else None, issued=issued, expires=expires,
        credits=(("ects", total),) if total > 0 else (),
        levels=tuple(("EQF", level) for level in edc.eqf_levels()),
        outcomes=tuple(dict(outcome.title) for claim in edc.claims
                       for outcome in claim.outcomes if outcome.title),
        skills=tuple({uri: Skill(dict(outcome.title), uri, "ESCO") for claim in edc.claims
                      for outcome in claim.outcomes for uri in outcome.esco_skills}.values()))


@dataclass(frozen=True, slots=True)
class FieldTotal:
    field: str
    count: int
    hours: Decimal


@dataclass(frozen=True, slots=True)
class Totals:
    """What the entries that count add up to."""

    count: int
    hours: Decimal
    #: Credits by credit system, in the order systems first appear.
    credits: tuple[tuple[str, Decimal], ...]
    by_field: tuple[FieldTotal, ...]
    #: Credit recognitions, counted apart from the credentials (see the module docstring).
    recognitions: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "hours": str(self.hours),
                "credits": [{"system": system, "value": str(value)}
                            for system, value in self.credits],
                "by_field": [{"field": item.field, "count": item.count,
                              "hours": str(item.hours)} for item in self.by_field],
                "credit_recognitions": self.recognitions}


def totals_of(entries: Iterable[Entry | Summary]) -> Totals:
    """The totals of ``entries`` (the caller passes only those that count: verified ones).
    A learner record (a CLR) is no credential of its own: it bundles credentials, which
    count when they are held themselves, so it adds nothing. A credit recognition is no
    programme completed: it is counted apart (:attr:`Totals.recognitions`), and adds no
    credential, hours or credits."""
    count, hours, recognitions = 0, Decimal(0), 0
    credits: dict[str, Decimal] = {}
    fields: dict[str, tuple[int, Decimal]] = {}
    for entry in entries:
        if entry.is_record:
            continue
        if entry.credit is not None:
            recognitions += 1
            continue
        count += 1
        hours += entry.hours or 0
        for system, value in entry.credits:
            credits[system] = credits.get(system, Decimal(0)) + value
        for name in entry.fields or ("other",):
            seen, spent = fields.get(name, (0, Decimal(0)))
            fields[name] = (seen + 1, spent + (entry.hours or 0))
    return Totals(count=count, hours=hours, credits=tuple(credits.items()),
                  by_field=tuple(FieldTotal(name, seen, spent) for name, (seen, spent)
                                 in sorted(fields.items(), key=lambda item: -item[1][0])),
                  recognitions=recognitions)
