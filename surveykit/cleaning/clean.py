"""``clean(responses, rules)``: apply the study's cleaning rules, keep an audit log.

Every rule is evaluated on every respondent of the input (so the log shows all that
fired, also for respondents another rule already excludes). A respondent is excluded
when at least one rule with ``action: exclude`` fires; the summary attributes each
exclusion once, to the first such rule in the declared order, so its ``excluded``
column adds up to ``n_excluded``. ``n_raw == n_kept + n_excluded`` always holds.
Nothing is written anywhere: the input file is only read by the importer.
"""
from __future__ import annotations

import html
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._memory import plain_pages
from .._params import PATH, Callables, InstanceOf, validate_params
from ..errors import ParameterError, SurveykitError
from ..result import Provenance, make_provenance
from .context import Context
from .rules import Rule

__all__ = ["clean", "CleaningResult", "LOG_COLUMNS", "SUMMARY_COLUMNS"]

#: Columns of :attr:`CleaningResult.log` (one row per respondent × rule that fired).
LOG_COLUMNS = ("respondent", "source_file", "source_row", "rule", "action", "value",
               "threshold", "reason")
#: Columns of :attr:`CleaningResult.summary` (one row per rule, in declared order).
SUMMARY_COLUMNS = ("rule", "kind", "action", "flagged", "excluded", "not_evaluated",
                   "thresholds")


@dataclass(frozen=True, kw_only=True)
class CleaningResult:
    """What :func:`clean` returns.

    Attributes
    ----------
    kept, excluded : Responses
        The respondents kept and excluded (every table aligned, nothing changed).
    log : DataFrame
        :data:`LOG_COLUMNS`; one row per respondent × rule that fired (flags too).
    summary : DataFrame
        :data:`SUMMARY_COLUMNS`; ``flagged`` = respondents the rule fired for,
        ``excluded`` = exclusions attributed to it (first excluding rule only),
        ``not_evaluated`` = respondents the rule could not compute (e.g. no duration).
    indices : DataFrame
        The value of every rule for every respondent (index ``respondent``).
    n_raw, n_kept, n_excluded : int
    n_flagged : int
        Kept respondents for whom at least one rule fired (flags only, by construction).
    provenance : Provenance
    """

    kept: Any
    excluded: Any
    log: pd.DataFrame
    summary: pd.DataFrame
    indices: pd.DataFrame
    n_raw: int
    n_kept: int
    n_excluded: int
    n_flagged: int
    provenance: Provenance
    title: str = "Cleaning"

    @property
    def table(self) -> pd.DataFrame:
        """The summary table (one row per rule), for reports."""
        return self.summary

    def one_line(self) -> str:
        """``1000 rows in, 940 kept, 60 excluded (duplicates 12, attention 48)``."""
        by = [f"{r} {int(e)}" for r, e in zip(self.summary["rule"], self.summary["excluded"]) if e]
        flagged = f"; {self.n_flagged} kept rows flagged" if self.n_flagged else ""
        return (f"{self.n_raw} rows in, {self.n_kept} kept, {self.n_excluded} excluded"
                + (f" ({', '.join(by)})" if by else "") + flagged)

    def describe(self) -> str:
        """Plain-text summary: the one-line count and the per-rule table."""
        with pd.option_context("display.width", 120, "display.max_columns", 20):
            return f"{self.title}\n{'=' * len(self.title)}\n{self.one_line()}\n\n" \
                   f"{self.summary.to_string(index=False)}"

    def _repr_html_(self) -> str:
        return (f"<div class='surveykit-result'><h4>{self.title}</h4>"
                f"<p>{html.escape(self.one_line())}</p>{self.summary.to_html(index=False)}</div>")

    def __repr__(self) -> str:
        return f"CleaningResult({self.one_line()})"


def _as_rules(rules: Any) -> tuple[Rule, ...]:
    if isinstance(rules, (str, os.PathLike)):
        from .rulefile import load_rules

        return load_rules(rules)
    if isinstance(rules, Rule):
        return (rules,)
    if not isinstance(rules, Sequence) or not all(isinstance(r, Rule) for r in rules):
        raise ParameterError(
            f"The 'rules' parameter of clean must be a rules file path or a list of rules "
            f"(surveykit.cleaning.Speeders(), ...). Got {type(rules).__name__} instead.")
    return tuple(rules)


def _with_masked(responses: Any, masked: dict[str, Any]) -> Any:
    """``responses`` with the masked text columns in its values and raw cells (the raw
    cell of a masked item is scrubbed the same way: no copy of the detail survives)."""
    from ..responses.scrub import scrub_texts

    values = responses.values.copy(deep=False)
    for item, text in masked.items():
        values[item] = text.astype(values[item].dtype)
    raw = responses.raw.copy(deep=False)
    for item in masked:
        if item in raw.columns and not pd.api.types.is_numeric_dtype(raw[item].dtype):
            raw[item] = scrub_texts(raw[item]).text
    return responses.replace(values=values, raw=raw)


@validate_params({
    "responses": [InstanceOf("surveykit.responses.model:Responses",
                             "a Responses (from surveykit.read_responses)", show_type=True)],
    "rules": [PATH, InstanceOf((Rule, list, tuple), "a list of rules", show_type=True)],
    "progress": [Callables(), None],
})
def clean(responses: Any, rules: Any, *,
          progress: Callable[[str, int, int], None] | None = None) -> CleaningResult:
    """Apply cleaning rules; return kept and excluded rows, a log and a summary.

    Parameters
    ----------
    responses : Responses
        As returned by :func:`surveykit.read_responses`.
    rules : path, Rule or list of Rule
        A rules YAML file (see :func:`surveykit.load_rules`) or rule objects from
        :mod:`surveykit.cleaning` (``Duplicates()``, ``Speeders(seconds_per_item=2)``…).
    progress : callable, optional
        Called as ``progress(rule_label, i, n_rules)`` before each rule (CLI progress bar).

    Returns
    -------
    CleaningResult

    Notes
    -----
    R equivalent: ``careless::longstring(x)``, ``careless::irv(x)``, ``careless::mahad(x)``
    give the indices; the rules, the split and the log have no R counterpart.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.cleaning import Duplicates, Longstring, Speeders
    >>> from surveykit.datasets import load_example_wave
    >>> r = load_example_wave(1, key="example")
    >>> res = sk.clean(r, [Duplicates(), Speeders(action="exclude"), Longstring(threshold=12)])
    >>> res.one_line()
    '612 rows in, 582 kept, 30 excluded (duplicates 12, speeders 18); 15 kept rows flagged'
    """
    rule_list = _as_rules(rules)
    labels = [r.label for r in rule_list]
    dup = sorted({lab for lab in labels if labels.count(lab) > 1})
    if dup:
        raise ParameterError(f"The 'rules' parameter of clean must not use one rule name twice. "
                             f"Got {', '.join(map(repr, dup))} twice; give one of them a 'name:'.")
    # the rules and the split allocate many large temporaries; faulting them in as huge
    # pages made the kernel compact memory on this kind of machine (1M rows: clean
    # 5.5-6.7 s -> 4.8 s wall, evenodd 1.1-1.8 s -> 0.6 s)
    with plain_pages():
        return _apply(responses, rule_list, labels, progress)


def _apply(responses: Any, rule_list: tuple[Rule, ...], labels: list[str],
           progress: Callable[[str, int, int], None] | None) -> CleaningResult:
    """The body of :func:`clean` once its arguments are checked."""
    ctx = Context(responses)
    n = ctx.n
    first_excl = np.full(n, -1, dtype=np.int64)
    fired_any = np.zeros(n, dtype=bool)     # some rule fired (flag or exclude)
    logs, rows = [], []
    masked: dict[str, Any] = {}           # text items with contact details masked
    # one row per rule, written as the rules run (the indices table is a view of it)
    values = np.empty((len(rule_list), n))
    src_col = responses.meta["source_file"] if "source_file" in responses.meta else None

    def src_at(pos: np.ndarray) -> np.ndarray:   # text of the fired rows only
        if src_col is None:
            return np.full(len(pos), "", dtype=object)
        return src_col.iloc[pos].astype("string").to_numpy(dtype=object, na_value="")
    for i, rule in enumerate(rule_list):
        if progress is not None:
            progress(rule.label, i, len(rule_list))
        out = rule.evaluate(ctx)
        fired = np.asarray(out.fired, dtype=bool)
        values[i] = np.asarray(out.value, dtype=float)
        pos = np.flatnonzero(fired)
        if rule.action != "mask":         # masking contact details flags nobody
            fired_any |= fired
        actions = np.full(len(pos), rule.action, dtype=object)
        if out.flag_only is not None:
            actions[np.asarray(out.flag_only, dtype=bool)[pos]] = "flag"
        if rule.action == "exclude":
            ex = pos[actions == "exclude"]
            first_excl[ex[first_excl[ex] < 0]] = i
        if out.masked:
            masked.update(out.masked)
        n_fired = len(pos)
        logged = values[i][pos]
        if out.log_rows is not None:      # one log row per cell (personal_data)
            pos = np.asarray(out.log_rows, dtype=np.int64)
            logged = np.asarray(out.log_values, dtype=float)
            actions = np.full(len(pos), rule.action, dtype=object)
        logs.append(pd.DataFrame({
            "respondent": pd.Series(ctx.index[pos].astype(str), dtype="string"),
            "source_file": pd.Series(src_at(pos), dtype="string"),
            "source_row": pd.Series(ctx.source_row[pos], dtype="Int64"),
            "rule": pd.Series([rule.label] * len(pos), dtype="string"),
            "action": pd.Series(actions, dtype="string"),
            "value": logged,
            "threshold": np.full(len(pos), out.threshold, dtype=float),
            "reason": pd.Series(list(out.reasons), dtype="string"),
        }))
        rows.append({"rule": rule.label, "kind": rule.kind, "action": rule.action,
                     "flagged": n_fired, "excluded": int((first_excl == i).sum()),
                     "not_evaluated": out.n_not_evaluated,
                     "thresholds": rule.thresholds_text()})
    if progress is not None:
        progress("split", len(rule_list), len(rule_list))
    excluded_mask = first_excl >= 0
    codes = ctx._cache.get("missing_all")  # the int8 missing codes, if the rules built them
    ctx.release()                      # item matrices are not needed for the split
    if masked:
        responses = _with_masked(responses, masked)
    kept, excluded = responses._split(~excluded_mask, codes)
    del codes
    if kept.n + excluded.n != n:  # internal invariant; never a silent loss
        raise SurveykitError(f"clean lost rows: {n} in, {kept.n} kept, {excluded.n} excluded. "
                             f"Please report this bug.")
    log = (pd.concat(logs, ignore_index=True) if logs
           else pd.DataFrame({c: pd.Series(dtype="string") for c in LOG_COLUMNS}))
    summary = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    for c in ("flagged", "excluded", "not_evaluated"):
        summary[c] = summary[c].astype("int64")
    indices = pd.DataFrame(values.T, index=ctx.index, columns=labels, copy=False)
    prov = make_provenance("clean", {"rules": [r.as_dict() for r in rule_list]}, {},
                           instruments=tuple(responses.instrument.refs),
                           r_equivalent="careless::longstring / irv / mahad / evenodd / psychsyn")
    return CleaningResult(kept=kept, excluded=excluded, log=log, summary=summary,
                          indices=indices, n_raw=n, n_kept=kept.n, n_excluded=excluded.n,
                          n_flagged=int(np.count_nonzero(fired_any & ~excluded_mask)),
                          provenance=prov)
