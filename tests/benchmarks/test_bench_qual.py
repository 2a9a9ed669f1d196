"""Opt-in benchmark of the qualitative tools (agreement, re-anchoring, .qdpx exchange).

Run::

    SURVEYKIT_BENCH=1 python -m pytest tests/benchmarks/test_bench_qual.py -q -s

A synthetic corpus (300 notes of 3,000 characters, 30 codes, 2 coders, ~9,000
segments). Anchors measured in the same run: the ``krippendorff`` package on the same
0/1 matrices (given to it ready-made, so it does less work than surveykit, which starts
from the segments), and for the .qdpx file lxml serialisation + zip of the
same XML alone. Figures go to docs/performance.md between the qualitative markers.
Nothing here asserts a time.
"""
from __future__ import annotations

import io
import os
import re
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.skipif(os.environ.get("SURVEYKIT_BENCH") != "1",
                                reason="benchmark: set SURVEYKIT_BENCH=1")

DOC = Path(__file__).resolve().parents[2] / "docs" / "performance.md"
BEGIN, END = "<!-- begin: qualitative -->", "<!-- end: qualitative -->"


def _best(f, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t0)
    return best


def _corpus(n_notes=300, length=3000, n_codes=30, n_seg=4500, seed=1):
    from surveykit.qual.codings import Codings
    from surveykit.qual.notes import Note, NoteSet

    rng = np.random.default_rng(seed)
    chars = np.array(list("合作信任壁垒考核补偿标准会议协同地方保护数据共享。，！？ abcdef"))
    notes = NoteSet([Note(id=f"n{i:03d}", text="".join(rng.choice(chars, length)),
                          meta={"case_id": f"c{i}", "region": "chengdu" if i % 2 else "chongqing"})
                     for i in range(n_notes)])
    rows = []
    for coder in ("a", "b"):
        nid = rng.integers(0, n_notes, n_seg)
        start = rng.integers(0, length - 60, n_seg)
        end = start + rng.integers(5, 60, n_seg)
        code = rng.integers(0, n_codes, n_seg)
        for i, s, e, c in zip(nid, start, end, code):
            rows.append({"note": f"n{i:03d}", "code": f"code{c:02d}", "coder": coder,
                         "start": int(s), "end": int(e)})
    f = pd.DataFrame(rows).sort_values(["note", "coder", "code", "start"])
    prev = f.groupby(["note", "coder", "code"])["end"].transform(lambda x: x.cummax().shift(1))
    f = f[~(f["start"] < prev)]
    f["quote"] = [notes[n].text[s:e] for n, s, e in zip(f["note"], f["start"], f["end"])]
    return notes, Codings.from_frame(f)


def _matrices(ci, ki, lo, hi, n_units, *, n_codes):
    """The per-unit 0/1 matrices (codes × coders × units) the anchor needs (not timed)."""
    diff = np.zeros((n_codes, 2, n_units + 1), dtype=np.int32)
    np.add.at(diff, (ci, ki, lo), 1)
    np.add.at(diff, (ci, ki, hi), -1)
    return (np.cumsum(diff, axis=-1)[..., :n_units] > 0).astype(float)


def test_bench_qual():
    import krippendorff

    import surveykit as sk
    from surveykit.instrument.model import LocalizedText
    from surveykit.qual.agreement import _unit_intervals
    from surveykit.qual.codebook import Code, Codebook
    from surveykit.qual.project import QdaProject

    notes, cod = _corpus()
    rows = []
    for level, unit in (("document", "sentence"), ("segment", "sentence"), ("segment", "character")):
        t_sk = _best(lambda level=level, unit=unit: sk.agreement(cod, notes, level=level, unit=unit))
        x = _matrices(*_unit_intervals(cod, notes, list(cod.codes), ["a", "b"], level, unit),
                      n_codes=len(cod.codes))
        t_k = _best(lambda x=x: [krippendorff.alpha(reliability_data=x[i], level_of_measurement="nominal",
                                                value_domain=[0.0, 1.0]) for i in range(len(x))],
                     repeat=1 if unit == "character" and level == "segment" else 3)
        rows.append((f"agreement, {level} level, unit {unit if level == 'segment' else 'note'} "
                     f"({x.shape[-1]:,} units × {x.shape[0]} codes)", t_sk,
                     t_k, "`krippendorff.alpha` per code on the ready 0/1 matrices"))
    t_anchor = _best(lambda: sk.check_codings(cod, notes), repeat=1)
    rows.append((f"check_codings, {len(cod):,} segments all in place", t_anchor, float("nan"), "—"))
    cb = Codebook(codes=tuple(Code(id=c, name=LocalizedText(en=c)) for c in cod.codes))
    proj = QdaProject.from_study(notes, cb, cod)
    import tempfile

    from surveykit.qual.qdpx import project_xml

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "b.qdpx"
        t_w = _best(lambda: sk.write_qdpx(proj, path, validate=False), repeat=1)

        def plain_zip():
            xml = project_xml(proj)
            with zipfile.ZipFile(io.BytesIO(), "w", compression=zipfile.ZIP_DEFLATED) as z:
                z.writestr("project.qde", xml)
                for s in proj.sources:
                    z.writestr(f"sources/{s.guid}.txt", s.text.encode("utf-8"))
        t_z = _best(plain_zip, repeat=1)
        rows.append((f"write_qdpx ({len(cod):,} codings, no schema validation)", t_w, t_z,
                     "lxml serialisation + zip of the same content"))
        t_r = _best(lambda: sk.read_qdpx(path), repeat=1)
        t_p = _best(lambda: __import__("lxml.etree").etree.fromstring(zipfile.ZipFile(path).read("project.qde")), repeat=1)
        rows.append(("read_qdpx (safe parse, checks, model)", t_r, t_p, "lxml parse of project.qde alone"))
    table = "\n".join(f"| {name} | {a:.3f} | {'' if b != b else f'{b:.3f}'} | {anchor} |" for name, a, b, anchor in rows)
    block = (f"{BEGIN}\n## Qualitative (agreement, anchoring, REFI-QDA)\n\n"
             f"Synthetic corpus: {len(notes)} notes × 3,000 characters, 30 codes, 2 coders, "
             f"{len(cod):,} segments. Best of 3 (1 for the file rows, the anchoring row and the character-level anchor); anchors in the same run.\n\n"
             f"| task | surveykit (s) | anchor (s) | anchor |\n|---|---|---|---|\n{table}\n{END}")
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), block.replace("\\", "\\\\"), text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")
    print(block)
