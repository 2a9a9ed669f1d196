"""pingouin as the second implementation of the group tests, where it gives R's numbers.

docs/design.md ("What each library does here") states pingouin's role: its test statistics,
degrees of freedom and p values equal R, so this test holds pingouin, R
(tests/reference/groups/holzinger/expected.json) and surveykit.compare_groups to the same
numbers (rtol 1e-6). Its confidence intervals are rounded (``ttest`` gives CI95 to two
decimals), so intervals are checked against R only, in test_groups_reference.py.
"""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

import surveykit as sk

REF = Path(__file__).resolve().parents[2] / "reference" / "groups" / "holzinger"
RTOL = 1e-6


@pytest.fixture(scope="module")
def data():
    d = pd.read_csv(REF / "input.csv")
    d["textual"] = d[["x4", "x5", "x6"]].mean(axis=1)
    return d, json.loads((REF / "expected.json").read_text())["comparisons"]


def _ours(d, group, test):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataWarning)
        return sk.compare_groups(d, "textual", group, test=test)


def _close(*values, what):
    first = float(values[0])
    for v in values[1:]:
        np.testing.assert_allclose(float(v), first, rtol=RTOL, err_msg=what)


def test_t_tests_two_schools(data):
    d, exp = data
    a, b = (d.loc[d["school"] == s, "textual"] for s in sorted(d["school"].unique()))
    for correction, key, test in [(True, "welch", "welch"), (False, "student", "student")]:
        p = pg.ttest(a, b, correction=correction).iloc[0]
        ours = _ours(d, "school", test)
        _close(exp[0][key]["statistic"], p["T"], ours.statistic, what=f"{key} t")
        _close(exp[0][key]["df1"], p["dof"], ours.df1, what=f"{key} df")
        _close(exp[0][key]["p_value"], p["p_val"] if "p_val" in p else p["p-val"], ours.p_value,
               what=f"{key} p")


def test_cohens_d_and_mann_whitney(data):
    d, exp = data
    a, b = (d.loc[d["school"] == s, "textual"] for s in sorted(d["school"].unique()))
    _close(exp[0]["cohens_d"]["d"], abs(pg.compute_effsize(a, b, eftype="cohen")),
           what="Cohen's d")
    m = pg.mwu(a, b, alternative="two-sided").iloc[0]
    _close(exp[0]["mannwhitney"]["statistic"], m["U_val"] if "U_val" in m else m["U-val"],
           what="Mann-Whitney U")


@pytest.mark.parametrize("i, group", [(0, "school"), (1, "ageyr")])
def test_anova_welch_anova_kruskal(data, i, group):
    d, exp = data
    e = exp[i]
    assert e["group"] == group
    aov = pg.anova(d, dv="textual", between=group).iloc[0]
    welch = pg.welch_anova(d, dv="textual", between=group).iloc[0]
    kw = pg.kruskal(d, dv="textual", between=group).iloc[0]
    _close(e["anova"]["statistic"], aov["F"], what=f"ANOVA F by {group}")
    _close(e["anova"]["p_value"], aov["p_unc"] if "p_unc" in aov else aov["p-unc"],
           what=f"ANOVA p by {group}")
    _close(e["welch_anova"]["statistic"], welch["F"], _ours(d, group, "welch_anova").statistic,
           what=f"Welch ANOVA F by {group}")
    _close(e["welch_anova"]["df2"], welch["ddof2"], what=f"Welch ANOVA df2 by {group}")
    _close(e["kruskal"]["statistic"], kw["H"], _ours(d, group, "kruskal").statistic,
           what=f"Kruskal-Wallis H by {group}")
