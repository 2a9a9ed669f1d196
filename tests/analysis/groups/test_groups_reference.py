"""compare_groups equals R on every cell (rtol=1e-6): tests/reference/groups/<case>/expected.json."""
from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk

REF = Path(__file__).resolve().parents[2] / "reference" / "groups"
RTOL = 1e-6
CASES = ["holzinger", "airquality", "chickwts", "untied"]


def _load(case: str):
    d = pd.read_csv(REF / case / "input.csv")
    if case == "holzinger":
        d["textual"] = d[["x4", "x5", "x6"]].mean(axis=1)
    exp = json.loads((REF / case / "expected.json").read_text())
    return d, exp


def _comparisons():
    for case in CASES:
        _, exp = _load(case)
        for i, c in enumerate(exp["comparisons"]):
            yield pytest.param(case, i, id=f"{case}-{c['dv']}-by-{c['group']}")


def _close(got, want, what, atol=0.0):
    np.testing.assert_allclose(float(got), float(want), rtol=RTOL, atol=atol, err_msg=what)


def _run(d, c, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataWarning)
        return sk.compare_groups(d, c["dv"], c["group"], conf_level=c["level"],
                                 p_adjust=c["p_adjust"], **kw)


@pytest.mark.parametrize("case,i", list(_comparisons()))
def test_tests_and_effect_sizes(case, i):
    d, exp = _load(case)
    c = exp["comparisons"][i]
    two = len(c["levels"]) == 2
    tests = ["anova", "welch_anova", "kruskal"] + (["student", "welch", "mannwhitney"] if two else [])
    for t in tests:
        r = _run(d, c, test=t)
        want = c[t]
        assert r.n == c["n"] and r.n_dropped == c["n_dropped"]
        _close(r.statistic, want["statistic"], f"{t} statistic")
        _close(r.p_value, want["p_value"], f"{t} p")
        if "df1" in want:
            _close(r.df1, want["df1"], f"{t} df1")
        if "df2" in want:
            _close(r.df2, want["df2"], f"{t} df2")
        tab = r.table.set_index("term")
        if t in ("student", "welch"):
            row = tab.loc[f"{t}_t"]
            for col in ("estimate", "ci_low", "ci_high"):
                _close(row[col], want[col], f"{t} {col}")
            cd = c["cohens_d"]
            for term, key in (("cohens_d", "d"), ("hedges_g", "g")):
                _close(tab.loc[term, "estimate"], cd[key], term)
                _close(tab.loc[term, "ci_low"], cd[f"{key}_low"], f"{term} low")
                _close(tab.loc[term, "ci_high"], cd[f"{key}_high"], f"{term} high")
        elif t == "mannwhitney":
            rb = c["rank_biserial"]
            for col, key in (("estimate", "r"), ("ci_low", "low"), ("ci_high", "high")):
                _close(tab.loc["rank_biserial", col], rb[key], f"rank_biserial {col}")
            assert ("exact" in tab.loc["wilcoxon_w", "note"]) == want["exact"]
        elif t == "kruskal":
            _close(r.effect_size, want["epsilon_squared"], "epsilon squared")
        else:
            eo = c["eta_omega"]
            for term, key in (("eta_squared", "eta"), ("omega_squared", "omega")):
                _close(tab.loc[term, "estimate"], eo[key], term)
                _close(tab.loc[term, "ci_low"], eo[f"{key}_low"], f"{term} low")
                _close(tab.loc[term, "ci_high"], eo[f"{key}_high"], f"{term} high")


@pytest.mark.parametrize("case,i", list(_comparisons()))
def test_descriptives_and_assumptions(case, i):
    d, exp = _load(case)
    c = exp["comparisons"][i]
    r = _run(d, c, test="anova")
    desc = r.descriptives.set_index("group")
    desc.index = [str(v) for v in desc.index]   # R prints factor levels as text: 5 -> "5"
    assert list(desc.index) == c["levels"]
    for row in c["descriptives"]:
        for col in ("n", "mean", "sd", "se", "ci_low", "ci_high", "median"):
            _close(desc.loc[row["group"], col], row[col], f"{row['group']} {col}")
    a = r.assumptions
    sw = a[a["term"] == "shapiro_wilk"].set_index("group")
    for row in c["assumptions"]["shapiro"]:
        _close(sw.loc[row["group"], "statistic"], row["statistic"], "W")
        _close(sw.loc[row["group"], "p_value"], row["p_value"], "shapiro p")
    for term in ("levene", "brown_forsythe"):
        got = a[a["term"] == term].iloc[0]
        for col in ("statistic", "df1", "df2", "p_value"):
            _close(got[col], c["assumptions"][term][col], f"{term} {col}")


@pytest.mark.parametrize("posthoc", ["tukey", "games_howell", "dunn"])
@pytest.mark.parametrize("case,i", list(_comparisons()))
def test_posthoc(case, i, posthoc):
    d, exp = _load(case)
    c = exp["comparisons"][i]
    r = _run(d, c, test="anova", posthoc=posthoc)
    got = r.posthoc
    want = c[posthoc]
    assert len(got) == len(want)
    for g, w in zip(got.to_dict("records"), want):
        assert (g["group_a"], g["group_b"]) == (w["group_a"], w["group_b"])
        for col in ("estimate", "se", "ci_low", "ci_high", "statistic", "df", "p_value",
                    "p_adjusted"):
            if col in w:
                # documented in expected.json: R's ptukey upper tail is 1 - cdf (atol ~1e-13)
                atol = (exp["tolerance"]["ptukey_atol"]
                        if col == "p_adjusted" and posthoc != "dunn" else 0.0)
                _close(g[col], w[col], f"{posthoc} {w['group_a']}-{w['group_b']} {col}", atol)


def test_shared_holzinger_values():
    d, exp = _load("holzinger")
    s = exp["shared"]
    r = sk.compare_groups(d, "textual", "school", test="welch")
    _close(r.statistic, s["welch_textual_by_school"]["t"], "t")
    _close(r.df1, s["welch_textual_by_school"]["df"], "df")
    _close(r.p_value, s["welch_textual_by_school"]["p"], "p")
    for t, key, stat in (("anova", "anova_textual_by_ageyr", "F"),
                         ("welch_anova", "welch_anova_textual_by_ageyr", "F"),
                         ("kruskal", "kruskal_textual_by_ageyr", "H")):
        r = sk.compare_groups(d, "textual", "ageyr", test=t)
        _close(r.statistic, s[key][stat], f"{t} stat")
        _close(r.p_value, s[key]["p"], f"{t} p")
