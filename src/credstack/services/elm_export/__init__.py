"""European Digital Credentials and ELM datasets made from what credstack holds (issue 44):
a credential credstack issued, sealed as an EDC for its issuer's staff and its learner, and a
published programme as an ELM dataset (the mapping: :mod:`credstack.core.elm`)."""

from credstack.services.elm_export.service import (
    EdcFile,
    credential_edc,
    programme_dataset,
    wallet_edc,
)

__all__ = ["EdcFile", "credential_edc", "programme_dataset", "wallet_edc"]
