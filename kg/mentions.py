"""Stage kg_mentions (placeholder until the stage is written)."""

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("kg_mentions")
def kg_mentions(doc: Doc) -> Doc:
    return doc
