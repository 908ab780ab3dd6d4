"""The application's use cases, one package per use case.

Web routes, pages and CLI commands call these services and nothing below them; a service
opens the transaction, calls the functional core and the driven adapters (the database, the
resolvers, the key store, the search index, the time-stamping authority) and writes the audit
entry for every state change it makes.
"""
