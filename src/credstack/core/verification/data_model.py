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
short code, :data:`RULES`), where (the location, and its JSON pointer) and what, as a message
key (``verification.data_model.*``) and its parameters, worded by whoever shows it (issue 53);
the verifier reports them in one check (:func:`rules_broken`, worded by the runner), the
issuer refuses them as an input error.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Literal

from credstack.core.crypto.multibase import decode_base58btc, decode_base64url
from credstack.core.said import Said
from credstack.core.types import is_absolute_url
from credstack.core.verification import json_values
from credstack.core.verification.checks import failed, problem_dicts
from credstack.core.verification.json_values import instant, items
from credstack.core.verification.report import Check, Notice
from credstack.errors import MalformedCredentialError, Problem

__all__ = ["RULES", "VC_V1_CONTEXT", "VC_V2_CONTEXT", "ResourceReader", "RuleSet",
           "context_problems", "credential_problems", "document_problems", "envelope_problems",
           "party_problems", "rules_broken", "said_at", "version"]

VC_V2_CONTEXT: Final = "https://www.w3.org/ns/credentials/v2"
VC_V1_CONTEXT: Final = "https://www.w3.org/2018/credentials/v1"

#: Whose rules a document breaks (:func:`rules_broken`): the VC Data Model's, of a credential
#: or a presentation; Open Badges 2.0's, of a badge; Open Badges 3.0's, of a credential.
RuleSet = Literal["credential", "presentation", "ob2", "ob3"]

#: The bytes of a resource credstack holds without fetching it (a bundled JSON-LD context),
#: by URL; ``None`` for any other.
ResourceReader = Callable[[str], bytes | None]

#: Every rule of the gate: code → the section of VC Data Model 2.0 (the rule, in a comment).
RULES: Final[Mapping[str, str]] = {
    "context-required": "4.3",  # @context is required.
    "context-shape": "4.3",  # @context is an ordered set of URLs and objects.
    "context-base": "4.3",  # The first context is the base context.
    "context-item": "4.3",  # Each further context is a URL or an object.
    "id-url": "4.4",  # An id is a single URL.
    "type-required": "4.5",  # type is required.
    "type-shape": "4.5",  # type is a string or an array of strings.
    "type-base": "4.5",  # type includes VerifiableCredential (VerifiablePresentation).
    "issuer-required": "4.7",  # issuer is required.
    "issuer-url": "4.7",  # issuer is a URL or an object with a URL id.
    "subject-required": "4.8",  # credentialSubject is required.
    "subject-empty": "4.8",  # credentialSubject holds at least one subject.
    "subject-object": "4.8",  # Each credentialSubject is an object.
    "subject-no-claim": "4.8",  # Each credentialSubject states a claim.
    "issuance-date-required": "VC 1.1 4.6",  # A VC 1.1 credential has an issuanceDate.
    "date-time": "4.9",  # validFrom and validUntil are XML Schema dateTimeStamp values.
    "validity-order": "4.9",  # validUntil is not before validFrom.
    # Each status, schema, refresh service, terms of use and evidence is an object …
    "property-object": "4.10, 4.11, 5.4–5.6",
    "property-type": "4.10, 4.11, 5.4–5.6",  # … and specifies its type.
    "schema-id": "4.11",  # Each credentialSchema has a URL id.
    "related-resource-object": "5.3",  # relatedResource is one or more objects.
    "related-resource-id": "5.3",  # Each related resource has a URL id.
    "related-resource-id-unique": "5.3",  # The related resources' ids are unique.
    "related-resource-digest": "5.3",  # Each has a digestSRI or a digestMultibase.
    # digestSRI is an SRI hash expression, digestMultibase a multibase multihash.
    "related-resource-digest-form": "5.3",
    "related-resource-digest-mismatch": "5.3",  # The digest is the resource's digest.
    "envelope-context": "4.13.2",  # An enveloped credential's @context is not empty.
}

#: SRI hash algorithms (Subresource Integrity §3.2) and multihash codes (Data Integrity §2.6).
_SRI: Final = {"sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
_MULTIHASH: Final = {0x12: ("sha256", 32), 0x20: ("sha384", 48), 0x13: ("sha512", 64),
                     0x16: ("sha3_256", 32), 0x15: ("sha3_384", 48), 0x14: ("sha3_512", 64)}
#: The properties whose every value must be an object with a type (§4.10, §4.11, §5.4–§5.6),
#: and whether it needs an id as well.
_TYPED: Final = (("credentialStatus", False), ("credentialSchema", True), ("evidence", False),
                 ("termsOfUse", False), ("refreshService", False))


def broke(problems: list[Problem], rule: str, location: str, said: str, **params: Any
          ) -> None:
    """Add a problem naming ``rule`` (a key of :data:`RULES`) at ``location``, what is wrong
    said as the message ``verification.data_model.<said>`` with ``params``."""
    problems.append(Problem(location, rule=rule, code=f"verification.data_model.{said}",
                            params=params))


def version(document: Mapping[str, Any]) -> str | None:
    """``2.0`` or ``1.1`` by the first ``@context``; ``None`` for neither."""
    first = next(iter(items(document.get("@context"))), None)
    return "2.0" if first == VC_V2_CONTEXT else "1.1" if first == VC_V1_CONTEXT else None


def context_problems(document: Mapping[str, Any], problems: list[Problem]) -> str | None:
    """§4.3: an ordered set of URLs and context objects whose first item is the base context.
    Adds what is wrong to ``problems``; returns the version the base context names."""
    if "@context" not in document:
        broke(problems, "context-required", "@context", "required")
        return None
    context = document["@context"]
    listed = items(context)
    if not isinstance(context, list | str) or not listed:
        broke(problems, "context-shape", "@context", "context_shape")
        return None
    found = version(document)
    if found is None:
        broke(problems, "context-base", "@context[0]", "context_base",
              base=repr(VC_V2_CONTEXT), found=repr(listed[0]))
    for index, item in enumerate(listed[1:], 1):
        if isinstance(item, str):
            if not is_absolute_url(item):
                broke(problems, "context-item", f"@context[{index}]", "context_not_url",
                      value=repr(item))
        elif not isinstance(item, Mapping):
            broke(problems, "context-item", f"@context[{index}]", "context_item")
    return found


def document_problems(document: Mapping[str, Any], kind: str, problems: list[Problem]
                      ) -> str | None:
    """§4.3–§4.5: the contexts, a URL ``id`` if any, and a ``type`` that includes ``kind``.
    Adds what is wrong to ``problems``; returns the version the base context names."""
    found = context_problems(document, problems)
    if "id" in document and not is_absolute_url(document["id"]):
        broke(problems, "id-url", "id", "single_url")
    types = json_values.types(document.get("type"))
    if "type" not in document:
        broke(problems, "type-required", "type", "required")
    elif types is None:
        broke(problems, "type-shape", "type", "type_shape")
    elif kind not in types:
        broke(problems, "type-base", "type", "type_base", kind=repr(kind))
    return found


def party_problems(value: Any, name: str, problems: list[Problem]) -> None:
    """An issuer or a holder: a URL, or an object whose ``id`` is one."""
    if isinstance(value, Mapping):
        if not is_absolute_url(value.get("id")):
            broke(problems, "issuer-url", f"{name}.id", "url")
    elif not is_absolute_url(value):
        broke(problems, "issuer-url", name, "party_url")


def credential_problems(credential: Mapping[str, Any], problems: list[Problem],
                        notices: list[Notice], *, read_resource: ResourceReader | None = None
                        ) -> str | None:
    """Every rule of the gate for a credential (VC 2.0, or VC 1.1 by its base context): adds
    what is wrong to ``problems``, what is worth knowing to ``notices``, and returns the
    version. ``read_resource`` gives the bytes of the related resources credstack holds (the
    bundled contexts), whose digests are then checked; others are reported as not checked."""
    found = document_problems(credential, "VerifiableCredential", problems)
    if "issuer" not in credential or credential["issuer"] is None:
        broke(problems, "issuer-required", "issuer", "required")
    else:
        party_problems(credential["issuer"], "issuer", problems)
    _subject_problems(credential, problems)
    if found == "1.1":
        notices.append(Notice("vc-data-model-1.1",
                              said=Said("verification.data_model.notice.vc_1_1")))
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
                              said=Said("verification.data_model.notice.refresh")))
    return found


def envelope_problems(envelope: Mapping[str, Any], problems: list[Problem]) -> None:
    """§4.13.2: an ``EnvelopedVerifiableCredential``'s ``@context`` "MUST be present and
    include a context, such as the base context", that defines its terms: not empty, and
    (the only such context credstack knows) holding the base context."""
    context = envelope.get("@context")
    if not items(context) or not isinstance(context, list | str):
        broke(problems, "envelope-context", "@context", "envelope_empty",
              base=repr(VC_V2_CONTEXT))
    elif VC_V2_CONTEXT not in items(context):
        broke(problems, "envelope-context", "@context", "envelope_base",
              base=repr(VC_V2_CONTEXT))


def _where(name: str, value: object, index: int) -> str:
    return f"{name}[{index}]" if isinstance(value, list) else name


def _subject_problems(credential: Mapping[str, Any], problems: list[Problem]) -> None:
    """§4.8: one or more subjects, each an object that states a claim."""
    if "credentialSubject" not in credential:
        broke(problems, "subject-required", "credentialSubject", "required")
        return
    subject = credential["credentialSubject"]
    subjects = items(subject)
    if not subjects:
        broke(problems, "subject-empty", "credentialSubject", "subject_empty")
    for index, item in enumerate(subjects):
        where = _where("credentialSubject", subject, index)
        if not isinstance(item, Mapping):
            broke(problems, "subject-object", where, "object")
        elif not item:
            broke(problems, "subject-no-claim", where, "subject_no_claim")
        elif "id" in item and not is_absolute_url(item["id"]):
            broke(problems, "id-url", f"{where}.id", "single_url")


def _date_problems(credential: Mapping[str, Any], names: tuple[str, str],
                   required: str | None, *, require_zone: bool,
                   problems: list[Problem]) -> None:
    start_name, end_name = names
    if required is not None and required not in credential:
        broke(problems, "issuance-date-required", required, "issuance_date_required")
    moments: dict[str, dt.datetime] = {}
    for name in names:
        if name not in credential:
            continue
        moment = instant(credential[name], require_zone=require_zone)
        if moment is None:
            broke(problems, "date-time", name,
                  "date_time_stamp" if require_zone else "date_time",
                  value=repr(credential[name]))
        else:
            moments[name] = moment
    if start_name in moments and end_name in moments and moments[end_name] < moments[start_name]:
        broke(problems, "validity-order", end_name, "validity_order", start=start_name)


def _typed_problems(value: object, name: str, needs_id: bool, problems: list[Problem]) -> None:
    """§4.10, §4.11, §5.4–§5.6: each value an object that specifies its type (a schema also
    its URL id)."""
    for index, item in enumerate(items(value)):
        where = _where(name, value, index)
        if not isinstance(item, Mapping):
            broke(problems, "property-object", where, "object")
            continue
        if json_values.types(item.get("type")) is None:
            broke(problems, "property-type", f"{where}.type", "property_type", name=name)
        if "id" in item and not is_absolute_url(item["id"]):
            broke(problems, "id-url", f"{where}.id", "single_url")
        elif needs_id and "id" not in item:
            broke(problems, "schema-id", f"{where}.id", "schema_id")


def _related_problems(value: object, problems: list[Problem], notices: list[Notice],
                      read_resource: ResourceReader | None) -> None:
    """§5.3: one or more objects, each with a unique URL ``id`` and a digest; the digest of
    a resource credstack holds is computed and compared."""
    seen: set[str] = set()
    unchecked: list[str] = []
    related = items(value)
    if not related:
        broke(problems, "related-resource-object", "relatedResource", "related_objects")
    for index, item in enumerate(related):
        where = _where("relatedResource", value, index)
        if not isinstance(item, Mapping):
            broke(problems, "related-resource-object", where, "related_object",
                  kind=type(item).__name__)
            continue
        resource = item.get("id")
        if not isinstance(resource, str) or not is_absolute_url(resource):
            broke(problems, "related-resource-id", f"{where}.id", "related_id")
        elif resource in seen:
            broke(problems, "related-resource-id-unique", f"{where}.id", "related_twice",
                  resource=resource)
        else:
            seen.add(resource)
        digests = _digests(item, where, problems)
        if "digestSRI" not in item and "digestMultibase" not in item:
            broke(problems, "related-resource-digest", where, "related_digest")
        if not digests or not isinstance(resource, str) or not is_absolute_url(resource):
            continue
        held = read_resource(resource) if read_resource is not None else None
        if held is None:
            unchecked.append(resource)
            continue
        for location, algorithm, expected in digests:
            if hashlib.new(algorithm, held).digest() != expected:
                broke(problems, "related-resource-digest-mismatch", location,
                      "digest_mismatch", resource=resource, algorithm=algorithm)
    if unchecked:
        notices.append(Notice("related-resource-not-checked", said=Said(
            "verification.data_model.notice.related_not_checked",
            resources=", ".join(unchecked))))


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
            broke(problems, "related-resource-digest-form", location, "sri_form",
                  value=repr(value))
    if "digestMultibase" in item:
        value = item["digestMultibase"]
        values = value if isinstance(value, list) else [value]
        for index, text in enumerate(values):
            location = _where(f"{where}.digestMultibase", value, index)
            parsed = _multihash(text)
            if parsed is None:
                broke(problems, "related-resource-digest-form", location, "multibase_form",
                      value=repr(text))
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


def rules_broken(problems: Sequence[Problem], *, rules: RuleSet,
                 warnings: Sequence[Notice] = (), check: str = "data-model",
                 **details: Any) -> Check:
    """The failed ``data-model`` check (or ``check``): the document breaks so many of the
    ``rules``, the first one said, every location listed (the message
    ``verification.check.rules_broken.<rules>``)."""
    return failed(check, check, Said(f"verification.check.rules_broken.{rules}",
                                     count=len(problems), first=said_at(problems[0]),
                                     locations=tuple(dict.fromkeys(
                                         problem.location for problem in problems))),
                  warnings=warnings, problems=problem_dicts(problems), **details)


def said_at(problem: Problem) -> Said | str:
    """A problem where it is (``credentialSubject: must be an object``): said, given as a
    code; in its English words, given in words."""
    if not problem.code or problem.message:
        return str(problem)
    what = Said(problem.code, **problem.params)
    return Said("verification.data_model.at", location=problem.location, what=what) \
        if problem.location else what
