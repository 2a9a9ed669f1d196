"""The WLSMV / DWLS branch of :func:`surveykit.sem`: checks, data, and the ``SemResult``.

The fit itself is :mod:`.wls_sem` (one group) or :mod:`.wls_groups` (``group=`` with
``equal=``/``partial=`` as lavaan's ``group.equal``/``group.partial``, incl. ``"thresholds"``);
this module checks what that version supports (every model item ordinal, listwise
deletion, standard SEs), drops the
incomplete rows as lavaan's default ``missing = "listwise"`` does and builds the result.

# R: lavaan::sem(model, data, ordered = items, estimator = "WLSMV")
"""
from __future__ import annotations

from typing import Any, Mapping

from ...errors import ParameterError
from ...result import make_provenance
from .wls_groups import group_args, group_frames, ordered_items

__all__ = ["ordinal_sem", "ordered_items"]


def ordinal_sem(data: Any, model: str, *, ordered: Any, estimator: str, group: Any,
                equal: tuple, partial: tuple, missing: str, se: str, std_lv: bool,
                instrument: Any, defaults: Mapping[str, Any]):
    """:func:`surveykit.sem` with ``estimator="WLSMV"``/``"DWLS"``; returns the keyword
    arguments of ``SemResult`` (``sem`` builds it, so this module needs no import of ``sem``)."""
    from .cfa import prepare
    from .syntax import parse_model
    from .wls_groups import fit_wls_groups
    from .wls_sem import check_terms, fit_wls_sem

    func = "sem"
    if missing != "listwise":
        raise ParameterError(f"The 'missing' parameter of {func} must be 'listwise' with "
                             f"estimator={estimator!r}. Got {missing!r} instead; rows with a "
                             f"missing item are dropped (lavaan's default for WLSMV; its "
                             f"pairwise option is not supported).")
    if se != "standard":
        raise ParameterError(f"The 'se' parameter of {func} must be 'standard' with "
                             f"estimator={estimator!r}. Got {se!r} instead; the WLSMV SEs are "
                             f"robust (sandwich) SEs. Use estimator='ML' or 'MLR' for the "
                             f"bootstrap.")
    check_terms(parse_model(model), func)
    prep = prepare(data, model, group, func, instrument, "listwise", structural=True)
    items = ordered_items(ordered, list(prep.ov), func)
    G = len(prep.groups)
    if group is None:
        out = fit_wls_sem(prep.data, prep.terms, estimator=estimator, std_lv=std_lv, func=func)
    else:
        out = fit_wls_groups(group_frames(prep), prep.terms, prep.groups, estimator=estimator,
                             std_lv=std_lv, equal=equal, partial=partial, structural=True,
                             func=func)
    fm, table = out["fm"], out["table"]
    params = {"model": model, "group": group, "equal": equal, "partial": partial,
              "estimator": estimator, "missing": missing, "se": se, "n_boot": 1000,
              "seed": None, "ci": "percentile", "std_lv": std_lv,
              "ordered": tuple(items), "instrument": instrument}
    args = ["model", "data", "ordered=c(" + ", ".join(f'"{o}"' for o in items) + ")",
            f'estimator="{estimator}"'] + group_args(group, equal, partial) + (
                ["std.lv=TRUE"] if std_lv else [])
    prov = make_provenance(func, params, {**defaults, "ordered": ()},
                           instruments=prep.instruments,
                           r_equivalent=f"fit <- lavaan::sem({', '.join(args)}); "
                                        f"lavaan::parameterEstimates(fit); "
                                        f"lavaan::standardizedSolution(fit)")
    return dict(
        table=table, provenance=prov,
        chisq=fm.chisq, df=fm.df, p_value=fm.pvalue, cfi=fm.cfi, tli=fm.tli, rmsea=fm.rmsea,
        rmsea_ci_low=fm.rmsea_ci_low, rmsea_ci_high=fm.rmsea_ci_high, srmr=fm.srmr,
        aic=fm.aic, bic=fm.bic, n=fm.n, n_dropped=prep.n_dropped, n_groups=G,
        fit=fm, fit_table=out["fit_table"], groups=tuple(prep.groups),
        n_per_group=out.get("n_per_group", (fm.n,)), model=model, equal=tuple(equal),
        estimator=estimator, missing=missing, se=se,
        iterations=out["iterations"], **out["robust"], fitted=None,
        title=f"Structural equation model ({estimator}, ordinal items)")
