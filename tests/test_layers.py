"""The package's import structure, read with ``ast``: no cycles, and no import from a higher layer.

Layers, bottom to top::

    errors, arrays, types, band < config < readers, segmentation < features, resources < search
    < scoring < pipeline, pinned, multi, evaluation, documents < output < corpus < cli

A module may import from its own layer and the layers below. Imports inside functions count
(they run, only later); imports under ``if TYPE_CHECKING:`` do not (they never run).
``aligner/__init__.py`` is exempt: it only re-exports lazily, and a module importing
``__version__`` from it depends on nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

import aligner

PACKAGE = Path(aligner.__file__).resolve().parent
ROOT_NAME = "aligner"

LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(names.split())
    for names in (
        "errors arrays types progress band collector allocator",
        "config",
        "readers segmentation",
        "features resources",
        "search",
        "scoring",
        "pipeline pinned multi evaluation documents quality",
        "output",
        "corpus",
        "cli __main__",  # ``python -m aligner`` runs the command line
    )
)


@dataclass(frozen=True)
class Import:
    """One import of an aligner module by another, where it is written."""

    importer: str
    imported: str
    line: int

    def __str__(self) -> str:
        return f"{self.importer} (line {self.line}) imports {self.imported}"


def module_name(path: Path) -> str:
    """``aligner.features.tokens`` for ``aligner/features/tokens.py``; packages by their name."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def is_package(name: str, modules: dict[str, Path]) -> bool:
    return modules[name].name == "__init__.py"


def _is_type_checking(test: ast.expr) -> bool:
    """``if TYPE_CHECKING:`` or ``if typing.TYPE_CHECKING:``."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node that may run: all of them but the bodies of ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _absolute(node: ast.ImportFrom, importer: str, package: bool) -> str:
    """The module ``from X import`` names, relative imports resolved."""
    if node.level == 0:
        return node.module or ""
    parts = importer.split(".")
    base = parts if package else parts[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(source: str, importer: str, modules: dict[str, Path]) -> list[Import]:
    """The aligner modules ``source`` (the module ``importer``) imports at run time."""
    found: list[Import] = []
    package = importer in modules and is_package(importer, modules)
    for node in _runtime_nodes(ast.parse(source)):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, importer, package)
            targets = [base]
            # ``from aligner.output import writers`` imports the submodule.
            targets += [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules]
        for target in targets:
            if target == ROOT_NAME or target.startswith(ROOT_NAME + "."):
                found.append(Import(importer, target, node.lineno))  # type: ignore[attr-defined]
    return found


@cache
def import_graph() -> tuple[Import, ...]:
    """Every run-time import between aligner modules, the exempt package root left out."""
    modules = all_modules()
    edges = []
    for name, path in modules.items():
        if name == ROOT_NAME:
            continue
        for imp in imports_of(path.read_text(encoding="utf-8"), name, modules):
            if imp.imported != ROOT_NAME and imp.imported != imp.importer:
                edges.append(imp)
    return tuple(edges)


def layer_of(name: str) -> int:
    """The layer of a module: that of its first name below ``aligner``."""
    top = name.split(".")[1]
    for k, layer in enumerate(LAYERS):
        if top in layer:
            return k
    raise KeyError(name)


def cycles(edges: Sequence[Import]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        graph.setdefault(e.importer, set()).add(e.imported)
        graph.setdefault(e.imported, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


# --- the checker itself ----------------------------------------------------------------------


def test_the_checker_reads_function_level_imports_and_skips_type_checking_ones() -> None:
    modules = all_modules()
    source = (
        "from typing import TYPE_CHECKING\n"
        "import numpy\n"
        "from aligner.types import Bead\n"
        "import aligner.search\n"
        "from aligner.output import writers\n"
        "from . import length\n"
        "if TYPE_CHECKING:\n"
        "    from aligner.pipeline import AlignConfig\n"
        "else:\n"
        "    from aligner.config import AlignConfig\n"
        "def f():\n"
        "    from aligner.corpus.manifest import read_manifest\n"
    )
    found = {(i.imported, i.line) for i in imports_of(source, "aligner.features.anchors", modules)}
    assert found == {
        ("aligner.types", 3),
        ("aligner.search", 4),
        ("aligner.output", 5),
        ("aligner.output.writers", 5),
        ("aligner.features", 6),
        ("aligner.features.length", 6),
        ("aligner.config", 10),
        ("aligner.corpus.manifest", 12),
    }


def test_the_cycle_finder_finds_a_cycle() -> None:
    edges = [Import("a", "b", 1), Import("b", "c", 1), Import("c", "a", 1), Import("c", "d", 1)]
    assert cycles(edges) == [["a", "b", "c"]]
    assert cycles(edges[1:]) == []


def test_the_graph_holds_known_imports() -> None:
    pairs = {(e.importer, e.imported) for e in import_graph()}
    assert ("aligner.pipeline.passes", "aligner.scoring.cost") in pairs
    assert ("aligner.scoring.confidence", "aligner.scoring.cost") in pairs
    assert ("aligner.cli", "aligner.cli.align") in pairs  # inside a function
    # cli/align.py imports MultiAlignment under TYPE_CHECKING only (read from its source, so
    # that the check cannot pass on an import that is gone).
    source = (PACKAGE / "cli" / "align.py").read_text(encoding="utf-8")
    assert "if TYPE_CHECKING:\n    from aligner.multi import MultiAlignment" in source
    assert ("aligner.cli.align", "aligner.multi") in pairs  # merge(), inside a function
    runtime = [
        e
        for e in import_graph()
        if (e.importer, e.imported) == ("aligner.cli.align", "aligner.multi")
    ]
    assert all(
        e.line != source.splitlines().index("    from aligner.multi import MultiAlignment") + 1
        for e in runtime
    )


# --- the package -----------------------------------------------------------------------------


def test_every_module_has_a_layer() -> None:
    unplaced = []
    for name in all_modules():
        if name == ROOT_NAME:
            continue
        try:
            layer_of(name)
        except KeyError:
            unplaced.append(name)
    assert unplaced == [], f"modules in no layer (add them to LAYERS): {unplaced}"


def test_no_import_cycles() -> None:
    found = cycles(import_graph())
    assert found == [], f"import cycles: {found}"


@pytest.mark.parametrize("importer", sorted(set(all_modules()) - {ROOT_NAME}))
def test_no_module_imports_from_a_layer_above_it(importer: str) -> None:
    upward = [
        str(e)
        for e in import_graph()
        if e.importer == importer and layer_of(e.imported) > layer_of(e.importer)
    ]
    assert upward == [], "imports from a higher layer: " + "; ".join(upward)


# --- inside segmentation/ --------------------------------------------------------------------

# The sentence splitter in groups, bottom to top: the shipped data and what every rule reads;
# the Punkt adapter and the three kinds of rule (cuts, joins, moves), none of which knows
# another; the line splitter that runs Punkt and then the rules; the public functions. A module
# imports only from the groups below its own.
SEGMENTATION_LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(names.split())
    for names in (
        "languages context structure detect",
        "punkt cuts joins realign",
        "lines",
        "sentences",
    )
)
SEGMENTATION = f"{ROOT_NAME}.segmentation"


def segmentation_layer_of(name: str) -> int:
    """The group of a module of ``aligner.segmentation`` in :data:`SEGMENTATION_LAYERS`."""
    short = name.removeprefix(SEGMENTATION + ".")
    return next(k for k, layer in enumerate(SEGMENTATION_LAYERS) if short in layer)


def test_every_segmentation_module_has_a_group() -> None:
    inside = [n for n in all_modules() if n.startswith(SEGMENTATION + ".")]
    placed = set().union(*SEGMENTATION_LAYERS)
    unplaced = [n for n in inside if n.removeprefix(SEGMENTATION + ".") not in placed]
    assert unplaced == [], f"segmentation modules in no group: {unplaced}"


def test_segmentation_modules_import_only_from_groups_below() -> None:
    wrong = [
        str(e)
        for e in import_graph()
        if e.importer.startswith(SEGMENTATION + ".")
        and e.imported.startswith(SEGMENTATION + ".")
        and segmentation_layer_of(e.imported) >= segmentation_layer_of(e.importer)
    ]
    assert wrong == [], "imports within or above a group: " + "; ".join(wrong)
