"""Several credentials side by side: what an employer reads of each, in plain words.

An employer is handed several credentials at once — files, pasted text, a learner's
Verifiable Presentation or a wallet's share link — and wants one table: for each, whether it
verifies and, if not, why (revoked, expired, changed after signing, an issuer whose key cannot
be found …), then who issued what to whom, when, for how many hours and credits, at what
level, assessed how, whether a recognition body recognises the programme, and the skills it
states. This module makes that table's data from what verification already produced, with
no I/O of its own:

* :func:`column_of` — one credential: its :class:`~.verdict.Verdict` (outcome and reasons),
  its record :class:`~credstack.core.wallet.entries.Entry` (title, issuer, dates, hours,
  credits, levels, fields; the wallet's timeline reads the same), the assessment, the
  recognition the ``recognition`` check found, and its skills (the micro-credential
  descriptors' ``skills`` and the Open Badges ``alignment``);
* :func:`unusable` — an input that could not be verified at all (not a credential, too large,
  a share link that is gone): a column of its own that says which input and why, so that one
  bad file never loses the others;
* :func:`presentation_of` — the presentation's own checks (the holder's proof, the holder);
* :func:`split_pasted` — several credentials pasted into one box: JSON objects one after
  another (or a JSON array of them), VC-JWTs and addresses one per line.

What it says of an input (why it could not be verified, what failed of a presentation) is said
as a :class:`~credstack.core.said.Said` that the entrypoint words; :meth:`Comparison.to_dict`
is the JSON API's answer, in English and Japanese by the entrypoint's words.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from credstack.core.dates import day_in
from credstack.core.said import InLanguages, Named, Said, Words
from credstack.core.verification.presentations.report import PresentationReport
from credstack.core.verification.report import Check, VerificationReport
from credstack.core.verification.skills import Skill, skills_of
from credstack.core.verification.skills import texts_of as _texts
from credstack.core.verification.verdict import Verdict, verdict_of
from credstack.core.wallet.entries import Entry, entry_of
from credstack.core.wallet.sameness import credential_id

__all__ = ["MAX_PASTED_ITEMS", "Column", "Comparison", "PresentationSummary", "Recognition",
           "Skill", "column_of", "presentation_of", "presentation_reason", "reason_of",
           "split_pasted", "unusable"]

#: At most this many pieces are read from one pasted text (the service's own limit on the
#: number of credentials is lower; this only bounds the splitting).
MAX_PASTED_ITEMS: Final = 1_000


# --- the parts of a column ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recognition:
    """Whether a recognition body of this platform recognises the credential's programme.

    ``status``: ``valid``, ``withdrawn``, ``expired``, ``not-yet-valid``, ``invalid``,
    ``none`` (the registry knows the programme and records no recognition), ``unknown``
    (not a programme of this registry: nothing can be said here), or ``unverified`` (its
    issuer did not sign it as it reads: the programme it names is only a claim, and its
    recognition is not set beside it). ``bodies`` name who recognised it (by language);
    ``until`` is when the best recognition ends.
    """

    status: str
    bodies: tuple[Mapping[str, str], ...] = ()
    until: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "bodies": [dict(body) for body in self.bodies],
                "until": self.until.isoformat() if self.until else None}


@dataclass(frozen=True, slots=True)
class Assessment:
    """How the learning was assessed, as the descriptors state it (codes of the descriptor
    vocabularies: ``practical``, ``examination`` …; ``supervised-onsite-identity-check`` …)."""

    methods: tuple[str, ...] = ()
    supervision: str | None = None
    participation_only: bool = False
    description: Mapping[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.methods or self.supervision or self.participation_only
                    or self.description)

    def to_dict(self) -> dict[str, Any]:
        return {"methods": list(self.methods), "supervision": self.supervision,
                "participation_only": self.participation_only,
                "description": dict(self.description)}


@dataclass(frozen=True, slots=True)
class Column:
    """One credential of the comparison (or one input that could not be verified).

    ``label`` names where it came from as the employer gave it (a file's name, "pasted 2", a
    share link, a presentation's file); ``position`` is its place among what was given (1, 2
    …) and ``within`` its place inside a presentation or share link. An input that could not be
    verified has ``problem`` (which input, and why) and nothing else.
    """

    label: str
    position: int
    within: int | None = None
    source: str = "file"
    verdict: Verdict | None = None
    entry: Entry | None = None
    learner: tuple[str, ...] = ()
    assessment: Assessment = field(default_factory=Assessment)
    recognition: Recognition = field(default_factory=lambda: Recognition("unknown"))
    skills: tuple[Skill, ...] = ()
    #: The presentation it came in (an index into :attr:`Comparison.presentations`).
    presentation: int | None = None
    problem: Said | None = None
    #: Whether its issuer is in a registry the verifier trusts, as the service's trust check
    #: describes it (``state``, ``line`` in ja and en, the listings); ``None``: no registry is
    #: configured, or the credential could not be read.
    trust: Mapping[str, Any] | None = None
    #: The programme of this registry it is a credential of (its id), when the registry
    #: knows the achievement and its issuer is the organisation that registered it.
    programme: int | None = None
    #: What makes it one credential whatever form it was given in: its own id, its issuer
    #: and its period of validity (:mod:`credstack.core.wallet.sameness`); ``None`` when it
    #: states no id or is not its issuer's word (a changed copy keeps its original's id).
    identity: tuple[str, ...] | None = None

    @property
    def verified(self) -> bool:
        return self.verdict is not None and self.verdict.verified

    @property
    def outcome(self) -> str:
        """``verified``, ``verified-with-warnings``, ``not-verified`` or ``unusable``."""
        return self.verdict.outcome.value if self.verdict is not None else "unusable"

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """Why it is not verified (``revoked``, ``expired``, ``altered`` …), or the
        conformance findings of one verified with warnings."""
        return tuple(reason.code for reason in self.verdict.reasons) if self.verdict else ()

    def to_dict(self, words: Words) -> dict[str, Any]:
        verdict = self.verdict
        return {
            "label": self.label, "position": self.position, "within": self.within,
            "source": self.source, "outcome": self.outcome,
            "verified": self.verified,
            "verdict": verdict.to_dict(words) if verdict is not None else None,
            "entry": self.entry.to_dict() if self.entry is not None else None,
            "learner": list(self.learner),
            "assessment": self.assessment.to_dict(),
            "recognition": self.recognition.to_dict(),
            "skills": [skill.to_dict() for skill in self.skills],
            "presentation": self.presentation,
            "problem": ({"en": words(self.problem, "en"), "ja": words(self.problem, "ja")}
                        if self.problem is not None else None),
        }


@dataclass(frozen=True, slots=True)
class PresentationSummary:
    """A presentation's own checks: whose it is (the holder), whether the holder's proof
    verified, what is wrong with it in plain words, and how many credentials it held."""

    label: str
    position: int
    holder: str | None
    ok: bool
    #: (check, what it says) for each check of the presentation itself that failed.
    reasons: tuple[tuple[str, Said], ...]
    count: int

    def to_dict(self, words: Words) -> dict[str, Any]:
        return {"label": self.label, "position": self.position, "holder": self.holder,
                "verified": self.ok, "credentials": self.count,
                "reasons": [{"check": check, "en": words(said, "en"), "ja": words(said, "ja")}
                            for check, said in self.reasons]}


@dataclass(frozen=True, slots=True)
class Comparison:
    """Every column in the order given, the presentations among the inputs, and the inputs
    left out because the limit on the number of credentials was reached."""

    columns: tuple[Column, ...]
    presentations: tuple[PresentationSummary, ...] = ()
    #: Labels of the inputs (or credentials in a presentation) left out over the limit.
    left_out: tuple[str, ...] = ()
    limit: int = 20

    @property
    def verified(self) -> int:
        return sum(1 for column in self.columns if column.verified)

    def first_of(self, column: Column) -> Column | None:
        """The earlier column holding the same credential as ``column`` (one credential
        given as a file and as a link, say); ``None`` when it is the first."""
        if column.identity is None:
            return None
        for earlier in self.columns:
            if earlier is column:
                return None
            if earlier.identity == column.identity:
                return earlier
        return None

    def to_dict(self, words: Words) -> dict[str, Any]:
        """The JSON API's answer, each verdict's words by ``words`` (the entrypoint's)."""
        return {"count": len(self.columns), "verified": self.verified,
                "not_verified": len(self.columns) - self.verified,
                "limit": self.limit,
                "credentials": [column.to_dict(words) for column in self.columns],
                "presentations": [item.to_dict(words) for item in self.presentations],
                "left_out": list(self.left_out)}


# --- reading one credential ------------------------------------------------------------


def _strings(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(item for item in items if isinstance(item, str) and item)


def _assessment(descriptors: Mapping[str, Any]) -> Assessment:
    found = descriptors.get("assessment")
    if not isinstance(found, Mapping):
        return Assessment()
    supervision = found.get("supervision")
    return Assessment(methods=_strings(found.get("methods")),
                      supervision=supervision if isinstance(supervision, str) else None,
                      participation_only=found.get("participation_only") is True,
                      description=_texts(found.get("description")))


def recognition_in(report: VerificationReport) -> Recognition:
    """What the ``recognition`` check found (``unknown`` when it did not run: not one of this
    registry's programmes; ``unverified`` when the credential is not its issuer's word)."""
    check = report.check("recognition")
    if check is None:
        return Recognition("unknown")
    if not report.attested:
        return Recognition("unverified")
    status = str(check.details.get("status") or check.code or "none")
    bodies: list[Mapping[str, str]] = []
    until = None
    for found in check.details.get("recognitions", ()):
        if not isinstance(found, Mapping) or found.get("status") != status:
            continue
        issuer = found.get("issuer")
        if isinstance(issuer, Mapping):
            names = _texts(issuer.get("names")) or _texts(issuer.get("name"))
            if names and names not in bodies:
                bodies.append(names)
        ends = day_in(found.get("valid_until"))
        if ends is not None and (until is None or ends > until):
            until = ends
    return Recognition(status, tuple(bodies), until)


def column_of(report: VerificationReport, document: Mapping[str, Any] | None, *,
              label: str, position: int, within: int | None = None, source: str = "file",
              presentation: int | None = None, entry: Entry | None = None,
              known_id: str | None = None) -> Column:
    """One credential's column: ``report`` is its verification, ``document`` the credential
    as JSON (a VC-JWT's claims; ``None`` when there is none to read); ``entry`` the record
    entry when it is known already (a wallet's), else read here with the wallet's reader;
    ``known_id`` the credential's id when there is no document to read it from."""
    meaning = report.meaning
    descriptors = (meaning.descriptors or {}) if meaning is not None else {}
    read = entry if entry is not None else entry_of(meaning, document)
    return Column(
        label=label, position=position, within=within, source=source,
        verdict=verdict_of(report), entry=read,
        learner=meaning.learner_names if meaning is not None else (),
        assessment=_assessment(descriptors), recognition=recognition_in(report),
        skills=skills_of(descriptors, document), presentation=presentation,
        programme=_registered(report),
        identity=_identity(report, credential_id(document) or known_id, read))


def _identity(report: VerificationReport, found: str | None, entry: Entry
              ) -> tuple[str, ...] | None:
    # Only a credential that is its issuer's word is one by its id (a changed copy states
    # the id of the credential it was changed from), and only with the same period of
    # validity: the same id issued again on another day, or for another period, is another
    # representation of it (Open Badges 3.0 §10), which a verifier reads as a row of its own.
    if found is None or not report.attested:
        return None
    meaning = report.meaning
    return (found, (meaning.issuer_id if meaning is not None else None) or "",
            *(moment.isoformat() if moment is not None else ""
              for moment in (entry.issued, entry.expires)))


def _registered(report: VerificationReport) -> int | None:
    """The registry's programme id of the credential's achievement, when its issuer is the
    organisation that registered the programme (anyone may name another's achievement)."""
    meaning = report.meaning
    registry = (meaning.registry or {}) if meaning is not None else {}
    if meaning is None or meaning.issuer_id is None \
            or registry.get("organisation_did") != meaning.issuer_id:
        return None
    found = registry.get("programme_id")
    return found if isinstance(found, int) else None


def unusable(*, label: str, position: int, why: Said, source: str = "file",
             within: int | None = None) -> Column:
    """The column of an input that could not be verified at all, saying which and why."""
    return Column(label=label, position=position, within=within, source=source,
                  problem=Said("vcompare.refusal.at", label=label, why=why))


def reason_of(check: Check) -> Said | InLanguages:
    """What ``check`` says as a parameter: its message key, else its English and Japanese
    words."""
    return check.said if check.said is not None else InLanguages(
        {"en": check.reason_en, "ja": check.reason_ja})


def presentation_reason(check: str, reason: Said | InLanguages) -> Said:
    """A presentation's ``check`` that failed (named as the
    ``verification-presentation-check`` vocabulary names it) and why."""
    return Said("vcompare.presentation.reason",
                check=Named("verification-presentation-check", check), reason=reason)


def presentation_of(report: PresentationReport, presentation: Mapping[str, Any] | None, *,
                    label: str, position: int) -> PresentationSummary:
    """The presentation's own part of ``report``: its holder and what failed, if anything."""
    holder = presentation.get("holder") if presentation is not None else None
    if isinstance(holder, Mapping):
        holder = holder.get("id")
    own = report.presentation
    reasons = []
    for check in own.failed or own.errors:
        reasons.append((check.name, presentation_reason(check.name, reason_of(check))))
    return PresentationSummary(label=label, position=position,
                               holder=holder if isinstance(holder, str) else None,
                               ok=own.ok, reasons=tuple(reasons),
                               count=len(report.credentials))


# --- several pasted at once ----------------------------------------------------------------


def split_pasted(text: str) -> tuple[str, ...]:
    """The credentials in ``text``: JSON objects one after another (whitespace or commas
    between them), a JSON array of credentials (objects or strings), and, on lines of their
    own, VC-JWTs, addresses and share links. A piece that is none of these is kept as it is,
    so that the verifier says what is wrong with it."""
    pieces: list[str] = []
    decoder = json.JSONDecoder()
    index, size = 0, len(text)
    while index < size and len(pieces) < MAX_PASTED_ITEMS:
        char = text[index]
        if char.isspace() or char == ",":
            index += 1
            continue
        if char in "{[":
            try:
                value, end = decoder.raw_decode(text, index)
            except (ValueError, RecursionError):
                # Not JSON that can be read: the rest is one piece, reported as unreadable.
                pieces.append(text[index:].strip())
                break
            if isinstance(value, list) and char == "[":
                pieces.extend(item if isinstance(item, str) else json.dumps(item,
                                                                            ensure_ascii=False)
                              for item in value)
            else:
                pieces.append(text[index:end])
            index = end
            continue
        end = text.find("\n", index)
        end = size if end < 0 else end
        line = text[index:end].strip()
        if line:
            pieces.append(line)
        index = end
    return tuple(piece for piece in pieces[:MAX_PASTED_ITEMS] if piece)

