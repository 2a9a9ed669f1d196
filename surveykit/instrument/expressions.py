"""The skip-condition language of ``relevant:`` — parsed, never ``eval``-ed.

Grammar (whitespace is free)::

    expr       := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := operand (("==" | "!=" | "<" | "<=" | ">" | ">=") operand
                           | ["not"] "in" "[" literal ("," literal)* "]")?
    operand    := NUMBER | STRING | ITEM_ID | "(" expr ")"

``ITEM_ID`` is an item id such as ``PR06``; ``STRING`` is quoted with ``'`` or ``"``.
Examples: ``PR06 == 1``, ``PR02 in [3, 4] and not (PR05 < 2)``.

Three things use a parsed expression:

* :func:`evaluate` — vectorised over a DataFrame (one column per item), returns a boolean
  Series: True where the item was shown. A comparison with a missing value is *unknown*;
  ``and``/``or``/``not`` follow three-valued (Kleene) logic; what an unknown result
  becomes is the ``unknown`` parameter (``False`` by default, like ODK/XLSForm, where a
  condition on an unanswered question is false).
* :func:`to_xlsform` — the XLSForm ``relevant`` column (``${PR06} = 1``).
* :attr:`Expr.items` — the item ids a condition reads (validation checks they exist).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

from ..errors import InstrumentError, check_choice

if TYPE_CHECKING:  # pandas/numpy load only when a condition is evaluated
    import numpy as np
    import pandas as pd

__all__ = ["Expr", "ExpressionError", "parse", "evaluate", "to_xlsform", "Compare", "Membership",
           "BoolOp", "Not", "Name", "Literal"]

COMPARATORS = ("==", "!=", "<=", ">=", "<", ">")
#: deepest nesting of ``not`` and parentheses in one condition (deeper raised RecursionError)
MAX_NESTING = 50


class ExpressionError(InstrumentError):
    """A skip condition cannot be parsed; ``position`` is the 0-based offset in the text."""

    def __init__(self, message: str, expression: str, position: int) -> None:
        self.expression = expression
        self.position = position
        self.reason = message
        pointer = f"\n  {expression}\n  {' ' * position}^"
        super().__init__(f"{message}{pointer}")


# -- AST ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Name:
    id: str
    pos: int = 0


@dataclass(frozen=True)
class Literal:
    value: float | str
    pos: int = 0


@dataclass(frozen=True)
class Compare:
    op: str
    left: "Node"
    right: "Node"


@dataclass(frozen=True)
class Membership:
    operand: "Node"
    values: tuple[Literal, ...]
    negated: bool = False


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple["Node", ...]


@dataclass(frozen=True)
class Not:
    operand: "Node"


Node = Union[Name, Literal, Compare, Membership, BoolOp, Not]


@dataclass(frozen=True)
class Expr:
    """A parsed skip condition: ``text`` as written and its syntax tree ``node``."""

    text: str
    node: Node

    @property
    def items(self) -> tuple[str, ...]:
        """Item ids the condition reads, in order of first use."""
        out: list[str] = []
        _collect(self.node, out)
        return tuple(dict.fromkeys(out))

    def name_positions(self) -> dict[str, int]:
        """Offset of the first use of each item id (for located messages)."""
        out: dict[str, int] = {}

        def walk(n: Node) -> None:
            if isinstance(n, Name):
                out.setdefault(n.id, n.pos)
            for child in _children(n):
                walk(child)
        walk(self.node)
        return out

    def __str__(self) -> str:
        return self.text


def _children(n: Node) -> tuple[Node, ...]:
    if isinstance(n, Compare):
        return (n.left, n.right)
    if isinstance(n, Membership):
        return (n.operand,)
    if isinstance(n, BoolOp):
        return n.operands
    if isinstance(n, Not):
        return (n.operand,)
    return ()


def _collect(n: Node, out: list[str]) -> None:
    if isinstance(n, Name):
        out.append(n.id)
    for c in _children(n):
        _collect(c, out)


# -- tokenizer ------------------------------------------------------------------------------
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
""", re.VERBOSE)
_KEYWORDS = {"and", "or", "not", "in"}
_HINTS = {
    "=": "use '==' to compare (XLSForm's '=' is written '==' here)",
    "&&": "use 'and'", "&": "use 'and'", "||": "use 'or'", "|": "use 'or'", "!": "use 'not'",
    "$": "write item ids bare: PR06, not ${PR06}", "{": "write item ids bare: PR06, not ${PR06}",
    "<>": "use '!='",
}


@dataclass(frozen=True)
class _Tok:
    kind: str  # num, str, op, name, kw, end
    text: str
    pos: int


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i = 0
    while i < len(text):
        m = _TOKEN.match(text, i)
        if m is None or m.end() == i:
            two = text[i:i + 2]
            hint = _HINTS.get(two) or _HINTS.get(text[i])
            if text[i] in "'\"":
                raise ExpressionError("unterminated string: close the quote", text, i)
            msg = f"unsupported character {text[i]!r}"
            raise ExpressionError(f"{msg}; {hint}" if hint else
                                  f"{msg}; allowed are item ids, numbers, quoted text, "
                                  f"== != < <= > >=, and/or/not, in [..] and parentheses", text, i)
        kind = m.lastgroup or ""
        if kind == "name" and m.group() in _KEYWORDS:
            kind = "kw"
        if kind == "name" and m.group() in ("AND", "OR", "NOT", "IN", "And", "Or", "Not"):
            raise ExpressionError(f"write {m.group()!r} in lower case: {m.group().lower()!r}",
                                  text, i)
        if kind != "ws":
            toks.append(_Tok(kind, m.group(), i))
        i = m.end()
    toks.append(_Tok("end", "", len(text)))
    return toks


# -- parser (recursive descent) -------------------------------------------------------------
class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokenize(text)
        self.i = 0
        self.depth = 0

    def nest(self, t: _Tok) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.fail(f"the condition nests 'not' and parentheses more than {MAX_NESTING} "
                            f"deep; simplify it (not not X is X; drop redundant parentheses)", t)

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def fail(self, msg: str, tok: _Tok | None = None) -> ExpressionError:
        t = tok or self.tok
        return ExpressionError(msg, self.text, t.pos)

    def expect(self, text: str, what: str) -> _Tok:
        if self.tok.text != text or self.tok.kind in ("str",):
            got = "the end of the condition" if self.tok.kind == "end" else repr(self.tok.text)
            raise self.fail(f"expected {what}, found {got}")
        return self.take()

    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise self.fail("the condition is empty; write e.g. PR06 == 1 or remove 'relevant'")
        node = self.or_()
        if self.tok.kind != "end":
            raise self.fail(f"unexpected {self.tok.text!r}; join conditions with 'and' or 'or'")
        return node

    def or_(self) -> Node:
        parts = [self.and_()]
        while self.tok.kind == "kw" and self.tok.text == "or":
            self.take()
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else BoolOp("or", tuple(parts))

    def and_(self) -> Node:
        parts = [self.not_()]
        while self.tok.kind == "kw" and self.tok.text == "and":
            self.take()
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else BoolOp("and", tuple(parts))

    def not_(self) -> Node:
        if self.tok.kind == "kw" and self.tok.text == "not":
            self.nest(self.take())
            node = Not(self.not_())
            self.depth -= 1
            return node
        return self.comparison()

    def comparison(self) -> Node:
        left = self.operand()
        t = self.tok
        if t.kind == "op" and t.text in COMPARATORS:
            self.take()
            right = self.operand()
            if isinstance(left, Literal) and isinstance(right, Literal):
                raise self.fail("a comparison needs an item id on at least one side", t)
            return Compare(t.text, left, right)
        negated = False
        if t.kind == "kw" and t.text == "not" and self.toks[self.i + 1].text == "in":
            self.take()
            negated = True
            t = self.tok
        if t.kind == "kw" and t.text == "in":
            self.take()
            if not isinstance(left, Name):
                raise self.fail("'in' needs an item id on its left, e.g. PR02 in [3, 4]", t)
            return Membership(left, self.literal_list(), negated)
        if isinstance(left, (Name, Literal)):
            raise self.fail(f"{_describe(left)} alone is not a condition; compare it, e.g. "
                            f"{_example(left)}", t if t.kind != "end" else t)
        return left

    def literal_list(self) -> tuple[Literal, ...]:
        self.expect("[", "'[' to start the list of values")
        values: list[Literal] = []
        while True:
            t = self.tok
            if t.kind == "num":
                self.take()
                values.append(Literal(float(t.text), t.pos))
            elif t.kind == "str":
                self.take()
                values.append(Literal(t.text[1:-1], t.pos))
            else:
                raise self.fail("a list after 'in' holds numbers or quoted text, e.g. [1, 2]")
            if self.tok.text == ",":
                self.take()
                continue
            self.expect("]", "',' or ']'")
            return tuple(values)

    def operand(self) -> Node:
        t = self.tok
        if t.kind == "num":
            self.take()
            return Literal(float(t.text), t.pos)
        if t.kind == "str":
            self.take()
            return Literal(t.text[1:-1], t.pos)
        if t.kind == "name":
            self.take()
            if self.tok.text == "(":
                raise self.fail(f"function calls such as {t.text}(...) are not supported", t)
            return Name(t.text, t.pos)
        if t.text == "(":
            self.nest(self.take())
            node = self.or_()
            self.expect(")", "')' to close the parenthesis")
            self.depth -= 1
            return node
        got = "the end of the condition" if t.kind == "end" else repr(t.text)
        raise self.fail(f"expected an item id, a number or '(', found {got}")


def _describe(n: Node) -> str:
    return f"item {n.id!r}" if isinstance(n, Name) else f"value {n.value!r}"  # type: ignore[union-attr]


def _example(n: Node) -> str:
    return f"{n.id} == 1" if isinstance(n, Name) else "PR06 == 1"


def parse(text: str | Expr) -> Expr:
    """Parse a skip condition; raise :class:`ExpressionError` (with a caret) if invalid.

    >>> parse("PR06 == 1").items
    ('PR06',)
    """
    if isinstance(text, Expr):
        return text
    if not isinstance(text, str):
        raise ExpressionError(f"a condition must be text, got {type(text).__name__}", str(text), 0)
    return Expr(text, _Parser(text).parse())


# -- vectorised evaluation ------------------------------------------------------------------
def evaluate(expr: str | Expr, frame: pd.DataFrame, *, unknown: bool | None = False,
             instrument: Any = None) -> pd.Series:
    """Evaluate a condition for every row of ``frame`` at once.

    Parameters
    ----------
    expr : str or Expr
    frame : DataFrame
        One column per item id (as ``Responses.values`` or ``Responses.to_frame()``);
        missing answers are NaN.
    unknown : bool or None
        What a row whose result is unknown (it depends on a missing answer) becomes:
        ``False`` (default; the item counts as not shown, as in XLSForm), ``True``, or
        ``None`` to return a nullable ``"boolean"`` Series with ``<NA>`` there.
    instrument : Instrument, optional
        If given, the items' typed missing codes (-99, -98 ...) count as missing too.

    Returns
    -------
    Series of bool (or ``"boolean"`` when ``unknown=None``), indexed like ``frame``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame({"PR06": [1, 2, np.nan]})
    >>> evaluate("PR06 == 1", df).tolist()
    [True, False, False]
    """
    import pandas as pd

    if unknown is not None and not isinstance(unknown, bool):
        check_choice("evaluate", "unknown", unknown, (False, True, None))
    e = parse(expr)
    missing_cols = [c for c in e.items if c not in frame.columns]
    if missing_cols:
        raise InstrumentError(
            f"Condition {e.text!r} reads {', '.join(missing_cols)}, which the data do not have. "
            f"Columns present: {', '.join(map(str, frame.columns[:12]))}"
            f"{' …' if len(frame.columns) > 12 else ''}.")
    value, known = _eval(e.node, frame, instrument)
    out = pd.Series(value & known, index=frame.index, name=None)
    if unknown is None:
        res = pd.Series(pd.array(value, dtype="boolean"), index=frame.index)
        res[~known] = pd.NA
        return res
    if unknown:
        out = pd.Series(value | ~known, index=frame.index)
    return out.astype(bool)


def _column(frame: pd.DataFrame, name: str, instrument: Any) -> tuple[pd.Series, np.ndarray]:
    col = frame[name].reset_index(drop=True)
    known = col.notna().to_numpy(dtype=bool)
    if instrument is not None and instrument.has_item(name):
        codes = instrument.item(name).response.missing_values
        if codes:
            known = known & ~col.isin(list(codes)).to_numpy(dtype=bool)
    return col, known


def _operand(node: Node, frame: pd.DataFrame, instrument: Any) -> tuple[Any, np.ndarray]:
    import numpy as np
    import pandas as pd
    n = len(frame)
    if isinstance(node, Name):
        return _column(frame, node.id, instrument)
    if isinstance(node, Literal):
        return node.value, np.ones(n, dtype=bool)
    value, known = _eval(node, frame, instrument)  # a parenthesised condition as 0/1
    return pd.Series(value.astype(float)), known


def _compare(op: str, a: Any, b: Any) -> np.ndarray:
    import numpy as np
    import pandas as pd
    a_s, b_s = a, b
    try:
        if op == "==":
            r = a_s == b_s
        elif op == "!=":
            r = a_s != b_s
        elif op == "<":
            r = a_s < b_s
        elif op == "<=":
            r = a_s <= b_s
        elif op == ">":
            r = a_s > b_s
        else:
            r = a_s >= b_s
    except TypeError as e:
        raise InstrumentError(f"cannot compare text with a number using {op!r} ({e}). "
                              f"Compare text items with quoted text.") from None
    if isinstance(r, pd.Series):
        return r.fillna(False).to_numpy(dtype=bool)
    return np.asarray(r, dtype=bool)


def _eval(node: Node, frame: pd.DataFrame, instrument: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return (value, known) boolean arrays (value is meaningful where known)."""
    import numpy as np
    import pandas as pd
    n = len(frame)
    if isinstance(node, Compare):
        a, ka = _operand(node.left, frame, instrument)
        b, kb = _operand(node.right, frame, instrument)
        known = ka & kb
        value = _compare(node.op, a, b) & known
        return value, known
    if isinstance(node, Membership):
        a, known = _operand(node.operand, frame, instrument)
        vals = [v.value for v in node.values]
        value = pd.Series(a).isin(vals).to_numpy(dtype=bool)
        if node.negated:
            value = ~value
        return value & known, known
    if isinstance(node, Not):
        v, k = _eval(node.operand, frame, instrument)
        return ~v & k, k
    if isinstance(node, BoolOp):
        vals = [_eval(o, frame, instrument) for o in node.operands]
        if node.op == "and":
            # false if any known false; true if all known true; else unknown
            any_false = np.zeros(n, dtype=bool)
            all_true = np.ones(n, dtype=bool)
            for v, k in vals:
                any_false |= k & ~v
                all_true &= k & v
            return all_true, any_false | all_true
        any_true = np.zeros(n, dtype=bool)
        all_false = np.ones(n, dtype=bool)
        for v, k in vals:
            any_true |= k & v
            all_false &= k & ~v
        return any_true, any_true | all_false
    if isinstance(node, (Name, Literal)):  # pragma: no cover - rejected by the parser
        raise InstrumentError(f"{_describe(node)} alone is not a condition.")
    raise InstrumentError(f"unknown expression node {node!r}")  # pragma: no cover


# -- XLSForm --------------------------------------------------------------------------------
_XLS_OPS = {"==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _lit(v: float | str) -> str:
    if isinstance(v, str):
        return "'" + v + "'"
    return str(int(v)) if float(v).is_integer() else repr(v)


def to_xlsform(expr: str | Expr) -> str:
    """Translate to XLSForm ``relevant`` syntax.

    >>> to_xlsform("PR06 == 1 and PR02 in [3, 4]")
    '${PR06} = 1 and (${PR02} = 3 or ${PR02} = 4)'
    """
    return _xls(parse(expr).node, top=True)


def _xls(n: Node, top: bool = False) -> str:
    if isinstance(n, Name):
        return "${" + n.id + "}"
    if isinstance(n, Literal):
        return _lit(n.value)
    if isinstance(n, Compare):
        return f"{_xls(n.left)} {_XLS_OPS[n.op]} {_xls(n.right)}"
    if isinstance(n, Membership):
        name = _xls(n.operand)
        if n.negated:
            inner = " and ".join(f"{name} != {_lit(v.value)}" for v in n.values)
        else:
            inner = " or ".join(f"{name} = {_lit(v.value)}" for v in n.values)
        return inner if len(n.values) == 1 else f"({inner})"
    if isinstance(n, Not):
        return f"not({_xls(n.operand, top=True)})"
    if isinstance(n, BoolOp):
        s = f" {n.op} ".join(_xls(o) for o in n.operands)
        return s if top else f"({s})"
    raise InstrumentError(f"unknown expression node {n!r}")  # pragma: no cover
