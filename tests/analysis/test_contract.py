"""The analysis contract: every public analysis returns a frozen Result with a tidy table.

Runs EVERY public analysis of surveykit on Holzinger & Swineford (1939) and checks that it
returns a frozen ``@dataclass`` subclass of :class:`surveykit.result.Result` with

* a non-empty tidy ``.table`` (a DataFrame; snake_case column names; one scalar per cell —
  no lists, tuples, arrays, dicts or sets),
* every ``.table`` column in :data:`surveykit.result.TABLE_VOCABULARY` (one vocabulary
  across the package),
* every typed field of the result class snake_case, not a retired spelling
  (:data:`surveykit.result.RETIRED_NAMES`) and a vocabulary word
  (:data:`~surveykit.result.FIELD_VOCABULARY` or ``TABLE_VOCABULARY``),
* ``.summary()`` text and ``_repr_html_`` markup, and a short one-line ``repr()`` (no
  tables),
* ``.provenance`` naming the analysis, with its parameters and the surveykit version.

It also checks every ``Result`` subclass anywhere in surveykit (analysis, qual, mixed,
instrument, ...) keeps the short headline ``repr`` and names its typed fields from the
vocabulary, and that every renamed field still reads under its old name with a FutureWarning.

An analysis whose module does not exist yet is reported as skipped ("not implemented
yet"); as soon as the module exists the check runs.
"""
from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import re
import warnings
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.result import FIELD_VOCABULARY, RETIRED_NAMES, TABLE_VOCABULARY, Provenance, Result

DATA = Path(__file__).resolve().parents[1] / "reference" / "groups" / "holzinger" / "input.csv"
X = [f"x{i}" for i in range(1, 10)]
MODEL = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")

#: public name -> call on the Holzinger data frame
CALLS = {
    "reliability": lambda d: sk.reliability(d, ["x4", "x5", "x6"]),
    "kmo": lambda d: sk.kmo(d[X]),
    "bartlett": lambda d: sk.bartlett(d[X]),
    "parallel_analysis": lambda d: sk.parallel_analysis(d[X], n_sim=20, seed=1),
    "efa": lambda d: sk.efa(d[X], 3),
    "cfa": lambda d: sk.cfa(d, MODEL),
    "invariance": lambda d: sk.invariance(d, MODEL, "school"),
    "sem": lambda d: sk.sem(d, MODEL + "\nspeed ~ a*visual + textual\nab := a*2"),
    "modindices": lambda d: sk.modindices(sk.cfa(d, MODEL)),
    "compare_groups": lambda d: sk.compare_groups(d, "textual", "ageyr", posthoc="tukey"),
    "crosstab": lambda d: sk.crosstab(d, "school", "grade"),
    "compare_paired": lambda d: sk.compare_paired(d, "x4", "x5", test="wilcoxon"),
    "correlations": lambda d: sk.correlations(d, X, p_adjust="holm"),
    "regress": lambda d: sk.regress(d, "x9", ["x7", "x8", "ageyr"]),
    "moderation": lambda d: sk.moderation(d, "x9", "x7", "x8", covariates="ageyr"),
    "mediation": lambda d: sk.mediation(d, "x7", "x9", "x8", n_boot=1000, seed=1),
    "aggregation": lambda d: sk.aggregation(d, "ageyr", items=["x4", "x5", "x6"], n_options=7),
    "common_method_bias": lambda d: sk.common_method_bias(d, model=MODEL),
    "describe_sample": lambda d: sk.describe_sample(d, ["school", "grade"], by="sex"),
    "multiple_response": lambda d: sk.multiple_response(
        d.assign(m_1=(d["x1"] > 5).astype(int), m_2=(d["x2"] > 6).astype(int)),
        ["m_1", "m_2"], by="school"),
    "describe_scales": lambda d: sk.describe_scales(d.assign(v=d[["x1", "x2", "x3"]].mean(1),
                                                             t=d[["x4", "x5", "x6"]].mean(1)),
                                                    ["v", "t"]),
    "describe_scores": lambda d: sk.describe_scores(d, ["x1", "x2", "x3"]),
}

#: further calls of a public analysis in another mode ("name[mode]"; checked like CALLS)
VARIANTS = {
    "regress[blocks]": lambda d: sk.regress(d, "x9", blocks=[["ageyr"], ["x7", "x8"]]),
    "cfa[wlsmv_groups]": lambda d: sk.cfa(_ordinal(d), MODEL, group="school", ordered=True,
                                          estimator="WLSMV", equal=("loadings", "thresholds")),
    "invariance[wlsmv]": lambda d: sk.invariance(_ordinal(d), MODEL, "school", ordered=True,
                                                 estimator="WLSMV"),
}


def _ordinal(d: pd.DataFrame) -> pd.DataFrame:
    """The nine items cut at their quartiles (codes 0..3) for the ordinal variants."""
    q = d[X].quantile([0.25, 0.5, 0.75])
    return d.assign(**{x: (d[x].to_numpy()[:, None] > q[x].to_numpy()[None, :]).sum(axis=1)
                       for x in X})


#: public names exported from surveykit.analysis that are helpers, not analyses (no Result)
HELPERS = {"cfa_model": "builds lavaan model syntax from instrument scales"}


@pytest.fixture(scope="module")
def holzinger() -> pd.DataFrame:
    d = pd.read_csv(DATA)
    d["textual"] = d[["x4", "x5", "x6"]].mean(axis=1)
    return d


def test_every_public_analysis_is_covered():
    analysis = {n for n, m in sk._EXPORTS.items() if m.startswith(".analysis.")
                and n[0].islower()} - set(HELPERS)
    assert analysis == set(CALLS), "add new public analyses to CALLS (or helpers to HELPERS)"


def _bad_cells(table: pd.DataFrame) -> list[str]:
    out = []
    for col in table.columns:
        s = table[col]
        if s.dtype != object:
            continue
        bad = s.map(lambda v: isinstance(v, (list, tuple, set, dict, np.ndarray, pd.Series,
                                             pd.DataFrame)))
        if bad.any():
            out.append(f"{col} (row {int(np.flatnonzero(bad.to_numpy())[0])})")
    return out


@pytest.mark.parametrize("call", sorted(CALLS) + sorted(VARIANTS))
def test_contract(call, holzinger):
    name = call.split("[")[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataWarning)
        res = {**CALLS, **VARIANTS}[call](holzinger)
    cls = type(res)
    assert isinstance(res, Result), f"{name} returned {cls.__name__}, not a Result"
    assert dataclasses.is_dataclass(res) and cls.__dataclass_params__.frozen, \
        f"{cls.__name__} must be @dataclass(frozen=True, kw_only=True)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.provenance = None  # type: ignore[misc]

    t = res.table
    assert isinstance(t, pd.DataFrame) and len(t) > 0, f"{name}: .table is empty"
    bad_cols = [c for c in t.columns if not (isinstance(c, str) and SNAKE.match(c))]
    assert not bad_cols, f"{name}: .table columns not snake_case: {bad_cols}"
    assert t.columns.is_unique, f"{name}: duplicate .table columns"
    assert not _bad_cells(t), f"{name}: cells holding containers in {_bad_cells(t)}"
    unknown = [c for c in t.columns if c not in TABLE_VOCABULARY]
    assert not unknown, (f"{name}: .table columns {unknown} are not in TABLE_VOCABULARY; use the "
                         f"existing word for the same thing or add the new one to surveykit/result.py")

    bad_fields = _bad_field_names(cls)
    assert not bad_fields, f"{name}: {cls.__name__} fields {bad_fields}"

    r = repr(res)
    assert r.startswith(f"{cls.__name__}(") and len(r) < 500 and "\n" not in r, \
        f"{name}: repr() must be one short line naming {cls.__name__}; got {len(r)} characters"

    text = res.summary()
    assert isinstance(text, str) and text.strip(), f"{name}: empty summary()"
    assert "<" in res._repr_html_()

    prov = res.provenance
    assert isinstance(prov, Provenance)
    assert prov.analysis == name, f"{name}: provenance.analysis is {prov.analysis!r}"
    assert isinstance(prov.parameters, Mapping) and prov.surveykit_version
    prov.as_dict()  # serialisable for the report manifest


def _all_result_classes() -> list[type]:
    import pkgutil

    for mod in pkgutil.walk_packages(sk.__path__, "surveykit."):
        if not mod.name.endswith("__main__"):
            importlib.import_module(mod.name)
    out, todo = [], list(Result.__subclasses__())
    while todo:
        c = todo.pop()
        out.append(c)
        todo.extend(c.__subclasses__())
    return out


def test_every_result_class_keeps_the_short_repr():
    """A dataclass subclass would otherwise generate a repr printing whole tables
    (Result.__init_subclass__ puts Result.__repr__ into every subclass before @dataclass runs)."""
    classes = _all_result_classes()
    assert len(classes) >= 11
    other = [c.__qualname__ for c in classes if c.__repr__ is not Result.__repr__]
    assert not other, f"Result subclasses with another repr (generated or hand-written): {other}"


#: the fields every Result has (the base class's own)
BASE_FIELDS = {"table", "provenance", "title"}
VOCABULARY = set(FIELD_VOCABULARY) | set(TABLE_VOCABULARY)


def _bad_field_names(cls: type) -> list[str]:
    """Typed fields of ``cls`` that are not snake_case, retired, or not vocabulary words."""
    out = []
    for f in dataclasses.fields(cls):
        if f.name in BASE_FIELDS:
            continue
        if not SNAKE.match(f.name):
            out.append(f"{f.name} (not snake_case)")
        elif f.name in RETIRED_NAMES:
            out.append(f"{f.name} (retired: use {RETIRED_NAMES[f.name]})")
        elif f.name not in VOCABULARY:
            out.append(f"{f.name} (not in FIELD_VOCABULARY: use the existing word for the same "
                       f"thing or add the new one to surveykit/result.py and docs/api.md)")
    return out


def test_every_result_class_names_its_fields_from_the_vocabulary():
    """The typed fields of every Result subclass in surveykit (analysis, qual, mixed,
    instrument, cleaning, ...) follow the vocabulary, not only the analyses run above."""
    classes = [c for c in _all_result_classes() if c.__module__.startswith("surveykit.")]
    assert len(classes) >= 11
    bad = {c.__qualname__: _bad_field_names(c) for c in classes}
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, f"Result fields outside the vocabulary: {bad}"


def test_the_field_check_catches_outliers():
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Odd(Result):
        pvalue: float
        nItems: int
        p_value: float
        frobnication: float

    assert _bad_field_names(Odd) == ["pvalue (retired: use p_value)", "nItems (not snake_case)",
                                     "frobnication (not in FIELD_VOCABULARY: use the existing "
                                     "word for the same thing or add the new one to "
                                     "surveykit/result.py and docs/api.md)"]


def test_the_vocabulary_has_no_retired_word():
    assert not (VOCABULARY & set(RETIRED_NAMES)), VOCABULARY & set(RETIRED_NAMES)


def test_every_renamed_field_points_to_a_field_and_reads_with_a_warning(holzinger):
    """Each ``_renamed`` old name maps to a real field; reading it warns and gives that field."""
    classes = [c for c in _all_result_classes() if c.__module__.startswith("surveykit.")]
    renamed = {c: dict(c._renamed) for c in classes if c._renamed}
    assert renamed, "no renamed fields found"
    for cls, names in renamed.items():
        fields = {f.name for f in dataclasses.fields(cls)}
        for old, new in names.items():
            assert new in fields and old not in fields, f"{cls.__qualname__}: {old} -> {new}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk.DataWarning)
        res = [sk.cfa(holzinger, MODEL, estimator="MLR"), CALLS["mediation"](holzinger)]
    for r in res:
        for old, new in type(r)._renamed.items():
            with pytest.warns(FutureWarning, match=rf"{type(r).__name__}\.{old} is now called "
                                                   rf"'{new}'"):
                value = getattr(r, old)
            assert value is getattr(r, new) or value == getattr(r, new)


def test_repr_of_a_new_dataclass_subclass_is_short():
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Big(Result):
        value: float
        big: pd.DataFrame
        note: str | None = None

    res = Big(table=pd.DataFrame({"estimate": range(1000)}), provenance=Provenance(analysis="big"),
              value=0.5, big=pd.DataFrame(np.zeros((1000, 50))), note="x " * 300)
    r = repr(res)
    assert r.startswith("Big(value=0.500") and len(r) < 120 and "\n" not in r


def test_qual_and_mixed_tables_use_the_same_vocabulary(example):
    """The vocabulary is one across the package: the qualitative and mixed-methods results
    (the bundled example study) use it too; only a ``by=`` column named by the caller is free."""
    notes = sk.read_notes(example / "notes")
    cb = sk.load_codebook(example / "codebook.yaml")
    cod = sk.load_codings(example / "codings", notes=notes, codebook=cb)
    rng = np.random.default_rng(1)
    scores = pd.DataFrame({"PR01": rng.integers(1, 3, 80),
                           "administrative_barriers": rng.normal(3.3, 0.7, 80)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = [sk.check_codings(cod, notes), sk.code_frequencies(cod, notes, by="region"),
                   sk.code_cooccurrence(cod, notes), sk.agreement(cod, notes, level="segment"),
                   sk.joint_display(scores, "PR01", cb, cod, notes,
                                    group_map={1: "chengdu", 2: "chongqing"})]
    for res in results:
        by = res.provenance.parameters.get("by") or ()
        free = {by} if isinstance(by, str) else set(by)
        unknown = [c for c in res.table.columns if c not in TABLE_VOCABULARY and c not in free]
        assert not unknown, f"{type(res).__name__}: .table columns {unknown} not in TABLE_VOCABULARY"
        r = repr(res)
        assert r.startswith(f"{type(res).__name__}(") and len(r) < 500 and "\n" not in r
