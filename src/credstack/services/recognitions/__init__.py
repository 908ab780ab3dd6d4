"""Recognitions: a programme version recognised under a framework, with its signed
endorsement (:mod:`.service`: granted, withdrawn, read), and the published decisions'
transparency pages (:mod:`.transparency`).

The other service packages use the names below: review grants and withdraws recognitions,
the registry lists a programme's, the verifier reads the endorsements of an achievement.
"""

from credstack.services.recognitions.service import (
    RecognitionRecord,
    endorsements_for,
    grant,
    recognition,
    recognitions_for_programme,
    withdraw,
)

__all__ = ["RecognitionRecord", "endorsements_for", "grant", "recognition",
           "recognitions_for_programme", "withdraw"]
