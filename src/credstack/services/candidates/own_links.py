"""This site's own addresses, read from the store: the server never fetches its own pages.

What a verifier is most often given by a learner of this site is an address rather than a
file: the credential's verification page (``/verify/<id>``: a certificate's QR code, an
e-mail, a post), the share link the learner copies from the wallet (``/s/<secret>``), or
where a file of it downloads from — its baked badge image, its PDF certificate, its European
Digital Credential, its own file — as the learner's and the issuer's credential pages offer
them. :func:`own_link` reads what such an address names; :func:`stored_document` reads the
credential it names from the store. Both verification pages (``/verify`` and
``/verify/compare``) resolve addresses through them, so an address verifies alike on either.

Only an address at the configured public URL is this site's (never one at the host a request
names, which its sender chooses), or a path alone (``/s/…``); every other address stays one
the guarded fetcher may refuse.

A file's address is read as the credential the file is made of: those files are made from the
store at each download (a PDF certificate and an EDC are signed as they are made), so the
credential every one of them carries is what is verified — the pages say so; a file someone
holds is verified by uploading it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final
from urllib.parse import SplitResult, unquote, urlsplit

from credstack.errors import NotFoundError
from credstack.services import issuance, registrar, wallet
from credstack.services.runtime import Runtime

__all__ = ["Artefact", "CredentialLink", "OwnLink", "ShareLink", "own_link",
           "stored_document"]

#: The longest address read as one of this site's own.
_MAX_ADDRESS: Final = 2_500
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


class Artefact(StrEnum):
    """What of a credential an address serves."""

    #: Its verification page (``/verify/<id>``).
    PAGE = "page"
    #: Its badge image with the credential baked in (PNG, SVG).
    BADGE = "badge"
    #: Its signed PDF certificate.
    CERTIFICATE = "certificate"
    #: Its sealed European Digital Credential.
    EDC = "edc"
    #: The credential's own file (JSON, or a VC-JWT).
    FILE = "file"


@dataclass(frozen=True, slots=True)
class ShareLink:
    """A share link of a learner's wallet: its secret."""

    token: str


@dataclass(frozen=True, slots=True)
class CredentialLink:
    """An address of one credential this site issued, by its id or (a learner's download)
    by the id of the wallet item holding it, and what of it the address serves."""

    artefact: Artefact
    credential_id: str | None = None
    wallet_id: str | None = None


OwnLink = ShareLink | CredentialLink

_FILES: Final = {"baked.png": Artefact.BADGE, "baked.svg": Artefact.BADGE,
                 "certificate.pdf": Artefact.CERTIFICATE, "edc.json": Artefact.EDC,
                 "credential.json": Artefact.FILE, "original": Artefact.FILE}
#: A share link: ``/s/`` and the link's secret (see :mod:`credstack.services.wallet.sharing`).
_SHARE: Final = re.compile(r"/s/([A-Za-z0-9_-]{20,100})/?")
#: A credential's verification page: ``/verify/`` and its id, percent-encoded
#: (:func:`credstack.core.certificates.content.verification_url`); ``/verify/compare`` is
#: the page that compares several.
_PAGE: Final = re.compile(r"/verify/(?!compare/?$)([^/]+)")
#: The files of an issued credential: the public API's, and those of the issuer's workspace.
_ISSUED: Final = re.compile(
    r"(?:/api|/workspace/[^/]+)/credentials/(.+)/"
    r"(baked\.png|baked\.svg|certificate\.pdf|edc\.json|credential\.json)")
#: The files of a credential in a learner's wallet, by the wallet item's id.
_WALLET: Final = re.compile(r"/wallet/credentials/([0-9a-f]{32})/"
                            r"(certificate\.pdf|edc\.json|original)")


def _origin(address: SplitResult) -> tuple[str, str, int | None] | None:
    """The scheme, host and port of ``address`` (the scheme's default port when unstated);
    ``None`` for an address with credentials in it or a port that is not one."""
    if address.username is not None or address.password is not None:
        return None
    try:
        port = address.port
    except ValueError:
        return None
    scheme = address.scheme.lower()
    return scheme, (address.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


def _own_path(text: str, public_url: str) -> str | None:
    """The path ``text`` names on this site: an address at its public URL ``public_url`` (the
    configured one, never the host a request names), or a path alone; ``None`` for anything
    else."""
    if not text or "\n" in text or len(text) > _MAX_ADDRESS:
        return None
    if text.startswith("/") and not text.startswith("//"):
        return urlsplit(text).path
    if not text.startswith(("https://", "http://")):
        return None
    ours, given = urlsplit(public_url), urlsplit(text)
    if _origin(given) is None or _origin(given) != _origin(ours):
        return None
    base = ours.path.rstrip("/")
    if not given.path.startswith(f"{base}/"):
        return None
    return given.path.removeprefix(base)


def own_link(text: str, *, public_url: str) -> OwnLink | None:
    """What ``text`` (an address, or a path alone, with whitespace around it) names on this
    site, whose public URL is ``public_url``; ``None`` when it is no address of this site
    that names a credential or a share link."""
    path = _own_path(text.strip(), public_url)
    if path is None:
        return None
    if match := _SHARE.fullmatch(path):
        return ShareLink(match[1])
    if match := _PAGE.fullmatch(path):
        return CredentialLink(Artefact.PAGE, credential_id=unquote(match[1]))
    if match := _ISSUED.fullmatch(path):
        return CredentialLink(_FILES[match[2]], credential_id=unquote(match[1]))
    if match := _WALLET.fullmatch(path):
        return CredentialLink(_FILES[match[2]], wallet_id=match[1])
    return None


def stored_document(runtime: Runtime, link: CredentialLink) -> str:
    """The credential ``link`` names, as it was issued (JSON or a VC-JWT), from the store.

    Raises :class:`~credstack.errors.NotFoundError` when this site issued no such credential
    (a wallet item's address names one only when this site issued what it holds: a
    credential imported from elsewhere is the learner's alone). A registrar's document (a
    degree's, a transcript's credential or CLR) is read from the registrar's own store.
    """
    credential_id = link.credential_id
    if link.wallet_id is not None:
        credential_id = wallet.issued_credential(runtime, public_id=link.wallet_id)
    if credential_id is None:
        raise NotFoundError("This site has no credential at this address. / "
                            "このサイトにはこのアドレスの証明書はありません。")
    try:
        return issuance.credential_document(runtime, credential_id=credential_id)
    except NotFoundError:
        found = registrar.credential_document(runtime, credential_id=credential_id)
        if found is None:
            raise
        return found
