"""Open Badges 2.0: the hosted Badge Objects of credentials credstack issued, their keys and
signed badges (:mod:`.service`, :mod:`.documents`, :mod:`.keys`), and verifying assertions,
hosted or signed (:mod:`.verification`).

The other service packages use :class:`Ob2Sources` and :func:`verify_ob2` (the any-format
verifier), and :func:`assertion_credential` (the wallet knows an assertion hosted here for
the credential it stands for); the rest is for the entrypoints.
"""

from credstack.services.openbadges_v2.service import assertion_credential
from credstack.services.openbadges_v2.verification import Ob2Sources, verify_ob2

__all__ = ["Ob2Sources", "assertion_credential", "verify_ob2"]
