"""The analysis contract: every public analysis returns a frozen Result with a tidy table.

Runs EVERY public analysis of surveykit on Holzinger & Swineford (1939) and checks that it
returns a frozen ``@dataclass`` subclass of :class:`surveykit.result.Result` with

* a non-empty tidy ``.table`` (a DataFrame; snake_case column names; one scalar per cell —
  no lists, tuples, arrays, dicts or sets),
* ``.summary()`` text and ``_repr_html_`` markup,
* ``.provenance`` naming the analysis, with its parameters and the surveykit version.

An analysis whose module does not exist yet is reported as skipped ("not implemented
yet"); as soon as the module exists the check runs.
"""
from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import re
import warnings
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.result import Provenance, Result

DATA = Path(__file__).resolve().parents[1] / "reference" / "groups" / "holzinger" / "input.csv"
X = [f"x{i}" for i in range(1, 10)]
MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

#: public name -> call on the Holzinger data frame
CALLS = {
    "reliability": lambda d: sk.reliability(d, ["x4", "x5", "x6"]),
    "kmo": lambda d: sk.kmo(d[X]),
    "bartlett": lambda d: sk.bartlett(d[X]),
    "parallel_analysis": lambda d: sk.parallel_analysis(d[X], n_iter=20, seed=1),
    "efa": lambda d: sk.efa(d[X], 3),
    "cfa": lambda d: sk.cfa(d, MODEL),
    "invariance": lambda d: sk.invariance(d, MODEL, "school"),
    "compare_groups": lambda d: sk.compare_groups(d, "textual", "ageyr", posthoc="tukey"),
    "crosstab": lambda d: sk.crosstab(d, "school", "grade"),
    "correlations": lambda d: sk.correlations(d, X, p_adjust="holm"),
    "regress": lambda d: sk.regress(d, "x9", ["x7", "x8", "ageyr"]),
}


#: public names exported from surveykit.analysis that are helpers, not analyses (no Result)
HELPERS = {"cfa_model": "builds lavaan model syntax from instrument scales"}


def _module_exists(name: str) -> bool:
    mod = sk._EXPORTS[name]
    return importlib.util.find_spec("surveykit" + mod) is not None


@pytest.fixture(scope="module")
def holzinger() -> pd.DataFrame:
    d = pd.read_csv(DATA)
    d["textual"] = d[["x4", "x5", "x6"]].mean(axis=1)
    return d


def test_every_public_analysis_is_covered():
    analysis = {n for n, m in sk._EXPORTS.items() if m.startswith(".analysis.")
                and n[0].islower()} - set(HELPERS)
    assert analysis == set(CALLS), "add new public analyses to CALLS (or helpers to HELPERS)"


def _bad_cells(table: pd.DataFrame) -> list[str]:
    out = []
    for col in table.columns:
        s = table[col]
        if s.dtype != object:
            continue
        bad = s.map(lambda v: isinstance(v, (list, tuple, set, dict, np.ndarray, pd.Series,
                                             pd.DataFrame)))
        if bad.any():
            out.append(f"{col} (row {int(np.flatnonzero(bad.to_numpy())[0])})")
    return out


@pytest.mark.parametrize("name", sorted(CALLS))
def test_contract(name, holzinger):
    if not _module_exists(name):
        pytest.skip("not implemented yet")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataWarning)
        res = CALLS[name](holzinger)
    cls = type(res)
    assert isinstance(res, Result), f"{name} returned {cls.__name__}, not a Result"
    assert dataclasses.is_dataclass(res) and cls.__dataclass_params__.frozen, \
        f"{cls.__name__} must be @dataclass(frozen=True, kw_only=True)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.provenance = None  # type: ignore[misc]

    t = res.table
    assert isinstance(t, pd.DataFrame) and len(t) > 0, f"{name}: .table is empty"
    bad_cols = [c for c in t.columns if not (isinstance(c, str) and SNAKE.match(c))]
    assert not bad_cols, f"{name}: .table columns not snake_case: {bad_cols}"
    assert t.columns.is_unique, f"{name}: duplicate .table columns"
    assert not _bad_cells(t), f"{name}: cells holding containers in {_bad_cells(t)}"

    text = res.summary()
    assert isinstance(text, str) and text.strip(), f"{name}: empty summary()"
    assert "<" in res._repr_html_()

    prov = res.provenance
    assert isinstance(prov, Provenance)
    assert prov.analysis == name, f"{name}: provenance.analysis is {prov.analysis!r}"
    assert isinstance(prov.parameters, Mapping) and prov.surveykit_version
    prov.as_dict()  # serialisable for the report manifest
