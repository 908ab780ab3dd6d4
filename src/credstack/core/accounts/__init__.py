"""Accounts' pure rules: e-mail addresses, the password policy, the sign-in lockout, TOTP
codes, and whose accounts an administrator may look after.

No storage and no clock: the accounts services (:mod:`credstack.services.accounts`) read the
stored facts and the time, and apply these.
"""
