"""The steps that verify a European Digital Credential, in order, and :func:`verify_edc`.

``parse``        the input: a JAdES seal (JWS JSON serialisation, ``b64: false``), an unsealed
                 EDC, or the EDC Issuer's upload wrapper (``{"credential": …}``); a credential
                 whose ``type`` is not ``EuropeanDigitalCredential`` is not read;
``proof``        the seal's signature, with the key of its signing certificate (``x5c``); an
                 EDC without a seal fails (``unsealed``: anyone could have written it);
``issuer``       the seal's certificate valid at the claimed signing time, and chaining to a
                 certificate the operator trusts — with none configured, could not be checked;
``timestamp``    the seal's signature timestamp (``sigTst``), when it has one: over this
                 signature, intact, signed by the time-stamping authority whose certificate it
                 carries (a conformance finding when not; information when it has none or
                 it cannot be read);
``content-timestamp``  the seal's all-data-objects timestamps (``adoTst``, signed, made before
                 sealing), when it has any: each over the JWS Payload as it appears, checked
                 as the signature timestamp is, and not later than it (or, with none, than
                 the claimed ``sigT``);
``archive-timestamp``  the seal's archive timestamps (``arcTst``, JAdES-A), when it has any:
                 each over the seal and the unsigned properties before it, checked as the
                 signature timestamp is ("could not be checked", with why, when what it
                 covers cannot be rebuilt);
``timestamp-authority``  the authority of each timestamp that holds: its certificate for
                 time-stamping and chaining, at the token's time, to the operator's trust list
                 for seals — a conformance finding when not; with no list configured, could not
                 be checked (information);
``contexts``     the credential expanded to RDF with the EDC-AP context (served locally, never
                 fetched): a clash between contexts fails (the ELM 3.2 examples' *protected
                 term redefinition* on ``description``);
``validity``     ``validFrom`` (``issuanceDate``) not in the future, ``expirationDate`` /
                 ``validUntil`` not past;
``elm-shapes``   conformance: the SHACL shapes of the profile the credential names;
``credential-schema``  conformance: EBSI's EDC JSON Schema, when the credential names it;
``meaning``      information: what it says (:func:`credstack.core.elm.summary.summarise`).

Nothing here does I/O or reads the clock: the ELM files (:class:`ElmState.reference`, ``None``
when the operator has not configured them), the document loader and the trusted certificates
are parameters.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from cryptography import x509

from credstack.core.elm import jades, summary, timestamps, trust, validation
from credstack.core.elm.reference import ElmReference
from credstack.core.elm.vocabulary import (
    CONTEXT_URL,
    CREDENTIAL_TYPE,
    ENVELOPES,
    envelope_of,
    is_edc,
    text_in,
    types_of,
)
from credstack.core.said import Said, Words
from credstack.core.verification.checks import (
    Refusal,
    conformance,
    failed,
    not_checked,
    passed,
    problem_dicts,
    refused,
    undecided,
)
from credstack.core.verification.reading import MAX_CREDENTIAL_BYTES, Subject, loads, text_of
from credstack.core.verification.report import (
    Check,
    CheckKind,
    Meaning,
    Missing,
    Notice,
    VerificationReport,
)
from credstack.core.verification.runner import State, run
from credstack.errors import (
    CredstackError,
    MalformedCredentialError,
    SignatureError,
    TrustChainError,
    UnknownContextError,
)

__all__ = ["DEFAULT_CHECKS", "ElmState", "is_edc", "sealed_credential", "verify_edc"]

SUBJECT: Final = Subject("verification.subject.edc", 4 * MAX_CREDENTIAL_BYTES,
                         forms="verification.subject.forms.edc",
                         changed="verification.check.proof.changed.edc")

Loader = Callable[[str, dict[str, Any]], dict[str, Any]]


def sealed_credential(document: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The credential a seal (not verified) or an upload file carries; an EDC as it is."""
    if jades.is_sealed(document):
        payload = document.get("payload")
        try:
            credential = json.loads(payload) if isinstance(payload, str) else None
        except ValueError:
            return None
        return credential if isinstance(credential, Mapping) else None
    inner = document.get("credential")
    if isinstance(inner, Mapping) and "@context" not in document:
        return inner
    return document


@dataclass(slots=True, kw_only=True)
class ElmState(State):
    #: The ELM files; ``None`` when the operator has configured none (``CREDSTACK_ELM_DIR``).
    reference: ElmReference | None
    #: credstack's document loader, serving the EDC-AP context when ``reference`` is set.
    loader: Loader
    #: The certificates the operator trusts seals from; ``None``: no trust list configured.
    trusted: Sequence[x509.Certificate] | None = None
    seal: jades.Seal | None = None
    document: Mapping[str, Any] | None = None
    credential: Mapping[str, Any] | None = None
    #: The ``elm-shapes`` check, made with the ``contexts`` one.
    shapes: Check | None = None
    #: Every timestamp token of the seal that holds (``sigTst``, ``arcTst``, ``adoTst``), for
    #: the ``timestamp-authority`` check.
    stamps: list[timestamps.SignatureTimestamp] = dataclasses.field(default_factory=list)


def _refusal_of(error: CredstackError) -> Refusal:
    """The refusal an error of the seal's or the trust's modules makes: what its first
    problem says (the ``code`` and parameters the ELM modules say, which the runner words),
    the rule that problem names as its code."""
    problem = error.problems[0] if error.problems else None
    code = problem.rule if problem is not None and problem.rule else "malformed"
    said = Said(problem.code, **problem.params) if problem is not None and problem.code \
        else Said(error.code, **error.params)
    return Refusal(code, said, problems=problem_dicts(error.problems))


def check_parse(state: ElmState) -> Check:
    """``parse``: the seal or the credential, read."""
    try:
        text, size = text_of(state.input, SUBJECT)
        document = loads(text, SUBJECT)
        warnings: list[Notice] = []
        if isinstance(document, Mapping) and jades.is_sealed(document):
            try:
                state.seal = jades.read_seal(document)
            except MalformedCredentialError as error:
                raise _refusal_of(error) from None
            state.document = document
            credential = loads(state.seal.payload, SUBJECT)
        elif isinstance(document, Mapping) and isinstance(document.get("credential"), Mapping) \
                and "@context" not in document:
            credential = document["credential"]
            warnings.append(Notice("upload-wrapper", said=Said(
                "verification.check.elm.upload_wrapper", wrapper='{"credential": …}')))
        else:
            credential = document
        if not isinstance(credential, Mapping) or CREDENTIAL_TYPE not in types_of(credential):
            raise Refusal("not-an-edc",
                          Said("verification.check.elm.not_an_edc", type=CREDENTIAL_TYPE))
    except Refusal as refusal:
        return refused("parse", refusal)
    state.credential = credential
    envelope = envelope_of(credential)
    read = "read_sealed" if state.seal else "read_unsealed"
    return passed("parse", Said(f"verification.check.elm.{read}", size=size,
                                envelope=Said(ENVELOPES[envelope])),
                  warnings=warnings, bytes=size, envelope=envelope)


def _signer(seal: jades.Seal) -> str:
    return seal.certificate.subject.rfc4514_string()


def check_proof(state: ElmState) -> Check:
    """``proof``: the seal's signature verifies with its certificate's key."""
    if state.credential is None:
        return not_checked("proof", Said("verification.check.elm.unread"))
    if state.seal is None or state.document is None:
        return failed("proof", "unsealed", Said("verification.check.elm.unsealed"))
    try:
        jades.verify_signature(state.document, state.seal)
    except SignatureError as error:
        refusal = _refusal_of(error)
        if refusal.code == "jades-signature":
            refusal.code = "signature"
        return refused("proof", refusal)
    seal = state.seal
    return passed("proof", Said("verification.check.elm.sealed", algorithm=seal.algorithm,
                                signer=_signer(seal)),
                  algorithm=seal.algorithm, signer=_signer(seal),
                  signingTime=seal.signing_time.isoformat(),
                  certificateNotAfter=seal.certificate.not_valid_after_utc.isoformat(),
                  unsignedProperties=list(seal.unsigned))


def check_issuer(state: ElmState) -> Check:
    """``issuer``: the seal's certificate at its signing time, and the operator's trust."""
    seal = state.seal
    if seal is None or state.results.get("proof", None) is None \
            or not state.results["proof"].passed:
        return not_checked("issuer", Said("verification.check.elm.seal_unverified"))
    try:
        trust.check_certificate_at_signing(seal)
    except SignatureError as error:
        return refused("issuer", _refusal_of(error))
    if not state.trusted:
        return undecided("issuer", "no-trust-list",
                         Said("verification.check.elm.no_trust_list"), "",
                         Missing("trust-list", "unsupported", None,
                                 said=Said("verification.missing.issued_by",
                                           issuer=seal.certificate.issuer.rfc4514_string())),
                         signer=_signer(seal))
    try:
        anchor = trust.trusted_anchor(seal, state.trusted)
    except TrustChainError as error:
        return refused("issuer", _refusal_of(error))
    return passed("issuer", Said("verification.check.elm.trusted", signer=_signer(seal),
                                 anchor=anchor.subject.rfc4514_string()),
                  signer=_signer(seal), anchor=anchor.subject.rfc4514_string())


def check_timestamp(state: ElmState) -> Check | None:
    """``timestamp``: the seal's ``sigTst`` tokens (:mod:`credstack.core.elm.timestamps`)."""
    proof = state.results.get("proof", None)
    if state.seal is None or state.document is None or proof is None or not proof.passed:
        return None
    notes: dict[str, Any] = {}
    found = timestamps.signature_timestamps(state.document)
    state.stamps.extend(token for token in found if token.holds)
    if not found:
        return Check("timestamp", None, "", "", notes, code="no-timestamp",
                     kind=CheckKind.INFO, said=Said("verification.check.elm.no_timestamp"))
    tokens = [token.to_dict() for token in found]
    broken = next((token for token in found if token.checkable and not token.holds), None)
    if broken is not None:
        return conformance(failed("timestamp", broken.code or "timestamp", broken.said,
                                  tokens=tokens, **notes))
    unchecked = next((token for token in found if not token.checkable), None)
    if unchecked is not None:
        return Check("timestamp", None, "", "", {"tokens": tokens, **notes},
                     code="timestamp-unchecked", kind=CheckKind.INFO,
                     said=Said("verification.check.elm.unchecked", reason=unchecked.said))
    return passed("timestamp", found[0].said, tokens=tokens, **notes)


@dataclasses.dataclass(frozen=True, slots=True)
class SealTime:
    """When the seal was made, as the other timestamps are ordered against it: the signature
    timestamps' times (an authority's clock), or — when the seal has none — the signing time
    the sealer claims (``sigT``)."""

    times: tuple[dt.datetime, ...]
    #: Which time it is ("the signature timestamp").
    said: Said


#: Of the seal's other timestamps and the time the seal was made, the failure their order
#: makes (``None``: in order).
OutOfOrder = Callable[[Sequence[timestamps.SignatureTimestamp], SealTime], "Check | None"]


def _seal_time(state: ElmState) -> SealTime | None:
    timestamp = state.results.get("timestamp", None)
    signed = tuple(dt.datetime.fromisoformat(token["time"])
                   for token in (timestamp.details.get("tokens", []) if timestamp else [])
                   if token.get("code") is None and token.get("time"))
    if signed:
        return SealTime(signed, Said("verification.check.elm.seal_time.signature_timestamp"))
    if state.seal is None:
        return None
    return SealTime((state.seal.signing_time,), Said("verification.check.elm.seal_time.claimed"))


def _timestamp_tokens(state: ElmState, name: str,
                      read: Callable[[Mapping[str, Any]], list[timestamps.SignatureTimestamp]],
                      out_of_order: OutOfOrder) -> Check | None:
    """The check ``name`` of the seal's timestamps ``read`` finds, when it has any: a token
    that does not hold, then their order against the signature timestamps, then a token that
    could not be checked, decide it; else it passed."""
    proof = state.results.get("proof", None)
    if state.seal is None or state.document is None or proof is None or not proof.passed:
        return None
    found = read(state.document)
    state.stamps.extend(token for token in found if token.holds)
    if not found:
        return None
    tokens = [token.to_dict() for token in found]
    broken = next((token for token in found if token.checkable and not token.holds), None)
    if broken is not None:
        return conformance(failed(name, broken.code or "timestamp", broken.said,
                                  tokens=tokens))
    sealed = _seal_time(state)
    misordered = out_of_order(found, sealed) if sealed is not None else None
    if misordered is not None:
        return conformance(dataclasses.replace(misordered, details={"tokens": tokens}))
    unchecked = next((token for token in found if not token.checkable), None)
    if unchecked is not None:
        return Check(name, None, "", "", {"tokens": tokens}, code=f"{name}-unchecked",
                     kind=CheckKind.INFO,
                     said=Said("verification.check.elm.unchecked", reason=unchecked.said))
    return passed(name, found[0].said, tokens=tokens)


def _archived_early(found: Sequence[timestamps.SignatureTimestamp],
                    sealed: SealTime) -> Check | None:
    early = next((token for token in found
                  if token.holds and token.time and token.time < max(sealed.times)), None)
    if early is None or early.time is None:
        return None
    return failed("archive-timestamp", "order", Said(
        "verification.check.elm.archived_early", tsa=early.tsa, time=early.time.isoformat(),
        sealed=sealed.said, sealed_time=max(sealed.times).isoformat()))


def _content_late(found: Sequence[timestamps.SignatureTimestamp],
                  sealed: SealTime) -> Check | None:
    late = next((token for token in found
                 if token.holds and token.time and token.time > min(sealed.times)), None)
    if late is None or late.time is None:
        return None
    return failed("content-timestamp", "order", Said(
        "verification.check.elm.content_late", kind=late.kind.said, tsa=late.tsa,
        time=late.time.isoformat(), sealed=sealed.said,
        sealed_time=min(sealed.times).isoformat()))


def check_archive_timestamp(state: ElmState) -> Check | None:
    """``archive-timestamp``: the seal's ``arcTst`` tokens (JAdES-A), when it has any — each
    over the seal and the unsigned properties before it, and not earlier than the signature
    timestamps it covers (or, when the seal has none, the signing time it claims)."""
    return _timestamp_tokens(state, "archive-timestamp", timestamps.archive_timestamps,
                             _archived_early)


def check_content_timestamp(state: ElmState) -> Check | None:
    """``content-timestamp``: the seal's ``adoTst`` tokens (signed, made before sealing), when
    it has any — each over the JWS Payload as it appears, and not later than the signature
    timestamps (ETSI EN 319 102-1's coherence of time-stamps) or, when the seal has none, than
    the signing time it claims (``sigT``)."""
    return _timestamp_tokens(state, "content-timestamp", timestamps.content_timestamps,
                             _content_late)


def check_timestamp_authority(state: ElmState) -> Check | None:
    """``timestamp-authority``: each timestamp that holds (``sigTst``, ``adoTst``, ``arcTst``)
    by an authority whose certificate is for time-stamping and chains, at the token's time,
    to the operator's trust list for seals (:func:`credstack.core.elm.trust.trusted_tsa`)."""
    if not state.stamps:
        return None
    tokens = [{"kind": state.words(token.kind.said, "en"), "tsa": token.tsa,
               "time": token.time.isoformat() if token.time else None}
              for token in state.stamps]
    names = ", ".join(dict.fromkeys(str(token.tsa) for token in state.stamps))
    if not state.trusted:
        return Check("timestamp-authority", None, "", "", {"tokens": tokens},
                     code="timestamp-authority-unchecked", kind=CheckKind.INFO,
                     said=Said("verification.check.elm.tsa_no_trust_list", names=names))
    refusal: Refusal | None = None
    unreadable: Said | None = None
    for token, found in zip(state.stamps, tokens, strict=True):
        assert token.time is not None  # A token that holds has its time.
        try:
            found["anchor"] = trust.trusted_tsa(token.certificates, token.time,
                                                state.trusted).subject.rfc4514_string()
        except TrustChainError as error:
            found["code"] = error.reason
            refusal = refusal or _refusal_of(error)
        except trust.UnreadableCertificateError as error:
            found["code"] = "unreadable"
            unreadable = unreadable or error.said
    if refusal is not None:
        return conformance(failed("timestamp-authority", refusal.code, refusal.said or refusal.en,
                                  tokens=tokens, **refusal.details))
    if unreadable is not None:
        return Check("timestamp-authority", None, "", "", {"tokens": tokens},
                     code="timestamp-authority-unchecked", kind=CheckKind.INFO,
                     said=Said("verification.check.elm.tsa_unreadable", detail=unreadable))
    anchors = ", ".join(dict.fromkeys(str(token["anchor"]) for token in tokens))
    return passed("timestamp-authority",
                  Said("verification.check.elm.tsa_trusted", names=names, anchors=anchors),
                  tokens=tokens)


def _read_contexts_and_shapes(state: ElmState, reference: ElmReference,
                              credential: Mapping[str, Any]) -> tuple[Check, Check | None]:
    """The ``contexts`` check and, when they could be applied, the ``elm-shapes`` one."""
    try:
        graph = validation.credential_graph(credential, state.loader)
    except UnknownContextError as error:
        return failed("contexts", "unknown-context",
                      Said("verification.check.elm.unknown_context", detail=error.message)), None
    except MalformedCredentialError as error:
        return failed("contexts", "context-clash", Said(error.code, **error.params),
                      problems=problem_dicts(error.problems)), None
    contexts = passed("contexts",
                      Said("verification.check.elm.contexts_read", statements=len(graph)),
                      statements=len(graph))
    profile = validation.shapes_profile(credential)
    problems = validation.check_shapes(graph, reference, profile)
    name = profile.rsplit("/", 1)[-1]
    if problems:
        return contexts, conformance(failed(
            "elm-shapes", "shapes",
            Said("verification.check.elm.shapes_broken", found=len(problems), profile=name),
            profile=profile, problems=problem_dicts(problems)))
    return contexts, conformance(passed("elm-shapes",
                                        Said("verification.check.elm.shapes_kept", profile=name),
                                        profile=profile))


def check_contexts(state: ElmState) -> Check:
    """``contexts``: what the credential says, as RDF through the local contexts (and, with
    it, the shapes: both remembered by the credential's digest)."""
    credential = state.credential
    if credential is None:
        return not_checked("contexts", Said("verification.check.elm.unread"))
    reference = state.reference
    if reference is None:
        return undecided("contexts", "no-elm-files",
                         Said("verification.check.elm.no_elm_files"), "",
                         Missing("context", "unsupported", CONTEXT_URL))
    digest = hashlib.sha256(json.dumps(credential, sort_keys=True, ensure_ascii=False)
                            .encode("utf-8", "surrogatepass")).digest()
    contexts, state.shapes = reference.remembered(
        ("edc", digest), lambda: _read_contexts_and_shapes(state, reference, credential))
    return contexts


def _instant(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def check_validity(state: ElmState) -> Check:
    """``validity``: valid from a date not in the future, not past its expiry."""
    credential = state.credential
    if credential is None:
        return not_checked("validity", Said("verification.check.elm.unread"))
    start_name = "validFrom" if "validFrom" in credential else "issuanceDate"
    end_name = "validUntil" if "validUntil" in credential else "expirationDate"
    start, end = _instant(credential.get(start_name)), _instant(credential.get(end_name))
    dates: dict[str, Any] = {"now": state.now.isoformat(),
                             start_name: credential.get(start_name),
                             end_name: credential.get(end_name)}
    if start is not None and start > state.now:
        return failed("validity", "not-yet-valid",
                      Said("verification.check.elm.not_yet_valid", start=start.isoformat(),
                           day=start.date().isoformat()), **dates)
    if end is not None and end < state.now:
        return failed("validity", "expired",
                      Said("verification.check.elm.expired", end=end.isoformat(),
                           day=end.date().isoformat()), **dates)
    return passed("validity", Said("verification.check.elm.within"), **dates)


def check_shapes(state: ElmState) -> Check | None:
    """``elm-shapes`` (conformance): the SHACL shapes of the profile it names (checked with
    the contexts, which give the graph they are checked on)."""
    if state.reference is None or state.credential is None:
        return None
    if state.shapes is None:
        return conformance(not_checked("elm-shapes",
                                       Said("verification.check.elm.contexts_not_applied")))
    return state.shapes


def check_schema(state: ElmState) -> Check | None:
    """``credential-schema`` (conformance): EBSI's EDC schema, when the credential names it."""
    if state.reference is None or state.credential is None \
            or not validation.names_ebsi_schema(state.credential):
        return None
    problems = validation.check_ebsi_schema(state.credential, state.reference)
    if problems:
        return conformance(failed("credential-schema", "schema",
                                  Said("verification.check.elm.schema_broken", found=len(problems)),
                                  problems=problem_dicts(problems)))
    return conformance(passed("credential-schema", Said("verification.check.elm.schema_kept")))


def check_meaning(state: ElmState) -> Check | None:
    """``meaning`` (information): the learning achievement, its specification, outcomes,
    credits and levels, as the credential states them."""
    if state.credential is None:
        return None
    read = summary.summarise(state.credential)
    first = read.claims[0] if read.claims else None
    state.meaning = Meaning(
        types=tuple(types_of(state.credential)), issuer_id=read.issuer_id,
        issuer_name=text_in(read.issuer_name, "en"),
        learner_names=tuple(dict.fromkeys(read.learner_name.values())),
        learner_id=None, achievement_id=None,
        achievement_type=first.kind if first else None,
        achievement_name=text_in(first.title, "en") if first else None)
    return Check("meaning", None, "", "", {"edc": read.to_dict()}, code="edc",
                 kind=CheckKind.INFO, said=Said("verification.check.elm.meaning"))


DEFAULT_CHECKS: Final = (check_parse, check_proof, check_issuer, check_timestamp,
                         check_content_timestamp, check_archive_timestamp,
                         check_timestamp_authority, check_contexts,
                         check_validity, check_shapes, check_schema, check_meaning)


def verify_edc(data: bytes | str | Mapping[str, Any], *, now: dt.datetime,
               reference: ElmReference | None, loader: Loader,
               trusted: Sequence[x509.Certificate] | None = None, strict: bool = False,
               words: Words) -> VerificationReport:
    """Verify a European Digital Credential; every finding is a check of the report.

    ``words`` words what the checks say (:func:`credstack.words.words`). Raises only for a
    naive ``now`` (as every format's runner does).
    """
    return run(ElmState(input=data, now=now, strict=strict, reference=reference,
                        loader=loader, trusted=trusted, words=words), list(DEFAULT_CHECKS))

