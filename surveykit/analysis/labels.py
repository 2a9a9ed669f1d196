"""Group values as R factor levels, and their option labels from the instrument.

Shared by every analysis that takes a grouping or categorical column (group comparisons,
crosstabs, categorical regression terms).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .inputs import warn_data

__all__ = ["group_labels", "value_labels_by_lang"]


def _label(v: Any) -> str:
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def group_labels(col: pd.Series, func: str, name: str) -> tuple[pd.Categorical, list[str]]:
    """Group values as a Categorical in R factor order; warn about unused categories."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        cat = pd.Categorical(col)
        used = pd.unique(cat.codes[cat.codes >= 0])
        unused = [c for i, c in enumerate(cat.categories) if i not in set(used.tolist())]
        if unused:
            warn_data(f"{func}: group column {name} has {len(unused)} empty "
                      f"group{'s' if len(unused) > 1 else ''} ({', '.join(map(_label, unused))}) "
                      f"with no usable answers; dropped from the comparison.")
            cat = cat.remove_unused_categories()
    else:
        vals = col.dropna()
        try:
            levels = sorted(pd.unique(vals).tolist())
        except TypeError:  # mixed types: compare as text
            levels = sorted(pd.unique(vals.astype(str)).tolist())
            col = col.astype(object).where(col.isna(), col.astype(str))
        cat = pd.Categorical(col, categories=levels)
    return cat, [_label(c) for c in cat.categories]


def _value(v: Any) -> Any:
    """A group value as in the data: numpy scalars as Python ones, whole floats as int."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _value_labels(ins: Any, group: str, cats: list[Any]) -> list[str] | None:
    """Option labels of ``cats`` in English (else the first language); used by crosstab."""
    by_lang = value_labels_by_lang(ins, group, cats)
    if by_lang is None:
        return None
    return by_lang["en"] if "en" in by_lang else next(iter(by_lang.values()))


def value_labels_by_lang(ins: Any, group: str, cats: list[Any]) -> dict[str, list[str]] | None:
    """Option labels of the group values in every language of the instrument."""
    if ins is None or not hasattr(ins, "has_item") or not ins.has_item(group):
        return None
    resp = ins.item(group).response
    langs = tuple(getattr(ins, "languages", ()) or ()) or ("en",)
    out: dict[str, list[str]] = {}
    for lang in langs:
        labs = []
        for c in cats:
            try:
                lab = resp.label(c, lang)
            except Exception:  # noqa: BLE001 - labels are decoration only
                lab = None
            labs.append("" if lab is None else str(lab))
        if any(labs):
            out[lang] = labs
    return out or None
