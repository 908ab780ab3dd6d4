"""What drives credstack: the web application, the command line and the composition root that
wires them to a store (:mod:`credstack.entrypoints.bootstrap`).

Entrypoints call the use cases in :mod:`credstack.services`; nothing below them imports them.
"""
