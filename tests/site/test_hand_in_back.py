"""A hand in the back: "Din første gang", Min liste, printed area overviews and the help box."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from tests.conftest import ROOT, VALID_ACTIVITY, build, write_content
from tests.site.links import broken_links
from tests.site.test_fixture_site import activity, html

TODAY = date(2026, 11, 22)


SPARSE = activity(
    **{
        "title: Gåklub ved medborgerhuset": "title: Kortklubben",
        '  name: Hanne Eksempel\n  phone: "+45 00 00 00 00"\n': "",
        "newcomers_welcome: true": "newcomers_welcome: false",
        "companion_welcome: true": "companion_welcome: false",
        "first_visit: Mød op ved hovedindgangen, Hanne tager imod.\n": "",
        "level: let": "level: hård",
        "  required: false": "  required: true",
    }
)
TWO_DAYS = activity(
    **{
        "title: Gåklub ved medborgerhuset": "title: Stolegymnastik i Jelling",
        "area: vejle-nord": "area: jelling",
        "days: [tirsdag]": "days: [torsdag, mandag]",
        "first_visit: Mød op": "transport: Bus 211 holder ved døren.\nfirst_visit: Mød op",
        "level: let": "level: siddende",
    }
)
MARKET = activity(
    **{
        "title: Gåklub ved medborgerhuset": "title: Julemarked i Jelling",
        "area: vejle-nord": "area: jelling",
        "  - repeat: ugentlig\n    days: [tirsdag]\n": '  - repeat: datoer\n    dates: ["2026-12-05"]\n',
        "  required: false": "  required: true",
    }
)
PAUSED = activity(
    **{
        "title: Gåklub ved medborgerhuset": "title: Sommerkoret",
        "area: vejle-nord": "area: jelling",
        "level: let": "level: let\nstatus: pause",
    }
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hand")
    files = {"gaaklub": VALID_ACTIVITY, "kortklubben": SPARSE, "stolegymnastik": TWO_DAYS,
             "julemarked": MARKET, "sommerkoret": PAUSED}  # fmt: skip
    content = write_content(root / "content", {f"{slug}.yaml": text for slug, text in files.items()})
    (content / "pages" / "haand-i-ryggen.md").write_text(
        "Title: Få en hånd i ryggen\nSlug: haand-i-ryggen\nCoordinators: true\n\nTekst.\n"
    )
    output = root / "output"
    build(content, output, ACTIVITIES_TODAY=TODAY)
    return output


def text_of(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


# --- Din første gang ---------------------------------------------------------------

QUESTIONS = [
    "Hvem tager imod dig?",
    "Må du komme alene?",
    "Må du tage en med?",
    "Kan du prøve, før du bestemmer dig?",
    "Hvordan kommer du derhen?",
    "Hvor fysisk krævende er det?",
]


def first_visit(page: str) -> str:
    return re.search(r'<section class="as-first-visit".*?</section>', page, re.S)[0]


@pytest.mark.parametrize("slug", ["gaaklub", "kortklubben", "stolegymnastik", "julemarked", "sommerkoret"])
def test_every_activity_answers_the_same_questions_in_the_same_order(site, slug):
    section = first_visit(html(site, f"aktivitet/{slug}/index.html"))
    questions = re.findall(r'<dt class="as-first-visit__question">.*?<span>(.*?)</span></dt>', section)
    assert questions == QUESTIONS
    assert len(re.findall(r"<dd[^>]*><p>\S", section)) == len(QUESTIONS)  # no answer is empty


def test_answers_from_the_association(site):
    section = text_of(first_visit(html(site, "aktivitet/stolegymnastik/index.html")))
    assert "Mød op ved hovedindgangen, Hanne tager imod." in section
    assert "Ja. Nye er velkomne, og du må gerne komme alene." in section
    assert "Ja, du må gerne tage en med, fx en ven, en pårørende eller en følgeven." in section
    assert "Ja. Du behøver ikke tilmelde dig, så du kan bare komme og se" in section
    assert "Bus 211 holder ved døren." in section
    assert "Foregår siddende." in section


def test_missing_answers_point_to_the_contact(site):
    section = first_visit(html(site, "aktivitet/kortklubben/index.html"))
    words = text_of(section)
    assert (
        "Foreningen har ikke skrevet, hvordan de tager imod nye. "
        "Du er velkommen til at skrive til kontaktpersonen på gaaklub@example.dk"
    ) in words
    assert "Holdet tager ikke nye ind lige nu." in words
    assert "Der er ikke plads til at tage en med." in words
    assert "Ikke lige nu, da holdet ikke tager nye ind." in words
    assert "Foreningen har ikke skrevet om bus og parkering. Adressen er Eksempelvej 40, 7100 Vejle." in words
    assert "Hård: du bliver forpustet og svedig." in words
    assert '<a href="mailto:gaaklub@example.dk">' in section


def test_signup_required_says_so_in_the_first_visit(site):
    market = html(site, "aktivitet/julemarked/index.html")
    assert "Du skal tilmelde dig, før du kommer." in text_of(first_visit(market))
    page = html(site, "aktivitet/gaaklub/index.html")
    assert "Ja. Du behøver ikke tilmelde dig" in text_of(first_visit(page))
    # the facts keep the schedule, place and price; level and transport moved to the section
    facts = re.search(r'<dl class="as-facts">.*?</dl>', page, re.S)[0]
    assert "Let: roligt tempo" not in facts


# --- Filters and the list button on listings ---------------------------------------


LISTINGS = ["aktiviteter/index.html", "omraade/jelling/index.html", "kategori/motion/index.html"]


@pytest.mark.parametrize("path", LISTINGS)
def test_listings_filter_by_level_newcomers_and_companions(site, path):
    page = html(site, path)
    assert 'name="niveau" value="siddende"' in page
    assert 'name="vis" value="nye"' in page and 'name="vis" value="ledsager"' in page
    cards = re.findall(r'<li class="as-card" data-slug="([a-z-]+)"[^>]*data-f-niveau="([a-zå]+)"', page)
    assert cards and len(cards) == page.count('<li class="as-card"')  # every card has both


def test_activity_page_has_the_list_button_for_scripts_only(site):
    page = html(site, "aktivitet/gaaklub/index.html")
    actions = re.search(r'<div class="as-actions as-js-only">.*?</div>\s*</div>', page, re.S)[0]
    assert 'data-module="as-mylist-add" data-slug="gaaklub"' in actions
    assert (
        '<button class="as-button as-button--secondary as-mylist-toggle" type="button" data-mylist-toggle>'
        "Føj til min liste</button>"
    ) in actions
    assert 'role="status"' in actions
    assert 'id="foelgeskab-titel"' in page


def test_the_companion_request_form_is_in_the_companion_box_only_with_a_service(make_site, tmp_path):
    whist = activity(**{"title: Gåklub ved": "title: Whist ved"})
    content = make_site(activities={"gaaklub.yaml": VALID_ACTIVITY, "whist.yaml": whist})
    build(content, tmp_path / "local")  # the local settings: the service on the same site
    page = html(tmp_path / "local", "aktivitet/gaaklub/index.html")
    # The empty form is made once per build; each page's form names its own activity.
    other = html(tmp_path / "local", "aktivitet/whist/index.html")
    assert '<input type="hidden" name="activity" value="whist">' in other
    assert 'value="gaaklub"' not in other and "[[aktivitet]]" not in other + page
    box = re.search(r'<aside class="as-hand" aria-labelledby="foelgeskab-titel">.*?</aside>', page, re.S)[0]
    form = re.search(r'<form class="as-form as-companion__form".*?</form>', box, re.S)[0]
    assert 'action="/foelgeskab/send"' in form and 'data-api="/api"' in form
    assert '<input type="hidden" name="activity" value="gaaklub">' in form
    assert "sletter dem så" in form  # the privacy text, in plain Danish, next to the button
    assert '<a href="../../privatliv/">Læs mere om dine oplysninger</a>' in form
    assert "js/companion-form.js" in page
    build(content, tmp_path / "remote", SUBMISSION_SERVICE_URL="https://indsend.example.dk")
    remote = html(tmp_path / "remote", "aktivitet/gaaklub/index.html")
    assert 'action="https://indsend.example.dk/foelgeskab/send"' in remote
    assert 'data-api="https://indsend.example.dk/api"' in remote
    build(content, tmp_path / "none", SUBMISSION_SERVICE_URL=None)  # no service: phone and e-mail only
    bare = html(tmp_path / "none", "aktivitet/gaaklub/index.html")
    assert "foelgeskab/send" not in bare and "companion-form.js" not in bare
    assert 'id="foelgeskab-titel"' in bare


# --- Min liste -------------------------------------------------------------------


def test_list_page_and_a_record_per_activity(site):
    page = html(site, "min-liste/index.html")
    assert "<h1>Min liste</h1>" in page
    assert "Min liste virker kun, når JavaScript er slået til" in page  # as-no-js
    assert "Din liste er tom" in page and 'Tryk på knappen "Føj til min liste"' in page
    assert 'data-data-url="../aktivitet/{slug}/data.json"' in page
    assert '<script src="../theme/js/qrcode.js" defer></script>' in page
    assert (site / "theme" / "js" / "qrcode.js").read_bytes() == (
        ROOT / "node_modules" / "qrcode-generator" / "dist" / "qrcode.js"
    ).read_bytes()
    record = json.loads(html(site, "aktivitet/gaaklub/data.json"))
    assert record["address"] == "https://aktivsammen.vejle.dk/aktivitet/gaaklub/"
    assert record["when"][0] == "Hver tirsdag kl. 10.00–11.30"
    assert json.loads(html(site, "aktivitet/sommerkoret/data.json"))["notice"] == "Holder pause lige nu"
    assert "min-liste" not in html(site, "sitemap.xml")  # nothing there for search engines
    assert "Disallow: /min-liste/" in html(site, "robots.txt")
    # the menu links to it (for scripts only: the list lives in the browser)
    menu = '<li class="as-js-only"><a href="./min-liste/">Min liste<span data-mylist-count></span></a></li>'
    assert menu in html(site, "index.html")


# --- The week of an area on paper --------------------------------------------------


def test_area_overview_runs_monday_to_sunday_with_dates_after(site):
    page = html(site, "omraade/jelling/udskrift/index.html")
    days = re.findall(r'<h2 class="as-area-print__weekday" id="[a-z]+">(.*?)</h2>', page)
    assert days == ["Mandag", "Torsdag", "På bestemte datoer"]
    monday, thursday, dated = re.split(r'<h2 class="as-area-print__weekday"', page)[1:]
    assert "Stolegymnastik i Jelling" in monday and "Hver mandag kl. 10.00–11.30" in monday
    assert "Hver torsdag kl. 10.00–11.30<br>Se mere under Mandag." in thursday  # short the second time
    assert "Julemarked i Jelling" in dated and "Lørdag 5. december kl. 10.00–11.30" in dated
    assert "Sommerkoret" not in page  # paused
    assert 'data-qr="https://aktivsammen.vejle.dk/aktivitet/stolegymnastik/"' in page
    assert "Se mere: aktivsammen.vejle.dk/aktivitet/stolegymnastik/" in page
    assert "Opdateret 22. november 2026." in page
    assert (
        "Ring til Fællesskabskoordinatoren for landområderne på 76 81 00 00" in page
    )  # the area's coordinator, on paper
    assert 'href="../../omraade/jelling/udskrift/">Udskriv ugeoversigten for Jelling</a>' in html(
        site, "omraade/jelling/index.html"
    )


def test_an_area_without_activities_says_whom_to_call(site):
    page = html(site, "omraade/vonge/udskrift/index.html")
    assert "Der er ingen aktiviteter i Vonge i guiden lige nu." in page


def test_no_broken_links(site):
    assert broken_links(site) == []


# --- The same help on every page (WCAG 3.2.6) --------------------------------------

HELP = re.compile(r"</main>\s*(<div class=\"as-width as-help\">.*?</div>)\s*<footer", re.S)


def test_the_help_box_is_identical_and_in_the_same_place_on_every_page(site):
    boxes = {}
    for path in sorted(site.rglob("*.html")):
        page = path.read_text(encoding="utf-8")
        match = HELP.search(page)
        assert match, f"{path}: no help box between </main> and <footer>"
        # relative links differ with the page's depth; the rest must be the same
        boxes[str(path.relative_to(site))] = re.sub(r'href="(\.\./|\./)+', 'href="/', match[1])
        assert page.count('class="as-width as-help"') == 1
    assert len(set(boxes.values())) == 1, set(boxes.values())
    box = text_of(next(iter(boxes.values())))
    assert box == (
        "Brug for en hånd? En fællesskabskoordinator kan tale med dig om, hvad du har lyst til, og "
        "hjælpe dig af sted – også med en følgeven første gang. Ring til Fællesskabskoordinatorerne på "
        "76 81 00 00 Mandag-torsdag kl. 9-15, fredag kl. 9-12 Eller skriv til faellesskab@vejle.dk "
        "Læs om at få en hånd i ryggen"
    )


def test_the_help_box_comes_from_the_coordinators_file(make_site, tmp_path):
    content = make_site(activities={"gaaklub.yaml": VALID_ACTIVITY})
    path = content / "data" / "coordinators.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "hours: Mandag-torsdag kl. 9-15, fredag kl. 9-12", "hours: Hver dag kl. 8-20"
        ),
        encoding="utf-8",
    )
    build(content, tmp_path / "output")
    for page in ("index.html", "aktivitet/gaaklub/index.html", "min-liste/index.html"):
        assert "Hver dag kl. 8-20" in HELP.search(html(tmp_path / "output", page))[1]


def test_the_page_about_help_lists_every_coordinator_from_the_data(site):
    page = html(site, "haand-i-ryggen/index.html")
    section = text_of(re.search(r'<section class="as-coordinators".*?</section>', page, re.S)[0])
    assert "Fællesskabskoordinatoren for Vejle by Sundhed og Forebyggelse, Vejle Kommune" in section
    assert "For dig, der bor i Vejle Midtby, Vejle Nord, Vejle Syd eller Vejle Øst." in section
    assert "Ring på 76 81 00 00 (mandag-torsdag kl. 9-15, fredag kl. 9-12)" in section
