"""The README stays true: every command, every saved query and its columns are documented."""

import re
from pathlib import Path

import pytest

from kg.cli import cli
from kg.sparql.catalogue import load_queries

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_docs_readme_shows_every_command(command):
    assert re.search(rf"kg {command}\b", README), f"README never shows `kg {command}`"


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_docs_readme_lists_every_query_with_columns(name):
    query = load_queries()[name]
    row = next((line for line in README.splitlines() if line.startswith(f"| `{name}` |")), None)
    assert row, f"README's query table has no row for {name}"
    assert ",".join(query.columns) in row
    for param in query.params:
        assert param.name in row


def test_docs_readme_names_the_two_setup_commands():
    assert "make run" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def test_docs_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "srj", "srx"])
def test_docs_readme_shows_every_output_format(fmt):
    from kg.sparql.results import TABULAR_FORMATS

    assert fmt in TABULAR_FORMATS
    assert f"`{fmt}`" in README, f"README's formats table has no {fmt}"


def test_docs_readme_has_the_server_notes_beside_the_commands():
    remote = README[README.index("## Remote triple stores") :]
    for note in ("--union-default-graph", "virtuoso-t -f -c", "tdb2:unionDefaultGraph", "| GraphDB |"):
        assert note in remote, note
    assert "--union-default-graph" not in (ROOT / "docs" / "remote.md").read_text(encoding="utf-8")
