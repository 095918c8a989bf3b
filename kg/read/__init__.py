"""Read input files into ``Article`` objects: the only stage that opens inputs.

Two entry points (docs/input.md has the details and every message):

* ``iter_articles(paths)`` streams ``Article`` and ``FileError`` items (and ``ReadNote`` when asked) in a
  stable sorted order, one file at a time, holding at most two parts of a long text in memory. It does
  NOT deduplicate: across a stream that is the consumer's job (by ``Article.id``, the content hash).
* ``read_paths(paths)`` collects that stream into a ``ReadResult`` and deduplicates it: the same text
  under two names is one Article whose ``sources`` lists both stems.

A file that cannot be read is reported as a ``FileError`` (path and a human-readable reason) and the rest
is still read: nothing here raises on bad input. Article.text is the text the pipeline reads and that
evidence offsets point into: normalised (NFC, ``\\n`` newlines, no trailing spaces, single blank lines
between paragraphs) and stripped of page furniture by the general rules in
kg/nlp/resources/read.furniture.jsonl plus the structural ones of furniture.py.

The modules, in the order a file goes through them: files (which files, the entry points),
encodings (which encoding), html and jsonl (readers of those kinds), text (lines, parts, Articles;
the .txt reader), furniture (page furniture and the dateline), notes; dates is the project's one
date and dateline parser, language tells which language an article is in.
"""

from kg.nlp.facts import FileError
from kg.read.encodings import NOT_TEXT
from kg.read.files import MAX_CHARS, ReadResult, iter_articles, read_paths
from kg.read.furniture import furniture_rules, strip_furniture
from kg.read.notes import ReadNote
from kg.read.text import content_id, normalise

__all__ = [
    "MAX_CHARS",
    "NOT_TEXT",
    "FileError",
    "ReadNote",
    "ReadResult",
    "content_id",
    "furniture_rules",
    "iter_articles",
    "normalise",
    "read_paths",
    "strip_furniture",
]
