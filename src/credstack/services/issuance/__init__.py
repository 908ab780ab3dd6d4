"""Issuing credentials: signed one by one or as a cohort (:mod:`.service`, :mod:`.cohorts`,
:mod:`.credentials`), their e-mails (:mod:`.emails`), revoked, suspended and reissued
(:mod:`.status`, :mod:`.reissues`), their status lists (:mod:`.status_lists`), the
organisations' signing keys (:mod:`.keys`), a batch's downloads (:mod:`.downloads`).

The other service packages use the names below: the credit bank, recognitions, the CLR and
OID4VCI sign through issuance; the registry and federation name achievements as it does; the
verifier reads this deployment's own status lists; the workspace manages the keys; the
worker runs cohorts and downloads; the registrar's documents sign through issuance and
share one status entry per record.
"""

from credstack.services.issuance.cohorts import issue_cohort
from credstack.services.issuance.credentials import credential_document
from credstack.services.issuance.downloads import PdfCount, batch_pdfs, batch_summary
from credstack.services.issuance.keys import (
    IssuerKeyPublic,
    IssuerPublic,
    create_key,
    issuer,
    rotate_key,
)
from credstack.services.issuance.keys import keys as issuer_keys
from credstack.services.issuance.service import (
    SECURINGS,
    Signer,
    achievement_url,
    issue_document,
    secure_document,
    signer_for,
    status_list_url,
)
from credstack.services.issuance.status_lists import own_list_generation, own_status_list

__all__ = ["SECURINGS", "IssuerKeyPublic", "IssuerPublic", "PdfCount", "Signer",
           "achievement_url", "batch_pdfs", "batch_summary", "create_key", "credential_document",
           "issue_cohort",
           "issue_document", "issuer", "issuer_keys", "own_list_generation", "own_status_list",
           "rotate_key", "secure_document", "signer_for", "status_list_url"]
