"""Path diagrams of CFA and SEM results, drawn with matplotlib in the report's style.

:func:`path_diagram` takes a lavaan-style parameter table — ``lhs``, ``op``, ``rhs``,
``std_estimate`` (lavaan's ``std.all``) and ``p_value`` — so it draws today's
:class:`~surveykit.analysis.sem.cfa.CFAResult` (its ``.table``) and any result with
``.estimates`` in the same shape (``sk.sem``'s ``SemResult``) or a DataFrame:

* latent variables (``lhs`` of ``=~``) are ovals, observed variables boxes;
* ``=~`` loadings point from the factor to its indicators, ``~`` regressions from each
  predictor to its outcome, ``~~`` covariances between two different variables are curved
  double-headed arrows (``covariances=False`` leaves them out); variances, intercepts
  (``~1``), thresholds (``|``) and defined parameters (``:=``) are not drawn;
* every arrow carries its standardised estimate (APA: no leading zero when ≤ 1);
  significant paths (``p < alpha``) and fixed ones (no p, e.g. marker loadings) are solid,
  the others dashed.

The layout is computed, not optimised, so it is the same on every run: the variables of the
structural part are put into layers by their longest chain of incoming paths (exogenous
left → endogenous right; a second-order factor left of its first-order factors), ordered
within a layer by the mean position of their predecessors; the indicators of a factor stand
in a column to its left in the first layer, to its right in the last, and in a row beneath
it in the layers between.  An indicator that is also in a regression (a MIMIC direct effect
``y3 ~ x``, an indicator predicting an outcome) stays a box beside its factor; its paths
count as paths of its factor for the layers, so ``x`` stands before the factor.

>>> import pandas as pd
>>> est = pd.DataFrame({"lhs": ["T", "T", "S", "S", "S"], "op": ["=~", "=~", "=~", "=~", "~"],
...                     "rhs": ["t1", "t2", "s1", "s2", "T"],
...                     "std_estimate": [0.8, 0.7, 0.9, 0.6, 0.45],
...                     "p_value": [float("nan"), 0.001, float("nan"), 0.001, 0.2]})
>>> lay = diagram_layout(est)
>>> lay.layer["T"], lay.layer["S"], lay.kind["t1"]
(0, 1, 'observed')
>>> fig = path_diagram(est, lang="en")
>>> sorted(a.get_linestyle() for a in fig.axes[0].patches if hasattr(a, "get_arrowstyle"))[-1]
'--'
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ParameterError, check_choice
from .figstyle import _new_figure, _wrap, bare_name, captioned, figure_style
from .i18n import LANGS, Text, pick
from .process_tables import variable_label
from .tables import format_number

__all__ = ["path_diagram", "diagram_layout", "DiagramLayout"]

#: Sizes in layout units (one unit ≈ ``scale`` inches on the figure).
OVAL = (1.7, 0.85)
BOX = (1.0, 0.45)
ROW = 0.62            # vertical distance of stacked indicator boxes
GAP = 0.55            # between two nodes' blocks in a layer
SIDE = 2.4            # factor centre to its indicator column
LAYER = 3.6           # between the centres of two structural layers
_DRAWN = ("=~", "~", "~~")


@dataclass
class DiagramLayout:
    """Where every variable goes: centre, kind (``latent``/``observed``), layer, side of
    its indicators (``left``, ``right``, ``below``), and the edges to draw."""

    pos: dict[str, tuple[float, float]] = field(default_factory=dict)
    kind: dict[str, str] = field(default_factory=dict)
    layer: dict[str, int] = field(default_factory=dict)
    side: dict[str, str] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)   # indicator -> its factor
    edges: pd.DataFrame = field(default_factory=pd.DataFrame)


def _estimates(obj: Any, group: Any) -> pd.DataFrame:
    est = getattr(obj, "estimates", None)
    if not isinstance(est, pd.DataFrame):
        est = obj if isinstance(obj, pd.DataFrame) else getattr(obj, "table", None)
    need = {"lhs", "op", "rhs", "std_estimate", "p_value"}
    if not isinstance(est, pd.DataFrame) or not need <= set(est.columns):
        raise ParameterError(
            "The 'estimates' parameter of path_diagram must be a parameter table with columns "
            "lhs, op, rhs, std_estimate, p_value (a CFA or SEM result, or its table). Got "
            f"{type(obj).__name__} instead.")
    if "group" in est.columns and est["group"].nunique() > 1:
        groups = list(pd.unique(est["group"]))
        g = groups[0] if group is None else group
        if g not in groups:
            raise ParameterError(f"The 'group' parameter of path_diagram must be one of "
                                 f"{groups}. Got {group!r} instead.")
        est = est[est["group"] == g]
    est = est[est["op"].isin(_DRAWN)].copy()
    return est[~((est["op"] == "~~") & (est["lhs"] == est["rhs"]))].reset_index(drop=True)


def diagram_layout(estimates: Any, *, group: Any = None, measurement: bool = True
                   ) -> DiagramLayout:
    """The deterministic layered layout :func:`path_diagram` draws (see the module docstring).

    ``measurement=False`` keeps only the structural part: the regressions and covariances
    among the variables, latent ones still drawn as ovals, no loadings."""
    est = _estimates(estimates, group)
    load = est[est["op"] == "=~"]
    latent = list(dict.fromkeys(load["lhs"]))
    if not measurement:
        est = est[est["op"] != "=~"].reset_index(drop=True)
        load = est[est["op"] == "=~"]
        used = set(est["lhs"]) | set(est["rhs"])
        latent = [v for v in latent if v in used]
    lat = set(latent)
    # structural graph: regressions (rhs -> lhs) and loadings of a factor on factors
    reg = est[est["op"] == "~"]
    edges = [(r, l_) for l_, r in zip(reg["lhs"], reg["rhs"])]
    edges += [(l_, r) for l_, r in zip(load["lhs"], load["rhs"]) if r in lat]
    indicators = {f: [r for l_, r in zip(load["lhs"], load["rhs"]) if l_ == f and r not in lat]
                  for f in latent}
    attached = {i for v in indicators.values() for i in v}
    order = list(dict.fromkeys([*latent, *(v for e in edges for v in e)]))
    order += [v for v in dict.fromkeys([*est["lhs"], *est["rhs"]])
              if v not in order and v not in attached]
    nodes = [v for v in order if v not in attached]
    preds: dict[str, list[str]] = {v: [] for v in nodes}
    # an indicator in a regression (a MIMIC direct effect, an indicator as predictor) is
    # layered with its factor: the path x -> y3 places x before y3's factor
    home = {i: f for f, inds in indicators.items() for i in inds}
    for a, b in edges:
        a, b = home.get(a, a), home.get(b, b)
        if b in preds and a in preds and a != b and a not in preds[b]:
            preds[b].append(a)
    layer = {v: 0 for v in nodes}
    for _ in range(len(nodes)):          # longest path; stops after n rounds if cyclic
        changed = False
        for v in nodes:
            new = max((layer[p] + 1 for p in preds[v]), default=0)
            if new != layer[v] and new < len(nodes):
                layer[v], changed = new, True
        if not changed:
            break
    n_layers = max(layer.values(), default=0) + 1
    lay = DiagramLayout(layer=dict(layer))
    for v in nodes:
        lay.kind[v] = "latent" if v in lat else "observed"
        if indicators.get(v):
            lay.side[v] = ("left" if layer[v] == 0 else "right" if layer[v] == n_layers - 1
                           else "below")
    for f, inds in indicators.items():
        for i in inds:
            lay.kind[i] = "observed"
            lay.owner.setdefault(i, f)

    def block(v: str) -> float:          # height a node takes in its layer
        k = len(indicators.get(v, []))
        own = OVAL[1] if lay.kind[v] == "latent" else BOX[1]
        if not k:
            return own
        if lay.side[v] == "below":
            return own + 0.5 + BOX[1]
        return max(own, (k - 1) * ROW + BOX[1])

    # x of each layer: room for indicator columns and rows beneath
    xs, x = [], 0.0
    for j in range(n_layers):
        members = [v for v in nodes if layer[v] == j]
        if j == 0 and any(lay.side.get(v) == "left" for v in members):
            x = SIDE
        elif j > 0:
            prev = [v for v in nodes if layer[v] == j - 1]
            wide = max([len(indicators.get(v, [])) * (BOX[0] + 0.15) / 2 for v in prev + members
                        if lay.side.get(v) == "below"], default=0.0)
            x += max(LAYER, 2 * wide + 1.2)
        xs.append(x)
    # vertical order: first layer as met, later layers by their predecessors' mean position
    rank: dict[str, float] = {}
    columns: list[list[str]] = []
    for j in range(n_layers):
        members = [v for v in nodes if layer[v] == j]
        if j:
            members.sort(key=lambda v: (np.mean([rank[p] for p in preds[v] if p in rank])
                                        if any(p in rank for p in preds[v]) else np.inf))
        for r, v in enumerate(members):
            rank[v] = r / max(len(members), 1)
        columns.append(members)
    heights = [sum(block(v) for v in c) + GAP * (len(c) - 1) for c in columns]
    for j, c in enumerate(columns):
        y = heights[j] / 2
        for v in c:
            h = block(v)
            own = OVAL[1] if lay.kind[v] == "latent" else BOX[1]
            cy = y - (own / 2 if lay.side.get(v) == "below" else h / 2)
            lay.pos[v] = (xs[j], cy)
            inds = indicators.get(v, [])
            if inds and lay.side[v] == "below":
                span = (len(inds) - 1) * (BOX[0] + 0.15)
                for k, i in enumerate(inds):
                    lay.pos[i] = (xs[j] - span / 2 + k * (BOX[0] + 0.15), cy - own / 2 - 0.5 - BOX[1] / 2)
            elif inds:
                ix = xs[j] - SIDE if lay.side[v] == "left" else xs[j] + SIDE
                for k, i in enumerate(inds):
                    lay.pos[i] = (ix, cy + (len(inds) - 1) * ROW / 2 - k * ROW)
            y -= h + GAP
    lay.edges = est
    return lay


def _boundary(center: tuple[float, float], kind: str, toward: tuple[float, float]
              ) -> tuple[float, float]:
    """Where the line from ``center`` toward a point leaves the oval or box."""
    cx, cy = center
    dx, dy = toward[0] - cx, toward[1] - cy
    if dx == 0 and dy == 0:
        return center
    if kind == "latent":
        a, b = OVAL[0] / 2, OVAL[1] / 2
        s = 1.0 / np.sqrt((dx / a) ** 2 + (dy / b) ** 2)
    else:
        a, b = BOX[0] / 2, BOX[1] / 2
        s = min(a / abs(dx) if dx else np.inf, b / abs(dy) if dy else np.inf)
    return cx + s * dx, cy + s * dy


def _detour(lay: DiagramLayout, a: str, b: str) -> float:
    """The ``arc3`` bend of a straight path a → b that would cross another node (0: none),
    bent away from the node it passes, far enough to clear it."""
    (ax_, ay), (bx, by) = lay.pos[a], lay.pos[b]
    dx, dy = bx - ax_, by - ay
    length2 = dx * dx + dy * dy
    if not length2:
        return 0.0
    for v, (cx, cy) in lay.pos.items():
        if v in (a, b):
            continue
        t = ((cx - ax_) * dx + (cy - ay) * dy) / length2
        if not 0.05 < t < 0.95:
            continue
        px, py = ax_ + t * dx - cx, ay + t * dy - cy          # node centre -> nearest point
        half = (OVAL if lay.kind.get(v) == "latent" else BOX)[1] / 2 + 0.15
        if px * px + py * py < half * half:
            away = 1.0 if (dy * px - dx * py) >= 0 else -1.0   # the side the line passes on
            if px == py == 0:
                away = 1.0 if cy <= (ay + by) / 2 else -1.0
            # the curve's midpoint moves rad·|ab|/2 sideways: clear the node's half height
            return away * min(0.6, 2 * (2 * half + 0.2) / np.sqrt(length2))
    return 0.0


def _value(v: float) -> str:
    if v is None or not np.isfinite(v):
        return ""
    return format_number(float(v), 2, bounded=abs(float(v)) <= 1)


def path_diagram(estimates: Any, *, lang: str = "en", labels: Mapping[str, Text] | None = None,
                 instrument: Any = None, covariances: bool = True, alpha: float = 0.05,
                 group: Any = None, title: Text | None = None, scale: float = 0.55,
                 measurement: bool = True):
    """Draw a CFA/SEM model: ovals, boxes, standardised estimates on the arrows.

    Parameters
    ----------
    estimates : CFAResult, SemResult or DataFrame
        A parameter table with ``lhs``, ``op``, ``rhs``, ``std_estimate``, ``p_value``
        (a result's ``.estimates``, else its ``.table``).
    lang : {"zh", "en"}
    labels : mapping variable -> text, optional
        Names shown in the ovals and boxes (default: the instrument's scale names for
        factors named like a scale, item ids for items, else the variable names).
    instrument : Instrument, optional
    covariances : bool
        Draw the covariances between different variables (curved double arrows).
    alpha : float
        Paths with ``p < alpha`` (and fixed ones) solid, the others dashed.
    group : optional
        Which group of a multi-group fit to draw (default: the first).
    title : str or {"zh": ..., "en": ...}, optional
    scale : float
        Inches per layout unit (the figure grows with the model).
    measurement : bool
        Draw the measurement part (loadings and indicators). ``False`` draws the structural
        model alone — the regressions and covariances among the (latent) variables, as
        theses print a model with many indicators or second-order factors.

    Returns
    -------
    matplotlib.figure.Figure
        One axes; each arrow is a :class:`~matplotlib.patches.FancyArrowPatch` whose ``gid``
        is ``"lhs op rhs"`` and whose text label holds the standardised estimate.

    Examples
    --------
    >>> fig = path_diagram(sk.cfa(data, "F =~ a + b + c"), lang="zh")   # doctest: +SKIP

    # R: semPlot::semPaths(fit, what = "std", layout = "tree2", rotation = 2)
    """
    from matplotlib.patches import Ellipse, FancyArrowPatch, Rectangle

    check_choice("path_diagram", "lang", lang, LANGS)
    lay = diagram_layout(estimates, group=group, measurement=measurement)
    est = lay.edges

    def name(v: str) -> str:
        if labels and v in labels:
            return pick(labels[v], lang)
        if lay.kind.get(v) == "observed" and instrument is not None and instrument.has_item(v):
            return v
        label = variable_label(v, lang, None, instrument)
        return bare_name(label) if lay.kind.get(v) == "latent" else label

    xs = [p[0] for p in lay.pos.values()]
    ys = [p[1] for p in lay.pos.values()]
    bulge = {"left": 0.0, "right": 0.3}
    if covariances:  # room for the widest arc on each side: 0.175 × the distance it spans
        cov = est[est["op"] == "~~"]
        for a, b in zip(cov["lhs"], cov["rhs"]):
            if a in lay.pos and b in lay.pos:
                left = {lay.side.get(lay.owner.get(v, "")) for v in (a, b)} == {"left"}
                k = "left" if left else "right"
                bulge[k] = max(bulge[k], 0.175 * abs(lay.pos[a][1] - lay.pos[b][1]) + 0.6)
    for r in est[est["op"].isin(["~", "=~"])].itertuples():   # room for bent paths
        a, b = (r.lhs, r.rhs) if r.op == "=~" else (r.rhs, r.lhs)
        if a in lay.pos and b in lay.pos and (rad := _detour(lay, a, b)):
            (ax_, ay), (bx, by) = lay.pos[a], lay.pos[b]
            xs.append((ax_ + bx) / 2 + rad * (by - ay) / 2)
            ys.append((ay + by) / 2 - rad * (bx - ax_) / 2)
    x0, x1 = min(xs) - OVAL[0] - bulge["left"], max(xs) + OVAL[0] + bulge["right"]
    y0, y1 = min(ys) - OVAL[1] - 0.3, max(ys) + OVAL[1] + 0.3
    with figure_style():
        fig = _new_figure(max((x1 - x0) * scale, 3.0), max((y1 - y0) * scale, 2.0))
        ax = fig.add_subplot()
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        ax.axis("off")
        for v, (cx, cy) in lay.pos.items():
            if lay.kind[v] == "latent":
                ax.add_patch(Ellipse((cx, cy), *OVAL, facecolor="white", edgecolor="0.15",
                                     linewidth=1.1, zorder=3, gid=f"node {v}"))
                ax.text(cx, cy, _wrap(name(v), lang, 7 if lang == "zh" else 14), ha="center",
                        va="center", fontsize=7.5, zorder=4)
            else:
                ax.add_patch(Rectangle((cx - BOX[0] / 2, cy - BOX[1] / 2), *BOX, facecolor="white",
                                       edgecolor="0.15", linewidth=0.9, zorder=3, gid=f"node {v}"))
                ax.text(cx, cy, _wrap(name(v), lang, 5 if lang == "zh" else 9), ha="center",
                        va="center", fontsize=7, zorder=4)
        for r in est.itertuples():
            a, b = (r.lhs, r.rhs) if r.op == "=~" else (r.rhs, r.lhs)
            if a not in lay.pos or b not in lay.pos:
                continue
            p = r.p_value
            solid = p is None or not np.isfinite(p) or p < alpha
            style = dict(linestyle="-" if solid else "--", linewidth=1.0, color="0.15",
                         zorder=2, gid=f"{r.lhs} {r.op} {r.rhs}")
            pa, pb = lay.pos[a], lay.pos[b]
            if r.op == "~~":
                if not covariances:
                    continue
                arrow, mid = _covariance(lay, a, b, style)
            else:
                rad = _detour(lay, a, b)
                if rad:   # a path past a node in between (a direct effect beside a mediator)
                    (mx, my), (dx, dy) = ((pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2), \
                        (pb[0] - pa[0], pb[1] - pa[1])
                    ctrl = (mx + rad * dy, my - rad * dx)
                    start = _boundary(pa, lay.kind[a], ctrl)
                    end = _boundary(pb, lay.kind[b], ctrl)
                    arrow = FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=9,
                                            shrinkA=0, shrinkB=0,
                                            connectionstyle=f"arc3,rad={rad:.4f}", **style)
                    ex, ey = end[0] - start[0], end[1] - start[1]
                    mid = ((start[0] + end[0]) / 2 + rad * ey / 2,
                           (start[1] + end[1]) / 2 - rad * ex / 2)
                else:
                    start = _boundary(pa, lay.kind[a], pb)
                    end = _boundary(pb, lay.kind[b], pa)
                    arrow = FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=9,
                                            shrinkA=0, shrinkB=0, **style)
                    f = 0.62 if r.op == "=~" else 0.5     # loadings: nearer the indicator
                    mid = (start[0] + f * (end[0] - start[0]),
                           start[1] + f * (end[1] - start[1]))
            ax.add_patch(arrow)
            ax.text(*mid, _value(r.std_estimate), ha="center", va="center", fontsize=6.5,
                    zorder=5, gid=f"label {r.lhs} {r.op} {r.rhs}",
                    bbox=dict(boxstyle="round,pad=0.12", facecolor="white", edgecolor="none"))
        if title:
            ax.set_title(pick(title, lang))
    if measurement:
        return captioned(fig, "path_diagram", {
            "zh": "模型路径图（标准化系数；虚线：p ≥ .05）",
            "en": "Path diagram (standardised estimates; dashed: p ≥ .05)"})
    return captioned(fig, "path_diagram", {
        "zh": "结构模型的路径图（标准化系数；虚线：p ≥ .05；测量部分略）",
        "en": "Path diagram of the structural model (standardised estimates; dashed: "
              "p ≥ .05; measurement part not drawn)"})


def _covariance(lay: DiagramLayout, a: str, b: str, style: dict) -> tuple[Any, tuple[float, float]]:
    """A curved double arrow between ``a`` and ``b`` on the side away from their indicators,
    and the point on the curve where its label goes."""
    from matplotlib.patches import FancyArrowPatch

    (ax_, ay), (bx, by) = lay.pos[a], lay.pos[b]
    outer = {lay.side.get(lay.owner[v]) for v in (a, b) if v in lay.owner}
    if outer:          # indicators (residual covariance): on the outer side of their column
        side = -1.0 if "left" in outer else 1.0
    else:              # factors: away from their indicators
        side = -1.0 if "right" in (lay.side.get(a), lay.side.get(b)) else 1.0

    def anchor(v: str, x: float, y: float) -> tuple[float, float]:
        w, h = OVAL if lay.kind[v] == "latent" else BOX
        if abs(ax_ - bx) < 1e-9:
            return x + side * w / 2, y
        return x, y - h / 2 if outer == {"below"} else y + h / 2

    s, e = anchor(a, ax_, ay), anchor(b, bx, by)
    dx, dy = e[0] - s[0], e[1] - s[1]
    k = 0.35
    below = outer == {"below"}            # a row of indicators: bend downwards
    rad = side * k * np.sign(dy) if abs(dx) < 1e-9 else (k if below else -k) * np.sign(dx)
    arrow = FancyArrowPatch(s, e, arrowstyle="<|-|>", mutation_scale=7, shrinkA=0, shrinkB=0,
                            connectionstyle=f"arc3,rad={rad}", **style)
    cx, cy = (s[0] + e[0]) / 2 + rad * dy, (s[1] + e[1]) / 2 - rad * dx
    mid = (0.25 * s[0] + 0.5 * cx + 0.25 * e[0], 0.25 * s[1] + 0.5 * cy + 0.25 * e[1])
    return arrow, mid
