"""Verification of a presentation: its structure and proof, challenge, domain and holder, then
each credential it holds.

What is verified, and against which texts:

* *Verifiable Credentials Data Model v2.0* — W3C Recommendation, 15 May 2025 —
  https://www.w3.org/TR/vc-data-model-2.0/ — §4.13 "Verifiable Presentations" (``@context``,
  ``id``, ``type``, ``holder``, ``verifiableCredential``: the MUSTs checked by
  :func:`check_data_model`).
* *Verifiable Credential Data Integrity 1.0* — W3C Recommendation, 15 May 2025 —
  https://www.w3.org/TR/vc-data-integrity/ — §2.1 "Proofs" (``challenge``, ``domain``), §2.2
  "Proof Purposes" (a presentation is signed for ``authentication``), §4.4 "Verify Proof"
  (through :func:`credstack.core.proofs.verify_data_integrity`).
* *Verifiable Credentials API for Lifecycle Management* (VC-API), "Verify Presentation" —
  https://w3c.github.io/vcalm/#verify-presentation — the presentation's own proof, with the
  challenge and domain the verifier asked for; the holder matches the key that signed; every
  credential in it verified like a credential on its own. A presentation without a proof is
  accepted only when no challenge was asked for: a challenge is exactly the request to prove
  possession, which only a proof can answer.

:func:`verify_presentation` runs a list of steps, like the credential pipeline
(:mod:`credstack.core.verification.pipeline`): each is a function of the shared
:class:`PresentationState` that returns one :class:`~.report.Check`; the configuration is
:data:`PRESENTATION_STEPS`. The credentials inside are verified by an injected
:class:`CredentialVerifier` — in the service, the same pipeline ``/credentials/verify`` runs —
and summed up in one ``credentials`` check, so that the presentation is verified only when
every credential is.

Verdict versus error, as for credentials: everything about the *presentation* is a failed
check; :func:`verify_presentation` raises only for the caller's mistakes (a naive ``now``, a
seam that breaks its contract). No I/O, no clock: the key resolver, the JSON-LD document
loader, the credential verifier and the time are parameters.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from credstack.core.crypto import DocumentLoader, PublicKey
from credstack.core.proofs import CRYPTOSUITES, verify_data_integrity
from credstack.core.types import is_absolute_url
from credstack.core.verification import json_values, methods
from credstack.core.verification.checks import Refusal as _Refusal
from credstack.core.verification.checks import failed as _failed
from credstack.core.verification.checks import not_checked as _not_checked
from credstack.core.verification.checks import passed as _passed
from credstack.core.verification.checks import problem_dicts as _problems
from credstack.core.verification.checks import refused as _refused
from credstack.core.verification.json_values import credstack_cause as _credstack_cause
from credstack.core.verification.json_values import items as _items
from credstack.core.verification.methods import UnresolvableMethodError as _UnresolvableMethodError
from credstack.core.verification.methods import is_supported as _supported
from credstack.errors import (
    CredstackError,
    Problem,
    SignatureError,
    UndefinedTermError,
    UnknownContextError,
)

from .pipeline import MAX_DEPTH, MethodResolver, Signer, VerificationKey
from .report import Check, Notice, VerificationReport

__all__ = [
    "AUTHENTICATION",
    "MAX_PRESENTATION_BYTES",
    "PRESENTATION_CHECK_TITLES",
    "PRESENTATION_STEPS",
    "CredentialVerifier",
    "PresentationReport",
    "PresentationState",
    "PresentationStep",
    "check_challenge",
    "check_contexts",
    "check_credentials",
    "check_data_model",
    "check_domain",
    "check_holder",
    "check_parse",
    "check_proof",
    "verify_presentation",
]

#: The proof purpose of a presentation's proof: the holder authenticates itself.
AUTHENTICATION: Final = "authentication"
#: The largest presentation read (UTF-8 bytes of its JSON): room for a few credentials.
MAX_PRESENTATION_BYTES: Final = 4 * 1024 * 1024

VP_TYPE: Final = "VerifiablePresentation"
ENVELOPED_VP_TYPE: Final = "EnvelopedVerifiablePresentation"
VC_V2_CONTEXT: Final = "https://www.w3.org/ns/credentials/v2"
VC_V1_CONTEXT: Final = "https://www.w3.org/2018/credentials/v1"
DATA_INTEGRITY_PROOF: Final = "DataIntegrityProof"

#: A short title per check of a presentation, in English and Japanese. The credential checks'
#: titles (:data:`~.report.CHECK_TITLES`) speak of a credential; these of a presentation.
PRESENTATION_CHECK_TITLES: Final[Mapping[str, tuple[str, str]]] = {
    "parse": ("Readable presentation", "プレゼンテーションの読み取り"),
    "data-model": ("Data model", "データモデル"),
    "contexts": ("JSON-LD contexts", "JSON-LD コンテキスト"),
    "proof": ("Proof (holder's signature)", "証明（提示者の署名）"),
    "challenge": ("Challenge", "チャレンジ"),
    "domain": ("Domain", "ドメイン"),
    "holder": ("Holder", "提示者（ホルダー）"),
    "credentials": ("Credentials in the presentation", "含まれる証明書"),
}


# --- the seam -------------------------------------------------------------------------------

class CredentialVerifier(Protocol):
    """A credential inside the presentation (as it appears there) → its verification report.

    Never raises for anything about the credential: like
    :func:`~credstack.core.verification.verify_credential`, it reports.
    """

    def __call__(self, credential: Any, /) -> VerificationReport: ...


@dataclass(slots=True)
class PresentationState:
    """What the steps share: the inputs and seams, then what earlier steps found out."""

    input: object
    #: The challenge and domain the verifier asked for (``None``: not asked).
    challenge: str | None
    domain: str | None
    document_loader: DocumentLoader
    resolve_verification_method: MethodResolver
    verify_credential: CredentialVerifier
    now: dt.datetime
    #: The presentation as a JSON object, once read.
    presentation: dict[str, Any] | None = None
    #: The proofs that verified, with who signed each (``None`` until the proof check passed;
    #: empty for a presentation that has no proof and needed none).
    signed: tuple[tuple[Mapping[str, Any], Signer], ...] | None = None
    #: Resolved verification methods, so that no method is resolved twice.
    methods: dict[str, tuple[VerificationKey, str]] = field(default_factory=dict)
    credentials: tuple[VerificationReport, ...] = ()
    results: dict[str, Check] = field(default_factory=dict)


PresentationStep = Callable[[PresentationState], Check]



# --- building checks ------------------------------------------------------------------------





def _unread(name: str) -> Check:
    return _not_checked(name, "the presentation could not be read",
                        "プレゼンテーションを読み取れませんでした")


def _unsigned(name: str) -> Check:
    return _not_checked(name, "the presentation's proof did not verify",
                        "プレゼンテーションの証明（署名）を確認できませんでした")



# --- small readers --------------------------------------------------------------------------

def _holder_id(presentation: Mapping[str, Any]) -> str | None:
    holder = presentation.get("holder")
    if isinstance(holder, Mapping):
        holder = holder.get("id")
    return holder if is_absolute_url(holder) else None


# --- parse ----------------------------------------------------------------------------------

def _too_large(size: int) -> _Refusal:
    return _Refusal(
        "too-large",
        f"the presentation is {size:,} bytes; credstack reads at most "
        f"{MAX_PRESENTATION_BYTES:,}",
        f"プレゼンテーションが大きすぎます（{size:,} バイト。上限は "
        f"{MAX_PRESENTATION_BYTES:,} バイト）", bytes=size, limit=MAX_PRESENTATION_BYTES)


def _loads(text: str) -> Any:
    return json_values.strict_loads(text, "the presentation", "プレゼンテーション")


def _too_deep() -> _Refusal:
    return _Refusal("too-deep", f"the presentation is nested more than {MAX_DEPTH} levels deep",
                    f"プレゼンテーションの入れ子が深すぎます（上限 {MAX_DEPTH} 段）")


def _read(raw: object) -> tuple[dict[str, Any], int]:
    if isinstance(raw, bytes | bytearray | memoryview):
        data = bytes(raw)
        if len(data) > MAX_PRESENTATION_BYTES:
            raise _too_large(len(data))
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _Refusal("not-json", f"the input is not UTF-8 (byte {exc.start})",
                           f"UTF-8 のテキストではありません（{exc.start} バイト目）") from None
    if isinstance(raw, Mapping):
        try:
            raw = json.dumps(raw, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        except RecursionError:
            raise _too_deep() from None
        except (TypeError, ValueError) as exc:
            raise _Refusal("not-json", f"the presentation holds a value that is not JSON ({exc})",
                           "プレゼンテーションに JSON ではない値が含まれています") from None
    if not isinstance(raw, str):
        raise _Refusal("not-an-object",
                       f"a presentation is a JSON object, not {type(raw).__name__}",
                       "プレゼンテーションは JSON オブジェクトでなければなりません")
    if len(raw) > MAX_PRESENTATION_BYTES:
        raise _too_large(len(raw))
    size = len(raw.encode("utf-8", "surrogatepass"))
    if size > MAX_PRESENTATION_BYTES:
        raise _too_large(size)
    text = raw.strip().removeprefix("\ufeff").strip()
    if not text.startswith(("{", "[")):
        raise _Refusal("unsupported-format",
                       "the input is not a JSON presentation (a presentation secured as a JWT "
                       "is not supported)",
                       "JSON のプレゼンテーションではありません（JWT 形式には対応していません）")
    value = _loads(text)
    if not isinstance(value, dict):
        kind = "an array" if isinstance(value, list) else type(value).__name__
        raise _Refusal("not-an-object", f"a presentation is a JSON object, not {kind}",
                       "プレゼンテーションは JSON オブジェクトでなければなりません")
    return value, size


def check_parse(state: PresentationState) -> Check:
    """``parse``: one JSON object under the size and depth limits, no key repeated."""
    try:
        presentation, size = _read(state.input)
    except _Refusal as refusal:
        return _refused("parse", refusal)
    if ENVELOPED_VP_TYPE in (json_values.types(presentation.get("type")) or ()):
        return _failed("parse", "unsupported-envelope",
                       "an EnvelopedVerifiablePresentation (a presentation secured as a JWT or "
                       "with COSE) is not supported: send the presentation with a Data Integrity "
                       "proof",
                       "EnvelopedVerifiablePresentation（JWT・COSE で保護された提示）には対応して"
                       "いません。Data Integrity 証明付きのプレゼンテーションを送ってください")
    state.presentation = presentation
    return _passed("parse", f"read a {size:,}-byte presentation",
                   f"{size:,} バイトのプレゼンテーションを読み取りました", bytes=size)


# --- data model -----------------------------------------------------------------------------

def _context_problems(presentation: Mapping[str, Any], problems: list[Problem]) -> str | None:
    """§4.3: an ordered set whose first item is the base context; the version it names."""
    if "@context" not in presentation:
        problems.append(Problem("@context", "is required"))
        return None
    context = presentation["@context"]
    items = _items(context)
    if not isinstance(context, list | str) or not items:
        problems.append(Problem("@context", "must be an ordered set of URLs and objects"))
        return None
    version = {VC_V2_CONTEXT: "2.0", VC_V1_CONTEXT: "1.1"}.get(items[0]) if isinstance(
        items[0], str) else None
    if version is None:
        problems.append(Problem("@context[0]", f"must be {VC_V2_CONTEXT!r} (VC Data Model 2.0), "
                                               f"not {items[0]!r}"))
    for index, item in enumerate(items[1:], 1):
        if isinstance(item, str):
            if not is_absolute_url(item):
                problems.append(Problem(f"@context[{index}]", f"{item!r} is not a URL"))
        elif not isinstance(item, Mapping):
            problems.append(Problem(f"@context[{index}]", "must be a URL or a context object"))
    return version


def check_data_model(state: PresentationState) -> Check:
    """``data-model``: §4.13's MUSTs — context, type, id, holder, the credentials' form."""
    presentation = state.presentation
    if presentation is None:
        return _unread("data-model")
    problems: list[Problem] = []
    notices: list[Notice] = []
    version = _context_problems(presentation, problems)
    if version == "1.1":
        notices.append(Notice("vc-data-model-1.1",
                              "a VC Data Model 1.1 presentation: read under the 1.1 rules",
                              "VC データモデル 1.1 のプレゼンテーションです"))
    if "id" in presentation and not is_absolute_url(presentation["id"]):
        problems.append(Problem("id", "must be a single URL"))
    types = json_values.types(presentation.get("type"))
    if "type" not in presentation:
        problems.append(Problem("type", "is required"))
    elif types is None:
        problems.append(Problem("type", "must be a string or an array of strings"))
    elif VP_TYPE not in types:
        problems.append(Problem("type", f"must include {VP_TYPE!r}"))
    if "holder" in presentation:
        holder = presentation["holder"]
        if isinstance(holder, Mapping):
            if not is_absolute_url(holder.get("id")):
                problems.append(Problem("holder.id", "must be a URL"))
        elif not is_absolute_url(holder):
            problems.append(Problem("holder", "must be a URL or an object with a URL id"))
    if "verifiableCredential" in presentation:
        value = presentation["verifiableCredential"]
        for index, item in enumerate(_items(value)):
            where = (f"verifiableCredential[{index}]" if isinstance(value, list)
                     else "verifiableCredential")
            if not isinstance(item, Mapping):
                problems.append(Problem(where, "must be a credential object (not a string, "
                                               "number or URL)"))
    if problems:
        count = len(problems)
        locations = "、".join(dict.fromkeys(p.location for p in problems))
        return Check("data-model", False,
                     f"the presentation breaks {count} rule{'s' if count != 1 else ''} of the "
                     f"data model; {problems[0]}",
                     f"データモデルの規則に {count} 件違反しています（{locations}）",
                     {"problems": _problems(problems)}, code="data-model",
                     warnings=tuple(notices))
    return _passed("data-model", f"a well-formed VC Data Model {version} presentation",
                   f"VC データモデル {version} のプレゼンテーションとして適合しています",
                   warnings=notices, version=version, types=list(types or ()))


# --- contexts -------------------------------------------------------------------------------

def check_contexts(state: PresentationState) -> Check:
    """``contexts``: every JSON-LD context, the credentials' included, is one the loader holds.

    The presentation's proof covers the credentials in it, so their contexts matter to it too.
    """
    if state.presentation is None:
        return _unread("contexts")
    urls: dict[str, None] = {}
    for node in json_values.walk(state.presentation):
        if "@context" in node:
            for item in _items(node["@context"]):
                if isinstance(item, str):
                    urls[item] = None
    unknown = []
    for url in urls:
        try:
            state.document_loader(url, {})
        except CredstackError:
            unknown.append(url)
    if unknown:
        names = ", ".join(unknown[:3]) + (f" and {len(unknown) - 3} more"
                                          if len(unknown) > 3 else "")
        return _failed(
            "contexts", "unknown-context",
            f"unknown JSON-LD context{'s' if len(unknown) > 1 else ''} {names}: credstack never "
            "fetches contexts, so a presentation that needs one cannot be read safely",
            f"未知の JSON-LD コンテキストがあります：{names}（credstack はコンテキストを"
            "ネットワークから取得しません）", unknown=unknown, contexts=list(urls))
    return _passed("contexts", f"all {len(urls)} JSON-LD contexts are known",
                   f"JSON-LD コンテキスト {len(urls)} 件はすべて既知です", contexts=list(urls))


# --- proof ----------------------------------------------------------------------------------


def _resolve(state: Any, method: object) -> tuple[VerificationKey, str]:
    return methods.resolve(state.methods, state.resolve_verification_method, method)


def _public_key(state: Any, method: str) -> PublicKey:
    return methods.public_key(state.methods, state.resolve_verification_method, method)

def _proof_refusal(error: CredstackError) -> _Refusal:
    """A proof-level error as the failed verdict it is, with a precise code and reason."""
    problems = _problems(error.problems)
    if isinstance(error, _UnresolvableMethodError):
        return _Refusal("unresolvable-method", error.message,
                        f"検証方法（鍵）{error.method} を解決できません", problems=problems)
    if isinstance(error, SignatureError):
        return _Refusal(
            "signature",
            "the signature does not verify: the presentation (or a credential in it) was "
            f"changed after it was signed, or it was signed with another key ({error.message})",
            "署名が一致しません。署名後にプレゼンテーション（または含まれる証明書）が変更されたか、"
            "別の鍵で署名されています", problems=problems)
    if isinstance(error, UnknownContextError):
        return _Refusal("unknown-context", error.message,
                        f"未知の JSON-LD コンテキストがあります：{error.message}",
                        problems=problems)
    if isinstance(error, UndefinedTermError):
        term = error.problems[0].location if error.problems else "?"
        return _Refusal("undefined-term",
                        f"{error.message}; JSON-LD would drop it silently, so the signature "
                        "would not cover it",
                        f"JSON-LD で定義されていない用語 {term!r} があります。署名の対象から"
                        "外れるため、受け付けません", term=term, problems=problems)
    detail = "; ".join([error.message, *(str(problem) for problem in error.problems)])
    return _Refusal("malformed-proof", f"the proof cannot be checked: {detail}",
                    f"証明の形式が正しくありません：{detail}", problems=problems)


def _secure(presentation: Mapping[str, Any], state: PresentationState
            ) -> tuple[tuple[Mapping[str, Any], Signer], ...]:
    proofs = _items(presentation["proof"])
    if not proofs:
        raise _Refusal("missing-proof", "the presentation's proof set is empty",
                       "プレゼンテーションの証明（署名）が空です")
    for index, proof in enumerate(proofs):
        where = "proof" if len(proofs) == 1 else f"proof[{index}]"
        if not isinstance(proof, Mapping) or not isinstance(proof.get("type"), str):
            raise _Refusal("malformed-proof", f"{where} is not a proof object with a type",
                           f"{where} は type を持つ証明オブジェクトではありません")
    supported = [proof for proof in proofs if _supported(proof)]
    if not supported:
        found = ", ".join(f"{p.get('type')}" + (f" / {p.get('cryptosuite')}"
                                                if "cryptosuite" in p else "") for p in proofs)
        raise _Refusal(
            "unsupported-proof",
            f"no proof uses a suite credstack verifies ({', '.join(sorted(CRYPTOSUITES))}); "
            f"found {found}", f"credstack が検証できる方式の証明がありません（{found}）")
    for proof in supported:
        purpose = proof.get("proofPurpose")
        if purpose != AUTHENTICATION:
            raise _Refusal(
                "proof-purpose",
                f"the proof's purpose is {purpose!r}, not {AUTHENTICATION!r}: a presentation is "
                "signed by its holder to authenticate, and a proof made for another purpose "
                "(an issuer's assertionMethod) must not stand in for that",
                f"証明の目的（proofPurpose）が {purpose!r} です。プレゼンテーションの証明は "
                f"{AUTHENTICATION!r} でなければなりません", found=purpose)
    result = verify_data_integrity(
        presentation, resolve_key=lambda method: _public_key(state, method),
        document_loader=state.document_loader, expected_purpose=AUTHENTICATION,
        skip_unsupported=True)
    signed = []
    for proof, verified in zip(supported, result.proofs, strict=True):
        expires = proof.get("expires")
        if isinstance(expires, str) and _before(expires, state.now):
            raise _Refusal("proof-expired", f"the proof expired at {expires}",
                           f"証明の有効期限（{expires}）が過ぎています", expires=expires)
        controller = _resolve(state, verified.verification_method)[1]
        signed.append((proof, Signer(verified.verification_method, controller,
                                     verified.cryptosuite, verified.created)))
    return tuple(signed)


def _before(moment: str, now: dt.datetime) -> bool:
    """Whether the XML Schema dateTime ``moment`` is before ``now`` (UTC when it has no zone)."""
    try:
        parsed = dt.datetime.fromisoformat(moment.replace("Z", "+00:00"))
    except ValueError:
        return False
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed < now


def check_proof(state: PresentationState) -> Check:
    """``proof``: the holder's Data Integrity proof verifies, for ``authentication``.

    A presentation without a proof passes, with a warning, only when no challenge was asked
    for: nothing then binds it to its holder, and a verifier that needs that asks a challenge.
    """
    presentation = state.presentation
    if presentation is None:
        return _unread("proof")
    if presentation.get("proof") is None:
        if state.challenge is not None:
            return _failed("proof", "missing-proof",
                           "a challenge was given but the presentation has no proof, so its "
                           "holder cannot answer it",
                           "チャレンジが指定されていますが、プレゼンテーションに証明（署名）が"
                           "ありません")
        state.signed = ()
        return _passed(
            "proof", "the presentation has no proof; none is required when no challenge is "
            "given", "プレゼンテーションに証明（署名）はありません（チャレンジの指定がないため"
            "不要です）", code="no-proof",
            warnings=[Notice("unsigned-presentation",
                             "the presentation is not signed: who presented it is not known, "
                             "and it may be a replay; only its credentials were verified",
                             "プレゼンテーションに署名がないため、提示者は確認できません"
                             "（含まれる証明書のみを検証しました）")])
    try:
        signed = _secure(presentation, state)
    except _Refusal as refusal:
        return _refused("proof", refusal)
    except Exception as error:
        cause = _credstack_cause(error)
        if cause is None:
            raise
        return _refused("proof", _proof_refusal(cause))
    state.signed = signed
    signers = [signer for _, signer in signed]
    suites = ", ".join(dict.fromkeys(signer.suite for signer in signers))
    methods = ", ".join(signer.verification_method for signer in signers)
    count = len(signers)
    return _passed("proof", f"{count} proof{'s' if count > 1 else ''} ({suites}) "
                            f"verif{'y' if count > 1 else 'ies'} for authentication: signed by "
                            f"{methods}",
                   f"認証（authentication）の証明 {count} 件（{suites}）を確認しました。"
                   f"署名者：{methods}", proofs=[signer.to_dict() for signer in signers])


# --- challenge and domain -------------------------------------------------------------------

def check_challenge(state: PresentationState) -> Check:
    """``challenge``: every verified proof carries the challenge the verifier gave."""
    if state.presentation is None:
        return _unread("challenge")
    if state.signed is None:
        return _unsigned("challenge")
    asked = state.challenge
    found = [proof.get("challenge") for proof, _ in state.signed]
    if asked is None:
        if any(value is not None for value in found):
            return _passed("challenge", "no challenge was given, so the proof's was not compared",
                           "チャレンジの指定がないため、証明のチャレンジは照合していません",
                           code="not-requested", warnings=[Notice(
                               "challenge-not-compared",
                               "the proof carries a challenge but none was given to compare "
                               "it with: a replayed presentation would not be noticed",
                               "証明にチャレンジがありますが、照合する値が指定されていません"
                               "（再送された提示を見分けられません）")])
        return _passed("challenge", "no challenge was given", "チャレンジの指定はありません",
                       code="not-requested")
    if any(value is None for value in found):
        return _failed("challenge", "challenge-missing",
                       f"the challenge {asked!r} was given but the proof carries none",
                       f"チャレンジ {asked!r} が指定されましたが、証明にチャレンジがありません",
                       expected=asked)
    wrong = [value for value in found if value != asked]
    if wrong:
        return _failed("challenge", "challenge-mismatch",
                       f"the proof answers the challenge {wrong[0]!r}, not {asked!r}: it was "
                       "made for another request (a replay?)",
                       f"証明のチャレンジ {wrong[0]!r} が指定された {asked!r} と一致しません"
                       "（別の要求への応答、または再送の可能性があります）",
                       expected=asked, found=wrong[0])
    return _passed("challenge", f"the proof answers the challenge {asked!r}",
                   f"証明のチャレンジが指定された {asked!r} と一致しました", challenge=asked)


def _domains(value: object) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    return None


def check_domain(state: PresentationState) -> Check:
    """``domain``: every verified proof names the domain the verifier gave."""
    if state.presentation is None:
        return _unread("domain")
    if state.signed is None:
        return _unsigned("domain")
    asked = state.domain
    found = [_domains(proof.get("domain")) for proof, _ in state.signed]
    if asked is None:
        if any(value for value in found):
            return _passed("domain", "no domain was given, so the proof's was not compared",
                           "ドメインの指定がないため、証明のドメインは照合していません",
                           code="not-requested", warnings=[Notice(
                               "domain-not-compared",
                               "the proof names a domain but none was given to compare it "
                               "with: a presentation meant for another verifier would pass",
                               "証明にドメインがありますが、照合する値が指定されていません")])
        return _passed("domain", "no domain was given", "ドメインの指定はありません",
                       code="not-requested")
    if any(not value for value in found):
        return _failed("domain", "domain-missing",
                       f"the domain {asked!r} was given but the proof names none",
                       f"ドメイン {asked!r} が指定されましたが、証明にドメインがありません",
                       expected=asked)
    wrong = next((value for value in found if value is not None and asked not in value), None)
    if wrong is not None:
        shown = ", ".join(wrong)
        return _failed("domain", "domain-mismatch",
                       f"the proof was made for {shown}, not {asked!r}: it was meant for "
                       "another verifier",
                       f"証明のドメイン（{shown}）が指定された {asked!r} と一致しません"
                       "（別の検証者向けの提示です）", expected=asked, found=wrong)
    return _passed("domain", f"the proof names the domain {asked!r}",
                   f"証明のドメインが指定された {asked!r} と一致しました", domain=asked)


# --- holder ---------------------------------------------------------------------------------

def check_holder(state: PresentationState) -> Check:
    """``holder``: the holder the presentation names controls a key that signed it."""
    presentation = state.presentation
    if presentation is None:
        return _unread("holder")
    if "holder" not in presentation:
        return _passed("holder", "the presentation names no holder",
                       "提示者（holder）の記載はありません", code="no-holder")
    holder = _holder_id(presentation)
    if holder is None:
        return _not_checked("holder", "the holder is not a URL (see data-model)",
                            "提示者（holder）が URL ではありません（データモデルを参照）")
    if state.signed is None:
        return _unsigned("holder")
    if not state.signed:
        return _passed("holder", f"the presentation names {holder} as its holder, but is not "
                                 "signed, so that is not confirmed",
                       f"提示者は {holder} と記載されていますが、署名がないため確認していません",
                       code="not-authenticated", holder=holder, warnings=[Notice(
                           "holder-not-authenticated",
                           f"the holder {holder} is stated, not proven: the presentation has no "
                           "proof", f"提示者 {holder} は記載のみで、署名による確認はありません")])
    controllers = [signer.controller for _, signer in state.signed]
    if holder not in controllers:
        signed_by = ", ".join(dict.fromkeys(controllers))
        return _failed("holder", "holder-mismatch",
                       f"the presentation says its holder is {holder}, but it was signed with a "
                       f"key of {signed_by}",
                       f"提示者は {holder} と記載されていますが、{signed_by} の鍵で署名されて"
                       "います", holder=holder, signers=controllers)
    return _passed("holder", f"signed by the holder, {holder}",
                   f"提示者 {holder} 自身が署名しています", holder=holder)


# --- the credentials ------------------------------------------------------------------------

def check_credentials(state: PresentationState) -> Check:
    """``credentials``: each credential in the presentation verifies on its own."""
    presentation = state.presentation
    if presentation is None:
        return _unread("credentials")
    items = _items(presentation.get("verifiableCredential"))
    reports = []
    for item in items:
        report = state.verify_credential(item)
        if not isinstance(report, VerificationReport):
            raise TypeError(f"verify_credential must return a VerificationReport, not {report!r}")
        reports.append(report)
    state.credentials = tuple(reports)
    if not reports:
        return _passed("credentials", "the presentation holds no credential",
                       "証明書は含まれていません", code="no-credentials", count=0)
    failed = [(index, report) for index, report in enumerate(reports) if not report.ok]
    if failed:
        listed = [{"index": index,
                   "checks": [check.name for check in report.checks
                              if check.failed or check.skipped]}
                  for index, report in failed]
        first_index, first = failed[0]
        reason = next((check for check in first.checks if check.failed or check.skipped), None)
        why_en = f" ({reason.name}: {reason.reason_en})" if reason is not None else ""
        why_ja = f"（{reason.name}：{reason.reason_ja}）" if reason is not None else ""
        count = len(failed)
        return _failed(
            "credentials", "credential-not-verified",
            f"{count} of {len(reports)} credential{'s' if len(reports) != 1 else ''} "
            f"do{'es' if count == 1 else ''} not verify; verifiableCredential[{first_index}]"
            f"{why_en}",
            f"{len(reports)} 件中 {count} 件の証明書を検証できませんでした。"
            f"verifiableCredential[{first_index}]{why_ja}",
            count=len(reports), failed=listed)
    count = len(reports)
    verified_en = "the credential verifies" if count == 1 else f"all {count} credentials verify"
    return _passed("credentials", verified_en, f"証明書 {count} 件をすべて検証しました",
                   count=count)


# --- the report -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PresentationReport:
    """Every check of the presentation in the order it ran, and one report per credential.

    The last check, ``credentials``, passes only when every credential verified, so
    :attr:`ok` — computed like a credential's — is true only when the presentation and all its
    credentials are.
    """

    checks: tuple[Check, ...]
    credentials: tuple[VerificationReport, ...] = ()

    @property
    def ok(self) -> bool:
        return VerificationReport(self.checks).ok

    @property
    def presentation(self) -> VerificationReport:
        """The checks about the presentation itself (not the credentials in it)."""
        return VerificationReport(tuple(c for c in self.checks if c.name != "credentials"))

    def check(self, name: str) -> Check | None:
        return VerificationReport(self.checks).check(name)

    def to_dict(self) -> dict[str, Any]:
        """``verified``, ``checks``, ``errors``, ``warnings`` (as for a credential), plus
        ``presentationResult`` (the presentation's own checks) and ``credentialResults`` (one
        credential result per credential, in order)."""
        whole = _titled(VerificationReport(self.checks).to_dict())
        own = _titled(self.presentation.to_dict())
        del whole["meaning"], own["meaning"]
        return {**whole, "presentationResult": own,
                "credentialResults": [report.to_dict() for report in self.credentials]}


def _titled(result: dict[str, Any]) -> dict[str, Any]:
    """A result whose titles speak of a presentation (``parse`` reads one, not a credential)."""
    for check in result["checks"]:
        titles = PRESENTATION_CHECK_TITLES.get(check["check"])
        if titles is not None:
            check["title"] = {"en": titles[0], "ja": titles[1]}
    for item in (*result["errors"], *result["warnings"]):
        titles = PRESENTATION_CHECK_TITLES.get(item["check"])
        if titles is not None:
            item["title"] = titles[0]
    return result


# --- the pipeline ---------------------------------------------------------------------------

#: Every step by the name of the check it adds, in the order they run.
PRESENTATION_STEPS: Final[Mapping[str, PresentationStep]] = {
    "parse": check_parse,
    "data-model": check_data_model,
    "contexts": check_contexts,
    "proof": check_proof,
    "challenge": check_challenge,
    "domain": check_domain,
    "holder": check_holder,
    "credentials": check_credentials,
}


def verify_presentation(
    presentation: Mapping[str, Any] | str | bytes,
    *,
    challenge: str | None = None,
    domain: str | None = None,
    document_loader: DocumentLoader,
    resolve_verification_method: MethodResolver,
    verify_credential: CredentialVerifier,
    now: dt.datetime,
    steps: Sequence[PresentationStep] = tuple(PRESENTATION_STEPS.values()),
) -> PresentationReport:
    """Verify a presentation and every credential in it; every finding is a check.

    ``presentation`` is a VC 2.0 (or 1.1) JSON-LD presentation — a JSON object, or its JSON
    text or bytes — secured with a Data Integrity proof for ``authentication``, or with no
    proof when no ``challenge`` is given. ``challenge`` and ``domain`` are what the verifier
    asked the holder to sign (``None``: not asked). ``document_loader`` serves the JSON-LD
    contexts; ``resolve_verification_method`` resolves methods other than ``did:key``;
    ``verify_credential`` verifies each credential inside; ``now`` is an aware datetime (for a
    proof's ``expires``).

    Raises ``ValueError`` for a naive ``now`` or no steps, ``TypeError`` when a step or a seam
    breaks its contract — never for anything about the presentation.
    """
    if not isinstance(now, dt.datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be a timezone-aware datetime, not {now!r}")
    if not steps:
        raise ValueError("give at least one step")
    state = PresentationState(
        input=presentation, challenge=challenge, domain=domain,
        document_loader=document_loader,
        resolve_verification_method=resolve_verification_method,
        verify_credential=verify_credential, now=now)
    results: list[Check] = []
    for step in steps:
        check = step(state)
        if not isinstance(check, Check):
            raise TypeError(f"the step {step!r} returned {check!r}, not a Check")
        state.results[check.name] = check
        results.append(check)
    return PresentationReport(tuple(results), state.credentials)
