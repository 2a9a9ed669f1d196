"""The one shape every reader returns: :class:`RawTable` (headers, labels, lazy columns).

Its own module so the readers (``csv``, ``excel``, ``spss``, ``qualtrics``) and the package
that chooses between them (``readers/__init__``, which re-exports it) import it from here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

__all__ = ["RawTable"]


@dataclass
class RawTable:
    """What a reader found in a file, before any mapping.

    ``load(positions)`` returns a DataFrame whose columns are those column positions
    (ints), one row per data row, cells as stored (numbers as numbers when the whole
    column is numeric, text otherwise, ``NaN``/``<NA>`` for an empty cell).
    """

    path: str
    name: str
    reader: str
    encoding: str | None
    headers: list[str]
    labels: list[str]
    header_rows: int
    n_rows: int | None
    load: Callable[[list[int]], pd.DataFrame]
    value_labels: dict[str, dict] = field(default_factory=dict)
    user_missing: dict[str, list] = field(default_factory=dict)
    #: missing values stored as text, per column: cell text → missing reason (Stata's
    #: extended missing values ``.a``–``.z``)
    missing_texts: dict[str, dict[str, str]] = field(default_factory=dict)
    kind: str = "generic"     # "generic", "wjx", "qualtrics"
    #: SPSS multiple-response sets: set name (without ``$``) → {"type": "D"/"C", "label",
    #: "counted_value", "variables": [...]} (see responses/multi_columns.py)
    multi_sets: dict[str, dict] = field(default_factory=dict)
