"""Pool waves collected with different instrument versions, through the version crosswalk.

Each wave was imported against the questionnaire it was fielded with. Pooling maps every
wave onto the *newest* version of each component instrument (e.g. local_protectionism
1.1.0), using the crosswalk of :func:`surveykit.instrument.diff.crosswalk`:

* comparable items (unchanged, moved, renamed) are pooled into the newest item's column;
* an item whose answers do not mean the same any more (wording, options or reverse key
  changed; or removed) is **kept apart**: the older wave's answers go to a suffixed
  column such as ``LP05_v1_0_0`` (an item of the pooled instrument, in no scale), and
  that wave's cells of the new ``LP05`` are missing with reason ``not_applicable``;
* an item added in the newer version is ``not_applicable`` for older waves.

Every such decision is one row in the pooled ``issues`` log (reason ``not_comparable``,
``added_item`` or ``removed_item``, no respondent) — the pooling report.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace as dc_replace
from typing import Any

import numpy as np
import pandas as pd

from .._params import InstanceOf, Names, validate_params
from ..errors import ResponsesError
from ..instrument.model import Instrument, Item
from .model import ISSUE_COLUMNS, MISSING_DTYPE, Responses, cells_as_text

__all__ = ["pool_waves", "apart_id"]


def apart_id(item: str, version: str) -> str:
    """Column id for an item kept apart: ``LP05`` of 1.0.0 → ``LP05_v1_0_0``."""
    return f"{item}_v{version.replace('.', '_')}"


def _semver(v: str) -> tuple:
    try:
        return tuple(int(p) for p in v.split("."))
    except ValueError:
        return (v,)


def _components(r: Responses) -> dict[str, str]:
    out = {}
    for ref in r.instrument.refs:
        iid, _, ver = ref.rpartition("@")
        out[iid] = ver
    return out


def _load(iid: str, version: str, known: Mapping[str, Instrument]) -> Instrument:
    key = f"{iid}@{version}"
    if key in known:
        return known[key]
    try:
        from ..instrument.load import load_instrument

        return load_instrument(iid, version=version)
    except Exception as e:  # not a registered instrument
        raise ResponsesError(
            f"pool_waves: cannot load {key} to build the crosswalk ({e}). Pass crosswalk= "
            f"(the table from surveykit.instrument.diff.crosswalk) for {iid}.") from None


def _crosswalk_for(iid: str, old: str, new: str, crosswalk: Any, waves: Sequence[Responses]
                   ) -> pd.DataFrame:
    table = None
    if isinstance(crosswalk, Mapping):
        table = crosswalk.get(iid)
    elif isinstance(crosswalk, pd.DataFrame):
        table = crosswalk
    if table is None:
        known = {ins.ref: ins for ins in _parts(waves)}
        from ..instrument.diff import crosswalk as make

        table = make(_load(iid, old, known), _load(iid, new, known))
    need = {"from_version", "from_item", "to_version", "to_item", "comparable"}
    if not need <= set(table.columns):
        raise ResponsesError(f"pool_waves: the crosswalk needs columns {sorted(need)}; got "
                             f"{list(table.columns)}.")
    fv = set(table["from_version"].dropna().astype(str))
    tv = set(table["to_version"].dropna().astype(str))
    if old not in fv or new not in tv:
        raise ResponsesError(
            f"pool_waves: the crosswalk for {iid} maps {', '.join(sorted(fv)) or '?'} → "
            f"{', '.join(sorted(tv)) or '?'}, but the waves were collected with {iid} {old} "
            f"and {new}. Make the crosswalk from these two versions "
            f"(surveykit.instrument.diff.crosswalk('{iid}@{old}', '{iid}@{new}')).")
    return table[(table["from_version"].astype(str) == old) | table["from_version"].isna()]


def _parts(waves: Sequence[Responses]) -> list[Instrument]:
    return [w.instrument for w in waves]


@validate_params({"waves": [InstanceOf((list, tuple), "a list of Responses (one per wave)",
                                         show_type=True)],
                  "labels": [Names(), None]})
def pool_waves(waves: Sequence[Responses], crosswalk: Any = None, *,
               labels: Sequence[str] | None = None) -> Responses:
    """Pool waves onto the newest instrument versions (see module docstring).

    Parameters
    ----------
    waves : sequence of Responses
        Each imported with the questionnaire it was fielded with.
    crosswalk : DataFrame or mapping {instrument id: DataFrame}, optional
        Crosswalk(s) from :func:`surveykit.instrument.diff.crosswalk`; by default built
        from the registered instrument versions.
    labels : sequence of str, optional
        Wave labels for ``meta["wave"]`` where the waves have none (default "1", "2", …).

    Returns
    -------
    Responses
        Rows of all waves; the pooling decisions are rows of ``issues``.

    Raises
    ------
    ResponsesError
        When a wave's version cannot be mapped (crosswalk for other versions, unknown
        instrument, or instruments of different studies).

    Notes
    -----
    R equivalent: ``dplyr::bind_rows(wave1, wave2)`` after renaming items by the crosswalk
    (roughly; the comparability checks have no R counterpart).

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import load_example_wave
    >>> w1, w2 = load_example_wave(1, key="example"), load_example_wave(2, key="example")
    >>> pooled = sk.pool_waves([w1, w2])
    >>> pooled.n, w1.n + w2.n
    (918, 918)
    """
    waves = list(waves)
    if not waves or not all(isinstance(w, Responses) for w in waves):
        raise ResponsesError("pool_waves needs a list of Responses (from read_responses).")
    if labels is not None and len(labels) != len(waves):
        raise ResponsesError(f"pool_waves: {len(labels)} labels for {len(waves)} waves.")
    comps = [_components(w) for w in waves]
    target_ver = _target_versions(comps)
    target_items, scales, rscales = _target_parts(waves, comps, target_ver)
    report: list[dict] = []
    apart: dict[str, list[Item]] = {}       # target item id (or part) → apart items after it
    plans = []
    for c, r in zip(comps, waves):
        rename: dict[str, str] = {}
        for iid, ver in c.items():
            rename.update(_map_part(r, iid, ver, target_ver[iid], crosswalk, waves, apart, report))
        plans.append(rename)
    pooled_ins = _pooled_instrument(waves, target_ver, target_items, apart, scales, rscales)
    order = list(pooled_ins.item_ids)
    parts = [_wave_frames(r, rename, order, pooled_ins,
                          labels[w] if labels is not None else str(w + 1))
             for w, (r, rename) in enumerate(zip(waves, plans))]
    values, missing, raw, meta = _stack(parts)
    mapping = pd.concat([w.mapping for w in waves], ignore_index=True)
    return Responses(values=values, missing=missing, raw=raw, meta=meta, instrument=pooled_ins,
                     sources=tuple(s for w in waves for s in w.sources), mapping=mapping,
                     issues=_pooled_issues(waves, report))


# ------------------------------------------------------------------------------------
# the steps of pool_waves
# ------------------------------------------------------------------------------------
def _target_versions(comps: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """The newest version of every instrument in any wave, in order of first appearance."""
    all_ids: list[str] = []
    for c in comps:
        for iid in c:
            if iid not in all_ids:
                all_ids.append(iid)
    return {iid: max((c[iid] for c in comps if iid in c), key=_semver) for iid in all_ids}


def _target_parts(waves: Sequence[Responses], comps: Sequence[Mapping[str, str]],
                  target_ver: Mapping[str, str]) -> tuple[dict[str, list[Item]], list, dict]:
    """Items, scales and response scales of each part, from a wave fielded with its newest version."""
    target_items: dict[str, list[Item]] = {}
    rscales: dict[str, Any] = {}
    scales = []
    seen_scales: set[str] = set()
    for iid, ver in target_ver.items():
        src = next(w for w, c in zip(waves, comps) if c.get(iid) == ver)
        part = _part_items(src.instrument, iid, ver)
        target_items[iid] = part
        rscales.update(src.instrument.response_scales)
        for s in src.instrument.scales:
            if s.id not in seen_scales and all(i in {it.id for it in part} for i in s.items[:1]):
                scales.append(s)
                seen_scales.add(s.id)
    return target_items, scales, rscales


def _map_part(r: Responses, iid: str, ver: str, target: str, crosswalk: Any,
              waves: Sequence[Responses], apart: dict[str, list[Item]],
              report: list[dict]) -> dict[str, str]:
    """Column renames of one part of one wave onto its target version.

    Items not comparable (or removed) are kept apart under :func:`apart_id` (added to
    ``apart`` after their anchor item); every decision is appended to ``report``.
    """
    part_ids = [it.id for it in _part_items(r.instrument, iid, ver)]
    if ver == target:
        return {i: i for i in part_ids}
    rename: dict[str, str] = {}
    cw = _crosswalk_for(iid, ver, target, crosswalk, waves)
    mapped_from = set()
    for row in cw.itertuples(index=False):
        fi = row.from_item if isinstance(row.from_item, str) else None
        ti = row.to_item if isinstance(row.to_item, str) else None
        if fi is not None and fi not in part_ids:
            continue
        if fi is None and ti is not None:
            report.append(_rep(r, ti, "added_item",
                               f"{ti} is new in {iid} {target}: not_applicable "
                               f"for the {ver} wave"))
            continue
        mapped_from.add(fi)
        if ti is not None and bool(row.comparable):
            rename[fi] = ti
            continue
        new_id = apart_id(fi, ver)
        old_item = r.instrument.item(fi)
        anchor = ti or fi
        apart.setdefault(anchor, [])
        if new_id not in {a.id for a in apart[anchor]}:
            apart[anchor].append(dc_replace(old_item, id=new_id))
        rename[fi] = new_id
        why = "removed_item" if ti is None else "not_comparable"
        change = getattr(row, "change", "") or ""
        report.append(_rep(r, fi, why, f"{iid} {ver} → {target}: {change or why}; "
                                       f"kept apart as {new_id}"))
    unmapped = [i for i in part_ids if i not in mapped_from]
    if unmapped:
        raise ResponsesError(
            f"pool_waves: the crosswalk for {iid} {ver} → {target} does not say "
            f"what became of {', '.join(unmapped)}. Use the crosswalk made from exactly "
            f"these two versions.")
    return rename


def _pooled_instrument(waves: Sequence[Responses], target_ver: Mapping[str, str],
                       target_items: Mapping[str, list[Item]], apart: Mapping[str, list[Item]],
                       scales: list, rscales: dict) -> Instrument:
    """The pooled instrument: target items, each followed by the items kept apart from it."""
    all_ids = list(target_ver)
    items: list[Item] = []
    for iid in all_ids:
        for it in target_items[iid]:
            items.append(it)
            items.extend(apart.get(it.id, []))
    included = {it.id for it in items}
    items.extend(a for lst in apart.values() for a in lst if a.id not in included)  # removed
    refs = []
    for w in waves:
        for ref in w.instrument.refs:
            if ref not in refs:
                refs.append(ref)
    first = waves[0].instrument
    # multi-select questions whose columns all made it in (the latest wave's definition)
    ids = {it.id for it in items}
    multis: dict[str, Any] = {}
    for w in reversed(waves):
        for m in w.instrument.multi_selects:
            if set(m.columns) <= ids:
                multis.setdefault(m.id, m)
    # matrices whose rows all made it in, side by side and still on one scale
    order = [it.id for it in items]
    by_id = {it.id: it for it in items}
    matrices: dict[str, Any] = {}
    for w in reversed(waves):
        for mx in w.instrument.matrices:
            if not set(mx.items) <= ids or mx.id in ids:
                continue
            at = order.index(mx.items[0])
            if tuple(order[at:at + len(mx.items)]) == mx.items and len(
                    {by_id[i].response.id for i in mx.items}) == 1:
                matrices.setdefault(mx.id, dc_replace(mx, response=by_id[mx.items[0]].response))
    return Instrument(
        id=first.id if len(all_ids) > 1 else all_ids[0], version="+".join(
            f"{i}@{target_ver[i]}" for i in all_ids), languages=first.languages,
        title=first.title, items=tuple(items), scales=tuple(scales),
        response_scales=rscales, components=tuple(refs), multi_selects=tuple(multis.values()),
        matrices=tuple(matrices.values()))


def _wave_frames(r: Responses, rename: Mapping[str, str], order: list[str], pooled_ins: Instrument,
                 label: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One wave's values, missing reasons, raw cells and meta in the pooled columns."""
    n = r.n
    vals = r.values.rename(columns=rename)
    miss = r.missing.rename(columns=rename)
    raw = r.raw.rename(columns=rename)
    for col in order:
        if col not in vals.columns:
            text = pooled_ins.item(col).response.type == "text"
            vals[col] = pd.Series([None] * n, dtype="str", index=r.index) if text else np.nan
            miss[col] = pd.Categorical(["not_applicable"] * n, dtype=MISSING_DTYPE)
            raw[col] = pd.Series([None] * n, dtype="str", index=r.index)
    meta = r.meta.copy()
    if "wave" not in meta.columns or meta["wave"].isna().all():
        meta["wave"] = label
    meta["wave"] = meta["wave"].astype("str")
    return vals[order], miss[order], cells_as_text(raw[order]), meta


def _stack(parts: list[tuple[pd.DataFrame, ...]]) -> tuple[pd.DataFrame, ...]:
    """Stack the waves' frames; respondent keys that repeat become ``wave:key``."""
    parts_v, parts_m, parts_r, parts_meta = (list(x) for x in zip(*parts))
    keys = [p.index for p in parts_v]
    allk = keys[0].append(keys[1:]) if len(keys) > 1 else keys[0]
    relabel = not allk.is_unique
    if relabel:
        for i, m in enumerate(parts_meta):
            newidx = pd.Index(m["wave"].astype(str) + ":" + m.index.astype(str), name="respondent")
            for lst in (parts_v, parts_m, parts_r, parts_meta):
                lst[i] = lst[i].set_axis(newidx, axis=0)
    values = pd.concat(parts_v)
    missing = pd.concat(parts_m).astype(MISSING_DTYPE)
    raw = pd.concat(parts_r)
    meta = pd.concat(parts_meta)
    for c in ("source_file", "instrument_version"):
        if c in meta.columns:
            meta[c] = meta[c].astype("str").astype("category")
    if not values.index.is_unique:
        dup = values.index[values.index.duplicated()][:3].tolist()
        raise ResponsesError(f"pool_waves: respondent keys repeat across waves even with wave "
                             f"labels ({', '.join(dup)}). Give each wave a distinct label.")
    return values, missing, raw, meta


def _pooled_issues(waves: Sequence[Responses], report: list[dict]) -> pd.DataFrame:
    """The waves' issue logs followed by one row per pooling decision."""
    rep = pd.DataFrame(report, columns=list(ISSUE_COLUMNS)) if report else None
    issues = [w.issues for w in waves if len(w.issues)]
    if rep is not None:
        rep["source_row"] = rep["source_row"].astype("Int64")
        issues.append(rep.astype({c: "str" for c in ISSUE_COLUMNS if c != "source_row"}))
    return pd.concat(issues, ignore_index=True) if issues else waves[0].issues.iloc[0:0]


def _part_items(ins: Instrument, iid: str, version: str) -> list[Item]:
    """Items of component ``iid`` inside a (possibly combined) instrument."""
    if len(ins.refs) == 1:
        return list(ins.items)
    from ..instrument.load import load_instrument

    try:
        ids = set(load_instrument(iid, version=version).item_ids)
    except Exception:
        ids = None
    if ids is None:
        raise ResponsesError(f"pool_waves: cannot tell which items of {ins.ref} belong to "
                             f"{iid}@{version}; pool single instruments or register {iid}.")
    return [it for it in ins.items if it.id in ids]


def _rep(r: Responses, item: str, reason: str, action: str) -> dict:
    src = r.sources[0].path.rsplit("/", 1)[-1] if r.sources else ""
    return {"source_file": src, "source_row": pd.NA, "respondent": None, "item": item,
            "raw_value": None, "reason": reason, "action": action}
