"""credstack as an LTI 1.3 Advantage tool (issue 43): platforms registered by hand or by
LTI Dynamic Registration (:mod:`.platforms`), the OIDC login and the verified launch
(:mod:`.launches`), LMS users linked to accounts (:mod:`.identities`), the tool's key and
JWK set (:mod:`.keys`), course links made by deep linking and what a launched learner sees
of them (:mod:`.links`), and the credentials issued to the learners who meet a link's rule
(:mod:`.awards`, through :mod:`.advantage`: NRPS and AGS)."""

from credstack.services.lti.awards import Synced, batch_of, sync
from credstack.services.lti.claims import claim_offer, offer_shown
from credstack.services.lti.identities import (
    CONNECT_LIFETIME,
    Identity,
    Linked,
    connect_token,
    link_identity,
    linked_identities,
    unlink_identity,
    valid_token,
)
from credstack.services.lti.keys import jwks
from credstack.services.lti.launches import (
    Login,
    Verified,
    launch,
    launch_url,
    login,
    login_origin,
)
from credstack.services.lti.links import (
    Answer,
    Choice,
    CourseLink,
    Learner,
    Progress,
    all_links,
    choices,
    link_organisation,
    links,
    make_link,
    progress,
)
from credstack.services.lti.platforms import (
    MadeToken,
    PlatformForm,
    RegistrationToken,
    StoredPlatform,
    approve,
    make_registration_token,
    platforms,
    register,
    register_dynamic,
    registration_tokens,
)
from credstack.services.lti.purge import purge as purge_expired

__all__ = ["CONNECT_LIFETIME", "Answer", "Choice", "CourseLink", "Identity", "Learner",
           "Linked", "Login", "MadeToken", "PlatformForm", "Progress", "RegistrationToken",
           "StoredPlatform", "Synced", "Verified",
           "all_links", "approve", "batch_of", "choices", "claim_offer", "connect_token", "jwks",
           "launch", "launch_url", "link_identity", "link_organisation", "linked_identities",
           "links", "login", "login_origin", "make_link", "make_registration_token",
           "offer_shown", "platforms", "progress", "purge_expired", "register",
           "register_dynamic", "registration_tokens", "sync", "unlink_identity", "valid_token"]
