"""What a VC-API issue request gets back: the stored credential, as the VC-API returns it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from credstack.core.credentials import issue_requests

__all__ = ["Issued", "returned"]


def returned(document: str, securing: str) -> dict[str, Any]:
    """What the VC-API returns for a stored credential: the JSON, or the JWT enveloped."""
    if securing == "vc-jwt":
        # VC Data Model 2.0 §4.3: an ordered set (one URL, as a JSON array, which the W3C
        # suite reads as such) whose first item is the base context.
        return {"@context": [issue_requests.VC_V2_CONTEXT_URL],
                "id": f"data:application/vc+jwt,{document}",
                "type": "EnvelopedVerifiableCredential"}
    loaded: dict[str, Any] = json.loads(document)
    return loaded


@dataclass(frozen=True, slots=True)
class Issued:
    credential_id: str
    securing: str
    document: str
    #: The credential was issued by an earlier, identical request and is returned again
    #: (nothing was signed, stored or sent this time).
    replayed: bool = False

    def to_json(self) -> dict[str, Any]:
        return returned(self.document, self.securing)
