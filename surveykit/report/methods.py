"""The automatic part of the methods section: every analysis's settings, each stated once.

A report records the provenance of every Result it shows (:meth:`Report.add`,
:meth:`Report.add_many`). The methods section lists them grouped by analysis: one line per
analysis (e.g. ``reliability``) however many results it produced, with the parameters all
of them share stated once, and the parameters that differ (``scale``) with each distinct
value once, in the order met — the first few, then how many in all (the manifest's
``analyses`` keeps every one in full). Parameters left at their default in every result
are marked "(default)"; long values (a CFA model) are shortened.

>>> a = {"analysis": "reliability", "parameters": {"scale": "A", "missing": "pairwise"},
...      "defaults_used": ["missing"], "instruments": ["x@1.0.0"], "r_equivalent": "psych::alpha(x)"}
>>> b = {**a, "parameters": {"scale": "B", "missing": "pairwise"}}
>>> methods_sentences([a, b, a], "en")
["reliability (2 results): scale = 'A', 'B'; missing = 'pairwise' (default) [x@1.0.0] — R equivalent: psych::alpha(x)"]
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from .i18n import t

__all__ = ["methods_sentences", "group_provenance"]


def _key(v: Any) -> str:
    return json.dumps(v, sort_keys=True, ensure_ascii=False, default=str)


#: Distinct values of a varying parameter shown before "… (N in all)".
MAX_VALUES = 4
#: Longest value shown in full (longer ones end in "…").
MAX_CHARS = 80


def _value(v: Any, quote: bool = True) -> str:
    s = repr(v) if isinstance(v, str) and quote else str(v)
    s = " ".join(s.split())            # a multi-line model on one line
    return s if len(s) <= MAX_CHARS else s[:MAX_CHARS - 1] + "…"


def _values(values: Sequence[Any], lang: str, quote: bool = True) -> str:
    shown = ", ".join(_value(v, quote) for v in values[:MAX_VALUES])
    if len(values) <= MAX_VALUES:
        return shown
    return shown + (f" …（共 {len(values)} 个）" if lang == "zh" else f" … ({len(values)} in all)")


def group_provenance(provs: Sequence[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """Provenance dicts grouped by analysis, groups in first-seen order;
    exact duplicates counted once."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    seen: set[str] = set()
    for p in provs:
        k = _key(p)
        if k in seen:
            continue
        seen.add(k)
        groups.setdefault(str(p.get("analysis", "")), []).append(p)
    return list(groups.values())


def _sentence(group: Sequence[Mapping[str, Any]], lang: str) -> str:
    names: list[str] = []
    for p in group:
        for k in p.get("parameters", {}):
            if k not in names:
                names.append(k)
    parts = []
    for k in names:
        values: list[Any] = []
        keys: set[str] = set()
        for p in group:
            v = p.get("parameters", {}).get(k)
            if _key(v) not in keys:
                keys.add(_key(v))
                values.append(v)
        default = all(k in p.get("defaults_used", ()) for p in group)
        mark = f" ({t('default', lang)})" if default else ""
        parts.append(f"{k} = {_values(values, lang)}{mark}")
    sep = "；" if lang == "zh" else "; "
    first = group[0]
    head = str(first.get("analysis", ""))
    if len(group) > 1:
        head += f"（{len(group)} 个结果）" if lang == "zh" else f" ({len(group)} results)"
    s = f"{head}: " + (sep.join(parts) if parts else "—")
    instruments: list[str] = []
    for p in group:
        instruments += [i for i in p.get("instruments", ()) if i not in instruments]
    if instruments:
        s += f" [{', '.join(instruments)}]"   # every instrument: the study's versions
    r_eq: list[str] = []
    for p in group:
        if p.get("r_equivalent") and p["r_equivalent"] not in r_eq:
            r_eq.append(p["r_equivalent"])
    if r_eq:
        s += f" — {t('r_equivalent', lang)}: {_values(r_eq, lang, quote=False)}"
    return s


def methods_sentences(provs: Sequence[Mapping[str, Any]], lang: str) -> list[str]:
    """One line per analysis (see the module docstring)."""
    return [_sentence(g, lang) for g in group_provenance(provs)]
