"""The house's rules, checked on the code's own imports (docs/architecture.md).

Arrows point one way: every import goes down the layers below, or stays inside its own
folder; no file imports itself back through others; storage imports no logic; every
package the code imports is a declared dependency.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from collections import defaultdict
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).parents[1]
SRC = ROOT / "src" / "harmledger"

#: Each room of the house and its floor: a module may import from lower floors, and from
#: its own room (a folder), never from its own floor's other rooms or from above.
LAYERS: dict[str, int] = {
    "version": 0,
    "errors": 0,
    "safe": 0,
    "limits": 0,
    "config": 1,
    "model": 1,
    "resources": 2,
    "gazetteer": 3,
    "learn": 3,
    "audit": 3,
    "privacy": 3,
    "ingest": 4,
    "pipeline": 4,
    "store": 4,
    "fuse": 5,
    "review": 5,
    "export": 5,
    "show": 5,
    "runner": 6,
    "eval": 6,
    "api": 6,
    "web": 7,
    "batch": 7,
    "cli": 8,  # the command line: over the library and the other faces
    "__init__": 8,  # the package face: `harmledger.extract`, `harmledger.Ledger`
    "__main__": 9,  # `python -m harmledger`: the command line
}


def room(module: str) -> str:
    """``harmledger.store.fused`` -> ``store``; ``harmledger`` -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


@cache
def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        name = ".".join(rel.parts)
        out[name.removesuffix(".__init__")] = path
    return out


@cache
def imports() -> dict[str, set[str]]:
    """module -> the harmledger modules it imports (anywhere in the file)."""
    known = modules()
    out: dict[str, set[str]] = defaultdict(set)
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                    base = f"{base}.{node.module}" if node.module else base
                # `from harmledger.store import fused` imports the module store.fused
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
                ]
            for t in targets:
                if t.startswith("harmledger") and t != name:
                    while t not in known and "." in t:
                        t = t.rpartition(".")[0]
                    if t in known and t != name:
                        out[name].add(t)
    return out


def test_architecture_every_room_has_a_floor() -> None:
    rooms = {room(m) for m in modules()}
    assert rooms <= set(LAYERS), f"give these a floor in LAYERS: {sorted(rooms - set(LAYERS))}"


def test_architecture_no_import_runs_up_or_across() -> None:
    wrong = []
    for src, targets in imports().items():
        for dst in targets:
            a, b = room(src), room(dst)
            if a != b and LAYERS[b] >= LAYERS[a]:
                wrong.append(f"{src} (floor {LAYERS[a]}) -> {dst} (floor {LAYERS[b]})")
    assert not wrong, "imports that run up or across a floor:\n" + "\n".join(sorted(wrong))


def test_architecture_no_import_cycle_between_files() -> None:
    graph = imports()
    # a package's __init__ re-exporting its own modules is not a cycle of logic
    edges = {
        m: {t for t in ts if not (t.startswith(m + ".") and modules()[m].name == "__init__.py")}
        for m, ts in graph.items()
    }
    seen: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if seen.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in seen:
                visit(nxt, [*path, nxt])
        seen[node] = 2

    for m in sorted(modules()):
        if m not in seen:
            visit(m, [m])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_architecture_storage_imports_no_logic() -> None:
    logic = {"fuse", "export", "gazetteer", "pipeline", "eval", "learn", "ingest", "runner"}
    found = sorted(
        f"{src} -> {dst}"
        for src, targets in imports().items()
        if room(src) == "store"
        for dst in targets
        if room(dst) in logic
    )
    assert not found, found


def test_architecture_only_the_version_module_holds_the_version() -> None:
    holders = [m for m, p in modules().items() if "__version__ =" in p.read_text(encoding="utf-8")]
    assert holders == ["harmledger.version"]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"]["attr"] == (
        "harmledger.version.__version__"
    )


def _third_party() -> dict[str, set[str]]:
    """top-level module imported -> the harmledger modules that import it."""
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    out: dict[str, set[str]] = defaultdict(set)
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                tops = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                tops = [node.module.split(".")[0]]
            else:
                continue
            for top in tops:
                if top not in stdlib and top != "harmledger":
                    out[top].add(name)
    return out


def _normal(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def test_architecture_every_import_is_a_declared_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {
        _normal(req.split(";")[0].split("[")[0].split(">")[0].split("<")[0].split("=")[0].strip())
        for req in project["dependencies"]
    }
    optional = {
        _normal(req.split("[")[0].split(">")[0].split("<")[0].split("=")[0].strip())
        for reqs in project["optional-dependencies"].values()
        for req in reqs
    }
    dists = packages_distributions()
    missing = []
    for top, users in sorted(_third_party().items()):
        owners = {_normal(d) for d in dists.get(top, [top])}
        if not owners & declared:
            where = "optional extra" if owners & optional else "nowhere"
            missing.append(f"{top} (declared {where}; imported by {', '.join(sorted(users))})")
    assert not missing, "imports that `pip install harmledger` does not bring:\n" + "\n".join(
        missing
    )


def test_architecture_no_source_file_over_1000_lines() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in SRC.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 1000
    }
    assert not long, f"split these by question: {long}"
