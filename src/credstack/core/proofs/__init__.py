"""Proofs: securing credentials and checking them.

The recipes callers use:

* :func:`sign_data_integrity` / :func:`verify_data_integrity` — Data Integrity proofs
  (``eddsa-rdfc-2022``, ``eddsa-jcs-2022``, ``ecdsa-rdfc-2019``, ``ecdsa-jcs-2019``,
  ``ecdsa-sd-2023``), proof sets and chains;
* :func:`derive_data_integrity` — a holder's selective disclosure of a credential an issuer
  secured with an ``ecdsa-sd-2023`` base proof (signed with :class:`EcdsaSdIssuing` as the
  cryptosuite, which names what every disclosure must reveal);
* :func:`sign_vc_jwt` / :func:`verify_vc_jwt` — a credential as a compact JWS (``vc+jwt``);
* :func:`resolve_did_key` — the default :data:`KeyResolver`: ``did:key`` verification methods,
  resolved locally.

Each verification returns only when the proof holds and raises otherwise:
:class:`~credstack.errors.SignatureError` when a signature does not verify,
:class:`~credstack.errors.MalformedCredentialError` (and its subclasses
``UndefinedTermError``, ``UnknownContextError``) when credstack cannot decide. The canonical
forms, raw signing and multibase are in :mod:`credstack.core.crypto`, imported only from here.
"""

from credstack.core.dids.did_key import resolve_public_key as resolve_did_key

from .cryptosuites.ecdsa_sd_2023 import EcdsaSdIssuing
from .cryptosuites.ecdsa_sd_2023 import derive as derive_data_integrity
from .cryptosuites.vc_jwt import VerifiedJwt
from .cryptosuites.vc_jwt import sign as sign_vc_jwt
from .cryptosuites.vc_jwt import verify as verify_vc_jwt
from .data_integrity import CRYPTOSUITES, KeyResolver, Verification, VerifiedProof
from .data_integrity import sign as sign_data_integrity
from .data_integrity import verify as verify_data_integrity

__all__ = [
    "CRYPTOSUITES",
    "EcdsaSdIssuing",
    "KeyResolver",
    "Verification",
    "VerifiedJwt",
    "VerifiedProof",
    "derive_data_integrity",
    "resolve_did_key",
    "sign_data_integrity",
    "sign_vc_jwt",
    "verify_data_integrity",
    "verify_vc_jwt",
]
