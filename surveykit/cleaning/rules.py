"""The built-in cleaning rules: one small frozen dataclass per rule.

Every rule has an ``action`` (``"flag"`` keeps the respondent and logs it,
``"exclude"`` moves the respondent to the excluded rows), an optional ``name`` (to use
one rule twice, e.g. a low and a high IRV cut) and its own thresholds, checked when
the rule is made with the package's parameter-error template::

    The 'seconds_per_item' parameter of speeders must be a number > 0. Got -1 instead.

``evaluate(ctx)`` computes the rule for every respondent at once (vectorised; no
per-respondent Python loop) and returns an :class:`Outcome`. Definitions, defaults and
the YAML spelling are in docs/cleaning.md.

>>> Speeders(seconds_per_item=1.5, action="exclude")
Speeders(action='exclude', name=None, seconds_per_item=1.5)
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy.special import chdtri  # inverse chi-square survival (qchisq upper tail)

from ..errors import DataError, ParameterError, check_choice, check_range
from ..responses.privacy import pseudonym_numbers
from . import indices as ix
from .context import Context

__all__ = ["Rule", "Outcome", "Duplicates", "Speeders", "Longstring", "IRV", "Mahalanobis",
           "EvenOdd", "PsychSyn", "AttentionChecks", "TooMuchMissing", "InvalidValues", "ACTIONS", "MIN_ANSWERED_DUPLICATES"]

ACTIONS = ("flag", "exclude")
_COUNTED_MISSING = ("empty", "refused", "dont_know", "invalid")


@dataclass(frozen=True)
class Outcome:
    """What one rule found: a value per respondent, who it fired for and why.

    ``value`` is NaN where the rule could not be evaluated (e.g. no duration recorded);
    ``reasons`` holds one text per fired respondent, in row order; ``flag_only`` marks
    fired respondents that are logged as ``flag`` even under ``action: exclude``.
    """

    value: np.ndarray
    fired: np.ndarray
    threshold: float
    reasons: list[str] | np.ndarray
    evaluated: np.ndarray | None = None
    #: rows that fired but are only flagged whatever the rule's action (e.g. identical
    #: answers on too few items to rule out a chance match)
    flag_only: np.ndarray | None = None
    #: a log row per cell instead of per respondent: row positions (repeating, sorted),
    #: their values, with ``reasons`` aligned to them (personal_data)
    log_rows: np.ndarray | None = None
    log_values: np.ndarray | None = None
    #: masked text columns (item -> Series) that replace the values and raw cells
    masked: dict[str, Any] | None = None

    @property
    def n_not_evaluated(self) -> int:
        ok = ~np.isnan(self.value) if self.evaluated is None else self.evaluated
        return int(len(ok) - np.count_nonzero(ok))


def _join(pieces: list[np.ndarray], n: int, sep: str = "; ") -> np.ndarray:
    """Join per-column text pieces row-wise, skipping empty ones (vectorised over rows)."""
    out = np.full(n, "", dtype=object)
    for piece in pieces:
        both = (out != "") & (piece != "")
        out = out + np.where(both, sep, "") + piece
    return out


def _join_per_row(rows: np.ndarray, cells: np.ndarray, n: int, sep: str = "; ") -> np.ndarray:
    """Texts ``cells`` (sorted by ``rows``, row positions < ``n``) joined per row with
    ``sep``; ``""`` for a row without any. One Arrow list join, no loop over rows."""
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=offsets[1:])
    lists = pa.LargeListArray.from_arrays(pa.array(offsets), pa.array(cells, type=pa.string()))
    return np.asarray(pc.binary_join(lists, sep).to_numpy(zero_copy_only=False), dtype=object)


def _fmt(v: np.ndarray, digits: int = 3) -> pd.Series:
    text = np.round(np.asarray(v, dtype=float), digits).astype(str)   # NaN → 'nan', never NA
    return pd.Series(text, dtype=object).str.replace(r"\.0$", "", regex=True)


@dataclass(frozen=True, kw_only=True)
class Rule:
    """Base of every rule: ``action`` and an optional ``name`` (defaults to the kind)."""

    kind: ClassVar[str] = "rule"
    default_action: ClassVar[str] = "flag"
    actions: ClassVar[tuple[str, ...]] = ("flag", "exclude")

    action: str | None = None
    name: str | None = None

    def __post_init__(self) -> None:
        if self.action is None:
            object.__setattr__(self, "action", self.default_action)
        check_choice(self.kind, "action", self.action, self.actions)
        if self.name is not None and (not isinstance(self.name, str) or not self.name.strip()):
            raise ParameterError(f"The 'name' parameter of {self.kind} must be a non-empty "
                                 f"string. Got {self.name!r} instead.")
        self.validate()

    def validate(self) -> None:  # overridden by rules with thresholds
        """Check the thresholds (raises :class:`ParameterError`)."""

    @property
    def label(self) -> str:
        """The rule's name in the log and summary (``name`` or the kind)."""
        return self.name or self.kind

    def params(self) -> dict[str, Any]:
        """Threshold parameters (everything but action and name)."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name not in ("action", "name")}

    def as_dict(self) -> dict[str, Any]:
        """The rule as written in a rules file (``rule:`` key first)."""
        d: dict[str, Any] = {"rule": self.kind}
        if self.name:
            d["name"] = self.name
        d["action"] = self.action
        d.update({k: list(v) if isinstance(v, tuple) else v for k, v in self.params().items()})
        return d

    def thresholds_text(self) -> str:
        return ", ".join(f"{k}={'|'.join(v) if isinstance(v, tuple) else v}"
                         for k, v in self.params().items() if v is not None)

    def evaluate(self, ctx: Context) -> Outcome:  # pragma: no cover - abstract
        raise NotImplementedError


def _items_param(rule: Rule) -> None:
    items = getattr(rule, "items", None)
    if items is None:
        return
    if isinstance(items, str) or not all(isinstance(i, str) for i in items) or not items:
        raise ParameterError(f"The 'items' parameter of {rule.kind} must be a list of item "
                             f"ids. Got {items!r} instead.")
    object.__setattr__(rule, "items", tuple(items))


# -- duplicates -------------------------------------------------------------------------
#: From this many rows duplicates hashes the answers on a second thread.
_OVERLAP_ROWS = 200_000


def _first_of(keys: np.ndarray, ok: np.ndarray, *, factor_codes: bool = False) -> np.ndarray:
    """Position of the first row (among ``ok`` rows) with the same key, for every row.

    ``factor_codes=True``: ``keys`` are already factor codes numbered in order of first
    appearance (as :func:`pandas.factorize` gives them; dropping rows keeps that order), so
    they are not factorised again.
    """
    n = len(keys)
    first = np.arange(n)
    where = np.flatnonzero(ok)
    if len(where):
        # factorize numbers keys in order of first appearance (a hash table, no sort): a
        # row holds a new key exactly where its code exceeds every code before it
        codes = (keys[where] if factor_codes
                 else pd.factorize(keys[where], use_na_sentinel=False)[0])
        new = np.empty(len(codes), dtype=bool)
        new[0] = True
        new[1:] = codes[1:] > np.maximum.accumulate(codes)[:-1]
        first[where] = where[np.flatnonzero(new)[codes]]
    return first


def _id_codes(ids: pd.Series) -> np.ndarray:
    """Factor codes of the respondent ids (−1 = missing); pseudonyms go by their numbers."""
    num = pseudonym_numbers(ids)
    if num is None:
        return pd.factorize(ids, use_na_sentinel=True)[0]
    numbers, present = num
    codes = np.full(len(ids), -1, dtype=np.int64)
    codes[present] = pd.factorize(numbers[present])[0]
    return codes


#: Identical answers on fewer answered items than this are flagged, not excluded, by
#: :class:`Duplicates` (chance matches; see docs/cleaning.md "Duplicates")
MIN_ANSWERED_DUPLICATES = 20


@dataclass(frozen=True, kw_only=True)
class Duplicates(Rule):
    """Repeated submissions: same ``respondent_id``, or identical answer vectors.

    The first submission (in row order) is kept; every later one fires, and the log
    names the row kept. Identical answer vectors count as duplicates (``action``) only
    when at least ``min_answered`` items are answered: on fewer items two honest
    respondents give the same answers by chance too often (two respondents answering
    k items independently match with probability about q**k, q ≈ 0.3 per 5-point item;
    k = 7 among 80 respondents: ≈ 1 chance pair, k = 20 among 1,000: < 0.001 — the
    reasoning is in docs/cleaning.md). Below it a match is only flagged (a log row with
    the reason, never an exclusion). Records with no answer are not compared (they
    belong to the missing rule).
    """

    kind: ClassVar[str] = "duplicates"
    default_action: ClassVar[str] = "exclude"
    by: str = "both"
    min_answered: int = MIN_ANSWERED_DUPLICATES

    def validate(self) -> None:
        check_choice(self.kind, "by", self.by, ("respondent_id", "answers", "both"))
        check_range(self.kind, "min_answered", self.min_answered, 1, integer=True)

    def evaluate(self, ctx: Context) -> Outcome:
        n = ctx.n
        kept_pos = np.full(n, -1, dtype=np.int64)
        why = np.full(n, "", dtype=object)
        compared = np.zeros(n, dtype=bool)
        hashing = None
        if self.by == "both" and n >= _OVERLAP_ROWS:
            # the answers' row hash (numpy) overlaps the ids' factorize (Arrow, no GIL)
            hashing = ThreadPoolExecutor(1)
            hashed = hashing.submit(ctx.row_hash)
        try:
            return self._evaluate(ctx, n, kept_pos, why, compared,
                                  hashed if hashing is not None else None)
        finally:
            if hashing is not None:
                hashing.shutdown(wait=True)

    def _evaluate(self, ctx: Context, n: int, kept_pos: np.ndarray, why: np.ndarray,
                  compared: np.ndarray, hashed: Any) -> Outcome:
        if self.by in ("respondent_id", "both"):
            ids = ctx.meta_column("respondent_id", self.kind,
                                  "or use 'by: answers' to compare answers only")
            codes = _id_codes(ids)
            ok = codes >= 0
            compared |= ok
            first = _first_of(codes, ok, factor_codes=True)
            dup = ok & (first != np.arange(n))
            kept_pos[dup] = first[dup]
            why[dup] = "same respondent_id as row "
        chance = np.zeros(n, dtype=bool)          # identical answers on too few items
        if self.by in ("answers", "both"):
            answered = ctx.n_answered
            ok = answered >= 1
            compared |= ok
            if ok.any():
                h = hashed.result() if hashed is not None else ctx.row_hash()
                first = _first_of(h, ok)
                dup = ok & (first != np.arange(n)) & (kept_pos < 0)
                # a 64-bit hash could collide: confirm every match on the values themselves
                dup[dup] = ctx.rows_equal(np.flatnonzero(dup), first[dup])
                kept_pos[dup] = first[dup]
                why[dup] = "identical answers to row "
                chance = dup & (answered < self.min_answered)
        fired = kept_pos >= 0
        kept_row = ctx.source_row[np.where(fired, kept_pos, 0)]
        value = np.where(fired, kept_row.astype(float), np.nan)
        f = np.flatnonzero(fired)
        tail = np.where(chance[f], "", ", kept)")
        reasons = (pd.Series(why[f], dtype=object) + pd.Series(kept_row[f]).astype(str)
                   + " (respondent " + pd.Series(ctx.index[kept_pos[f]]).astype(str)
                   + pd.Series(tail, dtype=object))
        c = chance[f]
        if c.any():
            k = pd.Series(ctx.n_answered[f][c]).astype(str).to_numpy(dtype=object)
            reasons[c] = (reasons[c] + ") on only " + k + " answered items, fewer than "
                          f"min_answered={self.min_answered}: a chance match is likely, "
                          "so flagged, not excluded")
        # value = source row of the submission kept (NaN: not a duplicate)
        return Outcome(value=value, fired=fired, threshold=np.nan, reasons=reasons.tolist(),
                       evaluated=compared, flag_only=chance if chance.any() else None)


# -- speeders ---------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Speeders(Rule):
    """Completion time (meta ``duration_s``) per answered item below ``seconds_per_item``."""

    kind: ClassVar[str] = "speeders"
    seconds_per_item: float = 2.0

    def validate(self) -> None:
        check_range(self.kind, "seconds_per_item", self.seconds_per_item, 0,
                    low_inclusive=False)

    def evaluate(self, ctx: Context) -> Outcome:
        dur = pd.to_numeric(ctx.meta_column("duration_s", self.kind,
                                            "or remove the speeders rule"),
                            errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        answered = ctx.n_answered.astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            v = np.where(answered > 0, dur / answered, np.nan)
        fired = v < self.seconds_per_item
        f = np.flatnonzero(fired)
        reasons = ("completed in " + _fmt(dur[f], 1) + " s for " + _fmt(answered[f], 0)
                   + " answered items = " + _fmt(v[f], 2) + " s per item, below "
                   + str(self.seconds_per_item)).tolist()
        return Outcome(v, fired, float(self.seconds_per_item), reasons)


# -- longstring / IRV ---------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Longstring(Rule):
    """Longest run of identical consecutive answers ≥ ``threshold`` (straight-lining)."""

    kind: ClassVar[str] = "longstring"
    threshold: int = 10
    items: tuple[str, ...] | None = None

    def validate(self) -> None:
        check_range(self.kind, "threshold", self.threshold, 2, integer=True)
        _items_param(self)

    def evaluate(self, ctx: Context) -> Outcome:
        items = ctx.careless_items(self.items, self.kind)
        x = ctx.matrix(items)
        v = ix.longstring(x)
        v[ctx.n_valid(items) == 0] = np.nan
        fired = v >= self.threshold
        f = np.flatnonzero(fired)
        reasons = (_fmt(v[f], 0) + " identical answers in a row (threshold "
                   + str(self.threshold) + ")").tolist()
        return Outcome(v, fired, float(self.threshold), reasons)


@dataclass(frozen=True, kw_only=True)
class IRV(Rule):
    """Intra-individual response variability (SD of a respondent's answers).

    Fires below ``below`` (straight-lining, Dunn et al. 2018) and/or above ``above``
    (random answering, Marjanovic et al. 2015).
    """

    kind: ClassVar[str] = "irv"
    below: float | None = 0.5
    above: float | None = None
    items: tuple[str, ...] | None = None

    def validate(self) -> None:
        if self.below is None and self.above is None:
            raise ParameterError("The 'below' parameter of irv must be a number >= 0 when "
                                 "'above' is not set. Got None instead.")
        if self.below is not None:
            check_range(self.kind, "below", self.below, 0)
        if self.above is not None:
            low = self.below if self.below is not None else 0
            check_range(self.kind, "above", self.above, low, low_inclusive=False)
        _items_param(self)

    def evaluate(self, ctx: Context) -> Outcome:
        items = ctx.careless_items(self.items, self.kind)
        v = ix.irv(ctx.matrix(items))
        lo = v < self.below if self.below is not None else np.zeros(ctx.n, bool)
        hi = v > self.above if self.above is not None else np.zeros(ctx.n, bool)
        fired = lo | hi
        f = np.flatnonzero(fired)
        side = np.where(lo[f], "below " + str(self.below), "above " + str(self.above))
        reasons = ("IRV (SD of answers) " + _fmt(v[f]) + " " + pd.Series(side)).tolist()
        thr = self.below if self.below is not None else self.above
        return Outcome(v, fired, float(thr), reasons)


# -- Mahalanobis ----------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Mahalanobis(Rule):
    """Mahalanobis D² above the chi-square quantile ``qchisq(1 - p, df = n_items)``."""

    kind: ClassVar[str] = "mahalanobis"
    p: float = 0.001
    items: tuple[str, ...] | None = None

    def validate(self) -> None:
        check_range(self.kind, "p", self.p, 0, 1, low_inclusive=False, high_inclusive=False)
        _items_param(self)

    def evaluate(self, ctx: Context) -> Outcome:
        items = ctx.careless_items(self.items, self.kind)
        n_resp = int((ctx.n_valid(items) > 0).sum())
        if n_resp <= len(items):
            raise DataError(f"{ctx.source_name}: the mahalanobis rule needs more respondents "
                            f"than items; there are {n_resp} respondents with answers for "
                            f"{len(items)} items. Remove the rule or list fewer items with "
                            f"'items:'.")
        try:
            cov, _, mean = ctx.pairwise(items)
            if np.isnan(cov).any():
                raise np.linalg.LinAlgError("pairs without two common answers")
            if 1.0 / np.linalg.cond(cov, 1) < np.finfo(float).eps:   # R: solve() refuses
                raise np.linalg.LinAlgError("computationally singular")
            v = ix.mahad(ctx.matrix(items), cov=cov, mean=mean)
        except np.linalg.LinAlgError:
            raise DataError(f"{ctx.source_name}: the mahalanobis rule cannot invert the "
                            f"covariance of the {len(items)} items (an item is constant, a copy "
                            f"of others, or two items were never answered together). List the "
                            f"items to use with 'items:'.") from None
        cut = float(chdtri(len(items), self.p))     # = qchisq(1 - p, df)
        fired = v > cut
        f = np.flatnonzero(fired)
        reasons = ("Mahalanobis D² " + _fmt(v[f], 2) + " > " + f"{cut:.2f}"
                   + f" (chi-square, df {len(items)}, p < {self.p})").tolist()
        return Outcome(v, fired, cut, reasons)


# -- even-odd, psychometric synonyms --------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class EvenOdd(Rule):
    """Even-odd consistency index above ``threshold`` (careless sign: higher = worse).

    Computed over the instrument's scales (default: every scale without subscales),
    reverse-keyed items recoded. ``threshold = -0.3`` fires when the Spearman–Brown
    corrected even-odd correlation is below 0.30.
    """

    kind: ClassVar[str] = "evenodd"
    threshold: float = -0.3
    scales: tuple[str, ...] | None = None

    def validate(self) -> None:
        check_range(self.kind, "threshold", self.threshold, -1, 1)
        if self.scales is not None:
            if isinstance(self.scales, str) or not self.scales:
                raise ParameterError(f"The 'scales' parameter of evenodd must be a list of "
                                     f"scale ids. Got {self.scales!r} instead.")
            object.__setattr__(self, "scales", tuple(self.scales))

    def evaluate(self, ctx: Context) -> Outcome:
        blocks = ctx.scale_blocks(self.scales, self.kind)
        items = tuple(i for b in blocks for i in b)
        v = ix.evenodd(ctx.matrix(items), [len(b) for b in blocks], keying=ctx.keying(items))
        fired = v > self.threshold
        f = np.flatnonzero(fired)
        reasons = ("even-odd index " + _fmt(v[f]) + " > " + str(self.threshold)
                   + " (consistency " + _fmt(-v[f]) + ")").tolist()
        return Outcome(v, fired, float(self.threshold), reasons)


@dataclass(frozen=True, kw_only=True)
class PsychSyn(Rule):
    """Psychometric synonyms: within-person r over item pairs correlated > ``critval``.

    Fires when the respondent's correlation is below ``below``. ``anto=True`` uses
    pairs correlated below ``-critval`` (psychometric antonyms) on the raw answers.
    """

    kind: ClassVar[str] = "psychsyn"
    critval: float = 0.6
    below: float = 0.0
    anto: bool = False
    items: tuple[str, ...] | None = None

    def validate(self) -> None:
        check_range(self.kind, "critval", self.critval, 0, 1, low_inclusive=False,
                    high_inclusive=False)
        check_range(self.kind, "below", self.below, -1, 1)
        check_choice(self.kind, "anto", self.anto, (False, True))
        _items_param(self)

    def evaluate(self, ctx: Context) -> Outcome:
        items = ctx.careless_items(self.items, self.kind)
        pairs = ix.psychsyn_pairs(None, self.critval, anto=self.anto,
                                  cor=ctx.pairwise(items, keyed=not self.anto)[1])
        x = ctx.matrix(items)
        if len(pairs) == 0:
            word = "antonym" if self.anto else "synonym"
            raise DataError(f"psychsyn: no item pairs correlate {'below -' if self.anto else 'above '}"
                            f"{self.critval} in these responses, so the psychometric {word} "
                            f"index cannot be computed. Lower 'critval' or drop the rule.")
        v, _ = ix.psychsyn(x, pairs=pairs, keying=None if self.anto else ctx.keying(items))
        fired = v < self.below
        f = np.flatnonzero(fired)
        reasons = ("within-person r over " + str(len(pairs)) + " item pairs " + _fmt(v[f])
                   + " < " + str(self.below)).tolist()
        return Outcome(v, fired, float(self.below), reasons)


# -- attention checks, missing, invalid --------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class AttentionChecks(Rule):
    """More than ``max_failed`` failed attention checks (instrument ``attention_check``).

    A check fails when the answer differs from the expected one; an unanswered check
    fails too unless ``missing_fails`` is false.
    """

    kind: ClassVar[str] = "attention"
    default_action: ClassVar[str] = "exclude"
    max_failed: int = 0
    missing_fails: bool = True

    def validate(self) -> None:
        check_range(self.kind, "max_failed", self.max_failed, 0, integer=True)
        check_choice(self.kind, "missing_fails", self.missing_fails, (False, True))

    def evaluate(self, ctx: Context) -> Outcome:
        checks = ctx.attention_items()
        x = ctx.matrix(tuple(c for c, _ in checks))
        expected = np.array([e for _, e in checks], dtype=float)
        wrong = (x != expected) & ~np.isnan(x)
        if self.missing_fails:
            wrong |= np.isnan(x)
        v = wrong.sum(axis=1).astype(float)
        fired = v > self.max_failed
        f = np.flatnonzero(fired)
        pieces = []
        for j, (item, exp) in enumerate(checks):
            said = np.where(np.isnan(x[f, j]), " not answered",
                            " answered " + _fmt(x[f, j]).to_numpy(dtype=object))
            pieces.append(np.where(wrong[f, j], item + said.astype(object)
                                   + f" (expected {exp:g})", ""))
        joined = _join(pieces, len(f))
        return Outcome(v, fired, float(self.max_failed), joined)


@dataclass(frozen=True, kw_only=True)
class TooMuchMissing(Rule):
    """Share of applicable items left missing above ``max_share``.

    Counted reasons default to empty, refused, don't know and invalid; cells skipped by
    logic or not applicable are left out of numerator and denominator. Without ``items``
    every question counts once: a multi-select's 0/1 columns are one question and an
    other-specify text column is part of its question (``Context.question_items``).
    """

    kind: ClassVar[str] = "missing"
    max_share: float = 0.5
    reasons: tuple[str, ...] = _COUNTED_MISSING
    items: tuple[str, ...] | None = None

    def validate(self) -> None:
        check_range(self.kind, "max_share", self.max_share, 0, 1, high_inclusive=False)
        from ..responses.model import MISSING_REASONS

        if isinstance(self.reasons, str) or not self.reasons:
            raise ParameterError(f"The 'reasons' parameter of missing must be a list of "
                                 f"missing reasons. Got {self.reasons!r} instead.")
        for r in self.reasons:
            check_choice(self.kind, "reasons", r, MISSING_REASONS)
        object.__setattr__(self, "reasons", tuple(self.reasons))
        _items_param(self)

    def evaluate(self, ctx: Context) -> Outcome:
        items = ctx.check_items(self.items, self.kind) if self.items else ctx.question_items
        counted = ctx.missing_count(self.reasons, items)
        skipped = ctx.missing_count(("skipped", "not_applicable"), items)
        applicable = len(items) - skipped
        with np.errstate(divide="ignore", invalid="ignore"):
            v = np.where(applicable > 0, counted / applicable, np.nan)
        fired = v > self.max_share
        f = np.flatnonzero(fired)
        reasons = (_fmt(counted[f], 0) + " of " + _fmt(applicable[f], 0)
                   + " applicable items missing (" + _fmt(100 * v[f], 1) + "%), above "
                   + _fmt(np.array([100 * self.max_share]), 1)[0] + "%").tolist()
        return Outcome(v, fired, float(self.max_share), reasons)


@dataclass(frozen=True, kw_only=True)
class InvalidValues(Rule):
    """More than ``max_invalid`` invalid answers (out of scale, not an option) on import."""

    kind: ClassVar[str] = "invalid"
    max_invalid: int = 0

    def validate(self) -> None:
        check_range(self.kind, "max_invalid", self.max_invalid, 0, integer=True)

    def evaluate(self, ctx: Context) -> Outcome:
        v = ctx.missing_count(("invalid",), ctx.items).astype(float)
        fired = v > self.max_invalid
        f = np.flatnonzero(fired)
        bad = ctx.missing_is(("invalid",), ctx.items, rows=f)     # the fired rows only
        raw = ctx.responses.raw_rows(f)      # only the fired rows are rebuilt
        # one text per invalid cell, in row order and item order within a row
        at_row, at_item = np.nonzero(bad)
        cells = np.empty(len(at_row), dtype=object)
        for j in np.unique(at_item):         # per item: text only for its invalid cells
            sel = np.flatnonzero(at_item == j)
            item = ctx.items[j]
            text = pd.Series(raw[item].iloc[at_row[sel]].to_numpy(dtype=object)).fillna("").astype(str)
            text = text.where(~text.isin(["", "nan"]), None)      # raw cell not kept
            cells[sel] = (item + ("='" + text + "'").fillna("")).to_numpy(dtype=object)
        reasons = ("invalid value(s): "
                   + pd.Series(_join_per_row(at_row, cells, len(f)), dtype=object)).tolist()
        return Outcome(v, fired, float(self.max_invalid), reasons)


#: kind (as written in YAML ``rule:``) → rule class
