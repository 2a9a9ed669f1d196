"""A SIMULATED two-region cadre survey with a known population model and realistic faults.

Everything here is invented: no real respondent is behind any row. The generator draws
from a population model you can read (:func:`population_model`) so that analyses can be
checked against the truth:

* 14 latent subscale factors (3 intergovernmental trust, 4 local protectionism,
  4 reward–punishment, 3 regional synergy), standard normal, correlated through a
  construct-level correlation matrix (``PHI``): subscales of one construct correlate
  ``HIGHER_ORDER ** 2`` times the construct correlation (1 within a construct);
* mean shifts by region, government level and involvement in joint work (``EFFECTS``);
* each item ``y* = λ·η + sqrt(1−λ²)·ε`` (``−λ`` for reverse-keyed items, so those are
  really reversed), cut at item thresholds into the 5-point agree scale;
* faults: speeders, straight-liners, duplicate submissions, −99/−98 codes, out-of-range
  typos, empty cells (``(空)``), the skip of PR06a when PR06 = 2 (``(跳过)``), and
  answers to the attention check AC01.

Wave 1 uses local_protectionism 1.0.0, wave 2 version 1.1.0 (LP05 reworded, LP13 added).
Both waves use respondent_profile 1.1.0, whose multi-select PR06b and other-specify PR10
are drawn on a random stream of their own (:mod:`.channels`), so the other columns are
those of the data simulated before they were added.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .channels import EXTRA_QUESTIONS, extra_rng, simulate_extra

__all__ = ["population_model", "simulate_waves", "SimulatedWave", "CONSTRUCTS", "PHI",
           "EFFECTS", "WAVE_VERSIONS", "STUDY_ORDER"]

#: questionnaire order (ids) — as fielded
STUDY_ORDER = ("respondent_profile", "intergovernmental_trust", "local_protectionism",
               "reward_punishment", "regional_synergy")
#: instrument versions per wave
WAVE_VERSIONS = {1: {"local_protectionism": "1.0.0"}, 2: {"local_protectionism": "1.1.0"}}

CONSTRUCTS = {
    "intergovernmental_trust": ("competence_trust", "goodwill_trust", "institutional_trust"),
    "local_protectionism": ("market_barriers", "administrative_barriers",
                            "factor_mobility_barriers", "perceived_prevalence"),
    "reward_punishment": ("collaboration_incentives", "accountability", "appraisal_weight",
                          "benefit_sharing"),
    "regional_synergy": ("willingness_to_deepen", "standardisation_effect",
                         "joint_meeting_effectiveness"),
}
_C = list(CONSTRUCTS)
#: construct-level correlations (order: IT, LP, RP, RS)
PHI = np.array([
    [1.00, -0.35, 0.30, 0.50],
    [-0.35, 1.00, -0.20, -0.40],
    [0.30, -0.20, 1.00, 0.45],
    [0.50, -0.40, 0.45, 1.00],
])
#: loading of each subscale on its construct (second-order)
HIGHER_ORDER = 0.8
#: standardised item loadings by position within a subscale (1st, 2nd, 3rd, 4th item)
ITEM_LOADINGS = (0.80, 0.75, 0.70, 0.72)
#: base thresholds of the 5-point scale on the y* metric
THRESHOLDS = np.array([-1.6, -0.7, 0.2, 1.1])
#: mean shifts of the latent constructs (in SD units)
EFFECTS = {
    ("PR01", 2): {"intergovernmental_trust": 0.15, "local_protectionism": -0.10,
                  "regional_synergy": 0.20},                           # Chongqing vs Chengdu
    ("PR02", 1): {"regional_synergy": 0.30, "reward_punishment": 0.20},  # provincial
    ("PR02", 4): {"regional_synergy": -0.25, "local_protectionism": 0.20},  # township
    ("PR06", 1): {"regional_synergy": 0.25, "intergovernmental_trust": 0.20},  # involved
}
#: wave-2 shift (a year later)
WAVE2_SHIFT = {"regional_synergy": 0.15}
FAULT_RATES = {"speeder": 0.04, "straightliner": 0.03, "duplicate": 0.02, "refused": 0.006,
               "dont_know": 0.008, "typo": 0.003, "empty": 0.002}


def population_model() -> dict[str, Any]:
    """The generating model as plain data (subscale correlations, loadings, effects)."""
    subs = [(c, s) for c in _C for s in CONSTRUCTS[c]]
    k = len(subs)
    R = np.eye(k)
    for i, (ci, _) in enumerate(subs):
        for j, (cj, _) in enumerate(subs):
            if i != j:
                R[i, j] = HIGHER_ORDER ** 2 * PHI[_C.index(ci), _C.index(cj)]
    return {"constructs": {c: list(v) for c, v in CONSTRUCTS.items()},
            "subscales": [s for _, s in subs], "subscale_correlation": R.tolist(),
            "construct_correlation": PHI.tolist(), "higher_order_loading": HIGHER_ORDER,
            "item_loadings_by_position": list(ITEM_LOADINGS), "thresholds": THRESHOLDS.tolist(),
            "effects": {f"{k[0]}=={k[1]}": v for k, v in EFFECTS.items()},
            "wave2_shift": dict(WAVE2_SHIFT), "fault_rates": dict(FAULT_RATES)}


@dataclass
class SimulatedWave:
    """One simulated wave: coded answers (with faults), metadata and the truth per row."""

    wave: int
    instrument: Any
    codes: pd.DataFrame          # item codes as they would be exported (NaN = empty/skipped)
    cells: pd.DataFrame          # export cells as text (code download)
    meta: pd.DataFrame           # 序号, 提交答卷时间, 所用时间, 来源, 来源详情, 来自IP
    truth: pd.DataFrame          # per row: kind of fault, duplicate_of, latent construct scores
    extra: dict = field(default_factory=dict)
    #: other-specify texts (``PR06b_6_text``, ``PR10_5_text``; None = no text), rows as ``codes``
    texts: pd.DataFrame = field(default_factory=pd.DataFrame)


def _instrument(wave: int):
    from ..instrument.load import load_instrument
    from ..instrument.model import combine

    vers = WAVE_VERSIONS[wave]
    parts = [load_instrument(i, version=vers[i]) if i in vers else load_instrument(i)
             for i in STUDY_ORDER]
    return combine(parts)


def _wjx_time(t: pd.Series) -> pd.Series:
    """Wenjuanxing's timestamp text: ``2024/4/8 9:03:12`` (no zero padding of date/hour)."""
    d = t.dt
    two = lambda x: x.astype(str).str.zfill(2)  # noqa: E731
    return (d.year.astype(str) + "/" + d.month.astype(str) + "/" + d.day.astype(str) + " "
            + d.hour.astype(str) + ":" + two(d.minute) + ":" + two(d.second))


def _choice(rng: np.random.Generator, n: int, p: list[float]) -> np.ndarray:
    return rng.choice(np.arange(1, len(p) + 1), size=n, p=np.asarray(p) / np.sum(p))


def _profile(rng: np.random.Generator, n: int) -> pd.DataFrame:
    pr = {}
    pr["PR01"] = _choice(rng, n, [0.52, 0.48])
    pr["PR02"] = _choice(rng, n, [0.15, 0.35, 0.35, 0.15])
    pr["PR03"] = _choice(rng, n, [0.20, 0.15, 0.10, 0.20, 0.15, 0.20])
    age = _choice(rng, n, [0.20, 0.35, 0.30, 0.15])
    rank_p = np.array([[0.60, 0.30, 0.08, 0.02], [0.35, 0.40, 0.20, 0.05],
                       [0.20, 0.40, 0.30, 0.10], [0.15, 0.35, 0.35, 0.15]])
    u = rng.random(n)
    pr["PR04"] = 1 + (u[:, None] > np.cumsum(rank_p[age - 1], axis=1)).sum(axis=1).clip(0, 3)
    mid = np.array([27, 35, 45, 54])[age - 1]
    pr["PR05"] = np.clip(np.round(mid - 23 + rng.normal(0, 3, n)), 0, 45)
    p_inv = 0.35 + 0.10 * (pr["PR02"] <= 2) + 0.10 * np.isin(pr["PR03"], [1, 4, 5])
    pr["PR06"] = np.where(rng.random(n) < p_inv, 1, 2)
    meetings = rng.poisson(2 + 2 * (pr["PR04"] >= 3)).astype(float)
    pr["PR06a"] = np.where(pr["PR06"] == 1, meetings, np.nan)
    pr["PR07"] = _choice(rng, n, [0.60, 0.40])
    pr["PR08"] = age
    pr["PR09"] = _choice(rng, n, [0.10, 0.55, 0.30, 0.05])
    return pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in pr.items()})


def _latent(rng: np.random.Generator, profile: pd.DataFrame, wave: int) -> pd.DataFrame:
    model = population_model()
    R = np.array(model["subscale_correlation"])
    n = len(profile)
    eta = rng.multivariate_normal(np.zeros(len(R)), R, size=n, method="cholesky")
    subs = model["subscales"]
    out = pd.DataFrame(eta, columns=subs)
    for (item, value), shifts in EFFECTS.items():
        hit = (profile[item] == value).to_numpy()
        for construct, d in shifts.items():
            for s in CONSTRUCTS[construct]:
                out.loc[hit, s] += d
    if wave == 2:
        for construct, d in WAVE2_SHIFT.items():
            for s in CONSTRUCTS[construct]:
                out[s] += d
    return out


def _likert(rng: np.random.Generator, ins: Any, latent: pd.DataFrame) -> pd.DataFrame:
    """Cut y* = ±λη + e at item thresholds into codes 1–5 (vectorised per item)."""
    n = len(latent)
    cols = {}
    for sc in ins.scales:
        if sc.parent is None and sc.id in CONSTRUCTS:
            continue
        if sc.id not in latent.columns:
            continue
        for pos, iid in enumerate(sc.items):
            lam = ITEM_LOADINGS[min(pos, len(ITEM_LOADINGS) - 1)]
            sign = -1.0 if ins.item(iid).reverse else 1.0
            ystar = sign * lam * latent[sc.id].to_numpy() + np.sqrt(1 - lam ** 2) * rng.normal(size=n)
            shift = 0.15 * ((sum(map(ord, iid)) % 5) - 2) / 2   # fixed per-item leaning
            cols[iid] = 1.0 + (ystar[:, None] > (THRESHOLDS + shift)[None, :]).sum(axis=1)
    cols["AC01"] = np.full(n, 4.0)
    return pd.DataFrame(cols)


def simulate_waves(n: int = 600, seed: int = 20240508, n_wave2: int | None = None,
                   faults: bool = True) -> tuple[SimulatedWave, SimulatedWave]:
    """Simulate both waves (see module docstring); deterministic for a given seed."""
    rng = np.random.default_rng(seed)
    n2 = n // 2 if n_wave2 is None else n_wave2
    out = []
    for wave, size in ((1, n), (2, n2)):
        ins = _instrument(wave)
        out.append(_simulate_wave(rng, ins, wave, size, faults, extra_rng(seed, wave)))
    return out[0], out[1]


def _simulate_wave(rng: np.random.Generator, ins: Any, wave: int, n: int,
                   faults: bool, xrng: np.random.Generator) -> SimulatedWave:
    """``rng`` draws every column but those of :data:`EXTRA_QUESTIONS` (``xrng``)."""
    base_ids = [i for i in ins.item_ids if ins.question_of(i) not in EXTRA_QUESTIONS]
    profile = _profile(rng, n)
    latent = _latent(rng, profile, wave)
    likert = _likert(rng, ins, latent)
    codes = pd.concat([profile, likert], axis=1)[base_ids]
    likert_ids = [i for i in base_ids if not i.startswith("PR")]
    scale_ids = [i for i in likert_ids if i != "AC01"]
    kind = np.full(n, "", dtype=object)
    speed = np.zeros(n, dtype=bool)
    duration = np.round(rng.lognormal(np.log(7.5 * len(base_ids)), 0.35, n))
    # attentive respondents pass the attention check most of the time
    inattentive = rng.random(n) < 0.03
    codes.loc[inattentive, "AC01"] = rng.choice([1.0, 2.0, 3.0, 5.0], int(inattentive.sum()))
    if faults and n >= 20:
        r = rng.random(n)
        speed = r < FAULT_RATES["speeder"]
        straight = (r >= FAULT_RATES["speeder"]) & (r < FAULT_RATES["speeder"] + FAULT_RATES["straightliner"])
        kind[speed], kind[straight] = "speeder", "straightliner"
        k = int(speed.sum())
        codes.loc[speed, likert_ids] = rng.integers(1, 6, (k, len(likert_ids))).astype(float)
        duration[speed] = rng.integers(40, 95, k)
        k = int(straight.sum())
        codes.loc[straight, likert_ids] = np.repeat(rng.choice([3.0, 4.0, 5.0], k)[:, None],
                                                    len(likert_ids), axis=1)
        duration[straight] = np.round(duration[straight] * 0.55)
        # item-level missing codes, typos, empties (Likert items only; never on AC01)
        m = codes[scale_ids].to_numpy(copy=True)
        u = rng.random(m.shape)
        fr = FAULT_RATES
        m[u < fr["refused"]] = -99
        m[(u >= fr["refused"]) & (u < fr["refused"] + fr["dont_know"])] = -98
        lo = fr["refused"] + fr["dont_know"]
        typo = (u >= lo) & (u < lo + fr["typo"])
        m[typo] = rng.choice([0.0, 6.0, 7.0, 44.0], int(typo.sum()))
        lo += fr["typo"]
        m[(u >= lo) & (u < lo + fr["empty"])] = np.nan
        codes[scale_ids] = m
        # profile: a few refusals and an out-of-range years-of-service typo
        pr = rng.random(n)
        codes.loc[pr < 0.01, "PR05"] = -98
        codes.loc[(pr >= 0.01) & (pr < 0.013), "PR05"] = 210
        codes.loc[(pr >= 0.013) & (pr < 0.02), "PR04"] = -99
    extra, texts = simulate_extra(xrng, ins, profile, speed)
    numeric = [i for i in ins.item_ids if i in codes.columns or i in extra.columns]
    codes = pd.concat([codes, extra], axis=1)[numeric]
    # metadata
    start = pd.Timestamp("2024-04-08 08:30:00") if wave == 1 else pd.Timestamp("2025-04-07 08:30:00")
    offsets = np.sort(rng.integers(0, 21 * 24 * 3600, n))
    submitted = start + pd.to_timedelta(offsets, unit="s")
    ip_block = np.where(codes["PR01"].to_numpy() == 1, "198.51.100", "203.0.113")
    ip_host = rng.integers(1, 255, n)
    place = np.where(codes["PR01"].to_numpy() == 1, "(四川-成都)", "(重庆-重庆)")
    channel = rng.choice(np.array(["微信", "手机提交", "链接"]), n, p=[0.6, 0.3, 0.1])
    truth = pd.DataFrame({"kind": kind, "duplicate_of_row": pd.array([pd.NA] * n, dtype="Int64")})
    for c in CONSTRUCTS:
        truth[f"latent_{c}"] = latent[list(CONSTRUCTS[c])].mean(axis=1).round(4)
    meta = pd.DataFrame({"submitted": submitted, "duration": duration,
                         "channel": channel,
                         "ip": [f"{b}.{h}{p}" for b, h, p in zip(ip_block, ip_host, place)]})
    if faults and n >= 20:
        nd = max(1, int(round(FAULT_RATES["duplicate"] * n)))
        src = np.sort(rng.choice(np.flatnonzero(kind == ""), nd, replace=False))
        dup_codes = codes.iloc[src].copy()
        texts = pd.concat([texts, texts.iloc[src]], ignore_index=True)
        dup_meta = meta.iloc[src].copy()
        dup_meta["submitted"] = dup_meta["submitted"] + pd.to_timedelta(rng.integers(60, 900, nd), unit="s")
        dup_meta["duration"] = np.round(dup_meta["duration"].to_numpy() * rng.uniform(0.6, 1.0, nd))
        dup_truth = truth.iloc[src].copy()
        dup_truth["kind"] = "duplicate"
        dup_truth["duplicate_of_row"] = pd.array(src, dtype="Int64")   # position, fixed below
        codes = pd.concat([codes, dup_codes], ignore_index=True)
        meta = pd.concat([meta, dup_meta], ignore_index=True)
        truth = pd.concat([truth, dup_truth], ignore_index=True)
    order = np.argsort(meta["submitted"].to_numpy(), kind="stable")
    codes = codes.iloc[order].reset_index(drop=True)
    texts = texts.iloc[order].reset_index(drop=True)
    meta = meta.iloc[order].reset_index(drop=True)
    truth = truth.iloc[order].reset_index(drop=True)
    new_pos = np.empty(len(order), dtype=np.int64)
    new_pos[order] = np.arange(len(order))
    dup = truth["duplicate_of_row"].notna().to_numpy()
    target = new_pos[truth["duplicate_of_row"].fillna(0).to_numpy(dtype=np.int64)] + 2
    truth["duplicate_of_row"] = pd.Series(pd.array(target, dtype="Int64")).where(dup, pd.NA)
    seq = np.arange(1, len(codes) + 1)
    wjx_meta = pd.DataFrame({
        "序号": seq.astype(str),
        "提交答卷时间": _wjx_time(meta["submitted"]),
        "所用时间": meta["duration"].astype(int).astype(str) + "秒",
        "来源": meta["channel"], "来源详情": "N/A", "来自IP": meta["ip"],
    })
    truth.insert(0, "source_row", seq + 1)
    truth.insert(0, "wave", wave)
    return SimulatedWave(wave=wave, instrument=ins, codes=codes, cells=pd.DataFrame(),
                         meta=wjx_meta, truth=truth, texts=texts)
