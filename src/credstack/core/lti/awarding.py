"""Who a course link awards: the rule an instructor chose (a minimum score on a line item,
or completion: any result recorded on it) applied to a learner's result.

A decision is data (:class:`Decision`): ``passed`` (to be issued), ``pending`` (not yet),
``issued``, ``lowered`` (issued, and the result has since fallen below the rule: shown to the
issuer, who decides; nothing is revoked here) or ``blocked`` (cannot be decided or issued:
the reason says why, an ``lti.award.*`` message key with its values for the page to word).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final, Literal

from credstack.core.descriptors.models import Award, Identifier, IdentifierType, LearnerIdentity
from credstack.core.said import Said
from credstack.core.types import MultilingualText
from credstack.errors import InputError, Problem

__all__ = ["RULES", "Decision", "Rule", "award_of", "decide", "reason_of", "stored_reason"]

RULES: Final = ("score", "completion")
Outcome = Literal["passed", "pending", "issued", "lowered", "blocked"]


@dataclass(frozen=True, slots=True)
class Rule:
    """``score``: at least ``minimum`` per cent of the maximum on ``line_item``;
    ``completion``: any result recorded on it."""

    kind: str
    line_item: str
    minimum: float | None = None

    def __post_init__(self) -> None:
        problems = []
        if self.kind not in RULES:
            problems.append(Problem("rule", code="lti.refused.rule.kind"))
        if not self.line_item.strip():
            problems.append(Problem("line_item", code="lti.refused.rule.line_item"))
        if self.kind == "score" and (self.minimum is None or not 0 < self.minimum <= 100):
            problems.append(Problem("minimum", code="lti.refused.rule.minimum"))
        if problems:
            raise InputError(code="lti.refused.rule", problems=problems)


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    #: Why, where there is something to say (``lti.award.*``).
    reason: Said | None = None


_NO_MAXIMUM: Final = Decision("blocked", Said("lti.award.no_maximum"))
_NO_EMAIL: Final = Decision("blocked", Said("lti.award.no_email"))


def decide(rule: Rule, *, score: float | None, maximum: float | None, email: str | None,
           issued: bool) -> Decision:
    """The decision for a learner whose result on the rule's line item is ``score`` out of
    ``maximum`` (``None``: no result yet), already ``issued`` or not."""
    if score is None:
        return Decision("lowered", Said("lti.award.removed")) if issued else Decision("pending")
    if rule.kind == "completion":
        meets = True
    elif maximum is None or maximum <= 0:
        return Decision("issued") if issued else _NO_MAXIMUM
    else:
        assert rule.minimum is not None
        meets = score * 100 >= rule.minimum * maximum
    if issued:
        return Decision("issued") if meets else Decision("lowered", Said(
            "lti.award.lowered", score=f"{score:g}", maximum=f"{maximum:g}",
            minimum=f"{rule.minimum:g}"))
    if not meets:
        return Decision("pending")
    return Decision("passed") if email else _NO_EMAIL


def stored_reason(reason: Said | None) -> str | None:
    """A decision's reason as the learner's row keeps it: its key and values as JSON text."""
    return None if reason is None else json.dumps(reason.to_dict(), ensure_ascii=False)


def reason_of(text: str | None) -> Said | str | None:
    """A kept reason read back: its key and values (:func:`stored_reason`), else the English
    words a row kept before the reasons were keys, as they were."""
    if not text or not text.startswith("{"):
        return text or None
    try:
        data = json.loads(text)
    except ValueError:
        return text
    return Said.from_dict(data) if isinstance(data, dict) and "key" in data else text


def award_of(*, name: str, email: str) -> Award:
    """The award of a learner the LMS named: their name (kept as Japanese when it is written
    in Japanese script, else as English) and their e-mail address as identifier."""
    language = "ja" if any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff"
                           for ch in name) else "en"
    learner = LearnerIdentity(name=MultilingualText({language: name}),
                              identifiers=(Identifier(type=IdentifierType.EMAIL, value=email),))
    return Award(learner=learner)
