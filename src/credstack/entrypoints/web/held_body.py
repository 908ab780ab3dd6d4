"""A request's body read whole by a middleware that judges it, then handed on unchanged.

:func:`hold` reads every ``http.request`` message; :meth:`HeldBody.replay` is the ``receive``
the application is called with, which gives those messages back, then the error a size limit
raised while they were read (a route that states its own limit meets it as it reads), then
whatever comes after. The text screen and the nesting limit both judge a body this way.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import Message, Receive

from credstack.errors import InputTooLargeError

__all__ = ["HeldBody", "hold"]


@dataclass(slots=True)
class HeldBody:
    messages: list[Message]
    #: What a size limit raised while the body was read (``None``: read whole).
    cut: InputTooLargeError | None

    @property
    def body(self) -> bytes | None:
        """The body's bytes, ``None`` when it was cut short."""
        if self.cut is not None:
            return None
        return b"".join(m.get("body", b"") for m in self.messages
                        if m["type"] == "http.request")

    def replay(self, receive: Receive) -> Receive:
        """The ``receive`` that gives the held messages back, then the cut, then ``receive``."""
        pending = iter(self.messages)

        async def replayed() -> Message:
            message = next(pending, None)
            if message is not None:
                return message
            if self.cut is not None:
                raise self.cut
            return await receive()

        return replayed


async def hold(receive: Receive) -> HeldBody:
    """Read the request's body whole from ``receive``."""
    messages: list[Message] = []
    try:
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request" or not message.get("more_body"):
                break
    except InputTooLargeError as error:
        return HeldBody(messages, error)
    return HeldBody(messages, None)
