"""surveykit — mixed-methods survey research, correct to the last digit.

The public API is re-exported here (lazily, so ``import surveykit`` stays fast):

>>> import surveykit as sk
>>> ins = sk.load_instrument("local_protectionism")          # doctest: +SKIP
>>> res = sk.reliability(data, scale="market_barriers", instrument=ins)  # doctest: +SKIP

Each name maps to the module that defines it; see docs/api.md.
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public name -> defining module (relative to this package)
_EXPORTS: dict[str, str] = {
    # errors and results
    "SurveykitError": ".errors", "ParameterError": ".errors", "DataError": ".errors",
    "InstrumentError": ".errors", "ResponsesError": ".errors", "AnalysisError": ".errors",
    "QualError": ".errors", "ValidationError": ".errors", "SurveykitWarning": ".errors",
    "DataWarning": ".errors",
    "Result": ".result", "Provenance": ".result",
    # instrument
    "Instrument": ".instrument.model", "combine": ".instrument.model",
    "load_instrument": ".instrument.load", "validate_instruments": ".instrument.validate",
    "diff_instruments": ".instrument.diff", "crosswalk": ".instrument.diff",
    "load_study_instruments": ".instrument.load", "load_questionnaire": ".instrument.load",
    "export_instrument": ".instrument.export", "import_instrument": ".instrument.imports",
    "draft_instrument": ".responses.draft",
    # responses, cleaning, scoring
    "Responses": ".responses.model", "read_responses": ".responses.read",
    "write_responses": ".responses.export",
    "pool_waves": ".responses.waves",
    "clean": ".cleaning.clean", "CleaningResult": ".cleaning.clean",
    "load_rules": ".cleaning.rulefile",
    "score": ".scoring", "reverse_keyed": ".scoring",
    # analysis
    "reliability": ".analysis.reliability.scale",
    "describe_sample": ".analysis.describe.sample", "describe_scales": ".analysis.describe.scales",
    "describe_scores": ".analysis.describe.scores",
    "multiple_response": ".analysis.describe.multiresponse", "kmo": ".analysis.factor.factorability",
    "bartlett": ".analysis.factor.factorability", "parallel_analysis": ".analysis.factor.parallel",
    "efa": ".analysis.factor.efa", "cfa": ".analysis.sem.cfa", "invariance": ".analysis.sem.invariance",
    "compare_groups": ".analysis.groups.compare", "crosstab": ".analysis.groups.crosstab",
    "compare_paired": ".analysis.groups.paired",
    "correlations": ".analysis.regression.correlations", "regress": ".analysis.regression.ols",
    "moderation": ".analysis.regression.moderation", "mediation": ".analysis.regression.mediation",
    "aggregation": ".analysis.aggregation.agreement",
    "common_method_bias": ".analysis.validity.common_method",
    "sem": ".analysis.sem.sem", "SemResult": ".analysis.sem.sem",
    "cfa_model": ".analysis.sem.syntax",
    "modindices": ".analysis.sem.modindices",
    # qualitative and mixed
    "read_notes": ".qual.notes", "load_codebook": ".qual.codebook",
    "load_codings": ".qual.codings", "check_codings": ".qual.codings",
    "code_frequencies": ".qual.stats", "code_cooccurrence": ".qual.stats",
    "retrieve_segments": ".qual.stats",
    "agreement": ".qual.agreement", "read_qdpx": ".qual.qdpx", "write_qdpx": ".qual.qdpx",
    "QdaProject": ".qual.project",
    "joint_display": ".mixed",
    # example data
    "simulate_study": ".datasets",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    mod = _EXPORTS.get(name)
    if mod is None:
        raise AttributeError(f"module 'surveykit' has no attribute {name!r}")
    value = getattr(importlib.import_module(mod, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
