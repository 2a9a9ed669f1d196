"""PROCESS-style tables of mediation and moderation results, in HTML and Word.

Every cell checked here is recomputed from the Result's own fields (``paths``, ``models``,
``table``, ``simple_slopes``, ``jn``) with the report's number rules; the numbers themselves
are checked against R in tests/analysis/regression.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.report import Report
from surveykit.report.process_tables import presentation, probe_labels
from surveykit.report.tables import format_number, format_p

#: Latin words allowed in Chinese headings: statistical symbols only.
SYMBOLS = {"b", "SE", "Boot", "t", "p", "CI", "M", "SD"}


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 240
    d = pd.DataFrame({"x": rng.normal(size=n), "w": rng.normal(size=n), "c1": rng.normal(size=n)})
    d["m1"] = 0.5 * d.x + 0.25 * d.x * d.w + rng.normal(size=n)
    d["m2"] = 0.3 * d.x + 0.3 * d.m1 + rng.normal(size=n)
    d["y"] = 0.4 * d.m1 + 0.2 * d.m2 + 0.1 * d.x + 0.3 * d.x * d.w + rng.normal(size=n)
    d["g"] = (rng.random(n) < 0.5).astype(float)
    return d


@pytest.fixture(scope="module")
def results(data):
    return {
        "m4": sk.mediation(data, "x", "y", ["m1", "m2"], covariates="c1", n_boot=1000, seed=3),
        "m6": sk.mediation(data, "x", "y", ["m1", "m2"], model=6, n_boot=1000, seed=3),
        "m7": sk.mediation(data, "x", "y", "m1", model=7, moderator="w", n_boot=1000, seed=3),
        "m8": sk.mediation(data, "x", "y", "m1", model=8, moderator="w", n_boot=1000, seed=3,
                           ci="bc"),
        "m14": sk.mediation(data, "x", "y", "m1", model=14, moderator="w", n_boot=1000, seed=3),
        "mod": sk.moderation(data, "y", "x", "w", covariates="c1"),
        "mod_g": sk.moderation(data, "y", "x", "g"),
    }


NAMES = {"x": {"zh": "奖惩机制", "en": "Reward–punishment"},
         "m1": {"zh": "政府间信任", "en": "Trust"},
         "y": {"zh": "区域协同", "en": "Synergy"}}


@pytest.fixture(scope="module")
def written(tmp_path_factory, results):
    """Each language's report with every result, written once (HTML, Word, CSV)."""
    out = {}
    for lang in ("zh", "en"):
        rep = Report(lang=lang)
        rep.section("中介", "Mediation")
        for key in ("m4", "m6", "m7", "m8", "m14"):
            rep.add(results[key], name=key, names=NAMES)
        rep.section("调节", "Moderation")
        rep.add(results["mod"], name="mod", names=NAMES,
                caption={"zh": "信任的调节作用", "en": "Moderation by w"})
        rep.add(results["mod_g"], name="mod_g")
        path = tmp_path_factory.mktemp(f"process_{lang}")
        rep.write(path, lang=lang)
        out[lang] = (path, rep.render(lang))
    return out


def _tables(rendered) -> dict[str, object]:
    """Rendered ApaTables by CSV stem (``mediation_paths`` ... without the number)."""
    return {re.sub(r"^tables/\d+_|\.csv$", "", b.csv): b.table for b in rendered.tables}


def _cells(tab, column: str) -> list[str]:
    return [r[tab.columns.index(column)] for r in tab.rows]


def _ci(lo, hi, d=3) -> list[str]:
    return [f"[{format_number(a, d)}, {format_number(b, d)}]" for a, b in zip(lo, hi)]


# ------------------------------------------------------------------------------ mediation
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_mediation_path_table_is_every_equation_with_hayes_path_names(written, results, lang):
    tab = _tables(written[lang][1])["m4_paths"]
    res = results["m4"]
    paths = pd.concat([res.paths[res.paths.model == "process"], res.paths[res.paths.model == "total"]])
    assert _cells(tab, "estimate") == [format_number(v, 3) for v in paths.estimate]
    assert _cells(tab, "se") == [format_number(v, 3) for v in paths.se]
    assert _cells(tab, "statistic") == [format_number(v, 2) for v in paths.statistic]
    assert _cells(tab, "p_value") == [format_p(v) for v in paths.p_value]
    assert _cells(tab, "ci") == _ci(paths.ci_low, paths.ci_high)
    names = dict(zip(zip(paths.outcome, paths.term, paths.model), _cells(tab, "path_name")))
    assert names[("m1", "x", "process")] == "a₁" and names[("m2", "x", "process")] == "a₂"
    assert names[("y", "m1", "process")] == "b₁" and names[("y", "m2", "process")] == "b₂"
    assert names[("y", "x", "process")] == "c′" and names[("y", "x", "total")] == "c"
    assert names[("y", "c1", "process")] == "" and names[("y", "intercept", "process")] == ""
    x_name = NAMES["x"][lang]
    assert _cells(tab, "predictor")[1] == x_name
    assert _cells(tab, "predictor")[0] == {"zh": "常数", "en": "Constant"}[lang]
    # every equation's R² and F in the note
    c = "，" if lang == "zh" else ", "
    for r in res.models.itertuples():
        assert f"R² = {format_number(r.r_squared, 2, bounded=True)}{c}F({int(r.df1)}, {int(r.df2)}) = " \
               f"{format_number(r.f_statistic)}" in tab.note


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_mediation_effect_table_has_ols_and_bootstrap_rows(written, results, lang):
    tab = _tables(written[lang][1])["m4_effects"]
    res = results["m4"]
    t = res.table
    assert len(tab.rows) == len(t) == 8
    word = {"zh": ["总效应", "直接效应", "间接效应", "间接效应", "总间接效应", "完全标准化间接效应"],
            "en": ["Total effect", "Direct effect", "Indirect effect", "Indirect effect",
                   "Total indirect effect", "Completely standardised indirect effect"]}[lang]
    assert _cells(tab, "effect")[:6] == word
    assert _cells(tab, "path")[2] == f"{NAMES['x'][lang]} → {NAMES['m1'][lang]} → {NAMES['y'][lang]}"
    assert _cells(tab, "estimate") == [format_number(v, 3) for v in t.estimate]
    assert _cells(tab, "ci") == _ci(t.ci_low, t.ci_high)
    boot = _cells(tab, "boot_se")
    assert boot[:2] == ["", ""] and boot[2:] == [format_number(v, 3) for v in t.boot_se[2:]]
    se = _cells(tab, "se")
    assert se[:2] == [format_number(v, 3) for v in t.se[:2]] and set(se[2:]) == {""}
    assert _cells(tab, "p_value")[:2] == [format_p(v) for v in t.p_value[:2]]
    # headline fields are what the table shows
    ind = t[t.effect == "total_indirect"].iloc[0]
    assert (res.indirect, res.ci_low, res.ci_high) == (ind.estimate, ind.ci_low, ind.ci_high)
    assert str(res.n_boot) in tab.note and str(res.seed) in tab.note
    assert {"zh": "百分位", "en": "percentile"}[lang] in tab.note
    assert tab.caption == {"zh": "总效应、直接效应与间接效应", "en": "Total, direct and indirect effects"}[lang]


def test_moderated_mediation_tables(written, results):
    tabs = _tables(written["zh"][1])
    for key, pnames in (("m7", {"a₁", "a₂", "a₃", "b", "c′"}), ("m8", {"a₁", "a₂", "a₃", "b", "c′₁", "c′₂", "c′₃"}),
                        ("m14", {"a", "b₁", "b₂", "b₃", "c′"})):
        res = results[key]
        assert set(_cells(tabs[f"{key}_paths"], "path_name")) - {""} == pnames, key
        eff = tabs[f"{key}_effects"]
        t = res.table
        assert _cells(eff, "estimate") == [format_number(v, 3) for v in t.estimate]
        assert _cells(eff, "ci") == _ci(t.ci_low, t.ci_high)
        labels = _cells(eff, "effect")
        assert labels.count("条件间接效应") == 3 and labels[-1] == "有调节的中介指数"
        cond = t.effect == "conditional_indirect"
        assert [p for p, c in zip(_cells(eff, "probe"), cond) if c] == ["M − 1 SD", "M", "M + 1 SD"]
        assert [v for v, c in zip(_cells(eff, "moderator_value"), cond) if c] == \
            [format_number(v) for v in t.moderator_value[cond]]
        imm = t[t.effect == "index_mm"].iloc[0]
        assert res.index_mm == imm.estimate
        assert "有调节的中介指数" in eff.caption
    assert _cells(tabs["m8_effects"], "effect").count("条件直接效应") == 3
    assert "偏差校正" in tabs["m8_effects"].note
    assert "d₂₁" in _cells(tabs["m6_paths"], "path_name")


def test_chinese_headings_hold_only_statistical_symbols(written):
    for name, tab in _tables(written["zh"][1]).items():
        words = {w for h in tab.header for w in re.findall(r"[A-Za-z]+", h)}
        assert words <= SYMBOLS | {"w", "g"}, (name, words)   # symbols, or a variable's own name
        assert tab.caption and not re.search(r"[A-Za-z]{3,}", tab.caption), name


# ------------------------------------------------------------------------------ moderation
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_moderation_model_table(written, results, lang):
    tab = _tables(written[lang][1])["mod_model"]
    res = results["mod"]
    c = res.coefficients
    assert _cells(tab, "predictor") == [{"zh": "常数", "en": "Constant"}[lang], NAMES["x"][lang], "w",
                                        f"{NAMES['x'][lang]} × w", "c1"]
    assert _cells(tab, "estimate") == [format_number(v, 3) for v in c.estimate]
    assert _cells(tab, "statistic") == [format_number(v, 2) for v in c.statistic]
    assert _cells(tab, "ci") == _ci(c.ci_low, c.ci_high)
    assert f"ΔR² = {format_number(res.delta_r_squared, 3, bounded=True)}" in tab.note
    assert f"= {format_number(res.f_change)}" in tab.note
    assert f"R² = {format_number(res.r_squared, 2, bounded=True)}" in tab.note
    assert {"zh": "均值中心化", "en": "mean-centred"}[lang] in tab.note
    assert tab.caption.startswith({"zh": "信任的调节作用：", "en": "Moderation by w: "}[lang])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_simple_slopes_and_johnson_neyman(written, results, lang):
    tab = _tables(written[lang][1])["mod_slopes"]
    res = results["mod"]
    s = res.simple_slopes
    jn = {"zh": "J–N 临界值", "en": "J–N boundary"}[lang]
    assert _cells(tab, "probe") == ["M − 1 SD", "M", "M + 1 SD", *[jn] * len(res.jn)]
    assert len(res.jn) >= 1
    assert _cells(tab, "moderator_value") == [format_number(v) for v in [*s.moderator_value, *res.jn]]
    jt = res.table[res.table.effect == "jn_boundary"]
    assert _cells(tab, "estimate") == [format_number(v, 3) for v in [*s.estimate, *jt.estimate]]
    assert _cells(tab, "se") == [format_number(v, 3) for v in [*s.se, *jt.se]]
    assert _cells(tab, "p_value")[:3] == [format_p(v) for v in s.p_value]
    assert set(_cells(tab, "p_value")[3:]) == {".050"}
    assert _cells(tab, "ci")[:3] == _ci(s.ci_low, s.ci_high)
    assert "Johnson–Neyman" in tab.note
    for v in res.jn:
        assert format_number(v) in tab.note


def test_jn_region_states_where_the_slope_is_significant(results, data):
    from surveykit.report.process_tables import jn_region

    res = results["mod"]
    grid = res.jn_table
    cuts = [data.w.min(), *sorted(res.jn), data.w.max()]
    expected = []
    for a, b in zip(cuts, cuts[1:]):
        inside = grid[(grid.moderator_value > a) & (grid.moderator_value < b)]
        if len(inside) and (inside.p_value < 0.05).all():
            share = ((data.w >= a) & (data.w <= b)).mean()
            expected.append(f"from {format_number(a)} to {format_number(b)} "
                            f"({100 * share:.1f}% of the sample)")
    assert expected
    text = jn_region(res, "en")
    assert " and ".join(expected) in text
    assert "(p < .05)" in text


def test_dichotomous_moderator_is_probed_at_its_codes_without_jn(written, results):
    tab = _tables(written["en"][1])["mod_g_slopes"]
    assert _cells(tab, "probe") == ["0", "1"]
    assert "Johnson–Neyman" not in tab.note
    assert _cells(tab, "estimate") == [format_number(v, 3) for v in results["mod_g"].simple_slopes.estimate]


def test_probe_labels_for_percentiles_given_values_and_clamped_values():
    assert probe_labels([1, 2, 3], {"probe": "percentiles"}, "zh") == ["第 16 百分位", "第 50 百分位",
                                                                       "第 84 百分位"]
    assert probe_labels([1.5, 4], {"probe": [-1, 0, 1], "w_values": [1.5, 4]}, "en") == ["1.50", "4"]
    assert probe_labels([1.0, 2.0, 3.0], {"probe": [-2, 0, 1], "w_values": None}, "en",
                        notes=["mean − SD below the minimum: minimum used", "", ""]) == \
        ["Minimum (M − 2 SD < min)", "M", "M + 1 SD"]


# ------------------------------------------------------------------------------ files
def test_html_and_docx_show_the_same_tables(written, results):
    from docx import Document

    for lang in ("zh", "en"):
        path, rendered = written[lang]
        html = (path / "report.html").read_text(encoding="utf-8")
        doc = Document(str(path / "report.docx"))
        assert len(doc.tables) == len(rendered.tables) == 14
        for block, dt in zip(rendered.tables, doc.tables):
            tab = block.table
            assert [c.text for c in dt.rows[0].cells] == list(tab.header)
            assert [[c.text for c in r.cells] for r in dt.rows[1:]] == [list(r) for r in tab.rows]
            head = "".join(f"<th>{'<em>' + h + '</em>' if it else h}</th>"
                           for h, it in zip(tab.header, tab.italic))
            assert head in html
            assert tab.caption in html
        assert "<th><em>b</em></th>" in html   # b is a statistical symbol: italic


def test_csv_keeps_the_unrounded_numbers(written, results):
    path, _ = written["en"]
    [f] = path.glob("tables/*_m4_effects.csv")
    back = pd.read_csv(f, encoding="utf-8-sig")
    t = results["m4"].table
    for c in ("estimate", "boot_se", "ci_low", "ci_high", "se", "p_value"):
        np.testing.assert_allclose(back[c].to_numpy(float), t[c].to_numpy(float), rtol=1e-15)
    assert back["effect"].iloc[0] == "Total effect"


def test_columns_option_gives_the_plain_table(results):
    rep = Report(lang="en")
    rep.add(results["m4"], columns=["effect", "path", "estimate"])
    [tab] = rep.render("en").tables
    assert tab.table.header == ("Effect type", "Path", "Effect")   # the result's report_labels
    assert _cells(tab.table, "effect")[0] == "total"


def test_names_from_the_instrument(data):
    ins = sk.load_questionnaire()
    d = data.rename(columns={"x": "reward_punishment", "m1": "intergovernmental_trust",
                             "y": "regional_synergy"})
    res = sk.mediation(d, "reward_punishment", "regional_synergy", "intergovernmental_trust",
                       n_boot=1000, seed=1)
    parts = presentation(res, instrument=ins)
    eff = parts[1].frame("zh").table
    rp = ins.scale("reward_punishment").name.in_lang("zh")
    it = ins.scale("intergovernmental_trust").name.in_lang("zh")
    rs = ins.scale("regional_synergy").name.in_lang("zh")
    assert eff["path"].iloc[2] == f"{rp} → {it} → {rs}"
    rep = Report(lang="zh")
    rep.add(res, instrument=ins, caption="中介")
    assert [b.table.caption for b in rep.render("zh").tables] == ["中介：中介模型的路径系数",
                                                                 "中介：总效应、直接效应与间接效应"]


def test_other_results_are_not_affected(fake_result):
    assert presentation(fake_result) is None


def test_plain_table_uses_the_result_report_labels(results):
    from surveykit.report.tables import apa_table

    tab = apa_table(results["m4"], lang="zh", columns=["effect", "estimate", "boot_se"])
    assert tab.header == ("效应类型", "效应值", "Boot SE")
    assert apa_table(results["m4"], lang="en", columns=["estimate"],
                     labels={"estimate": "b"}).header == ("b",)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_sentence_with_the_numbers_follows_the_tables(written, results, lang):
    from surveykit.report.model import TextBlock

    rendered = written[lang][1]
    texts = [b.text for s in rendered.sections if s.id != "methods" for b in s.blocks
             if isinstance(b, TextBlock)]
    assert len(texts) == 7                                   # one per result
    t = results["m4"].table
    for r in t[t.effect.isin(["indirect", "total_indirect"])].itertuples():
        assert (f"= {format_number(r.estimate, 3)} [{format_number(r.ci_low, 3)}, "
                f"{format_number(r.ci_high, 3)}]") in texts[0]
    assert f"{format_number(results['m4'].direct, 3)}" in texts[0]
    imm = results["m7"].table[results["m7"].table.effect == "index_mm"].iloc[0]
    assert f"= {format_number(imm.estimate, 3)} [{format_number(imm.ci_low, 3)}" in texts[2]
    mod = results["mod"]
    assert f"b = {format_number(mod.interaction, 3)}" in texts[5]
    assert f"ΔR² = {format_number(mod.delta_r_squared, 3, bounded=True)}" in texts[5]
    for r in mod.simple_slopes.itertuples():
        assert format_number(r.estimate, 3) in texts[5]
    rep = Report(lang=lang)
    rep.add(results["mod"], sentence=False)
    assert not [b for s in rep.render(lang).sections if s.id != "methods" for b in s.blocks
                if isinstance(b, TextBlock)]


def test_model_3_slopes_at_every_pair_of_probe_values(data):
    res = sk.moderation(data, "y", "x", "w", z="c1")
    [model, slopes] = presentation(res)
    tab = slopes.frame("en").table
    assert tab[["probe", "probe_2"]].values.tolist() == [
        [w, z] for z in ("M − 1 SD", "M", "M + 1 SD") for w in ("M − 1 SD", "M", "M + 1 SD")]
    np.testing.assert_array_equal(tab.estimate, res.simple_slopes.estimate)
    assert slopes.labels["probe"]["zh"] == "w" and slopes.labels["probe_2"]["en"] == "c1"
    assert "x × w × c1" in model.frame("en").table.predictor.tolist()
    assert "Johnson–Neyman" not in slopes.note["en"]
