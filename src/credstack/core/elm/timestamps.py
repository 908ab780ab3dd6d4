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

The archive timestamps (``arcTst``) cover the validation data the sealer added (``xVals``,
``rVals``), which credstack does not evaluate; they are named, not checked.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from asn1crypto import cms, tsp
from pyhanko.sign.general import SignedDataCerts, extract_certificate_info, extract_signer_info
from pyhanko.sign.validation.generic_cms import validate_sig_integrity

__all__ = ["SignatureTimestamp", "signature_timestamps"]

#: The digests a message imprint may use (the names asn1crypto gives them).
_DIGESTS: Final = frozenset({"sha256", "sha384", "sha512", "sha3_256", "sha3_384", "sha3_512"})


@dataclass(frozen=True, slots=True)
class SignatureTimestamp:
    """One ``sigTst`` token: what it says and whether it holds.

    ``code`` is ``None`` when it holds; otherwise what is wrong (``imprint``: not over this
    signature; ``altered``: its content is not what its authority signed; ``signature``: its
    signature does not verify with the certificate it carries; ``tsa-certificate``: that
    certificate was not valid at the token's time) or why it could not be checked
    (``unreadable``, ``digest``: an imprint digest credstack does not take).
    """

    code: str | None
    en: str
    ja: str
    time: dt.datetime | None = None
    tsa: str | None = None

    @property
    def holds(self) -> bool:
        return self.code is None

    @property
    def checkable(self) -> bool:
        return self.code not in ("unreadable", "digest")

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "time": self.time.isoformat() if self.time else None,
                "tsa": self.tsa}


def _unsigned_items(member: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    header = member.get("header")
    items = header.get("etsiU") if isinstance(header, Mapping) else None
    found = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, str):
            continue
        try:
            decoded = json.loads(base64.urlsafe_b64decode(item + "=" * (-len(item) % 4)))
        except (binascii.Error, ValueError):
            continue
        if isinstance(decoded, Mapping):
            found.append(decoded)
    return found


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
        tokens = container.get("tstTokens") if isinstance(container, Mapping) else None
        if not isinstance(tokens, list) or not tokens:
            found.append(_unreadable("its sigTst holds no token"))
            continue
        for token in tokens:
            value = token.get("val") if isinstance(token, Mapping) else None
            found.append(_check(value, signature.encode("ascii")))
    return found


def _unreadable(why: str) -> SignatureTimestamp:
    return SignatureTimestamp("unreadable", f"the signature timestamp cannot be read: {why}",
                              f"署名タイムスタンプを読み取れません（{why}）")


def _check(value: object, signature: bytes) -> SignatureTimestamp:
    """One token (``val``: base64 DER) against the seal's base64url signature value."""
    if not isinstance(value, str):
        return _unreadable("a token has no val")
    try:
        info = cms.ContentInfo.load(base64.b64decode(value, validate=True))
        signed_data = info["content"]
        if info["content_type"].native != "signed_data" \
                or not isinstance(signed_data, cms.SignedData):
            return _unreadable("the token is not CMS SignedData")
        tst_info = signed_data["encap_content_info"]["content"].parsed
        if not isinstance(tst_info, tsp.TSTInfo):
            return _unreadable("the token holds no TSTInfo")
        moment: dt.datetime = tst_info["gen_time"].native
        imprint = tst_info["message_imprint"]
        algorithm = imprint["hash_algorithm"]["algorithm"].native
        certificates: SignedDataCerts = extract_certificate_info(signed_data)
        signer_info = extract_signer_info(signed_data)
        content = bytes(signed_data["encap_content_info"]["content"].contents)
        content_digest = signer_info["digest_algorithm"]["algorithm"].native
    except (ValueError, TypeError, KeyError, binascii.Error) as error:
        return _unreadable(type(error).__name__)
    except Exception as error:
        return _unreadable(str(error)[:120] or type(error).__name__)
    certificate = certificates.signer_cert
    names = certificate.subject.native
    tsa = str(names.get("common_name") or certificate.subject.human_friendly)
    if algorithm not in _DIGESTS or content_digest not in _DIGESTS:
        return SignatureTimestamp(
            "digest", f"the signature timestamp by {tsa} uses a digest credstack does not take "
            f"({algorithm})", f"{tsa} の署名タイムスタンプは credstack が扱わないダイジェスト"
            f"（{algorithm}）を使っています", moment, tsa)
    if hashlib.new(algorithm, signature).digest() != imprint["hashed_message"].native:
        return SignatureTimestamp(
            "imprint", f"the signature timestamp by {tsa} is not over this seal's signature",
            f"{tsa} の署名タイムスタンプはこの封印の署名に対するものではありません", moment, tsa)
    try:
        intact, valid = validate_sig_integrity(signer_info, certificate, "tst_info",
                                               hashlib.new(content_digest, content).digest())
    except Exception as error:
        return _unreadable(str(error)[:120] or type(error).__name__)
    if not intact:
        return SignatureTimestamp(
            "altered", f"the signature timestamp by {tsa} was altered after its authority "
            "signed it", f"{tsa} の署名タイムスタンプは局の署名後に改ざんされています",
            moment, tsa)
    if not valid:
        return SignatureTimestamp(
            "signature", f"the signature timestamp does not verify with the certificate of "
            f"{tsa} it carries", f"署名タイムスタンプが同梱の {tsa} の証明書で検証できません",
            moment, tsa)
    validity = certificate["tbs_certificate"]["validity"]
    if not validity["not_before"].native <= moment <= validity["not_after"].native:
        return SignatureTimestamp(
            "tsa-certificate", f"the certificate of {tsa} was not valid at the timestamp's "
            f"time ({moment.isoformat()})", f"{tsa} の証明書はタイムスタンプの時刻"
            f"（{moment.isoformat()}）に有効ではありませんでした", moment, tsa)
    return SignatureTimestamp(
        None, f"timestamped by {tsa}: the seal existed on {moment.isoformat()} (whether {tsa} "
        "is a trusted time-stamping authority is not checked)",
        f"{tsa} のタイムスタンプにより、封印は {moment.isoformat()} に存在していました"
        f"（{tsa} が信頼できるタイムスタンプ局かは確認していません）", moment, tsa)
