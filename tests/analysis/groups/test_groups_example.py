"""compare_groups, crosstab, correlations and regress on the bundled (SIMULATED) example wave."""
from __future__ import annotations

import warnings

import pytest

import surveykit as sk


@pytest.fixture(scope="module")
def wave():
    from surveykit.datasets import load_example_wave

    r = load_example_wave(1, key="example")
    return r, sk.score(r)


def test_region_comparison_pipeline(wave):
    r, scores = wave
    res = sk.compare_groups(scores, "intergovernmental_trust", "PR01", instrument=r.instrument,
                            posthoc="games_howell")
    assert res.test == "welch" and res.n_groups == 2
    assert res.descriptives["label_en"].tolist() == ["Chengdu", "Chongqing"]
    assert res.provenance.instruments == tuple(r.instrument.refs)
    assert "Chengdu" in res.summary()


def test_crosstab_from_responses_uses_its_instrument(wave):
    r, _ = wave
    res = sk.crosstab(r, "PR01", "PR06")
    assert set(res.counts["row_label"]) == {"Chengdu", "Chongqing"}
    assert res.n + res.n_dropped == r.n


def test_correlations_and_regression_on_scale_scores(wave):
    _, scores = wave
    cols = ["intergovernmental_trust", "local_protectionism", "regional_synergy"]
    c = sk.correlations(scores, cols, p_adjust="holm")
    assert c.n_pairs == 3 and c.table["n"].min() > 500
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataWarning)
        reg = sk.regress(scores, "regional_synergy", cols[:2] + ["PR05"])
    assert reg.table["term"].tolist() == ["intercept", *cols[:2], "PR05"]
    assert 0 < reg.r_squared < 1
