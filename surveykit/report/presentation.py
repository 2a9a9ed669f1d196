"""Which tables and sentence a Result is shown as in the report (the dispatch of
:meth:`Report.add <surveykit.report.Report.add>`).

:data:`PRESENTERS` maps a Result class name to the module and functions that present it:

* ``parts(res, name, instrument) -> list[TablePart]`` — the tables (see
  :class:`.process_tables.TablePart`);
* ``sentence(res, lang, name, instrument) -> str`` — the result's numbers in a sentence.

Modules are imported only when a result of that class is shown. Mediation and moderation
(:mod:`.process_tables`) keep their own dispatch. A class not listed is shown as its
``.table`` (:func:`presentation` returns None).
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from .i18n import Text

__all__ = ["PRESENTERS", "MANY_PRESENTERS", "presentation", "sentence_of", "many_presentation"]

#: Result class name -> (module under surveykit.report, parts function, sentence function).
#: Add one line per presented class (append-only; keep the modules small, one per family).
PRESENTERS: dict[str, tuple[str, str, str]] = {
    "SampleProfile": ("describe_tables", "sample_parts", "sample_sentence"),
    "ScaleDescriptives": ("describe_tables", "scales_parts", "scales_sentence"),
    "ScoreDescriptives": ("describe_tables", "scores_parts", "scores_sentence"),
    "HierarchicalRegression": ("hierarchical_table", "hierarchical_parts",
                               "hierarchical_sentence"),
    "CommonMethodBias": ("check_tables", "cmb_parts", "cmb_sentence"),
    "Aggregation": ("check_tables", "aggregation_parts", "aggregation_sentence"),
    "CFAResult": ("sem_tables", "cfa_parts", "cfa_sentence"),
    "SemResult": ("sem_tables", "sem_parts", "sem_sentence"),
    "ModIndicesResult": ("sem_tables", "modindices_parts", "modindices_sentence"),
    "InvarianceResult": ("invariance_tables", "invariance_parts", "invariance_sentence"),
    "GroupComparison": ("group_tables", "compare_parts", "compare_sentence"),
    "Correlations": ("group_tables", "correlation_parts", "correlation_sentence"),
    "Regression": ("group_tables", "regression_parts", "regression_sentence"),
    "FrequencyResult": ("qual_tables", "frequency_parts", "frequency_sentence"),
    "AgreementResult": ("qual_tables", "agreement_parts", "agreement_sentence"),
    "JointDisplay": ("qual_tables", "joint_parts", "joint_sentence"),
    "CleaningResult": ("data_tables", "cleaning_parts", "cleaning_sentence"),
    "MultipleResponse": ("multiresponse_tables", "mr_parts", "mr_sentence"),
    "ReliabilityResult": ("factor_tables", "reliability_parts", "reliability_sentence"),
    "KmoResult": ("factor_tables", "kmo_parts", "kmo_sentence"),
    "BartlettResult": ("factor_tables", "bartlett_parts", "bartlett_sentence"),
    "ParallelResult": ("factor_tables", "parallel_parts", "parallel_sentence"),
    "EfaResult": ("factor_tables", "efa_parts", "efa_sentence"),
}

#: Result class name -> (module, parts function, sentence function) for SEVERAL results of
#: that class shown as one table by :meth:`Report.add_many` (``results`` a mapping label ->
#: Result; labels named like variables are shown by their names). Append-only.
MANY_PRESENTERS: dict[str, tuple[str, str, str]] = {
    "InvarianceResult": ("invariance_tables", "invariance_many_parts",
                         "invariance_many_sentence"),
    "GroupComparison": ("group_tables", "comparisons_parts", "comparisons_sentence"),
    "ReliabilityResult": ("factor_tables", "reliability_many_parts", "reliability_many_sentence"),
}


#: Classes whose variables are latent: a scale named by the instrument is shown without
#: "（总分）/(total)" (a factor, not a total score).
LATENT_CLASSES = frozenset({"CFAResult", "SemResult", "ModIndicesResult", "InvarianceResult"})


def _namer(cls: str, names: Mapping[str, Text] | None, instrument: Any) -> Callable[[str, str], str]:
    from . import process_tables

    return process_tables._names(names, instrument, bare=cls in LATENT_CLASSES)


def _presenter(obj: Any) -> tuple[Callable[..., Any], Callable[..., str]] | None:
    for cls in type(obj).__mro__:
        entry = PRESENTERS.get(cls.__name__)
        if entry is not None:
            mod = importlib.import_module(f"{__package__}.{entry[0]}")
            return getattr(mod, entry[1]), getattr(mod, entry[2])
    return None


def presentation(obj: Any, *, names: Mapping[str, Text] | None = None,
                 instrument: Any = None) -> list[Any] | None:
    """The :class:`~.process_tables.TablePart` list ``obj`` is shown as, or None."""
    from . import process_tables

    found = _presenter(obj)
    if found is None:
        return process_tables.presentation(obj, names=names, instrument=instrument)
    return found[0](obj, _namer(type(obj).__name__, names, instrument), instrument)


def sentence_of(obj: Any, lang: str, *, names: Mapping[str, Text] | None = None,
                instrument: Any = None) -> str:
    """The result's numbers in a sentence (what a thesis writes under the table)."""
    from . import process_tables

    found = _presenter(obj)
    if found is None:
        return process_tables.apa_sentence(obj, lang, names=names, instrument=instrument)
    return found[1](obj, lang, _namer(type(obj).__name__, names, instrument), instrument)


def many_presentation(results: Mapping[Any, Any], *, names: Mapping[str, Text] | None = None,
                      instrument: Any = None) -> tuple[list[Any], dict[str, str]] | None:
    """The parts and the sentence (per language) of several results of one class shown as
    one table, or None when that class has no entry in :data:`MANY_PRESENTERS`."""
    from .i18n import LANGS

    classes = {type(r).__name__ for r in results.values()}
    entry = MANY_PRESENTERS.get(next(iter(classes))) if len(classes) == 1 else None
    if entry is None:
        return None
    mod = importlib.import_module(f"{__package__}.{entry[0]}")
    name = _namer(next(iter(classes)), names, instrument)
    parts = getattr(mod, entry[1])(results, name, instrument)
    text = {lang: getattr(mod, entry[2])(results, lang, name, instrument) for lang in LANGS}
    return parts, text
