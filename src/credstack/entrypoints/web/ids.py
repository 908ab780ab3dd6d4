"""The integers a route takes, bounded at the edge: an id past what the store holds is a
422 problem (or, on a page, the error page), never a 500 from the database.

The store's id columns are PostgreSQL ``integer`` (up to 2^31 - 1; SQLite's reach 2^63 - 1):
a larger number names nothing, and passed on, PostgreSQL refuses it (``DataError``) and
SQLite's driver cannot bind it (``OverflowError``). Every path and query parameter that is an
id or a version is one of the types here; a test walks every route with larger numbers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from credstack.core.types import MAX_ID

__all__ = ["MAX_ID", "PathId", "PathNumber", "PathVersion", "QueryVersion"]

#: An id (a programme's, an invitation's …) in the path.
PathId = Annotated[int, Path(ge=1, le=MAX_ID, description="An id (1 to 2^31 - 1).")]
#: A number counted from 0 in the path (a status list's).
PathNumber = Annotated[int, Path(ge=0, le=MAX_ID, description="A number (0 to 2^31 - 1).")]
#: A version number in the path.
PathVersion = Annotated[int, Path(ge=1, le=MAX_ID, description="A version (1 to 2^31 - 1).")]
#: A version number in the query, when one is given.
QueryVersion = Annotated[int | None, Query(ge=1, le=MAX_ID,
                                           description="A version (1 to 2^31 - 1).")]
