"""The credit bank's use cases (issue 16) over the pure core in
:mod:`credstack.core.creditbank`:

* :mod:`.targets` — an organisation publishes a target (a pathway file), checked with
  positioned errors;
* :mod:`.accounts` — a learner's account: deposits of their own wallet credentials,
  re-verified at deposit, entered in the ledger;
* :mod:`.applications` — evaluating deposits against a target (re-verified at decision time),
  applying for credit transfer, and the registrar's list, adjustments, approval (the counted
  credits withdrawn irrevocably) and refusal.

Every change is audited (``creditbank.*``); every refusal the service decides itself is
audited too, in a transaction of its own, before it is raised. The other service packages use
the names below (the background jobs run the lifecycle: :mod:`.lifecycle`).
"""

from credstack.services.creditbank.lifecycle import CHUNK, expire, owner_of, recheck, reevaluate

__all__ = ["CHUNK", "expire", "owner_of", "recheck", "reevaluate"]
