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

__all__ = ["ARCHIVE", "CONTENT", "SIGNATURE", "SignatureTimestamp", "archive_timestamps",
           "content_timestamps", "signature_timestamps"]

#: The digests a message imprint may use (the names asn1crypto gives them).
_DIGESTS: Final = frozenset({"sha256", "sha384", "sha512", "sha3_256", "sha3_384", "sha3_512"})


@dataclass(frozen=True, slots=True)
class Kind:
    """What a kind of timestamp is called, and what it proves when it holds."""

    en: str
    ja: str
    covers_en: str
    covers_ja: str
    over_en: str
    over_ja: str


SIGNATURE: Final = Kind("signature timestamp", "署名タイムスタンプ", "the seal", "封印",
                        "this seal's signature", "この封印の署名")
ARCHIVE: Final = Kind("archive timestamp", "アーカイブタイムスタンプ",
                      "the seal and the unsigned properties before it (signature timestamp, "
                      "validation data)", "封印とそれ以前の非署名属性（署名タイムスタンプ・"
                      "検証データ）", "this seal and its unsigned properties",
                      "この封印とその非署名属性")
CONTENT: Final = Kind("all-data-objects timestamp", "全データオブジェクトタイムスタンプ",
                      "the sealed credential", "封印された証明書",
                      "the data this seal signs", "この封印が署名したデータ")


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
    en: str
    ja: str
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
            found.append(_unreadable("its sigTst holds no token"))
            continue
        for token in tokens:
            value = token.get("val") if isinstance(token, Mapping) else None
            found.append(_check(value, signature.encode("ascii")))
    return found


def _unbuildable(document: Mapping[str, Any], member: Mapping[str, Any],
                 items: list[object], container: object) -> str | None:
    """Why the data an ``arcTst`` covers cannot be rebuilt here; ``None`` when it can."""
    if not isinstance(document.get("payload"), str):
        return "the payload is detached"
    header = _protected_header(member)
    if header is None:
        return "the protected header cannot be read"
    if "sigD" in header:
        return "the seal signs detached data (sigD)"
    if isinstance(container, Mapping) and container.get("timeStamped", "all") != "all":
        return f"it time-stamps {container.get('timeStamped')!r}, not all the seal"
    if not all(isinstance(item, str) for item in items):
        return ("the etsiU elements are in clear JSON, whose canonicalisation (canonAlg) "
                "credstack does not implement")
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
            found.append(_unreadable("its arcTst holds no token", ARCHIVE))
            continue
        why = _unbuildable(document, member, items, container)
        if why is not None:
            found.append(SignatureTimestamp(
                "unbuildable", f"what the archive timestamp covers cannot be rebuilt: {why}",
                f"アーカイブタイムスタンプの対象データを再構成できません（{why}）",
                kind=ARCHIVE))
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
        return [_unreadable("its adoTst holds no token", CONTENT)]
    payload = document.get("payload")
    why = ("the seal signs detached data (sigD)" if "sigD" in header else
           None if isinstance(payload, str) else "the payload is detached")
    if why is not None or not isinstance(payload, str):
        return [SignatureTimestamp(
            "unbuildable", f"the data the {CONTENT.en} covers is not in the seal: {why}",
            f"{CONTENT.ja}の対象データが封印の中にありません（{why}）", kind=CONTENT)]
    return [_check(token.get("val") if isinstance(token, Mapping) else None,
                   payload.encode("utf-8"), CONTENT) for token in tokens]


def _unreadable(why: str, kind: Kind = SIGNATURE) -> SignatureTimestamp:
    return SignatureTimestamp("unreadable", f"the {kind.en} cannot be read: {why}",
                              f"{kind.ja}を読み取れません（{why}）", kind=kind)


def _check(value: object, covered: bytes, kind: Kind = SIGNATURE) -> SignatureTimestamp:
    """One token (``val``: base64 DER) against the data it covers (``covered``: for a
    signature timestamp, the seal's base64url signature value)."""
    if not isinstance(value, str):
        return _unreadable("a token has no val", kind)
    try:
        info = cms.ContentInfo.load(base64.b64decode(value, validate=True))
        signed_data = info["content"]
        if info["content_type"].native != "signed_data" \
                or not isinstance(signed_data, cms.SignedData):
            return _unreadable("the token is not CMS SignedData", kind)
        tst_info = signed_data["encap_content_info"]["content"].parsed
        if not isinstance(tst_info, tsp.TSTInfo):
            return _unreadable("the token holds no TSTInfo", kind)
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

    def outcome(code: str | None, en: str, ja: str) -> SignatureTimestamp:
        return SignatureTimestamp(code, en, ja, moment, tsa, kind, certificates=carried)

    if algorithm not in _DIGESTS or content_digest not in _DIGESTS:
        return outcome("digest", f"the {kind.en} by {tsa} uses a digest credstack does not "
                       f"take ({algorithm})", f"{tsa} の{kind.ja}は credstack が扱わない"
                       f"ダイジェスト（{algorithm}）を使っています")
    if hashlib.new(algorithm, covered).digest() != imprint["hashed_message"].native:
        return outcome("imprint", f"the {kind.en} by {tsa} is not over {kind.over_en}",
                       f"{tsa} の{kind.ja}は{kind.over_ja}に対するものではありません")
    try:
        intact, valid = validate_sig_integrity(signer_info, certificate, "tst_info",
                                               hashlib.new(content_digest, content).digest())
    except Exception as error:
        return _unreadable(str(error)[:120] or type(error).__name__, kind)
    if not intact:
        return outcome("altered", f"the {kind.en} by {tsa} was altered after its authority "
                       f"signed it", f"{tsa} の{kind.ja}は局の署名後に改ざんされています")
    if not valid:
        return outcome("signature", f"the {kind.en} does not verify with the certificate of "
                       f"{tsa} it carries", f"{kind.ja}が同梱の {tsa} の証明書で検証できません")
    validity = certificate["tbs_certificate"]["validity"]
    if not validity["not_before"].native <= moment <= validity["not_after"].native:
        return outcome("tsa-certificate", f"the certificate of {tsa} was not valid at the "
                       f"{kind.en}'s time ({moment.isoformat()})", f"{tsa} の証明書は{kind.ja}"
                       f"の時刻（{moment.isoformat()}）に有効ではありませんでした")
    return outcome(None, f"timestamped by {tsa}: {kind.covers_en} existed on "
                   f"{moment.isoformat()} (whether {tsa} is a trusted time-stamping authority: "
                   "see “Time-stamping authorities”)", f"{tsa} の{kind.ja}により、"
                   f"{kind.covers_ja}は {moment.isoformat()} に存在していました（{tsa} が信頼"
                   "できるタイムスタンプ局かは「タイムスタンプ局」の確認で示します）")
