"""Declared parameter constraints, checked when a public function is called.

A public function states what each parameter accepts, next to its signature, instead of
writing the checks by hand in its body::

    @validate_params({
        "missing": [Options("pairwise", "listwise")],
        "n_boot": [Interval(int, 2, None)],
        "seed": [Interval(int, 0, None), None],
    })
    def reliability(data, items=None, *, missing="pairwise", n_boot=1000, seed=None): ...

A value is accepted when it satisfies any constraint in its list; otherwise the call raises
:class:`~surveykit.errors.ParameterError` with the package's one template (the same as
:func:`~surveykit.errors.check_choice` and :func:`~surveykit.errors.check_range`)::

    The 'missing' parameter of reliability must be one of {'pairwise', 'listwise'}. Got 'omit' instead.

(the idea of scikit-learn's ``utils/_param_validation``, written for this package's
messages).  The decorator binds the signature once, when the module is imported: a call
costs one dictionary walk over the parameters actually passed, no ``inspect`` work.
Defaults are checked once, at decoration, so a default that breaks its own declaration
fails at import.  Checks that need the data (a column missing from the data, a bound
that depends on the number of items) stay in the function body.

Renamed parameters
------------------
``renamed={"old": "new"}`` keeps an old keyword working for one release: the call goes on
with the new name and emits a :class:`FutureWarning` naming the new one (FutureWarning, not
DeprecationWarning, because the people calling these functions are researchers running
scripts, and Python shows FutureWarning to them by default). :class:`Renamed` adds a value
conversion (``alpha=0.05`` → ``conf_level=0.95``) and the old name's own constraints.

Every constraint can also produce a value that violates it (:meth:`Constraint.invalid`),
which lets one generated test feed every declared parameter of every public function a
wrong value and expect the template message.
"""
from __future__ import annotations

import functools
import importlib
import inspect
import math
import numbers
import os
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from .errors import ParameterError, _fmt_set

__all__ = [
    "Constraint", "Options", "Interval", "InstanceOf", "Boolean", "Callables", "ColumnName",
    "Names", "NoneValue", "Renamed", "Subset", "validate_params", "param_error", "constraints_of",
    "REMOVAL_RELEASE", "CONF_LEVEL", "ALPHA_ALIAS", "PATH",
]

#: The release in which the deprecated aliases (old parameter and field names) go away.
REMOVAL_RELEASE = "0.3"

_NO_INVALID = object()


def param_error(func: str, name: str, expected: str, value: Any) -> ParameterError:
    """The one parameter message: ``The 'name' parameter of func must be expected. Got value instead.``"""
    return ParameterError(f"The {name!r} parameter of {func} must be {expected}. "
                          f"Got {value!r} instead.")


class Constraint:
    """One thing a parameter may be. Subclasses define :meth:`accepts` and :meth:`describe`."""

    def accepts(self, value: Any) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - abstract
        """The words after "must be" in the message."""
        raise NotImplementedError

    def invalid(self) -> Any:
        """A value this constraint rejects (for generated tests); ``_NO_INVALID`` if none."""
        return _NO_INVALID

    def offending(self, value: Any) -> Any:
        """What the message shows after "Got" (the value; a list constraint shows the
        first wrong element)."""
        return value

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.describe()}>"


def _is_bool(v: Any) -> bool:
    # numpy.bool_ without importing numpy (the instrument commands run without it)
    t = type(v)
    return t is bool or (t.__module__ == "numpy" and t.__name__ in ("bool_", "bool"))


class Options(Constraint):
    """One of a fixed set of values (strings, numbers, booleans, ``None``).

    Booleans and numbers are not mixed up (``1`` is not ``True``).  With
    ``ignore_case=True`` strings match regardless of case (the function still receives the
    value as passed; :meth:`canonical` gives the declared spelling).
    """

    def __init__(self, *values: Any, ignore_case: bool = False) -> None:
        if len(values) == 1 and isinstance(values[0], (tuple, list, frozenset, set)):
            values = tuple(values[0])
        self.values = tuple(values)
        self.ignore_case = ignore_case
        self._folded = {v.casefold(): v for v in self.values if isinstance(v, str)}

    def _same(self, v: Any, o: Any) -> bool:
        if o is None or v is None:
            return v is o
        if _is_bool(o) or _is_bool(v):
            return _is_bool(o) and _is_bool(v) and bool(v) == bool(o)
        if isinstance(o, str) or isinstance(v, str):
            return isinstance(v, str) and isinstance(o, str) and v == o
        try:
            return bool(v == o)
        except Exception:
            return False

    def accepts(self, value: Any) -> bool:
        if self.ignore_case and isinstance(value, str):
            return value.casefold() in self._folded
        return any(self._same(value, o) for o in self.values)

    def canonical(self, value: Any) -> Any:
        """The declared spelling of ``value`` (for ``ignore_case`` options)."""
        if isinstance(value, str):
            return self._folded.get(value.casefold(), value)
        return value

    def describe(self) -> str:
        return f"one of {_fmt_set(self.values)}"

    def invalid(self) -> Any:
        if any(isinstance(v, str) for v in self.values) or not self.values:
            return "not-an-option"
        nums = [v for v in self.values if isinstance(v, numbers.Real) and not _is_bool(v)]
        if nums:
            return max(nums) + 1
        return "not-an-option"


class Subset(Options):
    """One option or a list of options (``equal=("loadings", "intercepts")``); an empty
    list is accepted. The message names the options and the first wrong element."""

    def _items(self, value: Any) -> list[Any] | None:
        if isinstance(value, str):
            return [value]
        if isinstance(value, (list, tuple)):
            return list(value)
        return None

    def accepts(self, value: Any) -> bool:
        items = self._items(value)
        return items is not None and all(Options.accepts(self, v) for v in items)

    def offending(self, value: Any) -> Any:
        items = self._items(value)
        if items is None:
            return value
        return next((v for v in items if not Options.accepts(self, v)), value)


class Interval(Constraint):
    """A number between two bounds; ``kind`` is ``int`` (integers; ``3.0`` counts) or ``float``.

    ``closed`` is ``"both"`` (default), ``"left"``, ``"right"`` or ``"neither"``; ``None``
    for a bound means unbounded. NaN, booleans and strings are never accepted.  The message
    reads as :func:`~surveykit.errors.check_range`'s: "an integer >= 2", "a number > 0 and < 1";
    ``words`` replaces it where the bound needs its reason ("at least 1000 for a bootstrap
    confidence interval (5000 is usual)").
    """

    def __init__(self, kind: type, low: float | None, high: float | None, *,
                 closed: str = "both", words: str | None = None) -> None:
        self.words = words
        if kind not in (int, float):
            raise TypeError("Interval kind must be int or float")
        if closed not in ("both", "left", "right", "neither"):
            raise TypeError(f"Interval closed must be both/left/right/neither, not {closed!r}")
        self.kind, self.low, self.high, self.closed = kind, low, high, closed
        self.low_inclusive = closed in ("both", "left")
        self.high_inclusive = closed in ("both", "right")

    def accepts(self, value: Any) -> bool:
        if _is_bool(value) or not isinstance(value, numbers.Real):
            return False
        v = float(value)
        if math.isnan(v):
            return False
        if self.kind is int and not v.is_integer():
            return False
        if self.low is not None and not (v >= self.low if self.low_inclusive else v > self.low):
            return False
        if self.high is not None and not (v <= self.high if self.high_inclusive
                                          else v < self.high):
            return False
        return True

    def describe(self) -> str:
        if self.words:
            return self.words
        kind = "an integer" if self.kind is int else "a number"
        parts = []
        if self.low is not None:
            parts.append(f"{'>=' if self.low_inclusive else '>'} {self.low}")
        if self.high is not None:
            parts.append(f"{'<=' if self.high_inclusive else '<'} {self.high}")
        return kind + ((" " + " and ".join(parts)) if parts else "")

    def invalid(self) -> Any:
        if self.low is not None:
            return self.low if not self.low_inclusive else self.low - 1
        if self.high is not None:
            return self.high if not self.high_inclusive else self.high + 1
        return 0.5 if self.kind is int else "not-a-number"


class _TypeName(str):
    """A type's name shown without quotes in a message ("Got list instead.")."""

    def __repr__(self) -> str:
        return str(self)


def _resolve(t: type | str) -> type:
    if isinstance(t, str):  # "package.module:Class", imported when first needed
        mod, _, attr = t.partition(":")
        return getattr(importlib.import_module(mod), attr)
    return t


class InstanceOf(Constraint):
    """An instance of one of ``types``; ``words`` is how the message names it.

    A type may be given as ``"package.module:Class"``, imported at the first check (so a
    module can declare a parameter of a type it does not import at import time).  With
    ``show_type=True`` the message shows the type of a wrong value, not its repr ("Got
    list instead.") — for data objects (frames, results) whose repr would fill the screen.
    """

    def __init__(self, types: type | str | tuple[type | str, ...], words: str, *,
                 show_type: bool = False) -> None:
        self._spec = types if isinstance(types, tuple) else (types,)
        self._types: tuple[type, ...] | None = None
        self.words, self.show_type = words, show_type

    @property
    def types(self) -> tuple[type, ...]:
        if self._types is None:
            self._types = tuple(_resolve(t) for t in self._spec)
        return self._types

    def accepts(self, value: Any) -> bool:
        return isinstance(value, self.types) and not (_is_bool(value)
                                                       and bool not in self.types)

    def describe(self) -> str:
        return self.words

    def invalid(self) -> Any:
        return object()

    def offending(self, value: Any) -> Any:
        return _TypeName(type(value).__name__) if self.show_type else value


class Boolean(Constraint):
    """``True`` or ``False`` (numpy booleans too; not ``0``/``1``, not ``"yes"``)."""

    def accepts(self, value: Any) -> bool:
        return _is_bool(value)

    def describe(self) -> str:
        return "True or False"

    def invalid(self) -> Any:
        return "yes"


class Callables(Constraint):
    """A callable (function, lambda, object with ``__call__``)."""

    def accepts(self, value: Any) -> bool:
        return callable(value)

    def describe(self) -> str:
        return "a callable"

    def invalid(self) -> Any:
        return 3


class ColumnName(Constraint):
    """A column name (a non-empty string). Whether the data have it is checked in the body."""

    def accepts(self, value: Any) -> bool:
        return isinstance(value, str) and bool(value)

    def describe(self) -> str:
        return "a column name"

    def invalid(self) -> Any:
        return 3


class Names(Constraint):
    """A list (tuple, Index, …) of non-empty strings — item ids, column names, scale ids.

    ``single=True`` also accepts one string (read as a list of one).
    """

    def __init__(self, words: str = "a list of column names", *, single: bool = False) -> None:
        self.words, self.single = words, single

    def accepts(self, value: Any) -> bool:
        if isinstance(value, str):
            return self.single and bool(value)
        if isinstance(value, (Mapping, bytes)) or not isinstance(value, Iterable):
            return False
        if not hasattr(value, "__len__"):
            return False  # a generator would be used up by the check
        return all(isinstance(v, str) and v for v in value)

    def describe(self) -> str:
        return self.words

    def invalid(self) -> Any:
        return [1, 2]


class NoneValue(Constraint):
    """``None`` (written as plain ``None`` in a declaration)."""

    def accepts(self, value: Any) -> bool:
        return value is None

    def describe(self) -> str:
        return "None"


def _make(c: Any) -> Constraint:
    if c is None:
        return NoneValue()
    if isinstance(c, Constraint):
        return c
    if c is bool:
        return Boolean()
    if c is callable:
        return Callables()
    if isinstance(c, type) or (isinstance(c, tuple) and all(isinstance(t, type) for t in c)):
        names = c if isinstance(c, tuple) else (c,)
        return InstanceOf(c, " or ".join(f"a {t.__name__}" for t in names))
    raise TypeError(f"not a parameter constraint: {c!r}")


def describe(constraints: Sequence[Constraint]) -> str:
    """The words after "must be" for a list of constraints (merged: options and None are
    listed as one set — "one of {None, 'tukey', 'games_howell'}")."""
    if len(constraints) == 1:
        return constraints[0].describe()
    opts = [c for c in constraints if isinstance(c, Options)]
    if opts and all(isinstance(c, (Options, NoneValue)) for c in constraints):
        values: list[Any] = []
        for c in constraints:
            values.extend([None] if isinstance(c, NoneValue) else c.values)
        return f"one of {_fmt_set(values)}"
    words = [c.describe() for c in constraints]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


class Renamed:
    """An old parameter name kept for one release.

    ``convert`` maps the old value to the new one (``alpha`` → ``conf_level = 1 - alpha``);
    ``constraints`` (optional) check the old value under its old name first, so the message
    names what the caller wrote.
    """

    def __init__(self, new: str, convert: Callable[[Any], Any] | None = None,
                 constraints: Sequence[Any] = ()) -> None:
        self.new, self.convert = new, convert
        self.constraints = tuple(_make(c) for c in constraints)


def _renamed_warning(func: str, old: str, new: str, what: str = "parameter",
                     note: str = "") -> None:
    warnings.warn(f"The {old!r} {what} of {func} is now called {new!r}{note}; {old!r} will be "
                  f"removed in surveykit {REMOVAL_RELEASE}.", FutureWarning, stacklevel=3)


#: A file or folder path (``str`` or :class:`os.PathLike`, e.g. :class:`pathlib.Path`).
PATH = InstanceOf((str, os.PathLike), "a path (str or pathlib.Path)", show_type=True)

#: The confidence level of intervals, ``conf_level`` (R's ``conf.level``), in every analysis.
CONF_LEVEL = Interval(float, 0, 1, closed="neither")
#: The old ``alpha=`` keyword (significance level) read as ``conf_level = 1 - alpha``.
ALPHA_ALIAS = Renamed("conf_level", convert=lambda a: 1.0 - a, constraints=[CONF_LEVEL])


def validate_params(constraints: Mapping[str, Sequence[Any]], *, name: str | None = None,
                    renamed: Mapping[str, str | Renamed] | None = None
                    ) -> Callable[[Callable], Callable]:
    """Decorator: check the declared parameters of a public function at call time.

    Parameters
    ----------
    constraints : mapping
        Parameter name → list of constraints (a value satisfying any one is accepted).
        A constraint is a :class:`Constraint`, ``None``, ``bool``, ``callable`` or a type.
    name : str, optional
        The function's name in messages (default ``func.__name__``).
    renamed : mapping, optional
        Old keyword → new name (or :class:`Renamed`) for deprecated aliases.

    The wrapped function keeps its name, docstring and signature (``__wrapped__``,
    ``__signature__``), and carries its declarations as ``__param_constraints__``.
    """
    def deco(func: Callable) -> Callable:
        fname = name or func.__name__
        sig = inspect.signature(func)
        params = sig.parameters
        unknown = [p for p in constraints if p not in params]
        if unknown:
            raise TypeError(f"{fname}: constraints for parameters it does not have: {unknown}")
        declared = {p: tuple(_make(c) for c in cs) for p, cs in constraints.items()}
        for p, cs in declared.items():
            if not cs:
                raise TypeError(f"{fname}: empty constraint list for {p!r}")
            d = params[p].default
            if d is None and any(isinstance(c, NoneValue) for c in cs):
                continue  # (without resolving a lazily named type)
            if d is not inspect.Parameter.empty and not any(c.accepts(d) for c in cs):
                raise TypeError(f"{fname}: the default of {p!r} ({d!r}) breaks its declaration")
        words = {p: describe(cs) for p, cs in declared.items()}
        positional = [p for p, v in params.items()
                      if v.kind in (v.POSITIONAL_ONLY, v.POSITIONAL_OR_KEYWORD)]
        # (name, position or -1, constraints, words) — the plan a call walks
        plan = tuple((p, positional.index(p) if p in positional else -1, cs, words[p])
                     for p, cs in declared.items())
        aliases = {old: (spec if isinstance(spec, Renamed) else Renamed(spec))
                   for old, spec in (renamed or {}).items()}
        for old, spec in aliases.items():
            if spec.new not in params or old in params:
                raise TypeError(f"{fname}: alias {old!r} -> {spec.new!r} does not fit the signature")
        alias_pos = {spec.new: positional.index(spec.new) if spec.new in positional else -1
                     for spec in aliases.values()}

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if aliases and kwargs:
                for old in [k for k in kwargs if k in aliases]:
                    spec = aliases[old]
                    value = kwargs.pop(old)
                    if spec.new in kwargs or 0 <= alias_pos[spec.new] < len(args):
                        raise ParameterError(f"{fname} was given both {old!r} and {spec.new!r}; "
                                             f"{old!r} is the old name of {spec.new!r}. "
                                             f"Pass only {spec.new!r}.")
                    if spec.constraints and not any(c.accepts(value) for c in spec.constraints):
                        raise param_error(fname, old, describe(spec.constraints), value)
                    note = " (its value converted)" if spec.convert else ""
                    _renamed_warning(fname, old, spec.new, note=note)
                    kwargs[spec.new] = spec.convert(value) if spec.convert else value
            n = len(args)
            for p, pos, cs, expected in plan:
                if 0 <= pos < n:
                    value = args[pos]
                elif p in kwargs:
                    value = kwargs[p]
                else:
                    continue  # the default, checked at decoration
                for c in cs:
                    if c.accepts(value):
                        break
                else:
                    shown = next((c for c in cs if getattr(c, "show_type", False)), cs[-1])
                    raise param_error(fname, p, expected, shown.offending(value))
            return func(*args, **kwargs)

        wrapper.__signature__ = sig  # type: ignore[attr-defined]
        wrapper.__param_constraints__ = declared  # type: ignore[attr-defined]
        wrapper.__param_renamed__ = dict(aliases)  # type: ignore[attr-defined]
        wrapper.__param_name__ = fname  # type: ignore[attr-defined]
        return wrapper

    return deco


def constraints_of(func: Callable) -> Mapping[str, tuple[Constraint, ...]]:
    """The declared constraints of a decorated function (empty mapping if none)."""
    return getattr(func, "__param_constraints__", {})


def invalid_value(constraints: Sequence[Constraint]) -> Any:
    """A value none of ``constraints`` accepts, or ``_NO_INVALID`` if none can be derived."""
    candidates = [c.invalid() for c in constraints]
    candidates += ["not-an-option", object(), -1, 10 ** 9, [1, 2], 0.5]
    for v in candidates:
        if v is _NO_INVALID:
            continue
        if not any(c.accepts(v) for c in constraints):
            return v
    return _NO_INVALID
