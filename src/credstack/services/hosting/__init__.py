"""The Open Badges 3.0 and CLR 2.0 REST APIs, with credstack as the Host of the learner's
wallet: :mod:`.service` (credentials listed and upserted, the profile read and updated, the
Service Description Document).

No other service package uses this one: it stands at the top of the services, and its
modules are called by the entrypoints (the Open Badges and CLR hosting API). Its front door
is therefore empty; a name goes into ``__all__`` when another service package needs it.
"""

__all__: list[str] = []
