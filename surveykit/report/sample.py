"""The numbers of the report's sample section: rows in, exclusions by rule, final n.

:func:`summarise_sample` takes plain numbers and tables, or the result of
``surveykit.clean`` directly (duck-typed: ``n_raw``, ``summary`` with ``rule``/``excluded``/
``thresholds``, ``kept``), and returns a :class:`SampleSummary` the report lays out.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import ParameterError
from .i18n import Text

__all__ = ["SampleSummary", "summarise_sample"]


@dataclass(frozen=True)
class SampleSummary:
    n_in: int
    n_out: int
    n_final: int
    exclusions: pd.DataFrame      # rule, [action, threshold, n_flagged,] n_excluded
    groups: tuple[Text, ...]      # group labels (may be bilingual), empty when no groups
    counts: tuple[int, ...]
    provenance: dict[str, Any] | None = None


def _is_cleaning(obj: Any) -> bool:
    return all(hasattr(obj, a) for a in ("n_raw", "summary", "kept"))


def _exclusions(exclusions: Any) -> pd.DataFrame:
    if exclusions is None:
        return pd.DataFrame({"rule": pd.Series([], dtype="string"),
                             "n_excluded": pd.Series([], dtype="int64")})
    if isinstance(exclusions, Mapping):
        return pd.DataFrame({"rule": list(exclusions), "n_excluded": list(exclusions.values())})
    if not isinstance(exclusions, pd.DataFrame):
        raise ParameterError("Report.sample: exclusions must be a DataFrame or a mapping rule -> n. "
                             f"Got {type(exclusions).__name__} instead.")
    exc = exclusions.rename(columns={"n": "n_excluded"}).reset_index(drop=True)
    if "rule" not in exc.columns or "n_excluded" not in exc.columns:
        raise ParameterError("Report.sample: exclusions need the columns 'rule' and "
                             f"'n_excluded' (or 'n'). Got {', '.join(map(str, exc.columns))}.")
    return exc


def _from_cleaning(res: Any) -> tuple[int, pd.DataFrame]:
    s = res.summary
    exc = pd.DataFrame({"rule": s["rule"].astype("string")})
    if "action" in s.columns:
        exc["action"] = s["action"].astype("string")
    if "thresholds" in s.columns:
        exc["threshold"] = s["thresholds"].map(
            lambda v: "" if v is None or (isinstance(v, float) and v != v) else
            (", ".join(f"{k} {x}" for k, x in v.items()) if isinstance(v, Mapping) else str(v)))
    if "flagged" in s.columns:
        exc["n_flagged"] = s["flagged"].astype("int64")
    exc["n_excluded"] = s["excluded"].astype("int64")
    return int(res.n_raw), exc


def summarise_sample(n_in: Any, exclusions: Any = None, final_n: Any = None, *,
                     by: str | None = None,
                     group_labels: Mapping[Any, Text] | None = None) -> SampleSummary:
    """See :meth:`surveykit.report.Report.sample`."""
    prov = None
    if _is_cleaning(n_in):
        res = n_in
        n, exc = _from_cleaning(res)
        if exclusions is not None:
            exc = _exclusions(exclusions)
        prov_obj = getattr(res, "provenance", None)
        prov = prov_obj.as_dict() if hasattr(prov_obj, "as_dict") else None
        if final_n is None and by is not None:
            kept = res.kept
            frame = kept.to_frame() if hasattr(kept, "to_frame") else kept
            if by not in frame.columns:
                raise ParameterError(f"Report.sample: by={by!r} is not a column of the kept "
                                     f"responses. Columns include: "
                                     f"{', '.join(map(str, list(frame.columns)[:12]))}.")
            final_n = frame[by].value_counts(sort=False, dropna=False).sort_index()
        elif final_n is None:
            final_n = int(res.n_kept) if hasattr(res, "n_kept") else None
    else:
        if isinstance(n_in, bool) or not isinstance(n_in, int):
            raise ParameterError("The 'n_in' parameter of Report.sample must be an integer or the "
                                 f"result of surveykit.clean. Got {n_in!r} instead.")
        n, exc = n_in, _exclusions(exclusions)
    n_out = int(exc["n_excluded"].sum()) if len(exc) else 0
    if isinstance(final_n, Mapping):
        final: pd.Series | None = pd.Series(dict(final_n))
    elif isinstance(final_n, pd.Series):
        final = final_n
    else:
        final = None
    n_final = (int(final.sum()) if final is not None else
               int(final_n) if final_n is not None else n - n_out)
    groups: tuple[Text, ...] = ()
    counts: tuple[int, ...] = ()
    if final is not None:
        labels = dict(group_labels or {})
        groups = tuple(labels.get(g, _plain(g)) for g in final.index)
        counts = tuple(int(c) for c in final.to_numpy(dtype="int64"))
    return SampleSummary(n, n_out, n_final, exc, groups, counts, prov)


def _plain(g: Any) -> str:
    if isinstance(g, float) and g.is_integer():
        return str(int(g))
    return str(g)
