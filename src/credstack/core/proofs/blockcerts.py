"""Blockcerts' Merkle receipts: what a blockchain-anchored credential's proof says about the
document, checked without the blockchain.

A Blockcerts issuer hashes each credential, builds a Merkle tree over a batch of them and
writes the tree's root into one blockchain transaction. Each credential carries its *receipt*:
its own hash (``targetHash``), the path of sibling hashes up to the root (``path`` or
``proof``, each step ``left`` or ``right``), the ``merkleRoot`` and the transaction it was
anchored in (``anchors``). Two of the three things a verifier checks need no network:

1. the document's hash is the receipt's ``targetHash``: the SHA-256 of the document's
   canonical N-Quads (URDNA2015, i.e. RDFC-1.0), without its proof;
2. the path leads from ``targetHash`` to ``merkleRoot``: at each step the sibling is put on
   its side and the pair of raw 32-byte hashes hashed (SHA-256), as Chainpoint receipts do.

The third — that ``merkleRoot`` is in the named transaction, sent from the issuer's address —
is on the blockchain, which credstack does not read.

Two shapes of receipt:

* Blockcerts v3 — W3C CCG draft "Merkle Proof Signature Suite 2019"
  (https://w3c-ccg.github.io/lds-merkleproof2019/): ``proof.proofValue`` is multibase
  base58-btc of a CBOR array of ``[key, value]`` pairs (0 ``merkleRoot``, 1 ``targetHash``,
  2 ``anchors``, 3 ``path``); each hash is itself CBOR — the raw bytes in Blockcerts'
  JavaScript encoder (npm ``@blockcerts/lds-merkle-proof-2019``), their hex as text in its
  Python one (PyPI ``lds-merkle-proof-2019``, which cert-issuer uses): both are read —, each
  path step ``[0 left | 1 right, CBOR hash]`` and each anchor a list of ``[0, chain]``,
  ``[1, network]``, ``[2, CBOR transaction id]``; a test-only "mocknet" anchor has chain
  ``-1`` and a note as its network;
* Blockcerts v2 — ``signature`` of type ``MerkleProof2017`` (Chainpoint v2 receipt as JSON:
  ``targetHash``, ``merkleRoot``, ``proof``, ``anchors`` of ``{sourceId, type, chain}``).

The decoding is written here rather than taken from ``lds-merkle-proof-2019`` on PyPI: that
package (0.1.0, 2020) prints to standard output while decoding and raises bare exceptions on
malformed input, and the format is a few lines of CBOR over :mod:`cbor2`, which credstack
already uses for COSE.

The document is canonicalized as Blockcerts' verifier (jsonld.js ``normalize`` with no
``rdfDirection``) does: a value's base direction (``@direction``) is left out of the RDF,
its language kept; the contexts come only from the injected loader, except that the Open
Badges 2.0 context is read as Blockcerts serves it (its cert-schema ``obi.json``, the
1EdTech document but for the term ``targetFramework``), with which every Blockcerts v2
issuer hashed what it anchored.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import cbor2
from cachetools import LRUCache

from credstack.core.crypto.canonicalization import DocumentLoader, rdfc_canonicalize
from credstack.core.crypto.multibase import decode_base58btc
from credstack.errors import MalformedCredentialError

__all__ = [
    "Anchor",
    "Receipt",
    "ReceiptError",
    "document_hash",
    "reaches_root",
    "receipt_2017",
    "receipt_2019",
]

#: The Open Badges 2.0 context's URLs, and Blockcerts' own copy of it.
_OPEN_BADGES_V2: Final = frozenset({"https://w3id.org/openbadges/v2",
                                    "https://openbadgespec.org/v2/context.json"})
_OPEN_BADGES_V2_AS_BLOCKCERTS_SERVES_IT: Final = "https://w3id.org/blockcerts/schema/2.1/obi.json"
#: Blockcerts' chain identifiers in a MerkleProof2019 anchor, and their networks.
_CHAINS: Final = {0: "btc", 1: "eth", -1: "mocknet"}
_NETWORKS: Final = {
    "btc": {1: "mainnet", 2: "regtest", 3: "testnet"},
    "eth": {1: "mainnet", 3: "ropsten", 4: "rinkeby", 5: "goerli", 11155111: "sepolia"},
}
#: Blockcerts v2 anchor chains (``anchors[].chain``; without one, Bitcoin, network unsaid).
_CHAINS_2017: Final = {
    "bitcoinMainnet": ("btc", "mainnet"), "bitcoinTestnet": ("btc", "testnet"),
    "bitcoinRegtest": ("btc", "regtest"), "ethereumMainnet": ("eth", "mainnet"),
    "ethereumRopsten": ("eth", "ropsten"), "ethereumRinkeby": ("eth", "rinkeby"),
    "ethereumGoerli": ("eth", "goerli"), "ethereumSepolia": ("eth", "sepolia"),
    "mockchain": ("mocknet", None),
}
_HASH_HEX_LENGTH: Final = 64


class ReceiptError(ValueError):
    """A receipt that cannot be read; ``code`` says which part (``encoding``, ``target-hash``,
    ``merkle-root``, ``path``, ``anchors``), for the caller to word."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a Merkle root was written: a chain (``btc``, ``eth``, ``mocknet``), its network
    (``mainnet``, ``testnet`` …, ``None`` when not said) and the transaction id (for
    mocknet, the note the issuer wrote)."""

    chain: str
    network: str | None
    transaction: str

    @property
    def uri(self) -> str:
        """The anchor as Blockcerts writes it: ``blink:btc:testnet:<transaction>``."""
        parts = ["blink", self.chain, *([self.network] if self.network else []),
                 self.transaction]
        return ":".join(parts)


@dataclass(frozen=True, slots=True)
class Receipt:
    """A credential's Merkle receipt: lower-case hex hashes, the path as ``(side, hash)``."""

    target_hash: str
    merkle_root: str
    path: tuple[tuple[str, str], ...]
    anchors: tuple[Anchor, ...]


def receipt_2019(proof_value: object) -> Receipt:
    """The receipt in a MerkleProof2019 ``proofValue``; :class:`ReceiptError` if unreadable."""
    if not isinstance(proof_value, str) or not proof_value.startswith("z"):
        raise ReceiptError("encoding")
    try:
        pairs = cbor2.loads(decode_base58btc(proof_value))
    except (ValueError, MalformedCredentialError, cbor2.CBORDecodeError):
        raise ReceiptError("encoding") from None
    if not isinstance(pairs, list) or not all(
            isinstance(pair, list) and len(pair) == 2 for pair in pairs):
        raise ReceiptError("encoding")
    fields = {key: value for key, value in pairs}
    return Receipt(
        target_hash=_hash(_cbor_text(fields.get(1), "target-hash"), "target-hash"),
        merkle_root=_hash(_cbor_text(fields.get(0), "merkle-root"), "merkle-root"),
        path=tuple(_step_2019(step) for step in _list(fields.get(3, []), "path")),
        anchors=tuple(_anchor_2019(anchor) for anchor in _list(fields.get(2, []), "anchors")))


def receipt_2017(signature: Mapping[str, Any]) -> Receipt:
    """The receipt of a Blockcerts v2 ``signature`` (MerkleProof2017)."""
    path: list[tuple[str, str]] = []
    for step in _list(signature.get("proof", []), "path"):
        if not isinstance(step, Mapping) or len(step) != 1 or \
                next(iter(step)) not in ("left", "right"):
            raise ReceiptError("path")
        side, value = next(iter(step.items()))
        path.append((side, _hash(value, "path")))
    anchors: list[Anchor] = []
    for anchor in _list(signature.get("anchors", []), "anchors"):
        if not isinstance(anchor, Mapping) or not isinstance(anchor.get("sourceId"), str):
            raise ReceiptError("anchors")
        named = anchor.get("chain")
        chain, network = ("btc", None) if named is None else \
            _CHAINS_2017.get(str(named), (str(named), None))
        anchors.append(Anchor(chain, network, anchor["sourceId"]))
    return Receipt(target_hash=_hash(signature.get("targetHash"), "target-hash"),
                   merkle_root=_hash(signature.get("merkleRoot"), "merkle-root"),
                   path=tuple(path), anchors=tuple(anchors))


def reaches_root(receipt: Receipt) -> bool:
    """Whether the path leads from the receipt's ``targetHash`` to its ``merkleRoot``."""
    current = bytes.fromhex(receipt.target_hash)
    for side, sibling in receipt.path:
        pair = bytes.fromhex(sibling) + current if side == "left" \
            else current + bytes.fromhex(sibling)
        current = hashlib.sha256(pair).digest()
    return current.hex() == receipt.merkle_root


def document_hash(document: Mapping[str, Any], *, without: str,
                  document_loader: DocumentLoader) -> str:
    """The hex SHA-256 a receipt's ``targetHash`` must equal: of ``document`` without its
    member ``without`` (``proof`` or ``signature``), canonicalized as Blockcerts does.

    Raises :class:`~credstack.errors.MalformedCredentialError` (or a subclass: an unknown
    context, an undefined term) when the document has no canonical form.
    """
    unsigned = {key: _undirected(value) for key, value in document.items() if key != without}
    canonical = rdfc_canonicalize(unsigned, document_loader=_as_blockcerts(document_loader))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _as_blockcerts(loader: DocumentLoader) -> DocumentLoader:
    """``loader``, reading the Open Badges 2.0 context as Blockcerts serves it (one wrapper
    per loader: the canonicalizer keeps what it learnt per loader)."""
    with _wrapped_lock:
        wrapped = _wrapped.get(loader)
        if wrapped is None:
            def load(url: str, options: Mapping[str, Any], /) -> Mapping[str, Any]:
                if url.partition("#")[0] in _OPEN_BADGES_V2:
                    url = _OPEN_BADGES_V2_AS_BLOCKCERTS_SERVES_IT
                return loader(url, options)

            wrapped = _wrapped[loader] = load
        return wrapped


_wrapped: LRUCache[Any, DocumentLoader] = LRUCache(maxsize=8)
_wrapped_lock = threading.Lock()


def _undirected(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _undirected(item) for key, item in value.items() if key != "@direction"}
    if isinstance(value, list):
        return [_undirected(item) for item in value]
    return value


def _list(value: Any, code: str) -> Sequence[Any]:
    if not isinstance(value, list):
        raise ReceiptError(code)
    return value


def _cbor_text(value: Any, code: str) -> Any:
    """A CBOR-encoded hash or transaction id: text as it is, bytes as their hex."""
    if not isinstance(value, bytes):
        raise ReceiptError(code)
    try:
        decoded = cbor2.loads(value)
    except (ValueError, cbor2.CBORDecodeError):
        raise ReceiptError(code) from None
    return decoded.hex() if isinstance(decoded, bytes) else decoded


def _hash(value: Any, code: str) -> str:
    if not isinstance(value, str) or len(value) != _HASH_HEX_LENGTH:
        raise ReceiptError(code)
    try:
        bytes.fromhex(value)
    except ValueError:
        raise ReceiptError(code) from None
    return value.lower()


def _step_2019(step: Any) -> tuple[str, str]:
    if not isinstance(step, list) or len(step) != 2 or step[0] not in (0, 1):
        raise ReceiptError("path")
    return ("left" if step[0] == 0 else "right", _hash(_cbor_text(step[1], "path"), "path"))


def _anchor_2019(anchor: Any) -> Anchor:
    if not isinstance(anchor, list) or not all(
            isinstance(part, list) and len(part) == 2 for part in anchor):
        raise ReceiptError("anchors")
    parts = {key: value for key, value in anchor}
    chain = _CHAINS.get(parts.get(0))  # type: ignore[arg-type]
    if chain is None:
        raise ReceiptError("anchors")
    network = parts.get(1)
    if chain == "mocknet":
        # A test anchor: in place of a network, the note the issuer wrote (CBOR text), and
        # no transaction.
        note = _cbor_text(network, "anchors") if isinstance(network, bytes) else network
        return Anchor(chain, None, str(note or ""))
    named = _NETWORKS[chain].get(network)  # type: ignore[arg-type]
    transaction = parts.get(2)
    text = _cbor_text(transaction, "anchors") if isinstance(transaction, bytes) else transaction
    if named is None or not isinstance(text, str):
        raise ReceiptError("anchors")
    return Anchor(chain, named, text)
