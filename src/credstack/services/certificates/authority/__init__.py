"""Each organisation's certificate authority and document-signing certificate (X.509).

A signed PDF certificate carries a PAdES signature, and PDF signatures are X.509: the signer
holds a certificate, issued by a certificate authority the verifier trusts. credstack gives
every organisation two certificates, kept in ``organisation_certificates``:

* its **authority** — by default a self-signed root made by credstack (ECDSA P-256, ten years,
  ``basicConstraints: CA, pathlen 0``, ``keyUsage: keyCertSign, cRLSign``); or an **external**
  CA the organisation already runs, given as a certificate and its private key
  (``credstack certificate ca create --ca-cert … --ca-key …``). The external key is used once,
  to issue the signing certificate, and is never stored: credstack keeps the certificate only.
* its **document-signing certificate**, issued by that authority for a P-256 key credstack
  generates: ``keyUsage: digitalSignature, nonRepudiation`` (critical), ``extendedKeyUsage:
  documentSigning`` (RFC 9336) and ``emailProtection`` (which NSS, hence poppler's
  ``pdfsig``, requires of a signer when an extended key usage is present), the organisation's
  did:web as a ``subjectAltName`` URI, the authority's key identifier and, under an authority
  credstack holds the key of, a ``cRLDistributionPoints`` URL (:func:`crl_url`).

**Revocation.** A signing certificate can be revoked (:func:`revoke_signing`: an RFC 5280
reason and a time), which also retires it, so that the next PDF is signed under a new one.
Each authority credstack holds the key of publishes a certificate revocation list (RFC 5280
§5, DER, ``application/pkix-crl``) at :func:`crl_url`: signed by the authority's key, valid
for :data:`CRL_VALIDITY`, re-signed when a certificate is revoked or when it is older than
:data:`CRL_REFRESH` (:func:`current_crl`), each with a higher ``cRLNumber``. An external
authority publishes its own CRLs: credstack records a revocation under it (and its own
verifier honours it) but cannot sign a list for it. Signing embeds the current CRL in the PDF
(:mod:`credstack.services.certificates.service`), so that it can be verified offline.

Private keys never leave the key store: credstack's own keys (the root's and the signing
key) are made and sealed by :mod:`credstack.adapters.keystore` exactly like issuer keys, and
opened only for one signing. ECDSA P-256 because the key store holds P-256 keys, signing is
fast (~0.05 ms), signatures are small, and both pyHanko and poppler (NSS) verify it.

Certificates are never deleted. ``create_authority(replace=True)`` retires the current pair
and makes a new one; PDFs signed under a retired authority keep verifying, as credentials
signed with retired issuer keys do. A verifier finds the authority of a PDF's signer by the
``authorityKeyIdentifier`` of its certificate (:func:`find_authority`).
"""

from __future__ import annotations

from credstack.services.certificates.authority.certificates import CRL_REFRESH as CRL_REFRESH
from credstack.services.certificates.authority.certificates import CRL_VALIDITY as CRL_VALIDITY
from credstack.services.certificates.authority.certificates import DEFAULT_YEARS as DEFAULT_YEARS
from credstack.services.certificates.authority.certificates import (
    DOCUMENT_SIGNING as DOCUMENT_SIGNING,
)
from credstack.services.certificates.authority.certificates import AuthorityInfo as AuthorityInfo
from credstack.services.certificates.authority.certificates import (
    ExternalAuthority as ExternalAuthority,
)
from credstack.services.certificates.authority.certificates import FoundAuthority as FoundAuthority
from credstack.services.certificates.authority.certificates import Revocation as Revocation
from credstack.services.certificates.authority.certificates import (
    RevocationReason as RevocationReason,
)
from credstack.services.certificates.authority.certificates import Role as Role
from credstack.services.certificates.authority.certificates import (
    SigningIdentity as SigningIdentity,
)
from credstack.services.certificates.authority.certificates import _describe as _describe
from credstack.services.certificates.authority.certificates import _new_key as _new_key
from credstack.services.certificates.authority.certificates import _row as _row
from credstack.services.certificates.authority.certificates import _unseal as _unseal
from credstack.services.certificates.authority.certificates import (
    authority_key_id as authority_key_id,
)
from credstack.services.certificates.authority.certificates import (
    load_external_authority as load_external_authority,
)
from credstack.services.certificates.authority.revocation import (
    CertificateStatus as CertificateStatus,
)
from credstack.services.certificates.authority.revocation import (
    StoreAuthorities as StoreAuthorities,
)
from credstack.services.certificates.authority.revocation import (
    certificate_revocation as certificate_revocation,
)
from credstack.services.certificates.authority.revocation import current_crl as current_crl
from credstack.services.certificates.authority.revocation import find_authority as find_authority
from credstack.services.certificates.authority.revocation import revoke_signing as revoke_signing
from credstack.services.certificates.authority.stored import _active as _active
from credstack.services.certificates.authority.stored import _info as _info
from credstack.services.certificates.authority.stored import _open as _open
from credstack.services.certificates.authority.stored import authority_info as authority_info
from credstack.services.certificates.authority.stored import create_authority as create_authority
from credstack.services.certificates.authority.stored import crl_url as crl_url
from credstack.services.certificates.authority.stored import signing_identity as signing_identity

__all__ = [
    "CRL_REFRESH",
    "CRL_VALIDITY",
    "DEFAULT_YEARS",
    "AuthorityInfo",
    "CertificateStatus",
    "ExternalAuthority",
    "FoundAuthority",
    "Revocation",
    "RevocationReason",
    "Role",
    "SigningIdentity",
    "StoreAuthorities",
    "authority_info",
    "certificate_revocation",
    "create_authority",
    "crl_url",
    "current_crl",
    "find_authority",
    "load_external_authority",
    "revoke_signing",
    "signing_identity",
]

