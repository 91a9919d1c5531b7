"""Pages that name a kind of activity the guide has should link to some of those activities.

A page that says "prøv stolegymnastik" while the guide has two stolegymnastik classes should
take the reader to them. The kinds of activity are not a list kept here: they come from the
guide's own data, so a new kind is checked the day its first activity is added.

- A category (categories.yaml), named by its whole label ("Motion og bevægelse", "Dans"): its
  activities are the category's, and a link to the category's page counts as well. (The single
  words of a label are too common in prose: "sundhed", "snak"; the search groups name them.)
- A group of search words (search_words.yaml), named by the parts of its label ("sang og kor":
  "sang", "kor") and its `means`, as far as its activities use those words themselves (in their
  title, summary or description: "ensomhed" is something pages talk about, not a word any
  activity is called by); its activities are what the search finds for it, and a link to its word
  page or to one of its categories' pages counts as well.
- A word that heads activities' titles ("Stolegymnastik i Egtved": stolegymnastik; "IT-café i
  Jelling": it-café), which is not a place, a target group or a proper name, and which the
  activities mostly use in titles (TITLE_SHARE); only a link to one of those activities counts.

Words are compared as the search compares them (Danish stems and the word forms of
search_words.yaml). Capitalised words inside a sentence are names ("Blå Kors" is no choir) and
name no kind of activity.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from aktivsammen.loading import load_activity, load_vocabularies
from aktivsammen.model import Activity, Status, Vocabularies
from aktivsammen.search import DANISH_STOP_WORDS, analyse, forms_of, index_document, meant_by, word_forms
from plugins.activities.settings import DEFAULTS as ACTIVITIES
from plugins.search_index import DEFAULTS as SEARCH

# Where the guide writes the pages a link may go to (the plugins' defaults, as pelicanconf.py uses).
ACTIVITY_URL = ACTIVITIES["ACTIVITIES_PAGE_URL"]  # aktivitet/{slug}/
CATEGORY_URL = ACTIVITIES["ACTIVITIES_CATEGORY_URL"]  # kategori/{id}/
WORD_URL = SEARCH["SEARCH_WORD_URL"]  # soeg/ord/{id}/

# A title word is a kind of activity only when at least this share of the activities whose text
# has the word also have it in their title: "netværk" heads two titles, but five more activities
# use it about something else.
TITLE_SHARE = 1 / 3

Phrase = tuple[str, ...]  # stemmed words


@dataclass(frozen=True)
class ActivityType:
    """A kind of activity: the words that name it, its activities and the pages that list them."""

    name: str
    names: frozenset[Phrase]
    activities: frozenset[str]  # slugs
    listings: frozenset[str]  # site paths: "kategori/motion/"
    examples: tuple[str, ...] = ()  # slugs to suggest: those whose title names the kind first

    def linked(self, links: set[str]) -> bool:
        return bool(self.listings & links) or any(
            ACTIVITY_URL.format(slug=slug) in links for slug in self.activities
        )


def phrase(text: str) -> Phrase:
    return tuple(analyse(text))


def label_parts(label: str) -> list[str]:
    """'Kultur, læsning og foredrag' -> ['Kultur', 'læsning', 'foredrag']."""
    return [part for part in re.split(r",\s*|\s+og\s+", label) if part.strip()]


@dataclass
class Guide:
    """What the check needs from a content folder: its vocabularies and live activities."""

    vocabularies: Vocabularies
    activities: dict[str, Activity]

    @classmethod
    def read(cls, content: Path) -> Guide:
        vocabularies = load_vocabularies(content / "data")
        activities = {}
        for path in sorted((content / "activities").glob("*.yaml")):
            activity = load_activity(path, vocabularies).activity
            if activity.status is not Status.AFLYST:
                activities[path.stem] = activity
        return cls(vocabularies, activities)


def activity_types(guide: Guide) -> list[ActivityType]:
    """Every kind of activity the guide has (call inside word_forms, as the search does)."""
    vocabularies, activities = guide.vocabularies, guide.activities
    documents = {slug: index_document(a, vocabularies, 100_000) for slug, a in activities.items()}
    own = {
        slug: set(phrase(" ".join([a.title, a.summary, a.description or ""])))
        for slug, a in activities.items()
    }

    def used(candidates: list[str], slugs: set[str]) -> frozenset[Phrase]:
        words = set().union(*(own[slug] for slug in slugs))
        return frozenset(p for text in candidates if (p := phrase(text)) and set(p) <= words)

    types = []
    for category in vocabularies.categories:
        slugs = {slug for slug, a in activities.items() if category.id in a.categories}
        if slugs:
            listing = frozenset({CATEGORY_URL.format(id=category.id)})
            types.append(
                ActivityType(category.label, frozenset({phrase(category.label)}), frozenset(slugs), listing)
            )
    for group in vocabularies.search_words:
        if group.one_word:
            continue
        slugs = {
            slug for slug, a in activities.items() if group in meant_by(a, documents[slug], vocabularies)
        }
        if slugs:
            listings = frozenset(
                {WORD_URL.format(id=group.id), *(CATEGORY_URL.format(id=c) for c in group.categories)}
            )
            names = used([*label_parts(group.label), *group.means], slugs)
            types.append(ActivityType(group.label, names, frozenset(slugs), listings))
    named = {name for kind in types for name in kind.names}
    types += _title_types(vocabularies, activities, own, named)
    titles = {slug: set(phrase(a.title)) for slug, a in activities.items()}

    def example_order(kind: ActivityType, slug: str) -> tuple[bool, str]:
        return (not any(set(name) <= titles[slug] for name in kind.names), slug)

    return [
        replace(kind, examples=tuple(sorted(kind.activities, key=lambda slug: example_order(kind, slug))[:3]))
        for kind in types
        if kind.names
    ]


_HEAD_END = re.compile(r"\s+[–—-]\s+|[,:(]")
# Small words that end a title's first phrase: Snowball's stop words lack some prepositions.
_PHRASE_END = DANISH_STOP_WORDS | {
    "ved",
    "uden",
    "blandt",
    "omkring",
    "mellem",
    "langs",
    "gennem",
    "bag",
    "inden",
}


def title_kind(title: str) -> str | None:
    """The word a title starts by naming: the last word of its first phrase, before the first
    small word or punctuation, leaving out proper names (capitalised after the first word).
    'Stolegymnastik i Egtved': Stolegymnastik; 'Sund mad i fællesskab': mad; 'Bliv besøgsven i
    Bredsten': besøgsven; 'Repair Cafe Vejle': Repair; 'IT-café i Jelling': IT-café."""
    head = []
    for number, word in enumerate(_HEAD_END.split(title, maxsplit=1)[0].split()):
        if word.lower() in _PHRASE_END:
            break
        if not number or not word[:1].isupper():
            head.append(word)
    return head[-1] if head else None


def _title_types(
    vocabularies: Vocabularies, activities: dict[str, Activity], own: dict[str, set[str]], named: set[Phrase]
) -> list[ActivityType]:
    places = {t for area in vocabularies.areas for t in phrase(" ".join([area.label, *area.places]))}
    groups = {t for group in vocabularies.target_groups for t in phrase(group.label)}
    titled: dict[Phrase, set[str]] = defaultdict(set)
    for slug, activity in activities.items():
        not_kinds = places | groups | set(phrase(f"{activity.location.name} {activity.location.city}"))
        name = phrase(title_kind(activity.title) or "")  # "IT-café" is one word of two parts
        if name and name not in named and not set(name) & not_kinds:
            titled[name].add(slug)
    kinds = []
    for name, slugs in sorted(titled.items()):
        using = {slug for slug, words in own.items() if set(name) <= words}
        if len(slugs) >= TITLE_SHARE * len(using):
            kinds.append(ActivityType("-".join(name), frozenset({name}), frozenset(slugs), frozenset()))
    return kinds


# --- Pages ------------------------------------------------------------------------


class _Article(HTMLParser):
    """The words and links of a page's <article>: its own content, not the header or footer.
    Each block (paragraph, heading, list item, cell) is a piece of text of its own. An activity's
    card (li.as-card) is the activity's own words: its link counts, its text is not the page's."""

    INLINE = frozenset({"a", "abbr", "b", "code", "em", "i", "small", "span", "strong", "time"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.items = 0  # <li> elements open
        self.card_at: int | None = None  # the depth in <li> of the card we are in
        self.blocks: list[list[str]] = [[]]
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.depth += tag == "article"
        if tag == "li":
            self.items += 1
            if self.card_at is None and "as-card" in (attributes.get("class") or "").split():
                self.card_at = self.items
        if self.depth and tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag not in self.INLINE:
            self.blocks.append([])

    def handle_endtag(self, tag):
        self.depth -= tag == "article"
        if tag == "li":
            if self.items == self.card_at:
                self.card_at = None
            self.items -= 1
        if tag not in self.INLINE:
            self.blocks.append([])

    def handle_data(self, data):
        if self.depth and self.card_at is None:
            self.blocks[-1].append(data)

    def texts(self) -> list[str]:
        return [text for parts in self.blocks if (text := " ".join("".join(parts).split()))]


_SENTENCE = re.compile(r"(?<=[.!?:])\s+")
_WORD = re.compile(r"\S+")


def spoken_phrases(text: str) -> list[Phrase]:
    """The text's words as stems, in runs broken at names: a capitalised word that does not
    start a sentence is a name, not a kind of activity."""
    runs: list[Phrase] = []
    for sentence in _SENTENCE.split(text):
        run: list[str] = []
        for number, word in enumerate(_WORD.findall(sentence)):
            if number and word[:1].isupper():
                runs.append(phrase(" ".join(run)))
                run = []
            else:
                run.append(word)
        runs.append(phrase(" ".join(run)))
    return runs


def site_path(page: str, href: str) -> str:
    """A link on the page at `page` (a path in the site) as a path in the site: 'kategori/motion/'."""
    return urlsplit(urljoin("/" + page, href)).path.lstrip("/").removesuffix("index.html")


def reference_to(path: str) -> str:
    """A listing's path as an editor links it: 'kategori/motion/' -> '{kategori}motion'."""
    for url, kind in ((CATEGORY_URL, "kategori"), (WORD_URL, "soegeord")):
        match = re.fullmatch(re.escape(url).replace(r"\{id\}", "(?P<id>[^/]+)"), path)
        if match:
            return f"{{{kind}}}{match['id']}"
    return path


def _says(runs: list[Phrase], name: Phrase) -> bool:
    size = len(name)
    return any(run[i : i + size] == name for run in runs for i in range(len(run) - size + 1))


def unlinked_mentions(output: Path, pages: list[str], guide: Guide) -> list[str]:
    """Each page (a path in the built site) that names a kind of activity the guide has, but
    links to none of those activities nor to a page listing them: one message per page and kind."""
    problems = []
    with word_forms(forms_of(guide.vocabularies)):
        types = activity_types(guide)
        for page in pages:
            article = _Article()
            article.feed((output / page).read_text(encoding="utf-8"))
            runs = [run for text in article.texts() for run in spoken_phrases(text)]
            links = {site_path(page, href) for href in article.links}
            for kind in types:
                said = sorted(" ".join(name) for name in kind.names if _says(runs, name))
                if said and not kind.linked(links):
                    examples = ", ".join(f"{{aktivitet}}{slug}" for slug in kind.examples)
                    listings = " eller ".join(reference_to(path) for path in sorted(kind.listings))
                    problems.append(
                        f"{page}: nævner '{said[0]}' ({kind.name}) uden at linke til en af aktiviteterne"
                        f" (fx {examples}){f' eller til {listings}' if listings else ''}"
                    )
    return problems
