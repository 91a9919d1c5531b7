"""Malformed activity files: each gives one clear Danish message naming file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from aktivsammen.loading import load_activity
from aktivsammen.problems import WHOLE_FILE, ContentError
from tests.conftest import VALID_ACTIVITY


def replace(old: str, new: str):
    def change(text: str) -> bytes:
        assert old in text, f"test case does not match the valid file: {old!r}"
        return text.replace(old, new, 1).encode("utf-8")

    return change


def whole(content: bytes):
    return lambda text: content


# (id, change to the valid file, expected line, expected field, words the message must contain)
CASES = [
    (
        "yaml-syntax",
        replace("title: Gåklub ved medborgerhuset", "title: [Gåklub"),
        1,
        WHOLE_FILE,
        ["kan ikke læses: en liste i [ ] er ikke lukket rigtigt", "indrykning"],
    ),
    (
        "tab-indent",
        replace("  name: Nørremarkens", "\tname: Nørremarkens"),
        6,
        WHOLE_FILE,
        ["kan ikke læses: der er et tabulatortegn i indrykningen"],
    ),
    (
        "colon-in-value",
        replace("title: Gåklub ved medborgerhuset", "title: Gåklub: ved medborgerhuset"),
        1,
        WHOLE_FILE,
        ["kan ikke læses: der står et kolon midt i en værdi", "anførselstegn"],
    ),
    (
        "unclosed-quote",
        replace('start: "10:00"', 'start: "10:00'),
        20,
        WHOLE_FILE,
        ["kan ikke læses: et anførselstegn"],
    ),
    (
        "alias",
        replace("title: Gåklub ved medborgerhuset", "title: Gåklub ved medborgerhuset\nx: &t [a]\ny: *t"),
        2,
        WHOLE_FILE,
        ["henvisninger med & og *", "skriv værdien ud"],
    ),
    (
        "merge-key",
        replace("price: gratis", "price: gratis\nbase: &b {a: 1}\nmore: {<<: *b}"),
        27,
        WHOLE_FILE,
        ["henvisninger med & og *"],
    ),
    (
        "one-item-too-few",
        replace("categories: [gaa-og-natur, motion]", "categories: []"),
        3,
        "categories",
        ["skal have mindst 1 punkt"],
    ),
    ("empty-file", whole(b""), 1, WHOLE_FILE, ["filen er tom"]),
    ("only-comments", whole(b"# kommer senere\n"), 1, WHOLE_FILE, ["filen er tom"]),
    (
        "list-not-mapping",
        whole("- title: Gåklub\n- area: jelling\n".encode()),
        1,
        WHOLE_FILE,
        ["indeholder en liste", "nøgle: værdi"],
    ),
    ("scalar-not-mapping", whole("Gåklub i Jelling\n".encode()), 1, WHOLE_FILE, ["en enkelt værdi"]),
    (
        "not-utf8",
        lambda text: text.replace("Vi går", "Vi g\udce5r").encode("utf-8", "surrogateescape"),
        2,
        WHOLE_FILE,
        ["UTF-8", "0xe5"],
    ),
    (
        "unknown-key-typo",
        replace("title:", "titel:"),
        1,
        "titel",
        ["ukendt felt 'titel'", "mente du 'title'", "tilladte felter"],
    ),
    (
        "unknown-nested-key",
        replace("  address: Eksempelvej 40", "  adresse: Eksempelvej 40"),
        14,
        "location.adresse",
        ["ukendt felt 'adresse'", "mente du 'address'"],
    ),
    (
        "missing-required",
        replace("summary: Vi går 3-5 km i roligt tempo og drikker kaffe bagefter.\n", ""),
        1,
        "summary",
        ["mangler"],
    ),
    (
        "number-for-text",
        replace("title: Gåklub ved medborgerhuset", "title: 123"),
        1,
        "title",
        ["skal være tekst"],
    ),
    (
        "text-for-list",
        replace("categories: [gaa-og-natur, motion]", "categories: motion"),
        3,
        "categories",
        ["skal være en liste"],
    ),
    (
        "unknown-area",
        replace("area: vejle-nord", "area: vejle-nordd"),
        4,
        "area",
        ["'vejle-nordd' er ikke et kendt lokalområde", "mente du 'vejle-nord'", "boerkop"],
    ),
    (
        "unknown-category",
        replace("[gaa-og-natur, motion]", "[gaa-og-natur, svoemning]"),
        3,
        "categories[1]",
        ["'svoemning' er ikke en kendt kategori", "tilladt:"],
    ),
    (
        "repeated-category",
        replace("[gaa-og-natur, motion]", "[motion, motion]"),
        3,
        "categories",
        ["flere gange"],
    ),
    (
        "impossible-time",
        replace('start: "10:00"', 'start: "25:00"'),
        20,
        "schedule[0].start",
        ["'25:00' er ikke et gyldigt klokkeslæt", "TT:MM"],
    ),
    (
        "end-before-start",
        replace('end: "11:30"', 'end: "09:30"'),
        18,
        "schedule[0]",
        ["sluttid 09:30 ligger ikke efter starttid 10:00"],
    ),
    (
        "bad-email",
        replace("email: gaaklub@example.dk", "email: gaaklub(at)example"),
        11,
        "contact.email",
        ["ikke en gyldig e-mailadresse", "navn@example.dk"],
    ),
    (
        "bad-phone",
        replace('phone: "+45 00 00 00 00"', 'phone: "12 34"'),
        10,
        "contact.phone",
        ["ikke et gyldigt dansk telefonnummer", "8 cifre"],
    ),
    (
        "javascript-url",
        replace("url: https://example.dk/gaaklub", 'url: "javascript:alert(1)"'),
        7,
        "organizer.url",
        ["ikke en gyldig webadresse", "https://"],
    ),
    (
        "over-long-title",
        replace("title: Gåklub ved medborgerhuset", "title: " + "G" * 81),
        1,
        "title",
        ["for lang: 81 tegn", "højst 80"],
    ),
    (
        "over-long-summary",
        replace("summary: Vi går", "summary: " + "meget " * 30 + "Vi går"),
        2,
        "summary",
        ["for lang", "højst 160"],
    ),
    (
        "impossible-date",
        replace("verified: 2026-10-01", "verified: 2026-02-30"),
        34,
        "verified",
        ["gyldig dato", "ÅÅÅÅ-MM-DD"],
    ),
    (
        "verified-in-future",
        replace("verified: 2026-10-01", "verified: 2999-01-01"),
        34,
        "verified",
        ["ligger i fremtiden"],
    ),
    (
        "season-backwards",
        replace("until: 2027-05-31", "until: 2026-05-31"),
        22,
        "season",
        ["sæsonen slutter (2026-05-31) før den begynder (2026-09-01)"],
    ),
    (
        "unknown-repeat",
        replace("repeat: ugentlig", "repeat: weekly"),
        18,
        "schedule[0]",
        ["'weekly' er ikke en kendt gentagelse", "hver-anden-uge"],
    ),
    (
        "biweekly-without-first-date",
        replace("repeat: ugentlig", "repeat: hver-anden-uge"),
        18,
        "schedule[0].first_date",
        ["mangler"],
    ),
    (
        "biweekly-wrong-weekday",
        replace("repeat: ugentlig", "repeat: hver-anden-uge\n    first_date: 2026-09-02"),
        18,
        "schedule[0]",
        ["2026-09-02 er en onsdag", "tirsdag"],
    ),
    (
        "monthly-bad-week",
        replace("repeat: ugentlig", "repeat: månedlig\n    weeks: [femte]"),
        19,
        "schedule[0].weeks[0]",
        ["'femte' er ikke tilladt", "sidste"],
    ),
    (
        "repeated-key",
        replace("level: let", "level: let\nlevel: moderat"),
        29,
        "level",
        ["står mere end én gang"],
    ),
    (
        "bool-not-yes-no",
        replace("newcomers_welcome: true", "newcomers_welcome: måske"),
        29,
        "newcomers_welcome",
        ["true (ja) eller false (nej)"],
    ),
    ("price-as-number", replace("price: gratis", "price: 25"), 25, "price", ["gratis eller et beløb"]),
    (
        "price-unknown-per",
        replace("price: gratis", "price: {amount: 25, per: uge}"),
        25,
        "price.per",
        ["'uge' er ikke tilladt", "gang"],
    ),
    (
        "contact-unreachable",
        replace('  phone: "+45 00 00 00 00"\n  email: gaaklub@example.dk\n', ""),
        8,
        "contact",
        ["både telefon og e-mail"],
    ),
    ("bad-level", replace("level: let", "level: hard"), 28, "level", ["'hard' er ikke tilladt", "hård"]),
    (
        "bad-postcode",
        replace('postcode: "7100"', 'postcode: "71OO"'),
        15,
        "location.postcode",
        ["ikke et postnummer"],
    ),
]


@pytest.mark.parametrize(
    ("change", "line", "field", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_malformed_file_gives_one_clear_problem(tmp_path, vocabularies, change, line, field, words):
    path = tmp_path / "gaaklub.yaml"
    path.write_bytes(change(VALID_ACTIVITY))
    with pytest.raises(ContentError) as raised:
        load_activity(path, vocabularies, source="content/activities/gaaklub.yaml")
    problems = raised.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert (problem.path, problem.line, problem.field) == ("content/activities/gaaklub.yaml", line, field)
    for word in words:
        assert word in problem.message
    assert str(problem).startswith(f"content/activities/gaaklub.yaml:{line}: {field}: ")


def test_valid_file_loads(tmp_path, vocabularies):
    path = tmp_path / "gaaklub.yaml"
    path.write_text(VALID_ACTIVITY, encoding="utf-8")
    entry = load_activity(path, vocabularies)
    assert entry.slug == "gaaklub"
    assert entry.activity.schedule[0].start.isoformat() == "10:00:00"


def test_unquoted_times_and_numbers_are_read_as_text(tmp_path, vocabularies):
    # YAML 1.1 reads 10:00 as the number 600 and 0045... as octal; editors should not have to know.
    text = VALID_ACTIVITY.replace('"10:00"', "10:00").replace('"11:30"', "11:30").replace('"7100"', "7100")
    path = tmp_path / "gaaklub.yaml"
    path.write_text(text, encoding="utf-8")
    activity = load_activity(path, vocabularies).activity
    assert (activity.schedule[0].start.hour, activity.schedule[0].end.minute) == (10, 30)
    assert activity.location.postcode == "7100"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Gåklub.yaml", ["filnavnet 'Gåklub'", "små bogstaver"]),
        ("gaa klub.yaml", ["filnavnet 'gaa klub'"]),
        ("gaaklub.yml", ["skal ende på .yaml"]),
    ],
)
def test_bad_file_names(tmp_path, vocabularies, name, words):
    path = tmp_path / name
    path.write_text(VALID_ACTIVITY, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_activity(path, vocabularies, source=name)
    [problem] = raised.value.problems
    assert (problem.line, problem.field) == (1, WHOLE_FILE)
    for word in words:
        assert word in problem.message


def test_every_problem_in_a_file_is_reported_at_once(tmp_path, vocabularies):
    text = VALID_ACTIVITY.replace("area: vejle-nord", "area: x").replace("level: let", "level: y")
    path = Path(tmp_path / "gaaklub.yaml")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_activity(path, vocabularies, source="a.yaml")
    assert [(p.line, p.field) for p in raised.value.problems] == [(4, "area"), (28, "level")]
    assert str(raised.value).splitlines()[-1] == "2 fejl i 1 fil"


def test_a_top_level_key_named_like_a_schedule_kind_is_reported_not_crashed(tmp_path, vocabularies):
    """Found by fuzzing the submission service: the key was mistaken for pydantic's union tag."""
    path = tmp_path / "gaaklub.yaml"
    path.write_text(VALID_ACTIVITY + "månedlig: null\n", encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_activity(path, vocabularies)
    (problem,) = error.value.problems
    assert problem.field == "månedlig" and problem.message.startswith("ukendt felt 'månedlig'")


ENGLISH = ("found", "expected", "while", "scanning", "mapping", "could not", "character")


@pytest.mark.parametrize(
    "text",
    ["title: [a\n", "title: 'a\n", "a:\n\t- b\n", "a: b: c\n", "- a\nb: c\n", "a: @b\n", "a: *b\n",
     "a: {b\n", "a: \"\\q\"\n", "a: 1\n---\nb: 2\n", "? [a]\n: b\n", "a: &x\n"],
)  # fmt: skip
def test_yaml_errors_are_told_in_danish(tmp_path, vocabularies, text):
    path = tmp_path / "gaaklub.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_activity(path, vocabularies, source="gaaklub.yaml")
    for problem in raised.value.problems:
        assert not any(word in problem.message.lower() for word in ENGLISH), problem.message


def test_an_alias_bomb_is_refused_quickly_and_in_little_memory(tmp_path, vocabularies):
    """300 bytes that expand to 10^9 items for anything that walks them (validation, line lookup)."""
    import resource
    import time

    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 9)]
    path = tmp_path / "bombe.yaml"
    path.write_text(VALID_ACTIVITY + "\n".join(lines) + "\n", encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(ContentError) as raised:
        load_activity(path, vocabularies, source="bombe.yaml")
    assert time.monotonic() - started < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # kB: under 50 MB more
    (problem,) = raised.value.problems
    assert "henvisninger med & og *" in problem.message and problem.line == 37


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path, vocabularies):
    path = tmp_path / "stor.yaml"
    path.write_text(VALID_ACTIVITY + "# " + "x" * 300_000 + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_activity(path, vocabularies, source="stor.yaml")
    assert "filen er for stor" in raised.value.problems[0].message


@pytest.mark.parametrize("char", ["\r", "\x00", "\x1b", "\x85", "\u2028", "\x7f", "\t"])
@pytest.mark.parametrize(
    "line",
    ["title: Gåklub ved medborgerhuset", "  name: Nørremarkens Beboerforening", "  address: Eksempelvej 40",
     "  url: https://example.dk/gaaklub"],
)  # fmt: skip
def test_control_characters_are_refused_in_one_line_fields(tmp_path, vocabularies, char, line):
    escaped = char.encode("unicode_escape").decode().replace("\\x", "\\x")
    key, value = line.split(": ", 1)
    path = tmp_path / "gaaklub.yaml"
    changed = VALID_ACTIVITY.replace(line, f'{key}: "{value[:4]}{escaped}{value[4:]}"', 1)
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_activity(path, vocabularies, source="gaaklub.yaml")
    (problem,) = raised.value.problems
    assert problem.field.endswith(key.strip()) and problem.line > 0
    assert "styretegn" in problem.message or "på én linje" in problem.message


def test_texts_of_several_lines_keep_their_lines_but_not_control_characters(vocabularies):
    from aktivsammen.model import Activity

    record = {**__import__("yaml").safe_load(VALID_ACTIVITY), "description": "Første linje\r\nAnden linje"}
    assert Activity.model_validate(record, context={"vocabularies": vocabularies}).description == (
        "Første linje\nAnden linje"
    )
    for bad in ("Første\rAnden", "Første\x00", "Første\u2029Anden"):
        with pytest.raises(ValueError, match="styretegn"):
            Activity.model_validate({**record, "description": bad}, context={"vocabularies": vocabularies})
