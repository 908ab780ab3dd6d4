"""What a VC-API issue request gets back: the stored credential, as the VC-API returns it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

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

    def answer(self) -> bytes:
        """The VC-API's answer, ``{"verifiableCredential": …}``, as JSON text: a Data
        Integrity credential's stored JSON text put in as it is (it is the signed
        credential's JSON; read and written out again, it cost a served issue two passes
        over it), an enveloped one's envelope written out."""
        if securing_forms.media_type(self.document, self.securing) is None:
            return b'{"verifiableCredential":' + self.document.encode() + b"}"
        return orjson.dumps({"verifiableCredential": self.to_json()})
