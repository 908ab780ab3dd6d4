"""The Credential Issuer Metadata and the credential configurations credstack issues.

OID4VCI 1.0 §12.2.4 (metadata parameters), Appendix A (format profiles): ``ldp_vc`` (A.1.2:
``credential_definition`` with ``@context`` and ``type``, signed with a Data Integrity
cryptosuite), ``jwt_vc_json`` (A.1.1: ``credential_definition.type``, a JWT) and ``dc+sd-jwt``
(A.3: ``vct``, an SD-JWT). The Open Badges 3.0 credential is the one dataset; each
configuration is one way of securing it. ``vc+sd-jwt``, the format name of earlier drafts,
is read as ``dc+sd-jwt`` where a wallet names a format.

``ldp_vc`` is defined for suites that canonicalise with Linked Data (``eddsa-rdfc-2022``);
``OpenBadgeCredential_ldp_vc_jcs`` offers the same credential under ``eddsa-jcs-2022``, which
signs the JSON as it is (cheaper), under the same format name, since the specification has no
other for Data Integrity without RDF canonicalisation yet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["CONFIGURATIONS", "FORMAT_ALIASES", "PRE_AUTHORIZED_GRANT", "PROOF_ALGORITHMS",
           "Configuration", "configuration", "issuer_metadata"]

PRE_AUTHORIZED_GRANT: Final = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
#: Format names read on input → the name credstack uses.
FORMAT_ALIASES: Final[Mapping[str, str]] = {"vc+sd-jwt": "dc+sd-jwt"}
#: What a wallet may sign its ``jwt`` key proof with.
PROOF_ALGORITHMS: Final = ("EdDSA", "ES256", "ES384")
#: The DID methods a credential can be bound to (a ``jwk`` header is bound as its did:jwk).
BINDING_METHODS: Final = ("did:key", "did:jwk", "jwk")
VC_V2: Final = "https://www.w3.org/ns/credentials/v2"
OB_V3: Final = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
TYPES: Final = ("VerifiableCredential", "OpenBadgeCredential")
#: The SD-JWT VC type of an Open Badges 3.0 credential.
VCT: Final = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"


@dataclass(frozen=True, slots=True)
class Configuration:
    """One entry of ``credential_configurations_supported``."""

    id: str
    format: str
    #: How it is signed: a cryptosuite (``ldp_vc``) or a JWS ``alg``.
    signing: str
    #: The scope a wallet asks for it with in the authorization code flow.
    scope: str

    def to_json(self, display: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "format": self.format, "scope": self.scope,
            "credential_signing_alg_values_supported": [self.signing],
            "cryptographic_binding_methods_supported": list(BINDING_METHODS),
            "proof_types_supported": {"jwt": {
                "proof_signing_alg_values_supported": list(PROOF_ALGORITHMS)}},
            "credential_metadata": {"display": [dict(item) for item in display],
                                    "claims": _CLAIMS},
        }
        if self.format == "ldp_vc":
            entry["credential_definition"] = {"@context": [VC_V2, OB_V3], "type": list(TYPES)}
        elif self.format == "jwt_vc_json":
            entry["credential_definition"] = {"type": list(TYPES)}
        else:
            entry["vct"] = VCT
        return entry


_CLAIMS: Final = [
    {"path": ["credentialSubject", "achievement", "name"],
     "display": [{"name": "達成", "locale": "ja"}, {"name": "Achievement", "locale": "en"}]},
    {"path": ["credentialSubject", "achievement", "description"]},
    {"path": ["issuer", "name"],
     "display": [{"name": "発行者", "locale": "ja"}, {"name": "Issuer", "locale": "en"}]},
    {"path": ["validFrom"]},
]

CONFIGURATIONS: Final[Mapping[str, Configuration]] = {c.id: c for c in (
    Configuration("OpenBadgeCredential_ldp_vc", "ldp_vc", "eddsa-rdfc-2022",
                  "openbadge_ldp_vc"),
    Configuration("OpenBadgeCredential_ldp_vc_jcs", "ldp_vc", "eddsa-jcs-2022",
                  "openbadge_ldp_vc_jcs"),
    Configuration("OpenBadgeCredential_jwt_vc_json", "jwt_vc_json", "EdDSA",
                  "openbadge_jwt_vc_json"),
    Configuration("OpenBadgeCredential_dc+sd-jwt", "dc+sd-jwt", "EdDSA",
                  "openbadge_dc_sd_jwt"),
)}

_DISPLAY: Final = ({"name": "マイクロクレデンシャル（オープンバッジ 3.0）", "locale": "ja"},
                   {"name": "Micro-credential (Open Badges 3.0)", "locale": "en"})


def configuration(identifier: object) -> Configuration | None:
    """The configuration named ``identifier`` (``None``: no such configuration)."""
    return CONFIGURATIONS.get(identifier) if isinstance(identifier, str) else None


def endpoints(issuer: str) -> dict[str, str]:
    """The issuer's endpoint URLs, under its identifier (the deployment's public URL)."""
    return {"credential_endpoint": f"{issuer}/oid4vci/credential",
            "nonce_endpoint": f"{issuer}/oid4vci/nonce",
            "token_endpoint": f"{issuer}/oauth/token"}


def issuer_metadata(issuer: str, *, name: Mapping[str, str], logo: str | None = None
                    ) -> dict[str, Any]:
    """The Credential Issuer Metadata of the deployment at ``issuer`` (its public URL, the
    Credential Issuer Identifier); ``name`` by language.

    It also states ``issuer``, ``token_endpoint`` and ``authorization_details_types_supported``
    (authorisation server metadata): this server is its own authorisation server (no
    ``authorization_servers``), and Digital Bazaar's ``oid4-client`` 5.10 reads them from this
    document instead of the RFC 8414 one it fetches.
    """
    urls = endpoints(issuer)
    display = [{"name": text, "locale": language, **({"logo": {"uri": logo}} if logo else {})}
               for language, text in name.items()]
    return {
        "credential_issuer": issuer, "issuer": issuer,
        "credential_endpoint": urls["credential_endpoint"],
        "nonce_endpoint": urls["nonce_endpoint"],
        "token_endpoint": urls["token_endpoint"],
        "authorization_details_types_supported": ["openid_credential"],
        "display": display,
        "credential_configurations_supported": {
            identifier: entry.to_json(_DISPLAY)
            for identifier, entry in CONFIGURATIONS.items()},
    }
