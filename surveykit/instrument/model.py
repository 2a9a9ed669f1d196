"""The immutable instrument model: what a questionnaire *is*, independent of any file.

An :class:`Instrument` is loaded from one YAML file per released version
(``instruments/<id>/<version>.yaml``, see docs/instruments.md) and is the single source
of truth for every later stage: import (item ids, option labels, missing codes),
cleaning (attention checks, scales for even-odd/psychometric synonyms), scoring
(reverse keys, min-valid rule), analysis and report (item text per language).

Several instruments fielded together as one questionnaire are joined with
:func:`combine`; the result is again an :class:`Instrument`, so every later stage
takes one object.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterator, Literal, Mapping

from .._params import InstanceOf, validate_params
from ..errors import InstrumentError

__all__ = [
    "LocalizedText", "Option", "MissingCode", "ResponseScale", "Item", "Scale", "Section",
    "MultiSelect", "Matrix", "Instrument", "combine", "MISSING_KINDS", "SCALE_TYPES",
    "option_column", "specify_column", "SELECTED_LABELS",
]

#: Kinds of typed missing codes; ``skipped`` is never a code in the data but the reason
#: given to a cell whose item was not shown because its ``relevant`` condition was false.
MISSING_KINDS = ("refused", "dont_know", "not_applicable", "skipped", "other")
#: Response-scale types. Only ``ordinal`` scales may carry reverse-keyed items.
SCALE_TYPES = ("ordinal", "nominal", "numeric", "text")


class LocalizedText(Mapping[str, str]):
    """Text in several languages: ``t["zh"]``, ``t.get("en")``, ``t.in_lang("en")``.

    Immutable and hashable. ``in_lang`` falls back to the first language present.
    """

    __slots__ = ("_d",)

    def __init__(self, values: Mapping[str, str] | None = None, **kw: str) -> None:
        d = dict(values or {})
        d.update(kw)
        object.__setattr__(self, "_d", MappingProxyType({str(k): str(v) for k, v in d.items()}))

    def __getitem__(self, key: str) -> str:
        return self._d[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._d.items())))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._d) == dict(other)
        return NotImplemented

    def __setattr__(self, *_: Any) -> None:
        raise AttributeError("LocalizedText is immutable")

    def __repr__(self) -> str:
        return f"LocalizedText({dict(self._d)!r})"

    def __reduce__(self) -> tuple:  # pickle / deepcopy (a mappingproxy cannot be pickled)
        return (LocalizedText, (dict(self._d),))

    def in_lang(self, lang: str) -> str:
        """Text in ``lang``, else in the first language present, else ``''``."""
        if lang in self._d:
            return self._d[lang]
        return next(iter(self._d.values()), "")


@dataclass(frozen=True)
class Option:
    """One answer option: the stored code and its label per language.

    ``specify`` marks an "other, please specify" option (其他，请注明): choosing it opens
    a text box whose answer is stored in the companion text column
    :func:`specify_column` (``{item}_{code}_text``).
    """

    value: int | float
    label: LocalizedText
    specify: bool = False


@dataclass(frozen=True)
class MissingCode:
    """A typed missing code such as ``-99`` (refused) or ``-98`` (don't know)."""

    value: int | float
    kind: str
    label: LocalizedText


@dataclass(frozen=True)
class ResponseScale:
    """A response scale: its type, options (in order), typed missing codes and bounds.

    For ``numeric`` scales ``minimum``/``maximum`` bound valid answers; for ordinal and
    nominal scales they are the smallest and largest option value.
    """

    id: str
    type: str
    options: tuple[Option, ...] = ()
    missing: tuple[MissingCode, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    @property
    def values(self) -> tuple[int | float, ...]:
        """Valid option codes in order (empty for numeric and text scales)."""
        return tuple(o.value for o in self.options)

    @property
    def missing_values(self) -> tuple[int | float, ...]:
        return tuple(m.value for m in self.missing)

    @property
    def specify_values(self) -> tuple[int | float, ...]:
        """Codes of the options flagged ``specify: true`` (other, please specify)."""
        return tuple(o.value for o in self.options if o.specify)

    def option(self, value: int | float) -> Option | None:
        """The option with this code (None if there is none)."""
        return next((o for o in self.options if o.value == value), None)

    @property
    def is_ordinal(self) -> bool:
        return self.type == "ordinal"

    @property
    def low(self) -> float | None:
        if self.options:
            return min(self.values)
        return self.minimum

    @property
    def high(self) -> float | None:
        if self.options:
            return max(self.values)
        return self.maximum

    def label(self, value: int | float, lang: str) -> str | None:
        """Label of an option or missing code in ``lang`` (None if the code is unknown)."""
        for o in self.options:
            if o.value == value:
                return o.label.in_lang(lang)
        for m in self.missing:
            if m.value == value:
                return m.label.in_lang(lang)
        return None

    def missing_kind(self, value: Any) -> str | None:
        """The kind (``refused``, ``dont_know`` ...) of a missing code, or None."""
        for m in self.missing:
            if m.value == value:
                return m.kind
        return None


@dataclass(frozen=True)
class Item:
    """One question. ``id`` is stable across versions, independent of display numbering."""

    id: str
    text: LocalizedText
    response: ResponseScale
    construct: str | None = None
    reverse: bool = False
    attention_check: int | float | None = None
    relevant: str | None = None
    required: bool = True
    note: LocalizedText | None = None
    #: For a *column item* generated from a question: the id of that question (a
    #: multi-select's id for its 0/1 columns and their text columns, a single-choice
    #: item's id for its other-specify text column). None for an ordinary item.
    question: str | None = None
    #: The option code a column item stands for (see ``question``).
    option: int | float | None = None

    @property
    def scale_id(self) -> str:
        """Id of the item's response scale."""
        return self.response.id

    @property
    def is_specify(self) -> bool:
        """True for the text column of an other-specify option."""
        return self.question is not None and self.response.type == "text"

    @property
    def is_choice_column(self) -> bool:
        """True for one 0/1 column of a multi-select question."""
        return self.question is not None and self.response.type != "text"


@dataclass(frozen=True)
class Scale:
    """A scored scale or subscale: items, ``mean`` or ``sum``, minimum valid items.

    ``parent`` names the scale this one is a subscale of (None for a top-level scale).
    """

    id: str
    name: LocalizedText
    items: tuple[str, ...]
    score: Literal["mean", "sum"] = "mean"
    min_valid: int = 1
    parent: str | None = None


@dataclass(frozen=True)
class Section:
    """A block of items shown together, in display order.

    ``description`` is text shown at the start of the block; :func:`combine` fills it
    with each part's instructions so a combined questionnaire keeps them.
    """

    id: str
    title: LocalizedText
    items: tuple[str, ...]
    description: LocalizedText | None = None


#: Labels of the two codes of a multi-select's 0/1 columns (other languages use ``en``).
SELECTED_LABELS = {"zh": ("未选", "选中"), "en": ("not selected", "selected")}


def option_column(question: str, code: int | float) -> str:
    """Name of a multi-select's 0/1 column for one option: ``{question}_{code}``.

    >>> option_column("RS13", 2)
    'RS13_2'
    """
    return f"{question}_{int(code)}"


def specify_column(question: str, code: int | float) -> str:
    """Name of the text column of an other-specify option: ``{question}_{code}_text``.

    >>> specify_column("RS13", 5)
    'RS13_5_text'
    """
    return f"{question}_{int(code)}_text"


@dataclass(frozen=True)
class MultiSelect:
    """A multi-select question (多选题): the respondent ticks any number of options.

    In the data it is stored as one 0/1 column item per option (``columns``, named
    :func:`option_column`, in option order: 1 = ticked, 0 = shown and not ticked) and,
    for each option flagged ``specify``, a text column item (``specify``: pairs of
    option code and column id, named :func:`specify_column`). The question's options,
    limits and skip condition are kept here; :meth:`Instrument.multi_select` gives it
    back from its id and :meth:`Instrument.question_of` from any of its columns.
    """

    id: str
    text: LocalizedText
    response: ResponseScale
    columns: tuple[str, ...]
    specify: tuple[tuple[int | float, str], ...] = ()
    min_choices: int | None = None
    max_choices: int | None = None
    relevant: str | None = None
    required: bool = True
    note: LocalizedText | None = None
    construct: str | None = None

    @property
    def codes(self) -> tuple[int | float, ...]:
        """Option codes in order (one per 0/1 column)."""
        return self.response.values

    def column(self, code: int | float) -> str:
        """The 0/1 column of one option."""
        if code not in self.codes:
            raise InstrumentError(f"Multi-select {self.id!r} has no option {code!r} "
                                  f"(options: {', '.join(str(c) for c in self.codes)}).")
        return option_column(self.id, code)

    @property
    def text_columns(self) -> tuple[str, ...]:
        return tuple(c for _, c in self.specify)


@dataclass(frozen=True)
class Matrix:
    """A matrix battery (矩阵量表题 / 矩阵单选题): one question with a stem, one shared
    option set, and many rows.

    The rows are ordinary items (``items``, in display order): each keeps its own id, text,
    reverse key and attention-check answer, is scored and cleaned as any item, and is one
    data column. The matrix only groups them: it is printed as one grid, exported to
    Wenjuanxing as one ``[矩阵量表题]`` and to XLSForm as one ``field-list`` group, and it
    counts as one question in the display numbering (as Wenjuanxing numbers it).
    ``response`` is the rows' shared response scale and ``relevant`` their shared skip
    condition (a matrix is shown or skipped as a whole).
    """

    id: str
    text: LocalizedText
    items: tuple[str, ...]
    response: ResponseScale
    note: LocalizedText | None = None
    relevant: str | None = None

    def row(self, item_id: str) -> int:
        """1-based row number of one of the matrix's items."""
        if item_id not in self.items:
            raise InstrumentError(f"Matrix {self.id!r} has no row {item_id!r} (rows: "
                                  f"{', '.join(self.items)}).")
        return self.items.index(item_id) + 1


@dataclass(frozen=True)
class Instrument:
    """One released version of a questionnaire instrument (immutable).

    Attributes
    ----------
    id, version : str
        ``version`` is a semantic version ``MAJOR.MINOR.PATCH``.
    languages : tuple of str
        Declared languages; every text carries each of them.
    items : tuple of Item
        In display order (sections first, in their order).
    scales : tuple of Scale
    sections : tuple of Section
    response_scales : Mapping[str, ResponseScale]
    path : str or None
        File it was loaded from; ``sha256`` its canonical hash (see versions/lock).
    components : tuple of str
        For a combined questionnaire (:func:`combine`), the ``id@version`` of each part.
    """

    id: str
    version: str
    languages: tuple[str, ...]
    title: LocalizedText
    items: tuple[Item, ...]
    scales: tuple[Scale, ...] = ()
    sections: tuple[Section, ...] = ()
    response_scales: Mapping[str, ResponseScale] = field(default_factory=dict)
    description: LocalizedText = field(default_factory=LocalizedText)
    instructions: LocalizedText = field(default_factory=LocalizedText)
    changelog: LocalizedText = field(default_factory=LocalizedText)
    path: str | None = None
    sha256: str | None = None
    components: tuple[str, ...] = ()
    #: Multi-select questions; their column items are in ``items`` (see :class:`MultiSelect`).
    multi_selects: tuple[MultiSelect, ...] = ()
    #: Matrix batteries; their rows are ordinary items in ``items`` (see :class:`Matrix`).
    matrices: tuple[Matrix, ...] = ()

    def __reduce__(self) -> tuple:
        """Pickle/deepcopy by the declared fields; the lookup indexes are rebuilt on load."""
        from dataclasses import fields

        kw = {f.name: getattr(self, f.name) for f in fields(self)}
        kw["response_scales"] = dict(self.response_scales)
        return (_rebuild_instrument, (kw,))

    def __post_init__(self) -> None:
        object.__setattr__(self, "response_scales", MappingProxyType(dict(self.response_scales)))
        object.__setattr__(self, "_item_index", MappingProxyType({it.id: i for i, it in enumerate(self.items)}))
        object.__setattr__(self, "_scale_index", MappingProxyType({s.id: s for s in self.scales}))
        object.__setattr__(self, "_multi_index",
                           MappingProxyType({m.id: m for m in self.multi_selects}))
        object.__setattr__(self, "_matrix_index",
                           MappingProxyType({m.id: m for m in self.matrices}))
        row_of = {i: m for m in self.matrices for i in m.items}
        object.__setattr__(self, "_row_index", MappingProxyType(row_of))
        numbers: dict[str, int] = {}
        qnum: dict[str, int] = {}
        for it in self.items:
            key = it.question or (row_of[it.id].id if it.id in row_of else it.id)
            if key not in qnum:
                qnum[key] = len(qnum) + 1
            numbers[it.id] = qnum[key]
        object.__setattr__(self, "_numbers", MappingProxyType(numbers))
        object.__setattr__(self, "_question_numbers", MappingProxyType(qnum))

    # -- identity -----------------------------------------------------------------
    @property
    def ref(self) -> str:
        """``"id@version"`` (for provenance and manifests)."""
        return f"{self.id}@{self.version}"

    @property
    def refs(self) -> tuple[str, ...]:
        """Every ``id@version`` this questionnaire is made of (itself if not combined)."""
        return self.components or (self.ref,)

    # -- items --------------------------------------------------------------------
    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(it.id for it in self.items)

    def has_item(self, item_id: str) -> bool:
        return item_id in self._item_index  # type: ignore[attr-defined]

    def item(self, item_id: str) -> Item:
        """The item with this id; :class:`InstrumentError` naming close ids if unknown."""
        idx = self._item_index.get(item_id)  # type: ignore[attr-defined]
        if idx is None:
            raise InstrumentError(_unknown("item", item_id, self.item_ids, self.ref))
        return self.items[idx]

    def display_number(self, item_id: str) -> int:
        """1-based number of the item's question in display order (as fielding tools
        number it): the columns of one multi-select, an other-specify text column and the
        rows of one matrix share their question's number. Takes an item, a multi-select
        or a matrix id."""
        if item_id in self._multi_index or item_id in self._matrix_index:  # type: ignore[attr-defined]
            return self._question_numbers[item_id]  # type: ignore[attr-defined]
        self.item(item_id)
        return self._numbers[item_id]  # type: ignore[attr-defined]

    # -- questions (multi-select, other-specify) -----------------------------------
    @property
    def question_ids(self) -> tuple[str, ...]:
        """One id per question in display order: a multi-select counts once (its own
        id, not its columns) and an other-specify text column is part of its item."""
        return tuple(self._question_numbers)  # type: ignore[attr-defined]

    def question_at(self, number: int) -> str | None:
        """The question id with this display number (None if out of range)."""
        ids = self.question_ids
        return ids[number - 1] if 1 <= number <= len(ids) else None

    def questions(self) -> "tuple[Item | MultiSelect | Matrix, ...]":
        """Questions as respondents see them, in display order: an ordinary item, a
        :class:`MultiSelect` in place of its columns, a :class:`Matrix` in place of its
        rows; other-specify text columns left out (they belong to their option).
        Exporters and the questionnaire use this."""
        out: list[Item | MultiSelect | Matrix] = []
        rows = self._row_index  # type: ignore[attr-defined]
        for it in self.items:
            if it.id in rows:
                if it.id == rows[it.id].items[0]:
                    out.append(rows[it.id])
            elif it.question is None:
                out.append(it)
            elif it.question in self._multi_index and it.id == self._multi_index[  # type: ignore[attr-defined]
                    it.question].columns[0]:
                out.append(self._multi_index[it.question])  # type: ignore[attr-defined]
        return tuple(out)

    def is_multi_select(self, question_id: str) -> bool:
        return question_id in self._multi_index  # type: ignore[attr-defined]

    def multi_select(self, question_id: str) -> MultiSelect:
        """The multi-select with this id; :class:`InstrumentError` naming close ids."""
        m = self._multi_index.get(question_id)  # type: ignore[attr-defined]
        if m is None:
            raise InstrumentError(_unknown("multi-select question", question_id,
                                           tuple(self._multi_index), self.ref))  # type: ignore[attr-defined]
        return m

    def question_of(self, item_id: str) -> str:
        """The question an item belongs to: a column item's multi-select or item, a matrix
        row's matrix, else the item's own id."""
        it = self.item(item_id)
        if it.question is not None:
            return it.question
        m = self._row_index.get(item_id)  # type: ignore[attr-defined]
        return m.id if m is not None else item_id

    def columns_of(self, question_id: str) -> tuple[str, ...]:
        """Every item (data column) of a question: a multi-select's 0/1 and text columns,
        an item and its other-specify text columns, or a matrix's rows."""
        m = self._matrix_index.get(question_id)  # type: ignore[attr-defined]
        if m is not None:
            return m.items
        return tuple(it.id for it in self.items if (it.question or it.id) == question_id)

    # -- matrices ------------------------------------------------------------------
    def is_matrix(self, question_id: str) -> bool:
        return question_id in self._matrix_index  # type: ignore[attr-defined]

    def matrix(self, question_id: str) -> Matrix:
        """The matrix with this id; :class:`InstrumentError` naming close ids."""
        m = self._matrix_index.get(question_id)  # type: ignore[attr-defined]
        if m is None:
            raise InstrumentError(_unknown("matrix", question_id,
                                           tuple(self._matrix_index), self.ref))  # type: ignore[attr-defined]
        return m

    def matrix_of(self, item_id: str) -> Matrix | None:
        """The matrix an item is a row of (None for an item outside any matrix)."""
        return self._row_index.get(item_id)  # type: ignore[attr-defined]

    def specify_columns(self, item_id: str) -> tuple[str, ...]:
        """Text columns of the other-specify options of an item or multi-select."""
        return tuple(it.id for it in self.items if it.question == item_id and it.is_specify)

    # -- scales -------------------------------------------------------------------
    @property
    def scale_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.scales)

    def scale(self, scale_id: str) -> Scale:
        """The scale with this id; :class:`InstrumentError` naming close ids if unknown."""
        s = self._scale_index.get(scale_id)  # type: ignore[attr-defined]
        if s is None:
            raise InstrumentError(_unknown("scale", scale_id, self.scale_ids, self.ref))
        return s

    def subscales(self, scale_id: str) -> tuple[Scale, ...]:
        return tuple(s for s in self.scales if s.parent == scale_id)

    def reverse_items(self, scale_id: str | None = None) -> tuple[str, ...]:
        """Reverse-keyed items (of one scale, or of the whole instrument)."""
        ids = self.scale(scale_id).items if scale_id else self.item_ids
        return tuple(i for i in ids if self.item(i).reverse)

    def item_range(self, item_id: str) -> tuple[float, float] | None:
        """(low, high) of the item's valid answers, None for text items."""
        rs = self.item(item_id).response
        if rs.low is None or rs.high is None:
            return None
        return (rs.low, rs.high)

    def attention_checks(self) -> tuple[Item, ...]:
        return tuple(it for it in self.items if it.attention_check is not None)


def _rebuild_instrument(kw: dict) -> "Instrument":
    return Instrument(**kw)


def _unknown(kind: str, name: str, known: tuple[str, ...], where: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=3)
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return f"{where} has no {kind} {name!r}.{hint}"


@validate_params({"instruments": [InstanceOf((list, tuple), "a list of Instruments",
                                               show_type=True)],
                  "id": [InstanceOf(str, "an instrument id (a string)")]})
def combine(instruments: "list[Instrument] | tuple[Instrument, ...]", *, id: str = "questionnaire",
            title: LocalizedText | None = None) -> Instrument:
    """Join instruments fielded together as one questionnaire, in the order given.

    Item and scale ids must be unique across the parts; response scales with the same
    id must be identical. The result's ``components`` lists each part's ``id@version``
    and its ``version`` is ``"+"``-joined from them.

    Raises
    ------
    InstrumentError
        When two parts share an item or scale id, or define one response scale differently.

    Notes
    -----
    R equivalent: none (instruments are surveykit's YAML files).

    Examples
    --------
    >>> import surveykit as sk
    >>> q = sk.combine([sk.load_instrument("respondent_profile"),
    ...                 sk.load_instrument("local_protectionism", "1.0.0")], id="short")
    >>> q.components
    ('respondent_profile@1.1.0', 'local_protectionism@1.0.0')
    """
    instruments = list(instruments)
    if not instruments:
        raise InstrumentError("combine needs at least one instrument.")
    items: list[Item] = []
    scales: list[Scale] = []
    sections: list[Section] = []
    rscales: dict[str, ResponseScale] = {}
    seen_items: dict[str, str] = {}
    seen_scales: dict[str, str] = {}
    langs: list[str] = []
    for ins in instruments:
        for lang in ins.languages:
            if lang not in langs:
                langs.append(lang)
        for rid, rs in ins.response_scales.items():
            if rid in rscales and rscales[rid] != rs:
                raise InstrumentError(
                    f"Response scale {rid!r} is defined differently in {ins.ref} and an earlier "
                    f"instrument. Give one of them another id.")
            rscales[rid] = rs
        for it in ins.items:
            if it.id in seen_items:
                raise InstrumentError(
                    f"Item id {it.id!r} is used by both {seen_items[it.id]} and {ins.ref}. "
                    f"Item ids must be unique across a questionnaire.")
            seen_items[it.id] = ins.ref
            items.append(it)
        for s in ins.scales:
            if s.id in seen_scales:
                raise InstrumentError(
                    f"Scale id {s.id!r} is used by both {seen_scales[s.id]} and {ins.ref}.")
            seen_scales[s.id] = ins.ref
            scales.append(s)
        part_sections = list(ins.sections)
        if part_sections and ins.instructions and part_sections[0].description is None:
            from dataclasses import replace

            part_sections[0] = replace(part_sections[0], description=ins.instructions)
        sections.extend(part_sections)
    refs = tuple(r for ins in instruments for r in ins.refs)
    return Instrument(
        id=id, version="+".join(refs), languages=tuple(langs),
        title=title or LocalizedText({lang: id for lang in langs}),
        items=tuple(items), scales=tuple(scales), sections=tuple(sections),
        response_scales=rscales, components=refs,
        multi_selects=tuple(m for ins in instruments for m in ins.multi_selects),
        matrices=tuple(m for ins in instruments for m in ins.matrices),
    )
