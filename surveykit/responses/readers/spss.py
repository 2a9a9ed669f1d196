"""SPSS .sav and Stata .dta reader (pyreadstat): value labels and user-missing values kept."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...errors import ResponsesError
from .table import RawTable

__all__ = ["open_spss"]


def open_spss(path: Path, kind: str) -> RawTable:
    import pyreadstat

    name = path.name
    try:
        if kind == "stata":
            df, meta = pyreadstat.read_dta(str(path), user_missing=True)
        elif path.suffix.lower() == ".por":      # SPSS portable: no user-missing support
            df, meta = pyreadstat.read_por(str(path))
        else:
            df, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as e:
        what = "Stata .dta" if kind == "stata" else "SPSS .sav"
        raise ResponsesError(f"{name} cannot be read as a {what} file ({type(e).__name__}: "
                             f"{str(e)[:120]}). Save it again from {what.split()[0]}.",
                             file=name) from None
    mr_sets = getattr(meta, "mr_sets", None) or {}
    headers = list(meta.column_names)
    labels = [lab or "" for lab in (meta.column_labels or [""] * len(headers))]
    user_missing: dict[str, list] = {}
    for var, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        user_missing[var] = [(r["lo"], r["hi"]) for r in ranges]
    value_labels = dict(getattr(meta, "variable_value_labels", None) or {})
    letters: dict[str, dict[str, str]] = {}        # Stata .a–.z: text cells ".a" (see load)
    for var, vals in (getattr(meta, "missing_user_values", None) or {}).items():
        nums = [v for v in vals if not isinstance(v, str)]
        if nums:
            user_missing.setdefault(var, []).extend((v, v) for v in nums)
        for v in vals:
            if isinstance(v, str):
                labels_of = value_labels.get(var, {})
                letters.setdefault(var, {})["." + v] = str(labels_of.get(v, ""))
        if var in value_labels:     # letter labels are not codes: kept for the reasons only
            value_labels[var] = {k: v for k, v in value_labels[var].items()
                                 if not isinstance(k, str)}

    def load(positions: list[int]) -> pd.DataFrame:
        out = {}
        for p in positions:
            s = df.iloc[:, p].reset_index(drop=True)
            if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
                pass
            elif headers[p] in letters:
                # numbers beside extended missing letters: one text column, numbers written
                # as numbers (3, 2.5) and letters as Stata shows them (.a)
                uniq = {u: (f".{u}" if isinstance(u, str) else f"{u:g}") for u in s.dropna().unique()}
                s = pd.Series(s.map(uniq), dtype="str")
            else:
                s = s.astype("str")
                s = s.mask(s.str.strip() == "")
            out[p] = s
        return pd.DataFrame(out, index=pd.RangeIndex(len(df)))

    return RawTable(path=str(path), name=name, reader=kind, encoding=getattr(meta, "file_encoding", None),
                    headers=headers, labels=labels, header_rows=0, n_rows=len(df), load=load,
                    value_labels=value_labels, user_missing=user_missing,
                    missing_texts=letters,
                    multi_sets={str(k).lstrip("$"): {
                        "type": "D" if (v or {}).get("is_dichotomy") or (v or {}).get("type") == "D"
                        else "C", "label": (v or {}).get("label", ""),
                        "counted_value": (v or {}).get("counted_value"),
                        "variables": list((v or {}).get("variable_list", []))}
                        for k, v in mr_sets.items()})
