"""Read and write REFI-QDA project files (``.qdpx``: ``project.qde`` + ``sources/``).

Writing produces QDA-XML 1.0 (namespace ``urn:QDA-XML:project:1.0``) that validates
against the shipped schema ``schema/Project-mrt2019.xsd``; every text source is stored
as ``sources/<guid>.txt`` (UTF-8) and referenced as ``internal://<guid>.txt``.

Reading accepts what real tools write: CRLF line ends, ``internal://`` and
``relative://`` paths, ``sources/`` or ``Sources/``, text inline as
``PlainTextContent``, sources without selections, deep code trees, UTF-8 or UTF-16
text files with a BOM. It refuses — with one clear :class:`~surveykit.errors.QualError` —
XML with entity declarations or external references (billion laughs, XXE), malformed
XML, zip members whose path escapes the archive (``../``, absolute paths, drive letters)
and selections outside their text.

Positions
---------
QDA-XML stores ``startPosition``/``endPosition`` as integers without saying what they
count. surveykit counts Unicode code points (Python ``str`` indices). Tools built on
UTF-16 strings (NVivo and other .NET, Java, JavaScript programs) count UTF-16 code units,
which differ for characters outside the Basic Multilingual Plane such as 😀 or 𠀀
(U+20000, two units). ``read_qdpx`` detects the convention by default
(``positions="auto"``, see :mod:`surveykit.qual.positions`) and refuses to guess when the
file does not show it; ``positions="utf16"`` / ``"codepoints"`` say it. Files surveykit
writes record their convention in the project's ``origin``. ``newlines="lf"`` is for tools
that count a CRLF line end as one character (docs/qualitative.md shows how to check).
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from .._files import atomic_path, check_unpacked_size
from .._params import PATH, Boolean, Options, validate_params
from ..errors import QualError
from .positions import detect, from_utf16, origin_convention, to_utf16
from .project import QdaCase, QdaCode, QdaCoding, QdaProject, QdaSelection, QdaSource, QdaUser, QdaVariable

__all__ = ["read_qdpx", "write_qdpx", "validate_qde", "SCHEMA_PATH", "NS"]

NS = "urn:QDA-XML:project:1.0"
SCHEMA_PATH = Path(__file__).with_name("schema") / "Project-mrt2019.xsd"
_GUID = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$")
MAX_UNCOMPRESSED = 1 << 30


# -- writing -------------------------------------------------------------------------------

def _el(parent: Any, tag: str, **attrs: Any) -> Any:
    from lxml import etree

    e = etree.SubElement(parent, f"{{{NS}}}{tag}")
    for k, v in attrs.items():
        if v is not None and v != "":
            e.set(k, str(v))
    return e


def _value_el(parent: Any, var: QdaVariable, value: Any) -> None:
    vv = _el(parent, "VariableValue")
    _el(vv, "VariableRef", targetGUID=var.guid)
    tag = {"Boolean": "BooleanValue", "Integer": "IntegerValue", "Float": "FloatValue",
           "Date": "DateValue", "DateTime": "DateTimeValue"}.get(var.type, "TextValue")
    v = _el(vv, tag)
    v.text = ("true" if value else "false") if tag == "BooleanValue" else str(value)


def _code_el(parent: Any, c: QdaCode) -> None:
    e = _el(parent, "Code", guid=c.guid, name=c.name, isCodable="true" if c.is_codable else "false",
            color=c.color)
    if c.description:
        _el(e, "Description").text = c.description
    for ch in c.children:
        _code_el(e, ch)


def project_xml(project: QdaProject, *, positions: str = "codepoints") -> bytes:
    """The ``project.qde`` XML of ``project`` (UTF-8 bytes)."""
    from lxml import etree

    root = etree.Element(f"{{{NS}}}Project", nsmap={None: NS})
    root.set("name", project.name)
    # surveykit's own files say what their positions count, so reading them needs no guess
    root.set("origin", f"surveykit (positions: {positions})")
    if project.users:
        users = _el(root, "Users")
        for u in project.users:
            _el(users, "User", guid=u.guid, name=u.name)
    if project.codes:
        codes = _el(_el(root, "CodeBook"), "Codes")
        for c in project.codes:
            _code_el(codes, c)
    vars_by_guid = {v.guid: v for v in project.variables}
    if project.variables:
        ve = _el(root, "Variables")
        for v in project.variables:
            e = _el(ve, "Variable", guid=v.guid, name=v.name, typeOfVariable=v.type)
            if v.description:
                _el(e, "Description").text = v.description
    if project.cases:
        ce = _el(root, "Cases")
        for case in project.cases:
            e = _el(ce, "Case", guid=case.guid, name=case.name)
            if case.description:
                _el(e, "Description").text = case.description
            for g, val in case.values:
                _value_el(e, vars_by_guid[g], val)
            for sg in case.source_guids:
                _el(e, "SourceRef", targetGUID=sg)
    if project.sources:
        se = _el(root, "Sources")
        for s in project.sources:
            e = _el(se, "TextSource", guid=s.guid, name=s.name,
                    plainTextPath=f"internal://{s.guid}.txt")
            if s.description:
                _el(e, "Description").text = s.description
            starts = [x.start for x in s.selections]
            ends = [x.end for x in s.selections]
            if positions == "utf16" and s.selections:
                starts, ends = to_utf16(s.text, starts).tolist(), to_utf16(s.text, ends).tolist()
            for sel, a, b in zip(s.selections, starts, ends):
                pe = _el(e, "PlainTextSelection", guid=sel.guid, name=sel.name, startPosition=a,
                         endPosition=b, creatingUser=sel.user_guid)
                if sel.description:
                    _el(pe, "Description").text = sel.description
                for cd in sel.codings:
                    ce2 = _el(pe, "Coding", guid=cd.guid, creatingUser=cd.user_guid)
                    _el(ce2, "CodeRef", targetGUID=cd.code_guid)
            for g, val in s.values:
                _value_el(e, vars_by_guid[g], val)
    if project.description:
        _el(root, "Description").text = project.description
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def validate_qde(xml: bytes) -> list[str]:
    """Validate ``project.qde`` bytes against the QDA-XML 1.0 schema; the errors (empty if valid)."""
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    doc = etree.fromstring(xml, parser)
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


#: How selection positions are counted in a .qdpx file
POSITIONS = Options("codepoints", "utf16")


@validate_params({"path": [PATH], "positions": [POSITIONS], "validate": [Boolean()]})
def write_qdpx(project: QdaProject, path: "str | Path", *, positions: str = "codepoints",
               validate: bool = True) -> Path:
    """Write ``project`` as a ``.qdpx`` file.

    Parameters
    ----------
    project : QdaProject
        E.g. ``QdaProject.from_study(notes, codebook, codings)``.
    path : str or Path
    positions : {"codepoints", "utf16"}
        How selection positions are counted in the file (see the module docstring).
    validate : bool
        Validate ``project.qde`` against the QDA-XML 1.0 schema before writing.

    Notes
    -----
    R equivalent: none (REFI-QDA project exchange with NVivo, ATLAS.ti, MAXQDA).

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import example_study_path
    >>> notes = sk.read_notes(example_study_path("notes"))
    >>> cod = sk.load_codings(example_study_path("codings"), notes=notes)
    >>> import tempfile, pathlib
    >>> cb = sk.load_codebook(example_study_path("codebook.yaml"))
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "study.qdpx"
    >>> sk.write_qdpx(sk.QdaProject.from_study(notes, cb, cod), path).name
    'study.qdpx'
    """
    if not isinstance(project, QdaProject):
        raise QualError(f"write_qdpx needs a QdaProject (build one with QdaProject.from_study); "
                        f"got {type(project).__name__}.")
    xml = project_xml(project, positions=positions)
    if validate:
        errors = validate_qde(xml)
        if errors:
            raise QualError("The project does not validate against QDA-XML 1.0: " + "; ".join(errors[:5]))
    p = Path(path)
    with atomic_path(p) as tmp:                 # complete or absent, never truncated
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr("project.qde", xml)
            for s in project.sources:
                z.writestr(f"sources/{s.guid}.txt", s.text.encode("utf-8"))
    return p


# -- reading -------------------------------------------------------------------------------

def _check_members(z: zipfile.ZipFile, file: str) -> None:
    for info in z.infolist():
        name = info.filename
        parts = re.split(r"[\\/]+", name)
        if (name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts):
            raise QualError(f"{file}: the archive member {name!r} would be written outside the "
                            f"project folder. This .qdpx is unsafe and was not read.")
    check_unpacked_size(z, file, MAX_UNCOMPRESSED, QualError, "archive",
                        "Export the project again from the QDA program.")


def _parse_xml(data: bytes, file: str) -> Any:
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        return DET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as e:
        raise QualError(f"{file}: project.qde declares XML entities or external references "
                        f"({type(e).__name__}); surveykit refuses them for safety. Export the "
                        f"project again without a DOCTYPE.") from None
    except ParseError as e:
        line, col = getattr(e, "position", (0, 0))
        raise QualError(f"{file}: project.qde is not well-formed XML (line {line}, column {col}: "
                        f"{str(e).split(':')[0]}). Export the project again.") from None


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _kids(e: Any, name: str) -> list[Any]:
    return [c for c in e if _local(c.tag) == name]


def _kid(e: Any, name: str) -> Any:
    k = _kids(e, name)
    return k[0] if k else None


def _text_of(e: Any, name: str) -> str:
    k = _kid(e, name)
    return (k.text or "") if k is not None else ""


def _decode(data: bytes, where: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise QualError(f"{where}: the text is neither UTF-8 nor UTF-16 with a BOM. Export "
                        f"the source as UTF-8 text.") from None


def _value(vv: Any) -> tuple[str, Any] | None:
    ref = _kid(vv, "VariableRef")
    if ref is None:
        return None
    for child in vv:
        tag = _local(child.tag)
        txt = child.text or ""
        if tag == "BooleanValue":
            return ref.get("targetGUID"), txt.strip().lower() in ("true", "1")
        if tag == "IntegerValue":
            return ref.get("targetGUID"), int(txt)
        if tag == "FloatValue":
            return ref.get("targetGUID"), float(txt)
        if tag in ("TextValue", "DateValue", "DateTimeValue"):
            return ref.get("targetGUID"), txt
    return None


def _read_code(e: Any) -> QdaCode:
    return QdaCode(guid=e.get("guid", ""), name=e.get("name", ""),
                   description=_text_of(e, "Description"), color=e.get("color"),
                   is_codable=e.get("isCodable", "true").strip().lower() in ("true", "1"),
                   children=tuple(_read_code(c) for c in _kids(e, "Code")))


@validate_params({"path": [PATH], "positions": [Options("auto", "codepoints", "utf16")],
                  "newlines": [Options("keep", "lf")]})
def read_qdpx(path: "str | Path", *, positions: str = "auto", newlines: str = "keep") -> QdaProject:
    """Read a ``.qdpx`` (or a bare ``.qde``) REFI-QDA project.

    Parameters
    ----------
    path : str or Path
    positions : {"auto", "codepoints", "utf16"}
        What the file's selection positions count. ``"auto"`` (default) detects it —
        from where the conventions differ (text after a character outside the BMP): which
        reading is possible, which keeps selections on word boundaries, the project's
        origin — and raises :class:`~surveykit.errors.QualError` naming the option to pass
        when the file does not show it. ``project.positions`` says what was used and why.
    newlines : {"keep", "lf"}
        ``"keep"``: the text is kept as stored and a CRLF counts as two characters.
        ``"lf"``: CRLF is turned into LF and positions are read on that text (for tools
        that count a line end as one character).

    Returns
    -------
    QdaProject
        ``project.skipped`` lists what was not imported: sources that are not plain text
        (PDF, audio, ...) and empty selections (a cursor position codes no text).

    Notes
    -----
    R equivalent: none (REFI-QDA project exchange with NVivo, ATLAS.ti, MAXQDA).

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import example_study_path
    >>> notes = sk.read_notes(example_study_path("notes"))
    >>> cod = sk.load_codings(example_study_path("codings"), notes=notes)
    >>> import tempfile, pathlib
    >>> cb = sk.load_codebook(example_study_path("codebook.yaml"))
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "study.qdpx"
    >>> _ = sk.write_qdpx(sk.QdaProject.from_study(notes, cb, cod), path)
    >>> proj = sk.read_qdpx(path)
    >>> len(proj.sources), [u.name for u in proj.users]
    (12, ['coder_a', 'coder_b'])
    """
    p = Path(path)
    file = str(p)
    if not p.exists():
        raise QualError(f"{file}: file not found. Check the path.")
    members: dict[str, bytes] = {}
    if p.suffix.lower() == ".qde":
        xml = p.read_bytes()
    else:
        try:
            with zipfile.ZipFile(p) as z:
                _check_members(z, file)
                counts: dict[str, int] = {}
                for n in z.namelist():
                    counts[n.lower()] = counts.get(n.lower(), 0) + 1
                twice = sorted(n for n, k in counts.items() if k > 1)
                if twice:
                    raise QualError(f"{file}: the archive holds {twice[0]!r} {counts[twice[0]]} "
                                    f"times, so it is not clear which one is the project. Export "
                                    f"the project again from the QDA program.")
                names = {n.lower(): n for n in z.namelist()}
                qde = names.get("project.qde") or next(
                    (names[n] for n in names if n.endswith(".qde") and "/" not in n.strip("/")), None)
                if qde is None:
                    raise QualError(f"{file}: no project.qde in the archive. Is this a REFI-QDA "
                                    f"project (.qdpx)?")
                xml = z.read(qde)
                for n in z.namelist():
                    if not n.endswith("/") and n != qde:
                        members[PurePosixPath(n.replace("\\", "/")).as_posix().lower()] = z.read(n)
        except zipfile.BadZipFile:
            raise QualError(f"{file}: not a zip archive, so not a .qdpx project. Export the "
                            f"project from your QDA tool as REFI-QDA (.qdpx).") from None
    root = _parse_xml(xml, file)
    try:
        return _read_project(root, members, file, p, positions, newlines)
    except (ValueError, TypeError, OverflowError) as e:
        raise QualError(f"{file}: project.qde holds a value surveykit cannot read ({e}). "
                        f"Check the attributes named there or export the project again.") from None
    except RecursionError:
        raise QualError(f"{file}: the code tree in project.qde is nested too deeply to read.") from None


def _read_project(root: Any, members: dict[str, bytes], file: str, p: Path, positions: str,
                  newlines: str) -> QdaProject:
    if _local(root.tag) != "Project":
        raise QualError(f"{file}: project.qde has root <{_local(root.tag)}>, not <Project>.")
    users = tuple(QdaUser(u.get("guid", ""), u.get("name") or u.get("id") or "")
                  for u in _kids(_kid(root, "Users") if _kid(root, "Users") is not None else [], "User"))
    cb = _kid(root, "CodeBook")
    codes_el = _kid(cb, "Codes") if cb is not None else None
    codes = tuple(_read_code(c) for c in _kids(codes_el, "Code")) if codes_el is not None else ()
    ve = _kid(root, "Variables")
    variables = tuple(QdaVariable(v.get("guid", ""), v.get("name", ""), v.get("typeOfVariable", "Text"),
                                  _text_of(v, "Description"))
                      for v in (_kids(ve, "Variable") if ve is not None else []))
    ce = _kid(root, "Cases")
    cases = tuple(QdaCase(c.get("guid", ""), c.get("name") or c.get("guid", ""),
                          tuple(x for x in (_value(vv) for vv in _kids(c, "VariableValue")) if x),
                          tuple(r.get("targetGUID", "") for r in _kids(c, "SourceRef")),
                          _text_of(c, "Description"))
                  for c in (_kids(ce, "Case") if ce is not None else []))
    code_guids = {c.guid for c in _walk(codes)}
    sources: list[QdaSource] = []
    skipped: list[str] = []
    se = _kid(root, "Sources")
    problems: list[str] = []
    read: list[tuple[Any, str, str, str, list[Any], list[int], list[int]]] = []
    for s in (list(se) if se is not None else []):
        kind = _local(s.tag)
        name = s.get("name") or s.get("guid", "")
        if kind != "TextSource":
            skipped.append(f"{kind} {name!r}")
            continue
        where = f"{file}: source {name!r}"
        text = _source_text(s, members, where)
        if newlines == "lf":
            text = text.replace("\r\n", "\n")
        sels = _kids(s, "PlainTextSelection")
        starts = [int(x.get("startPosition", "0")) for x in sels]
        ends = [int(x.get("endPosition", "0")) for x in sels]
        read.append((s, name, where, text, sels, starts, ends))
    origin, _ = origin_convention(root.get("origin", "") or "")
    used, why = positions, "given"
    if positions == "auto":
        used, why = detect([(t, [*a, *b]) for _, _, _, t, _, a, b in read],
                           root.get("origin", "") or "", file)
    for s, name, where, text, sels, starts, ends in read:
        if used == "utf16" and sels:
            starts = from_utf16(text, starts, where).tolist()
            ends = from_utf16(text, ends, where).tolist()
        selections = []
        for x, a, b in zip(sels, starts, ends):
            if not 0 <= a <= b <= len(text):
                problems.append(f"{where}: selection {x.get('guid')} spans {a}–{b} but the text has "
                                f"{len(text)} characters")
                continue
            if a == b:              # an empty selection (a cursor position) codes no text
                skipped.append(f"empty selection {x.get('guid', '')} at {a} in source {name!r}")
                continue
            cds = []
            for cd in _kids(x, "Coding"):
                ref = _kid(cd, "CodeRef")
                target = ref.get("targetGUID", "") if ref is not None else ""
                if target not in code_guids:
                    problems.append(f"{where}: a coding refers to code {target!r}, which is not in "
                                    f"the codebook")
                    continue
                cds.append(QdaCoding(cd.get("guid", ""), target,
                                     cd.get("creatingUser") or x.get("creatingUser")))
            selections.append(QdaSelection(x.get("guid", ""), a, b, x.get("name", "") or "",
                                           _text_of(x, "Description"), x.get("creatingUser"),
                                           tuple(cds)))
        whole = [cd for cd in _kids(s, "Coding")]
        if whole and not text:
            skipped.append(f"codings of the empty source {name!r}")
        elif whole:  # codings of the whole source
            cds = tuple(QdaCoding(cd.get("guid", ""), (_kid(cd, "CodeRef").get("targetGUID", "")
                                                        if _kid(cd, "CodeRef") is not None else ""),
                                  cd.get("creatingUser")) for cd in whole)
            for cd in cds:
                if cd.code_guid not in code_guids:
                    problems.append(f"{where}: a coding of the whole source refers to code "
                                    f"{cd.code_guid!r}, which is not in the codebook")
            selections.append(QdaSelection(cds[0].guid, 0, len(text), "(whole source)", "", None, cds))
        values = tuple(x for x in (_value(vv) for vv in _kids(s, "VariableValue")) if x)
        sources.append(QdaSource(s.get("guid", ""), name, text, tuple(selections), values,
                                 _text_of(s, "Description")))
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise QualError("; ".join(problems[:5]) + more + ". Check positions='utf16' / "
                        "newlines='lf' or export the project again.")
    return QdaProject(name=root.get("name", p.stem), users=users, codes=codes, variables=variables,
                      cases=cases, sources=tuple(sources), origin=origin,
                      description=_text_of(root, "Description"), skipped=tuple(skipped),
                      positions=f"{used} ({why})")


def _walk(codes: tuple[QdaCode, ...]):
    for c in codes:
        yield c
        yield from _walk(c.children)


def _source_text(s: Any, members: dict[str, bytes], where: str) -> str:
    inline = _kid(s, "PlainTextContent")
    if inline is not None:
        return inline.text or ""
    ref = s.get("plainTextPath") or ""
    if not ref:
        raise QualError(f"{where} has neither PlainTextContent nor plainTextPath.")
    m = re.match(r"^(internal|relative|file)://+(.*)$", ref, re.I)
    rel = (m.group(2) if m else ref).replace("\\", "/").lstrip("/")
    if ".." in rel.split("/"):
        raise QualError(f"{where}: plainTextPath {ref!r} points outside the project.")
    base = rel.rsplit("/", 1)[-1].lower()
    for cand in (rel.lower(), f"sources/{rel.lower()}", f"sources/{base}"):
        if cand in members:
            return _decode(members[cand], where)
    hits = [k for k in members if k.rsplit("/", 1)[-1] == base]
    if len(hits) == 1:
        return _decode(members[hits[0]], where)
    raise QualError(f"{where}: its text {ref!r} is not in the archive (looked in sources/).")
