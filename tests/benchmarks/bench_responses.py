"""Benchmark: import → clean (every rule) → score, 1,000,000 respondents × 60 items.

Opt-in (heavy; the machine is shared)::

    SURVEYKIT_BENCH=1 python -m pytest tests/benchmarks/bench_responses.py -q -s

(``python tests/benchmarks/bench_responses.py [n_rows]`` runs it without pytest.)
The CSV is generated once into ``tests/benchmarks/_data/`` (git-ignored). The anchor — a
bare ``pandas.read_csv(engine="pyarrow")`` of the same file — and the pipeline alternate,
``REPEATS`` times each (``SURVEYKIT_BENCH_REPEATS``), every step in a new Python process that
imports its libraries, then times its own work (wall and CPU) and reports its peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``). Figures go to the ``bench_responses``
section of docs/performance.md (targets: ≤ 3× the bare read in every run, ≤ 2 GB peak).
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"
DOC = HERE.parents[1] / "docs" / "performance.md"
N_ROWS = 1_000_000
N_SCALES, PER_SCALE = 9, 6                  # 54 scale items + AC01 + 5 profile items = 60
START, END = "<!-- bench_responses:start -->", "<!-- bench_responses:end -->"


# -- the instrument and the data ---------------------------------------------------------
def bench_instrument():
    """60 items: 9 six-item Likert subscales under 3 totals, an attention check, 5 profile items."""
    from surveykit.instrument.model import (
        Instrument,
        Item,
        LocalizedText,
        MissingCode,
        Option,
        ResponseScale,
        Scale,
    )

    T = LocalizedText
    agree = ResponseScale(
        id="agree5", type="ordinal",
        options=tuple(Option(v, T(en=f"{v}", zh=f"{v}")) for v in range(1, 6)),
        missing=(MissingCode(-99, "refused", T(en="refused", zh="拒答")),
                 MissingCode(-98, "dont_know", T(en="don't know", zh="不知道"))))
    years = ResponseScale(id="years", type="numeric", minimum=0, maximum=45)
    items = [Item(f"PR{k:02d}", T(en=f"profile {k}", zh=f"背景{k}"), years) for k in range(1, 6)]
    scales = []
    for s in range(N_SCALES):
        ids = tuple(f"S{s}_{k}" for k in range(1, PER_SCALE + 1))
        items += [Item(i, T(en=i, zh=i), agree, reverse=i.endswith("_6")) for i in ids]
        scales.append(Scale(f"sub{s}", T(en=f"sub{s}", zh=f"子{s}"), ids, min_valid=4,
                            parent=f"total{s // 3}"))
    for t in range(3):
        its = tuple(i for sc in scales[3 * t:3 * t + 3] for i in sc.items)
        scales.append(Scale(f"total{t}", T(en=f"total{t}", zh=f"总{t}"), its, min_valid=12))
    items.append(Item("AC01", T(en="choose 4", zh="请选4"), agree, attention_check=4))
    return Instrument(id="bench", version="1.0.0", languages=("zh", "en"),
                      title=T(en="bench", zh="基准"), items=tuple(items), scales=tuple(scales),
                      response_scales={"agree5": agree, "years": years})


def make_csv(path: Path, n: int, seed: int = 1) -> None:
    """Simulated export: factor-model answers with missing, -99/-98 codes, invalid values,
    straight-liners, duplicates and speeders (vectorised; written with pyarrow)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    eta = rng.standard_normal((n, N_SCALES)).astype(np.float32)
    cols: dict[str, object] = {
        "respondent": np.char.add("R", np.arange(n).astype(str)),
        "submitted_at": np.full(n, "2024-05-01 09:00:00"),
        "duration_s": rng.gamma(9.0, 60.0, n).round(0),
    }
    for k in range(1, 6):
        cols[f"PR{k:02d}"] = pa.array(rng.integers(0, 40, n), type=pa.int16())
    straight = rng.random(n) < 0.02
    for s in range(N_SCALES):
        for k in range(1, PER_SCALE + 1):
            z = 0.8 * eta[:, s] + rng.standard_normal(n, dtype=np.float32) * 0.6
            v = np.digitize(z, [-1.2, -0.4, 0.4, 1.2]).astype(np.int16) + 1
            if k == PER_SCALE:
                v = 6 - v
            v[straight] = 3
            u = rng.random(n)
            v[u < 0.004] = -99
            v[(u >= 0.004) & (u < 0.007)] = -98
            v[(u >= 0.007) & (u < 0.0072)] = 7              # out-of-range typo
            mask = (u >= 0.0072) & (u < 0.02)               # left empty
            cols[f"S{s}_{k}"] = pa.array(v, type=pa.int16(), mask=mask)
    ac = np.full(n, 4, dtype=np.int16)
    ac[rng.random(n) < 0.03] = 2
    cols["AC01"] = pa.array(ac, type=pa.int16())
    dur = cols["duration_s"]
    dur[rng.random(n) < 0.02] = 45.0                         # speeders
    table = pa.table(cols)
    dup = np.flatnonzero(rng.random(n) < 0.005)               # duplicate submissions
    table = pa.concat_tables([table.slice(0, n - len(dup)), table.take(dup)])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    pacsv.write_csv(table, tmp)
    tmp.replace(path)


# -- the measured steps (each runs in a child process) ------------------------------------
def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def child_bare(path: str) -> dict:
    import pandas as pd

    t, c = time.perf_counter(), time.process_time()
    df = pd.read_csv(path, engine="pyarrow")
    return {"read_s": time.perf_counter() - t, "read_cpu_s": time.process_time() - c,
            "rows": len(df)}


def child_pipeline(path: str) -> dict:
    import resource

    import surveykit as sk
    from surveykit.cleaning import (
        IRV,
        AttentionChecks,
        Duplicates,
        EvenOdd,
        InvalidValues,
        Longstring,
        Mahalanobis,
        PsychSyn,
        Speeders,
        TooMuchMissing,
    )

    ins = bench_instrument()
    t0, c0 = time.perf_counter(), time.process_time()
    r = sk.read_responses(path, ins, key="bench")
    t1, c1 = time.perf_counter(), time.process_time()
    peak_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_responses = _rss_mb()
    rules = [Duplicates(), Speeders(action="exclude"), Longstring(threshold=20), IRV(below=0.3),
             Mahalanobis(), EvenOdd(), PsychSyn(critval=0.4), AttentionChecks(),
             TooMuchMissing(), InvalidValues()]
    steps: dict[str, float] = {}
    last = [time.perf_counter(), None]

    def tick(label, i, n):
        now = time.perf_counter()
        if last[1] is not None:
            steps[last[1]] = now - last[0]
        last[:] = [now, label]

    res = sk.clean(r, rules, progress=tick)
    t2, c2 = time.perf_counter(), time.process_time()
    steps[last[1]] = t2 - last[0]
    peak_clean = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    del r
    scored = sk.score(res.kept)
    t3, c3 = time.perf_counter(), time.process_time()
    return {"import_s": t1 - t0, "clean_s": t2 - t1, "score_s": t3 - t2,
            "import_cpu_s": c1 - c0, "clean_cpu_s": c2 - c1, "score_cpu_s": c3 - c2,
            "peak_after_import_mb": peak_import, "rss_responses_mb": rss_responses,
            "peak_after_clean_mb": peak_clean,
            "rows_in": res.n_raw, "kept": res.n_kept, "excluded": res.n_excluded,
            "score_columns": int(scored.shape[1]), "clean_steps_s": steps,
            "one_line": res.one_line()}


def child_import(path: str) -> dict:
    """The import alone (for the file with an 'x' planted in a text cell)."""
    import surveykit as sk

    ins = bench_instrument()
    t, c = time.perf_counter(), time.process_time()
    r = sk.read_responses(path, ins, key="bench")
    return {"import_s": time.perf_counter() - t, "import_cpu_s": time.process_time() - c,
            "rows": r.n}


def with_x(path: Path) -> Path:
    """A copy of the CSV whose first respondent id holds an 'x' (a text cell): before the
    hex check looked at cells, any 'x' in a file re-parsed every integer column as text."""
    px = path.with_name(path.stem + "_x.csv")
    if not px.exists():
        data = path.read_bytes()
        i = data.index(b"R", data.index(b"\n") + 1)
        tmp = px.with_suffix(".tmp")
        tmp.write_bytes(data[:i + 1] + b"x" + data[i + 1:])
        tmp.replace(px)
    return px


def run_child(step: str, path: Path) -> dict:
    code = ("import json, resource, sys; sys.path.insert(0, %r); import bench_responses as b; "
            "out = b.child_%s(%r); "
            "out['peak_rss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024; "
            "print('RESULT' + json.dumps(out))") % (str(HERE), step, str(path))
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark step {step} failed:\n{proc.stderr[-4000:]}")
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT")][-1]
    out = json.loads(line[len("RESULT"):])
    out["wall_s"] = wall
    return out


def _work(pipe: dict) -> tuple[float, float]:
    return (pipe["import_s"] + pipe["clean_s"] + pipe["score_s"],
            pipe["import_cpu_s"] + pipe["clean_cpu_s"] + pipe["score_cpu_s"])


def write_doc(n: int, size_mb: float, runs: list[tuple[dict, dict]],
              x_run: dict | None = None) -> str:
    import statistics

    import pandas as pd

    import surveykit

    ratios = [_work(p)[0] / b["read_s"] for b, p in runs]
    # the run shown step by step: the one with the median wall ratio
    mid = sorted(range(len(runs)), key=lambda i: ratios[i])[len(runs) // 2]
    bare, pipe = runs[mid]
    work, work_cpu = _work(pipe)
    ratio, ratio_cpu = work / bare["read_s"], work_cpu / bare["read_cpu_s"]
    steps = ", ".join(f"{k} {v:.2f}" for k, v in pipe["clean_steps_s"].items())
    load = os.getloadavg()[0]
    peak = max(p["peak_rss_mb"] for _, p in runs)
    rows = "\n".join(
        f"| {i + 1} | {b['read_s']:.2f} / {b['read_cpu_s']:.2f} | {_work(p)[0]:.2f} / "
        f"{_work(p)[1]:.2f} | {p['import_s']:.2f} · {p['clean_s']:.2f} · {p['score_s']:.2f} | "
        f"{_work(p)[0] / b['read_s']:.2f}× | {_work(p)[1] / b['read_cpu_s']:.2f}× | "
        f"{p['peak_rss_mb']:.0f} |" for i, (b, p) in enumerate(runs))
    all_met = all(r <= 3 for r in ratios)
    body = f"""{START}
## Responses: import → clean → score (tests/benchmarks/bench_responses.py)

Run: `SURVEYKIT_BENCH=1 python -m pytest tests/benchmarks/bench_responses.py -q -s` (not
collected by the default test run; the 1M-row CSV is generated once into
`tests/benchmarks/_data/`, git-ignored; `SURVEYKIT_BENCH_REPEATS` sets the number of runs,
default 3).

{n:,} respondents × 60 items (54 Likert items in 9 subscales, 1 attention check, 5 profile
items; {size_mb:.0f} MB CSV, simulated with missing cells, -99/-98 codes, out-of-range
values, straight-liners, duplicates and speeders). The anchor (a bare
`pandas.read_csv(engine="pyarrow")` of the same file) and the pipeline alternate, each step
in its own new Python process ({len(runs)} runs of each); libraries are imported before the
clock starts in both. Peak RSS is the process's `ru_maxrss`; CPU = user + system time of the
process (all threads). Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())},
surveykit {surveykit.__version__}, pandas {pd.__version__}, Python
{platform.python_version()}, {os.cpu_count()} cores shared with other jobs (1-minute load
average {LOAD_START:.1f} at the start, {load:.1f} at the end).

| run | anchor wall / CPU (s) | pipeline wall / CPU (s) | import · clean · score (s) | wall ratio | CPU ratio | peak (MB) |
|---|---:|---:|---:|---:|---:|---:|
{rows}

Median wall ratio {statistics.median(ratios):.2f}× (range {min(ratios):.2f}–{max(ratios):.2f}×).
Targets: ≤ 3× the anchor — {'met in every run' if all_met else 'NOT met in every run'};
≤ 2 GB peak — {'met' if peak <= 2048 else 'NOT met'} (highest {peak:.0f} MB).

The median run step by step:

| step | wall (s) | CPU (s) | peak RSS (MB) |
|---|---:|---:|---:|
| anchor: `pandas.read_csv(engine="pyarrow")` | {bare['read_s']:.2f} | {bare['read_cpu_s']:.2f} | {bare['peak_rss_mb']:.0f} |
| `read_responses` (import) | {pipe['import_s']:.2f} | {pipe['import_cpu_s']:.2f} | {pipe['peak_after_import_mb']:.0f} |
| `clean` with all 10 rules | {pipe['clean_s']:.2f} | {pipe['clean_cpu_s']:.2f} | {pipe['peak_after_clean_mb']:.0f} |
| `score` (12 scales) | {pipe['score_s']:.2f} | {pipe['score_cpu_s']:.2f} | |
| **import → clean → score** | **{work:.2f}** ({ratio:.2f}× anchor) | **{work_cpu:.2f}** ({ratio_cpu:.2f}× anchor) | **{pipe['peak_rss_mb']:.0f}** |

The imported `Responses` held {pipe['rss_responses_mb']:.0f} MB of process memory after
the import. Per rule (wall, s): {steps}.
{_x_line(x_run, runs)}
Result: {pipe['one_line']}.
{END}"""
    return body


def _x_line(x_run: dict | None, runs: list[tuple[dict, dict]]) -> str:
    if not x_run:
        return ""
    imp = sorted(p["import_s"] for _, p in runs)
    cpu = sorted(p["import_cpu_s"] for _, p in runs)
    return (f"The same file with one `x` in a text cell (a respondent id), imported once after "
            f"the runs: {x_run['import_s']:.2f} s wall / {x_run['import_cpu_s']:.2f} s CPU, "
            f"against {imp[len(imp) // 2]:.2f} s / {cpu[len(cpu) // 2]:.2f} s (median import "
            f"above): the hex re-check now looks for a `0x` cell, not for any `x`.")


def update_doc(section: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else (
        "# Performance\n\nBenchmarks are opt-in (`SURVEYKIT_BENCH=1`); each section is written by "
        "its benchmark, next to an anchor measured in the same run.\n")
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


LOAD_START = 0.0
#: runs of the anchor and the pipeline (alternating) per benchmark run
REPEATS = 3


def main(n: int = N_ROWS) -> dict:
    global LOAD_START
    LOAD_START = os.getloadavg()[0]
    path = DATA / f"responses_{n}x60.csv"
    if not path.exists():
        make_csv(path, n)
    runs = []
    for _ in range(max(1, int(os.environ.get("SURVEYKIT_BENCH_REPEATS", REPEATS)))):
        runs.append((run_child("bare", path), run_child("pipeline", path)))
    x_run = run_child("import", with_x(path))
    section = write_doc(n, path.stat().st_size / 2**20, runs, x_run)
    if n == N_ROWS:
        update_doc(section)
    print(section)
    return {"runs": runs}


@pytest.mark.benchmark_opt_in
@pytest.mark.skipif(os.environ.get("SURVEYKIT_BENCH") != "1",
                    reason="heavy benchmark; run with SURVEYKIT_BENCH=1")
def test_bench_responses():
    out = main(int(os.environ.get("SURVEYKIT_BENCH_ROWS", N_ROWS)))
    for _, pipe in out["runs"]:
        assert pipe["rows_in"] == pipe["kept"] + pipe["excluded"]


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else N_ROWS)
