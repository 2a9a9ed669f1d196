"""The Report a script fills: folder layout, Word file, HTML, reruns and failures."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from surveykit.errors import ParameterError, ReportError
from surveykit.report import Report
from surveykit.report.manifest import TIMESTAMP_FIELD


@pytest.fixture(scope="module")
def written(tmp_path_factory, make_report):
    """One report shared by the read-only tests of this module."""
    tmp_path = tmp_path_factory.mktemp("written")
    data = tmp_path / "wave1.csv"
    data.write_text("id,IT01\n1,3\n", encoding="utf-8")
    out = tmp_path / "out"
    make_report(out, lang="zh", input_path=data)
    return out


def test_folder_layout(written):
    names = sorted(p.relative_to(written).as_posix() for p in written.rglob("*") if p.is_file())
    assert names == ["figures/likert_trust.png", "figures/likert_trust.svg", "figures/scree.png",
                     "figures/scree.svg", "manifest.json", "report.docx", "report.html",
                     "tables/01_sample_exclusions.csv", "tables/02_sample_final_n.csv",
                     "tables/03_reliability.csv", "tables/04_items.csv"]


def test_csv_tables_hold_the_unrounded_data(written, fake_result):
    back = pd.read_csv(written / "tables/03_reliability.csv", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(back, fake_result.table, check_dtype=False)
    final = pd.read_csv(written / "tables/02_sample_final_n.csv", encoding="utf-8-sig")
    assert final.to_dict("list") == {"group": ["成都", "重庆", "合计"], "n": [62, 58, 120]}


def test_manifest_contents(written):
    m = json.loads((written / "manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == "complete"
    assert m["seeds"] == {"bootstrap": 123, "reliability.seed": 20240501}
    import hashlib
    assert len(m["inputs"]) == 1 and m["inputs"][0]["path"].endswith("wave1.csv")
    assert m["inputs"][0]["sha256"] == hashlib.sha256(b"id,IT01\n1,3\n").hexdigest()
    assert m["command_line"] == ["surveykit", "run", "study.py"]
    assert m["analyses"][0]["r_equivalent"] == "psych::alpha(x)"
    assert set(m["outputs"]) == {"figures/likert_trust.png", "figures/likert_trust.svg",
                                 "figures/scree.png", "figures/scree.svg",
                                 "tables/01_sample_exclusions.csv", "tables/02_sample_final_n.csv",
                                 "tables/03_reliability.csv", "tables/04_items.csv"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", m[TIMESTAMP_FIELD])
    assert "numpy" in m["packages"] and "surveykit" in m["packages"]


def test_html_has_every_section_and_embedded_figures(written):
    html = (written / "report.html").read_text(encoding="utf-8")
    assert "<title>区域协同测试报告</title>" in html
    for sid, title in [("sample", "样本"), ("methods", "方法"), ("s01", "信度"), ("s02", "描述统计"),
                       ("software", "软件版本")]:
        assert f'<section class="report-section" id="{sid}" data-title="{title}">' in html
        assert f'<a href="#{sid}">{title}</a>' in html
    assert html.count("data:image/png;base64,") == 2
    assert "<em>p</em>" in html and "&lt; .001" in html
    assert "缺失值按成对删除（默认）处理" in html   # methods from provenance (report/factor_prose.py)
    assert "缺失值采用成对删除。" in html
    assert "http://" not in html and "https://" not in html  # self-contained


def test_word_file_tables_and_east_asian_font(written):
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(str(written / "report.docx"))
    assert len(doc.tables) == 4
    rel = doc.tables[2]
    assert [c.text for c in rel.rows[0].cells] == ["量表", "项", "估计值", "95% CI", "n"]
    assert [c.text for c in rel.rows[1].cells] == ["market_barriers", "alpha", ".87", "[.84, .90]", "300"]
    final = doc.tables[1]
    assert [c.text for c in final.columns[0].cells] == ["组别", "成都", "重庆", "合计"]
    # East Asian font on the styles; no run holding Chinese text overrides it
    normal = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "SimSun" and normal.get(qn("w:ascii")) == "Times New Roman"
    paras = list(doc.paragraphs) + [p for t in doc.tables for row in t.rows for c in row.cells
                                    for p in c.paragraphs]
    runs = [(p, r) for p in paras for r in p.runs if re.search(r"[\u4e00-\u9fff]", r.text)]
    assert len(runs) > 10
    for p, r in runs:
        assert r._r.rPr is None or r._r.rPr.find(qn("w:rFonts")) is None, r.text
        style = p.style
        while style.element.rPr is None or style.element.rPr.find(qn("w:rFonts")) is None:
            style = style.base_style
        fonts = style.element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) in ("SimSun", "SimHei"), (style.name, r.text)
        assert style.element.rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    # thesis caption: "表 3  各分量表的信度", one Caption paragraph with a SEQ field
    texts = [p.text for p in doc.paragraphs]
    i = texts.index("表 3  各分量表的信度")
    assert doc.paragraphs[i].style.name == "Caption"
    assert "SEQ 表" in doc.paragraphs[i]._p.xml
    n_cell = rel.rows[0].cells[4].paragraphs[0].runs[0]
    assert n_cell.italic
    assert len(doc.inline_shapes) == 2


def test_english_report(tmp_path, make_report):
    out = tmp_path / "en"
    make_report(out, lang="en")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<title>Regional synergy test report</title>" in html
    assert ">Reliability of the subscales<" in html and ">Software versions<" in html
    assert "130 rows were read; 10 were excluded" in html
    assert "<td>Total</td>" in html and "合计" not in html
    assert pd.read_csv(out / "tables/02_sample_final_n.csv")["group"].tolist() == [
        "成都", "重庆", "Total"]


def test_rerun_is_byte_identical_but_for_the_timestamp(tmp_path, make_report, monkeypatch):
    data = tmp_path / "wave1.csv"
    data.write_text("id,IT01\n1,3\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    make_report(Path("run"), input_path="wave1.csv")
    first = {p.relative_to(tmp_path / "run").as_posix(): p.read_bytes()
             for p in (tmp_path / "run").rglob("*") if p.is_file()}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    make_report(Path("run"), input_path="wave1.csv")
    second = {p.relative_to(tmp_path / "run").as_posix(): p.read_bytes()
              for p in (tmp_path / "run").rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    for name in first:
        if name.endswith((".csv", ".png", ".svg")):
            assert first[name] == second[name], name
    m1, m2 = (json.loads(x["manifest.json"]) for x in (first, second))
    assert m1.pop(TIMESTAMP_FIELD) != m2.pop(TIMESTAMP_FIELD)
    assert m1 == m2
    # and the raw bytes differ only on the timestamp line
    lines = [(a, b) for a, b in zip(first["manifest.json"].splitlines(),
                                    second["manifest.json"].splitlines()) if a != b]
    assert len(lines) == 1 and TIMESTAMP_FIELD.encode() in lines[0][0]
    # the HTML differs only where it prints that same timestamp
    h1 = first["report.html"].decode().replace("2023-11-14T22:13:20Z", "T")
    h2 = second["report.html"].decode().replace("2027-01-15T08:00:00Z", "T")
    assert h1 == h2


def test_failed_write_is_marked_and_removes_a_stale_report(tmp_path, make_report, fake_result):
    out = tmp_path / "out"
    make_report(out)
    assert (out / "report.html").exists()
    report = Report(title="失败的研究")
    report.section("信度", "Reliability")
    report.add(fake_result)
    report.write_failed(out, stage="clean", input="wave2.csv", message="wave2.csv: item LP03 ...",
                        lang="zh")
    assert not (out / "report.html").exists() and not (out / "report.docx").exists()
    assert not (out / "figures").exists()
    marker = (out / "FAILED.txt").read_text(encoding="utf-8")
    assert marker.startswith("INCOMPLETE REPORT — stage 'clean' failed (input: wave2.csv).")
    html = (out / "report-INCOMPLETE.html").read_text(encoding="utf-8")
    assert "<title>未完成 — 阶段“clean”失败 — 失败的研究</title>" in html
    assert 'class="banner"' in html and "wave2.csv" in html
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == "failed" and m["failed_stage"]["stage"] == "clean"
    assert (out / "report-INCOMPLETE.docx").exists()
    assert (out / "tables/01_reliability.csv").exists()


def test_user_files_in_the_folder_are_kept(tmp_path, make_report):
    out = tmp_path / "out"
    (out / "tables").mkdir(parents=True)
    (out / "figures").mkdir()
    (out / "notes.txt").write_text("mine")
    (out / "tables/my_own.csv").write_text("a\n1\n")
    (out / "figures/sketch.png").write_bytes(b"png")
    make_report(out)
    make_report(out)   # the rerun replaces the report's files, not these
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / "tables/my_own.csv").read_text() == "a\n1\n"
    assert (out / "figures/sketch.png").read_bytes() == b"png"
    Report(lang="en").write(out)   # an empty report: the old tables and figures go
    assert sorted(p.name for p in (out / "tables").iterdir()) == ["my_own.csv"]
    assert sorted(p.name for p in (out / "figures").iterdir()) == ["sketch.png"]


def test_builder_errors(tmp_path, likert_data):
    from surveykit.report import figures as F

    r = Report()
    with pytest.raises(ParameterError, match="Report.add takes a Result or a pandas DataFrame. Got dict"):
        r.add({"a": 1})
    fig = F.scree_plot([1.0, 0.5])
    with pytest.raises(ParameterError, match="must be a file name of letters"):
        r.figure(fig, name="my figure.png")
    r.figure(fig, name="scree")
    with pytest.raises(ParameterError, match="a figure named 'scree' was already added"):
        r.figure(fig, name="scree")
    with pytest.raises(ParameterError, match="Report.text needs text"):
        r.text()
    with pytest.raises(ParameterError, match="either text or zh=/en=, not both"):
        r.text("x", zh="y")
    with pytest.raises(ReportError, match="Report.input_file: .*nope.csv does not exist"):
        r.input_file(tmp_path / "nope.csv")
    with pytest.raises(ParameterError, match="The 'lang' parameter of Report must be one of"):
        Report(lang="fr")
    with pytest.raises(ParameterError, match="names columns the table does not have: 'nope'"):
        r.add(pd.DataFrame({"a": [1.0]}), columns=["nope"])   # at add(), where the script is
    with pytest.raises(TypeError, match="unexpected keyword argument 'colums'"):
        r.add(pd.DataFrame({"a": [1.0]}), colums=["a"])
    with pytest.raises(ParameterError, match="exclusions need the columns 'rule' and 'n_excluded'"):
        r.sample(10, pd.DataFrame({"why": ["x"]}))


def test_same_table_names_get_distinct_files(tmp_path):
    r = Report(lang="en")
    r.add(pd.DataFrame({"a": [1.0]}), caption="Means")
    r.add(pd.DataFrame({"a": [2.0]}), caption="Means")
    r.write(tmp_path / "o")
    assert sorted(p.name for p in (tmp_path / "o/tables").iterdir()) == ["01_means.csv",
                                                                       "02_means_2.csv"]


def test_sample_from_a_cleaning_result(tmp_path):
    """Duck-typed on surveykit.clean's CleaningResult (n_raw, summary, kept, provenance)."""
    from types import SimpleNamespace

    from surveykit.result import make_provenance

    kept = pd.DataFrame({"PR01": [1, 2, 1, 1, 2]})
    res = SimpleNamespace(
        n_raw=9, n_kept=5,
        summary=pd.DataFrame({"rule": ["duplicates", "speed"], "kind": ["duplicate", "speed"],
                              "action": ["exclude", "exclude"], "flagged": [1, 4],
                              "excluded": [1, 3], "not_evaluated": [0, 0],
                              "thresholds": ["", "duration_s < 120"]}),
        kept=kept, provenance=make_provenance("clean", {"rules": "rules.yaml"}, {}))
    r = Report(lang="en")
    r.sample(res, by="PR01", group_labels={1: {"zh": "成都", "en": "Chengdu"},
                                           2: {"zh": "重庆", "en": "Chongqing"}})
    r.write(tmp_path / "o")
    html = (tmp_path / "o/report.html").read_text(encoding="utf-8")
    assert "9 rows were read; 4 were excluded by the rules below, leaving a final sample of 5." in html
    assert "duration_s &lt; 120" in html and "clean: rules = &#39;rules.yaml&#39;" in html
    final = pd.read_csv(tmp_path / "o/tables/02_sample_final_n.csv", encoding="utf-8-sig")
    assert final.to_dict("list") == {"group": ["Chengdu", "Chongqing", "Total"], "n": [3, 2, 5]}
    exc = pd.read_csv(tmp_path / "o/tables/01_sample_exclusions.csv", encoding="utf-8-sig")
    assert exc.columns.tolist() == ["rule", "action", "threshold", "n_flagged", "n_excluded"]
    with pytest.raises(ParameterError, match="by='PR99' is not a column of the kept responses"):
        r.sample(res, by="PR99")
    with pytest.raises(ParameterError, match="The 'n_in' parameter of Report.sample must be an "
                                             "integer or the result of surveykit.clean"):
        r.sample("many")


def test_result_like_objects_are_accepted(tmp_path):
    """e.g. surveykit.clean's CleaningResult: .table and .provenance, not a Result subclass."""
    from types import SimpleNamespace

    from surveykit.result import make_provenance

    res = SimpleNamespace(table=pd.DataFrame({"rule": ["speed"], "excluded": [3]}),
                          provenance=make_provenance("clean", {"seed": 5}, {}), title="Cleaning")
    r = Report(lang="en")
    assert r.add(res) is res
    r.write(tmp_path / "o")
    assert (tmp_path / "o/tables/01_clean.csv").exists()
    m = json.loads((tmp_path / "o/manifest.json").read_text(encoding="utf-8"))
    assert m["seeds"] == {"clean.seed": 5}
    assert ">Cleaning<" in (tmp_path / "o/report.html").read_text(encoding="utf-8")


# ------------------------------------------------------------ several results, one table
def _alpha_like(fake_result, scale: str, alpha: float, missing: str = "pairwise"):
    from dataclasses import replace

    from surveykit.result import make_provenance

    prov = make_provenance("reliability", {"scale": scale, "missing": missing, "ci": "feldt"},
                           {"scale": None, "missing": "pairwise", "ci": "feldt"},
                           instruments=(f"{scale}@1.0.0",), r_equivalent="psych::alpha(x)")
    table = pd.DataFrame({"term": ["alpha"], "estimate": [alpha], "ci_low": [alpha - .05],
                          "ci_high": [alpha + .04]})
    return replace(fake_result, table=table, provenance=prov, alpha=alpha)


def test_add_many_records_every_provenance_and_states_each_setting_once(tmp_path, fake_result):
    """18 reliability results in one table: the manifest lists all of them, the methods
    state 'reliability' once, the shared settings once and every scale once."""
    rel = {f"s{i:02d}": _alpha_like(fake_result, f"s{i:02d}", 0.7 + i / 100) for i in range(18)}
    rel["s17"] = _alpha_like(fake_result, "s17", 0.88, missing="listwise")
    rows = pd.DataFrame([{"scale": k, "alpha": r.alpha, "ci_low": r.alpha - .05,
                          "ci_high": r.alpha + .04} for k, r in rel.items()])
    r = Report(lang="en")
    r.section("信度", "Reliability")
    assert r.add_many(rel, table=rows, caption="Reliability of every scale") is rows
    r.add(list(rel.values())[:2], caption="Two results stacked", name="two")  # a list works too
    out = r.write(tmp_path / "out", lang="en")
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [a["parameters"]["scale"] for a in m["analyses"]] == list(rel)
    html = (out / "report.html").read_text(encoding="utf-8")
    import html as html_mod

    line = html_mod.unescape(re.search(r"Reliability: internal consistency of 18 [^<]*", html)
                             .group(0))                   # the methods paragraph (factor_prose)
    assert html.count("Reliability: internal consistency") == 1
    assert "by the Feldt method (default)" in line
    assert "by pairwise deletion, listwise deletion (R" in line, line
    assert "(R: psych::alpha(x))" in line
    assert "psych::alpha(x)" in html.split("Reliability of every scale")[1]  # default note
    tab = pd.read_csv(out / "tables/02_two.csv", encoding="utf-8-sig")
    assert list(tab["estimate"]) == [0.7, 0.71]


def test_add_many_errors(fake_result):
    r = Report()
    with pytest.raises(ParameterError, match="Report.add_many takes a non-empty list or mapping "
                                             "of Results. Got an empty one instead."):
        r.add_many([])
    with pytest.raises(ParameterError, match="Got DataFrame instead"):
        r.add_many([fake_result, pd.DataFrame()])
    with pytest.raises(ParameterError, match="The 'table' parameter of Report.add_many must be a "
                                             "pandas DataFrame. Got list instead."):
        r.add_many([fake_result], table=[1])
