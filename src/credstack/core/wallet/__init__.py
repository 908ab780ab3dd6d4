"""The learner's wallet: whose a credential is, what it adds to the record, what is shared.

Pure: the wallet service (:mod:`credstack.services.wallet`) reads and stores; these modules
decide — whether a credential names one of the learner's identifiers
(:mod:`~credstack.core.wallet.recipients`), the record entry a verified credential makes
(:mod:`~credstack.core.wallet.entries`) and the record's totals.
"""
