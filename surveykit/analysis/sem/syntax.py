"""Parse lavaan model syntax (measurement and structural models).

The subset of lavaan's syntax that surveykit fits:

* ``f =~ x1 + x2 + x3`` — latent variable ``f`` measured by items (first item is the
  marker, its loading fixed at 1, unless ``std_lv`` or a modifier says otherwise);
* ``x1 ~~ x2`` — a (residual) covariance, ``x1 ~~ x1`` a variance, ``f1 ~~ 0*f2`` an
  orthogonal pair of factors;
* ``x1 ~ 1`` — an intercept (for mean structures);
* modifiers before ``*``: a number fixes the value (``0.8*x4``), ``NA`` frees it
  (``NA*x1``), a name labels it (``a*x2 + a*x3`` are equal), ``c(a, b)*x2`` gives one
  modifier per group; ``start(0.5)*x2`` is accepted and ignored;
* ``y ~ x1 + b*x2`` — regressions among latent and observed variables (``sem``);
* ``ab := a*b`` — a defined parameter (a function of labels: ``+ - * / ^``, parentheses,
  numbers, ``sqrt``, ``exp``, ``log``, ``abs``), kept as ``ModelTerm(op=":=")`` with the
  expression in ``rhs``;
* comments start with ``#`` or ``!``; formulas end at a new line or ``;``; a formula may
  continue on the next line after a trailing ``+``.

Explicit constraints (``==``, ``<``, ``>``) raise a clear error: use shared labels.

>>> f = parse_model("visual =~ x1 + x2 + 0.5*x3  # comment\\nx1 ~~ x2")
>>> [(t.lhs, t.op, t.rhs, t.fixed) for t in f]
[('visual', '=~', 'x1', (None,)), ('visual', '=~', 'x2', (None,)), ('visual', '=~', 'x3', (0.5,)), ('x1', '~~', 'x2', (None,))]

# R: lavaan::lavaanify(model)
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..._params import Boolean, InstanceOf, Names, validate_params
from ...errors import ParameterError
from ...instrument.model import Instrument

__all__ = ["ModelTerm", "parse_model", "ModelSyntaxError", "cfa_model", "defined_names",
           "defined_function"]


class ModelSyntaxError(ParameterError):
    """The model text cannot be read; the message names the line and the fix."""


@dataclass(frozen=True)
class ModelTerm:
    """One ``lhs op rhs`` element of the model.

    ``fixed``, ``free`` and ``label`` hold one entry per modifier given: a single entry
    applies to every group, several (from ``c(...)``) one per group.  ``fixed[i]`` is a
    number or None, ``free[i]`` is True for ``NA*``, ``label[i]`` is a name or "".
    """

    lhs: str
    op: str
    rhs: str
    fixed: tuple[float | None, ...] = (None,)
    free: tuple[bool, ...] = (False,)
    label: tuple[str, ...] = ("",)
    line: int = 0

    @property
    def has_modifier(self) -> bool:
        return any(v is not None for v in self.fixed) or any(self.free) or any(self.label)


_NAME = r"[A-Za-z_.][A-Za-z0-9_.]*"
_NAME_RE = re.compile(rf"^{_NAME}$")
_OPS = ("=~", "~~", "~1", ":=", "==", "<", ">", "~")


def _strip_comment(line: str) -> str:
    cut = [i for i in (line.find("#"), line.find("!")) if i >= 0]
    return line[:min(cut)] if cut else line


def _find_op(text: str) -> str | None:
    t = text.replace(" ", "")
    for op in ("=~", "~~", ":=", "==", "<", ">"):
        if op in t:
            return op
    if "~" in t:
        rhs = t.split("~", 1)[1]
        if re.match(r"^([^+]*\*)?1$", rhs):
            return "~1"
        return "~"
    return None


def _statements(text: str) -> list[tuple[int, str]]:
    """Split into (line number, formula) joining continuation lines."""
    out: list[tuple[int, str]] = []
    pending = ""
    start = 0
    for no, raw in enumerate(text.splitlines(), start=1):
        for piece in _strip_comment(raw).split(";"):
            piece = piece.strip()
            if not piece:
                continue
            if pending and (pending.endswith("+") or piece.startswith("+")):
                pending = f"{pending} {piece}"
                continue
            if pending:
                out.append((start, pending))
            pending, start = piece, no
    if pending:
        out.append((start, pending))
    return out


def _split_plus(s: str) -> list[str]:
    """Split on '+' that are not inside parentheses."""
    parts, depth, cur = [], 0, []
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "+" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts]


def _number(tok: str) -> float | None:
    try:
        v = float(tok)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _one_modifier(tok: str, where: str) -> tuple[float | None, bool, str]:
    tok = tok.strip()
    if tok in ("NA", "na"):
        return None, True, ""
    num = _number(tok)
    if num is not None:
        return num, False, ""
    if tok.startswith(("'", '"')) and tok.endswith(("'", '"')) and len(tok) >= 2:
        tok = tok[1:-1]
    if _NAME_RE.match(tok):
        return None, False, tok
    raise ModelSyntaxError(f"{where}: cannot read the modifier {tok!r}. Use a number to fix a "
                           f"value (0.8*x4), NA to free it (NA*x1) or a name as a label (a*x2).")


def _modifiers(mods: list[str], where: str) -> tuple[tuple, tuple, tuple]:
    fixed: tuple = (None,)
    free: tuple = (False,)
    label: tuple = ("",)
    for m in mods:
        m = m.strip()
        if re.match(r"^start\s*\(", m):
            continue  # starting values do not change the ML solution
        cm = re.match(r"^c\s*\((.*)\)$", m)
        if cm:
            vals = [_one_modifier(t, where) for t in cm.group(1).split(",")]
        elif re.match(r"^[A-Za-z_.]+\s*\(", m):
            raise ModelSyntaxError(f"{where}: the modifier {m!r} is not supported. Use a number, NA, "
                                   f"a label or c(...) with one of those per group.")
        else:
            vals = [_one_modifier(m, where)]
        f = tuple(v[0] for v in vals)
        fr = tuple(v[1] for v in vals)
        lb = tuple(v[2] for v in vals)
        if any(x is not None for x in f) or any(fr):
            fixed, free = f, fr
        if any(lb):
            label = lb
    return fixed, free, label


def parse_model(model: str) -> list[ModelTerm]:
    """Parse lavaan-style model text into :class:`ModelTerm` elements, in order.

    Raises
    ------
    ModelSyntaxError
        With the line number and what to write instead.
    """
    if not isinstance(model, str):
        raise ParameterError(f"The 'model' parameter of cfa must be lavaan model syntax text "
                             f"(e.g. 'f1 =~ x1 + x2 + x3'). Got {type(model).__name__!r} instead.")
    terms: list[ModelTerm] = []
    for line, stmt in _statements(model):
        where = f"model line {line}"
        op = _find_op(stmt)
        if op is None:
            raise ModelSyntaxError(f"{where}: {stmt!r} has no operator. Write 'factor =~ item1 + "
                                   f"item2' for a factor or 'item1 ~~ item2' for a covariance.")
        if op in ("==", "<", ">"):
            raise ModelSyntaxError(f"{where}: the operator {op!r} (explicit constraints) is not "
                                   f"supported. Use shared labels (a*x2 + a*x3) for equality "
                                   f"constraints.")
        if op == ":=":
            terms.append(_defined(stmt, where, line))
            continue
        lhs, _, rest = stmt.partition("~" if op == "~1" else op)
        lhs = lhs.strip()
        rhs_part = _split_plus(rest)
        if not _NAME_RE.match(lhs):
            raise ModelSyntaxError(f"{where}: {lhs!r} is not a valid variable name on the left of "
                                   f"{op!r}. Names start with a letter and contain letters, "
                                   f"digits, '_' or '.'.")
        for part in rhs_part:
            if part == "":
                raise ModelSyntaxError(f"{where}: {stmt!r} has an empty term (a '+' with nothing "
                                       f"after it). Remove the extra '+'.")
            pieces = [p.strip() for p in part.split("*")]
            name, mods = pieces[-1], pieces[:-1]
            if op != "~1" and not _NAME_RE.match(name):
                num = _number(name)
                hint = (" A number must come before '*' (e.g. 0.8*x4)." if num is not None
                        else " Names start with a letter and contain letters, digits, '_' or '.'.")
                raise ModelSyntaxError(f"{where}: {name!r} is not a valid variable name in "
                                       f"{stmt!r}.{hint}")
            fixed, free, label = _modifiers(mods, where)
            terms.append(ModelTerm(lhs=lhs, op=op, rhs="" if op == "~1" else name,
                                   fixed=fixed, free=free, label=label, line=line))
    if not terms:
        raise ModelSyntaxError("The model text has no formulas. Write at least one factor, e.g. "
                               "'f1 =~ x1 + x2 + x3'.")
    return terms


_FUNCS = ("sqrt", "exp", "log", "abs")


def _defined(stmt: str, where: str, line: int) -> ModelTerm:
    """``name := expression``: check the name and the expression's grammar."""
    import ast

    name, _, expr = stmt.partition(":=")
    name, expr = name.strip(), expr.strip()
    if not _NAME_RE.match(name):
        raise ModelSyntaxError(f"{where}: {name!r} is not a valid name for a defined parameter. "
                               f"Write e.g. 'ab := a*b'.")
    py = expr.replace("^", "**")
    try:
        tree = ast.parse(py.replace(".", "_DOT_"), mode="eval")
    except SyntaxError:
        raise ModelSyntaxError(f"{where}: cannot read the expression {expr!r} of {name!r}. Use "
                               f"labels, numbers, + - * / ^ and parentheses, e.g. "
                               f"'ab := a*b'.") from None
    ok = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Name, ast.Constant, ast.Load, ast.Add,
          ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd, ast.Call)
    for node in ast.walk(tree):
        if not isinstance(node, ok) or (isinstance(node, ast.Constant)
                                        and not isinstance(node.value, (int, float))):
            raise ModelSyntaxError(f"{where}: the expression {expr!r} of {name!r} may use only "
                                   f"labels, numbers, + - * / ^, parentheses and "
                                   f"{', '.join(_FUNCS)}.")
        if isinstance(node, ast.Call) and (not isinstance(node.func, ast.Name)
                                           or node.func.id not in _FUNCS or node.keywords
                                           or len(node.args) != 1):
            raise ModelSyntaxError(f"{where}: the expression {expr!r} of {name!r} calls a "
                                   f"function surveykit does not know; use one of "
                                   f"{', '.join(_FUNCS)} with one argument.")
    return ModelTerm(lhs=name, op=":=", rhs=re.sub(r"\s+", "", expr), line=line)


def defined_names(expr: str) -> list[str]:
    """The labels used in a defined-parameter expression (in order, without functions)."""
    import ast

    tree = ast.parse(expr.replace("^", "**").replace(".", "_DOT_"), mode="eval")
    out: list[str] = []
    calls = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and id(node) not in calls:
            nm = node.id.replace("_DOT_", ".")
            if nm not in out:
                out.append(nm)
    return out


def defined_function(expr: str):
    """Compile ``expr`` into ``f(values: dict) -> value`` (works on complex numbers too)."""
    import numpy as np

    code = compile(expr.replace("^", "**").replace(".", "_DOT_"), "<defined>", "eval")
    env = {"__builtins__": {}, "sqrt": np.sqrt, "exp": np.exp, "log": np.log,
           "abs": lambda v: np.sqrt(v * v)}   # holomorphic |v| for the complex-step Jacobian

    def f(values: dict):
        loc = {k.replace(".", "_DOT_"): v for k, v in values.items()}
        return eval(code, env, loc)   # noqa: S307 - grammar checked by _defined

    return f


@validate_params({
    "instrument": [InstanceOf(Instrument, "an Instrument", show_type=True)],
    "scales": [Names("a scale id or a list of scale ids", single=True)],
    "correlated": [Boolean()], "by_subscale": [Boolean()], "second_order": [Boolean()],
    "exclude": [Names("a list of item ids", single=True)],
})
def cfa_model(instrument, scales, *, correlated: bool = True, by_subscale: bool = False,
              second_order: bool = False, exclude=()) -> str:
    """lavaan model syntax from an instrument's scales (their items as indicators).

    Parameters
    ----------
    instrument : Instrument
        The (possibly combined) instrument that defines the scales.
    scales : str or sequence of str
        Scale ids (or ``instrument_id.scale_id``); a scale made of subscales takes the
        items of all its subscales (or see ``by_subscale``).
    correlated : bool
        If False, the factors are made orthogonal (``f1 ~~ 0*f2`` lines).
    by_subscale : bool
        A scale made of subscales gives one factor per subscale (the first-order factors of
        a thesis's measurement model) instead of one factor of all its items.
    second_order : bool
        As ``by_subscale``, and each such scale is a second-order factor of its subscales
        (``trust =~ competence_trust + goodwill_trust + …``, after every first-order line).
    exclude : sequence of str
        Items left out of every factor (e.g. items not asked in every wave).

    Returns
    -------
    str
        e.g. ``"competence_trust =~ IT01 + IT02 + IT03\\ngoodwill_trust =~ IT04 + ..."``.
        Reverse-keyed items keep their raw coding, so they load negatively.

    Examples
    --------
    >>> import surveykit as sk
    >>> ins = sk.load_instrument("intergovernmental_trust")
    >>> print(sk.cfa_model(ins, "intergovernmental_trust", second_order=True,
    ...                    exclude=["IT09"]))
    competence_trust =~ IT01 + IT02 + IT03
    goodwill_trust =~ IT04 + IT05 + IT06
    institutional_trust =~ IT07 + IT08
    intergovernmental_trust =~ competence_trust + goodwill_trust + institutional_trust

    R equivalent: none (lavaan takes the model text this writes).
    """
    if isinstance(scales, str):
        scales = [scales]
    drop = set([exclude] if isinstance(exclude, str) else exclude)
    by_subscale = by_subscale or second_order
    factors: list[tuple[str, list[str]]] = []
    higher: list[tuple[str, list[str]]] = []
    for sc in scales:
        sid = sc.rsplit(".", 1)[-1] if "." in sc else sc
        subs = [x.id for x in instrument.subscales(sid)] if by_subscale else []
        parts = subs or [sid]
        for part in parts:
            items = [i for i in _scale_items(instrument, part) if i not in drop]
            if len(items) < 2:
                raise ParameterError(f"The 'scales' parameter of cfa_model must name scales "
                                     f"with at least two items. Got {part!r} with {len(items)}"
                                     f"{' (after exclude)' if drop else ''} instead.")
            factors.append((_lv_name(part), items))
        if subs and second_order:
            higher.append((_lv_name(sid), [_lv_name(x) for x in subs]))
    lines = [f"{f} =~ " + " + ".join(ind) for f, ind in factors + higher]
    names = [f for f, _ in (higher or factors)] if second_order else [f for f, _ in factors]
    if not correlated:
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                lines.append(f"{a} ~~ 0*{b}")
    return "\n".join(lines)


def _lv_name(sid: str) -> str:
    return sid if _NAME_RE.match(sid) else re.sub(r"[^A-Za-z0-9_.]", "_", sid)


def _scale_items(instrument, sid: str) -> list[str]:
    sc = instrument.scale(sid)            # InstrumentError with did-you-mean if unknown
    items = list(sc.items)
    if not items:
        for sub in instrument.subscales(sid):
            items.extend(_scale_items(instrument, sub.id))
    return items
