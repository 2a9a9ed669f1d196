"""``manifest.json``: everything needed to reproduce a report, in one stable file.

The manifest records the instruments (id, version, hash, file), the SHA-256 of every
input file, the SHA-256 of every table and figure written, package versions, random
seeds, and the command line. The run timestamp lives in ONE field, ``created_at``; with
the same inputs, a rerun writes a manifest identical byte for byte except that field
(keys sorted, two-space indent, UTF-8, ``\\n`` line ends, paths relative to the working
directory when inside it, written with forward slashes). ``created_at`` honours
``SOURCE_DATE_EPOCH`` (the reproducible-builds convention), so even that field can be
pinned.

>>> m = build_manifest(inputs=[], instruments=[], seeds={"parallel_analysis": 42},
...                    command=["surveykit", "run", "analyses/x.py"])
>>> m["seeds"], m["status"], sorted(m)[:3]
({'parallel_analysis': 42}, 'complete', ['analyses', 'command_line', 'created_at'])
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import platform
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .._files import write_text

__all__ = ["build_manifest", "instrument_entries", "write_manifest", "sha256_file", "package_versions",
           "display_path", "run_timestamp", "TIMESTAMP_FIELD", "PACKAGES"]

#: The one field that differs between reruns with the same inputs.
TIMESTAMP_FIELD = "created_at"
#: Packages whose versions are recorded (those installed).
PACKAGES = ("surveykit", "numpy", "pandas", "scipy", "statsmodels", "scikit-learn",
            "pingouin", "factor_analyzer", "semopy", "krippendorff", "matplotlib", "seaborn",
            "jinja2", "python-docx", "openpyxl", "pyreadstat", "ruamel.yaml", "lxml")
MANIFEST_VERSION = 1


def sha256_file(path: str | os.PathLike[str], chunk: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def display_path(path: str | os.PathLike[str], base: str | os.PathLike[str] | None = None) -> str:
    """``path`` relative to ``base`` (default: the working directory) when inside it,
    else absolute; always with forward slashes."""
    p = Path(path).resolve()
    b = Path(base or os.getcwd()).resolve()
    try:
        return p.relative_to(b).as_posix()
    except ValueError:
        return p.as_posix()


def package_versions(names: Iterable[str] = PACKAGES) -> dict[str, str]:
    """Installed versions of ``names`` (missing packages are left out), plus Python."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for n in names:
        try:
            out[n] = version(n)
        except PackageNotFoundError:
            continue
    return out


def run_timestamp() -> str:
    """Now in UTC as ISO-8601 (``SOURCE_DATE_EPOCH`` wins when set)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        now = _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
    else:
        now = _dt.datetime.now(tz=_dt.timezone.utc)
    return now.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _instrument_entry(ins: Any) -> dict[str, Any]:
    if isinstance(ins, Mapping):
        return {k: ins[k] for k in sorted(ins)}
    path = getattr(ins, "path", None)
    digest = getattr(ins, "sha256", None)
    if digest is None and path and os.path.isfile(path):
        digest = sha256_file(path)  # no canonical hash recorded: hash the file's bytes
    entry = {
        "id": ins.id,
        "version": ins.version,
        "sha256": digest,
        "path": display_path(path) if path else None,
    }
    comps = list(getattr(ins, "components", ()) or ())
    if comps:
        entry["components"] = comps
    return entry


def instrument_entries(ins: Any) -> list[dict[str, Any]]:
    """Manifest entries of an instrument; a combined questionnaire (``combine``) without a
    hash of its own is listed as its components, each loaded by ``id@version`` to get its
    file and hash (left ``None`` when a component cannot be found)."""
    comps = list(getattr(ins, "components", ()) or ())
    if isinstance(ins, Mapping) or not comps or getattr(ins, "sha256", None) is not None:
        return [_instrument_entry(ins)]
    from ..instrument.load import load_instrument

    out = []
    for ref in comps:
        iid, _, ver = ref.partition("@")
        try:
            entry = _instrument_entry(load_instrument(iid, ver or None))
        except Exception:  # not loadable here: keep the reference without a hash
            entry = {"id": iid, "version": ver, "sha256": None, "path": None}
        entry["part_of"] = ins.id
        out.append(entry)
    return out


def build_manifest(*, inputs: Sequence[str | os.PathLike[str]] = (),
                   instruments: Sequence[Any] = (), seeds: Mapping[str, Any] | None = None,
                   command: Sequence[str] | None = None, lang: str | None = None,
                   outputs: Mapping[str, str] | None = None,
                   analyses: Sequence[Mapping[str, Any]] = (),
                   warnings: Sequence[str] = (),
                   stage_warnings: Sequence[Mapping[str, Any]] = (),
                   status: str = "complete", failed_stage: Mapping[str, Any] | None = None,
                   created_at: str | None = None, base: str | None = None) -> dict[str, Any]:
    """Assemble the manifest dictionary (see the module docstring for its fields).

    Parameters
    ----------
    inputs : paths of every input file read (hashed here; order kept, duplicates dropped).
    instruments : Instrument objects (or ready dicts) used.
    seeds : name -> seed of every random procedure.
    command : the command line (default ``sys.argv``).
    outputs : relative path -> SHA-256 of every table and figure written.
    analyses : provenance dicts of the results in the report.
    warnings : warnings raised during the run (``Category: message``).
    stage_warnings : the same, each with the ``stage`` (and its ``input``) that raised it
        (``stage`` None: raised outside any stage).
    status : ``"complete"`` or ``"failed"`` (then ``failed_stage`` says where).
    """
    seen: list[str] = []
    entries = []
    for p in inputs:
        shown = display_path(p, base)
        if shown in seen:
            continue
        seen.append(shown)
        entries.append({"path": shown, "sha256": sha256_file(p), "bytes": os.path.getsize(p)})
    ins_entries = []
    for ins in instruments:
        for e in instrument_entries(ins):
            if e not in ins_entries:
                ins_entries.append(e)
    m: dict[str, Any] = {
        "manifest_version": MANIFEST_VERSION,
        TIMESTAMP_FIELD: created_at or run_timestamp(),
        "status": status,
        "command_line": list(command if command is not None else sys.argv),
        "language": lang,
        "instruments": ins_entries,
        "inputs": entries,
        "seeds": {str(k): seeds[k] for k in sorted(seeds or {})},
        "packages": package_versions(),
        "platform": {"system": platform.system(), "machine": platform.machine()},
        "analyses": list(analyses),
        "warnings": list(warnings),
        "stage_warnings": [dict(e) for e in stage_warnings],
        "outputs": {k: outputs[k] for k in sorted(outputs or {})},
    }
    if failed_stage:
        m["failed_stage"] = dict(failed_stage)
    return m


def write_manifest(manifest: Mapping[str, Any], path: str | os.PathLike[str]) -> None:
    """Write ``manifest`` as stable JSON (sorted keys, indent 2, UTF-8, trailing newline)."""
    text = json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False, default=str)
    write_text(path, text + "\n", newline="\n")
