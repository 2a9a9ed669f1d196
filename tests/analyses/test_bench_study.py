"""Opt-in benchmark (``SURVEYKIT_BENCH=1``): wall time of the example study end to end.

Times the README command's work — ``surveykit run analyses/regional_synergy.py`` in a new
process — three times, and in the same run an anchor (a new Python process that only
imports the scientific stack the study needs), plus one in-process run with the time of
every stage. Writes the figures into the ``study`` block of docs/performance.md.
"""
from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = "analyses/regional_synergy.py"
DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- begin: study-cli -->", "<!-- end: study-cli -->"  # own block: the in-process
#: benchmark (tests/benchmarks/test_bench_study.py) writes "study"
ANCHOR = "import numpy, pandas, scipy.stats, matplotlib.pyplot, seaborn, docx, openpyxl"

pytestmark = pytest.mark.skipif(os.environ.get("SURVEYKIT_BENCH") != "1",
                                reason="benchmark: set SURVEYKIT_BENCH=1 to run it")


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + sys of the child) seconds of one command."""
    before = os.times()
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    after = os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def _stages(out: Path) -> list[tuple[str, float]]:
    import runpy

    from surveykit.report import Report
    from surveykit.report.builder import set_current

    ns = runpy.run_path(str(ROOT / SCRIPT), run_name="__bench__")
    report = Report(lang="zh")
    set_current(report)
    try:
        ns["main"](report)
        t0 = time.perf_counter()
        report.write(out)
        write = time.perf_counter() - t0
    finally:
        set_current(None)
    return [(s.name, s.seconds) for s in report.stages] + [("write report", write)]


def test_study_wall_time(tmp_path):
    load = os.getloadavg()
    anchor = min(_timed([sys.executable, "-c", ANCHOR])[0] for _ in range(3))
    runs = [_timed([sys.executable, "-m", "surveykit", "run", SCRIPT, "--out", str(tmp_path / "r"),
                    "--no-progress"]) for _ in range(3)]
    walls = [w for w, _ in runs]
    cpus = [c for _, c in runs]
    stages = _stages(tmp_path / "s")
    top = sorted(stages, key=lambda s: -s[1])[:4]
    cpu_model = next((line.split(":", 1)[1].strip() for line in
                      Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
                     platform.processor() or "unknown")
    block = f"""{BEGIN}
## The example study end to end (`surveykit run analyses/regional_synergy.py`)

What the README's first command runs after installing: read both simulated waves (918 rows),
pool, clean (8 rules), score 18 scales, reliability of each, KMO/Bartlett, parallel analysis
(100 resamples), EFA, a 14-factor CFA with CR/AVE/HTMT, invariance of 4 construct models
(3 levels each, FIML), 36 group comparisons, correlations, regression, 12 coded notes with
agreement, the joint display, a structural model, moderation and mediation; every table and
the 11 figures (PNG + SVG, Chinese labels) written as
report.html, report.docx, CSV and manifest.json. Each run is a new process (Python start-up
and imports included). Anchor in the same run: a new Python process that only imports the
stack the study uses (`{ANCHOR}`), best of 3. Measured by `tests/analyses/test_bench_study.py`
(`SURVEYKIT_BENCH=1`) on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC.

Machine: {os.cpu_count()} cores ({cpu_model}), Python {platform.python_version()}, shared with
other work (load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the start).

| task | wall (s) | CPU user+sys (s) | target |
|---|---|---|---|
| `surveykit run analyses/regional_synergy.py` (best of 3) | {min(walls):.1f} | {min(cpus):.1f} | ≤ 8 (#13) |
| … median of 3 | {statistics.median(walls):.1f} | {statistics.median(cpus):.1f} | |
| anchor: new process importing the scientific stack | {anchor:.1f} | | |

Slowest stages (one in-process run, seconds): {", ".join(f"{n} {s:.2f}" for n, s in top)}.
The figures' PNG + SVG are rendered by forked children while the analyses go on
(`surveykit/report/figure_jobs.py`), the second half of each `Report.each(parallel=True)`
(reliability, invariance, group comparisons) runs on the second core and report.docx is
written by a child while the tables are written; CPU user+sys counts the children too.
{END}"""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    kept = re.search(r"\nFresh clone.*?(?=\n" + re.escape(END) + ")", text, flags=re.S)
    if kept:  # the hand-measured fresh-clone paragraph (README command) is kept
        block = block.replace("\n" + END, "\n" + kept.group(0) + "\n" + END)
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")
    assert min(walls) > 0
