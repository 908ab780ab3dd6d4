"""The credit ledger: deposits entered, reserved, withdrawn irrevocably or expired, and every
entry the entries before it do not allow refused."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credstack.core.creditbank import LedgerEntry, Movement, balances, expiries_due, post
from credstack.errors import LedgerError
from tests.words import words

D = Decimal
DAY = dt.date(2020, 4, 1)


def entry(movement: Movement, credits: str, *, deposit: str = "d1", programme: str | None = None,
          source: str = "urn:vc:1", on: dt.date = DAY, rule: str = "deposit") -> LedgerEntry:
    return LedgerEntry(movement, deposit, D(credits), "jp-tani", on, rule, source, programme)


DEPOSIT = entry(Movement.DEPOSIT, "10")


def test_reserving_then_withdrawing_moves_credits_out_for_good() -> None:
    """10 entered, 4 reserved for P, 4 withdrawn into P (from the reservation), 2 more."""
    ledger = (DEPOSIT, entry(Movement.RESERVE, "4", programme="P", source="app-1"),
              entry(Movement.WITHDRAW, "4", programme="P", source="decision-1"),
              entry(Movement.WITHDRAW, "2", programme="Q", source="decision-2"))
    (balance,) = balances(ledger).values()
    assert (balance.entered, balance.withdrawn, balance.reserved, balance.available) == (
        D(10), D(6), {}, D(4))


def test_withdrawing_more_than_is_available_is_refused() -> None:
    """Reserved credits are not available to another programme."""
    ledger = (DEPOSIT, entry(Movement.RESERVE, "8", programme="P"))
    with pytest.raises(LedgerError) as caught:
        post(ledger, entry(Movement.WITHDRAW, "3", programme="Q"))
    assert re.search("only 2 credits can be withdrawn into 'Q'", words(caught.value))


def test_released_credits_are_available_again_and_only_what_is_held_is_released() -> None:
    """A refused application gives its reservation back; nothing more than was held."""
    ledger = (DEPOSIT, entry(Movement.RESERVE, "8", programme="P"),
              entry(Movement.RELEASE, "5", programme="P"))
    (balance,) = balances(ledger).values()
    assert (balance.reserved, balance.available) == ({"P": D(3)}, D(7))
    with pytest.raises(LedgerError) as caught:
        post(ledger, entry(Movement.RELEASE, "4", programme="P"))
    assert re.search("only 3 credits are reserved for 'P'", words(caught.value))
    with pytest.raises(LedgerError) as caught:
        post(ledger, entry(Movement.RELEASE, "1", programme="Q"))
    assert re.search("only 0 credits are reserved for 'Q'", words(caught.value))
    released = post(ledger, entry(Movement.RELEASE, "3", programme="P"))
    assert balances(released)["d1"].reserved == {}


def test_a_deposit_withdrawn_in_full_cannot_be_withdrawn_again() -> None:
    """Withdrawal is irrevocable: the credits cannot count twice."""
    ledger = (DEPOSIT, entry(Movement.WITHDRAW, "10", programme="P"))
    with pytest.raises(LedgerError) as caught:
        post(ledger, entry(Movement.WITHDRAW, "1", programme="Q"))
    assert re.search("already withdrawn in full", words(caught.value))


def test_an_expired_deposit_cannot_be_reserved_or_withdrawn() -> None:
    """Expired credits are gone, reservations included."""
    ledger = (DEPOSIT, entry(Movement.RESERVE, "3", programme="P"),
              entry(Movement.EXPIRE, "10", rule="in.abc-expiry"))
    assert balances(ledger)["d1"].reserved == {}
    with pytest.raises(LedgerError) as caught:
        post(ledger, entry(Movement.WITHDRAW, "1", programme="P"))
    assert re.search("expired", words(caught.value))


def test_one_credential_is_deposited_once() -> None:
    """Two deposits of one credential would count it twice; a rule may allow it."""
    twice = (DEPOSIT, entry(Movement.DEPOSIT, "10", deposit="d2"))
    with pytest.raises(LedgerError) as caught:
        balances(twice)
    assert re.search("already deposited as 'd1'", words(caught.value))
    assert set(balances(twice, one_deposit_per_credential=False)) == {"d1", "d2"}


@pytest.mark.parametrize(("bad", "message"), [
    (entry(Movement.WITHDRAW, "1", deposit="nope", programme="P"), "no such deposit"),
    (entry(Movement.RESERVE, "1"), "names its programme"),
    (entry(Movement.RESERVE, "0", programme="P"), "above 0"),
    (entry(Movement.DEPOSIT, "1"), "already entered"),
    (LedgerEntry(Movement.RESERVE, "d1", D(1), "ects", DAY, "r", "s", "P"), "in jp-tani"),
])
def test_other_invalid_entries_are_refused_with_a_reason(bad: LedgerEntry, message: str) -> None:
    """Every refusal says what was wrong, in English and Japanese."""
    with pytest.raises(LedgerError) as caught:
        post((DEPOSIT,), bad)
    assert message in words(caught.value)
    assert "台帳の記帳 2（" in words(caught.value, "ja")


def test_the_academic_bank_of_credits_expires_what_is_left_after_seven_years() -> None:
    """Earned 1 April 2020: the 6 credits not withdrawn lapse on 1 April 2027."""
    ledger = (DEPOSIT, entry(Movement.WITHDRAW, "4", programme="P"))
    assert expiries_due(ledger, today=dt.date(2027, 3, 31), years=7, rule="in.abc-expiry") == ()
    (due,) = expiries_due(ledger, today=dt.date(2027, 4, 1), years=7, rule="in.abc-expiry")
    assert (due.movement, due.credits, due.on, due.rule) == (
        Movement.EXPIRE, D(6), dt.date(2027, 4, 1), "in.abc-expiry")
    post(ledger, due)


_MOVES = st.lists(st.tuples(st.sampled_from([Movement.RESERVE, Movement.RELEASE,
                                             Movement.WITHDRAW, Movement.EXPIRE]),
                            st.integers(min_value=1, max_value=6),
                            st.sampled_from(["P", "Q"])), max_size=25)


@settings(max_examples=300, deadline=None)
@given(_MOVES)
def test_whatever_is_posted_credits_are_never_held_or_spent_beyond_what_was_entered(
        moves: list[tuple[Movement, int, str]]) -> None:
    """Every sequence of reservations, releases, withdrawals and expiries the ledger accepts
    keeps each programme's reservation and the deposit's availability at 0 or more, and
    reserved + withdrawn + expired + available = entered; a refused entry changes nothing."""
    ledger: tuple[LedgerEntry, ...] = (DEPOSIT,)
    for movement, credits, programme in moves:
        candidate = entry(movement, str(credits),
                          programme=None if movement is Movement.EXPIRE else programme)
        try:
            ledger = post(ledger, candidate)
        except LedgerError:
            continue
        balance = balances(ledger)["d1"]
        assert balance.available >= 0
        assert all(held > 0 for held in balance.reserved.values())
        assert (sum(balance.reserved.values(), D(0)) + balance.withdrawn + balance.expired
                + balance.available) == balance.entered
