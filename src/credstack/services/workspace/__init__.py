"""The workspace of the people who run micro-credentials: an organisation's administration in
the browser (issue 15, item 3).

* :mod:`.home` — the organisations a signed-in user belongs to, and one organisation's home
  (what this user may do there).
* :mod:`.members` — members and their roles: inviting by e-mail, changing a role, removing a
  member; the last administrator is never removed or demoted.
* :mod:`.invitations` — an invitation's link: reading it, accepting it as the signed-in user
  or with a new account.
* :mod:`.clients` — the API clients of the organisation's members: listed, made (the secret
  shown once), revoked.
* :mod:`.keys` — issuer keys and the certificate authority, made, rotated and renewed so that
  a form sent twice changes things once.

Every function here that changes something opens its own transaction and writes its audit
entry; the pages (:mod:`credstack.entrypoints.web.pages.workspace`) only call them. The other
service packages use the names below (the operator's console invites an organisation's first
administrator as the members' page does).
"""

from credstack.services.workspace.members import INVITATION_VALID, invitation_url

__all__ = ["INVITATION_VALID", "invitation_url"]
