"""OpenID Federation 1.0: entity statements, trust marks, metadata policies, trust chains.

OpenID Federation 1.0, draft 48 — 1 February 2026 —
https://openid.net/specs/openid-federation-1_0.html

Pure rules, no store and no clock (``now`` is a parameter):

* :mod:`~credstack.core.federation.statements` — the signed JWTs (``entity-statement+jwt``,
  ``trust-mark+jwt``, ``resolve-response+jwt``, ``trust-mark-status-response+jwt``), the
  federation keys' JWKs, and the checks every statement passes (§3.2);
* :mod:`~credstack.core.federation.providers` — what credstack's registry says about a
  recognised provider: its entity configuration, the trust anchor's subordinate statement
  about it and its trust marks (the claims, before they are signed);
* :mod:`~credstack.core.federation.trust_marks` — the claims of a trust mark and its
  validation (§7.4);
* :mod:`~credstack.core.federation.policy` — metadata policies: the standard operators,
  their merge down a chain and their application (§6.1);
* :mod:`~credstack.core.federation.chains` — collecting a trust chain through the authority
  hints (refusing loops) and validating it (§10.2).

Every refusal is a :class:`~credstack.errors.TrustChainError` whose ``reason`` names the rule.
"""
