"""What the Open Badges 2.0 steps share: the state they pass along, the fetching seam, reading
JSON, and the graph of a badge's objects (assertion, BadgeClass, issuer) as fetched."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.crypto.canonicalization import DocumentLoader
from credstack.core.said import Said, said_of
from credstack.core.verification import json_values
from credstack.core.verification.checks import Refusal, once
from credstack.core.verification.json_values import MAX_DEPTH
from credstack.core.verification.meaning import ProgrammeLookup
from credstack.core.verification.reading import MAX_CREDENTIAL_BYTES, Subject
from credstack.core.verification.report import Check, CheckKind, Missing, Notice
from credstack.core.verification.runner import State
from credstack.errors import CredstackError, OutOfReachError, RedirectRefusedError

__all__ = ["BADGE", "DocumentFetcher", "Memo", "Node", "Ob2State", "Ob2Step",
           "badge_class", "document_named", "fetched", "is_revoked", "issuer_profile", "node_id",
           "not_an_assertion", "read_json", "too_large", "unfetchable"]

#: A badge, as the messages of its checks name it.
BADGE: Final = Subject("verification.subject.badge", MAX_CREDENTIAL_BYTES,
                       changed="verification.check.proof.changed.badge")


class DocumentFetcher(Protocol):
    """An http(s) URL → the bytes served there, or ``None`` when it answers 404 or 410.

    Raises a :class:`~credstack.errors.CredstackError` (or ``OSError``) when it cannot or
    may not fetch (a refused address, a timeout, a body over its limit).
    """

    def __call__(self, url: str, /) -> bytes | None: ...


@dataclass(frozen=True, slots=True)
class Node:
    """A Badge Object and where it came from: the URL it was fetched from, or None."""

    document: Mapping[str, Any]
    location: str | None
    notices: tuple[Notice, ...] = ()


class Memo:
    """A small bounded memo of a pure function's results (emptied when full).

    Verification fetches the same few documents for every badge of an issuer — its profile,
    key, revocation list, BadgeClass — and reads them the same way each time. What is kept
    here is keyed by the exact bytes fetched (and what they were fetched as), so a changed
    document is read afresh; only results that depend on nothing else are kept.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: dict[Any, Any] = {}

    def get(self, key: Any) -> Any:
        return self._data.get(key)

    def put(self, key: Any, value: Any) -> None:
        if len(self._data) >= self._size:
            self._data.clear()
        self._data[key] = value


#: Fetched documents, parsed: (url, what, bytes) → Node. Treated as read-only.
_DOCUMENTS: Final = Memo(256)


@dataclass(slots=True, kw_only=True)
class Ob2State(State):
    """What the steps share: the inputs and seams, then what earlier steps found out."""

    fetch: DocumentFetcher
    recipient: str | None
    programme_lookup: ProgrammeLookup
    #: The JSON-LD contexts a Blockcerts v2 certificate is hashed with (its receipt checked);
    #: ``None``: no receipt is checked, it could not be.
    document_loader: DocumentLoader | None = None
    #: The Badge Object verified: for a hosted assertion, the copy its issuer serves.
    document: dict[str, Any] | None = None
    #: Its class (``Assertion``, ``BadgeClass`` …; ``External``/``Unknown`` otherwise).
    kind: str | None = None
    jws: ob2.Jws | None = None
    #: Where the input was fetched from, when it was given as a URL.
    source: str | None = None
    #: ``hosted`` or ``signed`` once the proof step has decided.
    verification: str | None = None
    #: The key that verified a signed badge, and the issuer it belongs to.
    signer: str | None = None
    #: What was fetched (or refused) in this verification, by URL.
    fetched: dict[str, Node | Refusal] = field(default_factory=dict)
    #: The BadgeClass and the issuer Profile (``badge``, ``issuer``), once read.
    graph: dict[str, Node | Refusal] = field(default_factory=dict)


#: One step of a badge's verification.
Ob2Step = Callable[[Ob2State], Check]


def not_an_assertion(name: str, state: Ob2State) -> Check:
    """The check ``name`` does not apply: the document awards nothing."""
    return Check(name, None, "", "", {"kind": state.kind}, code="not-an-assertion",
                 kind=CheckKind.INFO,
                 said=Said("verification.check.ob2.not_an_assertion", kind=state.kind))


#: Documents (their bytes) already found within the nesting limit. An issuer's profile, key,
#: revocation list and BadgeClass come back for every badge it issued; measuring their depth
#: again would cost more than parsing them. Bounded, and only small documents are kept.
_WITHIN_DEPTH: Final = Memo(512)


_MEMO_BYTES: Final = 64 * 1024


def too_large(size: int, what: Said | str) -> Refusal:
    """``what`` (a phrase, or a URL) is ``size`` bytes, more than a badge's steps read: the
    refusal of :func:`~..reading.too_large`, said as a badge's checks say it."""
    return Refusal("too-large", Said("verification.check.ob2.too_large", what=what, bytes=size,
                                     limit=MAX_CREDENTIAL_BYTES),
                   bytes=size, limit=MAX_CREDENTIAL_BYTES)


def read_json(data: str | bytes, what: Said) -> Any:
    """``data`` parsed strictly as JSON (:func:`~..json_values.strict_loads`), within the
    limits; ``what`` names it in the refusal."""
    if len(data) > MAX_CREDENTIAL_BYTES:
        raise too_large(len(data), what)
    known = isinstance(data, bytes) and _WITHIN_DEPTH.get(data) is not None
    try:
        value = json_values.strict_loads(data, what, check_depth=not known)
    except Refusal as refusal:
        if refusal.code != "too-deep":
            raise
        raise Refusal("too-deep", Said("verification.check.ob2.too_deep", what=what,
                                       depth=MAX_DEPTH)) from None
    if not known and isinstance(data, bytes) and len(data) <= _MEMO_BYTES:
        _WITHIN_DEPTH.put(data, True)
    return value


def document_named(name: str) -> Said:
    """The document ``name`` (``badge_class``, ``issuer_profile``, ``revocation_list``,
    ``hosted_assertion``, ``key``: ``verification.check.ob2.document.<name>``) as a message
    says it (``the BadgeClass``)."""
    return Said(f"verification.check.ob2.document.{name}")


def fetched(state: Ob2State, url: Any, name: str) -> Node:
    """The Badge Object at ``url`` (fetched once per verification), or :class:`Refusal`;
    ``name`` names it (as :func:`document_named` does).

    A document whose ``id`` differs from its URL is accepted with a warning when the id is
    on the same host (a redirect within the site) or is not an HTTP URL; one that claims an
    id on another host is refused: it would speak for that host.
    """
    if not ob2.is_http_url(url):
        raise Refusal("not-fetchable", Said("verification.check.ob2.fetch.not_http",
                                            what=document_named(name), url=repr(url)),
                      url=url)
    return once(state.fetched, url, lambda: _fetch_node(state, url, name))


def _fetch_node(state: Ob2State, url: str, name: str) -> Node:
    what = document_named(name)
    try:
        data = state.fetch(url)
    except (CredstackError, OSError) as exc:
        raise unfetchable(exc, url, what) from None
    if data is None:
        raise Refusal("not-found", Said("verification.check.ob2.fetch.not_found", what=what,
                                        url=url),
                      missing=Missing("document", "not-found", url,
                                      f"{url} was not found (HTTP 404/410)"), url=url)
    if not isinstance(data, bytes | bytearray):
        raise TypeError(f"fetch must return bytes or None, not {type(data).__name__}")
    data = bytes(data)
    memo_key = (url, name, data) if len(data) <= _MEMO_BYTES else None
    known = _DOCUMENTS.get(memo_key) if memo_key is not None else None
    if known is not None:
        node: Node = known
        return node
    document = read_json(data, Said("verification.check.ob2.document_at", what=what, url=url))
    if not isinstance(document, dict):
        raise Refusal("not-an-object", Said("verification.check.ob2.fetch.not_an_object",
                                            what=what, url=url), url=url)
    notices: list[Notice] = []
    claimed = document.get("id")
    if isinstance(claimed, str) and claimed != url:
        if ob2.is_http_url(claimed) and not ob2.same_authority(claimed, url):
            raise Refusal("foreign-id", Said("verification.check.ob2.fetch.foreign_id",
                                             what=what, url=url, id=claimed),
                          url=url, id=claimed)
        notices.append(Notice("id-differs", said=Said("verification.check.ob2.fetch.id_differs",
                                                      what=what, url=url, id=claimed)))
    node = Node(document, url, tuple(notices))
    if memo_key is not None:
        _DOCUMENTS.put(memo_key, node)
    return node


def _read_badge_class(state: Ob2State) -> Node:
    assert state.document is not None
    if state.kind != "Assertion":
        return Node(state.document, state.source)
    value = state.document.get("badge")
    if isinstance(value, Mapping):
        return Node(value, None)
    if isinstance(value, str):
        return fetched(state, value, "badge_class")
    raise Refusal("no-badge", Said("verification.check.ob2.no_badge"))


def badge_class(state: Ob2State) -> Node:
    """The BadgeClass the assertion awards (the document itself, when it is a BadgeClass)."""
    return once(state.graph, "badge", lambda: _read_badge_class(state))


def _read_issuer_profile(state: Ob2State) -> Node:
    value = badge_class(state).document.get("issuer")
    if isinstance(value, str):
        return fetched(state, value, "issuer_profile")
    if isinstance(value, Mapping):
        embedded_id = value.get("id")
        if ob2.is_http_url(embedded_id):
            return fetched(state, embedded_id, "issuer_profile")
        return Node(value, None)
    raise Refusal("no-issuer", Said("verification.check.ob2.no_issuer"))


def issuer_profile(state: Ob2State) -> Node:
    """The issuer Profile, fetched from its id whenever that is an http(s) URL.

    An embedded profile is never trusted for what verification rests on — its keys, its
    verification policy — when it can be fetched: anyone can embed a profile that names a
    famous issuer and lists their own key.
    """
    return once(state.graph, "issuer", lambda: _read_issuer_profile(state))


def node_id(node: Node) -> str:
    """The ``id`` a Badge Object gives itself, else the URL it came from."""
    value = node.document.get("id")
    return value if isinstance(value, str) else (node.location or "?")


def is_revoked(state: Ob2State) -> bool:
    return state.document is not None and state.document.get("revoked") is True


def unfetchable(exc: CredstackError | OSError, url: str, what: Said | None = None) -> Refusal:
    """Why a document (``what``, when named) could not be fetched: ``redirect-refused`` when
    the fetcher refused where a redirect led (the hop is named in the reason), else
    ``unreachable``. Out of reach (:class:`~credstack.errors.OutOfReachError`, a network
    error), the check it ends is undecided, the document named as missing."""
    reason = exc.message if isinstance(exc, CredstackError) else str(exc)
    why = said_of(exc) if isinstance(exc, CredstackError) else reason
    code = "redirect-refused" if isinstance(exc, RedirectRefusedError) else "unreachable"
    missing = None
    if isinstance(exc, OutOfReachError):
        missing = Missing("document", exc.why, url, reason)
    elif isinstance(exc, OSError):
        missing = Missing("document", "unreachable", url, reason)
    said = Said("verification.check.ob2.fetch.failed", what=what, url=url, why=why) \
        if what is not None else Said("verification.check.ob2.fetch.failed_url", url=url, why=why)
    return Refusal(code, said, missing=missing, url=url)
