"""Correlation matrices checked for what would make a factor analysis meaningless.

Internal helper of kmo, bartlett, parallel_analysis and efa.
"""
from __future__ import annotations

import numpy as np

from ..errors import AnalysisError, check_choice
from .inputs import ItemSet, correlation

MISSING = ("pairwise", "listwise")
EMPTY_ROWS = ("keep", "drop")


def checked_correlation(items: ItemSet, missing: str, func: str,
                        singular: str = "error", empty_rows: str = "keep"
                        ) -> tuple[np.ndarray, int, ItemSet]:
    """Correlation matrix of the items (pairwise like ``cor(x, use="pairwise")`` or
    listwise like ``cor(na.omit(x))``), the n psych reports, and the item set used.

    ``empty_rows="keep"`` (psych): rows with no answer on any item stay in the item
    set and count in n, as psych's ``n.obs <- dim(x)[1]`` (fa, cortest.bartlett,
    fa.parallel) counts them; they add nothing to the correlations.  ``"drop"``
    removes them first.  Listwise deletion removes them either way.  Raises
    :class:`AnalysisError` naming the items when a pair of items was never answered
    together, or when the matrix is singular (an item is a linear combination of others).
    """
    check_choice(func, "missing", missing, MISSING)
    check_choice(func, "empty_rows", empty_rows, EMPTY_ROWS)
    data = items.data
    if items.has_missing and (empty_rows == "drop" or missing == "listwise"):
        data = data.dropna(how="all")
    if missing == "listwise":
        data = data.dropna(how="any")
        if len(data) <= items.p:
            raise AnalysisError(
                f"{func} with missing='listwise' keeps {len(data)} complete rows for {items.p} "
                f"items; that is too few. Use missing='pairwise' or fewer items.")
    from dataclasses import replace

    used = replace(items, data=data)
    R, nn = correlation(data.to_numpy(dtype=float, na_value=np.nan), missing)
    bad = np.argwhere(np.isnan(R) | (nn < 3))
    bad = bad[bad[:, 0] < bad[:, 1]]
    if len(bad):
        i, j = bad[0]
        a, b = items.items[i], items.items[j]
        raise AnalysisError(
            f"{func}: items {a} and {b} were answered together by {int(nn[i, j])} respondents, "
            f"too few for a correlation. Drop one of them or use more data.")
    if singular != "ignore":
        check_singular(R, items.items, func, np.diag(nn), len(data))
    return R, len(data), used


def check_singular(R: np.ndarray, names: tuple[str, ...], func: str,
                   counts: np.ndarray | None = None, n_rows: int | None = None) -> None:
    """AnalysisError if ``R`` is singular (items linearly dependent) or indefinite.

    An indefinite matrix (a negative eigenvalue) is not a linear dependence: no complete
    data set gives one; pairwise deletion does, when correlations were computed on
    different respondents. ``counts`` (answers per item) and ``n_rows`` name the items
    with the fewest answers in that message.
    """
    w, v = np.linalg.eigh(R)
    scale = max(w[-1], 1.0)
    if w[0] > 1e-10 * scale:
        return
    if w[0] < -1e-10 * scale:
        raise AnalysisError(indefinite_message(w[0], names, func, counts, n_rows))
    vec = v[:, 0]
    involved = [names[i] for i in np.argsort(-np.abs(vec)) if abs(vec[i]) > 1e-4]
    shown = ", ".join(involved[:8]) + (", …" if len(involved) > 8 else "")
    raise AnalysisError(
        f"{func}: the correlation matrix is singular — items {shown} are linearly dependent "
        f"(one is a combination of the others, e.g. a total score or a duplicated column). "
        f"Drop one of them.")


def indefinite_message(w0: float, names: tuple[str, ...], func: str,
                       counts: np.ndarray | None, n_rows: int | None) -> str:
    """Text for a pairwise correlation matrix with a negative eigenvalue ``w0``."""
    sparse = ""
    if counts is not None and len(counts) and n_rows:
        counts = np.asarray(counts)
        few = [i for i in np.argsort(counts, kind="stable")[:3] if counts[i] < 0.5 * n_rows]
        if few:
            sparse = (" Items with the fewest answers: " + ", ".join(
                f"{names[i]} ({int(counts[i]):,} of {int(n_rows):,} answers)" for i in few)
                + ".")
    return (f"{func}: the correlation matrix is not positive definite (smallest eigenvalue "
            f"{w0:.3f}), which no complete data set gives: with missing='pairwise' its "
            f"correlations come from different respondents.{sparse} Drop the sparsely answered "
            f"items, or use missing='listwise'.")
