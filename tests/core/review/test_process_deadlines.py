"""Time limits, appeal windows, renewals and the reminders they produce."""

from __future__ import annotations

import datetime as dt

import pytest

from credstack.core.review import (
    APPEAL_WINDOW,
    TIME_LIMITS,
    Label,
    Party,
    PendingStep,
    RecognitionTerm,
    ReminderKind,
    State,
    appeal_deadline,
    appeal_open,
    check_renewal,
    due_at,
    reminders,
)
from credstack.errors import ConflictError
from credstack.words import problem_words, words

UTC = dt.UTC
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(("state", "days", "party"), [
    (State.AWAITING_ASSIGNMENT, 14, Party.COMMITTEE),
    (State.UNDER_REVIEW, 30, Party.EVALUATOR),
    (State.INFORMATION_REQUESTED, 21, Party.APPLICANT),
    (State.REVIEWED, 14, Party.COMMITTEE),
    (State.DECIDED, 7, Party.COMMITTEE),
    (State.APPEALED, 30, Party.COMMITTEE),
])
def test_states_with_a_duty_have_a_time_limit(state: State, days: int, party: Party) -> None:
    """Each duty is due a fixed number of days after the application entered the state."""
    assert TIME_LIMITS[state].days == days and TIME_LIMITS[state].party is party
    assert due_at(state, NOW) == NOW + dt.timedelta(days=days)


@pytest.mark.parametrize("state", [State.DRAFT, State.SUBMITTED, State.INCOMPLETE,
                                   State.PUBLISHED, State.WITHDRAWN])
def test_states_without_a_duty_have_no_due_date(state: State) -> None:
    """The applicant's own drafting and the finished states are never overdue."""
    assert due_at(state, NOW) is None


def test_naive_datetimes_are_refused() -> None:
    """A naive datetime would silently compare wrongly across time zones."""
    with pytest.raises(ValueError, match="timezone-aware"):
        due_at(State.REVIEWED, dt.datetime(2026, 6, 1))


def test_appeal_window_is_thirty_days_after_publication() -> None:
    """The applicant may appeal from publication until 30 days later, not after."""
    assert dt.timedelta(days=30) == APPEAL_WINDOW
    assert appeal_deadline(NOW) == NOW + dt.timedelta(days=30)
    assert appeal_open(NOW, NOW)
    assert appeal_open(NOW, NOW + dt.timedelta(days=30) - dt.timedelta(seconds=1))
    assert not appeal_open(NOW, NOW + dt.timedelta(days=30))
    assert not appeal_open(NOW, NOW - DAY)


def test_renewal_is_accepted_in_the_window_before_expiry() -> None:
    """A recognition in force that ends within 180 days may be renewed."""
    check_renewal(valid_until=NOW + dt.timedelta(days=180), withdrawn_at=None, now=NOW)
    check_renewal(valid_until=NOW + DAY, withdrawn_at=None, now=NOW)


@pytest.mark.parametrize(("valid_until", "withdrawn_at", "says"), [
    (NOW + dt.timedelta(days=181), None, "open on 2026-06-02"),
    (NOW, None, "expired"),
    (NOW - DAY, None, "expired"),
    (NOW + DAY, NOW - DAY, "withdrawn"),
])
def test_renewal_is_refused_too_early_after_expiry_or_withdrawal(
        valid_until: dt.datetime, withdrawn_at: dt.datetime | None, says: str) -> None:
    """Outside the window the refusal says why (and when the window opens)."""
    with pytest.raises(ConflictError) as raised:
        check_renewal(valid_until=valid_until, withdrawn_at=withdrawn_at, now=NOW)
    assert raised.value.problems[0].location == "recognition"
    assert says in problem_words(raised.value.problems[0], "en")


def _step(state: State, entered: dt.datetime, app: str = "app_a") -> PendingStep:
    return PendingStep(app, state, entered, due_at(state, entered), ("user:1", "user:2"))


def test_no_reminder_long_before_the_due_date() -> None:
    """Nothing to say while a duty is more than three days away."""
    assert reminders(now=NOW, applications=[_step(State.UNDER_REVIEW, NOW - DAY)]) == []


def test_due_soon_reminder_within_three_days() -> None:
    """A duty due within three days reminds the people responsible."""
    step = _step(State.AWAITING_ASSIGNMENT, NOW - dt.timedelta(days=12))
    [reminder] = reminders(now=NOW, applications=[step])
    assert reminder.kind is ReminderKind.DUE_SOON
    assert reminder.subject == "application:app_a"
    assert reminder.recipients == ("user:1", "user:2")
    assert reminder.due_at == NOW + 2 * DAY and reminder.state is State.AWAITING_ASSIGNMENT
    assert "2026-06-03" in words(reminder.message, "en")
    assert "評価者の選任" in words(reminder.message, "ja")


def test_overdue_reminder_from_the_due_moment_on() -> None:
    """At and after the due moment the reminder says the time is over."""
    entered = NOW - dt.timedelta(days=21)
    [at] = reminders(now=NOW, applications=[_step(State.INFORMATION_REQUESTED, entered)])
    [later] = reminders(now=NOW + 5 * DAY,
                        applications=[_step(State.INFORMATION_REQUESTED, entered)])
    assert at.kind is ReminderKind.OVERDUE and later.kind is ReminderKind.OVERDUE
    assert at.key == later.key  # the service sends it once if it likes


def test_window_of_due_soon_is_a_parameter() -> None:
    """The service chooses how early to remind."""
    step = _step(State.UNDER_REVIEW, NOW - dt.timedelta(days=20))
    assert reminders(now=NOW, applications=[step]) == []
    [reminder] = reminders(now=NOW, applications=[step], due_soon=dt.timedelta(days=10))
    assert reminder.kind is ReminderKind.DUE_SOON


def test_steps_without_due_date_never_remind() -> None:
    """Drafts and published applications are not chased."""
    steps = [_step(State.DRAFT, NOW - 400 * DAY), _step(State.PUBLISHED, NOW - 400 * DAY)]
    assert reminders(now=NOW, applications=steps) == []


def test_reentering_a_state_gives_a_new_reminder_key() -> None:
    """After an information request is answered, the new review period is a new duty."""
    first = _step(State.UNDER_REVIEW, NOW - 40 * DAY)
    second = _step(State.UNDER_REVIEW, NOW - 31 * DAY)
    keys = {r.key for r in reminders(now=NOW, applications=[first, second])}
    assert len(keys) == 2


def _term(until: dt.datetime, **kwargs: object) -> RecognitionTerm:
    return RecognitionTerm("rec_1", until, ("user:9",), **kwargs)


def test_renewal_reminder_ninety_days_before_expiry() -> None:
    """A recognition ending within 90 days reminds its holder to renew."""
    [reminder] = reminders(now=NOW, recognitions=[_term(NOW + 90 * DAY)])
    assert reminder.kind is ReminderKind.RENEWAL_DUE
    assert reminder.subject == "recognition:rec_1" and reminder.state is None
    assert reminder.due_at == NOW + 90 * DAY and "更新" in words(reminder.message, "ja")
    assert reminders(now=NOW, recognitions=[_term(NOW + 91 * DAY)]) == []


@pytest.mark.parametrize("term", [
    _term(NOW + 10 * DAY, renewal_pending=True),
    _term(NOW + 10 * DAY, withdrawn_at=NOW - DAY),
    _term(NOW),
    _term(NOW - DAY),
])
def test_no_renewal_reminder_when_renewing_withdrawn_or_expired(term: RecognitionTerm) -> None:
    """Nobody is told to renew what is being renewed, was withdrawn or has ended."""
    assert reminders(now=NOW, recognitions=[term]) == []


def test_reminders_come_earliest_due_first() -> None:
    """Overdue before due soon before a renewal far off."""
    found = reminders(now=NOW, applications=[
        _step(State.REVIEWED, NOW - 12 * DAY, "app_soon"),
        _step(State.REVIEWED, NOW - 20 * DAY, "app_late"),
    ], recognitions=[_term(NOW + 30 * DAY)])
    assert [r.subject for r in found] == [
        "application:app_late", "application:app_soon", "recognition:rec_1"]
    assert [r.kind for r in found] == [
        ReminderKind.OVERDUE, ReminderKind.DUE_SOON, ReminderKind.RENEWAL_DUE]


def test_reminders_name_the_programme_by_its_title_not_by_ids() -> None:
    """With the programme's title, the message names it in each language; no raw id shows."""
    title = Label("データ活用入門", "Introduction to data use")
    step = PendingStep("app_7f3a", State.AWAITING_ASSIGNMENT, NOW - dt.timedelta(days=12),
                       due_at(State.AWAITING_ASSIGNMENT, NOW - dt.timedelta(days=12)),
                       ("user:1",), title=title)
    [reminder] = reminders(now=NOW, applications=[step])
    assert words(reminder.message, "ja").startswith("「データ活用入門」の申請：")
    assert words(reminder.message, "en").startswith(
        "The application for “Introduction to data use”: ")
    assert "app_7f3a" not in words(reminder.message, "ja") + words(reminder.message, "en")
    [renewal] = reminders(now=NOW, recognitions=[_term(NOW + 30 * DAY, title=title)])
    assert words(renewal.message, "en").startswith(
        "The recognition for “Introduction to data use” ends")
    assert "rec_1" not in words(renewal.message, "ja") + words(renewal.message, "en")


def test_a_title_in_one_language_serves_both() -> None:
    """A programme titled only in Japanese is named so in the English message too."""
    [reminder] = reminders(now=NOW, recognitions=[_term(NOW + 30 * DAY,
                                                        title=Label("生成AI", ""))])
    assert "“生成AI”" in words(reminder.message, "en")
    assert "「生成AI」" in words(reminder.message, "ja")
