"""Organisations' Open Badges 2.0 signing keys: made on first use, rotated (audited),
sealed with the key store's master key, unsealed into a runtime's :class:`SigningCache`.

Each key has an algorithm: ``RS256`` (RSA-2048; what OB 2.0 recommends and the 1EdTech
validator requires, so the default) or ``ES256`` (P-256; faster to sign, refused by the
1EdTech validator). Private halves are sealed like the other issuer keys (AES-256-GCM under
the master key, bound to the organisation, fragment and public key) in the ``ob2_keys``
table; retired keys stay listed in the profile so old badges verify.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from credstack.adapters import keystore
from credstack.adapters.db.repositories import ob2_keys as store
from credstack.adapters.db.repositories.ob2_keys import StoredOb2Key
from credstack.adapters.db.repositories.organisations import find_row
from credstack.adapters.db.transactions import Session
from credstack.core.access import Action, Actor
from credstack.core.credentials import openbadges_v2 as ob2
from credstack.errors import ConflictError, InputError, KeyStoreError, NotFoundError, Problem
from credstack.services import audit
from credstack.services.runtime import Runtime

__all__ = ["Ob2Key", "SigningCache", "keys", "rotate_key", "sign_cached",
           "signing_cache", "signing_key"]

RSA_BITS: Final = 2048

#: Each algorithm's key, as the start of its fragment (``rsa-1``, ``p256-2`` …).
_KEY_KINDS: Final = {"RS256": "rsa", "ES256": "p256"}
#: Associated data of every sealed OB 2.0 key (the name is older than ES256 keys; changing
#: it would make every stored key undecryptable).
_BINDING: Final = "credstack ob2 rsa key v1"


class SigningCache:
    """Unsealed OB 2.0 keys and the badges signed with them, for as long as a runtime lives
    (:func:`signing_cache`); safe to share between threads.

    Keys are kept by (organisation, fragment, master key id, public key digest): the digest
    tells a key apart from another made under the same fragment by a transaction that rolled
    back. Signed badges by (key URL, public key, payload digest), the last ``size`` of them.
    """

    def __init__(self, size: int = 4096) -> None:
        self._keys: dict[tuple[str, str, str, str], ob2.SigningKey] = {}
        self._tokens: OrderedDict[tuple[str, bytes, bytes], str] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def key(self, cache_key: tuple[str, str, str, str],
            unseal: Callable[[], ob2.SigningKey]) -> ob2.SigningKey:
        with self._lock:
            known = self._keys.get(cache_key)
        if known is None:
            known = unseal()
            with self._lock:
                self._keys[cache_key] = known
        return known

    def token(self, cache_key: tuple[str, bytes, bytes], sign: Callable[[], str]) -> str:
        with self._lock:
            token = self._tokens.get(cache_key)
            if token is not None:
                self._tokens.move_to_end(cache_key)
                return token
        token = sign()
        with self._lock:
            self._tokens[cache_key] = token
            while len(self._tokens) > self._size:
                self._tokens.popitem(last=False)
        return token


def signing_cache(runtime: Runtime) -> SigningCache:
    """The runtime's cache of unsealed OB 2.0 keys and signed badges."""
    cache: SigningCache = runtime.caches.setdefault("openbadges_v2.signing", SigningCache())
    return cache



@dataclass(frozen=True, slots=True)
class Ob2Key:
    """One of an organisation's OB 2.0 keys, public facts only."""

    fragment: str
    algorithm: str
    public_key_pem: str
    created_at: dt.datetime
    retired_at: dt.datetime | None


def _public(row: StoredOb2Key) -> Ob2Key:
    return Ob2Key(row.fragment, row.algorithm, row.public_key_pem, row.created_at,
                  row.retired_at)


def _binding(organisation: str, fragment: str, public_key_pem: str) -> bytes:
    digest = hashlib.sha256(public_key_pem.encode("ascii")).hexdigest()
    return json.dumps([_BINDING, organisation, fragment, digest], separators=(",", ":")).encode()


def _fits(key: object, algorithm: str) -> bool:
    if algorithm == "RS256":
        return isinstance(key, rsa.RSAPrivateKey)
    return isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1)


def _open(secret: keystore.MasterKey, row: StoredOb2Key, organisation: str
          ) -> ob2.SigningKey:
    if row.master_key_id != secret.id:
        raise KeyStoreError(f"{keystore.WRONG_KEY} (the Open Badges 2.0 key {row.fragment} of "
                            f"{organisation} was sealed with another secret key.)")
    try:
        # The key store's own AEAD, with a binding of its own: these rows cannot be swapped
        # with issuer_keys rows (different associated data), nor between organisations or keys.
        der = secret.open(row.nonce, row.encrypted_secret,
                          _binding(organisation, row.fragment, row.public_key_pem))
    except InvalidTag:
        raise KeyStoreError(f"The Open Badges 2.0 key {row.fragment} of {organisation} does not "
                            "decrypt: the stored row was altered or copied.") from None
    key = serialization.load_der_private_key(der, password=None)
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    if not _fits(key, row.algorithm) or public.decode("ascii") != row.public_key_pem:
        raise KeyStoreError(f"The Open Badges 2.0 key {row.fragment} of {organisation} does not "
                            f"match its public key or its algorithm ({row.algorithm}).")
    assert isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey)
    return key


def _new_key(algorithm: str) -> ob2.SigningKey:
    if algorithm == "RS256":
        return rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    if algorithm == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    raise InputError(f"An Open Badges 2.0 key signs with {' or '.join(ob2.SIGNING_ALGORITHMS)}, "
                     f"not {algorithm!r}.", problems=[Problem("algorithm", algorithm)])


def _create_key(session: Session, organisation: tuple[int, str], secret: keystore.MasterKey,
                now: dt.datetime, algorithm: str, *, rotating: bool = False) -> StoredOb2Key:
    """A new key of the organisation (its id and slug)."""
    organisation_id, slug = organisation
    key = _new_key(algorithm)
    count = store.count(session, organisation_id)
    fragment = f"{_KEY_KINDS[algorithm]}-{count + 1}"
    pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo
                                        ).decode("ascii")
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    nonce, ciphertext = secret.seal(der, _binding(slug, fragment, pem))
    row = StoredOb2Key(fragment, algorithm, pem, secret.id, ciphertext, nonce, now, None)
    if not store.add(session, organisation_id, row):
        # Another transaction made the organisation's key at the same moment: use that one
        # (unless this is a rotation, which must not return a key it did not choose).
        existing = None if rotating else store.active(session, organisation_id)
        if existing is None:
            raise ConflictError(f"The Open Badges 2.0 key of {slug!r} changed at "
                                "the same time; try again.")
        return existing
    return row


def _organisation(session: Session, organisation: str) -> tuple[int, str]:
    """The organisation's id and slug; :class:`~credstack.errors.NotFoundError` when there is
    none."""
    row = find_row(session, organisation)
    if row is None:
        raise NotFoundError(f"No organisation with slug {organisation!r}.")
    return row.id, row.slug


def signing_key(session: Session, *, cache: SigningCache, organisation: str,
                secret: keystore.MasterKey, now: dt.datetime,
                algorithm: str = ob2.SIGNING_ALGORITHM) -> tuple[str, ob2.SigningKey]:
    """The organisation's active OB 2.0 key (fragment, private key); when it has none yet,
    one is made for ``algorithm`` (the deployment's ``Settings.ob2_algorithm``). Runs in the
    caller's transaction."""
    found = _organisation(session, organisation)
    key_row = store.active(session, found[0]) or _create_key(session, found, secret, now,
                                                             algorithm)
    cache_key = (organisation, key_row.fragment, secret.id,
                 hashlib.sha256(key_row.public_key_pem.encode("ascii")).hexdigest())
    return key_row.fragment, cache.key(cache_key, lambda: _open(secret, key_row, organisation))


def rotate_key(runtime: Runtime, *, actor: Actor, organisation: str,
               algorithm: str | None = None) -> Ob2Key:
    """Retire the organisation's active OB 2.0 key (if any) and make a new one for
    ``algorithm`` (``RS256`` or ``ES256``; default the deployment's) that signs its badges
    from now on; audited as ``ob2-key.rotated``.

    The retired key stays in the issuer profile's ``publicKey``, so the badges it signed keep
    verifying.
    """
    chosen = (algorithm.strip().upper() if algorithm is not None
              else runtime.settings.ob2_algorithm)
    if chosen not in ob2.SIGNING_ALGORITHMS:
        _new_key(chosen)  # raises the InputError that names the algorithms
    now = runtime.now()
    with runtime.transaction() as session:
        principal = actor.require(Action.KEYS_MANAGE, organisation)
        found = _organisation(session, organisation)
        store.retire(session, found[0], at=now)
        made = _public(_create_key(session, found, runtime.key(), now, chosen, rotating=True))
        audit.record(session, at=now, actor=principal.subject, action="ob2-key.rotated",
                     subject=f"organisation:{organisation}",
                     details={"fragment": made.fragment, "algorithm": made.algorithm})
    return made


def keys(runtime: Runtime, *, organisation: str) -> list[Ob2Key]:
    """The organisation's OB 2.0 keys, oldest first (the active one has no ``retired_at``)."""
    with runtime.transaction() as session:
        return [_public(key)
                for key in store.keys(session, _organisation(session, organisation)[0])]


def _public_fingerprint(key: ob2.SigningKey) -> bytes:
    numbers = key.public_key().public_numbers()
    if isinstance(numbers, rsa.RSAPublicNumbers):
        return numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
    return numbers.x.to_bytes(32, "big") + numbers.y.to_bytes(32, "big")


def sign_cached(assertion: Mapping[str, Any], key: ob2.SigningKey, key_id: str, *,
                cache: SigningCache) -> str:
    """The signed badge, cached by key and payload (RS256 signatures are deterministic; a
    cached ES256 signature is as valid as a fresh one)."""
    payload = json.dumps(assertion, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # The public key too: a key made under the same URL by a transaction that rolled back is
    # another key, and its tokens must not be served for this one.
    cache_key = (key_id, _public_fingerprint(key), hashlib.sha256(payload).digest())
    return cache.token(cache_key, lambda: ob2.sign_assertion(assertion, key=key))
