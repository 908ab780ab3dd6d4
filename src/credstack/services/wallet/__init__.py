"""The learner's wallet: identifiers and holder key, credentials kept and checked, the record,
collections, share links, presentations and the archive (issue 14).

Every function takes the :class:`~credstack.core.access.Actor` and works on the principal's
own wallet only (``wallet:read`` / ``wallet:write``, self-service: see
:mod:`credstack.core.access.policy`); nothing here reaches another learner's wallet.
"""
