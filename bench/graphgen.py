"""A graph of any size in the shape ``kg build`` writes, without running extraction.

Each generated article's own facts (bench/generate.py) become ``DocFacts`` and go through kg/graph/rdf.py,
the same code ``kg build`` uses, so IRIs, named graphs, evidence and office holdings are exactly
those of a real build. Only the extraction is skipped: a million triples would take hours of spaCy
on this machine, and the store and query benchmarks measure the store, not the parser.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bench.generate import GeneratedArticle, Person, generate
from bench.lexicon import COUNTRIES
from kg.common.names import slug
from kg.graph.rdf import article_graph, to_triples
from kg.nlp.facts import Article, DocFacts, Entity, Event, Evidence, Office, OfficeHolding
from kg.read import content_id, normalise

CAPITAL_OF = {city: c.name for c in COUNTRIES for city in (c.capital, *c.cities)}
RULE = "bench.generated"  # the provenance rule id of every generated fact


def _key(kind: str, name: str) -> str:
    return f"{kind}:{slug(name)}"


def to_docfacts(article: GeneratedArticle) -> DocFacts:
    """The facts a generated article states, as the pipeline would hand them to kg/graph/rdf.py."""
    text = normalise(article.text)
    article_id = content_id(text)  # a content hash as kg.read makes (it also strips page furniture)
    source = Article(
        id=article_id,
        stem=article.stem,
        path=f"{article.stem}.txt",
        text=text,
        published=article.published,
        title=article.title,
        sources=(article.stem,),
    )
    evidence = _evidence(article, text, article_id)
    entities: dict[str, Entity] = {}

    def entity(kind: str, name: str, country: str | None = None, subtype: str | None = None) -> str:
        key = _key(kind, name)
        if key not in entities:
            entities[key] = Entity(key, kind, name, country=country, subtype=subtype, evidence=[evidence[0]])
        return key

    holdings = []
    for person in article.people:
        key = entity("person", person.name, country=_key("country", person.post.country))
        entities[key].aliases.append(person.honorific)
        office = _office(person, entity)
        holdings.append(OfficeHolding(key, office, attested=article.published, evidence=[evidence[0]]))
    events = []
    keys = [f"{article_id}|{i}" for i in range(len(article.events))]
    for i, event in enumerate(article.events):
        country = entity("country", event.country)
        place = entity("place", event.place, country=country, subtype="City") if event.place else None
        events.append(
            Event(
                key=keys[i],
                type=event.type,
                participants=[_key("person", name) for name in event.participants],
                date=event.date,
                place=place,
                country=country,
                host_country=entity("country", event.host_country),
                guest_country=entity("country", event.guest_country),
                topics=list(event.topics),
                cameo="042" if "Visit" in event.type else "040",
                parent=keys[event.parent] if event.parent is not None else None,
                evidence=[evidence[event.sentence]],
            )
        )
    return DocFacts(source, list(entities.values()), holdings, events)


def _office(person: Person, entity) -> Office:
    post = person.post
    country = entity("country", post.country)
    institution = entity("institution", post.institution, country=country) if post.institution else None
    accredited = entity("country", post.accredited_to) if post.accredited_to else None
    return Office(post.role, post.label, institution=institution, country=country, accredited_to=accredited)


def _evidence(article: GeneratedArticle, text: str, article_id: str) -> list[Evidence]:
    found = []
    for index, sentence in enumerate(article.sentences):
        start = text.find(sentence)
        found.append(Evidence(article_id, index, start, start + len(sentence), sentence, RULE))
    return found


def article_quads(article: GeneratedArticle) -> tuple[str, list[str]]:
    """(article id, N-Quads lines) of one generated article."""
    facts = to_docfacts(article)
    graph = article_graph(facts.article.id).n3()
    return facts.article.id, [f"{s.n3()} {p.n3()} {o.n3()} {graph} ." for s, p, o in to_triples(facts)]


def iter_quads(n_articles: int, seed: int = 0, start: int = 0) -> Iterator[tuple[str, list[str]]]:
    for article in generate(start + n_articles, seed):
        if article.index >= start:
            yield article_quads(article)


def write_nquads(path: Path, target_triples: int, seed: int = 0) -> tuple[int, int]:
    """Write articles' graphs to ``path`` until about ``target_triples``; return (articles, triples)."""
    articles = triples = 0
    with path.open("w", encoding="utf-8") as out:
        for article in generate(10**9, seed):
            _, lines = article_quads(article)
            out.write("\n".join(lines))
            out.write("\n")
            articles += 1
            triples += len(lines)
            if triples >= target_triples:
                break
    return articles, triples
