"""The one safe YAML loader (surveykit/_yaml.py): depth, alias bombs, cycles, size, syntax.

Every YAML file surveykit reads goes through it; the per-parser cases (instrument, lock,
notes, codebook, codings, rules) are in the matching tests/ folders.
"""
from __future__ import annotations

import time

import pytest

from surveykit._yaml import MAX_DEPTH, YamlError, load_yaml


def billion_laughs(levels: int = 9) -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = "a"
    for n in "bcdefghijk"[:levels]:
        text += f"{n}: &{n} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
        prev = n
    return text


def deep_flow(n: int = 3000) -> str:
    return "a: " + "[" * n + "]" * n + "\n"


def deep_block(n: int = 400) -> str:
    return "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, n)) + "  " * n + "x: 1\n"


@pytest.mark.parametrize("typ", ["rt", "safe"])
def test_alias_bomb_refused_fast_with_line(typ):
    t0 = time.perf_counter()
    with pytest.raises(YamlError, match=r"^f\.yaml:\d+:\d+: YAML refused: its aliases \(\*name\) "
                                        r"expand it to more than 1,000,000 values .*billion laughs"):
        load_yaml(billion_laughs(), "f.yaml", typ=typ)
    assert time.perf_counter() - t0 < 5


@pytest.mark.parametrize("text", [deep_flow(), deep_block()], ids=["flow", "block"])
def test_deep_nesting_refused_not_recursionerror(text):
    with pytest.raises(YamlError, match=rf"f\.yaml:\d+:\d+: YAML nested more than {MAX_DEPTH} "
                                        rf"levels deep"):
        load_yaml(text, "f.yaml")


def test_cycle_refused():
    with pytest.raises(YamlError, match=r"f\.yaml:1:11: YAML refused: the alias \*a refers to a "
                                        r"value that contains it \(a cycle\)"):
        load_yaml("a: &a [1, *a]\n", "f.yaml")


def test_reasonable_aliases_and_depth_still_read():
    shared = "s: &s {1: x, 2: y}\nitems:\n" + "".join(f"  - {{id: I{i}, o: *s}}\n"
                                                       for i in range(200))
    assert len(load_yaml(shared, "f.yaml", typ="safe")["items"]) == 200
    nested = "a: " + "[" * (MAX_DEPTH - 2) + "1" + "]" * (MAX_DEPTH - 2)
    assert load_yaml(nested, "f.yaml") is not None


def test_syntax_and_duplicate_key_and_offset():
    with pytest.raises(YamlError, match=r"n\.md:3:1: YAML error: key 'a' appears twice"):
        load_yaml("a: 1\na: 2\n", "n.md", line_offset=1)
    with pytest.raises(YamlError, match=r"f\.yaml:2:1: YAML syntax error: expected ',' or ']'"):
        load_yaml("a: [1\n", "f.yaml")


def test_python_tags_and_bad_values_are_errors_not_objects():
    with pytest.raises(YamlError, match=r"could not determine a constructor for the tag"):
        load_yaml("a: !!python/object/apply:os.system [echo]\n", "f.yaml", typ="safe")
    with pytest.raises(YamlError, match=r"f\.yaml: YAML error: month must be in 1\.\.12\. Fix the "
                                        r"value or quote it as text"):
        load_yaml("a: 2020-13-45\n", "f.yaml", typ="safe")


def test_size_limit(monkeypatch):
    import surveykit._yaml as y

    monkeypatch.setattr(y, "MAX_BYTES", 100)
    with pytest.raises(YamlError, match=r"f\.yaml: the YAML text has 201 characters, more than "
                                        r"surveykit reads \(100\)\. Split the file"):
        load_yaml("#" * 200 + "\n", "f.yaml")


@pytest.mark.parametrize("name", ["surveykit._yaml", "surveykit.qual._io"])
def test_docstring_examples(name):
    import doctest
    import importlib

    res = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert res.failed == 0 and res.attempted > 0
