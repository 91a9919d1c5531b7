"""Text helpers: Markdown made safe, Danish alphabetical order, phone numbers."""

from __future__ import annotations

import re
import threading
import unicodedata

import markdown
import nh3

# Associations' descriptions: paragraphs, lists, emphasis and links. Headings are left out
# so a description cannot break the page's heading order; their text stays as plain text.
DESCRIPTION_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "a", "blockquote"}
# Editors' project texts may also use sub-headings.
PROJECT_TAGS = DESCRIPTION_TAGS | {"h2", "h3"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


_local = threading.local()

_DANISH_LETTERS_AS_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue"})


def slugify(text: str) -> str:
    """A web address part from Danish text: "Gåklub i Jelling" -> "gaaklub-i-jelling"."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_DANISH_LETTERS_AS_ASCII))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _markdown() -> markdown.Markdown:
    """This thread's Markdown converter: setting one up costs as much as converting a text."""
    converter = getattr(_local, "markdown", None)
    if converter is None:
        converter = _local.markdown = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    return converter


# Most texts are plain paragraphs. When every line starts with a letter, ends without a space
# and has none of *_`[]<>&#\|~= or control characters, Markdown can read nothing in it as markup,
# and its output is just the paragraphs, each in <p>: made directly, that skips most of the time a
# build spends reading an activity. tests/unit/test_text.py holds the two ways the same.
_PLAIN_LINE = r"(?:[^\W\d_][^*_`\[\]<>&#\\|~=\x00-\x1f\x7f]*(?<! ))?"
_PLAIN_TEXT = re.compile(rf"{_PLAIN_LINE}(?:\n{_PLAIN_LINE})*")
_BLANK_LINES = re.compile(r"\n{2,}")


def _markdown_html(text: str) -> str:
    if _PLAIN_TEXT.fullmatch(text):
        paragraphs = _BLANK_LINES.split(text.strip("\n"))
        return "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs if paragraph)
    return _markdown().reset().convert(text)


def render_markdown(text: str, *, tags: set[str] = DESCRIPTION_TAGS) -> str:
    """Markdown -> HTML that is safe to put on a page, whoever wrote the text."""
    html = _markdown_html(text)
    return nh3.clean(
        html,
        tags=tags,
        attributes={"a": {"href"}},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


# Danish alphabetical order puts æ, ø and å after z; other accents sort as their base letter.
_DANISH_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}", "ä": "{", "ö": "|", "ü": "y"})
DANISH_LETTERS = [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "Æ", "Ø", "Å"]


def _strip_accents(text: str) -> str:
    keep = "æøåäöü"
    return "".join(char if char in keep else unicodedata.normalize("NFKD", char)[0] for char in text)


def danish_sort_key(text: str) -> str:
    """Key that sorts text as a Danish reader expects (Aase after Zenia, like Åse)."""
    lowered = _strip_accents(text.casefold().strip())
    lowered = re.sub(r"^aa", "å", lowered)
    return lowered.translate(_DANISH_ORDER)


def index_letter(text: str) -> str:
    """The letter a title is listed under in the A–Å index; digits and signs under '#'."""
    key = danish_sort_key(text)
    first = key[:1].translate(str.maketrans({"{": "Æ", "|": "Ø", "}": "Å"})).upper()
    return first if first in DANISH_LETTERS else "#"


def phone_href(phone: str) -> str:
    """A tel: link that old phones dial correctly: +45 and digits only."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("0045"):
        digits = digits[4:]
    elif digits.startswith("45") and len(digits) == 10:
        digits = digits[2:]
    return f"tel:+45{digits}"


def format_phone(phone: str) -> str:
    """Danish phone numbers in pairs: 76 81 00 00."""
    href = phone_href(phone)
    digits = href.removeprefix("tel:+45")
    return " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))
