"""Stage kg_events: meetings, visits, talks, calls ... with participants, date, place and topics.

How an article becomes events, one module per step (component.py runs them in order over a
DocView, view.py, the Doc as the steps read it):

1. *Mentions* (triggers.py). Trigger rules (rules.py; kg/nlp/resources/events.verbs.jsonl) find
   event words: "met", "had a meeting", "welcomed", "held talks", "on a state visit to". A noun
   trigger that is the object of a light verb ("had a meeting", "took part in the meeting") is
   read through that verb (syntax.py). The participants (participants.py) are the PERSON spans of
   doc.spans["kg_mentions"] in the trigger's own clause (its subject, objects, "with X", "between
   X and Y", "X's visit"), never those of a relative or subordinate clause, except clauses that add
   company ("a delegation led by X", "accompanied by Y"); lists after "with", "by", "including"
   and subject lists are read along the text as well, since the parser breaks long lists of
   titled names (lists.py). A noun trigger under a preposition takes the subject of the verb it
   hangs on ("During his meeting with X, Y said"); an open "he" / "the leader" is the host of the
   story so far, and "Separate meetings with A and B" (and "had meetings with A and B", a round of
   calls, "A and B called on him separately", a list met at once that a later sentence tells
   apart, the members of a group met who speak after it) are one meeting per guest (series.py).
   A headline spaCy glued to the lead lends the lead none of its names (view.py). Planned,
   hoped-for, refused, cancelled or negated meetings are no events (mood.py). A visit's
   participants are only its visitors (and the people accompanying them); where it goes and where
   an encounter is are in places.py.
2. *Dates* (dates.py) are read per sentence (kg/read/dates.py) against the publication date (or
   the dateline's), and apply to every trigger in the same clause; a date in another clause (a
   relative clause's "who assumed office on 22 May"), after "since"/"until", or on a publication
   date line that spaCy joined to the sentence dates nothing. "Earlier in the day" and "a day
   earlier" count from the day last told; "he also met" without a date of its own goes on with the
   date of the mention before it.
3. *Clusters* (clusters.py). An article reports one occasion in several sentences ("X welcomed Y",
   "Y greeted X", "Z took part in the meeting as well"), so mentions merge, in text order, into the
   latest event of the same family whose participants include theirs (or are included in theirs)
   and whose date is compatible. Visits to a country or city are *frames*: the meetings whose
   participants include the visitor get it as ``parent`` and its country.
4. *Dates of events* (dates.py): the most precise date of its mentions; else, for a meeting during
   a visit, the visit's date (its day only for a one-day visit, else its month); else the day of
   the report it is told in ("X yesterday said"); else the news date (the dateline's day, or the
   publication date). A visit without a date of its own is dated by the month of its meetings,
   else the month of the news. An occasion the text recalls ("had met", "their last meeting",
   "previously") or only plans keeps no date unless the text gives it.
5. *Records* (records.py): type, CAMEO code, place, countries, label and evidence per event.
   *Topics:* topic labels (kg/nlp/topics.py) in the sentences about the event; the article's first
   event is what the article is about, so it gets the topics of the whole article.

kg/graph/merge.py then makes one event of the same occasion reported by several articles, with
the families and keys of keys.py.
"""

from kg.nlp.events.component import EventExtractor, make_events
from kg.nlp.events.keys import FAMILIES, MIXED_TYPE_ORDER, VISIT_TYPES, event_key
from kg.nlp.events.rules import Rule, load_rules, rule_from_record

__all__ = [
    "FAMILIES",
    "MIXED_TYPE_ORDER",
    "VISIT_TYPES",
    "EventExtractor",
    "Rule",
    "event_key",
    "load_rules",
    "make_events",
    "rule_from_record",
]
