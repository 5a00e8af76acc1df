"""The package's shape: no import loops (type-only imports included), the model apart from
the views and the experiments, and files small enough to read."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parent.parent / "simulation"
MODEL_LAYER = {
    "simulation.model", "simulation.state", "simulation.residents", "simulation.workers",
    "simulation.groups", "simulation.programme", "simulation.outputs",
    "simulation.community", "simulation.parameters", "simulation.registry",
    "simulation.text", "simulation.space", "simulation.neighbours", "simulation.limits",
    "simulation.case", "simulation.keyed", "simulation.demonstrations",
    "simulation.purposes", "simulation.engine", "simulation.weekly", "simulation.agents",
    "simulation.networks", "simulation.headless", "simulation.group_life",
}
OUTSIDE_THE_ENGINE = ("mesa", "pandas", "networkx")
"""What the weekly engine never imports: Mesa is its wrapper's, pandas the outputs', networkx
the network files' (``simulation.networks``)."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


DOTTED = re.compile(r"simulation(\.\w+)+")


def _imports(path: Path, name: str) -> set[str]:
    """Modules of the package that ``path`` imports, wherever the import statement is, and
    those it may import by name at run time: any string that names a module of the package
    (``importlib.import_module("simulation.viz.commands")``, a tuple of such names looped
    over, ``__import__``) counts as an import."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if DOTTED.fullmatch(node.value):
                found.add(node.value)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("simulation")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("simulation"):
                found.add(target)
                found |= {f"{target}.{a.name}" for a in node.names}
    return found


def import_graph() -> nx.DiGraph:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        for target in _imports(path, name):
            if target in modules and target != name:
                graph.add_edge(name, target)
    return graph


def test_no_import_loops():
    graph = import_graph()
    # A package imports its own modules to re-export them; that is not a loop.
    graph.remove_edges_from([(a, b) for a, b in graph.edges if b.startswith(a + ".")])
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, f"import loops: {cycles}"


def test_model_never_imports_views_or_experiments():
    graph = import_graph()
    for module in MODEL_LAYER:
        for target in nx.descendants(graph, module):
            assert not target.startswith(("simulation.viz", "simulation.experiments")), (
                f"{module} reaches {target}")


def _third_party(path: Path) -> set[str]:
    """Top-level packages outside ``simulation`` that a module imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found - {"simulation"}


def test_the_engine_imports_neither_mesa_nor_pandas_nor_networkx():
    graph = import_graph()
    # ``from . import residents`` names the package too; its ``__init__`` imports the model
    # only when ``simulation.CommunityModel`` is asked for (``test_engine.py`` checks what a
    # headless run really loads).
    graph.remove_node("simulation")
    reached = {"simulation.engine", *nx.descendants(graph, "simulation.engine")}
    for module in reached:
        path = PACKAGE.parent / (module.replace(".", "/") + ".py")
        if not path.exists():
            path = PACKAGE.parent / module.replace(".", "/") / "__init__.py"
        assert not _third_party(path) & set(OUTSIDE_THE_ENGINE), (
            f"{module} (reached from the engine) imports {_third_party(path)}")
    assert "simulation.model" not in reached and "simulation.outputs" not in reached


def test_files_stay_readable():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text().splitlines())) > 420}
    assert not long, f"split these files: {long}"


def test_dynamic_imports_are_seen(tmp_path):
    """A module that imports another by name at run time has an edge to it, as one with an
    import statement: a loop through ``importlib`` fails ``test_no_import_loops``."""
    dynamic = tmp_path / "dynamic.py"
    dynamic.write_text('import importlib\nEXTENSIONS = ("simulation.viz.commands",)\n'
                       'for module in EXTENSIONS:\n    importlib.import_module(module)\n'
                       'importlib.import_module("simulation.experiments.commands")\n')
    assert _imports(dynamic, "simulation.dynamic") >= {"simulation.viz.commands",
                                                       "simulation.experiments.commands"}
    assert {"simulation.viz.commands", "simulation.experiments.commands"} <= set(
        import_graph().successors("simulation.cli"))


def test_the_command_line_checks_plans_and_prints():
    """``cli.py`` moves, links and removes no file itself: its folders are handled by
    ``folders.py`` and ``saving.py`` (which Sprout may replace, staging, ``latest``)."""
    tree = ast.parse((PACKAGE / "cli.py").read_text())
    imported = {a.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for a in node.names}
    assert not imported & {"shutil", "uuid", "tempfile"}
    calls = {node.func.attr for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Attribute)}
    assert not calls & {"unlink", "rmtree", "symlink", "replace", "rename", "write_text",
                        "write_bytes"}
