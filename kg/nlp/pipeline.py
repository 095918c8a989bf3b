"""The spaCy side: build the pipeline, and turn an annotated Doc into DocFacts.

``build_nlp`` loads the real English model, swaps its attribute_ruler and lemmatizer for equivalent
lookups (kg/nlp/fast/attribute_ruler.py, kg/nlp/fast/lemmatizer.py), and appends kg's own components
in data-flow order (settings.KG_COMPONENTS), so ``nlp.pipe_names`` shows the whole extraction. Every
``Doc._`` extension is registered here, once. Values in ``Doc._`` are plain data (str, int, list,
dict), so a Doc can be serialised like any spaCy Doc (DocBin, nlp.pipe's n_process); each list holds
dicts shaped like the kg/nlp/facts.py dataclass of the same name (``dataclasses.asdict``), which
``to_facts`` turns back into dataclasses.
"""

from __future__ import annotations

from datetime import date

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.facts import Article, DocFacts, Entity, Event, Evidence, Office, OfficeHolding
from kg.nlp.fast.attribute_ruler import use_compiled_ruler
from kg.nlp.fast.lemmatizer import use_memo_lemmatizer
from kg.nlp.lexicon import adopt_tokenizer
from kg.settings import Settings

# Extensions: name -> default. Lists are shared defaults in spaCy, so components always assign a
# new list (doc._.kg_events = [...]) instead of appending to the default.
DOC_EXTENSIONS: dict[str, object] = {
    "kg_article_id": None,  # str: Article.id
    "kg_published": None,  # str: ISO date of publication, or None
    "kg_entities": None,  # list[dict]: Entity
    "kg_office_holdings": None,  # list[dict]: OfficeHolding
    "kg_events": None,  # list[dict]: Event
}


class ExtractionError(RuntimeError):
    """The extraction as a whole cannot run (no model, a worker process died), not one article."""


def register_extensions() -> None:
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def build_nlp(settings: Settings | None = None) -> Language:
    """The spaCy model from its PyPI package, then kg's components in order."""
    settings = settings or Settings()
    register_extensions()
    # Importing the stage modules registers their components with spaCy.
    from kg.nlp import events, mentions, offices, resolve  # noqa: F401

    try:
        nlp = spacy.load(settings.model)
    except OSError as err:
        raise ExtractionError(
            f"spaCy model {settings.model!r} is not installed; install the project with "
            "`make run` or `pip install -c constraints.txt -e .`"
        ) from err
    # Same token attributes as the model's attribute_ruler, faster (kg/nlp/fast/attribute_ruler.py).
    use_compiled_ruler(nlp)
    # Same lemmas as the model's rule lemmatizer, faster (kg/nlp/fast/lemmatizer.py).
    use_memo_lemmatizer(nlp)
    # The phrase tables and topic labels are split with the model's tokenizer: no second one to build.
    adopt_tokenizer(nlp.tokenizer)
    for name in settings.components:
        nlp.add_pipe(name)
    return nlp


def doc_context(article: Article) -> dict:
    """What an Article contributes to its Doc before the pipeline runs."""
    return {
        "kg_article_id": article.id,
        "kg_published": article.published.isoformat() if article.published else None,
    }


def set_context(doc: Doc, article: Article) -> Doc:
    for name, value in doc_context(article).items():
        setattr(doc._, name, value)
    return doc


def _evidence(items: list[dict]) -> list[Evidence]:
    return [Evidence(**e) for e in items]


def to_facts(doc: Doc, article: Article) -> DocFacts:
    """Read what the components left on the Doc into plain dataclasses."""
    entities = [
        Entity(**{**e, "aliases": list(e.get("aliases", [])), "evidence": _evidence(e.get("evidence", []))})
        for e in doc._.kg_entities or []
    ]
    holdings = []
    for h in doc._.kg_office_holdings or []:
        attested = h.get("attested")
        holdings.append(
            OfficeHolding(
                person=h["person"],
                office=Office(**h["office"]),
                former=bool(h.get("former", False)),
                attested=date.fromisoformat(attested) if isinstance(attested, str) else attested,
                evidence=_evidence(h.get("evidence", [])),
            )
        )
    events = [Event(**{**e, "evidence": _evidence(e.get("evidence", []))}) for e in doc._.kg_events or []]
    facts = DocFacts(article=article, entities=entities, office_holdings=holdings, events=events)
    complete_entities(facts)
    return facts


def complete_entities(facts: DocFacts) -> None:
    """Add every entity the article's facts point to but no mention introduced.

    "met in Baku" makes the event's country Azerbaijan although the text never names it; each
    article's graph must stand alone (the shapes check that a country is typed where it is used),
    so the implied country, institution or place is added with its reference-list name.
    """
    from kg.nlp.lexicon import lexicon

    known = {e.key for e in facts.entities}
    wanted: list[str] = []
    for entity in facts.entities:
        wanted.append(entity.country or "")
    for holding in facts.office_holdings:
        office = holding.office
        wanted += [office.institution or "", office.country or "", office.accredited_to or ""]
    for event in facts.events:
        wanted += [
            event.place or "",
            event.country or "",
            event.host_country or "",
            event.guest_country or "",
        ]
    # A body the gazetteer does not know, made an institution by kg_offices: named as written.
    written = {
        h.office.institution: h.office.body
        for h in facts.office_holdings
        if h.office.institution and h.office.body
    }
    lex = lexicon()
    for key in wanted:
        kind = key.partition(":")[0]
        if not key or key in known or kind not in ("country", "institution", "place"):
            continue
        known.add(key)
        record = lex.countries.get(key) or lex.institutions.get(key) or lex.places.get(key) or {}
        label = record.get("name") or written.get(key) or key.partition(":")[2].replace("-", " ").title()
        country = record.get("country") if kind != "country" else None
        facts.entities.append(
            Entity(key=key, kind=kind, label=label, country=country, subtype=record.get("subtype"))
        )
        if country:
            wanted.append(country)
