"""Turn parsed model syntax into a parameter table, with lavaan's defaults for ``cfa()``.

One row per parameter per group, in lavaan's order (loadings, user covariances,
residual variances, latent (co)variances, intercepts, latent means).  Defaults follow
``lavaan::cfa()`` 0.6-14: the first indicator of each factor is the marker (loading
fixed at 1) unless ``std_lv`` (then factor variances are fixed at 1 and every loading is
free — in groups 2+ the variances are free again when loadings are equal, as lavaan does);
residual variances and factor (co)variances are free; with a mean structure
(always for several groups) intercepts are free and latent means fixed at 0 — except
when intercepts are equal across groups (scalar invariance), where latent means are free
in every group but the first.  ``equal`` works like lavaan's ``group.equal``; shared
labels make parameters equal.

# R: lavaan::lavaanify(model, ngroups=G, group.equal=equal, std.lv=std_lv, auto=TRUE)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ...errors import ParameterError
from .syntax import ModelSyntaxError, ModelTerm

__all__ = ["Par", "ParTable", "build_partable", "EQUAL_KINDS"]

#: The values accepted in ``equal=`` (lavaan's group.equal names).
EQUAL_KINDS = ("loadings", "intercepts", "means", "residuals", "residual.covariances",
               "lv.variances", "lv.covariances")


@dataclass
class Par:
    lhs: str
    op: str
    rhs: str
    group: int                 # 0-based
    mat: str                   # lambda, theta, psi, nu, alpha
    row: int
    col: int
    free: int = -1             # index into the free-parameter vector, -1 if fixed
    value: float = 0.0         # fixed value (or starting value once set)
    label: str = ""
    user: bool = False

    @property
    def kind(self) -> str:
        return _kind(self)


@dataclass
class ParTable:
    ov: list[str]
    lv: list[str]
    n_groups: int
    meanstructure: bool
    rows: list[Par] = field(default_factory=list)
    n_free: int = 0

    def free_rows(self) -> list[Par]:
        return [r for r in self.rows if r.free >= 0]

    def indicators(self, factor: str, group: int = 0) -> list[str]:
        return [r.rhs for r in self.rows if r.op == "=~" and r.lhs == factor and r.group == group]


def _kind(r: Par) -> str:
    if r.op == "=~":
        return "loadings"
    if r.op == "~1":
        return "means" if r.mat == "alpha" else "intercepts"
    lv = r.mat == "psi"
    if r.lhs == r.rhs:
        return "lv.variances" if lv else "residuals"
    return "lv.covariances" if lv else "residual.covariances"


def _show(t: ModelTerm) -> str:
    return f"{t.lhs} ~ 1" if t.op == "~1" else f"{t.lhs} {t.op} {t.rhs}"


def _pick(values: tuple, g: int, n_groups: int, term: ModelTerm, what: str):
    if len(values) == 1:
        return values[0]
    if len(values) != n_groups:
        raise ModelSyntaxError(
            f"model line {term.line}: c(...) for {term.lhs} {term.op} {term.rhs} has {len(values)} "
            f"{what} but the data have {n_groups} group{'s' if n_groups != 1 else ''}. Give one "
            f"per group or a single value.")
    return values[g]


def build_partable(terms: list[ModelTerm], *, n_groups: int = 1, equal: tuple[str, ...] = (),
                   std_lv: bool = False, meanstructure: bool | None = None,
                   partial: tuple[str, ...] = ()) -> ParTable:
    """Build the parameter table (see module docstring).

    ``partial`` lists parameters exempt from ``equal`` (lavaan's ``group.partial``), written
    as in lavaan: ``"visual =~ x2"``, ``"x3 ~ 1"``, ``"x1 ~~ x1"``.
    """
    bad = [e for e in equal if e not in EQUAL_KINDS]
    if bad:
        raise ParameterError(f"The 'equal' parameter of cfa must be one of "
                             f"{{{', '.join(repr(k) for k in EQUAL_KINDS)}}}. Got {bad[0]!r} instead.")
    if meanstructure is None:
        meanstructure = n_groups > 1
    lv: list[str] = []
    for t in terms:
        if t.op == "=~" and t.lhs not in lv:
            lv.append(t.lhs)
    ov: list[str] = []
    for t in terms:
        if t.op == "=~":
            if t.rhs in lv:
                raise ModelSyntaxError(f"model line {t.line}: {t.lhs} =~ {t.rhs} makes a factor an "
                                       f"indicator of another factor (second-order model); cfa fits "
                                       f"first-order measurement models only.")
            if t.rhs not in ov:
                ov.append(t.rhs)
    for t in terms:
        if t.op in ("~~", "~1"):
            for name in (t.lhs, t.rhs) if t.op == "~~" else (t.lhs,):
                if name not in lv and name not in ov:
                    raise ModelSyntaxError(
                        f"model line {t.line}: {name} in '{_show(t)}' is not an indicator of any "
                        f"factor. Add it to a factor ('f =~ ... + {name}') or drop the line.")
            if t.op == "~~" and ((t.lhs in lv) != (t.rhs in lv)):
                raise ModelSyntaxError(f"model line {t.line}: '{t.lhs} ~~ {t.rhs}' joins a factor and "
                                       f"an item; covariances are between items or between factors.")
    seen: dict[tuple, int] = {}
    for t in terms:
        key = (t.lhs, t.op, t.rhs) if t.op != "~~" else (min(t.lhs, t.rhs), "~~", max(t.lhs, t.rhs))
        if key in seen:
            raise ModelSyntaxError(f"model line {t.line}: '{_show(t)}' is given twice (also on line "
                                   f"{seen[key]}). Keep one.")
        seen[key] = t.line

    pidx = {n: i for i, n in enumerate(ov)}
    fidx = {n: i for i, n in enumerate(lv)}
    pt = ParTable(ov=ov, lv=lv, n_groups=n_groups, meanstructure=meanstructure)
    rows = pt.rows
    later_means_free = meanstructure and "intercepts" in equal and "means" not in equal
    for g in range(n_groups):
        def add(t: ModelTerm | None, lhs: str, op: str, rhs: str, mat: str, r: int, c: int,
                default_free: bool, default_value: float, g: int = g) -> None:
            free, value, label = default_free, default_value, ""
            if t is not None:
                fx = _pick(t.fixed, g, n_groups, t, "values")
                fr = _pick(t.free, g, n_groups, t, "values")
                label = _pick(t.label, g, n_groups, t, "labels") or ""
                if fx is not None:
                    free, value = False, float(fx)
                elif fr:
                    free = True
            rows.append(Par(lhs=lhs, op=op, rhs=rhs, group=g, mat=mat, row=r, col=c,
                            free=0 if free else -1, value=value, label=label,
                            user=t is not None))

        first: set[str] = set()
        for t in terms:
            if t.op != "=~":
                continue
            marker = t.lhs not in first and not std_lv
            first.add(t.lhs)
            add(t, t.lhs, "=~", t.rhs, "lambda", pidx[t.rhs], fidx[t.lhs],
                default_free=not marker, default_value=1.0 if marker else 0.0)
        user_cov = set()
        for t in terms:
            if t.op != "~~":
                continue
            a, b = t.lhs, t.rhs
            user_cov.add((a, b))
            user_cov.add((b, a))
            if a in lv:
                fixed_one = std_lv and a == b
                add(t, a, "~~", b, "psi", fidx[a], fidx[b], default_free=not fixed_one,
                    default_value=1.0 if fixed_one else 0.0)
            else:
                add(t, a, "~~", b, "theta", pidx[a], pidx[b], True, 0.0)
        for x in ov:
            if (x, x) not in user_cov:
                add(None, x, "~~", x, "theta", pidx[x], pidx[x], True, 0.0)
        # lavaan: with std.lv and equal loadings the factor variances are free in groups 2+
        lv_var_free = (not std_lv) or (g > 0 and "loadings" in equal
                                       and "lv.variances" not in equal)
        for i, f in enumerate(lv):
            if (f, f) not in user_cov:
                add(None, f, "~~", f, "psi", i, i, lv_var_free, 0.0 if lv_var_free else 1.0)
        for i, f in enumerate(lv):
            for j in range(i + 1, len(lv)):
                h = lv[j]
                if (f, h) not in user_cov:
                    add(None, f, "~~", h, "psi", i, j, True, 0.0)
        if meanstructure:
            user_int = {t.lhs: t for t in terms if t.op == "~1"}
            for x in ov:
                add(user_int.get(x), x, "~1", "", "nu", pidx[x], 0, True, 0.0)
            for i, f in enumerate(lv):
                add(user_int.get(f), f, "~1", "", "alpha", i, 0, later_means_free and g > 0, 0.0)
        elif any(t.op == "~1" for t in terms):
            t = next(t for t in terms if t.op == "~1")
            raise ModelSyntaxError(f"model line {t.line}: intercepts ('~ 1') need a mean structure; "
                                   f"pass meanstructure=True or drop the line.")
    _number_free(pt, equal, _partial_keys(pt, partial))
    return pt


def _partial_keys(pt: ParTable, partial: tuple[str, ...]) -> set[tuple[str, str, str]]:
    import difflib

    known = {(r.lhs, r.op, r.rhs) for r in pt.rows}
    shown = sorted({f"{r.lhs} ~ 1" if r.op == "~1" else f"{r.lhs} {r.op} {r.rhs}"
                    for r in pt.rows})
    keys = set()
    for entry in partial:
        t = str(entry).replace(" ", "")
        key = None
        for op in ("=~", "~~"):
            if op in t:
                lhs, _, rhs = t.partition(op)
                key = (lhs, op, rhs)
                break
        else:
            if t.endswith("~1"):
                key = (t[:-2], "~1", "")
        if key is not None and key[1] == "~~" and key not in known:
            key = (key[2], "~~", key[0])
        if key is None or key not in known:
            close = difflib.get_close_matches(str(entry), shown, n=3)
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise ParameterError(f"The 'partial' parameter of cfa must name parameters of the "
                                 f"model, like 'f =~ x2' or 'x3 ~ 1'. Got {entry!r} instead.{hint}")
        keys.add(key)
    return keys


def _number_free(pt: ParTable, equal: tuple[str, ...],
                 partial: set[tuple[str, str, str]] = frozenset()) -> None:
    """Assign free-parameter indices, merging labels and group.equal constraints."""
    rows = pt.rows
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    by_label: dict[str, int] = {}
    for i, r in enumerate(rows):
        if r.free >= 0 and r.label:
            if r.label in by_label:
                union(by_label[r.label], i)
            else:
                by_label[r.label] = i
    if pt.n_groups > 1 and equal:
        first: dict[tuple, int] = {}
        for i, r in enumerate(rows):
            key = (r.lhs, r.op, r.rhs)
            if r.group == 0:
                first[key] = i
            elif (r.free >= 0 and r.kind in equal and not r.label and key in first
                  and key not in partial):
                j = first[key]
                if rows[j].free >= 0 and not rows[j].label:
                    union(j, i)
    ids: dict[int, int] = {}
    for i, r in enumerate(rows):
        if r.free < 0:
            continue
        root = find(i)
        if root not in ids:
            ids[root] = len(ids)
        r.free = ids[root]
    pt.n_free = len(ids)
