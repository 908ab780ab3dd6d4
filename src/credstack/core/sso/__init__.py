"""Campus single sign-on, the pure part: the checks of an OpenID Connect id_token
(:mod:`.oidc`) and the rules that turn a provider's attributes into roles (:mod:`.roles`)."""
