"""The learner's wallet: identifiers and holder key, credentials kept and checked, the record,
collections, share links, presentations and the archive (issue 14).

Every function takes the :class:`~credstack.core.access.Actor` and works on the principal's
own wallet only (``wallet:read`` / ``wallet:write``, self-service: see
:mod:`credstack.core.access.policy`); nothing here reaches another learner's wallet.

The other service packages use the names below: OID4VCI, OID4VP and the hosting API put
credentials into a wallet and read its holder; the credit bank re-checks a credential kept;
the employer's comparison opens a share link; the registrar's delivery links verify with the
wallet's sources (this deployment's store first).
"""

from credstack.services.wallet.credentials import (
    Imported,
    credential_text,
    deliver_awarded,
    deliver_issued,
    import_credential,
    recheck,
)
from credstack.services.wallet.holders import (
    holder_key,
    identifiers_of,
    learner_names,
    open_wallet,
    wallet_owner,
)
from credstack.services.wallet.items import WalletItem, issued_here, owned_row
from credstack.services.wallet.sharing import issued_credential, open_share
from credstack.services.wallet.sources import sources as verification_sources
from credstack.services.wallet.upserts import discard as discard_credential
from credstack.services.wallet.upserts import replace as replace_credential

__all__ = [
    "Imported",
    "WalletItem",
    "credential_text",
    "deliver_awarded",
    "deliver_issued",
    "discard_credential",
    "holder_key",
    "identifiers_of",
    "import_credential",
    "issued_credential",
    "issued_here",
    "learner_names",
    "open_share",
    "open_wallet",
    "owned_row",
    "recheck",
    "replace_credential",
    "verification_sources",
    "wallet_owner",
]
