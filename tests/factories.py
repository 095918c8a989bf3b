"""Small DocFacts built by hand, for the stages after nlp (rdf, store, queries) to test without a model.

The people are invented.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kg.nlp.facts import Article, DocFacts, Entity, Event, Evidence, Office, OfficeHolding

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


def article(
    text: str = "Speaker Lena Marsh met Ambassador Tomas Oyelaran in Baku.", stem: str = "doc1", **kw
) -> Article:
    from kg.common.names import content_hash

    return Article(
        id=kw.pop("id", content_hash(text)),
        stem=stem,
        path=f"{stem}.txt",
        text=text,
        published=kw.pop("published", date(2024, 5, 2)),
        sources=kw.pop("sources", (stem,)),
        **kw,
    )


def evidence(a: Article, rule: str = "test.rule") -> Evidence:
    return Evidence(a.id, 0, 0, len(a.text), a.text, rule)


def meeting_facts(a: Article | None = None, when: str | None = "2024-05-01", topics=("trade",)) -> DocFacts:
    a = a or article()
    ev = [evidence(a)]
    persons = [
        Entity("person:lena-marsh", "person", "Lena Marsh", ["Speaker Lena Marsh"], evidence=ev),
        Entity("person:tomas-oyelaran", "person", "Tomas Oyelaran", evidence=ev),
    ]
    places = [
        Entity("country:azerbaijan", "country", "Azerbaijan", evidence=ev),
        Entity("country:kazakhstan", "country", "Kazakhstan", evidence=ev),
        Entity(
            "institution:milli-majlis",
            "institution",
            "Milli Majlis",
            country="country:azerbaijan",
            subtype="Parliament",
            evidence=ev,
        ),
        Entity("place:baku", "place", "Baku", country="country:azerbaijan", evidence=ev),
    ]
    speaker = Office(
        "Speaker",
        "Speaker of the Milli Majlis",
        institution="institution:milli-majlis",
        country="country:azerbaijan",
    )
    ambassador = Office(
        "Ambassador",
        "Ambassador of Kazakhstan to Azerbaijan",
        country="country:kazakhstan",
        accredited_to="country:azerbaijan",
    )
    holdings = [
        OfficeHolding("person:lena-marsh", speaker, attested=a.published, evidence=ev),
        OfficeHolding("person:tomas-oyelaran", ambassador, attested=a.published, evidence=ev),
    ]
    events = [
        Event(
            key=f"Meeting|{when}|person:lena-marsh|person:tomas-oyelaran",
            type="Meeting",
            participants=["person:lena-marsh", "person:tomas-oyelaran"],
            date=when,
            place="place:baku",
            country="country:azerbaijan",
            topics=list(topics),
            cameo="040",
            label="Lena Marsh meets Tomas Oyelaran",
            evidence=ev,
        )
    ]
    return DocFacts(article=a, entities=persons + places, office_holdings=holdings, events=events)


def export_nquads(path: Path | str, include_ontology: bool = False) -> bytes:
    """The store at ``path`` as N-Quads (sorted, so two stores compare byte for byte)."""
    import io

    from kg.graph.store import Store

    out = io.BytesIO()
    with Store(path, read_only=True) as store:
        store.export("nquads", out, include_ontology=include_ontology)
    return out.getvalue()


@contextmanager
def store_held_open(path: Path | str) -> Iterator[None]:
    """Another process holds the store at ``path`` open (RocksDB's lock) while the block runs."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import pyoxigraph,time; s=pyoxigraph.Store({str(path)!r}); print('open', flush=True); "
            "time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        yield
    finally:
        holder.kill()
        holder.wait()


# Texts every pipe must get through: whitespace only, nothing, one letter.
EDGE_TEXTS = (" \n ", "", "A")


def model_pair(swap: Callable[[Language], bool]) -> tuple[Language, Language]:
    """The English model as spaCy loads it, and a second copy in which ``swap`` replaced a pipe."""
    import spacy

    from kg.settings import DEFAULT_MODEL

    original, changed = spacy.load(DEFAULT_MODEL), spacy.load(DEFAULT_MODEL)
    assert swap(changed)
    return original, changed


def token_attrs(doc: Doc) -> list[tuple]:
    """Every token attribute the model's pipes set, to compare two pipelines' output."""
    return [(t.i, t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.norm_, t.ent_type_) for t in doc]


def extracted(nlp: Language, text: str, published: str | None = "2024-05-02") -> Doc:
    """``text`` through the whole pipeline (the real model and every kg component) as an article
    published on ``published``."""
    doc = nlp.make_doc(text)
    doc._.kg_article_id = "a1"
    doc._.kg_published = published
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def office_holdings(nlp: Language, text: str, published: str | None = "2024-05-01") -> list[dict]:
    """The office holdings kg_offices reads from ``text`` (events left out: they do not change them)."""
    with nlp.select_pipes(disable=["kg_events"]):
        return extracted(nlp, text, published)._.kg_office_holdings


def meetings_of(nlp: Language, text: str, published: str | None = "2024-05-02") -> list[tuple]:
    """The encounters read from ``text``: (sorted participant labels, date), sorted."""
    doc = extracted(nlp, text, published)
    labels = {e["key"]: e["label"] for e in doc._.kg_entities}
    visits = {"StateVisit", "OfficialVisit", "WorkingVisit", "Visit"}
    return sorted(
        (tuple(sorted(labels[p] for p in e["participants"])), e["date"])
        for e in doc._.kg_events
        if e["type"] not in visits
    )


def invented_store(path: Path) -> Path:
    """A store of two invented articles (the same two persons meet twice), written as `kg build`
    writes: each article in its own transaction, the reference graphs, the offline link."""
    from kg.graph.rdf import to_triples
    from kg.graph.store import Store, load_reference_graphs
    from kg.pipeline import link_offline

    store = Store(path)
    try:
        for text, when in (("First meeting in Baku.", "2024-05-01"), ("Second meeting in Baku.", "2023-02")):
            facts = meeting_facts(article(text, text.split()[0].lower()), when=when)
            store.replace_article(facts.article.id, to_triples(facts))
        load_reference_graphs(store)
        store.rebuild_canonical()
        link_offline(store)
    finally:
        store.close()
    return path


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(store: Path, *options: str, ready_s: float = 60.0) -> Iterator[str]:
    """`kg serve` on ``store`` as a subprocess on a free port of 127.0.0.1; yields its base URL."""
    import tempfile

    port = free_port()
    # The server's stderr goes to a file, not a pipe: a full pipe would stall the server.
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port), *options],
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
        )
        try:
            _wait_until_serving(server, log, f"http://127.0.0.1:{port}", ready_s)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_serving(server: subprocess.Popen, log, url: str, ready_s: float) -> None:
    import time
    import urllib.request

    deadline = time.monotonic() + ready_s
    while True:
        try:
            with urllib.request.urlopen(url + "/queries", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if server.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"kg serve exited: {log.read()}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"kg serve did not answer within {ready_s:g} s") from None
            time.sleep(0.2)
