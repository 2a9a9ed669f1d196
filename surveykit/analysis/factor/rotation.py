"""Factor rotations exactly as psych::fa calls them.

* ``varimax`` — ``stats::varimax`` (Kaiser normalisation on, ``eps=1e-5``), the
  rotation psych uses for ``rotate="varimax"``;
* ``promax`` — psych's ``kaiser(L, rotate="Promax")``: rows normalised by their
  communality, ``psych::Promax`` (stats::varimax then power 4 target), de-normalised;
* ``oblimin`` — ``GPArotation::oblimin`` (quartimin, ``gam=0``, *no* Kaiser
  normalisation, ``eps=1e-5``, ``maxit=1000``) via the gradient projection
  algorithm ``GPFoblq``;
* ``geomin`` — ``GPArotation::geominQ`` (oblique, ``delta=0.01``, no normalisation).

The GPA iterations and stopping rules are those of GPArotation 2022.10, so the
results agree with R to rounding error, not merely to the convergence tolerance.

>>> import numpy as np
>>> L = np.array([[.8, .3], [.7, .4], [.3, .7], [.2, .8]])
>>> rot = rotate(L, "varimax")
>>> rot.phi is None
True
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ...errors import DataWarning

__all__ = ["Rotation", "rotate", "ROTATIONS"]

ROTATIONS = ("oblimin", "varimax", "promax", "geomin", None)


@dataclass(frozen=True)
class Rotation:
    loadings: np.ndarray
    phi: np.ndarray | None      # factor correlations (None for orthogonal rotations)
    rotmat: np.ndarray | None
    converged: bool = True


def _varimax(x: np.ndarray, normalize: bool = True, eps: float = 1e-5) -> tuple[np.ndarray, np.ndarray]:
    """R ``stats::varimax``."""
    nc = x.shape[1]
    if nc < 2:
        return x, np.eye(nc)
    sc = None
    if normalize:
        sc = np.sqrt(np.sum(x * x, axis=1))
        x = x / sc[:, None]
    p = x.shape[0]
    TT = np.eye(nc)
    d = 0.0
    for _ in range(1000):
        z = x @ TT
        B = x.T @ (z**3 - z * (np.sum(z * z, axis=0) / p))
        u, sv, vt = np.linalg.svd(B)
        TT = u @ vt
        dpast = d
        d = float(np.sum(sv))
        if d < dpast * (1 + eps):
            break
    z = x @ TT
    if normalize:
        z = z * sc[:, None]
    return z, TT


def _promax(x: np.ndarray, m: float = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """psych::Promax: varimax, then least-squares fit to the power-``m`` target."""
    xv, rot = _varimax(x)
    Q = xv * np.abs(xv) ** (m - 1)
    U = np.linalg.lstsq(xv, Q, rcond=None)[0]
    d = np.diag(np.linalg.inv(U.T @ U))
    U = U * np.sqrt(d)
    z = xv @ U
    U = rot @ U
    ui = np.linalg.inv(U)
    return z, U, ui @ ui.T


def _vgq_oblimin(L: np.ndarray, gam: float = 0.0) -> tuple[np.ndarray, float]:
    k = L.shape[1]
    X = (L * L) @ (1.0 - np.eye(k))
    if gam != 0:
        p = L.shape[0]
        X = (np.eye(p) - gam / p) @ X
    return L * X, float(np.sum(L * L * X) / 4)


def _vgq_geomin(L: np.ndarray, delta: float = 0.01) -> tuple[np.ndarray, float]:
    k = L.shape[1]
    L2 = L * L + delta
    pro = np.exp(np.sum(np.log(L2), axis=1) / k)
    return (2.0 / k) * (L / L2) * pro[:, None], float(np.sum(pro))


def _gpf_oblq(A: np.ndarray, vgq, eps: float = 1e-5, maxit: int = 1000) -> Rotation:
    """GPArotation::GPFoblq (gradient projection, oblique), no normalisation."""
    k = A.shape[1]
    T = np.eye(k)
    al = 1.0
    L = A @ np.linalg.inv(T).T
    Gq, f = vgq(L)
    G = -(L.T @ Gq @ np.linalg.inv(T)).T
    s = np.inf
    for _ in range(maxit + 1):
        Gp = G - T * np.sum(T * G, axis=0)
        s = float(np.sqrt(np.sum(Gp * Gp)))
        if s < eps:
            break
        al = 2 * al
        for _i in range(11):
            X = T - al * Gp
            v = 1.0 / np.sqrt(np.sum(X * X, axis=0))
            Tt = X * v
            Tti = np.linalg.inv(Tt)
            L = A @ Tti.T
            Gqt, ft = vgq(L)
            if f - ft > 0.5 * s * s * al:
                break
            al = al / 2
        T = Tt
        f = ft
        G = -(L.T @ Gqt @ Tti).T
    converged = s < eps
    return Rotation(loadings=L, phi=T.T @ T, rotmat=np.linalg.inv(T).T, converged=converged)


def rotate(L: np.ndarray, method: str | None) -> Rotation:
    """Rotate unrotated loadings ``L`` (items × factors) as psych::fa does."""
    L = np.asarray(L, float)
    if method is None or L.shape[1] < 2:
        return Rotation(loadings=L, phi=None, rotmat=None)
    if method == "varimax":
        z, TT = _varimax(L)
        return Rotation(loadings=z, phi=None, rotmat=TT)
    if method == "promax":
        h2 = np.sum(L * L, axis=1)
        z, U, phi = _promax(L / np.sqrt(h2)[:, None])
        return Rotation(loadings=z * np.sqrt(h2)[:, None], phi=phi, rotmat=U)
    if method == "oblimin":
        rot = _gpf_oblq(L, _vgq_oblimin)
    elif method == "geomin":
        rot = _gpf_oblq(L, _vgq_geomin)
    else:  # pragma: no cover - validated by the caller
        raise ValueError(method)
    if not rot.converged:
        warnings.warn(f"The {method} rotation did not converge in 1000 iterations (as "
                      f"GPArotation would warn); the loadings are the last iterate.",
                      DataWarning, stacklevel=3)
    return rot
