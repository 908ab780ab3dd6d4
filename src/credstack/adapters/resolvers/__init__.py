"""Resolvers: the adapters that look up what a credential refers to.

* :mod:`~credstack.adapters.resolvers.contexts` — JSON-LD contexts, bundled in the package or
  pinned by the operator (``CREDSTACK_CONTEXTS_FILE``) and served by a local document loader;
  any other context is an error, never a fetch.

The core (proofs, verification) never imports this package: it receives a document loader
(and any other resolver) as a parameter, and the adapters fill in these defaults at the edge.
"""
