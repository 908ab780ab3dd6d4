"""What happens to the credentials an organisation issued, as its issuers see it.

* :mod:`.service` — the issuer's view: an organisation's figures per month, its batches,
  one batch, one credential (with its e-mails);
* :mod:`.messages` — a credential's e-mail as the learner got it, sent again to the same or
  a corrected address;
* :mod:`.notices` — what learners are told: claim reminders, expiry notices, suspension and
  reinstatement; an organisation's settings for them, and the daily job that sends them.

Events are counted when they happen by :mod:`credstack.services.counting` (the claim link
followed, a claim, a share link made, a verification), below the packages where they happen
(mail, the wallet, OID4VCI). Counting is not audited: a count records what a visitor or a
wallet did, not a change anyone made, and an audit entry per verification would bury the
log. What issuers change here (the settings, a resend) is audited.
"""

from credstack.services.activity.notices import JOB_KIND as NOTICES_JOB
from credstack.services.activity.notices import send_due, status_notice

__all__ = ["NOTICES_JOB", "send_due", "status_notice"]
