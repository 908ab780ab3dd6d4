"""Request-scoped dependencies, as ``Annotated`` aliases the routes declare.

``RuntimeDep`` is the application's :class:`~credstack.services.runtime.Runtime`: routes and
pages hand it to the services, which open their own transactions.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from credstack.services.runtime import Runtime


async def _runtime(request: Request) -> Runtime:
    # async: FastAPI runs a plain function dependency in a worker thread, a hand-off that
    # cost every request more than reading this attribute.
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(_runtime)]
