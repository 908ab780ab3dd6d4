"""The credit bank's pure core (issue 16): verified learning counted toward larger credentials.

Pure: no web, database, network or clock — ``today`` is always a parameter. One noun per
module:

* :mod:`.conversion` — credits between systems (単位, ECTS, MQA, NZ, US, 학점) through hours,
  the rounding named, conflicts between stated credits and hours reported;
* :mod:`.jurisdictions` — each jurisdiction's routes, awards and rules (caps, minimums,
  expiries), every figure naming its source;
* :mod:`.pathways` — a :class:`Target` and its requirements, loaded from YAML/JSON with
  positioned errors (:mod:`.positions`);
* :mod:`.deposits` — a :class:`Deposit`: a wallet entry with its kind, route, verification,
  grade and day earned;
* :mod:`.ledger` — credits as a ledger of deposit, reserve, withdraw and expire entries;
* :mod:`.engine` — :func:`evaluate`: deposits against a target → a :class:`Decision`
  (:mod:`.decisions`), explained in ja/en by :func:`explain`;
* :mod:`.adjustments` — a registrar's adjustments of a decision, refused beyond its caps;
* :mod:`.changes` — :func:`changes`: what changed in a target's rules between two versions,
  said in ja/en;
* :mod:`.stored` — :func:`restored`: a decision read back from the data an application keeps
  (adjusted), to be explained again in either language.

Errors: :class:`~credstack.errors.PathwayError` (a rule file that cannot be used),
:class:`~credstack.errors.CreditConversionError` (an unknown credit system),
:class:`~credstack.errors.LedgerError` (a ledger entry the ledger refuses).
"""

from __future__ import annotations

from credstack.core.creditbank.adjustments import Adjustment as Adjustment
from credstack.core.creditbank.adjustments import adjusted as adjusted
from credstack.core.creditbank.changes import Change as Change
from credstack.core.creditbank.changes import changes as changes
from credstack.core.creditbank.conversion import Appraisal as Appraisal
from credstack.core.creditbank.conversion import Conflict as Conflict
from credstack.core.creditbank.conversion import Converted as Converted
from credstack.core.creditbank.conversion import CreditRate as CreditRate
from credstack.core.creditbank.conversion import Rounding as Rounding
from credstack.core.creditbank.conversion import appraise as appraise
from credstack.core.creditbank.conversion import convert as convert
from credstack.core.creditbank.conversion import credit_rates as credit_rates
from credstack.core.creditbank.conversion import roundings as roundings
from credstack.core.creditbank.decisions import CapUse as CapUse
from credstack.core.creditbank.decisions import Counted as Counted
from credstack.core.creditbank.decisions import Decision as Decision
from credstack.core.creditbank.decisions import Excluded as Excluded
from credstack.core.creditbank.decisions import MinimumCheck as MinimumCheck
from credstack.core.creditbank.decisions import Reason as Reason
from credstack.core.creditbank.decisions import RequirementOutcome as RequirementOutcome
from credstack.core.creditbank.decisions import explain as explain
from credstack.core.creditbank.deposits import Deposit as Deposit
from credstack.core.creditbank.deposits import DepositKind as DepositKind
from credstack.core.creditbank.deposits import deposit_of as deposit_of
from credstack.core.creditbank.engine import evaluate as evaluate
from credstack.core.creditbank.jurisdictions import Award as Award
from credstack.core.creditbank.jurisdictions import Jurisdiction as Jurisdiction
from credstack.core.creditbank.jurisdictions import Route as Route
from credstack.core.creditbank.jurisdictions import Rule as Rule
from credstack.core.creditbank.jurisdictions import RuleKind as RuleKind
from credstack.core.creditbank.jurisdictions import jurisdictions as jurisdictions
from credstack.core.creditbank.jurisdictions import load_jurisdictions as load_jurisdictions
from credstack.core.creditbank.ledger import Balance as Balance
from credstack.core.creditbank.ledger import LedgerEntry as LedgerEntry
from credstack.core.creditbank.ledger import Movement as Movement
from credstack.core.creditbank.ledger import balances as balances
from credstack.core.creditbank.ledger import expiries_due as expiries_due
from credstack.core.creditbank.ledger import post as post
from credstack.core.creditbank.pathways import Level as Level
from credstack.core.creditbank.pathways import Requirement as Requirement
from credstack.core.creditbank.pathways import Target as Target
from credstack.core.creditbank.pathways import TargetKind as TargetKind
from credstack.core.creditbank.pathways import load_target as load_target
from credstack.core.creditbank.stored import restored as restored

__all__ = [
    "Adjustment", "Appraisal", "Award", "Balance", "CapUse", "Change", "Conflict",
    "Converted", "Counted", "CreditRate", "Decision", "Deposit", "DepositKind", "Excluded",
    "Jurisdiction", "LedgerEntry", "Level", "MinimumCheck", "Movement", "Reason",
    "Requirement", "RequirementOutcome", "Rounding", "Route", "Rule", "RuleKind", "Target",
    "TargetKind", "adjusted", "appraise", "balances", "changes", "convert", "credit_rates",
    "deposit_of", "evaluate", "expiries_due", "explain", "jurisdictions",
    "load_jurisdictions", "load_target", "post", "restored", "roundings",
]
