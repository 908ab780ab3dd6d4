"""Campus single sign-on (issue 57): people sign in through their organisation's identity
provider.

* :mod:`.providers` — an organisation's administrator configures its providers (OpenID
  Connect now; SAML 2.0 next) and the rules from attributes to roles, within a ceiling of
  roles; the sign-in page's list of providers.
* :mod:`.oidc` — the OpenID Connect relying party: discovery, PKCE, a state bound to the
  browser and spent once, the code exchanged, the id_token checked
  (:mod:`credstack.core.sso.oidc`).
* :mod:`.identities` — who a provider's subject is here: an account found by its issuer
  and stable subject, or made for a new person, or (an address with an account already)
  a link that only that account's owner, signed in, confirms; the rules applied at each
  sign-in (:mod:`credstack.core.sso.roles`), every change audited.
"""

__all__: list[str] = []
