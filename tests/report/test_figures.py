"""Report figures: they draw from plain tables, render Chinese, and rerun byte-identically."""
from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from surveykit.errors import ParameterError
from surveykit.report import figures as F
from surveykit.report.fonts import find_cjk_font

needs_cjk = pytest.mark.skipif(find_cjk_font() is None,
                               reason="no CJK font installed (apt-get install fonts-noto-cjk)")


def _all_figures(likert_data, item_text):
    groups = pd.DataFrame({"scale": ["信任", "信任", "保护主义", "保护主义"],
                           "group": ["成都", "重庆"] * 2, "mean": [3.5, 3.2, 2.8, 3.0],
                           "ci_low": [3.3, 3.0, 2.6, 2.8], "ci_high": [3.7, 3.4, 3.0, 3.2]})
    loadings = pd.DataFrame({"item": ["IT01", "IT02", "IT03"] * 2,
                             "factor": ["F1"] * 3 + ["F2"] * 3,
                             "estimate": [0.8, 0.7, 0.1, -0.05, 0.2, 0.75]})
    return {
        "likert": F.likert_bars(likert_data, labels=item_text, lang="zh", title="政府间信任"),
        "scree": F.scree_plot(pd.DataFrame({"observed": [3.1, 1.2, 0.6],
                                            "simulated": [1.3, 1.1, 1.0]}), lang="zh"),
        "loadings": F.loadings_heatmap(loadings, labels=item_text, lang="zh"),
        "groups": F.group_means_plot(groups, lang="zh"),
        "corr": F.correlation_heatmap(likert_data.corr(), labels=item_text, lang="zh"),
    }


def test_every_figure_renders_and_reruns_identically(likert_data, item_text):
    first = _all_figures(likert_data, item_text)
    second = _all_figures(likert_data, item_text)
    for name, fig in first.items():
        assert isinstance(fig, Figure)
        for fmt in ("png", "svg"):
            a, b = F.figure_bytes(fig, fmt), F.figure_bytes(second[name], fmt)
            assert a == b, f"{name}.{fmt} differs between two renders"
    svg = F.figure_bytes(first["likert"], "svg").decode()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    png = F.figure_bytes(first["likert"], "png")
    assert b"Software" not in png[:400] and png.startswith(b"\x89PNG")


@needs_cjk
def test_figure_pair_lays_out_once_and_draws_the_same(likert_data, item_text):
    from surveykit.report.figstyle import figure_pair

    first, second, third, fourth = (_all_figures(likert_data, item_text) for _ in range(4))
    size = re.compile(rb'<svg[^>]* width="([0-9.]+)pt" height="([0-9.]+)pt"')
    for name, fig in first.items():
        png, svg = figure_pair(fig)
        assert png == F.figure_bytes(second[name], "png"), name   # the PNG is unchanged
        assert figure_pair(third[name]) == (png, svg), name         # reruns identical
        assert fig.get_layout_engine() is not None                  # layout engine restored
        # the SVG reuses the PNG's layout: same page within a fraction of a point
        alone = F.figure_bytes(fourth[name], "svg")
        (w1, h1), (w2, h2) = size.search(svg).groups(), size.search(alone).groups()
        assert abs(float(w1) - float(w2)) < 1 and abs(float(h1) - float(h2)) < 1, name
        assert svg.count(b"<path") == alone.count(b"<path"), name


def test_chinese_glyphs_come_from_the_cjk_font(likert_data, item_text):
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")
        F.figure_bytes(F.likert_bars(likert_data, labels=item_text, lang="zh"), "png")

    # tofu boxes look alike for every character; real glyphs differ
    def one(ch):
        with F.figure_style():
            fig = F._new_figure(0.6, 0.6)
            fig.text(0.5, 0.5, ch, fontsize=28, ha="center", va="center")
        return F.figure_bytes(fig, "png")
    assert one("信") != one("任")


def test_likert_shares_and_instrument_free_labels(likert_data, item_text):
    fig = F.likert_bars(likert_data, labels=item_text, lang="en",
                        category_labels={1: "Strongly disagree", 5: "Strongly agree"})
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0].startswith("IT01 The other government")
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["Strongly disagree", "2", "3", "4", "Strongly agree"]
    # the bars of one item add up to 100 % of its valid answers
    widths = np.array([p.get_width() for p in ax.patches]).reshape(5, 3)
    np.testing.assert_allclose(widths.sum(axis=0), 100.0)
    counts = likert_data["IT01"].value_counts().reindex([1.0, 2, 3, 4, 5]).to_numpy()
    np.testing.assert_allclose(widths[:, 0], counts / counts.sum() * 100)  # IT01: first bar


def test_scree_and_group_plot_accept_results():
    class Parallel:  # shaped like surveykit.analysis.factor.parallel.ParallelResult
        eigenvalues = pd.DataFrame({"fa_observed": [2.0, 0.5], "fa_resampled_q95": [0.4, 0.2],
                                    "pc_observed": [2.5, 0.8], "pc_resampled_q95": [1.2, 1.0]})
    ax = F.scree_plot(Parallel(), lang="en").axes[0]
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [2.0, 0.5])
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [0.4, 0.2])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Observed", "Parallel analysis (95th percentile, resampled data)"]

    class Comparison:  # shaped like GroupComparison
        def __init__(self, y, m):
            self.y = y
            self.descriptives = pd.DataFrame({"group": ["Chengdu", "Chongqing"], "mean": m,
                                              "ci_low": [x - 0.2 for x in m],
                                              "ci_high": [x + 0.2 for x in m]})
    fig = F.group_means_plot([Comparison("trust", [3.0, 3.5]), Comparison("synergy", [2.0, 2.4])])
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["trust", "synergy"]


def test_correlation_heatmap_from_tidy_pairs():
    tidy = pd.DataFrame({"var1": ["IT", "IT", "LP"], "var2": ["LP", "RS", "RS"],
                         "estimate": [-0.3, 0.5, -0.2]})
    fig = F.correlation_heatmap(tidy)
    texts = sorted(t.get_text() for t in fig.axes[0].texts)
    assert texts == sorted(["1.00", "1.00", "1.00", "\u2212.30", ".50", "\u2212.20"])


def test_correlation_heatmap_from_a_correlations_result_or_its_table():
    m = pd.DataFrame([[1.0, 0.25], [0.25, 1.0]], index=["IT", "LP"], columns=["IT", "LP"])
    tidy = pd.DataFrame({"variable_a": ["IT"], "variable_b": ["LP"], "estimate": [0.25],
                         "p_value": [0.01]})

    class Corr:  # shaped like surveykit.analysis.regression.correlations.Correlations
        matrix = m
        table = tidy
    for obj in (Corr(), tidy):
        texts = sorted(t.get_text() for t in F.correlation_heatmap(obj).axes[0].texts)
        assert texts == [".25", "1.00", "1.00"]
    with pytest.raises(ParameterError, match="needs a square matrix or a table of pairs"):
        F.correlation_heatmap(pd.DataFrame({"a": [1.0], "b": [2.0]}))


def test_figure_errors(likert_data):
    with pytest.raises(ParameterError, match="the data have no column for item"):
        F.likert_bars(likert_data, ["IT09"])
    with pytest.raises(ParameterError, match="scale= but no instrument="):
        F.likert_bars(likert_data, scale="trust")
    with pytest.raises(ParameterError, match="could not find the observed_column column"):
        F.scree_plot(pd.DataFrame({"x": [1.0]}))
    with pytest.raises(ParameterError, match="names column 'avg'"):
        F.group_means_plot(pd.DataFrame({"group": ["a"], "ci_low": [1], "ci_high": [2]}), mean="avg")
    with pytest.raises(ParameterError, match=re.escape("The 'lang' parameter of scree_plot must be one "
                                                       "of {'zh', 'en'}. Got 'de' instead.")):
        F.scree_plot([1.0], lang="de")


def test_save_figure_writes_png_and_svg(tmp_path, likert_data):
    png, svg = F.save_figure(F.likert_bars(likert_data), tmp_path / "figs", "likert")
    assert png.read_bytes().startswith(b"\x89PNG")
    assert svg.read_text().lstrip().startswith("<?xml")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_likert_legend_fits_inside_the_figure(lang):
    """Long item labels push the axes right; the legend (a figure legend under the x axis)
    must still lie wholly inside the figure in both languages ("Strongly agree" not clipped)."""
    labels = {f"IT0{i}": {"zh": "对方地区政府在合作中以诚相待，主动通报相关信息" * 2,
                          "en": "The partner region's government deals with us in good faith "
                                "and shares relevant information without being asked"}
              for i in range(1, 4)}
    cats = {1: {"zh": "非常不同意", "en": "Strongly disagree"}, 2: {"zh": "比较不同意", "en": "Disagree"},
            3: {"zh": "一般", "en": "Neither agree nor disagree"}, 4: {"zh": "比较同意", "en": "Agree"},
            5: {"zh": "非常同意", "en": "Strongly agree"}}
    data = pd.DataFrame({i: np.tile([1.0, 2, 3, 4, 5], 4) for i in labels})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig = F.likert_bars(data, labels=labels, category_labels=cats, lang=lang, title="T")
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = FigureCanvasAgg(fig)
        canvas.draw()                                      # lays the figure out
        renderer = canvas.get_renderer()
        box = fig.legends[0].get_window_extent(renderer)
        fig_box = fig.bbox
        assert box.x0 >= fig_box.x0 and box.x1 <= fig_box.x1 and box.y0 >= fig_box.y0
        assert box.y1 <= fig.axes[0].get_window_extent(renderer).y0   # below the plot
    assert [t.get_text() for t in fig.legends[0].get_texts()][-1] == cats[5][lang]


def test_scree_shows_every_eigenvalue_with_thinned_labels():
    ev = np.linspace(8, 0.1, 41)
    ax = F.scree_plot(ev, simulated=np.linspace(1.5, 0.5, 41), lang="en").axes[0]
    assert len(ax.lines[0].get_ydata()) == 41 and len(ax.lines[1].get_ydata()) == 41
    assert list(ax.get_xticks()) == [1, 5, 10, 15, 20, 25, 30, 35, 40]
    assert set(ax.get_xticks()) | set(ax.get_xticks(minor=True)) == set(range(1, 42))  # all marked
    assert list(F.scree_plot([3.0, 1.0, 0.5]).axes[0].get_xticks()) == [1, 2, 3]
