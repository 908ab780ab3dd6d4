"""Why a job failed, as stored: codes and parameters that read back as they were raised; the
words of failures stored before the codes read as they were."""

from __future__ import annotations

import json
from decimal import Decimal

from credstack.core.said import Named, Said
from credstack.errors import InputError, NotFoundError, Problem
from credstack.services.jobs.failures import Failure, described, then


def _stored(exc: BaseException) -> Failure:
    """``exc`` stored as the runner stores it (through JSON) and read back."""
    return Failure.read(json.loads(json.dumps(described(exc))))


def test_a_coded_error_reads_back_as_its_code_parameters_kind_and_problems() -> None:
    failure = _stored(InputError(
        code="creditbank.ws.fault.hours", params={"hours": Decimal("37.50"),
                                                  "what": Said("jobs.problem.no_job", id="x"),
                                                  "level": Named("eqf", "6")},
        problems=[Problem("rows[3].hours", code="jobs.problem.not_object"),
                  Problem("batch", "too long", message_ja="長すぎます")]))
    assert failure.what == Said("creditbank.ws.fault.hours", hours="37.5",
                                what=Said("jobs.problem.no_job", id="x"),
                                level=Named("eqf", "6"))
    assert failure.title == {"en": "Invalid input", "ja": "入力が正しくありません"}
    assert failure.problems == (
        Said("verification.data_model.at", location="rows[3].hours",
             what=Said("jobs.problem.not_object")),
        "batch: too long / batch: 長すぎます")
    assert failure.then is None


def test_an_error_in_words_keeps_its_words() -> None:
    failure = _stored(NotFoundError("There is no programme 42. / プログラム 42 はありません。"))
    assert failure.what == "There is no programme 42. / プログラム 42 はありません。"
    assert failure.title == {"en": "Not found", "ja": "見つかりません"}


def test_anything_else_is_an_unexpected_error_named_by_its_class() -> None:
    failure = _stored(ConnectionResetError("peer said no"))
    assert failure.what == Said("jobs.problem.unexpected", name="ConnectionResetError")
    assert failure.title is None and failure.problems == ()


def test_what_happens_next_is_said_after_it() -> None:
    stored = then(described(OSError()), Said("jobs.problem.retrying", seconds=10, attempt=2,
                                             attempts=5))
    assert Failure.read(json.loads(json.dumps(stored))).then == Said(
        "jobs.problem.retrying", seconds=10, attempt=2, attempts=5)


def test_a_failure_stored_before_the_codes_reads_as_its_two_languages() -> None:
    failure = Failure.read({"en": "It broke.", "ja": "壊れました。"})
    assert failure.what == "It broke. / 壊れました。"
    assert (failure.title, failure.problems, failure.then) == (None, (), None)
