"""An EDC verified with what the operator configured: the ELM files and the trust list.

Without ``CREDSTACK_ELM_DIR`` the EDC-AP context, the shapes and EBSI's schema are not known:
the credential's seal is still verified, what it says is still read from its JSON, and the
contexts check says it could not be checked. Without ``CREDSTACK_ELM_TRUST`` the seal's
certificate authority, and its timestamps' authorities, could not be checked (the EU trusted
lists are not read offline).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from credstack.adapters.resolvers.contexts import document_loader
from credstack.adapters.resolvers.elm import elm_files, trusted_seal_certificates
from credstack.core.elm.reference import DEFAULT_PROFILE
from credstack.core.verification import VerificationReport
from credstack.core.verification.elm import verify_edc
from credstack.settings import Settings
from credstack.words import words

__all__ = ["prepare", "verify"]


def prepare(settings: Settings) -> None:
    """Read the operator's ELM files and compile the shapes of the default profile now,
    when a server starts, rather than in the first EDC's verification (half a second of
    CPU): a server that then freezes its heap puts the compiled shapes, some 40,000
    objects, out of the garbage collector's sight. Nothing without ``CREDSTACK_ELM_DIR``."""
    if settings.elm_dir is not None:
        elm_files(settings.elm_dir.resolve())[0].shapes(DEFAULT_PROFILE)


def verify(data: bytes | str | Mapping[str, Any], *, settings: Settings | None,
           now: dt.datetime, strict: bool = False) -> VerificationReport:
    """Verify the EDC ``data`` (see :mod:`credstack.core.verification.elm`)."""
    elm_dir = settings.elm_dir if settings is not None else None
    trust_file = settings.elm_trust if settings is not None else None
    if elm_dir is not None:
        reference, loader = elm_files(elm_dir.resolve())
    else:
        reference, loader = None, document_loader()
    trusted = trusted_seal_certificates(trust_file) if trust_file is not None else None
    return verify_edc(data, now=now, reference=reference, loader=loader, trusted=trusted,
                      strict=strict, words=words)
