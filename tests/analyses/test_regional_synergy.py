"""The example study end to end: ``surveykit run analyses/regional_synergy.py``.

The study runs once per test session, also across ``pytest -n`` workers (a file lock in the
session's shared tmp folder; Chinese report — the default language and what the README
command produces); a second run into the same folder
checks that tables, figures and the manifest are byte-identical (``created_at`` aside).
Numbers in the report are recomputed from the CSV tables and the public API.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.datasets import example_study_path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = "analyses/regional_synergy.py"
RULES = ROOT / "analyses" / "regional_synergy.rules.yaml"
FIGURES = ["likert_intergovernmental_trust", "likert_local_protectionism",
           "likert_reward_punishment", "likert_regional_synergy", "scree", "loadings",
           "path_diagram", "means_PR01", "means_PR02", "correlations", "interaction"]
SECTIONS = ["数据与合并", "描述统计", "信度", "探索性因子分析", "验证性因子分析", "测量不变性（地区）",
            "结构方程模型", "地区比较", "政府层级比较", "相关与回归", "调节效应与中介效应", "案例资料编码",
            "联合展示"]


def _run_cli(out: Path, lang: str = "zh") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "surveykit", "run", SCRIPT, "--out", str(out),
                           "--lang", lang, "--no-progress"], cwd=ROOT, capture_output=True,
                          text=True, timeout=900)


def _snapshot(out: Path) -> dict[str, bytes]:
    files = {p.relative_to(out).as_posix(): p.read_bytes()
             for p in sorted([*out.glob("tables/*.csv"), *out.glob("figures/*")])}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest.pop("created_at")
    files["manifest.json"] = json.dumps(manifest, sort_keys=True).encode()
    return files


def _run_study_twice(out: Path) -> dict:
    """Run the study through the CLI, then rerun it into the same folder."""
    first = _run_cli(out)
    if first.returncode != 0:
        return {"error": first.stderr[-3000:]}
    snap = _snapshot(out)
    html = (out / "report.html").read_text(encoding="utf-8")
    manifest_text = (out / "manifest.json").read_text(encoding="utf-8")
    second = _run_cli(out)
    if second.returncode != 0:
        return {"error": second.stderr[-3000:]}
    return {"out": out, "first": snap, "second": _snapshot(out), "html": html,
            "stderr": first.stderr, "manifest_text": manifest_text}


def _session_root(tmp_path_factory) -> Path:
    """A folder shared by every xdist worker of THIS session (the workers' basetemps are
    ``<session>/popen-gwN``); without xdist, the session's own basetemp."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """The study, run ONCE per test session even with ``pytest -n 2``: the first worker to
    take the file lock runs it (and its rerun) into the shared session folder and leaves the
    results there; the other workers wait on the lock and read them."""
    import pickle

    cache = _session_root(tmp_path_factory) / "regional_synergy_study"
    cache.mkdir(exist_ok=True)
    result_file = cache / "result.pickle"
    try:
        import fcntl
    except ImportError:  # no POSIX locks (Windows): each worker runs the study itself
        fcntl = None
    with open(cache / "lock", "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)    # released when the file closes
        if result_file.is_file():
            result = pickle.loads(result_file.read_bytes())
        else:
            result = _run_study_twice(cache / "report")
            result_file.write_bytes(pickle.dumps(result))
    assert "error" not in result, result.get("error")
    return result


@pytest.fixture(scope="module")
def data():
    """The study's data recomputed with the public API (same calls as the script)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        q1 = sk.load_questionnaire(versions={"local_protectionism": "1.0.0"})
        q2 = sk.load_questionnaire()
        key = "regional-synergy-example"
        w1 = sk.read_responses(example_study_path("wave1"), q1, key=key, wave="1")
        w2 = sk.read_responses(example_study_path("wave2"), q2, key=key, wave="2")
        cleaned = sk.clean(sk.pool_waves([w1, w2]), sk.load_rules(RULES))
        scored = sk.score(cleaned.kept)
    return cleaned, scored


def _table(out: Path, name: str) -> pd.DataFrame:
    [path] = out.glob(f"tables/*_{name}.csv")
    return pd.read_csv(path, encoding="utf-8-sig")


def _rows(html: str, first_cell: str) -> list[str]:
    """Text of every HTML table row whose first cell is ``first_cell``."""
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    return [re.sub(r"<[^>]+>", "|", r) for r in rows if r.startswith(f"<td>{first_cell}</td>")]


def _apa(x: float, bounded: bool = False, d: int = 2) -> str:
    s = f"{x:.{d}f}".replace("-", "\u2212")
    return s.replace("0.", ".", 1) if bounded else s


# ------------------------------------------------------------------------------ outputs
def test_every_output_is_written(study):
    out = study["out"]
    assert (out / "report.html").is_file() and (out / "report.docx").is_file()
    assert not (out / "FAILED.txt").exists() and not (out / "report-INCOMPLETE.html").exists()
    assert len(list(out.glob("tables/*.csv"))) >= 20
    for name in FIGURES:
        png, svg = out / "figures" / f"{name}.png", out / "figures" / f"{name}.svg"
        assert png.read_bytes().startswith(b"\x89PNG"), name
        assert b"<svg" in svg.read_bytes()[:2000], name
    html = study["html"]
    assert 'class="toc"' in html
    for title in SECTIONS:
        assert f">{title}<" in html, title
    assert "<img" in html and 'src="figures/' not in html          # self-contained
    assert "Traceback" not in study["stderr"]


def test_manifest_records_inputs_instruments_seeds(study):
    m = json.loads(study["manifest_text"])
    assert m["status"] == "complete" and m["language"] == "zh"
    assert m["command_line"][:3] == ["surveykit", "run", SCRIPT]
    assert m["command_line"][-2:] == ["--lang", "zh"]
    inputs = {Path(i["path"]).name: i["sha256"] for i in m["inputs"]}
    for p in (example_study_path("wave1"), example_study_path("wave2"), RULES,
              example_study_path("codebook.yaml")):
        assert inputs[p.name] == hashlib.sha256(p.read_bytes()).hexdigest(), p.name
    assert sum(n.endswith(".md") for n in inputs) >= 12                  # the case notes
    versions = {(i["id"], i["version"]) for i in m["instruments"]}
    assert {("local_protectionism", "1.0.0"), ("local_protectionism", "1.1.0"),
            ("regional_synergy", "1.0.0")} <= versions
    assert all(re.fullmatch(r"[0-9a-f]{64}", i["sha256"]) for i in m["instruments"])
    assert 20240508 in m["seeds"].values()
    assert {"numpy", "pandas", "scipy"} <= set(m["packages"])
    # the readers' data warnings are kept under their stage (no helper in the script hides them)
    staged = {e["stage"] for e in m["stage_warnings"]
              if "are not valid answers" in e["warning"]}
    assert {"read wave 1", "read wave 2"} <= staged
    assert all(e["warning"] in m["warnings"] for e in m["stage_warnings"])


def test_rerun_is_byte_identical(study):
    first, second = study["first"], study["second"]
    assert sorted(first) == sorted(second)
    changed = [name for name in first if first[name] != second[name]]
    assert changed == []


# ------------------------------------------------------------------------------ numbers
def test_final_n_and_exclusions_match_the_cleaning(study, data):
    cleaned, _ = data
    final = _table(study["out"], "sample_final_n")
    assert final["n"].iloc[-1] == cleaned.kept.n == 818
    region = cleaned.kept.values["PR01"].value_counts().sort_index()
    assert final["n"].iloc[:-1].tolist() == region.tolist()
    assert f"最终样本量为 {cleaned.kept.n}" in study["html"]
    excl = _table(study["out"], "sample_exclusions")
    assert excl["n_excluded"].sum() == cleaned.n_raw - cleaned.kept.n
    assert excl["n_excluded"].tolist() == cleaned.summary["excluded"].tolist()


def test_alpha_recomputed_and_shown(study, data):
    cleaned, _ = data
    res = sk.reliability(cleaned.kept, scale="competence_trust")
    row = _table(study["out"], "reliability_summary").set_index("scale").loc["competence_trust"]
    np.testing.assert_allclose(row["alpha"], res.alpha, rtol=1e-12)
    np.testing.assert_allclose([row["ci_low"], row["ci_high"]], [res.ci_low, res.ci_high], rtol=1e-12)
    label = cleaned.kept.instrument.scale("competence_trust").name.in_lang("zh")   # 能力信任
    assert row["label"] == label
    reli_rows = [r for r in _rows(study["html"], label)
                 if _apa(res.alpha, True) in r and f"[{_apa(res.ci_low, True)}, {_apa(res.ci_high, True)}]" in r]
    assert reli_rows, _rows(study["html"], label)
    alphas = _table(study["out"], "reliability_summary")["alpha"]
    assert f"α 在 {_apa(alphas.min(), True)} 至 {_apa(alphas.max(), True)} 之间" in study["html"]


def test_efa_loadings_and_factor_number_shown(study, data):
    cleaned, _ = data
    tab = _table(study["out"], "efa_loadings")
    loadings = tab[tab["term"] == "loading"].filter(like="loading_")
    n_factors = loadings.shape[1]
    assert "平行分析（100 组重抽样数据" in study["html"]
    assert f"建议保留 {n_factors} 个因子" in study["html"]
    assert f"提取 {n_factors} 个因子，因子数按平行分析的建议确定" in study["html"]
    k = _table(study["out"], "kmo_msa")
    assert f"KMO = {_apa(k['msa'].iloc[0], True)}" in study["html"]


def test_region_t_recomputed_and_shown(study, data):
    cleaned, scored = data
    with pytest.warns(sk.DataWarning):                     # respondents without a score
        res = sk.compare_groups(scored, "regional_synergy", "PR01", instrument=cleaned.kept.instrument)
    row = _table(study["out"], "compare_pr01_table").set_index("y").loc["regional_synergy"]
    np.testing.assert_allclose([row["statistic"], row["df1"], row["p_value"]],
                               [res.statistic, res.df1, res.p_value], rtol=1e-12)
    shown = _rows(study["html"], "区域协同（总分）")          # the scale by its name, not its id
    assert "成都 M" in study["html"] and "重庆 SD" in study["html"]   # groups by their labels
    assert any(_apa(res.statistic) in r and f"{res.df1:.2f}" in r for r in shown), shown


def test_regression_r2_in_text(study, data):
    _, scored = data
    with pytest.warns(sk.DataWarning):
        reg = sk.regress(scored, "regional_synergy",
                         ["intergovernmental_trust", "local_protectionism", "reward_punishment"])
    assert f"R² = {reg.r_squared:.2f}".replace("0.", ".", 1) in study["html"]   # APA: no leading zero
    assert f"n = {reg.n}" in study["html"]
    [path] = study["out"].glob("tables/[0-9][0-9]_regression_table.csv")
    tab = pd.read_csv(path, encoding="utf-8-sig")
    est = tab.set_index("term")["estimate"]
    np.testing.assert_allclose(est["intergovernmental_trust"],
                               reg.table.set_index("term").loc["intergovernmental_trust", "estimate"],
                               rtol=1e-12)


def test_moderation_and_mediation_recomputed_and_shown(study, data):
    from surveykit.report.process_tables import apa_sentence

    _, scored = data
    ins = sk.load_questionnaire()
    with pytest.warns(sk.DataWarning):
        mod = sk.moderation(scored, "regional_synergy", "intergovernmental_trust",
                            "local_protectionism")
        med = sk.mediation(scored, "reward_punishment", "regional_synergy",
                           "intergovernmental_trust", n_boot=5000, seed=20240508)
    out = study["out"]
    np.testing.assert_allclose(_table(out, "moderation_model")["estimate"], mod.coefficients.estimate,
                               rtol=1e-12)
    slopes = _table(out, "moderation_slopes")
    np.testing.assert_allclose(slopes["estimate"], mod.simple_slopes.estimate, rtol=1e-12)
    assert slopes["probe"].tolist() == ["M − 1 SD", "M", "M + 1 SD"]
    eff = _table(out, "mediation_effects")
    for c in ("estimate", "boot_se", "ci_low", "ci_high"):
        np.testing.assert_allclose(eff[c], med.table[c], rtol=1e-12)
    assert eff["effect"].tolist() == ["总效应", "直接效应", "间接效应", "完全标准化间接效应"]
    html = study["html"]
    from markupsafe import escape
    assert str(escape(apa_sentence(mod, "zh", instrument=ins))) in html
    assert str(escape(apa_sentence(med, "zh", instrument=ins))) in html
    assert f"[{_apa(med.ci_low, d=3)}, {_apa(med.ci_high, d=3)}]" in html
    assert "政府间信任在奖惩机制与区域协同之间的中介作用：总效应、直接效应与间接效应" in html


def test_hierarchical_regression_recomputed_and_shown(study, data):
    from markupsafe import escape

    from surveykit.report.presentation import sentence_of

    cleaned, scored = data
    ins = cleaned.kept.instrument
    with pytest.warns(sk.DataWarning):
        h = sk.regress(scored, "regional_synergy",
                       blocks=[["PR01", "PR02", "PR04", "PR05"],
                               ["intergovernmental_trust", "local_protectionism",
                                "reward_punishment"]], categorical=["PR01", "PR02"])
    tab = _table(study["out"], "hierarchical_regression_table")
    for k in (1, 2):
        c = h.table[(h.table.step == k) & (h.table.term != "intercept")]
        np.testing.assert_allclose(tab[f"beta_{k}"].iloc[:len(c)], c.std_estimate, rtol=1e-12)
        np.testing.assert_allclose(tab[f"b_{k}"].iloc[:len(c)], c.estimate, rtol=1e-12)
        s = h.steps.iloc[k - 1]
        np.testing.assert_allclose(tab[f"beta_{k}"].iloc[-5:],
                                   [s.r_squared, s.adj_r_squared, s.delta_r_squared,
                                    s.f_statistic, s.f_change], rtol=1e-12)
    assert tab["predictor"].iloc[:2].tolist() == ["地区：重庆", "政府层级：市级"]
    names = {"PR01": "地区", "PR02": "政府层级", "PR04": "职级", "PR05": "工作年限"}
    html = study["html"]
    assert str(escape(sentence_of(h, "zh", names=names, instrument=ins))) in html
    assert f"ΔR² = {_apa(h.delta_r_squared, True, 3)}" in html


def test_common_method_bias_recomputed_and_shown(study, data):
    cleaned, _ = data
    ins = cleaned.kept.instrument
    m = json.loads(study["manifest_text"])
    [prov] = [a for a in m["analyses"] if a["analysis"] == "common_method_bias"]
    items = [f"-{i}" if ins.item(i).reverse else i for i in prov["parameters"]["items"]]
    assert len(items) >= 30
    with pytest.warns(sk.DataWarning):                     # incomplete rows dropped
        cmb = sk.common_method_bias(cleaned.kept, items, instrument=ins)
    harman = _table(study["out"], "common_method_bias_harman")
    np.testing.assert_allclose(harman["share"], [cmb.harman_pca_share, cmb.harman_fa_share],
                               rtol=1e-12)
    cfa = _table(study["out"], "common_method_bias_cfa")
    np.testing.assert_allclose(cfa["delta_chisq"].iloc[1], cmb.single_delta_chisq, rtol=1e-9)
    np.testing.assert_allclose(cfa["delta_cfi"].iloc[1], cmb.single_delta_cfi, rtol=1e-9)
    html = study["html"]
    assert f"解释了 {100 * cmb.harman_pca_share:.2f}% 的方差" in html
    assert f"Δχ²({cmb.single_delta_df}) = {cmb.single_delta_chisq:.2f}" in html
    assert _rows(html, "单因子模型"), "single-factor row missing"


def _keyed(cleaned, scored, items):
    ins = cleaned.kept.instrument
    out = scored[items].astype("float64").copy()
    for i in items:
        if ins.item(i).reverse:
            vals = ins.item(i).response.values
            out[i] = min(vals) + max(vals) - out[i]
    return out


def test_cfa_invariance_and_structural_model_recomputed_and_shown(study, data):
    """The CFA, invariance and SEM tables come from report.add of the results: recomputed
    from the models recorded in the manifest, every shown number equals the result's."""
    from markupsafe import escape

    from surveykit.report.presentation import sentence_of

    cleaned, scored = data
    ins = cleaned.kept.instrument
    m = json.loads(study["manifest_text"])
    prov = {a["analysis"]: a["parameters"] for a in m["analyses"]
            if a["analysis"] in ("cfa", "sem")}
    items = re.findall(r"\b[A-Z]{2}\d\d\b", prov["sem"]["model"])
    d = pd.concat([_keyed(cleaned, scored, list(dict.fromkeys(items))), scored[["PR01"]]], axis=1)
    out, html = study["out"], study["html"]
    cf = sk.cfa(d, prov["cfa"]["model"], missing="ml")
    fit = _table(out, "cfa_fit")
    np.testing.assert_allclose(fit[["statistic", "cfi", "rmsea", "srmr"]].iloc[0],
                               [cf.chisq, cf.cfi, cf.rmsea, cf.srmr], rtol=1e-6)
    np.testing.assert_allclose(_table(out, "cfa_loadings")["std_estimate"],
                               cf.loadings["std_estimate"], rtol=1e-6)
    np.testing.assert_allclose(_table(out, "cfa_validity")["ave"], cf.construct["ave"], rtol=1e-6)
    assert str(escape(sentence_of(cf, "zh", instrument=ins))) in html
    inv = _table(out, "invariance_table")
    assert inv["level"].tolist()[:3] == ["形态等值", "弱等值（载荷）", "强等值（截距）"]
    assert "最高支持" not in html and "scalar" not in inv.to_string()
    assert "支持强等值（截距）" in html or "支持弱等值（载荷）" in html
    sm = sk.sem(d, prov["sem"]["model"], estimator="MLR", missing="ml")
    assert prov["sem"]["estimator"] == "MLR" and prov["sem"]["missing"] == "ml"
    paths = _table(out, "sem_paths")
    np.testing.assert_allclose(paths["std_estimate"], sm.regressions["std_estimate"], rtol=1e-6)
    np.testing.assert_allclose(paths["se"], sm.regressions["se"], rtol=1e-6)
    ind = _table(out, "sem_defined").iloc[0]
    row = sm.defined.iloc[0]
    np.testing.assert_allclose([ind["estimate"], ind["ci_low"], ind["ci_high"]],
                               [row.estimate, row.ci_low, row.ci_high], rtol=1e-6)
    assert ind["label"] == "间接效应" and ind["path"] == "奖惩机制 → 府际信任 → 区域协同"
    assert f"= {row.estimate:.3f}，95% CI [{row.ci_low:.3f}, {row.ci_high:.3f}]" in html
    assert f"稳健 CFI = {_apa(sm.cfi_robust, True, 3)}" in html
    assert "稳健最大似然估计（MLR" in html and "全信息最大似然（FIML）" in html


def test_word_file_holds_the_tables(study):
    import docx

    doc = docx.Document(str(study["out"] / "report.docx"))
    # one Word table per numbered table; a table's extra CSVs (every item's MSA) share its number
    n_tables = len({p.name.split("_")[0] for p in study["out"].glob("tables/*.csv")})
    assert len(doc.tables) >= n_tables
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert "competence_trust" in cells and "成都" in cells
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "信度" in text and "\ufffd" not in text


# ------------------------------------------------------------------------------ browser
_BROWSER = ROOT / "tests" / "report" / "test_browser.py"


def _browser_module():
    spec = importlib.util.spec_from_file_location("_report_browser_helpers", _BROWSER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


try:  # the DevTools client of the report engineer's browser test
    _B, _B_ERROR = _browser_module(), None
except Exception as exc:  # noqa: BLE001 - reported by the test below, not at collection
    _B, _B_ERROR = None, f"{type(exc).__name__}: {exc}"
_CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                  if shutil.which(n)), None)


@pytest.mark.browser
@pytest.mark.skipif(_CHROMIUM is None,
                    reason="chromium is not installed (apt-get install chromium; .ci/run installs it)")
def test_study_report_opens_cleanly_in_chromium(study, tmp_path):
    if _B is None:
        pytest.fail(f"cannot use the DevTools client of {_BROWSER}: {_B_ERROR}")
    import base64

    cdp = _B.Cdp(tmp_path / "chromium-profile")
    try:
        session = _B._open(cdp, (study["out"] / "report.html").resolve().as_uri())
        res = cdp.send("Runtime.evaluate", {"expression": _B.CHECK_JS, "returnByValue": True},
                       session=session)
        page = json.loads(res["result"]["value"])
        shot = cdp.send("Page.captureScreenshot", {"format": "png"}, session=session)
    finally:
        cdp.close()
    assert _B._errors(cdp.events) == []
    assert len(page["images"]) == len(FIGURES)
    assert all(i["complete"] and i["w"] > 0 for i in page["images"]), page["images"]
    assert page["sections"][:2] == ["sample", "methods"] and page["sections"][-1] == "software"
    assert len(page["sections"]) >= 2 + len(SECTIONS) + 1
    assert page["toc"] == [f"#{s}" for s in page["sections"]]
    assert not page["banner"]
    png = base64.b64decode(shot["data"])
    assert png.startswith(b"\x89PNG")
    where = Path(os.environ.get("SURVEYKIT_SCREENSHOT_DIR") or tmp_path)
    where.mkdir(parents=True, exist_ok=True)
    (where / "study-report-top.png").write_bytes(png)


# ------------------------------------------------------------------------------ failure
def test_broken_rules_fail_in_one_line_naming_stage_and_input(tmp_path):
    """The study with a mistyped cleaning rule: one line naming the stage and the rules file,
    exit 1, the partial report marked INCOMPLETE and no report.html."""
    study_dir = tmp_path / "analyses"
    study_dir.mkdir()
    shutil.copy(ROOT / SCRIPT, study_dir / "regional_synergy.py")
    rules = RULES.read_text(encoding="utf-8").replace("rule: speeders", "rule: speeder")
    (study_dir / "regional_synergy.rules.yaml").write_text(rules, encoding="utf-8")
    out = tmp_path / "out"
    res = subprocess.run([sys.executable, "-m", "surveykit", "run", str(study_dir / "regional_synergy.py"),
                          "--out", str(out), "--no-progress"], cwd=ROOT, capture_output=True, text=True,
                         timeout=600)
    assert res.returncode == 1
    # the data warnings of the stages before are shown too (never lost), one line each
    lines = [line for line in res.stderr.splitlines()
             if line.strip() and not line.startswith("warning: DataWarning: ")]
    assert len(lines) == 1, res.stderr
    assert re.search(r"error: stage 'clean' failed \(input: .*regional_synergy\.rules\.yaml\): "
                     r".*regional_synergy\.rules\.yaml: 1 problem\(s\) in the cleaning rules: "
                     r".*regional_synergy\.rules\.yaml:\d+:5: unknown rule 'speeder'\. Did you mean "
                     r"'speeders'\?", lines[0]), lines[0]
    failed = (out / "FAILED.txt").read_text(encoding="utf-8")
    assert re.search(r"regional_synergy\.rules\.yaml:\d+:5: unknown rule 'speeder'\. Did you mean "
                     r"'speeders'\?", failed), failed
    assert "Traceback" not in res.stderr
    assert (out / "FAILED.txt").is_file() and (out / "report-INCOMPLETE.html").is_file()
    assert not (out / "report.html").exists()
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["status"] == "failed"


def test_sample_profile_and_table_one_in_the_report(study, data):
    cleaned, _ = data
    prof = sk.describe_sample(cleaned.kept)
    got = pd.read_csv(next((study["out"] / "tables").glob("*_sample_profile.csv")))
    np.testing.assert_array_equal(got["count"], prof.table["count"])
    assert got["count"][: len(prof.table[prof.table["item"] == "PR01"])].sum() == cleaned.kept.n
    t1 = sk.describe_scales(cleaned.kept, ["intergovernmental_trust", "local_protectionism",
                                           "reward_punishment", "regional_synergy"])
    w = t1.wide()
    assert w.iloc[1, 2].startswith("\u2212")           # trust–protectionism r is negative
    for cell in (w.iloc[0, 2], w.iloc[1, 2], w.iloc[3, 4]):
        assert cell in study["html"], cell
    assert "样本基本情况" in study["html"] and "各变量的均值、标准差与相关系数" in study["html"]


def test_script_is_short_and_uses_only_the_public_api():
    """Issue #13 item 7: ≤ 150 lines, blank lines and comments not counted."""
    text = (ROOT / SCRIPT).read_text(encoding="utf-8")
    counted = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    assert len(counted) <= 150, len(counted)
    imports = {m.group(1) for m in re.finditer(r"^(?:from|import) (\S+)", text, re.M)}
    assert {i for i in imports if i.startswith("surveykit")} <= {
        "surveykit", "surveykit.report", "surveykit.datasets"}
    assert "._" not in text and "catch_warnings" not in text
