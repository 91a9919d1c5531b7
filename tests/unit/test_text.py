"""Sanitised Markdown, Danish alphabetical order and phone numbers."""

import pytest

from aktivsammen.text import danish_sort_key, format_phone, index_letter, phone_href, render_markdown


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
