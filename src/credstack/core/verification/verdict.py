"""A verdict a person can read: who earned what from whom, and, in plain words, what is wrong.

The verification page and ``credstack verify`` open with the same headline, made here from the
:class:`~credstack.core.verification.report.VerificationReport` alone (a pure function:
:func:`verdict_of`):

* the **outcome** — verified; verified with warnings (authentic, but it breaks Open Badges
  3.0 shape rules: see the verdict policy in :mod:`credstack.core.verification.report`);
  not verified (something about it is proven wrong); or could not be checked (nothing is
  proven wrong, but a DID document, a status list, a context or a blockchain record it
  needs was out of reach: the reason says which, and how to get it);
* **who earned what from whom** — the learner's name, the achievement's and the issuer's, as
  the credential states them (the issuer's by the registry's record when the achievement is
  one of this registry's and the issuer is the organisation that registered it). A DID is
  never the name: it is kept apart (:attr:`Verdict.issuer_id`) for the detail. A credential
  whose issuer's signature does not verify only *claims* these, and the statement says so
  (an expired or revoked one was still signed by its issuer: what it states is so);
* **what is wrong**, plainly — "revoked by its issuer, as its status list showed on …",
  "expired on …", "not yet valid until …", "changed after signing" — one :class:`Reason` per
  check that failed the verdict, and, for a credential verified with warnings, one per
  conformance finding. Reasons are plain sentences: the check codes, DIDs, URLs and
  exception texts stay in the report's checks (the details a page or the CLI shows apart).

Nothing here is worded: a reason and a statement are what is said
(:class:`~credstack.core.said.Said`: a message key, ``verification.reason.expired``, and its
parameters, the day a date), and the entrypoint that shows them words them from its
catalogues in the reader's language (:mod:`credstack.words`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from credstack.core import vocabularies
from credstack.core.certificates.models import PDF_CHECK_TITLES
from credstack.core.credentials.openbadges_v3 import learner_name
from credstack.core.said import Named, Said, Words
from credstack.core.verification.report import (
    CHECK_TITLES,
    Check,
    Decision,
    VerificationReport,
)

__all__ = ["Outcome", "Reason", "Verdict", "untrusted", "verdict_of"]

#: The language tag of a name whose language is not stated.
_UNDETERMINED: Final = "und"


class Outcome(StrEnum):
    VERIFIED = "verified"
    #: Authentic, with conformance findings that do not fail the verdict (not ``strict``).
    WITH_WARNINGS = "verified-with-warnings"
    #: Something about it is proven wrong: tampered, revoked, expired, not a credential …
    NOT_VERIFIED = "not-verified"
    #: Nothing is proven wrong, but something it needs was out of reach.
    UNDECIDED = "could-not-be-checked"

    @property
    def trusted(self) -> bool:
        """Whether a credential with this outcome may be relied on (verified, with or
        without warnings)."""
        return self in {Outcome.VERIFIED, Outcome.WITH_WARNINGS}


@dataclass(frozen=True, slots=True)
class Reason:
    """One thing wrong with the credential, as the message that says it in plain words;
    ``code`` says which (``revoked``, ``expired``, ``altered`` … or the failed check's own
    code)."""

    check: str
    code: str
    said: Said


@dataclass(frozen=True, slots=True)
class Verdict:
    """The headline of one verification: the outcome, who earned what from whom, and why."""

    outcome: Outcome
    #: The learner's names as stated, one per script (see :func:`learner_name`).
    learner_names: tuple[str, ...] = ()
    #: The achievement's name by language (``und``: the language is not stated).
    achievement: Mapping[str, str] = field(default_factory=dict)
    #: The issuer's name by language (``und``: the language is not stated).
    issuer: Mapping[str, str] = field(default_factory=dict)
    #: The issuer's identifier (a DID or URL): a detail, never the name.
    issuer_id: str | None = None
    #: Why it is not verified; or, verified with warnings, the conformance findings.
    reasons: tuple[Reason, ...] = ()
    #: Whether its issuer's signature verified (what it states is the issuer's word), even
    #: if the credential is not verified (expired, revoked …).
    signed: bool = False

    @property
    def verified(self) -> bool:
        return self.outcome.trusted

    @property
    def attested(self) -> bool:
        """Whether what it states is its issuer's word (verified, or signed by its issuer
        and failed on another check): only then may marks of trust be set beside it (see
        :attr:`~credstack.core.verification.report.VerificationReport.attested`)."""
        return self.verified or self.signed

    def title(self, language: str) -> str:
        """``Verified`` / ``Verified, with warnings`` / ``Not verified`` / ``Could not be
        checked``."""
        return vocabularies.name("verification-outcome", self.outcome.value, language) or (
            self.outcome.value)

    def learner(self, language: str) -> str | None:
        return learner_name(self.learner_names, language)

    def achievement_name(self, language: str) -> str | None:
        return _in(self.achievement, language)

    def issuer_name(self, language: str) -> str | None:
        return _in(self.issuer, language)

    def statement(self, language: str) -> Said | None:
        """Who earned what from whom — or, when not verified, who it *claims* earned it —
        with the names as they are written in ``language``; ``None`` when the credential
        names none of them."""
        learner, achievement = self.learner(language), self.achievement_name(language)
        issuer = self.issuer_name(language)
        if learner is None and achievement is None and issuer is None:
            return None
        claimed = not (self.verified or self.signed)
        key = "verification.statement.{}{}{}".format(
            "claimed" if claimed else "awarded", "_achievement" if achievement else "",
            "_learner" if learner else "")
        by: str | Said = issuer or Said("verification.statement.unnamed_issuer")
        return Said(key, **({"achievement": achievement} if achievement else {}),
                    **({"learner": learner} if learner else {}), issuer=by)

    def to_dict(self, words: Words) -> dict[str, Any]:
        """The verdict as JSON, its words in Japanese and English (``words``: the
        entrypoint's catalogues)."""
        return {
            "outcome": self.outcome.value,
            "title": {"en": self.title("en"), "ja": self.title("ja")},
            "statement": {language: (words(said, language) if said is not None else None)
                          for language in ("en", "ja")
                          for said in (self.statement(language),)},
            "learner": list(self.learner_names),
            "achievement": dict(self.achievement),
            "issuer": {"names": dict(self.issuer), "id": self.issuer_id},
            "signed": self.signed,
            "reasons": [{"check": r.check, "code": r.code, "en": words(r.said, "en"),
                         "ja": words(r.said, "ja")} for r in self.reasons],
        }


def _in(names: Mapping[str, str], language: str) -> str | None:
    """The name in ``language``, else the one of no stated language, else English, else
    any."""
    for tag in (language, _UNDETERMINED, "en"):
        if names.get(tag):
            return names[tag]
    return next((name for name in names.values() if name), None)


# --- reading the report --------------------------------------------------------------------

def _names(value: object) -> dict[str, str]:
    """A name as the credential or the registry states it: a string (language not stated) or
    a language map."""
    if isinstance(value, str) and value.strip():
        return {_UNDETERMINED: value.strip()}
    if isinstance(value, Mapping):
        return {str(tag): text.strip() for tag, text in value.items()
                if isinstance(text, str) and text.strip()}
    return {}


def _moment(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def _day(moment: dt.datetime) -> dt.date:
    """The day of ``moment`` (in UTC when it states a time zone)."""
    return (moment.astimezone(dt.UTC) if moment.tzinfo is not None else moment).date()


def _checked_on(report: VerificationReport) -> dt.datetime | None:
    """When the verification ran, as the validity check states it."""
    validity = report.check("validity")
    return _moment(validity.details.get("now")) if validity is not None else None


def _bound(check: Check, names: tuple[str, str]) -> dt.datetime | None:
    for name in names:
        moment = _moment(check.details.get(name))
        if moment is not None:
            return moment
    return None


def _title(check: Check) -> Named | str:
    """The check's title: a value of the checks' vocabulary (a PDF's checks have their own);
    a check neither names, its name."""
    if check.name in CHECK_TITLES:
        return Named("verification-check", check.name)
    if check.name in PDF_CHECK_TITLES:
        return Named("pdf-check", check.name)
    return check.name


#: The rules a conformance check holds a credential to, by the check.
_RULES: Final[Mapping[str, str]] = {"open-badges": "open_badges", "elm-shapes": "elm_shapes",
                                    "credential-schema": "json_schema"}
#: The failed checks whose reason is that the credential changed after signing.
_ALTERED: Final = frozenset({("proof", "signature"), ("pdf-signature", "signature"),
                             ("pdf-signature", "altered"),
                             ("pdf-signature", "modified-after-signing")})


def _reason(check: Check, report: VerificationReport) -> Reason:
    """What the failed ``check`` means, in plain words."""
    code = check.code or check.name

    def said(key: str, what: str = code, **params: Any) -> Reason:
        return Reason(check.name, what, Said(f"verification.reason.{key}", **params))

    if check.name == "status" and code in {"revoked", "suspended"}:
        checked = _checked_on(report)
        if checked is None:
            return said(code)
        return said(f"{code}_on", day=_day(checked))
    if check.name == "status":
        return said("status_unusable")
    if check.name == "validity" and code == "expired":
        end = _bound(check, ("validUntil", "expirationDate"))
        if end is not None:
            return said("expired", day=_day(end))
    if check.name == "validity" and code == "not-yet-valid":
        start = _bound(check, ("validFrom", "issuanceDate"))
        if start is not None:
            return said("not_yet_valid", day=_day(start))
    if (check.name, code) in _ALTERED:
        return said("altered", "altered")
    if check.name == "proof" and code == "missing-proof":
        return said("not_signed")
    if check.name == "proof" and code == "unresolvable-method":
        return said("unpublished_key")
    if check.name == "issuer" and code == "issuer-mismatch":
        # The proof check passed: what is wrong is who signed, not what was signed.
        return said("issuer_mismatch")
    if check.name in _RULES:
        problems = [p for p in check.details.get("problems", ()) if isinstance(p, Mapping)]
        if problems:
            rules = Said(f"verification.rules.{_RULES[check.name]}")
            first = f"{problems[0].get('location')}: {problems[0].get('message')}"
            more = len(problems) - 1
            if more:
                return said("rules_broken_more", rules=rules, first=first, more=more)
            return said("rules_broken", rules=rules, first=first)
    plain = _PLAIN.get((check.name, code)) or _PLAIN.get((check.name, ""))
    if plain is not None:
        return said(plain)
    return said("check_failed", title=_title(check))


#: What a failed check means in plain words, by (check, code); ``(check, "")`` for any other
#: code of that check: the key of its message (``verification.reason.<key>``). The technical
#: reason stays in the check (the details).
_PLAIN: Final[Mapping[tuple[str, str], str]] = {
    ("parse", ""): "unreadable",
    ("data-model", ""): "malformed",
    ("contexts", ""): "unsafe_contexts",
    ("proof", "unsupported-proof"): "unsupported_proof",
    ("proof", "undefined-term"): "undefined_term",
    ("proof", "proof-expired"): "proof_expired",
    ("proof", "base-proof"): "base_proof",
    ("proof", "unsecured-jwt"): "not_signed",
    ("proof", "disclosure"): "disclosure",
    ("proof", "key-binding"): "key_binding",
    ("proof", ""): "malformed_proof",
    ("proof", "unsealed"): "unsealed",
    ("parse", "jades-b64"): "jades_b64",
    ("issuer", "certificate-expired-at-signing"): "certificate_expired_at_signing",
    ("issuer", "untrusted-seal"): "untrusted_seal",
    ("contexts", "context-clash"): "context_clash",
    ("issuer", ""): "not_the_issuer",
    ("validity", ""): "bad_dates",
}


def _undecided(check: Check) -> Reason:
    """Why the undecided ``check`` could not be checked, and how to get what is missing: the
    message ``verification.undecided.<what>`` for what no server fetches (a blockchain
    record, a trust list, a context); else ``verification.undecided[.status].<why>`` of the
    thing missing (``verification.missing.<thing>[_at]``, ``_at`` naming its host)."""
    missing = check.missing
    assert missing is not None
    host = missing.host
    code = check.code or check.name

    def said(key: str, **params: Any) -> Reason:
        return Reason(check.name, code, Said(f"verification.undecided.{key}", **params))

    if missing.what in {"blockchain", "trust-list", "context"}:
        return said(missing.what.replace("-", "_"))
    status = check.name == "status" or missing.what == "status-list"
    if status:
        thing = "status_key" if missing.what == "key" else "status_list"
    else:
        thing = "document" if missing.what == "document" else "key"
    at = {"host": host} if host else {}
    if missing.why in {"offline", "not-allowed", "not-found", "unsupported", "unreadable"}:
        why = missing.why.replace("-", "_")
        if status:
            return said(f"status.{why}", thing=Said(f"verification.missing.{thing}"
                                                    f"{'_at' if host else ''}", **at))
        # The thing missing opens the sentence but where the server may not fetch it.
        start = "" if missing.why == "not-allowed" else "_start"
        return said(why, thing=Said(f"verification.missing.{thing}{'_at' if host else ''}"
                                    f"{start}", **at))
    # Unreachable, or a server's error.
    if status:
        return said(f"status.unreachable{'_at' if host else ''}",
                    thing=Said(f"verification.missing.{thing}"), **at)
    return said(f"{thing}_unreachable{'_at' if host else ''}", **at)


def _issuer(report: VerificationReport) -> dict[str, str]:
    """The issuer's names: the registry's, when the achievement is one of this registry's and
    the issuer is the organisation that registered it; else the deployment's, when the issuer
    is one of its organisations (a credit recognition, which is no programme of the
    registry); else the credential's."""
    meaning = report.meaning
    if meaning is None:
        return {}
    registry = meaning.registry or {}
    if meaning.issuer_id is not None and registry.get("organisation_did") == meaning.issuer_id:
        registered = _names(registry.get("organisation_name"))
        if registered:
            return registered
    return _names(meaning.issuer_names) or _names(meaning.issuer_name)


def _achievement(report: VerificationReport) -> dict[str, str]:
    """The achievement's names: every language of the credstack extension's title, else the
    Open Badges ``name``."""
    meaning = report.meaning
    if meaning is None:
        return {}
    title = _names((meaning.descriptors or {}).get("title"))
    return title or _names(meaning.achievement_name)


def verdict_of(report: VerificationReport) -> Verdict:
    """The headline of ``report``: its outcome, who earned what from whom, and why not."""
    decision = report.decision
    if decision is Decision.UNDECIDED:
        outcome = Outcome.UNDECIDED
        reasons = (tuple(dict.fromkeys(_undecided(check) for check in report.undecided))
                   or tuple(_reason(check, report) for check in report.errors))
    elif decision is Decision.NOT_VERIFIED:
        outcome = Outcome.NOT_VERIFIED
        failed = report.failed or report.errors
        reasons = tuple(dict.fromkeys(_reason(check, report) for check in failed))
    elif report.findings:
        outcome = Outcome.WITH_WARNINGS
        reasons = tuple(_reason(check, report) for check in report.findings)
    else:
        outcome, reasons = Outcome.VERIFIED, ()
    meaning = report.meaning
    issuer = report.check("issuer")
    return Verdict(outcome=outcome,
                   learner_names=meaning.learner_names if meaning is not None else (),
                   achievement=_achievement(report), issuer=_issuer(report),
                   issuer_id=meaning.issuer_id if meaning is not None else None,
                   reasons=reasons, signed=issuer is not None and issuer.passed)


def untrusted(verdict: Verdict, *, state: str) -> Verdict:
    """``verdict`` where the operator relies only on issuers a trusted registry lists
    (``CREDSTACK_REQUIRE_TRUSTED``) and this one's is not listed (``state``): a verified
    credential is not verified, or could not be checked when a registry could not be read
    (``unknown``). Any other verdict stands as it is."""
    if not verdict.verified or state == "listed":
        return verdict
    outcome = Outcome.UNDECIDED if state == "unknown" else Outcome.NOT_VERIFIED
    return dataclasses.replace(verdict, outcome=outcome, reasons=(
        Reason("trust", state, Said(f"verification.reason.trust.{state}")),))
