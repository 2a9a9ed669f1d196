"""`surveykit instrument ...` through the real console entry point (subprocess, no tracebacks)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BROKEN = REPO / "tests" / "instrument" / "broken"


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "surveykit", *args], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_validate_repository_instruments():
    res = run("instrument", "validate", "instruments/")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "7 instrument files valid (7 released, 0 drafts)" in res.stdout


def test_validate_all_broken_files_in_one_run():
    res = run("instrument", "validate", str(BROKEN))
    assert res.returncode == 1
    out = res.stdout + res.stderr
    assert "Traceback" not in out
    files = {p.name for p in BROKEN.glob("*.yaml")}
    reported = {name for name in files if f"{name}:" in out}
    assert reported == files, files - reported
    assert "problems in 24 of 24 files" in out


def test_user_mistakes_exit_1_without_traceback(tmp_path):
    for args in (("instrument", "show", "no_such_instrument"),
                 ("instrument", "export", "local_protectionism", "--to", "pdf"),
                 ("instrument", "diff", "local_protectionism", "1.0.0", "7.0.0"),
                 ("instrument", "new-version", "local_protectionism", "--root", str(tmp_path)),
                 ("instrument", "release", "local_protectionism", "1.1.0"),
                 ("instrument", "validate", str(tmp_path / "missing.yaml"))):
        res = run(*args)
        assert res.returncode == 1, (args, res.stdout, res.stderr)
        assert "Traceback" not in res.stdout + res.stderr, args


def test_changed_released_file_cli(tmp_path):
    root = tmp_path / "instruments"
    shutil.copytree(REPO / "instruments", root)
    f = root / "reward_punishment" / "1.0.0.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("问责", "问债", 1), encoding="utf-8")
    res = run("instrument", "validate", cwd=tmp_path)
    assert res.returncode == 1
    assert "instruments/reward_punishment/1.0.0.yaml:1:1: released version reward_punishment " \
           "1.0.0 has changed since it was released" in res.stdout
    assert "surveykit instrument new-version reward_punishment --minor" in res.stdout


@pytest.mark.parametrize("fmt, name", [("xlsform", "q.xlsx"), ("codebook", "q.md"),
                                       ("wjx", "q.txt")])
def test_export_study(tmp_path, fmt, name):
    res = run("instrument", "export", "study", "--to", fmt, "--out", str(tmp_path / name))
    assert res.returncode == 0, res.stdout + res.stderr
    assert (tmp_path / name).stat().st_size > 1000


@pytest.mark.parametrize("fmt, out, written", [
    ("codebook", "codebook", ["codebook.html", "codebook.md"]),
    ("codebook", "cb.html", ["cb.html", "cb.md"]),
    ("codebook-md", "codebook", ["codebook.md"]),
    ("codebook-html", "lp-1.1.0", ["lp-1.1.0.html"]),
    ("xlsform", "form", ["form.xlsx"]),
    ("wjx", "wjx", ["wjx-logic.txt", "wjx.txt"]),
])
def test_export_adds_the_extension_the_user_left_out(tmp_path, fmt, out, written):
    """`--out codebook` writes codebook.md and codebook.html, never a file without extension."""
    from surveykit.instrument.export import export_instrument

    paths = export_instrument("local_protectionism", fmt, out=tmp_path / out)
    assert sorted(p.name for p in paths) == [w for w in written if (tmp_path / w).exists()]
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(p.name for p in paths) and set(names) <= set(written)
    assert all(p.suffix for p in paths)


def test_export_cli_codebook_without_extension(tmp_path):
    res = run("instrument", "export", "local_protectionism", "--to", "codebook", "--out",
              str(tmp_path / "codebook"))
    assert res.returncode == 0, res.stdout + res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["codebook.html", "codebook.md"]
    assert "# " in (tmp_path / "codebook.md").read_text(encoding="utf-8")


def test_import_writes_a_draft_that_validates_and_never_overwrites(tmp_path):
    form = REPO / "tests" / "instrument" / "data" / "xlsform" / "UCL_Biomass_Plot_Form.xlsx"
    res = run("instrument", "import", str(form), "--root", str(tmp_path / "instruments"),
              "--version", "1.0.0")
    assert res.returncode == 0, res.stdout + res.stderr
    target = tmp_path / "instruments" / "ucl_biomass_plot_form" / "1.0.0.yaml"
    assert target.is_file()
    assert "wrote" in res.stdout and "note:" in res.stdout and "select_one_from_file" in res.stdout
    assert run("instrument", "validate", str(target)).returncode == 0
    again = run("instrument", "import", str(form), "--root", str(tmp_path / "instruments"),
                "--version", "1.0.0")
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert "exists; the draft was not written. Pass --force" in again.stdout + again.stderr
    forced = run("instrument", "import", str(form), "--root", str(tmp_path / "instruments"),
                 "--version", "1.0.0", "--force")
    assert forced.returncode == 0


def test_import_errors_are_one_message(tmp_path):
    bad = tmp_path / "form.xlsx"
    bad.write_bytes(b"not a zip")
    res = run("instrument", "import", str(bad), "--root", str(tmp_path))
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "not an .xlsx workbook" in res.stdout + res.stderr


def test_draft_from_an_export_writes_a_valid_instrument(tmp_path):
    from surveykit.datasets import example_study_path

    res = run("instrument", "draft", str(example_study_path("wave1")), "--id", "cadre_survey",
              "--root", str(tmp_path / "instruments"))
    assert res.returncode == 0, res.stdout + res.stderr
    target = tmp_path / "instruments" / "cadre_survey" / "0.1.0.yaml"
    assert "pass labels=" in res.stdout
    assert run("instrument", "validate", str(target)).returncode == 0


def test_show_folds_chinese_wording_instead_of_cropping():
    import os
    env = dict(os.environ, COLUMNS="80")
    res = subprocess.run([sys.executable, "-m", "surveykit", "instrument", "show", "regional_synergy",
                          "--lang", "zh"], cwd=REPO, capture_output=True, text=True,
                         encoding="utf-8", timeout=120, env=env)
    assert res.returncode == 0, res.stdout + res.stderr
    cells = "".join(line.split("│")[3].strip() for line in res.stdout.splitlines()
                    if line.count("│") == 7)
    assert "本单位愿意在更多领域与对方地区开展合作。" in cells
    assert "…" not in cells


def test_matrix_battery_through_show_export_and_import(tmp_path):
    src = REPO / "tests" / "instrument" / "valid_matrix.yaml"
    res = run("instrument", "show", str(src))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "matrix LPM (question 2): 请选择您对以下说法的同意程度。 — rows LP01, LP02, LP03, AC01" \
        in res.stdout
    for to, name in (("wjx", "b.txt"), ("xlsform", "b.xlsx")):
        res = run("instrument", "export", str(src), "--to", to, "-o", str(tmp_path / name),
                  cwd=tmp_path)
        assert res.returncode == 0, res.stdout + res.stderr
        res = run("instrument", "import", name, "--id", f"battery_{to}", cwd=tmp_path)
        assert res.returncode == 0, res.stdout + res.stderr
        assert "8 items, 2 matrices" in res.stdout
    text = (tmp_path / "b.txt").read_text(encoding="utf-8")
    assert "2. 请选择您对以下说法的同意程度。*[矩阵量表题]\n非常不同意 比较不同意 一般 比较同意 非常同意\n" in text
    draft = (tmp_path / "instruments" / "battery_xlsform" / "1.0.0.yaml").read_text(
        encoding="utf-8")
    assert "matrices:\n  - id: LPM\n    items: [LP01, LP02, LP03, AC01]" in draft
