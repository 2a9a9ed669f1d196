"""Imports go one way along the data flow (docs/design.md): checked on the source, not by hand.

instrument → responses → cleaning → scoring → analysis → report; qual reads instrument;
mixed joins analysis and qual; nothing but the CLI imports report; nothing imports the CLI.
Inside ``analysis`` only ``reliability`` may import ``factor``, ``validity`` ``factor`` and
``sem``, and ``describe`` ``reliability`` and ``regression``; no other subpackage imports another, and the shared modules import no subpackage.
No two modules import each other, directly or round a longer loop — an import deferred into
a function counts too.
"""
from __future__ import annotations

import ast
import functools
from pathlib import Path

import surveykit

ROOT = Path(surveykit.__file__).parent
BASE = {"errors", "result", "_format", "_memory", "_parallel", "_files", "_params", "_yaml"}
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "_params": {"errors"},
    "result": {"errors", "_params"},
    "_format": set(),
    "_memory": set(),
    "_parallel": set(),
    "_files": {"errors"},
    "_yaml": {"errors"},
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
#: inside surveykit.analysis: the modules every subpackage may use (they import no subpackage)
ANALYSIS_SHARED = {"inputs", "_matrix", "labels", "padjust", "_rnum"}
#: inside surveykit.analysis: which subpackage may import which other one
ANALYSIS_ALLOWED: dict[str, set[str]] = {
    "reliability": {"factor"},
    "factor": set(),
    "sem": set(),
    "groups": set(),
    "regression": set(),
    "aggregation": set(),
    "validity": {"factor", "sem"},
    "describe": {"reliability", "regression"},
}


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def _import_nodes(tree: ast.AST, *, type_checking: bool):
    """Every Import/ImportFrom node with whether it sits inside a function (deferred).

    Imports are statements, so only statement lists are searched (not expressions).
    ``type_checking=False`` leaves out the bodies of ``if TYPE_CHECKING:`` blocks (never run).
    """
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, deferred = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, deferred
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            deferred = True
        blocks = [getattr(node, f, None) or [] for f in ("body", "orelse", "finalbody")]
        if not type_checking and _is_type_checking(node):
            blocks = [node.orelse]
        blocks += [h.body for h in getattr(node, "handlers", None) or []]
        blocks += [c.body for c in getattr(node, "cases", None) or []]
        stack.extend((c, deferred) for block in blocks if isinstance(block, list) for c in block)


def _targets(module: str, is_package: bool, node: ast.AST, known: set[str]) -> set[str]:
    """The surveykit modules an import statement loads (``from . import x`` → ``pkg.x``)."""
    pkg = module if is_package else module.rpartition(".")[0]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            parts = pkg.split(".")
            base = ".".join(parts[: len(parts) - (node.level - 1)] + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
    else:
        names = [a.name for a in node.names]
    out = set()
    for name in names:
        while name and name not in known:       # a name inside a module → that module
            name = name.rpartition(".")[0]
        if name:
            out.add(name)
    return out


@functools.lru_cache(maxsize=None)
def import_graph(root: Path = ROOT, *, type_checking: bool = False
                 ) -> dict[str, dict[str, list[tuple[int, bool]]]]:
    """module → {imported surveykit module: [(line, deferred into a function), ...]} (cached)."""
    paths = {_module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    known = set(paths)
    graph: dict[str, dict[str, list[tuple[int, bool]]]] = {m: {} for m in paths}
    for mod, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, deferred in _import_nodes(tree, type_checking=type_checking):
            for target in _targets(mod, path.name == "__init__.py", node, known):
                if target != mod:
                    graph[mod].setdefault(target, []).append((node.lineno, deferred))
    return graph


def strongly_connected(graph: dict[str, dict[str, object]]) -> list[list[str]]:
    """Tarjan's strongly connected components (iterative), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    out.append(sorted(comp))
    return out


def _describe_cycle(comp: list[str], graph) -> str:
    edges = []
    for a in comp:
        for b, where in sorted(graph[a].items()):
            if b in comp:
                lines = ", ".join(f"line {ln}{' (in a function)' if d else ''}" for ln, d in sorted(where))
                edges.append(f"    {a} -> {b} ({lines})")
    return " <-> ".join(comp) + "\n" + "\n".join(edges)


def _cycles(root: Path = ROOT) -> list[str]:
    graph = import_graph(root)
    return [_describe_cycle(c, graph) for c in strongly_connected(graph) if len(c) > 1]


def _area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _wrong_direction(root: Path = ROOT) -> list[str]:
    wrong = []
    graph = import_graph(root, type_checking=True)
    for mod, targets in sorted(graph.items()):
        area = _area(mod)
        if area in ("cli", "__main__", "__init__"):
            continue
        allowed = ALLOWED.get(area)
        assert allowed is not None, f"{mod}: new area {area!r} — add it to ALLOWED and docs/design.md"
        for target in targets:
            t = _area(target)
            if t != area and t not in allowed:
                wrong.append(f"{mod} imports {target}")
    return wrong


def _analysis_part(module: str) -> str | None:
    """``reliability``, ``factor`` … for a subpackage module, the module name for a shared one."""
    parts = module.split(".")
    if parts[:2] != ["surveykit", "analysis"] or len(parts) < 3:
        return None
    return parts[2]


def _wrong_inside_analysis(root: Path = ROOT) -> list[str]:
    wrong = []
    graph = import_graph(root, type_checking=True)
    for mod, targets in sorted(graph.items()):
        part = _analysis_part(mod)
        if part is None:
            continue
        known = part in ANALYSIS_SHARED or part in ANALYSIS_ALLOWED
        assert known, (f"{mod}: new analysis module or subpackage {part!r} — add it to "
                       f"ANALYSIS_SHARED or ANALYSIS_ALLOWED and to docs/design.md")
        for target in targets:
            t = _analysis_part(target)
            if t is None or t == part or t in ANALYSIS_SHARED and part not in ANALYSIS_SHARED:
                continue
            if part in ANALYSIS_SHARED:
                if t in ANALYSIS_ALLOWED:
                    wrong.append(f"{mod} (shared) imports the subpackage module {target}")
            elif t not in ANALYSIS_ALLOWED[part]:
                wrong.append(f"{mod} imports {target}: analysis/{part}/ may import "
                             f"{sorted(ANALYSIS_ALLOWED[part]) or 'no other subpackage'}")
    return wrong


def test_imports_follow_the_data_flow():
    wrong = _wrong_direction()
    assert not wrong, "imports against the data flow:\n" + "\n".join(wrong)


def test_analysis_subpackages_import_one_way():
    wrong = _wrong_inside_analysis()
    assert not wrong, "imports between analysis subpackages against docs/design.md:\n" + "\n".join(wrong)


def test_no_import_cycles():
    cycles = _cycles()
    assert not cycles, ("modules that import each other (move the shared piece into a module "
                        "both can import; deferring the import into a function does not "
                        "count):\n" + "\n".join(cycles))


# ------------------------------------------------------------------------------------
# the checks themselves: each finds a violation in a small package written for it
# ------------------------------------------------------------------------------------
def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "surveykit"
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def test_cycle_check_finds_a_deferred_import_and_ignores_type_checking(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "",
        "a/__init__.py": "",
        "a/one.py": "from .two import f\n",
        "a/two.py": "def f():\n    from .three import g\n    return g\n",
        "a/three.py": "def g():\n    from . import one\n",
        "a/four.py": "from typing import TYPE_CHECKING\nfrom .one import f\n"
                     "if TYPE_CHECKING:\n    from .five import h\n",
        "a/five.py": "from .four import f\n",
    })
    cycles = _cycles(root)
    assert len(cycles) == 1, cycles
    assert cycles[0].startswith("surveykit.a.one <-> surveykit.a.three <-> surveykit.a.two")
    assert "surveykit.a.three -> surveykit.a.one (line 2 (in a function))" in cycles[0]


def test_analysis_check_finds_a_subpackage_importing_another(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "",
        "analysis/__init__.py": "",
        "analysis/inputs.py": "from .groups import compare\n",
        "analysis/groups/__init__.py": "",
        "analysis/groups/compare.py": "from ..inputs import x\nfrom ..factor.efa import efa\n",
        "analysis/factor/__init__.py": "",
        "analysis/factor/efa.py": "",
        "analysis/reliability/__init__.py": "",
        "analysis/reliability/scale.py": "from ..factor import efa\n",
    })
    wrong = _wrong_inside_analysis(root)
    assert wrong == [
        "surveykit.analysis.groups.compare imports surveykit.analysis.factor.efa: "
        "analysis/groups/ may import no other subpackage",
        "surveykit.analysis.inputs (shared) imports the subpackage module "
        "surveykit.analysis.groups.compare",
    ]
