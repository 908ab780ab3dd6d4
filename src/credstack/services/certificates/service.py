"""Signed PDF certificates: layout (reportlab), Japanese type, the QR code, PAdES signing.

The recipe the API and the CLI call is :func:`certificate_pdf`: read an issued credential
from the store, say what its certificate says (:func:`credstack.core.certificates.
certificate_content`), lay it out on one A4 landscape page, attach the credential itself,
and sign the whole with the organisation's document-signing key
(:mod:`credstack.services.certificates.authority`).

Choices, and why:

* **reportlab** draws the page. Its TrueType support cannot read the Japanese fonts Debian
  ships (Noto Sans CJK, ``fonts-noto-cjk``: OpenType with CFF outlines), so the text is set
  in :class:`EmbeddedCidFont`, a reportlab dynamic font that embeds, per document, a subset
  of **Noto Sans CJK JP** as a ``CIDFontType0`` (``FontFile3 /CIDFontType0C``, Identity-H,
  with a ``ToUnicode`` map so the text can be searched and copied). Glyph outlines are read
  once per process with fontTools and kept; a document's subset is laid out by
  :func:`credstack.core.certificates.cff.cid_font_program`. Where the Noto files are missing
  the certificate falls back to reportlab's built-in ``HeiseiKakuGo-W5`` CID font, which is
  *not* embedded (the viewer substitutes a Japanese font); :func:`fonts` says which is used.
* **qrcode** encodes the verification page's URL (error correction M); the modules are
  drawn as vector rectangles.
* **pyHanko** writes the signature: a *certification* signature (DocMDP: no changes allowed),
  ``/SubFilter /ETSI.CAdES.detached`` — PAdES baseline B-B, or B-T when a time-stamping
  authority is configured (``CREDSTACK_TSA_URL``: the signature value is timestamped by it,
  :mod:`credstack.adapters.tsa`, and the token added as an unsigned attribute) — in an
  invisible field, with the signer's certificate and its authority embedded, so the PDF can
  be verified offline against the organisation's CA certificate. The validation data PAdES
  B-LT adds — the CA certificate and the authority's current CRL — go into the document's
  security store (``/DSS``) *in the signed revision*, not in an update after it: the CRL is
  known before signing, the PDF stays one revision (``pdfsig`` says "Total document signed",
  and the certification's "no changes" holds literally), and no validation run is needed at
  signing time (pyHanko's ``embed_validation_info`` would validate the chain on every
  signature and append a revision). The CMS container is
  assembled from a template (:mod:`credstack.core.certificates.cms`) by
  :class:`TemplateSigner`: pyHanko's general CMS code costs ~12 ms per signature.
* The credential travels inside the PDF as an associated file (``/AF``, relationship
  ``/Source``; ``credential.json`` or ``credential.jwt``), in the same revision the
  signature covers; the document information names its id (``/Subject``).
"""

from __future__ import annotations

from credstack.services.certificates.fonts import _MUTED as _MUTED
from credstack.services.certificates.fonts import FALLBACK_FONT as FALLBACK_FONT
from credstack.services.certificates.fonts import FONT_DIRECTORIES as FONT_DIRECTORIES
from credstack.services.certificates.fonts import FONT_FAMILY as FONT_FAMILY
from credstack.services.certificates.fonts import PAGE_HEIGHT as PAGE_HEIGHT
from credstack.services.certificates.fonts import PAGE_WIDTH as PAGE_WIDTH
from credstack.services.certificates.fonts import SIGNATURE_FIELD as SIGNATURE_FIELD
from credstack.services.certificates.fonts import EmbeddedCidFont as EmbeddedCidFont
from credstack.services.certificates.fonts import Fonts as Fonts
from credstack.services.certificates.fonts import fonts as fonts
from credstack.services.certificates.page import _NO_LINE_START as _NO_LINE_START
from credstack.services.certificates.page import _TOKEN as _TOKEN
from credstack.services.certificates.page import _qr_rectangles as _qr_rectangles
from credstack.services.certificates.page import render_page as render_page
from credstack.services.certificates.signing import Attachment as Attachment
from credstack.services.certificates.signing import CertificatePdf as CertificatePdf
from credstack.services.certificates.signing import CertificateSigner as CertificateSigner
from credstack.services.certificates.signing import TemplateSigner as TemplateSigner
from credstack.services.certificates.signing import _sign as _sign
from credstack.services.certificates.signing import attachment_for as attachment_for
from credstack.services.certificates.signing import certificate_filename as certificate_filename
from credstack.services.certificates.signing import certificate_pdf as certificate_pdf
from credstack.services.certificates.signing import render_certificate as render_certificate
from credstack.services.certificates.signing import sign_pdf as sign_pdf

__all__ = [
    "SIGNATURE_FIELD",
    "Attachment",
    "CertificatePdf",
    "CertificateSigner",
    "EmbeddedCidFont",
    "Fonts",
    "TemplateSigner",
    "attachment_for",
    "certificate_filename",
    "certificate_pdf",
    "fonts",
    "render_certificate",
    "render_page",
    "sign_pdf",
]

