"""The links of the "credential issued" e-mail."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

from credstack.core.mail import credential_links


def test_the_links_point_at_the_deployment_and_fill_in_linkedin() -> None:
    """Wallet, PDF, verification page; LinkedIn's form with the name, organisation, month
    and the verification page, every value encoded."""
    links = credential_links("https://c.example.jp/", credential_id="urn:uuid:1",
                             title="データ & AI", organisation_name="北都 <大学>",
                             issued_on=dt.date(2026, 3, 31), language="en")
    assert links.wallet == "https://c.example.jp/wallet"
    assert links.claim == "https://c.example.jp/claim/urn:uuid:1"
    assert links.download == ("https://c.example.jp/api/credentials/urn:uuid:1/"
                              "certificate.pdf?lang=en")
    assert links.verify == "https://c.example.jp/verify/urn:uuid:1"
    parts = urlsplit(links.linkedin)
    assert (parts.netloc, parts.path) == ("www.linkedin.com", "/profile/add")
    assert " " not in links.linkedin and "&AI" not in links.linkedin
    assert parse_qs(parts.query) == {
        "startTask": ["CERTIFICATION_NAME"], "name": ["データ & AI"],
        "organizationName": ["北都 <大学>"], "issueYear": ["2026"], "issueMonth": ["3"],
        "certUrl": ["https://c.example.jp/verify/urn:uuid:1"], "certId": ["urn:uuid:1"]}
