"""``report.html``: one self-contained page (figures embedded as base64 PNG, no scripts,
no external resources) from a :class:`~surveykit.report.model.RenderedReport`.

The page has a table of contents, one ``<section class="report-section">`` per report
section (sample, methods, results …, software versions), APA tables and numbered
figures; an incomplete report starts with a red banner naming the failed stage and its
title says INCOMPLETE. The template is ``templates/report.html.j2`` (jinja2, autoescaped).
"""
from __future__ import annotations

import base64
from functools import lru_cache

from .i18n import t, warning_groups
from .model import FigureBlock, RenderedReport, TableBlock

__all__ = ["render_html"]


@lru_cache(maxsize=1)
def _template():
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("surveykit.report", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    return env.get_template("report.html.j2")


def render_html(report: RenderedReport) -> str:
    """The report as an HTML string (UTF-8 text)."""
    lang = report.lang
    words = {k: t(k, lang) for k in ("generated", "contents", "software", "package", "version",
                                     "instruments", "inputs", "seeds", "command",
                                     "warnings")}
    words.update(table_word=t("table", lang), figure_word=t("figure", lang),
                 note_word=t("note_prefix", lang))
    sections = []
    for s in report.sections:
        blocks = []
        for b in s.blocks:
            if isinstance(b, TableBlock):
                blocks.append({"kind_": "table", "block": b})
            elif isinstance(b, FigureBlock):
                blocks.append({"kind_": "figure", "block": b,
                               "png64": base64.b64encode(b.png).decode("ascii")})
            else:
                blocks.append({"kind_": "text", "block": b})
        sections.append({"id": s.id, "title": s.title, "blocks": blocks})
    view = {
        "title": report.title, "incomplete": report.incomplete, "created_at": report.created_at,
        "sections": sections, "instruments": report.instruments, "inputs": report.inputs,
        "seeds": report.seeds, "command_line": report.command_line,
        "warnings": warning_groups(report.extra.get("warnings", ()), lang),
    }
    stage = ""
    if report.incomplete:
        stage = report.extra.get("stage_failed", "")
    return _template().render(
        report=view, packages=report.packages, t=words,
        html_lang="zh-CN" if lang == "zh" else "en",
        incomplete_word=t("incomplete", lang), stage_failed=stage)

