"""What the Open Badges 2.0 steps share: the fetching seam, reading JSON, and the graph of a
badge's objects (assertion, BadgeClass, issuer) as fetched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.verification import json_values
from credstack.core.verification.checks import Refusal as _Refusal
from credstack.core.verification.checks import not_checked as _not_checked
from credstack.core.verification.pipeline import MAX_CREDENTIAL_BYTES, ProgrammeLookup
from credstack.core.verification.report import (
    Check,
    CheckKind,
    Meaning,
    Notice,
)
from credstack.errors import (
    CredstackError,
    RedirectRefusedError,
)


class DocumentFetcher(Protocol):
    """An http(s) URL → the bytes served there, or ``None`` when it answers 404 or 410.

    Raises a :class:`~credstack.errors.CredstackError` (or ``OSError``) when it cannot or
    may not fetch (a refused address, a timeout, a body over its limit).
    """

    def __call__(self, url: str, /) -> bytes | None: ...


@dataclass(frozen=True, slots=True)
class _Node:
    """A Badge Object and where it came from: the URL it was fetched from, or None."""

    document: Mapping[str, Any]
    location: str | None
    notices: tuple[Notice, ...] = ()


class _Memo:
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


#: Fetched documents, parsed: (url, what, bytes) → _Node. Treated as read-only.
_DOCUMENTS: Final = _Memo(256)


#: Validation of a fetched document: (id of its parse, class, where) → (parse, problems, notes).
_VALIDATED: Final = _Memo(512)


#: What a fetched BadgeClass means: (id of its parse, date of issuing) → (parse, meaning parts).
_MEANINGS: Final = _Memo(128)


@dataclass(slots=True)
class Ob2State:
    """What the steps share: the inputs and seams, then what earlier steps found out."""

    input: object
    fetch: DocumentFetcher
    now: dt.datetime
    recipient: str | None
    programme_lookup: ProgrammeLookup
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
    fetched: dict[str, _Node | _Refusal] = field(default_factory=dict)
    badge: _Node | _Refusal | None = None
    issuer: _Node | _Refusal | None = None
    meaning: Meaning | None = None
    results: dict[str, Check] = field(default_factory=dict)


Ob2Step = Callable[[Ob2State], Check]


def _unread(name: str) -> Check:
    return _not_checked(name, "the badge could not be read", "バッジを読み取れませんでした")


def _not_an_assertion(name: str, state: Ob2State) -> Check:
    return Check(name, None, f"not applicable: a {state.kind}, not an assertion (nothing is "
                             "awarded, so only its data is validated)",
                 f"対象外：アサーションではなく {state.kind} です（授与を表さないため、データの"
                 "検証のみ行います）", {"kind": state.kind}, code="not-an-assertion",
                 kind=CheckKind.INFO)


def _too_large(size: int, what: str) -> _Refusal:
    return _Refusal("too-large", f"{what} is {size:,} bytes; credstack reads at most "
                                 f"{MAX_CREDENTIAL_BYTES:,}",
                    f"大きすぎます（{size:,} バイト。上限は {MAX_CREDENTIAL_BYTES:,} バイト）",
                    bytes=size, limit=MAX_CREDENTIAL_BYTES)


#: Documents (their bytes) already found within the nesting limit. An issuer's profile, key,
#: revocation list and BadgeClass come back for every badge it issued; measuring their depth
#: again would cost more than parsing them. Bounded, and only small documents are kept.
_WITHIN_DEPTH: Final = _Memo(512)


_MEMO_BYTES: Final = 64 * 1024


def _loads(data: str | bytes, what: str) -> Any:
    if len(data) > MAX_CREDENTIAL_BYTES:
        raise _too_large(len(data), what)
    known = isinstance(data, bytes) and _WITHIN_DEPTH.get(data) is not None
    value = json_values.strict_loads(data, what, check_depth=not known)
    if not known and isinstance(data, bytes) and len(data) <= _MEMO_BYTES:
        _WITHIN_DEPTH.put(data, True)
    return value


def _fetch(state: Ob2State, url: Any, what: str, what_ja: str) -> _Node:
    """The Badge Object at ``url`` (fetched once per verification), or :class:`_Refusal`.

    A document whose ``id`` differs from its URL is accepted with a warning when the id is
    on the same host (a redirect within the site) or is not an HTTP URL; one that claims an
    id on another host is refused: it would speak for that host.
    """
    if not ob2.is_http_url(url):
        raise _Refusal("not-fetchable", f"{what} {url!r} is not an http(s) URL, so it cannot "
                                        "be fetched",
                       f"{what_ja} {url!r} は http(s) の URL ではないため取得できません",
                       url=url)
    known = state.fetched.get(url)
    if isinstance(known, _Refusal):
        raise known
    if known is not None:
        return known
    try:
        node = _fetch_node(state, url, what, what_ja)
    except _Refusal as refusal:
        state.fetched[url] = refusal
        raise
    state.fetched[url] = node
    return node


def _fetch_node(state: Ob2State, url: str, what: str, what_ja: str) -> _Node:
    try:
        data = state.fetch(url)
    except (CredstackError, OSError) as exc:
        raise _unfetchable(exc, url, f"{what} ", f"{what_ja} ") from None
    if data is None:
        raise _Refusal("not-found", f"{what} {url} is not served (HTTP 404 or 410)",
                       f"{what_ja} {url} は公開されていません（HTTP 404 または 410）", url=url)
    if not isinstance(data, bytes | bytearray):
        raise TypeError(f"fetch must return bytes or None, not {type(data).__name__}")
    data = bytes(data)
    memo_key = (url, what, data) if len(data) <= _MEMO_BYTES else None
    known = _DOCUMENTS.get(memo_key) if memo_key is not None else None
    if known is not None:
        node: _Node = known
        return node
    document = _loads(data, f"{what} at {url}")
    if not isinstance(document, dict):
        raise _Refusal("not-an-object", f"{what} at {url} is not a JSON object",
                       f"{what_ja} {url} は JSON オブジェクトではありません", url=url)
    notices: list[Notice] = []
    claimed = document.get("id")
    if isinstance(claimed, str) and claimed != url:
        if ob2.is_http_url(claimed) and not ob2.same_authority(claimed, url):
            raise _Refusal("foreign-id", f"{what} fetched from {url} calls itself {claimed}, on "
                                         "another host: it cannot speak for that host",
                           f"{url} から取得した{what_ja}は別のホストの {claimed} を名乗っています",
                           url=url, id=claimed)
        notices.append(Notice("id-differs", f"{what} fetched from {url} calls itself {claimed}",
                              f"{url} から取得した{what_ja}の id は {claimed} です"))
    node = _Node(document, url, tuple(notices))
    if memo_key is not None:
        _DOCUMENTS.put(memo_key, node)
    return node


def _badge(state: Ob2State) -> _Node:
    if isinstance(state.badge, _Refusal):
        raise state.badge
    if state.badge is not None:
        return state.badge
    assert state.document is not None
    source = state.document if state.kind == "Assertion" else None
    try:
        if source is None:
            node = _Node(state.document, state.source)
        else:
            value = source.get("badge")
            if isinstance(value, Mapping):
                node = _Node(value, None)
            elif isinstance(value, str):
                node = _fetch(state, value, "the BadgeClass", "バッジクラス")
            else:
                raise _Refusal("no-badge", "the assertion names no BadgeClass (badge)",
                               "アサーションにバッジクラス（badge）がありません")
    except _Refusal as refusal:
        state.badge = refusal
        raise
    state.badge = node
    return node


def _issuer(state: Ob2State) -> _Node:
    """The issuer Profile, fetched from its id whenever that is an http(s) URL.

    An embedded profile is never trusted for what verification rests on — its keys, its
    verification policy — when it can be fetched: anyone can embed a profile that names a
    famous issuer and lists their own key.
    """
    if isinstance(state.issuer, _Refusal):
        raise state.issuer
    if state.issuer is not None:
        return state.issuer
    try:
        badge = _badge(state)
        value = badge.document.get("issuer")
        if isinstance(value, str):
            node = _fetch(state, value, "the issuer profile", "発行者プロファイル")
        elif isinstance(value, Mapping):
            embedded_id = value.get("id")
            if ob2.is_http_url(embedded_id):
                node = _fetch(state, embedded_id, "the issuer profile", "発行者プロファイル")
            else:
                node = _Node(value, None)
        else:
            raise _Refusal("no-issuer", "the BadgeClass names no issuer",
                           "バッジクラスに発行者（issuer）がありません")
    except _Refusal as refusal:
        state.issuer = refusal
        raise
    state.issuer = node
    return node


def _issuer_id(node: _Node) -> str:
    value = node.document.get("id")
    return value if isinstance(value, str) else (node.location or "?")


def _revoked(state: Ob2State) -> bool:
    return state.document is not None and state.document.get("revoked") is True


def _unfetchable(exc: CredstackError | OSError, url: str, what: str, what_ja: str
                 ) -> _Refusal:
    """Why a document could not be fetched: ``redirect-refused`` when the fetcher refused
    where a redirect led (the hop is named in the reason), else ``unreachable``."""
    reason = exc.message if isinstance(exc, CredstackError) else str(exc)
    code = "redirect-refused" if isinstance(exc, RedirectRefusedError) else "unreachable"
    return _Refusal(code, f"{what}{url} could not be fetched: {reason}",
                    f"{what_ja}{url} を取得できません：{reason}", url=url)
