"""``read_responses``: one survey export → an audited :class:`Responses`.

Steps (each its own module): read the file (:mod:`.readers`), map columns to items
(:mod:`.mapping`), code cells into values and missing reasons (:mod:`.coding`; every
mapped column into one block of values by :mod:`.code_items`),
apply skip conditions, parse metadata, pseudonymise ids (:mod:`.privacy`), log issues.
The file itself is only ever read (its SHA-256 is recorded in ``sources``).
"""
from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._memory import plain_pages
from .._parallel import Job as _Job
from .._params import PATH, Boolean, Callables, ColumnName, InstanceOf, Names, Options, validate_params
from ..errors import DataWarning, ResponsesError, format_cases
from ..instrument.model import Instrument, combine
from .code_items import WRONG_COLUMN_SHARE, _code_items, _CodedItems, _InvalidCells, _item_frames
from .coding import EMPTY, PROBLEMS, SKIPPED
from .mapping import load_mapping, map_columns
from .meta import build_meta, parse_times
from .model import Responses, SourceFile, empty_issues
from .model import issue_frame as _issue_frame
from .multi import complete_multi, derive_columns
from .privacy import factorize_ids, pseudonymise_ids, resolve_key
from .readers import SOURCES, open_source

__all__ = ["read_responses", "resolve_instrument", "WRONG_COLUMN_SHARE"]

#: From this many rows the item columns are coded on two threads (numpy releases the GIL
#: in the lookups); results are taken in item order, so the output is the same.
THREADED_ROWS = 200_000


def resolve_instrument(instrument: Any, version: Any = None) -> Instrument:
    """An :class:`Instrument` from an object, an id, ``"id1,id2"`` or a list of ids.

    ``version`` is one version for a single id, or a mapping ``{id: version}``.
    Several ids are joined with :func:`~surveykit.instrument.model.combine` in the order given.
    """
    if isinstance(instrument, Instrument):
        return instrument
    if isinstance(instrument, str):
        ids = [s.strip() for s in instrument.split(",") if s.strip()]
    elif isinstance(instrument, Iterable):
        parts = list(instrument)
        if parts and all(isinstance(p, Instrument) for p in parts):
            return parts[0] if len(parts) == 1 else combine(parts)
        ids = [str(p) for p in parts]
    else:
        raise ResponsesError(f"read_responses: instrument must be an Instrument, an id or a list "
                             f"of ids. Got {type(instrument).__name__} instead.")
    if not ids:
        raise ResponsesError("read_responses: no instrument given.")
    from ..instrument.load import load_instrument  # noqa: PLC0415 (lazy: optional stage)

    loaded = []
    for i in ids:
        v = version.get(i) if isinstance(version, Mapping) else (version if len(ids) == 1 else None)
        if version is not None and not isinstance(version, Mapping) and len(ids) > 1:
            raise ResponsesError("read_responses: with several instruments give version as a "
                                 "mapping {instrument id: version}.")
        loaded.append(load_instrument(i, version=v) if v is not None else load_instrument(i))
    return loaded[0] if len(loaded) == 1 else combine(loaded)


@validate_params({
    "path": [PATH], "source": [Options(SOURCES)], "encoding": [InstanceOf(str, "an encoding name"), None],
    "keep": [Names(single=True)], "id_column": [ColumnName(), None], "pseudonymise": [Boolean()],
    "key": [InstanceOf((str, bytes), "a key (str or bytes)", show_type=True), None],
    "wave": [InstanceOf(str, "a wave label (a string)"), None], "progress": [Callables(), None],
})
@plain_pages()        # large fresh blocks as ordinary pages (see surveykit._memory)
def read_responses(path: str | Path, instrument: Any, *, source: str = "auto",
                   version: Any = None, mapping: Any = None, encoding: str | None = None,
                   keep: Iterable[str] = (), id_column: str | None = None,
                   pseudonymise: bool = True, key: str | bytes | None = None,
                   wave: str | None = None,
                   progress: Callable[[str], None] | None = None) -> Responses:
    """Read a survey export and code it against an instrument.

    Parameters
    ----------
    path : str or Path
        CSV/TXT (UTF-8, UTF-8 BOM, GBK/GB18030 detected), XLSX/XLS, SPSS ``.sav``,
        Stata ``.dta``; Wenjuanxing code or text downloads and Qualtrics CSV exports
        are recognised by their headers.
    instrument : Instrument, str or list of str
        The questionnaire: an :class:`Instrument`, an instrument id, ``"id1,id2"`` or a
        list of ids (joined in the order given, as fielded).
    source : {"auto", "csv", "excel", "spss", "stata", "wjx", "qualtrics"}
    version : str or mapping, optional
        Instrument version(s) the file was fielded with (default: latest).
    mapping : path, dict or MappingSpec, optional
        Column overrides, absent items, recodes (see :mod:`surveykit.responses.mapping`).
    encoding : str, optional
        Text encoding of a CSV; default detects UTF-8 (±BOM) or GB18030 and decodes strictly.
    keep : iterable of str
        Personal-data columns to keep in ``meta`` (e.g. ``["ip"]``); dropped by default.
    id_column : str, optional
        The column holding respondent ids (default: 序号 / ResponseId / respondent / id).
    pseudonymise : bool
        Replace ids by keyed pseudonyms (SipHash-2-4 under a key derived from ``key``;
        see :mod:`surveykit.responses.privacy`; default). ``False`` keeps them as they are.
    key : str or bytes, optional
        Pseudonym key; default ``$SURVEYKIT_PSEUDONYM_KEY``, else a random per-run key (warned).
    wave : str, optional
        Wave label stored in ``meta["wave"]`` (used by :func:`pool_waves`).
    progress : callable, optional
        Called with a short step name as the import proceeds (the CLI shows it).

    Returns
    -------
    Responses

    Raises
    ------
    ResponsesError
        Unreadable file, unmappable columns, unknown answer texts, wrong columns — one
        message naming the file, columns/rows/items and the fix.

    Notes
    -----
    R equivalent: ``haven::read_sav(path, user_na = TRUE)`` (roughly: the coding against the
    instrument is done by hand in R).

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import example_study_path
    >>> study = ("respondent_profile,intergovernmental_trust,local_protectionism,"
    ...          "reward_punishment,regional_synergy")
    >>> r = sk.read_responses(example_study_path("wave1"), study,
    ...                       version={"local_protectionism": "1.0.0"}, key="k", wave="1")
    >>> r.n, r.sources[0].encoding
    (612, 'gb18030')
    >>> int((r.missing["PR06a"] == "skipped").sum()) == int((r.values["PR06"] == 2).sum())
    True
    """
    step = progress or (lambda s: None)
    p = Path(path)
    if not p.exists():
        raise ResponsesError(f"{str(p)!r} does not exist. Check the path.", file=str(p))
    if p.is_dir():
        raise ResponsesError(f"{str(p)!r} is a folder; give the export file inside it.", file=str(p))
    ins = resolve_instrument(instrument, version)
    keep = tuple(keep) if not isinstance(keep, str) else (keep,)
    table, spec, plan, frame, sha_job = _open_and_map(p, ins, source, encoding, mapping, keep,
                                                      id_column, step)
    n = len(frame)
    if n == 0:
        raise ResponsesError(f"{table.name} has a header row but no data rows (0 respondents). "
                             f"Export the responses again.", file=table.name)
    name = table.name
    source_row = np.arange(n, dtype=np.int64) + table.header_rows + 1

    # -- respondent keys -------------------------------------------------------------------
    step("pseudonymising")
    # keys (pseudonyms) on a second thread while the answers are coded; the issue rows that
    # name respondents are made once the keys are there (same rows, same order)
    pkey = resolve_key(key) if pseudonymise and plan.id_position is not None else None
    keys_job = _Job(_respondent_keys, frame, plan.id_position, source_row, name, pseudonymise,
                    pkey, wave, now=n < THREADED_ROWS)
    times_job = _Job(parse_times, frame, plan.meta, now=n < THREADED_ROWS)   # likewise

    # -- items ---------------------------------------------------------------------------
    step("coding answers")
    coded = _code_items(frame, table, plan, ins, spec, source_row,
                        threads=2 if n >= THREADED_ROWS else 1)
    resp_id, index, dup_issues = keys_job.result()
    issues: list[pd.DataFrame] = list(dup_issues) + _deferred_issues(coded.deferred, name,
                                                                      source_row, index)
    coded.deferred.clear()
    _warn_invalid(name, issues)

    complete_multi(ins, coded.values, coded.reasons)   # multi-select rows: 0s, nothing ticked
    # -- skip conditions -------------------------------------------------------------------
    step("checking skip logic")
    issues.extend(_apply_relevance(ins, coded.values, coded.reasons, coded.raw, name, source_row,
                                   index))

    # -- assemble ----------------------------------------------------------------------------
    idx = index.index()
    vals, miss, rawdf = _item_frames(coded, ins, idx)
    reader = _reader_name(table, coded)
    del coded
    step("metadata")
    meta, meta_issues = build_meta(frame, plan.meta, table.headers, name, source_row, index,
                                   resp_id, wave, ins, parsed=times_job.result())
    meta.index = idx
    issues.extend(meta_issues)
    src = SourceFile(path=str(p), sha256=sha_job.result(), reader=reader, encoding=table.encoding,
                     n_rows=n)
    iss = (pd.concat([i for i in issues if len(i)], ignore_index=True)
           if any(len(i) for i in issues) else empty_issues())
    # keys are unique by construction (rows, or pseudonyms with ~2 suffixes); raw ids kept
    # with pseudonymise=False could contain "~", so only then is uniqueness re-checked
    build = Responses if (plan.id_position is not None and not pseudonymise) else Responses.trusted
    del frame
    _release_arrow_memory()
    return build(values=vals, missing=miss, raw=rawdf, meta=meta, instrument=ins,
                 sources=(src,), mapping=plan.report, issues=iss)


# ------------------------------------------------------------------------------------
# the steps of read_responses
# ------------------------------------------------------------------------------------
def _open_and_map(p: Path, ins: Instrument, source: str, encoding: str | None, mapping: Any,
                  keep: tuple[str, ...], id_column: str | None, step: Callable[[str], None]
                  ) -> tuple[Any, Any, Any, pd.DataFrame, Any]:
    """Read the file, map its columns to items and parse the mapped columns.

    Returns the reader's table, the mapping spec, the column plan, the parsed columns
    (keyed by position) and the job computing the file's SHA-256 on a second thread.
    """
    step("reading")
    data = p.read_bytes()
    # the file's SHA-256 (recorded in sources) on a second thread while the file is parsed
    sha_job = _Job(_sha256, data, now=len(data) < BACKGROUND_BYTES)
    table = open_source(p, data, source, encoding)
    del data
    spec = load_mapping(mapping, ins)
    step("mapping columns")
    plan = map_columns(table, ins, spec, keep=keep, id_column=id_column)
    positions = sorted(set(plan.items.values()) | set(plan.meta.values()) | set(plan.splits.values())
                       | ({plan.id_position} if plan.id_position is not None else set()))
    step("parsing")
    frame = table.load(positions)
    table.load = None           # releases the file's bytes held by the reader
    if ins.multi_selects or any(it.is_specify for it in ins.items):
        derive_columns(frame, table, plan, ins, plan.splits)
    _release_arrow_memory()
    return table, spec, plan, frame, sha_job


def _reader_name(table: Any, coded: _CodedItems) -> str:
    """The reader as recorded in sources; a WJX file is a code or a text download by its cells."""
    reader = table.reader
    if table.kind == "wjx" and coded.choice_cells:
        reader = "wjx-text" if coded.labelled > coded.choice_cells / 2 else "wjx-code"
        reader += "-" + table.reader.split("-", 1)[1] if "-" in table.reader else ""
    return reader


def _deferred_issues(deferred: list[Any], name: str, source_row: np.ndarray,
                     keys: Any) -> list[pd.DataFrame]:
    """Import-log frames in item order: runs of invalid cells as one frame each, other
    entries (callables taking the keys) as they are."""
    out: list[pd.DataFrame] = []
    run: list[_InvalidCells] = []

    def flush() -> None:
        if run:
            pos = np.concatenate([c.pos for c in run])
            out.append(_issue_frame(name, source_row[pos], keys[pos],
                                    np.concatenate([c.item for c in run]),
                                    np.concatenate([c.raw for c in run]),
                                    np.concatenate([c.reason for c in run]),
                                    "set to missing (invalid); raw value kept"))
            run.clear()

    for entry in deferred:
        if isinstance(entry, _InvalidCells):
            run.append(entry)
        else:
            flush()
            out.append(entry(keys))
    flush()
    return out


#: From this many bytes the file's SHA-256 is computed on a second thread.
BACKGROUND_BYTES = 8 << 20


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()      # (hashlib releases the GIL on large data)


def _release_arrow_memory() -> None:
    """Hand memory Arrow's allocator kept after the parse back to the system.

    mimalloc/jemalloc keep freed pages for reuse by Arrow; after the table has been
    converted nothing else would reuse them (numpy allocates elsewhere), so on a large
    file they would only inflate the process (≈0.5 GB at 1M × 60)."""
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except Exception:  # pragma: no cover - older pyarrow
        pass


def _warn_invalid(name: str, issues: list[pd.DataFrame]) -> None:
    """One DataWarning summarising the values set to missing as invalid (all in ``issues``)."""
    bad = [i for i in issues if len(i)]
    allbad = pd.concat(bad, ignore_index=True) if bad else None
    if allbad is not None:
        allbad = allbad[allbad["reason"].isin(PROBLEMS[1:])]
    if allbad is None or not len(allbad):
        return
    parts = []
    for item, grp in allbad.groupby("item", sort=False):
        parts.append(f"{item} {len(grp)} ({format_cases(grp['source_row'].tolist(), grp['raw_value'].tolist(), 3)})")
    more = f"; … {len(parts) - 6} more items" if len(parts) > 6 else ""
    warnings.warn(
        f"{name}: {len(allbad)} value(s) are not valid answers and were set to missing "
        f"(reason 'invalid', raw value kept): {'; '.join(parts[:6])}{more}. See "
        f"responses.issues; fix the export or recode them in a mapping file.",
        DataWarning, stacklevel=3)


class _Keys:
    """Respondent keys (a str Series); ``keys[rows]`` gives an object array for log rows."""

    def __init__(self, s: pd.Series) -> None:
        self.series = s.reset_index(drop=True).astype("str")

    def __getitem__(self, rows: Any) -> np.ndarray:
        return self.series.iloc[rows].to_numpy(dtype=object)

    def index(self) -> pd.Index:
        return pd.Index(self.series.array, name="respondent")


def _respondent_keys(frame: pd.DataFrame, id_pos: int | None, source_row: np.ndarray,
                     name: str, pseudonymise: bool, key: Any, wave: str | None
                     ) -> tuple[pd.Series, "_Keys", list[pd.DataFrame]]:
    n = len(frame)
    if id_pos is None:
        rid = pd.Series(pd.array(np.full(n, np.nan), dtype="str"))
        keys = pd.Series(source_row).astype("str")
        prefix = f"{wave}:row" if wave else "row"
        return rid, _Keys(prefix + keys), []
    ids = frame[id_pos].reset_index(drop=True)
    codes, uniques = factorize_ids(ids)
    if pseudonymise:
        rid = pseudonymise_ids(ids, key, (codes, uniques))   # key: resolved by the caller
    else:
        rid = ids.astype("str").str.strip()
    missing_id = rid.isna().to_numpy()
    base = rid
    if missing_id.any():                  # keyed by their row ("row17"); only those rows
        at = np.flatnonzero(missing_id)
        base = _set_texts(rid, at, "row" + source_row[at].astype(str).astype(object))
    if wave:
        base = f"{wave}:" + base
    issues: list[pd.DataFrame] = []
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques)) if len(uniques) else np.zeros(0)
    repeated = (codes >= 0) & (counts[np.where(codes >= 0, codes, 0)] > 1) if len(uniques) \
        else np.zeros(n, dtype=bool)
    keys = _Keys(base)
    if repeated.any():                    # repeated ids: later rows get ~2, ~3 …
        at = np.flatnonzero(repeated)     # rows in file order: occurrence = cumcount
        occ = pd.Series(codes[at]).groupby(codes[at], sort=False).cumcount().to_numpy()
        later = at[occ > 0]
        suffix = (base.iloc[later].to_numpy(dtype=object) + "~"
                  + (occ[occ > 0] + 1).astype(str).astype(object))
        keys = _Keys(_set_texts(base, later, suffix))
        issues.append(_issue_frame(name, source_row[at], keys[at], None,
                                   rid.iloc[at].to_numpy(), "duplicate_respondent_id",
                                   "kept; later rows get a ~2, ~3 suffix on the key"))
    if missing_id.any():
        issues.append(_issue_frame(name, source_row[missing_id], keys[missing_id], None,
                                   np.full(int(missing_id.sum()), ""), "missing_respondent_id",
                                   "kept; keyed by its row"))
    return rid, keys, issues


def _set_texts(s: pd.Series, at: np.ndarray, texts: np.ndarray) -> pd.Series:
    """A str Series equal to ``s`` with the cells at positions ``at`` replaced by ``texts``
    (one vectorised replacement; ``s`` itself is not changed)."""
    out = s.reset_index(drop=True).astype("str").copy()
    out.iloc[at] = texts
    return out


def _apply_relevance(ins: Instrument, values: dict, reasons: dict, raw: dict, name: str,
                     source_row: np.ndarray, index: np.ndarray) -> list[pd.DataFrame]:
    conditional = [it for it in ins.items if it.relevant]
    if not conditional:
        return []
    from ..instrument.expressions import evaluate, parse

    used = {i for it in conditional for i in parse(it.relevant).items}
    frame = pd.DataFrame({k: v for k, v in values.items() if k in used}, copy=False)
    out = []
    for it in conditional:
        shown = evaluate(it.relevant, frame, unknown=None)  # values: missing codes already NaN
        hidden = (shown == False).fillna(False).to_numpy(dtype=bool)  # noqa: E712
        shown_true = (shown == True).fillna(False).to_numpy(dtype=bool)  # noqa: E712
        r = reasons[it.id]
        answered = hidden & (r != EMPTY) & (r != SKIPPED)
        if answered.any():
            rows = np.flatnonzero(answered)
            out.append(_issue_frame(name, source_row[rows], index[rows], it.id,
                                    raw[it.id].iloc[rows].astype(str).to_numpy(),
                                    "answered_when_not_relevant",
                                    f"set to missing (skipped): {it.relevant} is false; raw kept"))
        r = r.copy()
        r[hidden] = SKIPPED
        reasons[it.id] = r
        v = values[it.id]
        if isinstance(v, pd.Series):
            values[it.id] = v.where(~hidden)
        else:
            v[hidden] = np.nan      # a view into the values block
        marked = shown_true & (r == SKIPPED)
        if marked.any():
            rows = np.flatnonzero(marked)
            out.append(_issue_frame(name, source_row[rows], index[rows], it.id,
                                    raw[it.id].iloc[rows].astype(str).to_numpy(),
                                    "skipped_although_relevant",
                                    f"kept as skipped; {it.relevant} is true"))
    return out


