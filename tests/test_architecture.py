"""Imports go one way along the data flow (docs/design.md): checked on the source, not by hand.

instrument → responses → cleaning → scoring → analysis → report; qual reads instrument;
mixed joins analysis and qual; nothing but the CLI imports report; nothing imports the CLI.
"""
from __future__ import annotations

import ast
from pathlib import Path

import surveykit

ROOT = Path(surveykit.__file__).parent
BASE = {"errors", "result", "_format", "_memory", "_parallel", "_files", "_params"}
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "_params": {"errors"},
    "result": {"errors", "_params"},
    "_format": set(),
    "_memory": set(),
    "_parallel": set(),
    "_files": {"errors"},
    "instrument": BASE,
    "responses": BASE | {"instrument"},
    "cleaning": BASE | {"instrument", "responses"},
    "scoring": BASE | {"instrument", "responses", "cleaning"},
    "analysis": BASE | {"instrument", "responses", "cleaning", "scoring"},
    "qual": BASE | {"instrument"},
    "mixed": BASE | {"instrument", "responses", "scoring", "analysis", "qual"},
    "datasets": BASE | {"instrument", "responses"},
    "report": BASE | {"instrument", "responses", "cleaning", "scoring", "analysis", "qual",
                      "mixed", "datasets"},
}


def _area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> set[str]:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    mod = ".".join(rel.parts)
    pkg = mod.rsplit(".", 1)[0] if path.name != "__init__.py" else mod[: -len(".__init__")]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")[: len(pkg.split(".")) - (node.level - 1)]
                out.add(".".join(base + ([node.module] if node.module else [])))
            elif node.module:
                out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return {m for m in out if m.startswith("surveykit.")}


def test_imports_follow_the_data_flow():
    wrong = []
    for path in sorted(ROOT.rglob("*.py")):
        area = _area(".".join(path.relative_to(ROOT.parent).with_suffix("").parts))
        if area in ("cli", "__main__", "__init__"):
            continue
        allowed = ALLOWED.get(area)
        assert allowed is not None, f"{path}: new area {area!r} — add it to ALLOWED and docs/design.md"
        for target in _imports(path):
            t = _area(target)
            if t != area and t not in allowed:
                wrong.append(f"{path.relative_to(ROOT.parent)} imports {target}")
    assert not wrong, "imports against the data flow:\n" + "\n".join(wrong)
