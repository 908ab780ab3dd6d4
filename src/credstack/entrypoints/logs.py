"""How the server and the workers write their logs: readable lines, or one JSON object a line.

``text`` (the default) leaves logging as it has been: warnings and errors as readable lines on
standard error, for a person at a terminal. ``json`` (``CREDSTACK_LOG_FORMAT=json`` or
``--log-format json``) writes every record at ``INFO`` and above as one JSON object per line,
for a log collector: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``event`` (the message),
``request_id`` when the record was written while a request or a job was being served, and
whatever the record carries in its ``extra`` fields — the access log's ``method``,
``route``, ``status`` and ``duration_ms`` (see :mod:`credstack.entrypoints.web.observability`).
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from typing import Any, Final, TextIO

import orjson

from credstack.services import requests

__all__ = ["ACCESS_LOGGER", "JsonFormatter", "configure"]

#: The logger of the access log (one record per request answered).
ACCESS_LOGGER: Final = "credstack.requests"
#: The attributes every :class:`logging.LogRecord` has: anything else came as ``extra``.
_STANDARD: Final = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        request_id = requests.current()
        if request_id is not None:
            document["request_id"] = request_id
        for name, value in vars(record).items():
            if name not in _STANDARD and not name.startswith("_"):
                document[name] = value
        if record.exc_info:
            document["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(document, default=str).decode()


def configure(log_format: str, *, stream: TextIO | None = None) -> None:
    """Set the process's logging up for ``log_format`` (``text`` leaves it as it is)."""
    if log_format != "json":
        return
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # uvicorn's own loggers write through the root's handler too, in the same format and from
    # the same level (its start and stop at INFO); its access log is replaced by credstack's,
    # which knows the route and the request id.
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
        logger.setLevel(logging.NOTSET)
    logging.getLogger("uvicorn.access").disabled = True
