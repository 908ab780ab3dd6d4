"""OAuth 2.0 rules that need no I/O: which scopes a learner may grant an application, and
what a dynamically registered client's metadata must look like.

* :mod:`.scopes` — the scopes of the authorization code grant and their descriptions.
* :mod:`.registration` — RFC 7591 client metadata as credstack accepts it (the Open Badges
  3.0 profile: every URL on the redirect URIs' host, HTTPS or a loopback address).
"""
