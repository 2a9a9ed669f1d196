"""The C fast path of the YAML loader (instrument files) gives exactly what ruamel's
pure-Python round-trip loader gives: the same values, the same line/column of every key,
value and item; anything unusual falls back to the pure loader."""
from __future__ import annotations

from pathlib import Path

import pytest

from surveykit._yaml import YamlError, _fast_load, _yaml, load_yaml

REPO = Path(__file__).resolve().parents[1]
FILES = sorted((REPO / "instruments").glob("*/*.yaml")) + sorted(
    (REPO / "tests" / "instrument").glob("**/*.yaml"))


def same(a, b, path="$"):
    if isinstance(a, str):
        assert isinstance(b, str) and str(a) == str(b), path
        return
    assert type(a) is type(b), (path, type(a), type(b))
    if isinstance(a, dict):
        assert list(a) == list(b), path
        assert (a.lc.line, a.lc.col) == (b.lc.line, b.lc.col), path
        for k in a:
            assert (a.lc.data or {}).get(k) == (b.lc.data or {}).get(k), (path, k)
            same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b) and (a.lc.line, a.lc.col) == (b.lc.line, b.lc.col), path
        for i, (x, y) in enumerate(zip(a, b)):
            assert (a.lc.data or {}).get(i) == (b.lc.data or {}).get(i), (path, i)
            same(x, y, f"{path}[{i}]")
    else:
        assert a == b or (a != a and b != b) or repr(a) == repr(b), (path, a, b)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fast_path_equals_pure_round_trip(path):
    text = path.read_text(encoding="utf-8")
    try:
        pure = _yaml("rt").load(text)
    except Exception:
        with pytest.raises(YamlError):
            load_yaml(text, "f.yaml", comments=False)
        return
    fast = load_yaml(text, "f.yaml", comments=False)
    same(pure, fast)


SCALARS = """\
a: 1
b: -2.5e3
c: 0x1F
d: 0o17
e: .inf
f: -.nan
g: true
h: null
i: ~
j: ''
k: "1.0.0"
l: 1.0.0
m: 2024-01-01
n: |
  literal
  text
o: >-
  folded
  text
p: [1, x, 'y', {q: r}]
"t s": [*x, *y]
"""


def test_fast_path_scalar_types_equal_pure():
    text = "x: &x [1]\ny: &y [2, 3]\n" + SCALARS
    same(_yaml("rt").load(text), _fast_load(text, "rt"))


@pytest.mark.parametrize("text", [
    "a: !!str 1\n",                        # explicit tag
    "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n",   # merge key
    "? [1, 2]\n: x\n",                     # complex key
    "a: 1\na: 2\n",                        # duplicate key
    "a: 1\n---\nb: 2\n",                   # two documents
    "a: &a [1, *a]\n",                     # cycle
    "a: &s 1\nb: *s\n",                    # anchored scalar
    "a: [1\n",                             # syntax error
    "%YAML 1.1\n---\na: yes\n",           # YAML 1.1 directive
])
def test_unusual_input_takes_the_pure_path(text):
    try:
        pure = ("ok", load_yaml(text, "f.yaml"))
    except YamlError as e:
        pure = ("error", str(e))
    try:
        fast = ("ok", load_yaml(text, "f.yaml", comments=False))
    except YamlError as e:
        fast = ("error", str(e))
    assert pure[0] == fast[0]
    if pure[0] == "ok":
        same(pure[1], fast[1])
    else:
        assert pure[1] == fast[1]
