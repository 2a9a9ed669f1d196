"""Methods prose: how a methods section states each analysis, written from provenance.

The report keeps the provenance of every Result it shows. For the methods section they are
grouped by analysis (:func:`.methods.group_provenance`, first-seen order) and each group is
written by the function :data:`PROSE` names for that analysis — natural prose naming the
parameters as a methods section names them, defaults included, never a Python repr.
An analysis without an entry falls back to :func:`.methods.methods_sentences`' settings line.

A prose function takes ``(group, lang)``: the list of provenance dicts of one analysis
(``analysis``, ``parameters``, ``defaults_used``, ``instruments``, ``r_equivalent``) and
``"zh"``/``"en"``; it returns one paragraph.

>>> g = [{"analysis": "unknown_analysis", "parameters": {"k": 1}, "defaults_used": []}]
>>> methods_paragraphs(g, "en")
['unknown_analysis: k = 1']
"""
from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import Any

from .methods import _sentence, group_provenance

__all__ = ["PROSE", "methods_paragraphs"]

#: analysis name (``provenance.analysis``) -> "module:function" under surveykit.report.
#: Add one line per analysis (append-only; one module per family of analyses).
PROSE: dict[str, str] = {
    "cfa": "sem_prose:cfa_prose",
    "sem": "sem_prose:sem_prose",
    "invariance": "sem_prose:invariance_prose",
    "modindices": "sem_prose:modindices_prose",
    "clean": "gr_prose:clean_prose",
    "compare_groups": "gr_prose:compare_prose",
    "correlations": "gr_prose:correlations_prose",
    "regress": "gr_prose:regress_prose",
    "agreement": "gr_prose:agreement_prose",
    "code_frequencies": "gr_prose:frequencies_prose",
    "joint_display": "gr_prose:joint_prose",
    "multiple_response": "multiresponse_tables:mr_methods",
    "reliability": "factor_prose:reliability_prose",
    "kmo": "factor_prose:kmo_prose",
    "bartlett": "factor_prose:bartlett_prose",
    "parallel_analysis": "factor_prose:parallel_prose",
    "efa": "factor_prose:efa_prose",
}


def methods_paragraphs(provs: Sequence[Mapping[str, Any]], lang: str) -> list[str]:
    """One paragraph per analysis, in the order the analyses were first shown."""
    out = []
    for group in group_provenance(provs):
        entry = PROSE.get(str(group[0].get("analysis", "")))
        if entry is None:
            out.append(_sentence(group, lang))
            continue
        mod, fn = entry.split(":")
        out.append(getattr(importlib.import_module(f"{__package__}.{mod}"), fn)(group, lang))
    return out
