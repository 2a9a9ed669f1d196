"""Joint displays: survey results beside coded case material, per construct and group.

The survey side is a scale score per respondent (columns named by scale id, as
:func:`surveykit.score` returns them) and a grouping column (e.g. ``PR01`` region).
The qualitative side is the codings of the case notes, linked to constructs through the
codebook (``links:``), and a note attribute that names the same groups (``region``).
One row per construct × group (plus an ``all`` row per construct) shows:

* survey: n, mean, sd, 95 % CI of the mean (t-based, as R ``t.test(x)$conf.int``) and
  the comparison between the groups (Welch t for two groups, Welch ANOVA for more, via
  :func:`surveykit.compare_groups`, or a comparison you pass in);
* qualitative: the linked codes with their segment counts, notes with such segments,
  and ``n_quotes`` exemplar quotes (from different notes where possible);
* integration: ``confirm`` / ``expand`` / ``discord`` pre-filled by the rule below and
  overridable from a YAML/CSV file.

Integration rule (defaults in :data:`DEFAULT_RULES`)
----------------------------------------------------
survey direction
    ``high`` if the CI lies above the scale midpoint, ``low`` if below, else ``neutral``.
    The midpoint is ``rules["midpoint"]`` if given, else the middle of the scale's
    response range from the instrument (3 on the 1–5 agreement scale), else 3.
qualitative direction
    Each linked segment speaks for a high (``+`` link) or low (``-`` link) value.
    With fewer than ``min_segments`` segments there is no qualitative evidence
    (integration left empty, reason given). Else ``high`` if the share of ``+``
    segments is at least ``high_share``, ``low`` if at most ``1 - high_share``,
    else ``mixed``.
label
    same direction → ``confirm``; opposite directions → ``discord``; survey neutral or
    qualitative mixed → ``expand`` (the cases add what the mean does not show).
"""
from __future__ import annotations

import html
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ._files import atomic_path, write_text
from ._format import format_effect_size, format_number, p_text
from ._params import Callables, ColumnName, InstanceOf, Interval, Names, Options, validate_params
from .errors import QualError, SurveykitError
from .qual._io import did_you_mean
from .qual.codebook import CODEBOOK, Codebook
from .qual.codings import CODINGS, Codings, load_codings
from .qual.notes import NOTES, NoteSet
from .result import Result, make_provenance

__all__ = ["joint_display", "JointDisplay", "DEFAULT_RULES", "INTEGRATION_LABELS"]

INTEGRATION_LABELS = ("confirm", "expand", "discord")
DEFAULT_RULES: Mapping[str, float | None] = {"midpoint": None, "min_segments": 2,
                                             "high_share": 2 / 3, "conf_level": 0.95}
_HEAD = {
    "zh": {"construct": "构念", "group": "组别", "survey": "问卷结果 均值 [95% CI] (n)",
           "comparison": "组间比较", "codes": "关联编码（片段数）", "quotes": "例证引文",
           "integration": "整合判断"},
    "en": {"construct": "Construct", "group": "Group", "survey": "Survey mean [95% CI] (n)",
           "comparison": "Comparison", "codes": "Linked codes (segments)", "quotes": "Exemplar quotes",
           "integration": "Integration"},
}
_ALL = {"zh": "全部", "en": "all"}


@dataclass(frozen=True, kw_only=True, repr=False)
class JointDisplay(Result):
    """A joint display. ``table``: one row per construct × group (see module docstring);
    ``quotes``: one row per exemplar quote (construct, group, rank, note, code, quote)."""

    quotes: pd.DataFrame
    lang: str
    n_constructs: int
    n_groups: int
    n_confirm: int
    n_expand: int
    n_discord: int
    title: str = "Joint display"

    def to_html(self, path: "str | Path | None" = None) -> str:
        """An HTML table (quotes as lists); written to ``path`` when given."""
        h = _HEAD[self.lang]
        cols = ["construct", "group", "survey", "comparison", "codes", "quotes", "integration"]
        out = ["<table class='surveykit-joint-display'>", "<thead><tr>" +
               "".join(f"<th>{html.escape(h[c])}</th>" for c in cols) + "</tr></thead><tbody>"]
        for r in self.table.itertuples(index=False):
            qs = self.quotes[(self.quotes["construct"] == r.construct) & (self.quotes["group"] == r.group)]
            quotes = "<ul>" + "".join(f"<li>“{html.escape(q.quote)}”<br><small>{html.escape(q.note)}"
                                      f" · {html.escape(q.code)}</small></li>"
                                      for q in qs.itertuples(index=False)) + "</ul>" if len(qs) else ""
            cells = [r.construct_name, r.group, _survey_text(r), r.comparison, r.codes, None,
                     f"{r.integration}" + (f" ({r.integration_source})" if r.integration else "")]
            out.append("<tr>" + "".join(
                f"<td>{quotes}</td>" if c is None else f"<td>{html.escape(str(c))}</td>"
                for c in cells) + "</tr>")
        out.append("</tbody></table>")
        text = "\n".join(out)
        if path is not None:
            write_text(path, "<!doctype html><meta charset='utf-8'>\n" + text)
        return text

    def _repr_html_(self) -> str:
        return f"<h4>{html.escape(self.title)}</h4>" + self.to_html()

    def to_docx(self, target: Any = None, *, font: str = "Noto Sans CJK SC",
                fallback_font: str = "SimSun") -> Any:
        """Add the display as a Word table to ``target`` (a path or a python-docx Document).

        Table text gets ``font`` as its East Asian font (``w:eastAsia`` with the eastAsia
        hint); the document's Normal style gets ``fallback_font`` (SimSun) as East Asian
        font. Returns the Document (saved when a path is given).
        """
        import docx
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        doc = target if target is not None and not isinstance(target, (str, Path)) else docx.Document()
        h = _HEAD[self.lang]
        cols = ["construct", "group", "survey", "comparison", "codes", "quotes", "integration"]
        table = doc.add_table(rows=1, cols=len(cols))
        try:
            table.style = "Table Grid"
        except Exception:  # pragma: no cover - custom templates without the style
            pass
        for cell, c in zip(table.rows[0].cells, cols):
            cell.text = h[c]
        for r in self.table.itertuples(index=False):
            qs = self.quotes[(self.quotes["construct"] == r.construct) & (self.quotes["group"] == r.group)]
            quotes = "\n".join(f"“{q.quote}”（{q.note}）" for q in qs.itertuples(index=False))
            vals = [r.construct_name, r.group, _survey_text(r), r.comparison, r.codes, quotes,
                    r.integration]
            for cell, v in zip(table.add_row().cells, vals):
                cell.text = str(v)
        for row in table.rows:
            for cell in row.cells:
                for par in cell.paragraphs:
                    for run in par.runs:
                        run.font.name = font
                        rpr = run._element.get_or_add_rPr()
                        fonts = rpr.find(qn("w:rFonts"))
                        if fonts is None:
                            fonts = OxmlElement("w:rFonts")
                            rpr.insert(0, fonts)
                        fonts.set(qn("w:eastAsia"), font)
                        fonts.set(qn("w:hint"), "eastAsia")
        _set_default_east_asian(doc, font, fallback_font)
        if isinstance(target, (str, Path)):
            with atomic_path(target) as tmp:
                doc.save(str(tmp))
        return doc


def _set_default_east_asian(doc: Any, font: str, fallback: str) -> None:
    """East Asian font of the Normal style: ``fallback`` (SimSun ships with every Chinese
    Windows), so Chinese outside the table renders even where ``font`` is not installed."""
    from docx.oxml.ns import qn

    style = doc.styles["Normal"]
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        from docx.oxml import OxmlElement

        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), fallback or font)


def _survey_text(r: Any) -> str:
    if pd.isna(r.mean):
        return f"n = {r.n}"
    if pd.isna(r.ci_low):
        return f"{format_number(r.mean)} (n = {r.n})"
    return f"{format_number(r.mean)} [{format_number(r.ci_low)}, {format_number(r.ci_high)}] (n = {r.n})"


def _as_frame(scores: Any) -> tuple[pd.DataFrame, Any]:
    ins = getattr(scores, "instrument", None)
    if isinstance(scores, pd.DataFrame):
        return scores, None
    if hasattr(scores, "to_frame"):
        return scores.to_frame(), ins
    for attr in ("scores", "table"):
        f = getattr(scores, attr, None)
        if isinstance(f, pd.DataFrame):
            return f, ins
    raise QualError(f"joint_display needs the scale scores as a DataFrame (one column per scale "
                    f"id and the group column); got {type(scores).__name__}.")


def _column(construct: str, columns: Sequence[str]) -> str | None:
    scale = construct.split(".", 1)[1] if "." in construct else construct
    for c in (scale, construct):
        if c in columns:
            return c
    return None


def _labels(ins: Any, group: str, values: list[Any], lang: str) -> dict[Any, list[str]]:
    """Survey group value → candidate names (value itself + option labels in all languages)."""
    out = {v: [str(v)] for v in values}
    try:
        rs = ins.item(group).response if ins is not None else None
    except Exception:
        rs = None
    for v in values:
        if rs is not None:
            for o in rs.options:
                if o.value == v or str(o.value) == str(v):
                    lab = [o.label.in_lang(lang)] + [o.label[k] for k in o.label]
                    out[v] = [lab[0]] + [x for x in lab[1:] + out[v] if x != lab[0]]
    return out


def _read_overrides(overrides: Any) -> pd.DataFrame:
    if overrides is None:
        return pd.DataFrame(columns=["construct", "group", "integration", "reason"])
    if isinstance(overrides, pd.DataFrame):
        df = overrides.copy()
    elif isinstance(overrides, (list, tuple)):
        df = pd.DataFrame(list(overrides))
    else:
        p = Path(overrides)
        if not p.exists():
            raise QualError(f"{p}: overrides file not found.")
        if p.suffix.lower() == ".csv":
            df = pd.read_csv(p, dtype=str, keep_default_na=False)
        elif p.suffix.lower() in (".yaml", ".yml"):
            from .qual._io import load_yaml, plain, read_text

            data = plain(load_yaml(read_text(p, "overrides file"), str(p)))
            if isinstance(data, dict):
                data = data.get("overrides", data)
            if not isinstance(data, list):
                raise QualError(f"{p}: expected a list of {{construct, group, integration, reason}}.")
            df = pd.DataFrame(data)
        else:
            raise QualError(f"{p}: overrides must be a .yaml or .csv file.")
    for c in ("construct", "group", "integration"):
        if c not in df.columns:
            raise QualError(f"The integration overrides need columns construct, group, "
                            f"integration (and optionally reason); {c!r} is missing.")
    if "reason" not in df.columns:
        df["reason"] = ""
    bad = df[~df["integration"].astype(str).isin(INTEGRATION_LABELS)]
    if len(bad):
        v = str(bad["integration"].iloc[0])
        raise QualError(f"Override integration {v!r} (construct {bad['construct'].iloc[0]!r}) must "
                        f"be one of {', '.join(INTEGRATION_LABELS)}.{did_you_mean(v, INTEGRATION_LABELS)}")
    return df.astype(str)


def rule_directions(row: Mapping[str, Any], rules: Mapping[str, Any]) -> tuple[str, str]:
    """The survey direction (``high``/``low``/``neutral`` of the CI against the midpoint) and
    the cases' (``high``/``low``/``mixed``, or ``""`` with fewer than ``min_segments``)."""
    mid, lo, hi = rules["midpoint"], row["ci_low"], row["ci_high"]
    if pd.isna(lo) or pd.isna(hi):
        sdir = "neutral"
    else:
        sdir = "high" if lo > mid else ("low" if hi < mid else "neutral")
    n_seg = row["n_positive"] + row["n_negative"]
    if n_seg < rules["min_segments"]:
        return sdir, ""
    share = row["n_positive"] / n_seg
    qdir = "high" if share >= rules["high_share"] else ("low" if share <= 1 - rules["high_share"] else "mixed")
    return sdir, qdir


def default_rule(row: Mapping[str, Any], rules: Mapping[str, Any]) -> tuple[str, str]:
    """The documented integration rule: (label, reason). See the module docstring."""
    mid = rules["midpoint"]
    sdir, qdir = rule_directions(row, rules)
    n_seg = row["n_positive"] + row["n_negative"]
    if not qdir:
        return "", (f"{n_seg} linked segment(s) (< {rules['min_segments']}): no qualitative "
                    f"evidence to integrate")
    why = f"survey {sdir} vs midpoint {mid:g}; cases {qdir} ({row['n_positive']}+/{row['n_negative']}-)"
    if sdir == "neutral" or qdir == "mixed":
        return "expand", why
    return ("confirm" if sdir == qdir else "discord"), why


def _ci(x: np.ndarray, level: float) -> tuple[int, float, float, float, float]:
    n = len(x)
    if n == 0:
        return 0, np.nan, np.nan, np.nan, np.nan
    m = float(x.mean())
    if n < 2:
        return n, m, np.nan, np.nan, np.nan
    sd = float(x.std(ddof=1))
    half = stats.t.ppf(0.5 + level / 2, n - 1) * sd / np.sqrt(n)
    return n, m, sd, m - half, m + half


def _comparison(frame: pd.DataFrame, col: str, construct: str, group: str, given: Any,
                n_groups: int) -> dict[str, Any]:
    res = None
    if isinstance(given, Mapping):
        res = given.get(col, given.get(construct))
    elif given is not None and getattr(given, "y", col) in (col, construct):
        res = given
    if res is None:
        try:
            from .analysis.groups.compare import compare_groups

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = compare_groups(frame[[col, group]].dropna(), y=col, group=group,
                                     test="welch" if n_groups == 2 else "welch_anova")
        except SurveykitError as e:
            return {"method": "", "statistic": np.nan, "df1": np.nan, "df2": np.nan,
                    "p_value": np.nan, "effect_size": np.nan, "effect_size_name": "",
                    "comparison": f"not computed: {e}"}
    g = lambda a: getattr(res, a, None)  # noqa: E731
    df1, df2 = g("df1"), g("df2")
    def df_num(v: Any) -> str:  # Welch's df keep two decimals, whole numbers print as such
        return format_number(v, 2, integer=True)

    df_txt = "" if df1 is None else (f"({df_num(df1)})" if df2 is None
                                     else f"({df_num(df1)}, {df_num(df2)})")
    sym = "t" if df2 is None and g("test") in (None, "welch", "student") else "F"
    p = g("p_value")
    # APA (as the report's tables): statistic with two decimals and a true minus sign,
    # p = .032 / p < .001, bounded effect sizes without a leading zero
    txt = f"{g('method') or ''}: {sym}{df_txt} = {format_number(g('statistic'), 2)}, {p_text(p)}"
    if g("effect_size") is not None and g("effect_size_name"):
        txt += f", {g('effect_size_name')} = {format_effect_size(g('effect_size'), g('effect_size_name'))}"
    return {"method": g("method") or "", "statistic": g("statistic"), "df1": df1,
            "df2": df2 if df2 is not None else np.nan, "p_value": p,
            "effect_size": g("effect_size"), "effect_size_name": g("effect_size_name") or "",
            "comparison": txt}


@validate_params({
    "group": [ColumnName()], "codebook": [CODEBOOK], "codings": [CODINGS], "notes": [NOTES],
    "constructs": [Names(single=True), None],
    "rules": [InstanceOf(Mapping, "a mapping of rule settings"), Callables(), None],
    "n_quotes": [Interval(int, 0, None)], "lang": [Options("zh", "en")],
    "note_group": [ColumnName()], "group_map": [InstanceOf(Mapping, "a mapping"), None],
    "coder": [Names(single=True), None],
})
def joint_display(scores: Any, group: str, codebook: Codebook, codings: "Codings | str",
                  notes: NoteSet, *, constructs: Sequence[str] | None = None,
                  comparisons: Any = None, rules: "Mapping[str, Any] | Callable | None" = None,
                  overrides: Any = None, n_quotes: int = 3, lang: str = "zh",
                  note_group: str = "region", group_map: Mapping[Any, str] | None = None,
                  coder: "str | Sequence[str] | None" = None, instrument: Any = None) -> JointDisplay:
    """Survey results and coded case material side by side, per construct and group.

    Parameters
    ----------
    scores : DataFrame or Responses-like
        Scale scores (columns named by scale id, e.g. ``administrative_barriers``, or by
        the full construct ``local_protectionism.administrative_barriers``) and ``group``.
    group : str
        Grouping column in ``scores`` (e.g. ``"PR01"``).
    codebook, codings, notes
        The coded case material; codes reach constructs through the codebook links.
    constructs : list of str, optional
        Constructs (``instrument.scale``) to show; default every linked construct that
        has a score column.
    comparisons : GroupComparison or mapping (score column or construct → GroupComparison), optional
        Group comparisons already computed (:func:`surveykit.compare_groups`); a single
        result is used for the construct whose score column is its ``dv``. Default:
        Welch t (two groups) or Welch ANOVA (more), as R ``t.test`` / ``oneway.test``.
    rules : mapping or callable, optional
        Rule settings (``midpoint``, ``min_segments``, ``high_share``, ``conf_level``;
        see :data:`DEFAULT_RULES`) or a function ``row -> (label, reason)``.
    overrides : path (.yaml/.csv), DataFrame or list of dicts, optional
        Researcher decisions: columns ``construct, group, integration, reason``.
    n_quotes : int
        Exemplar quotes per row (from different notes where possible).
    lang : {"zh", "en"}
        Language of construct, code and group labels and of the HTML/Word headers.
    note_group : str
        Note attribute that names the groups (default ``region``).
    group_map : mapping, optional
        Survey group value → note attribute value (e.g. ``{1: "chengdu", 2: "chongqing"}``).
        Default: match the value or its option labels (from the instrument), ignoring case.
    coder : str or list, optional
        Use only these coders' segments (default: all, pooled).
    instrument : Instrument, optional
        For group labels, scale names and the scale midpoint.

    Returns
    -------
    JointDisplay
        ``.table`` (DataFrame), ``.quotes``, ``.to_html()``, ``.to_docx(path_or_doc)``.

    Notes
    -----
    R equivalent: ``t.test(y ~ g)`` / ``oneway.test(y ~ g)`` for the survey side (Welch);
    joining it with coded quotes has no R counterpart.

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.datasets import example_study_path
    >>> notes = sk.read_notes(example_study_path("notes"))
    >>> cod = sk.load_codings(example_study_path("codings"), notes=notes)
    >>> import numpy as np, pandas as pd
    >>> cb = sk.load_codebook(example_study_path("codebook.yaml"))
    >>> rng = np.random.default_rng(1)
    >>> scores = pd.DataFrame({"PR01": rng.integers(1, 3, 80),
    ...                        "administrative_barriers": rng.normal(3.3, 0.7, 80)})
    >>> jd = sk.joint_display(scores, "PR01", cb, cod, notes,
    ...                       group_map={1: "chengdu", 2: "chongqing"})
    >>> jd.table[["group", "integration"]].values.tolist()
    [['chengdu', 'confirm'], ['chongqing', ''], ['全部', 'confirm']]
    """
    frame, ins = _as_frame(scores)
    ins = instrument if instrument is not None else ins
    if group not in frame.columns:
        raise QualError(f"The scores have no group column {group!r}.{did_you_mean(group, frame.columns)}")
    cod = codings if isinstance(codings, Codings) else load_codings(codings)
    if coder is not None:
        cod = cod.only(coder=coder)
    attrs = notes.attributes
    if note_group not in attrs.columns:
        raise QualError(f"The notes have no attribute {note_group!r}.{did_you_mean(note_group, attrs.columns)}")
    rl, rule_fn = _rule_settings(rules)
    chosen = _chosen_constructs(codebook, constructs, list(frame.columns))
    groups = _match_groups(frame[group], attrs[note_group], ins, group, lang, group_map)
    segments = cod.frame.merge(attrs[[note_group]].reset_index(), on="note", how="left")
    rows, quote_rows = [], []
    for construct in chosen:
        r, q = _construct_rows(construct, frame, group, groups, segments, codebook, ins,
                               comparisons, rl, rule_fn, note_group=note_group, lang=lang,
                               n_quotes=n_quotes)
        rows += r
        quote_rows += q
    table, quotes = _assemble(rows, quote_rows, _read_overrides(overrides), lang)
    vc = table["integration"].value_counts()
    params = {"group": group, "constructs": tuple(chosen), "n_quotes": n_quotes, "lang": lang,
              "note_group": note_group,
              "rules": ("callable" if callable(rules) else {k: rl[k] for k in DEFAULT_RULES}),
              "overrides": str(overrides) if overrides is not None else None, "coder": coder}
    return JointDisplay(
        table=table, quotes=quotes, lang=lang, n_constructs=len(chosen), n_groups=len(groups.values),
        n_confirm=int(vc.get("confirm", 0)), n_expand=int(vc.get("expand", 0)),
        n_discord=int(vc.get("discord", 0)),
        provenance=make_provenance("joint_display", params,
                                   {"n_quotes": 3, "lang": "zh", "note_group": "region",
                                    "overrides": None, "coder": None},
                                   instruments=tuple(getattr(ins, "refs", ()) or ()),
                                   r_equivalent="t.test(x)$conf.int; t.test(y ~ g); oneway.test(y ~ g)"))


# ------------------------------------------------------------------------------------
# the steps of joint_display
# ------------------------------------------------------------------------------------
#: the columns of JointDisplay.table, in order
_TABLE_COLUMNS = ["construct", "construct_name", "group", "n", "mean", "sd", "ci_low", "ci_high",
                  "method", "statistic", "df1", "df2", "p_value", "effect_size", "effect_size_name",
                  "comparison", "codes", "n_segments", "n_notes", "n_notes_group", "n_positive",
                  "n_negative", "quotes", "integration", "integration_source", "integration_reason",
                  "note", "midpoint", "survey_direction", "case_direction"]


@dataclass(frozen=True)
class _Groups:
    """The survey groups and the note attribute value each one matches (None: no note)."""

    values: list[Any]                 # survey values, sorted where they sort
    note_value: dict[Any, str | None]
    label: dict[Any, str]             # the label a row shows
    note_values: pd.Series            # the notes' attribute values (text; missing left out)
    n_notes: int                      # every note, with the attribute or without


def _rule_settings(rules: "Mapping[str, Any] | Callable | None") -> tuple[dict[str, Any], Callable]:
    """The rule settings (defaults updated by ``rules``) and the rule function."""
    rl: dict[str, Any] = dict(DEFAULT_RULES)
    if callable(rules):
        return rl, rules
    if rules is not None:
        for k in rules:
            if k not in DEFAULT_RULES:
                raise QualError(f"Unknown rule setting {k!r}.{did_you_mean(k, DEFAULT_RULES)} "
                                f"Known: {', '.join(DEFAULT_RULES)}.")
        rl.update(rules)
    return rl, default_rule


def _chosen_constructs(codebook: Codebook, constructs: Sequence[str] | None,
                       cols: list[str]) -> list[str]:
    """The constructs to show: the given ones (checked) or every linked one with a score column."""
    if constructs is None:
        chosen = [c for c in codebook.constructs if _column(c, cols)]
        if not chosen:
            raise QualError("None of the constructs linked in the codebook has a score column "
                            f"(looked for: {', '.join(c.split('.')[-1] for c in codebook.constructs[:6])}"
                            f", …). Score the scales first (surveykit.score).")
        return chosen
    chosen = list(constructs)
    for c in chosen:
        if c not in codebook.constructs:
            raise QualError(f"No code links to construct {c!r}.{did_you_mean(c, codebook.constructs)}")
        if not _column(c, cols):
            raise QualError(f"The scores have no column for construct {c!r} (expected "
                            f"{c.split('.')[-1]!r}).{did_you_mean(c.split('.')[-1], cols)}")
    return chosen


def _match_groups(survey: pd.Series, notes_attr: pd.Series, ins: Any, group: str, lang: str,
                  group_map: Mapping[Any, str] | None) -> _Groups:
    """Survey group values ↔ note attribute values (``group_map``, else value or option labels)."""
    gvals = [v for v in pd.unique(survey.dropna())]
    try:
        gvals = sorted(gvals)
    except TypeError:
        pass
    cands = _labels(ins, group, gvals, lang)
    note_vals = notes_attr.dropna().astype(str)
    lower = {v.casefold(): v for v in note_vals.unique()}
    gmap: dict[Any, str | None] = {}
    for v in gvals:
        if group_map is not None and v in group_map:
            gmap[v] = str(group_map[v])
        else:
            gmap[v] = next((lower[c.casefold()] for c in cands[v] if c.casefold() in lower), None)
    glabel = {v: (cands[v][0] if cands[v][0] != str(v) or gmap[v] is None else gmap[v])
              for v in gvals}
    return _Groups(gvals, gmap, glabel, note_vals, len(notes_attr))


def _construct_rows(construct: str, frame: pd.DataFrame, group: str, groups: _Groups,
                    segments: pd.DataFrame, codebook: Codebook, ins: Any, comparisons: Any,
                    rl: dict[str, Any], rule_fn: Callable, *, note_group: str, lang: str,
                    n_quotes: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The display rows of one construct (one per group, then "all") and their quotes."""
    cols = list(frame.columns)
    col = _column(construct, cols)
    linked = codebook.linked_codes(construct)
    y = pd.to_numeric(frame[col], errors="coerce")
    cmp_ = _comparison(frame.assign(**{col: y}), col, construct, group, comparisons,
                       len(groups.values))
    cname = _construct_name(ins, construct, col, lang)
    midpoint = rl["midpoint"] if rl["midpoint"] is not None else _midpoint(ins, col)
    rl_c = dict(rl, midpoint=midpoint)
    level = float(rl["conf_level"])
    rows, quote_rows = [], []
    for gv in [*groups.values, None]:
        sel = y[frame[group] == gv] if gv is not None else y
        n_missing = int(sel.isna().sum())
        n, m, sd, lo, hi = _ci(sel.dropna().to_numpy(dtype=float), level)
        nv = groups.note_value.get(gv) if gv is not None else None
        in_group = (segments if gv is None
                    else segments[segments[note_group].astype(str) == (nv or "\x00")])
        segs = in_group[in_group["code"].isin(list(linked))]
        n_group_notes = (groups.n_notes if gv is None
                         else int((groups.note_values == (nv or "\x00")).sum()))
        counts = segs["code"].value_counts()
        codes_txt = "; ".join(f"{codebook.code(c).label(lang)} ({k})" for c, k in counts.items()
                              if c in codebook)
        dirs = segs["code"].map(linked)
        label = groups.label[gv] if gv is not None else _ALL[lang]
        note_parts = []
        if n_missing:
            note_parts.append(f"{n_missing} respondent(s) without a {col} score")
        if gv is not None and nv is None:
            note_parts.append(f"no note has {note_group} matching group {label!r}; pass group_map")
        row = {"construct": construct, "construct_name": cname, "group": label, "n": n,
               "mean": m, "sd": sd, "ci_low": lo, "ci_high": hi, **cmp_,
               "codes": codes_txt, "n_segments": int(len(segs)),
               "n_notes": int(segs["note"].nunique()), "n_notes_group": n_group_notes,
               "n_positive": int((dirs == "+").sum()), "n_negative": int((dirs == "-").sum()),
               "note": "; ".join(note_parts)}
        for rank, q in enumerate(_pick_quotes(segs, counts, n_quotes), start=1):
            quote_rows.append({"construct": construct, "group": label, "rank": rank,
                               "note": q.note, "code": q.code, "coder": q.coder, "quote": q.quote})
        lab, why = rule_fn(row, rl_c)
        sdir, qdir = rule_directions(row, rl_c)
        row.update(integration=lab, integration_source="rule" if lab else "", integration_reason=why,
                   midpoint=midpoint, survey_direction=sdir, case_direction=qdir)
        rows.append(row)
    return rows, quote_rows


def _assemble(rows: list[dict[str, Any]], quote_rows: list[dict[str, Any]], ov: pd.DataFrame,
              lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The display table (quotes joined per row, overrides applied, columns in order) and quotes."""
    table = pd.DataFrame(rows)
    quotes = pd.DataFrame(quote_rows, columns=["construct", "group", "rank", "note", "code", "coder",
                                               "quote"])
    table["quotes"] = [" / ".join(f"“{q}”" for q in quotes[(quotes["construct"] == r.construct) &
                                                            (quotes["group"] == r.group)]["quote"])
                       for r in table.itertuples(index=False)]
    table = _apply_overrides(table, ov, _ALL[lang])
    return table[_TABLE_COLUMNS], quotes


def _midpoint(ins: Any, col: str) -> float:
    """Middle of the scale's response range (3 on 1–5); 3.0 without an instrument."""
    try:
        low, high = ins.item_range(ins.scale(col).items[0])
        return (float(low) + float(high)) / 2
    except Exception:
        return 3.0


def _construct_name(ins: Any, construct: str, col: str, lang: str) -> str:
    try:
        return ins.scale(col).name.in_lang(lang) if ins is not None else construct
    except Exception:
        return construct


def _pick_quotes(segs: pd.DataFrame, counts: pd.Series, k: int) -> list[Any]:
    """Up to k segments: most frequent codes first, one per note before repeating a note."""
    if k == 0 or segs.empty:
        return []
    rank = {c: i for i, c in enumerate(counts.index)}
    s = segs.assign(_r=segs["code"].map(rank)).sort_values(["_r", "note", "start", "coder"])
    s = s.drop_duplicates(["note", "start", "end"])
    s = s.assign(_k=s.groupby("note").cumcount()).sort_values(["_k", "_r", "note", "start"])
    return list(s.head(k).itertuples(index=False))


def _apply_overrides(table: pd.DataFrame, ov: pd.DataFrame, all_label: str) -> pd.DataFrame:
    if ov.empty:
        return table
    table = table.copy()
    for r in ov.itertuples(index=False):
        grp = all_label if r.group in _ALL.values() else r.group   # "all" and "全部" both work
        hit = (table["construct"] == r.construct) & (table["group"].astype(str) == grp)
        if not hit.any():
            if r.construct not in set(table["construct"]):
                raise QualError(f"Override names construct {r.construct!r}, which is not in the "
                                f"display.{did_you_mean(r.construct, set(table['construct']))}")
            groups = set(table["group"].astype(str))
            raise QualError(f"Override names group {r.group!r}, which is not in the display."
                            f"{did_you_mean(r.group, groups)} Groups: {', '.join(sorted(groups))}.")
        table.loc[hit, "integration"] = r.integration
        table.loc[hit, "integration_source"] = "override"
        table.loc[hit, "integration_reason"] = r.reason or "researcher override"
    return table
