"""The standards' test vectors and a document loader over ``../shared/ref/contexts``.

Tests only: the service's own loader (bundled contexts, pinned by digest) is an adapter;
these tests inject this one, which serves exactly the files listed in
``contexts/index.json`` and raises :class:`UnknownContextError` for anything else.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from credstack.core.crypto import KeyPair, KeyType, decode_secret_key
from credstack.errors import UnknownContextError

W3C_VERIFICATION_METHOD = (
    "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
)


class ContextLoader:
    """A JSON-LD document loader serving a fixed set of contexts; it never fetches."""

    def __init__(self, documents: Mapping[str, Any]) -> None:
        self._documents = dict(documents)
        self.requests: list[str] = []

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        self.requests.append(url)
        if url not in self._documents:
            raise UnknownContextError(f"the context {url} is not bundled")
        return {"contextUrl": None, "documentUrl": url,
                "document": copy.deepcopy(self._documents[url])}

    def with_documents(self, extra: Mapping[str, Any]) -> ContextLoader:
        return ContextLoader({**self._documents, **extra})


@functools.cache
def shared_loader(ref: Path) -> ContextLoader:
    """One loader per reference directory, shared so that its context cache is warm."""
    return ContextLoader(read_contexts(ref))


def read_contexts(ref: Path) -> dict[str, Any]:
    index = read_json(ref / "contexts" / "index.json")
    return {url: read_json(ref / "contexts" / path) for url, path in index.items()}


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def w3c_key(ref: Path) -> KeyPair:
    """The key pair of vc-di-eddsa's ``keyPair.json``."""
    pair = read_json(ref / "vectors" / "vc-di-eddsa" / "keyPair.json")
    return decode_secret_key(pair["privateKeyMultibase"])


@dataclass(frozen=True)
class RdfcVector:
    """One eddsa-rdfc-2022 vector, in the W3C or the 1EdTech layout."""

    name: str
    directory: str
    unsigned: str
    suffix: str = ""  # W3C file names end in "DataInt"; 1EdTech's use other names

    def path(self, ref: Path, file: str) -> Path:
        return ref / "vectors" / self.directory / file


W3C_RDFC_VECTORS = [
    RdfcVector("alumni", "vc-di-eddsa/eddsa-rdfc-2022", "vc-di-eddsa/unsigned.json", "DataInt"),
    RdfcVector("employment", "vc-di-eddsa/eddsa-rdfc-2022/employ",
               "vc-di-eddsa/employmentAuth.json", "DataInt"),
]
ONE_EDTECH_RDFC_VECTORS = [
    RdfcVector("ob-v3p0", "ob-v3p0-eddsa-rdfc-2022",
               "ob-v3p0-eddsa-rdfc-2022/credential-unsigned.json"),
    RdfcVector("clr-v2p0", "clr-v2p0-eddsa-rdfc-2022",
               "clr-v2p0-eddsa-rdfc-2022/credential-unsigned.json"),
]


def one_edtech_key(ref: Path, vector: RdfcVector) -> KeyPair:
    pair = read_json(vector.path(ref, "key-pair.json"))
    key = KeyPair.from_secret_bytes(
        decode_secret_key(pair["secretKeyMultibase"]).type,
        bytes.fromhex(pair["privateKeyHex"])[:32])
    assert key.public_key.raw.hex() == pair["publicKeyHex"]
    return key



@dataclass(frozen=True)
class SignedVector:
    """One signed document of vc-di-eddsa: where it is and the suite of its proof (or of each
    of its proofs: a proof set or chain has several)."""

    suite: str
    file: str  # under vectors/vc-di-eddsa

    def path(self, ref: Path) -> Path:
        return ref / "vectors" / "vc-di-eddsa" / self.file


#: Every ``signed*.json`` of vc-di-eddsa (a test checks that none is left out); the
#: ``proofChainTempDoc*`` files are a chain half built, not signed documents.
EDDSA_SIGNED_VECTORS = [
    SignedVector("eddsa-rdfc-2022", "eddsa-rdfc-2022/signedDataInt.json"),
    SignedVector("eddsa-rdfc-2022", "eddsa-rdfc-2022/employ/signedDataInt.json"),
    SignedVector("eddsa-jcs-2022", "eddsa-jcs-2022/signedJCS.json"),
    SignedVector("Ed25519Signature2020", "Ed25519Signature2020/signedEdSig.json"),
    SignedVector("eddsa-rdfc-2022", "proof-set-chain/signedProofSet1.json"),
    SignedVector("eddsa-rdfc-2022", "proof-set-chain/signedProofSet2.json"),
    SignedVector("eddsa-rdfc-2022", "proof-set-chain/signedProofChain1.json"),
    SignedVector("eddsa-rdfc-2022", "proof-set-chain/signedProofChain2.json"),
]


# --- vc-di-ecdsa ------------------------------------------------------------------------------

@dataclass(frozen=True)
class EcdsaVector:
    """One ecdsa-rdfc-2019 or ecdsa-jcs-2019 vector of vc-di-ecdsa: its directory, unsigned
    document and file suffix (``canonDocECDSAP256.txt``, ``sigHexJCSECDSAP384.txt``…)."""

    name: str
    suite: str
    key_type: KeyType
    directory: str
    unsigned: str
    suffix: str

    def path(self, ref: Path, stem: str, extension: str = "txt") -> Path:
        return ref / "vectors" / "vc-di-ecdsa" / self.directory / (
            f"{stem}{self.suffix}.{extension}")

    def text(self, ref: Path, stem: str) -> str:
        """A ``.txt`` file of the vector, as it is (canonical forms end in a newline)."""
        return read_text(self.path(ref, stem))

    def value(self, ref: Path, stem: str) -> str:
        """A one-line ``.txt`` file (a hash in hex, a signature), stripped."""
        return self.text(ref, stem).strip()

    def document(self, ref: Path) -> dict[str, Any]:
        """The unsigned document."""
        document: dict[str, Any] = read_json(ref / "vectors" / "vc-di-ecdsa" / self.unsigned)
        return document

    def config(self, ref: Path) -> dict[str, Any]:
        """The published proof configuration (with its ``@context``)."""
        config: dict[str, Any] = read_json(self.path(ref, "proofConfig", "json"))
        return config

    def options(self, ref: Path) -> dict[str, Any]:
        """The proof options: the configuration without ``@context``."""
        return {name: value for name, value in self.config(ref).items() if name != "@context"}

    def signed(self, ref: Path) -> dict[str, Any]:
        signed: dict[str, Any] = read_json(self.path(ref, "signed", "json"))
        return signed


ECDSA_RDFC_VECTORS = [
    EcdsaVector("p256", "ecdsa-rdfc-2019", KeyType.P256, "ecdsa-rdfc-2019-p256",
                "unsigned.json", "ECDSAP256"),
    EcdsaVector("p256-employment", "ecdsa-rdfc-2019", KeyType.P256,
                "ecdsa-rdfc-2019-p256/employ", "employmentAuth.json", "ECDSAP256"),
    EcdsaVector("p384", "ecdsa-rdfc-2019", KeyType.P384, "ecdsa-rdfc-2019-p384",
                "unsigned.json", "ECDSAP384"),
    EcdsaVector("p384-employment", "ecdsa-rdfc-2019", KeyType.P384,
                "ecdsa-rdfc-2019-p384/employ", "employmentAuth.json", "ECDSAP384"),
]
ECDSA_JCS_VECTORS = [
    EcdsaVector("p256", "ecdsa-jcs-2019", KeyType.P256, "ecdsa-jcs-2019-p256",
                "unsigned.json", "JCSECDSAP256"),
    EcdsaVector("p384", "ecdsa-jcs-2019", KeyType.P384, "ecdsa-jcs-2019-p384",
                "unsigned.json", "JCSECDSAP384"),
]


def ecdsa_key(ref: Path, key_type: KeyType) -> KeyPair:
    """The vc-di-ecdsa key pair of a curve (``p256KeyPair.json``, ``p384KeyPair.json``)."""
    name = {KeyType.P256: "p256KeyPair.json", KeyType.P384: "p384KeyPair.json"}[key_type]
    pair = read_json(ref / "vectors" / "vc-di-ecdsa" / name)
    return decode_secret_key(pair["secretKeyMultibase"])


# --- vc-di-ecdsa: ecdsa-sd-2023 ---------------------------------------------------------------

@dataclass(frozen=True)
class SdVector:
    """One ecdsa-sd-2023 vector of vc-di-ecdsa (``ecdsa-sd-2023/employ``, ``…/prc``): the base
    proof an issuer made with ``SDKeyMaterial.json``, and the disclosure a holder derived."""

    name: str
    directory: str
    mandatory: str  # the file of the issuer's mandatory pointers
    selective: str  # the file of the holder's selective pointers

    def json(self, ref: Path, file: str) -> Any:
        return read_json(ref / "vectors" / "vc-di-ecdsa" / "ecdsa-sd-2023" / self.directory
                         / file)

    def text(self, ref: Path, file: str) -> str:
        return read_text(ref / "vectors" / "vc-di-ecdsa" / "ecdsa-sd-2023" / self.directory
                         / file)

    def map(self, ref: Path, file: str, *keys: str) -> list[list[Any]]:
        """The entries of a JavaScript ``Map`` the vector writes as ``{"dataType": "Map",
        "value": [[key, value], …]}``, found under ``keys``."""
        value = self.json(ref, file)
        for key in keys:
            value = value[key]
        assert value["dataType"] == "Map"
        entries: list[list[Any]] = value["value"]
        return entries

    def pointers(self, ref: Path, which: str) -> list[str]:
        """The ``mandatory`` or ``selective`` JSON pointers."""
        pointers: list[str] = read_json(ref / "vectors" / "vc-di-ecdsa" / getattr(self, which))
        return pointers

    def base(self, ref: Path) -> dict[str, Any]:
        """The document with the issuer's base proof (``addSignedSDBase.json``)."""
        base: dict[str, Any] = self.json(ref, "addSignedSDBase.json")
        return base

    def unsigned(self, ref: Path) -> dict[str, Any]:
        """The document the issuer signed: the base document without its proof.

        (``prCredUnsigned.json`` is not it: its ``description`` differs from the one the
        ``prc`` vectors were made from.)"""
        return {name: value for name, value in self.base(ref).items() if name != "proof"}

    def options(self, ref: Path) -> dict[str, Any]:
        """The proof options: ``addProofConfig.json`` without its ``@context``."""
        return {name: value for name, value in self.json(ref, "addProofConfig.json").items()
                if name != "@context"}

    def derived(self, ref: Path) -> dict[str, Any]:
        """The disclosure the holder derived (``derivedRevealDocument.json``)."""
        derived: dict[str, Any] = self.json(ref, "derivedRevealDocument.json")
        return derived


SD_VECTORS = [
    SdVector("employment", "employ", "employMandatory.json", "employSelective.json"),
    SdVector("permanent-resident", "prc", "prCredMandatory.json", "prCredSelective.json"),
]


def sd_key_material(ref: Path) -> tuple[KeyPair, KeyPair, bytes]:
    """``SDKeyMaterial.json``: the issuer's key, the proof-scoped key and the HMAC key."""
    material = read_json(ref / "vectors" / "vc-di-ecdsa" / "ecdsa-sd-2023" / "SDKeyMaterial.json")
    return (decode_secret_key(material["baseKeyPair"]["secretKeyMultibase"]),
            decode_secret_key(material["proofKeyPair"]["secretKeyMultibase"]),
            bytes.fromhex(material["hmacKeyString"]))
