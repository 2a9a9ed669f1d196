"""Plain-text summary of a CFA result, laid out like a compact ``summary(fit)`` of lavaan."""
from __future__ import annotations

import math
from typing import Any

import pandas as pd

__all__ = ["cfa_summary"]

_SECTIONS = (("=~", "Latent variables"), ("cov", "Covariances"), ("~1", "Intercepts"),
             ("var", "Variances"))


def _n(v: float, w: int = 8, d: int = 3) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return " " * w
    return f"{v:{w}.{d}f}"


def _p(v: float) -> str:
    if v is None or math.isnan(v):
        return " " * 8
    return "   <.001" if v < 0.001 else f"{v:8.3f}"


def _section(op: str, df: pd.DataFrame) -> pd.DataFrame:
    if op == "cov":
        return df[(df["op"] == "~~") & (df["lhs"] != df["rhs"])]
    if op == "var":
        return df[(df["op"] == "~~") & (df["lhs"] == df["rhs"])]
    return df[df["op"] == op]


def cfa_summary(res: Any) -> str:
    fm = res.fit
    from .admissible import IMPROPER_NOTE, NOT_CONVERGED_NOTE

    lines = [res.title, "=" * len(res.title)]
    if not res.converged:
        lines.append(NOT_CONVERGED_NOTE)
    if not res.admissible:
        lines.append(IMPROPER_NOTE)
    lines.append("")
    grp = "" if res.n_groups == 1 else "  groups: " + ", ".join(
        f"{g} (n = {n})" for g, n in zip(res.groups, res.n_per_group))
    lines.append(f"  Observations used: {res.n} (excluded, incomplete: {res.n_dropped}){grp}")
    if res.equal:
        lines.append(f"  Equal across groups: {', '.join(res.equal)}")
    lines.append(f"  Free parameters: {fm.npar}")
    lines.append("")
    pv = "< .001" if fm.pvalue < 0.001 else f"= {fm.pvalue:.3f}"
    lines.append(f"  Model test: chi2({fm.df}) = {fm.chisq:.3f}, p {pv}")
    lines.append(f"  CFI = {fm.cfi:.3f}  TLI = {fm.tli:.3f}  RMSEA = {fm.rmsea:.3f} "
                 f"[90% CI {fm.rmsea_ci_low:.3f}, {fm.rmsea_ci_high:.3f}]  SRMR = {fm.srmr:.3f}")
    lines.append(f"  AIC = {fm.aic:.3f}  BIC = {fm.bic:.3f}")
    head = f"{'':24}{'Estimate':>9}{'Std.Err':>9}{'z-value':>9}{'P(>|z|)':>9}{'Std.all':>9}"
    groups = list(res.groups) if res.n_groups > 1 else [None]
    for g in groups:
        t = res.table if g is None else res.table[res.table["group"] == g]
        if g is not None:
            lines += ["", f"Group {g}:"]
        for op, name in _SECTIONS:
            sub = _section(op, t)
            if sub.empty:
                continue
            lines += ["", f"{name}:", head]
            last = None
            for r in sub.itertuples(index=False):
                if op == "=~" and r.lhs != last:
                    lines.append(f"  {r.lhs} =~")
                    last = r.lhs
                if op == "cov" and r.lhs != last:
                    lines.append(f"  {r.lhs} ~~")
                    last = r.lhs
                name_ = r.rhs if op in ("=~", "cov") else r.lhs
                lab = f" ({r.label})" if r.label else ""
                indent = "    " if op in ("=~", "cov") else "  "
                lines.append(f"{(indent + name_ + lab):24}{_n(r.estimate, 9)}"
                             f"{_n(r.se if r.free else float('nan'), 9)}{_n(r.statistic, 9, 3)}"
                             f"{_p(r.p_value)} {_n(r.std_estimate, 8)}")
    lines += ["", "Construct validity (CR = semTools::compRelSEM, AVE = semTools::AVE):"]
    with pd.option_context("display.width", 120, "display.max_columns", 20):
        lines.append(res.construct.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        lines += ["", "HTMT (semTools::htmt):",
                  res.htmt.to_string(float_format=lambda v: f"{v:.3f}")]
    return "\n".join(lines)
