"""PROCESS models 1, 3, 4, 6, 7, 8 and 14 against R (lm on the same bootstrap resamples), every cell at 1e-6.

tests/reference/process/sim400/: make_input.R simulates the data, generate.R refits lm on each of
surveykit's own resamples (numpy default_rng(7), written to boot_idx.csv.gz) and takes PROCESS's
order-statistic limits.
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk

REF = Path(__file__).resolve().parents[2] / "reference" / "process" / "sim400"
RTOL = 1e-6


@pytest.fixture(scope="module")
def case():
    return pd.read_csv(REF / "input.csv"), json.loads((REF / "expected.json").read_text())


def _close(got, want, what):
    np.testing.assert_allclose(np.asarray(got, float), np.asarray(want, float), rtol=RTOL, atol=1e-12,
                               err_msg=what)


def test_resamples_are_the_ones_r_used(case):
    d, _ = case
    with gzip.open(REF / "boot_idx.csv.gz", "rt") as f:
        idx = np.loadtxt(f, delimiter=",", dtype=np.int64)
    np.testing.assert_array_equal(np.random.default_rng(7).integers(0, len(d), size=(1000, len(d))) + 1, idx)


def _paths(res, outcome, model="process"):
    p = res.paths
    return p[(p["outcome"] == outcome) & (p["model"] == model)]


def _lm(rows, want, what):
    rows = rows.set_index("term").loc[["intercept" if s == "(Intercept)" else s for s in want["term"]]]
    for col in ("estimate", "se", "statistic", "p_value", "ci_low", "ci_high"):
        _close(rows[col], want[col], f"{what} {col}")
    assert set(rows["df"]) == {want["df"]}


def _boot_rows(t, effects):
    return pd.concat([t[t["effect"] == e] for e in effects])


def _check_boot(boot, e, ci, what):
    _close(boot["estimate"], e["estimate"], f"{what} estimates")
    _close(boot["boot_se"], e["boot_se"], f"{what} boot se")
    key = "perc" if ci == "percentile" else "bc"
    _close(boot["ci_low"], e[f"{key}_low"], f"{what} {ci} lower limits")
    _close(boot["ci_high"], e[f"{key}_high"], f"{what} {ci} upper limits")


@pytest.mark.parametrize("ci", ["percentile", "bc"])
def test_model4_parallel_mediators(case, ci):
    d, exp = case
    e = exp["model4"]
    r = sk.mediation(d, "x", "y", ["m1", "m2"], model=4, covariates=["c1"], n_boot=1000, seed=7, ci=ci)
    _lm(_paths(r, "y", "total"), e["total"], "total effect model")
    for out in ("m1", "m2", "y"):
        _lm(_paths(r, out), e[out], f"{out} model")
    t = r.table.set_index("effect")
    boot = pd.concat([t.loc[["indirect"]], t.loc[["total_indirect"]], t.loc[["std_indirect"]],
                      t.loc[["std_total_indirect"]]])
    _check_boot(boot, e, ci, "model 4")


@pytest.mark.parametrize("ci", ["percentile", "bc"])
def test_model7_moderated_mediation(case, ci):
    d, exp = case
    e = exp["model7"]
    r = sk.mediation(d, "x", "y", ["m1"], model=7, moderator="w", covariates=["c1"], n_boot=1000,
                     seed=7, ci=ci)
    _lm(_paths(r, "m1"), e["m1"], "m1 model")
    _lm(_paths(r, "y"), e["y"], "y model")
    t = r.table
    boot = pd.concat([t[t["effect"] == "conditional_indirect"], t[t["effect"] == "index_mm"]])
    _close(boot["moderator_value"].iloc[:3], e["w_values"], "w values")
    _check_boot(boot, e, ci, "model 7")
    assert r.index_mm == pytest.approx(e["estimate"][3], rel=RTOL)


def test_model1_simple_slopes(case):
    d, exp = case
    e = exp["model1"]
    m = sk.moderation(d, "y", "x", "w", covariates=["c1"])
    t = m.table
    co = t[t["effect"] == "coefficient"]
    order = ["intercept", "x", "w", "c1", "x:w"]        # R's lm orders x:w last
    co = co.set_index("term").loc[order]
    for col in ("estimate", "se", "statistic", "p_value", "ci_low", "ci_high"):
        _close(co[col], e["fit"][col], f"model 1 {col}")
    s = t[t["effect"] == "conditional_effect"]
    _close(s["moderator_value"], e["w_values"], "w values")
    for col, key in (("estimate", "slope"), ("se", "se"), ("statistic", "statistic"),
                     ("p_value", "p_value"), ("ci_low", "ci_low"), ("ci_high", "ci_high")):
        _close(s[col], e[key], f"simple slopes {col}")


@pytest.mark.parametrize("ci", ["percentile", "bc"])
def test_model6_serial_mediators(case, ci):
    d, exp = case
    e = exp["model6"]
    r = sk.mediation(d, "x", "y", ["m1", "m2"], model=6, covariates=["c1"], n_boot=1000, seed=7, ci=ci)
    _lm(_paths(r, "m2"), e["m2"], "m2 model")
    boot = _boot_rows(r.table, ["indirect", "total_indirect", "std_indirect", "std_total_indirect"])
    _check_boot(boot, e, ci, "model 6")


@pytest.mark.parametrize("ci", ["percentile", "bc"])
def test_model8_moderated_a_and_direct_paths(case, ci):
    d, exp = case
    e = exp["model8"]
    r = sk.mediation(d, "x", "y", ["m1"], model=8, moderator="w", covariates=["c1"], n_boot=1000,
                     seed=7, ci=ci)
    _lm(_paths(r, "y"), e["y"], "y model")
    cd = r.table[r.table["effect"] == "conditional_direct"]
    _close(cd["estimate"], e["direct"], "conditional direct effects")
    _close(cd["se"], e["direct_se"], "conditional direct se")
    _close(cd["ci_low"], e["direct_ci_low"], "conditional direct ci_low")
    _close(cd["ci_high"], e["direct_ci_high"], "conditional direct ci_high")
    _check_boot(_boot_rows(r.table, ["conditional_indirect", "index_mm"]), e, ci, "model 8")


@pytest.mark.parametrize("ci", ["percentile", "bc"])
def test_model14_moderated_b_path(case, ci):
    d, exp = case
    e = exp["model14"]
    r = sk.mediation(d, "x", "y", ["m1"], model=14, moderator="w", covariates=["c1"], n_boot=1000,
                     seed=7, ci=ci)
    _lm(_paths(r, "y"), e["y"], "y model")
    _check_boot(_boot_rows(r.table, ["conditional_indirect", "index_mm"]), e, ci, "model 14")


def test_model3_three_way_interaction(case):
    """Model 3 (x × w × z, z dichotomous) against lm on the centred variables: coefficients,
    conditional effects of x at each (w, z), the conditional x:w interaction at each z and
    the F change of the three-way product (anova of the model without it)."""
    d, exp = case
    e = exp["model3"]
    m = sk.moderation(d, "y", "x", "w", z="c1", covariates=["m2"])
    assert m.model == 3
    t = m.table
    co = t[t["effect"] == "coefficient"].set_index("term")
    co = co.loc[["intercept" if s == "(Intercept)" else s for s in e["fit"]["term"]]]
    for col in ("estimate", "se", "statistic", "p_value", "ci_low", "ci_high"):
        _close(co[col], e["fit"][col], f"model 3 {col}")
    assert set(co["df"]) == {e["fit"]["df"]}
    _close(m.r_squared, e["r_squared"], "model 3 R²")
    s = t[t["effect"] == "conditional_effect"]
    _close(s["moderator_value"], e["w_values"], "w values")
    _close(s["moderator_value_2"], e["z_values"], "z values")
    for col, key in (("estimate", "slope"), ("se", "se"), ("statistic", "statistic"),
                     ("p_value", "p_value"), ("ci_low", "ci_low"), ("ci_high", "ci_high")):
        _close(s[col], e[key], f"model 3 conditional effects {col}")
    ci = t[t["effect"] == "conditional_interaction"]
    _close(ci["moderator_value_2"], e["interaction_z_values"], "interaction z values")
    _close(ci["estimate"], e["interaction"], "conditional x:w")
    _close(ci["se"], e["interaction_se"], "conditional x:w se")
    _close(ci["p_value"], e["interaction_p_value"], "conditional x:w p")
    _close(m.f_change, e["f_change"], "F change of x:w:c1")
    _close(m.interaction, e["fit"]["estimate"][-1], "x:w:c1")
