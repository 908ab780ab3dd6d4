"""Request-scoped dependencies, as ``Annotated`` aliases the routes declare.

``RuntimeDep`` is the application's :class:`~credstack.services.runtime.Runtime`: routes and
pages hand it to the services, which open their own transactions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from credstack.services.runtime import Runtime


def _session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back on error."""
    with request.app.state.sessions() as session, session.begin():
        yield session


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def _now(request: Request) -> dt.datetime:
    now: dt.datetime = request.app.state.clock()
    return now


SessionDep = Annotated[Session, Depends(_session, scope="function")]
NowDep = Annotated[dt.datetime, Depends(_now)]
RuntimeDep = Annotated[Runtime, Depends(_runtime)]
