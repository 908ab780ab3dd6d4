"""credstack: an open micro-credential ecosystem.

The functional core lives in :mod:`credstack.core` (descriptors, framework profiles,
validation); the adapters in :mod:`credstack.adapters` (database, web, CLI) do the I/O.
"""

__version__ = "0.1.0"
