"""The shape of the code: `encyclopedia` is a leaf, and no two modules import each other.

The imports are read from the source with `ast` (every import, those inside
functions too, since a lazy import is a dependency all the same), so the
test needs no database and fails on the line that breaks the shape.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("encyclopedia", "editorial")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {module_name(path): path for app in APPS for path in (ROOT / app).rglob("*.py")}


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[tuple[str, int]]:
    """The project modules `name` imports, each with the line of its import."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from package import module` depends on that module; `from module import name` on the module.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]  # `import editorial.rules.base` is editorial.rules.base
            if target and target != name:
                found.add((target, node.lineno))
    return found


def import_graph() -> dict[str, set[tuple[str, int]]]:
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def test_encyclopedia_imports_nothing_from_editorial():
    graph = import_graph()
    crossings = sorted(
        f"{project_modules()[name].relative_to(ROOT)}:{line} imports {target}"
        for name, targets in graph.items()
        if name.split(".")[0] == "encyclopedia"
        for target, line in targets
        if target.split(".")[0] == "editorial"
    )
    assert not crossings, "encyclopedia must be a leaf:\n" + "\n".join(crossings)


def test_no_two_modules_import_each_other_even_through_others():
    graph = import_graph()
    sorter = graphlib.TopologicalSorter({name: {target for target, _ in targets} for name, targets in graph.items()})
    try:
        sorter.prepare()
    except graphlib.CycleError as error:
        cycle = error.args[1]
        raise AssertionError("import cycle: " + " -> ".join(cycle)) from None


def test_the_graph_reader_sees_the_imports_that_exist():
    # The two tests above pass on an empty graph; this one makes sure it is not empty.
    graph = import_graph()
    assert "editorial.store" in {target for target, _ in graph["editorial.services"]}
    assert "encyclopedia.content" in {target for target, _ in graph["editorial.services"]}
    assert "encyclopedia.diff.values" in {target for target, _ in graph["encyclopedia.diff.prose"]}
