"""What happens to a credential once issued, as its issuer may see it: pure rules.

* :mod:`.events` — the kinds of event counted (e-mailed, opened, claimed, shared, verified),
  the tallies they add up to, and the month an event is counted in.
* :mod:`.figures` — an organisation's figures per month as rows and CSV.
* :mod:`.notices` — when a learner is reminded of an unclaimed credential or told of an
  expiry coming, and how an organisation's settings for both are read.
"""
