"""The jobs' world (a store with an issuing organisation, its people and a queue the tests
empty themselves), shared with :mod:`tests.services.jobs`."""

from tests.services.jobs.conftest import world

__all__ = ["world"]
