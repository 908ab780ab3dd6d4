"""The links a learner's "credential issued" e-mail carries.

* the wallet (``{public_url}/wallet``): signed in with the address the credential was issued
  to (once verified), the wallet takes in the credentials issued to it by itself; the e-mail
  links it through the claim link (``/claim/{id}``), which counts that the link was followed
  (for the issuer's view, no tracking pixel) and goes on to the wallet;
* the signed PDF certificate (``/api/credentials/{id}/certificate.pdf``), which the learner
  downloads once signed in with that address;
* the public verification page (``/verify/{id}``), where certificates' QR codes lead: what
  LinkedIn shows as the certification's URL;
* LinkedIn's "Add to profile" form, filled in (``startTask=CERTIFICATION_NAME``), as
  LinkedIn documents it for certification providers:
  https://addtoprofile.linkedin.com/
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote, urlencode

from credstack.core.certificates.models import LANGUAGES as CERTIFICATE_LANGUAGES

LINKEDIN_ADD: Final = "https://www.linkedin.com/profile/add"


@dataclass(frozen=True, slots=True)
class CredentialLinks:
    wallet: str
    download: str
    verify: str
    linkedin: str
    claim: str = ""


def _path_id(credential_id: str) -> str:
    return quote(credential_id, safe=":")


def linkedin_add_url(*, name: str, organisation_name: str, issued_on: dt.date, cert_url: str,
                     cert_id: str) -> str:
    """LinkedIn's "Add licence or certification" form, filled in with the credential."""
    query = urlencode({"startTask": "CERTIFICATION_NAME", "name": name,
                       "organizationName": organisation_name,
                       "issueYear": str(issued_on.year), "issueMonth": str(issued_on.month),
                       "certUrl": cert_url, "certId": cert_id}, quote_via=quote)
    return f"{LINKEDIN_ADD}?{query}"


def credential_links(public_url: str, *, credential_id: str, title: str,
                     organisation_name: str, issued_on: dt.date,
                     language: str = "ja") -> CredentialLinks:
    """Every link of the e-mail about ``credential_id`` on the deployment at ``public_url``."""
    base = public_url.rstrip("/")
    verify = f"{base}/verify/{_path_id(credential_id)}"
    return CredentialLinks(
        wallet=f"{base}/wallet",
        download=f"{base}/api/credentials/{_path_id(credential_id)}/certificate.pdf"
                 f"?lang={language if language in CERTIFICATE_LANGUAGES else 'ja'}",
        verify=verify,
        linkedin=linkedin_add_url(name=title, organisation_name=organisation_name,
                                  issued_on=issued_on, cert_url=verify,
                                  cert_id=credential_id),
        claim=f"{base}/claim/{_path_id(credential_id)}")
