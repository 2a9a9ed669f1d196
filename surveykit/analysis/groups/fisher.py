"""Fisher's exact test for r×c tables by complete enumeration (R ``fisher.test`` p value).

Given the margins, the probability of a table is ``Π r_i! Π c_j! / (n! Π t_ij!)``. The
two-sided p is the total probability of every table no more probable than the observed one
(relative tolerance 1e-7, as R). R uses the network algorithm (Mehta & Patel, FEXACT); here
every table is enumerated column by column, vectorised, which is exact and fast for the
small tables Fisher's test is meant for. Tables needing more than ``MAX_TABLES`` partial
tables raise :class:`AnalysisError` (merge sparse categories, or use the χ² test).

# R: fisher.test(table(row, col))$p.value
"""
from __future__ import annotations

import math

import numpy as np
from scipy.special import gammaln

from ...errors import AnalysisError

__all__ = ["fisher_rxc", "MAX_TABLES"]

MAX_TABLES = 2_000_000


def _compositions(total: int, caps: np.ndarray) -> np.ndarray:
    """All vectors v ≥ 0 with Σ v = total and v ≤ caps (rows of the result)."""
    r = caps.size
    if r == 1:
        return np.array([[total]]) if total <= caps[0] else np.zeros((0, 1), dtype=np.int64)
    out = []
    for first in range(0, min(total, int(caps[0])) + 1):
        rest = _compositions(total - first, caps[1:])
        if rest.size:
            out.append(np.column_stack([np.full(len(rest), first), rest]))
    return np.vstack(out) if out else np.zeros((0, r), dtype=np.int64)


def fisher_rxc(table: np.ndarray, *, func: str = "crosstab") -> float:
    """Two-sided p value of Fisher's exact test for an r×c table of counts."""
    t = np.asarray(table, dtype=np.int64)
    shape = t.shape
    if t.shape[0] > t.shape[1]:  # fewer rows = fewer compositions per column
        t = t.T
    rows, cols = t.sum(axis=1), t.sum(axis=0)
    n = int(t.sum())
    r = t.shape[0]
    # upper bound on the tables to enumerate (compositions of each column but the last,
    # ignoring the row caps): refuse before doing any work when it is too large
    bound = float(np.prod([math.comb(int(c) + r - 1, r - 1) for c in cols[:-1]]))
    if bound > MAX_TABLES:
        raise AnalysisError(
            f"{func}: Fisher's exact test would enumerate up to {bound:,.0f} tables for this "
            f"{shape[0]}×{shape[1]} table (n = {n}), more than the {MAX_TABLES:,} allowed. "
            f"Merge sparse categories or rely on the χ² test.")
    const = float(gammaln(rows + 1).sum() + gammaln(cols + 1).sum() - gammaln(n + 1))
    lfact = gammaln(np.arange(n + 2) + 1.0)  # log k!
    obs = const - float(lfact[t].sum())
    # enumerate: state = remaining row sums + accumulated -Σ log t!
    remaining = rows[None, :].copy()
    acc = np.zeros(1)
    comp_cache: dict[tuple[int, tuple[int, ...]], np.ndarray] = {}
    for j in range(len(cols) - 1):
        c = int(cols[j])
        new_rem, new_acc = [], []
        # group states by their remaining row sums to reuse compositions
        keys, inv = np.unique(remaining, axis=0, return_inverse=True)
        inv = np.asarray(inv).ravel()
        for k, key in enumerate(keys):
            ck = (c, tuple(int(v) for v in key))
            comps = comp_cache.get(ck)
            if comps is None:
                comps = _compositions(c, key)
                comp_cache[ck] = comps
            idx = np.flatnonzero(inv == k)
            if comps.size == 0:
                continue
            w = -lfact[comps].sum(axis=1)
            new_rem.append(np.repeat((key - comps)[None, :, :], idx.size, axis=0).reshape(-1, key.size))
            new_acc.append((acc[idx][:, None] + w[None, :]).ravel())
        remaining = np.vstack(new_rem)
        acc = np.concatenate(new_acc)
        if acc.size > MAX_TABLES:
            raise AnalysisError(
                f"{func}: Fisher's exact test would enumerate more than {MAX_TABLES:,} tables "
                f"for this {shape[0]}×{shape[1]} table (n = {n}). Merge sparse categories "
                f"or rely on the χ² test.")
    # last column is determined: it equals the remaining row sums
    logp = const + acc - lfact[remaining].sum(axis=1)
    keep = logp <= obs + np.log1p(1e-7)
    return float(min(1.0, np.exp(logp[keep]).sum()))


