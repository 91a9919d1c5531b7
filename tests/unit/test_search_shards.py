"""The search download in parts: a query fetches only the shards of its terms, and scores exactly
as over the whole index (run in node with the npm lunr the site ships: tests/js/search_shards.js)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from aktivsammen.loading import load_content
from aktivsammen.model import Activity
from aktivsammen.search import PARTS_FOLDER, Split, build_search_data, read_store
from bench.corpus import activity_data
from bench.run import QUERIES
from tests.conftest import CONTENT

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

# Typos, partly typed words, compounds, pairs, words the index lacks and stop words only.
MORE = ["kortspil", "svømme", "ensom", "computerhjælp", "strikning", "petank", "cykling", "mænd",
        "korsang", "stolgymnastik", "gymnastk", "fællesspisnig", "jeling", "bøger", "haven", "vinder",
        "ko", "syng", "synge", "dan", "whi", "aa", "og i", "", "xyzzy", "qqqqqqqqq", "gåtur jelling",
        "demenscafe", "linedanse", "it-hjælp", "besøgsvenner", "7100", "egtved petanque"]  # fmt: skip


def split_site(folder: Path, activities: list[tuple[str, Activity]], vocabularies, split: Split) -> Path:
    data = build_search_data(activities, vocabularies)
    head, parts = data.files(split)
    (folder / PARTS_FOLDER).mkdir(parents=True)
    for name, content in parts.items():
        (folder / PARTS_FOLDER / name).write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    target = folder / "soegedata.json"
    target.write_text(json.dumps(head, ensure_ascii=False), encoding="utf-8")
    return target


def run_node(head: Path, queries: list[str]) -> dict:
    queries_file = head.parent / "queries.json"
    queries_file.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run([NODE, str(ROOT / "tests/js/search_shards.js"), str(head), str(queries_file)],
                            capture_output=True, text=True, check=True, timeout=120)  # fmt: skip
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def corpus(vocabularies):
    """The guide's own activities and 600 generated ones (bench/corpus.py), as (slug, model)."""
    entries = load_content([CONTENT / "activities"], vocabularies).activities
    own = [(e.slug, e.activity) for e in entries if e.activity.status.value != "aflyst"]
    rng = random.Random(7)
    made = [
        (f"aktivitet-{n:05d}", Activity.model_validate(activity_data(n, rng, vocabularies),
                                                       context={"vocabularies": vocabularies}))
        for n in range(600)
    ]  # fmt: skip
    return own + made


@pytest.fixture(scope="module")
def sharded(corpus, vocabularies, tmp_path_factory):
    """Small shards and chunks, so that the corpus is cut in many."""
    split = Split(shard_bytes=3000, chunk_docs=25)
    head = split_site(tmp_path_factory.mktemp("search"), corpus, vocabularies, split)
    titles = sorted({word.lower() for _, a in corpus for word in a.title.split() if len(word) >= 4})
    queries = (
        QUERIES + MORE + titles[::3] + [t[:3] for t in titles[1::9]] + [t[:-1] + "x" for t in titles[2::9]]
    )
    return head, queries, run_node(head, queries)


def test_the_sharded_index_scores_every_query_as_the_whole_index(sharded):
    _, queries, out = sharded
    results = out["results"]
    assert len(results) == len(queries) >= 150
    mismatches = [(r["query"], r["sharded"], r["whole"]) for r in results if r["sharded"] != r["whole"]]
    assert mismatches == []  # the same documents with the same scores, to the last digit
    found = [r for r in results if r["whole"]]
    assert len(found) >= 0.8 * len(results)  # the queries really find things
    typos = {r["query"]: r for r in results}
    assert typos["whst"]["whole"] and typos["gymnastk"]["whole"]  # typo tolerance, on both sides
    assert typos[""]["whole"] is None and typos["og i"]["whole"] is None  # no text: no scores


def test_a_query_fetches_only_the_shards_of_its_terms(sharded):
    head, _, out = sharded
    total = len(json.loads(head.read_text(encoding="utf-8"))["index"]["shards"])
    assert total >= 30
    by_query = {r["query"]: r["fetched"] for r in out["results"]}
    assert by_query[""] == [] and by_query["og i"] == []
    assert 1 <= len(by_query["whist"]) <= 3
    typical = sorted(len(fetched) for fetched in by_query.values())
    assert typical[len(typical) // 2] <= total // 4  # the median query fetches a small part
    assert all(len(set(fetched)) == len(fetched) for fetched in by_query.values())  # each once


def test_store_chunks_give_the_rows_the_whole_store_has(sharded, corpus, vocabularies):
    _, _, out = sharded
    whole = read_store(build_search_data(corpus, vocabularies).as_json())
    for number, row in zip(out["numbers"], out["rows"], strict=True):
        assert row[: len(whole[number])] == whole[number]
        assert all(value is None for value in row[len(whole[number]) :])


def test_the_parts_add_up_to_the_whole_download(corpus, vocabularies):
    data = build_search_data(corpus[:120], vocabularies)
    head, parts = data.files(Split(shard_bytes=2000, chunk_docs=10))
    assert len(parts) == len(head["index"]["shards"]) + len(head["store"]["chunks"])
    assert all(name.split(".")[1] and len(name.split(".")[1]) == 10 for name in parts)  # content hash
    whole = data.as_json()
    assert read_store(whole) == [row[: len(row)] for row in data.docs]
    assert whole["index"]["postings"] == data.compact["postings"]
    assert "postings" not in head["index"] and head["docs"][whole["fields"].index("title")] is None
    assert head["docs"][whole["fields"].index("area")] == [row[4] for row in data.docs]  # facets in the head
