"""The operator's console: what the platform's operators (registry admins) do for the whole
platform.

* :mod:`.applications` — providers apply to join (a public form); the operator approves (the
  organisation and its administrator's invitation are made) or refuses with a reason; the
  applicant is e-mailed either way.
* :mod:`.suspensions` — suspending and reinstating an organisation (it issues nothing while
  suspended; its programmes stay readable, marked).
* :mod:`.people` — every account: search, roles in each organisation, lock, unlock, end
  sessions.
* :mod:`.moderation` — reports of a problem with a programme, and hiding one with a public
  reason or dismissing the report.
* :mod:`.figures` — the platform's figures by month, read from counters kept as the events
  happen.
* :mod:`.health` — the job queue, the mail outbox, the audit log's checkpoint, the store's
  size.

Every change is audited; only registry admins act here (:func:`.operators.require_operator`).

No other service package uses this one: it stands at the top of the services, and its
modules are called by the entrypoints (the operator's console pages and commands). Its front
door is therefore empty; a name goes into ``__all__`` when another service package needs it.
"""

__all__: list[str] = []
