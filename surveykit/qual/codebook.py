"""The codebook: codes with bilingual names, definitions and links to survey constructs.

Format (``codebook.yaml``)::

    codebook: regional_synergy          # optional id
    codes:
      - id: trust                       # letters, digits, '_', '-', '.'
        name: {zh: 互信, en: Mutual trust}
        definition: Statements about whether the other side can be relied on.
        inclusion: Judgements of competence, good faith or promise keeping.
        exclusion: Trust in the public or in firms (code elsewhere).
        example: "对方说到做到，这个我们是放心的。"
      - id: trust.goodwill
        parent: trust
        name: {zh: 善意信任, en: Goodwill trust}
        links:                          # instrument_id.scale_id or instrument_id
          - intergovernmental_trust.goodwill_trust
          - {construct: local_protectionism.perceived_prevalence, direction: "-"}
        color: "#1f77b4"                # optional

A link's ``direction`` (``+`` default, or ``-``) says whether coded text speaks for a high
(``+``) or low (``-``) value of the construct; the joint display uses it. A link on a
parent code applies to its descendants too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd

from .._params import PATH, InstanceOf, validate_params
from ..errors import Problem, QualError
from ..instrument.model import Instrument, LocalizedText
from ._io import QualValidationError, did_you_mean, line_of, load_yaml, plain, read_text

__all__ = ["Code", "ConstructLink", "Codebook", "load_codebook", "check_links", "code_names"]

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_COLOR = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
_KEYS = ("id", "name", "definition", "inclusion", "exclusion", "example", "parent", "links",
         "color")


@dataclass(frozen=True)
class ConstructLink:
    """A code's link to a survey construct (``instrument_id.scale_id`` or ``instrument_id``)."""

    construct: str
    direction: str = "+"

    @property
    def instrument_id(self) -> str:
        return self.construct.split(".", 1)[0]

    @property
    def scale_id(self) -> str:
        """The scale id (the instrument id itself for a whole-construct link)."""
        return self.construct.split(".", 1)[1] if "." in self.construct else self.construct


@dataclass(frozen=True)
class Code:
    """One code of the codebook."""

    id: str
    name: LocalizedText
    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    parent: str | None = None
    links: tuple[ConstructLink, ...] = ()
    color: str | None = None

    def label(self, lang: str = "zh") -> str:
        return self.name.in_lang(lang) or self.id


def code_names(codebook: "Codebook | None") -> dict[str, dict[str, str]]:
    """Every code's name in Chinese and English (``{id: {"zh": ..., "en": ...}}``; the id
    where the codebook gives no name in a language); empty without a codebook."""
    if codebook is None:
        return {}
    return {c.id: {lang: c.label(lang) for lang in ("zh", "en")} for c in codebook.codes}


@dataclass(frozen=True)
class Codebook:
    """An immutable codebook (codes in file order)."""

    codes: tuple[Code, ...]
    id: str = "codebook"
    path: str | None = None
    links_checked: bool = False
    _index: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {c.id: c for c in self.codes})

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.codes)

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._index

    def __len__(self) -> int:
        return len(self.codes)

    def code(self, code_id: str) -> Code:
        c = self._index.get(code_id)
        if c is None:
            raise QualError(f"The codebook has no code {code_id!r}.{did_you_mean(code_id, self.ids)}")
        return c

    def children(self, code_id: str | None) -> tuple[Code, ...]:
        return tuple(c for c in self.codes if c.parent == code_id)

    def descendants(self, code_id: str) -> tuple[str, ...]:
        out: list[str] = []
        stack = [code_id]
        while stack:
            cur = stack.pop()
            for ch in self.children(cur):
                out.append(ch.id)
                stack.append(ch.id)
        return tuple(out)

    def linked_codes(self, construct: str) -> dict[str, str]:
        """Codes linked to ``construct`` (directly or via an ancestor) → direction."""
        direct = {c.id: ln.direction for c in self.codes for ln in c.links
                  if ln.construct == construct}
        out = dict(direct)
        for cid, d in direct.items():   # inherited, unless a code has its own link
            for sub in self.descendants(cid):
                out.setdefault(sub, d)
        return {cid: out[cid] for cid in self.ids if cid in out}

    @property
    def constructs(self) -> tuple[str, ...]:
        """Every construct linked by some code, in first-mention order."""
        seen: dict[str, None] = {}
        for c in self.codes:
            for ln in c.links:
                seen.setdefault(ln.construct, None)
        return tuple(seen)

    @property
    def table(self) -> pd.DataFrame:
        """One row per code: code, parent, name_zh, name_en, definition, …, links."""
        rows = [{"code": c.id, "parent": c.parent, "name_zh": c.name.get("zh"),
                 "name_en": c.name.get("en"), "definition": c.definition,
                 "inclusion": c.inclusion, "exclusion": c.exclusion, "example": c.example,
                 "links": "; ".join(f"{ln.construct}({ln.direction})" for ln in c.links),
                 "color": c.color} for c in self.codes]
        return pd.DataFrame(rows, columns=["code", "parent", "name_zh", "name_en", "definition",
                                           "inclusion", "exclusion", "example", "links", "color"])

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the YAML layout (for writing a codebook file)."""
        codes = []
        for c in self.codes:
            d: dict[str, Any] = {"id": c.id, "name": dict(c.name)}
            for k in ("definition", "inclusion", "exclusion", "example"):
                if getattr(c, k):
                    d[k] = getattr(c, k)
            if c.parent:
                d["parent"] = c.parent
            if c.links:
                d["links"] = [ln.construct if ln.direction == "+" else
                              {"construct": ln.construct, "direction": ln.direction}
                              for ln in c.links]
            if c.color:
                d["color"] = c.color
            codes.append(d)
        return {"codebook": self.id, "codes": codes}


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dict):  # bilingual field: keep both, zh first
        return " / ".join(str(x) for x in v.values())
    return str(v)


def _parse_links(raw: Any, file: str, line: int, cid: str, probs: list[Problem]) -> tuple[ConstructLink, ...]:
    if raw is None:
        return ()
    if isinstance(raw, (str, dict)):
        raw = [raw]
    if not isinstance(raw, list):
        probs.append(Problem(file, line, 1, f"code {cid!r}: links must be a list such as "
                                            f"[local_protectionism.market_barriers]; got {raw!r}."))
        return ()
    out = []
    for j, ln in enumerate(raw):
        if isinstance(ln, str):
            out.append(ConstructLink(ln.strip()))
            continue
        if isinstance(ln, dict) and "construct" in ln:
            d = str(ln.get("direction", "+")).strip()
            if d not in ("+", "-"):
                probs.append(Problem(file, line, 1, f"code {cid!r}: link direction {d!r} must be "
                                                    f"'+' or '-'."))
                continue
            out.append(ConstructLink(str(ln["construct"]).strip(), d))
            continue
        probs.append(Problem(file, line, 1, f"code {cid!r}: link {j + 1} must be "
                                            f"'instrument.scale' or {{construct: …, direction: +/-}}."))
    return tuple(out)


def _instrument_scales(instruments: Any) -> dict[str, tuple[str, set[str]]]:
    """instrument id → (ref for messages, scale ids incl. the id itself)."""
    if isinstance(instruments, (Instrument, str)):
        instruments = [instruments]
    out: dict[str, tuple[str, set[str]]] = {}
    for ins in instruments:
        if isinstance(ins, str):
            try:
                from ..instrument.load import load_instrument  # type: ignore[import-not-found]
            except ImportError:
                raise QualError(f"Cannot load instrument {ins!r}: the instrument loader is not "
                                "available. Pass Instrument objects instead.") from None
            ins = load_instrument(ins)
        if not isinstance(ins, Instrument):
            raise QualError(f"instruments must be Instrument objects or instrument ids; got "
                            f"{type(ins).__name__}.")
        scales = set(ins.scale_ids)
        if ins.components:
            for ref in ins.components:
                iid = ref.split("@", 1)[0]
                out[iid] = (ref, scales | {iid})
        else:
            out[ins.id] = (ins.ref, scales | {ins.id})
    return out


def check_links(codebook: Codebook, instruments: Any) -> Codebook:
    """Check every construct link against ``instruments``; return the codebook marked checked.

    Raises
    ------
    QualError
        Listing every unknown instrument or scale with a did-you-mean hint.
    """
    known = _instrument_scales(instruments)
    all_links = [f"{i}.{s}" if s != i else i for i, (_, ss) in known.items() for s in ss]
    probs: list[Problem] = []
    for c in codebook.codes:
        for ln in c.links:
            iid = ln.instrument_id
            file = codebook.path or "codebook"
            if iid not in known:
                probs.append(Problem(file, 0, 0, f"code {c.id!r} links to {ln.construct!r}, but "
                                     f"there is no instrument {iid!r} (known: "
                                     f"{', '.join(sorted(known))}).{did_you_mean(ln.construct, all_links)}"))
            elif ln.scale_id not in known[iid][1]:
                probs.append(Problem(file, 0, 0, f"code {c.id!r} links to {ln.construct!r}, but "
                                     f"{known[iid][0]} has no scale {ln.scale_id!r}."
                                     f"{did_you_mean(ln.construct, all_links)}"))
    if probs:
        raise QualValidationError(probs, header="Codebook construct links do not match the "
                                                "instruments:")
    return Codebook(codes=codebook.codes, id=codebook.id, path=codebook.path, links_checked=True)


#: ``codebook=`` of the qualitative functions: what :func:`load_codebook` returns
CODEBOOK = InstanceOf(Codebook, "a Codebook (from surveykit.load_codebook)", show_type=True)


@validate_params({"path": [PATH], "instruments": [
    InstanceOf((Instrument, str, list, tuple), "an Instrument or a list of Instruments",
               show_type=True), None]})
def load_codebook(path: "str | Path", *, instruments: "Instrument | Sequence[Instrument | str] | None" = None) -> Codebook:
    """Load and validate a codebook YAML file.

    Parameters
    ----------
    path : str or Path
    instruments : Instrument, or sequence of Instrument / instrument ids, optional
        When given, every construct link must name an instrument and one of its scales
        (``instrument_id.scale_id``) or the instrument itself. Ids are loaded with
        ``surveykit.load_instrument``. ``None`` skips the check (``links_checked=False``).

    Notes
    -----
    R equivalent: none (the codebook is surveykit's YAML file).

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import example_study_path
    >>> cb = sk.load_codebook(example_study_path("codebook.yaml"))
    >>> len(cb.codes), cb.ids[:2]
    (22, ('trust', 'trust.competence'))
    """
    p = Path(path)
    file = str(p)
    data = load_yaml(read_text(p, "codebook"), file)
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        raise QualValidationError([Problem(file, 1, 1, "a codebook needs a top-level 'codes:' list.")])
    probs: list[Problem] = []
    codes: list[Code] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(data["codes"]):
        line = line_of(data["codes"], i)
        if not isinstance(raw, dict):
            probs.append(Problem(file, line, 1, f"code {i + 1} must be a mapping with 'id' and 'name'."))
            continue
        cid = str(raw.get("id", "")).strip()
        if not cid or not _ID.match(cid):
            probs.append(Problem(file, line, 1, f"code {i + 1} has no valid 'id' (letters, digits, "
                                                f"'_', '-', '.'); got {raw.get('id')!r}."))
            continue
        if cid in seen:
            probs.append(Problem(file, line, 1, f"code id {cid!r} is used twice (first on line "
                                                f"{seen[cid]}). Code ids must be unique."))
            continue
        seen[cid] = line
        for k in raw:
            if k not in _KEYS:
                probs.append(Problem(file, line_of(raw, k), 1, f"code {cid!r}: unknown field {k!r}."
                                     f"{did_you_mean(k, _KEYS)} Allowed: {', '.join(_KEYS)}."))
        name = raw.get("name")
        if isinstance(name, str):
            name = {"zh": name} if re.search(r"[\u4e00-\u9fff]", name) else {"en": name}
        if not isinstance(name, dict) or not name:
            probs.append(Problem(file, line, 1, f"code {cid!r} needs a name, e.g. "
                                                f"name: {{zh: 互信, en: Mutual trust}}."))
            name = {}
        color = raw.get("color")
        if color is not None and not _COLOR.match(str(color)):
            probs.append(Problem(file, line_of(raw, "color"), 1, f"code {cid!r}: color {color!r} "
                                 f"must look like '#1f77b4'."))
            color = None
        links = _parse_links(plain(raw.get("links")), file, line_of(raw, "links") or line, cid, probs)
        codes.append(Code(id=cid, name=LocalizedText({str(k): str(v) for k, v in name.items()}),
                          definition=_text(plain(raw.get("definition"))),
                          inclusion=_text(plain(raw.get("inclusion"))),
                          exclusion=_text(plain(raw.get("exclusion"))),
                          example=_text(plain(raw.get("example"))),
                          parent=(str(raw["parent"]) if raw.get("parent") else None),
                          links=links, color=(str(color) if color else None)))
    for c in codes:
        if c.parent is not None and c.parent not in seen:
            probs.append(Problem(file, seen[c.id], 1, f"code {c.id!r} names parent {c.parent!r}, "
                                 f"which is not in the codebook.{did_you_mean(c.parent, seen)}"))
    parents = {c.id: c.parent for c in codes}
    for c in codes:  # cycles
        cur, hops = c.parent, 0
        while cur is not None and hops <= len(codes):
            if cur == c.id:
                probs.append(Problem(file, seen[c.id], 1, f"code {c.id!r} is its own ancestor "
                                     f"(parent cycle). Fix the 'parent' fields."))
                break
            cur, hops = parents.get(cur), hops + 1
    if probs:
        raise QualValidationError(probs, header=f"{len(probs)} problem(s) in the codebook {file}:")
    cb = Codebook(codes=tuple(codes), id=str(data.get("codebook") or p.stem), path=file)
    if instruments is not None:
        cb = check_links(cb, instruments)
    return cb


def codebook_from_codes(codes: Iterable[Code], id: str = "codebook") -> Codebook:
    """Build a codebook from :class:`Code` objects (checks ids and parents)."""
    codes = tuple(codes)
    ids = [c.id for c in codes]
    if len(set(ids)) != len(ids):
        raise QualError("Code ids must be unique.")
    for c in codes:
        if c.parent is not None and c.parent not in ids:
            raise QualError(f"code {c.id!r} names parent {c.parent!r}, which is not a code.")
    return Codebook(codes=codes, id=id)
