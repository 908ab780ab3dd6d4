"""pysaml2's crypto backend, verifying XML signatures and decrypting assertions in this
process: XML Signature by signxml (on lxml and cryptography), XML Encryption by cryptography.

Why: pysaml2's own backend starts Debian's ``xmlsec1`` program for each signature checked and
each assertion decrypted, three processes an answer (their start-up, temporary files and
reading of the key: ~33 ms of a sign-in's ~86 ms). signxml is the maintained in-process
XML Signature library for Python (Apache-2.0, pure Python over lxml and cryptography, which
credstack has already); the ``xmlsec`` binding is not used for the reason
:mod:`credstack.adapters.saml` gives (its wheels must match lxml's libxml2).

What is checked is what ``xmlsec1 --verify`` checked for pysaml2, and more, never less:

- the element verified is the one element named ``node_name`` whose ``ID`` is ``node_id``
  (none, or two, is a failure); its signature is its own child ``ds:Signature`` (SAML Core
  §5.4.1: enveloped), with exactly one ``Reference``, whose URI is ``#node_id`` and which
  resolves to that element alone (an ID found twice is a failure);
- the key is the certificate's from the identity provider's metadata, never one the message
  carries; the certificate's dates are not judged, as xmlsec1 did not (SAML V2.0 Metadata
  Interoperability Profile §2.5.1: metadata's certificate is a container of the key);
- signxml checks the ``ds:Signature`` against the XML Signature schema, refuses DTDs and
  entities, XPointer and external references, transforms other than the enveloped signature
  and canonicalisation, and a ``KeyValue`` disagreeing with the key; signature methods and
  digests are those xmlsec1 accepted (SHA-1 included, as before; HMAC never, as there is no
  shared secret).

pysaml2 also checks before calling here (the reference's form, its transforms, no
``ds:Object``, the schema of the message). A signature that does not verify raises
:class:`~saml2.sigver.SignatureError`, as the xmlsec1 backend did, so pysaml2 tries the
metadata's next signing key and then refuses.

Decryption (XML Encryption 1.1 §4.3): the first ``xenc:EncryptedData`` of the document, its
key transported in an ``xenc:EncryptedKey`` inside its ``ds:KeyInfo`` by RSA-OAEP
(``rsa-oaep-mgf1p`` or XML Encryption 1.1's ``rsa-oaep``), the data by AES-CBC, AES-GCM or
Triple DES CBC; the plaintext, parsed in the context of the ``EncryptedData``'s parent,
replaces it. Anything else (RSA PKCS#1 v1.5 key transport, a key by ``RetrievalMethod``, a
``CipherReference``) is left to xmlsec1 as before: nothing that used to be read is refused
for being unusual. A failure raises :class:`~saml2.sigver.DecryptError`, as before.

Signing and encryption (our AuthnRequests by HTTP-POST, logout messages) stay xmlsec1's.
"""

from __future__ import annotations

import base64
import functools
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final
from xml.sax.saxutils import quoteattr

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from lxml import etree
from saml2.sigver import CryptoBackendXmlSec1, DecryptError, SignatureError
from signxml.algorithms import DigestAlgorithm, SignatureMethod
from signxml.exceptions import SignXMLException
from signxml.verifier import SignatureConfiguration, XMLVerifier

__all__ = ["InProcess"]

DS: Final = "http://www.w3.org/2000/09/xmldsig#"
XENC: Final = "http://www.w3.org/2001/04/xmlenc#"
XENC11: Final = "http://www.w3.org/2009/xmlenc11#"

#: Every signature method signxml knows but those keyed by a shared secret.
_METHODS: Final = frozenset(m for m in SignatureMethod if not m.name.startswith("HMAC"))
_DIGESTS: Final = frozenset(DigestAlgorithm)

_HASHES: Final[dict[str, Callable[[], hashes.HashAlgorithm]]] = {
    "http://www.w3.org/2000/09/xmldsig#sha1": hashes.SHA1,
    "http://www.w3.org/2001/04/xmldsig-more#sha224": hashes.SHA224,
    "http://www.w3.org/2001/04/xmlenc#sha256": hashes.SHA256,
    "http://www.w3.org/2001/04/xmldsig-more#sha384": hashes.SHA384,
    "http://www.w3.org/2001/04/xmlenc#sha512": hashes.SHA512,
}
_MGFS: Final[dict[str, Callable[[], hashes.HashAlgorithm]]] = {
    f"{XENC11}mgf1sha1": hashes.SHA1, f"{XENC11}mgf1sha224": hashes.SHA224,
    f"{XENC11}mgf1sha256": hashes.SHA256, f"{XENC11}mgf1sha384": hashes.SHA384,
    f"{XENC11}mgf1sha512": hashes.SHA512,
}
#: Block ciphers by CBC: (key length, cipher).
_CBC: Final[dict[str, tuple[int, Callable[[bytes], Any]]]] = {
    f"{XENC}aes128-cbc": (16, algorithms.AES), f"{XENC}aes192-cbc": (24, algorithms.AES),
    f"{XENC}aes256-cbc": (32, algorithms.AES), f"{XENC}tripledes-cbc": (24, TripleDES),
}
_GCM: Final = {f"{XENC11}aes128-gcm": 16, f"{XENC11}aes192-gcm": 24,
               f"{XENC11}aes256-gcm": 32}
_ELEMENT: Final = f"{XENC}Element"
_CONTENT: Final = f"{XENC}Content"


class _Unsupported(Exception):
    """A construct this module leaves to xmlsec1."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False)


def _parse(text: str | bytes) -> Any:
    """The document's root; no DTD, no entity."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    root = etree.fromstring(data, parser=_parser())
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.externalDTD is not None:
        raise ValueError("a DTD")
    if any(True for _ in root.iter(etree.Entity)):
        raise ValueError("an entity")
    return root


@functools.lru_cache(maxsize=64)
def _certificate(pem: bytes) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem)


@functools.lru_cache(maxsize=16)
def _private_key(pem: bytes) -> Any:
    return serialization.load_pem_private_key(pem, password=None)


def _tag(node_name: str) -> str:
    """``urn:…:assertion:Assertion`` (pysaml2's class name) as lxml's ``{urn:…}Assertion``."""
    namespace, _, local = node_name.rpartition(":")
    return f"{{{namespace}}}{local}"


def verify(document: str | bytes, cert_pem: bytes, *, node_name: str, node_id: str) -> None:
    """Verify the signature of the one element ``node_name`` of ID ``node_id`` in
    ``document`` with the key of ``cert_pem``; :class:`SignatureError` otherwise."""
    try:
        root = _parse(document)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise SignatureError(f"not XML to verify: {exc}") from None
    tag = _tag(node_name)
    found = [e for e in root.iter(tag) if e.get("ID") == node_id]
    if len(found) != 1:
        raise SignatureError(f"{len(found)} elements {node_name} of ID {node_id!r}")
    element = found[0]
    signatures = element.findall(f"{{{DS}}}Signature")
    references = signatures[0].findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference") \
        if len(signatures) == 1 else []
    if len(references) != 1 or references[0].get("URI") != f"#{node_id}":
        raise SignatureError(f"{node_name} {node_id!r} is not signed by one enveloped "
                             "signature of one reference to itself")
    certificate = _certificate(cert_pem)
    config = SignatureConfiguration(
        location="./", expect_references=1, signature_methods=_METHODS,
        digest_algorithms=_DIGESTS,
        # The metadata's certificate is a container of the key (see the module's docstring).
        verification_time=certificate.not_valid_before_utc)
    try:
        XMLVerifier().verify(element, x509_cert=certificate, id_attribute="ID",
                             expect_config=config)
    except (SignXMLException, ValueError, etree.LxmlError) as exc:
        raise SignatureError(f"{node_name} {node_id!r}: {exc}"[:300]) from None


def _oaep(method: Any) -> padding.OAEP:
    algorithm = method.get("Algorithm")
    digest_method = method.find(f"{{{DS}}}DigestMethod")
    digest = _HASHES.get(digest_method.get("Algorithm") if digest_method is not None
                         else f"{DS}sha1")
    if digest is None:
        raise _Unsupported("OAEP digest")
    mgf: Callable[[], hashes.HashAlgorithm] | None = hashes.SHA1
    if algorithm == f"{XENC11}rsa-oaep":
        named = method.find(f"{{{XENC11}}}MGF")
        mgf = _MGFS.get(named.get("Algorithm")) if named is not None else hashes.SHA1
    elif algorithm != f"{XENC}rsa-oaep-mgf1p":
        raise _Unsupported(f"key transport {algorithm}")
    if mgf is None:
        raise _Unsupported("OAEP mask generation")
    params = method.find(f"{{{XENC}}}OAEPparams")
    label = base64.b64decode(params.text or "") if params is not None else None
    return padding.OAEP(mgf=padding.MGF1(algorithm=mgf()), algorithm=digest(),
                        label=label or None)


def _cipher_value(parent: Any) -> bytes:
    value = parent.find(f"{{{XENC}}}CipherData/{{{XENC}}}CipherValue")
    if value is None:
        raise _Unsupported("no CipherValue")
    return base64.b64decode("".join((value.text or "").split()), validate=True)


def _session_key(data: Any, key: rsa.RSAPrivateKey, length: int) -> bytes:
    """The data's key, from the first of its ``EncryptedKey``s our key opens."""
    transported = data.findall(f"{{{DS}}}KeyInfo/{{{XENC}}}EncryptedKey")
    if not transported:
        raise _Unsupported("no EncryptedKey in the KeyInfo")
    for encrypted in transported:
        method = encrypted.find(f"{{{XENC}}}EncryptionMethod")
        if method is None:
            raise _Unsupported("EncryptedKey without EncryptionMethod")
        scheme = _oaep(method)
        try:
            opened = key.decrypt(_cipher_value(encrypted), scheme)
        except ValueError:
            continue
        if len(opened) == length:
            return opened
    raise DecryptError("no EncryptedKey opens with our key")


def _plaintext(data: Any, key: rsa.RSAPrivateKey) -> bytes:
    method = data.find(f"{{{XENC}}}EncryptionMethod")
    algorithm = method.get("Algorithm") if method is not None else None
    if algorithm in _CBC:
        length, cipher = _CBC[str(algorithm)]
        session = _session_key(data, key, length)
        block = cipher(session).block_size // 8
        sealed = _cipher_value(data)
        if len(sealed) < 2 * block or len(sealed) % block:
            raise DecryptError("the ciphertext's length")
        decryptor = Cipher(cipher(session), modes.CBC(sealed[:block])).decryptor()
        padded = decryptor.update(sealed[block:]) + decryptor.finalize()
        # XML Encryption §5.2: the last octet counts the padding; the others are arbitrary.
        count = padded[-1]
        if not 1 <= count <= block:
            raise DecryptError("the padding")
        return padded[:-count]
    if algorithm in _GCM:
        session = _session_key(data, key, _GCM[str(algorithm)])
        sealed = _cipher_value(data)
        if len(sealed) < 12 + 16:
            raise DecryptError("the ciphertext's length")
        try:
            return AESGCM(session).decrypt(sealed[:12], sealed[12:], None)
        except InvalidTag:
            raise DecryptError("the ciphertext's tag") from None
    raise _Unsupported(f"data encryption {algorithm}")


def _in_context(plaintext: bytes, parent: Any) -> Any:
    """The plaintext parsed inside an element declaring the namespaces in scope at
    ``parent`` (XML Encryption §4.5: it is parsed in the context of where it goes)."""
    spaces = dict(parent.nsmap) if parent is not None else {}
    declared = " ".join(
        (f"xmlns:{prefix}" if prefix else "xmlns") + "=" + quoteattr(uri)
        for prefix, uri in spaces.items())
    wrapper = _parse(f"<credstack-plaintext {declared}>".encode() + plaintext
                     + b"</credstack-plaintext>")
    return wrapper


def decrypt(document: str | bytes, key_pem: bytes) -> str:
    """``document`` with its first ``EncryptedData`` replaced by its plaintext."""
    try:
        root = _parse(document)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise DecryptError(f"not XML to decrypt: {exc}") from None
    data = next(root.iter(f"{{{XENC}}}EncryptedData"), None)
    if data is None:
        raise DecryptError("no EncryptedData")
    kind = data.get("Type")
    if kind not in (_ELEMENT, _CONTENT):
        raise _Unsupported(f"EncryptedData of Type {kind}")
    key = _private_key(key_pem)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise _Unsupported("a key that is not RSA's")
    try:
        plaintext = _plaintext(data, key).decode("utf-8")
        if plaintext.lstrip().startswith("<?xml"):
            plaintext = plaintext.split("?>", 1)[1]
        wrapper = _in_context(plaintext.encode("utf-8"), data.getparent())
    except (ValueError, etree.XMLSyntaxError) as exc:
        raise DecryptError(f"the plaintext: {exc}"[:200]) from None
    parent = data.getparent()
    nodes = list(wrapper)
    if parent is None:
        if len(nodes) != 1 or (wrapper.text or "").strip() or (nodes[0].tail or "").strip():
            raise DecryptError("the plaintext is not one element")
        return plaintext
    # The plaintext goes in as the identity provider wrote it: moved as lxml nodes, its
    # prefixes would be renamed to the document's for the same namespaces, and its
    # signature's canonical form with them. The parse above showed it balanced content, so
    # it can end nothing of the document around it.
    mark = f"credstack-plaintext-{secrets.token_hex(16)}"
    holder = etree.ProcessingInstruction(mark)
    holder.tail = data.tail
    parent.replace(data, holder)
    placed = str(etree.tostring(holder, encoding="unicode", with_tail=False))
    text = str(etree.tostring(root, encoding="unicode"))
    if text.count(placed) != 1:
        raise DecryptError("the plaintext's place")
    return text.replace(placed, plaintext)


class InProcess(CryptoBackendXmlSec1):  # type: ignore[misc]
    """pysaml2's xmlsec1 backend, verifying and decrypting in this process (see the module's
    docstring); signing and encrypting, and what it leaves, still by xmlsec1."""

    @functools.cached_property
    def version(self) -> str:
        # Asked once, not before each use of xmlsec1 (a process each time).
        return str(super().version)

    def validate_signature(self, signedtext: str | bytes, cert_file: str, cert_type: str,
                           node_name: str, node_id: str | None) -> bool:
        if cert_type != "pem" or not node_id:
            return bool(super().validate_signature(signedtext, cert_file, cert_type,
                                                   node_name, node_id))
        verify(signedtext, Path(cert_file).read_bytes(), node_name=node_name,
               node_id=node_id)
        return True

    def decrypt(self, enctext: str | bytes, key_file: str) -> str:
        key_pem = Path(key_file).read_bytes()
        try:
            return decrypt(enctext, key_pem)
        except _Unsupported:
            return str(super().decrypt(enctext, key_file))

