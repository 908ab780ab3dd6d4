"""The credit bank core's public surface, pinned: what services may build on."""

from __future__ import annotations

import credstack.core.creditbank as creditbank


def test_the_public_surface_is_pinned() -> None:
    """Adding or removing a name is a decision, made here."""
    assert sorted(creditbank.__all__) == sorted([
        "Adjustment", "Appraisal", "Award", "Balance", "CapUse", "Change", "Conflict",
        "Converted", "Counted", "CreditRate", "Decision", "Deposit", "DepositKind",
        "Excluded", "Jurisdiction", "LedgerEntry", "Level", "MinimumCheck", "Movement",
        "Reason", "Requirement", "RequirementOutcome", "Rounding", "Route", "Rule",
        "RuleKind", "Target", "TargetKind", "adjusted", "appraise", "balances", "changes",
        "convert", "credit_rates", "deposit_of", "evaluate", "expiries_due", "explain",
        "jurisdictions", "load_jurisdictions", "load_target", "post", "restored",
        "roundings"])
    assert all(hasattr(creditbank, name) for name in creditbank.__all__)
