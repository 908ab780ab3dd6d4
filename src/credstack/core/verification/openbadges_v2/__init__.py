"""Verification of Open Badges 2.0 badges — hosted or signed, from any issuer.

Specification: *Open Badges v2.0*, IMS Final Release, 12 April 2018 (revision 21 May 2021) —
https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html — §"Data
Validation", §"Verification", §"HostedBadge Verification", §"SignedBadge Verification",
§"Revocation List"; where it is silent, the rules of the 1EdTech public validator
(:mod:`credstack.core.credentials.openbadges_v2` names them and the few places credstack is
stricter).

:func:`verify_badge` runs a list of steps over a shared :class:`Ob2State` with the one runner
(:mod:`credstack.core.verification.runner`), each returning one
:class:`~credstack.core.verification.report.Check` — the same report an Open Badges 3.0
credential gets (:mod:`credstack.core.verification.pipeline`), so that one page or one API
answer can show either:

``parse``       the input: an assertion's JSON, a signed badge (compact JWS), or the URL of
                a hosted assertion (fetched); other Badge Objects (a BadgeClass, a Profile)
                are read too, and only validated;
``proof``       hosted: the assertion as its issuer serves it at its ``id`` — "the input data
                should only be trusted to identify the URI", the served copy is verified;
                signed: the JWS signature, with a key the issuer's Profile lists
                (``verification.creator`` when the assertion names one), fetched from its
                URL, owned by the issuer; ``alg: none`` and a key of the wrong kind refused;
``contexts``    the Open Badges 2.0 context (no JSON-LD context is ever fetched);
``data-model``  the assertion, its BadgeClass and its issuer Profile: every required
                property, every value of its type, extensions with their own context;
``issuer``      hosted: the assertion's id within its issuer's verification policy
                (``startsWith``, ``allowedOrigins``, by default the issuer's own origin);
                signed: the key is the issuer's;
``validity``    issued (``issuedOn``) not in the future, not expired (``expires``);
``status``      not revoked: ``revoked: true`` on a hosted assertion, an entry in the
                issuer's ``RevocationList``;
``recipient``   when a recipient is given (an e-mail address …), the assertion's
                ``IdentityObject`` names it (salted SHA-256 or MD5 hash, or plain);
``meaning``     information: the badge as its Open Badges 3.0 equivalent
                (:mod:`credstack.core.credentials.conversions`), the micro-credential
                descriptors it carries, conformance per framework profile, the registry —
                read as every format's meaning is (:mod:`credstack.core.verification.meaning`).

One module per step or two: ``parse`` (:mod:`.parse`), ``proof`` (:mod:`.proof`),
``contexts`` and ``data-model`` (:mod:`.data_model`), ``issuer``, ``validity``, ``status`` and
``recipient`` (:mod:`.validity`), ``meaning`` (:mod:`.meaning`); the state and the graph of
fetched documents in :mod:`.graph`, the list and the recipe in :mod:`.steps`.

The seams are parameters: ``fetch`` returns the bytes at an http(s) URL (``None`` for 404
and 410) — the adapter's does it with limits, refuses private addresses and follows a few
redirects, each hop checked (a refused hop is a
:class:`~credstack.errors.RedirectRefusedError`, reported as ``redirect-refused``).
Redirects do not rename a document: what is served must call itself by the URL it was
requested from (a hosted assertion by its own ``id``, else ``id-mismatch``); ``now`` is the
time; ``programme_lookup`` finds the registry record of an achievement. Nothing here does
I/O or reads the clock. Verdict versus error: everything about the badge is a check; the
function raises only for a naive ``now`` or an empty list of checks.
"""

from __future__ import annotations

from credstack.core.verification.openbadges_v2.data_model import check_contexts, check_data_model
from credstack.core.verification.openbadges_v2.graph import DocumentFetcher, Ob2State, Ob2Step
from credstack.core.verification.openbadges_v2.meaning import check_meaning
from credstack.core.verification.openbadges_v2.parse import check_parse
from credstack.core.verification.openbadges_v2.proof import check_proof
from credstack.core.verification.openbadges_v2.steps import DEFAULT_CHECKS, STEPS, verify_badge
from credstack.core.verification.openbadges_v2.validity import (
    check_issuer,
    check_recipient,
    check_status,
    check_validity,
)

__all__ = [
    "DEFAULT_CHECKS",
    "STEPS",
    "DocumentFetcher",
    "Ob2State",
    "Ob2Step",
    "check_contexts",
    "check_data_model",
    "check_issuer",
    "check_meaning",
    "check_parse",
    "check_proof",
    "check_recipient",
    "check_status",
    "check_validity",
    "verify_badge",
]
