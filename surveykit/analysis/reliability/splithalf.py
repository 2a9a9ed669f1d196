"""Split-half reliabilities as ``psych::splitHalf`` reports them.

For every split of the items into two halves the standardised split-half
coefficient is ``4·r_AB / sum(R)`` (``r_AB`` the summed correlations between the
halves); psych reports the largest (Guttman's λ4), the smallest (Revelle's β) and
the mean.  With up to 16 items psych (and surveykit) enumerate the splits exactly
— like psych, for an odd number of items only the first half of the
lexicographically ordered splits, and the mean divides by ``choose(p, p//2)/2``;
beyond that psych draws 10,000 random splits, so results agree with R only in
distribution (surveykit draws its own, reproducible with ``seed``).
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, islice
from math import ceil, comb

import numpy as np

N_SAMPLE = 10_000


@dataclass(frozen=True)
class SplitHalf:
    max: float      # lambda 4
    min: float      # beta
    mean: float
    lambda2: float
    exact: bool


def split_half(R: np.ndarray, seed=None) -> SplitHalf:
    p = R.shape[0]
    m = p // 2
    count = round(comb(p, m)) / 2
    total = float(R.sum())
    if count <= N_SAMPLE:
        n_eval = ceil(count)
        A = np.zeros((n_eval, p))
        for k, c in enumerate(islice(combinations(range(p), m), n_eval)):
            A[k, list(c)] = 1.0
        denom = count
        exact = True
    else:
        rng = np.random.default_rng(seed)
        A = np.zeros((N_SAMPLE, p))
        order = np.argsort(rng.random((N_SAMPLE, p)), axis=1)[:, :m]
        np.put_along_axis(A, order, 1.0, axis=1)
        denom = N_SAMPLE
        exact = False
    rab = 4 * np.einsum("kj,kj->k", A @ R, 1.0 - A) / total
    off = R - np.diag(np.diag(R))
    lambda2 = (total - np.trace(R) + np.sqrt(np.sum(off**2) * p / (p - 1))) / total
    return SplitHalf(max=float(rab.max()), min=float(rab.min()), mean=float(rab.sum() / denom),
                     lambda2=float(lambda2), exact=exact)
