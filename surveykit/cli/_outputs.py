"""The files ``surveykit responses import --out`` writes, which ``clean`` and ``score`` read back.

``output_paths`` names them (data, missing reasons, mapping, issues) and ``write_outputs``
writes them. Shared by :mod:`.responses` (import) and :mod:`.responses_clean` (which
recognises an import output as its input); both import it from here.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .._files import atomic_path, to_csv

__all__ = ["output_paths", "write_outputs", "import_note", "write_json"]


def output_paths(out: Path) -> dict[str, Path]:
    """Files written for ``--out data.parquet``: data, missing reasons, mapping, issues."""
    suffix = out.suffix.lower()
    stem = out.with_suffix("")
    return {"data": out, "missing": Path(f"{stem}.missing{suffix}"),
            "mapping": Path(f"{stem}.mapping.csv"), "issues": Path(f"{stem}.issues.csv"),
            "note": Path(f"{stem}.import.json")}


def import_note(responses: Any, paths: dict[str, Path]) -> dict[str, Any]:
    """What ``<stem>.import.json`` records: the instrument (``id@version`` of every part) so
    ``clean`` and ``score`` need no ``--instrument``, the source file and the files written.
    No time stamp: a rerun writes the same bytes."""
    from .. import __version__

    src = responses.sources[0] if responses.sources else None
    return {"surveykit": __version__, "instrument": list(responses.instrument.refs),
            "source": ({"file": Path(src.path).name, "sha256": src.sha256, "reader": src.reader,
                        "encoding": src.encoding} if src else None),
            "n_respondents": int(responses.n), "n_items": len(responses.items),
            "files": {k: p.name for k, p in paths.items() if k != "note"}}


def write_outputs(responses: Any, out: Path, *, formula_safe: bool = True) -> dict[str, Path]:
    """Write ``to_frame()``, the missing reasons, the mapping report and the issues log.

    CSV text cells that a spreadsheet would run as formulas (``=``, ``+``, ``-``, ``@``, tab,
    CR first) get a leading ``'`` unless ``formula_safe=False`` (``--raw-cells``); Parquet
    keeps every value as it is."""
    from ..errors import ParameterError

    suffix = out.suffix.lower()
    if suffix not in (".parquet", ".csv"):
        raise ParameterError(f"The 'out' parameter of responses import must end in .parquet or "
                             f".csv. Got {str(out)!r} instead.")
    paths = output_paths(out)
    data = responses.to_frame().reset_index()
    # missing reasons as they are stored (categoricals): the same text in a CSV, dictionary
    # columns in Parquet (converting a million rows × items to strings took 5 s)
    missing = responses.missing.reset_index()
    # each file under a temporary name, renamed when complete (never a truncated file)
    with atomic_path(paths["data"]) as tmp:
        if suffix == ".parquet":
            data.to_parquet(tmp, index=False)
        else:
            to_csv(data, tmp, formula_safe=formula_safe, index=False, encoding="utf-8")
    with atomic_path(paths["missing"]) as tmp:
        if suffix == ".parquet":
            missing.to_parquet(tmp, index=False)
        else:
            to_csv(missing, tmp, formula_safe=formula_safe, index=False, encoding="utf-8")
    with atomic_path(paths["mapping"]) as tmp:
        to_csv(responses.mapping, tmp, formula_safe=formula_safe, index=False, encoding="utf-8")
    with atomic_path(paths["issues"]) as tmp:
        to_csv(responses.issues, tmp, formula_safe=formula_safe, index=False, encoding="utf-8")
    write_json(paths["note"], import_note(responses, paths))
    return paths


def write_json(path: Path, doc: Any) -> None:
    """A small JSON sidecar (UTF-8, sorted keys, atomically)."""
    import json

    from .._files import write_text

    write_text(path, json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
