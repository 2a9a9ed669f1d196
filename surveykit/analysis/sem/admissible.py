"""Warnings about a fitted solution that is not a proper ML solution, as lavaan gives them.

lavaan returns such fits with a warning (``lav_object_post_check``: "some estimated ov / lv
variances are negative", "covariance matrix of latent variables is not positive definite";
"the optimizer warns that a solution has NOT been found!"), and so does surveykit — one
:class:`~surveykit.DataWarning` per problem that names the parameters and says what to do, and
the flags ``converged`` / ``admissible`` on :class:`~surveykit.analysis.sem.cfa.CFAResult` and
:class:`~surveykit.analysis.sem.sem.SemResult`, never a silent number.

# R: lavaan:::lav_object_post_check(fit); lavInspect(fit, "converged")
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..inputs import warn_data
from .objective import latent_cov
from .partable import ParTable

__all__ = ["warn_not_converged", "check_admissible", "NOT_CONVERGED_NOTE", "IMPROPER_NOTE",
           "fit_note"]

#: the line summary() prints first for a fit that did not converge
NOT_CONVERGED_NOTE = ("** NOT CONVERGED ** the optimiser found no solution: the estimates, SEs "
                      "and fit measures below are those of its last iteration, not a result.")
#: the line summary() prints first for an improper solution
IMPROPER_NOTE = ("** IMPROPER SOLUTION ** a variance is negative or the latent covariance "
                 "matrix is not positive definite (see the warning); do not interpret it.")


def fit_note(converged: bool) -> str:
    """The ``note`` of every ``fit_table`` row: empty, or that the fit did not converge."""
    return "" if converged else "not converged: values of the last iteration, not a result"


def warn_not_converged(fit: Any, func: str) -> None:
    """lavaan: "the optimizer warns that a solution has NOT been found!" (and still returns)."""
    if fit.converged:
        return
    warn_data(f"{func} did not converge: the ML fit found no solution (largest gradient "
              f"{fit.max_gradient:.2g} after {fit.iterations} iterations, from the default and "
              f"from lavaan's \"simple\" start values), so its estimates and fit measures are "
              f"not a result (converged=False; lavaan also warns and refuses fitMeasures). "
              f"Check the model (a factor with too few indicators, a path that should not be "
              f"free), items with almost no variance, or refit with std_lv=True.")


def _name(r: Any, groups: list[str], n_groups: int) -> str:
    return f"{r.lhs}" + (f" in group {groups[r.group]}" if n_groups > 1 else "")


def check_admissible(pt: ParTable, fit: Any, groups: list[str], func: str) -> bool:
    """Warn about negative (residual or latent) variances or a non-positive-definite latent
    covariance matrix; True when the solution is admissible."""
    neg: dict[str, list[str]] = {"ov": [], "lv": [], "lv_y": []}
    first = None
    lv = set(pt.lv)
    endo = {r.lhs for r in pt.rows if r.op == "~"} | {      # its variance is a residual's
        r.rhs for r in pt.rows if r.op == "=~" and r.rhs in lv}
    for r in pt.rows:
        if r.op == "~~" and r.lhs == r.rhs and r.free >= 0 and fit.theta[r.free] < 0:
            first = first or r
            text = f"{_name(r, groups, pt.n_groups)} ({fit.theta[r.free]:.3g})"
            kind = "ov" if r.lhs not in lv else ("lv_y" if r.lhs in endo else "lv")
            neg[kind].append(text)
    neg_lv = neg["lv"] + neg["lv_y"]
    if neg["ov"] or neg_lv:
        words = {"ov": "the estimated residual variance of",
                 "lv": "the estimated latent variance of",
                 "lv_y": "the estimated residual variance of the latent"}
        parts = [f"{words[k]} {', '.join(v)}" for k, v in neg.items() if v]
        many = len(neg["ov"]) + len(neg_lv) > 1
        advice = (
            "Check the model: a negative latent variance usually means the factor is hardly "
            "identified by its indicators once other factors take their variance (e.g. a method "
            "factor on every item); give it more or stronger indicators, constrain its loadings "
            "or drop it" if neg_lv else
            "Check the model (a misspecified or missing loading, a factor with only two "
            "indicators) and the sample size")
        warn_data(f"{func}: {' and '.join(parts)} {'are' if many else 'is'} negative (a Heywood "
                  f"case), so the solution is improper (not admissible); lavaan fits the same "
                  f"values and warns that some estimated variances are negative. {advice}. "
                  f"Improper solutions are often not unique (other start values can reach "
                  f"another), so do not interpret them; if the negative value is within sampling "
                  f"error of zero, fix it at a small positive value ({first.lhs} ~~ "
                  f"0.001*{first.lhs}) and refit.")
        return False
    m = len(pt.lv)
    for g, mats in enumerate(fit.matrices):
        V = latent_cov(mats)[:m, :m]
        if not m or np.linalg.eigvalsh(V)[0] >= 0:
            continue
        d = np.sqrt(np.abs(np.diag(V)))
        with np.errstate(divide="ignore", invalid="ignore"):
            R = V / np.outer(d, d)
        iu = np.triu_indices(m, 1)
        pair = ""
        if iu[0].size:
            k = int(np.nanargmax(np.abs(R[iu])))
            i, j = int(iu[0][k]), int(iu[1][k])
            pair = f"; largest: {pt.lv[i]} and {pt.lv[j]}, r = {R[i, j]:.3f}"
        where = f" in group {groups[g]}" if pt.n_groups > 1 else ""
        warn_data(f"{func}: the covariance matrix of the latent variables{where} is not "
                  f"positive definite (a factor correlation beyond ±1{pair}), so the solution is "
                  f"improper (not admissible); lavaan warns the same. Merge the factors that "
                  f"correlate beyond ±1, or revise the model (cross-loadings, residual "
                  f"covariances).")
        return False
    return True
