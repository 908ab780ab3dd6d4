"""The credential the PDF carries: found in its attachments and checked against the signer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

from credstack.core.certificates import read_credential
from credstack.core.said import Said
from credstack.core.verification import (
    MAX_CREDENTIAL_BYTES,
    Check,
)
from credstack.errors import (
    InputTooLargeError,
    MalformedCredentialError,
)
from credstack.services.certificates import authority as pki
from credstack.services.certificates.verification.reading import (
    _DAMAGED,
    _MAX_NAME_TREE_NODES,
    CREDENTIAL_FILES,
    Authorities,
    _read,
    _said,
)


def _name_tree_files(node: Any, found: dict[str, Any], budget: list[int]) -> None:
    budget[0] -= 1
    if budget[0] < 0 or not isinstance(node, generic.DictionaryObject):
        return
    names = node.get("/Names")
    names = names.get_object() if names is not None else None
    if isinstance(names, generic.ArrayObject):
        for index in range(0, len(names) - 1, 2):
            key, value = names[index].get_object(), names[index + 1].get_object()
            if isinstance(value, generic.DictionaryObject):
                found.setdefault(str(key), value)
    kids = node.get("/Kids")
    kids = kids.get_object() if kids is not None else None
    if isinstance(kids, generic.ArrayObject):
        for kid in kids:
            _name_tree_files(kid.get_object(), found, budget)


def _embedded_credential(reader: PdfFileReader, revision: int | None) -> str | None:
    """The credential file in ``revision`` of the document (the signed one), if any."""
    root = reader.get_historical_root(revision) if revision is not None else reader.root
    try:
        tree = root["/Names"]["/EmbeddedFiles"]
    except KeyError:
        return None
    files: dict[str, Any] = {}
    _name_tree_files(tree.get_object(), files, [_MAX_NAME_TREE_NODES])
    for wanted in CREDENTIAL_FILES:
        for key, spec in files.items():
            names = {key, str(spec.get("/UF", "")), str(spec.get("/F", ""))}
            if wanted not in names:
                continue
            try:
                data = spec["/EF"].get("/UF", spec["/EF"].get("/F")).get_object().data
            except _DAMAGED:
                # A damaged file stream: the signature check says what happened to the PDF.
                return None
            if len(data) > MAX_CREDENTIAL_BYTES:
                raise InputTooLargeError(
                    f"The credential in the PDF is {len(data):,} bytes; credstack reads "
                    f"credentials of at most {MAX_CREDENTIAL_BYTES:,} bytes.")
            try:
                return bytes(data).decode("utf-8")
            except UnicodeDecodeError:
                return None
    return None


def _issuer_of(text: str) -> str | None:
    try:
        credential = read_credential(text)
    except MalformedCredentialError:
        return None
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    if issuer is None:
        issuer = credential.get("iss")
    return issuer if isinstance(issuer, str) else None


def _credential_check(credential: str | None, authority: pki.FoundAuthority | None,
                      authorities: Authorities, *, signed: bool) -> Check:
    name = "pdf-credential"
    if credential is None:
        return _said(name, False, Said("pdf.check.credential.none"), code="no-credential")
    issuer = _issuer_of(credential)
    if not signed and authority is not None:
        return _said(name, None, Said("pdf.check.credential.undecided_unsigned"),
                     details={"issuer": issuer})
    if authority is None:
        return _said(name, None, Said("pdf.check.credential.undecided_unknown"),
                     details={"issuer": issuer})
    expected = authorities.organisation_did(authority.organisation)
    if issuer != expected:
        said = (Said("pdf.check.credential.issuer_mismatch", issuer=issuer,
                     organisation=authority.organisation, expected=expected)
                if issuer else Said("pdf.check.credential.issuer_mismatch_none",
                                    organisation=authority.organisation, expected=expected))
        return _said(name, False, said, code="issuer-mismatch",
                     details={"issuer": issuer, "expected": expected})
    return _said(name, True, Said("pdf.check.credential.valid",
                                  organisation=authority.organisation),
                 details={"issuer": issuer})


def embedded_credential(data: bytes) -> str | None:
    """The credential file the PDF carries in its latest revision, if any (the wallet reads
    it to know whose certificate it is); raises as :func:`verify_pdf` does for a PDF it
    cannot read."""
    return _embedded_credential(_read(data), None)
