"""Pelican settings for the local build: relative URLs, so the output works from any folder."""

from datetime import date

AUTHOR = "Vejle Kommune"
SITENAME = "AktivSammen"
SITESUBTITLE = "Aktiviteter og fællesskaber for dig over 60 i Vejle Kommune"
SITEURL = ""
RELATIVE_URLS = True

# The municipality running this copy of the guide: another municipality changes these, the
# coordinators in content/data/coordinators.yaml, and the colours in one file (THEME_VARIABLES_FILE).
MUNICIPALITY_NAME = "Vejle Kommune"
MUNICIPALITY_URL = "https://www.vejle.dk"
SITELOGO = None  # e.g. "images/logo.svg" under content/ (add "images" to STATIC_PATHS); None: name only
THEME_VARIABLES_FILE = (
    None  # e.g. "branding/variables.css": a copy of themes/aktivsammen/styles/variables.css
)
# The public address of the site, printed on paper handouts (a printed page needs a full address).
SITE_ADDRESS = "https://aktivsammen.vejle.dk"

PATH = "content"
TIMEZONE = "Europe/Copenhagen"
DEFAULT_LANG = "da"
LOCALE = ("da_DK.UTF-8", "C.UTF-8")
THEME = "themes/aktivsammen"

PLUGIN_PATHS = ["."]  # the plugins are the package plugins/ in the project
# sitemap last: it lists what the others wrote.
PLUGINS = [
    "plugins.activities",
    "plugins.projects",
    # {aktivitet}slug, {kategori}id, {soegeord}id and {site}path links in content, checked and
    # resolved for any folder: after the plugins that read activities and projects.
    "plugins.site_links",
    "plugins.search_index",
    "plugins.handouts",
    "plugins.calendars",
    "plugins.events",
    "plugins.open_data",
    "plugins.openactive",  # OpenActive feeds and dataset site under /openactive/
    "plugins.theme_assets",
    "plugins.component_gallery",
    "plugins.submission_form",
    "plugins.sitemap",
]
COMPONENT_GALLERY = True  # /komponenter/ for maintainers; off in publishconf.py
# The OpenActive feeds (plugins/openactive) were first published in this month: a page for every
# day since then, for consumers polling the last page of an earlier build.
OPENACTIVE_SINCE = date(2026, 12, 1)

# Content folders: the guide has no blog articles. Activities and projects are read by the
# plugins above; only Markdown pages go through Pelican's own page generator.
ARTICLE_PATHS: list[str] = []
PAGE_PATHS = ["pages"]
STATIC_PATHS: list[str] = []
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DIRECT_TEMPLATES = ["index", "404"]
INDEX_SAVE_AS = "index.html"
# Pelican names this setting after the template; it is not a valid identifier, hence globals().
globals()["404_SAVE_AS"] = "404.html"

# Nothing of Pelican's blog machinery is published.
for _kind in ("CATEGORY", "TAG", "AUTHOR", "ARCHIVES", "YEAR_ARCHIVE", "MONTH_ARCHIVE", "DAY_ARCHIVE"):
    globals()[f"{_kind}_SAVE_AS"] = ""
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# The municipality's event calendar (iCalendar), read at each build: a path or an https:// URL.
# The sample file stands in until the real feed's address is set; only events tagged for the
# guide's readers are shown.
SAMPLE_EVENTS_FEED = "content/data/eventkalender-eksempel.ics"
EVENTS_FEED = SAMPLE_EVENTS_FEED  # publishconf.py never publishes the sample
EVENTS_CATEGORIES = ["Seniorer", "60+", "Handicap"]

DELETE_OUTPUT_DIRECTORY = True
# Pelican does not escape template values by default. Associations' text is untrusted, so
# everything is escaped; only HTML that went through nh3 (page.content) is marked | safe.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
MARKDOWN = {
    "extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.sane_lists": {}},
    "output_format": "html5",
}
