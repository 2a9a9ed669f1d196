"""Score (Lagrange-multiplier) tests for releasing cross-group equality constraints.

For a multi-group CFA fitted with ``equal=`` this gives, for every constraint "parameter in
group g equals the same parameter in the first group", the univariate score test of
releasing it — ``lavaan::lavTestScore(fit)$uni`` — which is how non-invariant loadings or
intercepts are located before fitting a partial-invariance model (``partial=``).

With θ the unconstrained parameters (every group's copy separate), g = ∂f/∂θ and I the
expected information at the constrained estimates, and K_r the design matrix that imposes
every constraint except r, the statistic is ``X²_r = N g' K_r (K_r' I K_r)⁻¹ K_r' g``
(lavaan's bordered-matrix formula, written as a re-parametrisation), df = 1, and the
p value ``1 − pchisq`` as lavaan. Constraints made by shared user labels are kept, not
tested. Complete-data (listwise) fits only.

# R: lavaan::lavTestScore(fit)$uni
"""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd
from scipy import stats

from .ml import MLFit
from .objective import GroupStats, _Objective
from .partable import ParTable, _number_free

__all__ = ["score_tests"]


def _unconstrained(pt: ParTable) -> ParTable:
    pu = copy.deepcopy(pt)
    for r in pu.rows:
        if r.free >= 0:
            r.free = 0
    _number_free(pu, ())
    return pu


def score_tests(pt: ParTable, fit: MLFit, stats_: list[GroupStats],
                groups: list[str]) -> pd.DataFrame:
    """Univariate score tests of each cross-group equality constraint (see module doc)."""
    cols = ["term", "group", "group_a", "statistic", "df", "p_value"]
    pu = _unconstrained(pt)
    if pu.n_free == pt.n_free:
        return pd.DataFrame(columns=cols)
    theta_u = np.zeros(pu.n_free)
    for rc, ru in zip(pt.rows, pu.rows):
        if ru.free >= 0:
            theta_u[ru.free] = fit.theta[rc.free]
    obj = _Objective(pu, stats_)
    g, info = obj.grad_info(theta_u)
    N = obj.N
    # constraint pairs: (first-group free id, group-g free id) in the unconstrained numbering
    first: dict[tuple, int] = {}
    pairs = []
    for i, (rc, ru) in enumerate(zip(pt.rows, pu.rows)):
        key = (rc.lhs, rc.op, rc.rhs)
        if rc.group == 0:
            first[key] = i
            continue
        j = first.get(key)
        if j is None or rc.free < 0:
            continue
        if pt.rows[j].free == rc.free and pu.rows[j].free != ru.free:
            pairs.append((pu.rows[j].free, ru.free, rc))
    rows = []
    for r, (_a, _b, rc) in enumerate(pairs):
        # reduced parametrisation: every pair merged except r
        parent = list(range(pu.n_free))

        def find(x: int, parent: list[int] = parent) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for k, (a2, b2, _) in enumerate(pairs):
            if k != r:
                ra, rb = find(a2), find(b2)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
        roots = sorted({find(x) for x in range(pu.n_free)})
        col = {root: c for c, root in enumerate(roots)}
        K = np.zeros((pu.n_free, len(roots)))
        K[np.arange(pu.n_free), [col[find(x)] for x in range(pu.n_free)]] = 1.0
        gk = K.T @ g
        stat = float(N * gk @ np.linalg.solve(K.T @ info @ K, gk))
        term = f"{rc.lhs} ~ 1" if rc.op == "~1" else f"{rc.lhs} {rc.op} {rc.rhs}"
        rows.append({"term": term, "group": groups[rc.group], "group_a": groups[0],
                     "statistic": stat, "df": 1.0,
                     "p_value": float(1.0 - stats.chi2.cdf(stat, 1))})
    return pd.DataFrame(rows, columns=cols)
