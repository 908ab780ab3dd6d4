"""One verifier for every format credstack reads: it tells the format, then verifies it.

=============================== ===============================================================
input                           verified by
=============================== ===============================================================
``%PDF-`` bytes                 :mod:`credstack.services.certificates.verification` (signature,
                                changes after signing, then the credential it carries) under
                                this deployment's authorities (:mod:`.certificates`)
a PNG or SVG image              the credential baked into it (:mod:`credstack.services.badges`),
                                then as whatever that credential is
Open Badges 2.0                 :mod:`credstack.services.openbadges_v2`: an assertion's JSON
                                (``@context`` …/openbadges/v2 or ``type: Assertion``), a signed
                                badge (a JWS whose payload is an assertion), or a URL
a European Digital Credential  :mod:`credstack.services.elm` (its JAdES seal, the seal's
                                certificate and trust, the EDC shapes and EBSI's schema)
a CLR 2.0 ``ClrCredential``    :mod:`credstack.services.clr` (the CLR's proof, then every
                                credential it bundles)
a Verifiable Presentation       :func:`credstack.services.verification.service.
                                verify_presentation` (its proof, no challenge asked, then
                                every credential it holds), reported as one credential report
                                that says it was a presentation and holds each credential's
                                report (a VP-JWT, bare or enveloped, is verified by its JWS)
anything else                   :mod:`credstack.services.verification`: VC 2.0 / Open Badges
                                3.0 JSON with Data Integrity proofs, a VC-JWT, an SD-JWT, a
                                COSE_Sign1 (``vc+cose`` bytes), an enveloped VC
=============================== ===============================================================

Every path returns a :class:`~credstack.core.verification.VerificationReport`, so the CLI, the
API and the page show every format the same way. A PDF needs the store (its trust anchors are
the organisations' certificate authorities); without one it is refused with a clear error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from credstack.adapters.db.transactions import Session
from credstack.core.verification import VerificationReport
from credstack.core.verification.formats import detect
from credstack.core.verification.given_keys import GivenKeys
from credstack.errors import UnreadableInputError
from credstack.services import badges as baked
from credstack.services import clr, elm, openbadges_v2
from credstack.services import verification as verifier
from credstack.services.formats.certificates import verify_pdf_with_store
from credstack.settings import Settings
from credstack.words import words

__all__ = ["detect", "verify_any"]

def verify_any(data: bytes | str | Mapping[str, Any], *,
               sources: verifier.VerificationSources | None,
               now: dt.datetime | None = None,
               settings: Settings | None = None,
               sessions: Callable[[], Session] | None = None,
               recipient: str | None = None,
               checks: Any = None,
               strict: bool = False,
               kind: str | None = None,
               offline: bool = False, keys: GivenKeys | None = None) -> VerificationReport:
    """Verify ``data`` in whatever format it is (see the module docstring).

    ``checks`` (VC-API ``options.checks``, as pipeline steps) applies to VC credentials (and
    to those a presentation holds);
    ``recipient`` (an e-mail address) to Open Badges 2.0; ``strict`` (conformance findings
    fail the verdict) to every format. ``kind``: what :func:`detect` said of ``data``, when
    the caller has asked already. ``offline``: nothing is fetched (with ``sources``, their
    own ``offline`` says so too); what needed a fetch could not be checked. ``keys``: keys
    the caller gives for a credential's or presentation's methods
    (:mod:`credstack.core.verification.given_keys`).
    """
    moment = now if now is not None else dt.datetime.now(dt.UTC)
    kind = kind or detect(data)
    if kind == "pdf":
        if settings is None or sessions is None:
            raise UnreadableInputError(
                "A PDF certificate is verified against the certificate authorities of a "
                "credstack store; run with --data-dir (or CREDSTACK_DATABASE_URL) set.")
        assert not isinstance(data, Mapping)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        return dataclasses.replace(verify_pdf_with_store(raw, settings=settings,
                                                         sessions=sessions, now=moment).report,
                                   strict=strict)
    if kind == "image":
        assert not isinstance(data, Mapping)
        extracted = baked.extract_credential(data.encode("utf-8") if isinstance(data, str)
                                             else data)
        return verify_any(extracted.text, sources=sources, now=moment, settings=settings,
                          sessions=sessions, recipient=recipient, checks=checks,
                          strict=strict, offline=offline, keys=keys)
    if kind == "ob2":
        if settings is not None and sessions is not None \
                and not isinstance(sources, openbadges_v2.Ob2Sources):
            # This deployment's own /ob2/ documents come from its store, never fetched.
            asked = offline or (sources is not None and sources.offline)
            sources = openbadges_v2.Ob2Sources.from_settings(
                settings, sessions, offline=True if asked else None)

        text = data if isinstance(data, Mapping) else (
            data.decode("utf-8", errors="replace").strip() if isinstance(data, bytes)
            else data.strip())
        return dataclasses.replace(
            openbadges_v2.verify_ob2(text, recipient=recipient, now=moment, sources=sources,
                                     offline=offline), strict=strict)
    if kind == "edc":
        return elm.verify(data, settings=settings, now=moment, strict=strict)
    if kind == "clr":
        return clr.verify_clr(data, sources=sources, now=moment, strict=strict, offline=offline)
    if kind == "vp":
        # Given where a credential was expected: nobody asked the holder a challenge.
        return verifier.verify_presentation(
            data, challenge=None, domain=None, checks=checks, now=moment,
            sources=sources, strict=strict, offline=offline,
            keys=keys).as_verification_report(words)
    return verifier.verify(data, checks=checks, now=moment, sources=sources, strict=strict,
                           offline=offline, keys=keys)
