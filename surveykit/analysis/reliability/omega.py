"""McDonald's ω from a correlation matrix.

* :func:`omega_total_1f` — ω total of a one-factor maximum-likelihood model,
  ``(Σλ)² / ((Σλ)² + Σψ)`` with ``psych::fa(x, nfactors=1, fm="ml")`` loadings;
* :func:`omega_sl` — ω hierarchical / ω total of a Schmid–Leiman solution exactly
  as ``psych::omega(x, nfactors=3, fm="minres")`` computes them (varimax
  extraction, GPArotation oblimin, one higher-order factor of the factor
  correlations, the sign flip of items with negative general loadings).

Internal module used by :func:`surveykit.analysis.reliability.scale.reliability`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..factor.efa import fit_fa
from ..factor.rotation import _gpf_oblq, _vgq_oblimin


def omega_total_1f(R: np.ndarray) -> tuple[float, np.ndarray]:
    """ω total of the one-factor ML model and its loadings."""
    L, _, _, _, _ = fit_fa(R, 1, "ml", None)
    lam = L[:, 0]
    u = np.diag(R) - lam**2
    s2 = float(lam.sum()) ** 2
    return s2 / (s2 + float(u.sum())), lam


@dataclass(frozen=True)
class OmegaSL:
    omega_h: float
    omega_total: float
    omega_limit: float
    ecv: float
    loadings: pd.DataFrame   # g, F1*, F2*, ..., h2, u2, p2 (psych ``$schmid$sl``)
    n_factors: int


def omega_sl(R: np.ndarray, names: tuple[str, ...], n_factors: int = 3,
             fm: str = "minres") -> OmegaSL:
    """Schmid–Leiman ω (psych::omega with ``rotate="oblimin"``, ``option="equal"``)."""
    p = R.shape[0]
    orth, _, _, _, _ = fit_fa(R, n_factors, fm, "varimax")
    rot = _gpf_oblq(orth, _vgq_oblimin)
    fload, phi = rot.loadings, rot.phi
    if n_factors > 2:
        gl, _, _, _, _ = fit_fa(phi, 1, fm, None)
        gload = gl[:, 0]
    else:  # option = "equal"
        r12 = phi[0, 1]
        gload = np.array([np.sqrt(abs(r12)), np.sign(r12) * np.sqrt(abs(r12))])
    g = fload @ gload
    h2 = np.sum(orth * orth, axis=1)
    u2 = np.diag(R) - h2
    uniq = np.diag(R)[:, None] - fload**2
    uniq2 = np.diag(R)[:, None] - uniq - (fload * gload) ** 2
    uniq2[uniq2 < 0] = 0.0
    sm = np.sign(fload) * np.sqrt(uniq2)
    p2 = g**2 / h2
    m = np.array(R, float)
    key = np.sign(g)
    key[key == 0] = 1.0
    if key.sum() < p:
        m = m * np.outer(key, key)
        g = g * key
        sm = sm * key[:, None]
    Vt = float(m.sum())
    gsq = float(g.sum()) ** 2
    uq = float(u2.sum())
    ev = np.concatenate([[np.sum(g**2)], np.sum(sm**2, axis=0)])
    cols = ["g"] + [f"F{i + 1}*" for i in range(n_factors)]
    tab = pd.DataFrame(np.column_stack([g, sm]), index=pd.Index(list(names), name="item"), columns=cols)
    tab["h2"], tab["u2"], tab["p2"] = h2, u2, p2
    return OmegaSL(omega_h=gsq / Vt, omega_total=(Vt - uq) / Vt, omega_limit=gsq / (Vt - uq),
                   ecv=float(ev[0] / ev.sum()), loadings=tab, n_factors=n_factors)
