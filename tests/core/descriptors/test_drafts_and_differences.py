"""Drafts read as far as they go, and differences between two versions, leaf by leaf."""

from __future__ import annotations

from credstack.core.descriptors import Programme
from credstack.core.descriptors.differences import DifferenceKind, differences
from credstack.core.descriptors.drafts import PLACEHOLDER_CODE, read_draft


def test_a_valid_document_is_a_programme() -> None:
    """Nothing refused: the draft is the programme, and it is what gets checked."""
    draft = read_draft({"code": "X-1", "title": {"ja": "題", "en": "Title"}})
    assert draft.valid and draft.programme == draft.checkable and draft.errors == ()


def test_refused_descriptors_are_left_out_of_the_check_and_each_is_located() -> None:
    """Bad hours and dates in the wrong order are errors at their paths; the title stays."""
    draft = read_draft({"code": "X-1", "title": {"ja": "題"},
                        "learner_effort": {"hours": "ninety"},
                        "dates_of_delivery": [{"start": "2026-05-01", "end": "2026-04-01"}]})
    assert not draft.valid
    assert [(e.loc, e.kind) for e in draft.errors] == [
        (("learner_effort", "hours"), "decimal_parsing"),
        (("dates_of_delivery", 0), "ends_before_start")]
    assert draft.checkable.title is not None
    assert draft.checkable.learner_effort is None and draft.checkable.dates_of_delivery == ()


def test_a_draft_without_a_valid_code_is_checked_under_a_placeholder() -> None:
    draft = read_draft({"code": "no spaces allowed", "title": {"en": "T"}})
    assert draft.checkable.code == PLACEHOLDER_CODE
    assert draft.errors[0].loc == ("code",)


def test_differences_name_each_leaf_added_removed_or_changed() -> None:
    before = Programme.model_validate({"code": "X", "title": {"ja": "旧", "en": "Old"},
                                       "languages": ["ja"]})
    after = Programme.model_validate({"code": "X", "title": {"ja": "新"},
                                      "languages": ["ja", "en"],
                                      "learner_effort": {"hours": "10"}})
    found = {(d.path, d.kind) for d in differences(before, after)}
    assert found == {(("title", "ja"), DifferenceKind.CHANGED),
                     (("title", "en"), DifferenceKind.REMOVED),
                     (("languages",), DifferenceKind.CHANGED),
                     (("learner_effort", "hours"), DifferenceKind.ADDED)}
    assert differences(before, before) == ()
