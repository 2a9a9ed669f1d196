"""sk.sem(se="bootstrap") against lavaan 0.6-14 refitting the same resamples
(tests/reference/sem/bootstrap: generate.R reads surveykit's resample indices)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk

REF = Path(__file__).resolve().parents[2] / "reference" / "sem"


def close(a, e, rtol, what):
    np.testing.assert_allclose(np.asarray(a, float), np.asarray(e, float), rtol=rtol,
                               atol=1e-13, err_msg=what)


@pytest.mark.parametrize("block,data,idxfile,n_boot,missing", [
    ("ml", "input.csv", "indices_ml.csv.gz", 500, "listwise"),
    ("fiml", "input_missing.csv", "indices_fiml.csv.gz", 100, "ml"),
])
def test_bootstrap_same_resamples_as_lavaan(block, data, idxfile, n_boot, missing):
    """lavaan refits on surveykit's resample indices (generate.R): SEs, percentile and
    bias-corrected (bca.simple) intervals of every free and defined parameter at 1e-6."""
    from surveykit.analysis.sem.bootstrap import resample_indices

    ref = json.loads((REF / "bootstrap" / "expected.json").read_text())
    d = pd.read_csv(REF / "political_democracy" / data)
    idx = np.loadtxt(REF / "bootstrap" / idxfile, delimiter=",", dtype=int)
    np.testing.assert_array_equal(resample_indices((len(d),), n_boot, ref["seed"])[0], idx)
    b = pd.DataFrame({k: ref[block][k] for k in ("lhs", "op", "rhs", "est", "se", "perc_low",
                                                  "perc_high", "bca_low", "bca_high")})
    b = b.rename(columns={"se": "se_r"})
    rtol = ref["tolerance"]["rtol"]
    for ci, lo, hi in (("percentile", "perc_low", "perc_high"), ("bc", "bca_low", "bca_high")):
        res = sk.sem(d, ref["model"], se="bootstrap", n_boot=n_boot, seed=ref["seed"], ci=ci,
                     missing=missing)
        assert res.se == "bootstrap" and res.n_boot == n_boot and res.ci_method == ci
        m = b.merge(res.estimates, on=["lhs", "op", "rhs"], how="left")
        assert len(m) == len(b) and m["estimate"].notna().all()
        close(m["estimate"], m["est"], rtol, "estimate")
        close(m["se"], m["se_r"], rtol, "boot se")
        close(m["ci_low"], m[lo], rtol, f"{ci} low")
        close(m["ci_high"], m[hi], rtol, f"{ci} high")
        fixed = res.estimates[res.estimates["se"] == 0]
        assert (fixed["ci_low"] == fixed["estimate"]).all()
        assert res.bootstrap.shape[0] == n_boot and list(res.bootstrap.columns[-2:]) == ["ind", "total"]
