"""Request-scoped dependencies, as ``Annotated`` aliases the routes declare."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session


def _session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back on error."""
    with request.app.state.sessions() as session, session.begin():
        yield session


def _now(request: Request) -> dt.datetime:
    now: dt.datetime = request.app.state.clock()
    return now


SessionDep = Annotated[Session, Depends(_session, scope="function")]
NowDep = Annotated[dt.datetime, Depends(_now)]
