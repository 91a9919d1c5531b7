"""One set of coordinator facts: a coordinator's number is shown with the hours from
content/data/coordinators.yaml only, on every page, and no source file writes hours beside it by hand.

Once a page said "tirsdag-fredag 9-14" and another "mandag-torsdag 9-15, fredag 9-12" for the same phone.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from aktivsammen.loading import load_vocabularies
from tests.conftest import CONTENT, VALID_ACTIVITY, build

# --- Finding hours beside a number -------------------------------------------------------------

# Any Danish number, so that hours beside another number (an association's) are not taken for the
# coordinators': 76 81 00 00, 7681 0000, 7681-0000, 76810000, 76.81.00.00, with or without +45.
PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)45 ?)?(?:\d\d \d\d \d\d \d\d|\d\d\.\d\d\.\d\d\.\d\d|\d{4}[ -]\d{4}|\d{8})(?!\d)"
)

_FULL = r"(?:mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)e?"
_SHORT = r"(?:man|tirs?|ons|tors?|fre|lør|søn)\.?"  # only in a range or before "kl.": "man" is a word
_DAY = rf"(?:{_FULL}|{_SHORT})(?!\w)"
_TO = r" ?(?:-|–|—| til ) ?"
_DAYS_ONE = (
    rf"(?:{_DAY}{_TO}{_DAY}|{_FULL}(?!\w)|(?:alle )?hverdage?(?!\w)|hver dag|alle dage|weekend(?:en)?"
    rf"|{_SHORT}(?= ?kl))"
)
_DAYS = rf"{_DAYS_ONE}(?:(?:, ?| og ){_DAYS_ONE})*"
_HOUR = r"\d{1,2}(?:[.:]\d\d)?"
_TIME = (
    rf"(?:(?:fra )?kl\.? ?)?{_HOUR}{_TO}(?:kl\.? ?)?{_HOUR}"
    r"(?!\d|[.:]\d| ?(?:km|gange|min|minutter|timer|år|personer|kr)(?!\w)| ?%)"
)
# Opening hours: "Mandag-torsdag kl. 9-15, fredag kl. 9-12", "man-fre 9.00-14.00", "hverdage kl. 9 til 15".
HOURS = re.compile(rf"(?<!\w){_DAYS}:? ?{_TIME}(?:(?:, ?|; ?| og ){_DAYS}:? ?{_TIME})*", re.IGNORECASE)
# An activity's own schedule ("Hver tirsdag kl. 10.00–11.30", "hver anden onsdag ...") is not opening hours.
SCHEDULE_BEFORE = re.compile(r"(?<!\w)hver(?: anden)? $", re.IGNORECASE)

WINDOW = 80  # characters of text between a number and hours outside its paragraph that still count


@dataclass(frozen=True)
class Shown:
    """Hours shown beside a number: the number's 8 digits, the hours as written and the text around."""

    digits: str
    hours: str
    context: str


def digits_of(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return digits[-8:]  # without +45 / 0045


def normalised(hours: str) -> str:
    """The same hours written the same way: case, spaces, "kl.", dashes, ".00", "man"/"hverdage"."""
    text = hours.lower().replace("–", "-").replace("—", "-")
    text = re.sub(r"(?<!\w)(?:fra )?kl\.?", " ", text)
    text = re.sub(r"(\d)[.:]00(?!\d)", r"\1", text)
    text = re.sub(r" til ", "-", text)
    text = re.sub(r"(?<!\w)(?:alle )?hverdage?(?!\w)", "mandag-fredag", text)
    names = {"man": "mandag", "tir": "tirsdag", "tirs": "tirsdag", "ons": "onsdag", "tor": "torsdag",
             "tors": "torsdag", "fre": "fredag", "lør": "lørdag", "søn": "søndag"}  # fmt: skip
    text = re.sub(r"(?<!\w)(man|tirs?|ons|tors?|fre|lør|søn)(?!\w)\.?", lambda m: names[m[1]], text)
    text = re.sub(r"(?<!\w)(mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)e(?!\w)", r"\1", text)
    text = re.sub(r" og |;", ",", text)
    return re.sub(r"[\s:]", "", text).strip(",.")


def hours_beside_numbers(blocks: list[str], window: int = WINDOW) -> list[Shown]:
    """Every opening-hours text in `blocks` (paragraphs, list items ...), with the number it belongs to:
    the nearest number in the same block, or within `window` characters of text before or after."""
    text, starts = "", []
    for block in blocks:
        starts.append(len(text))
        text += " ".join(block.split()) + "\n"
    numbers = [(m.start(), m.end(), digits_of(m[0])) for m in PHONE.finditer(text)]
    found = []
    for match in HOURS.finditer(text):
        if SCHEDULE_BEFORE.search(text[max(0, match.start() - 12) : match.start()]):
            continue
        block = bisect_right(starts, match.start())
        nearest = None
        for start, end, digits in numbers:
            distance = match.start() - end if end <= match.start() else start - match.end()
            if (bisect_right(starts, start) == block or distance <= window) and (
                nearest is None or distance < nearest[0]
            ):
                nearest = (distance, digits, min(start, match.start()), max(end, match.end()))
        if nearest:
            context = text[max(0, nearest[2] - 30) : nearest[3] + 10].replace("\n", " / ")
            found.append(Shown(nearest[1], match[0], context))
    return found


class _Blocks(HTMLParser):
    """A page's text, one string per paragraph, list item, cell, heading or box (no scripts or styles)."""

    BLOCK = frozenset({
        "address", "article", "aside", "blockquote", "body", "button", "caption", "dd", "details", "dialog",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "head", "header", "hr", "html", "label", "legend", "li", "main", "nav", "ol", "option", "p",
        "pre", "section", "select", "summary", "table", "td", "textarea", "th", "title", "tr", "ul",
    })  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = [[]]
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag in self.BLOCK:
            self.blocks.append([])
        elif tag == "br":
            self.blocks[-1].append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCK:
            self.blocks.append([])

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.blocks[-1].append(data)


def html_blocks(page: str) -> list[str]:
    parser = _Blocks()
    parser.feed(page)
    parser.close()
    return [text for parts in parser.blocks if (text := " ".join("".join(parts).split()))]


def source_blocks(source: str) -> list[str]:
    """A Markdown or YAML file's paragraphs: text between blank lines."""
    return [block for block in re.split(r"\n[ \t]*\n", source) if block.strip()]


def coordinator_hours(data_dir: Path) -> dict[str, str]:
    """Each coordinator number's hours from coordinators.yaml (loading refuses two sets for one number)."""
    hours: dict[str, str] = {}
    for coordinator in load_vocabularies(data_dir).coordinators:
        hours.setdefault(digits_of(coordinator.phone), coordinator.hours)
    return hours


def wrong_hours_on_pages(output: Path, hours: dict[str, str]) -> tuple[list[str], set[str]]:
    """Hours shown beside a coordinator's number that are not that number's hours in coordinators.yaml,
    one message per page and text; and the pages that show the coordinators' hours at all."""
    problems, showing = [], set()
    for path in sorted(output.rglob("*.html")):
        name = str(path.relative_to(output))
        for shown in hours_beside_numbers(html_blocks(path.read_text(encoding="utf-8"))):
            expected = hours.get(shown.digits)
            if expected is None:
                continue
            showing.add(name)
            if normalised(shown.hours) != normalised(expected):
                problems.append(
                    f"{name}: {shown.digits} vises med '{shown.hours}', men coordinators.yaml siger "
                    f"'{expected}' (i: ...{shown.context}...)"
                )
    return problems, showing


def hand_written_hours(content: Path, hours: dict[str, str]) -> list[str]:
    """Hours typed beside a coordinator's number in pages, projects or activities: they come from
    coordinators.yaml only (the help box and the coordinator list show them)."""
    problems = []
    files = [*(content / "pages").glob("*.md"), *(content / "projects").glob("*.md")]
    files += [*(content / "activities").glob("*.yaml")]
    for path in sorted(files):
        for shown in hours_beside_numbers(source_blocks(path.read_text(encoding="utf-8"))):
            if shown.digits in hours:
                problems.append(
                    f"{path.relative_to(content)}: '{shown.hours}' står ved {shown.digits}; tiderne kommer "
                    f"fra coordinators.yaml ('{hours[shown.digits]}') (i: ...{shown.context}...)"
                )
    return problems


# --- The real guide -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    output = tmp_path_factory.mktemp("coordinators") / "output"
    build(CONTENT, output)
    return output


@pytest.mark.slow
def test_every_page_gives_each_coordinator_number_the_hours_from_the_file(site):
    hours = coordinator_hours(CONTENT / "data")
    problems, showing = wrong_hours_on_pages(site, hours)
    assert problems == []
    # the help box shows the hours on every page: if none are found, the check has stopped looking
    pages = {str(path.relative_to(site)) for path in site.rglob("*.html")}
    assert len(pages) > 100 and showing == pages


@pytest.mark.slow
def test_no_hours_are_written_beside_a_coordinator_number_by_hand():
    assert hand_written_hours(CONTENT, coordinator_hours(CONTENT / "data")) == []


# --- The check can fail -------------------------------------------------------------------------

WRONG = """\
Title: Om
Slug: om

Ring til os på 76 81 00 00. Vi har åbent tirsdag-fredag 9-14.

Ring på +45 7681 0000 (man-fre kl. 9.00-14.00).

Ring til Vejle Kommune på 76 81 00 00 (mandag–torsdag 9.00-15.00 og fredag kl. 9-12).

Ring til foreningen på 11 22 33 44 mandag-torsdag kl. 9-15. Det er lettere at klare hverdagen 10-12 gange.
"""


def test_the_check_finds_other_hours_beside_the_number(make_site, tmp_path):
    content = make_site(activities={"gaaklub.yaml": VALID_ACTIVITY})
    (content / "pages" / "om.md").write_text(WRONG, encoding="utf-8")
    build(content, tmp_path / "output")
    hours = coordinator_hours(content / "data")
    assert hours == {"76810000": "Mandag-torsdag kl. 9-15, fredag kl. 9-12"}

    problems, showing = wrong_hours_on_pages(tmp_path / "output", hours)
    assert len(problems) == 2, problems  # the same hours written another way are the same hours
    assert problems[0].startswith(
        "om/index.html: 76810000 vises med 'tirsdag-fredag 9-14', men coordinators.yaml siger "
        "'Mandag-torsdag kl. 9-15, fredag kl. 9-12'"
    )
    assert "om/index.html: 76810000 vises med 'man-fre kl. 9.00-14.00'" in problems[1]
    assert "index.html" in showing and "aktivitet/gaaklub/index.html" in showing  # the help box

    written = hand_written_hours(content, hours)
    assert len(written) == 3, written  # in the source, even the right hours are typed by hand
    assert written[0].startswith("pages/om.md: 'tirsdag-fredag 9-14' står ved 76810000")


def test_hours_belong_to_the_nearest_number():
    shown = hours_beside_numbers(
        [
            "Ring til Fællesskabskoordinatorerne på 76 81 00 00",
            "Hver tirsdag kl. 10.00–11.30",  # an activity's schedule, not opening hours
            "Foreningen: 11 22 33 44, hverdage kl. 8-16",
            "Den fælles indgang. Ring på 76 81 00 00 (mandag-torsdag kl. 9-15, fredag kl. 9-12), skriv.",
        ]
    )
    assert [(s.digits, s.hours) for s in shown] == [
        ("11223344", "hverdage kl. 8-16"),
        ("76810000", "mandag-torsdag kl. 9-15, fredag kl. 9-12"),
    ]
    assert normalised("Man.-tors. kl. 9.00–15.00 og fre. 9-12") == normalised(
        "Mandag-torsdag kl. 9-15, fredag kl. 9-12"
    )
    assert (
        normalised("hverdage 9-15")
        == normalised("mandag-fredag kl. 9-15")
        != normalised("tirsdag-fredag 9-15")
    )
