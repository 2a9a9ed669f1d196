"""Cleaning rules declared per study in a small YAML file.

.. code-block:: yaml

    # rules.yaml — cleaning rules of the regional-synergy study
    rules:
      - rule: duplicates          # same respondent_id or identical answers; keep first
        by: both
      - rule: speeders
        seconds_per_item: 2
        action: exclude
      - rule: attention           # instrument attention_check items
      - rule: irv
        name: irv_low
        below: 0.4

Every problem in the file (unknown rule, unknown key, threshold out of range) is
reported at once with its ``file:line:column``.
"""
from __future__ import annotations

import difflib
import os
from dataclasses import fields
from pathlib import Path
from typing import Any

from .._params import PATH, validate_params
from ..errors import ParameterError, Problem, ValidationError
from .kinds import RULE_TYPES
from .rules import Rule

__all__ = ["load_rules", "rules_from_dicts"]


def _loc(node: Any, key: Any = None) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is None:
        return (0, 0)
    try:
        if key is not None:
            line, col = lc.key(key) if isinstance(key, str) else lc.item(key)
        else:
            line, col = lc.line, lc.col
        return (line + 1, col + 1)
    except Exception:
        return (lc.line + 1, lc.col + 1)


def rules_from_dicts(entries: Any, source: str = "<rules>") -> tuple[Rule, ...]:
    """Build rule objects from a list of mappings (``{"rule": "speeders", ...}``).

    Raises :class:`ValidationError` listing every problem found.
    """
    problems: list[Problem] = []
    out: list[Rule] = []
    if not isinstance(entries, list):
        raise ValidationError([Problem(source, *_loc(entries), "expected a list of rules under "
                                       "'rules:' (each item '- rule: <kind>').")])
    for k, entry in enumerate(entries):
        line, col = _loc(entries, k)
        if not isinstance(entry, dict) or "rule" not in entry:
            problems.append(Problem(source, line, col, "each rule must be a mapping with a "
                                    "'rule:' key, e.g. '- rule: speeders'."))
            continue
        kind = entry["rule"]
        if not isinstance(kind, str):
            problems.append(Problem(source, *_loc(entry, "rule"),
                                    f"'rule:' must name one rule kind (e.g. 'rule: speeders'); "
                                    f"got {_what(kind)}. Known rules: {', '.join(RULE_TYPES)}."))
            continue
        cls = RULE_TYPES.get(kind)
        if cls is None:
            close = difflib.get_close_matches(str(kind), RULE_TYPES, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            problems.append(Problem(source, *_loc(entry, "rule"),
                                    f"unknown rule {kind!r}.{hint} Known rules: "
                                    f"{', '.join(RULE_TYPES)}."))
            continue
        allowed = [f.name for f in fields(cls)]
        kwargs: dict[str, Any] = {}
        bad = False
        for key, value in entry.items():
            if key == "rule":
                continue
            if not isinstance(key, str):
                problems.append(Problem(source, *_loc(entry, key),
                                        f"rule {kind!r}: a setting name must be a word, got "
                                        f"{_what(key)}. Settings: {', '.join(allowed)}."))
                bad = True
                continue
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                problems.append(Problem(source, *_loc(entry, key),
                                        f"rule {kind!r} has no setting {key!r}.{hint} "
                                        f"Settings: {', '.join(allowed)}."))
                bad = True
                continue
            shape = _shape_problem(cls, key, value)
            if shape:
                problems.append(Problem(source, *_loc(entry, key),
                                        f"rule {kind!r}, setting {key!r}: {shape}"))
                bad = True
                continue
            kwargs[str(key)] = _plain(value)
        if bad:
            continue
        try:
            out.append(cls(**kwargs))
        except ParameterError as e:
            problems.append(Problem(source, line, col, str(e)))
        except (TypeError, ValueError, OverflowError) as e:   # never a traceback for a file
            problems.append(Problem(source, line, col, f"rule {kind!r} cannot be made from "
                                    f"these settings ({e}). See docs/cleaning.md for its "
                                    f"settings."))
    labels = [r.label for r in out]
    for lab in sorted({lab for lab in labels if labels.count(lab) > 1}):
        problems.append(Problem(source, 0, 0, f"rule name {lab!r} is used twice; give one of "
                                "them a 'name:' (e.g. name: irv_high)."))
    if problems:
        raise ValidationError(problems, header=f"{source}: {len(problems)} problem(s) in the "
                                               f"cleaning rules:")
    return tuple(out)


#: integers longer than this many digits are refused in a rules file (no threshold or count
#: of a survey needs more; a float cannot even hold them exactly)
MAX_DIGITS = 15


def _what(x: Any) -> str:
    if isinstance(x, dict):
        return "a mapping"
    if isinstance(x, (list, tuple)):
        return "a list"
    return f"{x!r}"


def _example(cls: type[Rule], key: str) -> str:
    """A value to show in the fix: the setting's default, or a typical one."""
    f = next(f for f in fields(cls) if f.name == key)
    if key == "action":
        return cls.actions[-1]          # exclude (mask rules: flag)
    if key == "name":
        return f"{cls.kind}_strict"
    if "tuple" in str(f.type):
        return {"scales": "[scale_a, scale_b]", "reasons": "[empty, refused]"}.get(
            key, "[A1, A2]")
    if isinstance(f.default, bool):
        return "true"
    return str(f.default)


def _shape_problem(cls: type[Rule], key: str, value: Any) -> str | None:
    """What is wrong with the *shape* of a setting's value (list where one value belongs, a
    400-digit number, .inf), with the fix; ``None`` when the rule itself can check it."""
    import math

    f = next(f for f in fields(cls) if f.name == key)
    listy = "tuple" in str(f.type)
    ex = f"e.g. '{key}: {_example(cls, key)}'"
    what = {"name": "one name"}.get(key, "item ids" if listy else "one value")
    if isinstance(value, dict):
        return f"a mapping where {'a list' if listy else 'one value'} belongs. Write {what}, {ex}."
    if isinstance(value, list):
        if not listy:
            return f"a list where one value belongs. Write {what}, {ex}."
        if any(isinstance(v, (list, dict)) for v in value):
            return f"a list inside the list. Write {what}, {ex}."
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        digits = len(str(abs(int(value))))
        if digits > MAX_DIGITS:
            return (f"a number of {digits} digits is not a usable value. Write a plain number, "
                    f"{ex}.")
    if isinstance(value, float) and math.isinf(value):
        return (f"{'-' if value < 0 else ''}.inf is not a finite number. Write a plain number, "
                f"{ex}.")
    return None


@validate_params({"path": [PATH]})
def load_rules(path: str | os.PathLike) -> tuple[Rule, ...]:
    """Read a study's cleaning rules from a YAML file.

    Parameters
    ----------
    path : str or PathLike
        A YAML file with a ``rules:`` list (or a bare list); see docs/cleaning.md.

    Returns
    -------
    tuple of Rule
        In the declared order (the order matters only for attributing exclusions).

    Notes
    -----
    R equivalent: none (the rules file is surveykit's YAML).

    Examples
    --------
    >>> import tempfile, pathlib, surveykit as sk
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "cleaning.yaml"
    >>> _ = path.write_text("rules:\\n  - rule: speeders\\n    seconds_per_item: 2\\n"
    ...                     "  - rule: longstring\\n    threshold: 12\\n", encoding="utf-8")
    >>> [r.label for r in sk.load_rules(path)]
    ['speeders', 'longstring']
    """
    from .._yaml import YamlError, load_yaml

    p = Path(path)
    name = str(path)
    if not p.is_file():
        raise ParameterError(f"The 'path' parameter of load_rules must be an existing YAML "
                             f"file. Got {name!r} instead.")
    try:
        doc = load_yaml(p.read_text(encoding="utf-8-sig"), name)   # depth/alias/size limits
    except YamlError as e:
        pr = e.problem
        raise ValidationError([Problem(pr.file, pr.line, pr.column,
                                       f"not valid YAML: {pr.message}")]) from None
    except UnicodeDecodeError:
        raise ValidationError([Problem(name, 0, 0, "not UTF-8 text; save the rules file as "
                                       "UTF-8.")]) from None
    if isinstance(doc, dict):
        unknown = [k for k in doc if k not in ("rules", "study", "description", "instrument")]
        if unknown:
            raise ValidationError([Problem(name, *_loc(doc, unknown[0]),
                                           f"unknown top-level key {unknown[0]!r}; a rules file "
                                           f"has 'rules:' (and optionally 'study:', "
                                           f"'description:').")])
        ins = doc.get("instrument")
        if ins is not None and not (isinstance(ins, str) or (
                isinstance(ins, list) and ins and all(isinstance(i, str) for i in ins))):
            raise ValidationError([Problem(name, *_loc(doc, "instrument"),
                                           "'instrument:' must name instrument ids (e.g. "
                                           "'instrument: toy' or 'instrument: [part_a, part_b]'"
                                           f"); got {_what(ins)}.")])
        if "rules" not in doc:
            raise ValidationError([Problem(name, 1, 1, "no 'rules:' list found.")])
        doc = doc["rules"]
    if doc is None:
        raise ValidationError([Problem(name, 1, 1, "the file declares no rules.")])
    return rules_from_dicts(doc, name)


def _plain(x: Any) -> Any:
    """ruamel scalars (ScalarFloat, CommentedSeq …) → plain Python values."""
    if isinstance(x, bool) or x is None:
        return x
    if isinstance(x, int):
        return int(x)
    if isinstance(x, float):
        return float(x)
    if isinstance(x, str):
        return str(x)
    if isinstance(x, list):
        return [_plain(v) for v in x]
    return x
