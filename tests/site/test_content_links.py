"""Content links activities by reference ({aktivitet}slug, {kategori}id, {soegeord}id), and pages
that name a kind of activity the guide has link to some of those activities."""

from __future__ import annotations

import re
import shutil

import pytest

from aktivsammen.loading import load_vocabularies
from aktivsammen.problems import ContentError
from aktivsammen.sample_data import is_example_email, is_example_name
from aktivsammen.search import forms_of, word_forms
from tests.conftest import CONTENT, VALID_ACTIVITY, build
from tests.site.activity_mentions import Guide, activity_types, title_kind, unlinked_mentions
from tests.site.test_coordinator_facts import PHONE, digits_of
from tests.site.test_fixture_site import activity, html

CHAIRS = activity(
    **{
        "title: Gåklub ved medborgerhuset": "title: Stolegymnastik i Jelling",
        "summary: Vi går 3-5 km i roligt tempo og drikker kaffe bagefter.": "summary: Rolig gymnastik.",
        "categories: [gaa-og-natur, motion]": "categories: [motion]",
        "area: vejle-nord": "area: jelling",
    }
)

PAGE = """\
Title: Om
Slug: om

Prøv [Stolegymnastik i Jelling]({aktivitet}stolegymnastik), eller gå med i
[gåklubben]({aktivitet}gaaklub#tider).

Se også [motion]({kategori}motion) og [aktiviteter om gåture]({soegeord}gaatur).
"""

PROJECT = """\
---
title: Gå sammen
summary: Et projekt om at gå sammen.
status: afsluttet
owner: Vejle Kommune
result: Gåklubben blev fast.
activities: [gaaklub]
source: Vejle Kommune (2019)
---
Prøv også [stolegymnastik]({aktivitet}stolegymnastik).
"""


@pytest.fixture
def content(make_site):
    content = make_site(
        activities={"gaaklub.yaml": VALID_ACTIVITY, "stolegymnastik.yaml": CHAIRS},
        projects={"gaa-sammen.md": PROJECT},
    )
    (content / "pages" / "om.md").write_text(PAGE, encoding="utf-8")
    return content


def hrefs(page: str) -> list[str]:
    prose = re.search(r'<div class="as-prose">(.*?)</div>', page, re.S)[1]
    return re.findall(r'href="([^"]+)"', prose)


def test_references_become_addresses_relative_to_the_page(content, tmp_path, pelican_warnings):
    build(content, tmp_path / "output")
    assert hrefs(html(tmp_path / "output", "om/index.html")) == [
        "../aktivitet/stolegymnastik/",
        "../aktivitet/gaaklub/#tider",
        "../kategori/motion/",
        "../soeg/ord/gaatur/",
    ]
    project = html(tmp_path / "output", "projekter/gaa-sammen/index.html")
    assert hrefs(project) == ["../../aktivitet/stolegymnastik/"]
    # the activities of its front matter, as cards
    assert '<a class="as-card__link" href="../../aktivitet/gaaklub/">Gåklub ved medborgerhuset</a>' in project
    assert pelican_warnings() == []


def test_references_under_an_absolute_siteurl(content, tmp_path):
    build(content, tmp_path / "output", RELATIVE_URLS=False, SITEURL="https://kommune.example.dk/guide")
    assert hrefs(html(tmp_path / "output", "om/index.html"))[:2] == [
        "https://kommune.example.dk/guide/aktivitet/stolegymnastik/",
        "https://kommune.example.dk/guide/aktivitet/gaaklub/#tider",
    ]


def test_a_renamed_activity_stops_the_build_naming_file_line_and_slug(content, tmp_path):
    shutil.move(content / "activities" / "gaaklub.yaml", content / "activities" / "gaaklub-vejle-nord.yaml")
    with pytest.raises(ContentError) as raised:
        build(content, tmp_path / "output")
    problems = [(p.path.rsplit("/", 2)[-2:], p.line, p.field, p.message) for p in raised.value.problems]
    assert problems == [
        (
            ["pages", "om.md"],
            5,
            "(tekst)",
            "linket {aktivitet}gaaklub peger på en aktivitet, der ikke findes: der er ingen fil "
            "activities/gaaklub.yaml (er den omdøbt eller slettet? mente du 'gaaklub-vejle-nord'? "
            "skriv filnavnet uden .yaml)",
        ),
        (
            ["projects", "gaa-sammen.md"],
            7,
            "activities[0]",
            "'gaaklub' er ikke en aktivitet i guiden: der er ingen fil activities/gaaklub.yaml (er den "
            "omdøbt eller slettet? mente du 'gaaklub-vejle-nord'? skriv filnavnet uden .yaml)",
        ),
    ]
    assert str(raised.value).endswith("2 fejl i 2 filer")
    assert not (tmp_path / "output" / "om").exists()  # stopped before anything was written


@pytest.mark.parametrize(
    ("link", "message"),
    [
        (
            "{kategori}motionn",
            "linket {kategori}motionn peger på en kategori, der ikke findes: der er intet id 'motionn' i "
            "data/categories.yaml (mente du 'motion'? tilladt: dans, frivillig, gaa-og-natur,",
        ),
        (
            "{soegeord}svømning",
            "linket {soegeord}svømning peger på et søgeord, der ikke findes: der er intet id 'svømning' i "
            "data/search_words.yaml (mente du 'svoemning'? tilladt: braetspil, computer, cykling,",
        ),
        ("{aktivitet}", "linket {aktivitet} mangler et navn (fx {aktivitet}gaaklub-egtved)"),
    ],
)
def test_unknown_categories_and_search_words_stop_the_build(content, tmp_path, link, message):
    (content / "pages" / "om.md").write_text(f"Title: Om\nSlug: om\n\nSe [her]({link}).\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build(content, tmp_path / "output")
    [problem] = raised.value.problems
    assert (problem.line, problem.field) == (4, "(tekst)")
    assert problem.message.startswith(message)


# --- Pages that name a kind of activity link to it -------------------------------------------

MENTIONS = """\
Title: Om
Slug: om

Prøv stolegymnastik. Eller gå en tur med en gåklub: se [Gåture og natur]({kategori}gaa-og-natur).
"""


def test_the_check_fails_on_a_page_that_names_an_activity_type_without_a_link(content, tmp_path):
    (content / "pages" / "om.md").write_text(MENTIONS, encoding="utf-8")
    build(content, tmp_path / "output")
    problems = unlinked_mentions(tmp_path / "output", ["om/index.html"], Guide.read(content))
    # the category's page counts for the category ("Gåture og natur"), not for a kind a title names
    assert problems == [
        "om/index.html: nævner 'gåklub' (gåklub) uden at linke til en af aktiviteterne"
        " (fx {aktivitet}gaaklub)",
        "om/index.html: nævner 'stolegymnastik' (stolegymnastik) uden at linke til en af aktiviteterne"
        " (fx {aktivitet}stolegymnastik)",
    ]


def test_the_check_passes_when_the_page_links_them(content, tmp_path):
    linked = MENTIONS.replace("Prøv stolegymnastik.", "Prøv [stolegymnastik]({aktivitet}stolegymnastik).")
    linked = linked.replace("med en gåklub", "med [en gåklub]({aktivitet}gaaklub)")
    (content / "pages" / "om.md").write_text(linked, encoding="utf-8")
    build(content, tmp_path / "output")
    assert unlinked_mentions(tmp_path / "output", ["om/index.html"], Guide.read(content)) == []


def test_names_cards_and_topics_no_activity_uses_are_no_mentions(content, tmp_path):
    (content / "pages" / "om.md").write_text(
        "Title: Om\nSlug: om\n\nVi arbejder med Blå Kors mod ensomhed. Kirkens Korshær hjælper også.\n",
        encoding="utf-8",
    )
    choir = activity(
        **{"title: Gåklub ved medborgerhuset": "title: Seniorkoret", "area: vejle-nord": "area: jelling"}
    )
    (content / "activities" / "seniorkoret.yaml").write_text(choir, encoding="utf-8")
    build(content, tmp_path / "output")
    guide = Guide.read(content)
    # "Kors" is a name, not the choir's kor; no activity says "ensomhed" about itself
    assert unlinked_mentions(tmp_path / "output", ["om/index.html"], guide) == []
    # an activity's card quotes the activity: the project's card of the gåklub is no mention
    assert unlinked_mentions(tmp_path / "output", ["projekter/gaa-sammen/index.html"], guide) == []


def test_activity_types_come_from_the_data(content):
    guide = Guide.read(content)
    with word_forms(forms_of(guide.vocabularies)):
        kinds = {kind.name: kind for kind in activity_types(guide)}
    assert kinds["Motion og bevægelse"].listings == {"kategori/motion/"}
    assert kinds["Motion og bevægelse"].activities == {"gaaklub", "stolegymnastik"}
    assert kinds["Gåture og natur"].listings == {"kategori/gaa-og-natur/"}
    assert kinds["gåklub"].activities == {"gaaklub"} and not kinds["gåklub"].listings
    assert kinds["stolegymnastik"].activities == {"stolegymnastik"} and not kinds["stolegymnastik"].listings
    # search groups are named by the words their activities use: none here says "gåtur" or "motion"
    assert "gåtur" not in kinds and "motion" not in kinds
    assert "ensomhed" not in kinds  # a search group no activity here belongs to


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Stolegymnastik i Egtved", "Stolegymnastik"),
        ("Gåklub ved medborgerhuset", "Gåklub"),
        ("Sund mad i fællesskab, Randbøl", "mad"),
        ("Bliv besøgsven i Bredsten og Balle", "besøgsven"),
        ("Repair Cafe Vejle", "Repair"),
        ("IT-café i Jelling", "IT-café"),
        ("Aftenklubben – for voksne med handicap", "Aftenklubben"),
        ("Midtbyens Seniorkor", "Midtbyens"),  # a place: left out by the caller
    ],
)
def test_the_word_a_title_names_its_kind_by(title, kind):
    assert title_kind(title) == kind


# --- The real guide --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    output = tmp_path_factory.mktemp("links") / "output"
    build(CONTENT, output)
    return output


def content_pages() -> list[str]:
    """Every content page and project page of the guide, as paths in the built site."""
    pages = []
    for path in sorted((CONTENT / "pages").glob("*.md")):
        slug = re.search(r"^Slug: *(\S+)", path.read_text(encoding="utf-8"), re.M)
        pages.append(f"{slug[1] if slug else path.stem}/index.html")
    return pages + [
        f"projekter/{path.stem}/index.html" for path in sorted((CONTENT / "projects").glob("*.md"))
    ]


@pytest.mark.slow
def test_pages_and_projects_link_the_activities_they_name(real_site):
    pages = content_pages()
    assert "motion-65/index.html" in pages and len(pages) >= 20
    assert unlinked_mentions(real_site, pages, Guide.read(CONTENT)) == []


@pytest.mark.slow
def test_every_project_says_what_came_of_it(real_site):
    for path in sorted((CONTENT / "projects").glob("*.md")):
        page = html(real_site, f"projekter/{path.stem}/index.html")
        assert '<dt class="as-facts__label">Resultat</dt>' in page, path.name
        assert "sidst opdateret 2019" not in page, path.name  # the source's date is the source's
        assert "Siden er gennemgået" in page, path.name


@pytest.mark.slow
def test_the_help_page_names_roles_and_function_mailboxes_not_people(real_site):
    coordinators = load_vocabularies(CONTENT / "data").coordinators
    # a coordinator is a role: the name says what the person does, not who it is
    assert all("koordinator" in person.name.lower() for person in coordinators)
    source = (CONTENT / "pages" / "haand-i-ryggen.md").read_text(encoding="utf-8")
    page = html(real_site, "haand-i-ryggen/index.html")
    article = re.search(r"<article>.*</article>", page, re.S)[0]
    for text in (source, article):
        assert not is_example_name(text)  # no "Hanne Eksempel"
        emails = set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text))
        assert emails <= {person.email for person in coordinators}, emails
        assert all(not is_example_email(email) for email in emails)
        phones = {digits_of(number) for number in PHONE.findall(text)}
        assert phones <= {digits_of(person.phone) for person in coordinators}, phones
    names = re.findall(r'<p class="as-coordinators__name"><strong>(.*?)</strong>', article)
    assert names == [person.name for person in coordinators]
