"""Report tables of hierarchical regression, common-method bias and aggregation, in HTML
and Word, Chinese and English.

Every cell checked here is recomputed from the Result's own fields (``steps``, ``table``,
``harman_*``, ``single_delta_*``, ``ulmc_delta_*``, ``icc1``, ``rwg`` ...) with the report's
number rules; the numbers themselves are checked against R in tests/analysis.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from markupsafe import escape

import surveykit as sk
from surveykit.report import Report
from surveykit.report.model import TextBlock
from surveykit.report.tables import apa_table, format_number, format_p

#: Latin words allowed in Chinese headings and captions: statistical symbols only.
SYMBOLS = {"t", "p", "df", "CFI", "RMSEA", "F", "ICC", "rwg", "j"}
LANGS = ("zh", "en")


def _stars(p: float) -> str:
    return "***" if p < .001 else "**" if p < .01 else "*" if p < .05 else ""


@pytest.fixture(scope="module")
def results():
    rng = np.random.default_rng(21)
    n = 320
    d = pd.DataFrame({"age": rng.normal(size=n), "level": rng.integers(1, 4, n),
                      "x1": rng.normal(size=n), "x2": rng.normal(size=n)})
    d["y"] = 0.15 * d.age + 0.45 * d.x1 + 0.1 * d.x2 + rng.normal(size=n)
    hier = sk.regress(d, "y", blocks=[["age", "level"], ["x1", "x2"]], categorical=["level"])
    rng = np.random.default_rng(2)      # the docstring's data: the ULMC model converges
    t = rng.multivariate_normal(np.zeros(3), [[1, .4, .3], [.4, 1, .4], [.3, .4, 1]], 400)
    m = rng.normal(size=400)
    lm = np.linspace(0.1, 0.6, 9)[[4, 0, 8, 2, 6, 1, 7, 3, 5]]
    df = pd.DataFrame({f"{s}{j}": 0.7 * t[:, k] + lm[3 * k + j - 1] * m
                       + rng.normal(0, 0.6, 400) for k, s in enumerate("ABC") for j in (1, 2, 3)})
    cmb = sk.common_method_bias(df, model="A =~ A1 + A2 + A3\nB =~ B1 + B2 + B3\nC =~ C1 + C2 + C3")
    rng = np.random.default_rng(5)
    ag = pd.DataFrame({"unit": np.repeat([f"u{i}" for i in range(9)], 8)})
    u = rng.normal(size=9)[np.repeat(np.arange(9), 8)]
    for q in ("q1", "q2", "q3"):
        ag[q] = np.clip(np.round(3 + 0.8 * u + rng.normal(0, 0.9, len(ag))), 1, 5)
    agg = sk.aggregation(ag, "unit", items=["q1", "q2", "q3"], n_options=5)
    return {"hier": hier, "cmb": cmb, "agg": agg}


NAMES = {"x1": {"zh": "政府间信任", "en": "Trust"}, "y": {"zh": "区域协同", "en": "Synergy"},
         "level": {"zh": "政府层级", "en": "Government level"}}


@pytest.fixture(scope="module")
def written(tmp_path_factory, results):
    out = {}
    for lang in LANGS:
        rep = Report(lang=lang)
        rep.section("检验", "Checks")
        rep.add(results["hier"], name="hier", names=NAMES)
        rep.add(results["cmb"], name="cmb")
        rep.add(results["agg"], name="agg")
        path = tmp_path_factory.mktemp(f"checks_{lang}")
        rep.write(path, lang=lang)
        out[lang] = (path, rep.render(lang))
    return out


def _tables(rendered) -> dict:
    return {re.sub(r"^tables/\d+_|\.csv$", "", b.csv): b.table for b in rendered.tables}


def _cells(tab, column: str) -> list[str]:
    return [r[tab.columns.index(column)] for r in tab.rows]


def _texts(rendered) -> list[str]:
    return [b.text for s in rendered.sections if s.id != "methods" for b in s.blocks
            if isinstance(b, TextBlock)]


# ------------------------------------------------------------------------------ hierarchical
@pytest.mark.parametrize("lang", LANGS)
def test_hierarchical_table_has_a_column_block_per_step(written, results, lang):
    tab = _tables(written[lang][1])["hier_table"]
    res = results["hier"]
    model = {"zh": "模型", "en": "Model"}[lang]
    assert tab.header == ({"zh": "变量", "en": "Variable"}[lang], f"{model} 1 β", "t",
                          f"{model} 2 β", "t")
    level = NAMES["level"][lang] + ("：" if lang == "zh" else ": ")
    fit = {"zh": ["R²", "调整 R²", "ΔR²", "F", "ΔF"], "en": ["R²", "Adj. R²", "ΔR²", "F", "ΔF"]}
    assert _cells(tab, "predictor") == ["age", f"{level}2", f"{level}3", NAMES["x1"][lang], "x2",
                                        *fit[lang]]
    for k in (1, 2):
        c = res.table[(res.table.step == k) & (res.table.term != "intercept")]
        beta, tcol = _cells(tab, f"beta_{k}"), _cells(tab, f"t_{k}")
        n_terms = len(c)
        assert n_terms == (3 if k == 1 else 5)
        assert beta[:n_terms] == [format_number(b, 3, bounded=True) + _stars(p)
                                  for b, p in zip(c.std_estimate, c.p_value)]
        assert tcol[:n_terms] == [format_number(v, 2) for v in c.statistic]
        assert all(b == "" for b in beta[n_terms:5]) and set(tcol[5:]) == {""}  # step 1: no x
        s = res.steps[res.steps.step == k].iloc[0]
        assert beta[5:] == [format_number(s.r_squared, 3, bounded=True),
                            format_number(s.adj_r_squared, 3, bounded=True),
                            format_number(s.delta_r_squared, 3, bounded=True) + _stars(s.p_value),
                            format_number(s.f_statistic, 3) + _stars(s.f_p_value),
                            format_number(s.f_change, 3) + _stars(s.p_value)]
        assert f"ΔF({int(s.df1)}, {int(s.df2)})" in tab.note
    assert "p < .001" in tab.note and f"n = {res.n}" in tab.note
    assert format_number(res.table.vif.max()) in tab.note
    assert tab.caption == {"zh": "分层回归分析结果", "en": "Hierarchical regression"}[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_hierarchical_sentence_gives_each_step_and_the_last_block(written, results, lang):
    res = results["hier"]
    [text] = [x for x in _texts(written[lang][1]) if "ΔR²" in x]
    for s in res.steps.itertuples():
        assert f"ΔR² = {format_number(s.delta_r_squared, 3, bounded=True)}" in text
        assert f"F({int(s.df1)}, {int(s.df2)}) = {format_number(s.f_change)}" in text
    last = res.table[(res.table.step == 2) & (res.table.term == "x1")].iloc[0]
    assert f"{NAMES['x1'][lang]}" in text
    assert f"β = {format_number(last.std_estimate, 3, bounded=True)}" in text


def test_hierarchical_csv_keeps_b_se_and_p_unrounded(written, results):
    path, _ = written["en"]
    [f] = path.glob("tables/*_hier_table.csv")
    back = pd.read_csv(f, encoding="utf-8-sig")
    res = results["hier"]
    c = res.table[(res.table.step == 2) & (res.table.term != "intercept")]
    np.testing.assert_allclose(back["b_2"].to_numpy(float)[:5], c.estimate, rtol=1e-15)
    np.testing.assert_allclose(back["se_2"].to_numpy(float)[:5], c.se, rtol=1e-15)
    np.testing.assert_allclose(back["beta_2"].to_numpy(float)[:5], c.std_estimate, rtol=1e-15)
    assert back["beta_2"].iloc[5] == pytest.approx(res.r_squared, rel=1e-15)


# ------------------------------------------------------------------------------ common-method bias
@pytest.mark.parametrize("lang", LANGS)
def test_harman_table_by_pca_and_fa_with_the_40_percent_convention(written, results, lang):
    tab = _tables(written[lang][1])["cmb_harman"]
    res = results["cmb"]
    assert tab.header == {"zh": ("检验", "特征值", "方差解释率（%）", "惯例临界值（%）"),
                          "en": ("Test", "Eigenvalue", "Variance explained (%)",
                                 "Conventional cut-off (%)")}[lang]
    assert _cells(tab, "percent") == [format_number(100 * res.harman_pca_share, 2),
                                      format_number(100 * res.harman_fa_share, 2)]
    assert _cells(tab, "ss_loadings")[0] == format_number(res.first_eigenvalue, 3)
    assert _cells(tab, "cutoff_percent") == ["40", "40"]
    assert {"zh": "惯例", "en": "convention"}[lang] in tab.note
    assert {"zh": "主成分", "en": "principal components"}[lang] in _cells(tab, "test")[0]


@pytest.mark.parametrize("lang", LANGS)
def test_cfa_comparison_rows(written, results, lang):
    tab = _tables(written[lang][1])["cmb_cfa"]
    res = results["cmb"]
    assert res.ulmc_converged
    assert tab.header == ({"zh": "模型", "en": "Model"}[lang], "χ²", "df", "CFI", "RMSEA", "Δχ²",
                          "Δdf", "p", "ΔCFI")
    models = [res.models[k] for k in ("measurement", "single_factor", "ulmc")]
    assert _cells(tab, "statistic") == [format_number(m.chisq) for m in models]
    assert _cells(tab, "df") == [str(int(m.df)) for m in models]
    assert _cells(tab, "cfi") == [format_number(m.cfi, 3, bounded=True) for m in models]
    assert _cells(tab, "rmsea") == [format_number(m.rmsea, 3, bounded=True) for m in models]
    assert _cells(tab, "delta_chisq") == ["", format_number(res.single_delta_chisq),
                                          format_number(res.ulmc_delta_chisq)]
    assert _cells(tab, "delta_df") == ["", str(res.single_delta_df), str(res.ulmc_delta_df)]
    assert _cells(tab, "delta_p_value") == ["", format_p(res.single_delta_p_value),
                                            format_p(res.ulmc_delta_p_value)]
    assert _cells(tab, "delta_cfi") == ["", format_number(res.single_delta_cfi, 3, bounded=True),
                                        format_number(res.ulmc_delta_cfi, 3, bounded=True)]
    assert ".01" in tab.note and f"{format_number(100 * res.method_variance, 2)}%" in tab.note
    [text] = [x for x in _texts(written[lang][1]) if "Harman" in x]
    assert f"{format_number(100 * res.harman_pca_share, 2)}%" in text
    assert f"Δχ²({res.single_delta_df}) = {format_number(res.single_delta_chisq)}" in text
    assert f"ΔCFI = {format_number(res.ulmc_delta_cfi, 3, bounded=True)}" in text


# ------------------------------------------------------------------------------ aggregation
@pytest.mark.parametrize("lang", LANGS)
def test_aggregation_summary_table(written, results, lang):
    tab = _tables(written[lang][1])["agg_summary"]
    res = results["agg"]
    assert tab.header == (*{"zh": ("指标", "值", "惯例参考值"),
                            "en": ("Statistic", "Value", "Convention")}[lang],
                          "F", "df1", "df2", "p")
    vals = [res.icc1, res.icc2, res.rwg_mean, res.rwg_median, res.rwg_share]
    assert _cells(tab, "estimate") == [format_number(v, 3, bounded=True) for v in vals]
    assert _cells(tab, "convention") == ["", "≥ .70", "≥ .70", "≥ .70", ""]
    assert _cells(tab, "statistic")[:2] == [format_number(res.f_statistic)] * 2
    assert _cells(tab, "df1")[0] == str(int(res.df1)) and _cells(tab, "p_value")[0] == format_p(res.p_value)
    names = _cells(tab, "statistic_name")
    assert names[:2] == ["ICC(1)", "ICC(2)"] and "rwg(j)" in names[2]
    [text] = [x for x in _texts(written[lang][1]) if "ICC(1)" in x]
    assert f"ICC(1) = {format_number(res.icc1, 3, bounded=True)}" in text
    assert f"ICC(2) = {format_number(res.icc2, 3, bounded=True)}" in text


def test_per_group_rwg_is_a_csv_named_in_the_note(written, results):
    for lang in LANGS:
        path, rendered = written[lang]
        [block] = [b for b in rendered.tables if b.csv.endswith("_agg_summary.csv")]
        [(rel, _)] = block.files
        assert rel.endswith("_agg_summary_rwg.csv") and rel in block.table.note
        back = pd.read_csv(path / rel, encoding="utf-8-sig")
        rwg = results["agg"].rwg
        assert back["group"].tolist() == rwg["group"].tolist()
        np.testing.assert_allclose(back["rwg_j"], rwg["estimate"], rtol=1e-15)
        import json
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        assert rel in manifest["outputs"]


# ------------------------------------------------------------------------------ files
def test_html_and_docx_show_the_same_tables(written):
    from docx import Document

    for lang in LANGS:
        path, rendered = written[lang]
        html = (path / "report.html").read_text(encoding="utf-8")
        doc = Document(str(path / "report.docx"))
        assert len(doc.tables) == len(rendered.tables) == 4
        for block, dt in zip(rendered.tables, doc.tables):
            tab = block.table
            assert [c.text for c in dt.rows[0].cells] == list(tab.header)
            assert [[c.text for c in r.cells] for r in dt.rows[1:]] == [list(r) for r in tab.rows]
            head = "".join(f"<th>{'<em>' + h + '</em>' if it else h}</th>"
                           for h, it in zip(tab.header, tab.italic))
            assert head in html and escape(tab.caption) in html


def test_chinese_headings_hold_only_statistical_symbols(written):
    for name, tab in _tables(written["zh"][1]).items():
        words = {w for h in tab.header for w in re.findall(r"[A-Za-z]+", h)}
        assert words <= SYMBOLS, (name, words)
        proper = {"Harman", "ULMC", "ICC", "rwg"}     # a name and abbreviations, as printed in zh
        assert set(re.findall(r"[A-Za-z]{3,}", tab.caption)) <= proper, name
        rows = {w for r in tab.rows for w in re.findall(r"[A-Za-z]{3,}", r[0])}
        assert rows <= proper | {"age"}, (name, rows)


# ------------------------------------------------------------------------------ apa_table options
def test_stars_and_row_rules_of_apa_table():
    df = pd.DataFrame({"term": ["std_estimate", "r_squared", "f_change"], "v": [0.4, 0.2, 0.53],
                       "p": [0.0004, np.nan, 0.03]})
    tab = apa_table(df, columns=["v"], stars={"v": "p"}, by_term=["v"], decimals={"v": 3},
                    lang="en")
    assert _cells(tab, "v") == [".400***", ".200", "0.530*"]
    assert tab.note.endswith("* p < .05. ** p < .01. *** p < .001.")
    with pytest.raises(sk.ParameterError, match="The 'stars' parameter of apa_table names "
                                                "columns the table does not have: 'q'"):
        apa_table(df, stars={"v": "q"})
