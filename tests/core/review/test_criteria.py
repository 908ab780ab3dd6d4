"""The published criteria, the score scale, reviews and their summary."""

from __future__ import annotations

from decimal import Decimal

import pytest

from credstack.core.review import (
    CRITERIA,
    CRITERION_IDS,
    MAX_COMMENT,
    MAX_SELF_EVALUATION,
    Criterion,
    Outcome,
    Review,
    Score,
    get_criterion,
    parse_review,
    parse_self_evaluation,
    summarise,
)
from credstack.errors import InputError, NotFoundError
from credstack.words import problem_words

IDS = ("transparency", "valid-assessment", "quality-assurance", "framework-conformance",
       "learner-centredness", "relevance")


def review(*scores: int, **overrides: int) -> Review:
    values = dict(zip(IDS, scores or (3,) * 6, strict=True))
    values.update({key.replace("_", "-"): value for key, value in overrides.items()})
    return parse_review(values, {criterion: "Looked at the evidence." for criterion in IDS})


def locations(error: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [problem.location for problem in error.value.problems]


def test_the_six_criteria_of_seed_002_in_order() -> None:
    """Transparency, valid assessment, QA, framework conformance, learner-centred, relevance."""
    assert CRITERION_IDS == IDS
    assert [c.title.ja for c in CRITERIA] == [
        "透明性", "学修成果の適切なアセスメント", "質保証",
        "フレームワークやガイドラインに沿った設計", "学習者本位", "発行機関と雇用者の協力"]


@pytest.mark.parametrize("criterion", CRITERIA, ids=lambda c: c.id)
def test_each_criterion_has_texts_and_a_short_checklist(criterion: Criterion) -> None:
    """Titles, descriptions and 2–4 checklist questions, all in Japanese and English."""
    for label in (criterion.title, criterion.description):
        assert label.ja and label.en
    assert 2 <= len(criterion.checklist) <= 4
    for question in criterion.checklist:
        assert question.id.startswith(f"{criterion.id}.")
        assert question.text.ja.endswith("か。") and question.text.en.endswith("?")
    assert len({q.id for q in criterion.checklist}) == len(criterion.checklist)


def test_transparency_asks_about_outcomes_effort_and_issuer() -> None:
    """The checklist is grounded in the descriptors seed 002 names for transparency."""
    slugs = [q.id for q in get_criterion("transparency").checklist]
    assert {"transparency.outcomes", "transparency.effort", "transparency.issuer"} <= set(slugs)


def test_unknown_criterion_is_not_found() -> None:
    """Looking up a criterion that does not exist says which ones do."""
    with pytest.raises(NotFoundError, match="transparency"):
        get_criterion("beauty")


def test_score_scale_has_four_labelled_steps() -> None:
    """1 not met, 2 partly met, 3 met, 4 exemplary."""
    assert [(int(s), s.label.en) for s in Score] == [
        (1, "Not met"), (2, "Partly met"), (3, "Met"), (4, "Exemplary")]
    assert all(s.label.ja for s in Score)


def test_a_complete_review_is_accepted_with_comments_trimmed() -> None:
    """Every criterion scored and commented gives a review in criteria order."""
    scores = {criterion: str(n % 4 + 1) for n, criterion in enumerate(reversed(IDS))}
    parsed = parse_review(scores, {criterion: f"  ok {criterion}\n" for criterion in IDS})
    assert [e.criterion for e in parsed.entries] == list(IDS)
    assert parsed.entry("transparency").comment == "ok transparency"
    assert parsed.score("relevance") is Score.NOT_MET
    assert parsed.score("transparency") is Score(int(scores["transparency"]))


def test_every_criterion_needs_a_score() -> None:
    """A missing or blank score is located at <criterion>.score."""
    scores: dict[str, object] = dict.fromkeys(IDS, 3)
    del scores["relevance"]
    scores["quality-assurance"] = " "
    with pytest.raises(InputError) as raised:
        parse_review(scores, dict.fromkeys(IDS, "fine"))
    assert locations(raised) == ["quality-assurance.score", "relevance.score"]


@pytest.mark.parametrize("bad", [0, 5, -1, "x", "3.5", True, 2.0])
def test_scores_outside_the_scale_are_refused(bad: object) -> None:
    """Only 1–4 (as a number or digits) is a score."""
    with pytest.raises(InputError) as raised:
        parse_review({**dict.fromkeys(IDS, 3), "transparency": bad}, dict.fromkeys(IDS, "ok"))
    assert locations(raised) == ["transparency.score"]


def test_every_criterion_needs_a_comment_within_the_limit() -> None:
    """Blank, missing, non-text and over-long comments are located at <criterion>.comment."""
    comments: dict[str, object] = dict.fromkeys(IDS, "fine")
    comments["transparency"] = "   "
    del comments["valid-assessment"]
    comments["quality-assurance"] = 42
    comments["relevance"] = "x" * (MAX_COMMENT + 1)
    with pytest.raises(InputError) as raised:
        parse_review(dict.fromkeys(IDS, 3), comments)
    assert locations(raised) == ["transparency.comment", "valid-assessment.comment",
                                 "quality-assurance.comment", "relevance.comment"]
    assert "4000" in problem_words(raised.value.problems[-1], "en")


def test_a_comment_of_exactly_the_limit_is_accepted() -> None:
    """The limit is inclusive, counted after trimming."""
    parse_review(dict.fromkeys(IDS, 3), {**dict.fromkeys(IDS, "ok"),
                                         "relevance": f" {'x' * MAX_COMMENT} "})


def test_unknown_criteria_are_refused() -> None:
    """A score or comment for a criterion that does not exist is an error, not ignored."""
    with pytest.raises(InputError) as raised:
        parse_review({**dict.fromkeys(IDS, 3), "beauty": 4},
                     {**dict.fromkeys(IDS, "ok"), "charm": "yes"})
    assert locations(raised) == ["beauty.score", "charm.comment"]


def test_problem_messages_are_in_both_languages() -> None:
    """Evaluators read the problems in Japanese or English."""
    with pytest.raises(InputError) as raised:
        parse_review({}, {})
    first = raised.value.problems[0]
    assert "Transparency" in problem_words(first, "en") and "透明性" in problem_words(first, "ja")


def test_self_evaluation_is_trimmed_and_partial_drafts_are_kept() -> None:
    """Empty texts are dropped (a draft may be partial); the order is the criteria's."""
    cleaned = parse_self_evaluation({"relevance": " We work with employers. ",
                                     "transparency": "Published.", "valid-assessment": "  "})
    assert cleaned == {"transparency": "Published.", "relevance": "We work with employers."}
    assert list(cleaned) == ["transparency", "relevance"]


def test_self_evaluation_refuses_unknown_ids_non_text_and_over_long_texts() -> None:
    """Located at self_evaluation.<criterion>."""
    with pytest.raises(InputError) as raised:
        parse_self_evaluation({"beauty": "x", "transparency": 3,
                               "relevance": "x" * (MAX_SELF_EVALUATION + 1)})
    assert locations(raised) == ["self_evaluation.beauty", "self_evaluation.transparency",
                                 "self_evaluation.relevance"]


def test_summary_gives_mean_minimum_and_maximum_per_criterion() -> None:
    """Means are rounded half up to two decimals; extremes are scores."""
    summary = summarise([review(3, 4, 3, 3, 3, 3), review(4, 4, 3, 3, 3, 3),
                         review(4, 3, 3, 3, 3, 3)])
    first = summary.criteria[0]
    assert summary.reviews == 3 and first.count == 3
    assert first.mean == Decimal("3.67") and first.minimum is Score.MET
    assert first.maximum is Score.EXEMPLARY
    assert summary.not_met == () and summary.recommendation is Outcome.RECOGNISED


def test_summary_names_every_criterion_any_evaluator_found_not_met() -> None:
    """One 'not met' anywhere is shown, even if the mean is fine."""
    summary = summarise([review(1, 3, 3, 3, 3, 4), review(4, 3, 3, 3, 3, 1),
                         review(4, 3, 3, 3, 3, 4)])
    assert summary.not_met == ("transparency", "relevance")
    assert summary.recommendation is Outcome.RECOGNISED_WITH_CONDITIONS


@pytest.mark.parametrize(("reviews", "outcome"), [
    ([(3,) * 6, (4,) * 6], Outcome.RECOGNISED),
    ([(3,) * 6, (3, 3, 3, 3, 3, 2)], Outcome.RECOGNISED_WITH_CONDITIONS),  # mean 2.5 < 3
    ([(4,) * 6, (3, 3, 1, 3, 3, 3)], Outcome.RECOGNISED_WITH_CONDITIONS),  # one not met
    ([(3, 1, 3, 3, 3, 3), (3, 2, 3, 3, 3, 3)], Outcome.NOT_RECOGNISED),  # mean 1.5 < 2
    ([(1,) * 6, (3,) * 6], Outcome.RECOGNISED_WITH_CONDITIONS),  # mean exactly 2
])
def test_recommendation_follows_the_thresholds(reviews: list[tuple[int, ...]],
                                               outcome: Outcome) -> None:
    """Not recognised below 2 on average; with conditions below 3 or any not met."""
    assert summarise([review(*scores) for scores in reviews]).recommendation is outcome


def test_summary_without_reviews_recommends_nothing() -> None:
    """The committee sees an empty summary, not an error, before reviews arrive."""
    summary = summarise([])
    assert summary.reviews == 0 and summary.criteria == () and summary.recommendation is None
