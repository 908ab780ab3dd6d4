"""Verification of Open Badges 2.0 badges — hosted or signed, from any issuer.

Specification: *Open Badges v2.0*, IMS Final Release, 12 April 2018 (revision 21 May 2021) —
https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html — §"Data
Validation", §"Verification", §"HostedBadge Verification", §"SignedBadge Verification",
§"Revocation List"; where it is silent, the rules of the 1EdTech public validator
(:mod:`credstack.core.credentials.openbadges_v2` names them and the few places credstack is
stricter).

:func:`verify_badge` runs a list of steps over a shared :class:`Ob2State`, each returning
one :class:`~credstack.core.verification.report.Check` — the same report an Open Badges 3.0
credential gets (:mod:`credstack.core.verification.pipeline`), so that one page or one API
answer can show either:

``parse``       the input: an assertion's JSON, a signed badge (compact JWS), or the URL of
                a hosted assertion (fetched); other Badge Objects (a BadgeClass, a Profile)
                are read too, and only validated;
``proof``       hosted: the assertion as its issuer serves it at its ``id`` — "the input data
                should only be trusted to identify the URI", the served copy is verified;
                signed: the JWS signature, with a key the issuer's Profile lists
                (``verification.creator`` when the assertion names one), fetched from its
                URL, owned by the issuer; ``alg: none`` and a key of the wrong kind refused;
``contexts``    the Open Badges 2.0 context (no JSON-LD context is ever fetched);
``data-model``  the assertion, its BadgeClass and its issuer Profile: every required
                property, every value of its type, extensions with their own context;
``issuer``      hosted: the assertion's id within its issuer's verification policy
                (``startsWith``, ``allowedOrigins``, by default the issuer's own origin);
                signed: the key is the issuer's;
``validity``    issued (``issuedOn``) not in the future, not expired (``expires``);
``status``      not revoked: ``revoked: true`` on a hosted assertion, an entry in the
                issuer's ``RevocationList``;
``recipient``   when a recipient is given (an e-mail address …), the assertion's
                ``IdentityObject`` names it (salted SHA-256 or MD5 hash, or plain);
``meaning``     information: the badge as its Open Badges 3.0 equivalent
                (:mod:`credstack.core.credentials.conversions`), the micro-credential
                descriptors it carries, conformance per framework profile, the registry.

The seams are parameters: ``fetch`` returns the bytes at an http(s) URL (``None`` for 404
and 410) — the adapter's does it with limits, refuses private addresses and follows a few
redirects, each hop checked (a refused hop is a
:class:`~credstack.errors.RedirectRefusedError`, reported as ``redirect-refused``).
Redirects do not rename a document: what is served must call itself by the URL it was
requested from (a hosted assertion by its own ``id``, else ``id-mismatch``); ``now`` is the
time; ``programme_lookup`` finds the registry record of an achievement. Nothing here does
I/O or reads the clock. Verdict versus error: everything about the badge is a check; the
function raises only for a naive ``now`` or an empty list of checks.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from credstack.core.credentials import openbadges_v2 as ob2
from credstack.core.credentials.conversions import credential_from_assertion
from credstack.core.credentials.openbadges_v3 import EXTENSION_PROPERTY
from credstack.core.descriptors import ProfileReport, parse_programme, profiles, validate_all
from credstack.core.verification import json_values
from credstack.core.verification.checks import Refusal as _Refusal
from credstack.core.verification.checks import failed as _failed
from credstack.core.verification.checks import not_checked as _not_checked
from credstack.core.verification.checks import passed as _passed
from credstack.core.verification.checks import problem_dicts as _problems
from credstack.core.verification.checks import refused as _refused
from credstack.core.verification.json_values import depth as _depth
from credstack.core.verification.json_values import items as _items
from credstack.errors import (
    CredstackError,
    DescriptorError,
    MalformedCredentialError,
    NotFoundError,
    Problem,
    RedirectRefusedError,
    SignatureError,
)

from .pipeline import MAX_CREDENTIAL_BYTES, MAX_DEPTH, ProgrammeLookup
from .report import Check, CheckKind, DescriptorSource, Meaning, Notice, VerificationReport

__all__ = [
    "DEFAULT_CHECKS",
    "STEPS",
    "DocumentFetcher",
    "Ob2State",
    "Ob2Step",
    "check_contexts",
    "check_data_model",
    "check_issuer",
    "check_meaning",
    "check_parse",
    "check_proof",
    "check_recipient",
    "check_status",
    "check_validity",
    "verify_badge",
]


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


# --- building checks ------------------------------------------------------------------------





def _unread(name: str) -> Check:
    return _not_checked(name, "the badge could not be read", "バッジを読み取れませんでした")


def _not_an_assertion(name: str, state: Ob2State) -> Check:
    return Check(name, None, f"not applicable: a {state.kind}, not an assertion (nothing is "
                             "awarded, so only its data is validated)",
                 f"対象外：アサーションではなく {state.kind} です（授与を表さないため、データの"
                 "検証のみ行います）", {"kind": state.kind}, code="not-an-assertion",
                 kind=CheckKind.INFO)



# --- reading JSON ---------------------------------------------------------------------------

def _too_large(size: int, what: str) -> _Refusal:
    return _Refusal("too-large", f"{what} is {size:,} bytes; credstack reads at most "
                                 f"{MAX_CREDENTIAL_BYTES:,}",
                    f"大きすぎます（{size:,} バイト。上限は {MAX_CREDENTIAL_BYTES:,} バイト）",
                    bytes=size, limit=MAX_CREDENTIAL_BYTES)


#: Documents (their bytes) already found within the nesting limit. An issuer's profile, key,
#: revocation list and BadgeClass come back for every badge it issued; measuring their depth
#: again would cost more than parsing them. Bounded, and only small documents are kept.
_WITHIN_DEPTH: dict[bytes, None] = {}
_MEMO_ENTRIES: Final = 512
_MEMO_BYTES: Final = 64 * 1024


def _loads(data: str | bytes, what: str) -> Any:
    if len(data) > MAX_CREDENTIAL_BYTES:
        raise _too_large(len(data), what)
    known = isinstance(data, bytes) and data in _WITHIN_DEPTH
    value = json_values.strict_loads(data, what, check_depth=not known)
    if not known and isinstance(data, bytes) and len(data) <= _MEMO_BYTES:
        if len(_WITHIN_DEPTH) >= _MEMO_ENTRIES:
            _WITHIN_DEPTH.clear()
        _WITHIN_DEPTH[data] = None
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


# --- the graph: badge, issuer ---------------------------------------------------------------

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


# --- parse ----------------------------------------------------------------------------------

def _classify(text: str, state: Ob2State, *, allow_url: bool) -> str:
    text = text.strip().removeprefix("\ufeff").strip()
    if text.startswith("{"):
        value = _loads(text, "the badge")
        if not isinstance(value, dict):
            raise _Refusal("not-an-object", "the badge is not a JSON object",
                           "バッジは JSON オブジェクトでなければなりません")
        state.document = value
        return "json"
    if ob2.is_http_url(text) and allow_url:
        data = _read_url(state, text)
        state.source = text
        try:
            decoded = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise _Refusal("not-json", f"{text} does not serve UTF-8 text",
                           "UTF-8 のテキストではありません") from None
        return f"{_classify(decoded, state, allow_url=False)} from {text}"
    try:
        jws = ob2.read_jws(text)
    except MalformedCredentialError as exc:
        what = "neither a JSON Badge Object, a compact JWS nor an http(s) URL" if allow_url \
            else "neither a JSON Badge Object nor a compact JWS"
        raise _Refusal("not-a-badge", f"the input is {what} ({exc.message})",
                       "入力は JSON のバッジでも JWS でも URL でもありません") from None
    if len(jws.token) > MAX_CREDENTIAL_BYTES:
        raise _too_large(len(jws.token), "the signed badge")
    if _depth(jws.payload) > MAX_DEPTH:
        raise _Refusal("too-deep", "the JWS payload is nested too deeply", "入れ子が深すぎます")
    state.jws, state.document = jws, jws.payload
    return "jws"


def _unfetchable(exc: CredstackError | OSError, url: str, what: str, what_ja: str
                 ) -> _Refusal:
    """Why a document could not be fetched: ``redirect-refused`` when the fetcher refused
    where a redirect led (the hop is named in the reason), else ``unreachable``."""
    reason = exc.message if isinstance(exc, CredstackError) else str(exc)
    code = "redirect-refused" if isinstance(exc, RedirectRefusedError) else "unreachable"
    return _Refusal(code, f"{what}{url} could not be fetched: {reason}",
                    f"{what_ja}{url} を取得できません：{reason}", url=url)


def _read_url(state: Ob2State, url: str) -> bytes:
    try:
        data = state.fetch(url)
    except (CredstackError, OSError) as exc:
        raise _unfetchable(exc, url, "", "") from None
    if data is None:
        raise _Refusal("not-found", f"{url} is not served (HTTP 404 or 410: removed or revoked "
                                    "by its issuer)",
                       f"{url} は公開されていません（HTTP 404 または 410：削除または取り消し）",
                       url=url)
    if len(data) > MAX_CREDENTIAL_BYTES:
        raise _too_large(len(data), url)
    return bytes(data)


def check_parse(state: Ob2State) -> Check:
    """``parse``: a Badge Object as JSON, a signed badge (JWS), or the URL of one."""
    raw = state.input
    try:
        if isinstance(raw, Mapping):
            try:
                text = json.dumps(raw, ensure_ascii=False, allow_nan=False)
            except (TypeError, ValueError, RecursionError) as exc:
                raise _Refusal("not-json", f"the badge holds a value that is not JSON ({exc})",
                               "JSON ではない値が含まれています") from None
            form = _classify(text, state, allow_url=False)
        elif isinstance(raw, bytes | bytearray | memoryview):
            data = bytes(raw)
            if len(data) > MAX_CREDENTIAL_BYTES:
                raise _too_large(len(data), "the badge")
            try:
                form = _classify(data.decode("utf-8"), state, allow_url=True)
            except UnicodeDecodeError:
                raise _Refusal("not-json", "the input is not UTF-8 text",
                               "UTF-8 のテキストではありません") from None
        elif isinstance(raw, str):
            if len(raw) > MAX_CREDENTIAL_BYTES:
                raise _too_large(len(raw), "the badge")
            form = _classify(raw, state, allow_url=True)
        else:
            raise _Refusal("not-a-badge", f"a badge is JSON, a JWS or a URL, not "
                                          f"{type(raw).__name__}",
                           "バッジは JSON・JWS・URL のいずれかでなければなりません")
    except _Refusal as refusal:
        state.document, state.jws = None, None
        return _refused("parse", refusal)
    assert state.document is not None
    state.kind = ob2.class_of(state.document)
    return _passed("parse", f"read an Open Badges 2.0 {state.kind} ({form})",
                   f"Open Badges 2.0 の {state.kind} を読み取りました（{form}）",
                   kind=state.kind, form=form, url=state.source)


# --- proof ----------------------------------------------------------------------------------

def _hosted_proof(state: Ob2State) -> Check:
    assert state.document is not None
    given = state.document
    assertion_id = given.get("id")
    state.verification = "hosted"
    if not ob2.is_http_url(assertion_id):
        return _failed("proof", "not-hosted", "a hosted assertion's id must be the http(s) URL "
                                              f"it is served at, not {assertion_id!r}",
                       "ホスト型アサーションの id は公開先の http(s) URL でなければなりません")
    try:
        node = _fetch(state, assertion_id, "the hosted assertion", "ホスト型アサーション")
    except _Refusal as refusal:
        if refusal.code == "not-found":
            return _failed("proof", "gone",
                           f"its issuer no longer serves the assertion at {assertion_id} (HTTP "
                           "404 or 410): it was revoked or removed",
                           f"発行者は {assertion_id} でこのアサーションを公開していません"
                           "（HTTP 404 または 410：取り消しまたは削除）", url=assertion_id)
        return _refused("proof", refusal)
    served = node.document
    if served.get("id") != assertion_id:
        return _failed("proof", "id-mismatch",
                       f"the document served at {assertion_id} is another assertion "
                       f"({served.get('id')!r})",
                       f"{assertion_id} で公開されている文書は別のアサーションです",
                       url=assertion_id)
    notices = list(node.notices)
    if served != given and state.source != assertion_id:
        notices.append(Notice("hosted-copy-differs",
                              "the copy given differs from the one its issuer serves; the "
                              "served one is what was verified",
                              "渡された内容は発行者が公開している内容と異なります。公開されて"
                              "いる内容を検証しました"))
    state.document = dict(served)
    state.kind = ob2.class_of(state.document)
    return _passed("proof", f"hosted verification: its issuer serves the assertion at "
                            f"{assertion_id}",
                   f"ホスト型の検証：発行者が {assertion_id} でアサーションを公開しています",
                   code="hosted", warnings=notices, url=assertion_id)


def _candidate_keys(state: Ob2State) -> tuple[_Node, list[str | Mapping[str, Any]]]:
    issuer = _issuer(state)
    if issuer.location is None:
        raise _Refusal("unverifiable-issuer",
                       "the issuer's profile is embedded and has no http(s) id to fetch it "
                       "from, so the keys it lists cannot be trusted",
                       "発行者プロファイルが埋め込まれており取得元がないため、鍵を信頼できません")
    listed: list[str | Mapping[str, Any]] = [
        item for item in _items(issuer.document.get("publicKey"))
        if isinstance(item, str) or (isinstance(item, Mapping) and isinstance(item.get("id"), str))]
    ids = [item if isinstance(item, str) else item["id"] for item in listed]
    assert state.document is not None
    verification = state.document.get("verification", state.document.get("verify"))
    creator = verification.get("creator") if isinstance(verification, Mapping) else None
    if isinstance(creator, Mapping):
        creator = creator.get("id")
    issuer_id = _issuer_id(issuer)
    if isinstance(creator, str):
        if creator not in ids:
            raise _Refusal("unauthorized-key",
                           f"the assertion names the key {creator}, which its issuer "
                           f"{issuer_id} does not list in its profile (publicKey)",
                           f"アサーションが示す鍵 {creator} は発行者 {issuer_id} のプロファイル"
                           "（publicKey）に記載されていません", key=creator, issuer=issuer_id)
        return issuer, [listed[ids.index(creator)]]
    if not listed:
        raise _Refusal("no-key", f"the issuer {issuer_id} lists no public key (publicKey), so "
                                 "the signature cannot be checked",
                       f"発行者 {issuer_id} は公開鍵（publicKey）を示していないため、署名を確認"
                       "できません", issuer=issuer_id)
    return issuer, listed


def _key_pem(state: Ob2State, key: str | Mapping[str, Any], issuer: _Node) -> tuple[str, str]:
    """(key id, PEM) of one of the issuer's keys: embedded in its profile, or fetched."""
    issuer_id = _issuer_id(issuer)
    if isinstance(key, Mapping):
        document, key_id = key, str(key["id"])
    else:
        document, key_id = _fetch(state, key, "the key", "鍵").document, key
        owner = document.get("owner")
        if owner is not None and owner not in {issuer_id, issuer.location}:
            raise _Refusal("key-owner", f"the key {key_id} belongs to {owner!r}, not to the "
                                        f"issuer {issuer_id}",
                           f"鍵 {key_id} の所有者は {owner!r} で、発行者 {issuer_id} では"
                           "ありません", key=key_id, owner=owner)
    pem = document.get("publicKeyPem")
    if not isinstance(pem, str):
        raise _Refusal("no-public-key", f"the key {key_id} has no publicKeyPem",
                       f"鍵 {key_id} に publicKeyPem がありません", key=key_id)
    return key_id, pem


def _signed_proof(state: Ob2State) -> Check:
    jws = state.jws
    assert jws is not None
    state.verification = "signed"
    alg = jws.header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        return _failed("proof", "unsecured-jwt",
                       f"an unsecured JWS (alg: {alg!r}) is never accepted: it has no signature",
                       "署名のない JWS（alg: none）は受け付けません", alg=alg)
    if alg not in ob2.ACCEPTED_ALGORITHMS:
        return _failed("proof", "unsupported-algorithm",
                       f"the JWS algorithm {alg!r} is not accepted (Open Badges 2.0 recommends "
                       f"RS256; credstack accepts {', '.join(ob2.ACCEPTED_ALGORITHMS)})",
                       f"JWS のアルゴリズム {alg!r} は受け付けません", alg=alg)
    try:
        issuer, candidates = _candidate_keys(state)
    except _Refusal as refusal:
        if refusal.code in {"not-found", "unreachable", "not-fetchable", "not-json",
                            "foreign-id", "no-badge", "no-issuer", "not-an-object"}:
            return _failed("proof", "unresolvable-key",
                           f"the signing key cannot be determined: {refusal.en}",
                           f"署名の鍵を特定できません：{refusal.ja}", **refusal.details)
        return _refused("proof", refusal)
    failures: list[_Refusal] = []
    for candidate in candidates:
        try:
            key_id, pem = _key_pem(state, candidate, issuer)
            ob2.verify_jws(jws, pem)
        except _Refusal as refusal:
            failures.append(refusal)
        except SignatureError:
            failures.append(_Refusal(
                "signature", "the signature does not verify: the badge was changed after it "
                             "was signed, or it was signed with another key",
                "署名が一致しません。署名後に内容が変更されたか、別の鍵で署名されています"))
        except MalformedCredentialError as exc:
            failures.append(_Refusal("key-mismatch" if "needs" in exc.message else "bad-key",
                                     f"the key cannot check this signature: {exc.message}",
                                     f"この鍵では署名を確認できません：{exc.message}"))
        else:
            state.signer = key_id
            warnings = [Notice("not-rs256", f"signed with {alg}: Open Badges 2.0 recommends "
                                            "RS256, and the 1EdTech validator accepts nothing "
                                            "else", f"{alg} で署名されています（Open Badges 2.0 "
                                            "の推奨は RS256 です）")] if alg != "RS256" else []
            return _passed("proof", f"the JWS signature ({alg}) verifies with {key_id}, a key "
                                    f"of the issuer {_issuer_id(issuer)}",
                           f"JWS の署名（{alg}）を発行者 {_issuer_id(issuer)} の鍵 {key_id} で"
                           "確認しました", code="signed", warnings=warnings, key=key_id,
                           issuer=_issuer_id(issuer), alg=alg)
    chosen = next((f for f in failures if f.code == "signature"), failures[0])
    return _refused("proof", chosen)


def check_proof(state: Ob2State) -> Check:
    """``proof``: hosted — the copy its issuer serves; signed — the JWS signature."""
    if state.document is None:
        return _unread("proof")
    if state.jws is not None:
        return _signed_proof(state)
    if state.kind != "Assertion":
        return _not_an_assertion("proof", state)
    kind = ob2.verification_type(state.document)
    if kind is None and _revoked(state):
        # A revoked hosted assertion may be stripped to its id and revoked flag (§Assertion):
        # whether its issuer says so is still read from its id.
        kind = "hosted"
    if kind == "hosted":
        return _hosted_proof(state)
    if kind == "signed":
        state.verification = "signed"
        return _failed("proof", "missing-signature",
                       "the assertion declares SignedBadge verification but came without its "
                       "signature: give the signed badge (its compact JWS) to check it",
                       "署名型（SignedBadge）のアサーションですが署名がありません。JWS を"
                       "渡してください")
    return _failed("proof", "unknown-verification",
                   "the assertion declares neither HostedBadge nor SignedBadge verification, so "
                   "there is no way to check that its issuer made it",
                   "検証方法（HostedBadge または SignedBadge）が指定されていません")


# --- contexts, data model -------------------------------------------------------------------

def check_contexts(state: Ob2State) -> Check:
    """``contexts``: the Open Badges 2.0 JSON-LD context, first (nothing is fetched)."""
    if state.document is None:
        return _unread("contexts")
    errors, warnings = ob2.context_problems(state.document)
    notices = [Notice("context-not-loaded", str(problem), f"{problem.location}：JSON-LD "
                      "コンテキストは取得しないため、プレーンな JSON として読みます")
               for problem in warnings]
    if errors:
        return _failed("contexts", "context", f"not an Open Badges 2.0 document: {errors[0]}",
                       f"Open Badges 2.0 の文書ではありません（{errors[0].location}）",
                       warnings=notices, problems=_problems(errors))
    return _passed("contexts", f"uses the Open Badges 2.0 context ({ob2.CONTEXT_URL})",
                   "Open Badges 2.0 のコンテキストを使用しています", warnings=notices)


def _validate_node(node: Mapping[str, Any], class_name: str, where: str, *, fetched: bool,
                   problems: list[Problem], notices: list[Notice]) -> None:
    key = (id(node), class_name, where) if fetched else None
    known = _VALIDATED.get(key) if key is not None else None
    # The memo holds the parse itself, so its id cannot be reused by another object.
    if known is not None and known[0] is node:
        problems.extend(known[1])
        notices.extend(known[2])
        return
    errors, warnings = ob2.validate(node, class_name, where)
    found = [*errors, *ob2.extension_problems(node, where)]
    if fetched:
        context_errors, _ = ob2.context_problems(node)
        found.extend(Problem(f"{where}.{p.location}" if where else p.location, p.message)
                     for p in context_errors)
    noted = [Notice("data-model-warning", str(p), f"{p.location}：{p.message}")
             for p in warnings]
    if key is not None:
        _VALIDATED.put(key, (node, tuple(found), tuple(noted)))
    problems.extend(found)
    notices.extend(noted)


def _graph_problems(state: Ob2State, problems: list[Problem], notices: list[Notice]) -> None:
    """Validate the BadgeClass and issuer Profile a document names (fetching them)."""
    assert state.document is not None
    try:
        badge = _badge(state)
    except _Refusal as refusal:
        problems.append(Problem("badge", refusal.en))
        return
    notices.extend(badge.notices)
    if state.kind == "Assertion":
        _validate_node(badge.document, "BadgeClass", "badge",
                       fetched=badge.location is not None, problems=problems, notices=notices)
    try:
        issuer = _issuer(state)
    except _Refusal as refusal:
        problems.append(Problem("badge.issuer" if state.kind == "Assertion" else "issuer",
                                refusal.en))
        return
    notices.extend(issuer.notices)
    where = "badge.issuer" if state.kind == "Assertion" else "issuer"
    kind = "Issuer" if "Issuer" in ob2.types_of(issuer.document) else "Profile"
    _validate_node(issuer.document, kind, where, fetched=issuer.location is not None,
                   problems=problems, notices=notices)


def check_data_model(state: Ob2State) -> Check:
    """``data-model``: the Badge Object, its BadgeClass and issuer, by the OB 2.0 rules."""
    document = state.document
    if document is None:
        return _unread("data-model")
    kind = state.kind or "Unknown"
    problems: list[Problem] = []
    notices: list[Notice] = []
    errors, warnings = ob2.validate(document, kind)
    problems.extend(errors)
    problems.extend(ob2.extension_problems(document))
    notices.extend(Notice("data-model-warning", str(p), f"{p.location}：{p.message}")
                   for p in warnings)
    if state.jws is not None and ob2.verification_type(document) != "signed":
        problems.append(Problem("verification.type", "a signed badge (JWS) must declare "
                                                     "SignedBadge verification"))
    if (kind == "Assertion" and not _revoked(state)) or kind == "BadgeClass":
        _graph_problems(state, problems, notices)
    endorsements = sum(1 for node in (document, *_graph_documents(state))
                       for _ in _items(node.get("endorsement")))
    if endorsements:
        notices.append(Notice("endorsements-not-verified",
                              f"{endorsements} endorsement{'s' if endorsements > 1 else ''} "
                              "not verified (each is a badge of its own)",
                              f"推薦（Endorsement）{endorsements} 件は検証していません"))
    if problems:
        count = len(problems)
        locations = "、".join(dict.fromkeys(p.location for p in problems))
        return _failed("data-model", "data-model",
                       f"the badge breaks {count} rule{'s' if count != 1 else ''} of Open "
                       f"Badges 2.0; {problems[0]}",
                       f"Open Badges 2.0 の規則に {count} 件違反しています（{locations}）",
                       warnings=notices, problems=_problems(problems), kind=kind)
    shown = {"Assertion": "assertion, with its BadgeClass and issuer profile",
             "BadgeClass": "BadgeClass, with its issuer profile"}.get(kind, kind)
    if _revoked(state):
        shown = "revoked assertion (only its id and revoked flag are required)"
    return _passed("data-model", f"a well-formed Open Badges 2.0 {shown}",
                   f"Open Badges 2.0 の規則に適合しています（{kind}）", warnings=notices,
                   kind=kind)


def _graph_documents(state: Ob2State) -> list[Mapping[str, Any]]:
    found = []
    for node in (state.badge, state.issuer):
        if isinstance(node, _Node) and node.document is not state.document:
            found.append(node.document)
    return found


# --- issuer ---------------------------------------------------------------------------------

def check_issuer(state: Ob2State) -> Check:
    """``issuer``: the issuer made this assertion — its hosting policy, or its key."""
    if state.document is None:
        return _unread("issuer")
    if state.kind != "Assertion" and state.jws is None:
        return _not_an_assertion("issuer", state)
    proof = state.results.get("proof")
    if proof is not None and proof.ok is not True:
        return _not_checked("issuer", "the proof did not pass, so the assertion's origin is "
                            "unknown", "証明が確認できないため、発行元が不明です")
    if _revoked(state):
        return _not_checked("issuer", "the assertion is revoked (a revoked assertion need not "
                            "name its badge)", "アサーションは取り消されています")
    if state.verification == "signed":
        if state.signer is None:
            return _not_checked("issuer", "no key of the issuer verified the signature",
                                "発行者の鍵で署名を確認できませんでした")
        issuer = _issuer(state)
        return _passed("issuer", f"signed with {state.signer}, a key the issuer "
                                 f"{_issuer_id(issuer)} lists in its profile",
                       f"発行者 {_issuer_id(issuer)} がプロファイルに示す鍵 {state.signer} で"
                       "署名されています", issuer=_issuer_id(issuer), key=state.signer)
    try:
        issuer = _issuer(state)
    except _Refusal as refusal:
        return _failed("issuer", "unresolvable-issuer", f"the issuer cannot be read: "
                                                        f"{refusal.en}",
                       f"発行者を読み取れません：{refusal.ja}", **refusal.details)
    assertion_id = state.document.get("id")
    assert isinstance(assertion_id, str)
    reason, notes = ob2.hosted_policy_problem(assertion_id, issuer.document,
                                              issuer_location=issuer.location)
    notices = [Notice("issuer-origin", note, "発行者の id が HTTP の URL ではないため、"
                      "プロファイルの取得元をオリジンとしました") for note in notes]
    issuer_id = _issuer_id(issuer)
    if reason is not None:
        return _failed("issuer", "verification-policy",
                       f"the issuer {issuer_id} does not vouch for this assertion: {reason}",
                       f"発行者 {issuer_id} の検証ポリシーの範囲外で公開されたアサーションです",
                       warnings=notices, issuer=issuer_id, assertion=assertion_id)
    return _passed("issuer", f"hosted within the verification policy of its issuer, {issuer_id}",
                   f"発行者 {issuer_id} の検証ポリシーの範囲内で公開されています",
                   warnings=notices, issuer=issuer_id)


# --- validity -------------------------------------------------------------------------------

def check_validity(state: Ob2State) -> Check:
    """``validity``: ``issuedOn`` not in the future, ``expires`` not passed (nor before it)."""
    document = state.document
    if document is None:
        return _unread("validity")
    if state.kind != "Assertion":
        return _not_an_assertion("validity", state)
    if _revoked(state) and "issuedOn" not in document:
        return _not_checked("validity", "the assertion is revoked", "取り消し済みです")
    issued = ob2.parse_datetime(document.get("issuedOn"))
    if issued is None:
        return _failed("validity", "invalid-date", f"issuedOn {document.get('issuedOn')!r} is "
                                                   "not a date-time with a time zone",
                       "issuedOn が日時ではありません", field="issuedOn")
    shown: dict[str, Any] = {"now": state.now.isoformat(), "issuedOn": document["issuedOn"]}
    if issued > state.now:
        return _failed("validity", "not-yet-valid",
                       f"the assertion says it is issued on {document['issuedOn']}, in the "
                       "future", f"発行日（{document['issuedOn']}）が未来の日時です", **shown)
    if document.get("expires") is None:
        return _passed("validity", f"issued on {document['issuedOn']}; it does not expire",
                       f"{document['issuedOn']} に発行され、有効期限はありません", **shown)
    expires = ob2.parse_datetime(document["expires"])
    shown["expires"] = document["expires"]
    if expires is None:
        return _failed("validity", "invalid-date", f"expires {document['expires']!r} is not a "
                                                   "date-time with a time zone",
                       "expires が日時ではありません", field="expires", **shown)
    if expires < issued:
        return _failed("validity", "expires-before-issued",
                       f"the assertion expires ({document['expires']}) before it was issued "
                       f"({document['issuedOn']})", "発行日より前に有効期限が切れています",
                       **shown)
    if expires <= state.now:
        return _failed("validity", "expired", f"the assertion expired on {document['expires']}",
                       f"有効期限（{document['expires']}）が過ぎています", **shown)
    return _passed("validity", f"issued on {document['issuedOn']}, valid until "
                               f"{document['expires']}",
                   f"{document['issuedOn']} に発行、{document['expires']} まで有効", **shown)


# --- status ---------------------------------------------------------------------------------

def check_status(state: Ob2State) -> Check:
    """``status``: not revoked — the hosted ``revoked`` flag, the issuer's RevocationList."""
    document = state.document
    if document is None:
        return _unread("status")
    if state.kind != "Assertion":
        return _not_an_assertion("status", state)
    if _revoked(state):
        reason = document.get("revocationReason")
        because = f": {reason}" if isinstance(reason, str) and reason else ""
        return _failed("status", "revoked", f"the assertion has been revoked by its "
                                            f"issuer{because}",
                       f"このアサーションは発行者により取り消されています{because}",
                       reason=reason)
    proof = state.results.get("proof")
    if proof is not None and proof.ok is not True:
        return _not_checked("status", "the proof did not pass, so the issuer's revocation list "
                            "is not fetched",
                            "証明が確認できないため、失効リストを取得していません")
    try:
        issuer = _issuer(state)
    except _Refusal as refusal:
        return _failed("status", "status-unavailable", f"the issuer cannot be read, so neither "
                                                       f"can its revocation list: {refusal.en}",
                       f"発行者を読み取れないため、失効リストを確認できません：{refusal.ja}")
    reference = issuer.document.get("revocationList")
    hosted = state.verification == "hosted"
    if reference is None:
        en = ("not revoked: its issuer serves it without revoked: true" if hosted
              else "not revoked: the issuer publishes no revocation list")
        ja = ("取り消されていません（発行者が revoked: true なしで公開しています）" if hosted
              else "取り消されていません（発行者は失効リストを公開していません）")
        return _passed("status", en, ja, code="no-revocation-list")
    try:
        if isinstance(reference, Mapping):
            revocation_list: Mapping[str, Any] = reference
            url = str(reference.get("id", ""))
        else:
            url = str(reference)
            revocation_list = _fetch(state, reference, "the revocation list", "失効リスト").document
    except _Refusal as refusal:
        return _failed("status", "status-unavailable", f"the revocation list cannot be read, so "
                                                       f"revocation cannot be ruled out: "
                                                       f"{refusal.en}",
                       f"失効リストを読み取れないため、失効していないことを確認できません："
                       f"{refusal.ja}", **refusal.details)
    errors, _ = ob2.validate(revocation_list, "RevocationList")
    if errors:
        return _failed("status", "malformed-revocation-list",
                       f"the revocation list {url} is not a RevocationList: {errors[0]}",
                       f"失効リスト {url} の形式が正しくありません",
                       problems=_problems(errors))
    assertion_id = document.get("id")
    uid = document.get("uid")
    entry = ob2.revocation_entry(revocation_list, str(assertion_id),
                                 uid if isinstance(uid, str) else None)
    if entry is not None:
        reason = entry.get("revocationReason")
        because = f": {reason}" if isinstance(reason, str) and reason else ""
        return _failed("status", "revoked", f"the assertion is revoked in the issuer's "
                                            f"revocation list {url}{because}",
                       f"このアサーションは発行者の失効リスト {url} で取り消されています{because}",
                       list=url, reason=reason)
    return _passed("status", f"not revoked (checked the issuer's revocation list {url})",
                   f"取り消されていません（失効リスト {url} を確認しました）", list=url)


# --- recipient ------------------------------------------------------------------------------

def check_recipient(state: Ob2State) -> Check:
    """``recipient``: when one is given, the assertion was awarded to it (§IdentityObject)."""
    document = state.document
    if document is None:
        return _unread("recipient")
    if state.kind != "Assertion":
        return _not_an_assertion("recipient", state)
    if state.recipient is None:
        return Check("recipient", None, "not compared: no recipient was given (an e-mail "
                                        "address, a URL …) to compare with the assertion's",
                     "受領者は照合していません（照合するメールアドレス等が指定されていません）",
                     {}, code="not-requested", kind=CheckKind.INFO)
    recipient = document.get("recipient")
    if not isinstance(recipient, Mapping):
        return _not_checked("recipient", "the assertion names no recipient",
                            "アサーションに受領者がありません")
    kind = recipient.get("type")
    hashed = recipient.get("hashed") is True
    details: dict[str, Any] = {"type": kind, "hashed": hashed}
    if ob2.recipient_matches(recipient, state.recipient):
        return _passed("recipient", f"awarded to the recipient given ({kind}"
                                    f"{', hashed with a salt' if hashed else ''})",
                       "指定された受領者に授与されています", **details)
    return _failed("recipient", "recipient-mismatch",
                   f"the assertion was not awarded to the recipient given (its {kind} identity "
                   "does not match)", "指定された受領者には授与されていません", **details)


# --- meaning --------------------------------------------------------------------------------

def _programme_meaning(descriptors: dict[str, Any], issued_on: str | None) -> tuple[
        str, tuple[ProfileReport, ...], bool | None, tuple[Problem, ...]]:
    """(descriptors as JSON text, conformance per profile, micro-credential?, problems)."""
    award = {"issued_on": issued_on} if issued_on is not None else {}
    conformance: tuple[ProfileReport, ...] = ()
    is_micro_credential: bool | None = None
    problems: tuple[Problem, ...] = ()
    try:
        try:
            programme = parse_programme({**descriptors, "award": award} if award else descriptors,
                                        source="badge")
        except DescriptorError:
            if not award:
                raise
            programme = parse_programme(descriptors, source="badge")
    except DescriptorError as exc:
        problems = exc.problems
    else:
        conformance = tuple(validate_all(programme, profiles().values()))
        is_micro_credential = all(report.is_micro_credential for report in conformance)
    return json.dumps(descriptors), conformance, is_micro_credential, problems


def _read_meaning(state: Ob2State) -> tuple[Meaning, dict[str, Any] | None]:
    document = state.document
    assert document is not None
    types = ob2.types_of(document)
    badge = _badge(state)
    try:
        issuer: Mapping[str, Any] = _issuer(state).document
    except _Refusal:
        issuer = {}
    issuer_name = issuer.get("name")
    assertion = document if state.kind == "Assertion" else {
        "id": document.get("id", "_:badge"), "badge": document}
    converted = credential_from_assertion(assertion, badge=badge.document, issuer=issuer,
                                          jws=state.jws.token if state.jws else None)
    # A fresh copy: the converted credential shares parts of documents kept in the memos, and
    # it leaves with the report.
    converted = json.loads(json.dumps(converted))
    achievement = converted["credentialSubject"]["achievement"]
    source = (DescriptorSource.EXTENSION if EXTENSION_PROPERTY in achievement
              else DescriptorSource.OPEN_BADGES)
    issued = ob2.parse_datetime(document.get("issuedOn"))
    issued_on = (issued.date().isoformat()
                 if issued is not None and state.kind == "Assertion" else None)
    key = (id(badge.document), issued_on) if badge.location is not None else None
    known = _MEANINGS.get(key) if key is not None else None
    if known is not None and known[0] is badge.document:
        text, conformance, is_micro_credential, problems = known[1]
    else:
        text, conformance, is_micro_credential, problems = _programme_meaning(
            ob2.descriptors_from_badge_class(badge.document), issued_on)
        if key is not None:
            _MEANINGS.put(key, (badge.document, (text, conformance, is_micro_credential,
                                                 problems)))
    descriptors = json.loads(text)
    achievement_id = str(achievement["id"])
    try:
        registry = state.programme_lookup(achievement_id)
    except NotFoundError:
        registry = None
    name = achievement.get("name")
    kind = achievement.get("achievementType")
    issuer_id = issuer.get("id") if isinstance(issuer.get("id"), str) else None
    meaning = Meaning(
        types=types, issuer_id=issuer_id,
        issuer_name=issuer_name if isinstance(issuer_name, str) else None,
        achievement_id=achievement_id, achievement_type=kind if isinstance(kind, str) else None,
        achievement_name=name if isinstance(name, str) else None,
        descriptors=descriptors or None, descriptor_source=source, conformance=conformance,
        is_micro_credential=is_micro_credential, registry=registry, problems=problems)
    return meaning, converted if state.kind == "Assertion" else None


def check_meaning(state: Ob2State) -> Check:
    """``meaning`` (information): the badge in OB 3.0 form, its descriptors, the registry."""
    if state.document is None:
        return Check("meaning", None, "nothing to read: the badge could not be read",
                     "バッジを読み取れなかったため、内容はわかりません", {}, kind=CheckKind.INFO)
    if state.kind not in {"Assertion", "BadgeClass"} or _revoked(state):
        return Check("meaning", None, "no achievement to read", "達成を含まない文書です",
                     {"types": list(ob2.types_of(state.document))}, kind=CheckKind.INFO)
    try:
        meaning, converted = _read_meaning(state)
    except _Refusal as refusal:
        return Check("meaning", None, f"the badge's meaning could not be read: {refusal.en}",
                     "バッジの内容を読み取れませんでした", {"error": refusal.en},
                     kind=CheckKind.INFO)
    except CredstackError as exc:
        return Check("meaning", None, f"the badge's meaning could not be read: {exc.message}",
                     "バッジの内容を読み取れませんでした", {"error": exc.message},
                     kind=CheckKind.INFO)
    state.meaning = meaning
    conforming = [report.profile for report in meaning.conformance if report.conforms]
    mc_en = {True: "a micro-credential", False: "not a micro-credential",
             None: "micro-credential or not cannot be told"}[meaning.is_micro_credential]
    mc_ja = {True: "マイクロクレデンシャルです", False: "マイクロクレデンシャルではありません",
             None: "マイクロクレデンシャルかどうかは判断できません"}[meaning.is_micro_credential]
    details: dict[str, Any] = {
        "achievement": meaning.achievement_id,
        "descriptor_source": (meaning.descriptor_source.value
                              if meaning.descriptor_source is not None else None),
        "is_micro_credential": meaning.is_micro_credential,
        "conforms": {report.profile: report.conforms for report in meaning.conformance},
        "registered": meaning.registry is not None,
    }
    if converted is not None:
        # The badge as an unsigned OB 3.0 credential: shown, never claimed to be signed.
        details["openBadgeCredential"] = converted
    return Check(
        "meaning", None,
        f"{meaning.achievement_name or meaning.achievement_id}: {mc_en}; conforms to "
        f"{', '.join(conforming) if conforming else 'none'}",
        f"{meaning.achievement_name or meaning.achievement_id}：{mc_ja}。適合する枠組み："
        f"{'、'.join(conforming) if conforming else 'なし'}", details, kind=CheckKind.INFO)


# --- the pipeline ---------------------------------------------------------------------------

#: Every step by the name of the check it adds, in the order they run by default.
STEPS: Final[Mapping[str, Ob2Step]] = {
    "parse": check_parse,
    "proof": check_proof,
    "contexts": check_contexts,
    "data-model": check_data_model,
    "issuer": check_issuer,
    "validity": check_validity,
    "status": check_status,
    "recipient": check_recipient,
    "meaning": check_meaning,
}
DEFAULT_CHECKS: Final[tuple[Ob2Step, ...]] = tuple(STEPS.values())


def _no_registry(achievement_id: str) -> Mapping[str, Any] | None:
    return None


def verify_badge(badge: Mapping[str, Any] | str | bytes, *, fetch: DocumentFetcher,
                 now: dt.datetime, recipient: str | None = None,
                 programme_lookup: ProgrammeLookup = _no_registry,
                 checks: Sequence[Ob2Step] = DEFAULT_CHECKS) -> VerificationReport:
    """Verify an Open Badges 2.0 badge and say what it means; every finding is a check.

    ``badge`` is an assertion (a JSON object, its text or bytes), a signed badge (a compact
    JWS) or the http(s) URL of a hosted assertion; ``fetch`` gets the documents it links to;
    ``recipient`` (optional) is compared with the assertion's recipient; ``now`` is an aware
    datetime. Raises ``ValueError`` for a naive ``now`` or no checks, ``TypeError`` when a
    step or seam breaks its contract — never for anything about the badge.
    """
    if not isinstance(now, dt.datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be a timezone-aware datetime, not {now!r}")
    if not checks:
        raise ValueError("give at least one check")
    state = Ob2State(input=badge, fetch=fetch, now=now, recipient=recipient,
                     programme_lookup=programme_lookup)
    results: list[Check] = []
    for step in checks:
        check = step(state)
        if not isinstance(check, Check):
            raise TypeError(f"the check step {step!r} returned {check!r}, not a Check")
        state.results[check.name] = check
        results.append(check)
    return VerificationReport(tuple(results), state.meaning)
