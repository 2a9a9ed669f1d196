"""Every built-in rule by its ``rule:`` name (the registry rules files are read with).

Apart from :mod:`.rules` so that rule modules (``rules``, ``personal``) import the base
classes and nothing imports back.
"""
from __future__ import annotations

from .personal import PersonalData
from .rules import (
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

__all__ = ["RULE_TYPES"]

RULE_TYPES: dict[str, type[Rule]] = {c.kind: c for c in (
    Duplicates, Speeders, Longstring, IRV, Mahalanobis, EvenOdd, PsychSyn, AttentionChecks,
    TooMuchMissing, InvalidValues, PersonalData)}
