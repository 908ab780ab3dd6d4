"""What an employer checks of a candidate: the credentials they sent verified side by side
(:mod:`.comparison`), and matched to a role's skills (:mod:`.matching`); the addresses of
this site's own credentials and share links, read from the store (:mod:`.own_links`, for
both verification pages). It stands above the verifiers, the wallet (a share link is opened
as its page opens it) and the skills.
"""

from credstack.services.candidates.comparison import (
    MAX_CREDENTIALS,
    MAX_TOTAL_BYTES,
    Given,
    compare,
    pasted,
)
from credstack.services.candidates.matching import CandidateMatch, candidate

__all__ = ["MAX_CREDENTIALS", "MAX_TOTAL_BYTES", "CandidateMatch", "Given", "candidate",
           "compare", "pasted"]
