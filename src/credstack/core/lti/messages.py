"""The JWTs the tool signs, as claims: the Deep Linking 2.0 response
(https://www.imsglobal.org/spec/lti-dl/v2p0, §4.2) that returns a course link as a content
item, and the client assertion of the 1EdTech Security Framework 1.0 (§4.1, RFC 7523) that
asks the platform's token endpoint for an access token. Signing is the key's owner's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from credstack.core.lti.launches import CLAIM, DL_CLAIM, Launch

__all__ = ["ASSERTION_TYPE", "LINK_PARAMETER", "client_assertion", "deep_linking_response"]

ASSERTION_TYPE: Final = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
#: The custom parameter a content item carries: which course link of credstack it is.
LINK_PARAMETER: Final = "credstack_link"
LIFETIME: Final = dt.timedelta(minutes=5)


def deep_linking_response(launch: Launch, *, link: str, title: str, url: str, nonce: str,
                          now: dt.datetime) -> dict[str, Any]:
    """The claims answering ``launch`` (a deep linking request) with one LTI resource link
    to ``url`` that names the course ``link``."""
    claims: dict[str, Any] = {
        "iss": launch.client_id, "aud": launch.issuer, "azp": launch.client_id,
        "iat": int(now.timestamp()), "exp": int((now + LIFETIME).timestamp()), "nonce": nonce,
        CLAIM + "message_type": "LtiDeepLinkingResponse", CLAIM + "version": "1.3.0",
        CLAIM + "deployment_id": launch.deployment_id,
        DL_CLAIM + "content_items": [{"type": "ltiResourceLink", "title": title, "url": url,
                                      "custom": {LINK_PARAMETER: link}}]}
    if launch.deep_link_data is not None:
        claims[DL_CLAIM + "data"] = launch.deep_link_data
    return claims


def client_assertion(*, client_id: str, token_url: str, jti: str, now: dt.datetime
                     ) -> dict[str, Any]:
    """The claims of a client assertion for ``token_url`` (``iss`` and ``sub``: the client)."""
    return {"iss": client_id, "sub": client_id, "aud": token_url, "jti": jti,
            "iat": int(now.timestamp()), "exp": int((now + LIFETIME).timestamp())}
