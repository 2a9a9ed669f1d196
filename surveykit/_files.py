"""Files in and out: atomic writes for every output, a decompression guard for zip inputs.

Atomic writes
-------------
Every file surveykit writes (Parquet, CSV, report files, .qdpx, instrument files) is written
to a temporary name in the same folder and renamed onto its final name only when complete
(:func:`atomic_path`, :func:`write_bytes`, :func:`write_text`). A process killed mid-write
(SIGKILL, power cut before the rename) leaves at most a hidden ``.<name>.*.part`` file, never
a truncated file under the final name. An output path that cannot be written — a folder
where a file is meant, a file where a folder is meant, a read-only folder, a full disk —
raises one :class:`~surveykit.errors.OutputError` naming the path and the fix (the CLI
prints it, exit code 1) instead of a traceback.

Zip inputs (.xlsx, .qdpx)
-------------------------
:func:`check_unpacked_size` refuses an archive whose members unpack to more than a limit,
or that expand by more than :data:`MAX_RATIO` overall (a decompression bomb: 1 MB that
unpacks to 1 GB). Python's zipfile never returns more bytes than a member declares, so
the declared sizes bound what reading can cost.

Formula-safe tables
-------------------
A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read as a formula by Excel, LibreOffice and Google Sheets when a CSV is opened ("CSV
injection": ``=HYPERLINK(...)`` in an open answer becomes a live link). Every table the
package writes for people (report tables, ``responses import`` outputs, the mapping
report, the cleaning log and summary, code frequencies, crosswalks) goes through
:func:`formula_safe`, which prefixes such *text* cells with a single quote ``'`` as OWASP
advises. Numbers stay numbers: ``-0.5`` stored as a float is written ``-0.5``; the text
``"-0.5"`` is text and gets the quote (a spreadsheet would otherwise turn it into a
number or a formula). Each writer has a ``formula_safe=True`` parameter (CLI:
``--raw-cells``) to write the values untouched for programs that read the files back.
"""
from __future__ import annotations

import errno
import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import OutputError

__all__ = ["atomic_path", "write_bytes", "write_text", "make_dir", "check_unpacked_size", "MAX_RATIO",
           "human_bytes", "formula_safe", "to_csv", "FORMULA_PREFIXES"]

#: first characters that make a spreadsheet read a text cell as a formula (OWASP)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_RE = r"^[=+\-@\t\r]"


def _is_str(v: Any) -> bool:
    return isinstance(v, str)

#: largest overall expansion (uncompressed / compressed) accepted for a zip input, once
#: it unpacks to more than :data:`RATIO_FLOOR` (spreadsheet XML compresses ≈ 10–30×)
MAX_RATIO = 200
RATIO_FLOOR = 64 << 20


def _umask() -> int:
    old = os.umask(0o022)
    os.umask(old)
    return old


_MODE = 0o666 & ~_umask()


def human_bytes(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"  # pragma: no cover


def _output_error(p: Path, e: OSError) -> OutputError:
    code = getattr(e, "errno", None)
    if code == errno.ENOSPC or code == errno.EDQUOT:
        why = ("the disk is full. Free some space or choose another output folder; nothing "
               "was written under that name")
    elif code in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "permission denied (read-only folder or file?). Choose a folder you can write to"
    elif code == errno.EISDIR or p.is_dir():
        why = "it is a folder. Give a file name inside it"
    elif code in (errno.ENOTDIR, errno.EEXIST) or any(q.is_file() for q in p.parents):
        parent = next((q for q in p.parents if q.is_file()), p.parent)
        why = f"{parent} is a file, not a folder. Choose another output path"
    else:
        why = f"{e.strerror or type(e).__name__}. Choose another output path"
    return OutputError(f"Cannot write {p}: {why}.", path=str(p))


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path next to ``path``; renamed onto ``path`` when the block ends normally.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "out.csv") as tmp:
    ...     _ = tmp.write_text("a,b\\n")
    >>> sorted(p.name for p in d.iterdir())
    ['out.csv']
    """
    p = Path(path)
    if p.is_dir():
        raise _output_error(p, IsADirectoryError(errno.EISDIR, "is a folder"))
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".part", dir=p.parent)
        os.close(fd)
    except OSError as e:
        raise _output_error(p, e) from None
    t = Path(tmp)
    try:
        yield t
        os.chmod(t, _MODE)          # mkstemp makes 0600; an output gets the usual mode
        os.replace(t, p)
    except OSError as e:
        t.unlink(missing_ok=True)
        raise _output_error(p, e) from None
    except BaseException:
        t.unlink(missing_ok=True)
        raise


def make_dir(path: str | Path) -> Path:
    """Create the output folder ``path`` (and its parents); an unwritable place (a file on
    the way, read-only, full disk) is one :class:`~surveykit.errors.OutputError`.

    >>> import tempfile, pathlib
    >>> make_dir(pathlib.Path(tempfile.mkdtemp()) / "a" / "b").is_dir()
    True
    """
    p = Path(path)
    try:
        p.mkdir(parents=True, exist_ok=True)
    except FileExistsError:              # a file where the folder is meant
        raise OutputError(f"Cannot write {p}: {p} is a file, not a folder. Choose another "
                          f"output folder.", path=str(p)) from None
    except OSError as e:
        raise _output_error(p, e) from None
    return p


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see module docstring)."""
    p = Path(path)
    with atomic_path(p) as tmp:
        tmp.write_bytes(data)
    return p


def write_text(path: str | Path, text: str, *, encoding: str = "utf-8",
               newline: str | None = None) -> Path:
    """Write ``text`` to ``path`` atomically (see module docstring)."""
    p = Path(path)
    with atomic_path(p) as tmp:
        with open(tmp, "w", encoding=encoding, newline=newline) as f:
            f.write(text)
    return p


def check_unpacked_size(z: zipfile.ZipFile, name: str, limit: int, error: type[Exception],
                        what: str, fix: str) -> int:
    """Raise ``error`` when the members of ``z`` unpack to more than ``limit`` bytes or expand
    by more than :data:`MAX_RATIO`; returns the unpacked size."""
    total = sum(i.file_size for i in z.infolist())
    packed = sum(i.compress_size for i in z.infolist()) or 1
    ratio = total / packed
    if total > limit or (total > RATIO_FLOOR and ratio > MAX_RATIO):
        raise error(f"{name}: the {what} unpacks to {human_bytes(total)} ({ratio:,.0f}× its "
                    f"{human_bytes(packed)} packed), more than surveykit reads "
                    f"({human_bytes(limit)}, at most {MAX_RATIO}× expansion) — it may be a "
                    f"decompression bomb and was not read. {fix}")
    return total


def _is_text(s: Any) -> Any:
    """Boolean array: which cells of the Series ``s`` are ``str`` (not numbers or missing)."""
    import numpy as np
    import pandas as pd

    if isinstance(s.dtype, pd.StringDtype):
        return s.notna().to_numpy(dtype=bool)
    if s.dtype.kind in "SU":
        return np.ones(len(s), dtype=bool)
    return np.frompyfunc(_is_str, 1, 1)(s.to_numpy(dtype=object)).astype(bool)


def _safe_strings(values: Any) -> Any:
    """``values`` (a Series or Index) with formula-like *strings* prefixed by ``'``;
    numbers, missing values and other objects untouched (vectorised: ``.str`` on the text)."""
    import pandas as pd

    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = values.categories if isinstance(values, pd.Index) else values.cat.categories
        new = _safe_strings(cats)
        if new.equals(cats):
            return values
        if new.is_unique:
            if isinstance(values, pd.Index):
                return values.rename_categories(new)
            return values.cat.rename_categories(new)
        values = values.astype(object)
    kind = values.dtype.kind
    if kind not in "OSU" and not isinstance(values.dtype, pd.StringDtype):
        return values
    as_series = pd.Series(values, copy=False) if isinstance(values, pd.Index) else values
    is_text = pd.Series(_is_text(as_series), index=as_series.index)
    if not is_text.any():
        return values
    text = as_series.where(is_text, "").astype(str)
    hit = (text.str.contains(_FORMULA_RE, regex=True) & is_text).to_numpy(dtype=bool)
    if not hit.any():
        return values
    out = as_series.copy() if isinstance(values.dtype, pd.StringDtype) else as_series.astype(object)
    out[hit] = "'" + text[hit]
    return pd.Index(out, name=values.name) if isinstance(values, pd.Index) else out


def formula_safe(frame: Any, enabled: bool = True) -> Any:
    """A copy of ``frame`` whose text cells cannot run as spreadsheet formulas.

    Text (str) cells — and column names and row labels — beginning with ``=``, ``+``,
    ``-``, ``@``, tab or carriage return get a leading ``'`` (OWASP's advice against CSV
    injection); numbers, dates, booleans and missing values are untouched, so ``-0.5``
    stored as a number stays ``-0.5``. ``enabled=False`` returns ``frame`` itself (raw
    values for programs).

    >>> import pandas as pd
    >>> safe = formula_safe(pd.DataFrame({"a": ["=1+1", "ok", "-2+3"], "b": [-0.5, 1.0, 2.0]}))
    >>> safe["a"].tolist(), safe["b"].tolist()
    (["'=1+1", 'ok', "'-2+3"], [-0.5, 1.0, 2.0])
    """
    if not enabled:
        return frame
    import pandas as pd

    out = frame.copy()
    out.columns = _safe_strings(pd.Index(out.columns)) if out.columns.nlevels == 1 \
        else out.columns
    if out.index.nlevels == 1:
        out.index = _safe_strings(out.index)
    for j in range(out.shape[1]):
        col = out.iloc[:, j]
        new = _safe_strings(col)
        if new is not col:
            out.isetitem(j, new)
    return out


def _has_cr(frame: Any) -> bool:
    """Whether any text cell (or column name) of ``frame`` holds a carriage return."""
    parts = [frame.iloc[:, j] for j in range(frame.shape[1])
             if frame.dtypes.iloc[j].kind == "O"] + [frame.columns.to_series()]
    if frame.index.dtype.kind == "O":
        parts.append(frame.index.to_series())
    for s in parts:
        text = s[_is_text(s)].astype(str)
        if text.str.contains("\r", regex=False).any():
            return True
    return False


def to_csv(frame: Any, path: str | Path, *, formula_safe: bool = True, **kwargs: Any) -> None:
    """``frame.to_csv(path, **kwargs)`` through :func:`formula_safe` — the one CSV writer of
    every table surveykit writes for people.

    A text cell holding a carriage return is quoted too: Python's csv module (≤ 3.12)
    quotes only the characters of the line terminator, so ``"\\r=cmd"`` would otherwise
    start a new spreadsheet row that begins with ``=cmd``; such a file quotes every text
    cell (``csv.QUOTE_NONNUMERIC``), numbers stay bare.
    """
    import csv

    out = _formula_safe_frame(frame, formula_safe)
    if "quoting" not in kwargs and _has_cr(out):
        kwargs["quoting"] = csv.QUOTE_NONNUMERIC
    out.to_csv(path, **kwargs)


_formula_safe_frame = formula_safe
