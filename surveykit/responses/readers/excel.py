"""Excel reader (.xlsx via openpyxl, legacy .xls via calamine): first sheet, first row = header.

.xls is read with python-calamine rather than xlrd: pandas 3 refuses xlrd 2.0.1, and pyxform
(the XLSForm converter designers use beside surveykit) pins exactly that release.
"""
from __future__ import annotations

import datetime as _dt
import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import ResponsesError
from . import RawTable

__all__ = ["open_excel"]


def _column(values: pd.Series) -> pd.Series:
    """One sheet column → numeric if every non-empty cell is a number, else text."""
    v = values.reset_index(drop=True)
    nonnull = v.dropna()
    if len(nonnull) and all(isinstance(x, (int, float, np.integer, np.floating))
                            and not isinstance(x, bool) for x in nonnull.unique()):
        x = pd.to_numeric(v, errors="coerce").astype("float64")
        if x.notna().all() and (x % 1 == 0).all():
            return x.astype("int64")        # as a CSV reader would type it
        return x

    def text(x: object) -> object:
        if x is None or (isinstance(x, float) and np.isnan(x)):
            return None
        if isinstance(x, float) and x.is_integer():
            return str(int(x))
        if isinstance(x, (_dt.datetime, pd.Timestamp)):
            return x.strftime("%Y-%m-%d %H:%M:%S") if (x.hour or x.minute or x.second) \
                else x.strftime("%Y-%m-%d")
        s = str(x)
        return s if s.strip() != "" else None

    uniq = {u: text(u) for u in nonnull.unique()} if len(nonnull) else {}
    if not uniq:
        return pd.Series([None] * len(v), dtype="str")
    return pd.Series(v.map(uniq), dtype="str")


def open_excel(path: Path, data: bytes) -> RawTable:
    name = path.name
    if not data:
        raise ResponsesError(f"{name} is empty (0 bytes). Export the survey again.", file=name)
    engine = "calamine" if path.suffix.lower() == ".xls" else "openpyxl"
    try:
        with warnings.catch_warnings():   # openpyxl warns about styles it cannot read
            warnings.simplefilter("ignore")
            sheet = pd.read_excel(io.BytesIO(data), sheet_name=0, header=None, dtype=object,
                                  engine=engine)
    except Exception as e:  # corrupt or mislabelled workbook
        raise ResponsesError(f"{name} cannot be read as an Excel workbook ({type(e).__name__}: "
                             f"{str(e)[:120]}). Open it in Excel and save it again as .xlsx.",
                             file=name) from None
    sheet = sheet.dropna(how="all", axis=1)
    if sheet.empty or sheet.dropna(how="all").empty:
        raise ResponsesError(f"{name} is empty: the first sheet has no header row and no data.",
                             file=name)
    sheet = sheet.reset_index(drop=True)
    headers = ["" if (h is None or (isinstance(h, float) and np.isnan(h))) else str(h).strip()
               for h in sheet.iloc[0].tolist()]
    body = sheet.iloc[1:]
    # trailing all-empty rows are spreadsheet noise, not respondents
    nonempty = ~body.isna().all(axis=1)
    if nonempty.any():
        body = body.loc[: nonempty[nonempty].index[-1]]
    else:
        body = body.iloc[0:0]
    cols = list(sheet.columns)

    def load(positions: list[int]) -> pd.DataFrame:
        return pd.DataFrame({p: _column(body[cols[p]]) for p in positions},
                            index=pd.RangeIndex(len(body)))

    return RawTable(path=str(path), name=name, reader="excel", encoding=None, headers=headers,
                    labels=[""] * len(headers), header_rows=1, n_rows=len(body), load=load)
