"""The published review criteria, the score scale, one evaluator's review and their summary.

The six criteria are the conditions seed 002 sets for micro-credentials (マイクロクレデンシャル
に求められる条件): four for their design — transparency, valid assessment, quality assurance,
conformance to a framework of common descriptors — and two from the guidance for planning and
running them — learner-centredness and the cooperation of issuers and employers (relevance).
Each criterion carries a checklist of questions the evaluator answers while reading the
application; the questions are grounded in the common descriptors (learning outcomes, learner
effort, awarding body, type of assessment, type of quality assurance, …).

An evaluator gives every criterion a :class:`Score` and a comment (:func:`parse_review`);
:func:`summarise` brings several reviews together for the committee, with a recommendation
that the committee is free to overrule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import IntEnum
from types import MappingProxyType
from typing import Final

from credstack.core.review.labels import Label
from credstack.core.review.outcomes import Outcome
from credstack.core.said import Listed, Named, Said
from credstack.core.types import whole_number
from credstack.errors import InputError, NotFoundError, Problem

__all__ = [
    "CRITERIA",
    "CRITERION_IDS",
    "MAX_COMMENT",
    "MAX_SELF_EVALUATION",
    "Criterion",
    "CriterionReview",
    "CriterionSummary",
    "Question",
    "Review",
    "ReviewSummary",
    "Score",
    "get_criterion",
    "parse_review",
    "parse_self_evaluation",
    "recommend",
    "summarise",
]

#: Longest review comment per criterion, in characters (after trimming).
MAX_COMMENT: Final = 4_000
#: Longest self-evaluation text per criterion, in characters (after trimming).
MAX_SELF_EVALUATION: Final = 20_000


@dataclass(frozen=True, slots=True)
class Question:
    """One checklist question; ``id`` is ``<criterion id>.<slug>`` and never changes."""

    id: str
    text: Label


@dataclass(frozen=True, slots=True)
class Criterion:
    """One published criterion: a stable id, its title, what it asks, and its checklist."""

    id: str
    title: Label
    description: Label
    checklist: tuple[Question, ...]


#: Each criterion's checklist, by the criterion's id, in the order seed 002 lists them (and
#: pages show them); the words are the ``review-criterion``, ``review-criterion-description``
#: and ``review-question`` (``<criterion id>.<slug>``) vocabularies.
_CHECKLISTS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "transparency": ("outcomes", "effort", "issuer", "before-enrolment"),
    "valid-assessment": ("alignment", "criteria", "variety", "integrity"),
    "quality-assurance": ("body-and-standards", "self-evaluation", "improvement", "external"),
    "framework-conformance": ("descriptors", "effort-and-level", "recognition-and-stacking"),
    "learner-centredness": ("flexibility", "support", "pathways", "ownership"),
    "relevance": ("needs", "cooperation", "skills"),
})


#: The six criteria, in the order seed 002 lists them (and pages show them).
CRITERIA: Final[tuple[Criterion, ...]] = tuple(
    Criterion(id, Label.named("review-criterion", id),
              Label.named("review-criterion-description", id),
              tuple(Question(f"{id}.{slug}", Label.named("review-question", f"{id}.{slug}"))
                    for slug in slugs))
    for id, slugs in _CHECKLISTS.items())

#: The criterion ids, in order: ``transparency``, ``valid-assessment``, ``quality-assurance``,
#: ``framework-conformance``, ``learner-centredness``, ``relevance``.
CRITERION_IDS: Final[tuple[str, ...]] = tuple(criterion.id for criterion in CRITERIA)

_BY_ID: Final[Mapping[str, Criterion]] = MappingProxyType({c.id: c for c in CRITERIA})


def get_criterion(criterion_id: str) -> Criterion:
    """The criterion with that id; :class:`~credstack.errors.NotFoundError` otherwise."""
    try:
        return _BY_ID[criterion_id]
    except KeyError:
        raise NotFoundError(code="recognition.review.criteria.no_criterion", params={
            "criterion": repr(criterion_id), "criteria": Listed(CRITERION_IDS)}) from None


class Score(IntEnum):
    """How well an application meets one criterion."""

    NOT_MET = 1
    PARTLY_MET = 2
    MET = 3
    EXEMPLARY = 4

    @property
    def slug(self) -> str:
        """The score's value in the ``review-score`` vocabulary (``partly-met``)."""
        return self.name.lower().replace("_", "-")

    @property
    def label(self) -> Label:
        return Label.named("review-score", self.slug)


@dataclass(frozen=True, slots=True)
class CriterionReview:
    """One evaluator's score and comment on one criterion."""

    criterion: str
    score: Score
    comment: str


@dataclass(frozen=True, slots=True)
class Review:
    """One evaluator's complete review: an entry for every criterion, in :data:`CRITERIA`
    order. Made by :func:`parse_review`, which is the only way to get a valid one."""

    entries: tuple[CriterionReview, ...]

    def score(self, criterion_id: str) -> Score:
        return self.entry(criterion_id).score

    def entry(self, criterion_id: str) -> CriterionReview:
        for entry in self.entries:
            if entry.criterion == criterion_id:
                return entry
        raise NotFoundError(f"This review has no entry for {criterion_id!r}.")


#: The message keys of a review's and a self-evaluation's faults
#: (``recognition.review.criteria.<fault>``).
_KEY: Final = "recognition.review.criteria."


def _fault(location: str, fault: str, **params: object) -> Problem:
    return Problem(location, code=_KEY + fault, params=params)


def _unknown(ids: Sequence[str], prefix: str, field: str) -> list[Problem]:
    return [_fault(f"{prefix}{criterion_id}{field}", "unknown", criteria=Listed(CRITERION_IDS))
            for criterion_id in ids if criterion_id not in _BY_ID]


def _score(value: object) -> Score | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        number = whole_number(value, most=100)
        if number is None:
            return None
        value = number
    if isinstance(value, int) and value in Score._value2member_map_:
        return Score(value)
    return None


def parse_review(scores: Mapping[str, object], comments: Mapping[str, object]) -> Review:
    """Check one evaluator's scores and comments, both keyed by criterion id, and return the
    review.

    Scores may be :class:`Score`, ``int`` or a digit string (form fields), 1–4. Comments are
    trimmed and required for every criterion, at most :data:`MAX_COMMENT` characters. Every
    criterion needs a score; unknown criterion ids are refused. Raises
    :class:`~credstack.errors.InputError` with a problem per field, located
    ``<criterion id>.score`` or ``<criterion id>.comment``.
    """
    problems: list[Problem] = [*_unknown(list(scores), "", ".score"),
                               *_unknown(list(comments), "", ".comment")]
    entries: list[CriterionReview] = []
    allowed = Listed(Said(_KEY + "score_choice", score=s.value,
                          name=Named("review-score", s.slug))
                     for s in Score)
    for criterion in CRITERIA:
        title = Named("review-criterion", criterion.id)
        raw_score = scores.get(criterion.id)
        score = _score(raw_score)
        if raw_score is None or (isinstance(raw_score, str) and not raw_score.strip()):
            problems.append(_fault(f"{criterion.id}.score", "no_score", criterion=title))
        elif score is None:
            problems.append(_fault(f"{criterion.id}.score", "score_not_allowed",
                                   allowed=allowed, got=repr(raw_score)))
        raw_comment = comments.get(criterion.id)
        comment = raw_comment.strip() if isinstance(raw_comment, str) else ""
        if raw_comment is not None and not isinstance(raw_comment, str):
            problems.append(_fault(f"{criterion.id}.comment", "comment_not_text"))
        elif not comment:
            problems.append(_fault(f"{criterion.id}.comment", "no_comment", criterion=title))
        elif len(comment) > MAX_COMMENT:
            problems.append(_fault(f"{criterion.id}.comment", "comment_too_long",
                                   most=MAX_COMMENT, length=len(comment)))
        if score is not None:
            entries.append(CriterionReview(criterion.id, score, comment))
    if problems:
        raise InputError(code=_KEY + "review_refused", problems=problems)
    return Review(tuple(entries))


def parse_self_evaluation(texts: Mapping[str, object]) -> dict[str, str]:
    """Check an applicant's self-evaluation texts, keyed by criterion id, and return them
    trimmed, in criterion order, without the empty ones (a draft may be partial; the
    completeness check requires them all). Unknown ids, non-text values and texts over
    :data:`MAX_SELF_EVALUATION` characters raise :class:`~credstack.errors.InputError`,
    located ``self_evaluation.<criterion id>``."""
    problems = _unknown(list(texts), "self_evaluation.", "")
    cleaned: dict[str, str] = {}
    for criterion_id in CRITERION_IDS:
        value = texts.get(criterion_id)
        if value is None:
            continue
        location = f"self_evaluation.{criterion_id}"
        if not isinstance(value, str):
            problems.append(_fault(location, "self_evaluation_not_text"))
            continue
        text = value.strip()
        if len(text) > MAX_SELF_EVALUATION:
            problems.append(Problem(location, code="recognition.review.too_long",
                                    params={"most": MAX_SELF_EVALUATION, "length": len(text)}))
        elif text:
            cleaned[criterion_id] = text
    if problems:
        raise InputError(code=_KEY + "self_evaluation_refused", problems=problems)
    return cleaned


@dataclass(frozen=True, slots=True)
class CriterionSummary:
    """The scores of several evaluators on one criterion."""

    criterion: str
    count: int
    #: The mean score, rounded half up to two decimals, for display.
    mean: Decimal
    minimum: Score
    maximum: Score
    #: The exact sum, so that thresholds are compared without rounding.
    total: int


@dataclass(frozen=True, slots=True)
class ReviewSummary:
    """Several reviews of one application, brought together for the committee."""

    reviews: int
    #: One entry per criterion in :data:`CRITERIA` order; empty when there are no reviews.
    criteria: tuple[CriterionSummary, ...]
    #: Criteria that at least one evaluator scored :attr:`Score.NOT_MET`, in criteria order.
    not_met: tuple[str, ...]
    #: What :func:`recommend` suggests; ``None`` without reviews.
    recommendation: Outcome | None


def recommend(criteria: Sequence[CriterionSummary]) -> Outcome | None:
    """A suggestion for the committee, never binding:

    * :attr:`Outcome.NOT_RECOGNISED` when any criterion is, on average, not met (mean < 2);
    * :attr:`Outcome.RECOGNISED_WITH_CONDITIONS` when any evaluator found a criterion not met
      or any criterion is, on average, below met (mean < 3);
    * :attr:`Outcome.RECOGNISED` otherwise; ``None`` without any scores.
    """
    if not criteria:
        return None
    if any(c.total < 2 * c.count for c in criteria):
        return Outcome.NOT_RECOGNISED
    if any(c.minimum is Score.NOT_MET or c.total < 3 * c.count for c in criteria):
        return Outcome.RECOGNISED_WITH_CONDITIONS
    return Outcome.RECOGNISED


def summarise(reviews: Sequence[Review]) -> ReviewSummary:
    """Per-criterion count, mean, minimum and maximum over ``reviews``, the criteria any
    evaluator scored not met, and :func:`recommend`'s suggestion."""
    summaries: list[CriterionSummary] = []
    if reviews:
        for criterion_id in CRITERION_IDS:
            scores = [review.score(criterion_id) for review in reviews]
            total = sum(int(score) for score in scores)
            mean = (Decimal(total) / Decimal(len(scores))).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP)
            summaries.append(CriterionSummary(criterion_id, len(scores), mean, min(scores),
                                              max(scores), total))
    not_met = tuple(s.criterion for s in summaries if s.minimum is Score.NOT_MET)
    return ReviewSummary(len(reviews), tuple(summaries), not_met, recommend(summaries))
