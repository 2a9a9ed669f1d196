"""Readers: turn a file of any supported kind into a :class:`RawTable`.

A reader only *reads*: header texts, question labels, value labels and the cells as
stored. Mapping columns to items (:mod:`..mapping`) and coding cells into values and
missing reasons (:mod:`..coding`) are separate steps, so every kind of file goes
through the same audited path. Readers load columns lazily (``RawTable.load``), so a
column that will be dropped — an IP address, say — is never even parsed.

Every reader returns the :class:`RawTable` of :mod:`.table` (re-exported here); this module
only picks the reader, imported on first use so pyarrow or openpyxl load only for their files.
"""
from __future__ import annotations

from pathlib import Path

from ...errors import ResponsesError, check_choice
from .table import RawTable

__all__ = ["RawTable", "SOURCES", "open_source"]

#: accepted values of ``read_responses(source=...)``
SOURCES = ("auto", "csv", "excel", "spss", "stata", "wjx", "qualtrics")


def _sniff(path: Path) -> str:
    ext = path.suffix.lower()
    if ext in (".sav", ".zsav", ".por"):
        return "spss"
    if ext == ".dta":
        return "stata"
    if ext in (".xlsx", ".xlsm", ".xls"):
        return "excel"
    if ext in (".csv", ".txt", ".tsv", ""):
        return "csv"
    raise ResponsesError(
        f"{path.name}: cannot tell the file kind from the extension {ext!r}. Name the kind: "
        f"source= in Python, --source on the command line (csv, excel, spss, stata, wjx or "
        f"qualtrics).", file=path.name)


#: what a file that is not text really is, from its first bytes
_MAGIC = ((b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"),
          (b"\xff\xd8\xff", "a JPEG image"), (b"$FL2", "an SPSS .sav file"),
          (b"$FL3", "an SPSS .zsav file"))


def _not_text(name: str, data: bytes) -> str | None:
    """A sentence saying what a file given as CSV really is (Office file, zip, PDF …)."""
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        import io
        import zipfile

        try:
            members = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            members = set()
        if "word/document.xml" in members:
            return f"{name} is a Word document (.docx), not a CSV text file. Export the " \
                   f"survey data as CSV or Excel and import that file."
        if "xl/workbook.xml" in members:
            return f"{name} is an Excel workbook (.xlsx) with a text-file name. Rename it to " \
                   f".xlsx, or name the kind: source='excel' (--source excel)."
        return f"{name} is a zip archive, not a CSV text file. Unpack it and import the export inside."
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return f"{name} is an old binary Office file (.xls or .doc), not a CSV text file. " \
               f"Give an .xls file the .xls extension (or name the kind: source='excel', --source excel)."
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return f"{name} is {what}, not a CSV text file. Import the survey export itself."
    return None


def open_source(path: Path, data: bytes, source: str, encoding: str | None) -> RawTable:
    """Open ``path`` (whose bytes are ``data``) with the reader for ``source``."""
    check_choice("read_responses", "source", source, SOURCES)
    from . import wjx

    base = _sniff(path) if source in ("auto", "wjx", "qualtrics") else source
    if base in ("spss", "stata"):
        from .spss import open_spss

        table = open_spss(path, base)
    elif base == "excel":
        from .excel import open_excel

        table = open_excel(path, data)
    else:
        from .csv import open_csv
        from .qualtrics import is_qualtrics, open_qualtrics

        wrong = _not_text(path.name, data)
        if wrong:
            raise ResponsesError(wrong, file=path.name)
        if source == "qualtrics" or (source == "auto" and is_qualtrics(data)):
            table = open_qualtrics(path, data, encoding)
        else:
            table = open_csv(path, data, encoding)
    if source == "wjx" or (source == "auto" and wjx.is_wjx(table.headers)):
        table.kind = "wjx"
        table.reader = f"wjx-{table.reader}"
    if source == "wjx" and not wjx.is_wjx(table.headers):
        raise ResponsesError(
            f"{table.name} does not look like a Wenjuanxing export: none of its columns is "
            f"headed 序号 / 提交答卷时间 / 所用时间. For other files name the kind csv or excel "
            f"(source= in Python, --source on the command line).",
            file=table.name)
    return table
