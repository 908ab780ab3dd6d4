"""Issuing and verifying CLR 2.0 ``ClrCredential`` bundles (see
:mod:`credstack.core.credentials.clr_v2`).

:func:`issue_clr` bundles credentials credstack issued (read from the store by id) and
imported ones (documents as given: JSON credentials or VC-JWTs) and signs the bundle as the
organisation. :func:`verify_clr` checks the CLR's own proof and structure, then every nested
credential with the ordinary verifier, and reports each.

**Why eddsa-jcs-2022 or VC-JWT, never eddsa-rdfc-2022.** The CLR 2.0 JSON-LD context
(``https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json``) is not bundled with credstack
— no package registry publishes it, and credstack never fetches contexts at run time — so the
CLR cannot be expanded or RDF-canonicalized here. JCS (JSON canonicalization) and VC-JWT sign
the JSON as it is and need no context processing. For the same reason the pipeline's
``contexts`` check would refuse the CLR itself, so :func:`verify_clr` verifies the outer proof
directly (the issuer's key through the verification sources) and hands only the nested
credentials, whose contexts are bundled, to :func:`credstack.adapters.verifier.verify`.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from sqlalchemy.orm import Session

from credstack.adapters import issuance, keystore, verifier
from credstack.adapters.db.repositories import credentials as credential_store
from credstack.core.credentials import clr_v2
from credstack.core.crypto.keys import PublicKey
from credstack.core.proofs import data_integrity
from credstack.core.proofs.cryptosuites import vc_jwt
from credstack.core.verification.checks import failed, not_checked, passed, problem_dicts
from credstack.core.verification.report import Check, VerificationReport
from credstack.errors import (
    CredstackError,
    InputError,
    Problem,
    VerificationMethodUnavailableError,
)

__all__ = ["CLR_SECURINGS", "issue_clr", "verify_clr"]

#: How a CLR can be secured (see the module docstring for why not eddsa-rdfc-2022).
CLR_SECURINGS: Final = ("eddsa-jcs-2022", "vc-jwt")


def _loaded(document: str) -> Mapping[str, Any] | str:
    text = document.strip()
    if text.startswith("{"):
        loaded = json.loads(text)
        if not isinstance(loaded, dict):
            raise InputError("a credential must be a JSON object or a VC-JWT")
        return loaded
    return text


def _learner(credentials: Sequence[Mapping[str, Any] | str]
             ) -> tuple[str | None, list[Mapping[str, Any]]]:
    """The learner's id and identifiers, read from the first JSON credential that has them."""
    for credential in credentials:
        if isinstance(credential, str):
            try:
                credential = clr_v2.jwt_payload(credential)
            except (CredstackError, ValueError):
                continue
        subject = credential.get("credentialSubject")
        if not isinstance(subject, Mapping):
            continue
        identifiers = subject.get("identifier")
        identifiers = [i for i in (identifiers if isinstance(identifiers, list)
                                   else [identifiers]) if isinstance(i, Mapping)]
        subject_id = subject.get("id") if isinstance(subject.get("id"), str) else None
        if subject_id is not None or identifiers:
            return subject_id, identifiers
    return None, []


def issue_clr(sessions: Callable[[], Session], *, organisation: str,
              credential_ids: Sequence[str] = (),
              imported: Sequence[Mapping[str, Any] | str] = (),
              secret: keystore.MasterKey, public_url: str,
              securing: str = "eddsa-jcs-2022", now: dt.datetime,
              name: str | None = None, clr_id: str | None = None,
              subject_id: str | None = None) -> str:
    """The signed ``ClrCredential`` as text: JSON (eddsa-jcs-2022) or a compact JWS (vc-jwt).

    Our credentials are bundled exactly as stored; ``imported`` ones as given (JSON objects,
    or VC-JWT text). The learner is ``subject_id`` or, without one, the subject of the first
    bundled credential that names one.
    """
    if securing not in CLR_SECURINGS:
        raise InputError(f"a CLR is secured with {' or '.join(CLR_SECURINGS)}, not "
                         f"{securing!r} (the CLR 2.0 JSON-LD context is not bundled)")
    with sessions() as session:
        credentials: list[Mapping[str, Any] | str] = [
            _loaded(credential_store.get_credential(session, credential_id=cid).document)
            for cid in credential_ids]
        credentials += [_loaded(c) if isinstance(c, str) else c for c in imported]
        signer = issuance.signer_for(session, organisation=organisation, secret=secret,
                                     public_url=public_url)
    learner_id, identifiers = _learner(credentials)
    document = clr_v2.build_clr_credential(
        credentials, issuer=signer.profile, clr_id=clr_id or f"urn:uuid:{uuid.uuid4()}",
        valid_from=now, name=name or "Comprehensive Learner Record",
        subject_id=subject_id or learner_id, identifiers=identifiers if not subject_id else ())
    return issuance._secure(document, signer=signer, method=signer.identities[signer.did],
                            securing=securing, alg="EdDSA", now=now)


# --- verification ---------------------------------------------------------------------------

def _parse(data: bytes | str | Mapping[str, Any]) -> Mapping[str, Any] | str:
    if isinstance(data, Mapping):
        return data
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return _loaded(text)


def _issuer_id(document: Mapping[str, Any]) -> str | None:
    issuer = document.get("issuer")
    found = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return found if isinstance(found, str) else None


def _outer_proof(secured: Mapping[str, Any] | str,
                 resolve: Callable[[str], tuple[Any, str]]
                 ) -> tuple[Mapping[str, Any], Check]:
    """The CLR document and its proof check (the key's controller must be the issuer)."""
    controllers: list[str] = []

    def resolve_key(method: str) -> Any:
        key, controller = resolve(method)
        controllers.append(controller)
        return key

    if isinstance(secured, str):
        try:
            document: Mapping[str, Any] = clr_v2.jwt_payload(secured)
        except (CredstackError, ValueError):
            document = {}
        try:
            verified = vc_jwt.verify(secured, resolve_key=resolve_key)
        except (CredstackError, ValueError) as exc:
            return document, failed("clr-proof", "signature", f"the CLR's JWS does not verify: "
                                    f"{exc}", f"CLR の JWS 署名を検証できません：{exc}")
        document, how = verified.credential, "VC-JWT"
    else:
        document = secured

        def public_key(method: str) -> PublicKey:
            key = resolve_key(method)
            if not isinstance(key, PublicKey):
                raise VerificationMethodUnavailableError(f"{method} is not an Ed25519 key")
            return key

        try:
            data_integrity.verify(document, resolve_key=public_key,
                                  document_loader=verifier.shared_document_loader())
        except (CredstackError, ValueError) as exc:
            problems = getattr(exc, "problems", ())
            return document, failed("clr-proof", "signature",
                                    f"the CLR's proof does not verify: {exc}",
                                    f"CLR の証明（署名）を検証できません：{exc}",
                                    problems=problem_dicts(list(problems)))
        how = "Data Integrity"
    issuer = _issuer_id(document)
    if issuer is None or any(controller != issuer for controller in controllers):
        return document, failed("clr-proof", "issuer-mismatch",
                                "the CLR is not signed with a key of its issuer",
                                "CLR が発行者の鍵で署名されていません",
                                issuer=issuer, controllers=controllers)
    return document, passed("clr-proof", f"the CLR's {how} proof verifies as {issuer}",
                            f"CLR の証明（{how}）は {issuer} の署名として検証されました",
                            issuer=issuer, controllers=controllers)


def _validity(document: Mapping[str, Any], now: dt.datetime) -> Check:
    def moment(name: str) -> dt.datetime | None:
        value = document.get(name)
        if not isinstance(value, str):
            return None
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)

    try:
        start, end = moment("validFrom"), moment("validUntil")
    except ValueError:
        return failed("clr-validity", "malformed", "the CLR's validity dates cannot be read",
                      "CLR の有効期間を読み取れません")
    if start is not None and now < start:
        return failed("clr-validity", "not-yet-valid", "the CLR is not valid yet",
                      "CLR はまだ有効ではありません", validFrom=document.get("validFrom"))
    if end is not None and now > end:
        return failed("clr-validity", "expired", "the CLR has expired",
                      "CLR の有効期限が切れています", validUntil=document.get("validUntil"))
    return passed("clr-validity", "the CLR is within its validity period",
                  "CLR は有効期間内です")


def verify_clr(data: bytes | str | Mapping[str, Any], *,
               sources: verifier.VerificationSources | None = None,
               now: dt.datetime | None = None) -> VerificationReport:
    """Verify a ``ClrCredential`` and each credential it bundles.

    Checks: ``clr-proof`` (the outer proof, by a key of the CLR's issuer), ``clr-structure``
    (the CLR 2.0 shape), ``clr-validity``, and ``credential[i]`` per nested credential —
    passed only when that credential's own verification (proof, issuer, status, validity …)
    is ok; its full report is in the check's details. Never raises for a bad CLR.
    """
    moment = now if now is not None else dt.datetime.now(dt.UTC)
    resolve = (sources.resolve_verification_method if sources is not None
               else verifier.resolve_verification_method)
    try:
        secured = _parse(data)
    except (CredstackError, ValueError) as exc:
        return VerificationReport((failed("clr-structure", "unreadable",
                                          f"the CLR cannot be read: {exc}",
                                          f"CLR を読み取れません：{exc}"),))
    document, proof = _outer_proof(secured, resolve)
    checks: list[Check] = [proof]
    problems: list[Problem] = clr_v2.structure_problems(document)
    if problems:
        checks.append(failed("clr-structure", "data-model", "the document is not a CLR 2.0 "
                             "ClrCredential", "CLR 2.0 の ClrCredential ではありません",
                             problems=problem_dicts(problems)))
        return VerificationReport(tuple(checks))
    checks.append(passed("clr-structure", "the document is a CLR 2.0 ClrCredential",
                         "CLR 2.0 の ClrCredential です"))
    checks.append(_validity(document, moment))
    for index, entry in enumerate(clr_v2.nested_credentials(document)):
        name = f"credential[{index}]"
        if not isinstance(entry, Mapping):
            checks.append(not_checked(name, "not a JSON object", "JSON オブジェクトではありません"))
            continue
        report = verifier.verify(entry, now=moment, sources=sources)
        details = report.to_dict()
        if report.ok:
            checks.append(passed(name, f"nested credential {index} verifies",
                                 f"{index} 番目の証明は検証されました", report=details))
        else:
            codes = ", ".join(check.name for check in report.failed) or "not verified"
            checks.append(failed(name, "nested-credential",
                                 f"nested credential {index} does not verify ({codes})",
                                 f"{index} 番目の証明を検証できません（{codes}）",
                                 report=details))
    return VerificationReport(tuple(checks))
