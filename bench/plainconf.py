"""Plain Pelican settings for the reference build: Markdown pages, the default theme, no plugins."""

PATH = "content"
THEME = "simple"
ARTICLE_PATHS: list[str] = []
PAGE_PATHS = ["pages"]
DIRECT_TEMPLATES = ["index"]
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TIMEZONE = "Europe/Copenhagen"
DEFAULT_LANG = "da"
RELATIVE_URLS = True
DISPLAY_PAGES_ON_MENU = False  # the default lists every page on every page: O(n²), not a fair reference
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
