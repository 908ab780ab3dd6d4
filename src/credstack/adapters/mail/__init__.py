"""Sending e-mail: the SMTP connection (:mod:`.smtp`), messages as they go on the wire
(:mod:`.messages`) and the templates they are written from (:mod:`.rendering`).

The outbox that decides what to send and when is :mod:`credstack.services.mail`.
"""
