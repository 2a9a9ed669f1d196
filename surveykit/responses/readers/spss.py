"""SPSS .sav and Stata .dta reader (pyreadstat): value labels and user-missing values kept."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...errors import ResponsesError
from . import RawTable

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
    headers = list(meta.column_names)
    labels = [lab or "" for lab in (meta.column_labels or [""] * len(headers))]
    user_missing: dict[str, list] = {}
    for var, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        user_missing[var] = [(r["lo"], r["hi"]) for r in ranges]
    for var, vals in (getattr(meta, "missing_user_values", None) or {}).items():
        user_missing.setdefault(var, []).extend((v, v) for v in vals)
    value_labels = dict(getattr(meta, "variable_value_labels", None) or {})

    def load(positions: list[int]) -> pd.DataFrame:
        out = {}
        for p in positions:
            s = df.iloc[:, p].reset_index(drop=True)
            if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
                pass
            else:
                s = s.astype("str")
                s = s.mask(s.str.strip() == "")
            out[p] = s
        return pd.DataFrame(out, index=pd.RangeIndex(len(df)))

    return RawTable(path=str(path), name=name, reader=kind, encoding=getattr(meta, "file_encoding", None),
                    headers=headers, labels=labels, header_rows=0, n_rows=len(df), load=load,
                    value_labels=value_labels, user_missing=user_missing)
