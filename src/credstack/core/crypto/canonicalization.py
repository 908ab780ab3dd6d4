"""Canonical forms that get hashed and signed: RDFC-1.0 N-Quads of JSON-LD, and JCS.

* RDF Dataset Canonicalization (RDFC-1.0) — W3C Recommendation, 21 May 2024 —
  https://www.w3.org/TR/rdf-canon/ ; the JSON-LD document becomes an RDF dataset by
  JSON-LD 1.1 Processing Algorithms and API (W3C Recommendation, 16 July 2020,
  https://www.w3.org/TR/json-ld11-api/) "Deserialize JSON-LD to RDF" with a **null base IRI**.
* JSON Canonicalization Scheme (JCS), RFC 8785 — June 2020 —
  https://www.rfc-editor.org/rfc/rfc8785 — in :mod:`credstack.core.crypto.jcs`.

RDFC: who does what
-------------------
PyLD expands the document (contexts from the injected loader only, in safe mode, see below);
:mod:`credstack.core.crypto.rdfc` turns the expanded document into quads and canonicalizes
them (RDFC-1.0, as rdf-canonize 4 — the JavaScript reference — does, W3C test suite passed).
PyLD's own ``normalize`` (URDNA2015) is kept as the *plain path*
(:func:`rdfc_canonicalize_plain`) for comparison: it writes literals with control characters
other than tab, newline and carriage return differently (and may then label blank nodes
differently), and keeps a directed value's language tag as written where jsonld.js lower-cases
it; for everything else both paths give the same bytes, which a test checks.

A language value with a base direction (``@direction``) becomes a literal typed
``https://www.w3.org/ns/i18n#{language}_{direction}`` (JSON-LD's ``rdfDirection:
'i18n-datatype'``), as the Data Integrity RDFC cryptosuites of the reference call jsonld.js.

pyoxigraph's RDFC-1.0 is used only as a cross-check in the tests: it agrees on every vector,
but on the 1EdTech ``complete.json`` example (four identical proofs in blank-node graphs) it
labels blank nodes differently from rdf-canonize and PyLD, and that credential's signature
verifies only with the latter.

Safe mode
---------
Data Integrity requires that a document whose JSON says more than its RDF fails instead of
being signed or verified with parts silently missing (jsonld.js's ``safe: true``). PyLD has no
such switch, so credstack enforces it in three places:

* a term that does not expand is dropped by PyLD's expansion; the processor's
  ``on_property_dropped`` hook raises :class:`~credstack.errors.UndefinedTermError` instead;
* the expanded document is walked before it becomes RDF: an ``@id``, ``@type``, datatype or
  graph name that is not an absolute IRI (or a blank node) — which PyLD would silently leave
  out of the dataset — raises :class:`~credstack.errors.MalformedCredentialError`, as do
  and blank-node predicates;
* a ``@context`` entry that is not null, a string or an object (PyLD reads ``false`` as a
  reset) is refused.

Contexts come only from the injected document loader, which must raise
:class:`~credstack.errors.UnknownContextError` for a URL it does not hold; nothing is fetched.

The fast path
-------------
Most of PyLD's time goes into work that repeats from one credential to the next. Two memos,
kept per loader and bounded (LRU), remove it without changing what is computed:

* processing a context is a pure function of the active context and the local context, so
  each processed context is kept and reused — the credential's own contexts and every type-
  and property-scoped context they carry; derived contexts keep their identity, so the next
  document with the same contexts hits all the way down;
* expanding a node object is a pure function of the object and its active context, so the
  expansion of each object with three or more members is kept by content the second time it
  is met: credentials of one programme repeat the same achievement (criteria, alignments,
  result descriptions), which is then expanded twice, not once per credential, while an
  object met once (a learner's own) costs its key, not a copy of its expansion.

A test checks that the fast and the plain path give byte-identical N-Quads on every vector
and on generated credentials.

Compiled shapes
---------------
Credentials of one programme differ only in a few strings. :mod:`.shapes` compiles what they
share, once per *shape*, into a dataset template with holes for those strings, which is then
filled and canonicalized incrementally without expanding the document at all
(:func:`rdfc_canonicalize_compiled`); :func:`rdfc_canonicalize` uses it whenever it applies
and expands otherwise. Tests check byte-identical N-Quads and signatures against expansion
on every vector, every demo programme and generated learners, and each fall-back.
"""

from __future__ import annotations

import copy
import hashlib
import json
import pickle
import re
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol

import orjson
from cachetools import LRUCache

from credstack.errors import (
    CredstackError,
    MalformedCredentialError,
    Problem,
    UndefinedTermError,
)

from . import compiled_shapes, jcs, rdfc
from .jsonld_api import jsonld

__all__ = [
    "DocumentLoader",
    "jcs_canonicalize",
    "jsonld_compact",
    "jsonld_expand",
    "jsonld_to_rdf",
    "rdfc_canonicalize",
    "rdfc_canonicalize_compiled",
    "rdfc_canonicalize_plain",
    "rdfc_canonicalize_utf8",
    "rdfc_check",
]


class DocumentLoader(Protocol):
    """Where JSON-LD contexts come from (the seam every RDFC caller injects).

    The JSON-LD API's document loader: called with a URL (and PyLD's options), it returns the
    remote document ``{"document": <parsed JSON>, "documentUrl": url, ...}`` — a bare parsed
    document is accepted too — and raises :class:`~credstack.errors.UnknownContextError` for
    any URL it does not hold. It must never fetch.
    """

    def __call__(self, url: str, options: Mapping[str, Any], /) -> Mapping[str, Any]: ...


# --------------------------------------------------------------------------------------------
# RDFC-1.0
# --------------------------------------------------------------------------------------------

_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*")
_MEMO_SIZE = 4096
_EXPANSIONS = 1024
_MIN_MEMO_KEYS = 3
#: A node object whose JSON is longer is expanded afresh every time, never kept: what repeats
#: from one credential to the next (an achievement, its criteria and alignments) is a few
#: kilobytes; what is larger (a learner's page images) does not repeat, and keeping it would
#: let a thousand distinct large credentials hold a thousand copies of their largest parts.
_MEMO_NODE_BYTES = 64 * 1024
_RESOLVED_CONTEXTS = 256


class _DroppedTermError(Exception):
    """Raised inside PyLD by the safe-mode hook; turned into UndefinedTermError outside."""

    def __init__(self, term: str | None) -> None:
        super().__init__(term)
        self.term = term


def _raise_on_dropped(expanded_property: str | None) -> None:
    # PyLD passes only the (failed) expansion; the key itself is a local of the caller's
    # frame. Reading it is best effort and only improves the message.
    term: str | None = None
    try:
        caller = sys._getframe(1).f_locals.get("key")
        term = caller if isinstance(caller, str) else None
    except (AttributeError, ValueError):  # pragma: no cover - CPython always has frames
        term = None
    raise _DroppedTermError(term or expanded_property)


class _Processor(jsonld.JsonLdProcessor):  # type: ignore[misc]
    """PyLD's processor in safe mode, optionally memoizing context processing and expansion."""

    def __init__(self, *, memoize: bool) -> None:
        super().__init__(on_property_dropped=_raise_on_dropped)
        self._memo: LRUCache[Any, tuple[Any, Any, Any]] | None = (
            LRUCache(maxsize=_MEMO_SIZE) if memoize else None)
        self._expansions: LRUCache[Any, tuple[Any, Any, bytes | None]] | None = (
            LRUCache(maxsize=_EXPANSIONS) if memoize else None)
        self._lock = threading.Lock()

    def _process_context(self, active_ctx: Any, local_ctx: Any, options: Any,
                         override_protected: bool = False, propagate: bool = True,
                         validate_scoped: bool = True, cycles: Any = None) -> Any:
        # A bare `False` is PyLD's own spelling of a scoped `"@context": null` (as the VC 2.0
        # context gives `verifiableCredential`); a document's literal `false` is refused by
        # _check_contexts before expansion.
        if isinstance(local_ctx, list) and any(
                isinstance(item, bool | int | float) for item in local_ctx):
            raise MalformedCredentialError(
                "a @context entry must be null, a string or an object",
                problems=[Problem("@context", f"found {local_ctx!r}")])
        memo = self._memo
        if memo is None:
            return super()._process_context(active_ctx, local_ctx, options, override_protected,
                                            propagate, validate_scoped, cycles)
        flags = (override_protected, propagate, validate_scoped)
        identity_key = (id(active_ctx), _identity(local_ctx), flags)
        with self._lock:
            hit = memo.get(identity_key)
        # Keys hold ids, so a hit counts only if it is the very same active (and, for
        # objects, local) context; the entry keeps both alive so ids cannot be reused.
        if hit is not None and hit[0] is active_ctx and (
                isinstance(local_ctx, str | list) or hit[1] is local_ctx):
            return hit[2]
        content_key = None
        if not isinstance(local_ctx, str) and not _all_strings(local_ctx):
            # Inline contexts arrive as fresh objects with each document: also key them by
            # content so the next document with the same inline context hits.
            content_key = (id(active_ctx), _content(local_ctx), flags)
            with self._lock:
                hit = memo.get(content_key) if content_key[1] is not None else None
            if hit is not None and hit[0] is active_ctx:
                return hit[2]
        result = super()._process_context(active_ctx, local_ctx, options, override_protected,
                                          propagate, validate_scoped, cycles)
        with self._lock:
            memo[identity_key] = (active_ctx, local_ctx, result)
            if content_key is not None and content_key[1] is not None:
                memo[content_key] = (active_ctx, local_ctx, result)
        return result

    def _expand(self, active_ctx: Any, active_property: Any, element: Any, options: Any,
                inside_list: bool = False, inside_index: bool = False,
                type_scoped_ctx: Any = None) -> Any:
        # Expanding a node object is a pure function of the object, the active context and
        # the flags; credentials of one programme repeat the same achievement (criteria,
        # alignments, results), so its expansion is kept and reused by content. Hits are
        # handed out as fresh copies (pickle round trip): later steps may write into them.
        # An object is only noted the first time (``None``) and its expansion kept the
        # second: copying the expansion of every object of a credential no other repeats
        # (a learner's EDC with its page images) was a tenth of expanding it.
        memo = self._expansions
        if (memo is None or active_property is None or not isinstance(element, dict)
                or len(element) < _MIN_MEMO_KEYS):
            return super()._expand(active_ctx, active_property, element, options, inside_list,
                                   inside_index, type_scoped_ctx)
        try:
            content = _memo_key(element)
        except (TypeError, ValueError):
            content = None
        if content is None:
            return super()._expand(active_ctx, active_property, element, options, inside_list,
                                   inside_index, type_scoped_ctx)
        key = (id(active_ctx), id(type_scoped_ctx), active_property, inside_list, inside_index,
               content)
        with self._lock:
            hit = memo.get(key)
        met = False
        if hit is not None and hit[0] is active_ctx and hit[1] is type_scoped_ctx:
            if hit[2] is not None:
                return pickle.loads(hit[2])  # noqa: S301 - bytes credstack pickled itself
            met = True
        result = super()._expand(active_ctx, active_property, element, options, inside_list,
                                 inside_index, type_scoped_ctx)
        kept = pickle.dumps(result, protocol=5) if met else None
        with self._lock:
            memo[key] = (active_ctx, type_scoped_ctx, kept)
        return result


def _memo_key(element: dict[str, Any]) -> bytes | None:
    """A node object's content as a memo key (its SHA-256: equal keys, equal JSON values), or
    ``None`` for one longer than :data:`_MEMO_NODE_BYTES`, which is not kept.

    orjson writes it (a node object is keyed at every level it nests in, so for an EDC whose
    page images sit three levels down this was a tenth of its expansion with ``json``). It
    writes NaN and the infinities as ``null``, as it writes None: an object in which
    ``null`` appears is keyed by ``json``, which tells them apart (the two writings are
    tagged apart before hashing). orjson refuses what ``json`` would also refuse or change
    (keys that are not strings, integers beyond 64 bits, lone surrogates): TypeError. The
    key is a digest, not the text: a key holds 32 bytes whatever the node's size.
    """
    content = orjson.dumps(element)
    if b"null" in content:
        content = b"j" + json.dumps(element, ensure_ascii=False,
                                    separators=(",", ":")).encode("utf-8", "surrogatepass")
    if len(content) > _MEMO_NODE_BYTES:
        return None
    return hashlib.sha256(content).digest()


def _all_strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _identity(local_ctx: Any) -> Any:
    if isinstance(local_ctx, str):
        return local_ctx
    if _all_strings(local_ctx):
        return tuple(local_ctx)
    return ("object", id(local_ctx))


def _content(local_ctx: Any) -> str | None:
    try:
        return json.dumps(local_ctx, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):
        return None


class _Engine:
    """The per-loader state: PyLD's resolved-context cache and, on the fast path, the memo."""

    def __init__(self, loader: DocumentLoader, *, memoize: bool) -> None:
        self._loader = loader
        self.processor = _Processor(memoize=memoize)
        self._resolved: LRUCache[Any, Any] = LRUCache(maxsize=_RESOLVED_CONTEXTS)
        self.shapes = compiled_shapes.CompiledShapes(
            expand=lambda document: self.processor.expand(document, self.options(shared=True)),
            reference=lambda document, algorithm: _expanded_canonical(self, document,
                                                                      algorithm),
            load=lambda url: self.load(url, {})["document"])

    def load(self, url: str, options: Any) -> dict[str, Any]:
        result = self._loader(url, options)
        if isinstance(result, Mapping) and "document" in result:
            document = result["document"]
            document_url = result.get("documentUrl") or url
        else:
            document, document_url = result, url
        if isinstance(document, str | bytes):
            document = json.loads(document)
        # PyLD resolves relative URLs inside a context in place; the copy keeps the loader's
        # own data untouched. The "static" tag lets PyLD keep the resolved context.
        return {"contextUrl": None, "documentUrl": document_url,
                "document": copy.deepcopy(document), "tag": "static"}

    def options(self, *, shared: bool) -> dict[str, Any]:
        cache = self._resolved if shared else LRUCache(maxsize=_RESOLVED_CONTEXTS)
        return {
            "base": None,
            "processingMode": "json-ld-1.1",
            "documentLoader": self.load,
            "contextResolver": jsonld.ContextResolver(cache, self.load),
            "extractAllScripts": False,
        }


_engines: LRUCache[Any, _Engine] = LRUCache(maxsize=32)
_engines_lock = threading.Lock()


def _engine(loader: DocumentLoader) -> _Engine:
    # One engine (and memo) per loader: a context URL means whatever *this* loader says it
    # means, so nothing learnt through one loader may answer for another.
    with _engines_lock:
        engine = _engines.get(loader)
        if engine is None:
            engine = _Engine(loader, memoize=True)
            _engines[loader] = engine
        return engine


def rdfc_canonicalize(document: Mapping[str, Any], *, document_loader: DocumentLoader,
                      hash_algorithm: rdfc.HashAlgorithm = "sha256") -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document, in safe mode (fast path).

    ``hash_algorithm`` is RDFC-1.0's hash for labelling blank nodes (SHA-256 by default).
    The document's compiled shape answers when there is one (see
    :func:`rdfc_canonicalize_compiled`); otherwise the document is expanded.
    """
    with _translated_errors():
        canonical = _canonical(document, document_loader, hash_algorithm)
        # A lone surrogate (JSON allows "\ud800") has no UTF-8 form, so nothing can be signed
        # or verified over it: refuse it here as malformed rather than fail later.
        canonical.encode("utf-8")
        return canonical


def rdfc_check(document: Mapping[str, Any], *, document_loader: DocumentLoader) -> None:
    """Refuse what :func:`rdfc_canonicalize` refuses (a term the contexts do not define, a
    protected term redefined, a string with no UTF-8 form), without its N-Quads when none are
    wanted: a document whose compiled shape its strings fill in place is accepted as it stands
    (:meth:`~credstack.core.crypto.compiled_shapes.CompiledShapes.accepts`: it expands as
    the document the shape was compiled from, which the full algorithm accepted); any other
    goes through :func:`rdfc_canonicalize`."""
    if not _engine(document_loader).shapes.accepts(document):
        rdfc_canonicalize(document, document_loader=document_loader)


def rdfc_canonicalize_utf8(document: Mapping[str, Any], *, document_loader: DocumentLoader,
                           hash_algorithm: rdfc.HashAlgorithm = "sha256") -> bytes:
    """:func:`rdfc_canonicalize`'s N-Quads in UTF-8, what the RDFC cryptosuites hash: encoded
    once, where encoding them is also the check that they have a UTF-8 form (a credential's
    N-Quads are several kilobytes; encoding them twice was 5 % of signing one)."""
    with _translated_errors():
        return _canonical(document, document_loader, hash_algorithm).encode("utf-8")


def _canonical(document: Mapping[str, Any], document_loader: DocumentLoader,
               hash_algorithm: rdfc.HashAlgorithm) -> str:
    engine = _engine(document_loader)
    canonical = engine.shapes.canonicalize(document, hash_algorithm)
    if canonical is None:
        canonical = _expanded_canonical(engine, document, hash_algorithm)
    return canonical


def rdfc_canonicalize_compiled(document: Mapping[str, Any], *, document_loader: DocumentLoader,
                               hash_algorithm: rdfc.HashAlgorithm = "sha256") -> str | None:
    """The canonical N-Quads from the document's compiled shape, or None when there is none.

    A shape (:mod:`credstack.core.crypto.compiled_shapes`) is compiled the second time it is met —
    and a variant of it (other values where strings shape the expansion, such as an
    ``achievementType``) the second time that variant is met — and only if, on the document
    it is compiled from, it gives the bytes of the full algorithm. None also when the
    document's holes cannot be filled in place (a blank-node or compact-IRI ``@id``): the
    caller then expands the document, as :func:`rdfc_canonicalize` does.
    """
    with _translated_errors():
        return _engine(document_loader).shapes.canonicalize(document, hash_algorithm)


def _expanded_canonical(engine: _Engine, document: Mapping[str, Any],
                        hash_algorithm: rdfc.HashAlgorithm) -> str:
    expanded: list[Any] = engine.processor.expand(_as_dict(document),
                                                  engine.options(shared=True))
    _check_expanded(expanded, "")
    return rdfc.canonicalize(rdfc.dataset_from_expanded(expanded),
                             hash_algorithm=hash_algorithm)


def jsonld_expand(document: Mapping[str, Any], *,
                  document_loader: DocumentLoader) -> list[Any]:
    """The expanded form of a JSON-LD document, in safe mode (fast path): what
    :func:`rdfc_canonicalize` reads, for the selective disclosure suites, which work on it."""
    engine = _engine(document_loader)
    with _translated_errors():
        expanded: list[Any] = engine.processor.expand(_as_dict(document),
                                                      engine.options(shared=True))
        _check_expanded(expanded, "")
        return expanded


def jsonld_compact(expanded: list[Any], context: Any, *,
                   document_loader: DocumentLoader) -> dict[str, Any]:
    """An expanded JSON-LD document compacted with ``context`` (JSON-LD 1.1 §6 "Compaction
    Algorithms"; arrays of one value compacted, as jsonld.js does by default)."""
    engine = _engine(document_loader)
    options = engine.options(shared=True)
    options["skipExpansion"] = True
    with _translated_errors():
        compacted: dict[str, Any] = engine.processor.compact(expanded, context, options)
        return compacted


def jsonld_to_rdf(expanded: list[Any]) -> set[rdfc.Quad]:
    """The RDF dataset of an expanded document (``jsonld_expand``), blank nodes as they come:
    JSON-LD 1.1 §8.1 "Deserialize JSON-LD to RDF"."""
    with _translated_errors():
        return rdfc.dataset_from_expanded(expanded)


def rdfc_canonicalize_plain(document: Mapping[str, Any], *,
                            document_loader: DocumentLoader) -> str:
    """The same with nothing cached: PyLD's own ``normalize`` (URDNA2015), for comparison.

    Slower, and it writes control characters other than ``\\t \\n \\r`` raw (see the module
    documentation); use :func:`rdfc_canonicalize`.
    """
    engine = _Engine(document_loader, memoize=False)
    with _translated_errors():
        expanded = engine.processor.expand(_as_dict(document), engine.options(shared=False))
        _check_expanded(expanded, "")
        options = engine.options(shared=False)
        options.update(algorithm="URDNA2015", format="application/n-quads",
                       rdfDirection="i18n-datatype")
        result: str = jsonld.JsonLdProcessor().normalize(_as_dict(document), options)
        return result


def _as_dict(document: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(document, Mapping):
        raise MalformedCredentialError("a JSON-LD document must be a JSON object")
    _check_contexts(document)
    return document if isinstance(document, dict) else dict(document)


def _check_contexts(document: Any) -> None:
    """JSON-LD 1.1 §9.15: a document's @context entries are null, strings or objects only.

    PyLD would read `false` as null (a reset), which jsonld.js refuses.
    """
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            if "@context" in item:
                context = item["@context"]
                entries = context if isinstance(context, list) else [context]
                if any(isinstance(entry, bool | int | float) for entry in entries):
                    raise MalformedCredentialError(
                        "a @context entry must be null, a string or an object",
                        problems=[Problem("@context", f"found {context!r}")])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


@contextmanager
def _translated_errors() -> Iterator[None]:
    """Turn whatever PyLD raises into credstack's errors, keeping any credstack cause."""
    try:
        yield
    except Exception as error:  # PyLD raises all kinds of errors; each is translated
        raise _translate(error) from None


def _translate(error: Exception) -> CredstackError:
    chain: list[BaseException] = []
    cause: BaseException | None = error
    while cause is not None and all(cause is not seen for seen in chain):
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    for cause in chain:
        if isinstance(cause, CredstackError):
            return cause
        if isinstance(cause, _DroppedTermError):
            term = cause.term or "(a term)"
            return UndefinedTermError(
                f"the JSON-LD term {term!r} is not defined by the document's contexts",
                problems=[Problem(term, "this term does not expand to an IRI; it would "
                                        "be left out of what the signature covers")])
    if any(isinstance(cause, UnicodeEncodeError) for cause in chain):
        return MalformedCredentialError(
            "a string holds a lone surrogate: it is not valid Unicode and cannot be signed")
    if any(isinstance(cause, rdfc.RdfError) for cause in chain):
        return MalformedCredentialError(f"the document has no RDF form: {chain[-1]}")
    if any(isinstance(cause, rdfc.PoisonedDatasetError) for cause in chain):
        return MalformedCredentialError(
            "the document's blank nodes are too entangled to canonicalize (RDFC-1.0 "
            "dataset poisoning limit)")
    if any(isinstance(cause, RecursionError) for cause in chain):
        return MalformedCredentialError("the JSON-LD document is nested too deeply")
    # The innermost error says what was wrong; the outer ones only say where PyLD was.
    innermost = chain[-1]
    message = str(innermost).splitlines()[0] if str(innermost) else type(innermost).__name__
    code = getattr(innermost, "code", None)
    return MalformedCredentialError(
        "the document cannot be processed as JSON-LD: "
        + (f"{message} ({code})" if code else message))


def _is_absolute_iri(value: str) -> bool:
    return _ABSOLUTE_IRI.fullmatch(value) is not None


def _iri_or_blank(value: Any) -> bool:
    return isinstance(value, str) and (value.startswith("_:") or _is_absolute_iri(value))


def _check_expanded(element: Any, path: str) -> None:
    """Refuse what PyLD would silently leave out of the dataset (safe mode, part two)."""
    if isinstance(element, list):
        for index, item in enumerate(element):
            _check_expanded(item, f"{path}[{index}]")
        return
    if not isinstance(element, dict):
        return
    is_value = "@value" in element
    for key, value in element.items():
        where = f"{path}/{key}" if path else key
        if key == "@id":
            if not _iri_or_blank(value):
                raise _relative(value, where)
        elif key == "@type":
            if is_value:
                if value != "@json" and not _iri_or_blank(value):
                    raise _relative(value, where)
            else:
                for item in value if isinstance(value, list) else [value]:
                    if not _iri_or_blank(item):
                        raise _relative(item, where)
        elif key == "@value":
            continue
        elif key.startswith("@"):
            if isinstance(value, list | dict):
                _check_expanded(value, where)
        elif key.startswith("_:"):
            raise MalformedCredentialError(
                "a property is a blank node, which RDF does not allow",
                problems=[Problem(where, "blank-node predicate")])
        else:
            _check_expanded(value, where)


def _relative(value: Any, where: str) -> MalformedCredentialError:
    return MalformedCredentialError(
        f"{value!r} is not an absolute IRI (relative IRIs are refused: the base IRI is null)",
        problems=[Problem(where, "relative IRI reference")])


def jcs_canonicalize(value: Any) -> bytes:
    """The RFC 8785 (JCS) canonical form of a JSON value, as UTF-8 bytes (see ``jcs``)."""
    return jcs.canonicalize(value)
