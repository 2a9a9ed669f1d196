"""Errors and warnings raised by surveykit.

Every error a user can cause derives from :class:`SurveykitError`; the CLI prints
its message (one clear paragraph, no traceback) and exits with code 1.

Message templates
-----------------
* Parameter errors (:func:`check_choice`, :func:`check_range`)::

    The 'missing' parameter of reliability must be one of {'pairwise', 'listwise'}. Got 'omit' instead.

* Data errors (:class:`DataError`) name the file, row, item and count, show a few
  cases and say how to fix it::

    wave1.csv: item LP03 has 4 values outside 1–5 (rows 12, 40: 7, 9). Mark them invalid in the mapping or fix the export.

* Problems that a user wants as a whole list (instrument or response validation)
  are collected as :class:`Problem` objects and raised together in one
  :class:`ValidationError`.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "SurveykitError",
    "ParameterError",
    "DataError",
    "InstrumentError",
    "ResponsesError",
    "AnalysisError",
    "QualError",
    "ReportError",
    "OutputError",
    "ValidationError",
    "Problem",
    "SurveykitWarning",
    "DataWarning",
    "check_choice",
    "check_range",
    "format_cases",
]


class SurveykitError(Exception):
    """Base class of every error a user of surveykit can cause.

    The message is meant for the user as it is: the CLI prints ``str(error)``.
    """


class ParameterError(SurveykitError, ValueError):
    """A function was called with a parameter value it does not accept."""


class DataError(SurveykitError, ValueError):
    """The data (a file, a column, a value) cannot be used as given.

    Parameters
    ----------
    message : str
        The full user-facing message (file, row, item, count, cases, fix).
    file, item : str, optional
        What the message is about, for programs that catch the error.
    rows : sequence of int, optional
        1-based row numbers as the user sees them in the file.
    """

    def __init__(self, message: str, *, file: str | None = None, item: str | None = None,
                 rows: Sequence[int] = ()) -> None:
        super().__init__(message)
        self.file = file
        self.item = item
        self.rows = tuple(rows)


class InstrumentError(SurveykitError):
    """An instrument cannot be found, loaded or used as asked."""


class ResponsesError(DataError):
    """A response file cannot be read or mapped to the instrument."""


class AnalysisError(SurveykitError, ValueError):
    """An analysis cannot be computed on the data given (constant item, singular matrix ...)."""


class QualError(SurveykitError):
    """Case notes, codebook, codings or a QDA exchange file are not usable as given."""


class OutputError(SurveykitError):
    """An output file cannot be written (the path is a file or folder, read-only, disk full)."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class ReportError(SurveykitError):
    """A report stage failed; the message names the stage and its input."""


@dataclass(frozen=True)
class Problem:
    """One problem found while validating a file, located as ``file:line:column``.

    ``line`` and ``column`` are 1-based; 0 means unknown.
    """

    file: str
    line: int
    column: int
    message: str
    key: str = ""

    def __str__(self) -> str:
        loc = f"{self.file}:{self.line}:{self.column}" if self.line else f"{self.file}"
        return f"{loc}: {self.message}"


class ValidationError(SurveykitError):
    """Several problems found in one run; ``problems`` holds them all."""

    def __init__(self, problems: Iterable[Problem], header: str | None = None) -> None:
        self.problems = tuple(problems)
        lines = [str(p) for p in self.problems]
        if header:
            lines.insert(0, header)
        super().__init__("\n".join(lines))


class SurveykitWarning(UserWarning):
    """Base class of surveykit's warnings (shown to the user, never silenced by default)."""


class DataWarning(SurveykitWarning):
    """The data allow a result, but one the user should look at (e.g. a near-constant item)."""


def _fmt_set(values: Iterable[Any]) -> str:
    return "{" + ", ".join(repr(v) for v in values) + "}"


def check_choice(func: str, name: str, value: Any, allowed: Iterable[Any]) -> Any:
    """Raise :class:`ParameterError` unless ``value`` is one of ``allowed``.

    >>> check_choice("reliability", "missing", "pairwise", ("pairwise", "listwise"))
    'pairwise'
    """
    allowed = tuple(allowed)
    if value not in allowed:
        raise ParameterError(
            f"The {name!r} parameter of {func} must be one of {_fmt_set(allowed)}. "
            f"Got {value!r} instead."
        )
    return value


def check_range(func: str, name: str, value: Any, low: float | None = None,
                high: float | None = None, *, integer: bool = False,
                low_inclusive: bool = True, high_inclusive: bool = True) -> Any:
    """Raise :class:`ParameterError` unless ``low <= value <= high`` (bounds optional).

    NaN and infinities are never accepted (``seconds_per_item: .inf`` in a rules file).

    >>> check_range("efa", "n_factors", 3, 1, integer=True)
    3
    """
    kind = "an integer" if integer else "a number"
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if integer and ok and isinstance(value, float) and not value.is_integer():
        ok = False
    if ok and value != value:  # NaN
        ok = False
    if ok and value in (float("inf"), float("-inf")):  # ±inf (seconds_per_item: .inf)
        ok = False
    if ok and low is not None:
        ok = value >= low if low_inclusive else value > low
    if ok and high is not None:
        ok = value <= high if high_inclusive else value < high
    if not ok:
        parts = []
        if low is not None:
            parts.append(f"{'>=' if low_inclusive else '>'} {low}")
        if high is not None:
            parts.append(f"{'<=' if high_inclusive else '<'} {high}")
        bound = (" " + " and ".join(parts)) if parts else ""
        raise ParameterError(
            f"The {name!r} parameter of {func} must be {kind}{bound}. Got {value!r} instead."
        )
    return value


def format_cases(rows: Sequence[Any], values: Sequence[Any] | None = None, limit: int = 5) -> str:
    """Format a few example cases for a message: ``rows 12, 40: 7, 9`` (with ``…`` when cut).

    >>> format_cases([12, 40], [7, 9])
    'rows 12, 40: 7, 9'
    """
    rows = list(rows)
    more = "…" if len(rows) > limit else ""
    head = ", ".join(str(r) for r in rows[:limit]) + (", …" if more else "")
    word = "row" if len(rows) == 1 else "rows"
    if values is None:
        return f"{word} {head}"
    vals = ", ".join(str(v) for v in list(values)[:limit]) + (", …" if more else "")
    return f"{word} {head}: {vals}"
