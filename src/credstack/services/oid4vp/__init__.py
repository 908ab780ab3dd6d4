"""OpenID for Verifiable Presentations 1.0: credstack as a verifier (:mod:`.verifier`) and the
learner's wallet as a holder (:mod:`.holder`)."""
