"""What seniors type finds what they mean: a relevance set run in Chromium on the real built site.

Each case gives a query, the activities that must come first (in any order among themselves),
and activities that must not show at all. The words people use live in
content/data/search_words.yaml; these cases hold the general behaviour (everyday words, forms
of a word, compounds either way, no typo winning over a known word, no prefix noise).
"""

from __future__ import annotations

import pytest

from tests.browser.test_search import search

CARD_CLUBS = [
    "Bridgeklubben Syd",
    "Bridgeklubben i Vonge",
    "Whistklubben i Thyregod",
    "Whistklubben på Løget Høj",
]
WATER = ["Vandgymnastik for seniorer i Give", "Vandgymnastik i varmtvandsbassin"]
IT = ["IT-café i Bredballe", "IT-café i Jelling", "IT-hjælp til seniorer på biblioteket"]
CHOIRS = ["Seniorkoret i Jelling", "Midtbyens Seniorkor"]
KNITTING = ["Strik og snak i Give", "Strikkecaféen i Nørremarken"]
DANCE = ["Dansedag for seniorer i Bredballe", "Linedance for seniorer i Spinderihallerne", "Folkedans i Vandel",
         "Seniordans i Børkop"]  # fmt: skip
MEN = ["Mandeværkstedet i Børkop", "Mandefællesskabet i Søndermarken", "Mændenes morgenmad i Bredsten"]
WIDOWS = ["Netværk for enker og enkemænd", "Netværk for nyligt enker og enkemænd i Egtved"]
PETANQUE = ["Petanque i Gadbjerg", "Petanque i Søndermarken"]

CASES = [
    # (query, must come first, must not be found)
    ("kortspil", CARD_CLUBS, ["Petanque i Gadbjerg"]),  # the front page suggests this word
    ("kort", CARD_CLUBS, []),
    ("kortklub", CARD_CLUBS, []),  # a compound the texts never use: its parts
    ("svømning", WATER, ["Bridgeklubben i Vonge"]),  # no typo turning it into "stemning"
    ("svømme", WATER, []),
    ("svømmehal", WATER, []),
    ("ensom", [*WIDOWS, "Mandefællesskabet i Søndermarken"], ["Whistklubben i Thyregod"]),
    ("ensomhed", [*WIDOWS, "Mandefællesskabet i Søndermarken", "Bliv besøgsven i Bredsten og Balle"], []),
    ("computerhjælp", IT, []),
    ("tablet", IT, []),
    ("mobil", IT, []),
    ("strikning", KNITTING, ["Akvarelholdet i Østbyen"]),
    ("strikke", KNITTING, []),
    ("petank", PETANQUE, ["Krolf i Randbøl"]),  # as it is said
    ("cykling", ["Vind i Håret - cykelture i Vandel"], []),
    ("kor", CHOIRS, [*CARD_CLUBS, "Folkedans i Vandel"]),  # "kor" is no prefix of "korte" or "kortspil"
    ("korsang", CHOIRS, []),
    ("dans", DANCE, CHOIRS),  # "dans" is not "danske"
    ("mænd", MEN, []),  # a vowel change the stemmer does not know
    ("mand", MEN, []),
    ("synge", [*CHOIRS, "Syng på tværs i Give"], []),
    ("haven", ["Generationshaven i Give"], ["Gåklubben ved Fjorden, Børkop"]),  # a garden is no sea
    ("gymnastik", ["Stolegymnastik i Aktivitetscentret Nord", "Stolegymnastik i Egtved", *WATER], []),
    ("whist jelling", ["Whistklubben i Thyregod", "Whistklubben på Løget Høj"], []),
]


@pytest.mark.parametrize(("query", "first", "never"), CASES, ids=[case[0] for case in CASES])
def test_everyday_words_find_what_people_mean(page, base_url, query, first, never):
    _, titles = search(page, base_url, "?q=" + query.replace(" ", "+"))
    assert sorted(titles[: len(first)]) == sorted(first), titles[:8]
    assert not set(never) & set(titles), titles


def test_ties_are_broken_the_same_way_every_time(page, base_url):
    assert search(page, base_url, "?q=kortspil") == search(page, base_url, "?q=kortspil")


def test_a_misspelt_word_searches_the_nearest_word_and_says_so(page, base_url):
    status, titles = search(page, base_url, "?q=svmning")
    assert sorted(titles[:2]) == sorted(WATER)
    assert status == "2 aktiviteter for \u201dsvømning\u201d (du skrev \u201dsvmning\u201d)"


def test_nothing_found_offers_the_topics_and_the_coordinator(page, base_url):
    status, titles = search(page, base_url, "?q=xqzwv")
    assert titles == [] and status == "Ingen aktiviteter fundet"
    assert page.get_by_role("link", name="se alle emner").is_visible()
    assert page.get_by_role("button", name="Fjern søgeordene").is_visible()
