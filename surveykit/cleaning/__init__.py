"""Audited cleaning: rules (duplicates, speeders, careless indices, attention, missing).

Public entry points (re-exported from :mod:`surveykit`): :func:`clean`,
:class:`CleaningResult`, :func:`load_rules`. The rule classes live here:

>>> from surveykit.cleaning import Speeders, Longstring, AttentionChecks
>>> rules = [Speeders(seconds_per_item=2, action="exclude"), Longstring(threshold=12)]
"""
from .clean import LOG_COLUMNS, SUMMARY_COLUMNS, CleaningResult, clean
from .kinds import RULE_TYPES
from .personal import PersonalData
from .rulefile import load_rules, rules_from_dicts
from .rules import (
                    ACTIONS,
                    IRV,
                    AttentionChecks,
                    Duplicates,
                    EvenOdd,
                    InvalidValues,
                    Longstring,
                    Mahalanobis,
                    PsychSyn,
                    Rule,
                    Speeders,
                    TooMuchMissing,
)

__all__ = ["clean", "CleaningResult", "load_rules", "rules_from_dicts", "Rule", "Duplicates",
           "Speeders", "Longstring", "IRV", "Mahalanobis", "EvenOdd", "PsychSyn",
           "AttentionChecks", "TooMuchMissing", "InvalidValues", "PersonalData", "RULE_TYPES", "ACTIONS",
           "LOG_COLUMNS", "SUMMARY_COLUMNS"]
