"""An organisation as an issuer: its identity and active keys, opened from the key store for
the length of one issuance, or kept opened by a caller that issues often (the secrets stay in
this process's memory; the store keeps them sealed)."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass

from credstack.adapters import keystore
from credstack.adapters.db.repositories import keys as key_store
from credstack.adapters.db.repositories import suspensions as suspension_store
from credstack.adapters.db.repositories.organisations import existing_row
from credstack.adapters.db.transactions import Session
from credstack.core.credentials.openbadges_v3 import IssuerProfile
from credstack.core.crypto.keys import KeyPair, KeyType
from credstack.core.dids import did_key
from credstack.core.types import MultilingualText

__all__ = ["ALGORITHM_KEYS", "KeptSigners", "Signer", "kept_signer", "signer_for"]

#: The ECDSA JOSE/COSE algorithms an issuer signs with, and the key type each needs.
ALGORITHM_KEYS: Mapping[str, KeyType] = {"ES256": KeyType.P256, "ES384": KeyType.P384,
                                         "ES512": KeyType.P521}


@dataclass(frozen=True, slots=True)
class Signer:
    """An organisation as an issuer, with its active keys opened."""

    organisation: str
    organisation_id: int
    did: str
    profile: IssuerProfile
    #: Verification method → key pair, for every identifier the issuer signs as.
    methods: Mapping[str, KeyPair]
    #: Issuer identifier → the verification method (Ed25519) that signs as it.
    identities: Mapping[str, str]
    #: The P-256 method, when the organisation has a P-256 key (for ES256 VC-JWTs).
    es256_method: str | None
    #: The method of each ECDSA key the organisation has (ES256, ES384, ES512).
    ec_methods: Mapping[KeyType, str]


def signer_for(session: Session, *, organisation: str, secret: keystore.MasterKey,
               public_url: str, issuing: bool = True,
               opened: key_store.OpenedKeys | None = None) -> Signer:
    """The organisation's issuer identity with its active Ed25519 (and P-256) keys;
    ``issuing``: to issue, which a suspended organisation may not (its status lists are still
    signed, so what it issued keeps verifying); ``opened``: the key pairs opened before, kept
    by a caller that signs often (:data:`~credstack.adapters.db.repositories.keys.OpenedKeys`).
    """
    row = existing_row(session, organisation)
    if issuing:
        suspension_store.refuse_if_suspended(session, organisation_id=row.id, slug=organisation)
    did = key_store.organisation_did(public_url, organisation)
    active = key_store.active_key_pairs(session, organisation=row, secret=secret,
                                        public_url=public_url, opened=opened)
    if KeyType.ED25519 not in active:
        raise key_store.no_active_key(organisation, KeyType.ED25519)
    method, pair = active[KeyType.ED25519]
    key_method = did_key.verification_method_id(pair.public_key)
    methods: dict[str, KeyPair] = {method: pair, key_method: pair}
    identities = {did: method, did_key.did_from_public_key(pair.public_key): key_method}
    ec_methods: dict[KeyType, str] = {}
    for key_type in ALGORITHM_KEYS.values():
        if key_type in active:
            ec_method, ec_pair = active[key_type]
            methods[ec_method] = ec_pair
            ec_methods[key_type] = ec_method
    profile = IssuerProfile(id=did, name=MultilingualText(row.name), slug=organisation,
                            url=row.url)
    return Signer(organisation, row.id, did, profile, methods, identities,
                  ec_methods.get(KeyType.P256), ec_methods)


#: The signers a caller that issues often keeps, in memory only, by master key id and
#: organisation, each with the stamp it was made under.
KeptSigners = MutableMapping[tuple[str, str], tuple[key_store.IssuerStamp, Signer]]


def kept_signer(session: Session, *, organisation: str, stamp: key_store.IssuerStamp | None,
                secret: keystore.MasterKey, public_url: str, kept: KeptSigners,
                opened: key_store.OpenedKeys) -> Signer:
    """:func:`signer_for` to issue, made once and then kept in ``kept`` while the
    organisation's stamp (``stamp``, read by the caller with
    :func:`~credstack.adapters.db.repositories.keys.issuer_stamp`) is unchanged: what a batch
    reads is then one light statement, not the organisation's row, its suspension and its
    keys (a rotation, a new name or a suspension is seen by the next one)."""
    memo = (secret.id, organisation)
    found = kept.get(memo)
    if stamp is not None and not stamp.suspended and found is not None and found[0] == stamp:
        return found[1]
    signer = signer_for(session, organisation=organisation, secret=secret,
                        public_url=public_url, opened=opened)
    if stamp is not None:
        kept[memo] = (stamp, signer)
    return signer
