"""Running credstack in production: health, metrics, backups.

The other service packages count what they do through these names (:mod:`.metrics`):
:func:`count_credentials`, :func:`count_verification`, :func:`count_mail`,
:func:`count_job`, and :func:`after_commit` (a count made once the transaction commits).
The id of the request being served is :mod:`credstack.services.requests`.
"""

from credstack.services.operations.metrics import (
    after_commit,
    count_credentials,
    count_job,
    count_mail,
    count_verification,
)

__all__ = ["after_commit", "count_credentials", "count_job", "count_mail", "count_verification"]
