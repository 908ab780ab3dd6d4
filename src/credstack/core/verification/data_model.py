"""The VC Data Model's rules, and the failed ``data-model`` check of every format: the one
data-model gate that the issuer runs before it signs and the verifier after it checks a proof.

*Verifiable Credentials Data Model v2.0* — W3C Recommendation, 15 May 2025 —
https://www.w3.org/TR/vc-data-model-2.0/ — §4.3 "Contexts": an ordered set whose first item
is the base context (:func:`context_problems`; the version it names, :func:`version`, decides
which rules the rest is read under); §4.4 "Identifiers" and §4.5 "Types"
(:func:`document_problems`); §4.7 "Issuer" and §4.13's ``holder``: a URL, or an object with a
URL ``id`` (:func:`party_problems`); §4.8 to §4.11, §5.3 to §5.6 for a credential
(:func:`credential_problems`: the subject, the validity period, the typed properties, the
related resources and their digests); §4.13.2 for an enveloped credential
(:func:`envelope_problems`). The same rules hold for VC 1.1 credentials (read with
``issuanceDate``/``expirationDate`` as XML Schema ``dateTime``), whatever secures them (Data
Integrity, VC-JWT, SD-JWT, COSE): they are rules of the JSON, checked after the securing
mechanism gave it.

What is wrong is collected as :class:`~credstack.errors.Problem`\\ s, each naming its rule (a
short code, :data:`RULES`), where (the location, and its JSON pointer) and what, in English
and Japanese; the verifier reports them in one check (:func:`rules_broken`), the issuer
refuses them as an input error.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from credstack.core.crypto.multibase import decode_base58btc, decode_base64url
from credstack.core.types import is_absolute_url
from credstack.core.verification import json_values
from credstack.core.verification.checks import failed, problem_dicts
from credstack.core.verification.json_values import instant, items
from credstack.core.verification.report import Check, Notice
from credstack.errors import MalformedCredentialError, Problem

__all__ = ["RULES", "VC_V1_CONTEXT", "VC_V2_CONTEXT", "ResourceReader", "context_problems",
           "credential_problems", "document_problems", "envelope_problems", "party_problems",
           "rules_broken", "version"]

VC_V2_CONTEXT: Final = "https://www.w3.org/ns/credentials/v2"
VC_V1_CONTEXT: Final = "https://www.w3.org/2018/credentials/v1"

#: The bytes of a resource credstack holds without fetching it (a bundled JSON-LD context),
#: by URL; ``None`` for any other.
ResourceReader = Callable[[str], bytes | None]

#: Every rule of the gate: code → (the section of VC Data Model 2.0, the rule in English).
RULES: Final[Mapping[str, tuple[str, str]]] = {
    "context-required": ("4.3", "@context is required"),
    "context-shape": ("4.3", "@context is an ordered set of URLs and objects"),
    "context-base": ("4.3", "the first context is the base context"),
    "context-item": ("4.3", "each further context is a URL or an object"),
    "id-url": ("4.4", "an id is a single URL"),
    "type-required": ("4.5", "type is required"),
    "type-shape": ("4.5", "type is a string or an array of strings"),
    "type-base": ("4.5", "type includes VerifiableCredential (VerifiablePresentation)"),
    "issuer-required": ("4.7", "issuer is required"),
    "issuer-url": ("4.7", "issuer is a URL or an object with a URL id"),
    "subject-required": ("4.8", "credentialSubject is required"),
    "subject-empty": ("4.8", "credentialSubject holds at least one subject"),
    "subject-object": ("4.8", "each credentialSubject is an object"),
    "subject-no-claim": ("4.8", "each credentialSubject states a claim"),
    "issuance-date-required": ("VC 1.1 4.6", "a VC 1.1 credential has an issuanceDate"),
    "date-time": ("4.9", "validFrom and validUntil are XML Schema dateTimeStamp values"),
    "validity-order": ("4.9", "validUntil is not before validFrom"),
    "property-object": ("4.10, 4.11, 5.4–5.6", "each status, schema, refresh service, terms "
                                               "of use and evidence is an object"),
    "property-type": ("4.10, 4.11, 5.4–5.6", "each of them specifies its type"),
    "schema-id": ("4.11", "each credentialSchema has a URL id"),
    "related-resource-object": ("5.3", "relatedResource is one or more objects"),
    "related-resource-id": ("5.3", "each related resource has a URL id"),
    "related-resource-id-unique": ("5.3", "the related resources' ids are unique"),
    "related-resource-digest": ("5.3", "each related resource has a digestSRI or a "
                                       "digestMultibase"),
    "related-resource-digest-form": ("5.3", "digestSRI is an SRI hash expression, "
                                            "digestMultibase a multibase multihash"),
    "related-resource-digest-mismatch": ("5.3", "the digest is the resource's digest"),
    "envelope-context": ("4.13.2", "an enveloped credential's @context is not empty"),
}

#: SRI hash algorithms (Subresource Integrity §3.2) and multihash codes (Data Integrity §2.6).
_SRI: Final = {"sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
_MULTIHASH: Final = {0x12: ("sha256", 32), 0x20: ("sha384", 48), 0x13: ("sha512", 64),
                     0x16: ("sha3_256", 32), 0x15: ("sha3_384", 48), 0x14: ("sha3_512", 64)}
#: The properties whose every value must be an object with a type (§4.10, §4.11, §5.4–§5.6),
#: and whether it needs an id as well.
_TYPED: Final = (("credentialStatus", False), ("credentialSchema", True), ("evidence", False),
                 ("termsOfUse", False), ("refreshService", False))


def broke(problems: list[Problem], rule: str, location: str, en: str, ja: str) -> None:
    """Add a problem naming ``rule`` (a key of :data:`RULES`)."""
    problems.append(Problem(location, en, ja, rule=rule))


def version(document: Mapping[str, Any]) -> str | None:
    """``2.0`` or ``1.1`` by the first ``@context``; ``None`` for neither."""
    first = next(iter(items(document.get("@context"))), None)
    return "2.0" if first == VC_V2_CONTEXT else "1.1" if first == VC_V1_CONTEXT else None


def context_problems(document: Mapping[str, Any], problems: list[Problem]) -> str | None:
    """§4.3: an ordered set of URLs and context objects whose first item is the base context.
    Adds what is wrong to ``problems``; returns the version the base context names."""
    if "@context" not in document:
        broke(problems, "context-required", "@context", "is required", "必須です")
        return None
    context = document["@context"]
    listed = items(context)
    if not isinstance(context, list | str) or not listed:
        broke(problems, "context-shape", "@context",
              "must be an ordered set of URLs and objects",
              "URL とオブジェクトの順序付き集合でなければなりません")
        return None
    found = version(document)
    if found is None:
        broke(problems, "context-base", "@context[0]",
              f"must be {VC_V2_CONTEXT!r} (VC Data Model 2.0), not {listed[0]!r}",
              f"{VC_V2_CONTEXT!r}（VC データモデル 2.0）でなければなりません（{listed[0]!r} "
              "ではなく）")
    for index, item in enumerate(listed[1:], 1):
        if isinstance(item, str):
            if not is_absolute_url(item):
                broke(problems, "context-item", f"@context[{index}]", f"{item!r} is not a URL",
                      f"{item!r} は URL ではありません")
        elif not isinstance(item, Mapping):
            broke(problems, "context-item", f"@context[{index}]",
                  "must be a URL or a context object",
                  "URL かコンテキストのオブジェクトでなければなりません")
    return found


def document_problems(document: Mapping[str, Any], kind: str, problems: list[Problem]
                      ) -> str | None:
    """§4.3–§4.5: the contexts, a URL ``id`` if any, and a ``type`` that includes ``kind``.
    Adds what is wrong to ``problems``; returns the version the base context names."""
    found = context_problems(document, problems)
    if "id" in document and not is_absolute_url(document["id"]):
        broke(problems, "id-url", "id", "must be a single URL", "単一の URL でなければなりません")
    types = json_values.types(document.get("type"))
    if "type" not in document:
        broke(problems, "type-required", "type", "is required", "必須です")
    elif types is None:
        broke(problems, "type-shape", "type", "must be a string or an array of strings",
              "文字列か文字列の配列でなければなりません")
    elif kind not in types:
        broke(problems, "type-base", "type", f"must include {kind!r}",
              f"{kind!r} を含まなければなりません")
    return found


def party_problems(value: Any, name: str, problems: list[Problem]) -> None:
    """An issuer or a holder: a URL, or an object whose ``id`` is one."""
    if isinstance(value, Mapping):
        if not is_absolute_url(value.get("id")):
            broke(problems, "issuer-url", f"{name}.id", "must be a URL",
                  "URL でなければなりません")
    elif not is_absolute_url(value):
        broke(problems, "issuer-url", name, "must be a URL or an object with a URL id",
              "URL か、URL の id を持つオブジェクトでなければなりません")


def credential_problems(credential: Mapping[str, Any], problems: list[Problem],
                        notices: list[Notice], *, read_resource: ResourceReader | None = None
                        ) -> str | None:
    """Every rule of the gate for a credential (VC 2.0, or VC 1.1 by its base context): adds
    what is wrong to ``problems``, what is worth knowing to ``notices``, and returns the
    version. ``read_resource`` gives the bytes of the related resources credstack holds (the
    bundled contexts), whose digests are then checked; others are reported as not checked."""
    found = document_problems(credential, "VerifiableCredential", problems)
    if "issuer" not in credential or credential["issuer"] is None:
        broke(problems, "issuer-required", "issuer", "is required", "必須です")
    else:
        party_problems(credential["issuer"], "issuer", problems)
    _subject_problems(credential, problems)
    if found == "1.1":
        notices.append(Notice(
            "vc-data-model-1.1",
            "a VC Data Model 1.1 credential (issuanceDate): read under the 1.1 rules",
            "VC データモデル 1.1 の証明書です（issuanceDate）。1.1 の規則で読み取りました"))
        _date_problems(credential, ("issuanceDate", "expirationDate"), "issuanceDate",
                       require_zone=False, problems=problems)
    else:
        _date_problems(credential, ("validFrom", "validUntil"), None, require_zone=True,
                       problems=problems)
    for name, needs_id in _TYPED:
        if name in credential:
            _typed_problems(credential[name], name, needs_id, problems)
    if "relatedResource" in credential:
        _related_problems(credential["relatedResource"], problems, notices, read_resource)
    if "refreshService" in credential:
        notices.append(Notice("refresh-not-performed",
                              "the credential names a refresh service; credstack does not "
                              "refresh credentials while verifying",
                              "更新サービスが指定されていますが、検証時の更新は行いません"))
    return found


def envelope_problems(envelope: Mapping[str, Any], problems: list[Problem]) -> None:
    """§4.13.2: an ``EnvelopedVerifiableCredential``'s ``@context`` "MUST be present and
    include a context, such as the base context", that defines its terms: not empty, and
    (the only such context credstack knows) holding the base context."""
    context = envelope.get("@context")
    if not items(context) or not isinstance(context, list | str):
        broke(problems, "envelope-context", "@context",
              f"an enveloped credential's @context must hold {VC_V2_CONTEXT!r}",
              f"包まれた証明書の @context には {VC_V2_CONTEXT!r} が必要です")
    elif VC_V2_CONTEXT not in items(context):
        broke(problems, "envelope-context", "@context",
              f"must include {VC_V2_CONTEXT!r}, which defines id, type and "
              "EnvelopedVerifiableCredential", f"{VC_V2_CONTEXT!r} を含めなければなりません")


def _where(name: str, value: object, index: int) -> str:
    return f"{name}[{index}]" if isinstance(value, list) else name


def _subject_problems(credential: Mapping[str, Any], problems: list[Problem]) -> None:
    """§4.8: one or more subjects, each an object that states a claim."""
    if "credentialSubject" not in credential:
        broke(problems, "subject-required", "credentialSubject", "is required", "必須です")
        return
    subject = credential["credentialSubject"]
    subjects = items(subject)
    if not subjects:
        broke(problems, "subject-empty", "credentialSubject",
              "must hold at least one subject (it is null or empty)",
              "少なくとも一つの主体が必要です（null か空です）")
    for index, item in enumerate(subjects):
        where = _where("credentialSubject", subject, index)
        if not isinstance(item, Mapping):
            broke(problems, "subject-object", where, "must be an object",
                  "オブジェクトでなければなりません")
        elif not item:
            broke(problems, "subject-no-claim", where, "states no claim",
                  "主張を一つも述べていません")
        elif "id" in item and not is_absolute_url(item["id"]):
            broke(problems, "id-url", f"{where}.id", "must be a single URL",
                  "単一の URL でなければなりません")


def _date_problems(credential: Mapping[str, Any], names: tuple[str, str],
                   required: str | None, *, require_zone: bool,
                   problems: list[Problem]) -> None:
    start_name, end_name = names
    if required is not None and required not in credential:
        broke(problems, "issuance-date-required", required, "is required in a VC 1.1 "
              "credential", "VC 1.1 の証明書では必須です")
    moments: dict[str, dt.datetime] = {}
    for name in names:
        if name not in credential:
            continue
        moment = instant(credential[name], require_zone=require_zone)
        if moment is None:
            kind = "dateTimeStamp (with a time zone)" if require_zone else "dateTime"
            kind_ja = "dateTimeStamp（タイムゾーン付き）" if require_zone else "dateTime"
            broke(problems, "date-time", name,
                  f"{credential[name]!r} is not an XML Schema {kind}, such as "
                  "2026-01-31T09:00:00Z",
                  f"{credential[name]!r} は XML Schema の {kind_ja} ではありません"
                  "（例：2026-01-31T09:00:00Z）")
        else:
            moments[name] = moment
    if start_name in moments and end_name in moments and moments[end_name] < moments[start_name]:
        broke(problems, "validity-order", end_name, f"is before {start_name}",
              f"{start_name} より前です")


def _typed_problems(value: object, name: str, needs_id: bool, problems: list[Problem]) -> None:
    """§4.10, §4.11, §5.4–§5.6: each value an object that specifies its type (a schema also
    its URL id)."""
    for index, item in enumerate(items(value)):
        where = _where(name, value, index)
        if not isinstance(item, Mapping):
            broke(problems, "property-object", where, "must be an object",
                  "オブジェクトでなければなりません")
            continue
        if json_values.types(item.get("type")) is None:
            broke(problems, "property-type", f"{where}.type",
                  f"is required: each {name} must specify its type",
                  f"必須です（{name} はそれぞれ type を指定しなければなりません）")
        if "id" in item and not is_absolute_url(item["id"]):
            broke(problems, "id-url", f"{where}.id", "must be a single URL",
                  "単一の URL でなければなりません")
        elif needs_id and "id" not in item:
            broke(problems, "schema-id", f"{where}.id",
                  "is required: the URL of the schema", "必須です（スキーマの URL）")


def _related_problems(value: object, problems: list[Problem], notices: list[Notice],
                      read_resource: ResourceReader | None) -> None:
    """§5.3: one or more objects, each with a unique URL ``id`` and a digest; the digest of
    a resource credstack holds is computed and compared."""
    seen: set[str] = set()
    unchecked: list[str] = []
    related = items(value)
    if not related:
        broke(problems, "related-resource-object", "relatedResource",
              "must be one or more objects", "一つ以上のオブジェクトでなければなりません")
    for index, item in enumerate(related):
        where = _where("relatedResource", value, index)
        if not isinstance(item, Mapping):
            broke(problems, "related-resource-object", where,
                  "must be an object with id and digestSRI or digestMultibase, not "
                  f"{type(item).__name__}",
                  "id と digestSRI または digestMultibase を持つオブジェクトでなければ"
                  "なりません")
            continue
        resource = item.get("id")
        if not isinstance(resource, str) or not is_absolute_url(resource):
            broke(problems, "related-resource-id", f"{where}.id",
                  "is required: the URL of the resource", "必須です（リソースの URL）")
        elif resource in seen:
            broke(problems, "related-resource-id-unique", f"{where}.id",
                  f"{resource} is listed twice; each related resource once",
                  f"{resource} が二度挙げられています。関連リソースは一度ずつ挙げてください")
        else:
            seen.add(resource)
        digests = _digests(item, where, problems)
        if "digestSRI" not in item and "digestMultibase" not in item:
            broke(problems, "related-resource-digest", where,
                  "needs a digestSRI or a digestMultibase",
                  "digestSRI か digestMultibase が必要です")
        if not digests or not isinstance(resource, str) or not is_absolute_url(resource):
            continue
        held = read_resource(resource) if read_resource is not None else None
        if held is None:
            unchecked.append(resource)
            continue
        for location, algorithm, expected in digests:
            if hashlib.new(algorithm, held).digest() != expected:
                broke(problems, "related-resource-digest-mismatch", location,
                      f"is not the digest of {resource} ({algorithm} of the document "
                      "credstack holds differs)",
                      f"{resource} のダイジェストと一致しません（credstack が保持する文書の "
                      f"{algorithm} と異なります）")
    if unchecked:
        notices.append(Notice(
            "related-resource-not-checked",
            f"the digest of {', '.join(unchecked)} was not checked: credstack does not hold "
            "the resource and does not fetch it",
            f"{', '.join(unchecked)} のダイジェストは確認していません（credstack はこの"
            "リソースを保持しておらず、取得もしません）"))


def _digests(item: Mapping[str, Any], where: str, problems: list[Problem]
             ) -> list[tuple[str, str, bytes]]:
    """The related resource's digests as (location, hashlib algorithm, digest); a malformed
    one is a problem."""
    found: list[tuple[str, str, bytes]] = []
    if "digestSRI" in item:
        location = f"{where}.digestSRI"
        value = item["digestSRI"]
        expressions = value.split() if isinstance(value, str) else []
        for expression in expressions:
            algorithm, _, encoded = expression.partition("?")[0].partition("-")
            digest = _base64(encoded)
            if algorithm in _SRI and digest is not None \
                    and len(digest) == hashlib.new(_SRI[algorithm]).digest_size:
                found.append((location, _SRI[algorithm], digest))
        if not expressions or len(found) < len(expressions):
            broke(problems, "related-resource-digest-form", location,
                  f"{value!r} is not an SRI hash expression (sha256-, sha384- or sha512- "
                  "and the digest in base64)",
                  f"{value!r} は SRI のハッシュ式ではありません（sha256-、sha384-、sha512- に"
                  "続けて base64 のダイジェスト）")
    if "digestMultibase" in item:
        value = item["digestMultibase"]
        values = value if isinstance(value, list) else [value]
        for index, text in enumerate(values):
            location = _where(f"{where}.digestMultibase", value, index)
            parsed = _multihash(text)
            if parsed is None:
                broke(problems, "related-resource-digest-form", location,
                      f"{text!r} is not a multibase-encoded multihash (Data Integrity §2.6), "
                      "such as u + base64url of 0x12 0x20 and a SHA-256 digest",
                      f"{text!r} は multibase で符号化した multihash ではありません"
                      "（Data Integrity §2.6）")
            else:
                found.append((location, *parsed))
    return found


def _base64(text: str) -> bytes | None:
    """Base64 (or base64url, as some issuers write SRI digests), padding optional."""
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_"
                                if ("-" in text or "_" in text) else None, validate=True)
    except (binascii.Error, ValueError):
        return None


def _multihash(text: object) -> tuple[str, bytes] | None:
    """A multibase (``u`` base64url, ``z`` base58btc) multihash as (algorithm, digest)."""
    if not isinstance(text, str) or len(text) < 2 or text[0] not in "uz":
        return None
    try:
        data = decode_base64url(text) if text[0] == "u" else decode_base58btc(text)
    except MalformedCredentialError:
        return None
    if len(data) < 2 or data[0] not in _MULTIHASH:
        return None
    algorithm, size = _MULTIHASH[data[0]]
    if data[1] != size or len(data) != size + 2:
        return None
    return algorithm, data[2:]


def rules_broken(problems: Sequence[Problem], *, what: str, rules_en: str, rules_ja: str,
                 warnings: Sequence[Notice] = (), check: str = "data-model",
                 **details: Any) -> Check:
    """The failed ``data-model`` check (or ``check``): ``what`` breaks so many of the rules,
    the first one said, every location listed."""
    count = len(problems)
    locations = "、".join(dict.fromkeys(problem.location for problem in problems))
    return failed(check, check,
                  f"{what} breaks {count} rule{'s' if count != 1 else ''} of {rules_en}; "
                  f"{problems[0]}", f"{rules_ja}の規則に {count} 件違反しています（{locations}）",
                  warnings=warnings, problems=problem_dicts(problems), **details)
