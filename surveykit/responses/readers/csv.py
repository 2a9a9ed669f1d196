"""CSV reader: strict decoding, Python-parsed header row(s), pyarrow-parsed data."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ...errors import ResponsesError
from .table import RawTable
from .textfile import decode_bytes, header_records

__all__ = ["open_csv", "read_delimited"]


def _delimiter(first_line: bytes) -> str:
    counts = {d: first_line.count(d.encode()) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def arrow_to_frame(table: pa.Table, positions: list[int]) -> pd.DataFrame:
    """Arrow table → DataFrame with int column labels; dates/booleans kept as text.

    Converted with ``split_blocks`` and ``self_destruct`` so each column becomes its own
    block and Arrow memory is released while converting (no consolidation copy).
    """
    for i, f in enumerate(table.schema):
        t = f.type
        if pa.types.is_temporal(t) or pa.types.is_boolean(t) or pa.types.is_decimal(t) \
                or pa.types.is_null(t):
            table = table.set_column(i, f.name, pc.cast(table.column(i), pa.string()))
    df = table.to_pandas(split_blocks=True, self_destruct=True)
    del table
    df.columns = positions
    for c in df.columns:
        if df[c].dtype == object:           # mixed leftovers: text
            df[c] = df[c].astype("str")
    return df


#: cell texts Arrow turns into numbers that are not written numbers of an answer
_COERCED_TEXT = r"^\s*[+-]?(?:0[xX][0-9a-fA-F]+|[nN][aA][nN]|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?)\s*$"


_CELL_END = frozenset(b",\t;|\r\n")
_HEX_DIGITS = frozenset(b"0123456789abcdefABCDEF")
_PAD = frozenset(b' \t"')


def has_hex_cell(utf8: bytes, offset: int = 0, limit: int = 10_000) -> bool:
    """Whether the data part (from ``offset``) holds a cell that is a hex number as Arrow
    reads one (``0x3``, ``"0X1F"``, `` 0x3 ``: spaces and quotes around it, nothing else).

    Only the places where an ``x``/``X`` occurs are looked at (``bytes.find`` of one byte is
    a memchr pass: ≈ 10 ms per 150 MB, where a two-byte needle such as ``0x`` stops at every
    ``0`` of a numeric file and took 1.2 s); beyond ``limit`` occurrences the answer is yes
    (the columns are then re-checked).

    >>> has_hex_cell(b"a,b\n1,0x3\n", 4), has_hex_cell(b"a,b\n1,see 0x3 or xiaomi\n", 4)
    (True, False)
    """
    n = len(utf8)
    seen = 0
    zero = ord("0")
    for needle in (b"x", b"X"):
        x = utf8.find(needle, offset + 1)
        while x >= 0:
            seen += 1
            if seen > limit:
                return True
            i = x - 1                                  # where the "0x" starts
            if utf8[i] == zero:
                j = i - 1
                while j >= offset and utf8[j] in _PAD:
                    j -= 1
                k = x + 1
                if (j < offset or utf8[j] in _CELL_END) and k < n and utf8[k] in _HEX_DIGITS:
                    while k < n and utf8[k] in _HEX_DIGITS:
                        k += 1
                    while k < n and utf8[k] in _PAD:
                        k += 1
                    if k >= n or utf8[k] in _CELL_END:
                        return True
            x = utf8.find(needle, x + 1)
    return False


def _keep_number_texts(table: pa.Table, utf8: bytes, offset: int, parse: Callable) -> pa.Table:
    """Columns where Arrow read ``nan``, ``inf`` or a hex number (``0x3`` → 3) as a number are
    read again as text, so the coding step logs or refuses those cells (they are no answers)
    and the raw cell stays as written. Float columns are checked on their values; integer
    columns only when the file holds a cell that is a hex number (:func:`has_hex_cell`: a
    memchr pass for ``x``/``X``, ≈10 ms per 150 MB; an ``x`` elsewhere in the text — a
    name, a URL — no longer re-parses every integer column, which cost ≈ 3 s CPU on the
    1M-row benchmark)."""
    suspects = []
    has_hex = None
    for f in table.schema:
        col = table.column(f.name)
        if pa.types.is_floating(f.type):
            finite = pc.is_finite(col)
            if pc.any(pc.invert(finite.fill_null(True))).as_py():
                suspects.append(f.name)
        elif pa.types.is_integer(f.type):
            if has_hex is None:
                has_hex = has_hex_cell(utf8, offset)
            if has_hex:
                suspects.append(f.name)
    if not suspects:
        return table
    texts = parse(suspects, {c: pa.string() for c in suspects})
    for c in suspects:
        t = texts.column(c)
        if pc.any(pc.match_substring_regex(t, _COERCED_TEXT).fill_null(False)).as_py():
            table = table.set_column(table.schema.get_field_index(c), c, t)
    return table


def _ragged_rows(body: pa.Buffer, names: list[str], delimiter: str) -> list[int]:
    """1-based numbers (within the data part) of the rows whose cell count differs from the
    header's: a single-threaded re-parse that records each bad row's number only."""
    bad: list[int] = []

    def handler(row: Any) -> str:
        if row.number is not None and len(bad) < 1000:
            bad.append(int(row.number))
        return "skip"

    try:
        pacsv.read_csv(pa.BufferReader(body),
                       read_options=pacsv.ReadOptions(column_names=names, use_threads=False,
                                                      block_size=1 << 20),
                       parse_options=pacsv.ParseOptions(delimiter=delimiter,
                                                        newlines_in_values=True,
                                                        invalid_row_handler=handler),
                       convert_options=pacsv.ConvertOptions(include_columns=names[:1],
                                                            column_types={names[0]: pa.string()}))
    except pa.ArrowInvalid:
        pass
    return bad


def read_delimited(name: str, utf8: bytes, offset: int, n_cols: int, delimiter: str,
                   positions: list[int], header_rows: int) -> pd.DataFrame:
    """Parse the data part of a delimited file (vectorised, multi-threaded)."""
    names = [f"c{i}" for i in range(n_cols)]
    include = [names[p] for p in positions]
    body = pa.py_buffer(memoryview(utf8)[offset:])
    if not include:
        return pd.DataFrame(index=pd.RangeIndex(0))
    if body.size == 0 or not bytes(memoryview(utf8)[offset:offset + 4096]).strip():
        return pd.DataFrame({p: pd.Series([], dtype="str") for p in positions})

    def parse(columns: list[str], types: dict | None = None) -> pa.Table:
        return pacsv.read_csv(
            pa.BufferReader(body),
            # 1 MB blocks (Arrow's default) parse in parallel; a column whose later blocks do not
            # fit the type inferred first is re-inferred over the whole column by Arrow
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 20),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                include_columns=columns, column_types=types, null_values=[""],
                strings_can_be_null=True, quoted_strings_can_be_null=True, true_values=[],
                false_values=[], timestamp_parsers=[]))

    try:
        table = parse(include)
        table = _keep_number_texts(table, utf8, offset, parse)
    except pa.ArrowInvalid as e:
        msg = str(e)
        m = re.search(r"Expected (\d+) columns, got (\d+)", msg)
        if m:
            # the row is named by its number, never by its cells (they hold respondent ids)
            bad = _ragged_rows(body, names, delimiter)
            where = (f"row{'s' if len(bad) > 1 else ''} "
                     f"{', '.join(str(header_rows + b) for b in bad[:5])}"
                     f"{' …' if len(bad) > 5 else ''}" if bad else "a data row")
            raise ResponsesError(
                f"{name}: {where} {'has' if len(bad) <= 1 else 'have'} {m.group(2)} cells but "
                f"the header has {m.group(1)} columns. Check for an unquoted comma or a "
                f"cut-off line in the export.", file=name,
                rows=[header_rows + b for b in bad]) from None
        if "straddling object" in msg or "straddles" in msg:
            raise ResponsesError(
                f"{name}: a data row is longer than 1 MB, far more than an answer sheet holds — "
                f"usually a quote (\") that is never closed, so the rest of the file reads as "
                f"one cell. Check the quotes in the export, or export it again.",
                file=name) from None
        if "UTF8" in msg or "utf8" in msg.lower():
            raise ResponsesError(f"{name}: invalid text in the data ({msg}). Pass the file's encoding (encoding= / --encoding).",
                                 file=name) from None
        raise ResponsesError(f"{name}: cannot parse the data rows ({msg.splitlines()[0]}).",
                             file=name) from None
    return arrow_to_frame(table, positions)


def open_csv(path: Path, data: bytes, encoding: str | None, *, header_rows: int = 1,
             reader: str = "csv") -> RawTable:
    """Open a delimited text file with ``header_rows`` header rows (the first gives names)."""
    name = path.name
    dec = decode_bytes(data, name, encoding)
    utf8 = dec.utf8
    if utf8.find(b"\n") < 0 and utf8.find(b"\r") >= 0:
        # classic Mac line ends (CR only): the records end at CR (the file is not changed)
        utf8 = utf8.replace(b"\r", b"\n")
    first_nl = utf8.find(b"\n")
    delim = _delimiter(utf8[: first_nl if first_nl >= 0 else len(utf8)])
    rows, offset = header_records(utf8, header_rows, name)
    if delim != ",":
        import csv as _csv
        import io

        rows = list(_csv.reader(io.StringIO(utf8[:offset].decode("utf-8"), newline=""),
                                delimiter=delim))
    if not rows or not any(c.strip() for c in rows[0]):
        raise ResponsesError(f"{name} has no header row. The first row must name the columns.",
                             file=name)
    headers = [h.strip() for h in rows[0]]
    labels = [h.strip() for h in rows[1]] if header_rows > 1 and len(rows) > 1 else [""] * len(headers)
    labels = (labels + [""] * len(headers))[: len(headers)]
    n_cols = len(headers)

    def load(positions: list[int]) -> pd.DataFrame:
        return read_delimited(name, utf8, offset, n_cols, delim, positions, header_rows)

    return RawTable(path=str(path), name=name, reader=reader, encoding=dec.encoding,
                    headers=headers, labels=labels, header_rows=header_rows, n_rows=None,
                    load=load)
