"""Cryptosuites: *how* a proof is made and checked, one module per specification.

* :mod:`.eddsa_rdfc_2022` and :mod:`.eddsa_jcs_2022` — Data Integrity EdDSA Cryptosuites v1.0;
* :mod:`.ecdsa_rdfc_2019` and :mod:`.ecdsa_jcs_2019` — Data Integrity ECDSA Cryptosuites v1.0
  (P-256 and P-384);
* :mod:`.ecdsa_sd_2023` — the same specification's selective disclosure suite (P-256): base
  proofs, derived proofs, their verification; built from :mod:`.selective_disclosure` (the
  specification's selective disclosure functions) and :mod:`._ecdsa_sd_values` (its CBOR
  proof values);
* :mod:`.ed25519_signature_2020` and :mod:`.ed25519_signature_2018` — the older Linked Data
  Signature proof types (W3C CCG reports), named by the proof's ``type``;
* the algorithms both RDFC suites share in :mod:`._rdfc`, both JCS suites in :mod:`._jcs`,
  both Linked Data Signatures in :mod:`._linked_data`, and what every suite checks alike in
  :mod:`._common`;
* :mod:`.vc_jwt` — Securing Verifiable Credentials using JOSE (compact JWS, ``vc+jwt``).

The Data Integrity orchestration (proof sets, chains, purposes, key resolution) lives in
:mod:`credstack.core.proofs.data_integrity`; callers normally go through it.
"""
