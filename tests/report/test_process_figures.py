"""The interaction plot of a moderation and the path diagram of CFA/SEM results."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import ParameterError
from surveykit.report import Report, interaction_plot, path_diagram
from surveykit.report.figures import figure_bytes
from surveykit.report.path_diagram import BOX, OVAL, diagram_layout


@pytest.fixture(scope="module")
def moderation():
    rng = np.random.default_rng(5)
    n = 200
    d = pd.DataFrame({"intergovernmental_trust": rng.normal(3, 0.7, n),
                      "local_protectionism": rng.normal(3, 0.8, n), "c": rng.normal(size=n)})
    d["regional_synergy"] = (1 + 0.5 * d.intergovernmental_trust - 0.2 * d.local_protectionism
                             - 0.3 * (d.intergovernmental_trust - 3) * (d.local_protectionism - 3)
                             + 0.1 * d.c + rng.normal(0, 0.6, n))
    d["z"] = rng.normal(size=n)
    return d, sk.moderation(d, "regional_synergy", "intergovernmental_trust",
                            "local_protectionism", covariates="c")


def test_one_line_per_probed_value_through_the_predictions(moderation):
    _, res = moderation
    fig = interaction_plot(res, lang="en")
    ax = fig.axes[0]
    lines = ax.get_lines()
    wv = res.simple_slopes.moderator_value.to_numpy()
    assert len(lines) == len(wv) == 3
    for line, w in zip(lines, wv):
        p = res.predictions[res.predictions.moderator_value == w].sort_values("x_value")
        np.testing.assert_allclose(line.get_xdata(), p.x_value)
        np.testing.assert_allclose(line.get_ydata(), p.estimate)
        # the line's slope is the simple slope of x at that w (the covariate held at its mean)
        slope = np.polyfit(p.x_value, p.estimate, 1)[0]
        np.testing.assert_allclose(slope, res.simple_slopes.set_index("moderator_value").loc[w, "estimate"],
                                   rtol=1e-10)
    assert [ln.get_label() for ln in lines] == [
        f"M − 1 SD ({sk.report.format_number(wv[0])})", f"M ({sk.report.format_number(wv[1])})",
        f"M + 1 SD ({sk.report.format_number(wv[2])})"]
    assert len({ln.get_linestyle() for ln in lines}) == 3      # told apart in black and white
    assert ax.get_xlabel() == "intergovernmental_trust"
    assert ax.get_legend().get_title().get_text().replace("\n", "") == "local_protectionism"


def test_labels_come_from_the_instrument_in_chinese(moderation):
    _, res = moderation
    ins = sk.load_questionnaire()
    fig = interaction_plot(res, lang="zh", instrument=ins)
    ax = fig.axes[0]
    assert ax.get_xlabel() == ins.scale("intergovernmental_trust").name.in_lang("zh")
    assert ax.get_ylabel() == ins.scale("regional_synergy").name.in_lang("zh")
    assert ax.get_legend().get_title().get_text() == ins.scale("local_protectionism").name.in_lang("zh")
    fig = interaction_plot(res, lang="en", names={"regional_synergy": {"zh": "协同", "en": "Synergy"}})
    assert fig.axes[0].get_ylabel() == "Synergy"
    assert figure_bytes(fig, "png") == figure_bytes(interaction_plot(
        res, lang="en", names={"regional_synergy": {"zh": "协同", "en": "Synergy"}}), "png")


def test_model_3_has_one_panel_per_value_of_z(moderation):
    d, _ = moderation
    res = sk.moderation(d, "regional_synergy", "intergovernmental_trust", "local_protectionism",
                        z="z")
    fig = interaction_plot(res, lang="en")
    assert len(fig.axes) == 3 and all(len(ax.get_lines()) == 3 for ax in fig.axes)
    assert fig.axes[0].get_title().startswith("z: M − 1 SD")


def test_interaction_plot_rejects_other_results(fake_result):
    with pytest.raises(ParameterError, match="The 'result' parameter of interaction_plot must be a "
                                             "moderation result"):
        interaction_plot(fake_result)


def test_report_figure_of_the_interaction_plot(moderation, tmp_path):
    _, res = moderation
    rep = Report(lang="zh")
    rep.add(res)
    rep.figure(interaction_plot(res, lang="zh"), name="interaction", caption="交互作用")
    rep.write(tmp_path, lang="zh")
    assert (tmp_path / "figures/interaction.png").read_bytes().startswith(b"\x89PNG")
    assert len(list(tmp_path.glob("tables/*.csv"))) == 2


# ------------------------------------------------------------------------------ path diagram
def _structural() -> pd.DataFrame:
    rows = [("IT", "=~", "it1", .80, np.nan), ("IT", "=~", "it2", .75, .001),
            ("RP", "=~", "rp1", .80, np.nan), ("RP", "=~", "rp2", .72, .001),
            ("LP", "=~", "lp1", .70, np.nan), ("LP", "=~", "lp2", .66, .001),
            ("TR", "=~", "t1", .82, np.nan), ("TR", "=~", "t2", .79, .001),
            ("RS", "=~", "rs1", .85, np.nan), ("RS", "=~", "rs2", .80, .001),
            ("TR", "~", "RP", .31, .001), ("RS", "~", "TR", .42, .001),
            ("RS", "~", "IT", .35, .002), ("RS", "~", "LP", -.12, .20),
            ("IT", "~~", "RP", .30, .001), ("IT", "~~", "LP", -.35, .001),
            ("RS", "~~", "RS", .55, .001), ("it1", "~~", "it1", .36, .001),
            ("RS", "~1", "", 0.0, np.nan), ("ind", ":=", "a*b", .13, .01)]
    return pd.DataFrame(rows, columns=["lhs", "op", "rhs", "std_estimate", "p_value"])


def _arrows(fig) -> dict[str, object]:
    return {p.get_gid(): p for p in fig.axes[0].patches if hasattr(p, "get_arrowstyle")}


def _labels(fig) -> dict[str, str]:
    return {t.get_gid()[6:]: t.get_text() for t in fig.axes[0].texts
            if (t.get_gid() or "").startswith("label ")}


def test_structural_layout_runs_exogenous_left_to_endogenous_right():
    lay = diagram_layout(_structural())
    assert lay.layer == {"IT": 0, "RP": 0, "LP": 0, "TR": 1, "RS": 2}
    x = {v: p[0] for v, p in lay.pos.items()}
    assert x["IT"] == x["RP"] == x["LP"] < x["TR"] < x["RS"]
    assert lay.side == {"IT": "left", "RP": "left", "LP": "left", "TR": "below", "RS": "right"}
    assert x["it1"] < x["IT"] and x["rs1"] > x["RS"]                    # indicators beside
    assert lay.pos["t1"][1] < lay.pos["TR"][1]                           # middle layer: below
    assert lay.kind["IT"] == "latent" and lay.kind["it1"] == "observed"
    assert diagram_layout(_structural()).pos == lay.pos                  # deterministic
    # no two nodes overlap
    pos = list(lay.pos.items())
    for i, (a, (ax_, ay)) in enumerate(pos):
        for b, (bx, by) in pos[i + 1:]:
            assert abs(ax_ - bx) >= BOX[0] or abs(ay - by) >= BOX[1], (a, b)


def test_structural_diagram_arrows_labels_and_line_styles():
    fig = path_diagram(_structural(), lang="en")
    arrows = _arrows(fig)
    est = _structural()
    drawn = est[est.op.isin(["=~", "~"]) | ((est.op == "~~") & (est.lhs != est.rhs))]
    assert set(arrows) == {f"{r.lhs} {r.op} {r.rhs}" for r in drawn.itertuples()}
    for r in drawn.itertuples():
        key = f"{r.lhs} {r.op} {r.rhs}"
        solid = np.isnan(r.p_value) or r.p_value < 0.05
        assert arrows[key].get_linestyle() == ("-" if solid else "--"), key
        assert _labels(fig)[key] == sk.report.format_number(r.std_estimate, 2, bounded=True)
    assert _labels(fig)["RS ~ LP"] == "−.12"
    assert arrows["IT ~~ RP"].get_arrowstyle().__class__.__name__ == "CurveFilledAB"
    assert "arc3" in str(arrows["IT ~~ RP"].get_connectionstyle().__class__).lower()
    # regressions point from the predictor to the outcome
    (x0, _), (x1, _) = arrows["RS ~ TR"]._posA_posB
    assert x0 < x1 and arrows["RS ~ TR"].get_arrowstyle().__class__.__name__ == "CurveFilledB"
    no_cov = path_diagram(_structural(), lang="en", covariances=False)
    assert not any(" ~~ " in k for k in _arrows(no_cov))
    assert sorted(e.get_gid() for e in fig.axes[0].patches if type(e).__name__ == "Ellipse") == \
        ["node IT", "node LP", "node RP", "node RS", "node TR"]


def test_residual_covariances_of_indicators_bend_outwards():
    est = pd.concat([_structural(), pd.DataFrame(
        [("it1", "~~", "it2", .21, .01), ("rs1", "~~", "rs2", .15, .3), ("t1", "~~", "t2", .1, .04)],
        columns=["lhs", "op", "rhs", "std_estimate", "p_value"])], ignore_index=True)
    fig = path_diagram(est, lang="en")
    lay = diagram_layout(est)
    arrows = _arrows(fig)
    texts = {t.get_gid(): t.get_position() for t in fig.axes[0].texts if t.get_gid()}
    (sx, _), (ex, _) = arrows["it1 ~~ it2"]._posA_posB
    assert sx == ex < lay.pos["it1"][0] and texts["label it1 ~~ it2"][0] < sx    # left column
    (sx, _), _ = arrows["rs1 ~~ rs2"]._posA_posB
    assert sx > lay.pos["rs1"][0] and texts["label rs1 ~~ rs2"][0] > sx          # right column
    assert arrows["rs1 ~~ rs2"].get_linestyle() == "--"
    assert texts["label t1 ~~ t2"][1] < lay.pos["t1"][1]                         # row: below
    assert lay.owner["it1"] == "IT" and fig.axes[0].get_xlim()[0] < sx


def test_second_order_factor_stands_left_of_its_factors():
    est = pd.DataFrame([("A", "=~", "a1", .8, np.nan), ("A", "=~", "a2", .7, .001),
                        ("B", "=~", "b1", .8, np.nan), ("B", "=~", "b2", .7, .001),
                        ("G", "=~", "A", .9, np.nan), ("G", "=~", "B", .6, .03)],
                       columns=["lhs", "op", "rhs", "std_estimate", "p_value"])
    lay = diagram_layout(est)
    assert lay.layer == {"G": 0, "A": 1, "B": 1} and lay.kind["A"] == "latent"
    assert lay.side == {"A": "right", "B": "right"}
    assert set(_arrows(path_diagram(est))) == {"A =~ a1", "A =~ a2", "B =~ b1", "B =~ b2",
                                               "G =~ A", "G =~ B"}


def test_structural_part_alone_keeps_latents_as_ovals():
    """measurement=False: regressions and covariances among the latents, no indicators."""
    est = _structural()
    lay = diagram_layout(est, measurement=False)
    assert set(lay.pos) == {"IT", "RP", "LP", "TR", "RS"}
    assert set(lay.kind.values()) == {"latent"} and lay.side == {}
    assert lay.layer == {"IT": 0, "RP": 0, "LP": 0, "TR": 1, "RS": 2}
    fig = path_diagram(est, lang="en", measurement=False)
    assert set(_arrows(fig)) == {"TR ~ RP", "RS ~ TR", "RS ~ IT", "RS ~ LP", "IT ~~ RP",
                                 "IT ~~ LP"}
    assert len([e for e in fig.axes[0].patches if type(e).__name__ == "Ellipse"]) == 5


def test_a_direct_path_beside_a_mediator_bends_around_it():
    est = pd.concat([_structural(), pd.DataFrame([("RS", "~", "RP", .2, .01)],
                                                 columns=["lhs", "op", "rhs", "std_estimate",
                                                          "p_value"])], ignore_index=True)
    fig = path_diagram(est, lang="en", measurement=False)
    lay = diagram_layout(est, measurement=False)
    arrows = _arrows(fig)
    assert vars(arrows["RS ~ RP"].get_connectionstyle())["rad"] != 0      # bent past TR
    assert vars(arrows["RS ~ TR"].get_connectionstyle()).get("rad", 0) == 0  # straight
    label = {t.get_gid(): t.get_position() for t in fig.axes[0].texts if t.get_gid()}
    (lx, ly), (tx, ty) = label["label RS ~ RP"], lay.pos["TR"]
    assert abs(ly - ty) > OVAL[1] / 2 or abs(lx - tx) > OVAL[0] / 2        # not on the mediator
    assert fig.axes[0].get_ylim()[0] <= ly <= fig.axes[0].get_ylim()[1]    # inside the figure


def _mimic() -> pd.DataFrame:
    """An indicator in regressions (sk.sem fits it as lavaan): y3 depends on x (a MIMIC
    direct effect) and predicts z."""
    rows = [("f", "=~", "y1", .8, np.nan), ("f", "=~", "y2", .7, .001),
            ("f", "=~", "y3", .75, .001), ("f", "=~", "y4", .7, .001),
            ("y3", "~", "x", .2, .001), ("z", "~", "y3", .4, .001), ("z", "~", "f", .3, .001),
            ("y3", "~~", "y3", .4, .001), ("x", "~~", "x", 1.0, np.nan)]
    return pd.DataFrame(rows, columns=["lhs", "op", "rhs", "std_estimate", "p_value"])


def test_an_indicator_in_a_regression_stays_a_box_beside_its_factor():
    lay = diagram_layout(_mimic())
    assert lay.layer == {"f": 1, "x": 0, "z": 2}          # x -> y3 places x before f
    assert lay.kind["y3"] == "observed" and lay.owner["y3"] == "f" and lay.side["f"] == "below"
    fig = path_diagram(_mimic(), lang="en")
    assert set(_arrows(fig)) == {"f =~ y1", "f =~ y2", "f =~ y3", "f =~ y4", "y3 ~ x",
                                 "z ~ y3", "z ~ f"}
    assert [p.get_gid() for p in fig.axes[0].patches].count("node y3") == 1
    assert _labels(fig)["y3 ~ x"] == ".20" and _labels(fig)["z ~ y3"] == ".40"
    structural = diagram_layout(_mimic(), measurement=False)
    assert structural.kind["y3"] == "observed" and "y3" in structural.pos


def test_cfa_of_the_example_study(tmp_path):
    """The measurement model of the example study: 14 factors with their items, one column."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ins = sk.load_questionnaire()
        from surveykit.datasets import example_study_path
        resp = sk.read_responses(example_study_path("wave2"), ins, key="k")
        subs = [s for s in ins.scales if s.parent and s.parent != "local_protectionism"]
        model = "\n".join(f"{s.id} =~ " + " + ".join(s.items) for s in subs)
        cf = sk.cfa(resp, model, missing="ml")
    fig = path_diagram(cf, lang="zh", instrument=ins)
    lay = diagram_layout(cf)
    factors = [s.id for s in subs]
    assert [v for v, k in lay.kind.items() if k == "latent"] == factors
    assert set(lay.layer.values()) == {0}
    assert all(lay.side[f] == "left" for f in factors)
    texts = {t.get_text().replace("\n", "") for t in fig.axes[0].texts}
    assert {s.name.in_lang("zh") for s in subs} <= texts               # factor names in Chinese
    assert {i for s in subs for i in s.items} <= texts                  # items by their ids
    loads = cf.table[cf.table.op == "=~"]
    labels = _labels(fig)
    for r in loads.itertuples():
        assert labels[f"{r.lhs} =~ {r.rhs}"] == sk.report.format_number(r.std_estimate, 2, bounded=True)
    covs = cf.table[(cf.table.op == "~~") & (cf.table.lhs != cf.table.rhs)]
    assert len(covs) == len(factors) * (len(factors) - 1) // 2
    assert {f"{r.lhs} ~~ {r.rhs}" for r in covs.itertuples()} <= set(_arrows(fig))
    assert figure_bytes(fig, "svg").startswith(b"<?xml")
    assert OVAL[0] > BOX[0]


def test_path_diagram_errors():
    with pytest.raises(ParameterError, match="The 'estimates' parameter of path_diagram must be a "
                                             "parameter table with columns lhs, op, rhs"):
        path_diagram(pd.DataFrame({"lhs": ["a"]}))
    est = _structural().assign(group="1")
    est = pd.concat([est, est.assign(group="2")])
    with pytest.raises(ParameterError, match=r"The 'group' parameter of path_diagram must be one of "
                                             r"\['1', '2'\]. Got '3' instead."):
        path_diagram(est, group="3")
    assert set(diagram_layout(est, group="2").pos) == set(diagram_layout(_structural()).pos)


def test_figures_name_and_caption_themselves(moderation, tmp_path):
    """A surveykit figure carries its file name and bilingual caption; Report.figure(fig)
    uses them (scale names without "(total)"), and name=/caption= override them."""
    from surveykit.report import Report, likert_bars, loadings_heatmap, scree_plot

    d, res = moderation
    ins = sk.load_questionnaire()
    fig = interaction_plot(res, lang="zh", instrument=ins)
    assert fig.surveykit_name == "interaction"
    zh, en = fig.surveykit_caption["zh"], fig.surveykit_caption["en"]
    assert zh.endswith("的简单斜率") and "不同水平下" in zh and "总分" not in zh
    assert en.startswith("Simple slopes of ") and " at levels of " in en and "total" not in en
    items = ins.scale("intergovernmental_trust").items
    answers = pd.DataFrame({i: np.tile([1.0, 2, 3, 4, 5], 4) for i in items})
    lik = likert_bars(answers, instrument=ins, scale="intergovernmental_trust", lang="en")
    assert lik.surveykit_name == "likert_intergovernmental_trust"
    assert lik.surveykit_caption["en"].startswith("Answers to the items of ")
    assert "(total)" not in lik.surveykit_caption["en"]
    assert scree_plot([2.0, 1.0, 0.5]).surveykit_caption["en"] == "Scree plot (all 3 eigenvalues)"
    heat = loadings_heatmap(pd.DataFrame({"F1": [0.7, 0.6]}, index=["a", "b"]))
    assert heat.surveykit_caption == {"zh": "因子载荷热图", "en": "Factor loadings"}
    rep = Report(lang="en")
    rep.figure(lik)
    rep.figure(fig, caption={"zh": "自定", "en": "Own caption"})
    rep.figure(heat, name="loadings_2")
    rep.write(tmp_path / "r", lang="en")
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert lik.surveykit_caption["en"] in html and "Own caption" in html
    assert "Factor loadings" in html
    assert sorted(p.stem for p in (tmp_path / "r" / "figures").glob("*.png")) == \
        ["interaction", "likert_intergovernmental_trust", "loadings_2"]
