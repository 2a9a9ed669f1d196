"""The rendered report: what the HTML and Word writers draw, already in one language.

:meth:`surveykit.report.Report.render` resolves every bilingual text, formats every
table (:class:`~surveykit.report.tables.ApaTable`) and numbers tables and figures in
reading order; :mod:`~surveykit.report.html` and :mod:`~surveykit.report.docx` only lay
it out, so the two documents always agree.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

from .tables import ApaTable

__all__ = ["TextBlock", "TableBlock", "FigureBlock", "RenderedSection", "RenderedReport",
           "Block"]


@dataclass(frozen=True)
class TextBlock:
    text: str
    kind: str = "paragraph"  # "paragraph" | "list"


@dataclass(frozen=True)
class TableBlock:
    number: int
    table: ApaTable
    csv: str  # path relative to the output folder, e.g. "tables/01_reliability.csv"
    #: further CSV files of the table (path, DataFrame), e.g. every group's rwg(j)
    files: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class FigureBlock:
    number: int
    name: str
    caption: str
    png: bytes
    svg: bytes


Block = Union[TextBlock, TableBlock, FigureBlock]


@dataclass(frozen=True)
class RenderedSection:
    id: str  # HTML anchor, stable: "sample", "methods", "s01", ...
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class RenderedReport:
    title: str
    lang: str
    sections: tuple[RenderedSection, ...]
    created_at: str
    command_line: tuple[str, ...]
    packages: dict[str, str]
    inputs: tuple[dict[str, Any], ...]
    instruments: tuple[dict[str, Any], ...]
    seeds: dict[str, Any]
    incomplete: str = ""  # banner text when a stage failed, else ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def tables(self) -> list[TableBlock]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, TableBlock)]

    @property
    def figures(self) -> list[FigureBlock]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, FigureBlock)]
