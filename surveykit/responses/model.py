"""The :class:`Responses` object: imported survey answers, aligned and audited.

A :class:`Responses` holds one wide table per aspect of the same respondents × items
grid, all sharing one index named ``respondent`` (pseudonymous strings):

``values``
    float64 per item (text items: ``string`` dtype), ``NaN`` for every missing cell.
    Columns are item ids in instrument order. This is what analyses use.
``missing``
    Why a cell is missing: ``""`` where a valid value is present, else one of
    :data:`MISSING_REASONS` (``skipped``, ``empty``, ``refused``, ``dont_know``,
    ``not_applicable``, ``invalid``). Stored as a categorical with exactly these
    categories, so ``responses.missing == "refused"`` works and stays small.
``raw``
    The cells as read from the file, before any coding (an out-of-range ``7`` or a
    text answer that is not an option stays visible here). A column the reader parsed
    as numbers keeps its numeric dtype; any other column holds the text. Internally
    (from :func:`read_responses`) this is a :class:`~surveykit.responses.rawstore.RawStore`
    holding only the cells whose raw number differs from ``values`` (missing codes,
    invalid values, skip-logic overrides) plus the text columns; ``raw`` rebuilds the
    full DataFrame exactly on first access (then kept), ``raw_rows(positions)`` a few
    rows without building the rest.
``meta``
    ``source_row`` (1-based row as the user sees it in the file, header rows counted),
    ``source_file``, ``wave``, ``instrument_version``, ``submitted_at``,
    ``duration_s``, ``respondent_id`` (pseudonymised, may repeat for duplicate
    submissions) and any metadata the user chose to keep.

plus the ``instrument`` the answers were coded with, the ``sources`` read
(:class:`SourceFile`), the column ``mapping`` report and the import ``issues`` log.

Example
-------
>>> import surveykit as sk                                     # doctest: +SKIP
>>> r = sk.read_responses("wave1.csv", "local_protectionism")   # doctest: +SKIP
>>> r.values["LP01"].mean(), (r.missing["LP01"] == "refused").sum()   # doctest: +SKIP
>>> df = r.to_frame()      # meta + values, what analyses take  # doctest: +SKIP
"""
from __future__ import annotations

import contextvars
import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._memory import plain_pages
from .._parallel import Job
from ..errors import ResponsesError
from ..instrument.model import Instrument
from .rawstore import RawStore

__all__ = [
    "Responses", "SourceFile", "MISSING_REASONS", "MISSING_DTYPE", "MAPPING_COLUMNS",
    "ISSUE_COLUMNS", "META_COLUMNS", "MAPPING_STATUSES", "empty_mapping", "empty_issues",
    "issue_frame",
]

#: Reasons a cell can be missing ("" = a valid value is present).
MISSING_REASONS: tuple[str, ...] = ("skipped", "empty", "refused", "dont_know",
                                    "not_applicable", "invalid")
#: dtype of :attr:`Responses.missing` columns.
MISSING_DTYPE = pd.CategoricalDtype(["", *MISSING_REASONS])
#: Columns of the mapping report (one row per column of the source file).
MAPPING_COLUMNS: tuple[str, ...] = ("source_file", "column", "status", "item", "method",
                                    "score", "note")
#: Statuses in the mapping report.
MAPPING_STATUSES: tuple[str, ...] = ("mapped", "meta", "ignored", "dropped", "unmapped",
                                     "ambiguous")
#: Columns of the import log (one row per problem found, cell- or file-level).
ISSUE_COLUMNS: tuple[str, ...] = ("source_file", "source_row", "respondent", "item",
                                  "raw_value", "reason", "action")
#: Metadata columns every Responses carries (others may follow).
META_COLUMNS: tuple[str, ...] = ("source_row", "source_file", "wave", "instrument_version",
                                 "submitted_at", "duration_s", "respondent_id")


@dataclass(frozen=True)
class SourceFile:
    """One file read: path, SHA-256 of its bytes, reader used, text encoding, data rows."""

    path: str
    sha256: str
    reader: str
    encoding: str | None
    n_rows: int


def empty_mapping() -> pd.DataFrame:
    """An empty mapping report with the standard columns."""
    return pd.DataFrame({c: pd.Series(dtype="float64" if c == "score" else "str")
                         for c in MAPPING_COLUMNS})


def empty_issues() -> pd.DataFrame:
    """An empty import log with the standard columns."""
    return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "source_row" else "str")
                         for c in ISSUE_COLUMNS})


def issue_frame(file: str, rows: np.ndarray, resp: np.ndarray, item: Any,
                 raw: Any, reason: Any, action: str) -> pd.DataFrame:
    """Import-log rows for the given source rows (``item`` and ``reason`` scalar or one
    per row)."""
    k = len(rows)
    return pd.DataFrame({
        "source_file": pd.Series([file] * k, dtype="str"),
        "source_row": pd.array(rows, dtype="Int64"),
        "respondent": pd.Series(resp, dtype="str"),
        "item": pd.Series(np.broadcast_to(np.asarray(item, dtype=object), (k,)), dtype="str"),
        "raw_value": pd.Series(raw, dtype="str"),
        "reason": pd.Series(np.broadcast_to(np.asarray(reason, dtype=object), (k,)), dtype="str"),
        "action": pd.Series([action] * k, dtype="str"),
    })[list(ISSUE_COLUMNS)]


def cells_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as text; integer-valued float columns without a trailing ``.0``."""
    out = {}
    for c in frame.columns:
        col = frame[c]
        if pd.api.types.is_float_dtype(col.dtype):
            x = col.to_numpy(dtype="float64", na_value=np.nan)
            if (np.isnan(x) | (np.mod(np.nan_to_num(x), 1) == 0)).all():
                col = col.astype("Int64")
        out[c] = col.astype("str")
    return pd.DataFrame(out, index=frame.index)


#: set while building a Responses whose respondent keys are unique by construction
_TRUSTED_KEYS: contextvars.ContextVar[bool] = contextvars.ContextVar("trusted_keys", default=False)


@dataclass(frozen=True)
class Responses:
    """Imported survey answers: values, missing reasons, raw cells, metadata and audit.

    Build one with :func:`surveykit.read_responses` or :func:`surveykit.pool_waves`;
    the constructor checks that ``values``, ``missing``, ``raw`` and ``meta`` share
    one index (named ``respondent``) and that the three item frames share columns.

    Attributes
    ----------
    values, missing, raw, meta : pandas.DataFrame
        See the module docstring.
    instrument : Instrument
        The (possibly combined) instrument the answers were coded with.
    sources : tuple of SourceFile
    mapping : pandas.DataFrame
        Columns :data:`MAPPING_COLUMNS`; one row per source column.
    issues : pandas.DataFrame
        Columns :data:`ISSUE_COLUMNS`; one row per problem found on import.

    Examples
    --------
    >>> r = sk.read_responses("wave1.csv", "local_protectionism")  # doctest: +SKIP
    >>> r.n, r.values.shape                                       # doctest: +SKIP
    >>> kept = r.with_rows(r.meta["duration_s"] > 60)             # doctest: +SKIP
    """

    values: pd.DataFrame
    missing: pd.DataFrame
    raw: pd.DataFrame
    meta: pd.DataFrame
    instrument: Instrument
    sources: tuple[SourceFile, ...] = ()
    mapping: pd.DataFrame = field(default_factory=empty_mapping)
    issues: pd.DataFrame = field(default_factory=empty_issues)

    def __post_init__(self) -> None:
        idx = self.values.index
        for name in ("missing", "raw", "meta"):
            other = (self._raw_obj() if name == "raw" else getattr(self, name)).index
            if not (other is idx or other.equals(idx)):
                raise ResponsesError(
                    f"Responses: the {name} table is not aligned with values (different "
                    f"respondents or order). Build it with read_responses or with_rows.")
        for name in ("missing", "raw"):
            cols = (self._raw_obj() if name == "raw" else getattr(self, name)).columns
            if not cols.equals(self.values.columns):
                raise ResponsesError(
                    f"Responses: the {name} table has other item columns than values.")
        if not _TRUSTED_KEYS.get() and not idx.is_unique:
            dup = idx[idx.duplicated()].unique()[:5].tolist()
            raise ResponsesError(
                f"Responses: respondent index has duplicates ({', '.join(map(str, dup))}). "
                f"Each row must have its own respondent key.")
        object.__setattr__(self, "sources", tuple(self.sources))

    @classmethod
    def trusted(cls, **fields: Any) -> "Responses":
        """Build without re-checking key uniqueness (for keys unique by construction, e.g.
        a subset of an existing Responses); alignment is still checked."""
        token = _TRUSTED_KEYS.set(True)
        try:
            return cls(**fields)
        finally:
            _TRUSTED_KEYS.reset(token)

    # -- shape ----------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of respondents (rows)."""
        return len(self.values)

    @property
    def items(self) -> tuple[str, ...]:
        """Item ids (columns of ``values``), in instrument order."""
        return tuple(self.values.columns)

    @property
    def index(self) -> pd.Index:
        """The respondent index shared by every table."""
        return self.values.index

    @property
    def not_pooled(self) -> tuple[str, ...]:
        """Items not answered comparably in every pooled wave (sorted ids).

        The items :func:`~surveykit.pool_waves` logged as ``not_comparable`` (changed
        between versions without a crosswalk) or ``added_item`` (asked in some waves
        only): leave them out of analyses of the pooled sample (EFA, CFA). Empty for a
        single wave.

        >>> pooled = sk.pool_waves([wave1, wave2]); pooled.not_pooled   # doctest: +SKIP
        ('LP07',)
        """
        rows = self.issues["reason"].isin(["not_comparable", "added_item"])
        return tuple(sorted(set(self.issues.loc[rows, "item"].dropna().astype(str))))

    # -- views ----------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """Metadata and values side by side (one row per respondent): what analyses take.

        >>> df = r.to_frame(); df[["wave", "LP01"]].head()      # doctest: +SKIP
        """
        return pd.concat([self.meta, self.values], axis=1)

    def raw_text(self) -> pd.DataFrame:
        """``raw`` with every cell as text (numbers read as numbers shown without ``.0``).

        ``raw`` keeps a column the reader parsed as numbers numeric (no string copy of a
        million-row file); this gives the all-text view, e.g. for an audit export.
        """
        return cells_as_text(self.raw)

    def missing_counts(self) -> pd.DataFrame:
        """Counts of each missing reason per item (items × reasons, integers)."""
        out = {}
        if _all_coded(self.missing):          # counted on the int8 codes (no string compares)
            codes = self.missing_codes()
            cats = list(MISSING_DTYPE.categories)
            for reason in MISSING_REASONS:
                out[reason] = np.count_nonzero(codes == cats.index(reason), axis=1)
            return pd.DataFrame(out, index=self.values.columns).rename_axis("item")
        for reason in MISSING_REASONS:
            out[reason] = (self.missing == reason).sum(axis=0)
        return pd.DataFrame(out, index=self.values.columns).rename_axis("item")

    # -- derive -----------------------------------------------------------------------
    def with_rows(self, rows: Any) -> "Responses":
        """A Responses restricted to ``rows``, every table kept aligned.

        ``rows`` is a boolean mask (Series aligned on the index, or array) or a list /
        Index of respondent keys. Import issues about other respondents are dropped;
        file-level issues (no respondent) are kept.
        """
        idx = self.values.index
        if isinstance(rows, pd.Series) and rows.dtype == bool:
            mask = rows.reindex(idx, fill_value=False).to_numpy()
            pos = np.flatnonzero(mask)
        elif isinstance(rows, np.ndarray) and rows.dtype == bool:
            if len(rows) != len(idx):
                raise ResponsesError(
                    f"with_rows: the boolean mask has {len(rows)} entries for {len(idx)} rows.")
            pos = np.flatnonzero(rows)
        else:
            keep = pd.Index(rows)
            if not keep.is_unique:
                raise ResponsesError("with_rows: the respondent keys given repeat; give each once.")
            unknown = keep.difference(idx)
            if len(unknown):
                raise ResponsesError(
                    f"with_rows: {len(unknown)} respondent key(s) are not in these responses "
                    f"({', '.join(map(str, unknown[:5]))}).")
            pos = idx.get_indexer(keep)
        return self._take(np.asarray(pos, dtype=np.int64))

    def _split(self, mask: np.ndarray, missing_codes: np.ndarray | None = None
               ) -> tuple["Responses", "Responses"]:
        """``(with_rows(mask), with_rows(~mask))`` sharing the work both need.

        ``missing_codes`` may pass :meth:`missing_codes` when the caller already has it."""
        mask = np.asarray(mask, dtype=bool)
        shared: dict[str, Any] = {}
        if missing_codes is not None and _all_coded(self.missing):
            shared["missing_codes"] = missing_codes
        with plain_pages():
            return (self._take(np.flatnonzero(mask), shared),
                    self._take(np.flatnonzero(~mask), shared))

    def _take(self, pos: np.ndarray, shared: dict[str, Any] | None = None) -> "Responses":
        """Rows at positions ``pos`` (distinct), positional takes on every table.

        ``shared`` carries what a second take of the same Responses can reuse (the
        missing-code matrix, the issues' row positions)."""
        shared = {} if shared is None else shared
        iss = self.issues
        if len(iss):
            resp = iss["respondent"]
            if "issue_at" not in shared:
                # positions of the issues' respondents in the full index, then a boolean
                # lookup per issue
                shared["issue_at"] = self._issue_positions(resp)
            chosen = np.zeros(self.n + 1, dtype=bool)
            chosen[pos] = True
            iss = iss[resp.isna().to_numpy() | chosen[shared["issue_at"]]].reset_index(drop=True)
        # positional take: .loc with 1M string labels re-hashes them for every table
        values = _take_values(self.values, pos)
        new_idx = values.index
        if "missing_codes" not in shared:
            shared["missing_codes"] = (self.missing_codes() if _all_coded(self.missing)
                                       else None)
        missing = _take_missing(self.missing, pos, new_idx, shared["missing_codes"])
        meta = self.meta.iloc[pos].set_axis(new_idx)
        raw = self._raw_obj()
        if isinstance(raw, RawStore):
            raw = raw.take(pos, values if raw.base is self.values else raw.base.iloc[pos]
                           .set_axis(new_idx))
        else:
            raw = raw.iloc[pos].set_axis(new_idx)
        # a subset of unique keys is unique: no need to hash them again
        return type(self).trusted(**{**self._fields(), "values": values, "missing": missing,
                                     "raw": raw, "meta": meta, "issues": iss})

    def _issue_positions(self, resp: pd.Series) -> np.ndarray:
        """Row position of each issue's respondent (−1 for file-level issues).

        From one source file, an issue's ``source_row`` gives its row directly (an integer
        lookup; no hashing of a million keys); every match is confirmed on the respondent
        key (keys are unique), and if any is not, the keys are looked up in the index."""
        idx = self.values.index
        iss, meta = self.issues, self.meta
        try:
            if len(self.sources) == 1 and "source_row" in meta:
                rows = meta["source_row"].to_numpy(dtype=np.int64, na_value=-1)
                irow = iss["source_row"].to_numpy(dtype=np.int64, na_value=-1)
                if len(rows) and rows.min() >= 0:
                    lookup = np.full(int(max(rows.max(), irow.max(initial=0))) + 1, -1,
                                     dtype=np.int64)
                    lookup[rows] = np.arange(len(rows))
                    at = np.where(irow >= 0, lookup[np.clip(irow, 0, None)], -1)
                    named = resp.notna().to_numpy()
                    ok = at >= 0
                    same = np.zeros(len(at), dtype=bool)
                    # keys are unique: a lookup that finds the issue's own key is its row
                    same[ok] = (idx[at[ok]].to_numpy(dtype=object)
                                == resp.to_numpy(dtype=object)[ok])
                    if (same | ~named).all():
                        return np.where(named, at, -1)
        except (TypeError, ValueError):
            pass
        return idx.get_indexer(resp)

    def replace(self, **changes: Any) -> "Responses":
        """A copy with some fields replaced (checked for alignment like the constructor)."""
        return type(self)(**{**self._fields(), **changes})

    def _fields(self) -> dict[str, Any]:
        """Constructor arguments of this object (``raw`` as stored, not rebuilt)."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
               if f.name != "raw"}
        out["raw"] = self._raw_obj()
        return out

    def _raw_obj(self) -> "pd.DataFrame | RawStore":
        return self.__dict__["_raw_store"]

    def raw_rows(self, pos: Any) -> pd.DataFrame:
        """``raw`` of the rows at positions ``pos`` only (cheap on a compact store)."""
        raw = self._raw_obj()
        pos = np.asarray(pos, dtype=np.int64)
        if isinstance(raw, RawStore) and "_raw_frame" not in self.__dict__:
            return raw.rows(pos)
        return self.raw.iloc[pos]

    def missing_codes(self) -> np.ndarray:
        """``missing`` as int8 codes, items × respondents (C order), indexing
        :data:`MISSING_DTYPE` categories (−1 where a cell holds none of them)."""
        return _missing_codes(self.missing)

    # -- display ----------------------------------------------------------------------
    def summary(self) -> str:
        """One paragraph: respondents, items, sources, missing reasons, issues."""
        counts = self.missing_counts().sum(axis=0)
        miss = ", ".join(f"{k} {int(v)}" for k, v in counts.items() if v) or "none"
        srcs = ", ".join(f"{s.path.rsplit('/', 1)[-1]} ({s.reader}, {s.n_rows} rows)"
                         for s in self.sources) or "none"
        return (f"Responses: {self.n} respondents × {len(self.items)} items of "
                f"{', '.join(self.instrument.refs)}\n"
                f"sources: {srcs}\nmissing cells: {miss}\nimport issues: {len(self.issues)}")

    def __repr__(self) -> str:
        return (f"Responses(n={self.n}, items={len(self.items)}, "
                f"instrument={self.instrument.ref!r}, issues={len(self.issues)})")


def _raw_get(self: Responses) -> pd.DataFrame:
    raw = self.__dict__["_raw_store"]
    if not isinstance(raw, RawStore):
        return raw
    frame = self.__dict__.get("_raw_frame")
    if frame is None:
        frame = raw.frame()
        self.__dict__["_raw_frame"] = frame
    return frame


def _raw_set(self: Responses, value: Any) -> None:
    self.__dict__["_raw_store"] = value
    self.__dict__.pop("_raw_frame", None)


# ``raw`` stays a dataclass field (constructor argument) but is served by a property, so a
# compact RawStore can stand behind it and the full frame is only built when asked for.
Responses.raw = property(_raw_get, _raw_set, doc="The raw cells as read (see the module "
                                                 "docstring); rebuilt from a compact store.")


def _missing_codes(missing: pd.DataFrame) -> np.ndarray:
    out = np.empty((missing.shape[1], len(missing)), dtype=np.int8)
    for j in range(missing.shape[1]):
        col = missing.iloc[:, j]
        if col.dtype == MISSING_DTYPE:
            out[j] = col.cat.codes.to_numpy()
        else:
            out[j] = pd.Categorical(col.astype("object").where(col.notna(), None),
                                    dtype=MISSING_DTYPE).codes
    return out


def _all_coded(missing: pd.DataFrame) -> bool:
    return bool(missing.shape[1]) and all(d == MISSING_DTYPE for d in missing.dtypes)


#: From this many rows the values block is gathered on two threads.
TAKE_THREADED_ROWS = 200_000


def _take_values(values: pd.DataFrame, pos: np.ndarray) -> pd.DataFrame:
    """``values.iloc[pos]``; an all-float64 table (one 2-D block) in one numpy take."""
    arr = values.to_numpy() if len(values.columns) else None
    if arr is None or arr.dtype != np.float64 or not arr.flags.f_contiguous \
            or not all(d == np.float64 for d in values.dtypes):
        return values.iloc[pos]
    src = arr.T                                    # items × rows, C order
    block = np.empty((src.shape[0], len(pos)))     # items × chosen rows, C order
    if len(pos) >= TAKE_THREADED_ROWS and src.shape[0] > 1:
        # two threads, each gathering half of the items (numpy's take releases the GIL);
        # mode="clip" only skips the bounds buffer: positions are valid row numbers
        half = src.shape[0] // 2
        job = Job(np.take, src[:half], pos, 1, block[:half], "clip")
        np.take(src[half:], pos, axis=1, out=block[half:], mode="clip")
        job.result()
    else:
        np.take(src, pos, axis=1, out=block, mode="clip")
    return pd.DataFrame(block.T, index=values.index[pos], columns=values.columns, copy=False)


def _take_missing(missing: pd.DataFrame, pos: np.ndarray, idx: pd.Index,
                  all_codes: np.ndarray | None = None) -> pd.DataFrame:
    """``missing.iloc[pos]``: one take on the int8 code matrix when every column is coded."""
    if _all_coded(missing):
        codes = (_missing_codes(missing) if all_codes is None else all_codes)[:, pos]
        cols = {j: pd.Categorical.from_codes(codes[j], dtype=MISSING_DTYPE, validate=False)
                for j in range(missing.shape[1])}
        out = pd.DataFrame(cols, copy=False)
        out.columns = missing.columns
        out.index = idx
        return out
    return missing.iloc[pos].set_axis(idx)
