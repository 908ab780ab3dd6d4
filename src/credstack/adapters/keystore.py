"""The issuer key store's secrets: sealed at rest with AES-256-GCM under one master key.

Each issuer key's raw secret (the Ed25519 seed or the P-256 scalar) is encrypted with
AES-256-GCM (NIST SP 800-38D) under the master key, with a fresh random 96-bit nonce per key.
The associated data binds the ciphertext to the organisation's slug, the key's fragment, its
type and its public key, so a row copied to another organisation, renamed or given another
public key no longer decrypts. Each sealed row also records the master key's *id*, an HKDF
fingerprint of it, so that a wrong master key is told apart from a tampered row. Other
stores of secrets seal the same way, with associated data of their own, through
:meth:`MasterKey.seal` and :meth:`MasterKey.open` (the Open Badges 2.0 keys of
:mod:`credstack.services.openbadges_v2.service`).

The master key comes from ``CREDSTACK_SECRET_KEY`` (base64url of 32 random bytes, as
``credstack keys secret`` prints) or a file named by ``CREDSTACK_SECRET_KEY_FILE``. When
neither is set and the store is the embedded SQLite default, ``<data dir>/secret.key`` is
created on first use (mode 0600) and announced; a server database never gets one implicitly.

Secrets leave this module only as a :class:`~credstack.core.crypto.keys.KeyPair` handed to
signing code: nothing here returns, logs or shows secret bytes, and every error message names
the *source* of a key, never its value. Every failure is a
:class:`~credstack.errors.KeyStoreError`.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import re
import secrets
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand

from credstack.core.crypto.keys import KeyPair, KeyType, PublicKey
from credstack.core.crypto.multikey import encode_public_key
from credstack.errors import CredstackError, KeyStoreError
from credstack.settings import Settings

__all__ = [
    "BACKUP_KEY_LABEL",
    "KEY_FILE_NAME",
    "MasterKey",
    "MasterKeySource",
    "SealedKey",
    "backup_key",
    "load_master_key",
    "new_master_key_text",
    "seal_new_key",
    "unseal",
    "write_key_file",
]

MASTER_KEY_BYTES = 32
NONCE_BYTES = 12
KEY_FILE_NAME = "secret.key"
_TEXT = re.compile(r"[A-Za-z0-9_-]{43}=?")
_ID_INFO = b"credstack key store: master key id"
_BINDING = "credstack issuer key v1"

HOW_TO = ("Create one with `credstack keys secret` and set CREDSTACK_SECRET_KEY to the text it "
          "prints, or save it with `credstack keys secret --output /path/to/secret.key` and set "
          "CREDSTACK_SECRET_KEY_FILE=/path/to/secret.key.")
WRONG_KEY = "The secret key does not open the key store — was CREDSTACK_SECRET_KEY changed?"


class MasterKey:
    """The key store's master key. Its bytes are neither kept as such nor ever shown."""

    __slots__ = ("_aead", "_prk", "id")

    def __init__(self, raw: bytes) -> None:
        if len(raw) != MASTER_KEY_BYTES:
            raise KeyStoreError(f"A secret key has {MASTER_KEY_BYTES} bytes, not {len(raw)}.")
        self._aead = AESGCM(raw)
        # HKDF's extract step (RFC 5869 §2.2, no salt), kept for ``derive``; not the raw key.
        self._prk = hmac.digest(bytes(32), raw, "sha256")
        #: A public fingerprint naming this key in the rows it sealed (HKDF-SHA-256, 16 bytes).
        self.id = HKDF(hashes.SHA256(), 16, salt=None, info=_ID_INFO).derive(raw).hex()

    @classmethod
    def from_text(cls, text: str, *, source: str) -> MasterKey:
        """Parse the base64url text of a master key; ``source`` names where it came from."""
        value = text.strip()
        if not _TEXT.fullmatch(value):
            raise KeyStoreError(
                f"{source} does not hold a credstack secret key: expected the base64url text "
                f"of {MASTER_KEY_BYTES} random bytes (43 characters). {HOW_TO}")
        return cls(base64.urlsafe_b64decode(value.rstrip("=") + "="))

    def __repr__(self) -> str:
        return f"MasterKey(id={self.id!r})"

    def derive(self, label: bytes) -> bytes:
        """A 32-byte key for one other purpose, named by ``label`` (HKDF-SHA-256, RFC 5869).

        The same as ``HKDF(SHA-256, salt=None, info=label)`` over the master key: keys with
        different labels are independent, and none of them reveals the master key.
        """
        return HKDFExpand(hashes.SHA256(), 32, info=label).derive(self._prk)

    def seal(self, plaintext: bytes, binding: bytes) -> tuple[bytes, bytes]:
        """Encrypt ``plaintext`` under the master key: (nonce, ciphertext with its tag).

        AES-256-GCM with a fresh random 96-bit nonce. ``binding`` is the associated data:
        authenticated, not encrypted, and needed again to :meth:`open` — give it everything
        the secret belongs to (its purpose, owner, name, public half) in an unambiguous
        encoding, so that a sealed value moved to another row no longer opens.
        """
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce, self._aead.encrypt(nonce, plaintext, binding)

    def open(self, nonce: bytes, ciphertext: bytes, binding: bytes) -> bytes:
        """The plaintext :meth:`seal` encrypted with the same ``binding``.

        Raises :class:`cryptography.exceptions.InvalidTag` when the ciphertext, the nonce or
        the binding differs from what was sealed, or another master key sealed it; callers
        say which row it was (compare the row's master key id with :attr:`id` first).
        """
        return self._aead.decrypt(nonce, ciphertext, binding)


@dataclass(frozen=True, slots=True)
class SealedKey:
    """A new key as it is stored: the public half in the clear, the secret sealed."""

    key_type: KeyType
    public_key: PublicKey
    public_multibase: str
    master_key_id: str
    nonce: bytes = field(repr=False)
    ciphertext: bytes = field(repr=False)


#: The HKDF label of the key backups are signed with (:func:`backup_key`).
BACKUP_KEY_LABEL: Final = b"credstack backup: manifest signature v1"


def new_master_key_text() -> str:
    """A fresh master key as base64url text (what ``credstack keys secret`` prints)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(MASTER_KEY_BYTES)).rstrip(b"=").decode()


def seal_new_key(master: MasterKey, *, key_type: KeyType, organisation: str,
                 fragment: str) -> SealedKey:
    """Generate a key pair and seal its secret for ``organisation``'s key ``fragment``."""
    key_pair = KeyPair.generate(key_type)
    public_multibase = encode_public_key(key_pair.public_key)
    binding = _binding(organisation, fragment, key_type, public_multibase)
    nonce, ciphertext = master.seal(key_pair.secret_bytes(), binding)
    return SealedKey(key_type, key_pair.public_key, public_multibase, master.id, nonce,
                     ciphertext)


def unseal(master: MasterKey, *, organisation: str, fragment: str, key_type: KeyType,
           public_multibase: str, master_key_id: str, nonce: bytes, ciphertext: bytes
           ) -> KeyPair:
    """The key pair a stored row seals; :class:`KeyStoreError` when it cannot be opened."""
    if master_key_id != master.id:
        raise KeyStoreError(
            f"{WRONG_KEY} (issuer key {fragment} of {organisation} was sealed with another "
            "secret key.)")
    binding = _binding(organisation, fragment, key_type, public_multibase)
    try:
        secret = master.open(nonce, ciphertext, binding)
    except InvalidTag:
        raise KeyStoreError(
            f"Issuer key {fragment} of {organisation} does not decrypt: the stored row was "
            "altered or copied from another organisation or key.") from None
    try:
        key_pair = KeyPair.from_secret_bytes(key_type, secret)
    except CredstackError:
        raise KeyStoreError(
            f"Issuer key {fragment} of {organisation} decrypts to no valid {key_type} key."
        ) from None
    if encode_public_key(key_pair.public_key) != public_multibase:
        raise KeyStoreError(
            f"Issuer key {fragment} of {organisation} does not match its public key.")
    return key_pair


def _binding(organisation: str, fragment: str, key_type: KeyType, public_multibase: str
             ) -> bytes:
    # JSON of a list is an unambiguous encoding: no choice of slug or fragment can make two
    # different keys share associated data.
    fields = [_BINDING, organisation, fragment, str(key_type), public_multibase]
    return json.dumps(fields, separators=(",", ":")).encode()


# --- where the master key comes from -------------------------------------------------------

def _announce_on_stderr(path: Path) -> None:
    sys.stderr.write(
        f"credstack: created a secret key for the issuer key store at {path} (mode 0600). "
        "Back it up: without it the issuer keys cannot be opened.\n")


def load_master_key(settings: Settings, *,
                    announce: Callable[[Path], None] = _announce_on_stderr) -> MasterKey:
    """The configured master key (see the module's docstring for where it is looked for)."""
    if settings.secret_key and settings.secret_key_file:
        raise KeyStoreError(
            "Both CREDSTACK_SECRET_KEY and CREDSTACK_SECRET_KEY_FILE are set; set only one.")
    if settings.secret_key:
        return MasterKey.from_text(settings.secret_key, source="CREDSTACK_SECRET_KEY")
    if settings.secret_key_file:
        return _read_key_file(settings.secret_key_file,
                              source=f"CREDSTACK_SECRET_KEY_FILE ({settings.secret_key_file})")
    if not settings.uses_embedded_database:
        raise KeyStoreError(
            "No secret key is configured for the issuer key store (credstack creates one by "
            f"itself only for the embedded SQLite store). {HOW_TO}")
    path = settings.data_dir / KEY_FILE_NAME
    if not path.exists() and _create_key_file(path):
        announce(path.resolve())
    return _read_key_file(path, source=str(path))


def _read_key_file(path: Path, *, source: str) -> MasterKey:
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not ASCII text"
        raise KeyStoreError(f"Cannot read the secret key file {source}: {reason}. {HOW_TO}"
                            ) from None
    return MasterKey.from_text(text, source=source)


def _create_key_file(path: Path) -> bool:
    """Write a fresh key to ``path`` unless it exists; whether this call created it.

    The key is written to a private temporary file first and then linked into place, so a
    concurrent reader sees either no file or a complete one, and two writers cannot both win.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret.key.")
    try:
        with os.fdopen(handle, "w", encoding="ascii") as file:
            file.write(new_master_key_text() + "\n")
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        Path(temporary).unlink()


def backup_key(path: Path, *, create: bool) -> bytes | None:
    """The 32-byte key backups' manifests are signed with (HMAC-SHA-256), derived from the
    operator's key file ``path`` — made there first when ``create`` and missing; ``None``
    when it is missing and not to be made."""
    if create:
        _create_key_file(path)
    elif not path.is_file():
        return None
    return _read_key_file(path, source=str(path)).derive(BACKUP_KEY_LABEL)


def write_key_file(path: Path, text: str) -> None:
    """Write a master key to a new file readable by its owner only; never overwrite one."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyStoreError(f"{path} already exists; credstack never overwrites a secret key "
                            "file (the issuer keys sealed with it would be lost).") from None
    except OSError as exc:
        raise KeyStoreError(f"Cannot create {path}: {exc.strerror}.") from None
    with os.fdopen(handle, "w", encoding="ascii") as file:
        file.write(text + "\n")


class MasterKeySource:
    """The master key of ``settings``, loaded on first use and then kept (thread-safe).

    The web service holds one of these, so that a store without a configured secret still
    serves everything that needs no signing key, and fails clearly when one is needed.
    """

    def __init__(self, settings: Settings, *,
                 announce: Callable[[Path], None] = _announce_on_stderr) -> None:
        self._settings = settings
        self._announce = announce
        self._key: MasterKey | None = None
        self._lock = threading.Lock()

    def __call__(self) -> MasterKey:
        with self._lock:
            if self._key is None:
                self._key = load_master_key(self._settings, announce=self._announce)
            return self._key
