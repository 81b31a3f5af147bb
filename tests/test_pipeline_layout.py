"""How the pipeline's modules depend on each other: stages talk only through the document."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from harmledger import resources
from harmledger.errors import ResourceError
from harmledger.pipeline.assemble import common

PIPELINE = Path(__file__).parents[1] / "src" / "harmledger" / "pipeline"


def _module(path: Path) -> str:
    rel = path.relative_to(PIPELINE.parent.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _stage_of(module: str, stages: set[str]) -> str | None:
    """The stage module ``module`` is or belongs to (a package's submodules are its own)."""
    for s in stages:
        if module == s or module.startswith(s + "."):
            return s
    return None


def _defines_stage(tree: ast.Module) -> bool:
    """A class with the Stage protocol's ``name`` and ``assigns`` class variables (not the
    protocol itself, nor a dataclass with fields of those names)."""
    for node in tree.body:
        protocol = isinstance(node, ast.ClassDef) and any(
            isinstance(b, ast.Name) and b.id == "Protocol" for b in node.bases
        )
        if isinstance(node, ast.ClassDef) and not protocol:
            names = {  # class variables (`name: ClassVar[str] = ...`), not dataclass fields
                t.target.id
                for t in node.body
                if isinstance(t, ast.AnnAssign)
                and isinstance(t.target, ast.Name)
                and isinstance(t.annotation, ast.Subscript)
                and getattr(t.annotation.value, "id", None) == "ClassVar"
            }
            if {"name", "assigns"} <= names:
                return True
    return False


def _imports(tree: ast.Module) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(tree):  # imports inside functions too
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_pipeline_no_stage_imports_another_stage() -> None:
    trees = {_module(p): ast.parse(p.read_text()) for p in PIPELINE.rglob("*.py")}
    stages = {m for m, t in trees.items() if _defines_stage(t)}
    assert {"harmledger.pipeline.triggers", "harmledger.pipeline.assemble"} <= stages
    assert "harmledger.pipeline.base" not in stages
    crossing = []
    for module, tree in trees.items():
        mine = _stage_of(module, stages)
        if mine is None:
            continue  # the runner (pipeline.py) and the shared non-stage modules
        for imported in _imports(tree):
            other = _stage_of(imported, stages)
            if other is not None and other != mine:
                crossing.append(f"{module} imports {imported}")
    assert crossing == []


def test_assemble_word_patterns_load_from_the_resource() -> None:
    w = common.words()
    assert w.armed_nouns.search("two soldiers were killed")
    assert not w.armed_nouns.search("family members were killed")
    assert w.civilian_nouns.search("12 men and four boys")


def test_assemble_malformed_word_patterns_raise_resource_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    common.words.cache_clear()
    monkeypatch.setattr(resources, "read_json", lambda name: {"armed_nouns": {"words": ["("]}})
    try:
        with pytest.raises(ResourceError, match=r"assemble\.json"):
            common.words()
    finally:
        monkeypatch.undo()
        common.words.cache_clear()
    assert common.words().armed_nouns.search("soldiers")
