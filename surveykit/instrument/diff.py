"""Compare two versions of an instrument: what changed per item, which scales stay comparable.

Item changes (the ``change`` column; several are joined with ``;``)
------------------------------------------------------------------
``unchanged``        same wording, options, key and scales
``wording_changed``  the text changed; ``detail`` names the languages (``zh, en``)
``options_changed``  the response options changed (codes, labels, type or bounds)
``reverse_changed``  the reverse key changed
``moved``            the item belongs to other scales (``detail``: from → to)
``renamed``          the id changed but wording and options did not (matched by text)
``added``            only in the newer version
``removed``          only in the older version
``select_changed``   a single choice became a multi-select or back (the question id's row;
                     its answers moved between one column and one 0/1 column per option)
``stem_changed``     the stem of the item's matrix changed (``detail``: the languages);
                     the item stays comparable — the rows' own wording is unchanged
Changes in missing codes, skip condition or attention-check answer are reported in
``detail`` (``missing codes``, ``relevant``, ``attention check``) without counting as a
change of the answers.

Multi-select questions are compared by their data columns: an option added to or removed
from a multi-select is its 0/1 column ``added``/``removed`` (``detail``: ``option 5 added to
multi-select RS13``), an other-specify option gained or dropped is its text column
``added``/``removed`` (``detail``: ``other-specify text of option 4 of RS13 added``), and
changed limits are a detail of the question's first column (``max_choices 3 → 2``). For a
single-choice item a changed ``specify`` flag is a detail (``specify options [3] → []``).

Matrix batteries group ordinary items, so their rows are compared as items; joining or
leaving a matrix is a detail of the row (``added to matrix LPM``, ``removed from matrix
LPM``, ``moved from matrix LPM to LPN``) and does not change what the answers mean. A new
row of a matrix is ``added`` with the detail ``row of matrix LPM``.

An item is *comparable* when the answers mean the same in both versions: present in both
and neither its wording, options nor reverse key changed (a moved or renamed item is
comparable). A scale is comparable when it exists in both versions, has the same items
(by crosswalk), all of them comparable, and the same scoring method.

The crosswalk (one row per item) is what response import uses to pool waves collected with
different versions: ``from_version, from_item, to_version, to_item, change, comparable``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from .._params import InstanceOf, validate_params
from ..errors import InstrumentError
from ..result import Result, make_provenance
from .model import Instrument, Item

__all__ = ["diff_instruments", "crosswalk", "InstrumentDiff", "CROSSWALK_COLUMNS"]

CROSSWALK_COLUMNS = ("from_version", "from_item", "to_version", "to_item", "change", "comparable")
_BREAKING = {"wording_changed", "options_changed", "reverse_changed", "select_changed"}


@dataclass(frozen=True, kw_only=True)
class InstrumentDiff(Result):
    """The changes between two instrument versions.

    Attributes
    ----------
    a_ref, b_ref : str
        ``id@version`` of the older and the newer version.
    n_changed : int
        Items whose answers are not comparable, plus added and removed items.
    table : DataFrame
        One row per item: ``item, change, detail, comparable, from_item, to_item``.
    scales : DataFrame
        One row per scale: ``scale, status, comparable, reason``.
    crosswalk : DataFrame
        ``from_version, from_item, to_version, to_item, change, comparable``.
    """

    a_ref: str
    b_ref: str
    n_changed: int
    scales: pd.DataFrame
    crosswalk: pd.DataFrame
    title: str = "Instrument diff"

    @property
    def items(self) -> pd.DataFrame:
        """Alias of :attr:`table` (one row per item)."""
        return self.table

    def changed(self) -> pd.DataFrame:
        """Rows of :attr:`table` whose change is not ``unchanged``."""
        return self.table[self.table["change"] != "unchanged"].reset_index(drop=True)

    def comparable_scales(self) -> tuple[str, ...]:
        return tuple(self.scales.loc[self.scales["comparable"], "scale"])

    def summary(self) -> str:
        lines = [f"{self.a_ref} → {self.b_ref}"]
        ch = self.changed()
        if ch.empty:
            lines.append("No item changed.")
        for r in ch.itertuples():
            extra = f" ({r.detail})" if r.detail else ""
            lines.append(f"  {r.item}: {r.change}{extra}")
        lines.append(f"  {int((self.table['change'] == 'unchanged').sum())} items unchanged.")
        lines.append("Scales:")
        for r in self.scales.itertuples():
            lines.append(f"  {r.scale}: {'comparable' if r.comparable else 'NOT comparable'}"
                         f"{' — ' + r.reason if r.reason else ''}")
        return "\n".join(lines)


def _coerce(x: Any) -> Instrument:
    if isinstance(x, Instrument):
        return x
    from .load import load_instrument

    text = str(x)
    if "@" in text and not text.endswith((".yaml", ".yml")):
        iid, ver = text.split("@", 1)
        return load_instrument(iid, ver)
    return load_instrument(text)


def _scales_of(ins: Instrument, item_id: str) -> tuple[str, ...]:
    return tuple(s.id for s in ins.scales if item_id in s.items)


def _options_changes(a: Item, b: Item) -> tuple[list[str], list[str]]:
    """(answer-changing differences, other differences) of two items' response scales."""
    ra, rb = a.response, b.response
    breaking, other = [], []
    if ra.type != rb.type:
        breaking.append(f"type {ra.type} → {rb.type}")
    if ra.values != rb.values:
        breaking.append(f"codes {list(ra.values)} → {list(rb.values)}")
    elif any(oa.label != ob.label for oa, ob in zip(ra.options, rb.options)):
        langs = sorted({lang for oa, ob in zip(ra.options, rb.options)
                        for lang in set(oa.label) | set(ob.label)
                        if oa.label.get(lang) != ob.label.get(lang)})
        breaking.append(f"option labels ({', '.join(langs)})")
    if (ra.minimum, ra.maximum) != (rb.minimum, rb.maximum):
        breaking.append(f"bounds {ra.minimum}–{ra.maximum} → {rb.minimum}–{rb.maximum}")
    if ra.missing != rb.missing:
        other.append("missing codes")
    if ra.specify_values != rb.specify_values and a.question is None:
        other.append(f"specify options {list(ra.specify_values)} → {list(rb.specify_values)}")
    return breaking, other


def _compare_items(a_ins: Instrument, a: Item, b_ins: Instrument, b: Item
                   ) -> tuple[list[str], list[str]]:
    changes: list[str] = []
    details: list[str] = []
    order = list(b_ins.languages) + [x for x in a_ins.languages if x not in b_ins.languages]
    langs = sorted(set(a.text) | set(b.text),
                   key=lambda x: (order.index(x) if x in order else len(order), x))
    changed_langs = [lang for lang in langs if a.text.get(lang) != b.text.get(lang)]
    if changed_langs:
        changes.append("wording_changed")
        details.append(", ".join(changed_langs))
    breaking, other = _options_changes(a, b)
    if breaking:
        changes.append("options_changed")
        details.append("; ".join(breaking))
    if a.reverse != b.reverse:
        changes.append("reverse_changed")
        details.append(f"reverse {str(a.reverse).lower()} → {str(b.reverse).lower()}")
    sa, sb = _scales_of(a_ins, a.id), _scales_of(b_ins, b.id)
    if set(sa) != set(sb):
        changes.append("moved")
        left = [x for x in sa if x not in sb]
        right = [x for x in sb if x not in sa]
        details.append(f"{', '.join(left) or '(no scale)'} → {', '.join(right) or '(no scale)'}")
    if a.relevant != b.relevant:
        other.append(f"relevant {a.relevant or '(always)'} → {b.relevant or '(always)'}")
    if a.attention_check != b.attention_check:
        other.append(f"attention check {a.attention_check} → {b.attention_check}")
    if a.required != b.required:
        other.append(f"required {a.required} → {b.required}")
    details.extend(other)
    return changes, details


#: ``a``/``b`` of the version comparisons: an Instrument or ``"id@version"``
VERSION_REF = InstanceOf((Instrument, str), "an Instrument or 'id@version'", show_type=True)


@validate_params({"a": [VERSION_REF], "b": [VERSION_REF]})
def diff_instruments(a: Instrument | str, b: Instrument | str) -> InstrumentDiff:
    """Classify every item change from version ``a`` to version ``b``.

    Parameters
    ----------
    a, b : Instrument or str
        Instruments, files, or ``"id@version"`` strings.

    Notes
    -----
    R equivalent: none (compares instrument versions, surveykit's YAML files).

    Examples
    --------
    >>> d = diff_instruments("local_protectionism@1.0.0", "local_protectionism@1.1.0")
    >>> d.changed()[["item", "change"]].values.tolist()
    [['LP05', 'wording_changed'], ['LP13', 'added']]
    >>> d.comparable_scales()
    ('market_barriers', 'perceived_prevalence')
    """
    a, b = _coerce(a), _coerce(b)
    if a.id != b.id:
        raise InstrumentError(f"Cannot diff different instruments {a.ref} and {b.ref}; "
                              f"compare two versions of one instrument.")
    only_a = [i for i in a.item_ids if not b.has_item(i)]
    only_b = [i for i in b.item_ids if not a.has_item(i)]
    renamed = _match_renames(a, b, only_a, only_b)
    rows: list[dict[str, Any]] = []
    map_ab: dict[str, str] = {i: i for i in a.item_ids if b.has_item(i)}
    map_ab.update(renamed)
    comparable_items: set[str] = set()  # ids in b
    for it in b.items:
        src = next((k for k, v in renamed.items() if v == it.id), None)
        if it.id in only_b and src is None:
            rows.append(_row(it.id, None, it.id, "added", "", False))
            continue
        a_id = src or it.id
        changes, details = _compare_items(a, a.item(a_id), b, it)
        if src is not None:
            changes.insert(0, "renamed")
            details.insert(0, f"{src} → {it.id}")
        comparable = not (set(changes) & _BREAKING)
        if comparable:
            comparable_items.add(it.id)
        rows.append(_row(it.id, a_id, it.id, ";".join(changes) or "unchanged",
                         "; ".join(details), comparable))
    for i in a.item_ids:
        if i in only_a and i not in renamed:
            rows.append(_row(i, i, None, "removed", "", False))
    override, extra = _question_changes(a, b)
    more = _matrix_changes(a, b, extra)
    for r in rows:
        if r["item"] in override:
            r["change"], r["comparable"] = override[r["item"]], False
        if r["item"] in more:
            r["change"] = ";".join([x for x in r["change"].split(";") if x != "unchanged"]
                                   + more[r["item"]])
        if r["item"] in extra:
            r["detail"] = "; ".join([x for x in [r["detail"]] if x] + extra[r["item"]])
    table = pd.DataFrame(rows, columns=["item", "change", "detail", "comparable", "from_item",
                                        "to_item"])
    table["comparable"] = table["comparable"].astype(bool)
    scales = _scale_rows(a, b, map_ab, comparable_items, table)
    cw = pd.DataFrame({
        "from_version": [a.version if pd.notna(f) else None for f in table["from_item"]],
        "from_item": table["from_item"],
        "to_version": [b.version if pd.notna(t) else None for t in table["to_item"]],
        "to_item": table["to_item"],
        "change": table["change"],
        "comparable": table["comparable"],
    }, columns=list(CROSSWALK_COLUMNS))
    n_changed = int((~table["comparable"]).sum())
    prov = make_provenance("diff_instruments", {"a": a.ref, "b": b.ref}, {},
                           instruments=(a.ref, b.ref))
    return InstrumentDiff(table=table, provenance=prov, a_ref=a.ref, b_ref=b.ref,
                          n_changed=n_changed, scales=scales, crosswalk=cw,
                          title=f"Changes {a.ref} → {b.ref}")


def _question_changes(a: Instrument, b: Instrument
                      ) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Question-level changes of multi-selects and other-specify options, as (change
    overrides, extra details) per item id."""
    change: dict[str, str] = {}
    extra: dict[str, list[str]] = {}

    def add(item: str, text: str) -> None:
        extra.setdefault(item, []).append(text)

    ids = dict.fromkeys([m.id for m in a.multi_selects] + [m.id for m in b.multi_selects])
    for q in ids:
        in_a, in_b = a.is_multi_select(q), b.is_multi_select(q)
        if in_a and in_b:
            ma, mb = a.multi_select(q), b.multi_select(q)
            for code in mb.codes:
                if code not in ma.codes:
                    add(mb.column(code), f"option {code} added to multi-select {q}")
            for code in ma.codes:
                if code not in mb.codes:
                    add(ma.column(code), f"option {code} removed from multi-select {q}")
            for key in ("min_choices", "max_choices"):
                va, vb = getattr(ma, key), getattr(mb, key)
                if va != vb:
                    add(mb.columns[0], f"{key} {va if va is not None else '(none)'} → "
                                       f"{vb if vb is not None else '(none)'}")
        elif in_a and b.has_item(q):        # multiple -> single
            ma = a.multi_select(q)
            change[q] = "select_changed"
            add(q, f"multiple → single choice (was {', '.join(ma.columns)})")
            for c in ma.columns:
                add(c, f"{q} is now a single choice")
        elif in_b and a.has_item(q):        # single -> multiple
            mb = b.multi_select(q)
            change[q] = "select_changed"
            add(q, f"single → multiple choice (now {', '.join(mb.columns)})")
            for c in mb.columns:
                add(c, f"{q} was a single choice")
    for ins, other, verb in ((b, a, "added"), (a, b, "removed")):
        for it in ins.items:
            if it.is_specify and not other.has_item(it.id):
                add(it.id, f"other-specify text of option {it.option} of {it.question} {verb}")
    return change, extra


def _matrix_changes(a: Instrument, b: Instrument, extra: dict[str, list[str]]
                    ) -> dict[str, list[str]]:
    """Matrix membership and stem changes: details added to ``extra``; the extra change
    kinds (``stem_changed``) per item are returned."""
    more: dict[str, list[str]] = {}

    def add(item: str, text: str) -> None:
        extra.setdefault(item, []).append(text)

    for it in b.items:
        mb = b.matrix_of(it.id)
        ma = a.matrix_of(it.id) if a.has_item(it.id) else None
        if not a.has_item(it.id):
            if mb is not None:
                add(it.id, f"row of matrix {mb.id}")
            continue
        if mb is not None and ma is None:
            add(it.id, f"added to matrix {mb.id}")
        elif mb is None and ma is not None:
            add(it.id, f"removed from matrix {ma.id}")
        elif mb is not None and ma is not None and ma.id != mb.id:
            add(it.id, f"moved from matrix {ma.id} to {mb.id}")
    for it in a.items:
        ma = a.matrix_of(it.id)
        if ma is not None and not b.has_item(it.id):
            add(it.id, f"row of matrix {ma.id}")
    for mb in b.matrices:
        if not a.is_matrix(mb.id):
            continue
        ma = a.matrix(mb.id)
        langs = [x for x in dict.fromkeys([*mb.text, *ma.text])
                 if ma.text.get(x) != mb.text.get(x)]
        if langs:
            for i in mb.items:
                if a.has_item(i):
                    more.setdefault(i, []).append("stem_changed")
                add(i, f"stem of matrix {mb.id} ({', '.join(langs)})")
    return more


def _row(item: str, from_item: str | None, to_item: str | None, change: str, detail: str,
         comparable: bool) -> dict[str, Any]:
    return {"item": item, "change": change, "detail": detail, "comparable": comparable,
            "from_item": from_item, "to_item": to_item}


def _match_renames(a: Instrument, b: Instrument, only_a: list[str], only_b: list[str]
                   ) -> dict[str, str]:
    """Removed/added pairs with identical text and response scale count as renamed."""
    out: dict[str, str] = {}
    free = list(only_b)
    for i in only_a:
        ia = a.item(i)
        for j in free:
            ib = b.item(j)
            if dict(ia.text) == dict(ib.text) and ia.response.values == ib.response.values:
                out[i] = j
                free.remove(j)
                break
    return out


def _scale_rows(a: Instrument, b: Instrument, map_ab: dict[str, str], comparable: set[str],
                table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    change_of = dict(zip(table["item"], table["change"]))
    ids = list(b.scale_ids) + [s for s in a.scale_ids if s not in b.scale_ids]
    for sid in ids:
        in_a, in_b = sid in a.scale_ids, sid in b.scale_ids
        if not in_a:
            rows.append({"scale": sid, "status": "added", "comparable": False,
                         "reason": f"new in {b.version}"})
            continue
        if not in_b:
            rows.append({"scale": sid, "status": "removed", "comparable": False,
                         "reason": f"not in {b.version}"})
            continue
        sa, sb = a.scale(sid), b.scale(sid)
        mapped = {map_ab.get(i, f"<removed {i}>") for i in sa.items}
        reasons = []
        added = [i for i in sb.items if i not in mapped]
        removed = [i for i in sa.items if map_ab.get(i) not in sb.items]
        if added:
            reasons.append(f"{', '.join(added)} added")
        if removed:
            reasons.append(f"{', '.join(removed)} removed")
        changed = [f"{i} {change_of[i].replace('_', ' ')}" for i in sb.items
                   if i not in added and i not in comparable]
        reasons.extend(changed)
        if sa.score != sb.score:
            reasons.append(f"score {sa.score} → {sb.score}")
        ok = not reasons
        note = ""
        if ok and sa.min_valid != sb.min_valid:
            note = f"min_valid {sa.min_valid} → {sb.min_valid} (who gets a score may differ)"
        rows.append({"scale": sid, "status": "unchanged" if ok else "changed", "comparable": ok,
                     "reason": "; ".join(reasons) or note})
    out = pd.DataFrame(rows, columns=["scale", "status", "comparable", "reason"])
    out["comparable"] = out["comparable"].astype(bool)
    return out


@validate_params({"a": [VERSION_REF], "b": [VERSION_REF]})
def crosswalk(a: Instrument | str, b: Instrument | str) -> pd.DataFrame:
    """The item crosswalk from ``a`` to ``b`` (see :func:`diff_instruments`).

    Columns: ``from_version, from_item, to_version, to_item, change, comparable``; an added
    item has no ``from_item``, a removed one no ``to_item``.

    Notes
    -----
    R equivalent: none (compares instrument versions, surveykit's YAML files).

    Examples
    --------
    >>> cw = crosswalk("local_protectionism@1.0.0", "local_protectionism@1.1.0")
    >>> cw.loc[~cw["comparable"], "to_item"].tolist()
    ['LP05', 'LP13']
    """
    return diff_instruments(a, b).crosswalk
