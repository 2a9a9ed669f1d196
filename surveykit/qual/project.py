"""The REFI-QDA project model (:class:`QdaProject`) and its mapping to surveykit files.

A :class:`QdaProject` mirrors the parts of a QDA-XML 1.0 project that text coding
needs: users (coders), the code tree, variables, cases with their variable values,
text sources with their plain text, selections (``PlainTextSelection``, start/end in
code points) and the codings on them (code + creating user). It is immutable;
:mod:`surveykit.qual.qdpx` reads and writes it.

:meth:`QdaProject.from_study` builds one from notes, codebook and codings;
:meth:`QdaProject.to_study` writes notes, ``codebook.yaml`` and one codings file per
coder back. GUIDs are derived from ids (uuid5), so exporting the same study twice gives
the same file.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pandas as pd

from .._files import write_text
from ..errors import OutputError, QualError
from ..instrument.model import LocalizedText
from .codebook import Code, Codebook, ConstructLink
from .codings import Codings, make_segment, write_codings
from .notes import ATTRIBUTE_FIELDS, REQUIRED_FIELDS, UNKNOWN, Note, NoteSet, write_note

__all__ = ["QdaProject", "QdaUser", "QdaCode", "QdaCoding", "QdaSelection", "QdaSource",
           "QdaVariable", "QdaCase", "stable_guid"]

_NS = uuid.UUID("5b1c7f0e-2b43-4c8e-9a51-7d0c9e3f6a21")
_META = "[surveykit]"


def stable_guid(kind: str, key: str) -> str:
    """A GUID derived from ``kind`` and ``key`` (same input → same GUID)."""
    return str(uuid.uuid5(_NS, f"{kind}:{key}"))


@dataclass(frozen=True)
class QdaUser:
    guid: str
    name: str = ""


@dataclass(frozen=True)
class QdaCode:
    guid: str
    name: str
    description: str = ""
    color: str | None = None
    is_codable: bool = True
    children: tuple["QdaCode", ...] = ()


@dataclass(frozen=True)
class QdaCoding:
    guid: str
    code_guid: str
    user_guid: str | None = None


@dataclass(frozen=True)
class QdaSelection:
    """A ``PlainTextSelection``: ``start``/``end`` in code points of the source text."""

    guid: str
    start: int
    end: int
    name: str = ""
    description: str = ""
    user_guid: str | None = None
    codings: tuple[QdaCoding, ...] = ()


@dataclass(frozen=True)
class QdaVariable:
    guid: str
    name: str
    type: str = "Text"   # Text, Boolean, Integer, Float, Date, DateTime
    description: str = ""


@dataclass(frozen=True)
class QdaSource:
    """A text source: name, plain text, selections and its own variable values."""

    guid: str
    name: str
    text: str
    selections: tuple[QdaSelection, ...] = ()
    values: tuple[tuple[str, Any], ...] = ()   # (variable guid, value)
    description: str = ""


@dataclass(frozen=True)
class QdaCase:
    guid: str
    name: str
    values: tuple[tuple[str, Any], ...] = ()   # (variable guid, value)
    source_guids: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class QdaProject:
    """A REFI-QDA project (immutable). See the module docstring."""

    name: str
    users: tuple[QdaUser, ...] = ()
    codes: tuple[QdaCode, ...] = ()
    variables: tuple[QdaVariable, ...] = ()
    cases: tuple[QdaCase, ...] = ()
    sources: tuple[QdaSource, ...] = ()
    origin: str = "surveykit"
    description: str = ""
    skipped: tuple[str, ...] = field(default=(), compare=False)
    #: how the selection positions of a read .qdpx were counted, and why (read_qdpx)
    positions: str = field(default="", compare=False)

    # -- views -----------------------------------------------------------------------
    def iter_codes(self) -> Iterator[tuple[QdaCode, str | None]]:
        """Every code with its parent's guid (depth first, document order)."""
        stack = [(c, None) for c in reversed(self.codes)]
        while stack:
            c, parent = stack.pop()
            yield c, parent
            stack.extend((ch, c.guid) for ch in reversed(c.children))

    @property
    def n_codes(self) -> int:
        return sum(1 for _ in self.iter_codes())

    @property
    def n_selections(self) -> int:
        return sum(len(s.selections) for s in self.sources)

    @property
    def n_codings(self) -> int:
        return sum(len(sel.codings) for s in self.sources for sel in s.selections)

    def codings_frame(self) -> pd.DataFrame:
        """One row per coding: source, start, end, quote, code (name), code_guid, user."""
        codes = {c.guid: c.name for c, _ in self.iter_codes()}
        users = {u.guid: (u.name or u.guid) for u in self.users}
        rows = []
        for s in self.sources:
            for sel in s.selections:
                for cd in sel.codings:
                    rows.append({"source": s.name, "start": sel.start, "end": sel.end,
                                 "quote": s.text[sel.start:sel.end],
                                 "code": codes.get(cd.code_guid, cd.code_guid),
                                 "code_guid": cd.code_guid,
                                 "user": users.get(cd.user_guid or sel.user_guid or "", "")})
        return pd.DataFrame(rows, columns=["source", "start", "end", "quote", "code", "code_guid",
                                           "user"])

    def __repr__(self) -> str:
        return (f"QdaProject({self.name!r}: {len(self.users)} users, {self.n_codes} codes, "
                f"{len(self.sources)} sources, {self.n_selections} selections, "
                f"{self.n_codings} codings, {len(self.cases)} cases)")

    # -- from surveykit files ----------------------------------------------------------
    @classmethod
    def from_study(cls, notes: NoteSet, codebook: Codebook, codings: Codings | None = None, *,
                   name: str = "surveykit project") -> "QdaProject":
        """Build a project from notes, codebook and (optionally) codings.

        Front-matter fields that are the same in every note of a case become case
        variables; the others become variables of the text source.
        """
        f = codings.frame if codings is not None else pd.DataFrame(
            columns=["note", "code", "coder", "start", "end", "memo"])
        unknown = sorted(set(f["code"]) - set(codebook.ids))
        if unknown:
            raise QualError(f"Codings use code(s) not in the codebook: {', '.join(unknown[:5])}.")
        missing = sorted(set(f["note"]) - set(notes))
        if missing:
            raise QualError(f"Codings name note(s) that are not among the notes: {', '.join(missing[:5])}.")
        coders = sorted(set(f["coder"]))
        users = tuple(QdaUser(stable_guid("user", c), c) for c in coders)
        ugid = {u.name: u.guid for u in users}
        cgid = {c.id: stable_guid("code", c.id) for c in codebook.codes}

        def build(parent: str | None) -> tuple[QdaCode, ...]:
            return tuple(QdaCode(cgid[c.id], _code_name(c), _code_description(c), c.color, True,
                                 build(c.id)) for c in codebook.children(parent))

        codes = build(None)
        attrs = notes.attributes
        by_case: dict[str, list[str]] = {}
        for nid in notes:
            by_case.setdefault(notes[nid].case_id, []).append(nid)
        var_names = [c for c in attrs.columns if c != "case_id"]
        case_level = [v for v in var_names
                      if all(len({repr(notes[n].meta.get(v)) for n in ids}) == 1
                             and notes[ids[0]].meta.get(v) is not None for ids in by_case.values())]
        variables = tuple(QdaVariable(stable_guid("variable", v), v, _var_type(
            [notes[n].meta.get(v) for n in notes if notes[n].meta.get(v) is not None]),
            description="case" if v in case_level else "source") for v in var_names)
        vgid = {v.name: v.guid for v in variables}
        sources = []
        for nid in notes:
            note = notes[nid]
            segs = f[f["note"] == nid].sort_values(["start", "end", "coder", "code"])
            sels = tuple(QdaSelection(
                guid=stable_guid("selection", f"{nid}:{r.start}:{r.end}:{r.coder}:{r.code}"),
                start=int(r.start), end=int(r.end), name=_snippet(note.text[r.start:r.end]),
                description=str(r.memo or ""), user_guid=ugid[r.coder],
                codings=(QdaCoding(stable_guid("coding", f"{nid}:{r.start}:{r.end}:{r.coder}:{r.code}"),
                                   cgid[r.code], ugid[r.coder]),))
                for r in segs.itertuples(index=False))
            vals = tuple((vgid[v], note.meta[v]) for v in var_names
                         if v not in case_level and note.meta.get(v) is not None)
            sources.append(QdaSource(stable_guid("source", nid), nid, note.text, sels, vals))
        cases = tuple(QdaCase(stable_guid("case", cid), cid,
                              tuple((vgid[v], notes[ids[0]].meta[v]) for v in case_level),
                              tuple(stable_guid("source", n) for n in ids))
                      for cid, ids in by_case.items())
        return cls(name=name, users=users, codes=codes, variables=variables, cases=cases,
                   sources=tuple(sources))

    # -- to surveykit files -------------------------------------------------------------
    def to_codebook(self) -> Codebook:
        """The code tree as a :class:`Codebook` (surveykit fields restored when present)."""
        out: list[Code] = []
        ids: dict[str, str] = {}
        used: set[str] = set()
        for c, parent in self.iter_codes():
            meta, definition = _parse_description(c.description)
            slug = _slug(c.name, ids.get(parent or "", "")) or _slug(f"code_{c.guid}", "") or "code"
            cid = str(meta.get("id") or _unique(slug, used))
            used.add(cid)
            ids[c.guid] = cid
            name = meta.get("name") or _split_name(c.name)
            links = tuple(ConstructLink(ln) if isinstance(ln, str) else
                          ConstructLink(str(ln["construct"]), str(ln.get("direction", "+")))
                          for ln in meta.get("links", []) or [])
            out.append(Code(id=cid, name=LocalizedText({str(k): str(v) for k, v in name.items()}),
                            definition=definition, inclusion=str(meta.get("inclusion", "")),
                            exclusion=str(meta.get("exclusion", "")),
                            example=str(meta.get("example", "")),
                            parent=ids.get(parent) if parent else None, links=links,
                            color=c.color))
        return Codebook(codes=tuple(out), id=_slug(self.name, "") or "codebook")

    def to_notes(self) -> NoteSet:
        """Sources as notes; case and source variables become front-matter fields.

        Required fields the project does not provide (a foreign tool has no
        ``source_type``) are set to ``"unknown"`` for the researcher to complete.
        """
        vname = {v.guid: v.name for v in self.variables}
        case_of: dict[str, QdaCase] = {}
        for case in self.cases:
            for sg in case.source_guids:
                case_of.setdefault(sg, case)
        notes = []
        used: set[str] = set()
        for s in self.sources:
            nid = _unique(_slug(s.name, "") or "source", used)
            used.add(nid)
            meta: dict[str, Any] = {}
            case = case_of.get(s.guid)
            meta["case_id"] = case.name if case else nid
            for g, v in (case.values if case else ()):
                meta[vname.get(g, g)] = v
            for g, v in s.values:
                meta[vname.get(g, g)] = v
            for k in REQUIRED_FIELDS:   # a foreign project may lack them: mark for completion
                if meta.get(k) in (None, ""):
                    meta[k] = UNKNOWN
            order = [k for k in ATTRIBUTE_FIELDS if k in meta] + [k for k in meta if k not in ATTRIBUTE_FIELDS]
            notes.append(Note(id=nid, text=s.text, meta={k: meta[k] for k in order}))
        return NoteSet(notes)

    def to_codings(self, context: int = 20) -> Codings:
        """Every coding as a segment (coder = user name; memo = selection description)."""
        cb = self.to_codebook()
        code_id = {c.guid: cb.codes[i].id for i, (c, _) in enumerate(self.iter_codes())}
        users = {u.guid: (u.name or u.guid) for u in self.users}
        notes = self.to_notes()
        rows = []
        for s, nid in zip(self.sources, list(notes)):
            note = notes[nid]
            for sel in s.selections:
                for cd in sel.codings:
                    if cd.code_guid not in code_id:
                        raise QualError(f"Source {s.name!r}: a coding refers to code {cd.code_guid}, "
                                        f"which is not in the codebook of the project.")
                    coder = users.get(cd.user_guid or sel.user_guid or "", "") or "unknown"
                    seg = make_segment(note, sel.start, sel.end, code=code_id[cd.code_guid],
                                       coder=coder, memo=sel.description, context=context)
                    rows.append({**seg, "memo": sel.description, "file": "", "line": 0, "pos": 0})
        frame = pd.DataFrame(rows, columns=["note", "code", "coder", "start", "end", "quote",
                                            "before", "after", "memo", "file", "line", "pos"])
        return Codings.from_frame(frame)

    def to_study(self, folder: "str | Path", *, overwrite: bool = False) -> dict[str, Path]:
        """Write ``notes/*.md``, ``codebook.yaml`` and ``codings/<coder>.yaml`` under ``folder``."""
        from ._io import dump_yaml

        root = Path(folder)
        if root.exists() and not root.is_dir():
            raise OutputError(f"Cannot write {root}: it is a file, not a folder. Give an empty "
                              f"folder (or a new name) for notes/, codebook.yaml and codings/.",
                              path=str(root))
        if root.exists() and any(root.iterdir()) and not overwrite:
            raise QualError(f"{root}: folder is not empty. Choose an empty folder or pass "
                            f"overwrite=True (--overwrite).")
        notes = self.to_notes()             # everything is built before anything is written,
        cb = self.to_codebook()             # so a project that cannot be converted leaves
        cod = self.to_codings()             # no half-written study behind
        for nid in notes:
            write_note(root / "notes" / f"{nid}.md", notes[nid])
        write_text(root / "codebook.yaml", dump_yaml(cb.to_dict()))
        try:
            (root / "codings").mkdir(parents=True, exist_ok=True)   # there even when empty
        except OSError as e:
            raise OutputError(f"Cannot write {root / 'codings'}: {e.strerror or e}. Choose "
                              f"another output folder.", path=str(root / "codings")) from None
        for coder in cod.coders:
            segs = cod.frame[cod.frame["coder"] == coder].to_dict("records")
            write_codings(segs, root / "codings" / f"{_slug(coder, '') or 'coder'}.yaml", coder=coder)
        return {"notes": root / "notes", "codebook": root / "codebook.yaml",
                "codings": root / "codings"}


# -- helpers -------------------------------------------------------------------------------

def _code_name(c: Code) -> str:
    zh, en = c.name.get("zh"), c.name.get("en")
    if zh and en:
        return f"{zh} / {en}"
    return zh or en or c.name.in_lang("zh") or c.id


def _code_description(c: Code) -> str:
    from ._io import dump_yaml

    d = {k: v for k, v in Codebook(codes=(c,)).to_dict()["codes"][0].items()
         if k not in ("definition", "parent", "color")}
    return (c.definition + "\n\n" if c.definition else "") + _META + "\n" + dump_yaml(d)


def _parse_description(desc: str) -> tuple[dict[str, Any], str]:
    if _META not in (desc or ""):
        return {}, (desc or "").strip()
    head, _, tail = desc.partition(_META)
    from .._yaml import YamlError, load_yaml

    try:
        meta = load_yaml(tail, "a code description", typ="safe")
    except YamlError:
        return {}, desc.strip()
    return (meta if isinstance(meta, dict) else {}), head.strip()


def _split_name(name: str) -> dict[str, str]:
    if " / " in name:
        zh, en = name.split(" / ", 1)
        return {"zh": zh, "en": en}
    return {"zh": name} if re.search(r"[\u4e00-\u9fff]", name) else {"en": name}


def _slug(name: str, parent: str) -> str:
    s = re.sub(r"[^\w.\-]+", "_", str(name).strip(), flags=re.UNICODE).strip("_.-")
    s = re.sub(r"[^A-Za-z0-9_.\-]", "", s) or ""
    if not s and name:
        s = "code_" + uuid.uuid5(_NS, str(name)).hex[:8]
    return f"{parent}.{s}" if parent and s else s


def _unique(s: str, used: set[str]) -> str:
    if s not in used:
        return s
    i = 2
    while f"{s}_{i}" in used:
        i += 1
    return f"{s}_{i}"


def _snippet(s: str, n: int = 40) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _var_type(values: list[Any]) -> str:
    if values and all(isinstance(v, bool) for v in values):
        return "Boolean"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "Integer"
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "Float"
    return "Text"
