"""The SAML 2.0 service provider's XML work, on pysaml2 (IdentityPython): AuthnRequests
and logout messages made and signed (HTTP-Redirect and HTTP-POST bindings), responses and
logout requests read, their signatures verified and their assertions decrypted, an identity
provider's metadata checked against its federation's certificate, our metadata written.

Why pysaml2 rather than python3-saml: pysaml2 is pure Python and signs, verifies, encrypts
and decrypts with Debian's ``xmlsec1`` program, where python3-saml needs the ``xmlsec``
C extension built against the very libxml2 that lxml was built with (wheels that disagree
fail at import); and pysaml2 speaks both bindings, single logout and metadata of an
aggregate, as GakuNin's SPs (Shibboleth) do. Signatures of the messages we read are verified
and assertions decrypted in this process (:mod:`credstack.adapters.saml_crypto`, signxml and
cryptography), not by a process of xmlsec1 each; xmlsec1 still signs what we send by HTTP-POST
and checks a federation's metadata. The schema check pysaml2 makes before each signature is
libxml2's (:mod:`credstack.adapters.saml_schema`).

pysaml2 checks times against the machine's clock; credstack decides with the clock it is
given, so pysaml2's own time checks are widened away (``accepted_time_diff``) and the
assertion's times, audience, recipient and request are judged by
:func:`credstack.core.sso.saml.check`. Every refusal raised here is an
:class:`~credstack.errors.AuthenticationRequiredError` ``sso.refused.<reason>``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from xml.etree.ElementTree import Element, tostring

from defusedxml import ElementTree

# Before pysaml2's signature module: it stands in for pysaml2's schema module, which would
# build a validator it replaces as it is imported.
from credstack.adapters import saml_schema

# isort: split
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.client_base import SignOnError
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.response import StatusError, UnsolicitedResponse
from saml2.s_utils import UnsupportedBinding
from saml2.saml import NameID
from saml2.sigver import (
    CryptoBackendXmlSec1,
    MissingKey,
    SignatureError,
    SigverError,
    verify_redirect_signature,
)
from saml2.xmldsig import SIG_RSA_SHA256

from credstack.adapters.saml_crypto import InProcess
from credstack.core.sso.oidc import refusal
from credstack.core.sso.saml import Assertion, LogoutAnswer, NameId
from credstack.errors import AuthenticationRequiredError

__all__ = ["BINDINGS", "Message", "ServiceProvider", "Sp", "check_metadata", "have_xmlsec",
           "new_key_pair"]

MD: Final = "urn:oasis:names:tc:SAML:2.0:metadata"
DS: Final = "http://www.w3.org/2000/09/xmldsig#"
SAMLP: Final = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML: Final = "urn:oasis:names:tc:SAML:2.0:assertion"
#: The bindings an AuthnRequest is sent by (the answer always comes back by HTTP-POST).
BINDINGS: Final = {"redirect": BINDING_HTTP_REDIRECT, "post": BINDING_HTTP_POST}
#: pysaml2's own time checks use the machine's clock: widened to ten years so that
#: :func:`credstack.core.sso.saml.check` decides with the clock credstack is given.
_NO_TIME_CHECK: Final = 10 * 365 * 24 * 3600

def have_xmlsec() -> str | None:
    """The path of ``xmlsec1``, or None."""
    return shutil.which("xmlsec1")


def _xmlsec() -> str:
    found = have_xmlsec()
    if found is None:
        raise refusal("metadata", "xmlsec1 is not installed (apt-get install xmlsec1)")
    return found


def _file(folder: Path, text: str, suffix: str) -> str:
    """``text`` in a file of ``folder`` (pysaml2 and xmlsec1 read keys from files), named by
    its digest so that it is written once, readable by this user only."""
    path = folder / (hashlib.sha256(text.encode()).hexdigest()[:32] + suffix)
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(text)
    return str(path)


def _stamp(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise refusal("malformed", f"time {text!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def check_metadata(document: bytes, *, federation_cert: str, entity_id: str | None,
                   now: dt.datetime) -> tuple[str, str]:
    """(the identity provider's entity id, its ``EntityDescriptor`` as XML) from a metadata
    document signed at its root with ``federation_cert`` (PEM) and valid at ``now``: one
    identity provider's, or a federation's aggregate from which ``entity_id`` is taken
    (required when it names several). ``sso.refused.metadata`` otherwise."""
    try:
        root = ElementTree.fromstring(document)
    except ElementTree.ParseError as exc:
        raise refusal("metadata", f"not XML: {exc}") from None
    tags = {f"{{{MD}}}EntityDescriptor": "EntityDescriptor",
            f"{{{MD}}}EntitiesDescriptor": "EntitiesDescriptor"}
    if root.tag not in tags:
        raise refusal("metadata", f"the root is {root.tag}, not md:EntityDescriptor")
    signature = root.find(f"{{{DS}}}Signature")
    reference = signature.find(f"{{{DS}}}SignedInfo/{{{DS}}}Reference") \
        if signature is not None else None
    if reference is None:
        raise refusal("metadata", "the metadata is not signed")
    if reference.get("URI") != f"#{root.get('ID')}":
        raise refusal("metadata", "the signature does not cover the whole metadata")
    try:
        with tempfile.TemporaryDirectory(prefix="credstack-saml-") as folder:
            verified = CryptoBackendXmlSec1(_xmlsec()).validate_signature(
                document.decode("utf-8"), _file(Path(folder), federation_cert, ".crt"), "pem",
                f"{MD}:{tags[root.tag]}", root.get("ID"))
    except (SignatureError, SigverError, UnicodeError) as exc:
        raise refusal("metadata", f"its signature does not verify with the federation's "
                      f"certificate ({str(exc)[:120]})") from None
    if not verified:
        raise refusal("metadata", "its signature does not verify with the federation's "
                      "certificate")
    until = _stamp(root.get("validUntil"))
    if until is not None and now >= until:
        raise refusal("metadata", f"valid until {until.isoformat()}")
    entities = [root] if root.tag == f"{{{MD}}}EntityDescriptor" else \
        list(root.iter(f"{{{MD}}}EntityDescriptor"))
    idps = [e for e in entities if e.find(f"{{{MD}}}IDPSSODescriptor") is not None]
    chosen = [e for e in idps if entity_id in (None, e.get("entityID"))]
    if len(chosen) != 1:
        raise refusal("metadata", f"{len(chosen)} identity providers"
                      + (f" named {entity_id}" if entity_id else "; name one"))
    entity: Element = chosen[0]
    for child in list(entity):
        if child.tag == f"{{{DS}}}Signature":
            entity.remove(child)
    return str(entity.get("entityID")), tostring(entity, encoding="unicode")


@dataclass(frozen=True, slots=True)
class Sp:
    """One of credstack's service providers (one per configured identity provider)."""

    entity_id: str
    acs_url: str
    slo_url: str
    key: str
    cert: str
    idp_metadata: str


@dataclass(frozen=True, slots=True)
class Message:
    """A message for the browser to carry: a redirect to ``url``, or (``form`` set) a page
    that posts ``form`` to ``url``."""

    url: str
    form: Mapping[str, str] | None = None


def _message(info: Mapping[str, Any], fallback: str) -> Message:
    """The redirect of pysaml2's HTTP-Redirect ``info``."""
    return Message(dict(info.get("headers") or []).get("Location", fallback))


class ServiceProvider:
    """pysaml2's client for :class:`Sp`, built once (its metadata parsed) and reused."""

    def __init__(self, sp: Sp) -> None:
        self.sp = sp
        # The key's files live as long as this object (removed when it is collected).
        self._folder = tempfile.TemporaryDirectory(prefix="credstack-saml-")
        folder = Path(self._folder.name)
        key, cert = _file(folder, sp.key, ".key"), _file(folder, sp.cert, ".crt")
        config = SPConfig()
        config.load({
            "entityid": sp.entity_id,
            "xmlsec_binary": _xmlsec(),
            "key_file": key, "cert_file": cert,
            "encryption_keypairs": [{"key_file": key, "cert_file": cert}],
            "metadata": {"inline": [sp.idp_metadata]},
            "accepted_time_diff": _NO_TIME_CHECK,
            "allow_unknown_attributes": True,
            "service": {"sp": {
                "endpoints": {
                    "assertion_consumer_service": [(sp.acs_url, BINDING_HTTP_POST)],
                    "single_logout_service": [(sp.slo_url, BINDING_HTTP_REDIRECT),
                                              (sp.slo_url, BINDING_HTTP_POST)]},
                "want_assertions_signed": True, "want_response_signed": False,
                "authn_requests_signed": True, "logout_requests_signed": True,
                "logout_responses_signed": True,
                # credstack checks InResponseTo itself (core.sso.saml.check), against the
                # request id derived from the signed RelayState: it keeps no list.
                "allow_unsolicited": True,
                "name_id_format": ["urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
                                   "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"],
            }},
        })
        self.client = Saml2Client(config=config)
        self.client.sec.crypto = InProcess(config.xmlsec_binary)
        saml_schema.install()
        self.idp = next(iter(self.client.metadata.identity_providers()))

    def metadata(self) -> str:
        """Our ``EntityDescriptor`` (signing and encryption certificate, endpoints)."""
        document: bytes = create_metadata_string(None, config=self.client.config, valid=None,
                                                 sign=False)
        return document.decode("utf-8")

    def authn_request(self, *, request_id: str, relay_state: str, binding: str) -> Message:
        """A signed AuthnRequest of id ``request_id`` to the identity provider by
        ``binding`` (HTTP-Redirect: the query signed; HTTP-POST: the XML signed)."""
        try:
            if binding == BINDING_HTTP_POST:
                destination = self.client.sso_location(self.idp, BINDING_HTTP_POST)
                _, signed = self.client.create_authn_request(
                    destination, binding=BINDING_HTTP_POST, message_id=request_id,
                    sign=True, sign_alg=SIG_RSA_SHA256)
                return Message(destination, {
                    "SAMLRequest": base64.b64encode(str(signed).encode()).decode("ascii"),
                    "RelayState": relay_state})
            _, info = self.client.prepare_for_authenticate(
                entityid=self.idp, relay_state=relay_state, binding=binding,
                sign=True, sigalg=SIG_RSA_SHA256, message_id=request_id,
                response_binding=BINDING_HTTP_POST)
        except (UnsupportedBinding, SignOnError):
            raise refusal("metadata", f"the identity provider offers no {binding}") from None
        return _message(info, "")

    def read_response(self, encoded: str) -> Assertion:
        """The assertion of an HTTP-POST ``SAMLResponse``: its signature verified with the
        identity provider's key, decrypted with ours."""
        try:
            xml = base64.b64decode(encoded, validate=False)
            root = ElementTree.fromstring(xml)
        except (ValueError, ElementTree.ParseError):
            raise refusal("malformed", "not a SAML response") from None
        if not any(True for _ in root.iter(f"{{{DS}}}Signature")) \
                and root.find(f"{{{SAML}}}EncryptedAssertion") is None:
            raise refusal("unsigned", "neither the response nor its assertion is signed")
        try:
            response = self.client.parse_authn_request_response(encoded, BINDING_HTTP_POST)
        except StatusError as exc:
            raise refusal("denied", str(exc)[:200]) from None
        except UnsolicitedResponse as exc:
            raise refusal("state", str(exc)[:200]) from None
        except (SignatureError, MissingKey) as exc:
            text = str(exc)
            raise refusal("unsigned" if "missing" in text.lower() else "tampered",
                          text[:200]) from None
        except AuthenticationRequiredError:
            raise
        except Exception as exc:  # pysaml2 raises bare Exceptions for most checks.
            text = str(exc)
            reason = ("audience" if "Audience" in text or "recipient" in text.lower()
                      else "tampered" if "sign" in text.lower() else "malformed")
            raise refusal(reason, f"{type(exc).__name__}: {text}"[:200]) from None
        if response is None or response.assertion is None:
            raise refusal("malformed", "no assertion")
        return _assertion(response)

    def _redirect_signed(self, query: dict[str, str], what: str) -> None:
        """Refuse an HTTP-Redirect message whose query (Bindings §3.4.4.1) the identity
        provider did not sign."""
        if not query.get("SigAlg") or not query.get("Signature"):
            raise refusal("unsigned", what)
        certs = self.client.metadata.certs(self.idp, "any", "signing")
        try:
            good = any(verify_redirect_signature(query, self.client.sec.sec_backend, cert)
                       for _, cert in certs)
        except Exception:  # a malformed signature or algorithm: not verified
            good = False
        if not good:
            raise refusal("tampered", what)

    def _signed(self, field: str, encoded: str, *, binding: str, relay_state: str | None,
                sigalg: str | None, signature: str | None) -> None:
        """Refuse a logout message (``field`` SAMLRequest or SAMLResponse) the identity
        provider did not sign: by HTTP-Redirect its query's signature must verify here; by
        HTTP-POST its root element must carry a signature, which pysaml2 verifies when it
        parses the message."""
        what = "LogoutRequest" if field == "SAMLRequest" else "LogoutResponse"
        if binding != BINDING_HTTP_REDIRECT:
            _xml_signed(encoded, what)
            return
        query = {field: encoded, "SigAlg": sigalg or "", "Signature": signature or ""}
        if relay_state is not None:
            query["RelayState"] = relay_state
        self._redirect_signed(query, what)

    def logout_request(self, *, request_id: str, name: NameId, session_index: str,
                       relay_state: str) -> Message:
        """Our LogoutRequest of id ``request_id`` for the person ``name`` (and the session
        ``session_index``) to the identity provider's single logout service, by HTTP-Redirect
        with the query signed (Profiles §4.4.3.1). ``sso.refused.metadata`` when its metadata
        offers none."""
        services = self.client.metadata.single_logout_service(
            self.idp, BINDING_HTTP_REDIRECT, "idpsso") or []
        if not services:
            raise refusal("metadata", "the identity provider offers no single logout by "
                          "HTTP-Redirect")
        destination = str(services[0]["location"])
        _, request = self.client.create_logout_request(
            destination, self.idp, name_id=NameID(
                text=name.text, format=name.format or None,
                name_qualifier=name.name_qualifier or None,
                sp_name_qualifier=name.sp_name_qualifier or None),
            message_id=request_id, session_indexes=[session_index] if session_index else None,
            sign=False)
        info = self.client.apply_binding(BINDING_HTTP_REDIRECT, str(request), destination,
                                         relay_state, sign=True, sigalg=SIG_RSA_SHA256)
        return _message(info, destination)

    def read_logout_response(self, encoded: str, *, binding: str, relay_state: str | None,
                             sigalg: str | None, signature: str | None) -> LogoutAnswer:
        """The identity provider's LogoutResponse, its signature verified: the query's
        (HTTP-Redirect, Bindings §3.4.4.1), or the XML's of a message sent by HTTP-POST
        (§3.5.4: the ``LogoutResponse`` element itself signed); ``sso.refused.denied`` when it
        says the logout failed."""
        self._signed("SAMLResponse", encoded, binding=binding, relay_state=relay_state,
                     sigalg=sigalg, signature=signature)
        try:
            response = self.client.parse_logout_request_response(encoded, binding)
        except StatusError as exc:
            raise refusal("denied", str(exc).splitlines()[-1][:200]) from None
        except SignatureError as exc:
            raise refusal("tampered", f"LogoutResponse: {exc}"[:200]) from None
        except Exception as exc:  # pysaml2's checks raise bare Exceptions.
            raise refusal("malformed", f"{type(exc).__name__}: {exc}"[:200]) from None
        if response is None or response.response is None:
            raise refusal("malformed", "LogoutResponse")
        message = response.response
        code = message.status.status_code if message.status is not None else None
        return LogoutAnswer(
            id=str(message.id),
            issuer=str(message.issuer.text if message.issuer is not None else ""),
            in_response_to=message.in_response_to,
            status=str(code.value if code is not None else ""),
            substatus=str(code.status_code.value if code is not None and code.status_code
                          is not None else ""))

    def read_logout_request(self, encoded: str, *, binding: str, relay_state: str | None,
                            sigalg: str | None, signature: str | None) -> tuple[str, str, str]:
        """(the request's id, its NameID, its SessionIndex or "") once its signature verified
        (the query's for HTTP-Redirect, the XML's for HTTP-POST)."""
        self._signed("SAMLRequest", encoded, binding=binding, relay_state=relay_state,
                     sigalg=sigalg, signature=signature)
        try:
            request = self.client.parse_logout_request(encoded, binding)
        except SignatureError as exc:
            raise refusal("tampered", str(exc)[:200]) from None
        except Exception as exc:  # pysaml2's checks raise bare Exceptions.
            raise refusal("malformed", f"{type(exc).__name__}: {exc}"[:200]) from None
        if request is None or request.message is None or request.message.name_id is None:
            raise refusal("malformed", "LogoutRequest")
        message = request.message
        if message.issuer is None or message.issuer.text != self.idp:
            raise refusal("issuer", "LogoutRequest")
        index = message.session_index[0].text if message.session_index else ""
        return str(message.id), str(message.name_id.text or ""), str(index or "")

    def logout_response(self, encoded: str, *, binding: str, relay_state: str | None,
                        ) -> Message:
        """Our signed LogoutResponse to the request ``encoded`` (already checked), sent back
        by HTTP-Redirect."""
        request = self.client.parse_logout_request(encoded, binding)
        response = self.client.create_logout_response(
            request.message, bindings=[BINDING_HTTP_REDIRECT], sign=False)
        info = self.client.apply_binding(
            BINDING_HTTP_REDIRECT, str(response), response.destination, relay_state or "",
            response=True, sign=True, sigalg=SIG_RSA_SHA256)
        return _message(info, "")


def _xml_signed(encoded: str, what: str) -> None:
    """Refuse an HTTP-POST message (base64 XML) whose root element carries no signature of
    its own; whether it verifies is pysaml2's to find."""
    try:
        root = ElementTree.fromstring(base64.b64decode(encoded, validate=False))
    except (ValueError, ElementTree.ParseError):
        raise refusal("malformed", what) from None
    if root.find(f"{{{DS}}}Signature") is None:
        raise refusal("unsigned", what)


def _texts(values: Any) -> list[str]:
    texts = []
    for value in values or []:
        if value.text and value.text.strip():
            texts.append(value.text.strip())
            continue
        # eduPersonTargetedID's value is a NameID element (SAML 2.0).
        for child in value.extension_elements or []:
            if child.text and child.text.strip():
                texts.append(child.text.strip())
    return texts


def _assertion(response: Any) -> Assertion:
    assertion = response.assertion
    attributes: dict[str, list[str]] = {}
    for statement in assertion.attribute_statement or []:
        for attribute in statement.attribute or []:
            name = attribute.name or attribute.friendly_name or ""
            attributes.setdefault(name, []).extend(_texts(attribute.attribute_value))
    conditions = assertion.conditions
    audiences = tuple(a.text for r in (conditions.audience_restriction if conditions else [])
                      for a in r.audience or [] if a.text)
    confirmations = assertion.subject.subject_confirmation if assertion.subject else []
    datas = [c.subject_confirmation_data for c in confirmations or []
             if c.subject_confirmation_data is not None]
    name_id = assertion.subject.name_id if assertion.subject else None
    statements = assertion.authn_statement or []
    return Assertion(
        id=str(assertion.id),
        issuer=str(assertion.issuer.text if assertion.issuer else ""),
        in_response_to=next((d.in_response_to for d in datas if d.in_response_to),
                            response.in_response_to),
        audiences=audiences,
        recipients=tuple(d.recipient for d in datas if d.recipient),
        not_before=_stamp(conditions.not_before if conditions else None),
        not_on_or_after=_stamp(conditions.not_on_or_after if conditions else None),
        confirmation_ends=tuple(_stamp(d.not_on_or_after) for d in datas),
        name_id=str(name_id.text or "") if name_id is not None else "",
        name_id_format=str(name_id.format or "") if name_id is not None else "",
        session_index=statements[0].session_index if statements else None,
        attributes=attributes,
        name_qualifier=str(name_id.name_qualifier or "") if name_id is not None else "",
        sp_name_qualifier=str(name_id.sp_name_qualifier or "") if name_id is not None else "")


def new_key_pair(common_name: str, *, now: dt.datetime) -> tuple[str, str]:
    """A new RSA-3072 key and a self-signed certificate naming ``common_name`` for ten years
    (PEM, PEM): a service provider's signing and encryption key (SAML metadata carries the
    certificate only as a container of the public key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .sign(key, hashes.SHA256()))
    return (key.private_bytes(serialization.Encoding.PEM,
                              serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()).decode("ascii"),
            cert.public_bytes(serialization.Encoding.PEM).decode("ascii"))
