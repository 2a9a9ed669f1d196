"""Validate instrument files and folders, reporting every problem in one run.

``validate_instruments(["instruments/"])`` checks each version file (keys, types, labels
for every declared language, cross-references, skip conditions, ...; see
:mod:`surveykit.instrument.parse`), then the folder rules:

* the file ``<root>/<id>/<version>.yaml`` says the same ``id`` and ``version`` as its path;
* every version listed in ``instruments.lock`` exists and still has its recorded SHA-256
  (released versions are frozen — change them through a new version);
* item and scale ids are unique across instruments (they are joined into one questionnaire).

Each problem is a :class:`~surveykit.errors.Problem` printed as ``file:line:column: message``.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._params import PATH, InstanceOf, validate_params
from ..errors import Problem, ValidationError
from .folders import path_rules
from .lock import LOCK_NAME, check_lock, file_sha256
from .model import Instrument
from .parse import build_instrument
from .semver import is_semver
from .source import read_source, value_pos
from .versions import CHANGELOG_PLACEHOLDER

__all__ = ["validate_instruments", "InstrumentCheck"]


@dataclass(frozen=True)
class InstrumentCheck:
    """What :func:`validate_instruments` found.

    Attributes
    ----------
    files : tuple of str
        Every instrument file checked.
    problems : tuple of Problem
        Everything wrong, in file order (empty when all is well).
    instruments : tuple of Instrument
        The files that are valid, as models.
    released, drafts : tuple of str
        ``id@version`` of released versions (in a lock file) and of drafts.
    """

    files: tuple[str, ...]
    problems: tuple[Problem, ...]
    instruments: tuple[Instrument, ...] = ()
    released: tuple[str, ...] = ()
    drafts: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def table(self) -> Any:
        """One row per problem: file, line, column, key, message."""
        import pandas as pd

        return pd.DataFrame([{"file": p.file, "line": p.line, "column": p.column, "key": p.key,
                              "message": p.message} for p in self.problems],
                            columns=["file", "line", "column", "key", "message"])

    def summary(self) -> str:
        n, f = len(self.problems), len(self.files)
        if n:
            bad = len({p.file for p in self.problems})
            return (f"{n} problem{'s' if n != 1 else ''} in {bad} of {f} file"
                    f"{'s' if f != 1 else ''}.")
        return (f"{f} instrument file{'s' if f != 1 else ''} valid ({len(self.released)} "
                f"released, {len(self.drafts)} draft{'s' if len(self.drafts) != 1 else ''}).")

    def __str__(self) -> str:
        return "\n".join([*(str(p) for p in self.problems), self.summary()])

    def raise_for_problems(self) -> "InstrumentCheck":
        """Raise :class:`ValidationError` listing every problem (return self when clean)."""
        if self.problems:
            raise ValidationError(self.problems, header=self.summary())
        return self


def _display(p: Path) -> str:
    try:
        rel = os.path.relpath(p)
    except ValueError:  # pragma: no cover
        return str(p)
    return rel if not rel.startswith("..") else str(p)


def _expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem], set[Path]]:
    files: list[Path] = []
    problems: list[Problem] = []
    roots: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.suffix.lower() in (".yaml", ".yml")
                           and q.is_file())
            if (p / LOCK_NAME).is_file():
                roots.add(p.resolve())
            if not found and not (p / LOCK_NAME).is_file():
                problems.append(Problem(_display(p), 0, 0, "no instrument files (*.yaml) in this "
                                                          "folder."))
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            problems.append(Problem(str(raw), 0, 0, "no such file or folder. Check the path."))
    seen: set[Path] = set()
    unique = []
    for f in files:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(f)
            root = r.parent.parent
            if (root / LOCK_NAME).is_file():
                roots.add(root)
    return unique, problems, roots


@validate_params({"paths": [PATH, InstanceOf((list, tuple), "a list of paths")]})
def validate_instruments(paths: Iterable[str | Path] | str | Path = ("instruments",)
                         ) -> InstrumentCheck:
    """Check instrument files and folders; collect every problem instead of stopping.

    Parameters
    ----------
    paths : path or iterable of paths
        Files (``instruments/local_protectionism/1.1.0.yaml``) and/or folders
        (``instruments/``, searched recursively).

    Returns
    -------
    InstrumentCheck
        ``.ok``, ``.problems`` (``file:line:column: message``), ``.table``; call
        ``.raise_for_problems()`` to turn problems into a :class:`ValidationError`.

    Notes
    -----
    R equivalent: none (checks surveykit's instrument YAML files).

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.instrument.load import bundled_root
    >>> check = sk.validate_instruments([bundled_root()])     # the study instruments shipped
    >>> check.ok, str(check)
    (True, '7 instrument files valid (7 released, 0 drafts).')
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files, problems, roots = _expand(paths)
    instruments: list[Instrument] = []
    located: dict[str, tuple[Any, str]] = {}  # file -> (round-trip data, display)
    for f in files:
        shown = _display(f)
        src = read_source(f, shown)
        ins, probs = build_instrument(src)
        problems.extend(probs)
        problems.extend(path_rules(f, src.data, shown))
        if ins is not None:
            from dataclasses import replace

            ins = replace(ins, path=str(f), sha256=file_sha256(f))
            instruments.append(ins)
            located[str(f.resolve())] = (src.data, shown)
    released, drafts, lock_problems = _lock_rules(files, roots)
    problems.extend(lock_problems)
    problems.extend(_unlocked_trees(files, roots))
    problems.extend(_unique_across(instruments, located))
    notes = tuple(f"{i.ref} is a draft with a placeholder changelog; describe the changes "
                  f"before releasing." for i in instruments
                  if i.ref in drafts and any(CHANGELOG_PLACEHOLDER in t
                                             for t in i.changelog.values()))
    order = {_display(f): k for k, f in enumerate(files)}
    problems.sort(key=lambda p: (order.get(p.file, len(order)), p.line, p.column))
    return InstrumentCheck(files=tuple(_display(f) for f in files), problems=tuple(problems),
                           instruments=tuple(instruments), released=tuple(released),
                           drafts=tuple(drafts), notes=notes)


def _lock_rules(files: list[Path], roots: set[Path]) -> tuple[list[str], list[str], list[Problem]]:
    released: list[str] = []
    drafts: list[str] = []
    problems: list[Problem] = []
    checked = {f.resolve() for f in files}
    for root in sorted(roots):
        lock_path = root / LOCK_NAME
        shown_lock = _display(lock_path)
        where: dict[tuple[str, str], tuple[int, int]] = {}
        lock, bad = check_lock(lock_path, shown_lock, positions=where)
        problems.extend(bad)
        if bad and not lock:
            continue
        for iid, versions in lock.items():
            for ver, digest in versions.items():
                path = root / iid / f"{ver}.yaml"
                if not path.is_file():
                    problems.append(Problem(
                        shown_lock, *where.get((iid, ver), (0, 0)), f"{iid} {ver} is released "
                        f"but {_display(path)} is missing. Restore it from git (released versions "
                        f"are never deleted).", f"{iid}.{ver}"))
                    continue
                if path.resolve() not in checked:
                    continue
                released.append(f"{iid}@{ver}")
                if file_sha256(path) != digest:
                    problems.append(Problem(
                        _display(path), 1, 1,
                        f"released version {iid} {ver} has changed since it was released "
                        f"(its SHA-256 no longer matches {shown_lock}). Released versions are "
                        f"frozen: undo the edit (git checkout -- {_display(path)}) and make the "
                        f"change in a new version: surveykit instrument new-version {iid} "
                        f"--minor (or --patch for a typo, --major for a new construct).",
                        "sha256"))
        for f in files:
            r = f.resolve()
            if r.parent.parent == root and is_semver(f.stem):
                iid, ver = r.parent.name, f.stem
                if ver not in lock.get(iid, {}):
                    drafts.append(f"{iid}@{ver}")
    return released, drafts, problems


def _unlocked_trees(files: list[Path], roots: set[Path]) -> list[Problem]:
    """An instrument tree without ``instruments.lock`` whose files show a release happened.

    ``new-version`` copies a *released* version forward, so a second version of an
    instrument (or a first version beyond 1.0.0/0.1.0) means the tree had a lock: without
    it every file would count as released and edits to released versions go unnoticed.
    """
    trees: dict[Path, set[Path]] = {}
    for f in files:
        r = f.resolve()
        if is_semver(f.stem) and r.parent.parent not in roots:
            trees.setdefault(r.parent.parent, set()).add(r)
    out = []
    for root, members in sorted(trees.items()):
        by_id: dict[str, list[str]] = {}
        for r in members:
            by_id.setdefault(r.parent.name, []).append(r.stem)
        evidence = [(i, vs) for i, vs in sorted(by_id.items())
                    if len(vs) > 1 or any(v not in ("0.0.1", "0.1.0", "1.0.0") for v in vs)]
        if not evidence:
            continue
        iid, vs = evidence[0]
        out.append(Problem(_display(root / LOCK_NAME), 0, 0,
                           f"no lock file, yet {iid} has version(s) {', '.join(sorted(vs))} "
                           f"that only come from a release (new-version copies a released "
                           f"version). Without the lock every version counts as released and "
                           f"edits to released versions go unnoticed. Restore it from git (git "
                           f"checkout -- {_display(root / LOCK_NAME)}), or release the versions "
                           f"again with `surveykit instrument release ID VERSION`.", "lock"))
    return out


def _unique_across(instruments: list[Instrument], located: dict[str, tuple[Any, str]]
                   ) -> list[Problem]:
    """Item and scale ids may not be shared by two different instruments."""
    out: list[Problem] = []
    item_owner: dict[str, str] = {}
    scale_owner: dict[str, str] = {}
    for ins in instruments:
        data, shown = located.get(str(Path(ins.path or "").resolve()), (None, ins.path or ""))
        for k, it in enumerate(_item_nodes(data)):
            iid = it.get("id")
            owner = item_owner.setdefault(iid, ins.id) if isinstance(iid, str) else ins.id
            if owner != ins.id:
                line, col = value_pos(it, "id")
                out.append(Problem(shown, line, col, f"items[{k}].id: item id {iid!r} is also "
                                   f"used by instrument {owner!r}. Item ids must be unique across "
                                   f"the study (they become one questionnaire); choose another.",
                                   f"items[{k}].id"))
        for k, sc in enumerate(_scale_nodes(data)):
            sid = sc.get("id")
            owner = scale_owner.setdefault(sid, ins.id) if isinstance(sid, str) else ins.id
            if owner != ins.id:
                line, col = value_pos(sc, "id")
                out.append(Problem(shown, line, col, f"scales[{k}].id: scale id {sid!r} is also "
                                   f"used by instrument {owner!r}. Scale ids must be unique across "
                                   f"the study; choose another.", f"scales[{k}].id"))
    return out


def _item_nodes(data: Any) -> list[Any]:
    seq = data.get("items") if isinstance(data, dict) else None
    return [n for n in seq if isinstance(n, dict)] if isinstance(seq, list) else []


def _scale_nodes(data: Any) -> list[Any]:
    seq = data.get("scales") if isinstance(data, dict) else None
    return [n for n in seq if isinstance(n, dict)] if isinstance(seq, list) else []
