"""Instruments: the immutable model, loading and validation, versions, exports.

The model classes are imported eagerly (every stage uses them); loaders, validation,
versions, diff and exports load on first use so ``import surveykit.instrument`` stays fast.
"""
from __future__ import annotations

import importlib
from typing import Any

from .model import (
    Instrument,
    Item,
    LocalizedText,
    MissingCode,
    Option,
    ResponseScale,
    Scale,
    Section,
    combine,
)

_LAZY = {
    "load_instrument": ".load", "read_instrument": ".load", "load_study_instruments": ".load",
    "load_questionnaire": ".load", "STUDY_INSTRUMENTS": ".load", "instrument_file": ".load",
    "validate_instruments": ".validate", "InstrumentCheck": ".validate",
    "parse_condition": ".expressions", "evaluate_condition": ".expressions",
    "new_version": ".versions", "release": ".versions",
    "diff_instruments": ".diff", "crosswalk": ".diff", "InstrumentDiff": ".diff",
    "export_instrument": ".export",
}
_ALIASES = {"parse_condition": "parse", "evaluate_condition": "evaluate"}

__all__ = ["Instrument", "Item", "LocalizedText", "MissingCode", "Option", "ResponseScale",
           "Scale", "Section", "combine", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module 'surveykit.instrument' has no attribute {name!r}")
    value = getattr(importlib.import_module(mod, __name__), _ALIASES.get(name, name))
    globals()[name] = value
    return value
