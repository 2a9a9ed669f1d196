"""Bring an existing questionnaire in: XLSForm workbooks and Wenjuanxing text → instrument YAML.

``import_instrument("form.xlsx")`` returns an :class:`InstrumentImport`: the checked
:class:`~surveykit.instrument.model.Instrument`, its YAML text (a draft the designer edits by
hand, with what could not be carried over listed as comments at the top) and the same list
as :attr:`InstrumentImport.notes`. ``surveykit instrument import FILE`` writes the YAML to
``instruments/<id>/<version>.yaml``.

What each format carries is documented in :mod:`.xlsform` and :mod:`.wjx`; an export by
surveykit imports back to an equal instrument (tested for every bundled instrument).
"""
from __future__ import annotations

from pathlib import Path

from ..._params import InstanceOf, Options, validate_params
from ...errors import InstrumentError
from ._draft import InstrumentImport

__all__ = ["InstrumentImport", "import_instrument", "IMPORT_FORMATS"]

IMPORT_FORMATS = ("xlsform", "wjx")


def _guess_format(path: Path) -> str:
    ext = path.suffix.lower()
    if ext in (".xlsx", ".xlsm"):
        return "xlsform"
    if ext in (".txt", ".text"):
        return "wjx"
    raise InstrumentError(
        f"{path.name}: cannot tell the questionnaire format from the extension {ext or '(none)'}"
        f". Pass --format xlsform (an ODK/KoboToolbox .xlsx) or --format wjx (Wenjuanxing "
        f"text import, .txt).")


@validate_params({
    "path": [InstanceOf((str, Path), "a file path")],
    "format": [Options(None, *IMPORT_FORMATS)],
    "id": [None, InstanceOf(str, "an instrument id")],
    "version": [None, InstanceOf(str, "a version such as '1.0.0'")],
    "lang": [None, InstanceOf(str, "a language code such as 'zh'")],
})
def import_instrument(path: str | Path, *, format: str | None = None,
                      id: str | None = None, version: str | None = None,
                      lang: str | None = None) -> InstrumentImport:
    """Import an XLSForm workbook or a Wenjuanxing text file as an instrument draft.

    Parameters
    ----------
    path : path
        ``.xlsx`` XLSForm (``survey``/``choices``/``settings`` sheets) or Wenjuanxing text
        (``.txt``, the format ``instrument export --to wjx`` writes).
    format : {'xlsform', 'wjx'}, optional
        Default from the extension.
    id : str, optional
        Instrument id (default: XLSForm ``form_id``, else the file name), made to fit the
        id pattern (lower case, digits, ``_``) with a note when changed.
    version : str, optional
        Semantic version (default: the form's ``version`` when it is one, else 0.1.0).
    lang : str, optional
        Language of unlabelled text (XLSForm ``label`` without ``::language``; the whole
        Wenjuanxing file). Default: ``zh`` when the text holds Chinese, else ``en``.

    Returns
    -------
    InstrumentImport

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from surveykit import load_instrument
    >>> from surveykit.instrument.export import to_xlsform
    >>> p = to_xlsform(load_instrument("respondent_profile"),
    ...                pathlib.Path(tempfile.mkdtemp()) / "rp.xlsx")
    >>> imp = import_instrument(p)
    >>> imp.instrument.ref, len(imp.instrument.items), imp.notes
    ('respondent_profile@1.1.0', 19, ())

    R equivalent: none (instrument files are a surveykit format).
    """
    p = Path(path)
    fmt = format or _guess_format(p)
    if not p.is_file():
        raise InstrumentError(f"{p}: no such file. Check the path.")
    if fmt == "xlsform":
        from .xlsform import read_xlsform
        return read_xlsform(p, id=id, version=version, lang=lang)
    from .wjx import read_wjx
    return read_wjx(p, id=id, version=version, lang=lang)
