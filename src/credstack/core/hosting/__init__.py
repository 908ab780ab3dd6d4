"""The Open Badges 3.0 and CLR 2.0 REST APIs' rules, without I/O: which API serves what
(:mod:`.apis`), the Service Description Document (:mod:`.discovery`), paging (:mod:`.paging`)
and the ``Imsx_StatusInfo`` of errors (:mod:`.status`). The service is
:mod:`credstack.services.hosting`; credstack is the *Host* (resource server) of the learner's
wallet."""
