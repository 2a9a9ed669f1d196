"""compare_groups: the auto rule, result shape, and every user-facing message."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.result import Result


def _df(seed=1, sizes=(40, 35, 30)):
    rng = np.random.default_rng(seed)
    y = np.concatenate([rng.normal(3 + 0.3 * i, 1, n) for i, n in enumerate(sizes)])
    g = np.repeat(np.arange(1, len(sizes) + 1), sizes)
    return pd.DataFrame({"score": y, "region": g})


def test_auto_two_groups_picks_welch_and_says_why():
    r = sk.compare_groups(_df(sizes=(40, 35)), "score", "region")
    assert r.test == "welch" and "does not assume equal variances" in r.reason
    assert r.effect_size_name == "hedges_g" and r.df2 is None
    assert isinstance(r, Result) and set(r.table["term"]) == {"welch_t", "cohens_d", "hedges_g"}


def test_auto_goes_rank_based_when_small_group_is_not_normal():
    y = np.r_[[1, 1, 1, 1, 1, 1, 1, 2, 9, 10], np.linspace(2, 5, 12)]
    d = pd.DataFrame({"score": y, "region": ["a"] * 10 + ["b"] * 12})
    r = sk.compare_groups(d, "score", "region")
    assert r.test == "mannwhitney"
    assert "normality clearly fails" in r.reason and "group 'a'" in r.reason


def test_auto_three_groups_welch_anova_and_posthoc():
    r = sk.compare_groups(_df(), "score", "region", posthoc="games_howell")
    assert r.test == "welch_anova" and r.n_groups == 3 and len(r.posthoc) == 3
    assert r.effect_size_name == "omega_squared"
    assert r.provenance.parameters["test_used"] == "welch_anova"
    assert "oneway.test" in r.provenance.r_equivalent
    assert "Why this test" in r.summary() and "Post hoc comparisons" in r.summary()


def test_categorical_order_and_empty_category_warning():
    d = _df(sizes=(20, 20))
    d["region"] = pd.Categorical(d["region"].map({1: "Chongqing", 2: "Chengdu"}),
                                 categories=["Chongqing", "Chengdu", "Other"])
    with pytest.warns(sk.DataWarning, match=r"region has 1 empty group \(Other\)"):
        r = sk.compare_groups(d, "score", "region", test="student")
    assert r.descriptives["group"].tolist() == ["Chongqing", "Chengdu"]


def test_missing_values_dropped_with_counts():
    d = _df(sizes=(20, 20))
    d.loc[[0, 1, 2], "score"] = np.nan
    d.loc[5, "region"] = np.nan
    with pytest.warns(sk.DataWarning, match=r"compare_groups dropped 4 of 40 rows "
                                              r"\(3 with score missing; 1 with region missing\)"):
        r = sk.compare_groups(d, "score", "region", test="welch")
    assert r.n == 36 and r.n_dropped == 4
    assert "4 rows dropped" in r.summary()


def test_text_groups_and_labels():
    d = _df(sizes=(15, 15))
    d["region"] = d["region"].map({1: "Chengdu", 2: "Chongqing"}).astype("string")
    r = sk.compare_groups(d, "score", "region", test="mannwhitney", posthoc="dunn")
    assert r.descriptives["group"].tolist() == ["Chengdu", "Chongqing"]
    assert r.posthoc.loc[0, "group_a"] == "Chongqing"


def test_group_with_one_member():
    d = pd.DataFrame({"score": [1.0, 2, 3, 4, 5], "region": [1, 1, 2, 2, 3]})
    with pytest.raises(sk.AnalysisError, match=r"group '3' of region has only one member"):
        sk.compare_groups(d, "score", "region")


def test_single_group():
    d = pd.DataFrame({"score": [1.0, 2, 3], "region": [1, 1, 1]})
    with pytest.raises(sk.AnalysisError, match="region has only one group"):
        sk.compare_groups(d, "score", "region")


def test_non_numeric_dv():
    d = pd.DataFrame({"score": ["high", "low", "3"], "region": [1, 1, 2]})
    with pytest.raises(sk.DataError, match=r"column score is not numeric: 2 values are text"):
        sk.compare_groups(d, "score", "region")


def test_unknown_columns():
    d = _df(sizes=(5, 5))
    with pytest.raises(sk.DataError, match=r"column 'scor' is not a column of the data. Did you mean 'score'"):
        sk.compare_groups(d, "scor", "region")
    with pytest.raises(sk.DataError, match=r"group column 'regoin' is not a column"):
        sk.compare_groups(d, "score", "regoin")


def test_two_group_test_with_three_groups():
    with pytest.raises(sk.AnalysisError, match=r"test='welch' compares two groups, but region has 3 "
                                                 r"\(1, 2, 3\). Use test='welch_anova'"):
        sk.compare_groups(_df(), "score", "region", test="welch")


def test_no_variance():
    d = pd.DataFrame({"score": [2.0, 2, 3, 3], "region": [1, 1, 2, 2]})
    with pytest.raises(sk.AnalysisError, match="score has no variance within any group of region"):
        sk.compare_groups(d, "score", "region")


def test_all_rows_missing():
    d = pd.DataFrame({"score": [np.nan, np.nan], "region": [1, 2]})
    with pytest.raises(sk.DataError, match="compare_groups: no row has both score and region answered"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", sk.DataWarning)
            sk.compare_groups(d, "score", "region")


@pytest.mark.parametrize("kw,msg", [
    ({"test": "ttest"}, r"The 'test' parameter of compare_groups must be one of \{'auto', "),
    ({"posthoc": "scheffe"}, r"The 'posthoc' parameter of compare_groups must be one of \{None, "),
    ({"p_adjust": "sidak"}, r"The 'p_adjust' parameter of compare_groups must be one of"),
    ({"alpha": 1.5}, r"The 'alpha' parameter of compare_groups must be a number > 0 and < 1. Got 1.5"),
    ({"conf_level": 1.5}, r"The 'conf_level' parameter of compare_groups must be a number > 0 and < 1. Got 1.5"),
])
def test_parameter_errors(kw, msg):
    with pytest.raises(sk.ParameterError, match=msg):
        sk.compare_groups(_df(), "score", "region", **kw)


def test_shapiro_not_run_for_tiny_group():
    d = pd.DataFrame({"score": [1.0, 2, 3, 4, 5, 7, 2.5], "region": [1, 1, 2, 2, 2, 2, 2]})
    r = sk.compare_groups(d, "score", "region", test="welch")
    sw = r.assumptions[r.assumptions["term"] == "shapiro_wilk"]
    assert "needs 3 to 5000 values, group has 2" in sw.iloc[0]["note"]
    assert np.isnan(sw.iloc[0]["p_value"]) and not np.isnan(sw.iloc[1]["p_value"])


def test_instrument_gives_value_labels_and_provenance():
    ins = sk.load_instrument("respondent_profile")
    d = _df(sizes=(12, 14)).rename(columns={"region": "PR01"})
    r = sk.compare_groups(d, "score", "PR01", instrument=ins)
    assert r.descriptives["label_en"].tolist() == ["Chengdu", "Chongqing"]
    assert r.provenance.instruments == (ins.ref,)


def test_accepts_responses_like_object_and_uses_its_instrument():
    ins = sk.load_instrument("respondent_profile")
    frame = _df(sizes=(10, 11)).rename(columns={"region": "PR01"})

    class FakeResponses:  # the duck type surveykit.analysis.inputs.as_frame accepts
        instrument = ins
        sources = ()

        def to_frame(self):
            return frame

    r = sk.compare_groups(FakeResponses(), "score", "PR01", test="welch")
    assert r.descriptives["label_en"].tolist() == ["Chengdu", "Chongqing"]
    assert r.provenance.instruments == (ins.ref,)


def test_zero_variance_group():
    d = pd.DataFrame({"score": [3.0, 3, 3, 1, 2, 3, 4, 2, 5, 4, 1],
                      "region": [1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]})
    with pytest.raises(sk.AnalysisError, match=r"group '1' of region has no variance in score .* "
                                                 r"Use test='anova' or 'kruskal'"):
        sk.compare_groups(d, "score", "region", test="welch_anova")
    r = sk.compare_groups(d, "score", "region")
    assert r.test == "kruskal" and "group '1' has no variance" in r.reason
    d2 = pd.DataFrame({"score": [3.0, 3, 2, 2, 2, 1, 4], "region": [1, 1, 2, 2, 3, 3, 3]})
    with pytest.raises(sk.AnalysisError, match=r"groups '1', '2' have no variance .* posthoc='tukey'"):
        sk.compare_groups(d2, "score", "region", test="anova", posthoc="games_howell")


def test_descriptives_keep_group_values_and_give_labels_in_every_language():
    ins = sk.load_instrument("respondent_profile")
    d = _df(sizes=(12, 14)).rename(columns={"region": "PR01"})
    d["PR01"] = d["PR01"].astype("float64")          # as Responses holds codes: 1.0, 2.0
    desc = sk.compare_groups(d, "score", "PR01", instrument=ins).descriptives
    assert desc["group"].dtype == "int64" and desc["group"].tolist() == [1, 2]
    assert list(desc.columns[:3]) == ["group", "label_zh", "label_en"]
    assert desc["label_zh"].tolist() == ["成都", "重庆"]
    assert desc["label_en"].tolist() == ["Chengdu", "Chongqing"]
    half = d.assign(PR01=d["PR01"] + 0.5)             # non-whole numbers stay float
    assert sk.compare_groups(half, "score", "PR01").descriptives["group"].tolist() == [1.5, 2.5]
    text = d.assign(PR01=d["PR01"].map({1.0: "north", 2.0: "south"}))
    assert sk.compare_groups(text, "score", "PR01").descriptives["group"].tolist() == [
        "north", "south"]
