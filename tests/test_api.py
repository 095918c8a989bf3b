"""kg/__init__.py: the public API the README shows, imported lazily so `import kg` stays cheap."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_api_import_kg_loads_no_stage():
    heavy = "('kg.', 'spacy', 'rdflib', 'pyoxigraph')"
    probe = f"import sys, kg; print(sorted(m for m in sys.modules if m.startswith({heavy})))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("name", ["build", "run_query", "format_result", "Settings", "Store"])
def test_api_names_are_the_defining_objects(name):
    import kg

    value = getattr(kg, name)
    assert value.__module__.startswith("kg.") and value.__name__ == name


def test_api_unknown_name_is_an_attribute_error():
    import kg

    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        kg.nothing  # noqa: B018


def test_api_readme_python_example_runs(tmp_path: Path):
    """The README's Python block, run as written in a folder holding data/docs (the seed articles)."""
    block = re.search(r"```python\n(.*?)```", README, re.S)
    assert block, "README has no ```python block"
    assert "from kg import build, run_query, format_result, Settings, Store" in block.group(1)
    docs = ROOT / "data" / "docs"
    if not any(docs.glob("*.txt")):
        pytest.skip(f"no seed articles in {docs}")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "docs").symlink_to(docs)
    done = subprocess.run(
        [sys.executable, "-c", block.group(1)], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    table, _, rest = done.stdout.partition(" rows)\n")
    assert int(table.rsplit("(", 1)[1]) > 0, done.stdout
    assert json.loads(rest)["results"]["bindings"], rest[:500]
