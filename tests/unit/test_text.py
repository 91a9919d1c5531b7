"""Sanitised Markdown, Danish alphabetical order and phone numbers."""

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from aktivsammen import text
from aktivsammen.text import danish_sort_key, format_phone, index_letter, phone_href, render_markdown

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("<script>alert(1)</script>Hej", "<script"),
        ("[klik](javascript:alert(1))", "javascript:"),
        ('<img src=x onerror="alert(1)">', "onerror"),
        ('<a href="https://example.dk" onclick="x()">a</a>', "onclick"),
        ("<iframe src='https://example.dk'></iframe>", "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
        ("# Overskrift", "<h1"),
    ],
)
def test_markdown_is_sanitised(markdown, forbidden):
    assert forbidden not in render_markdown(markdown)


# Lines like what associations write, now and then with Markdown's special characters, or the
# whitespace and line starts it reads as markup: about half the texts take the shortcut.
_PLAIN = st.sampled_from(
    ["Vi", "går", "tur", "kl.", "10.00", "-", "æblekage", "Å", "(gratis)", "'x'", '"hej"', "1.", "50%",
     "é", "\xa0", "http://example.dk", "😀", "–", "!", "+", ">", "?"]
)  # fmt: skip
_MARKUP = st.sampled_from(
    ["*", "**", "_", "`", "[link](https://example.dk)", "<b>", "&amp;", "#", "\\", "|", "~", "=", "\t",
     "\r", "\x02"]
)  # fmt: skip
_PLAIN_LINES = st.builds(
    lambda first, words: " ".join([first, *words]),
    st.sampled_from(["Vi", "Kaffe", "Ældre", "é"]),
    st.lists(_PLAIN, max_size=8),
)
_ANY_LINES = st.builds(
    lambda first, words, end: " ".join([first, *words]) + end,
    st.sampled_from(["Vi", "", " ", "    ", "- ", "1.", ">", "#"]),
    st.lists(st.one_of(_PLAIN, _PLAIN, _MARKUP), max_size=8),
    st.sampled_from(["", " ", "  "]),
)
_TEXTS = st.one_of(
    st.lists(st.one_of(_PLAIN_LINES, st.just("")), max_size=8),
    st.lists(st.one_of(_PLAIN_LINES, _ANY_LINES, st.just("")), max_size=8),
).map("\n".join)


@settings(max_examples=1500, deadline=None)
@given(_TEXTS)
def test_plain_paragraphs_are_rendered_as_markdown_would(source):
    assert text._markdown_html(source) == text._markdown().reset().convert(source)


def test_the_shortcut_is_taken_for_plain_text_only():
    shortcut = text._PLAIN_TEXT.fullmatch
    assert shortcut("Vi går en tur.\nKaffe bagefter.\n\nGratis – også for nye.")
    for markup in ("Vi *går*", "- kaffe", "1. januar", "a  \nb", "    kode", "Titel\n===", "&amp;", "a\tb"):
        assert not shortcut(markup), markup
    # What the shipped descriptions and the synthetic benchmark corpus mostly are.
    descriptions = [
        yaml.safe_load(path.read_text(encoding="utf-8")).get("description") or ""
        for path in (ROOT / "content" / "activities").glob("*.yaml")
    ]
    assert sum(map(bool, map(shortcut, descriptions))) > len(descriptions) * 0.7
    for description in descriptions:
        assert text._markdown_html(description) == text._markdown().reset().convert(description)


def test_markdown_keeps_what_associations_need():
    html = render_markdown("Vi **går** og *snakker*.\n\n- kaffe\n- kage\n\n[Læs mere](https://example.dk)")
    assert "<strong>går</strong>" in html and "<em>snakker</em>" in html
    assert "<li>kaffe</li>" in html
    assert '<a href="https://example.dk" rel="noopener noreferrer">Læs mere</a>' in html


def test_danish_alphabetical_order():
    titles = ["Øvehold", "Zumba", "Aase-klubben", "Ældreklub", "Bridge", "Åben café", "Écarté"]
    assert sorted(titles, key=danish_sort_key) == [
        "Bridge",
        "Écarté",
        "Zumba",
        "Ældreklub",
        "Øvehold",
        "Åben café",
        "Aase-klubben",
    ]
    assert [index_letter(t) for t in ("Øvehold", "écarté", "3 x motion")] == ["Ø", "E", "#"]


@pytest.mark.parametrize(
    ("phone", "href", "shown"),
    [
        ("+45 76 81 00 00", "tel:+4576810000", "76 81 00 00"),
        ("76810000", "tel:+4576810000", "76 81 00 00"),
        ("0045 7681 0000", "tel:+4576810000", "76 81 00 00"),
    ],
)
def test_phone_numbers(phone, href, shown):
    assert phone_href(phone) == href
    assert format_phone(phone) == shown
