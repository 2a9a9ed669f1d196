"""Codings: coded segments in sidecar YAML files, anchored by quote and context.

A codings file holds segments of one coder or of one note (file-level ``coder:`` /
``note:`` fill segments that leave them out)::

    coder: coder_a
    segments:
      - note: cd_drc_interview          # note id (file name without .md)
        code: trust.goodwill            # code id from the codebook
        start: 120                      # Unicode code points in the note body, from 0
        end: 151                        # exclusive: quote == body[start:end]
        quote: 对方说到做到，这个我们是放心的
        before: "王处长（化名）："          # context just before the quote (optional)
        after: "。但是数据共享"             # context just after (optional)
        memo: goodwill, stated without prompting

A segment may be written with its quote only (no ``start``/``end``): ``check_codings``
with ``fix=True`` anchors it if the quote occurs once (or once with its context) and
writes the offsets and context. Offsets are the fast path; the quote and its context are
the truth. After a note was
edited, :func:`check_codings` re-anchors every segment (exact position, then quote with
its context, then the quote alone if it occurs once) and rewrites offsets only with
``fix=True`` (``surveykit notes check --fix``). Segments it cannot place are listed,
never dropped.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .._files import write_text
from .._params import PATH, Boolean, InstanceOf, Interval, validate_params
from ..errors import Problem, QualError
from ..result import Result, make_provenance
from ._io import QualValidationError, closest, did_you_mean, dump_yaml, line_of, load_yaml, read_text
from .codebook import CODEBOOK, Codebook
from .notes import NOTES, Note, NoteSet

__all__ = ["Codings", "load_codings", "check_codings", "check_codes", "AnchorResult",
           "make_segment", "write_codings", "SEGMENT_COLUMNS"]

SEGMENT_COLUMNS = ("note", "code", "coder", "start", "end", "quote", "before", "after", "memo",
                   "file", "line", "pos")
_REQUIRED = ("note", "code", "coder", "start", "end", "quote")
_SEG_KEYS = _REQUIRED + ("before", "after", "memo")


@dataclass(frozen=True)
class Codings:
    """Coded segments of one or more coders (immutable).

    Attributes
    ----------
    frame : DataFrame
        One row per segment: note, code, coder, start, end, quote, before, after, memo,
        file, line (of the segment in its file), pos (index in the file's list).
    files : tuple of str
        The files read, in order.
    """

    frame: pd.DataFrame
    files: tuple[str, ...] = ()
    _docs: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def coders(self) -> tuple[str, ...]:
        return tuple(sorted(self.frame["coder"].unique()))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sorted(self.frame["code"].unique()))

    def __len__(self) -> int:
        return len(self.frame)

    def __repr__(self) -> str:
        return f"Codings({len(self)} segments, coders={list(self.coders)})"

    def only(self, *, coder: str | Sequence[str] | None = None, code: str | Sequence[str] | None = None,
             note: str | Sequence[str] | None = None) -> "Codings":
        """A subset by coder, code or note (each a value or a list)."""
        f = self.frame
        for col, v in (("coder", coder), ("code", code), ("note", note)):
            if v is not None:
                vals = [v] if isinstance(v, str) else list(v)
                f = f[f[col].isin(vals)]
        return Codings(frame=f.reset_index(drop=True), files=self.files, _docs=self._docs)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> "Codings":
        """Build codings from a DataFrame with at least note, code, coder, start, end, quote."""
        missing = [c for c in _REQUIRED if c not in frame.columns]
        if missing:
            raise QualError(f"The codings table lacks column(s) {', '.join(missing)}.")
        f = frame.copy()
        for c in SEGMENT_COLUMNS:
            if c not in f.columns:
                f[c] = "" if c not in ("line", "pos") else 0
        return cls(frame=_typed(f[list(SEGMENT_COLUMNS)]))


def _typed(f: pd.DataFrame) -> pd.DataFrame:
    f = f.copy()
    for c in ("start", "end", "line", "pos"):
        f[c] = f[c].astype("int64")
    for c in ("note", "code", "coder", "quote", "before", "after", "memo", "file"):
        f[c] = f[c].fillna("").astype(str).astype("string")
    return f.reset_index(drop=True)


def _files(paths: Any) -> list[Path]:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted([*p.glob("*.yaml"), *p.glob("*.yml")])
            if not found:
                raise QualError(f"{p}: no codings files (*.yaml) in this folder.")
            out.extend(found)
        elif p.exists():
            out.append(p)
        else:
            raise QualError(f"{p}: codings file not found. Check the path.")
    return out


def _read_file(p: Path, rows: list[dict], probs: list[Problem], docs: dict) -> None:
    file = str(p)
    data = load_yaml(read_text(p, "codings file"), file)
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        probs.append(Problem(file, 1, 1, "a codings file needs a top-level 'segments:' list "
                                         "(and optionally 'coder:' or 'note:')."))
        return
    docs[file] = data
    defaults = {k: data.get(k) for k in ("note", "coder") if data.get(k) is not None}
    for i, seg in enumerate(data["segments"]):
        line = line_of(data["segments"], i)
        if not isinstance(seg, dict):
            probs.append(Problem(file, line, 1, f"segment {i + 1} must be a mapping."))
            continue
        row = {**defaults, **{str(k): v for k, v in seg.items()}}
        bad = [k for k in row if k not in _SEG_KEYS]
        for k in bad:
            probs.append(Problem(file, line_of(seg, k) or line, 1, f"segment {i + 1}: unknown field "
                                 f"{k!r}.{did_you_mean(k, _SEG_KEYS)}"))
        new_seg = row.get("start") in (None, "") and row.get("end") in (None, "")
        if new_seg and row.get("quote") not in (None, ""):   # quote only: anchored by check --fix
            row["start"] = row["end"] = -1
        miss = [k for k in _REQUIRED if row.get(k) in (None, "")]
        if miss:
            probs.append(Problem(file, line, 1, f"segment {i + 1} has no {', '.join(miss)}. Every "
                                                f"segment needs {', '.join(_REQUIRED)}."))
            continue
        ok = not new_seg
        for k in (("start", "end") if ok else ()):
            v = row[k]
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                probs.append(Problem(file, line_of(seg, k) or line, 1, f"segment {i + 1}: {k} must "
                                     f"be a whole number >= 0 (code points); got {v!r}."))
                ok = False
        if ok and row["end"] <= row["start"]:
            probs.append(Problem(file, line, 1, f"segment {i + 1}: end ({row['end']}) must be "
                                                f"greater than start ({row['start']})."))
            ok = False
        quote = str(row["quote"])
        if ok and len(quote) != row["end"] - row["start"]:
            probs.append(Problem(file, line, 1, f"segment {i + 1}: the quote has {len(quote)} "
                                 f"characters but start–end spans {row['end'] - row['start']}. "
                                 f"Run 'surveykit notes check --fix' or correct end."))
            ok = False
        if ok or new_seg:
            rows.append({"note": str(row["note"]), "code": str(row["code"]),
                         "coder": str(row["coder"]), "start": int(row["start"]),
                         "end": int(row["end"]), "quote": quote,
                         "before": str(row.get("before") or ""), "after": str(row.get("after") or ""),
                         "memo": str(row.get("memo") or ""), "file": file, "line": line, "pos": i})


def _overlaps(f: pd.DataFrame) -> pd.DataFrame:
    """Rows of segments overlapping an earlier one of the same coder, code and note."""
    s = f[f["start"] >= 0].sort_values(["note", "coder", "code", "start", "end"])
    key = s["note"] + "\x00" + s["coder"] + "\x00" + s["code"]
    prev_end = s.groupby(key, sort=False)["end"].transform(lambda e: e.cummax().shift(1))
    return s[s["start"].to_numpy() < prev_end.fillna(-1).to_numpy()]


#: ``codings=`` of the qualitative functions: loaded Codings, or what :func:`load_codings` reads
CODINGS = InstanceOf((Codings, str, os.PathLike, list, tuple),
                     "Codings (from surveykit.load_codings) or the path of codings files",
                     show_type=True)


@validate_params({"paths": [PATH, InstanceOf((list, tuple), "a list of paths")],
                  "notes": [NOTES, None], "codebook": [CODEBOOK, None]})
def load_codings(paths: "str | Path | Sequence[str | Path]", *, notes: NoteSet | None = None,
                 codebook: Codebook | None = None) -> Codings:
    """Read codings files (a file, a folder of ``*.yaml``, or a list) and validate them.

    With ``codebook`` every code must exist; with ``notes`` every note must exist and every
    quote must sit at its offsets (else run :func:`check_codings`). Overlapping segments of
    one coder with the same code in one note are refused (merge them). All problems are
    collected and raised together.

    Notes
    -----
    R equivalent: none (codings are surveykit's YAML files).

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import example_study_path
    >>> cod = sk.load_codings(example_study_path("codings"))
    >>> cod.coders, len(cod.frame)
    (('coder_a', 'coder_b'), 134)
    """
    rows: list[dict] = []
    probs: list[Problem] = []
    docs: dict[str, Any] = {}
    files = _files(paths)
    for p in files:
        try:
            _read_file(p, rows, probs, docs)
        except QualValidationError as e:
            probs.extend(e.problems)
    frame = pd.DataFrame(rows, columns=list(SEGMENT_COLUMNS))
    frame = _typed(frame) if len(frame) else frame.astype({"start": "int64", "end": "int64"})
    if codebook is not None:
        probs.extend(code_problems(frame, codebook))
    for r in frame.itertuples(index=False) if notes is not None else ():
        if notes is not None:
            if r.note not in notes:
                probs.append(Problem(r.file, r.line, 1, f"segment names note {r.note!r}, which is "
                                     f"not in {notes.folder or 'the notes'}."
                                     f"{did_you_mean(r.note, notes) or _known(notes)}"))
                continue
            text = notes[r.note].text
            if r.start < 0:
                probs.append(Problem(r.file, r.line, 1, f"the segment {_short(r.quote)!r} in note "
                                     f"{r.note!r} has no start/end yet. Run 'surveykit notes check "
                                     f"--fix' to anchor it by its quote."))
            elif text[r.start:r.end] != r.quote:
                n_found = text.count(r.quote)
                if n_found:
                    msg = (f"the quote {_short(r.quote)!r} is no longer at {r.start}–{r.end} in note "
                           f"{r.note!r} (the note was edited). Run 'surveykit notes check --fix'.")
                else:
                    msg = (f"the quote {_short(r.quote)!r} is not found in note {r.note!r}. Correct "
                           f"the quote or restore the note text.")
                probs.append(Problem(r.file, r.line, 1, msg))
    if len(frame):
        for r in _overlaps(frame).itertuples(index=False):
            probs.append(Problem(r.file, r.line, 1, f"segment {r.start}–{r.end} of coder {r.coder!r} "
                                 f"with code {r.code!r} in note {r.note!r} overlaps another segment of "
                                 f"the same coder and code. Merge the two segments."))
    if probs:
        raise QualValidationError(probs, header=f"{len(probs)} problem(s) in the codings:")
    return Codings(frame=frame, files=tuple(str(p) for p in files), _docs=docs)


def code_problems(frame: pd.DataFrame, codebook: Codebook) -> list[Problem]:
    """A problem (file, line, the closest codebook id) per segment whose code is not in
    ``codebook`` — a typo would otherwise count as a code of its own."""
    if not isinstance(codebook, Codebook):
        raise QualError(f"The codebook must be a Codebook as read by surveykit.load_codebook; got "
                        f"{type(codebook).__name__}.")
    if not len(frame):
        return []
    bad = frame[~frame["code"].isin(list(codebook.ids))]
    out = []
    for r in bad.itertuples(index=False):
        hint = did_you_mean(r.code, codebook.ids, n=1) or closest(r.code, codebook.ids)
        out.append(Problem(r.file, r.line, 1, f"segment in note {r.note!r} names code {r.code!r}, "
                           f"which is not in the codebook.{hint} Fix the id or add the code to "
                           f"{codebook.path or 'the codebook'}."))
    return out


def check_codes(cod: "Codings", codebook: Codebook | None) -> None:
    """Raise :class:`QualValidationError` when a segment names a code missing from ``codebook``."""
    if codebook is None:
        return
    probs = code_problems(cod.frame, codebook)
    if probs:
        raise QualValidationError(probs, header=f"{len(probs)} segment(s) name a code that is not "
                                                f"in the codebook:")


def _known(ids: Any) -> str:
    ids = list(ids)
    return f" Notes: {', '.join(ids[:6])}{', …' if len(ids) > 6 else ''}."


def _short(s: str, n: int = 30) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def make_segment(note: Note, start: int, end: int, *, code: str, coder: str, memo: str = "",
                 context: int = 20) -> dict[str, Any]:
    """A segment dict for ``note.text[start:end]`` with ``context`` code points each side."""
    if not 0 <= start < end <= len(note.text):
        raise QualError(f"Segment {start}–{end} is outside note {note.id!r} "
                        f"(length {len(note.text)}).")
    seg = {"note": note.id, "code": code, "coder": coder, "start": int(start), "end": int(end),
           "quote": note.text[start:end], "before": note.text[max(0, start - context):start],
           "after": note.text[end:end + context]}
    if memo:
        seg["memo"] = memo
    return seg


def write_codings(segments: Iterable[Mapping[str, Any]], path: "str | Path", *,
                  coder: str | None = None, note: str | None = None) -> Path:
    """Write segments to a codings YAML file (file-level ``coder``/``note`` factored out)."""
    segs = []
    for s in segments:
        d = {k: s[k] for k in _SEG_KEYS if k in s and s[k] not in (None, "")}
        if coder is not None and d.get("coder") == coder:
            d.pop("coder")
        if note is not None and d.get("note") == note:
            d.pop("note")
        segs.append(d)
    doc: dict[str, Any] = {}
    if coder is not None:
        doc["coder"] = coder
    if note is not None:
        doc["note"] = note
    doc["segments"] = segs
    p = Path(path)
    write_text(p, dump_yaml(doc))
    return p


# -- re-anchoring --------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True, repr=False)
class AnchorResult(Result):
    """Outcome of :func:`check_codings`: one row per segment with its anchoring status.

    ``status`` is ``ok`` (quote at its offsets), ``moved`` (found elsewhere; ``method``
    says how), ``ambiguous`` (several equally good places) or ``not_found``.
    """

    n_segments: int
    n_ok: int
    n_moved: int
    n_ambiguous: int
    n_not_found: int
    fixed: bool
    files_written: int
    title: str = "Coding anchors"

    @property
    def unresolved(self) -> pd.DataFrame:
        return self.table[self.table["status"].isin(["ambiguous", "not_found"])]


def _find_all(text: str, quote: str) -> list[int]:
    out, i = [], text.find(quote)
    while i >= 0:
        out.append(i)
        i = text.find(quote, i + 1)
    return out


def _anchor(text: str, start: int, end: int, quote: str, before: str, after: str) -> tuple[str, str, int, int]:
    """(status, method, new_start, n_candidates)."""
    if start >= 0 and text[start:end] == quote:
        return "ok", "position", start, 1
    cands = _find_all(text, quote)
    if not cands:
        return "not_found", "", -1, 0
    n = len(quote)

    def ctx(p: int) -> tuple[bool, bool]:
        b = (not before) or text[max(0, p - len(before)):p] == before
        a = (not after) or text[p + n:p + n + len(after)] == after
        return b, a

    scores = [ctx(p) for p in cands]
    tiers = () if not (before or after) else (("quote+context", lambda b, a: b and a),
                                               ("quote+before", lambda b, a: b),
                                               ("quote+after", lambda b, a: a))
    for method, test in tiers:
        if method != "quote+context" and not (before and after):
            continue
        hits = [p for p, (b, a) in zip(cands, scores) if test(b, a)]
        if len(hits) == 1:
            return "moved", method, hits[0], len(cands)
        if len(hits) > 1:
            return "ambiguous", method, -1, len(hits)
    if len(cands) == 1:
        return "moved", "quote", cands[0], 1
    return "ambiguous", "quote", -1, len(cands)


@validate_params({"codings": [CODINGS], "notes": [NOTES], "fix": [Boolean()],
                  "context": [Interval(int, 0, None)], "codebook": [CODEBOOK, None]})
def check_codings(codings: "Codings | str | Path | Sequence[str | Path]", notes: NoteSet, *,
                  fix: bool = False, context: int = 20,
                  codebook: Codebook | None = None) -> AnchorResult:
    """Re-anchor every segment by its quote and context; with ``fix`` rewrite the offsets.

    Order of attempts: the quote at its stored offsets; else every occurrence of the
    quote whose stored ``before`` *and* ``after`` context match (then either one); else
    the quote alone if it occurs exactly once. Segments found at several places are
    ``ambiguous``; quotes absent from the note are ``not_found``. Both are listed in the
    table and never dropped or changed.

    With ``fix=True`` the codings files are rewritten in place (comments kept): moved
    segments get their new ``start``/``end`` and fresh ``before``/``after`` context
    (``context`` code points). Nothing else changes.

    Notes
    -----
    R equivalent: none (re-anchoring coded quotes in edited note files is bookkeeping of the
    text files).

    With ``codebook`` every segment's code must be in it (a typo is refused with file,
    line and the closest codebook id, before anything is anchored or rewritten).

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import example_study_path
    >>> notes = sk.read_notes(example_study_path("notes"))
    >>> res = sk.check_codings(example_study_path("codings"), notes)
    >>> res.n_segments, res.n_ok, res.n_moved, res.n_not_found
    (134, 134, 0, 0)
    """
    cod = codings if isinstance(codings, Codings) else load_codings(codings, codebook=codebook)
    check_codes(cod, codebook)
    f = cod.frame
    rows = []
    for r in f.itertuples(index=False):
        if r.note not in notes:
            rows.append(("not_found", "no such note", -1, 0))
            continue
        rows.append(_anchor(notes[r.note].text, r.start, r.end, r.quote, r.before, r.after))
    st = np.array([x[0] for x in rows], dtype=object) if rows else np.array([], dtype=object)
    table = pd.DataFrame({
        "note": f["note"], "code": f["code"], "coder": f["coder"], "file": f["file"],
        "line": f["line"], "status": pd.array(st, dtype="string"),
        "method": pd.array([x[1] for x in rows], dtype="string"),
        "start": f["start"], "end": f["end"],
        "new_start": np.array([x[2] if x[2] >= 0 else -1 for x in rows], dtype="int64"),
        "n_candidates": np.array([x[3] for x in rows], dtype="int64"),
        "quote": f["quote"],
    })
    table["new_end"] = np.where(table["new_start"] >= 0,
                                table["new_start"] + f["quote"].str.len().astype("int64"), -1)
    table = table[["note", "code", "coder", "status", "method", "start", "end", "new_start",
                   "new_end", "n_candidates", "quote", "file", "line"]]
    written = 0
    if fix:
        written = _write_fixes(cod, table, notes, context)
    counts = table["status"].value_counts()
    return AnchorResult(
        table=table, n_segments=len(table), n_ok=int(counts.get("ok", 0)),
        n_moved=int(counts.get("moved", 0)), n_ambiguous=int(counts.get("ambiguous", 0)),
        n_not_found=int(counts.get("not_found", 0)), fixed=fix, files_written=written,
        provenance=make_provenance("check_codings", {"fix": fix, "context": context},
                                   {"fix": False, "context": 20}))


def _write_fixes(cod: Codings, table: pd.DataFrame, notes: NoteSet, context: int) -> int:
    moved = table[table["status"] == "moved"]
    if moved.empty:
        return 0
    if not cod._docs:
        raise QualError("These codings were not read from files, so --fix cannot rewrite them. "
                        "Pass the codings path instead.")
    f = cod.frame
    touched: set[str] = set()
    for idx in moved.index:
        file, pos = str(f.at[idx, "file"]), int(f.at[idx, "pos"])
        doc = cod._docs[file]
        seg = doc["segments"][pos]
        s, e = int(moved.at[idx, "new_start"]), int(moved.at[idx, "new_end"])
        text = notes[str(f.at[idx, "note"])].text
        seg["start"], seg["end"] = s, e
        if "before" in seg or "after" in seg or context:
            seg["before"] = text[max(0, s - context):s]
            seg["after"] = text[e:e + context]
        touched.add(file)
    for file in touched:
        write_text(file, dump_yaml(cod._docs[file]))
    return len(touched)
