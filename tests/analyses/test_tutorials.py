"""The two tutorials run as written.

Every ```bash block of a tutorial runs, in document order, in one ``bash -euo pipefail``
session (so ``cd`` carries over as it would for a reader); a code block preceded by
``<!-- file: NAME -->`` is written to NAME at that point. ```text blocks are shown output
and are not run. The designer tutorial starts at the root of a clone (it copies
``instruments/``), so it runs in a folder holding a copy of the repository's instruments.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FENCE = re.compile(r"(<!-- file: (?P<file>[^ ]+) -->\n)?```(?P<lang>\w*)\n(?P<body>.*?)\n```",
                   re.S)


def tutorial_script(path: Path) -> str:
    """The bash script a reader runs when following ``path`` (files written inline)."""
    parts = []
    for m in FENCE.finditer(path.read_text(encoding="utf-8")):
        if m["file"]:
            parts.append(f"cat > {m['file']} <<'TUTORIAL_EOF'\n{m['body']}\nTUTORIAL_EOF")
        elif m["lang"] == "bash":
            parts.append(m["body"])
    return "\n".join(parts) + "\n"


def run_tutorial(path: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.pop("SURVEYKIT_PSEUDONYM_KEY", None)
    return subprocess.run(["bash", "-euo", "pipefail", "-c", tutorial_script(path)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=600)


def test_script_extraction_keeps_order_and_files():
    script = tutorial_script(DOCS / "tutorial-researchers.md")
    assert script.index("cat > cleaning.yaml") < script.index("surveykit responses clean")
    assert script.index("cat > my_study.py") < script.index("surveykit run my_study.py")
    assert "report written" not in script          # shown output is not run


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_designer_tutorial_runs(tmp_path):
    shutil.copytree(ROOT / "instruments", tmp_path / "instruments")
    res = run_tutorial(DOCS / "tutorial-designers.md", tmp_path)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-3000:]
    work = tmp_path / "tutorial"
    assert "RS02 now asks about new fields." in (work / "instruments/regional_synergy/1.1.0.yaml").read_text(encoding="utf-8")
    assert "1.1.0:" in (work / "instruments/instruments.lock").read_text(encoding="utf-8")
    assert "RS02,1.1.0,RS02,wording_changed,False" in (work / "crosswalk.csv").read_text(encoding="utf-8")
    assert "本单位愿意在新的领域与对方地区开展合作" in (work / "questionnaire_wjx.txt").read_text(encoding="utf-8")
    assert (work / "regional_synergy.xlsx").stat().st_size > 0 and (work / "codebook.md").is_file()
    # the repository's own instruments are untouched
    assert not (ROOT / "instruments/regional_synergy/1.1.0.yaml").exists()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_researcher_tutorial_runs(tmp_path):
    res = run_tutorial(DOCS / "tutorial-researchers.md", tmp_path)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-3000:]
    out = tmp_path / "my-project" / "report"
    assert (out / "report.html").is_file() and (out / "report.docx").is_file()
    shown = re.search(r"report/tables:\n(.*?)\n", (DOCS / "tutorial-researchers.md").read_text(encoding="utf-8"))
    assert sorted(shown[1].split()) == sorted(p.name for p in (out / "tables").iterdir())
    assert {p.name for p in (out / "figures").iterdir()} == {
        "likert_regional_synergy.png", "likert_regional_synergy.svg",
        "means_by_region.png", "means_by_region.svg"}
    assert "275 kept" in res.stdout + res.stderr
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Reliability of regional synergy" in html and "Welch" in html
    process = tmp_path / "my-project" / "report-process"        # section 7: PROCESS models
    assert sorted(p.name for p in (process / "tables").iterdir()) == [
        "01_moderation_model.csv", "02_moderation_slopes.csv", "03_mediation_paths.csv",
        "04_mediation_effects.csv"]
    html = (process / "report.html").read_text(encoding="utf-8")
    assert "Simple slopes: conditional effects" in html and "Indirect effect (" in html
    assert (process / "figures" / "interaction.png").is_file()


def test_tutorial_images_exist():
    for doc in ("tutorial-researchers.md", "tutorial-designers.md"):
        for img in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", (DOCS / doc).read_text(encoding="utf-8")):
            assert (DOCS / img).is_file(), img
    assert sum(p.stat().st_size for p in (DOCS / "img").glob("*.png")) < 600_000
