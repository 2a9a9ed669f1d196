"""The named steps of compare_groups, each on its own (the public function is tested in test_groups.py)."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from surveykit.analysis.groups.assumptions import assumption_table, group_sums
from surveykit.analysis.groups.compare import _choose_test, _kruskal_rows, _run_test, _t_rows
from surveykit.errors import AnalysisError

RNG = np.random.default_rng(7)


def _groups(sizes, shift=0.0):
    y = np.concatenate([RNG.normal(3 + shift * i, 1, n) for i, n in enumerate(sizes)])
    codes = np.repeat(np.arange(len(sizes)), sizes)
    return y, codes, [f"g{i}" for i in range(len(sizes))]


def test_choose_test_auto_takes_kruskal_when_a_group_is_constant():
    y, codes, labels = _groups([40, 40, 40])
    y[codes == 1] = 4.0
    ss = group_sums(y, codes, 3)[2]
    chosen, reason = _choose_test("auto", assumption_table(y, codes, labels), labels, ss, 0.05,
                                  dv="trust", group="region", func="compare_groups")
    assert chosen == "kruskal"
    assert reason.startswith("3 groups; group 'g1' has no variance")


def test_choose_test_names_the_requested_test():
    y, codes, labels = _groups([20, 20])
    ss = group_sums(y, codes, 2)[2]
    assert _choose_test("student", assumption_table(y, codes, labels), labels, ss, 0.05,
                        dv="trust", group="region", func="compare_groups") == \
        ("student", "test='student' was requested.")


def test_choose_test_refuses_a_two_group_test_for_three_groups():
    y, codes, labels = _groups([10, 10, 10])
    ss = group_sums(y, codes, 3)[2]
    with pytest.raises(AnalysisError, match=r"test='welch' compares two groups, but region has 3 "
                                            r"\(g0, g1, g2\)\. Use test='welch_anova'"):
        _choose_test("welch", assumption_table(y, codes, labels), labels, ss, 0.05,
                     dv="trust", group="region", func="compare_groups")


def test_t_rows_equal_scipy_and_headline_hedges_g():
    y, codes, labels = _groups([15, 22], shift=0.5)
    n_, m_, ss_ = group_sums(y, codes, 2)
    v_ = ss_ / (n_ - 1)
    res = _t_rows("welch", labels, n_, m_, v_, 0.95)
    ref = stats.ttest_ind(y[codes == 0], y[codes == 1], equal_var=False)
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.p_value == pytest.approx(ref.pvalue, rel=1e-10)
    assert [r["term"] for r in res.rows] == ["welch_t", "cohens_d", "hedges_g"]
    assert res.effect_size_name == "hedges_g" and res.effect_size == res.rows[2]["estimate"]


def test_kruskal_rows_equal_scipy():
    y, codes, labels = _groups([12, 9, 14], shift=0.4)
    res = _kruskal_rows(y, codes, 3)
    ref = stats.kruskal(*(y[codes == i] for i in range(3)))
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.p_value == pytest.approx(ref.pvalue, rel=1e-10)
    assert (res.df1, res.df2, res.effect_size_ci_low) == (2.0, None, None)


def test_run_test_dispatches_every_test():
    y, codes, labels = _groups([10, 12])
    n_, m_, ss_ = group_sums(y, codes, 2)
    v_ = ss_ / (n_ - 1)
    terms = {t: _run_test(t, y, codes, labels, n_, m_, v_, 0.95).rows[0]["term"]
             for t in ("student", "welch", "mannwhitney", "anova", "welch_anova", "kruskal")}
    assert terms == {"student": "student_t", "welch": "welch_t", "mannwhitney": "wilcoxon_w",
                     "anova": "anova_f", "welch_anova": "welch_anova_f", "kruskal": "kruskal_h"}
    # two groups: Welch's ANOVA F is the Welch t squared, with the same p
    t = _run_test("welch", y, codes, labels, n_, m_, v_, 0.95)
    f = _run_test("welch_anova", y, codes, labels, n_, m_, v_, 0.95)
    assert f.statistic == pytest.approx(t.statistic ** 2, rel=1e-12)
    assert f.p_value == pytest.approx(t.p_value, rel=1e-10)
