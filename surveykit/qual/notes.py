"""Case notes: Markdown files with YAML front matter, one per document.

A note is one document of a case — an interview, the minutes of a meeting, a policy
document or a field note — saved as ``<note id>.md`` in a study's notes folder::

    ---
    case_id: CD-DRC
    source_type: interview        # interview | meeting_minutes | policy_document | field_note
    date: 2023-04-18
    region: chengdu
    government_level: city
    department: development_and_reform
    respondent_role: 处长 division director
    language: zh-en
    ---
    访谈正文 … the text that is coded.

The **body** is everything after the closing ``---`` line, exactly as stored (CRLF kept).
Coding offsets count Unicode code points in the body, from 0.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterator, Mapping

import pandas as pd

from .._files import write_bytes
from .._params import PATH, InstanceOf, validate_params
from ..errors import Problem, QualError
from ._io import QualValidationError, did_you_mean, line_of, load_yaml, plain, read_text

__all__ = ["Note", "NoteSet", "read_notes", "read_note", "write_note", "SOURCE_TYPES",
           "REQUIRED_FIELDS", "ATTRIBUTE_FIELDS"]

#: Allowed ``source_type`` values.
SOURCE_TYPES = ("interview", "meeting_minutes", "policy_document", "field_note")
#: Value of required fields that an import could not fill (e.g. from a .qdpx); accepted
#: by :func:`read_note` so imported notes load, and listed for the researcher to complete.
UNKNOWN = "unknown"
#: Front-matter fields every note must have.
REQUIRED_FIELDS = ("case_id", "source_type", "date", "region", "language")
#: The standard attribute fields, in table order (others are kept after these).
ATTRIBUTE_FIELDS = ("case_id", "source_type", "date", "region", "government_level",
                    "department", "respondent_role", "language")

_OPEN = re.compile(r"\A---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(\r?\n|\Z)", re.M)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


@dataclass(frozen=True)
class Note:
    """One case note.

    Attributes
    ----------
    id : str
        Note id (``note_id`` in the front matter, else the file name without ``.md``).
    text : str
        The body that codings point into (code-point offsets from 0).
    meta : Mapping
        Front-matter fields (dates as ISO strings).
    path : str or None
    body_line : int
        1-based line of the file where the body starts (for messages).
    """

    id: str
    text: str
    meta: Mapping[str, Any] = field(default_factory=dict)
    path: str | None = None
    body_line: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))

    @property
    def case_id(self) -> str:
        return str(self.meta.get("case_id", self.id))

    def line_at(self, offset: int) -> int:
        """1-based line in the file of the body position ``offset``."""
        return self.body_line + self.text.count("\n", 0, max(offset, 0))


class NoteSet(Mapping[str, Note]):
    """The notes of a study, by id (a read-only mapping, iteration in file-name order).

    ``attributes`` is a DataFrame indexed by ``note`` with one column per front-matter
    field — the case attributes that frequencies and joint displays group by.
    """

    def __init__(self, notes: "list[Note] | tuple[Note, ...]", folder: str | None = None) -> None:
        self._notes = {n.id: n for n in notes}
        if len(self._notes) != len(notes):
            seen: set[str] = set()
            dup = [n.id for n in notes if n.id in seen or seen.add(n.id)]  # type: ignore[func-returns-value]
            raise QualError(f"Note id {dup[0]!r} is used twice. Give each note a unique "
                            f"file name or note_id.")
        self.folder = folder

    def __getitem__(self, key: str) -> Note:
        try:
            return self._notes[key]
        except KeyError:
            raise QualError(f"There is no note {key!r}.{did_you_mean(key, self._notes)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._notes)

    def __len__(self) -> int:
        return len(self._notes)

    def __contains__(self, key: object) -> bool:
        return key in self._notes

    def __repr__(self) -> str:
        return f"NoteSet({len(self)} notes{', ' + self.folder if self.folder else ''})"

    @property
    def attributes(self) -> pd.DataFrame:
        """Front-matter fields per note (index ``note``), standard fields first."""
        rows = {nid: dict(n.meta) for nid, n in self._notes.items()}
        df = pd.DataFrame.from_dict(rows, orient="index")
        cols = [c for c in ATTRIBUTE_FIELDS if c in df.columns]
        cols += [c for c in df.columns if c not in cols]
        df = df.reindex(columns=cols)
        df.index.name = "note"
        return df.astype(object).where(df.notna(), None).astype("string") if len(df) else df

    def subset(self, ids: "list[str] | tuple[str, ...]") -> "NoteSet":
        return NoteSet([self[i] for i in ids], self.folder)


def _split_front_matter(raw: str, file: str) -> tuple[str, str, int]:
    """Return (yaml text, body, 1-based line where the body starts)."""
    m = _OPEN.match(raw)
    if not m:
        raise QualValidationError([Problem(
            file, 1, 1, "the note does not start with a '---' line opening its YAML front "
                        "matter. Put the case attributes between two '---' lines at the top.")])
    close = _CLOSE.search(raw, m.end())
    if not close:
        raise QualValidationError([Problem(
            file, 1, 1, "the YAML front matter is not closed. Add a line '---' after the "
                        "case attributes.")])
    yaml_text = raw[m.end():close.start()]
    body = raw[close.end():]
    body_line = raw.count("\n", 0, close.end()) + 1
    return yaml_text, body, body_line


def _check_meta(meta: Any, file: str) -> list[Problem]:
    probs: list[Problem] = []
    if not isinstance(meta, dict):
        return [Problem(file, 2, 1, "the front matter must be a mapping of 'field: value' lines.")]
    for f in REQUIRED_FIELDS:
        if f not in meta or meta[f] in (None, ""):
            hint = did_you_mean(f, [str(k) for k in meta])
            probs.append(Problem(file, 2, 1, f"front matter has no {f!r}.{hint} Add '{f}: …' "
                                             f"(required: {', '.join(REQUIRED_FIELDS)})."))
    st = meta.get("source_type")
    if st not in (None, ""):
        norm = str(st).strip().lower().replace(" ", "_").replace("-", "_")
        if norm not in SOURCE_TYPES and norm != UNKNOWN:
            probs.append(Problem(file, line_of(meta, "source_type", 1), 1,
                                 f"source_type {st!r} is not one of {', '.join(SOURCE_TYPES)}."
                                 f"{did_you_mean(norm, SOURCE_TYPES)}"))
        else:
            meta["source_type"] = norm
    for k, v in meta.items():
        if isinstance(v, (dict, list)):
            probs.append(Problem(file, line_of(meta, k, 1), 1,
                                 f"front-matter field {k!r} must be a single value (text, number or "
                                 f"date), not a {'list' if isinstance(v, list) else 'mapping'}."))
    nid = meta.get("note_id")
    if nid is not None and not _ID.match(str(nid)):
        probs.append(Problem(file, line_of(meta, "note_id", 1), 1,
                             f"note_id {nid!r} may hold only letters, digits, '_', '-', '.'."))
    return probs


def read_note(path: "str | Path") -> Note:
    """Read one note file (see the module docstring for the format).

    Raises
    ------
    QualError
        Naming the file and line when the front matter is missing, broken or incomplete.
    """
    p = Path(path)
    raw = read_text(p, "note")
    file = str(p)
    yaml_text, body, body_line = _split_front_matter(raw, file)
    meta = load_yaml(yaml_text, file, line_offset=1)
    probs = _check_meta(meta, file)
    if probs:
        raise QualValidationError(probs)
    meta_plain = plain(meta)
    nid = str(meta_plain.pop("note_id", None) or p.stem)
    if not _ID.match(nid):
        raise QualValidationError([Problem(file, 1, 1, f"the file name {p.name!r} is not a usable "
                                           "note id; rename it (letters, digits, '_', '-') or set "
                                           "note_id in the front matter.")])
    return Note(id=nid, text=body, meta=meta_plain, path=file, body_line=body_line)


#: ``notes=`` of the qualitative functions: what :func:`read_notes` returns
NOTES = InstanceOf(NoteSet, "a NoteSet (from surveykit.read_notes)", show_type=True)


@validate_params({"folder": [PATH]})
def read_notes(folder: "str | Path") -> NoteSet:
    """Read every ``*.md`` note in ``folder`` (sorted by file name).

    All problems in all files are collected and raised together.

    Notes
    -----
    R equivalent: none (case notes are Markdown files with YAML front matter).

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import example_study_path
    >>> notes = sk.read_notes(example_study_path("notes"))
    >>> len(notes), notes.attributes["region"].value_counts().to_dict()
    (12, {'chongqing': 5, 'chengdu': 4, 'joint': 3})
    """
    d = Path(folder)
    if not d.is_dir():
        raise QualError(f"{d}: notes folder not found. Pass the folder that holds the *.md notes.")
    files = sorted(p for p in d.glob("*.md") if p.name.lower() != "readme.md")
    if not files:
        raise QualError(f"{d}: no *.md case notes found in this folder.")
    notes: list[Note] = []
    probs: list[Problem] = []
    for f in files:
        try:
            notes.append(read_note(f))
        except QualValidationError as e:
            probs.extend(e.problems)
    if probs:
        raise QualValidationError(probs, header=f"{len(probs)} problem(s) in the notes of {d}:")
    return NoteSet(notes, str(d))


def write_note(path: "str | Path", note: Note) -> Path:
    """Write ``note`` as Markdown with YAML front matter (body bytes kept exactly)."""
    from ._io import dump_yaml

    p = Path(path)
    meta = dict(note.meta)
    if note.id != p.stem:
        meta = {"note_id": note.id, **meta}
    head = dump_yaml(meta) if meta else ""
    nl = "\r\n" if "\r\n" in note.text and "\n" not in note.text.replace("\r\n", "") else "\n"
    data = "---" + nl + head.replace("\n", nl) + "---" + nl + note.text
    write_bytes(p, data.encode("utf-8"))
    return p
