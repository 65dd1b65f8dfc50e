"""Imports run one way: no module of plugins/svportal imports a module of a layer above its own.

The layers are the list in the package's docstring (plugins/svportal/__init__.py), bottom first.
"""

from __future__ import annotations

import ast
import re

import pytest

from conftest import ROOT

PACKAGE = ROOT / "plugins" / "svportal"
MODEL_LAYERS = ("contract", "loading", "importers", "model")  # pure: never Pelican


def documented_layers() -> tuple[list[str], dict[str, int]]:
    """The layer names, and {module: layer number}, from the "Layers (bottom first):" list of the package docstring."""
    docstring = ast.get_docstring(ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8")))
    listing = docstring.split("Layers (bottom first):", 1)[1]
    layers: dict[str, int] = {}
    names: list[str] = []
    for line in listing.strip().splitlines():
        match = re.match(r"\s*([\w ]+):\s*(.+)$", line)
        if not match:
            break
        names.append(match.group(1))
        for module in match.group(2).split(","):
            layers[module.strip()] = len(names) - 1
    return names, layers


LAYER_NAMES, LAYERS = documented_layers()
# A module is a .py file of the package, or a subpackage (a folder with __init__.py) taken as one module
MODULES = sorted([p.stem for p in PACKAGE.glob("*.py")] + [p.parent.name for p in PACKAGE.glob("*/__init__.py")])


def sources_of(module: str) -> list[tuple[ast.Module, int]]:
    """The parsed files of ``module``, each with the relative-import level that reaches the package."""
    folder = PACKAGE / module
    if folder.is_dir():
        return [(ast.parse(path.read_text(encoding="utf-8")), 2) for path in sorted(folder.rglob("*.py"))]
    return [(ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8")), 1)]


def imports_of(module: str) -> tuple[set[str], set[str]]:
    """(the svportal modules ``module`` imports, the top-level packages it imports from outside)."""
    own, outside = set(), set()
    for tree, package_level in sources_of(module):
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level and node.level < package_level:  # inside a subpackage: from .x import y
                    continue
                if node.level:  # from . import x, from .x import y (from .. in a subpackage)
                    if node.module:
                        own.add(node.module.split(".")[0])
                    else:
                        own.update(alias.name for alias in node.names)
                elif node.module and node.module.split(".")[0] in MODULES:  # a script's import of a module beside it
                    own.add(node.module.split(".")[0])
                elif node.module:
                    outside.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                outside.update(alias.name.split(".")[0] for alias in node.names)
    own.discard(module)
    return own, outside


def test_every_module_has_a_documented_layer():
    assert sorted(set(MODULES) - set(LAYERS)) == []
    assert sorted(set(LAYERS) - set(MODULES)) == []  # nor a layer lists a module that is gone


@pytest.mark.parametrize("module", MODULES)
def test_no_module_imports_one_of_a_higher_layer(module):
    own, _ = imports_of(module)
    upward = {name: LAYER_NAMES[LAYERS[name]] for name in own if LAYERS[name] > LAYERS[module]}
    assert upward == {}, f"{module} ({LAYER_NAMES[LAYERS[module]]}) imports from higher layers: {upward}"


@pytest.mark.parametrize("module", [m for m in MODULES if LAYER_NAMES[LAYERS[m]] in MODEL_LAYERS])
def test_the_model_never_imports_pelican(module):
    _, outside = imports_of(module)
    assert "pelican" not in outside


def test_the_import_graph_is_what_the_docstring_promises():
    """The graph, printed with -s, for reviewers: module -> the svportal modules it imports."""
    graph = {module: sorted(imports_of(module)[0]) for module in MODULES}
    for module in sorted(MODULES, key=lambda m: (LAYERS[m], m)):
        print(f"{LAYER_NAMES[LAYERS[module]]:>10}  {module} -> {', '.join(graph[module]) or '-'}")
    assert all(LAYERS[name] <= LAYERS[module] for module, names in graph.items() for name in names)
