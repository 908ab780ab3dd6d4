"""One verifier for every format credstack reads, above the formats and the credentials'
verifier (:mod:`credstack.services.verification`).

* :func:`verify_any` — tells the format (:func:`detect`: a PDF certificate, a baked badge
  image, Open Badges 2.0, a CLR, a presentation, a credential) and verifies it
  (:mod:`.any_format`);
* :func:`verify_pdf_with_store`, :func:`verify_certificate` — a PDF certificate, under this
  deployment's certificate authorities (:mod:`.certificates`).
"""

from credstack.services.formats.any_format import detect, verify_any
from credstack.services.formats.certificates import verify_certificate, verify_pdf_with_store

__all__ = ["detect", "verify_any", "verify_certificate", "verify_pdf_with_store"]
