"""The public registry's search index: rebuilding it from the store and saying what the saved
one holds (:mod:`credstack.services.registry.service`)."""

from credstack.services.registry.service import reindex

__all__ = ["reindex"]
