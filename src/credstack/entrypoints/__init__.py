"""What drives credstack: the web application and the command line.

Entrypoints call the use cases in :mod:`credstack.services`; nothing below them imports them.
"""
