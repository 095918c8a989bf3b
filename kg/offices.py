"""Stage kg_offices (placeholder until the stage is written)."""

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("kg_offices")
def kg_offices(doc: Doc) -> Doc:
    return doc
