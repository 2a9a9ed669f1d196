"""Hypothesis fuzz tests of the CSV and XLSX readers (#15): on any input, read_responses either
returns a Responses or raises a SurveykitError with a message — never another exception.

Bounded budget (together ≤ 20 s on a busy 2-core machine): derandomized (the same examples
every run, so CI is reproducible), no example database, a fixed number of examples.
"""
from __future__ import annotations

import io
import tempfile
import warnings
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from responses_helpers import HEADERS_ZH, ITEMS, WJX_META, make_mini  # noqa: E402

from surveykit.errors import SurveykitError  # noqa: E402
from surveykit.responses.model import Responses  # noqa: E402
from surveykit.responses.read import read_responses  # noqa: E402

MINI = make_mini()
def fuzz(n: int):
    return settings(max_examples=n, derandomize=True, database=None, deadline=None,
                    suppress_health_check=list(HealthCheck))

# cells that have broken readers before, and a few of every kind
TRICKY = ["", " ", "nan", "-nan", "NaN", "inf", "-inf", "0x3", "1e400", "３", "1.0", "5", "-99",
          "-98", "(跳过)", "(空)", "非常同意", "其他【请注明】〖x〗", '"', '""', "a,b", "\r", "\n",
          "\x00", "\ufeff", "=1+1", "１３８１２３４５６７８", "9" * 400, "\u202e", "🙂", "\\"]
cell = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12),
                 st.integers(-10**6, 10**6).map(str),
                 st.floats(allow_nan=True, allow_infinity=True).map(repr))
header_cell = st.one_of(st.sampled_from(HEADERS_ZH + WJX_META + [i.id for i in ITEMS]
                                        + ["", "respondent", "id", "Q1", "LP01"]),
                        st.text(max_size=10))


def _run(path: Path, **kw) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            r = read_responses(path, MINI, key="fuzz", **kw)
        except SurveykitError as e:
            assert str(e).strip(), f"{type(e).__name__} without a message"
            return
    assert isinstance(r, Responses)
    assert r.n == len(r.values) == len(r.missing) == len(r.meta)


_DIR = None


def _write(data: bytes, suffix: str) -> Path:
    """One file per suffix in one temporary folder, overwritten by every example."""
    global _DIR
    if _DIR is None:
        _DIR = tempfile.TemporaryDirectory(prefix="skfuzz")
    p = Path(_DIR.name) / f"fuzz{suffix}"
    p.write_bytes(data)
    return p


@st.composite
def csv_bytes(draw) -> bytes:
    header = draw(st.lists(header_cell, min_size=1, max_size=12))
    if draw(st.booleans()):
        header = WJX_META + HEADERS_ZH                       # a real header, hostile cells
    n_rows = draw(st.integers(0, 6))
    ragged = draw(st.booleans())
    rows = [draw(st.lists(cell, min_size=len(header) if not ragged else 0,
                          max_size=len(header) if not ragged else len(header) + 2))
            for _ in range(n_rows)]
    sep = draw(st.sampled_from([",", ",", "\t", ";"]))
    eol = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    quote = draw(st.booleans())
    buf = io.StringIO()
    for r in [header, *rows]:
        cells = [f'"{c.replace(chr(34), chr(34) * 2)}"' if quote else c for c in r]
        buf.write(sep.join(cells) + eol)
    enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le",
                                "latin-1"]))
    text = buf.getvalue()
    data = text.encode(enc, errors="replace") if enc != "latin-1" else \
        text.encode("utf-8", errors="replace")
    cut = draw(st.one_of(st.none(), st.integers(0, max(len(data) - 1, 0))))
    return data if cut is None else data[:cut]


@fuzz(50)
@given(data=csv_bytes())
def test_csv_reader_never_raises_anything_but_a_surveykit_error(data):
    _run(_write(data, ".csv"), source="csv")


@fuzz(25)
@given(data=st.binary(max_size=300))
def test_csv_reader_on_random_bytes(data):
    _run(_write(data, ".csv"), source="auto")


@st.composite
def xlsx_bytes(draw) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    header = draw(st.lists(header_cell, min_size=1, max_size=8))
    if draw(st.booleans()):
        header = WJX_META + HEADERS_ZH
    value = st.one_of(cell, st.integers(-10**9, 10**9), st.none(), st.booleans(),
                      st.floats(allow_nan=False, allow_infinity=False),
                      st.sampled_from(["=1+1", "=A1", "=#REF!"]))
    for j, h in enumerate(header, start=1):
        ws.cell(1, j, value=_xl(h))
    for i in range(2, draw(st.integers(1, 6)) + 2):
        for j in range(1, len(header) + draw(st.integers(0, 2)) + 1):
            ws.cell(i, j, value=_xl(draw(value)))
    if draw(st.booleans()):
        wb.create_sheet("second")
    data = _stable(wb)
    mode = draw(st.sampled_from(["ok", "ok", "cut", "flip"]))
    if mode == "cut":
        data = data[:draw(st.integers(0, len(data) - 1))]
    elif mode == "flip":
        k = draw(st.integers(0, len(data) - 1))
        data = data[:k] + bytes([data[k] ^ 0xFF]) + data[k + 1:]
    return data


def _stable(wb) -> bytes:
    """The workbook's bytes without time stamps (zip member times, docProps/core.xml), so
    hypothesis replays an example byte for byte."""
    import zipfile

    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "docProps/core.xml":
                continue
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0)),
                         src.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _xl(v):
    """openpyxl refuses control characters in cells; the fuzz keeps everything else."""
    if isinstance(v, str):
        v = "".join(ch for ch in v if ch in "\t\n\r" or ord(ch) >= 32)
    return v


@fuzz(25)
@given(data=xlsx_bytes())
def test_xlsx_reader_never_raises_anything_but_a_surveykit_error(data):
    _run(_write(data, ".xlsx"), source="excel")
