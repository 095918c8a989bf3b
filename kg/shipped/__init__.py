"""The one home for the data kg ships beside its code: the ontology, the saved queries and the
reference data.

ontology/, queries/ and data/reference/ stay at the top of the repository; setup.py maps them into
this package (kg.shipped.ontology, kg.shipped.queries, kg.shipped.reference) when it is built, so a
wheel carries them and importlib.resources finds them there. Nothing looks for them through the
source tree, so `pip install .` works as well as `pip install -e .`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

# Package below kg.shipped -> the repository folder it is built from. setup.py reads this mapping.
FOLDERS = {"ontology": "ontology", "queries": "queries", "reference": "data/reference"}
DISTRIBUTION = "diplomacy-kg"


class MissingDataError(FileNotFoundError):
    """A shipped folder cannot be found: kg runs from a tree that was never installed."""


@cache
def folder(name: str) -> Path:
    """The folder ``name`` (a key of FOLDERS) of the installed package, as a path on disk."""
    try:
        root = resources.files(f"{__name__}.{name}")
    except ModuleNotFoundError:
        return _editable_source() / FOLDERS[name]
    if isinstance(root, Path):
        return root
    # The folders have no __init__.py, so they are namespace packages and importlib.resources gives
    # a MultiplexedPath over their one location; its entries are real paths.
    entries = list(root.iterdir())
    if not entries:
        raise MissingDataError(f"{__name__}.{name}: the installed folder is empty")
    return Path(str(entries[0])).parent


@cache
def _editable_source() -> Path:
    # setuptools' editable finder serves a mapped folder without __init__.py only below a namespace
    # package, not below kg.shipped; an editable install reads the folders where they are, in the
    # source tree its PEP 610 record (direct_url.json) names. (A build's egg-info in the source tree
    # is a distribution of the same name without that record.)
    import json
    from importlib import metadata
    from urllib.parse import unquote, urlparse

    for distribution in metadata.distributions(name=DISTRIBUTION):
        info = json.loads(distribution.read_text("direct_url.json") or "{}")
        if info.get("dir_info", {}).get("editable"):
            return Path(unquote(urlparse(info["url"]).path))
    raise MissingDataError(
        f"{__name__}: {DISTRIBUTION} is not installed with its data (ontology, queries, reference); "
        "install it with `pip install .` or `pip install -e .`"
    )


def ontology_dir() -> Path:
    return folder("ontology")


def queries_dir() -> Path:
    return folder("queries")


def reference_dir() -> Path:
    return folder("reference")
