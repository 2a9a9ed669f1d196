"""Wordings of other instrument versions: a column is never matched *across* versions by text.

When a file was fielded with another version than the one it is imported against, a reworded
item's old wording can look similar to the new wording (0.87, say) — close enough for the
display-number or fuzzy match of :mod:`.mapping`. Only the crosswalk
(:func:`surveykit.instrument.diff.crosswalk`) may decide whether two wordings are comparable,
so a column whose text is at least as close to a *non-comparable* wording of another version
as to the item it would be matched to is not matched: the import stops and names the version
to import it with (then pool the waves with :func:`surveykit.pool_waves`).

The other versions are looked up next to each part of the instrument (its folder, or the
instrument roots of :func:`~surveykit.instrument.load.instrument_roots`), only when a column
is matched by non-exact text.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ..instrument.model import Instrument

__all__ = ["OtherWordings", "OldWording"]


@dataclass(frozen=True)
class OldWording:
    """A wording of another version whose item is not comparable with the current one."""

    instrument: str      # instrument id
    version: str         # the other version
    item: str            # item id in that version
    text: str            # normalised text
    change: str          # crosswalk change (wording_changed, removed, …)


class OtherWordings:
    """Non-comparable wordings of the other versions of each part of ``instrument`` (lazy)."""

    def __init__(self, instrument: Instrument, norm) -> None:
        self._ins = instrument
        self._norm = norm
        self._old: list[OldWording] | None = None

    def _load(self) -> list[OldWording]:
        from ..instrument.diff import diff_instruments
        from ..instrument.load import instrument_roots, list_versions, read_instrument
        from ..instrument.semver import semver_key

        out: list[OldWording] = []
        single = not self._ins.components and self._ins.path
        for ref in self._ins.refs:
            iid, _, ver = ref.partition("@")
            roots = ([Path(self._ins.path).parent.parent] if single else instrument_roots())
            for root in roots:
                versions = list_versions(iid, root)
                if ver not in versions:
                    continue
                try:
                    current = self._ins if single else read_instrument(root / iid / f"{ver}.yaml")
                    for v in versions:
                        if v == ver:
                            continue
                        other = read_instrument(root / iid / f"{v}.yaml")
                        old_first = semver_key(v) < semver_key(ver)
                        d = diff_instruments(other, current) if old_first \
                            else diff_instruments(current, other)
                        for row in d.table.itertuples():
                            if row.comparable:
                                continue
                            old_id = row.from_item if old_first else row.to_item
                            if not isinstance(old_id, str) or not other.has_item(old_id):
                                continue
                            for text in other.item(old_id).text.values():
                                t = self._norm(text)
                                if t:
                                    out.append(OldWording(iid, v, old_id, t, row.change))
                except Exception:     # an unreadable sibling version decides nothing here
                    continue
                break
        return out

    def closer(self, candidates: tuple[str, ...], score: float) -> OldWording | None:
        """The non-comparable old wording these header texts match at least as well as
        ``score`` (the similarity of the match about to be made), if any."""
        if self._old is None:
            self._old = self._load()
        if not self._old:
            return None
        best: tuple[float, OldWording] | None = None
        for c in candidates:
            n = self._norm(c)
            if not n:
                continue
            for w in self._old:
                r = 1.0 if n == w.text else difflib.SequenceMatcher(None, w.text, n,
                                                                     autojunk=False).ratio()
                if r >= score and (best is None or r > best[0]):
                    best = (r, w)
        return best[1] if best else None
