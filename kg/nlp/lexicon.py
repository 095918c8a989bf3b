"""The vocabularies of kg/nlp/resources/ as phrase tables over tokens, shared by mentions, resolve and
offices.

Everything here is plain Python built once per process from the JSONL files: countries, places and
institutions (the gazetteer), role words, honorifics, office modifiers and the words a name never contains.
Phrases are matched on tokens, not on strings, so "Parliament’s" and "Parliament's" are the same.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kg.common.collector import paused
from kg.common.files import write_whole
from kg.common.names import key_slug
from kg.nlp.resources_io import load_jsonl

if TYPE_CHECKING:
    from spacy.tokenizer import Tokenizer

# Apostrophes and quotes are folded so curly and straight forms match the same phrase.
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"'})


@lru_cache(maxsize=1 << 16)
def norm_token(text: str) -> str:
    # Cached: the phrase tables ask for the same few thousand token texts millions of times.
    return text.translate(_QUOTES).lower()


_tokenizers: list[Tokenizer] = []  # the one every phrase is split with, once chosen


def english_tokenizer() -> Tokenizer:
    """spaCy's English tokenizer, one per process: the phrase tables and the topic labels are split
    as the documents are. Building one costs 0.2 s; ``adopt_tokenizer`` lends the model's instead."""
    if not _tokenizers:
        import spacy

        _tokenizers.append(spacy.blank("en").tokenizer)
    return _tokenizers[0]


def adopt_tokenizer(tokenizer: Tokenizer) -> bool:
    """Split phrases with ``tokenizer`` (the loaded model's) if none is chosen yet and its rules are
    spaCy's English rules, so that it splits exactly as ``spacy.blank("en")`` would."""
    if not _tokenizers and is_english(tokenizer):
        _tokenizers.append(tokenizer)
    return bool(_tokenizers) and _tokenizers[0] is tokenizer


def is_english(tokenizer: Tokenizer) -> bool:
    """Does ``tokenizer`` have spaCy's English exceptions, affixes and URL/token matchers?"""
    from spacy.lang.en import English
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    defaults = English.Defaults

    def pattern(search: object) -> str | None:
        return getattr(getattr(search, "__self__", None), "pattern", None)

    return (
        tokenizer.rules == defaults.tokenizer_exceptions
        and pattern(tokenizer.prefix_search) == compile_prefix_regex(defaults.prefixes).pattern
        and pattern(tokenizer.suffix_search) == compile_suffix_regex(defaults.suffixes).pattern
        and pattern(tokenizer.infix_finditer) == compile_infix_regex(defaults.infixes).pattern
        and tokenizer.token_match == defaults.token_match
        and pattern(tokenizer.url_match) == pattern(defaults.url_match)
    )


@lru_cache(maxsize=1 << 16)
def tokenize(phrase: str) -> tuple[str, ...]:
    """The phrase split like the English model splits text, as original token texts.

    Cached: building the tables asks for the same country names and generic nouns thousands of times
    (every template with every country), and spaCy's tokenizer makes a Doc for each call."""
    return tuple(t.text.translate(_QUOTES) for t in english_tokenizer()(phrase))


# Role words that are also common given names ("Amir Abdollahian", "Sultan Nazarbayev") stay name-capable.
GIVEN_NAMES_THAT_ARE_TITLES = frozenset({"amir", "emir", "sultan", "king"})


@dataclass(frozen=True)
class Entry:
    """One phrase of a table: its kind (COUNTRY, ROLE ...), the key or id it stands for, the rule id."""

    kind: str
    key: str
    rule: str
    # Single-token phrases of proper names match case-sensitively ("US" is not "us").
    exact: str | None = None


@dataclass
class PhraseTable:
    """Longest-match lookup of token sequences (lower-cased, quotes folded).

    Phrases are indexed by their first and by their last token, with the lengths present for each,
    so a lookup tries only the lengths some phrase has instead of every length up to ``maxlen``.
    """

    phrases: dict[tuple[str, ...], list[Entry]] = field(default_factory=dict)
    maxlen: int = 0
    # first (last) normalised token -> lengths of the phrases starting (ending) with it, longest first
    by_first: dict[str, tuple[int, ...]] = field(default_factory=dict)
    by_last: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def add(self, tokens: Sequence[str], entry: Entry) -> None:
        low = tuple(map(norm_token, tokens))
        if not low:
            return
        bucket = self.phrases.get(low)
        if bucket is not None:  # a known phrase: its lengths are indexed already
            if entry not in bucket:
                bucket.append(entry)
            return
        self.phrases[low] = [entry]
        n = len(low)
        if n > self.maxlen:
            self.maxlen = n
        for index, token in ((self.by_first, low[0]), (self.by_last, low[-1])):
            lengths = index.get(token, ())
            if n not in lengths:
                index[token] = tuple(sorted((*lengths, n), reverse=True))

    def match_at(self, texts: Sequence[str], i: int, end: int | None = None) -> tuple[int, Entry] | None:
        """Longest phrase starting at token i (not past ``end``): (length, entry), or None."""
        end = len(texts) if end is None else end
        if i >= end:
            return None
        lengths = self.by_first.get(norm_token(texts[i]))
        if not lengths:
            return None
        for n in lengths:
            if n > end - i:
                continue
            entries = self.phrases.get(tuple(map(norm_token, texts[i : i + n])))
            for entry in entries or ():
                if entry.exact is None or entry.exact == texts[i].translate(_QUOTES):
                    return n, entry
        return None

    def match_ending(self, texts: Sequence[str], end: int, start: int = 0) -> tuple[int, Entry] | None:
        """Longest phrase that ends just before token ``end`` (not before ``start``)."""
        if end <= start or end > len(texts):
            return None
        lengths = self.by_last.get(norm_token(texts[end - 1]))
        if not lengths:
            return None
        for n in lengths:
            if n > end - start:
                continue
            entries = self.phrases.get(tuple(map(norm_token, texts[end - n : end])))
            for entry in entries or ():
                if entry.exact is None or entry.exact == texts[end - n].translate(_QUOTES):
                    return n, entry
        return None


@dataclass
class Lexicon:
    gazetteer: PhraseTable
    roles: PhraseTable
    honorifics: PhraseTable
    modifiers: PhraseTable
    facilities: PhraseTable
    bilateral: PhraseTable
    nonnames: frozenset[str]
    particles: frozenset[str]
    countries: dict[str, dict]  # key -> record (name, demonyms, capital)
    institutions: dict[str, dict]  # key -> record (name, subtype, country, parent, presiding_role, generic)
    places: dict[str, dict]
    role_records: dict[str, dict]  # rule id -> record (role, group, needs_of)
    honorific_records: dict[str, dict]
    modifier_records: dict[str, dict]
    facility_records: dict[str, dict]
    bilateral_records: dict[str, dict]
    # generic noun (lower-case tokens) -> institution keys that a bare "the <noun>" may refer back to
    generic_nouns: dict[tuple[str, ...], list[str]]
    # surname ending -> "male" / "female", longest endings first
    gender_suffixes: tuple[tuple[str, str], ...] = ()

    def gender_of_surname(self, surname: str) -> str | None:
        low = surname.lower()
        for suffix, gender in self.gender_suffixes:
            if low.endswith(suffix) and len(low) > len(suffix) + 2:
                return gender
        return None

    def name_of(self, key: str | None) -> str | None:
        if not key:
            return None
        for table in (self.countries, self.institutions, self.places):
            if key in table:
                return table[key]["name"]
        return None


def _entries(
    table: PhraseTable, records: list[dict], kind_field: str = "label", key_field: str = "id"
) -> None:
    for rec in records:
        patterns = rec["pattern"] if isinstance(rec["pattern"], list) else [rec["pattern"]]
        for pattern in patterns:
            toks = tokenize(pattern)
            exact = toks[0] if len(toks) == 1 and pattern[:1].isupper() else None
            table.add(toks, Entry(rec[kind_field], rec[key_field], rec["id"], exact))
            if exact is None and pattern[:1].islower():
                # The tokenizer splits "dr." but keeps "Dr." whole: add the capitalised split too.
                table.add(
                    tokenize(pattern[:1].upper() + pattern[1:]),
                    Entry(rec[kind_field], rec[key_field], rec["id"]),
                )


def _plural(word: str) -> str:
    if word.endswith("man"):
        return word[:-3] + "men"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    return word + "s"


def _plural_record(record: dict) -> dict:
    """The plural forms of a role ("Cabinet Secretaries", "Congressmen"), as a record of their own
    (id + '#plural'): a plural title names each person of the list that follows it."""
    patterns = []
    for pattern in record["pattern"]:
        words = pattern.split(" of ")[0].split(" for ")[0].split()
        rest = pattern[len(" ".join(words)) :]
        if words and words[-1].isalpha():
            patterns.append(" ".join([*words[:-1], _plural(words[-1])]) + rest)
    return {**record, "id": record["id"] + "#plural", "pattern": patterns, "plural": True}


def _country_forms(rec: dict) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    names = [tokenize(p) for p in rec["pattern"]]
    demonyms = [tokenize(d) for d in rec.get("demonyms", [])]
    return names, demonyms


def _generic_forms(
    generic: tuple[str, ...], names: list[tuple[str, ...]], demonyms: list[tuple[str, ...]]
) -> list[tuple[str, ...]]:
    """Parliament + Azerbaijan: Parliament of (the) Azerbaijan, Azerbaijani Parliament, Azerbaijan's ..."""
    forms: list[tuple[str, ...]] = []
    for n in names:
        forms += [(*generic, "of", *n), (*generic, "of", "the", *n), n + generic, (*n, "'s", *generic)]
    for d in demonyms:
        forms.append(d + generic)
    return forms


@cache
def lexicon() -> Lexicon:
    """The phrase tables and records every kg component reads, built once per process."""
    with paused():  # ~90 000 entries, all kept: a collection could only rescan them (kg/common/collector.py)
        return cached_lexicon(cache_dir())


# Building the tables (every institution template for every country: ~88 000 phrases) costs each
# process that extracts several times what reading them back pickled does (docs/performance.md).
# The file is named by a hash of everything the tables are made from, so an edited resource or
# builder makes a new one.
CACHE_ENV = "KG_CACHE_DIR"


def cache_dir() -> Path | None:
    """Where the tables are kept between processes: $KG_CACHE_DIR, else the user's cache directory
    ($XDG_CACHE_HOME or ~/.cache)/diplomacy-kg; KG_CACHE_DIR set empty turns the cache off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "diplomacy-kg"


def cached_lexicon(directory: Path | None) -> Lexicon:
    """The tables from ``directory`` if a build of the same inputs left them there, else built (and
    left there for the next process). A cache that cannot be read or written is only a slower start:
    the tables are then built, never taken from a file that does not match."""
    if directory is None:
        return _build_lexicon()
    path = directory / f"lexicon-{cache_key()}.pickle"
    try:
        with path.open("rb") as file:
            found = pickle.load(file)  # the user's own cache directory, written by this function
        if isinstance(found, Lexicon):
            return found
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass  # absent, or unreadable: built below and written again
    built = _build_lexicon()
    with contextlib.suppress(OSError):  # a read-only or full disk: no cache, the next process builds
        write_whole(path, pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL))
    return built


def cache_key(resource_dir: Path | None = None) -> str:
    """A hash of what the tables are made of: the resource files (of kg/nlp/resources/, or of
    ``resource_dir``), this module's code, the resource reader's and the name folding's
    (kg/common/names.py), and the versions of Python and of the libraries that split and fold
    the phrases."""
    from importlib import metadata, resources

    import kg.common.names
    import kg.nlp.resources_io

    digest = hashlib.sha256()
    parts = [sys.version, metadata.version("spacy"), metadata.version("anyascii")]
    digest.update("\0".join(parts).encode())
    for module in (sys.modules[__name__], kg.nlp.resources_io, kg.common.names):
        digest.update(Path(module.__file__ or "").read_bytes())
    root = resource_dir or resources.files("kg.nlp") / "resources"
    for path in sorted((p for p in root.iterdir() if p.name.endswith(".jsonl")), key=lambda p: p.name):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:32]


def _build_lexicon() -> Lexicon:
    countries = load_jsonl("gazetteer.countries.jsonl", ("label", "pattern", "id", "name"))
    places = load_jsonl("gazetteer.places.jsonl", ("label", "pattern", "id", "name", "country"))
    insts = load_jsonl("gazetteer.institutions.jsonl", ("label", "pattern", "id", "name", "subtype"))
    templates = load_jsonl("gazetteer.templates.jsonl", ("label", "pattern", "id", "name", "subtype"))
    roles = load_jsonl("mentions.titles.jsonl", ("label", "pattern", "id", "role", "group"))
    roles += [_plural_record(r) for r in roles if not r.get("needs_of")]
    honorifics = load_jsonl("mentions.honorifics.jsonl", ("label", "pattern", "id", "gender"))
    modifiers = load_jsonl("offices.modifiers.jsonl", ("label", "pattern", "id", "former"))
    facilities = load_jsonl("mentions.facilities.jsonl", ("label", "pattern", "id", "subtype"))
    names = load_jsonl("mentions.names.jsonl", ("label", "pattern", "id"))
    bilateral = load_jsonl("mentions.bilateral.jsonl", ("label", "pattern", "id", "name", "subtype"))

    gaz = PhraseTable()
    country_by_key = {c["id"]: c for c in countries}
    for c in countries:
        _entries(gaz, [c])
        for d in c.get("demonyms", []):
            gaz.add(tokenize(d), Entry("COUNTRY", c["id"], c["id"] + "#demonym", tokenize(d)[0]))
        # Formal names ("the Republic of Ghana") for every country, not only those whose record lists one.
        for p in c["pattern"]:
            if not p.lower().startswith("republic"):
                gaz.add(tokenize("Republic of " + p), Entry("COUNTRY", c["id"], c["id"] + "#republic"))
    _entries(gaz, places)
    inst_by_key: dict[str, dict] = {}
    generic_nouns: dict[tuple[str, ...], list[str]] = {}
    for rec in insts:
        inst_by_key[rec["id"]] = rec
        _entries(gaz, [rec])
    # Country-specific institutions named by a generic noun and their country.
    claimed: set[tuple[str, tuple[str, ...]]] = set()
    inst_forms: dict[str, list[tuple[str, ...]]] = {
        k: [tokenize(p) for p in r["pattern"]] for k, r in inst_by_key.items()
    }
    for rec in insts:
        country = country_by_key.get(rec.get("country") or "")
        for g in rec.get("generic") or []:
            gtoks = tokenize(g)
            generic_nouns.setdefault(tuple(norm_token(t) for t in gtoks), []).append(rec["id"])
            if country is None:
                continue
            claimed.add((country["id"], tuple(norm_token(t) for t in gtoks)))
            forms = _generic_forms(gtoks, *_country_forms(country))
            inst_forms[rec["id"]] += forms
            entry = Entry("INSTITUTION", rec["id"], rec["id"] + "#generic")
            for form in forms:
                gaz.add(form, entry)
    # Bodies every country has ("Ministry of Foreign Affairs of Georgia"), unless claimed above.
    for tpl in templates:
        for country in countries:
            gnouns = [tokenize(p) for p in tpl["pattern"]]
            if any((country["id"], tuple(norm_token(t) for t in g)) in claimed for g in gnouns):
                continue
            # The country's key, not its label: a label may change (Türkiye -> Turkey), IRIs must not.
            key = f"institution:{key_slug(tpl['name'])}-of-{country['id'].split(':', 1)[1]}"
            inst_by_key[key] = {
                "id": key,
                "name": f"{tpl['name']} of {country['name']}",
                "subtype": tpl["subtype"],
                "country": country["id"],
                "parent": None,
                "presiding_role": tpl.get("presiding_role"),
                "generic": list(tpl["pattern"]),
            }
            inst_forms[key] = []
            # One entry shared by all the forms (equal entries either way): a tenth as many objects
            # to make, and to pickle and read back from the cache.
            entry = Entry("INSTITUTION", key, tpl["id"])
            for g in gnouns:
                generic_nouns.setdefault(tuple(norm_token(t) for t in g), []).append(key)
                for form in _generic_forms(g, *_country_forms(country)):
                    inst_forms[key].append(form)
                    gaz.add(form, entry)
    # Chambers named through their parliament ("Kazakhstan Parliament's Senate", "Senate of the Parliament").
    for rec in insts:
        parent = rec.get("parent")
        if not parent or parent not in inst_forms:
            continue
        entry = Entry("INSTITUTION", rec["id"], rec["id"] + "#chamber")
        for g in rec.get("generic") or []:
            gtoks = tokenize(g)
            for p in inst_forms[parent]:
                for form in ((*p, "'s", *gtoks), (*gtoks, "of", "the", *p), (*gtoks, "of", *p)):
                    gaz.add(form, entry)

    def table(records: list[dict]) -> PhraseTable:
        t = PhraseTable()
        _entries(t, records)
        return t

    nonnames = frozenset(
        norm_token(p) for r in names if r["label"] == "NONNAME" for p in r["pattern"]
    ) | frozenset(
        norm_token(t) for r in roles + facilities for p in r["pattern"] for t in tokenize(p) if len(t) > 2
    )
    particles = frozenset(norm_token(p) for r in names if r["label"] == "PARTICLE" for p in r["pattern"])
    return Lexicon(
        gazetteer=gaz,
        roles=table(roles),
        honorifics=table(honorifics),
        modifiers=table(modifiers),
        facilities=table(facilities),
        bilateral=table(bilateral),
        nonnames=nonnames - GIVEN_NAMES_THAT_ARE_TITLES,
        particles=particles,
        countries=country_by_key,
        institutions=inst_by_key,
        places={p["id"]: p for p in places},
        role_records={r["id"]: r for r in roles},
        honorific_records={r["id"]: r for r in honorifics},
        modifier_records={r["id"]: r for r in modifiers},
        facility_records={r["id"]: r for r in facilities},
        bilateral_records={r["id"]: r for r in bilateral},
        generic_nouns=generic_nouns,
        gender_suffixes=tuple(
            sorted(
                (
                    (p.lower(), r["gender"])
                    for r in names
                    if r["label"] == "GENDER_SUFFIX"
                    for p in r["pattern"]
                ),
                key=lambda x: (-len(x[0]), x[0]),
            )
        ),
    )
