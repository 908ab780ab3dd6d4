"""Programmes and their versions: the providers' drafts and what the registry publishes.

* :mod:`.service` — the API's programmes: listing and reading them as the caller may see
  them (drafts only for those who may write the programme), creating, updating and
  publishing versions, each audited once (``programme.created``, ``programme.updated``,
  ``programme.published``) and indexed for search when something is published.
* :mod:`.views` — what these return.
"""
