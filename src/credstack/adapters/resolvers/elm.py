"""The ELM v3 files the operator provides (``CREDSTACK_ELM_DIR``), read once and checked.

:mod:`credstack.core.elm.reference` says which files credstack needs to read European Digital
Credentials and pins each one's SHA-256; this module reads them from the operator's directory,
refuses any that is missing or differs (a :class:`~credstack.errors.ConfigurationError` naming
every such file at once), and gives the
:class:`~credstack.core.elm.reference.ElmReference` and a document loader that serves the
EDC-AP context beside the bundled ones. Nothing is fetched.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from cryptography import x509

from credstack.adapters.resolvers.contexts import DocumentLoader, document_loader
from credstack.core.elm.reference import (
    CONTEXT_FILE,
    EBSI_ATTESTATION_FILE,
    EBSI_SCHEMA_FILE,
    FILES,
    ElmReference,
    ebsi_validator,
)
from credstack.core.elm.vocabulary import CONTEXT_URL
from credstack.errors import ConfigurationError, Problem

__all__ = ["elm_document_loader", "elm_files", "read_elm_reference", "trusted_seal_certificates"]


def read_elm_reference(directory: Path) -> ElmReference:
    """The ELM files in ``directory``, each checked against its pinned SHA-256."""
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    for path, digest in FILES.items():
        file = directory / path
        try:
            data = file.read_bytes()
        except OSError as error:
            problems.append(Problem(str(file), f"cannot be read: {error.strerror}",
                                    f"読み取れません：{error.strerror}"))
            continue
        if hashlib.sha256(data).hexdigest() != digest:
            problems.append(Problem(str(file), f"is not the published file (SHA-256 {digest})",
                                    f"公開されたファイルと異なります（SHA-256 {digest}）"))
            continue
        texts[path] = data.decode("utf-8")
    if problems:
        raise ConfigurationError(
            f"CREDSTACK_ELM_DIR ({directory}) does not hold the European Learning Model files "
            "credstack reads EDCs with", problems=problems)
    return ElmReference(context=json.loads(texts[CONTEXT_FILE]), texts=texts,
                        ebsi_schema=ebsi_validator(json.loads(texts[EBSI_SCHEMA_FILE]),
                                                   json.loads(texts[EBSI_ATTESTATION_FILE])))


def elm_document_loader(reference: ElmReference) -> DocumentLoader:
    """credstack's document loader, serving the EDC-AP context too."""
    return document_loader({CONTEXT_URL: reference.context})


@lru_cache(maxsize=4)
def elm_files(directory: Path) -> tuple[ElmReference, DocumentLoader]:
    """The ELM files of ``directory`` and their document loader, read once per process (the
    shapes each profile compiles are kept with them)."""
    reference = read_elm_reference(directory)
    return reference, elm_document_loader(reference)


def trusted_seal_certificates(pem_file: Path) -> tuple[x509.Certificate, ...]:
    """The certificates of the operator's PEM file (``CREDSTACK_ELM_TRUST``), read each time
    (a small file; an operator who changes it needs no restart)."""
    try:
        return _certificates(pem_file.read_bytes())
    except (OSError, ValueError) as error:
        raise ConfigurationError(f"CREDSTACK_ELM_TRUST ({pem_file}) is not a readable PEM file "
                                 f"of certificates: {error}") from None


@lru_cache(maxsize=8)
def _certificates(pem: bytes) -> tuple[x509.Certificate, ...]:
    return tuple(x509.load_pem_x509_certificates(pem))
