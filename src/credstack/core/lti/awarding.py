"""Who a course link awards: the rule an instructor chose (a minimum score on a line item,
or completion: any result recorded on it) applied to a learner's result.

A decision is data (:class:`Decision`): ``passed`` (to be issued), ``pending`` (not yet),
``issued``, ``lowered`` (issued, and the result has since fallen below the rule: shown to the
issuer, who decides; nothing is revoked here) or ``blocked`` (cannot be decided or issued:
the reason says why, in English and Japanese).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from credstack.core.descriptors.models import Award, Identifier, IdentifierType, LearnerIdentity
from credstack.core.types import MultilingualText
from credstack.errors import InputError, Problem

__all__ = ["RULES", "Decision", "Rule", "award_of", "decide"]

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
            problems.append(Problem("rule", "score or completion", "score か completion"))
        if not self.line_item.strip():
            problems.append(Problem("line_item", "required: the line item the rule reads",
                                    "必須です：規則が読む評定項目"))
        if self.kind == "score" and (self.minimum is None or not 0 < self.minimum <= 100):
            problems.append(Problem("minimum", "a percentage above 0, at most 100",
                                    "0 より大きく 100 以下の百分率"))
        if problems:
            raise InputError("The course link's rule is incomplete. / コースリンクの授与"
                             "規則が不完全です。", problems=problems)


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    reason: str = ""
    reason_ja: str = ""


_NO_MAXIMUM: Final = Decision("blocked", "The LMS gave the grade without a maximum, so "
                              "the minimum cannot be applied.", "LMS の評定に満点がなく、"
                              "最低点を判定できません。")
_NO_EMAIL: Final = Decision("blocked", "The LMS gave no e-mail address for this learner: "
                            "the credential is issued once they link a credstack account "
                            "(from the launch page).", "LMS がこの学習者のメールアドレスを"
                            "渡していないため、発行できません。起動ページから credstack の"
                            "アカウントを連携すると発行されます。")


def decide(rule: Rule, *, score: float | None, maximum: float | None, email: str | None,
           issued: bool) -> Decision:
    """The decision for a learner whose result on the rule's line item is ``score`` out of
    ``maximum`` (``None``: no result yet), already ``issued`` or not."""
    if score is None:
        return Decision("lowered" if issued else "pending",
                        *(("The result was removed after the credential was issued.",
                           "発行後に評定が削除されました。") if issued else ("", "")))
    if rule.kind == "completion":
        meets = True
    elif maximum is None or maximum <= 0:
        return Decision("issued") if issued else _NO_MAXIMUM
    else:
        assert rule.minimum is not None
        meets = score * 100 >= rule.minimum * maximum
    if issued:
        return Decision("issued") if meets else Decision(
            "lowered", f"The result is now {score:g}/{maximum:g}, below the rule "
            f"({rule.minimum:g}%).", f"評定が {score:g}/{maximum:g} に下がり、規則"
            f"（{rule.minimum:g}%）を下回りました。")
    if not meets:
        return Decision("pending")
    return Decision("passed") if email else _NO_EMAIL


def award_of(*, name: str, email: str) -> Award:
    """The award of a learner the LMS named: their name (kept as Japanese when it is written
    in Japanese script, else as English) and their e-mail address as identifier."""
    language = "ja" if any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff"
                           for ch in name) else "en"
    learner = LearnerIdentity(name=MultilingualText({language: name}),
                              identifiers=(Identifier(type=IdentifierType.EMAIL, value=email),))
    return Award(learner=learner)
