"""What the workers run: the built-in kinds of background job (:mod:`.handlers`: issuing to a
cohort, a batch's certificates as a zip, sending the e-mail, re-indexing the registry, the
review reminders, the credit bank's lifecycle, the imported registries' refresh) and the
worker with its schedule (:mod:`.worker`).

It stands above every service it calls, which start their jobs through
:mod:`credstack.services.jobs` alone: importing this package registers the built-in kinds, as
the web application, the ``credstack worker`` command and the tests that run jobs do.
"""

from credstack.services.background import federation as federation
from credstack.services.background import handlers as handlers
from credstack.services.background import lti as lti

__all__ = ["federation", "handlers", "lti"]
