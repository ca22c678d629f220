"""The packages' layering, read from their source: the libraries (`search/`, `indexer/`)
never import Flask, Werkzeug or the web layer, and no module imports itself back through
others, not even through an import inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("search", "indexer", "editorial", "web", "rocksearch_cli")
LIBRARIES = ("search", "indexer")


def modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            out[name.removesuffix(".__init__")] = path
    return out


def imports_of(path: Path) -> set[str]:
    """Every module name `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: {m for m in imports_of(path) if m in known and m != name}
            for name, path in known.items()}  # fmt: skip


def cycle_in(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of `edges` (as a path that ends where it starts), or None."""
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (found := walk(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := walk(node)):
            return found
    return None


def test_no_module_imports_itself_back():
    edges = graph()
    assert len(edges) > 50 and sum(map(len, edges.values())) > 100  # the walk saw them
    assert cycle_in(edges) is None


def test_the_cycle_finder_finds_a_cycle_through_a_lazy_import(tmp_path):
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert cycle_in(edges) == ["a", "b", "c", "a"]
    lazy = tmp_path / "lazy.py"
    lazy.write_text("def f():\n    from search.state import get_state\n", encoding="utf-8")
    assert "search.state" in imports_of(lazy)


def test_the_libraries_never_import_flask_or_the_web_layer():
    checked = 0
    for name, path in modules().items():
        if name.split(".")[0] in LIBRARIES:
            wrong = {m for m in imports_of(path) if m.split(".")[0] in ("flask", "werkzeug", "web")}
            assert not wrong, f"{name} imports {sorted(wrong)}"
            checked += 1
    assert checked > 30
