"""Intercoder agreement per code: percent agreement, Cohen's κ, Krippendorff's α (nominal).

For every code, each coder's codings become a 0/1 decision per unit ("did this coder
apply the code to this unit?"):

* ``level="document"`` — a unit is a note (1 if the coder used the code anywhere in it);
* ``level="segment"`` — a unit is a sentence (``unit="sentence"``, 1 if a segment of
  the code overlaps the sentence) or a character (``unit="character"``, 1 if the code
  point lies inside a segment).

Every note in ``notes`` counts as coded by every coder: a coder who left a note
uncoded said "0" for all its units. All statistics are computed from count and
coincidence matrices with numpy, for all codes at once (no loops over units). Formulas
are in docs/qualitative.md.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from ..errors import QualError, check_choice
from ..result import Result, make_provenance
from .codings import Codings, load_codings
from .notes import NoteSet
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


def _indicators(cod: Codings, notes: NoteSet, codes: list[str], coders: list[str], level: str,
                unit: str) -> np.ndarray:
    """Boolean array (codes, coders, units)."""
    f = cod.frame
    note_ids = list(notes)
    ci = pd.Index(codes).get_indexer(f["code"])
    ki = pd.Index(coders).get_indexer(f["coder"])
    ni = pd.Index(note_ids).get_indexer(f["note"])
    keep = (ci >= 0) & (ki >= 0) & (ni >= 0)
    ci, ki, ni = ci[keep], ki[keep], ni[keep]
    starts = f["start"].to_numpy()[keep]
    ends = f["end"].to_numpy()[keep]
    if level == "document":
        x = np.zeros((len(codes), len(coders), len(note_ids)), dtype=bool)
        x[ci, ki, ni] = True
        return x
    lengths = np.array([len(notes[n].text) for n in note_ids], dtype=np.int64)
    base = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    if unit == "character":
        n_units = int(lengths.sum())
        lo, hi = base[ni] + starts, base[ni] + ends
    else:
        spans = [unit_spans(notes[n].text, "sentence") for n in note_ids]
        us = np.concatenate([s + b for (s, _), b in zip(spans, base)]) if spans else np.array([], int)
        ue = np.concatenate([e + b for (_, e), b in zip(spans, base)]) if spans else np.array([], int)
        n_units = len(us)
        g0, g1 = base[ni] + starts, base[ni] + ends
        lo = np.searchsorted(ue, g0, side="right")     # first unit ending after the start
        hi = np.searchsorted(us, g1, side="left")      # units starting before the end
        hi = np.maximum(hi, lo)
    diff = np.zeros((len(codes), len(coders), n_units + 1), dtype=np.int32)
    np.add.at(diff, (ci, ki, lo), 1)
    np.add.at(diff, (ci, ki, hi), -1)
    return np.cumsum(diff, axis=-1)[..., :n_units] > 0


def _verify_anchors(cod: Codings, notes: NoteSet) -> None:
    f = cod.frame
    bad = []
    for r in f.itertuples(index=False):
        if r.note not in notes:
            bad.append(f"{r.file}:{r.line}: note {r.note!r} is not among the notes")
        elif notes[r.note].text[r.start:r.end] != r.quote:
            bad.append(f"{r.file}:{r.line}: quote not at {r.start}–{r.end} in note {r.note!r}")
    if bad:
        more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
        raise QualError("Codings do not match the notes: " + "; ".join(bad[:5]) + more +
                        ". Run 'surveykit notes check --fix' first.")


def agreement(codings: "Codings | str", notes: NoteSet, *, level: str = "document",
              unit: str = "sentence", coders: Sequence[str] | None = None,
              codes: Sequence[str] | None = None) -> AgreementResult:
    """Intercoder agreement per code between two or more coders coding the same notes.

    Parameters
    ----------
    codings : Codings or path
        Segments of every coder (see :func:`surveykit.load_codings`).
    notes : NoteSet
        The notes both coders coded; every note counts as a unit (document level) or
        contributes its units (segment level).
    level : {"document", "segment"}
    unit : {"sentence", "character"}
        Unit at segment level (ignored at document level).
    coders, codes : sequence of str, optional
        Restrict to these coders / codes (default: every coder and every code used).

    Returns
    -------
    AgreementResult
        Per code: percent agreement (share of units on which all coders agree),
        Cohen's κ (exactly two coders), Krippendorff's α (nominal).

    Examples
    --------
    >>> res = agreement(cod, notes, level="segment", unit="sentence")   # doctest: +SKIP
    >>> res.wide()                                                      # doctest: +SKIP
    # R: irr::kappa2(cbind(a, b)); irr::kripp.alpha(rbind(a, b), "nominal")
    """
    check_choice("agreement", "level", level, ("document", "segment"))
    check_choice("agreement", "unit", unit, ("sentence", "character"))
    cod = codings if isinstance(codings, Codings) else load_codings(codings)
    if not isinstance(notes, NoteSet):
        raise QualError("agreement needs the notes as read by surveykit.read_notes(folder).")
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
    cod = cod.only(coder=coders)
    _verify_anchors(cod, notes)
    codes = list(codes) if codes is not None else list(cod.codes)
    x = _indicators(cod, notes, codes, list(coders), level, unit)      # (C, K, U)
    n_codes, k, n_units = x.shape
    ones = x.sum(axis=1)                                               # (C, U)
    pa = ((ones == 0) | (ones == k)).mean(axis=-1) if n_units else np.full(n_codes, np.nan)
    alpha = alpha_from_counts(np.stack([k - ones, ones], axis=-1))
    positive = x.any(axis=1).sum(axis=-1)
    rows = []
    kappa = None
    if k == 2:
        a, b = x[:, 0, :], x[:, 1, :]
        po = (a == b).mean(axis=-1)
        p1, p2 = a.mean(axis=-1), b.mean(axis=-1)
        pe = p1 * p2 + (1 - p1) * (1 - p2)
        with np.errstate(invalid="ignore", divide="ignore"):
            kappa = np.where(pe < 1, (po - pe) / (1 - pe), np.nan)
    for i, code in enumerate(codes):
        note = ""
        if positive[i] == 0:
            note = "no coder applied this code to these units; kappa and alpha undefined"
        elif ones[i].min() == k and ones[i].max() == k:
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
        provenance=make_provenance("agreement", params, {"level": "document", "unit": "sentence"},
                                   r_equivalent="irr::kappa2(); irr::kripp.alpha(method='nominal')"))
