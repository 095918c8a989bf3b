"""Every pinned runtime dependency is used: a pin nothing imports is a claim that drifted from the code."""

from __future__ import annotations

import ast
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
# A pin kg needs only through another package's optional import: the module kg imports that needs it.
THROUGH = {"Jinja2": "starlette.templating"}  # kg/serve/app.py: Jinja2Templates


def pinned_runtime() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(line).name for line in project["dependencies"]]


def used_names() -> set[str]:
    """Modules kg imports (each with its top-level name), and string constants (a spaCy model is
    loaded by its package name)."""
    names: set[str] = set()
    for path in (ROOT / "kg").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    names |= {alias.name, alias.name.partition(".")[0]}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names |= {node.module, node.module.partition(".")[0]}
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
    unused = [
        name
        for name in pinned
        if not imports_of.get(normal(name), set()) & used and THROUGH.get(name) not in used
    ]
    assert unused == [], f"pinned in pyproject.toml but imported nowhere in kg/: {unused}"


def test_dependencies_a_pin_used_through_another_package_is_imported_by_it():
    import subprocess
    import sys

    for name, module in THROUGH.items():
        imported = packages_distributions()
        wanted = {m for m, dists in imported.items() if normal(name) in map(normal, dists)}
        script = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
        loaded = set(
            subprocess.run(
                [sys.executable, "-c", script], capture_output=True, text=True, check=True
            ).stdout.split()
        )
        assert wanted & loaded, f"{module} no longer imports {name}: drop the pin or import it in kg/"
