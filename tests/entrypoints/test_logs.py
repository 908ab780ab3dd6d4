"""Logs as one JSON object a line, or as they always were."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator

import pytest

from credstack.entrypoints.logs import JsonFormatter, configure
from credstack.services import requests


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """The root logger and uvicorn's as they were before the test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    uvicorn = [logging.getLogger(name) for name in ("uvicorn", "uvicorn.error")]
    kept = [(list(logger.handlers), logger.propagate, logger.level) for logger in uvicorn]
    access = logging.getLogger("uvicorn.access").disabled
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for logger, (old_handlers, propagate, old_level) in zip(uvicorn, kept, strict=True):
            logger.handlers[:], logger.propagate = old_handlers, propagate
            logger.setLevel(old_level)
        logging.getLogger("uvicorn.access").disabled = access


def test_a_record_is_one_line_with_the_request_id_and_its_extra_fields() -> None:
    """Time in UTC, level, logger, event, the current request id and the extra fields."""
    record = logging.LogRecord("credstack.requests", logging.INFO, __file__, 1, "request",
                               None, None)
    record.route, record.status = "/api/search", 200
    with requests.bound("abc-1"):
        line = JsonFormatter().format(record)
    assert "\n" not in line
    document = json.loads(line)
    assert document["time"].endswith("Z")
    assert {key: document[key] for key in ("level", "logger", "event", "request_id", "route",
                                           "status")} == {
        "level": "info", "logger": "credstack.requests", "event": "request",
        "request_id": "abc-1", "route": "/api/search", "status": 200}


def test_an_exception_stays_inside_its_line() -> None:
    """A traceback is a field of the one line, not lines of its own."""
    try:
        raise ValueError("broken")
    except ValueError:
        logger = logging.getLogger("credstack.test")
        record = logger.makeRecord("credstack.test", logging.ERROR, __file__, 1, "failed",
                                   None, sys.exc_info())
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert "ValueError: broken" in json.loads(line)["exception"]
    assert "request_id" not in json.loads(line)


@pytest.mark.usefixtures("restored_logging")
def test_json_sends_every_info_record_through_the_formatter() -> None:
    """``json``: the root logger writes INFO and above as JSON, credstack's and uvicorn's."""
    stream = io.StringIO()
    # As a server left them: uvicorn's loggers at WARNING, with handlers of their own.
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
    logging.getLogger("uvicorn").addHandler(logging.StreamHandler(io.StringIO()))
    configure("json", stream=stream)
    logging.getLogger("credstack.jobs").info("job %s done", "j1")
    logging.getLogger("uvicorn.error").info("Started server process")
    events = [json.loads(line)["event"] for line in stream.getvalue().splitlines()]
    assert events == ["job j1 done", "Started server process"]


@pytest.mark.usefixtures("restored_logging")
def test_text_leaves_logging_as_it_was() -> None:
    """``text`` (the default) changes nothing."""
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    configure("text")
    assert (list(root.handlers), root.level) == before
