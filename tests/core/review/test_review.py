"""The public surface of credstack.core.review, pinned."""

from __future__ import annotations

import credstack.core.review as recognition
from credstack.core.review import Label


def test_public_names_are_exported_and_pinned() -> None:
    """Helpers build on exactly these names; changing them is a deliberate act."""
    assert sorted(recognition.__all__) == [
        "APPEALABLE", "APPEAL_WINDOW", "ApplicationKind", "Assignment", "CRITERIA",
        "CRITERION_IDS", "CompletenessReport", "Criterion", "CriterionReview",
        "CriterionSummary", "DUE_SOON", "Decision", "Declaration", "Event", "Label",
        "MAX_COMMENT", "MAX_DECISION_TEXT", "MAX_SELF_EVALUATION", "MINIMUM_EVALUATORS",
        "Outcome", "Party", "PendingStep", "Question", "RENEWAL_NOTICE", "RENEWAL_WINDOW",
        "RecognitionStatus", "RecognitionTerm", "Refusal", "Reminder", "ReminderKind", "Review",
        "ReviewSummary", "Score", "State", "TIME_LIMITS", "TRANSITIONS", "TimeLimit",
        "VALIDITY_YEARS", "active_assignments", "allowed_events", "appeal_deadline",
        "appeal_open", "assignment_refusals", "check_assignment", "check_completeness",
        "check_declaration", "check_renewal", "check_review", "check_review_complete",
        "decision_number", "due_at", "get_criterion", "is_final", "parse_decision",
        "parse_decision_number", "parse_review", "parse_self_evaluation", "recognition_status",
        "recommend", "reminders", "review_complete", "summarise", "transition", "valid_until",
    ]
    assert all(hasattr(recognition, name) for name in recognition.__all__)


def test_label_falls_back_to_the_other_language() -> None:
    """A text given in one language is shown in it rather than left blank."""
    assert Label("認定", "").text("en") == "認定"
    assert Label("", "Recognised").text("ja") == "Recognised"
    assert Label("認定", "Recognised").to_dict() == {"ja": "認定", "en": "Recognised"}
    assert str(Label("認定", "Recognised")) == "Recognised / 認定"
