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
* :mod:`.generations` — the generation of what a public programme page shows, which the
  pages, the API and verification keep what they read of programmes by.
* :mod:`.views` — what these return.

Its modules are called by the entrypoints (the registry's pages, the API and the import
commands); another service package uses only the names in ``__all__``.
"""

from credstack.services.programmes.generations import known_page_generation, page_generation

__all__ = ["known_page_generation", "page_generation"]
