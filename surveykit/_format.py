"""APA number formatting primitives shared by every layer that prints numbers.

The report's tables (:mod:`surveykit.report.tables`) and the joint display
(:mod:`surveykit.mixed`) print numbers by the same APA-7 rules; they live here, below both,
because imports go one way (nothing imports ``report``).

* p values: three decimals without a leading zero (``.032``), ``< .001``, ``> .999``;
  in running text ``p = .032`` / ``p < .001`` (:func:`p_text`).
* Statistics that cannot exceed 1: no leading zero (``bounded=True``: ``.87``).
* Negative numbers: the typographic minus sign U+2212; a value rounding to zero prints
  unsigned.

>>> format_number(-0.4567, bounded=True), format_p(0.0321), p_text(0.00002)
('−.46', '.032', 'p < .001')
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["MINUS", "BOUNDED_EFFECT_SIZES", "is_missing", "format_number", "format_p", "p_text",
           "format_effect_size"]

#: The typographic minus sign (APA: not a hyphen-minus).
MINUS = "\u2212"
#: Effect sizes that cannot exceed 1 in absolute value (printed without a leading zero);
#: Cohen's d and Hedges' g are not among them.
BOUNDED_EFFECT_SIZES = frozenset({
    "r", "rho", "tau", "rank_biserial", "cliffs_delta", "eta_squared", "partial_eta_squared",
    "omega_squared", "epsilon_squared", "rank_epsilon_squared", "eta2", "omega2", "epsilon2",
    "cramers_v", "phi", "kendall_w", "r_squared",
})


def is_missing(x: Any) -> bool:
    """None, NA or NaN (and nothing else, e.g. not an empty string)."""
    if x is None or x is pd.NA:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def format_number(x: Any, decimals: int = 2, *, bounded: bool = False,
                  integer: bool = False) -> str:
    """Format one number the APA way.

    >>> format_number(-0.4567, bounded=True)
    '−.46'
    >>> format_number(12.0, integer=True)
    '12'
    >>> format_number(-0.001)
    '0.00'
    """
    if is_missing(x):
        return ""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if not isinstance(x, (int, float, np.integer, np.floating)):
        return str(x)
    v = float(x)
    if math.isinf(v):
        return "∞" if v > 0 else MINUS + "∞"
    if integer and v.is_integer():
        s = f"{int(v):d}"
    else:
        s = f"{v:.{decimals}f}"
    if s.startswith("-"):
        s = s[1:]
        neg = any(ch not in "0." for ch in s)
    else:
        neg = False
    if bounded and s.startswith("0."):
        s = s[1:]
    return (MINUS + s) if neg else s


def format_p(p: Any, decimals: int = 3) -> str:
    """Format a p value: ``< .001``, ``.032``, ``> .999`` (APA 7, 6.36).

    >>> format_p(0.00002), format_p(0.0321), format_p(0.99999)
    ('< .001', '.032', '> .999')
    """
    if is_missing(p):
        return ""
    v = float(p)
    floor = 10.0 ** -decimals
    if v < floor:
        return "< " + f"{floor:.{decimals}f}"[1:]
    if v > 1 - floor:
        return "> " + f"{1 - floor:.{decimals}f}"[1:]
    return f"{v:.{decimals}f}"[1:] if v < 1 else f"{v:.{decimals}f}"


def p_text(p: Any, decimals: int = 3, symbol: str = "p") -> str:
    """A p value in running text: ``p = .032``, ``p < .001``, ``p > .999`` (empty if missing).

    >>> p_text(0.0321), p_text(0.0004), p_text(float("nan"))
    ('p = .032', 'p < .001', '')
    """
    s = format_p(p, decimals)
    if not s:
        return ""
    return f"{symbol} {s}" if s.startswith(("<", ">")) else f"{symbol} = {s}"


def format_effect_size(value: Any, name: str | None, decimals: int = 2) -> str:
    """An effect size by its name: bounded ones (:data:`BOUNDED_EFFECT_SIZES`) without a
    leading zero, others (Cohen's d, Hedges' g) with it.

    >>> format_effect_size(-0.123, "rank_biserial"), format_effect_size(-0.123, "hedges_g")
    ('−.12', '−0.12')
    """
    return format_number(value, decimals, bounded=(name or "").lower() in BOUNDED_EFFECT_SIZES)
