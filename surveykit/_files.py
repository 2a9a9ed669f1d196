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
"""
from __future__ import annotations

import errno
import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError

__all__ = ["atomic_path", "write_bytes", "write_text", "check_unpacked_size", "MAX_RATIO",
           "human_bytes"]

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
