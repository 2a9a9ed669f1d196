"""One safe YAML loader for every YAML file surveykit reads.

Instruments, the lock file, cleaning rules, mappings, notes' front matter, codebooks and
codings are all read by :func:`load_yaml`. It is ruamel.yaml (never constructs Python
objects) with limits that keep hostile or broken files from hanging or crashing a run:

* :data:`MAX_DEPTH` levels of nesting (deeper files raised ``RecursionError`` before);
* aliases (``*name``) that would expand the document to more than :data:`MAX_EXPANDED`
  values *and* more than :data:`MAX_ALIAS_RATIO` times its written size — an alias bomb
  ("billion laughs") loads instantly as shared references but hangs whatever walks it;
  an alias to a node that contains it (a cycle) is refused too;
* :data:`MAX_BYTES` of text.

Every refusal and every syntax error is one :class:`YamlError` carrying a
:class:`~surveykit.errors.Problem` (``file:line:column: message``) that says how to fix it;
callers turn it into their own error family (an instrument problem, a
:class:`~surveykit.errors.QualError`, a rules-file error).

>>> load_yaml("a: [1, 2]", "x.yaml", typ="safe")
{'a': [1, 2]}
>>> load_yaml("a: " + "[" * 80 + "]" * 80, "x.yaml")
Traceback (most recent call last):
...
surveykit._yaml.YamlError: x.yaml:1:...: YAML nested more than 50 levels deep...
"""
from __future__ import annotations

import re
from typing import Any

from .errors import Problem, ValidationError

__all__ = ["load_yaml", "YamlError", "MAX_DEPTH", "MAX_EXPANDED", "MAX_ALIAS_RATIO",
           "MAX_BYTES"]

#: deepest nesting of mappings and lists read (instrument files need about 6)
MAX_DEPTH = 50
#: values (scalars, mappings, lists) a document may expand to through aliases ...
MAX_EXPANDED = 1_000_000
#: ... when that is also more than this many times the values written in the file
MAX_ALIAS_RATIO = 10
#: largest YAML text read (characters)
MAX_BYTES = 64 << 20


class YamlError(ValidationError):
    """A YAML text that cannot be read (syntax, nesting, alias bomb, size).

    ``problem`` is the one :class:`~surveykit.errors.Problem` (file, line, column, message).
    """

    def __init__(self, problem: Problem) -> None:
        super().__init__([problem])
        self.problem = problem


class _Refused(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


def _composer_class() -> type:
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.events import AliasEvent

    class LimitedComposer(Composer):
        """Counts what the document expands to while composing it (one pass)."""

        parser: Any = None      # plain attributes instead of ruamel's per-call properties
        resolver: Any = None    # (set once per document: a third of the composing time)

        def __init__(self, loader: Any = None) -> None:
            super().__init__(loader)
            self._size: dict[int, int] = {}
            self._written = 0

        def get_single_node(self) -> Any:
            self.parser = self.loader.parser
            self.resolver = self.loader.resolver
            return super().get_single_node()

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.parser.check_event(AliasEvent):
                event = self.parser.peek_event()
                node = super().compose_node(parent, index)
                if id(node) not in self._size:
                    raise _Refused(f"the alias *{event.anchor} refers to a value that contains "
                                   f"it (a cycle). Write the value out instead of the alias.",
                                   event.start_mark)
                return node
            node = super().compose_node(parent, index)
            self._written += 1
            value = node.value
            if isinstance(value, list):
                size = 1
                for v in value:
                    if isinstance(v, tuple):
                        size += self._size.get(id(v[0]), 1) + self._size.get(id(v[1]), 1)
                    else:
                        size += self._size.get(id(v), 1)
                if size > MAX_EXPANDED and size > MAX_ALIAS_RATIO * self._written:
                    raise _Refused(f"its aliases (*name) expand it to more than "
                                   f"{MAX_EXPANDED:,} values from {self._written:,} written — "
                                   f"an alias bomb (\"billion laughs\"), not read. Write the "
                                   f"values out or use fewer nested aliases.", node.start_mark)
            else:
                size = 1
            self._size[id(node)] = size
            return node

    return LimitedComposer


def _resolver_class() -> type:
    from ruamel.yaml.resolver import VersionedResolver

    class Resolver(VersionedResolver):
        """ruamel's resolver with the YAML version looked up once per document."""

        _pv: Any = None

        @property
        def processing_version(self) -> Any:
            if self._pv is None:
                self._pv = VersionedResolver.processing_version.fget(self)  # type: ignore[attr-defined]
            return self._pv

    return Resolver


_COMPOSER: type | None = None
_RESOLVER: type | None = None


def _yaml(typ: str) -> Any:
    global _COMPOSER, _RESOLVER
    from ruamel.yaml import YAML

    if _COMPOSER is None:
        _COMPOSER, _RESOLVER = _composer_class(), _resolver_class()
    y = YAML(typ=typ, pure=True)
    y.Composer = _COMPOSER
    y.Resolver = _RESOLVER
    y.max_depth = MAX_DEPTH
    y.allow_duplicate_keys = False
    if typ == "rt":
        y.preserve_quotes = True
    return y


def _c_parser() -> Any:
    try:
        from _ruamel_yaml import CParser  # ruamel.yaml.clib: libyaml's scanner and parser
    except ImportError:  # pragma: no cover - the C extension is a dependency
        return None
    return CParser


class _Fallback(Exception):
    """Something the lean builder leaves to ruamel (tags, merge keys, errors, limits)."""


def _fast_load(text: str, typ: str) -> Any:
    """libyaml's C parser events built straight into round-trip containers.

    The same data and line/column positions as ruamel's round-trip loader (comments
    aside), about 10× faster: one loop over the events instead of ruamel's composer and
    constructor. Plain scalars that may be numbers, booleans or null go through ruamel's
    own resolver and constructor, so they get exactly ruamel's types. Anything unusual —
    an explicit tag, a merge key, a complex or duplicate key, several documents, a limit
    reached, any error — raises :class:`_Fallback` and the caller reads the text with the
    pure-Python loader, which gives the exact result or message.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.events import (
        AliasEvent,
        DocumentEndEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
        StreamStartEvent,
    )
    from ruamel.yaml.nodes import ScalarNode

    y = _yaml(typ)
    resolver, constructor = y.resolver, y.constructor
    table = resolver.versioned_resolver
    anywhere = table.get(None, [])
    parser = _c_parser()(text)
    get = parser.get_event
    anchors: dict[str, Any] = {}
    size: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[list[Any]] = []     # [container, is_map, key, key_line, key_col, size]
    root: Any = None
    documents = 0
    written = 0

    def scalar(ev: Any) -> Any:
        v = ev.value
        if ev.style:                                  # quoted, literal or folded: text
            return v
        if not (table.get(v[:1], None) or anywhere):  # cannot be a number, bool or null
            return v
        tag = resolver.resolve(ScalarNode, v, ev.implicit)
        if str(tag).rsplit(":", 1)[-1] not in _PLAIN_TAGS:    # merge key '<<', value '=' ...
            raise _Fallback
        return constructor.construct_object(
            ScalarNode(tag, v, ev.start_mark, ev.end_mark, style=ev.style), deep=True)

    def put(value: Any, n: int, mark: Any, is_key_able: bool) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        top = stack[-1]
        top[5] += n
        c = top[0]
        if top[1]:
            if top[2] is _NO_KEY:
                if not is_key_able or (value == "<<") or value in c:
                    raise _Fallback          # complex, merge or duplicate key
                top[2], top[3], top[4] = value, mark.line, mark.column
                return
            key = top[2]
            c[key] = value
            c.lc.add_kv_line_col(key, [top[3], top[4], mark.line, mark.column])
            top[2] = _NO_KEY
        else:
            c.lc.add_idx_line_col(len(c), [mark.line, mark.column])
            c.append(value)

    try:
        while True:
            ev = get()
            cls = type(ev)
            if cls is ScalarEvent:
                if ev.ctag is not None and str(ev.ctag) != "!":
                    raise _Fallback
                if ev.anchor is not None:    # ruamel keeps the anchor on a scalar type
                    raise _Fallback
                written += 1
                put(scalar(ev), 1, ev.start_mark, True)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if (ev.ctag is not None and str(ev.ctag) != "!") or len(stack) >= MAX_DEPTH:
                    raise _Fallback
                written += 1
                c = CommentedMap() if cls is MappingStartEvent else CommentedSeq()
                c._yaml_set_line_col(ev.start_mark.line, ev.start_mark.column)
                if ev.anchor is not None:
                    anchors[ev.anchor] = (c, ev.start_mark)
                open_.add(id(c))
                stack.append([c, cls is MappingStartEvent, _NO_KEY, 0, 0, 1, ev.start_mark])
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                c, _, _, _, _, n, mark = stack.pop()
                open_.discard(id(c))
                size[id(c)] = n
                if n > MAX_EXPANDED and n > MAX_ALIAS_RATIO * written:
                    raise _Fallback
                put(c, n, mark, False)
            elif cls is AliasEvent:
                if ev.anchor not in anchors or id(anchors[ev.anchor][0]) in open_:
                    raise _Fallback
                v, where = anchors[ev.anchor]       # ruamel places an alias where its
                put(v, size.get(id(v), 1), where, False)  # anchor is (as here)
            elif cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Fallback
            elif cls is StreamEndEvent:
                return root
            elif cls not in (StreamStartEvent, DocumentEndEvent):  # pragma: no cover
                raise _Fallback
    finally:
        parser.dispose()


_NO_KEY = object()
_PLAIN_TAGS = {"int", "float", "bool", "null", "str", "timestamp"}


def load_yaml(text: str, file: str, *, typ: str = "rt", line_offset: int = 0,
              comments: bool = True) -> Any:
    """Parse YAML ``text`` safely; :class:`YamlError` (file:line:column) when it cannot.

    Parameters
    ----------
    text : str
        The YAML text (already decoded).
    file : str
        The file name shown in messages.
    typ : {"rt", "safe"}
        ``"rt"``: round-trip objects that know their line (CommentedMap, CommentedSeq);
        ``"safe"``: plain dicts and lists.
    line_offset : int
        Lines before ``text`` in its file (front matter after a ``---`` line).
    comments : bool
        Keep comments in round-trip data (needed when the data are written back, as
        ``notes check --fix`` does). ``False`` reads with libyaml's C parser — the same
        data and positions, 4-5× faster (instrument files). Any error there is reported
        by the pure-Python parser, so messages do not depend on the path taken.
    """
    if len(text) > MAX_BYTES:
        raise YamlError(Problem(file, 0, 0, f"the YAML text has {len(text):,} characters, more "
                                            f"than surveykit reads ({MAX_BYTES:,}). Split the "
                                            f"file."))
    from ruamel.yaml.composer import MaxDepthExceededError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if not comments and "%YAML" not in text and _c_parser() is not None:
        try:
            return _fast_load(text, typ)
        except Exception:   # noqa: BLE001 - _Fallback or a libyaml error: the pure parser
            pass            # below gives the exact result or message
    try:
        return _yaml(typ).load(text)
    except _Refused as e:
        line, col = _pos(e.mark, line_offset)
        raise YamlError(Problem(file, line, col, f"YAML refused: {e.message}")) from None
    except MaxDepthExceededError as e:
        line, col = _pos(e.problem_mark, line_offset)
        raise YamlError(Problem(file, line, col, f"YAML nested more than {MAX_DEPTH} levels "
                                f"deep; surveykit reads at most {MAX_DEPTH}. Flatten the "
                                f"structure (an instrument needs about 6 levels).")) from None
    except MarkedYAMLError as e:
        raise YamlError(_syntax_problem(e, file, line_offset)) from None
    except RecursionError:
        raise YamlError(Problem(file, line_offset, 0, f"YAML nested too deeply to read; "
                                f"surveykit reads at most {MAX_DEPTH} levels.")) from None
    except (YAMLError, ValueError, TypeError, OverflowError) as e:
        # unmarked ruamel errors and constructor errors (a date like 2020-13-45, a bad
        # !!binary, an unhashable key)
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise YamlError(Problem(file, line_offset, 0, f"YAML error: {first}. Fix the value or "
                                f"quote it as text.")) from None


def _pos(mark: Any, line_offset: int) -> tuple[int, int]:
    if mark is None:
        return (line_offset, 0)
    return (mark.line + 1 + line_offset, mark.column + 1)


def _syntax_problem(e: Any, file: str, line_offset: int) -> Problem:
    mark = e.problem_mark or e.context_mark
    line, col = _pos(mark, line_offset)
    what = (e.problem or e.context or "invalid YAML").strip()
    text = str(e)
    if "duplicate key" in text.lower():
        m = re.search(r'found duplicate key "?([^"\n]+?)"? with value', text)
        msg = (f"YAML error: key {m.group(1)!r} appears twice in the same mapping. Keep one of "
               f"them." if m else "YAML error: a key appears twice in the same mapping. Keep one.")
        return Problem(file, line, col, msg)
    ctx = e.context_mark
    started = ""
    if ctx is not None and e.context and mark is not None and ctx.line != mark.line:
        started = (f" ({e.context.strip()} that starts at line {ctx.line + 1 + line_offset}, "
                   f"column {ctx.column + 1})")
    return Problem(file, line, col, f"YAML syntax error: {what}{started}. Check indentation, "
                                    f"colons, brackets and quotes near this position (text "
                                    f"containing ': ' or ' #' must be quoted).")
