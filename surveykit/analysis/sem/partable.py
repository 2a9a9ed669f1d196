"""Turn parsed model syntax into a parameter table, with lavaan's defaults for ``sem()``/``cfa()``.

One row per parameter per group: the user's formulas in the order written, then lavaan's
defaults (residual variances of the non-exogenous observed variables, latent variances,
covariances among the exogenous latents, among the pure dependent variables, the fixed
exogenous covariates block, then intercepts).  Defaults follow ``lavaan::sem()`` 0.6-14
(``lav_partable_flat``): the first indicator of each factor is the marker (loading fixed at 1)
unless ``std_lv`` (then latent variances are fixed at 1 and every loading is free — in
groups 2+ the variances are free again when loadings are equal, as lavaan does); covariances
are free among exogenous latents (``auto.cov.lv.x``) and among pure dependents
(``auto.cov.y``: latent or observed variables on the left of ``~`` only); observed
exogenous covariates (right of ``~`` only) are ``fixed.x``: their variances, covariances
(and means) fixed at the sample values and not counted in the degrees of freedom.  With a
mean structure (always for several groups and for FIML) intercepts are free and latent
means fixed at 0 — except when intercepts are equal across groups (scalar invariance),
where latent means are free in every group but the first.  ``equal`` works like lavaan's
``group.equal``; shared labels make parameters equal.

The matrices are lavaan's LISREL form ``Σ = Λ (I−B)⁻¹ Ψ (I−B)⁻ᵀ Λᵀ + Θ``, ``μ = ν + Λ
(I−B)⁻¹ α``.  The latent vector ``eta`` holds the latent variables and, as lavaan's
"phantom" latents, every observed variable in a regression (loading fixed at 1, residual
variance 0, kept in :attr:`ParTable.hidden` so it never shows in a table); their
variances, covariances and intercepts then live in Ψ and α.  Second-order loadings
(``g =~ f1``) and regressions are cells of B.  An indicator may be in a regression too
(lavaan's ``lav_lisrel`` "dummy" latents): in a MIMIC model with a direct effect
(``f =~ y1 + y2 + y3; f ~ x; y3 ~ x``), an indicator predicting an outcome (``z ~ f + y1``)
or regressed on another factor (``b3 ~ f1``, a cross-effect with the same Σ as a
cross-loading), the indicator is a phantom: its loading ``f =~ y3`` is the cell B[y3, f], its
residual variance ``y3 ~~ y3`` a cell of Ψ (Θ[y3, y3] = 0), as ``lavInspect(fit, "est")``
shows.  An indicator in a covariance with a phantom (``y3 ~~ y4``) is a phantom too.

# R: lavaan::lavaanify(model, ngroups=G, group.equal=equal, std.lv=std_lv, auto=TRUE)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ...errors import ParameterError
from .syntax import ModelSyntaxError, ModelTerm, defined_names

__all__ = ["Par", "ParTable", "build_partable", "EQUAL_KINDS", "Defined"]

#: The values accepted in ``equal=`` (lavaan's group.equal names; ``"thresholds"`` only
#: with ordinal items, :mod:`.wls_groups`).
EQUAL_KINDS = ("loadings", "intercepts", "means", "regressions", "residuals",
               "residual.covariances", "lv.variances", "lv.covariances", "thresholds")


@dataclass
class Par:
    lhs: str
    op: str
    rhs: str
    group: int                 # 0-based
    mat: str                   # lambda, theta, psi, nu, alpha, beta
    row: int
    col: int
    free: int = -1             # index into the free-parameter vector, -1 if fixed
    value: float = 0.0         # fixed value (or starting value once set)
    label: str = ""
    user: bool = False
    kind: str = ""             # lavaan's group.equal class of the parameter
    exo: bool = False          # fixed.x: set to the sample value before fitting
    line: int = 0              # model line of the formula (0: a default lavaan adds)


@dataclass(frozen=True)
class Defined:
    """A ``name := expression`` parameter (a function of labels)."""

    name: str
    expr: str
    line: int
    names: tuple[str, ...]


@dataclass
class ParTable:
    ov: list[str]              # observed variables (lavaan's order: indicators, y, x)
    lv: list[str]              # latent variables (order of first '=~')
    n_groups: int
    meanstructure: bool
    rows: list[Par] = field(default_factory=list)
    n_free: int = 0
    eta: list[str] = field(default_factory=list)       # lv + phantom observed variables
    hidden: list[Par] = field(default_factory=list)    # phantom loadings (fixed 1)
    ov_x: list[str] = field(default_factory=list)      # fixed.x exogenous covariates
    defined: list[Defined] = field(default_factory=list)

    def line_of(self, r: Par) -> int:
        """The model line of a row: its own formula, or (a default such as a residual
        variance) the first formula naming its variable."""
        if r.line:
            return r.line
        return next((q.line for q in self.rows if q.line and r.lhs in (q.lhs, q.rhs)), 0)

    def formula(self, line: int) -> str:
        """The formula of a model line as lavaan reads it (``f =~ x1 + x2``)."""
        rows = [r for r in self.rows if r.line == line and r.group == 0]
        if not rows:
            return ""
        r0 = rows[0]
        if r0.op == "~1":
            return f"{r0.lhs} ~ 1"
        return f"{r0.lhs} {r0.op} " + " + ".join(r.rhs for r in rows if r.lhs == r0.lhs
                                                   and r.op == r0.op)

    def where(self, line: int) -> str:
        """``model line 3 ('f =~ x1 + x2')`` for messages."""
        return f"model line {line} ('{self.formula(line)}')" if line else "the model"

    def free_rows(self) -> list[Par]:
        return [r for r in self.rows if r.free >= 0]

    def indicators(self, factor: str, group: int = 0) -> list[str]:
        return [r.rhs for r in self.rows if r.op == "=~" and r.lhs == factor and r.group == group]

    @property
    def structural(self) -> bool:
        return any(r.mat == "beta" for r in self.rows) or bool(self.defined)

    @property
    def n_moments(self) -> int:
        """Sample moments per the model (lavaan's ndat): without the fixed.x block."""
        p, nx = len(self.ov), len(self.ov_x)
        per = p * (p + 1) // 2 - nx * (nx + 1) // 2
        if self.meanstructure:
            per += p - nx
        return self.n_groups * per


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


def _uniq(seq) -> list[str]:
    out: list[str] = []
    for x in seq:
        if x not in out:
            out.append(x)
    return out


@dataclass
class _Names:
    lv: list[str]
    ov: list[str]
    ov_ind: list[str]
    ov_x: list[str]
    lv_x: list[str]
    lvov_y: list[str]
    eta: list[str]


def _names(terms: list[ModelTerm]) -> _Names:
    """lavaan's variable classes (``lav_partable_vnames``) and the checks they need."""
    lv = _uniq(t.lhs for t in terms if t.op == "=~")
    v_ind = _uniq(t.rhs for t in terms if t.op == "=~")
    eqs_y = _uniq(t.lhs for t in terms if t.op == "~")
    eqs_x = _uniq(t.rhs for t in terms if t.op == "~")
    ov_ind = [v for v in v_ind if v not in lv]
    ov_y = [v for v in eqs_y if v not in lv and v not in ov_ind]
    ov_x0 = [v for v in eqs_x if v not in lv and v not in ov_ind and v not in ov_y]
    # user variances/covariances/intercepts of an x make it random (lavaan: no longer fixed.x)
    touched = {t.lhs for t in terms if t.op in ("~~", "~1")} | {t.rhs for t in terms
                                                                  if t.op == "~~"}
    ov_x = [v for v in ov_x0 if v not in touched]
    extra = _uniq([v for t in terms if t.op in ("~~", "~1")
                   for v in ((t.lhs, t.rhs) if t.op == "~~" else (t.lhs,))
                   if v not in lv])
    ov = ov_ind + ov_y + ov_x0
    for t in terms:
        if t.op in ("~~", "~1"):
            for v in (t.lhs, t.rhs) if t.op == "~~" else (t.lhs,):
                if v in extra and v not in ov:
                    raise ModelSyntaxError(
                        f"model line {t.line}: {v} in '{_show(t)}' is neither an indicator of a "
                        f"factor nor in a regression. Add it to a factor ('f =~ ... + {v}') or a "
                        f"regression, or drop the line.")
    lv_x = [f for f in lv if f not in v_ind and f not in eqs_y]
    lvov_y = [v for v in _uniq(eqs_y) if v not in v_ind and v not in eqs_x]
    lvov_y = [v for v in lv if v in lvov_y] + [v for v in ov if v in lvov_y]
    # phantoms: the observed variables in regressions and (lavaan's dummy_names2) those in a
    # covariance with one, e.g. 'y3 ~~ y4' when y3 is an indicator in a regression
    ph = set(eqs_y) | set(eqs_x)
    covs = [(t.lhs, t.rhs) for t in terms if t.op == "~~" and t.lhs != t.rhs
            and t.lhs in ov and t.rhs in ov]
    grown = True
    while grown:
        grown = False
        for a, b in covs:
            if (a in ph) != (b in ph):
                ph |= {a, b}
                grown = True
    phantom = [v for v in ov if v in ph]
    return _Names(lv=lv, ov=ov, ov_ind=ov_ind, ov_x=ov_x, lv_x=lv_x, lvov_y=lvov_y,
                  eta=lv + phantom)


def build_partable(terms: list[ModelTerm], *, n_groups: int = 1, equal: tuple[str, ...] = (),
                   std_lv: bool = False, meanstructure: bool | None = None,
                   partial: tuple[str, ...] = (), structural: bool = False) -> ParTable:
    """Build the parameter table (see module docstring).

    ``partial`` lists parameters exempt from ``equal`` (lavaan's ``group.partial``), written
    as in lavaan: ``"visual =~ x2"``, ``"x3 ~ 1"``, ``"x1 ~~ x1"``.  Without ``structural``
    (:func:`~surveykit.cfa`) the model must be a first-order measurement model: regressions,
    ``:=`` and second-order factors are refused with a pointer to :func:`~surveykit.sem`.
    """
    if not structural:
        _measurement_only(terms)
    bad = [e for e in equal if e not in EQUAL_KINDS]
    if bad:
        raise ParameterError(f"The 'equal' parameter of cfa must be one of "
                             f"{{{', '.join(repr(k) for k in EQUAL_KINDS)}}}. Got {bad[0]!r} instead.")
    if meanstructure is None:   # lavaan: a mean structure with groups or with any '~ 1' line
        meanstructure = n_groups > 1 or any(t.op == "~1" for t in terms)
    defs = [t for t in terms if t.op == ":="]
    terms = [t for t in terms if t.op != ":="]
    if not terms:
        raise ModelSyntaxError("The model text has no formulas besides ':=' definitions. Write "
                               "at least one factor or regression, e.g. 'f1 =~ x1 + x2 + x3'.")
    nm = _names(terms)
    lv, ov, eta = nm.lv, nm.ov, nm.eta
    for t in terms:
        if t.op == "~~" and ((t.lhs in eta) != (t.rhs in eta)):   # (ov ~~ ov: both phantoms)
            raise ModelSyntaxError(f"model line {t.line}: '{t.lhs} ~~ {t.rhs}' joins a factor and "
                                   f"an item (an indicator); covariances are between indicators "
                                   f"or between factors (and variables in regressions).")
        if t.op == "~" and t.lhs == t.rhs:
            raise ModelSyntaxError(f"model line {t.line}: '{_show(t)}' regresses a variable on "
                                   f"itself. Drop the line.")
        if t.op == "=~" and t.lhs == t.rhs:
            raise ModelSyntaxError(f"model line {t.line}: '{_show(t)}' makes a factor its own "
                                   f"indicator. Drop the term.")
    seen: dict[tuple, int] = {}
    for t in terms:
        key = (t.lhs, t.op, t.rhs) if t.op != "~~" else (min(t.lhs, t.rhs), "~~", max(t.lhs, t.rhs))
        if key in seen:
            raise ModelSyntaxError(f"model line {t.line}: '{_show(t)}' is given twice (also on line "
                                   f"{seen[key]}). Keep one.")
        seen[key] = t.line

    pidx = {n: i for i, n in enumerate(ov)}
    eidx = {n: i for i, n in enumerate(eta)}
    pt = ParTable(ov=ov, lv=lv, n_groups=n_groups, meanstructure=meanstructure, eta=eta,
                  ov_x=nm.ov_x)
    rows = pt.rows
    lvset = set(lv)
    later_means_free = meanstructure and "intercepts" in equal and "means" not in equal

    def kind_of(op: str, lhs: str, rhs: str, latent_cell: bool) -> str:
        if op == "=~":
            return "loadings"
        if op == "~":
            return "regressions"
        if op == "~1":
            return "means" if lhs in lvset else "intercepts"
        if lhs == rhs:
            return "lv.variances" if lhs in lvset else "residuals"
        return "lv.covariances" if (lhs in lvset and rhs in lvset) else "residual.covariances"

    for g in range(n_groups):
        def add(t: ModelTerm | None, lhs: str, op: str, rhs: str, default_free: bool,
                default_value: float, exo: bool = False, g: int = g) -> None:
            if op == "=~":   # an indicator in a regression is a phantom latent: its loading
                mat, r, c = ("beta", eidx[rhs], eidx[lhs]) if rhs in eidx else (   # is in B
                    "lambda", pidx[rhs], eidx[lhs])
            elif op == "~":
                mat, r, c = "beta", eidx[lhs], eidx[rhs]
            elif op == "~~":
                mat, r, c = ("psi", eidx[lhs], eidx[rhs]) if lhs in eidx else (
                    "theta", pidx[lhs], pidx[rhs])
            else:
                mat, r, c = ("alpha", eidx[lhs], 0) if lhs in eidx else ("nu", pidx[lhs], 0)
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
                            user=t is not None, kind=kind_of(op, lhs, rhs, mat == "psi"),
                            exo=exo, line=t.line if t is not None else 0))

        first: set[str] = set()
        user_cov: set[tuple[str, str]] = set()
        user_int = {t.lhs: t for t in terms if t.op == "~1"}
        for t in terms:
            if t.op == "=~":
                marker = t.lhs not in first and not std_lv
                first.add(t.lhs)
                add(t, t.lhs, "=~", t.rhs, default_free=not marker,
                    default_value=1.0 if marker else 0.0)
            elif t.op == "~":
                add(t, t.lhs, "~", t.rhs, True, 0.0)
            elif t.op == "~~":
                a, b = t.lhs, t.rhs
                user_cov.update({(a, b), (b, a)})
                fixed_one = std_lv and a == b and a in lvset
                add(t, a, "~~", b, default_free=not fixed_one,
                    default_value=1.0 if fixed_one else 0.0)
        xset = set(nm.ov_x)
        for x in ov:
            if x not in xset and (x, x) not in user_cov:
                add(None, x, "~~", x, True, 0.0)
        # lavaan: with std.lv and equal loadings the factor variances are free in groups 2+
        lv_var_free = (not std_lv) or (g > 0 and "loadings" in equal
                                       and "lv.variances" not in equal)
        for f in lv:
            if (f, f) not in user_cov:
                add(None, f, "~~", f, lv_var_free, 0.0 if lv_var_free else 1.0)
        for block in (nm.lv_x, nm.lvov_y):
            for i, f in enumerate(block):
                for h in block[i + 1:]:
                    if (f, h) not in user_cov:
                        add(None, f, "~~", h, True, 0.0)
        for j, x in enumerate(nm.ov_x):
            for x2 in nm.ov_x[:j + 1]:
                add(None, x2, "~~", x, False, 0.0, exo=True)
        if meanstructure:
            for x in ov:
                add(user_int.get(x), x, "~1", "", x not in xset, 0.0, exo=x in xset)
            for f in lv:
                add(user_int.get(f), f, "~1", "", later_means_free and g > 0, 0.0)
        elif user_int:
            t = next(iter(user_int.values()))
            raise ModelSyntaxError(f"model line {t.line}: intercepts ('~ 1') need a mean structure, "
                                   f"which the WLSMV/DWLS fit of ordinal items does not have (their "
                                   f"thresholds take the intercepts' place). Drop the line, or fit "
                                   f"the items as continuous (estimator='MLR').")
        for v in eta[len(lv):]:
            pt.hidden.append(Par(lhs=v, op="=~", rhs=v, group=g, mat="lambda", row=pidx[v],
                                 col=eidx[v], value=1.0))
    _number_free(pt, equal, _partial_keys(pt, partial))
    pt.defined = _defined(defs, pt)
    return pt


def _measurement_only(terms: list[ModelTerm]) -> None:
    """The checks of :func:`~surveykit.cfa`: '=~' and '~~' (and '~ 1') only."""
    lv = {t.lhs for t in terms if t.op == "=~"}
    for t in terms:
        if t.op == ":=":
            raise ModelSyntaxError(f"model line {t.line}: the operator ':=' (defined parameters) "
                                   f"is not supported by cfa. Fit the model with sk.sem(data, "
                                   f"model), which computes defined parameters with delta-method "
                                   f"SEs.")
        if t.op == "~":
            raise ModelSyntaxError(f"model line {t.line}: '{_show(t)}' is a regression ('~'); cfa "
                                   f"fits measurement models only ('=~' and '~~'). Fit structural "
                                   f"paths with sk.sem(data, model) or drop the line.")
        if t.op == "=~" and t.rhs in lv:
            raise ModelSyntaxError(f"model line {t.line}: {t.lhs} =~ {t.rhs} makes a factor an "
                                   f"indicator of another factor (second-order model); cfa fits "
                                   f"first-order measurement models only. Use sk.sem(data, model).")
    if not lv:
        raise ModelSyntaxError("The model defines no latent variable ('=~'). Write at least one "
                               "factor, e.g. 'f1 =~ x1 + x2 + x3' (or use sk.sem for path models "
                               "of observed variables).")
    ov = {t.rhs for t in terms if t.op == "=~"}
    for t in terms:
        if t.op in ("~~", "~1"):
            for name in (t.lhs, t.rhs) if t.op == "~~" else (t.lhs,):
                if name not in lv and name not in ov:
                    raise ModelSyntaxError(
                        f"model line {t.line}: {name} in '{_show(t)}' is not an indicator of any "
                        f"factor. Add it to a factor ('f =~ ... + {name}') or drop the line.")


def _defined(defs: list[ModelTerm], pt: ParTable) -> list[Defined]:
    labels = {r.label for r in pt.rows if r.label}
    out: list[Defined] = []
    for t in defs:
        names = defined_names(t.rhs)
        for n in names:
            if n not in labels and n not in {d.name for d in out}:
                import difflib

                close = difflib.get_close_matches(n, sorted(labels), n=3)
                hint = (f" Did you mean {', '.join(repr(c) for c in close)}?" if close else
                        " Label the path first, e.g. 'y ~ a*x'.")
                raise ModelSyntaxError(f"model line {t.line}: {t.lhs!r} := {t.rhs} uses {n!r}, "
                                       f"which is not a label of the model.{hint}")
        if t.lhs in labels or t.lhs in {d.name for d in out}:
            raise ModelSyntaxError(f"model line {t.line}: the defined parameter {t.lhs!r} has the "
                                   f"name of a label already in use. Choose another name.")
        out.append(Defined(name=t.lhs, expr=t.rhs, line=t.line, names=tuple(names)))
    return out


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
            elif "~" in t:
                lhs, _, rhs = t.partition("~")
                key = (lhs, "~", rhs)
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
            elif (r.free >= 0 and r.kind in equal and not r.exo and not r.label and key in first
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
