"""Who a page of one's own is for: the user signed in with the session cookie.

Apart from the account pages (:mod:`.accounts`) so that every page of one's own — the
wallet's too — can ask for a signed-in user without importing the account pages, which
themselves show the wallet's credentials.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from credstack.entrypoints.web.access import Access, AccessDep
from credstack.errors import AccountDisabledError

NO_STORE = {"Cache-Control": "no-store"}


def see_other(path: str) -> RedirectResponse:
    """Go on to ``path`` (303, as after a form is posted); the answer is never cached."""
    return RedirectResponse(path, status_code=303, headers=NO_STORE)


def to_sign_in(request: Request, _: Exception | None = None) -> Response:
    """Send the visitor to sign in, and back here afterwards — query included, so that a
    filtered list or a chosen language is not lost (the handler of :class:`SignInFirst`)."""
    query = request.url.query
    back = quote(f"?{query}", safe="") if query else ""
    return see_other(f"/sign-in?next={request.url.path}{back}")


class SignInFirst(Exception):
    """A page of one's own asked for by someone not signed in with the session cookie:
    answered by :func:`to_sign_in` (see :func:`install`)."""


def web_user(access: Access) -> bool:
    """Whether a user is signed in with the session cookie (the account pages are theirs; a
    disabled account's cookie is refused with a page saying so)."""
    if isinstance(access.error, AccountDisabledError):
        raise access.error
    principal = access.principal
    return access.via == "session" and principal is not None and principal.user_id is not None


def _web_user(access: AccessDep) -> Access:
    if not web_user(access):
        raise SignInFirst
    return access


#: The caller of a page of one's own: a user signed in with the session cookie; anyone else
#: is sent to sign in (:class:`SignInFirst`) before the page runs.
WebUserDep = Annotated[Access, Depends(_web_user)]
