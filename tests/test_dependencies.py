"""Every pinned runtime dependency is used: a pin nothing imports is a claim that drifted from the code."""

from __future__ import annotations

import ast
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def pinned_runtime() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(line).name for line in project["dependencies"]]


def used_names() -> set[str]:
    """Top-level names kg imports, and string constants (a spaCy model is loaded by its package name)."""
    names: set[str] = set()
    for path in (ROOT / "kg").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.partition(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.partition(".")[0])
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)
    return names


def normal(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def test_dependencies_every_pinned_runtime_package_is_imported():
    imports_of: dict[str, set[str]] = {}
    for module, distributions in packages_distributions().items():
        for distribution in distributions:
            imports_of.setdefault(normal(distribution), set()).add(module)
    pinned = pinned_runtime()
    assert pinned
    used = used_names()
    unused = [name for name in pinned if not imports_of.get(normal(name), set()) & used]
    assert unused == [], f"pinned in pyproject.toml but imported nowhere in kg/: {unused}"
