"""Stage kg_mentions: persons, titles, institutions, countries and places -> doc.spans["kg_mentions"].

The model's NER is a hint, not the answer: on diplomatic prose it glues titles and countries to names
("Ruritania Mr Ospanov" as ORG), tags demonyms as persons and splits names. So this stage

1. matches the gazetteer (kg/nlp/resources/gazetteer.*.jsonl) longest-first: COUNTRY (names and demonyms),
   INSTITUTION and PLACE spans carrying ``kb_id_`` = entity key; bilateral bodies ("High Inter-State
   Council of A and B") and a bare "the Parliament" that can only mean one institution of the article;
2. builds TITLE spans around role words (mentions.titles.jsonl) with their modifiers, countries and
   institutions on both sides ("Azerbaijan's Ambassador to Kazakhstan", "Speaker of the Milli Majlis");
   ``span.id_`` is the role rule id;
3. finds person names as runs of capitalised name tokens, never containing honorifics, role words,
   gazetteer words or verbs, accepted when NER saw a name there or an honorific or title stands before
   it; a name followed by "International Airport", "Centre" ... is a PLACE named after a person.
   Runs take the shapes of names of many languages: hyphenated given names with a lower-case second
   syllable ("Jae-sung"), particles ("bin", "al-Marzouki"), initials ("AK"), regnal numbers ("VI"),
   apostrophes ("O'Dowd"). A run is not a person when it is made of English common words (the
   model's lemma index) with no person seen by the NER ("Standing Committees", "Climate Change"),
   when the NER saw only a place, when it names a chamber or constituency before "Speaker <Name>" /
   "MP <Name>", or when it is a byline. Leading office words outside the NER's person are cut off
   ("Kremlin <Name>"), a portfolio between a title and a name still makes the name titled, and a
   lone surname of a person named in full is a mention of that person.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.common.names import key_slug
from kg.nlp.lexicon import GIVEN_NAMES_THAT_ARE_TITLES, Lexicon, lexicon, norm_token, tokenize
from kg.read.dates import MONTHS

SPANS_KEY = "kg_mentions"
NER_NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
NOT_NAME_ENTS = {"DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY"}
# Part-of-speech tags that end a name even when capitalised (headline "Karimova Meets President").
NOT_NAME_TAGS = {"VB", "VBD", "VBZ", "VBP", "VBG", "VBN", "PRP", "PRP$", "DT", "IN", "CC", "MD", "WDT", "WP"}
# Nouns that end the name of a chamber the gazetteer may not know ("the House of Representatives").
BODY_HEADS = {"house", "assembly", "senate", "parliament", "congress", "chamber", "council"}
# Words before a body's generic noun that are part of its name ("National Assembly Speaker").
BODY_QUALIFIERS = {"national", "federal", "state", "upper", "lower", "legislative"}
# Role groups a chamber's generic noun before the title makes its presiding officer's
# ("Senate President A" is no head of state).
PRESIDED = ("presiding", "deputy_presiding", "head_of_state", "deputy_head_of_state")
# Role groups whose portfolio may be written out ("Minister of Trade and Investment").
MINISTERS = ("minister", "deputy_minister")
# Role groups of a chamber's presiding officers: a headline may drop their "of" ("Speaker Senate A").
PRESIDING = ("presiding", "deputy_presiding")
# Lower-case second halves of hyphenated words that are English, not the second syllable of a given
# name ("Hyo-rin", "Jae-sung" are names; "Smith-led", "Moscow-based" are not).
HYPHEN_SUFFIXES = {
    "led", "based", "born", "era", "style", "backed", "run", "owned", "made", "elect", "designate",
    "like", "type", "level", "free", "related", "wide", "controlled", "sponsored", "funded", "brokered",
    "linked", "friendly", "centred", "centered", "oriented", "speaking", "american", "in-law", "law",
}  # fmt: skip
# Regnal numbers after a monarch's or pope's name ("Mohammed VI", "Charles III").
ROMAN_NUMERAL = re.compile(r"^(?:X{0,2})(?:IX|IV|V?I{0,3})$")
# Acronyms of members of parliament: a capitalised phrase right before one, then a name, is the
# member's constituency or chamber ("<Constituency> MP <Name>"), not a person.
MEMBER_ACRONYMS = {"mp", "mps", "mep", "meps", "mla", "mlas", "mna", "mnas", "mpp"}
# Upper-case abbreviations of offices that stand before a name as initials would ("PM <Name>").
ROLE_ACRONYMS = MEMBER_ACRONYMS | {"pm", "fm", "dpm", "eam", "vp", "sg", "cm", "hm", "gs", "mr", "dr"}
# Runs the NER saw only as these kinds, with no sign of a person, are places.
PLACE_ENTS = {"GPE", "LOC", "FAC"}
HEAD_OF_DELEGATION = "mentions.title.head_of_delegation"
# Bodies of a chamber named after it ("the Mazhilis Committee on ..."): the post is theirs.
COMMITTEE_WORDS = {"Committee", "Commission", "Subcommittee", "Organ"}
# "Chargé d'Affaires a.i.": the envoy's "ad interim", as tokenized.
AD_INTERIM = (["a.i", "."], ["a.i."], ["ad", "interim"])
# "to our country": an envoy's host when the host's press writes it.
HOST_COUNTRY = (["our", "country"], ["this", "country"], ["the", "country"])
COMPLEMENT_HEADS = {
    "group",
    "committee",
    "commission",
    "council",
    "delegation",
    "department",
    "office",
    "party",
    "diocese",
    "staff",
    "service",
    "opposition",
    "organ",
}


@Language.factory("kg_mentions", assigns=["doc.spans"], requires=["token.tag", "doc.ents"])
def make_mentions(nlp: Language, name: str) -> MentionTagger:
    return MentionTagger(common_words(nlp))


class MentionTagger:
    def __init__(self, common: frozenset[str] = frozenset()) -> None:
        self.lex = lexicon()
        self.common = common

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[SPANS_KEY] = find_mentions(doc, self.lex, self.common)
        return doc


def common_words(nlp: Language) -> frozenset[str]:
    """English common words (nouns, adjectives, verbs, adverbs): the lemma index of the model's rule
    lemmatizer (WordNet's). A capitalised run made only of such words ("Standing Committees",
    "Preventive Diplomacy") is a body or a topic unless something says it is a person. Empty when the
    model has no such table: the checks that use it then never fire."""
    for _, proc in nlp.pipeline:
        lemmatizer = getattr(proc, "lemmatizer", proc)
        lookups = getattr(lemmatizer, "lookups", None)
        if lookups is not None and lookups.has_table("lemma_index"):
            index = lookups.get_table("lemma_index")
            return frozenset(w for pos in ("noun", "adj", "verb", "adv") if pos in index for w in index[pos])
    return frozenset()


def is_common_word(text: str, common: frozenset[str]) -> bool:
    """'Committees' -> committee, 'Policies' -> policy: plural forms of the index's base forms too."""
    low = text.lower()
    if low in common:
        return True
    if low.endswith("ies") and low[:-3] + "y" in common:
        return True
    if low.endswith("es") and low[:-2] in common:
        return True
    return low.endswith("s") and low[:-1] in common


def texts_of(doc: Doc) -> list[str]:
    """The token texts, made once per Doc: every kg component reads them, and making a Token object
    per token each time cost a millisecond an article. Callers must not change the list."""
    texts = doc.user_data.get("kg_texts")
    if texts is None or len(texts) != len(doc):
        texts = doc.user_data["kg_texts"] = [t.text for t in doc]
    return texts


def keep_text(doc: Doc, text: str) -> Doc:
    """Record ``text`` as the text of a Doc the tokenizer made from it (spaCy's tokenizer keeps
    every character, so it is ``doc.text``): text_of then reads it instead of joining the tokens."""
    doc.user_data["kg_text"] = text
    return doc


def text_of(doc: Doc) -> str:
    """The Doc's text, made once per Doc: ``doc.text`` joins every token again at each call."""
    text = doc.user_data.get("kg_text")
    if text is None:
        text = doc.user_data["kg_text"] = doc.text
    return text


def find_mentions(doc: Doc, lex: Lexicon, common: frozenset[str] = frozenset()) -> list[Span]:
    texts = texts_of(doc)
    gaz = gazetteer_spans(doc, texts, lex)
    titles = [
        t for t in title_spans(doc, texts, lex, gaz, common) if not _title_inside_name(doc, texts, lex, t)
    ]
    persons, named_places = person_spans(doc, texts, lex, gaz, titles, common)
    in_persons = {i for p in persons for i in range(p.start, p.end)}
    gaz = [g for g in gaz if g.start not in in_persons]
    spans = gaz + named_places + titles + persons
    return sorted(spans, key=lambda s: (s.start, -s.end, s.label_))


def _title_inside_name(doc: Doc, texts: list[str], lex: Lexicon, title: Span) -> bool:
    """'Hamad bin Rashid Sultan Al Harthy', 'Omar bin Sultan': a role word that is also a given
    name, after a particle or inside what the NER reads as one person's name, is part of the name."""
    if len(title) != 1 or norm_token(texts[title.start]) not in GIVEN_NAMES_THAT_ARE_TITLES:
        return False
    if title.start > 0 and norm_token(texts[title.start - 1]) in lex.particles:
        return True
    ent = doc[title.start].ent_type_ == "PERSON" and doc[title.start].ent_iob_ == "I"
    after = title.end < len(doc) and doc[title.end].ent_type_ == "PERSON" and doc[title.end].ent_iob_ == "I"
    return ent and after


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
            misspelt = _misspelt_country_of_envoy(texts, lex, i)
            if misspelt is not None:
                spans.append(
                    Span(doc, i, i + 1, label="COUNTRY", kb_id=misspelt, span_id="mentions.country.misspelt")
                )
            i += 1
            continue
        n, entry = hit
        spans.append(Span(doc, i, i + n, label=entry.kind, kb_id=entry.key, span_id=entry.rule))
        i += n
    spans += _bare_generic_spans(doc, texts, lex, spans)
    return sorted(spans, key=lambda s: s.start)


_country_words: dict[int, dict[str, str]] = {}


def _misspelt_country_of_envoy(texts: list[str], lex: Lexicon, i: int) -> str | None:
    """'Ambassador-designate to Azerbijan <Name>': a word right after an envoy's title and 'to' that
    is a one-word country name misspelt (one letter off or so) is that country; left unknown, it
    would be read as the envoy's first name."""
    if i < 2 or texts[i - 1].lower() != "to" or not texts[i][:1].isupper() or len(texts[i]) < 6:
        return None
    role = lex.roles.match_ending(texts, i - 1)
    if role is None or lex.role_records[role[1].rule]["group"] not in (
        "ambassador",
        "special_representative",
    ):
        return None
    words = _country_words.get(id(lex))
    if words is None:
        words = _country_words[id(lex)] = {
            norm_token(p): key for key, rec in lex.countries.items() for p in rec["pattern"] if " " not in p
        }
    low = norm_token(texts[i])
    best = max(words, key=lambda w: (fuzz.ratio(w, low), w))
    return words[best] if fuzz.ratio(best, low) >= 85 else None


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
                    key = f"institution:{key_slug(rec['name'])}-" + "-".join(p.split(":", 1)[1] for p in pair)
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
                if phrase in bilateral_names and k.startswith(f"institution:{key_slug(' '.join(phrase))}-")
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


def title_spans(
    doc: Doc, texts: list[str], lex: Lexicon, gaz: list[Span], common: frozenset[str] = frozenset()
) -> list[Span]:
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
        if hit is None or (hon is not None and hon[0] > hit[0]) or _inside_honorific(texts, lex, i):
            i += 1
            continue
        n, entry = hit
        rec = lex.role_records[entry.rule]
        start, end = i, i + n
        portfolio = rec["group"] in MINISTERS or rec.get("portfolio")
        written = _portfolio(doc, texts, lex, start, end, rec, in_gaz, common) if portfolio else None
        if written:
            start, end = written
        end, complemented = _extend_right(doc, texts, lex, end, rec, starts, common)
        rule = entry.rule
        after = texts[end].lower() if end < len(doc) else ""
        if rec["group"] == "head" and complemented and "delegation" in (texts[end - 1].lower(), after):
            # "head of the Chilean delegation", "Head of the EU Delegation": a head of delegation.
            end, rule = end + (after == "delegation"), HEAD_OF_DELEGATION
        left = _extend_left(texts, lex, start if start in ends else _body_before(texts, start, rec), ends)
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
        out.append(Span(doc, start, end, label="TITLE", span_id=rule, kb_id=kb_id))
        i = end
    return out


def _portfolio(
    doc: Doc,
    texts: list[str],
    lex: Lexicon,
    start: int,
    end: int,
    rec: dict,
    in_gaz: set[int],
    common: frozenset[str] = frozenset(),
) -> tuple[int, int] | None:
    """A minister's portfolio the role list does not name, kept as written: 'Minister of Trade and
    Investment', 'Minister of State for Trade', 'Tourism Minister', 'Science and Technology Minister'.
    The (start, end) of the role words with their portfolio, or None. A canonical role that is no
    'Minister of ...' ("Foreign Minister") keeps its name whatever follows."""
    last = norm_token(texts[end - 1])
    after = texts[end].lower() if end < len(doc) else ""
    if last == "minister" and after in ("of", "for"):
        tail = _portfolio_words(doc, texts, lex, end + 1, in_gaz, common)
        return (start, tail) if tail > end + 1 else None
    if rec["role"].startswith("Minister of State") and after == "for":
        tail = _portfolio_words(doc, texts, lex, end + 1, in_gaz, common)
        return (start, tail) if tail > end + 1 else None
    if last == "minister" and end - start == 2 and rec["role"].startswith("Minister of"):
        # "Foreign Affairs and Foreign Trade Minister": a joint portfolio, as written.
        k = start
        while k > 0 and _is_portfolio_word(doc, texts, lex, k - 1, in_gaz, common):
            k -= 1
        if k > 1 and texts[k - 1].lower() in ("and", "&"):
            j = k - 1
            while j > 0 and _is_portfolio_word(doc, texts, lex, j - 1, in_gaz, common):
                j -= 1
            if j < k - 1:
                return (j, end)
        return (k, end) if k < start else None
    if rec.get("portfolio"):
        # "Economic Adviser", "Foreign Affairs Adviser", "Presidency Spokesperson", "Press Secretary":
        # as written; a bare "Adviser" is no title.
        k = start
        while k > 0 and _is_portfolio_word(doc, texts, lex, k - 1, in_gaz, common):
            k -= 1
        return (k, end) if k < start or end - start > 1 else None
    if last == "minister" and end - start == 1:
        k = start
        while k > 0 and _is_portfolio_word(doc, texts, lex, k - 1, in_gaz, common):
            k -= 1
            if (
                k > 1
                and texts[k - 1].lower() in ("and", "&")
                and _is_portfolio_word(doc, texts, lex, k - 2, in_gaz, common)
            ):
                k -= 1
        return (k, end) if k < start else None
    if rec["role"].startswith("Minister of") and after in ("and", "&"):
        # a listed portfolio that goes on: 'Minister of Trade' + 'and Investment' (not 'and
        # Supervising Minister of ...': a second title)
        tail = _portfolio_words(doc, texts, lex, end + 1, in_gaz, common)
        return (start, tail) if tail > end + 1 and lex.roles.match_at(texts, tail) is None else None
    return None


def _portfolio_words(
    doc: Doc, texts: list[str], lex: Lexicon, j: int, in_gaz: set[int], common: frozenset[str] = frozenset()
) -> int:
    """The end of the capitalised words (joined by 'and', '&') of a portfolio starting at ``j``."""
    end = j
    k = j
    joined_at = None
    while k < len(doc):
        if _is_portfolio_word(doc, texts, lex, k, in_gaz, common):
            k += 1
            end = k
            continue
        # Not ',': 'Minister of Trade and Investment, Ada Obi' would take the name.
        # "Minister of Popular Power for Agriculture & Land": a remit may go on after 'for'.
        joined = texts[k].lower() in ("and", "&", "for") and k > j and k + 1 < len(doc)
        if joined and _is_portfolio_word(doc, texts, lex, k + 1, in_gaz, common):
            joined_at = k
            k += 1
            continue
        break
    if joined_at is not None and lex.roles.match_at(texts, end) is not None:
        # "Minister of Finance and Supervising Minister of ...": the words after 'and' open a
        # second title.
        return joined_at
    return end


def _is_portfolio_word(
    doc: Doc, texts: list[str], lex: Lexicon, k: int, in_gaz: set[int], common: frozenset[str] = frozenset()
) -> bool:
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
        # A remit is common words ("Investment", "Cooperation"); a name after it is not ("Layla").
        and (not common or is_common_word(text, common))
    )


def _inside_honorific(texts: list[str], lex: Lexicon, i: int) -> bool:
    for back in range(1, 3):
        if i - back < 0:
            break
        hit = lex.honorifics.match_at(texts, i - back)
        if hit and hit[0] > back:
            return True
    return False


def _body_before(texts: list[str], start: int, rec: dict) -> int:
    """'Senate President A', 'National Assembly Speaker A': a chamber named by its generic noun
    before a presiding officer's title is part of the title (see offices.PRESIDED_GROUPS)."""
    if rec["group"] not in PRESIDED or start < 1 or texts[start - 1].lower() not in BODY_HEADS:
        return start
    if start >= 2 and texts[start - 1][:1].isupper() and texts[start - 2].lower() in BODY_QUALIFIERS:
        return start - 2
    return start - 1 if texts[start - 1][:1].isupper() else start


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
        described = _described_by_country(texts, lex, start, ends)
        if described is not None:
            start = described
            continue
        break
    return start


def _described_by_country(texts: list[str], lex: Lexicon, start: int, ends: dict[int, Span]) -> int | None:
    """In an apposition ("A, Ostria's top diplomat and Foreign Minister"), a country's possessive, a
    description in lower case and 'and' before the title; the country is the title's. The start
    of the country."""
    if start < 4 or texts[start - 1].lower() not in ("and", "&"):
        return None
    for k in range(start - 2, max(start - 5, 1), -1):
        words = texts[k : start - 1]
        if not all(w.isalpha() and w.islower() for w in words):
            return None
        if any(lex.roles.match_at(texts, j) for j in range(k, start - 1)):
            return None
        if norm_token(texts[k - 1]) == "'s" and (k - 1) in ends:
            country = ends[k - 1].start
            return country if country > 0 and texts[country - 1] == "," else None
    return None


def _extend_right(
    doc: Doc,
    texts: list[str],
    lex: Lexicon,
    end: int,
    rec: dict,
    starts: dict[int, Span],
    common: frozenset[str] = frozenset(),
) -> tuple[int, bool]:
    """Take 'of (the) <institution|country>', 'to <country>' (ambassadors), 'of its Working Group for ...'."""
    complemented = False
    last_country = last_demonym = False
    while end < len(doc):
        word = texts[end].lower()
        m = end + 1
        if m < len(doc) and texts[m].lower() in ("the", "its"):
            m += 1
        envoy = rec["group"] in ("ambassador", "special_representative")
        # Places after 'of' ("Crown Prince of Abu Dhabi") and an envoy's 'in' ("Consul General in Lyon").
        if word == "of" and m in starts and starts[m].label_ == "PLACE":
            # "Vice Chairman of the Lyon City People's Council": a body a place's name opens.
            tail = _complement_phrase(doc, texts, lex, m, common)
            if tail and tail > starts[m].end:
                end, complemented, last_country = tail, True, False
                continue
        if (
            word in ("of", "for", "in")
            and m in starts
            and (word == "of" or starts[m].label_ != "PLACE" or (word == "in" and envoy))
        ):
            end, complemented = starts[m].end, True
            last_country = starts[m].label_ == "COUNTRY"
            last_demonym = starts[m].id_.endswith("#demonym")
            committee = end < len(doc) and texts[end] in COMMITTEE_WORDS and starts[m].label_ == "INSTITUTION"
            tail = _complement_phrase(doc, texts, lex, end, common) if committee else None
            if tail:
                # "Chairman of the Mazhilis Committee on International Affairs": the committee's.
                end, last_country = tail, False
            continue
        hon = lex.honorifics.match_at(texts, end + 1) if word in ("-", "–") and complemented else None
        if hon:
            # "First President of Ostria-Leader of the Nation, A": an honorific glued to the title.
            end += 1 + hon[0]
            continue
        if word in ("and", "&") and rec["group"] in MINISTERS and not complemented:
            # "Minister for Foreign Affairs and Trade of Hungary", "Minister of Foreign Affairs and
            # International Cooperation A": a joint portfolio (the role keeps its name); not "and
            # Trade Minister": a second title.
            tail = _portfolio_words(doc, texts, lex, end + 1, set(), common)
            if tail > end + 1 and lex.roles.match_at(texts, tail) is None:
                end = tail
                continue
        step = _envoy_step(texts, end, starts) if envoy else None
        if step is not None:
            end, complemented = step, complemented or texts[end].lower() == "to"
            continue
        if word == "from" and rec["group"] == "member" and m in starts and starts[m].label_ == "COUNTRY":
            # "a Member of Parliament from Chile": the country he sits for.
            end, complemented = starts[m].end, True
            continue
        body = _body_of_country(doc, texts, lex, end, starts, last_demonym) if last_country else None
        if body:
            end, last_country, last_demonym = body, False, False
            continue
        if complemented and end in starts and starts[end].label_ == "INSTITUTION" and last_country:
            # "Speaker of the Azerbaijani Milli Majlis": a demonym, then the body it qualifies.
            end, last_country = starts[end].end, False
            continue
        if not complemented and rec["group"] in PRESIDING and texts[end][:1].isupper():
            # "Speaker National Assembly A", "Chairman Senate A": a headline's title without its "of".
            if end in starts and starts[end].label_ == "INSTITUTION":
                end, complemented = starts[end].end, True
                continue
            tail = _body_name(texts, end)
            if tail:
                end, complemented = tail, True
                continue
        if word == "of" and _session_of(texts, m):
            # "President of the 78th session of the General Assembly": the body follows the session.
            end = m + 2
            continue
        if word == "(" and complemented:
            # "President of the Parliamentary Assembly (PACE) A": the body's acronym in brackets.
            close = next((k for k in range(end + 1, min(end + 6, len(doc))) if texts[k] == ")"), None)
            inside = texts[end + 1 : close] if close else []
            if inside and all(t.isupper() or not t.isalpha() for t in inside):
                end = close + 1
                continue
        remit = rec.get("as_written") or rec["group"] == "committee_chair" or rec["role"].endswith("of State")
        if word in ("for", "on") and remit:
            # "Parliamentary Under-Secretary of State for Foreign Affairs": the remit is part of
            # the title (the role keeps its name).
            tail = _portfolio_words(doc, texts, lex, end + 1, set(), common)
            if tail > end + 1:
                end = tail
                continue
        if word == "for" and complemented and rec["group"] not in MINISTERS:
            # "High Representative of the EU for Foreign Affairs and Security Policy": its remit.
            tail = _portfolio_words(doc, texts, lex, end + 1, set(), common)
            if tail > end + 1:
                end = tail
                continue
        if word == "of" and m < len(doc):
            tail = _complement_phrase(doc, texts, lex, m, common)
            if tail:
                end, complemented = tail, True
                continue
        break
    return end, complemented


def _envoy_step(texts: list[str], end: int, starts: dict[int, Span]) -> int | None:
    """Where an envoy's title goes on to at ``end``: past "a.i." ("Chargé d'Affaires a.i. of
    Chile"), "to our country" (the host, named by the dateline), "to <country, body or capital>"
    ("Envoy to Cairo": a capital stands for its country). None: it does not."""
    interim = next((len(w) for w in AD_INTERIM if [t.lower() for t in texts[end : end + len(w)]] == w), 0)
    if interim:
        return end + interim
    if texts[end].lower() != "to":
        return None
    if [t.lower() for t in texts[end + 1 : end + 3]] in HOST_COUNTRY:
        return end + 3
    m = end + 2 if end + 1 < len(texts) and texts[end + 1].lower() in ("the", "its") else end + 1
    return starts[m].end if m in starts else None


def _body_of_country(
    doc: Doc, texts: list[str], lex: Lexicon, end: int, starts: dict[int, Span], demonym: bool
) -> int | None:
    """The end of a body a country names right before it: "speaker of Chile's Chamber of
    Deputies" (its possessive), "Primate of the Georgian Diocese" (its demonym, a body the
    gazetteer does not know). None: no such body."""
    if texts[end] in ("'s", "’s") and end + 1 < len(doc):
        return starts[end + 1].end if end + 1 in starts else _complement_phrase(doc, texts, lex, end + 1)
    if demonym and end not in starts:
        return _complement_phrase(doc, texts, lex, end)
    return None


def _body_name(texts: list[str], m: int) -> int | None:
    """The end of a capitalised body's name starting at ``m`` and ending at its head noun
    ("National Assembly", "Senate"), or None."""
    j = m
    while j < len(texts) and j - m < 4 and texts[j][:1].isupper() and texts[j].isalpha():
        if texts[j].lower() in BODY_HEADS:
            return j + 1
        j += 1
    return None


def _session_of(texts: list[str], m: int) -> bool:
    """'78th session of': an ordinal session of a body."""
    return (
        m + 2 < len(texts)
        and re.fullmatch(r"\d+(st|nd|rd|th)|[a-z]+(st|nd|rd|th)", texts[m].lower()) is not None
        and texts[m + 1].lower() == "session"
        and texts[m + 2].lower() == "of"
    )


def _complement_phrase(
    doc: Doc, texts: list[str], lex: Lexicon, m: int, common: frozenset[str] = frozenset()
) -> int | None:
    """'Working Group for inter-parliamentary ties with Kazakhstan': a capitalised body, then its remit."""
    j = m
    while j < len(doc) and texts[j][:1].isupper() and texts[j].isalpha():
        j += 1
        # "House of Representatives", "Chamber of Deputies": one body's name.
        joined = j + 1 < len(doc) and texts[j] == "of" and texts[j - 1].lower() in BODY_HEADS
        # "Trade and Energy Committee", "People's Council": words its "and" or possessive joins
        # (not "and Foreign Minister A": a second title).
        joined = joined or (
            j + 1 < len(doc)
            and texts[j] in ("and", "&", "'s", "’s")
            and lex.roles.match_at(texts, j + 1) is None
        )
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
    if j < len(doc) and texts[j].lower() in ("for", "on") and texts[j - 1] in COMMITTEE_WORDS:
        # "Committee on Trade, Energy and Transport": a remit in capitals.
        k = _titled_remit(doc, texts, j + 1, common)
        if k > j + 1:
            return k
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


def _titled_remit(doc: Doc, texts: list[str], k: int, common: frozenset[str]) -> int:
    """The end of a remit in capitals at ``k``: common words ("Energy", "Foreign Affairs"), a list
    of them joined by commas and a last "and"; ``k`` when there is none (or no table of common
    words to tell a remit from a name: "on Trade, Ana Diaz")."""

    def words(i: int) -> int:
        while (
            i < len(doc)
            and texts[i][:1].isupper()
            and texts[i].isalpha()
            and is_common_word(texts[i], common)
        ):
            i += 1
        return i

    end = words(k) if common else k
    if end == k:
        return k
    j = end
    while j < len(doc) and texts[j] == "," and words(j + 1) > j + 1:
        j = words(j + 1)
    if j < len(doc) and texts[j].lower() in ("and", "&") and words(j + 1) > j + 1:
        return words(j + 1)
    return end  # commas with no closing "and": a list after the remit, not the remit's


def _inner_hyphen(doc: Doc, k: int) -> bool:
    return doc[k].text == "-" and not doc[k - 1].whitespace_ and not doc[k].whitespace_


# --- persons --------------------------------------------------------------------------------------


def is_name_token(doc: Doc, texts: list[str], lex: Lexicon, i: int, blocked: set[int]) -> bool:
    text = texts[i]
    if i in blocked or not text[:1].isupper():
        return False
    tok = doc[i]  # a Token object made only for a capitalised word
    if (
        norm_token(text) in lex.nonnames
        and not _month_in_name(doc, texts, i)
        and not _facility_word_opening_name(doc, texts, lex, i)
    ):
        return False
    if tok.ent_type_ in NOT_NAME_ENTS or tok.tag_ in NOT_NAME_TAGS:
        return False
    if _acronym(text):  # MPs, UN, TURKPA; "O'Dowd" is not one
        return False
    letters = text.replace("'", "").replace("’", "").replace(".", "")
    return letters.isalpha()


_facility_words: dict[int, frozenset[str]] = {}


def _facility_word_opening_name(doc: Doc, texts: list[str], lex: Lexicon, i: int) -> bool:
    """'Park Minseo': a word that names facilities after a name ("... Park") opens a name the NER
    calls a person, with another name word after it."""
    words = _facility_words.get(id(lex))
    if words is None:
        roles = _pattern_words(lex.role_records)
        words = _facility_words[id(lex)] = frozenset(_pattern_words(lex.facility_records) - roles)
    return (
        norm_token(texts[i]) in words
        and doc[i].ent_type_ == "PERSON"
        and doc[i].ent_iob_ == "B"
        and i + 1 < len(doc)
        and doc[i + 1].ent_iob_ == "I"
        and texts[i + 1][:1].isupper()
    )


def _pattern_words(records: dict[str, dict]) -> set[str]:
    return {norm_token(t) for r in records.values() for p in r["pattern"] for t in tokenize(p)}


def _acronym(text: str) -> bool:
    return any(len(part) > 1 and part[1].isupper() for part in re.split(r"['’]", text.replace(".", "")))


def _month_in_name(doc: Doc, texts: list[str], i: int) -> bool:
    """'Helen May', 'January Okello': a month's name inside a name the NER calls a person, after
    or before another name word, and not before a number (that is a date)."""
    if norm_token(texts[i]) not in MONTHS or doc[i].ent_type_ != "PERSON":
        return False
    if doc[i].ent_iob_ == "B" and not (i + 1 < len(doc) and doc[i + 1].ent_iob_ == "I"):
        return False
    return not (i + 1 < len(doc) and doc[i + 1].like_num)


def _initials(doc: Doc, texts: list[str], lex: Lexicon, i: int, blocked: set[int]) -> bool:
    """'AK' of 'AK Rahim', 'A.K.' of 'A.K. Rahim': upper-case initials before a name word, where the
    NER sees a person or an honorific or title stands before them."""
    letters = texts[i].replace(".", "")
    # The word's own shape first: name_runs asks this of every token that opens no name, and the
    # shape rules out nearly all of them before the NER's label and the two phrase lookups.
    if not (1 < len(letters) <= 3 and letters.isalpha() and letters.isupper()):
        return False
    announced = (
        doc[i].ent_type_ == "PERSON"
        or lex.honorifics.match_ending(texts, i) is not None
        or lex.roles.match_ending(texts, i) is not None
    )
    return (
        i not in blocked
        and announced
        and letters.lower() not in ROLE_ACRONYMS
        and i + 1 < len(doc)
        and bool(doc[i].whitespace_)
        and texts[i + 1][1:2].islower()
        and is_name_token(doc, texts, lex, i + 1, blocked)
    )


def _glued(doc: Doc, j: int) -> bool:
    """Token ``j`` is joined to its neighbours without spaces ("Kassym-Jomart", "al-Marzouki")."""
    return not doc[j - 1].whitespace_ and not doc[j].whitespace_


def _name_syllable(doc: Doc, texts: list[str], j: int) -> bool:
    """The lower-case second syllable of a hyphenated given name: 'Hyo-rin', 'Jae-sung', 'Min-ho'."""
    text = texts[j]
    return (
        text.isalpha()
        and text.islower()
        and len(text) <= 6
        and text not in HYPHEN_SUFFIXES
        and doc[j].tag_ not in ("VBN", "VBD", "VBG")
    )


def name_runs(doc: Doc, texts: list[str], lex: Lexicon, blocked: set[int]) -> list[tuple[int, int]]:
    """Maximal runs of name tokens; hyphens inside a word ("Kassym-Jomart", "Jae-sung"), particles
    ("bin", "al-"), initials ("AK") and regnal numbers ("VI") join them."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(doc):
        hon = lex.honorifics.match_at(texts, i)
        if hon or not (is_name_token(doc, texts, lex, i, blocked) or _initials(doc, texts, lex, i, blocked)):
            i += hon[0] if hon else 1
            continue
        j = i + 1
        while j < len(doc):
            if texts[j] == "-" and j + 1 < len(doc) and _glued(doc, j):
                if is_name_token(doc, texts, lex, j + 1, blocked):
                    j += 2
                    continue
                if _name_syllable(doc, texts, j + 1) and (j + 1) not in blocked:
                    j += 2
                    continue
            if norm_token(texts[j]) in lex.particles and j + 1 < len(doc):
                if is_name_token(doc, texts, lex, j + 1, blocked):
                    j += 2
                    continue
                if (
                    texts[j + 1] == "-"
                    and j + 2 < len(doc)
                    and _glued(doc, j + 1)
                    and is_name_token(doc, texts, lex, j + 2, blocked)
                ):
                    j += 3  # "al-Marzouki", "el-Sayed"
                    continue
            if is_name_token(doc, texts, lex, j, blocked) and not lex.honorifics.match_at(texts, j):
                j += 1
                continue
            if texts[j] == "He" and not doc[j].is_sent_start and doc[j - 1].whitespace_:
                j += 1  # "Vice Premier Liu He": a capitalised "He" inside a sentence is a name
                continue
            if len(texts[j]) > 1 and ROMAN_NUMERAL.match(texts[j]) and j not in blocked:
                j += 1  # the number ends the name
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
    doc: Doc,
    texts: list[str],
    lex: Lexicon,
    gaz: list[Span],
    titles: list[Span],
    common: frozenset[str] = frozenset(),
) -> tuple[list[Span], list[Span]]:
    blocked = {i for s in gaz for i in range(s.start, s.end)} | {
        i for s in titles for i in range(s.start, s.end)
    }
    ner_person = {i for e in doc.ents if e.label_ == "PERSON" for i in range(e.start, e.end)}
    ner_other = {i for e in doc.ents if e.label_ in NER_NAME_LABELS for i in range(e.start, e.end)}
    title_ends = {s.end for s in titles}
    title_at = {s.start: s.end for s in titles}
    runs = name_runs(doc, texts, lex, blocked)
    run_starts = {start for start, _ in runs}
    one_word_bodies = {g.start for g in gaz if len(g) == 1 and g.label_ == "INSTITUTION"}
    persons: list[Span] = []
    places: list[Span] = []
    for start, end in runs:
        facility = _facility_after(texts, lex, end)
        if facility is not None and _surname_like_facility(
            doc, texts, lex, start, end, facility[0], title_ends
        ):
            end, facility = end + facility[0], None  # "Ambassador Frank Church": a surname
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
                        kb_id=f"{kind}:{key_slug(span_text)}",
                        span_id=entry.rule,
                    )
                )
            continue
        start = _gazetteer_word_opening_name(doc, one_word_bodies, start)
        if start not in title_ends and honorific_before(texts, lex, start) is None:
            start = _strip_leading_words(doc, texts, lex, start, end, ner_person, common)
        if _word_of_a_body_after_plural_title(doc, texts, titles, start, end):
            continue  # "the Chairs of the Assembly Standing Committees": the committees' name
        if _byline(doc, texts, lex, start, end, run_starts):
            continue  # "By <Name>, <City>", "<Name> Reporters", "correspondent <Name>": the article's author
        titled = (
            start in title_ends
            or (start >= 2 and texts[start - 1] in (",", ":") and (start - 1) in title_ends)
            or _after_bracket(texts, start) in title_ends
            or (
                (words_in(doc, start, end) >= 2 or start in ner_person)
                and _after_portfolio(texts, lex, start, title_ends, blocked, common)
            )
            or (
                words_in(doc, start, end) >= 2
                and _title_follows(texts, end, title_at)
                and not _place_only(doc, range(start, end))
            )
        )
        honorific = honorific_before(texts, lex, start)
        honored = honorific is not None
        run = range(start, end)
        # A regnal number ("Mohammed VI") marks a monarch's name, whatever the words.
        all_common = (
            bool(common)
            and not ROMAN_NUMERAL.match(texts[end - 1])
            and all(
                is_common_word(texts[k], common) for k in run if texts[k] != "-" and texts[k][:1].isalpha()
            )
        )
        if all_common and honored and honorific[0] > 0 and texts[honorific[0] - 1].lower() in ("of", "the"):
            continue  # "Chief of General Intelligence": the honorific word belongs to a body's name
        if all_common and start > 0 and texts[start - 1].lower() == "the":
            continue  # "the Observation Mission", "the New Administrative Capital"
        if (
            all_common
            and not any(k in ner_person for k in run)
            and (honored or words_in(doc, start, end) > 1)
        ):
            continue  # "Standing Committees", "Deputy Supreme Commander", "General Debate": a body's,
            # a title's or an event's words
        if (
            all_common
            and titled
            and not any(k in ner_person for k in run)
            and _headline_verb(texts, start, end)
        ):
            continue  # "UN Chief Convenes with ...", "Envoy Urges for ...": a headline's verb after a title
        seen_by_ner = any(k in ner_person for k in run) or (
            words_in(doc, start, end) >= 2 and any(k in ner_other for k in run)
        )
        if not (titled or honored or seen_by_ner):
            continue
        if words_in(doc, start, end) == 1 and not (titled or honored or any(k in ner_person for k in run)):
            continue
        if not (titled or honored):
            if not any(k in ner_person for k in run) and _place_only(doc, run):
                continue  # "Cape Town" (GPE), "Manus Island" (LOC): a place
            if _named_before_title(texts, lex, end, title_at, run_starts):
                continue  # "<Chamber> Speaker <Name>", "<Constituency> MP <Name>"
        rule = (
            "mentions.person.titled"
            if titled
            else "mentions.person.honorific"
            if honored
            else "mentions.person.ner"
        )
        persons.append(Span(doc, start, end, label="PERSON", span_id=rule))
    persons += _full_names_named_elsewhere(doc, runs, persons)
    persons += _full_names_used_alone(doc, texts, runs, persons, common)
    persons += _surnames_named_before(doc, texts, runs, persons)
    return persons, places


# Words after which a capitalised verb of a headline goes on ("Chief Convenes with Leaders").
HEADLINE_VERB_FOLLOWERS = frozenset({"with", "on", "for", "to", "in", "at", "as", "over", "after", "amid"})


def _headline_verb(texts: list[str], start: int, end: int) -> bool:
    """One word in the third person ("Convenes", "Urges") followed by a lower-case preposition: in
    a title-case headline that is the verb after the title, not a name."""
    word = texts[start]
    return (
        end == start + 1 and word.endswith("s") and end < len(texts) and texts[end] in HEADLINE_VERB_FOLLOWERS
    )


def _word_of_a_body_after_plural_title(
    doc: Doc, texts: list[str], titles: list[Span], start: int, end: int
) -> bool:
    """A plural title names a list of persons ("Foreign Ministers A and B"); one word after it that
    opens a capitalised plural noun ("Chairs of the Assembly Standing Committees") is part of a
    body's name, not a person."""
    return (
        end - start == 1
        and any(t.end == start and t.id_.endswith("#plural") for t in titles)
        and end < len(doc)
        and doc[end].tag_ in ("NNS", "NNPS")
        and texts[end][:1].isupper()
    )


def _full_names_named_elsewhere(doc: Doc, runs: list[tuple[int, int]], persons: list[Span]) -> list[Span]:
    """'held talks with his counterpart <Given> <Surname>': a full name that neither the NER nor a
    title marks where it stands is still the person the article names so elsewhere."""
    taken = {i for p in persons for i in range(p.start, p.end)}
    full = {p.text.lower() for p in persons if words_in(doc, p.start, p.end) > 1}
    return [
        Span(doc, start, end, label="PERSON", span_id="mentions.person.named_elsewhere")
        for start, end in runs
        if not any(i in taken for i in range(start, end))
        and words_in(doc, start, end) > 1
        and doc[start:end].text.lower() in full
    ]


def _full_names_used_alone(
    doc: Doc, texts: list[str], runs: list[tuple[int, int]], persons: list[Span], common: frozenset[str]
) -> list[Span]:
    """'<Given> <Surname>'s first trips ...' then '<Given> met ...', '<Given> told ...': a two-word
    name the NER does not see is a person when one of its words alone is the subject of verbs
    twice or more in the article (as news calls some leaders by the given name)."""
    taken = {i for p in persons for i in range(p.start, p.end)}
    subjects: dict[str, int] = {}
    for start, end in runs:
        if end - start == 1 and doc[start].dep_ in ("nsubj", "nsubjpass") and doc[start].head.pos_ == "VERB":
            subjects[texts[start].lower()] = subjects.get(texts[start].lower(), 0) + 1
    out: list[Span] = []
    for start, end in runs:
        if (
            end - start != 2
            or any(i in taken or doc[i].ent_type_ for i in range(start, end))
            or any(is_common_word(texts[i], common) for i in range(start, end))
        ):
            continue
        if max(subjects.get(texts[start].lower(), 0), subjects.get(texts[end - 1].lower(), 0)) >= 2:
            out.append(Span(doc, start, end, label="PERSON", span_id="mentions.person.used_alone"))
    return out


def _surnames_named_before(
    doc: Doc, texts: list[str], runs: list[tuple[int, int]], persons: list[Span]
) -> list[Span]:
    """'Hasanov held talks ...', 'Han said ...' (of "Han Mingyu"): a lone word that is the last or
    the first word of a full name the article gives a person names that person, though neither the
    NER nor a title marks it."""
    taken = {i for p in persons for i in range(p.start, p.end)}
    full = [p.text.split() for p in persons if words_in(doc, p.start, p.end) > 1]
    surnames = {norm_token(words[-1]) for words in full} | {norm_token(words[0]) for words in full}
    out: list[Span] = []
    for start, end in runs:
        if start in taken or words_in(doc, start, end) != 1 or doc[start:end].text.lower() not in surnames:
            continue
        misread = _lone_word_entity(doc, start, end)
        if doc[start].ent_type_ and doc[start].ent_type_ != "PERSON" and not misread:
            continue  # the NER reads it as something else here ("the Aliyev Centre" is a FAC)
        out.append(Span(doc, start, end, label="PERSON", span_id="mentions.person.surname"))
    return out


# The small model often calls a lone foreign surname at the head of a sentence an organisation
# ("Ndiaye met ..."); an entity of that word alone, of these labels, does not outweigh the full
# name the article gives. A longer entity ("the Ndiaye Foundation") still does.
_LONE_NAME_MISREAD = frozenset({"ORG", "NORP", "PRODUCT", "GPE"})


def _lone_word_entity(doc: Doc, start: int, end: int) -> bool:
    """Is the NER's entity at ``start`` exactly the one word ``start:end``, of a label a lone name
    is misread as?"""
    return (
        doc[start].ent_iob_ == "B"
        and doc[start].ent_type_ in _LONE_NAME_MISREAD
        and (end >= len(doc) or doc[end].ent_iob_ != "I")
        and end - start == 1
    )


def _gazetteer_word_opening_name(doc: Doc, one_word: set[int], start: int) -> int:
    """'President Duma Mwila': a one-word body's name (``one_word``: their token indexes) that
    opens what the NER reads as a person's name, the rest of which follows, is the given name."""
    k = start - 1
    if (
        k in one_word
        and (k == 0 or doc[k - 1].tag_ not in ("IN", "TO", "DT"))  # "Envoy to Cairo <Name>"
        and doc[k].ent_type_ == "PERSON"
        and doc[k].ent_iob_ == "B"
        and doc[start].ent_iob_ == "I"
        and doc[start].ent_type_ == "PERSON"
    ):
        return k
    return start


def _surname_like_facility(
    doc: Doc, texts: list[str], lex: Lexicon, start: int, end: int, n: int, title_ends: set[int]
) -> bool:
    """A facility word that the NER reads as the last word of a person's name, after a title or an
    honorific ('Ambassador Frank Church', 'Mr Tom Hall'), is a surname, not a building."""
    announced = start in title_ends or honorific_before(texts, lex, start) is not None
    return (
        announced
        and n == 1
        and all(doc[k].ent_type_ == "PERSON" for k in range(start, end + 1))
        and doc[end].ent_iob_ == "I"
        and (end + 1 >= len(doc) or doc[end + 1].ent_type_ != "PERSON" or doc[end + 1].ent_iob_ != "I")
    )


def _facility_after(texts: list[str], lex: Lexicon, end: int) -> tuple[int, object] | None:
    """The facility word after a name, directly or after up to two more capitalised words ('<Name>
    Defence University', '<Name> National Stadium'): (tokens from ``end`` to its end, entry)."""
    for k in range(end, min(end + 3, len(texts))):
        hit = lex.facilities.match_at(texts, k)
        if hit is not None:
            return k - end + hit[0], hit[1]
        if not texts[k][:1].isupper():
            return None
    return None


BYLINE_WORDS = {
    "reporter",
    "reporters",
    "correspondent",
    "correspondents",
    "translator",
    "photographer",
    "editor",
}


def _byline(doc: Doc, texts: list[str], lex: Lexicon, start: int, end: int, run_starts: set[int]) -> bool:
    """Who wrote the article, not who is in it: 'By <Name>' opening a line, a name beside a word for
    a journalist ('<Name> Reporters', 'special correspondent <Name>', '<Name> – translator'), and
    the names joined to it by 'and'."""
    if start > 0 and texts[start - 1] == "By" and (start == 1 or "\n" in doc[start - 2].text_with_ws):
        return True
    if start > 0 and norm_token(texts[start - 1]) in BYLINE_WORDS:
        return True
    k = end
    while k < len(texts) and texts[k] in ("–", "—", "-", ","):
        k += 1
    if k < len(texts) and norm_token(texts[k]) in BYLINE_WORDS:
        return True
    if k < len(texts) and texts[k] == "and" and k + 1 in run_starts:
        later = k + 1
        while (
            later < len(texts) and texts[later][:1].isupper() and norm_token(texts[later]) not in BYLINE_WORDS
        ):
            later += 1
        return later < len(texts) and norm_token(texts[later]) in BYLINE_WORDS
    return False


def _after_bracket(texts: list[str], start: int) -> int:
    """'President of the Parliamentary Assembly (PACE) <Name>': where the title would end without
    the bracketed acronym between it and the name (-1 when there is none)."""
    if start < 3 or texts[start - 1] != ")":
        return -1
    for k in range(start - 2, max(start - 6, 0), -1):
        if texts[k] == "(":
            return k
    return -1


def _title_follows(texts: list[str], end: int, title_at: dict[int, int]) -> bool:
    """'<Name>, Executive Director of ...': a title right after the name and a comma (the role's
    own modifiers may come first)."""
    if end + 1 >= len(texts) or texts[end] != ",":
        return False
    return any(
        k in title_at
        for k in range(end + 1, min(end + 4, len(texts)))
        if k == end + 1 or texts[k - 1][:1].isupper()
    )


def _strip_leading_words(
    doc: Doc,
    texts: list[str],
    lex: Lexicon,
    start: int,
    end: int,
    ner_person: set[int],
    common: frozenset[str],
) -> int:
    """'Cooperation Leila Haddad' (from "Minister of ... International Cooperation Leila Haddad"), 'Kremlin
    Pavel Orlov': leading common words outside the NER's person, before a name of two words or more."""
    while (
        words_in(doc, start, end) > 2
        and start not in ner_person
        and texts[start + 1] != "-"
        and norm_token(texts[start + 1]) not in lex.particles  # never "bin Rashid"
        and norm_token(texts[start]) not in MONTHS  # "Jan", "April": given names too
        and is_common_word(texts[start], common)
    ):
        start += 1
    return start


PORTFOLIO_LINKS = {"of", "for", "and", "&", "the"}


def _after_portfolio(
    texts: list[str],
    lex: Lexicon,
    start: int,
    title_ends: set[int],
    blocked: set[int],
    common: frozenset[str],
) -> bool:
    """'Minister of Investment and International Cooperation <Name>', 'Coordinating Minister for
    National Security <Name>': a portfolio the role list does not know (capitalised common words
    joined by of/for/and/&) between a title and the name still makes the name titled."""
    k = start
    linked = False
    while k > 0 and start - k < 12:
        if k in title_ends:
            return linked
        prev = texts[k - 1]
        low = norm_token(prev)
        if low in ("of", "for"):
            linked = True
        elif not (
            low in PORTFOLIO_LINKS
            or (k - 1) in blocked
            or (prev[:1].isupper() and (low in lex.nonnames or is_common_word(prev, common)))
        ):
            return False
        k -= 1
    return False


def _place_only(doc: Doc, run: range) -> bool:
    kinds = {doc[k].ent_type_ for k in run}
    return bool(kinds & PLACE_ENTS) and kinds <= PLACE_ENTS | {""}


def _named_before_title(
    texts: list[str], lex: Lexicon, end: int, title_at: dict[int, int], run_starts: set[int]
) -> bool:
    """The run ends right before a title (or an MP's acronym) that is itself followed by a name."""
    if end in title_at:
        after = title_at[end]
    elif end < len(texts) and norm_token(texts[end]) in MEMBER_ACRONYMS:
        after = end + 1
    else:
        return False
    if after < len(texts) and lex.honorifics.match_at(texts, after):
        return True
    return after in run_starts
