"""Which tables and sentence a Result is shown as in the report (the dispatch of
:meth:`Report.add <surveykit.report.Report.add>`).

* mediation, moderation — :mod:`.process_tables` (PROCESS-style tables);
* hierarchical regression — :mod:`.hierarchical_table` (one column block per step);
* common-method bias, aggregation — :mod:`.check_tables`;
* sample profile, Table 1 — :mod:`.describe_tables`.

Every other result is shown as its ``.table`` (:func:`presentation` returns None).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .i18n import Text

__all__ = ["presentation", "sentence_of"]


def _kind(obj: Any) -> str | None:
    from ..analysis.aggregation.agreement import Aggregation
    from ..analysis.describe.sample import SampleProfile
    from ..analysis.describe.scales import ScaleDescriptives
    from ..analysis.regression.hierarchical import HierarchicalRegression
    from ..analysis.validity.common_method import CommonMethodBias

    for cls, kind in ((HierarchicalRegression, "hierarchical"), (CommonMethodBias, "cmb"),
                      (Aggregation, "aggregation"), (SampleProfile, "sample"),
                      (ScaleDescriptives, "table1")):
        if isinstance(obj, cls):
            return kind
    return None


def presentation(obj: Any, *, names: Mapping[str, Text] | None = None,
                 instrument: Any = None) -> list[Any] | None:
    """The :class:`~.process_tables.TablePart` list ``obj`` is shown as, or None."""
    from . import check_tables, describe_tables, hierarchical_table, process_tables

    name = process_tables._names(names, instrument)
    kind = _kind(obj)
    if kind == "sample":
        return describe_tables.sample_parts(obj, name, instrument)
    if kind == "table1":
        return describe_tables.scales_parts(obj, name, instrument)
    if kind == "hierarchical":
        return hierarchical_table.hierarchical_parts(obj, name, instrument)
    if kind == "cmb":
        return check_tables.cmb_parts(obj, name, instrument)
    if kind == "aggregation":
        return check_tables.aggregation_parts(obj, name, instrument)
    return process_tables.presentation(obj, names=names, instrument=instrument)


def sentence_of(obj: Any, lang: str, *, names: Mapping[str, Text] | None = None,
                instrument: Any = None) -> str:
    """The result's numbers in a sentence (what a thesis writes under the table)."""
    from . import check_tables, describe_tables, hierarchical_table, process_tables

    name = process_tables._names(names, instrument)
    kind = _kind(obj)
    if kind == "sample":
        return describe_tables.sample_sentence(obj, lang)
    if kind == "table1":
        return describe_tables.scales_sentence(obj, lang)
    if kind == "hierarchical":
        return hierarchical_table.hierarchical_sentence(obj, lang, name, instrument)
    if kind == "cmb":
        return check_tables.cmb_sentence(obj, lang)
    if kind == "aggregation":
        return check_tables.aggregation_sentence(obj, lang, name)
    return process_tables.apa_sentence(obj, lang, names=names, instrument=instrument)
