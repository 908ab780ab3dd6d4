"""Message catalogues of the pages, one module per area, merged into ``i18n.MESSAGES``.

Each module holds ``MESSAGES: dict[str, tuple[str, str]]`` — (ja, en) pairs, keys prefixed by
the area (``accounts.…``, ``recognition.…``) so that no two catalogues share a key.
"""
