"""A wallet credential's original, given back byte for byte as a download that never renders
in this site's origin (the wallet's pages and its JSON API both serve it).

An uploaded SVG may hold what a browser would run if it opened the file in place, so the
original is always an attachment (``Content-Disposition``), never sniffed into another type
(``X-Content-Type-Options: nosniff``), and sandboxed should a browser render it anyway
(``Content-Security-Policy: sandbox``: a document of no origin, where no script runs, nothing
is loaded and no form posts). It is the learner's own: never cached.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import quote

from fastapi.responses import Response

from credstack.services.certificates.service import CertificatePdf
from credstack.services.wallet.items import WalletItem

#: The file extension of a download, by media type.
_EXTENSIONS: Final = {"application/json": ".json", "application/vc+jwt": ".jwt",
                      "image/png": ".png", "image/svg+xml": ".svg", "application/pdf": ".pdf"}


def download_name(item: WalletItem) -> str:
    """The name the file was imported under, else ``credential-<id>.<extension>``."""
    return item.filename or f"credential-{item.public_id}{_EXTENSIONS.get(item.media_type, '')}"


def original_download(data: bytes, item: WalletItem) -> Response:
    """``data``, the original of ``item``, as a download that never renders here."""
    name = download_name(item)
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", name) or "credential"
    return Response(data, media_type=item.media_type, headers={
        "Content-Disposition": f"attachment; filename=\"{fallback}\"; "
                               f"filename*=UTF-8''{quote(name, safe='')}",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "no-store"})


def certificate_download(made: CertificatePdf) -> Response:
    """A signed PDF certificate as a download."""
    return Response(made.data, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{made.filename}"',
        "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})
