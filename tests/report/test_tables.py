"""APA-7 formatting rules of surveykit.report.tables (see the module docstring)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from surveykit.errors import ParameterError
from surveykit.report.tables import apa_table, format_number, format_p, write_csv


@pytest.mark.parametrize("p, text", [(0.0, "< .001"), (0.00049, "< .001"), (0.001, ".001"),
                                     (0.0321, ".032"), (0.5, ".500"), (0.9996, "> .999"),
                                     (1.0, "> .999"), (np.nan, "")])
def test_p_values(p, text):
    assert format_p(p) == text


@pytest.mark.parametrize("x, kw, text", [
    (0.4567, {"bounded": True}, ".46"),
    (-0.4567, {"bounded": True}, "\u2212.46"),
    (0.4567, {}, "0.46"),
    (-1.5, {}, "\u22121.50"),
    (-0.001, {}, "0.00"),              # no negative zero
    (1.0, {"bounded": True}, "1.00"),
    (12.0, {"integer": True}, "12"),
    (12.5, {"integer": True}, "12.50"),  # Welch df stays decimal
    (3.14159, {"decimals": 3}, "3.142"),
    (None, {}, ""),
])
def test_numbers(x, kw, text):
    assert format_number(x, **kw) == text


def test_result_table_en(fake_result):
    tab = apa_table(fake_result, lang="en")
    # constant method moves to the note; CI merged; alpha rows bounded (term == "alpha")
    assert tab.header == ("Scale", "Term", "Estimate", "95% CI", "n")
    assert tab.rows[0] == ("market_barriers", "alpha", ".87", "[.84, .90]", "300")
    assert tab.italic == (False, False, False, False, True)
    assert "Method: feldt." in tab.note
    assert "psych::alpha(x)" in tab.note
    assert tab.caption == "Reliability"
    pd.testing.assert_frame_equal(tab.data, fake_result.table)  # CSV keeps the raw numbers


def test_zh_labels_and_ci_level(fake_result):
    tab = apa_table(fake_result, lang="zh", caption={"zh": "信度", "en": "Reliability"})
    assert tab.caption == "信度"
    assert tab.header[:3] == ("量表", "项", "估计值")
    assert "方法: feldt." in tab.note


def test_mean_ci_not_bounded_and_p():
    df = pd.DataFrame({"group": ["成都", "重庆"], "mean": [3.456, 0.5], "sd": [0.9, 1.0],
                       "ci_low": [3.3, 0.41], "ci_high": [3.6, 0.6], "p_value": [0.0001, 0.07]})
    tab = apa_table(df, lang="zh")
    assert tab.header == ("组别", "M", "SD", "95% CI", "p")
    assert tab.rows[1] == ("重庆", "0.50", "1.00", "[0.41, 0.60]", ".070")
    assert tab.rows[0][-1] == "< .001"


def test_effect_size_bounded_by_name():
    df = pd.DataFrame({"term": ["welch_t", "welch_t"], "effect_size": [0.42, 0.42],
                       "effect_size_name": ["cohens_d", "r"]})
    tab = apa_table(df)
    assert [r[1] for r in tab.rows] == ["0.42", ".42"]


def test_three_decimals_fit_indices_and_overrides():
    df = pd.DataFrame({"cfi": [0.9512], "rmsea": [0.04567], "chi2": [123.456], "df": [48]})
    tab = apa_table(df, decimals={"chi2": 1})
    assert tab.rows[0] == (".95", ".046", "123.5", "48")
    assert tab.header == ("CFI", "RMSEA", "χ²", "df")
    assert tab.italic == (False, False, False, True)


def test_bounded_true_for_matrix():
    m = pd.DataFrame([[1.0, -0.31], [-0.31, 1.0]], index=pd.Index(["IT", "LP"], name="scale"),
                     columns=["IT", "LP"])
    tab = apa_table(m, bounded=True)
    assert tab.rows == (("IT", "1.00", "\u2212.31"), ("LP", "\u2212.31", "1.00"))


def test_empty_columns_dropped_and_columns_param():
    df = pd.DataFrame({"item": ["a"], "note": [None], "estimate": [1.5], "se": [np.nan]})
    assert apa_table(df).columns == ("item", "estimate")
    assert apa_table(df, columns=["estimate"]).rows == (("1.50",),)


def test_errors():
    with pytest.raises(ParameterError, match="The 'obj' parameter of apa_table must be a Result or a "
                                             "pandas DataFrame. Got list instead."):
        apa_table([1, 2])
    with pytest.raises(ParameterError, match="names columns the table does not have: 'nope'"):
        apa_table(pd.DataFrame({"a": [1]}), columns=["nope"])
    with pytest.raises(ParameterError, match=r"The 'lang' parameter of apa_table must be one of "
                                             r"\{'zh', 'en'\}. Got 'fr' instead."):
        apa_table(pd.DataFrame({"a": [1]}), lang="fr")
    with pytest.raises(ParameterError, match="asked for a 'ci' column"):
        apa_table(pd.DataFrame({"a": [1]}), columns=["a", "ci"])


def test_write_csv_roundtrip(tmp_path):
    df = pd.DataFrame({"group": ["成都", "重庆"], "mean": [1 / 3, 2.5], "n": [10, 12]})
    path = tmp_path / "t.csv"
    write_csv(df, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert back["mean"].tolist() == [1 / 3, 2.5]   # full precision, exact
    assert back["group"].tolist() == ["成都", "重庆"]


def test_unnamed_row_labels_are_kept(tmp_path):
    m = pd.DataFrame([[1.0, 0.25], [0.25, 1.0]], index=["IT", "LP"], columns=["IT", "LP"])
    tab = apa_table(m, bounded=True)
    assert tab.columns == ("term", "IT", "LP") and tab.rows[0] == ("IT", "1.00", ".25")
    write_csv(m, tmp_path / "m.csv")
    assert pd.read_csv(tmp_path / "m.csv", encoding="utf-8-sig").columns.tolist() == ["term", "IT", "LP"]


def test_sem_columns():
    df = pd.DataFrame({"term": ["F1 =~ IT01"], "estimate": [1.036], "p_value": [0.0],
                       "std_estimate": [0.805], "std_p_value": [0.0123]})
    tab = apa_table(df)
    assert tab.rows[0] == ("F1 =~ IT01", "1.04", "< .001", ".81", ".012")
    assert tab.header[-2:] == ("Std. estimate", "p (std.)")


def test_fit_measures_long_table_rows_follow_their_term():
    fit = pd.DataFrame({"term": ["chisq", "df", "pvalue", "cfi", "rmsea", "srmr"],
                        "estimate": [12.5543, 8.0, 0.1281, 0.9912, 0.03751, 0.0234]})
    assert [r[1] for r in apa_table(fit).rows] == ["12.55", "8", ".128", ".99", ".038", ".023"]


def test_invariance_columns():
    inv = pd.DataFrame({"term": ["metric"], "delta_chisq": [4.0], "delta_df": [4.0],
                        "delta_p_value": [0.406], "delta_cfi": [-0.0012]})
    tab = apa_table(inv, lang="en")
    assert tab.header == ("Term", "Δχ²", "Δdf", "p (Δχ²)", "ΔCFI")
    assert tab.rows[0] == ("metric", "4.00", "4", ".406", "\u2212.001")


def test_headline_numbers_in_the_note():
    from dataclasses import dataclass

    from surveykit.result import Result, make_provenance

    @dataclass(frozen=True, kw_only=True)
    class Reg(Result):
        y: str
        r_squared: float
        adj_r_squared: float
        f_statistic: float
        df1: float
        df2: float
        p_value: float
        n: int

    res = Reg(table=pd.DataFrame({"term": ["IT"], "estimate": [0.5]}),
              provenance=make_provenance("regress", {}, {}), y="RS", r_squared=0.4123,
              adj_r_squared=0.4011, f_statistic=45.2, df1=3.0, df2=196.0, p_value=1e-9, n=200)
    note = apa_table(res, headline=True, note="").note
    assert note == "R² = .41, Adj. R² = .40, F = 45.20, df1 = 3, df2 = 196, p < .001, n = 200."
    assert apa_table(res, headline=["r_squared"], note="").note == "R² = .41."


# ---------------------------------------------------------------- generic name rules
def test_agreement_proportions_have_no_leading_zero():
    """percent_agreement is a proportion (0–1): bounded like κ and Krippendorff's α."""
    df = pd.DataFrame({"code": ["trust"], "percent_agreement": [0.9412], "cohen_kappa": [0.7712],
                       "krippendorff_alpha": [0.7698]})
    assert apa_table(df).rows[0] == ("trust", ".94", ".77", ".77")
    long = pd.DataFrame({"code": ["trust"] * 2, "method": ["percent_agreement", "cohen_kappa"],
                         "estimate": [0.94, -0.05]})
    assert [r[-1] for r in apa_table(long, columns=["code", "method", "estimate"]).rows] == [".94", "−.05"]


def test_delta_and_prefixed_p_value_columns_follow_the_generic_rules():
    df = pd.DataFrame({"term": ["metric"], "delta_chisq": [12.345], "delta_df": [6.0],
                       "delta_p_value": [0.0004], "delta_cfi": [-0.0042], "delta_rmsea": [0.0011],
                       "delta_aic": [-3.21], "robust_p_value": [0.0321]})
    tab = apa_table(df, lang="en")
    assert tab.header == ("Term", "Δχ²", "Δdf", "p (Δχ²)", "ΔCFI", "ΔRMSEA", "ΔAIC", "p (Robust)")
    assert tab.rows[0] == ("metric", "12.35", "6", "< .001", "−.004", ".001", "−3.21", ".032")
    assert apa_table(df, lang="zh").header[6:] == ("ΔAIC", "p（Robust）")


def test_every_ci_low_ci_high_pair_merges_into_one_interval():
    df = pd.DataFrame({"scale": ["IT"], "mean": [3.456], "ci_low": [3.3], "ci_high": [3.6],
                       "effect_size_name": ["d"], "effect_size": [0.4512],
                       "effect_size_ci_low": [-0.1234], "effect_size_ci_high": [0.83],
                       "rmsea": [0.0512], "rmsea_ci_low": [0.041], "rmsea_ci_high": [0.0623]})
    tab = apa_table(df, lang="en")
    assert tab.columns == ("scale", "mean", "ci", "effect_size", "effect_size_ci", "rmsea", "rmsea_ci")
    assert tab.header == ("Scale", "M", "95% CI", "Effect size", "95% CI (Effect size)", "RMSEA",
                          "RMSEA 90% CI")
    assert tab.rows[0] == ("IT", "3.46", "[3.30, 3.60]", "0.45", "[−0.12, 0.83]", ".051", "[.041, .062]")
    r = pd.DataFrame({"effect_size_name": ["r", "r"], "effect_size": [0.3, 0.5],
                      "effect_size_ci_low": [0.1, 0.2], "effect_size_ci_high": [0.5, 0.7], "x": [1.5, 2]})
    assert apa_table(r, lang="zh").rows[0] == (".30", "[.10, .50]", "1.50")  # follows its estimate
    asked = apa_table(df, columns=["scale", "effect_size", "effect_size_ci"])
    assert asked.rows[0] == ("IT", "0.45", "[−0.12, 0.83]")
