"""ontology/, queries/ and data/reference/ stay at the top of the repository and are mapped into the
package as kg.shipped.* when it is built (kg/shipped/__init__.py finds them with importlib.resources).
The rest of the metadata is in pyproject.toml."""

import runpy

from setuptools import find_packages, setup

# kg/shipped holds the mapping; it imports only the standard library, so it can be read here.
FOLDERS = runpy.run_path("kg/shipped/__init__.py")["FOLDERS"]
SHIPPED = {f"kg.shipped.{name}": folder for name, folder in FOLDERS.items()}

# Every file of the mapped folders, whatever its kind (Turtle, RDF/XML, JSON-LD, SPARQL, notes).
setup(
    packages=[*find_packages(include=["kg", "kg.*"]), *SHIPPED],
    package_dir=SHIPPED,
    package_data={
        "kg.nlp": ["resources/*"],
        "kg": [
            "serve/static/*",
            "serve/static/vendor/*",
            "serve/static/vendor/licenses/*",
            "serve/templates/*",
        ],
        **{name: ["*"] for name in SHIPPED},
    },
)
