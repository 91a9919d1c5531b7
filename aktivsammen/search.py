"""Search: a Danish lunr index built in Python, its compact document store, and the facets.

lunr.py's own Danish support downloads NLTK data at every build and trims letters such as
c, w, y and ø off words ("yoga" -> "oga"). So the Danish pipeline is defined here, with the
Snowball stemmer, under the function names lunr-languages' lunr.da registers in the browser;
lunr.js then loads the index and stems queries exactly as this side did.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import snowballstemmer
from lunr.builder import Builder
from lunr.pipeline import Pipeline

from .dates import Upcoming
from .geo import named_places
from .model import Activity, Level, SearchWords, Vocabularies, Weekday
from .schedule import MONTHS, danish_date, describe_slot, times_of_day, weekdays_of
from .text import danish_sort_key

# Snowball's Danish stop words (the list lunr-languages' lunr.da also uses).
DANISH_STOP_WORDS = frozenset(
    """
    og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har om vi
    min havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her
    alle vil blev kunne ind når være dog noget ville jo deres efter ned skulle denne end dette mit
    også under have dig anden hende mine alt meget sit sine vor mod disse hvis din nogle hos blive
    mange ad bliver hendes været thi jer sådan
    """.split()  # noqa: SIM905 - a word list reads best as words
)

_STEMMER = snowballstemmer.stemmer("danish")
_EDGES = re.compile(r"^\W+|\W+$")


def trimmer(token, i=None, tokens=None):
    """Strip punctuation from both ends of a word, keeping every letter (æ, ø, å, c, w, y ...)."""
    return token.update(lambda text, metadata=None: _EDGES.sub("", text))


def stop_word_filter(token, i=None, tokens=None):
    if str(token) and str(token) not in DANISH_STOP_WORDS:
        return token
    return None


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)  # a corpus repeats its words: stem each one once


# Forms of one word that the stemmer does not join (mand/mænd) or joins with another word
# (haven/hav): form -> the one term for all of them, from search_words.yaml (one_word: true).
# Set for a build by word_forms(); the browser gets the same map for the query (search-query.js).
_FORMS: dict[str, str] = {}


def stem(word: str) -> str:
    return _FORMS.get(word) or _stem(word)


def forms_of(vocabularies: Vocabularies) -> dict[str, str]:
    """Every form of each one-word group -> the group's first word."""
    return {
        form: group.words[0] for group in vocabularies.search_words if group.one_word for form in group.words
    }


@contextlib.contextmanager
def word_forms(forms: dict[str, str]):
    """Index (and stem queries) with these word forms, then go back to the plain stemmer."""
    previous = dict(_FORMS)
    _FORMS.clear()
    _FORMS.update(forms)
    try:
        yield
    finally:
        _FORMS.clear()
        _FORMS.update(previous)


def stemmer(token, i=None, tokens=None):
    return token.update(lambda text, metadata=None: stem(text))


for _function, _label in (
    (trimmer, "trimmer-da"),
    (stop_word_filter, "stopWordFilter-da"),
    (stemmer, "stemmer-da"),
):
    Pipeline.register_function(_function, _label)


# --- Facets ---------------------------------------------------------------------

TIMES_OF_DAY = (("formiddag", "Formiddag (før kl. 12)"), ("eftermiddag", "Eftermiddag (kl. 12-17)"),
                ("aften", "Aften (efter kl. 17)"))  # fmt: skip
FLAGS = (("gratis", "Gratis"), ("nye", "Nye er velkomne"), ("ledsager", "Du må tage en med"))
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


@dataclass(frozen=True)
class Facet:
    """One group of filter options; `name` is its parameter in the address (?dag=tirsdag)."""

    name: str
    legend: str
    options: tuple[tuple[str, str], ...]
    control: str = "checkbox"  # or "select" (one choice of many, e.g. the area)
    more: bool = False  # shown under "Flere valg"


def facets(vocabularies: Vocabularies) -> list[Facet]:
    def terms(kind: str) -> tuple[tuple[str, str], ...]:
        return tuple((term.id, term.label) for term in getattr(vocabularies, kind))

    return [
        Facet("omraade", "Område", terms("areas"), control="select"),
        Facet("dag", "Ugedag", tuple((day, day.capitalize()) for day in WEEKDAYS)),
        Facet("tid", "Tidspunkt", TIMES_OF_DAY),
        Facet("vis", "Vis kun", FLAGS),
        Facet("kategori", "Emne", terms("categories"), more=True),
        Facet("niveau", "Hvor fysisk krævende", tuple((lv.value, lv.label) for lv in Level), more=True),
        Facet("tilg", "Tilgængelighed", terms("accessibility"), more=True),
        Facet("maal", "Hvem er det for", terms("target_groups"), more=True),
    ]


# --- Documents ------------------------------------------------------------------


_NUMBERED = re.compile(r"\S*\d\S*")  # a word with a digit in an address: a house number, a floor
_MARKUP = re.compile(r"<[^>]*>|\]\([^)]*\)|[*_#>`\[\]]")


def plain_text(markdown_text: str | None, words: int) -> str:
    """The first `words` words of a Markdown text, without markup (link targets dropped)."""
    if not markdown_text:
        return ""
    return " ".join(_MARKUP.sub(" ", markdown_text).split()[:words])


@dataclass
class SearchData:
    """What the browser downloads for search: the index, the document store and the facets.

    `compact` is the lunr index in a fraction of lunr's own bytes; the browser expands it
    before lunr.Index.load (see compact_index). files() splits it for the download.
    """

    compact: dict[str, Any]
    docs: list[list[Any]]
    facets: dict[str, list[list[str]]]
    stop_words: list[str] = field(default_factory=lambda: sorted(DANISH_STOP_WORDS))
    forms: dict[str, str] = field(default_factory=dict)  # word forms the query joins (see _FORMS)
    suggestions: list[str] = field(default_factory=list)  # searched instead of a misspelt word
    centres: list[list[float]] = field(default_factory=list)  # each area's centre, in facet order
    places: dict[str, list[float]] = field(default_factory=dict)  # what "Tæt på" takes (geo.named_places)
    # Not for the browser: search-word group id -> the slugs it finds by its meaning (A–Å), for the
    # pages readers without JavaScript get instead of a search (/soeg/ord/<id>/).
    meaning: dict[str, list[str]] = field(default_factory=dict)

    def files(self, split: Split | None = None) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        """The download in parts, so a search fetches only what it needs (split_download): the
        head, which every search needs, and the parts by file name, which the head lists."""
        return split_download(self, split or Split())

    def as_json(self) -> dict[str, Any]:
        """The whole download as one object (the head with every part merged back in): what
        the parts add up to, for tools and tests that want it all at once."""
        head, parts = self.files()
        return merge_parts(head, parts.values())


@dataclass(frozen=True)
class Split:
    """How the download is cut. A search fetches the head, then the posting shards of the terms
    it looks up, then the store chunks of the results it shows: three steps, whatever the size.

    `shard_bytes`: postings per shard, in bytes of JSON (a few KB compressed). `chunk_docs`:
    activities per store chunk (their title, times, place, next dates and summary).
    """

    shard_bytes: int = 16_000
    chunk_docs: int = 100


# What every search needs, in the head: what the facets filter on and where each activity is.
# The rest of a row (STORE_FIELDS) comes in chunks, for the results a search shows.
STORE_FIELDS = ("slug", "title", "when", "where", "next", "summary")
PARTS_FOLDER = "dele"  # beside the head; each part's name carries its content's hash


def split_download(data: SearchData, split: Split) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The head and the parts. The head holds the index's terms, each document's field lengths
    (BM25 needs them for every match) and which shard holds which terms; a shard holds the
    postings of a run of terms (search-query.js builds lunr's index from the shards it has, with
    the same scores as the whole index: lunr only compares a document with the query's terms).
    The store's head fields are in the head; its STORE_FIELDS in chunks by document number."""
    columns, next_dates = store_columns(data.docs)
    index = dict(data.compact)
    postings = index.pop("postings")
    parts: dict[str, dict[str, Any]] = {}

    def part(kind: str, number: int, content: dict[str, Any]) -> str:
        text = _json(content)
        name = f"{kind}-{number}.{hashlib.sha256(text.encode()).hexdigest()[:10]}.json"
        parts[name] = content
        return f"{PARTS_FOLDER}/{name}"

    shards, start, size = [], 0, 0
    for number, row in enumerate(postings):
        size += len(_json(row)) + 1
        if size >= split.shard_bytes or number == len(postings) - 1:
            shard = {"first": start, "postings": postings[start : number + 1]}
            shards.append([start, part("ord", len(shards), shard)])
            start, size = number + 1, 0
    index["shards"] = shards
    in_store = [name in STORE_FIELDS for name in DOC_FIELDS]
    chunks = []
    for first in range(0, len(data.docs), split.chunk_docs):
        chunk = [column[first : first + split.chunk_docs] if kept else None
                 for column, kept in zip(columns, in_store, strict=True)]  # fmt: skip
        chunks.append(part("aktiviteter", len(chunks), {"first": first, "docs": chunk}))
    head = {
        "version": 4,
        "index": index,
        "docs": [None if kept else column for column, kept in zip(columns, in_store, strict=True)],
        "store": {"size": split.chunk_docs, "chunks": chunks},
        "nextDates": next_dates,
        "facets": data.facets,
        "stopWords": data.stop_words,
        "forms": data.forms,
        "suggestions": data.suggestions,
        "centres": data.centres,
        "places": data.places,
        "fields": DOC_FIELDS,
    }
    return head, parts


def merge_parts(head: dict[str, Any], parts) -> dict[str, Any]:
    """The head with the parts' postings and store columns back in their places."""
    merged = json.loads(_json(head))
    postings: list[Any] = []
    for content in sorted(parts, key=lambda c: ("postings" not in c, c["first"])):
        if "postings" in content:
            postings += content["postings"]
        else:
            for at, column in enumerate(content["docs"]):
                if column is not None:
                    merged["docs"][at] = (merged["docs"][at] or []) + column
    merged["index"]["postings"] = postings
    return merged


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def store_columns(docs: list[list[Any]]) -> tuple[list[list[Any]], dict[str, Any]]:
    """The store's rows as one list per field (DOC_FIELDS; None where a row ends early), and each
    row's next meetings [[ISO day, text], ...] as [days after `from`, number of its `times`, ...].
    A text is its Danish date, which the browser writes from `weekdays` and `months`, and the
    time after it ("kl. 10.00–12.00", one of few), so each meeting costs two small numbers."""
    days = sorted({day for row in docs for day, _ in _meetings(row)})
    start = date.fromisoformat(days[0]) if days else None
    times: dict[str, int] = {}

    def compact(value: Any) -> Any:
        if isinstance(value, str) or not value:  # a pause sentence, or no dates
            return value
        numbers = []
        for day, text in value:
            when = date.fromisoformat(day)
            time_text = text.removeprefix(danish_date(when, weekday=True, year=False) + " ")
            numbers += [(when - start).days, times.setdefault(time_text, len(times))]
        return numbers

    width = len(DOC_FIELDS)
    columns = [[row[i] if i < len(row) else None for row in docs] for i in range(width)]
    at = DOC_FIELDS.index("next")
    columns[at] = [compact(value) for value in columns[at]]
    calendar = {"from": start.isoformat() if start else None, "times": list(times),
                "weekdays": [day.value for day in Weekday], "months": list(MONTHS)}  # fmt: skip
    return columns, calendar


def _meetings(row: list[Any]) -> list[list[str]]:
    value = row[DOC_FIELDS.index("next")]
    return [] if isinstance(value, str) else value


def read_store(data: dict[str, Any]) -> list[list[Any]]:
    """The store's rows from the whole download (as_json, or merge_parts of the published head
    and parts), as build_search_data made them; search.js does the same in the browser."""
    calendar = data["nextDates"]
    at = data["fields"].index("next")
    rows = [list(row) for row in zip(*data["docs"], strict=True)]
    for row in rows:
        while row and row[-1] is None:
            row.pop()
        value = row[at]
        if isinstance(value, list) and value:
            start = date.fromisoformat(calendar["from"])
            pairs = []
            for offset, time_number in zip(value[::2], value[1::2], strict=True):
                day = start + timedelta(days=offset)
                written = (
                    f"{calendar['weekdays'][day.weekday()]} {day.day}. {calendar['months'][day.month - 1]}"
                )
                pairs.append([day.isoformat(), f"{written} {calendar['times'][time_number]}"])
            row[at] = pairs
    return rows


def read_published(head_path: Path) -> dict[str, Any]:
    """The published download (the head file and the parts it lists) as one object, for tests and
    tools that read the built site."""
    head = json.loads(head_path.read_text(encoding="utf-8"))
    names = [name for _, name in head["index"]["shards"]] + head["store"]["chunks"]
    parts = [json.loads((head_path.parent / name).read_text(encoding="utf-8")) for name in names]
    return merge_parts(head, parts)


# The document store: a list per activity (positions below), sent by column (store_columns).
DOC_FIELDS = ["slug", "title", "when", "where", "area", "categories", "days", "times", "flags", "level",
              "accessibility", "targets", "next", "summary", "point"]  # fmt: skip
NEXT_IN_RESULTS = 2  # next meetings per result: the first, and one for a store a day or two old
K1, B = 1.2, 0.75  # lunr's BM25 parameters (its defaults), set explicitly: the browser needs them
INDEX_FIELDS = (("title", 10), ("summary", 4), ("categories", 3), ("keywords", 3), ("area", 3),
                ("organizer", 2), ("location", 2), ("description", 1))  # fmt: skip


def ref(number: int) -> str:
    """Short document refs (base 36): they repeat in every posting of the index."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if number == 0:
            return text


def index_document(activity: Activity, vocabularies: Vocabularies, description_words: int) -> dict[str, str]:
    """The text of each indexed field of one activity."""
    return indexed(activity, vocabularies, description_words)[0]


def indexed(
    activity: Activity, vocabularies: Vocabularies, description_words: int
) -> tuple[dict[str, str], list[SearchWords]]:
    """index_document, and the search-word groups that mean the activity (its keywords' groups)."""
    area = vocabularies.terms("areas")[activity.area]
    place = activity.location
    document = {
        "title": activity.title,
        "summary": activity.summary,
        "categories": " ".join(
            [vocabularies.label("categories", c) for c in activity.categories]
            + [vocabularies.label("target_groups", t) for t in activity.target_groups]
        ),
        "keywords": "",
        "area": " ".join([area.label, *area.places, place.city]),
        "organizer": activity.organizer.name,
        # The street, not its house number: "40" would find every text with a 40 in it.
        "location": f"{place.name} {_NUMBERED.sub('', place.address)} {place.city}",
        "description": plain_text(activity.description, description_words),
    }
    groups = meant_by(activity, document, vocabularies)
    document["keywords"] = " ".join(keywords(groups))
    return document, groups


def meant_by(activity: Activity, document: dict[str, str], vocabularies: Vocabularies) -> list[SearchWords]:
    """The groups of words people search with (search_words.yaml) that mean this activity: when
    it is in one of a group's categories, or its text has one of the group's `means` (as a word,
    or as the first or last part of a compound: "whist" in "whistklubben")."""
    text = {term for name, value in document.items() if name != "keywords" for term in analyse(value)}
    found = []
    for group in vocabularies.search_words:
        if group.one_word:
            continue
        meant = {stem(word) for word in group.means}
        if set(group.categories) & set(activity.categories) or any(
            term == word or (len(word) >= 4 and (term.startswith(word) or term.endswith(word)))
            for term in text
            for word in meant
        ):
            found.append(group)
    return found


def keywords(groups: list[SearchWords]) -> list[str]:
    """The groups' words, each once: what the index's keywords field holds."""
    return list(dict.fromkeys(word for group in groups for word in group.words))


def store_entry(
    slug: str, activity: Activity, position: dict[str, dict[str, int]], upcoming: Upcoming | None
) -> list[Any]:
    """What a search result shows and what the facets filter on, as a compact list (DOC_FIELDS).

    "next" is the pause sentence of a paused activity, or its next meetings as [ISO day, text].
    "point" is its place's coordinates, only where the place has them (else its area's centre).
    """
    when = describe_slot(activity.schedule[0])
    if len(activity.schedule) > 1:
        when += " (og flere tider)"
    flags = (activity.is_free, activity.newcomers_welcome, activity.companion_welcome)
    times = times_of_day(activity)
    entry = [
        slug,
        activity.title,
        when,
        f"{activity.location.name}, {activity.location.city}",
        position["omraade"][activity.area],
        [position["kategori"][c] for c in activity.categories],
        sum(1 << WEEKDAYS.index(day.value) for day in weekdays_of(activity)),
        sum(1 << i for i, (value, _) in enumerate(TIMES_OF_DAY) if value in times),
        sum(1 << i for i, on in enumerate(flags) if on),
        position["niveau"][activity.level.value],
        [position["tilg"][a] for a in activity.accessibility],
        [position["maal"][t] for t in activity.target_groups],
        (upcoming.pause or [m.as_pair() for m in upcoming.next[:NEXT_IN_RESULTS]]) if upcoming else [],
        activity.summary,
    ]
    point = activity.location.point
    return [*entry, list(point)] if point else entry


def build_search_data(
    activities: list[tuple[str, Activity]],
    vocabularies: Vocabularies,
    description_words: int = 40,
    upcoming: Mapping[str, Upcoming] | None = None,
) -> SearchData:
    """Index the activities (slug, model) and build the store the results are drawn from, with
    each one's next dates from `upcoming` (by slug; dates.upcoming, as on its page).

    Documents are numbered in Danish alphabetical order; a document's lunr ref is its number
    in base 36, and its place in the store.
    """
    groups = {facet.name: facet for facet in facets(vocabularies)}
    position = {name: {value: i for i, (value, _) in enumerate(f.options)} for name, f in groups.items()}
    ordered = sorted(activities, key=lambda item: danish_sort_key(item[1].title))
    forms = forms_of(vocabularies)
    with word_forms(forms):
        both = [indexed(activity, vocabularies, description_words) for _, activity in ordered]
        documents = [document for document, _ in both]
        compact = compact_index(documents)
    meaning: dict[str, list[str]] = {
        group.id: [] for group in vocabularies.search_words if not group.one_word
    }
    for (slug, _), (_, meant) in zip(ordered, both, strict=True):
        for group in meant:
            meaning[group.id].append(slug)
    next_dates = upcoming or {}
    return SearchData(
        compact=compact,
        docs=[store_entry(slug, activity, position, next_dates.get(slug)) for slug, activity in ordered],
        facets={name: [list(option) for option in facet.options] for name, facet in groups.items()},
        forms=forms,
        suggestions=suggestions(vocabularies, [activity for _, activity in ordered]),
        centres=[list(area.centre) for area in vocabularies.areas],
        places={name: list(point) for name, point in named_places(vocabularies).items()},
        meaning=meaning,
    )


def suggestions(vocabularies: Vocabularies, activities: list[Activity]) -> list[str]:
    """Words searched instead of a misspelt one when a search finds nothing: the search words, the
    words of the category labels and of the titles (whole words, as people write them)."""
    texts = [word for group in vocabularies.search_words for word in group.words]
    texts += [term.label for term in vocabularies.categories] + [activity.title for activity in activities]
    words = {word for text in texts for word in re.findall(r"[a-zæøåéü]{4,}", text.lower())}
    return sorted(words - DANISH_STOP_WORDS)


# --- The index ------------------------------------------------------------------------
#
# lunr's serialization spells out every posting ({"title": {"1a": {}}}) and every field vector
# ("title/1a": [term, score, ...]). Both follow from the postings with their term frequencies:
# a field's length is the sum of its term frequencies (lunr counts tokens after the pipeline),
# and each vector score is lunr's BM25 formula over those. So the browser gets, per term, the
# documents that contain it in each field (as gaps) with the frequency where it is above one,
# and rebuilds exactly what lunr.py's Builder would have serialized (search-query.js,
# expandIndex). The build only analyses the text, which is a fraction of the Builder's work;
# the tests hold the result against lunr.py's Builder (lunr_index) term for term.
# Each field's length per document comes along (`lengths`), so that a browser holding only some
# terms' postings (the shards a query needs, split_download) scores them as the whole index.

LUNR_VERSION = "2.3.9"  # the lunr.js version the serialization targets (package.json pins it)
_SEPARATORS = re.compile(r"[ \t\n\r\f\v\xa0-]+")  # lunr's tokenizer splits on these


def analyse(text: str) -> list[str]:
    """lunr's tokenizer and our Danish pipeline (trimmer, stop words, stemmer), in one pass."""
    terms = []
    for token in _SEPARATORS.split(text.lower()):
        word = _EDGES.sub("", token)
        if word and word not in DANISH_STOP_WORDS:
            terms.append(stem(word))
    return terms


def compact_index(documents: list[dict[str, str]]) -> dict[str, Any]:
    """The index for the browser: sorted terms, and per term the documents of each field."""
    fields = [name for name, _ in INDEX_FIELDS]
    postings_by_term: dict[str, list[list[tuple[int, int]]]] = {}
    lengths: list[list[int]] = [[] for _ in fields]  # terms per document and field, for BM25
    # Areas, categories, organizers and places repeat across activities: analyse each text once.
    counted: dict[str, list[tuple[str, int]]] = {}
    for number, document in enumerate(documents):
        for field_number, name in enumerate(fields):
            text = document[name]
            counts = counted.get(text)
            if counts is None:
                counts = counted[text] = list(Counter(analyse(text)).items())
            lengths[field_number].append(sum(tf for _, tf in counts))
            for term, tf in counts:
                postings_by_term.setdefault(term, [[] for _ in fields])[field_number].append((number, tf))
    terms = sorted(postings_by_term)
    postings = []
    for term in terms:
        row: list[int] = []
        for field_number, entries in enumerate(postings_by_term[term]):
            if not entries:
                continue
            row += [field_number, len(entries)]
            previous = 0
            for doc, tf in entries:
                gap, previous = doc - previous, doc
                # tf 1 (the usual case) is just the gap; otherwise -(gap + 1) and then tf
                row += [gap] if tf == 1 else [-(gap + 1), tf]
        postings.append(row)
    return {
        "lunr": LUNR_VERSION,
        "fields": fields,
        "boosts": [boost for _, boost in INDEX_FIELDS],
        "k1": K1,
        "b": B,
        "documents": len(documents),
        "pipeline": ["stemmer-da"],
        "terms": terms,
        "lengths": lengths,
        "postings": postings,
    }


def lunr_index(documents: list[dict[str, str]]) -> dict[str, Any]:
    """The same index built by lunr.py's Builder and serialized: the reference for the tests."""
    builder = Builder()
    builder.k1(K1)
    builder.b(B)
    builder.pipeline.add(trimmer, stop_word_filter, stemmer)
    builder.search_pipeline.add(stemmer)
    builder.ref("r")
    for name, boost in INDEX_FIELDS:
        builder.field(name, boost=boost)
    for number, document in enumerate(documents):
        builder.add({"r": ref(number), **document})
    return builder.build().serialize()
