"""The files a report owns in its output folder, and removing what an earlier run left.

:data:`OUTPUT_FILES` and :data:`OUTPUT_DIRS` name them; :func:`clean_outputs` removes them
(and the tables and figures the previous manifest lists) before :mod:`.writer` writes a new
report. :mod:`.builder` re-exports all three.
"""
from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

__all__ = ["OUTPUT_FILES", "OUTPUT_DIRS", "clean_outputs"]

#: Files and folders a report writes (removed before each write).
OUTPUT_FILES = ("report.html", "report.docx", "report-INCOMPLETE.html",
                "report-INCOMPLETE.docx", "manifest.json", "FAILED.txt")
OUTPUT_DIRS = ("tables", "figures")


def clean_outputs(out: Path) -> None:
    """Remove what an earlier report left in ``out`` — and nothing else.

    Removed: the fixed report files (:data:`OUTPUT_FILES`), every table and figure the
    previous ``manifest.json`` lists, and ``tables/NN_*.csv`` (the report's own naming, for
    a run that stopped before its manifest). Other files, yours, stay; so do
    ``tables/``/``figures/`` when something else is left in them.
    """
    listed: list[str] = []
    manifest = out / "manifest.json"
    if manifest.is_file():
        try:
            listed = list(json.loads(manifest.read_text(encoding="utf-8")).get("outputs", {}))
        except (ValueError, AttributeError):
            listed = []
    for rel in listed:
        p = (out / rel).resolve()
        if p.parent.parent == out.resolve() and p.parent.name in OUTPUT_DIRS and p.is_file():
            p.unlink()
    for name in OUTPUT_FILES:
        p = out / name
        if p.is_file():
            p.unlink()
    tables = out / "tables"
    if tables.is_dir():
        for f in tables.glob("*.csv"):
            if re.fullmatch(r"\d{2,}_[0-9a-z_]+\.csv", f.name):
                f.unlink()
    for d in OUTPUT_DIRS:
        with contextlib.suppress(OSError):
            (out / d).rmdir()  # only when empty
