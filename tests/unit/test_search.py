"""The Danish search pipeline, short refs, the document store and the facets."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from lunr.index import Index
from lunr.token import Token

from aktivsammen.dates import upcoming
from aktivsammen.model import Activity
from aktivsammen.search import (
    DANISH_STOP_WORDS,
    DOC_FIELDS,
    INDEX_FIELDS,
    build_search_data,
    compact_index,
    facets,
    index_document,
    lunr_index,
    ref,
    stemmer,
    stop_word_filter,
    trimmer,
)
from tests.conftest import VALID_ACTIVITY


def run(function, word):
    result = function(Token(word))
    return None if result is None else str(result)


def test_trimmer_keeps_every_letter():
    # lunr.py's own Danish trimmer turns these into "oga", "hist", "kling" and "ved".
    for word in ("yoga", "whist", "cykling", "øvede", "qigong", "zumba", "café"):
        assert run(trimmer, word) == word
    assert run(trimmer, "«kor»,") == "kor"


def test_stop_words_and_stemming():
    assert run(stop_word_filter, "og") is None and "på" in DANISH_STOP_WORDS
    assert run(stop_word_filter, "kor") == "kor"
    assert run(stemmer, "gåture") == run(stemmer, "gåtur") == "gåtur"
    assert run(stemmer, "svømme") == "svøm"


def test_short_refs():
    assert [ref(n) for n in (0, 9, 10, 35, 36, 1295, 1296)] == ["0", "9", "a", "z", "10", "zz", "100"]


def activity(vocabularies, **changes):
    data = yaml.safe_load(VALID_ACTIVITY) | changes
    return Activity.model_validate(data, context={"vocabularies": vocabularies})


def test_store_and_index(vocabularies):
    whist = activity(
        vocabularies,
        title="Whist i Jelling",
        area="jelling",
        categories=["kort-og-spil"],
        price={"amount": 20, "per": "gang"},
        schedule=[{"repeat": "ugentlig", "days": ["onsdag"], "start": "19:00", "end": "22:00"}],
    )
    walk = activity(vocabularies, status="pause")
    today = date(2026, 12, 3)
    dates = {slug: upcoming(a, vocabularies, today) for slug, a in (("whist", whist), ("gaaklub", walk))}
    data = build_search_data([("whist", whist), ("gaaklub", walk)], vocabularies, upcoming=dates)
    assert data.as_json()["fields"] == DOC_FIELDS
    docs = [dict(zip(DOC_FIELDS, doc, strict=False)) for doc in data.docs]
    assert all("point" not in doc for doc in docs)  # neither place has coordinates: its area's centre
    # sorted A–Å, so ref 0 is the walking club
    assert [d["slug"] for d in docs] == ["gaaklub", "whist"]
    whist_doc = docs[1]
    assert whist_doc["when"] == "Hver onsdag kl. 19.00–22.00"
    assert whist_doc["where"] == "Medborgerhuset, Vejle"
    assert whist_doc["days"] == 1 << 2  # onsdag
    assert whist_doc["times"] == 1 << 2  # aften
    assert whist_doc["flags"] == 0b110  # not free; newcomers and companions welcome
    assert whist_doc["next"] == [["2026-12-09", "onsdag 9. december kl. 19.00–22.00"],
                                 ["2026-12-16", "onsdag 16. december kl. 19.00–22.00"]]  # fmt: skip
    assert docs[0]["next"] == "Holder pause. Ring og spørg, hvornår holdet begynder igen."
    assert data.facets["omraade"][whist_doc["area"]][0] == "jelling"
    assert docs[0]["flags"] & 1  # gratis
    documents = [index_document(a, vocabularies, 40) for a in (walk, whist)]
    index = Index.load(lunr_index(documents))
    assert [r["ref"] for r in index.search("whist")] == ["1"]
    assert [r["ref"] for r in index.search("gåture")] == ["0"]  # stemmed: gåtur
    assert [r["ref"] for r in index.search("jelling")] == ["1"]  # the area is indexed


def decode(compact):
    """Postings of the compact index as {term: {field: {doc: tf}}}."""
    decoded = {}
    for term, row in zip(compact["terms"], compact["postings"], strict=True):
        fields, i = {}, 0
        while i < len(row):
            field, count, doc = compact["fields"][row[i]], row[i + 1], 0
            i += 2
            docs = {}
            for _ in range(count):
                gap, tf = row[i], 1
                i += 1
                if gap < 0:
                    gap, tf = -gap - 1, row[i]
                    i += 1
                doc += gap
                docs[doc] = tf
            fields[field] = docs
        decoded[term] = fields
    return decoded


def test_compact_index_holds_lunr_postings_and_frequencies(vocabularies):
    texts = ["Kor og kor, og kor igen: seniorkor!", "Gåture i Jelling-søerne", "yoga – cykling; øvede"]
    documents = [
        {name: text for name, _ in INDEX_FIELDS} | {"title": f"Hold {n}"} for n, text in enumerate(texts)
    ]
    compact = compact_index(documents)
    reference = lunr_index(documents)
    decoded = decode(compact)
    assert compact["terms"] == [term for term, _ in reference["invertedIndex"]]
    for term, posting in reference["invertedIndex"]:
        for field, docs in posting.items():
            if field != "_index":
                assert sorted(decoded[term].get(field, {})) == sorted(int(d, 36) for d in docs), (term, field)
    assert decoded["kor"]["summary"] == {0: 3}  # "kor" three times in one field
    assert {"cykling", "yoga", "øved"} <= set(compact["terms"])


def test_facets_cover_every_vocabulary(vocabularies):
    groups = {facet.name: facet for facet in facets(vocabularies)}
    assert list(groups) == ["omraade", "dag", "tid", "vis", "kategori", "niveau", "tilg", "maal"]
    assert len(groups["omraade"].options) == len(vocabularies.areas)
    assert groups["omraade"].control == "select"
    assert groups["vis"].options[0] == ("gratis", "Gratis")


# --- What people call things (content/data/search_words.yaml) ----------------------------------


def test_word_forms_join_what_the_stemmer_keeps_apart_and_part_what_it_merges(vocabularies):
    from aktivsammen.search import analyse, forms_of, word_forms

    with word_forms(forms_of(vocabularies)):
        assert analyse("mænd manden mændene") == ["mand"] * 3  # a vowel change
        assert analyse("haven haver") == ["have", "have"] and analyse("havet") == ["hav"]  # garden, sea
        assert analyse("bøger") == ["bog"] and analyse("bøg") == ["bøg"]
        assert analyse("danser dans") == ["dans", "dans"]
    assert analyse("mænd") == ["mænd"]  # outside a build, the plain stemmer


def test_search_words_reach_the_activities_they_mean(vocabularies):
    from aktivsammen.search import forms_of, word_forms

    whist = activity(vocabularies, title="Whistklubben i Thyregod", categories=["kort-og-spil"])
    petanque = activity(vocabularies, title="Petanque i Gadbjerg", categories=["kort-og-spil", "motion"])
    it = activity(vocabularies, title="Hjælp på biblioteket", categories=["it-og-teknologi"])
    with word_forms(forms_of(vocabularies)):
        words = {name: index_document(a, vocabularies, 40)["keywords"].split()
                 for name, a in (("whist", whist), ("petanque", petanque), ("it", it))}  # fmt: skip
    assert "kortspil" in words["whist"] and "kortspil" not in words["petanque"]  # by what its text says
    assert "petank" in words["petanque"]
    assert {"computer", "tablet", "mobil"} <= set(words["it"])  # by its category


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("words: [kort spil]\n  means: [whist]\n", "ikke ét ord med små bogstaver"),
        ("words: [kort]\n  categories: [kortspil]\n", "'kortspil' er ikke en kendt kategori"),
        ("words: [kort]\n", "ordene peger ikke på noget"),
    ],
)  # fmt: skip
def test_bad_search_words_are_told_in_danish_with_file_and_line(tmp_path, entry, message):
    import shutil

    from aktivsammen.loading import load_vocabularies
    from aktivsammen.problems import ContentError
    from tests.conftest import CONTENT

    data = tmp_path / "data"
    shutil.copytree(CONTENT / "data", data)
    (data / "search_words.yaml").write_text("# ord\n- id: kort\n  label: kort\n  " + entry, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_vocabularies(data)
    (problem,) = raised.value.problems
    assert message in problem.message and problem.path.endswith("search_words.yaml") and problem.line >= 2
