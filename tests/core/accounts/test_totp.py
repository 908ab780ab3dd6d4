"""TOTP codes (RFC 6238): the published vector, clock drift, no replay."""

from __future__ import annotations

import base64
import datetime as dt

from credstack.core.accounts.totp import STEP, check_code

#: RFC 6238 appendix B's SHA-1 secret ("12345678901234567890"), as base32.
SECRET = base64.b32encode(b"12345678901234567890").decode("ascii")
#: At 59 seconds past the epoch the code is 94287082 (8 digits); its last 6: 287082.
AT = dt.datetime.fromtimestamp(59, dt.UTC)


def test_the_rfc_6238_vector_is_accepted_for_its_step() -> None:
    checked = check_code(SECRET, "287082", now=AT, last_step=None)
    assert checked.accepted and checked.step == 59 // STEP


def test_one_step_of_drift_either_way_is_accepted_and_two_are_not() -> None:
    assert check_code(SECRET, "287 082", now=AT + dt.timedelta(seconds=STEP),
                      last_step=None).accepted
    assert check_code(SECRET, "287082", now=AT + dt.timedelta(seconds=2 * STEP),
                      last_step=None).reason == "wrong code"


def test_a_code_is_never_accepted_twice_nor_an_older_one() -> None:
    assert check_code(SECRET, "287082", now=AT, last_step=1).reason == "code replayed"
    assert check_code(SECRET, "287082", now=AT, last_step=2).reason == "code replayed"


def test_no_code_is_missing() -> None:
    assert check_code(SECRET, "  ", now=AT, last_step=None).reason == "code missing"
