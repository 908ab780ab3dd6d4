"""The review process: applications for recognition, from the applicant's first draft to the
published decision (:mod:`.service` in the caller's session, :mod:`.workflow` on a runtime),
the applicants' files, the assessors' work, the reminders, and the published decisions as
anyone may read them (:mod:`.transparency`).

The other service packages use the names below (the background jobs send the reminders).
"""

from credstack.services.review.workflow import send_reminders

__all__ = ["send_reminders"]
