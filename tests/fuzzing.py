"""Shared pieces of the hypothesis fuzz tests (issue #15): every parser either succeeds or
raises a SurveykitError-family error with a message — never another exception.

Budgets are bounded (``max_examples``, no deadline) so the fuzz tests run in the default
suite; all of them together stay well under the issue's 60 s.
"""
from __future__ import annotations

import io
import os
from typing import Any, Callable

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from surveykit.errors import SurveykitError


def budget(n: int) -> settings:
    """The settings every fuzz test uses: ``n`` examples (times ``SURVEYKIT_FUZZ`` for a
    deeper local run, e.g. ``SURVEYKIT_FUZZ=50``), no deadline, reproducible."""
    n *= max(1, int(os.environ.get("SURVEYKIT_FUZZ", "1") or 1))
    return settings(max_examples=n, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def clean(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``fn``; a SurveykitError must carry a message, anything else fails the test."""
    try:
        return fn(*args, **kwargs)
    except SurveykitError as e:
        assert str(e).strip(), f"{type(e).__name__} without a message"
        return e


# -- values that break parsers ----------------------------------------------------------------
EDGE_TEXT = ["", " ", "nan", "-nan", ".inf", "1" * 400, "0x3", "null", "~", "yes", "no", "1.0",
             "1.0.0", "-99", "a: b", "[", "]", "{", "*a", "&a", "!!python/object:os.system",
             "%", "@", "`", "\t", "\x00", "\ufeff", "😀", "𠀀", "对方说到做到", "../../x", "<<",
             "---", "...", "#", "'", '"', "\\", "\r\n", "2024-13-45", "0o17", "1e400"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10 ** 20, max_value=10 ** 20),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(EDGE_TEXT),
    st.text(max_size=12))

#: JSON-like values a YAML file can hold (nested a few levels)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.sampled_from(EDGE_TEXT), st.text(max_size=6),
                                                      st.integers(-5, 5)), inner, max_size=4)),
    max_leaves=12)


def dump(data: Any) -> str:
    """YAML text of plain data (ruamel safe dumper; anything it cannot dump becomes repr)."""
    from ruamel.yaml import YAML

    y = YAML(typ="safe", pure=True)
    y.allow_unicode = True
    buf = io.StringIO()
    try:
        y.dump(data, buf)
    except Exception:  # noqa: BLE001 - e.g. a key type the dumper refuses
        return repr(data)
    return buf.getvalue()


def replace_at(doc: Any, path: list[Any], value: Any) -> Any:
    """``doc`` with the node at ``path`` (keys/indices, as far as they exist) set to ``value``."""
    import copy

    doc = copy.deepcopy(doc)
    node = doc
    for k in path[:-1]:
        if isinstance(node, dict) and node:
            node = node[list(node)[hash(str(k)) % len(node)]]
        elif isinstance(node, list) and node:
            node = node[hash(str(k)) % len(node)]
        else:
            break
    last = path[-1] if path else None
    if isinstance(node, dict) and node:
        node[list(node)[hash(str(last)) % len(node)]] = value
    elif isinstance(node, list) and node:
        node[hash(str(last)) % len(node)] = value
    return doc


#: YAML-ish text: fragments that stress the scanner
yaml_text = st.lists(st.sampled_from(
    ["a", ":", " ", "\n", "  ", "- ", "[", "]", "{", "}", ",", "&x", "*x", "!!str", "'", '"',
     "#", "1", ".nan", "? ", "|", ">", "---", "\t", "😀", "<<: *x", "id: x", "items:",
     "version: 1.0.0", "languages: [zh]"]), max_size=40).map("".join)
