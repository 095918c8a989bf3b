"""Stage kg_resolve: person mentions -> persons of one article (across articles: kg/graph/merge.py).

Within an article (component ``kg_resolve``):
- full names group by ``person_key`` (transliteration variants fold together); a shorter form
  ("Kemal Aydin", "R Venkatesh"), the family-name-first order ("Szabo Bence" / "Bence Szabó")
  and a surname misspelt once join the full name; a surname alone ("Mrs Karimova", "Adeyemi-Okafor",
  "Al Harthy") joins the one full name ending with it, or, among several, the one whose office
  matches the title it carries; a titled word matching no surname joins the one full name it begins
  ("Premier Wu", "Dato' Faizal"); otherwise it stays unresolved (kb_id "");
- references are resolved only when one person fits, and are added to doc.spans["kg_mentions"] as
  PERSON spans with ``kb_id_`` and ``id_`` "resolve.reference.*": a title with "the" or an honorific
  ("the Kazakh President", "The chairman of the Milli Majlis", "Madame Speaker", "the Head of State")
  matched against the offices the article gives its named persons; "his Azerbaijani counterpart",
  "her counterpart from Kazakhstan", a bare "his counterpart" (the one other holder of the office of
  the person named before it);
  "She"/"He" opening a sentence whose previous sentence names exactly one person of that gender;
- ``doc._.kg_entities`` lists every person, institution, country and place with aliases and evidence;
  a person's aliases are the ways the article names them (and titles standing for them), never
  descriptions ("his counterpart", "both presidents").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field

from rapidfuzz import fuzz
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.common.names import translit_key
from kg.nlp.facts import Entity
from kg.nlp.lexicon import Lexicon, lexicon, norm_token
from kg.nlp.mentions import SPANS_KEY, texts_of
from kg.nlp.offices import GENERIC_HEADS, attach_titles, evidence_for, parse_title, role_noun
from kg.read.dates import MONTHS

_MISSPELT = 70  # the same, for a surname beside the same given names in one article
_SAME_NAME = 88  # rapidfuzz ratio above which two spellings of one name word are the same word
PRONOUNS = {"she": "female", "he": "male"}
COUNTERPART_NOUNS = {"counterpart", "colleague", "counterparts"}


def name_words(name: str) -> list[str]:
    """The words of a name without honorifics or titles in front ("Mr", "President")."""
    words = [w for w in re.split(r"[\s\-]+", name.strip()) if w]
    lex = lexicon()
    while len(words) > 1 and (
        lex.honorifics.match_at([words[0]], 0)
        or (norm_token(words[0]) in lex.nonnames and norm_token(words[0]) not in MONTHS)  # "January Makamba"
    ):
        words = words[1:]
    return words


def person_key(name: str) -> str:
    """Deterministic key of a person's name, its words folded as the linker folds them
    (kg/common/names.translit_key): 'Nurlan-Bek Sadykov' -> 'person:nurlan-bek-sadikov'."""
    folded = [translit_key(w) for w in name_words(name)]
    return "person:" + "-".join(w for w in folded if w)


def _key_words(key: str) -> list[str]:
    return key.split(":", 1)[1].split("-")


# --- within one article ---------------------------------------------------------------------------


@dataclass
class Cluster:
    key: str
    names: list[Span] = field(default_factory=list)
    refs: list[Span] = field(default_factory=list)
    offices: list[dict] = field(default_factory=list)
    genders: list[str] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return len(_key_words(self.key)) > 1

    def gender(self) -> str | None:
        votes = set(self.genders)
        return votes.pop() if len(votes) == 1 else None


@Language.factory("kg_resolve", assigns=["doc.spans", "doc._.kg_entities"], requires=["doc.spans"])
def make_resolve(nlp: Language, name: str) -> Resolver:
    return Resolver()


class Resolver:
    def __init__(self) -> None:
        self.lex = lexicon()

    def __call__(self, doc: Doc) -> Doc:
        resolve_doc(doc, self.lex)
        return doc


def resolve_doc(doc: Doc, lex: Lexicon) -> None:
    spans = list(doc.spans.get(SPANS_KEY, []))
    texts = texts_of(doc)
    names = [s for s in spans if s.label_ == "PERSON"]
    others = [s for s in spans if s.label_ != "PERSON"]
    gazetteer = [s for s in spans if s.label_ in ("COUNTRY", "INSTITUTION")]
    attached = attach_titles(doc, lex, spans)
    titles_of: dict[int, list[dict]] = {}
    for title, person, _ in attached:
        titles_of.setdefault(person.start, []).append(parse_title(title, lex, gazetteer, texts))

    clusters: dict[str, Cluster] = {}
    assigned: dict[int, str] = {}  # name span start -> key
    full_names = [n for n in names if _name_words(doc, lex, n) > 1]
    for n in full_names:
        assigned[n.start] = person_key(n.text)
    _merge_partial_full_names(assigned)
    _merge_variant_orders(assigned)
    for n in full_names:
        cluster = clusters.setdefault(assigned[n.start], Cluster(assigned[n.start]))
        cluster.names.append(n)
        cluster.offices += titles_of.get(n.start, [])
    singles = [n for n in names if _name_words(doc, lex, n) == 1]
    # Titled or addressed surnames first: they may found a person known only by surname.
    singles.sort(key=lambda n: (n.id_ == "mentions.person.ner", n.start))
    for n in singles:
        key = _resolve_single(doc, texts, lex, n, clusters, titles_of.get(n.start, []))
        if key:
            assigned[n.start] = key
            clusters.setdefault(key, Cluster(key)).names.append(n)
    for c in clusters.values():
        for n in c.names:
            if _name_words(doc, lex, n) == 1:
                c.offices += titles_of.get(n.start, [])
            hon = lex.honorifics.match_ending(texts, n.start)
            if hon and lex.honorific_records[hon[1].rule].get("gender"):
                c.genders.append(lex.honorific_records[hon[1].rule]["gender"])
            words = n.text.split()
            if len(words) > 1 or c.full is False:
                gender = lex.gender_of_surname(words[-1])
                if gender:
                    c.genders.append(gender)

    refs = _title_references(doc, texts, lex, spans, attached, clusters, gazetteer)
    refs += _holder_named_later(doc, texts, lex, clusters, gazetteer, _free_titles(spans, attached), refs)
    refs += _counterpart_references(doc, texts, lex, clusters, names, assigned)
    refs += _pronoun_references(doc, texts, clusters, names, assigned, refs)
    refs += _role_noun_references(doc, lex, spans, clusters, refs)
    refs += _possessive_references(doc, clusters, names, assigned, refs)
    new_names = [
        Span(doc, n.start, n.end, label="PERSON", kb_id=assigned.get(n.start, ""), span_id=n.id_)
        for n in names
    ]
    doc.spans[SPANS_KEY] = sorted(others + new_names + refs, key=lambda s: (s.start, -s.end, s.label_))
    doc._.kg_entities = _person_entities(doc, texts, lex, clusters) + _gazetteer_entities(
        doc,
        lex,
        gazetteer
        + [s for s in others if s.label_ == "PLACE" or (s.label_ == "INSTITUTION" and s not in gazetteer)],
    )


def _name_words(doc: Doc, lex: Lexicon, n: Span) -> int:
    """Name words of a mention, hyphenated ones counting once and particles not at all: 'Al Harthy'
    and 'Adeyemi-Okafor' are surnames, 'Abdel Karim al-Marzouki' and 'Omar Al-Harthy' full names."""
    words: list[list[str]] = []
    for t in n:
        if t.text == "-":
            continue
        if words and t.i > n.start and doc[t.i - 1].text == "-":
            words[-1].append(t.text)
        else:
            words.append([t.text])
    return sum(1 for w in words if not all(norm_token(part) in lex.particles for part in w))


def _merge_variant_orders(assigned: dict[int, str]) -> None:
    """One person written two ways in one article: family name first and last ('Szabo Bence' and
    'Bence Szabó'), or a surname misspelt once ('Martin Kowal' / 'Martin Kowel'). Each joins
    the spelling the article uses first."""
    first_seen: dict[str, int] = {}
    for start in sorted(assigned):
        first_seen.setdefault(assigned[start], start)
    keys = sorted(first_seen, key=first_seen.get)
    target: dict[str, str] = {}
    for i, k in enumerate(keys):
        words = _key_words(k)
        for earlier in keys[:i]:
            ew = _key_words(target.get(earlier, earlier))
            if len(ew) != len(words):
                continue
            reordered = sorted(ew) == sorted(words) and ew != words
            misspelt = (
                ew[:-1] == words[:-1]
                and min(len(ew[-1]), len(words[-1])) >= 5
                and ew[-1][0] == words[-1][0]
                and fuzz.ratio(ew[-1], words[-1]) >= _MISSPELT
                and lexicon().gender_of_surname(ew[-1]) == lexicon().gender_of_surname(words[-1])
            )
            if reordered or misspelt:
                target[k] = target.get(earlier, earlier)
                break
    for start, key in assigned.items():
        assigned[start] = target.get(key, key)


def _shortened(given: list[str], longer: list[str]) -> bool:
    """The given names of a shorter form of a name: some of the longer form's ('Kemal' of 'Mehmet
    Kemal'), or their initials ('R' of 'Rajesh', 'ak' of 'Abdul Karim')."""
    if given == longer:
        return False
    if set(given) <= set(longer) and len(given) < len(longer):
        return True
    initials = "".join(given)
    firsts = iter(w[0] for w in longer)
    return 0 < len(initials) <= 3 and all(len(w) <= 2 for w in given) and all(c in firsts for c in initials)


def _merge_partial_full_names(assigned: dict[int, str]) -> None:
    """'Mehmet Kemal Aydin' and 'Kemal Aydin', 'R Venkatesh' and 'Rajesh Venkatesh':
    the shorter full name joins the longer one."""
    keys = sorted(set(assigned.values()), key=lambda k: (-len(_key_words(k)), k))
    target: dict[str, str] = {}
    for k in keys:
        words = _key_words(k)
        for longer in keys:
            lw = _key_words(longer)
            if len(lw) >= len(words) and lw[-1] == words[-1] and _shortened(words[:-1], lw[:-1]):
                target[k] = target.get(longer, longer)
                break
    for start, key in assigned.items():
        assigned[start] = target.get(key, key)


def _surname_matches(words: list[str], cluster_key: str) -> bool:
    """'Adeyemi-Okafor' and 'Al Harthy' are the last words of a full name; one word may be spelt
    slightly otherwise."""
    key_words = _key_words(cluster_key)
    if len(words) > 1:
        return len(key_words) > len(words) and key_words[-len(words) :] == words
    return key_words[-1] == words[0] or fuzz.ratio(key_words[-1], words[0]) >= 92


def _compatible(ref: dict, office: dict) -> bool:
    """Could a title (from a reference or a surname's title) name this office?"""
    if ref["group"] != office["group"]:
        return False
    generic = ref["group"] in ("presiding", "deputy_presiding") or ref["office"]["role"] in GENERIC_HEADS
    if not generic and ref["office"]["role"] != office["office"]["role"]:
        return False
    for f in ("institution", "country", "accredited_to"):
        if ref["office"][f] and ref["office"][f] != office["office"][f]:
            return False
    return True


def _resolve_single(
    doc: Doc, texts: list[str], lex: Lexicon, n: Span, clusters: dict[str, Cluster], titles: list[dict]
) -> str | None:
    words = _key_words(person_key(n.text))
    # A surname alone keeps a one-word key ("person:alnahyan"): across articles a two-word key would
    # read as a full name and join every "<Given> Al Harthy".
    own = "person:" + "".join(words)
    hon = lex.honorifics.match_ending(texts, n.start)
    gender = lex.honorific_records[hon[1].rule].get("gender") if hon else None
    full = [c for c in clusters.values() if c.full and c.key != own and _surname_matches(words, c.key)]
    if (
        not full
        and len(words) == 1
        and (titles or hon or n.id_ == "mentions.person.surname" or own not in clusters)
    ):
        # Family name first ("Premier Wu" of "Wu Jianming", "Han said" of "Han Mingyu", "Han and
        # Okafor spoke") or a given name with a title of honour ("Dato' Faizal"): the one full
        # name that begins with it. A bare word that no full name ends with and that no one else
        # is called by names nobody but that person.
        full = [c for c in clusters.values() if c.full and _key_words(c.key)[0] == words[0]]
    if gender:
        full = [c for c in full if c.gender() in (None, gender)]
    if len(full) > 1 and titles:
        full = [c for c in full if any(_compatible(t, o) for t in titles for o in c.offices)] or full
    if len(full) == 1:
        return full[0].key
    if full:
        return None  # several people share the surname: never guess
    if own in clusters or titles or hon:
        return own
    return None


def _title_references(
    doc: Doc,
    texts: list[str],
    lex: Lexicon,
    spans: list[Span],
    attached: list[tuple[Span, Span, str]],
    clusters: dict[str, Cluster],
    gazetteer: list[Span],
) -> list[Span]:
    taken = {t.start for t, _, _ in attached}
    names_at = {s.start for s in spans if s.label_ == "PERSON"}
    out: list[Span] = []
    for title in (s for s in spans if s.label_ == "TITLE"):
        if title.start in taken or title.end in names_at or _plural(title):
            continue
        start = title.start
        hon = lex.honorifics.match_ending(texts, start)
        if hon:
            start -= hon[0]
            gender = lex.honorific_records[hon[1].rule].get("gender")
        elif start > 0 and texts[start - 1].lower() == "the":
            start -= 1
            gender = None
        elif _bare_title_subject(doc, title):
            gender = None
        else:
            continue
        parsed = parse_title(title, lex, gazetteer, texts)
        fits = [
            c
            for c in clusters.values()
            if any(_compatible(parsed, o) for o in c.offices)
            and (gender is None or c.gender() in (None, gender))
        ]
        if len(fits) == 1:
            out.append(
                Span(
                    doc,
                    start,
                    title.end,
                    label="PERSON",
                    kb_id=fits[0].key,
                    span_id="resolve.reference.title",
                )
            )
            fits[0].refs.append(out[-1])
            if gender:
                fits[0].genders.append(gender)
    return out


def _free_titles(spans: list[Span], attached: list[tuple[Span, Span, str]]) -> list[Span]:
    """Singular titles that title no name where they stand."""
    taken = {t.start for t, _, _ in attached}
    names_at = {s.start for s in spans if s.label_ == "PERSON"}
    return [
        s
        for s in spans
        if s.label_ == "TITLE" and s.start not in taken and s.end not in names_at and not _plural(s)
    ]


def _holder_named_later(
    doc: Doc,
    texts: list[str],
    lex: Lexicon,
    clusters: dict[str, Cluster],
    gazetteer: list[Span],
    titles: list[Span],
    refs: list[Span],
) -> list[Span]:
    """'The Speaker of the Assembly received X. ... Later, <Full Name> said ...': a press release
    tells its own principal by role and names them once, later, without a title. The first
    'the <title>' subject that no one holds is the one person of no office who is later the sole
    person and the subject of a sentence of their own."""
    covered = {i for r in refs for i in range(r.start, r.end)}
    for title in titles:
        start = title.start - 1
        if (
            start < 0
            or texts[start].lower() != "the"
            or title.start in covered
            or title.root.dep_ not in ("nsubj", "nsubjpass")
        ):
            continue
        parsed = parse_title(title, lex, gazetteer, texts)
        if any(_compatible(parsed, o) for c in clusters.values() for o in c.offices):
            return []  # someone holds it: the title references have their say
        later = _sole_subjects_without_office(doc, clusters, title.end)
        if len(later) != 1:
            return []
        holder = clusters[later[0]]
        span = Span(
            doc, start, title.end, label="PERSON", kb_id=holder.key, span_id="resolve.reference.title"
        )
        holder.refs.append(span)
        holder.offices.append(parsed)
        return [span]
    return []


def _sole_subjects_without_office(doc: Doc, clusters: dict[str, Cluster], after: int) -> list[str]:
    """Keys of the persons of no office named after token ``after`` as the only person of their
    sentence and the subject of its main verb."""
    keys: set[str] = set()
    for c in clusters.values():
        if c.offices or not c.full:
            continue
        for n in c.names:
            if n.start < after or n.root.dep_ != "nsubj" or n.root.head != n.sent.root:
                continue
            others = [m for d in clusters.values() if d is not c for m in d.names if m.sent == n.sent]
            if not others:
                keys.add(c.key)
    return sorted(keys)


def _bare_title_subject(doc: Doc, title: Span) -> bool:
    """'Armenian Defense Minister visited ...': a title without article or name, opening its
    sentence as the subject of its verb, as headline-style news writes a person named before."""
    return (
        title.start == title.sent.start
        and title[-1].dep_ in ("nsubj", "nsubjpass")
        and title[-1].head.i == title.end
        and title[-1].head.pos_ in ("VERB", "AUX")
    )


def _plural(title: Span) -> bool:
    return any(
        t.tag_ in ("NNS", "NNPS") and t.text.lower().endswith("s") for t in title if t.text[:1].isalpha()
    )


def _counterpart_references(
    doc: Doc,
    texts: list[str],
    lex: Lexicon,
    clusters: dict[str, Cluster],
    names: list[Span],
    assigned: dict[int, str],
) -> list[Span]:
    """'his Azerbaijani counterpart', 'her counterpart from Kazakhstan': the one person whose office is
    of that country; a bare 'his counterpart': the one other person holding the office of the
    person named before it in the sentence, in another country."""
    out: list[Span] = []
    for i in range(len(doc) - 1):
        if texts[i].lower() not in ("his", "her", "their"):
            continue
        country, end = None, None
        if i + 2 < len(doc) and texts[i + 2].lower() in COUNTERPART_NOUNS:
            hit = lex.gazetteer.match_at(texts, i + 1, i + 2)
            if hit and hit[1].kind == "COUNTRY":
                country, end = hit[1].key, i + 3
        if end is None and texts[i + 1].lower() in COUNTERPART_NOUNS:
            end = i + 2
            if end + 1 < len(doc) and texts[end].lower() in ("from", "of"):
                k = end + 1 + (texts[end + 1].lower() == "the")
                hit = lex.gazetteer.match_at(texts, k)
                if hit and hit[1].kind == "COUNTRY":
                    country, end = hit[1].key, k + hit[0]
        if end is None:
            continue
        if country is not None:
            fits = [c for c in clusters.values() if any(o["office"]["country"] == country for o in c.offices)]
            if not fits:
                fits = _counterparts_of_unstated_country(doc, i, clusters, names, assigned, country)
        else:
            fits = _counterparts_of_subject(doc, i, clusters, names, assigned)
        if len(fits) == 1:
            span = Span(
                doc, i, end, label="PERSON", kb_id=fits[0].key, span_id="resolve.reference.counterpart"
            )
            out.append(span)
            fits[0].refs.append(span)
    return out


def _counterparts_of_subject(
    doc: Doc, i: int, clusters: dict[str, Cluster], names: list[Span], assigned: dict[int, str]
) -> list[Cluster]:
    """The persons holding the office of the last person named before token ``i`` in its sentence,
    in another country ("Hasanov held talks with his counterpart")."""
    sent = doc[i].sent
    before = [n for n in names if sent.start <= n.start < i and assigned.get(n.start) in clusters]
    if not before:
        return []
    subject = clusters[assigned[before[-1].start]]
    roles = {(o["office"]["role"], o["office"]["country"]) for o in subject.offices if o["office"]["country"]}
    if not roles:
        return []
    return [
        c
        for c in clusters.values()
        if c is not subject
        and any(
            o["office"]["role"] == role and o["office"]["country"] not in (None, country)
            for o in c.offices
            for role, country in roles
        )
    ]


def _counterparts_of_unstated_country(
    doc: Doc, i: int, clusters: dict[str, Cluster], names: list[Span], assigned: dict[int, str], country: str
) -> list[Cluster]:
    """'his Chilean counterpart' where no office of Chile is stated: the persons holding the office
    of the last person named before it in the sentence whose country the article leaves unsaid
    ("Foreign Minister <Name>" in a ministry's own release). A subject whose office was not read
    leaves any office of unsaid country."""
    sent = doc[i].sent
    before = [n for n in names if sent.start <= n.start < i and assigned.get(n.start) in clusters]
    if not before:
        return []
    subject = clusters[assigned[before[-1].start]]
    if any(o["office"]["country"] == country for o in subject.offices):
        return []
    roles = {o["office"]["role"] for o in subject.offices}
    return [
        c
        for c in clusters.values()
        if c is not subject
        and any(not o["office"]["country"] and (not roles or o["office"]["role"] in roles) for o in c.offices)
    ]


def _pronoun_references(
    doc: Doc,
    texts: list[str],
    clusters: dict[str, Cluster],
    names: list[Span],
    assigned: dict[int, str],
    refs: list[Span],
) -> list[Span]:
    """'She ...' opening a sentence after one whose only woman named is the antecedent."""
    mentions = [(n.start, assigned[n.start]) for n in names if n.start in assigned]
    mentions += [(r.start, r.kb_id_) for r in refs]
    out: list[Span] = []
    sents = list(doc.sents)
    for k in range(1, len(sents)):
        tok = sents[k][0]
        gender = PRONOUNS.get(tok.text.lower())
        if gender is None:
            continue
        prev = sents[k - 1]
        keys = {key for start, key in mentions if prev.start <= start < prev.end}
        fits = [key for key in keys if clusters[key].gender() == gender] or _sole_of_unknown_gender(
            keys, clusters
        )
        if len(fits) == 1:
            span = Span(
                doc, tok.i, tok.i + 1, label="PERSON", kb_id=fits[0], span_id="resolve.reference.pronoun"
            )
            out.append(span)
            mentions.append((tok.i, fits[0]))
            clusters[fits[0]].genders.append(gender)
    return out


def _sole_of_unknown_gender(keys: set[str], clusters: dict[str, Cluster]) -> list[str]:
    """'He said ...' after a sentence that names one person only, whose name and title tell no
    gender (a name the lists do not know): that person, who is then of that gender."""
    if len(keys) == 1 and not clusters[next(iter(keys))].genders:
        return list(keys)
    return []


POSSESSIVES = {"her": "female", "his": "male"}
GROUP_NUMBERS = {"two": 2, "both": 2, "three": 3}


def _office_country(lex: Lexicon, office: dict) -> str | None:
    inst = lex.institutions.get(office["office"].get("institution") or "")
    return office["office"].get("country") or (inst or {}).get("country")


def _role_noun_references(
    doc: Doc, lex: Lexicon, spans: list[Span], clusters: dict[str, Cluster], refs: list[Span]
) -> list[Span]:
    """'received the Uzbek minister' -> the one person whose office is a minister's of Uzbekistan;
    'the two presidents' / 'both presidents' -> the two people, exactly, who hold a president's office.
    The noun must be the first word of the office's role; any other count of fits leaves it open."""
    demonyms = {
        s.start: s.kb_id_
        for s in spans
        if s.label_ == "COUNTRY" and s.id_.endswith("#demonym") and len(s) == 1
    }
    covered = {i for s in list(spans) + refs if s.label_ == "PERSON" for i in range(s.start, s.end)}
    out: list[Span] = []
    for i in range(len(doc) - 2):
        if doc[i].lower_ not in ("the", "both") or i + 1 in covered:
            continue
        country = demonyms.get(i + 1)
        count = GROUP_NUMBERS.get(doc[i + 1].lower_) if doc[i].lower_ == "the" else 2
        j = i + 1 if doc[i].lower_ == "both" else i + 2
        if (country is None and count is None) or j >= len(doc) or j in covered:
            continue
        noun = doc[j]
        if (
            not noun.is_alpha
            or noun.pos_ not in ("NOUN", "PROPN")
            or (j + 1 < len(doc) and doc[j + 1].lower_ == "of")
        ):
            continue
        plural = noun.tag_ in ("NNS", "NNPS")
        want = count if plural and country is None else 1 if not plural and country else None
        if want is None:
            continue
        word = noun.lemma_.lower()
        fits = sorted(
            c.key
            for c in clusters.values()
            if any(
                role_noun(o["office"]["role"]) == word
                and (country is None or _office_country(lex, o) == country)
                for o in c.offices
            )
        )
        if len(fits) != want:
            continue
        for key in fits:
            span = Span(doc, i, j + 1, label="PERSON", kb_id=key, span_id="resolve.reference.role_noun")
            out.append(span)
            clusters[key].refs.append(span)
    return out


def _possessive_references(
    doc: Doc,
    clusters: dict[str, Cluster],
    names: list[Span],
    assigned: dict[int, str],
    refs: list[Span],
) -> list[Span]:
    """'... and her meeting with X': her/his -> the one person of that gender named earlier in the
    sentence (or, when the sentence names nobody before it, in the previous sentence). Two people of
    that gender, or one of unknown gender, leave it open: never guess."""
    mentions = [(n.start, assigned[n.start]) for n in names if n.start in assigned]
    mentions += [(r.start, r.kb_id_) for r in refs]
    covered = {i for r in refs for i in range(r.start, r.end)}
    out: list[Span] = []
    sents = list(doc.sents)
    for k, sent in enumerate(sents):
        for tok in sent:
            gender = POSSESSIVES.get(tok.lower_)
            if gender is None or tok.i in covered or tok.dep_ != "poss":
                continue
            keys = {key for start, key in mentions if sent.start <= start < tok.i}
            if not keys and k > 0:
                keys = {key for start, key in mentions if sents[k - 1].start <= start < sents[k - 1].end}
            if any(clusters[key].gender() is None for key in keys if key in clusters):
                continue
            fits = [key for key in keys if key in clusters and clusters[key].gender() == gender]
            if len(fits) == 1:
                out.append(
                    Span(
                        doc,
                        tok.i,
                        tok.i + 1,
                        label="PERSON",
                        kb_id=fits[0],
                        span_id="resolve.reference.possessive",
                    )
                )
    return out


def _person_entities(doc: Doc, texts: list[str], lex: Lexicon, clusters: dict[str, Cluster]) -> list[dict]:
    out: list[dict] = []
    for key in sorted(clusters):
        c = clusters[key]
        spellings = Counter(n.text for n in c.names)
        label = sorted(spellings, key=lambda s: (-len(s.split()), -spellings[s], s))[0]
        aliases: list[str] = []
        for n in c.names:
            start = n.start
            hon = lex.honorifics.match_ending(texts, start)
            if hon and not (start - hon[0] > 0 and texts[start - hon[0] - 1] == "-"):
                start -= hon[0]  # not the "General" of "Secretary-General"
            elif start > 0 and lex.roles.match_ending(texts, start, start - 1):
                start -= 1  # "President Karimov", "Speaker Karimova"
            aliases += [n.text, doc[start : n.end].text]
        # A title standing for the person ("the Kazakh President", "Madame Speaker") is another way
        # to name them; "his Kazakh counterpart", "both presidents" only describe.
        aliases += [r.text for r in c.refs if r.id_ == "resolve.reference.title"]
        aliases = sorted({a for a in aliases if a != label})
        countries = {o["office"]["country"] for o in c.offices if o["office"]["country"] and not o["former"]}
        evidence = [evidence_for(doc, s, s.id_) for s in _first_of_each_form(c.names + c.refs)]
        out.append(
            asdict(
                Entity(
                    key=key,
                    kind="person",
                    label=label,
                    aliases=aliases,
                    country=countries.pop() if len(countries) == 1 else None,
                    evidence=[],
                )
            )
            | {"evidence": evidence}
        )
    return out


def _first_of_each_form(spans: list[Span]) -> list[Span]:
    """The first mention of each way an article names an entity, in text order: the evidence of
    the entity's label and aliases. A name repeated adds no fact, only evidence nodes: a country
    named ten times in an article gave ten, and the repeats were 30% of the quads a build wrote."""
    seen: set[str] = set()
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: s.start):
        form = s.text.casefold()
        if form not in seen:
            seen.add(form)
            out.append(s)
    return out


def _gazetteer_entities(doc: Doc, lex: Lexicon, spans: list[Span]) -> list[dict]:
    by_key: dict[str, list[Span]] = {}
    for s in spans:
        if s.kb_id_:
            by_key.setdefault(s.kb_id_, []).append(s)
    out: list[dict] = []
    for key in sorted(by_key):
        group = sorted(by_key[key], key=lambda s: s.start)
        kind = key.split(":", 1)[0]
        rec = lex.countries.get(key) or lex.institutions.get(key) or lex.places.get(key) or {}
        label = rec.get("name") or max((s.text for s in group), key=lambda t: (len(t), t))
        subtype = rec.get("subtype")
        if not rec:
            src = lex.bilateral_records.get(group[0].id_) or lex.facility_records.get(group[0].id_) or {}
            subtype = src.get("subtype")
        aliases = sorted({s.text for s in group} - {label})
        out.append(
            {
                "key": key,
                "kind": kind,
                "label": label,
                "aliases": aliases,
                "country": rec.get("country") if kind != "country" else None,
                "subtype": subtype,
                "evidence": [evidence_for(doc, s, "gazetteer." + kind) for s in _first_of_each_form(group)],
            }
        )
    # A body or place implies its country ("the United States House of Representatives"): the
    # country is an entity of the article too, or every triple pointing at it dangles.
    named = {e["key"] for e in out}
    for e in list(out):
        country = e["country"]
        if country and country not in named and country in lex.countries:
            named.add(country)
            out.append(
                {
                    "key": country,
                    "kind": "country",
                    "label": lex.countries[country]["name"],
                    "aliases": [],
                    "country": None,
                    "subtype": None,
                    "evidence": [dict(ev, rule="gazetteer.country.implied") for ev in e["evidence"][:1]],
                }
            )
    return sorted(out, key=lambda e: e["key"])
