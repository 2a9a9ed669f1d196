"""Find and load instruments: ``load_instrument("local_protectionism")``.

Where instruments are looked up
-------------------------------
``root=`` given
    Only that folder (``<root>/<id>/<version>.yaml``).
``root=None`` (default)
    First ``./instruments`` in the current directory (a designer's project), then the
    copy of the study instruments shipped inside the package
    (``surveykit/instrument/data/instruments``; a test keeps it identical to the
    repository's ``instruments/``), so ``load_instrument("local_protectionism")`` works
    from any directory once surveykit is installed.

Which version
-------------
``version=None`` loads the latest *released* version: the highest version listed in the
folder's ``instruments.lock``. Without a lock file every version file counts as released.
Drafts (files not in the lock) load only when asked for by version.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from .._params import PATH, InstanceOf, validate_params
from ..errors import InstrumentError, ValidationError
from .folders import path_rules
from .lock import file_sha256, read_lock
from .model import Instrument, LocalizedText, combine
from .parse import build_instrument
from .semver import is_semver, semver_key
from .source import read_source

__all__ = ["load_instrument", "read_instrument", "load_study_instruments", "load_questionnaire",
           "instrument_roots", "bundled_root", "list_versions", "released_versions",
           "instrument_file", "STUDY_INSTRUMENTS"]

#: The example study's instruments in questionnaire order.
STUDY_INSTRUMENTS = ("respondent_profile", "intergovernmental_trust", "local_protectionism",
                     "reward_punishment", "regional_synergy")


def bundled_root() -> Path:
    """Folder of the study instruments shipped with the package."""
    return Path(__file__).resolve().parent / "data" / "instruments"


def instrument_roots(root: str | Path | None = None) -> list[Path]:
    """Folders searched for instruments, in order (see the module docstring)."""
    if root is not None:
        return [Path(root)]
    roots = []
    local = Path.cwd() / "instruments"
    if local.is_dir():
        roots.append(local)
    b = bundled_root()
    if b.is_dir() and all(b.resolve() != r.resolve() for r in roots):
        roots.append(b)
    return roots


def list_versions(instrument_id: str, root: str | Path) -> list[str]:
    """Every version file of an instrument in ``root`` (released or draft), oldest first."""
    folder = Path(root) / instrument_id
    if not folder.is_dir():
        return []
    return sorted((p.stem for p in folder.glob("*.yaml") if is_semver(p.stem)), key=semver_key)


def released_versions(instrument_id: str, root: str | Path) -> list[str]:
    """Released versions (in the lock file; all files if there is no lock), oldest first."""
    files = list_versions(instrument_id, root)
    lock = read_lock(root)
    if lock is None:
        return files
    return [v for v in files if v in lock.get(instrument_id, {})]


def instrument_file(instrument_id: str, version: str | None = None, *,
                    root: str | Path | None = None) -> Path:
    """Path of an instrument version file (latest released when ``version`` is None).

    Raises
    ------
    InstrumentError
        When no searched folder has the instrument or the version, naming what exists.
    """
    roots = instrument_roots(root)
    for r in roots:
        files = list_versions(instrument_id, r)
        if not files:
            continue
        if version is not None:
            if version in files:
                return Path(r) / instrument_id / f"{version}.yaml"
            raise InstrumentError(
                f"Instrument {instrument_id!r} has no version {version!r} in {r} "
                f"(versions: {', '.join(files)}).")
        released = released_versions(instrument_id, r)
        if not released:
            raise InstrumentError(
                f"Instrument {instrument_id!r} in {r} has no released version yet (drafts: "
                f"{', '.join(files)}). Load a draft with version=..., or release it with "
                f"`surveykit instrument release {instrument_id} {files[-1]}`.")
        return Path(r) / instrument_id / f"{released[-1]}.yaml"
    known = sorted({p.name for r in roots if Path(r).is_dir() for p in Path(r).iterdir()
                    if p.is_dir() and list_versions(p.name, r)})
    import difflib

    close = difflib.get_close_matches(instrument_id, known, n=3)
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    where = ", ".join(str(r) for r in roots) or "./instruments (missing)"
    raise InstrumentError(f"No instrument {instrument_id!r} in {where}.{hint} "
                          f"Known instruments: {', '.join(known) or 'none'}.")


def read_instrument(path: str | Path) -> Instrument:
    """Read and check one instrument file.

    Raises
    ------
    ValidationError
        Listing every problem as ``file:line:column: message``.
    """
    p = Path(path)
    st = _stat(p)
    ins = _read_cached(str(p.resolve()) if p.exists() else str(p), *st)
    _warn_if_changed(p, ins)
    return ins


def _warn_if_changed(p: Path, ins: Instrument) -> None:
    """Warn when a released version no longer matches its hash in the lock file."""
    import warnings

    from ..errors import SurveykitWarning

    root = p.resolve().parent.parent
    try:
        lock = read_lock(root)
    except InstrumentError:
        return
    recorded = (lock or {}).get(p.resolve().parent.name, {}).get(p.stem)
    if recorded is not None and recorded != ins.sha256:
        warnings.warn(f"{_display(p)} has changed since {ins.ref} was released (its SHA-256 no "
                      f"longer matches {_display(root / 'instruments.lock')}). Run `surveykit "
                      f"instrument validate` and make the change in a new version.",
                      SurveykitWarning, stacklevel=3)


def _stat(p: Path) -> tuple[int, int]:
    try:
        s = p.stat()
        return (s.st_mtime_ns, s.st_size)
    except OSError:
        return (0, -1)


@lru_cache(maxsize=128)
def _read_cached(path: str, _mtime: int, _size: int) -> Instrument:
    shown = _display(Path(path))
    src = read_source(path, shown)
    ins, problems = build_instrument(src)
    # the same folder rules as validate: <root>/<id>/<version>.yaml says that id and version
    problems = [*problems, *path_rules(Path(path), src.data, shown)]
    if problems or ins is None:
        raise ValidationError(problems, header=f"{shown} is not a valid instrument "
                                               f"({len(problems)} problem"
                                               f"{'s' if len(problems) != 1 else ''}):")
    from dataclasses import replace

    return replace(ins, sha256=file_sha256(path), path=path)


def _display(p: Path) -> str:
    try:
        return os.path.relpath(p)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(p)


#: ``root=``: the folder holding ``instruments/`` (default: the working folder, then the bundled one)
ROOT = [PATH, None]
#: ``versions=``: instrument id -> version to load
VERSIONS = [InstanceOf(dict, "a dict of instrument id -> version"), None]


@validate_params({"id_or_path": [InstanceOf(Instrument, "an Instrument"), PATH],
                  "version": [InstanceOf(str, "a version such as '1.0.0'"), None], "root": ROOT})
def load_instrument(id_or_path: str | Path, version: str | None = None, *,
                    root: str | Path | None = None) -> Instrument:
    """Load one instrument version as an immutable :class:`Instrument`.

    Parameters
    ----------
    id_or_path : str or Path
        An instrument id (``"local_protectionism"``), a version file
        (``instruments/local_protectionism/1.1.0.yaml``) or an instrument folder.
    version : str, optional
        ``"1.0.0"``; default the latest released version.
    root : str or Path, optional
        Folder holding ``<id>/<version>.yaml``; default ``./instruments``, then the
        study instruments shipped with surveykit.

    Raises
    ------
    InstrumentError
        Unknown instrument or version (naming the ones that exist).
    ValidationError
        The file has problems (all listed as ``file:line:column: message``).

    Notes
    -----
    R equivalent: none (instruments are surveykit's YAML files).

    Examples
    --------
    >>> ins = load_instrument("local_protectionism", "1.0.0")
    >>> ins.scale("market_barriers").items
    ('LP01', 'LP02', 'LP03')
    """
    if isinstance(id_or_path, Instrument):
        return id_or_path
    if version is not None and not is_semver(str(version)):
        raise InstrumentError(f"The 'version' parameter of load_instrument must be a version "
                              f"such as '1.0.0'. Got {version!r} instead.")
    text = str(id_or_path)
    p = Path(text)
    if p.suffix.lower() in (".yaml", ".yml"):
        if not p.is_file():
            raise InstrumentError(f"No instrument file {text}. Check the path.")
        return read_instrument(p)
    if os.sep in text or "/" in text or (p.is_dir() and list_versions(p.name, p.parent)):
        if not p.is_dir():
            raise InstrumentError(f"No instrument folder {text}. Check the path.")
        return read_instrument(instrument_file(p.name, version, root=p.parent))
    return read_instrument(instrument_file(text, version, root=root))


@validate_params({"root": ROOT, "versions": VERSIONS})
def load_study_instruments(*, root: str | Path | None = None,
                           versions: dict[str, str] | None = None) -> tuple[Instrument, ...]:
    """The study's five instruments (latest released, or ``versions[id]``) in questionnaire order.

    Notes
    -----
    R equivalent: none (instruments are surveykit's YAML files).

    Examples
    --------
    >>> [i.id for i in load_study_instruments()][:2]
    ['respondent_profile', 'intergovernmental_trust']
    """
    versions = versions or {}
    return tuple(load_instrument(i, versions.get(i), root=root) for i in STUDY_INSTRUMENTS)


#: Title of the combined study questionnaire.
STUDY_TITLE = LocalizedText({"zh": "成渝地区政府间协同合作调查问卷",
                             "en": "Survey of cadres on inter-governmental collaboration in "
                                   "the Chengdu–Chongqing region"})
STUDY_INSTRUCTIONS = LocalizedText({
    "zh": "您好！本问卷用于了解两地政府间合作的情况，匿名填写，仅用于学术研究。请根据您的实际"
          "看法作答，答案无对错之分。",
    "en": "Thank you for taking part. This anonymous questionnaire asks about cooperation "
          "between the governments of the two regions and is used for research only. Please "
          "answer from your own view; there are no right or wrong answers."})


@validate_params({"root": ROOT, "versions": VERSIONS,
                  "id": [InstanceOf(str, "an instrument id (a string)")]})
def load_questionnaire(*, root: str | Path | None = None, versions: dict[str, str] | None = None,
                       id: str = "questionnaire") -> Instrument:
    """The study instruments joined into one questionnaire with :func:`combine`.

    Notes
    -----
    R equivalent: none (instruments are surveykit's YAML files).

    Examples
    --------
    >>> q = load_questionnaire(versions={"local_protectionism": "1.0.0"})
    >>> q.item_ids[:2], len(q.items)
    (('PR01', 'PR02'), 62)
    """
    from dataclasses import replace

    q = combine(load_study_instruments(root=root, versions=versions), id=id, title=STUDY_TITLE)
    return replace(q, instructions=STUDY_INSTRUCTIONS)
