"""Intercoder agreement per code: percent agreement, Cohen's κ, Krippendorff's α (nominal).

For every code, each coder's codings become a 0/1 decision per unit ("did this coder
apply the code to this unit?"):

* ``level="document"`` — a unit is a note (1 if the coder used the code anywhere in it);
* ``level="segment"`` — a unit is a sentence (``unit="sentence"``, 1 if a segment of
  the code overlaps the sentence) or a character (``unit="character"``, 1 if the code
  point lies inside a segment).

Every note in ``notes`` counts as coded by every coder: a coder who left a note
uncoded said "0" for all its units. All statistics are computed for all codes at once
from the number of units per pattern of coders (a sweep over segment end points with
numpy, so the cost grows with the number of segments, not of units or characters). Formulas
are in docs/qualitative.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .._params import Names, Options, validate_params
from ..errors import QualError
from ..result import Result, make_provenance
from .codebook import CODEBOOK, Codebook, code_names
from .codings import CODINGS, Codings, check_codes, load_codings
from .notes import NOTES, NoteSet
from .segment import unit_spans

__all__ = ["agreement", "AgreementResult", "krippendorff_alpha_nominal", "alpha_from_counts"]


@dataclass(frozen=True, kw_only=True, repr=False)
class AgreementResult(Result):
    """Agreement per code. ``table``: code, method, estimate, n_units, n_coders, n_positive, note.

    ``method`` is ``percent_agreement``, ``cohen_kappa`` (only with exactly two coders)
    or ``krippendorff_alpha``. Use :meth:`wide` for one row per code.
    """

    level: str
    unit: str
    n_units: int
    n_coders: int
    n_codes: int
    coders: tuple[str, ...]
    alpha_mean: float
    kappa_mean: float | None
    percent_agreement_mean: float
    #: code id -> {"zh": name, "en": name} from the codebook given (empty without one)
    code_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    title: str = "Intercoder agreement"

    def wide(self) -> pd.DataFrame:
        """One row per code, one column per method (plus n_units, n_positive)."""
        w = self.table.pivot(index="code", columns="method", values="estimate")
        order = [m for m in ("percent_agreement", "cohen_kappa", "krippendorff_alpha") if m in w]
        w = w[order]
        extra = self.table.drop_duplicates("code").set_index("code")[["n_units", "n_positive"]]
        return w.join(extra).reindex(self.table["code"].drop_duplicates()).reset_index()


def alpha_from_counts(counts: np.ndarray) -> np.ndarray:
    """Krippendorff's α (nominal) from value counts per unit.

    Parameters
    ----------
    counts : array (..., n_units, n_values)
        ``counts[..., u, v]`` = number of coders who gave value ``v`` to unit ``u``.
        Units with fewer than two values are not pairable and are ignored.

    Returns
    -------
    array (...)
        α per leading index; NaN when there is no variation at all (expected
        disagreement 0).
    """
    counts = np.asarray(counts, dtype=float)
    m = counts.sum(axis=-1)
    w = np.where(m >= 2, 1.0 / np.where(m >= 2, m - 1, 1), 0.0)         # (..., U)
    weighted = counts * w[..., None]
    o = np.einsum("...uv,...uw->...vw", weighted, counts)                 # coincidences
    o = o - np.einsum("...v,vw->...vw", weighted.sum(axis=-2), np.eye(counts.shape[-1]))
    n_v = o.sum(axis=-1)
    n = n_v.sum(axis=-1)
    d_obs = o.sum(axis=(-1, -2)) - np.trace(o, axis1=-2, axis2=-1)
    d_exp = n ** 2 - (n_v ** 2).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = 1.0 - (n - 1.0) * d_obs / d_exp
    return np.where(d_exp > 0, alpha, np.nan)


def krippendorff_alpha_nominal(data: "np.ndarray | pd.DataFrame") -> float:
    """Krippendorff's α for nominal data, coders in rows and units in columns, NaN = missing.

    # R: irr::kripp.alpha(data, method = "nominal")

    >>> krippendorff_alpha_nominal([[1, 1, 0, 0], [1, 0, 0, 0]])
    0.5333333333333333
    """
    x = np.asarray(data, dtype=float)
    if x.ndim != 2:
        raise QualError("krippendorff_alpha_nominal needs a 2-D array (coders × units).")
    ok = ~np.isnan(x)
    values = np.unique(x[ok])
    idx = np.searchsorted(values, np.where(ok, x, values[0] if len(values) else 0))
    counts = np.zeros((x.shape[1], max(len(values), 1)))
    units = np.broadcast_to(np.arange(x.shape[1]), x.shape)
    np.add.at(counts, (units[ok], idx[ok]), 1.0)
    return float(alpha_from_counts(counts))


def _unit_intervals(cod: Codings, notes: NoteSet, codes: list[str], coders: list[str], level: str,
                    unit: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Each segment as a half-open range of unit indices: (code idx, coder idx, lo, hi, n_units)."""
    f = cod.frame
    note_ids = list(notes)
    ci = pd.Index(codes).get_indexer(f["code"])
    ki = pd.Index(coders).get_indexer(f["coder"])
    ni = pd.Index(note_ids).get_indexer(f["note"])
    keep = (ci >= 0) & (ki >= 0) & (ni >= 0)
    ci, ki, ni = ci[keep], ki[keep], ni[keep]
    starts = f["start"].to_numpy(dtype=np.int64)[keep]
    ends = f["end"].to_numpy(dtype=np.int64)[keep]
    if level == "document":
        return ci, ki, ni.astype(np.int64), ni.astype(np.int64) + 1, len(note_ids)
    lengths = np.array([len(notes[n].text) for n in note_ids], dtype=np.int64)
    base = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    if unit == "character":
        return ci, ki, base[ni] + starts, base[ni] + ends, int(lengths.sum())
    spans = [unit_spans(notes[n].text, "sentence") for n in note_ids]
    us = np.concatenate([s + b for (s, _), b in zip(spans, base)]) if spans else np.zeros(0, np.int64)
    ue = np.concatenate([e + b for (_, e), b in zip(spans, base)]) if spans else np.zeros(0, np.int64)
    lo = np.searchsorted(ue, base[ni] + starts, side="right")   # first unit ending after the start
    hi = np.searchsorted(us, base[ni] + ends, side="left")      # units starting before the end
    return ci, ki, lo.astype(np.int64), np.maximum(hi, lo).astype(np.int64), len(us)


def _patterns(ci: np.ndarray, ki: np.ndarray, lo: np.ndarray, hi: np.ndarray, n_codes: int,
              n_coders: int, n_units: int) -> np.ndarray:
    """Units per code and coder pattern: ``P[c, s]`` = number of units whose set of coders
    who applied code ``c`` is the bit mask ``s``. A sweep over interval end points, so the
    cost grows with the number of segments, not of units."""
    n_states = 1 << n_coders
    keep = hi > lo
    ci, ki, lo, hi = ci[keep], ki[keep], lo[keep], hi[keep]
    # merge overlapping ranges of one coder and code (sentences hit by two segments)
    grp = ci.astype(np.int64) * n_coders + ki
    order = np.lexsort((lo, grp))
    grp, lo, hi = grp[order], lo[order], hi[order]
    if len(grp):
        span = n_units + 1
        run = np.maximum.accumulate(grp * span + hi)               # running max of hi per group
        prev = np.concatenate([[-1], run[:-1] - grp[:-1] * span])
        same = np.concatenate([[False], grp[1:] == grp[:-1]])
        new = ~same | (lo >= prev)
        first = np.flatnonzero(new)
        lo, hi, grp = lo[first], np.maximum.reduceat(hi, first), grp[first]
    code, bit = grp // n_coders, (np.int64(1) << (grp % n_coders))
    # sweep: each range toggles its coder's bit at lo and at hi
    pos = np.concatenate([lo, hi])
    c2 = np.concatenate([code, code])
    b2 = np.concatenate([bit, bit])
    order = np.lexsort((pos, c2))
    pos, c2, b2 = pos[order], c2[order], b2[order]
    state = np.bitwise_xor.accumulate(b2) if len(b2) else b2   # each code's toggles cancel out
    length = np.zeros(len(pos), dtype=np.int64)
    if len(pos):
        length[:-1] = np.where(c2[1:] == c2[:-1], pos[1:] - pos[:-1], 0)
    p = np.bincount(c2 * n_states + state, weights=length, minlength=n_codes * n_states)
    p = p.reshape(n_codes, n_states)
    p[:, 0] = n_units - p[:, 1:].sum(axis=1)
    return p


def _verify_anchors(cod: Codings, notes: NoteSet) -> None:
    f = cod.frame
    texts = {n: notes[n].text for n in notes}
    ok = [n in texts and texts[n][a:b] == q
          for n, a, b, q in zip(f["note"], f["start"], f["end"], f["quote"])]
    bad_rows = f[~np.asarray(ok, dtype=bool)] if len(f) else f
    bad = [f"{r.file}:{r.line}: " + (f"note {r.note!r} is not among the notes" if r.note not in texts
                                     else f"quote not at {r.start}–{r.end} in note {r.note!r}")
           for r in bad_rows.head(5).itertuples(index=False)]
    if bad:
        more = f" (and {len(bad_rows) - 5} more)" if len(bad_rows) > 5 else ""
        raise QualError("Codings do not match the notes: " + "; ".join(bad) + more +
                        ". Run 'surveykit notes check --fix' first.")


@validate_params({"codings": [CODINGS], "notes": [NOTES], "level": [Options("document", "segment")],
                  "unit": [Options("sentence", "character")], "coders": [Names(), None],
                  "codes": [Names(), None], "codebook": [CODEBOOK, None]})
def agreement(codings: "Codings | str", notes: NoteSet, *, level: str = "document",
              unit: str = "sentence", coders: Sequence[str] | None = None,
              codes: Sequence[str] | None = None,
              codebook: Codebook | None = None) -> AgreementResult:
    """Intercoder agreement per code between two or more coders coding the same notes.

    Parameters
    ----------
    codings : Codings or path
        Segments of every coder (see :func:`surveykit.load_codings`).
    notes : NoteSet
        The notes both coders coded; every note counts as a unit (document level) or
        contributes its units (segment level). Pass ``notes.subset([...])`` to restrict
        the comparison; codings of other notes are then left out.
    level : {"document", "segment"}
    unit : {"sentence", "character"}
        Unit at segment level (ignored at document level).
    coders, codes : sequence of str, optional
        Restrict to these coders / codes (default: every coder and every code used).
    codebook : Codebook, optional
        When given, every segment's code must be in it: a typo (``trust.goodwil``) is
        refused with file, line and the closest codebook id instead of being reported as a
        code of its own.

    Returns
    -------
    AgreementResult
        Per code: percent agreement (share of units on which all coders agree),
        Cohen's κ (exactly two coders), Krippendorff's α (nominal).

    Notes
    -----
    R equivalent: ``irr::kappa2(cbind(a, b))``; ``irr::kripp.alpha(rbind(a, b), "nominal")``;
    percent agreement ``mean(a == b)``.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import example_study_path
    >>> notes = sk.read_notes(example_study_path("notes"))
    >>> cod = sk.load_codings(example_study_path("codings"), notes=notes)
    >>> res = sk.agreement(cod, notes)                  # document level: does a note carry the code?
    >>> res.n_units, res.n_coders, round(res.kappa_mean, 3)
    (12, 2, 0.914)
    """
    cod = codings if isinstance(codings, Codings) else load_codings(codings, codebook=codebook)
    check_codes(cod, codebook)
    all_coders = list(cod.coders)
    if coders is None:
        coders = all_coders
    else:
        coders = list(coders)
        for c in coders:
            if c not in all_coders:
                from ._io import did_you_mean
                raise QualError(f"Coder {c!r} has no codings.{did_you_mean(c, all_coders)} "
                                f"Coders present: {', '.join(all_coders)}.")
    if len(coders) < 2:
        raise QualError(f"Agreement needs at least two coders; the codings have "
                        f"{len(coders)} ({', '.join(coders) or 'none'}). Load every coder's file.")
    cod = cod.only(coder=coders, note=list(notes))   # codings of other notes are not units
    _verify_anchors(cod, notes)
    codes = list(codes) if codes is not None else list(cod.codes)
    ci, ki, lo, hi, n_units = _unit_intervals(cod, notes, codes, list(coders), level, unit)
    k, n_codes = len(coders), len(codes)
    p = _patterns(ci, ki, lo, hi, n_codes, k, n_units)                 # (C, 2**K) unit counts
    ones = np.array([bin(s).count("1") for s in range(1 << k)])      # coders saying 1 per pattern
    with np.errstate(invalid="ignore", divide="ignore"):
        pa = (p[:, 0] + p[:, -1]) / n_units if n_units else np.full(n_codes, np.nan)
        # Krippendorff's alpha (nominal, binary, every unit coded by all k coders):
        # n = N k pairable values, n1 = sum_u j_u, D_o = sum_u 2 j_u (k - j_u) / (k - 1)
        n_val = n_units * k
        n1 = p @ ones
        n0 = n_val - n1
        d_obs = p @ (2.0 * ones * (k - ones) / (k - 1))
        alpha = np.where(n0 * n1 > 0, 1.0 - (n_val - 1) * d_obs / (2.0 * n0 * n1), np.nan)
    positive = n_units - p[:, 0]
    rows = []
    kappa = None
    if k == 2:   # patterns: 0 none, 1 first coder only, 2 second only, 3 both
        with np.errstate(invalid="ignore", divide="ignore"):
            po = (p[:, 0] + p[:, 3]) / n_units
            p1, p2 = (p[:, 1] + p[:, 3]) / n_units, (p[:, 2] + p[:, 3]) / n_units
            pe = p1 * p2 + (1 - p1) * (1 - p2)
            kappa = np.where(pe < 1, (po - pe) / (1 - pe), np.nan)
    for i, code in enumerate(codes):
        note = ""
        if positive[i] == 0:
            note = "no coder applied this code to these units; kappa and alpha undefined"
        elif p[i, -1] == n_units:
            note = "every unit coded by every coder; kappa and alpha undefined"
        base = {"code": code, "n_units": n_units, "n_coders": k, "n_positive": int(positive[i]),
                "note": note}
        rows.append({**base, "method": "percent_agreement", "estimate": float(pa[i])})
        if kappa is not None:
            rows.append({**base, "method": "cohen_kappa", "estimate": float(kappa[i])})
        rows.append({**base, "method": "krippendorff_alpha", "estimate": float(alpha[i])})
    table = pd.DataFrame(rows, columns=["code", "method", "estimate", "n_units", "n_coders",
                                        "n_positive", "note"])
    table["note"] = table["note"].astype("string")
    params = {"level": level, "unit": unit, "coders": tuple(coders), "codes": tuple(codes)}
    return AgreementResult(
        table=table, level=level, unit=unit if level == "segment" else "note", n_units=n_units,
        n_coders=k, n_codes=n_codes, coders=tuple(coders),
        alpha_mean=float(np.nanmean(alpha)) if np.isfinite(alpha).any() else float("nan"),
        kappa_mean=(float(np.nanmean(kappa)) if kappa is not None and np.isfinite(kappa).any()
                    else None),
        percent_agreement_mean=float(np.mean(pa)) if n_codes else float("nan"),
        code_names=code_names(codebook),
        provenance=make_provenance("agreement", params, {"level": "document", "unit": "sentence"},
                                   r_equivalent="irr::kappa2(); irr::kripp.alpha(method='nominal')"))
