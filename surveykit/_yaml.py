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
surveykit._yaml.YamlError: x.yaml:1:...: YAML nested more than 50 levels deep ...
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
MAX_BYTES = 32 << 20


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

        def __init__(self, loader: Any = None) -> None:
            super().__init__(loader)
            self._size: dict[int, int] = {}
            self._written = 0

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


_COMPOSER: type | None = None


def _yaml(typ: str) -> Any:
    global _COMPOSER
    from ruamel.yaml import YAML

    if _COMPOSER is None:
        _COMPOSER = _composer_class()
    y = YAML(typ=typ, pure=True)
    y.Composer = _COMPOSER
    y.max_depth = MAX_DEPTH
    y.allow_duplicate_keys = False
    if typ == "rt":
        y.preserve_quotes = True
    return y


def load_yaml(text: str, file: str, *, typ: str = "rt", line_offset: int = 0) -> Any:
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
    """
    if len(text) > MAX_BYTES:
        raise YamlError(Problem(file, 0, 0, f"the YAML text has {len(text):,} characters, more "
                                            f"than surveykit reads ({MAX_BYTES:,}). Split the "
                                            f"file."))
    from ruamel.yaml.composer import MaxDepthExceededError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

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
