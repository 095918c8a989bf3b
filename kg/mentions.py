"""Stage kg_mentions: persons, titles, institutions, countries and places -> doc.spans["kg_mentions"].

The model's NER is a hint, not the answer: on diplomatic prose it glues titles and countries to names
("Kazakhstan Mr Tokayev" as ORG), tags demonyms as persons and splits names. So this stage

1. matches the gazetteer (kg/resources/gazetteer.*.jsonl) longest-first: COUNTRY (names and demonyms),
   INSTITUTION and PLACE spans carrying ``kb_id_`` = entity key; bilateral bodies ("High Inter-State
   Council of A and B") and a bare "the Parliament" that can only mean one institution of the article;
2. builds TITLE spans around role words (mentions.titles.jsonl) with their modifiers, countries and
   institutions on both sides ("Azerbaijan's Ambassador to Kazakhstan", "Speaker of the Milli Majlis");
   ``span.id_`` is the role rule id;
3. finds person names as runs of capitalised name tokens, never containing honorifics, role words,
   gazetteer words or verbs, accepted when NER saw a name there or an honorific or title stands before
   it; a name followed by "International Airport", "Centre" ... is a PLACE named after a person.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.lexicon import Lexicon, lexicon, norm_token, slug, tokenize

SPANS_KEY = "kg_mentions"
NER_NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
NOT_NAME_ENTS = {"DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY"}
# Part-of-speech tags that end a name even when capitalised (headline "Gafarova Meets President").
NOT_NAME_TAGS = {"VB", "VBD", "VBZ", "VBP", "VBG", "VBN", "PRP", "PRP$", "DT", "IN", "CC", "MD", "WDT", "WP"}
# Nouns that end the name of a chamber the gazetteer may not know ("the House of Representatives").
BODY_HEADS = {"house", "assembly", "senate", "parliament", "congress", "chamber", "council"}
# Role groups whose portfolio may be written out ("Minister of Trade and Investment").
MINISTERS = ("minister", "deputy_minister")
COMPLEMENT_HEADS = {
    "group",
    "committee",
    "commission",
    "council",
    "delegation",
    "department",
    "office",
    "party",
}


@Language.factory("kg_mentions", assigns=["doc.spans"], requires=["token.tag", "doc.ents"])
def make_mentions(nlp: Language, name: str) -> MentionTagger:
    return MentionTagger()


class MentionTagger:
    def __init__(self) -> None:
        self.lex = lexicon()

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[SPANS_KEY] = find_mentions(doc, self.lex)
        return doc


def texts_of(doc: Doc) -> list[str]:
    """The token texts, made once per Doc: every kg component reads them, and making a Token object
    per token each time cost a millisecond an article. Callers must not change the list."""
    texts = doc.user_data.get("kg_texts")
    if texts is None or len(texts) != len(doc):
        texts = doc.user_data["kg_texts"] = [t.text for t in doc]
    return texts


def text_of(doc: Doc) -> str:
    """The Doc's text, made once per Doc: ``doc.text`` joins every token again at each call."""
    text = doc.user_data.get("kg_text")
    if text is None:
        text = doc.user_data["kg_text"] = doc.text
    return text


def find_mentions(doc: Doc, lex: Lexicon) -> list[Span]:
    texts = texts_of(doc)
    gaz = gazetteer_spans(doc, texts, lex)
    titles = title_spans(doc, texts, lex, gaz)
    persons, named_places = person_spans(doc, texts, lex, gaz, titles)
    spans = gaz + named_places + titles + persons
    return sorted(spans, key=lambda s: (s.start, -s.end, s.label_))


# --- gazetteer ------------------------------------------------------------------------------------


def gazetteer_spans(doc: Doc, texts: list[str], lex: Lexicon) -> list[Span]:
    spans: list[Span] = []
    i = 0
    while i < len(doc):
        bilateral = _bilateral_at(doc, texts, lex, i)
        if bilateral is not None:
            spans.append(bilateral)
            i = bilateral.end
            continue
        hit = lex.gazetteer.match_at(texts, i)
        if hit is None:
            i += 1
            continue
        n, entry = hit
        spans.append(Span(doc, i, i + n, label=entry.kind, kb_id=entry.key, span_id=entry.rule))
        i += n
    spans += _bare_generic_spans(doc, texts, lex, spans)
    return sorted(spans, key=lambda s: s.start)


def _bilateral_at(doc: Doc, texts: list[str], lex: Lexicon, i: int) -> Span | None:
    """'<body> of|between <country> and <country>' -> one institution keyed by both countries."""
    hit = lex.bilateral.match_at(texts, i)
    if hit is None or not texts[i][:1].isupper():
        return None
    n, entry = hit
    j = i + n
    if j < len(doc) and texts[j].lower() in ("of", "between"):
        first = lex.gazetteer.match_at(texts, j + 1)
        if first and first[1].kind == "COUNTRY":
            k = j + 1 + first[0]
            if k < len(doc) and texts[k].lower() == "and":
                second = lex.gazetteer.match_at(texts, k + 1)
                if second and second[1].kind == "COUNTRY":
                    end = k + 1 + second[0]
                    pair = sorted({first[1].key, second[1].key})
                    rec = lex.bilateral_records[entry.rule]
                    key = f"institution:{slug(rec['name'])}-" + "-".join(p.split(":", 1)[1] for p in pair)
                    return Span(doc, i, end, label="INSTITUTION", kb_id=key, span_id=entry.rule)
    return None


def _bare_generic_spans(doc: Doc, texts: list[str], lex: Lexicon, found: list[Span]) -> list[Span]:
    """'the Parliament' / 'the High Inter-State Council' when the article names exactly one such body."""
    covered = {i for s in found for i in range(s.start, s.end)}
    keys_in_doc = {s.kb_id_ for s in found if s.label_ == "INSTITUTION"}
    bilateral_names = _bilateral_names(lex)
    out: list[Span] = []
    for i in range(1, len(doc)):
        if i in covered or texts[i - 1].lower() not in ("the", "its") or not texts[i][:1].isupper():
            continue
        best: tuple[int, list[str]] | None = None
        for n in range(min(6, len(doc) - i), 0, -1):
            phrase = tuple(norm_token(t) for t in texts[i : i + n])
            if any(k in covered for k in range(i, i + n)):
                continue
            cands = [k for k in lex.generic_nouns.get(phrase, []) if k in keys_in_doc]
            cands += [
                k
                for k in keys_in_doc
                if phrase in bilateral_names and k.startswith(f"institution:{slug(' '.join(phrase))}-")
            ]
            if cands:
                best = (n, sorted(set(cands)))
                break
        if best and len(best[1]) == 1:
            n, (key,) = best
            out.append(Span(doc, i, i + n, label="INSTITUTION", kb_id=key, span_id="mentions.bare_generic"))
            covered.update(range(i, i + n))
    return out


def _bilateral_names(lex: Lexicon) -> set[tuple[str, ...]]:
    return {tuple(norm_token(t) for t in tokenize(r["name"])) for r in lex.bilateral_records.values()}


# --- titles ---------------------------------------------------------------------------------------


def title_spans(doc: Doc, texts: list[str], lex: Lexicon, gaz: list[Span]) -> list[Span]:
    # Places only after 'of' ("Crown Prince of Abu Dhabi", "Governor of Kandahar"), see _extend_right.
    starts = {s.start: s for s in gaz if s.label_ in ("COUNTRY", "INSTITUTION", "PLACE")}
    ends = {s.end: s for s in gaz if s.label_ in ("COUNTRY", "INSTITUTION")}
    in_gaz = {i for s in gaz for i in range(s.start, s.end)}
    out: list[Span] = []
    i = 0
    while i < len(doc):
        hit = lex.roles.match_at(texts, i) if i not in in_gaz else None
        # A role word that is part of an honorific ("Great Leader", "Commander-in-Chief") is not a title.
        hon = lex.honorifics.match_at(texts, i)
        if hit is None or (hon is not None and hon[0] >= hit[0]) or _inside_honorific(texts, lex, i):
            i += 1
            continue
        n, entry = hit
        rec = lex.role_records[entry.rule]
        start, end = i, i + n
        portfolio = rec["group"] in MINISTERS or rec.get("portfolio")
        written = _portfolio(doc, texts, lex, start, end, rec, in_gaz) if portfolio else None
        if written:
            start, end = written
        end, complemented = _extend_right(doc, texts, lex, end, rec, starts)
        left = _extend_left(texts, lex, start, ends)
        # "Director-General of the WTO" or "WTO Director-General": the body on either side.
        named_body = any(s.label_ == "INSTITUTION" for s in gaz if left <= s.start and s.end <= start)
        if (
            (rec.get("needs_of") or rec.get("portfolio"))
            and not complemented
            and not written
            and not named_body
        ):
            i += n
            continue
        start = left
        kb_id = f"written:{written[0]}:{written[1]}" if written else ""
        out.append(Span(doc, start, end, label="TITLE", span_id=entry.rule, kb_id=kb_id))
        i = end
    return out


def _portfolio(
    doc: Doc, texts: list[str], lex: Lexicon, start: int, end: int, rec: dict, in_gaz: set[int]
) -> tuple[int, int] | None:
    """A minister's portfolio the role list does not name, kept as written: 'Minister of Trade and
    Investment', 'Minister of State for Trade', 'Tourism Minister', 'Science and Technology Minister'.
    The (start, end) of the role words with their portfolio, or None. A canonical role that is no
    'Minister of ...' ("Foreign Minister") keeps its name whatever follows."""
    last = norm_token(texts[end - 1])
    after = texts[end].lower() if end < len(doc) else ""
    if last == "minister" and after in ("of", "for"):
        tail = _portfolio_words(doc, texts, lex, end + 1, in_gaz)
        return (start, tail) if tail > end + 1 else None
    if rec["role"].startswith("Minister of State") and after == "for":
        tail = _portfolio_words(doc, texts, lex, end + 1, in_gaz)
        return (start, tail) if tail > end + 1 else None
    if last == "minister" and end - start == 2 and rec["role"].startswith("Minister of"):
        # "Foreign Affairs and Foreign Trade Minister": a joint portfolio, as written.
        k = start
        while k > 0 and _is_portfolio_word(doc, texts, lex, k - 1, in_gaz):
            k -= 1
        if k > 1 and texts[k - 1].lower() in ("and", "&"):
            j = k - 1
            while j > 0 and _is_portfolio_word(doc, texts, lex, j - 1, in_gaz):
                j -= 1
            if j < k - 1:
                return (j, end)
        return (k, end) if k < start else None
    if rec.get("portfolio"):
        # "Economic Adviser", "Foreign Affairs Adviser", "Presidency Spokesperson", "Press Secretary":
        # as written; a bare "Adviser" is no title.
        k = start
        while k > 0 and _is_portfolio_word(doc, texts, lex, k - 1, in_gaz):
            k -= 1
        return (k, end) if k < start or end - start > 1 else None
    if last == "minister" and end - start == 1:
        k = start
        while k > 0 and _is_portfolio_word(doc, texts, lex, k - 1, in_gaz):
            k -= 1
            if (
                k > 1
                and texts[k - 1].lower() in ("and", "&")
                and _is_portfolio_word(doc, texts, lex, k - 2, in_gaz)
            ):
                k -= 1
        return (k, end) if k < start else None
    if rec["role"].startswith("Minister of") and after in ("and", "&"):
        # a listed portfolio that goes on: 'Minister of Trade' + 'and Investment'
        tail = _portfolio_words(doc, texts, lex, end + 1, in_gaz)
        return (start, tail) if tail > end + 1 else None
    return None


def _portfolio_words(doc: Doc, texts: list[str], lex: Lexicon, j: int, in_gaz: set[int]) -> int:
    """The end of the capitalised words (joined by 'and', '&') of a portfolio starting at ``j``."""
    end = j
    k = j
    while k < len(doc):
        if _is_portfolio_word(doc, texts, lex, k, in_gaz):
            k += 1
            end = k
            continue
        # Not ',': 'Minister of Trade and Investment, Ada Obi' would take the name.
        joined = texts[k].lower() in ("and", "&") and k > j and k + 1 < len(doc)
        if joined and _is_portfolio_word(doc, texts, lex, k + 1, in_gaz):
            k += 1
            continue
        break
    return end


def _is_portfolio_word(doc: Doc, texts: list[str], lex: Lexicon, k: int, in_gaz: set[int]) -> bool:
    """A capitalised common word of a ministry's remit: not a country, body, role, honorific or name."""
    text = texts[k]
    return (
        text[:1].isupper()
        and text.isalpha()
        and k not in in_gaz
        and doc[k].ent_type_ != "PERSON"
        and doc[k].tag_ in ("NN", "NNS", "NNP", "NNPS", "JJ")  # not "Later Tourism Minister"
        and lex.roles.match_at(texts, k) is None
        and lex.honorifics.match_at(texts, k) is None
        and not (sum(c.isupper() for c in text) > 1)
    )


def _inside_honorific(texts: list[str], lex: Lexicon, i: int) -> bool:
    for back in range(1, 3):
        if i - back < 0:
            break
        hit = lex.honorifics.match_at(texts, i - back)
        if hit and hit[0] > back:
            return True
    return False


def _extend_left(texts: list[str], lex: Lexicon, start: int, ends: dict[int, Span]) -> int:
    while start > 0:
        mod = lex.modifiers.match_ending(texts, start)
        if mod:
            start -= mod[0]
            continue
        if start in ends:
            start = ends[start].start
            continue
        if norm_token(texts[start - 1]) in ("'s", "'") and (start - 1) in ends:
            start = ends[start - 1].start
            continue
        break
    return start


def _extend_right(
    doc: Doc, texts: list[str], lex: Lexicon, end: int, rec: dict, starts: dict[int, Span]
) -> tuple[int, bool]:
    """Take 'of (the) <institution|country>', 'to <country>' (ambassadors), 'of its Working Group for ...'."""
    complemented = False
    while end < len(doc):
        word = texts[end].lower()
        m = end + 1
        if m < len(doc) and texts[m].lower() in ("the", "its"):
            m += 1
        envoy = rec["group"] in ("ambassador", "special_representative")
        # Places after 'of' ("Crown Prince of Abu Dhabi") and an envoy's 'in' ("Consul General in Lyon").
        if (
            word in ("of", "for", "in")
            and m in starts
            and (word == "of" or starts[m].label_ != "PLACE" or (word == "in" and envoy))
        ):
            end, complemented = starts[m].end, True
            continue
        if (
            word == "to"
            and rec["group"] in ("ambassador", "special_representative")
            and m in starts
            and starts[m].label_ != "PLACE"
        ):
            end, complemented = starts[m].end, True
            continue
        if word == "(" and complemented:
            # "President of the Parliamentary Assembly (PACE) A": the body's acronym in brackets.
            close = next((k for k in range(end + 1, min(end + 6, len(doc))) if texts[k] == ")"), None)
            inside = texts[end + 1 : close] if close else []
            if inside and all(t.isupper() or not t.isalpha() for t in inside):
                end = close + 1
                continue
        if word == "for" and complemented and rec["group"] not in MINISTERS:
            # "High Representative of the EU for Foreign Affairs and Security Policy": its remit.
            tail = _portfolio_words(doc, texts, lex, end + 1, set())
            if tail > end + 1:
                end = tail
                continue
        if word == "of" and m < len(doc):
            tail = _complement_phrase(doc, texts, lex, m)
            if tail:
                end, complemented = tail, True
                continue
        break
    return end, complemented


def _complement_phrase(doc: Doc, texts: list[str], lex: Lexicon, m: int) -> int | None:
    """'Working Group for inter-parliamentary ties with Kazakhstan': a capitalised body, then its remit."""
    j = m
    while j < len(doc) and texts[j][:1].isupper() and texts[j].isalpha():
        j += 1
        # "House of Representatives", "Chamber of Deputies": one body's name.
        joined = j + 1 < len(doc) and texts[j] == "of" and texts[j - 1].lower() in BODY_HEADS
        if joined and texts[j + 1][:1].isupper() and texts[j + 1].isalpha():
            j += 1
    # The body's name ends at its head noun (or the words its "of" joins); a name may follow it.
    heads = COMPLEMENT_HEADS | BODY_HEADS
    ends = [
        k + 1
        for k in range(m, j)
        if texts[k].lower() in heads
        or (k - 2 >= m and texts[k - 1] == "of" and texts[k - 2].lower() in BODY_HEADS)
    ]
    if not ends:
        return None
    j = ends[-1]
    # The remit ("for ... with Kazakhstan") runs up to the next capitalised non-gazetteer word or punctuation.
    if j < len(doc) and texts[j].lower() in ("for", "on"):
        k = j + 1
        while k < len(doc) and k - j < 12 and (not doc[k].is_punct or _inner_hyphen(doc, k)):
            hit = lex.gazetteer.match_at(texts, k)
            if hit:
                k += hit[0]
                continue
            if texts[k][:1].isupper() or doc[k].tag_ in NOT_NAME_TAGS - {"IN", "CC", "DT"}:
                break
            k += 1
        if k > j + 1:
            j = k
    return j


def _inner_hyphen(doc: Doc, k: int) -> bool:
    return doc[k].text == "-" and not doc[k - 1].whitespace_ and not doc[k].whitespace_


# --- persons --------------------------------------------------------------------------------------


def is_name_token(doc: Doc, texts: list[str], lex: Lexicon, i: int, blocked: set[int]) -> bool:
    tok = doc[i]
    text = texts[i]
    if i in blocked or not text[:1].isupper() or norm_token(text) in lex.nonnames:
        return False
    if tok.ent_type_ in NOT_NAME_ENTS or tok.tag_ in NOT_NAME_TAGS:
        return False
    if sum(c.isupper() for c in text) > 1 and not text[1:2].islower():  # acronyms: MPs, UN, TURKPA
        return False
    letters = text.replace("'", "").replace("’", "").replace(".", "")
    return letters.isalpha()


def name_runs(doc: Doc, texts: list[str], lex: Lexicon, blocked: set[int]) -> list[tuple[int, int]]:
    """Maximal runs of name tokens; hyphens inside a word ("Kassym-Jomart") and particles join them."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(doc):
        hon = lex.honorifics.match_at(texts, i)
        if hon or not is_name_token(doc, texts, lex, i, blocked):
            i += hon[0] if hon else 1
            continue
        j = i + 1
        while j < len(doc):
            if (
                texts[j] == "-"
                and not doc[j - 1].whitespace_
                and j + 1 < len(doc)
                and is_name_token(doc, texts, lex, j + 1, blocked)
            ):
                j += 2
                continue
            if (
                norm_token(texts[j]) in lex.particles
                and j + 1 < len(doc)
                and is_name_token(doc, texts, lex, j + 1, blocked)
            ):
                j += 2
                continue
            if is_name_token(doc, texts, lex, j, blocked) and not lex.honorifics.match_at(texts, j):
                j += 1
                continue
            break
        runs.append((i, j))
        i = j
    return runs


def words_in(doc: Doc, start: int, end: int) -> int:
    """Name words in a run: 'Nurlan-Bek Sadykov' has two."""
    return sum(1 for k in range(start, end) if doc[k].text != "-" and (k == start or doc[k - 1].text != "-"))


def honorific_before(texts: list[str], lex: Lexicon, start: int) -> tuple[int, dict] | None:
    """The honorific that ends right before token ``start``: (its start, its record)."""
    hit = lex.honorifics.match_ending(texts, start)
    if hit is None:
        return None
    n, entry = hit
    return start - n, lex.honorific_records[entry.rule]


def person_spans(
    doc: Doc, texts: list[str], lex: Lexicon, gaz: list[Span], titles: list[Span]
) -> tuple[list[Span], list[Span]]:
    blocked = {i for s in gaz for i in range(s.start, s.end)} | {
        i for s in titles for i in range(s.start, s.end)
    }
    ner_person = {i for e in doc.ents if e.label_ == "PERSON" for i in range(e.start, e.end)}
    ner_other = {i for e in doc.ents if e.label_ in NER_NAME_LABELS for i in range(e.start, e.end)}
    title_ends = {s.end for s in titles}
    persons: list[Span] = []
    places: list[Span] = []
    for start, end in name_runs(doc, texts, lex, blocked):
        facility = lex.facilities.match_at(texts, end)
        if facility is not None:
            n, entry = facility
            rec = lex.facility_records[entry.rule]
            if rec["label"] in ("PLACE", "INSTITUTION"):
                kind = "place" if rec["label"] == "PLACE" else "institution"
                span_text = doc[start : end + n].text
                places.append(
                    Span(
                        doc,
                        start,
                        end + n,
                        label=rec["label"],
                        kb_id=f"{kind}:{slug(span_text)}",
                        span_id=entry.rule,
                    )
                )
            continue
        titled = start in title_ends or (start >= 2 and texts[start - 1] == "," and (start - 1) in title_ends)
        honored = honorific_before(texts, lex, start) is not None
        run = range(start, end)
        seen_by_ner = any(k in ner_person for k in run) or (
            words_in(doc, start, end) >= 2 and any(k in ner_other for k in run)
        )
        if not (titled or honored or seen_by_ner):
            continue
        if words_in(doc, start, end) == 1 and not (titled or honored or any(k in ner_person for k in run)):
            continue
        rule = (
            "mentions.person.titled"
            if titled
            else "mentions.person.honorific"
            if honored
            else "mentions.person.ner"
        )
        persons.append(Span(doc, start, end, label="PERSON", span_id=rule))
    return persons, places
