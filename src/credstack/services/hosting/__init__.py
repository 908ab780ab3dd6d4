"""The Open Badges 3.0 and CLR 2.0 REST APIs, with credstack as the Host of the learner's
wallet: :mod:`.service` (credentials listed and upserted, the profile read and updated, the
Service Description Document)."""
