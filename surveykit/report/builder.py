"""The :class:`Report` a study script fills, and :func:`current`.

A script adds sections, results, figures and text in reading order; :meth:`Report.write`
puts everything into one folder::

    out/
      report.html        self-contained (figures embedded), written LAST: its presence
                         means the report is complete
      report.docx        the same tables, APA-7, Chinese fonts set (w:eastAsia)
      tables/NN_name.csv the tidy, unrounded table behind every "Table NN"
      figures/name.png   and name.svg
      manifest.json      inputs, instruments, seeds, versions; run time in one field

If a stage fails, :meth:`Report.write_failed` writes what there is, but as
``report-INCOMPLETE.html`` / ``report-INCOMPLETE.docx`` with a banner naming the stage,
plus a ``FAILED.txt`` marker and ``"status": "failed"`` in the manifest — never a
``report.html``. Before writing, files a previous run left in the folder (the names above)
are removed, so a stale complete report cannot sit next to a failed rerun.

>>> import pandas as pd
>>> report = Report(title={"zh": "区域协同研究", "en": "Regional synergy study"})
>>> _ = report.section("描述统计", "Descriptives")
>>> _ = report.add(pd.DataFrame({"scale": ["IT"], "mean": [3.42]}), caption={"zh": "均值", "en": "Means"})
>>> report.write("out", lang="zh")      # doctest: +SKIP
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import time
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ParameterError, ReportError, check_choice
from ..result import Result
from .docx_style import DocxStyle, resolve_style
from .i18n import LANGS, Text, pick, t
from .model import FigureBlock, RenderedReport, RenderedSection, TableBlock, TextBlock
from .outputs import OUTPUT_DIRS as OUTPUT_DIRS  # re-exported; the layout lives in .outputs
from .outputs import OUTPUT_FILES as OUTPUT_FILES
from .outputs import clean_outputs as clean_outputs
from .privacy import masked_message, scrub_str, scrub_table
from .progress import Listener, StageHandle, StageInfo
from .tables import apa_table, is_result_like
from .writer import write_report

__all__ = ["Report", "current", "set_current"]

_SEED_KEYS = ("seed", "random_state", "rng_seed")


@dataclass
class _Text:
    text: Text
    kind: str = "paragraph"


@dataclass
class _Table:
    obj: Any
    name: str
    caption: Text | None
    note: Text | None
    options: dict[str, Any]
    files: dict[str, Any] = field(default_factory=dict)   # suffix -> lang -> DataFrame


@dataclass(frozen=True)
class _Combined:
    """Several results' table under the first one's provenance (result-like for apa_table)."""

    table: pd.DataFrame
    provenance: Any
    title: str = ""


@dataclass
class _Figure:
    name: str
    caption: Text | None
    rendering: Any                      # figure_jobs.Rendering: PNG + SVG, maybe still drawing

    @property
    def png(self) -> bytes:
        return self.rendering.result()[0]

    @property
    def svg(self) -> bytes:
        return self.rendering.result()[1]


@dataclass
class _Section:
    id: str
    title: Text
    blocks: list[Any] = field(default_factory=list)


def _slug(text: str) -> str:
    s = re.sub(r"[^0-9A-Za-z_]+", "_", text).strip("_").lower()
    return s[:40] or "table"


def _text_arg(text: Text | None, zh: str | None, en: str | None, func: str) -> Text:
    if text is not None and (zh is not None or en is not None):
        raise ParameterError(f"{func} takes either text or zh=/en=, not both.")
    if text is None:
        if zh is None and en is None:
            raise ParameterError(f"{func} needs text: pass a string or zh=... and/or en=....")
        return {k: v for k, v in (("zh", zh), ("en", en)) if v is not None}
    return text


class Report:
    """A report being built by a study script (see the module docstring).

    Parameters
    ----------
    title : str or {"zh": ..., "en": ...}, optional
    lang : {"zh", "en"}
        Default language of :meth:`write` (``surveykit run --lang`` overrides it).
    scrub : bool
        Mask contact details (e-mail addresses, ID-card, mobile and landline numbers) in
        every table cell and text before writing (default True; counted in one warning,
        never shown). See :mod:`surveykit.report.privacy`.
    """

    def __init__(self, title: Text | None = None, *, lang: str = "zh",
                 scrub: bool = True,
                 docx_style: "DocxStyle | Mapping[str, Any] | None" = None) -> None:
        check_choice("Report", "lang", lang, LANGS)
        if not isinstance(scrub, bool):
            raise ParameterError(f"The 'scrub' parameter of Report must be True or False. "
                                 f"Got {scrub!r} instead.")
        self.title = title
        self.lang = lang
        #: mask e-mail addresses, ID-card, mobile and landline numbers in every text of the
        #: report (tables, captions, notes, paragraphs); see surveykit/report/privacy.py
        self.scrub = scrub
        #: fonts, sizes and page of report.docx: a DocxStyle, a mapping of changes to the
        #: defaults of the report's language ({"east_asia": "FangSong"}) or None (defaults)
        resolve_style(docx_style, lang)  # a bad style fails here, not after the analyses
        self.docx_style = docx_style
        self._sample = _Section("sample", {"zh": t("sample", "zh"), "en": t("sample", "en")})
        self._methods = _Section("methods", {"zh": t("methods", "zh"), "en": t("methods", "en")})
        self._sections: list[_Section] = []
        self._inputs: list[str] = []
        self._instruments: list[Any] = []
        self._seeds: dict[str, Any] = {}
        self._provenance: list[dict[str, Any]] = []
        #: names= and instrument= given to add/add_many: how the methods section names variables
        self._labels: dict[str, Any] = {}
        self._label_instruments: list[Any] = []
        #: the instrument set by label_with(): names variables, groups and options in every
        #: later add/add_many/sample that does not pass its own instrument=
        self._default_instrument: Any = None
        self._names: set[str] = set()
        self.listener: Listener | None = None
        self.stages: list[StageInfo] = []
        self.failed: StageInfo | None = None
        self.failure: BaseException | None = None
        #: Warnings raised while the study ran (``Category: message``), for the manifest.
        self.warnings: list[str] = []
        self._attributed: dict[int, Warning] = {}  # warnings an inner stage already kept

    # ------------------------------------------------------------------ content
    def section(self, title_zh: str, title_en: str | None = None) -> "Report":
        """Start a results section; later :meth:`add`/:meth:`figure`/:meth:`text` go into it."""
        self._no_worker("section")
        title = {"zh": title_zh, "en": title_en if title_en is not None else title_zh}
        self._sections.append(_Section(f"s{len(self._sections) + 1:02d}", title))
        return self

    def _current(self) -> _Section:
        if not self._sections:
            self.section("结果", "Results")
        return self._sections[-1]

    def add(self, obj: Result | pd.DataFrame, caption: Text | None = None, *,
            name: str | None = None, note: Text | None = None, **options: Any) -> Result | pd.DataFrame:
        """Add a Result (or DataFrame) as an APA table; returns ``obj`` unchanged.

        A list of Results is one table of several results (see :meth:`add_many`).

        ``options`` go to :func:`~surveykit.report.tables.apa_table` (``columns``,
        ``labels``, ``decimals``, ``bounded``, ``headline``). A mediation or moderation result
        becomes its PROCESS-style tables (:mod:`~surveykit.report.process_tables`: path
        coefficients and effects; interaction model and simple slopes), its variables named
        by ``names={"x": {"zh": ..., "en": ...}}`` or ``instrument=`` (scale names); a
        hierarchical regression, common-method bias or aggregation result becomes the tables
        of :mod:`~surveykit.report.presentation` (one β/t block per step; Harman and CFA
        comparison; ICC/rwg summary with every group's rwg(j) as a CSV); each is followed
        by its numbers in a sentence (``sentence=False``: none); pass ``columns=`` for its
        plain ``.table`` instead. ``name`` names the CSV file (default: the
        analysis name or caption). A Result's provenance feeds the methods section, the
        manifest's seeds (``seed``/``random_state`` parameters) and instruments. Objects
        shaped like a Result (``.table`` + ``.provenance``, e.g. a cleaning result) work too.
        """
        self._no_worker("add")
        if isinstance(obj, (list, tuple)):  # several Results as one table
            return self.add_many(obj, caption, name=name, note=note, **options)
        self._remember_labels(options)
        if not (isinstance(obj, pd.DataFrame) or is_result_like(obj)):
            raise ParameterError(f"Report.add takes a Result or a pandas DataFrame. "
                                 f"Got {type(obj).__name__} instead.")
        if not isinstance(obj, pd.DataFrame):
            parts = self._presentation(obj, options)
            if parts is not None:  # shown as several tables (PROCESS-style mediation, moderation)
                self._record(obj)
                self._add_parts(obj, parts, caption, name, note, options)
                return obj
            self._record(obj)
            default = obj.provenance.analysis
        else:
            default = pick(caption, "en") or "table"
        apa_table(obj, caption=caption, note=note, lang=self.lang, **options)  # bad options fail here
        stored = obj.copy() if isinstance(obj, pd.DataFrame) else obj  # later edits don't leak in
        self._current().blocks.append(_Table(stored, self._unique(_slug(name or default), "table"),
                                             caption, note, dict(options)))
        return obj

    def _presentation(self, obj: Any, options: dict[str, Any]) -> tuple[list[Any], dict] | None:
        """The tables ``obj`` is shown as (:mod:`.process_tables`) and the sentence under
        them, or None for its plain ``.table``. ``names=``, ``instrument=`` and
        ``sentence=`` are taken out of ``options``; with ``columns=`` the plain table is shown.
        """
        from .presentation import presentation, sentence_of

        names, instrument = options.pop("names", None), options.pop("instrument", None)
        instrument = instrument if instrument is not None else self._default_instrument
        sentence = options.pop("sentence", True)
        if "columns" in options:
            return None
        parts = presentation(obj, names=names, instrument=instrument)
        if parts is None:
            return None
        text = ({lang: sentence_of(obj, lang, names=names, instrument=instrument)
                 for lang in LANGS} if sentence else {})
        return parts, text

    def _add_parts(self, obj: Any, shown: tuple[list[Any], dict], caption: Text | None,
                   name: str | None, note: Text | None, options: dict[str, Any]) -> None:
        """One table block per part (caption and note merged by
        :func:`~.process_tables.merge_part`), then the result's sentence."""
        from .process_tables import merge_part

        parts, text = shown
        base = _slug(name or obj.provenance.analysis)
        for part in parts:
            cap, nt, opts = merge_part(part, caption, note, options)
            apa_table(part.frame(self.lang), caption=cap, note=nt, lang=self.lang, **opts)
            self._current().blocks.append(_Table(part.frame, self._unique(f"{base}_{part.suffix}",
                                                                          "table"), cap, nt, opts,
                                                 dict(part.files)))
        if any(text.values()):
            self._current().blocks.append(_Text(text))

    def add_many(self, results: Sequence[Any] | Mapping[Any, Any], caption: Text | None = None, *,
                 table: pd.DataFrame | None = None, key: str = "key", name: str | None = None,
                 note: Text | None = None, **options: Any) -> pd.DataFrame:
        """Add several Results as ONE table, recording every result's provenance.

        The methods section then states each analysis once, with the settings all results
        share once and those that differ (e.g. ``scale``) with each distinct value; the
        manifest's ``analyses`` lists every result. ``Report.add([r1, r2, ...])`` does the same.

        Parameters
        ----------
        results : sequence of Results, or mapping label -> Result
        table : DataFrame, optional
            The table to print (e.g. one row per result, built by the script). Default: the
            results' ``.table`` stacked, with a first column ``key`` holding the mapping's
            labels (or the result's position) when ``results`` is a mapping.
        key : str
            Name of that label column (default ``"key"``, e.g. ``key="scale"``).
        caption, name, note, options
            As for :meth:`add`; without ``note`` the note names the analysis and its R
            equivalent when all results come from one analysis. Results of a class listed
            in :data:`~.presentation.MANY_PRESENTERS` (measurement invariance, e.g. one per
            construct) without ``table=`` become that class's combined table and sentence
            (``names=``, ``instrument=``, ``sentence=`` as for :meth:`add`).

        Returns
        -------
        pandas.DataFrame
            The table added.

        Examples
        --------
        >>> rel = {s: sk.reliability(df, scale=s) for s in scales}              # doctest: +SKIP
        >>> report.add_many(rel, key="scale", caption="Reliability")            # doctest: +SKIP
        """
        self._no_worker("add_many")
        self._remember_labels(options)
        items = list(results.items()) if isinstance(results, Mapping) else list(enumerate(results))
        bad = [type(r).__name__ for _, r in items if not is_result_like(r)]
        if not items or bad:
            raise ParameterError(f"Report.add_many takes a non-empty list or mapping of Results. "
                                 f"Got {', '.join(bad) or 'an empty one'} instead.")
        if table is None and "columns" not in options:  # several results of one presented class
            from .presentation import many_presentation

            opts = dict(options)
            names, instrument = opts.pop("names", None), opts.pop("instrument", None)
            instrument = instrument if instrument is not None else self._default_instrument
            sentence = opts.pop("sentence", True)
            shown = many_presentation(dict(items), names=names, instrument=instrument)
            if shown is not None:
                for _, r in items:
                    self._record(r)
                parts, text = shown
                first = items[0][1]
                self._add_parts(first, (parts, text if sentence else {}), caption, name, note,
                                opts)
                return parts[0].frame(self.lang).table
        if table is None:
            parts = []
            for label, r in items:
                part = r.table.copy()
                if isinstance(results, Mapping):
                    part.insert(0, key, label)
                parts.append(part)
            table = pd.concat(parts, ignore_index=True)
        elif not isinstance(table, pd.DataFrame):
            raise ParameterError(f"The 'table' parameter of Report.add_many must be a pandas "
                                 f"DataFrame. Got {type(table).__name__} instead.")
        for _, r in items:
            self._record(r)
        provs = {r.provenance.analysis for _, r in items}
        first = items[0][1]
        obj: Any = table
        if len(provs) == 1:  # one analysis: its note (R equivalent) and CI level, as for add()
            obj = _Combined(table=table.copy(), provenance=first.provenance)
        apa_table(obj, caption=caption, note=note, lang=self.lang, **options)  # bad options fail here
        default = first.provenance.analysis if len(provs) == 1 else (pick(caption, "en") or "table")
        stored = obj if isinstance(obj, _Combined) else table.copy()
        self._current().blocks.append(_Table(stored, self._unique(_slug(name or default), "table"),
                                             caption, note, dict(options)))
        return table

    def label_with(self, instrument: Any) -> Any:
        """Name variables, coded groups and options from ``instrument`` from now on.

        Every later :meth:`add`, :meth:`add_many` and :meth:`sample` without its own
        ``instrument=`` uses this one (scale and item names, answer labels, the methods
        section's variable names). Returns it. (The manifest's instruments are those
        recorded by :meth:`instrument` or :meth:`read_waves`.)

        Examples
        --------
        >>> ins = report.label_with(pooled.instrument)        # doctest: +SKIP
        """
        if not (hasattr(instrument, "item") and hasattr(instrument, "scales")):
            raise ParameterError(f"Report.label_with takes an Instrument (e.g. "
                                 f"responses.instrument). Got {type(instrument).__name__} "
                                 f"instead.")
        self._default_instrument = instrument
        if instrument not in self._label_instruments:
            self._label_instruments.append(instrument)
        return instrument

    def read_waves(self, waves: Mapping[Any, Any], *, key: str | None = None,
                   root: Any = None) -> Any:
        """Read and pool a study's waves as stages; see :func:`.study_inputs.read_waves`.

        Examples
        --------
        >>> pooled = report.read_waves({"1": ("wave1.xlsx", {"local_protectionism": "1.0.0"}),
        ...                             "2": "wave2.xlsx"}, key=KEY)     # doctest: +SKIP
        """
        from .study_inputs import read_waves

        return read_waves(self, waves, key=key, root=root)

    def each(self, name: str, items: Sequence[Any] | Mapping[Any, Any], func: Any, *,
             parallel: bool = False) -> dict[Any, Any]:
        """Run ``func`` on every item as one stage with a progress count; ``{key: result}``.

        ``items`` is a sequence (keys: each item's ``.id`` — a scale — or the item itself)
        or a mapping key -> item. Warnings are recorded under the stage as for
        :meth:`stage`; a failure names the stage and the item
        (``stage 'reliability: market_barriers' failed (input: none): …``).

        ``parallel=True`` runs the second half of the items in a forked child on the
        second core (Linux; :mod:`surveykit.report.fork_map`): the same results, in the
        same order, with the same warnings, as the serial run. ``func`` must then return
        what it computes — anything else it changes in the child is lost (Report methods
        refuse to run there, and the item is run again here).

        Examples
        --------
        >>> rel = report.each("reliability", scales, lambda s: sk.reliability(kept, scale=s.id))  # doctest: +SKIP
        """
        from .fork_map import run_split

        self._no_worker("each")
        if not callable(func):
            raise ParameterError(f"The 'func' parameter of Report.each must be a function of one "
                                 f"item. Got {type(func).__name__} instead.")
        if not isinstance(parallel, bool):
            raise ParameterError(f"The 'parallel' parameter of Report.each must be True or "
                                 f"False. Got {parallel!r} instead.")
        pairs = (list(items.items()) if isinstance(items, Mapping)
                 else [(getattr(i, "id", i), i) for i in items])
        with self.stage(name, total=len(pairs)) as st:
            def before(i: int) -> None:
                if i:
                    st.advance()
                st.info.item = str(pairs[i][0])   # named in the failure line if func fails

            values = (run_split(func, [item for _, item in pairs], before) if parallel
                      else [before(i) or func(item) for i, (_, item) in enumerate(pairs)])
            if pairs:
                st.advance()
            st.info.item = None
        return {k: v for (k, _), v in zip(pairs, values)}

    def _no_worker(self, method: str) -> None:
        from .fork_map import WorkerSideEffect, in_worker

        if in_worker():
            raise WorkerSideEffect(f"Report.{method} inside a parallel Report.each worker")

    def _remember_labels(self, options: Mapping[str, Any]) -> None:
        """Keep ``names=`` (first name given wins) and ``instrument=`` for the methods section."""
        for k, v in dict(options.get("names") or {}).items():
            self._labels.setdefault(str(k), v)
        ins = options.get("instrument")
        if ins is not None and ins not in self._label_instruments:
            self._label_instruments.append(ins)

    def _record(self, obj: Any) -> None:
        """A result's provenance into the methods/manifest, its seeds into the manifest."""
        prov = obj.provenance.as_dict()
        if prov not in self._provenance:
            self._provenance.append(prov)
        for k in _SEED_KEYS:
            v = obj.provenance.parameters.get(k)
            if v is not None:
                self._seeds.setdefault(f"{obj.provenance.analysis}.{k}", v)

    def _unique(self, base: str, kind: str) -> str:
        name, k = base, 2
        while (kind, name) in self._names:
            name, k = f"{base}_{k}", k + 1
        self._names.add((kind, name))
        return name

    def figure(self, fig: Any, name: str | None = None, caption: Text | None = None) -> None:
        """Add a matplotlib figure (rendered to PNG and SVG; ``name`` is the file name).

        A figure drawn by surveykit's plot functions knows its own file name and bilingual
        caption (``likert_bars(scale="trust")`` → ``likert_trust``, "Answers to the items of
        …"); ``name`` and ``caption`` override them and are required for other figures.
        """
        self._no_worker("figure")
        from .figure_jobs import render

        name = name if name is not None else getattr(fig, "surveykit_name", None)
        if caption is None:
            caption = getattr(fig, "surveykit_caption", None)
        if not re.fullmatch(r"[0-9A-Za-z_\-]+", name or ""):
            raise ParameterError(f"The 'name' parameter of Report.figure must be a file name of "
                                 f"letters, digits, '_' or '-' (required for a figure not drawn "
                                 f"by surveykit). Got {name!r} instead.")
        if ("figure", name) in self._names:
            raise ParameterError(f"Report.figure: a figure named {name!r} was already added; "
                                 f"give each figure its own name.")
        self._names.add(("figure", name))
        # drawn in a forked child while the script goes on (figure_jobs); the figure as it
        # is now is what the report shows
        self._current().blocks.append(_Figure(name, caption, render(fig)))

    def text(self, text: Text | None = None, *, zh: str | None = None,
             en: str | None = None) -> None:
        """Add a paragraph (one string, or ``zh=``/``en=``) to the current section."""
        self._no_worker("text")
        self._current().blocks.append(_Text(_text_arg(text, zh, en, "Report.text")))

    def methods(self, text: Text | None = None, *, zh: str | None = None,
                en: str | None = None) -> None:
        """Add a paragraph to the methods section (the parameter list is added automatically)."""
        self._no_worker("methods")
        self._methods.blocks.append(_Text(_text_arg(text, zh, en, "Report.methods")))

    def sample(self, n_in: Any, exclusions: pd.DataFrame | Mapping[str, int] | None = None,
               final_n: int | Mapping[Any, int] | pd.Series | None = None, *,
               by: str | None = None, group_labels: Mapping[Any, Text] | None = None,
               text: Text | None = None, group_label: Text | None = None) -> None:
        """Fill the sample section: rows in, exclusions by rule (with thresholds), final n.

        Parameters
        ----------
        n_in : int or the result of ``surveykit.clean``
            Rows read (all waves). A cleaning result supplies rows in, the exclusions per
            rule (with thresholds and flags) and its provenance (for the methods text).
        exclusions : DataFrame or mapping rule -> n, optional
            One row per rule: ``rule``, ``threshold`` (optional), ``n_excluded`` (or ``n``).
        final_n : int, mapping group -> n or Series, optional
            Final sample size, overall or per group (e.g. per region).
        by : str, optional
            With a cleaning result: count the kept respondents per value of this column
            (e.g. ``"PR01"``, region).
        group_labels : mapping value -> text, optional
            Labels of the groups, e.g. ``{1: {"zh": "成都", "en": "Chengdu"}}`` (default:
            the answer labels of ``by`` in the instrument set by :meth:`label_with`).
        group_label : text, optional
            Heading of the group column (default 组别 / Group).

        Examples
        --------
        >>> report.sample(cleaned, by="PR01", group_labels={1: {"zh": "成都", "en": "Chengdu"},
        ...                                                 2: {"zh": "重庆", "en": "Chongqing"}})  # doctest: +SKIP
        """
        self._no_worker("sample")
        from .sample import summarise_sample

        ins = self._default_instrument
        if group_labels is None and by is not None and ins is not None and ins.has_item(by):
            opts = getattr(ins.item(by).response, "options", None) or ()  # answer labels
            group_labels = {o.value: dict(o.label) for o in opts}
        s = summarise_sample(n_in, exclusions, final_n, by=by, group_labels=group_labels)
        if s.provenance is not None and s.provenance not in self._provenance:
            self._provenance.insert(0, s.provenance)
        blocks = self._sample.blocks = []
        blocks.append(_Text({lang: t("sample_text", lang, n_in=s.n_in, n_out=s.n_out,
                                     n_final=s.n_final) for lang in LANGS}))
        if text is not None:
            blocks.append(_Text(text))
        if len(s.exclusions):
            exc: Any = s.exclusions
            rules = (getattr(getattr(n_in, "provenance", None), "parameters", {}) or {}).get("rules")
            if rules and len(rules) == len(exc) and all(isinstance(r, Mapping) and "rule" in r
                                                        for r in rules):  # a cleaning result: rules in words, per language
                from .data_tables import exclusions_frame

                exc = exclusions_frame(s.exclusions, rules)
            blocks.append(_Table(exc, "sample_exclusions",
                                 {"zh": "按规则剔除的记录", "en": "Rows excluded, by rule"},
                                 None, {}))
        if s.groups:
            def final_table(lang: str) -> pd.DataFrame:
                return pd.DataFrame({"group": [*(pick(g, lang) for g in s.groups),
                                               t("total", lang)],
                                     "n": [*s.counts, s.n_final]})

            blocks.append(_Table(final_table, "sample_final_n",
                                 {l: t("final_n", l) for l in LANGS}, None,
                                 {"labels": {"group": group_label}} if group_label else {}))

    def input_file(self, path: str | os.PathLike[str]) -> str:
        """Record an input file (hashed into the manifest); returns the path as given.

        A folder (case notes, codings) records every file in it and below, in sorted order.
        """
        p = os.fspath(path)
        if os.path.isdir(p):
            for f in sorted(Path(p).rglob("*")):
                if f.is_file() and str(f) not in self._inputs:
                    self._inputs.append(str(f))
            return p
        if not os.path.isfile(p):
            raise ReportError(f"Report.input_file: {p} does not exist or is not a file or "
                              f"folder. Check the path.")
        if p not in self._inputs:
            self._inputs.append(p)
        return p

    def instrument(self, ins: Any) -> Any:
        """Record an instrument (id, version, hash, file) for the manifest; returns it."""
        if ins not in self._instruments:
            self._instruments.append(ins)
        return ins

    def seed(self, name: str, value: Any) -> Any:
        """Record a random seed for the manifest; returns ``value``."""
        self._seeds[str(name)] = value
        return value

    # ------------------------------------------------------------------ stages
    @contextlib.contextmanager
    def stage(self, name: str, input: str | os.PathLike[str] | None = None,
              total: float | None = None) -> Iterator[StageHandle]:
        """Run a step as a named stage (progress line; on failure the runner names it).

        Every warning raised inside is recorded under the stage (:attr:`StageInfo.warnings`,
        listed in the report's warnings block and in manifest.json ``stage_warnings``) and
        then passed on once, as raised, to the warnings machinery outside (the console,
        ``surveykit run``'s list, ``pytest.warns``). Filters in force outside still apply:
        a warning they ignore is neither shown nor recorded.
        """
        self._no_worker("stage")
        info = StageInfo(name, os.fspath(input) if input is not None else None, total)
        self.stages.append(info)
        if self.listener is not None:
            self.listener.start(info)
        catcher = warnings.catch_warnings(record=True)
        log = catcher.__enter__()
        try:
            yield StageHandle(info, self.listener)
        except BaseException as exc:
            info.status = "failed"
            if self.failed is None:
                self.failed, self.failure = info, exc
            raise
        else:
            info.status = "done"
        finally:
            catcher.__exit__(None, None, None)
            self._keep_warnings(info, log)
            info.seconds = time.perf_counter() - info.started
            if self.listener is not None:
                self.listener.finish(info)

    def _keep_warnings(self, info: StageInfo, log: list[warnings.WarningMessage]) -> None:
        """Record the distinct warnings of a stage and re-raise each once outside it."""
        passed: set[str] = set()
        for w in log:
            text = f"{w.category.__name__}: {w.message}"
            if id(w.message) not in self._attributed:       # not kept by an inner stage
                self._attributed[id(w.message)] = w.message  # (kept alive: ids stay unique)
                if text not in info.warnings:
                    info.warnings.append(text)
            if text not in passed:
                passed.add(text)
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno,
                                       source=w.source)

    def warning_entries(self) -> list[dict[str, Any]]:
        """Every warning of the run: ``{"stage", "input", "warning"}``, stage warnings in
        stage order, then those raised outside any stage (``stage`` None)."""
        out: list[dict[str, Any]] = []
        for st in self.stages:
            out += [{"stage": st.name, "input": st.input, "warning": w} for w in st.warnings]
        staged = {e["warning"] for e in out}
        out += [{"stage": None, "input": None, "warning": w} for w in self.warnings
                if w not in staged]
        return out

    def all_warnings(self) -> list[str]:
        """The distinct warning texts of the run (``Category: message``), in order."""
        seen = list(self.warnings)
        for e in self.warning_entries():
            if e["warning"] not in seen:
                seen.append(e["warning"])
        return seen

    # ------------------------------------------------------------------ rendering
    def render(self, lang: str | None = None, *, created_at: str = "",
               command: Sequence[str] = (), incomplete: str = "",
               extra: Mapping[str, Any] | None = None) -> RenderedReport:
        """Resolve everything into one language (see :mod:`surveykit.report.model`)."""
        from .manifest import display_path, instrument_entries, package_versions

        lang = check_choice("Report.render", "lang", lang or self.lang, LANGS)
        counters = {"table": 0, "figure": 0}
        masked: dict[str, Any] = {}
        sections = []
        methods = _Section(self._methods.id, self._methods.title, list(self._methods.blocks))
        methods.blocks.extend(self._auto_methods())
        for sec in [self._sample, methods, *self._sections]:
            if not sec.blocks and sec.id in ("sample", "methods"):
                continue
            blocks = []
            for b in sec.blocks:
                if isinstance(b, _Text):
                    text = pick(b.text, lang)
                    if self.scrub:
                        text, found = scrub_str(text)
                        if found:
                            masked.setdefault(f"text in '{pick(sec.title, lang)}'",
                                              Counter()).update(found)
                    blocks.append(TextBlock(text, b.kind))
                elif isinstance(b, _Table):
                    counters["table"] += 1
                    n = counters["table"]
                    obj = b.obj(lang) if callable(b.obj) else b.obj  # language-dependent rows
                    tab = apa_table(obj, caption=b.caption, note=b.note, lang=lang, **b.options)
                    if self.scrub:
                        tab, found = scrub_table(tab)
                        if found:
                            masked[f"table {n}"] = found
                    files = tuple((f"tables/{n:02d}_{b.name}_{suffix}.csv", make(lang))
                                  for suffix, make in b.files.items())
                    if files:  # the note names the files (e.g. every group's rwg(j))
                        tab = dataclasses.replace(tab, note=tab.note + (" " if lang == "en" else "")
                                                  + t("extra_csv", lang,
                                                      files=", ".join(f for f, _ in files)))
                    blocks.append(TableBlock(n, tab, f"tables/{n:02d}_{b.name}.csv", files))
                else:
                    counters["figure"] += 1
                    blocks.append(FigureBlock(counters["figure"], b.name, pick(b.caption, lang),
                                              b.png, b.svg))
            sections.append(RenderedSection(sec.id, pick(sec.title, lang), tuple(blocks)))
        extra = dict(extra or {})
        if masked:
            note = f"SurveykitWarning: {masked_message(masked)}"
            if note not in self.warnings:
                self.warnings.append(note)
            if "warnings" in extra and note not in extra["warnings"]:
                extra["warnings"] = [*extra["warnings"], note]
        inputs = tuple({"path": display_path(p), "sha256": _sha(p)} for p in self._inputs)
        return RenderedReport(
            title=pick(self.title, lang) or t("report_title", lang), lang=lang,
            sections=tuple(sections), created_at=created_at, command_line=tuple(command),
            packages=package_versions(), inputs=inputs,
            instruments=tuple(e for i in self._instruments for e in instrument_entries(i)),
            seeds=dict(sorted(self._seeds.items())), incomplete=incomplete,
            extra=extra)

    def _auto_methods(self) -> list[_Text]:
        from .prose import Labels, methods_paragraphs

        if not self._provenance:
            return []
        out = [_Text({l: t("methods_auto", l) for l in LANGS})]
        labels = Labels(names=dict(self._labels),
                        instruments=tuple(self._label_instruments) + tuple(self._instruments))
        per_lang = {l: methods_paragraphs(self._provenance, l, labels) for l in LANGS}
        for i in range(len(per_lang["en"])):
            out.append(_Text({l: per_lang[l][i] for l in LANGS}, "list"))
        return out

    # ------------------------------------------------------------------ writing
    def write(self, out: str | os.PathLike[str], *, lang: str | None = None,
              command: Sequence[str] | None = None, formula_safe: bool = True,
              docx_style: DocxStyle | None = None) -> Path:
        """Write the complete report into ``out`` (see the module docstring); return ``out``.

        ``formula_safe=False`` writes the text cells of ``tables/*.csv`` raw instead of
        quoting those a spreadsheet would run as formulas (``=``, ``+``, ``-``, ``@`` …).
        ``docx_style`` sets fonts, sizes and page of ``report.docx`` (default the report's
        own ``docx_style``, else ``DocxStyle.for_lang(lang)``: 宋体 + Times New Roman for zh,
        APA 7 for en); a mapping is a set of changes to the language's defaults."""
        lang = lang or self.lang
        style = resolve_style(docx_style if docx_style is not None else self.docx_style, lang)
        return write_report(self, Path(out), lang=lang, command=command,
                            formula_safe=formula_safe, docx_style=style)

    def write_failed(self, out: str | os.PathLike[str], *, stage: str, input: str | None,
                     message: str, lang: str | None = None,
                     command: Sequence[str] | None = None, detail: str = "",
                     formula_safe: bool = True, docx_style: DocxStyle | None = None) -> Path:
        """Write the partial report of a failed run, clearly marked INCOMPLETE."""
        lang = lang or self.lang
        style = resolve_style(docx_style if docx_style is not None else self.docx_style, lang)
        return write_report(self, Path(out), lang=lang, command=command,
                            failed={"stage": stage, "input": input, "message": message},
                            detail=detail, formula_safe=formula_safe, docx_style=style)


def _sha(path: str) -> str:
    from .manifest import sha256_file

    return sha256_file(path)


_CURRENT: Report | None = None


def current() -> Report:
    """The report of the running study (``surveykit run`` sets it); a new one otherwise.

    Scripts written top to bottom (no ``main``) take their report from here.
    """
    global _CURRENT
    if _CURRENT is None:
        _CURRENT = Report()
    return _CURRENT


def set_current(report: Report | None) -> None:
    """Make ``report`` the one :func:`current` returns (the runner does this)."""
    global _CURRENT
    _CURRENT = report
