"""Organisations: the providers that award micro-credentials and the bodies that recognise
them.

* :mod:`.service` — creating and updating an organisation (audited as
  ``organisation.created`` and ``organisation.updated``), listing and reading them.
* :mod:`.providers` — organisations as the public registry shows them: those with published
  programmes, counted by those only, and the sitemap's view of them.

The stored organisation (:class:`~.service.StoredOrganisation`) is the view both return.
"""

from credstack.services.organisations.service import get_organisation, update_organisation

__all__ = ["get_organisation", "update_organisation"]
