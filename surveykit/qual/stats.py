"""Tidy tables from codings: code frequencies, co-occurrence, code × document, retrieval.

Counts (frequencies, co-occurrence) are estimates of a kind and come back as a
:class:`~surveykit.result.Result` (tidy ``.table``, ``.wide()`` for the crosstab view,
provenance). Retrieval is a listing of text, not an estimate, so
:func:`retrieve_segments` returns a plain DataFrame.

When codings of several coders are pooled, each coder's segment counts; pass
``coder=`` to count one coder (or a consensus file) only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .._params import Boolean, Names, Options, validate_params
from ..errors import QualError
from ..result import Result, make_provenance
from ._io import did_you_mean
from .codebook import CODEBOOK, Codebook, code_names
from .codings import CODINGS, Codings, load_codings
from .notes import NOTES, NoteSet

__all__ = ["code_frequencies", "code_cooccurrence", "code_by_document", "retrieve_segments",
           "FrequencyResult", "CooccurrenceResult"]


@dataclass(frozen=True, kw_only=True, repr=False)
class FrequencyResult(Result):
    """Code frequencies per group. ``table``: <by...>, code, n_segments, n_notes,
    n_notes_group, share_notes (notes of the group with the code / notes in the group)."""

    by: tuple[str, ...]
    n_segments: int
    n_codes: int
    #: code id -> {"zh": name, "en": name} from the codebook given (empty without one)
    code_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    title: str = "Code frequencies"

    def wide(self, value: str = "n_segments") -> pd.DataFrame:
        """Crosstab: one row per code, one column per group."""
        if not self.by:
            return self.table.set_index("code")[[value]]
        return self.table.pivot_table(index="code", columns=list(self.by), values=value,
                                      aggfunc="sum", sort=False, observed=True)


@dataclass(frozen=True, kw_only=True, repr=False)
class CooccurrenceResult(Result):
    """Pairs of codes found together. ``table``: code_a, code_b, n, jaccard."""

    level: str
    title: str = "Code co-occurrence"

    def matrix(self) -> pd.DataFrame:
        """Symmetric code × code matrix of ``n`` (diagonal: notes/segments with the code)."""
        t = self.table
        m = t.pivot(index="code_a", columns="code_b", values="n")
        codes = list(dict.fromkeys([*t["code_a"], *t["code_b"]]))
        m = m.reindex(index=codes, columns=codes)
        m = m.fillna(m.T).fillna(0).astype("int64")
        return m


def _prep(codings, notes: NoteSet | None, coder, codebook, include_children: bool = False):
    cod = codings if isinstance(codings, Codings) else load_codings(codings)
    if coder is not None:
        known = cod.coders
        for c in [coder] if isinstance(coder, str) else coder:
            if c not in known:
                raise QualError(f"Coder {c!r} has no codings.{did_you_mean(c, known)}")
        cod = cod.only(coder=coder)
    f = cod.frame
    if notes is not None:
        unknown = sorted(set(f["note"]) - set(notes))
        if unknown:
            raise QualError(f"Codings name note(s) not among the notes: {', '.join(unknown[:5])}."
                            f"{did_you_mean(unknown[0], notes)}")
    if include_children:
        if codebook is None:
            raise QualError("include_children=True needs the codebook (codebook=...).")
        extra = []
        for c in codebook.codes:
            desc = codebook.descendants(c.id)
            if desc:
                sub = f[f["code"].isin(desc)].assign(code=c.id)
                extra.append(sub)
        if extra:
            f = pd.concat([f, *extra], ignore_index=True)
            f = f.drop_duplicates(["note", "code", "coder", "start", "end"])
    return f


#: ``coder=``: one coder, several, or None for all
CODER = [Names(single=True), None]


@validate_params({"codings": [CODINGS], "notes": [NOTES], "by": [Names(single=True)],
                  "coder": CODER, "codebook": [CODEBOOK, None], "include_children": [Boolean()]})
def code_frequencies(codings: "Codings | str", notes: NoteSet, *, by: "str | Sequence[str]" = "case_id",
                     coder: "str | Sequence[str] | None" = None, codebook: Codebook | None = None,
                     include_children: bool = False) -> FrequencyResult:
    """Count segments and notes per code and group.

    Parameters
    ----------
    codings, notes
        Segments and the notes they code.
    by : str or list of str
        ``"note"`` (code × document), ``"case_id"`` (per case, default), any front-matter
        attribute such as ``"region"``, or several (``["region", "source_type"]``);
        ``[]`` for totals.
    coder : str or list, optional
        Count only these coders' segments.
    codebook : Codebook, optional
        Lists every code (zeros included) in codebook order.
    include_children : bool
        Count segments of child codes under their parents too (needs ``codebook``).

    Notes
    -----
    R equivalent: ``xtabs(~ code + region, unique(segments[c("note", "code", "region")]))``
    (notes per code and group).

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import example_study_path
    >>> notes = sk.read_notes(example_study_path("notes"))
    >>> cod = sk.load_codings(example_study_path("codings"), notes=notes)
    >>> fr = sk.code_frequencies(cod, notes, by="region")
    >>> fr.table[["region", "code", "n_notes", "share_notes"]].head(2)
        region                      code  n_notes  share_notes
    0  chengdu    context.central_policy        1         0.25
    1  chengdu  incentive.accountability        0         0.00
    """
    by = [by] if isinstance(by, str) else list(by)
    f = _prep(codings, notes, coder, codebook, include_children)
    attrs = notes.attributes.reset_index()
    for b in by:
        if b not in attrs.columns:
            raise QualError(f"The notes have no attribute {b!r} to group by."
                            f"{did_you_mean(b, attrs.columns)} Attributes: {', '.join(attrs.columns)}.")
    codes = list(codebook.ids) if codebook is not None else sorted(f["code"].unique())
    merged = f.merge(attrs[["note", *[b for b in by if b != "note"]]], on="note", how="left")
    keys = [*by, "code"]
    counts = merged.groupby(keys, dropna=False, observed=True).agg(
        n_segments=("start", "size"), n_notes=("note", "nunique"))
    group_sizes = (attrs.groupby(by, dropna=False).size().rename("n_notes_group")
                   if by else pd.Series({(): len(attrs)}))
    if by:
        groups = group_sizes.index.to_frame(index=False)
    else:
        groups = pd.DataFrame(index=[0])
    grid = groups.merge(pd.DataFrame({"code": pd.array(codes, dtype="string")}), how="cross")
    table = grid.merge(counts.reset_index(), on=keys, how="left")
    if by:
        table = table.merge(group_sizes.reset_index(), on=by, how="left")
    else:
        table["n_notes_group"] = len(attrs)
    table[["n_segments", "n_notes"]] = table[["n_segments", "n_notes"]].fillna(0).astype("int64")
    table["n_notes_group"] = table["n_notes_group"].astype("int64")
    table["share_notes"] = table["n_notes"] / table["n_notes_group"]
    table = table[[*by, "code", "n_segments", "n_notes", "n_notes_group", "share_notes"]]
    return FrequencyResult(
        table=table.reset_index(drop=True), by=tuple(by), n_segments=int(len(f)), n_codes=len(codes),
        code_names=code_names(codebook),
        provenance=make_provenance("code_frequencies", {"by": tuple(by), "coder": coder,
                                                        "include_children": include_children},
                                   {"by": ("case_id",), "coder": None, "include_children": False}))


def code_by_document(codings: "Codings | str", notes: NoteSet, **kw) -> FrequencyResult:
    """Code × document counts: :func:`code_frequencies` with ``by="note"``."""
    return code_frequencies(codings, notes, by="note", **kw)


@validate_params({"codings": [CODINGS], "notes": [NOTES, None],
                  "level": [Options("note", "segment")], "coder": CODER})
def code_cooccurrence(codings: "Codings | str", notes: NoteSet | None = None, *,
                      level: str = "note", coder: "str | Sequence[str] | None" = None) -> CooccurrenceResult:
    """How often two codes occur together.

    ``level="note"``: number of notes where both codes occur (and the diagonal, notes
    with the code). ``level="segment"``: number of pairs of overlapping segments of the
    two codes (same note; the same coder when ``coder`` is given).
    ``jaccard`` = n / (n_a + n_b − n) at note level.

    Notes
    -----
    R equivalent: ``crossprod(table(note, code) > 0)`` (note level).

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import example_study_path
    >>> notes = sk.read_notes(example_study_path("notes"))
    >>> cod = sk.load_codings(example_study_path("codings"), notes=notes)
    >>> co = sk.code_cooccurrence(cod, notes)
    >>> co.table.head(2)
                       code_a                    code_b  n  jaccard
    0  context.central_policy    context.central_policy  2      1.0
    1  context.central_policy  incentive.accountability  1      0.2
    """
    f = _prep(codings, notes, coder, None)
    if level == "note":
        inc = pd.crosstab(f["note"], f["code"]).clip(upper=1)
        m = inc.to_numpy().T @ inc.to_numpy()
        codes = list(inc.columns)
        i, j = np.triu_indices(len(codes))
        n_a, n_b = m[i, i], m[j, j]
        with np.errstate(invalid="ignore", divide="ignore"):
            jac = m[i, j] / (n_a + n_b - m[i, j])
        table = pd.DataFrame({"code_a": pd.array([codes[x] for x in i], dtype="string"),
                              "code_b": pd.array([codes[x] for x in j], dtype="string"),
                              "n": m[i, j].astype("int64"), "jaccard": jac})
    else:
        s = f[["note", "coder", "code", "start", "end"]].reset_index(names="sid")
        pairs = s.merge(s, on="note", suffixes=("_a", "_b"))
        pairs = pairs[(pairs["sid_a"] < pairs["sid_b"]) & (pairs["start_a"] < pairs["end_b"])
                      & (pairs["start_b"] < pairs["end_a"])]
        a = pairs[["code_a", "code_b"]].to_numpy()
        lo, hi = np.minimum(a[:, 0], a[:, 1]), np.maximum(a[:, 0], a[:, 1])
        table = (pd.DataFrame({"code_a": lo, "code_b": hi}).groupby(["code_a", "code_b"]).size()
                 .rename("n").reset_index())
        table["jaccard"] = np.nan
        table = table.astype({"code_a": "string", "code_b": "string", "n": "int64"})
    return CooccurrenceResult(
        table=table, level=level,
        provenance=make_provenance("code_cooccurrence", {"level": level, "coder": coder},
                                   {"level": "note", "coder": None}))


@validate_params({"codings": [CODINGS], "notes": [NOTES], "code": [Names(single=True)],
                  "codebook": [CODEBOOK, None], "include_children": [Boolean()], "coder": CODER})
def retrieve_segments(codings: "Codings | str", notes: NoteSet, code: "str | Sequence[str]", *,
                      codebook: Codebook | None = None, include_children: bool = True,
                      coder: "str | Sequence[str] | None" = None) -> pd.DataFrame:
    """Every segment of ``code`` with its quote, memo and the note's case attributes.

    Returns a DataFrame (a listing of text, not an estimate): note, code, coder, start,
    end, quote, memo, then the note attributes (case_id, source_type, date, region, …).
    With a codebook, segments of child codes are included (``include_children``).

    Notes
    -----
    R equivalent: none (text retrieval from the coded notes).

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import example_study_path
    >>> notes = sk.read_notes(example_study_path("notes"))
    >>> cod = sk.load_codings(example_study_path("codings"), notes=notes)
    >>> cb = sk.load_codebook(example_study_path("codebook.yaml"))
    >>> seg = sk.retrieve_segments(cod, notes, "trust", codebook=cb)
    >>> len(seg), seg["region"].value_counts().to_dict()
    (25, {'chongqing': 12, 'chengdu': 11, 'joint': 2})
    """
    codes = [code] if isinstance(code, str) else list(code)
    if codebook is not None:
        for c in codes:
            codebook.code(c)
        if include_children:
            codes = codes + [d for c in codes for d in codebook.descendants(c)]
    f = _prep(codings, notes, coder, None)
    known = set(f["code"])
    if codebook is None and not any(c in known for c in codes):
        raise QualError(f"No segment has code {codes[0]!r}.{did_you_mean(codes[0], known)}")
    sel = f[f["code"].isin(codes)][["note", "code", "coder", "start", "end", "quote", "memo"]]
    out = sel.merge(notes.attributes.reset_index(), on="note", how="left")
    return out.sort_values(["note", "start", "coder"]).reset_index(drop=True)
