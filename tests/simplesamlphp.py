"""A real SAML 2.0 identity provider for the campus sign-in tests (issue 57): Debian's
``simplesamlphp`` package served by PHP's built-in server on loopback, configured in a folder of
the test's own (``SIMPLESAMLPHP_CONFIG_DIR``), never the machine's ``/etc/simplesamlphp``.

The identity provider signs its assertions with a key of its own and encrypts them to the
service provider's certificate (``assertion.encryption``); it checks the signatures of the
AuthnRequests and logout messages it receives. Its metadata is signed with a second key, the
"federation's", as GakuNin signs its members' metadata. Its people are in the ``exampleauth``
module (user name and password), each with GakuNin's attributes under their ``urn:oid:`` names.
The service providers it knows are read from an XML metadata file the test writes
(:meth:`IdentityProvider.trust`), as a federation's aggregate would be.

Skipped when ``php`` or ``simplesamlphp`` is missing (``apt-get install simplesamlphp
php-cli xmlsec1``, which ``.ci/run`` does); failed instead under ``CREDSTACK_REQUIRE_SAML=1``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.conftest import free_port

SIMPLESAMLPHP = Path("/usr/share/simplesamlphp")
REQUIRE = os.environ.get("CREDSTACK_REQUIRE_SAML") == "1"
POST_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"

OID = {
    "eduPersonPrincipalName": "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",
    "eduPersonAffiliation": "urn:oid:1.3.6.1.4.1.5923.1.1.1.1",
    "mail": "urn:oid:0.9.2342.19200300.100.1.3",
    "displayName": "urn:oid:2.16.840.1.113730.3.1.241",
    "jaDisplayName": "urn:oid:1.3.6.1.4.1.32264.1.1.3",
    "organizationName": "urn:oid:2.5.4.10",
    "jaOrganizationName": "urn:oid:1.3.6.1.4.1.32264.1.1.4",
    "pairwise-id": "urn:oasis:names:tc:SAML:attribute:pairwise-id",
}

#: The campus people: login → (affiliation, pairwise-id, display name, Japanese name).
PEOPLE = {
    "staff1": ("staff", "s1", "Hanako Sato", "佐藤 花子"),
    "staff2": ("staff", "s2", "Kenji Ito", "伊藤 健二"),
    "student1": ("student", "t1", "Taro Suzuki", "鈴木 太郎"),
    "student2": ("student", "t2", "Jiro Takahashi", "高橋 次郎"),
    "member1": ("member", "m1", "Yuki Mori", "森 由紀"),
    "staff3": ("staff", "s3", "Aiko Kato", "加藤 愛子"),
    "student3": ("student", "t3", "Sota Yamada", "山田 蒼太"),
}
PASSWORD = "campus-password"
SCOPE = "hokuto.ac.jp"


def need_simplesamlphp() -> None:
    """Skip (or, under ``CREDSTACK_REQUIRE_SAML=1``, fail) without PHP, SimpleSAMLphp or
    xmlsec1."""
    missing = ("php (apt-get install php-cli)" if shutil.which("php") is None else
               "simplesamlphp (apt-get install simplesamlphp)"
               if not (SIMPLESAMLPHP / "www" / "saml2").is_dir() else
               "xmlsec1 (apt-get install xmlsec1)" if shutil.which("xmlsec1") is None else None)
    if missing is None:
        return
    if REQUIRE:
        pytest.fail(f"CREDSTACK_REQUIRE_SAML=1 but {missing} is missing")
    pytest.skip(f"the SAML identity provider needs {missing}")


def key_pair(name: str) -> tuple[str, str]:
    """A new RSA key and a self-signed certificate for ``name`` (PEM, PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .sign(key, hashes.SHA256()))
    return (key.private_bytes(serialization.Encoding.PEM,
                              serialization.PrivateFormat.TraditionalOpenSSL,
                              serialization.NoEncryption()).decode(),
            cert.public_bytes(serialization.Encoding.PEM).decode())


def _php(value: object) -> str:
    """``value`` (str, bool, int, list, dict) as a PHP literal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, list):
        return "[" + ", ".join(_php(v) for v in value) + "]"
    if isinstance(value, dict):
        return "[" + ", ".join(f"{_php(k)} => {_php(v)}" for k, v in value.items()) + "]"
    raise TypeError(type(value))


def _person(login: str) -> dict[str, list[str]]:
    affiliation, pairwise, name, ja_name = PEOPLE[login]
    return {OID["eduPersonPrincipalName"]: [f"{login}@{SCOPE}"],
            OID["eduPersonAffiliation"]: [affiliation, "member"],
            OID["mail"]: [f"{login}@{SCOPE}"],
            OID["displayName"]: [name],
            OID["jaDisplayName"]: [ja_name],
            OID["organizationName"]: ["Hokuto University"],
            OID["jaOrganizationName"]: ["北斗大学"],
            OID["pairwise-id"]: [f"{pairwise}@{SCOPE}"]}


@dataclass
class IdentityProvider:
    """A running SimpleSAMLphp identity provider."""

    url: str
    folder: Path
    federation_cert: str
    process: subprocess.Popen[bytes]

    @property
    def entity_id(self) -> str:
        return f"{self.url}/saml2/idp/metadata.php"

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/saml2/idp/metadata.php"

    def trust(self, *, encrypted: list[str], plain: list[str] = []) -> None:  # noqa: B006
        """The service providers the identity provider knows, by their metadata documents:
        ``encrypted`` ones as a federation's XML aggregate (their assertions encrypted, as
        the identity provider's default is), ``plain`` ones in SimpleSAMLphp's own metadata
        file with ``assertion.encryption`` off (signed only) and single logout by HTTP-POST
        only (SimpleSAMLphp's LogoutResponse to them a form its page posts)."""
        entities = "".join(m.split("?>", 1)[-1] for m in encrypted)
        (self.folder / "sp-remote.xml").write_text(
            '<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">'
            f"{entities}</md:EntitiesDescriptor>", encoding="utf-8")
        remote = "<?php\n"
        for document in plain:
            entity_id = re.search(r'entityID="([^"]+)"', document)
            acs = re.search(r'AssertionConsumerService[^>]*Location="([^"]+)"', document)
            slo = re.search(r'SingleLogoutService[^>]*Location="([^"]+)"', document)
            cert = re.search(r"X509Certificate>([^<]+)<", document)
            assert entity_id and acs and slo and cert, document
            remote += (f"$metadata[{_php(entity_id[1])}] = " + _php({
                "AssertionConsumerService": acs[1],
                "SingleLogoutService": [{"Binding": POST_BINDING, "Location": slo[1]}],
                "certData": "".join(cert[1].split()), "assertion.encryption": False,
                "validate.authnrequest": True}) + ";\n")
        (self.folder / "metadata" / "saml20-sp-remote.php").write_text(remote,
                                                                      encoding="utf-8")

    def remove(self, login: str) -> None:
        """``login`` leaves the campus: the identity provider no longer knows them."""
        known = json.loads((self.folder / "people.json").read_text(encoding="utf-8"))
        known.remove(login)
        self.people(known)

    def people(self, logins: list[str]) -> None:
        """The people the identity provider signs in (by their logins in :data:`PEOPLE`)."""
        (self.folder / "people.json").write_text(json.dumps(logins), encoding="utf-8")
        source: dict[object, object] = {0: "exampleauth:UserPass"}
        source.update({f"{login}:{PASSWORD}": _person(login) for login in logins})
        (self.folder / "config" / "authsources.php").write_text(
            "<?php\n$config = " + _php({"admin": ["core:AdminPassword"],
                                         "example-userpass": source}) + ";\n",
            encoding="utf-8")


def _configure(folder: Path, url: str, *, lifetime: int) -> str:
    config = folder / "config"
    for sub in ("config", "metadata", "cert", "log", "tmp", "sessions", "data"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    idp_key, idp_cert = key_pair("Hokuto University IdP")
    fed_key, fed_cert = key_pair("Test Federation (GakuNin-like) metadata signer")
    for name, text in (("idp.key", idp_key), ("idp.crt", idp_cert),
                       ("federation.key", fed_key), ("federation.crt", fed_cert)):
        (folder / "cert" / name).write_text(text, encoding="utf-8")
    (folder / "sp-remote.xml").write_text(
        '<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>',
        encoding="utf-8")
    settings = {
        "baseurlpath": f"{url}/", "certdir": f"{folder}/cert/", "loggingdir": f"{folder}/log/",
        "datadir": f"{folder}/data/", "tempdir": f"{folder}/tmp",
        "technicalcontact_name": "Test", "technicalcontact_email": "test@example.org",
        "timezone": "UTC", "secretsalt": secrets.token_hex(16),
        "auth.adminpassword": secrets.token_hex(16), "admin.protectindexpage": True,
        "logging.handler": "stderr", "logging.level": 3,
        "enable.saml20-idp": True,
        "module.enable": {"exampleauth": True, "core": True, "saml": True, "admin": True},
        "store.type": "phpsession", "session.phpsession.savepath": f"{folder}/sessions",
        "session.cookie.secure": False, "language.default": "en",
        "metadata.sources": [{"type": "flatfile", "directory": f"{folder}/metadata"},
                             {"type": "xml", "file": f"{folder}/sp-remote.xml"}],
        "metadata.sign.enable": True, "metadata.sign.privatekey": "federation.key",
        "metadata.sign.certificate": "federation.crt",
        "metadata.sign.algorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    }
    (config / "config.php").write_text("<?php\n$config = " + _php(settings) + ";\n",
                                       encoding="utf-8")
    hosted = {
        "host": "__DEFAULT__", "privatekey": "idp.key", "certificate": "idp.crt",
        "auth": "example-userpass", "assertion.encryption": True,
        "assertion.lifetime": lifetime,
        "validate.authnrequest": True, "sign.logout": True, "validate.logout": True,
        "signature.algorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "attributes.NameFormat": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
        "NameIDFormat": "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
        "SingleSignOnServiceBinding": ["urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
                                       "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"],
        "SingleLogoutServiceBinding": ["urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"],
    }
    (folder / "metadata" / "saml20-idp-hosted.php").write_text(
        "<?php\n$metadata['__DYNAMIC:1__'] = " + _php(hosted) + ";\n", encoding="utf-8")
    return fed_cert


@contextmanager
def identity_provider(folder: Path, *, lifetime: int = 300) -> Iterator[IdentityProvider]:
    """SimpleSAMLphp on a free loopback port, configured in ``folder``."""
    need_simplesamlphp()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    fed_cert = _configure(folder, url, lifetime=lifetime)
    log = (folder / "log" / "php.log").open("wb")
    process = subprocess.Popen(
        ["php", "-S", f"127.0.0.1:{port}", "-t", str(SIMPLESAMLPHP / "www")],
        stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "SIMPLESAMLPHP_CONFIG_DIR": str(folder / "config")})
    idp = IdentityProvider(url, folder, fed_cert, process)
    idp.people(list(PEOPLE))
    try:
        for _ in range(100):
            try:
                # SimpleSAMLphp answers its own errors with 200 and a page: the metadata
                # itself says it works (a PHP module missing shows here, not later).
                if "IDPSSODescriptor" in httpx.get(idp.metadata_url, timeout=5).text:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError("SimpleSAMLphp did not start: "
                               + (folder / "log" / "php.log").read_text(errors="replace"))
        yield idp
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
