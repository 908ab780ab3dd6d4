"""What a VC-API issue request gets back: the stored credential, as the VC-API returns it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from credstack.core.credentials import securing as securing_forms

__all__ = ["Issued", "returned"]


def returned(document: str, securing: str) -> dict[str, Any]:
    """What the VC-API returns for a stored credential: the JSON, or the secured form
    enveloped (:func:`credstack.core.credentials.securing.enveloped`)."""
    return securing_forms.enveloped(document, securing)


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
