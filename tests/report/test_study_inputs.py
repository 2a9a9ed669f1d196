"""Report helpers that keep a study script short: read_waves, label_with, each."""
import warnings

import pandas as pd
import pytest

import surveykit as sk
from surveykit.datasets import example_study_path
from surveykit.errors import ParameterError
from surveykit.report import Report, correlation_heatmap, group_means_plot

KEY = "test-key"


@pytest.fixture(scope="module")
def read():
    report = Report()
    with warnings.catch_warnings():
        warnings.simplefilter("always")          # recorded by the stages, not shown here
        pooled = report.read_waves({"1": (example_study_path("wave1"),
                                          {"local_protectionism": "1.0.0"}),
                                    "2": example_study_path("wave2")}, key=KEY)
    return report, pooled


def test_read_waves_runs_named_stages_and_records_inputs(read):
    report, pooled = read
    assert [s.name for s in report.stages] == ["instruments", "read wave 1", "read wave 2",
                                              "pool waves"]
    assert all(s.status == "done" for s in report.stages)
    assert report.stages[1].input == str(example_study_path("wave1"))
    assert report._inputs == [str(example_study_path("wave1")), str(example_study_path("wave2"))]
    ids = [(i.id, i.version) for i in report._instruments]
    assert ("local_protectionism", "1.0.0") in ids and ("local_protectionism", "1.1.0") in ids
    # the same as reading and pooling by hand
    q1 = sk.load_questionnaire(versions={"local_protectionism": "1.0.0"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        by_hand = sk.pool_waves([
            sk.read_responses(example_study_path("wave1"), q1, key=KEY, wave="1"),
            sk.read_responses(example_study_path("wave2"), sk.load_questionnaire(), key=KEY,
                              wave="2")])
    pd.testing.assert_frame_equal(pooled.values, by_hand.values)
    assert pooled.not_pooled == by_hand.not_pooled == ("LP05", "LP13")


def test_read_waves_stage_keeps_the_import_warnings(read):
    report, _ = read
    assert any("not valid answers" in w for w in report.stages[2].warnings)


def test_read_waves_one_wave_is_not_pooled():
    report = Report()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = report.read_waves({"2": example_study_path("wave2")}, key=KEY)
    assert [s.name for s in report.stages] == ["instruments", "read wave 2"]
    assert set(r.meta["wave"]) == {"2"}


@pytest.mark.parametrize("waves, words", [
    ({}, "non-empty mapping"),
    ({"1": 3}, "wave '1'"),
    ({"1": ("a.csv", "1.0.0")}, "(path, {instrument id: version})"),
])
def test_read_waves_bad_spec_is_one_message(waves, words):
    with pytest.raises(ParameterError, match="Report.read_waves") as e:
        Report().read_waves(waves)
    assert words in str(e.value)


def test_read_waves_missing_file_names_the_stage_and_file(tmp_path):
    report = Report()
    with pytest.raises(Exception) as e:
        report.read_waves({"1": tmp_path / "nope.csv"}, key=KEY)
    assert "nope.csv" in str(e.value)
    assert "Traceback" not in str(e.value)


def test_each_runs_one_stage_with_progress_and_keys(read):
    report, pooled = read
    ins = pooled.instrument
    scales = [s for s in ins.scales if s.id.startswith("intergovernmental_trust")]
    n_before = len(report.stages)
    out = report.each("reliability", scales, lambda s: sk.reliability(pooled, scale=s.id))
    assert list(out) == [s.id for s in scales]
    st = report.stages[n_before]
    assert st.name == "reliability" and st.total == len(scales) and st.status == "done"
    assert report.each("squares", {"a": 2, "b": 3}, lambda v: v * v) == {"a": 4, "b": 9}
    assert report.each("plain", [1, 2], str) == {1: "1", 2: "2"}


def test_each_failure_names_stage_and_item(tmp_path, capsys):
    from surveykit.report import run_study

    report = Report()
    with pytest.raises(ZeroDivisionError):
        report.each("divide", [1, 0], lambda v: 1 / v)
    assert report.failed.name == "divide" and report.failed.item == "0"
    assert report.each("fine", [1], str) == {1: "1"} and report.stages[-1].item is None
    with pytest.raises(ParameterError, match="must be a function"):
        report.each("x", [1], "not callable")

    def main(rep):
        rep.each("divide", {"a": 1, "b": 0}, lambda v: 1 / v)

    assert run_study(main, out=tmp_path / "out", progress=False) == 1
    line = "stage 'divide: b' failed (input: none): ZeroDivisionError: division by zero"
    assert line in capsys.readouterr().err
    assert "stage 'divide: b' failed" in (tmp_path / "out" / "FAILED.txt").read_text(encoding="utf-8")


def test_label_with_names_groups_in_tables_and_sample(read, tmp_path):
    _, pooled = read
    report = Report(lang="zh")
    ins = report.label_with(pooled.instrument)
    assert ins is pooled.instrument
    scored = sk.score(pooled)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report.add(sk.compare_groups(scored, "regional_synergy", "PR01"))  # no instrument=
        report.sample(sk.clean(pooled, []), by="PR01")     # group labels from the instrument
        report.write(tmp_path, lang="zh")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.count("成都") >= 2 and html.count("重庆") >= 2
    with pytest.raises(ParameterError, match="Report.label_with takes an Instrument"):
        report.label_with("questionnaire")


def test_latent_variables_and_methods_prose_use_bare_scale_names(read):
    from surveykit.report.presentation import _namer
    from surveykit.report.prose import Labels

    _, pooled = read
    ins = pooled.instrument
    full = ins.scale("regional_synergy").name.in_lang("zh")
    assert full.endswith("（总分）")
    assert _namer("SemResult", None, ins)("regional_synergy", "zh") == full.removesuffix("（总分）")
    assert _namer("Regression", None, ins)("regional_synergy", "zh") == full   # a total score
    assert _namer("SemResult", {"regional_synergy": "RS"}, ins)("regional_synergy", "zh") == "RS"
    assert Labels(instruments=[ins]).var("regional_synergy", "zh") == full.removesuffix("（总分）")


def test_figures_caption_themselves_from_the_instrument(read):
    _, pooled = read
    ins = pooled.instrument
    scored = sk.score(pooled)
    cons = ["intergovernmental_trust", "regional_synergy"]
    res = [sk.compare_groups(scored, c, "PR01", instrument=ins) for c in cons]
    fig = group_means_plot(res, lang="zh", instrument=ins, group_name={"zh": "地区", "en": "region"})
    assert fig.surveykit_name == "means_PR01"
    assert fig.surveykit_caption == {"zh": "地区间各量表得分的均值与 95% 置信区间",
                                     "en": "Means of the scale scores by region, with 95% CIs"}
    assert group_means_plot(res, lang="en").surveykit_caption["en"].startswith(
        "Means of the scale scores by group")
    fig = correlation_heatmap(sk.correlations(scored, cons), lang="zh", instrument=ins)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks[-1] == ins.scale("regional_synergy").name.in_lang("zh").removesuffix("（总分）")
    assert fig.surveykit_caption["zh"] == "量表得分的相关矩阵"
