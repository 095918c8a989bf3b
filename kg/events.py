"""Stage kg_events (placeholder until the stage is written)."""

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("kg_events")
def kg_events(doc: Doc) -> Doc:
    return doc
