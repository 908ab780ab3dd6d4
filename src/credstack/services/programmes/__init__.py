"""Programmes and their versions: the providers' drafts and what the registry publishes.

* :mod:`.service` — the API's programmes: listing and reading them as the caller may see
  them (drafts only for those who may write the programme), creating, updating and
  publishing versions, each audited once (``programme.created``, ``programme.updated``,
  ``programme.published``) and indexed for search when something is published.
* :mod:`.published` — what the public sees: newest published versions, a programme's page,
  counts, search, the sitemap's ranges.
* :mod:`.comparison` — published programmes side by side.
* :mod:`.exchange` — CTDL and Open Badges 3.0 documents of published programmes, and whole
  exports.
* :mod:`.importing` — whole files of organisations and programmes, all or nothing (audited
  once per import as ``programmes.imported``, with its counts).
* :mod:`.views` — what these return.

No other service package uses this one: it stands at the top of the services, and its
modules are called by the entrypoints (the registry's pages, the API and the import
commands). Its front door is therefore empty; a name goes into ``__all__`` when another
service package needs it.
"""

__all__: list[str] = []
