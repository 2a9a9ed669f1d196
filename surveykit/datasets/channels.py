"""SIMULATED answers to the profile's multi-select and other-specify questions (1.1.0).

respondent_profile 1.1.0 added PR06b (the channels of the cross-regional cooperation a
respondent took part in: a multi-select shown when PR06 = 1, last option "other, please
specify") and PR10 (main source of information on the partner region's policies: a single
choice whose last option is other-specify). Their answers are drawn here from a random
stream of their own (:func:`extra_rng`), so every other column of a simulated wave is the
same as before they were added (``tests/datasets`` checks this on the bundled files).

The probabilities lean on the respondent's profile: joint meetings are the usual channel
and more so at provincial and municipal level; Chongqing cadres name shared information
platforms more often and Chengdu cadres signed agreements; market regulation departments
name joint enforcement; senior ranks name cadre exchanges. A few respondents shown PR06b
tick nothing (an empty answer), a few tick "other" without writing anything, and PR10 has
a few refusals and empty cells. Speeders tick at random.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["EXTRA_QUESTIONS", "extra_rng", "simulate_extra", "CHANNEL_TEXTS", "SOURCE_TEXTS"]

#: questions whose answers come from the extra stream (every other column: the main one)
EXTRA_QUESTIONS = ("PR06b", "PR10")
#: stream id of the extra answers, mixed into the seed (issue 14)
_STREAM = 14
#: other-specify texts of PR06b (channels) and PR10 (information sources)
CHANNEL_TEXTS = ("两地联合招商推介", "共建产业合作园区", "联合开展专题调研", "政务服务“川渝通办”",
                 "毗邻地区合作平台", "联合举办干部培训", "生态环境联防联治")
SOURCE_TEXTS = ("单位内部传达", "与对方地区同行交流", "对方地区政府网站", "培训课程和讲座")
#: share of respondents shown PR06b who tick nothing; of "other" ticks without a text
EMPTY_MULTI, OTHER_NO_TEXT = 0.03, 0.15
#: PR10: refused (−99) and empty
PR10_REFUSED, PR10_EMPTY = 0.006, 0.01


def extra_rng(seed: int, wave: int) -> np.random.Generator:
    """The extra answers' own random stream for ``wave`` (independent of ``default_rng(seed)``)."""
    return np.random.default_rng([int(seed), _STREAM, int(wave)])


def _channel_probs(profile: pd.DataFrame) -> np.ndarray:
    """n × 6 probabilities of ticking each PR06b option (the last is other-specify)."""
    n = len(profile)
    region, level = profile["PR01"].to_numpy(), profile["PR02"].to_numpy()
    dept, rank = profile["PR03"].to_numpy(), profile["PR04"].to_numpy()
    p = np.tile(np.array([0.70, 0.40, 0.18, 0.38, 0.22, 0.06]), (n, 1))
    p[:, 0] += 0.12 * (level <= 2) - 0.10 * (level == 4)       # joint meetings: higher levels
    p[:, 1] += 0.10 * (region == 1) + 0.08 * (level <= 2)      # agreements: Chengdu, higher levels
    p[:, 2] += 0.15 * (rank >= 3)                              # cadre exchanges: senior ranks
    p[:, 3] += 0.15 * (region == 2) + 0.08 * (dept == 5)       # shared platforms: Chongqing, GO
    p[:, 4] += 0.35 * (dept == 2) - 0.08 * (dept == 3)         # joint enforcement: market regulation
    return p.clip(0.02, 0.95)


def _source_probs(profile: pd.DataFrame) -> np.ndarray:
    """n × 5 probabilities of the PR10 options (the last is other-specify)."""
    n = len(profile)
    region, involved = profile["PR01"].to_numpy(), profile["PR06"].to_numpy() == 1
    p = np.tile(np.array([0.40, 0.20, 0.22, 0.12, 0.06]), (n, 1))
    p[:, 1] += 0.15 * involved                                  # meetings: those who attend them
    p[:, 2] += 0.08 * (region == 2)                             # chat groups: Chongqing
    p[:, 3] -= 0.04 * involved
    return p / p.sum(axis=1, keepdims=True)


def simulate_extra(rng: np.random.Generator, ins: Any, profile: pd.DataFrame,
                   speeder: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Answers of PR06b and PR10 as (numeric codes, other-specify texts), one row per
    respondent of ``profile``; columns are the instrument's items (``PR06b_1`` …, ``PR10``;
    ``PR06b_6_text``, ``PR10_5_text``). PR06b is NaN where PR06 ≠ 1 (not shown). An
    instrument without these questions gives empty frames (and draws nothing)."""
    n = len(profile)
    if not (ins.is_multi_select("PR06b") and ins.has_item("PR10")):    # respondent_profile 1.0.0
        return pd.DataFrame(index=range(n)), pd.DataFrame(index=range(n))
    m = ins.multi_select("PR06b")
    shown = profile["PR06"].to_numpy() == 1
    ticks = (rng.random((n, len(m.columns))) < _channel_probs(profile)).astype(float)
    ticks[speeder] = (rng.random((int(speeder.sum()), len(m.columns))) < 0.5)
    ticks[rng.random(n) < EMPTY_MULTI] = 0.0
    ticks[~shown] = np.nan
    codes = pd.DataFrame(ticks, columns=list(m.columns))
    texts = pd.DataFrame(index=range(n))
    (other_code, other_text), = m.specify
    other = ticks[:, m.codes.index(other_code)] == 1
    texts[other_text] = _texts(rng, other & (rng.random(n) >= OTHER_NO_TEXT), CHANNEL_TEXTS)

    p = _source_probs(profile)
    u = rng.random(n)
    src = 1.0 + (u[:, None] > np.cumsum(p, axis=1)[:, :-1]).sum(axis=1)
    src[speeder] = rng.integers(1, p.shape[1] + 1, int(speeder.sum()))
    v = rng.random(n)
    src[v < PR10_REFUSED] = -99.0
    src[(v >= PR10_REFUSED) & (v < PR10_REFUSED + PR10_EMPTY)] = np.nan
    codes["PR10"] = src
    spec = next(it for it in ins.items if it.is_specify and it.question == "PR10")
    texts[spec.id] = _texts(rng, src == spec.option, SOURCE_TEXTS)
    return codes, texts


def _texts(rng: np.random.Generator, where: np.ndarray, pool: tuple[str, ...]) -> pd.Series:
    """A text from ``pool`` where ``where`` is true, else None (drawn for every row)."""
    pick = np.asarray(pool, dtype=object)[rng.integers(0, len(pool), len(where))]
    return pd.Series(np.where(where, pick, None), dtype=object)
