"""Reading the answers of LTI Advantage's services: Names and Role Provisioning Services 2.0
(https://www.imsglobal.org/spec/lti-nrps/v2p0) and Assignment and Grade Services 2.0
(https://www.imsglobal.org/spec/lti-ags/v2p0), their pages and the scopes to ask for.

Pages follow ``Link: <…>; rel="next"`` (both specifications); a platform that puts
``next`` in the body is read too. :class:`Pages` refuses a page already read (a loop) and
stops at :data:`MAX_PAGES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from credstack.errors import InputError, Problem

__all__ = ["MAX_PAGES", "SCOPES", "Member", "Pages", "Result", "line_item_of", "members",
           "next_page", "results"]

SCOPES: Final = (
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly")
MEMBERSHIPS: Final = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
LINE_ITEMS: Final = "application/vnd.ims.lis.v2.lineitemcontainer+json"
RESULTS: Final = "application/vnd.ims.lis.v2.resultcontainer+json"
#: A roster of 100,000 learners at 100 a page; past it a platform is looping.
MAX_PAGES: Final = 1000
LEARNER: Final = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


@dataclass(frozen=True, slots=True)
class Member:
    user_id: str
    name: str
    email: str | None
    learner: bool
    active: bool


@dataclass(frozen=True, slots=True)
class Result:
    user_id: str
    score: float | None
    maximum: float | None


def _loop(url: str) -> InputError:
    return InputError(code="lti.pages.loop", params={"url": url}, problems=[Problem(
        "next", code="lti.pages.read_already", rule="lti-page-loop")])


@dataclass
class Pages:
    """The URLs of one reading's pages, each read once."""

    seen: set[str] = field(default_factory=set)

    def visit(self, url: str) -> None:
        if url in self.seen or len(self.seen) >= MAX_PAGES:
            raise _loop(url)
        self.seen.add(url)


def next_page(link_header: str, body: Any) -> str | None:
    """The next page's URL from a ``Link`` header (RFC 8288), else a body's ``next``."""
    for part in link_header.split(","):
        target, _, params = part.partition(";")
        if 'rel="next"' in params.replace(" ", "") or "rel=next" in params.replace(" ", ""):
            return target.strip().strip("<>")
    if isinstance(body, Mapping) and isinstance(body.get("next"), str):
        return str(body["next"])
    return None


def members(body: Any) -> list[Member]:
    """The members of an NRPS membership container page."""
    found = []
    for item in (body or {}).get("members") or () if isinstance(body, Mapping) else ():
        if not isinstance(item, Mapping) or not item.get("user_id"):
            continue
        name = item.get("name") or " ".join(
            str(item[key]) for key in ("family_name", "given_name") if item.get(key))
        roles = [str(role) for role in item.get("roles") or ()]
        found.append(Member(
            user_id=str(item["user_id"]), name=str(name or item["user_id"]),
            email=str(item["email"]).strip().lower() if item.get("email") else None,
            learner=any(role in (LEARNER, "Learner") for role in roles),
            active=item.get("status", "Active") == "Active"))
    return found


def _items(body: Any) -> list[Any]:
    """A container page's items: a JSON array (the specification), or the ``content`` of an
    object (what some platforms send)."""
    if isinstance(body, Mapping):
        body = body.get("content")
    return body if isinstance(body, list) else []


def line_item_of(body: Any, wanted: str) -> Mapping[str, Any] | None:
    """The line item of a container page whose id, tag, resourceId or label is ``wanted``."""
    for item in _items(body):
        if isinstance(item, Mapping) and wanted in (item.get("id"), item.get("tag"),
                                                     item.get("resourceId"), item.get("label")):
            return item
    return None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


def results(body: Any, *, score_maximum: float | None) -> list[Result]:
    """The results of a result container page; a result without ``resultMaximum`` takes the
    line item's ``scoreMaximum`` (``None`` when that is missing too)."""
    found = []
    for item in _items(body):
        if not isinstance(item, Mapping) or item.get("userId") in (None, ""):
            continue
        maximum = _number(item.get("resultMaximum"))
        found.append(Result(str(item["userId"]), _number(item.get("resultScore")),
                            maximum if maximum is not None else score_maximum))
    return found
