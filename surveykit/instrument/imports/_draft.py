"""Shared steps of the importers: ids, languages, missing-code kinds, the checked result."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from ...errors import InstrumentError
from ..model import Instrument, Item, LocalizedText
from ..parse import build_instrument
from ..source import parse_text
from ..spec import ID_PATTERN, ITEM_ID_PATTERN, SEMVER
from ..writer import instrument_yaml


@dataclass(frozen=True)
class InstrumentImport:
    """An imported questionnaire: the instrument, its YAML draft and what was not carried.

    Attributes
    ----------
    instrument : Instrument
        Built from the YAML text by the same checks as ``instrument validate``.
    yaml : str
        The instrument file to save (``instruments/<id>/<version>.yaml``).
    notes : tuple of str
        One line per thing the import could not carry over or had to assume, naming the
        row/question and what to do; also written as comments at the top of ``yaml``.
    source : str
        The file imported and its format.
    """

    instrument: Instrument
    yaml: str
    notes: tuple[str, ...]
    source: str

    def summary(self) -> str:
        ins = self.instrument
        mats = f"{len(ins.matrices)} matrices, " if ins.matrices else ""
        return (f"{ins.ref}: {len(ins.items)} items, {mats}{len(ins.response_scales)} response "
                f"scales, {len(ins.sections)} sections from {self.source}; "
                f"{len(self.notes)} note(s)")


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

#: Words in a missing code's label that tell its kind (checked in this order).
_KIND_WORDS = (("refused", ("拒绝", "不愿", "refus", "prefer not", "decline")),
               ("dont_know", ("不知道", "不清楚", "记不清", "说不清", "don't know", "dont know",
                              "do not know", "not sure", "don't remember")),
               ("not_applicable", ("不适用", "not applicable", "n/a")))


def guess_lang(texts: Iterable[str]) -> str:
    """``zh`` when any text holds a CJK character, else ``en``."""
    return "zh" if any(_CJK.search(t or "") for t in texts) else "en"


def missing_kind(labels: Iterable[str]) -> str:
    """The typed-missing kind a label names (``other`` when none is recognised)."""
    low = " ".join(labels).lower()
    for kind, words in _KIND_WORDS:
        if any(w in low for w in words):
            return kind
    return "other"


def item_id(name: str, taken: set[str]) -> str:
    """``name`` made a valid, unused item id (``q-1.a`` → ``q_1_a``; a leading digit gets ``Q``)."""
    out = re.sub(r"[^A-Za-z0-9_]", "_", name.strip()) or "Q"
    if not ITEM_ID_PATTERN.match(out):
        out = "Q" + out
    base, n = out, 2
    while out in taken:
        out, n = f"{base}_{n}", n + 1
    taken.add(out)
    return out


def instrument_id(name: str) -> str:
    """``name`` made a valid instrument id (lower case, digits, ``_``, starting with a letter)."""
    out = re.sub(r"[^a-z0-9_]+", "_", name.strip().lower()).strip("_") or "imported"
    if not ID_PATTERN.match(out):
        out = "q_" + out
    return out


def semver(value: object, notes: list[str]) -> str:
    text = "" if value is None else str(value).strip()
    if text and SEMVER.match(text):
        return text
    if text:
        notes.append(f"version {text!r} is not a semantic version (MAJOR.MINOR.PATCH); "
                     f"the draft is 0.1.0 — pass --version to choose.")
    return "0.1.0"


def complete_text(text: dict[str, str], langs: tuple[str, ...], where: str,
                  notes: list[str]) -> LocalizedText:
    """``text`` with every language of ``langs``; a missing one copies the first present
    (noted, so the designer translates it)."""
    have = {k: v for k, v in text.items() if k in langs and v}
    if not have:
        return LocalizedText()
    first = next(iter(have.values()))
    for lang in langs:
        if lang not in have:
            have[lang] = first
            notes.append(f"{where}: no {lang} text; the {next(iter(text))} text was copied — "
                         f"translate it.")
    return LocalizedText({lang: have[lang] for lang in langs})


def finish(ins: Instrument, notes: list[str], source: Path, fmt: str) -> InstrumentImport:
    """Write ``ins`` as YAML (notes as header comments), read it back with the validator and
    return the import; a problem the validator finds is an error naming the source."""
    shown = f"{source.name} ({fmt})"
    header = [f"Imported from {source.name} ({fmt}) by `surveykit instrument import`."]
    if notes:
        header += ["Not carried over or assumed — check before releasing:"]
        header += [f"- {n}" for n in notes]
    text = instrument_yaml(ins, header=header)
    target = Path(f"{ins.id}/{ins.version}.yaml")
    built, problems = build_instrument(parse_text(text, target, str(target)))
    if built is None:
        listed = "; ".join(f"line {p.line}: {p.message}" for p in problems[:5])
        raise InstrumentError(f"{shown}: the imported questionnaire is not a valid instrument "
                              f"({listed}). Fix the form and import again.")
    return InstrumentImport(instrument=replace(built, path=None), yaml=text,
                            notes=tuple(notes), source=shown)


def numbered(items: list[Item]) -> dict[str, Item]:
    return {it.id: it for it in items}
