"""A JAdES seal's signature timestamp (``sigTst``), checked with what the token carries.

Specifications: ETSI TS 119 182-1 V1.1.1 (2021-03) *JAdES digital signatures*, §5.3.4.1
(``tstContainer``: each token's ``val`` the base64 DER of an RFC 3161 ``TimeStampToken``) and
§5.3.4.2 (``sigTst``: the message imprint is computed over the JWS Signature Value as it
appears, base64url-encoded); RFC 3161 *Time-Stamp Protocol*, §2.4.2 (``TSTInfo``).

A timestamp is an unsigned property: anyone may add one to a seal, or spoil one, without
touching the signature. What it proves, when it holds, is that the signature existed at the
token's time — a time the sealer cannot have chosen, unlike ``sigT``. Each token is read with
asn1crypto and checked with pyHanko's CMS primitives: the message imprint is over this
seal's signature, the token's signed attributes hold the digest of its ``TSTInfo``, its
signature verifies with the time-stamping authority's certificate carried in the token, and
that certificate was valid at the token's time. Whether the authority is one to trust is not
decided here: EDCs name no trust list of time-stamping authorities, and the EU trusted lists
are not read (see :mod:`credstack.core.elm.trust`).

An archive timestamp (``arcTst``, JAdES-A; §5.3.6) is checked the same way, its message
imprint rebuilt as §5.3.6.3.1 says: the JWS Payload as it appears (unencoded when ``b64`` is
false), ``.``, the base64url protected header, ``.``, the base64url signature value, ``.``,
then every ``etsiU`` element before the ``arcTst`` as it appears (base64url). When it holds,
the seal, its signature timestamp and the validation data the sealer added (``xVals``,
``rVals``) existed unchanged at its time — whether that validation data proves anything is
not evaluated. Where the covered data cannot be rebuilt — ``etsiU`` elements in clear JSON
(their canonicalisation, ``canonAlg``, is not implemented), a detached payload (``sigD``, or
no ``payload``), a ``timeStamped`` other than ``all`` — it could not be checked, and says why.

An all-data-objects timestamp (``adoTst``, the signed data time-stamp) is a *signed*
property: the sealer asks for it before signing and puts it in the protected header, so it
cannot be spoilt without breaking the seal. Its message imprint is over the data the seal
signs: without ``sigD``, the JWS Payload as it appears (unencoded when ``b64`` is false, as an
EDC has it; base64url otherwise) — as EU DSS builds it (``JAdESTimestampDataBuilder``), and as
the EC's two sealed samples verify. When it holds, the credential existed at its time, before
it was sealed: its time must not be after the signature timestamp's (ETSI EN 319 102-1's
coherence of time-stamps), which :mod:`credstack.core.verification.elm.steps` checks. A seal of
detached data (``sigD``) could not be checked: what it covers is outside the seal.

Each token keeps the certificates it carries (:attr:`SignatureTimestamp.certificates`), so
that the authority's chain can be checked against the operator's trust list
(:func:`credstack.core.elm.trust.trusted_tsa`).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from asn1crypto import cms, tsp
from pyhanko.sign.general import SignedDataCerts, extract_certificate_info, extract_signer_info
from pyhanko.sign.validation.generic_cms import validate_sig_integrity

from credstack.core.said import Said

__all__ = ["ARCHIVE", "CONTENT", "SIGNATURE", "SignatureTimestamp", "archive_timestamps",
           "content_timestamps", "signature_timestamps"]

#: The digests a message imprint may use (the names asn1crypto gives them).
_DIGESTS: Final = frozenset({"sha256", "sha384", "sha512", "sha3_256", "sha3_384", "sha3_512"})


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of timestamp (``signature``, ``archive``, ``content``): what it is called, what
    it proves when it holds and what it is over, said as message keys
    (``verification.check.elm.timestamp.kind.…``, ``….covers.…``, ``….over.…``)."""

    name: str

    @property
    def said(self) -> Said:
        """What it is called ("signature timestamp")."""
        return Said(f"verification.check.elm.timestamp.kind.{self.name}")

    @property
    def covers(self) -> Said:
        """What existed at its time when it holds ("the seal")."""
        return Said(f"verification.check.elm.timestamp.covers.{self.name}")

    @property
    def over(self) -> Said:
        """What its message imprint is over ("this seal's signature")."""
        return Said(f"verification.check.elm.timestamp.over.{self.name}")


def _said(key: str, **params: Any) -> Said:
    """What a timestamp's check says: the message ``verification.check.elm.timestamp.<key>``."""
    return Said(f"verification.check.elm.timestamp.{key}", **params)


SIGNATURE: Final = Kind("signature")
ARCHIVE: Final = Kind("archive")
CONTENT: Final = Kind("content")


@dataclass(frozen=True, slots=True)
class SignatureTimestamp:
    """One ``sigTst`` token: what it says and whether it holds.

    ``code`` is ``None`` when it holds; otherwise what is wrong (``imprint``: not over this
    signature; ``altered``: its content is not what its authority signed; ``signature``: its
    signature does not verify with the certificate it carries; ``tsa-certificate``: that
    certificate was not valid at the token's time) or why it could not be checked
    (``unreadable``, ``digest``: an imprint digest credstack does not take; ``unbuildable``:
    the data an archive timestamp covers cannot be rebuilt).
    """

    code: str | None
    #: What it says (a ``verification.check.elm.timestamp.…`` key and its parameters).
    said: Said
    time: dt.datetime | None = None
    tsa: str | None = None
    kind: Kind = SIGNATURE
    #: For an archive timestamp: the names of the unsigned properties it covers.
    covers: tuple[str, ...] = ()
    #: The certificates the token carries (DER): its authority's first, then the others.
    certificates: tuple[bytes, ...] = ()

    @property
    def holds(self) -> bool:
        return self.code is None

    @property
    def checkable(self) -> bool:
        return self.code not in ("unreadable", "digest", "unbuildable")

    def to_dict(self) -> dict[str, Any]:
        found = {"code": self.code, "time": self.time.isoformat() if self.time else None,
                 "tsa": self.tsa}
        return found | {"covers": list(self.covers)} if self.kind is ARCHIVE else found


def _etsi_u(member: Mapping[str, Any]) -> list[object]:
    header = member.get("header")
    items = header.get("etsiU") if isinstance(header, Mapping) else None
    return list(items) if isinstance(items, list) else []


def _decoded(item: object) -> Mapping[str, Any] | None:
    """One ``etsiU`` element: base64url-encoded JSON, or (clear incorporation) JSON itself."""
    if isinstance(item, Mapping):
        return item
    if not isinstance(item, str):
        return None
    try:
        decoded = json.loads(base64.urlsafe_b64decode(item + "=" * (-len(item) % 4)))
    except (binascii.Error, ValueError):
        return None
    return decoded if isinstance(decoded, Mapping) else None


def _unsigned_items(member: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [decoded for item in _etsi_u(member) if (decoded := _decoded(item)) is not None]


def _tokens(container: object) -> list[object] | None:
    tokens = container.get("tstTokens") if isinstance(container, Mapping) else None
    return tokens if isinstance(tokens, list) and tokens else None


def _signature_member(document: Mapping[str, Any]) -> Mapping[str, Any] | None:
    signatures = document.get("signatures")
    if signatures is None:
        return document
    if isinstance(signatures, list) and len(signatures) == 1 \
            and isinstance(signatures[0], Mapping):
        return signatures[0]
    return None


def signature_timestamps(document: Mapping[str, Any]) -> list[SignatureTimestamp]:
    """Every ``sigTst`` token of a seal (the JWS JSON, its signature already verified),
    each checked; empty when it has none."""
    member = _signature_member(document)
    signature = member.get("signature") if member is not None else None
    if member is None or not isinstance(signature, str):
        return []
    found = []
    for item in _unsigned_items(member):
        container = item.get("sigTst")
        if container is None:
            continue
        tokens = _tokens(container)
        if tokens is None:
            found.append(_unreadable(_said("no_token", container="sigTst")))
            continue
        for token in tokens:
            value = token.get("val") if isinstance(token, Mapping) else None
            found.append(_check(value, signature.encode("ascii")))
    return found


def _unbuildable(document: Mapping[str, Any], member: Mapping[str, Any],
                 items: list[object], container: object) -> Said | None:
    """Why the data an ``arcTst`` covers cannot be rebuilt here; ``None`` when it can."""
    if not isinstance(document.get("payload"), str):
        return _said("payload_detached")
    header = _protected_header(member)
    if header is None:
        return _said("header_unreadable")
    if "sigD" in header:
        return _said("detached_data")
    if isinstance(container, Mapping) and container.get("timeStamped", "all") != "all":
        return _said("partial", stamped=repr(container.get("timeStamped")))
    if not all(isinstance(item, str) for item in items):
        return _said("clear_json")
    return None


def archive_timestamps(document: Mapping[str, Any]) -> list[SignatureTimestamp]:
    """Every ``arcTst`` token of a seal (the JWS JSON, its signature already verified), each
    checked against what it covers (JAdES §5.3.6.3.1); empty when it has none."""
    member = _signature_member(document)
    signature = member.get("signature") if member is not None else None
    if member is None or not isinstance(signature, str):
        return []
    items = _etsi_u(member)
    found = []
    for index, item in enumerate(items):
        decoded = _decoded(item)
        if decoded is None or "arcTst" not in decoded:
            continue
        container = decoded["arcTst"]
        tokens = _tokens(container)
        if tokens is None:
            found.append(_unreadable(_said("no_token", container="arcTst"), ARCHIVE))
            continue
        why = _unbuildable(document, member, items, container)
        if why is not None:
            found.append(SignatureTimestamp(
                "unbuildable", _said("archive_unbuildable",
                                    why=why), kind=ARCHIVE))
            continue
        covered = ".".join([document["payload"], str(member.get("protected")), signature,
                            "".join(str(earlier) for earlier in items[:index])])
        names = tuple(next(iter(earlier), "?") for item in items[:index]
                      if (earlier := _decoded(item)) is not None)
        for token in tokens:
            value = token.get("val") if isinstance(token, Mapping) else None
            found.append(dataclasses.replace(_check(value, covered.encode("utf-8"), ARCHIVE),
                                             covers=names))
    return found


def _protected_header(member: Mapping[str, Any]) -> Mapping[str, Any] | None:
    protected = member.get("protected")
    try:
        header = json.loads(base64.urlsafe_b64decode(protected + "=" * (-len(protected) % 4))) \
            if isinstance(protected, str) else None
    except (binascii.Error, ValueError):
        header = None
    return header if isinstance(header, Mapping) else None


def content_timestamps(document: Mapping[str, Any]) -> list[SignatureTimestamp]:
    """Every ``adoTst`` token of a seal (the JWS JSON, its signature already verified), each
    checked against the JWS Payload as it appears; empty when it has none."""
    member = _signature_member(document)
    header = _protected_header(member) if member is not None else None
    if header is None or "adoTst" not in header:
        return []
    tokens = _tokens(header["adoTst"])
    if tokens is None:
        return [_unreadable(_said("no_token", container="adoTst"), CONTENT)]
    payload = document.get("payload")
    why = (_said("detached_data") if "sigD" in header else
           None if isinstance(payload, str)
           else _said("payload_detached"))
    if why is not None or not isinstance(payload, str):
        return [SignatureTimestamp(
            "unbuildable", _said("content_unbuildable",
                                why=why), kind=CONTENT)]
    return [_check(token.get("val") if isinstance(token, Mapping) else None,
                   payload.encode("utf-8"), CONTENT) for token in tokens]


def _unreadable(why: Said | str, kind: Kind = SIGNATURE) -> SignatureTimestamp:
    """A token that cannot be read: ``why`` said, or the words of a library's error."""
    return SignatureTimestamp("unreadable", _said("unreadable",
                                                 kind=kind.said, why=why), kind=kind)


def _check(value: object, covered: bytes, kind: Kind = SIGNATURE) -> SignatureTimestamp:
    """One token (``val``: base64 DER) against the data it covers (``covered``: for a
    signature timestamp, the seal's base64url signature value)."""
    if not isinstance(value, str):
        return _unreadable(_said("no_val"), kind)
    try:
        info = cms.ContentInfo.load(base64.b64decode(value, validate=True))
        signed_data = info["content"]
        if info["content_type"].native != "signed_data" \
                or not isinstance(signed_data, cms.SignedData):
            return _unreadable(_said("not_signed_data"), kind)
        tst_info = signed_data["encap_content_info"]["content"].parsed
        if not isinstance(tst_info, tsp.TSTInfo):
            return _unreadable(_said("no_tst_info"), kind)
        moment: dt.datetime = tst_info["gen_time"].native
        imprint = tst_info["message_imprint"]
        algorithm = imprint["hash_algorithm"]["algorithm"].native
        certificates: SignedDataCerts = extract_certificate_info(signed_data)
        signer_info = extract_signer_info(signed_data)
        content = bytes(signed_data["encap_content_info"]["content"].contents)
        content_digest = signer_info["digest_algorithm"]["algorithm"].native
    except (ValueError, TypeError, KeyError, binascii.Error) as error:
        return _unreadable(type(error).__name__, kind)
    except Exception as error:
        return _unreadable(str(error)[:120] or type(error).__name__, kind)
    certificate = certificates.signer_cert
    names = certificate.subject.native
    tsa = str(names.get("common_name") or certificate.subject.human_friendly)
    carried = (certificate.dump(), *(other.dump() for other in certificates.other_certs))

    def outcome(code: str | None, key: str, **params: Any) -> SignatureTimestamp:
        return SignatureTimestamp(code, _said(key, kind=kind.said, tsa=tsa, **params),
                                  moment, tsa, kind, certificates=carried)

    if algorithm not in _DIGESTS or content_digest not in _DIGESTS:
        return outcome("digest", "digest", algorithm=algorithm)
    if hashlib.new(algorithm, covered).digest() != imprint["hashed_message"].native:
        return outcome("imprint", "imprint", over=kind.over)
    try:
        intact, valid = validate_sig_integrity(signer_info, certificate, "tst_info",
                                               hashlib.new(content_digest, content).digest())
    except Exception as error:
        return _unreadable(str(error)[:120] or type(error).__name__, kind)
    if not intact:
        return outcome("altered", "altered")
    if not valid:
        return outcome("signature", "signature")
    validity = certificate["tbs_certificate"]["validity"]
    if not validity["not_before"].native <= moment <= validity["not_after"].native:
        return outcome("tsa-certificate", "tsa_certificate", time=moment.isoformat())
    return outcome(None, "holds", covers=kind.covers, time=moment.isoformat())
