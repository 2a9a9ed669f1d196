"""Shared machinery of the report figures: the fixed style, input helpers, saving.

Every figure is drawn and saved under :data:`RC` (``svg.hashsalt`` fixed, text as paths,
fixed size and dpi) with seaborn's "whitegrid" look and the CJK font from
:func:`surveykit.report.fonts.font_family`; :func:`figure_bytes` saves without date or
software metadata, so reruns give byte-identical PNG and SVG files.
"""
from __future__ import annotations

import contextlib
import os
import re
import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .._files import write_bytes
from ..errors import ParameterError, check_choice
from ..result import Result
from .fonts import font_family

__all__ = ["RC", "figure_style", "figure_bytes", "figure_pair", "save_figure"]

#: rcParams every figure is drawn and saved with (fonts are added at run time).
RC: dict[str, Any] = {
    "svg.hashsalt": "surveykit",
    "svg.fonttype": "path",
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.1,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.unicode_minus": True,
    "path.simplify": True,
    "image.interpolation": "nearest",
    "pdf.compression": 6,
}


@contextlib.contextmanager
def figure_style() -> Iterator[None]:
    """Seaborn "whitegrid" look + :data:`RC` + the CJK font, for drawing and saving."""
    import matplotlib as mpl
    import seaborn as sns

    rc = dict(sns.axes_style("whitegrid"))
    rc.update(sns.plotting_context("paper", font_scale=1.1))
    rc.update(RC)
    rc["font.family"] = font_family()  # explicit list: per-glyph fallback to the CJK font
    with mpl.rc_context(rc):
        yield


_TOTAL = re.compile(r"\s*[（(](总分|总量表|total|total score)[)）]\s*$", re.I)


def bare_name(text: str) -> str:
    """A scale's name for running text: without a trailing "（总分）" / "(total)"."""
    return _TOTAL.sub("", text)


def captioned(fig: Any, name: str, caption: dict[str, str]) -> Any:
    """Attach the file name and bilingual caption :meth:`Report.figure` uses by default
    (``fig.surveykit_name``, ``fig.surveykit_caption``); returns ``fig``."""
    fig.surveykit_name = name
    fig.surveykit_caption = caption
    return fig


def _new_figure(width: float, height: float):
    from matplotlib.figure import Figure

    # Figure() directly (not pyplot): no global state, no GUI backend, nothing to close.
    return Figure(figsize=(width, height), layout="constrained")


def _frame(obj: Any, func: str, name: str) -> pd.DataFrame:
    if isinstance(obj, Result):
        return obj.table
    if isinstance(obj, pd.DataFrame):
        return obj
    if isinstance(obj, pd.Series):
        return obj.to_frame()
    raise ParameterError(f"The {name!r} parameter of {func} must be a DataFrame or a Result. "
                         f"Got {type(obj).__name__} instead.")


def _pick_column(frame: pd.DataFrame, given: str | None, candidates: Sequence[str],
                 func: str, name: str, required: bool = True) -> str | None:
    if given is not None:
        if given not in frame.columns:
            raise ParameterError(
                f"The {name!r} parameter of {func} names column {given!r}, which the table "
                f"does not have. Columns present: {', '.join(map(str, frame.columns))}.")
        return given
    for c in candidates:
        if c in frame.columns:
            return c
    if required:
        raise ParameterError(
            f"{func} could not find the {name} column: none of {', '.join(candidates)} is in "
            f"the table (columns: {', '.join(map(str, frame.columns))}). Pass {name}='...'.")
    return None


def _wrap(text: str, lang: str, width: int | None = None) -> str:
    """Wrap a label into balanced lines (Chinese by characters, never a line of bare
    punctuation; other text at spaces), without the sentence's closing full stop."""
    text = text.strip().rstrip("。．.")
    if lang == "zh" or any("\u4e00" <= ch <= "\u9fff" for ch in text):
        w = width or 20
        if len(text) <= w:
            return text
        n_lines = -(-len(text) // w)
        size = -(-len(text) // n_lines)
        lines = [text[i:i + size] for i in range(0, len(text), size)]
        for k in range(len(lines) - 1, 0, -1):  # pull leading punctuation up a line
            while lines[k] and lines[k][0] in "，。、；：？！）》」』”’,.;:?!)":
                lines[k - 1] += lines[k][0]
                lines[k] = lines[k][1:]
        return "\n".join(line for line in lines if line)
    return "\n".join(textwrap.wrap(text, width or 40)) or text


# ---------------------------------------------------------------------------- saving
_META = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}


def figure_bytes(fig, fmt: str) -> bytes:
    """Render ``fig`` to PNG or SVG bytes, reproducibly (no dates, no software tag)."""
    import io

    check_choice("figure_bytes", "fmt", fmt, ("png", "svg"))
    buf = io.BytesIO()
    with figure_style():
        fig.savefig(buf, format=fmt, metadata=_META[fmt])
    return buf.getvalue()


def figure_pair(fig) -> tuple[bytes, bytes]:
    """``(png, svg)`` bytes of ``fig``, laid out once.

    The PNG is saved exactly as :func:`figure_bytes` saves it (constrained layout and the
    tight bounding box computed while saving). The SVG reuses that layout and box instead
    of computing both again with the SVG renderer: each of those passes measures every
    text label (about half the cost of saving a figure with long Chinese item labels).
    Both files show the same drawing; reruns are byte-identical.
    """
    import io

    boxes: list[Any] = []
    measure = fig.get_tightbbox

    def _record(*args: Any, **kwargs: Any):
        box = measure(*args, **kwargs)
        boxes.append(box)
        return box

    png, svg = io.BytesIO(), io.BytesIO()
    with figure_style():
        import matplotlib as mpl

        fig.get_tightbbox = _record          # the box savefig computes for the PNG
        try:
            fig.savefig(png, format="png", metadata=_META["png"])
        finally:
            del fig.get_tightbbox
        engine = fig.get_layout_engine()
        if len(boxes) != 1:                   # not saved with bbox="tight": nothing to reuse
            fig.savefig(svg, format="svg", metadata=_META["svg"])
            return png.getvalue(), svg.getvalue()
        pad = mpl.rcParams["savefig.pad_inches"]
        fig.set_layout_engine(None)           # already laid out by the PNG's draw
        try:
            fig.savefig(svg, format="svg", metadata=_META["svg"],
                        bbox_inches=boxes[0].padded(pad))
        finally:
            fig.set_layout_engine(engine)
    return png.getvalue(), svg.getvalue()


def save_figure(fig, directory: str | os.PathLike[str], name: str) -> tuple[Path, Path]:
    """Write ``fig`` as ``<directory>/<name>.png`` and ``.svg``; return both paths."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    png, svg = d / f"{name}.png", d / f"{name}.svg"
    png_bytes, svg_bytes = figure_pair(fig)
    write_bytes(png, png_bytes)
    write_bytes(svg, svg_bytes)
    return png, svg
