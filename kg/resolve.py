"""Stage kg_resolve (placeholder until the stage is written)."""

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("kg_resolve")
def kg_resolve(doc: Doc) -> Doc:
    return doc
