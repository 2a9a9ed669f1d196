"""Methods prose: how a methods section states each analysis, written from provenance.

The report keeps the provenance of every Result it shows. For the methods section they are
grouped by analysis (:func:`.methods.group_provenance`, first-seen order) and each group is
written by the function :data:`PROSE` names for that analysis — natural prose naming the
parameters as a methods section names them, defaults included, never a Python repr.
An analysis without an entry falls back to :func:`.methods.methods_sentences`' settings line.

A prose function takes ``(group, lang)``: the list of provenance dicts of one analysis
(``analysis``, ``parameters``, ``defaults_used``, ``instruments``, ``r_equivalent``) and
``"zh"``/``"en"``; it returns one paragraph. A function that also takes ``labels`` gets the
:class:`Labels` of the report (the names given to :meth:`Report.add` and the instruments),
so that it names variables, groupings and instruments by their labels in the report's
language instead of their ids (``PR01`` → 地区; ``local_protectionism`` → 地方保护主义).

>>> g = [{"analysis": "unknown_analysis", "parameters": {"k": 1}, "defaults_used": []}]
>>> methods_paragraphs(g, "en")
['unknown_analysis: k = 1']
"""
from __future__ import annotations

import importlib
import inspect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .figstyle import bare_name
from .i18n import pick
from .methods import _sentence, group_provenance

__all__ = ["PROSE", "Labels", "methods_paragraphs"]


@dataclass(frozen=True)
class Labels:
    """How the methods section names variables and instruments.

    ``names``: variable -> text (``{"zh": ..., "en": ...}``), as given to
    :meth:`Report.add`; ``instruments``: the instruments of the study (scale names, item
    texts and titles are looked up there, in order).

    >>> Labels(names={"PR01": {"zh": "地区", "en": "region"}}).var("PR01", "zh")
    '地区'
    >>> Labels().var("PR01", "en")
    'PR01'
    """

    names: Mapping[str, Any] = field(default_factory=dict)
    instruments: Sequence[Any] = ()

    def var(self, var: str, lang: str) -> str:
        """``names[var]``, else the scale's name (without "（总分）/(total)"), else the item's text in quotes with its id
        (“您所在的地区是”（PR01）), else ``var``."""
        if var in self.names:
            return pick(self.names[var], lang) or var
        for ins in self.instruments:
            if var in getattr(ins, "scale_ids", ()):  # running text: no "（总分）/(total)"
                return bare_name(ins.scale(var).name.in_lang(lang)) or var
        for ins in self.instruments:
            if getattr(ins, "has_item", None) and ins.has_item(var):
                text = ins.item(var).text.in_lang(lang).rstrip("：:？? ")
                if text:
                    return f"“{text}”（{var}）" if lang == "zh" else f"“{text}” ({var})"
        return var

    def vars(self, names: Sequence[str], lang: str) -> str:
        """Several variables by their labels, joined as the language joins a list."""
        return ("、" if lang == "zh" else ", ").join(self.var(v, lang) for v in names)

    def title(self, instrument_id: str, lang: str) -> str | None:
        """The title of the instrument ``instrument_id`` in ``lang`` (None if unknown)."""
        for ins in self.instruments:
            if getattr(ins, "id", None) == instrument_id and getattr(ins, "title", None):
                return ins.title.in_lang(lang) or None
        return None

    def instrument(self, ref: str, lang: str) -> str:
        """``id@version`` with the instrument's title before it: 地方保护主义量表
        （local_protectionism@1.0.0）; the reference alone when the title is unknown."""
        name = self.title(ref.partition("@")[0], lang)
        if not name:
            return ref
        return f"{name}（{ref}）" if lang == "zh" else f"{name} ({ref})"

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
    "describe_sample": "describe_prose:sample_prose",
    "describe_scales": "describe_prose:scales_prose",
    "describe_scores": "describe_prose:scores_prose",
    "common_method_bias": "describe_prose:cmb_prose",
    "moderation": "process_prose:moderation_prose",
    "mediation": "process_prose:mediation_prose",
}


def methods_paragraphs(provs: Sequence[Mapping[str, Any]], lang: str,
                       labels: Labels | None = None) -> list[str]:
    """One paragraph per analysis, in the order the analyses were first shown; ``labels``
    name the variables and instruments (default: their ids)."""
    labels = labels if labels is not None else Labels()
    out = []
    for group in group_provenance(provs):
        entry = PROSE.get(str(group[0].get("analysis", "")))
        if entry is None:
            out.append(_sentence(group, lang))
            continue
        mod, fn = entry.split(":")
        func = getattr(importlib.import_module(f"{__package__}.{mod}"), fn)
        if "labels" in inspect.signature(func).parameters:
            out.append(func(group, lang, labels=labels))
        else:
            out.append(func(group, lang))
    return out
