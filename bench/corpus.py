"""Synthetic but realistic activity corpora for the benchmarks (fixed seed, Danish vocabulary).

Every generated activity is validated by the real model, so the benchmark builds what editors
could have written. The same texts are also written as plain Markdown pages, so a plain Pelican
build of the same number of pages can serve as the reference.
"""

from __future__ import annotations

import functools
import random
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import yaml

from aktivsammen.loading import dump_activity, load_vocabularies
from aktivsammen.model import Activity

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

KINDS = {  # activity -> (categories, level), weighted by how common they are in guides like this
    "Gåklub": (["gaa-og-natur", "motion"], "let"), "Stavgang": (["gaa-og-natur", "motion"], "moderat"),
    "Seniorkor": (["sang-og-musik"], "siddende"), "Fællessang": (["sang-og-musik", "samvaer"], "siddende"),
    "Whist": (["kort-og-spil"], "siddende"), "Bridge": (["kort-og-spil"], "siddende"),
    "Petanque": (["motion", "samvaer"], "let"), "Krolf": (["motion"], "let"),
    "Stolegymnastik": (["motion", "sundhed-og-trivsel"], "siddende"), "Vandgymnastik": (["motion"], "moderat"),
    "Seniorfitness": (["motion"], "moderat"), "Yoga": (["motion", "sundhed-og-trivsel"], "let"),
    "Linedance": (["dans", "motion"], "moderat"), "Folkedans": (["dans"], "moderat"),
    "Strikkecafé": (["kreativ", "samvaer"], "siddende"), "Træværksted": (["kreativ"], "let"),
    "Repair café": (["reparation-og-genbrug", "samvaer"], "siddende"),
    "Fællesspisning": (["mad-og-maaltider", "samvaer"], "siddende"),
    "Madklub for mænd": (["mad-og-maaltider"], "let"), "Læsekreds": (["kultur-og-viden"], "siddende"),
    "Foredrag": (["kultur-og-viden"], "siddende"), "IT-café": (["it-og-teknologi"], "siddende"),
    "Demenscafé": (["samvaer", "sundhed-og-trivsel"], "siddende"),
    "Besøgsvenner": (["frivillig", "samvaer"], "let"), "Havefællesskab": (["gaa-og-natur", "frivillig"], "let"),
    "Cykelture": (["motion", "gaa-og-natur"], "moderat"), "Billard": (["kort-og-spil", "samvaer"], "let"),
    "Mandeværksted": (["reparation-og-genbrug", "kreativ"], "let"),
}  # fmt: skip
PLACES = ["Medborgerhuset", "Aktivitetscentret", "Forsamlingshuset", "Biblioteket", "Sognegården",
          "Idrætshallen", "Beboerhuset", "Kulturhuset", "Plejecentret", "Klubhuset", "Frivilligcentret"]  # fmt: skip
ORGANIZERS = ["Seniorforeningen", "Ældreklubben", "Idrætsforeningen", "Beboerforeningen", "Menighedsrådet",
              "Frivilligcentret", "Aktivitetscentret", "Pensionistforeningen", "Borgerforeningen"]  # fmt: skip
SENTENCES = [
    "Vi mødes {when} og starter med en kop kaffe.", "Alle kan være med, uanset form og alder.",
    "Det vigtigste er, at vi har det rart sammen.", "Du behøver ikke have prøvet det før.",
    "Vi tilpasser tempoet, så ingen bliver efterladt.", "Der er altid en frivillig, som tager imod dig.",
    "Mange kommer alene første gang, og det er helt fint.", "Bagefter spiser vi vores madpakker sammen.",
    "Tag behageligt tøj og gode sko på.", "Vi holder sommerpause i juli og starter igen i august.",
    "Holdet ledes af {leader}, som har mange års erfaring.", "Vi griner meget og lærer af hinanden.",
    "Du kan låne det udstyr, du skal bruge.", "Vi slutter af med en snak om ugens oplevelser.",
    "Har du spørgsmål, så ring gerne, før du kommer.", "Vi er mellem {count} og {more} deltagere hver gang.",
    "Der er elevator og handicaptoilet i huset.", "Kaffen koster {price} kroner, og kagen er gratis.",
    "Om vinteren holder vi til indenfor, om sommeren er vi ude.", "Vi har også en årlig udflugt sammen.",
    "Det er en god måde at møde nye mennesker i lokalområdet.", "Du kan prøve to gange, før du melder dig ind.",
]  # fmt: skip
FIRST_NAMES = ["Grethe", "Bent", "Inge", "Poul", "Aase", "Jørgen", "Kirsten", "Hans", "Lis", "Erik", "Birthe"]
SURNAMES = ["Eksempel", "Prøvesen", "Demosen", "Fiktivsen", "Testrup"]
DAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
AREA_WEIGHTS = {"vejle-midtby": 6, "vejle-nord": 5, "vejle-syd": 5, "vejle-oest": 4, "boerkop": 3, "jelling": 3,
                "give": 3, "egtved": 3}  # others 1  # fmt: skip


@functools.cache
def sentence_pool() -> list[str]:
    """Sentences from the real activity texts, so the corpus has a realistic Danish vocabulary."""
    pool = set()
    for path in sorted((CONTENT / "activities").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for text in (data.get("description"), data.get("first_visit"), data.get("transport")):
            flat = " ".join(re.sub(r"[*#>]|^- ", " ", text or "", flags=re.M).split())
            pool.update(s for s in re.split(r"(?<=[.!?])\s+", flat) if 20 < len(s) < 200 and "@" not in s)
    return sorted(pool)


def _schedule(rng: random.Random) -> list[dict]:
    hour = rng.choice([9, 9, 10, 10, 10, 13, 14, 14, 15, 18, 19])
    times = {
        "start": f"{hour:02d}:{rng.choice(['00', '30'])}",
        "end": f"{hour + rng.choice([1, 2, 3]):02d}:00",
    }
    kind = rng.choices(["ugentlig", "hver-anden-uge", "månedlig", "datoer"], [60, 15, 15, 10])[0]
    days = sorted(rng.sample(DAYS[:6], rng.choice([1, 1, 1, 2])), key=DAYS.index)
    if kind == "ugentlig":
        return [{"repeat": kind, "days": days, **times}]
    if kind == "hver-anden-uge":
        first = date(2026, 8, 31) + timedelta(days=DAYS.index(days[0]))
        return [{"repeat": kind, "days": days[:1], "first_date": first, **times}]
    if kind == "månedlig":
        return [
            {"repeat": kind, "days": days[:1], "weeks": [rng.choice(["første", "anden", "sidste"])], **times}
        ]
    start = date(2027, 1, 5) + timedelta(days=rng.randrange(120))
    return [
        {"repeat": kind, "dates": [start + timedelta(weeks=w) for w in range(rng.choice([1, 3, 6]))], **times}
    ]


def activity_data(number: int, rng: random.Random, vocabularies) -> dict:
    areas = [a.id for a in vocabularies.areas]
    area_id = rng.choices(areas, [AREA_WEIGHTS.get(a, 1) for a in areas])[0]
    area = vocabularies.terms("areas")[area_id]
    town = rng.choice(area.places)
    kind = rng.choice(list(KINDS))
    categories, level = KINDS[kind]
    leader = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
    schedule = _schedule(rng)
    when = "hver uge" if schedule[0]["repeat"] == "ugentlig" else "jævnligt"
    own = [s.format(when=when, leader=leader, count=rng.randint(6, 12), more=rng.randint(13, 30),
                    price=rng.choice([5, 10, 15])) for s in rng.sample(SENTENCES, 2)]  # fmt: skip
    borrowed = rng.sample(sentence_pool(), rng.randint(4, 8))
    middle = len(borrowed) // 2
    description = " ".join(own + borrowed[:middle]) + "\n\n" + " ".join(borrowed[middle:])
    data = {
        "title": f"{kind} i {town}" + (f" ({number})" if number % 7 == 0 else ""),
        "summary": f"{kind} for seniorer i {town}. {rng.choice(SENTENCES[1:6])}"[:160],
        "categories": categories,
        "area": area_id,
        "organizer": {"name": f"{rng.choice(ORGANIZERS)} {town}", "url": f"https://example.dk/{number}"},
        "contact": {"name": leader, "phone": f"+45 00 {number % 100:02d} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                    "email": f"kontakt{number}@example.dk"},
        "location": {"name": f"{rng.choice(PLACES)} i {town}", "address": f"Eksempelvej {rng.randint(1, 120)}",
                     "postcode": area.postcodes[0], "city": town},
        "schedule": schedule,
        "price": "gratis" if rng.random() < 0.45 else {"amount": rng.choice([10, 20, 25, 150, 300]),
                                                        "per": rng.choice(["gang", "sæson", "år"])},
        "target_groups": rng.sample(["seniorer", "alle-voksne", "handicap", "enlige"], rng.choice([1, 1, 2])),
        "accessibility": rng.sample([a.id for a in vocabularies.accessibility], rng.randint(0, 4)),
        "level": level,
        "newcomers_welcome": rng.random() < 0.9,
        "companion_welcome": rng.random() < 0.8,
        "first_visit": f"Spørg efter {leader.split()[0]} ved indgangen. Du må gerne komme alene.",
        "signup": {"required": rng.random() < 0.3},
        "verified": date(2026, 1, 1) + timedelta(days=rng.randrange(300)),
        "description": description,
    }  # fmt: skip
    if rng.random() < 0.4:
        data["season"] = {"from": date(2026, 9, 1), "until": date(2027, 5, 31)}
    return data


def write_site(folder: Path, count: int, seed: int = 2026) -> list[dict]:
    """A content folder with `count` generated activities and the real vocabularies and pages."""
    vocabularies = load_vocabularies(CONTENT / "data")
    rng = random.Random(seed)
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(CONTENT / "data", folder / "data")
    shutil.copytree(CONTENT / "pages", folder / "pages")
    shutil.copytree(CONTENT / "projects", folder / "projects")
    (folder / "activities").mkdir()
    activities = []
    for number in range(count):
        data = activity_data(number, rng, vocabularies)
        activity = Activity.model_validate(data, context={"vocabularies": vocabularies})
        (folder / "activities" / f"aktivitet-{number:05d}.yaml").write_text(
            dump_activity(activity), encoding="utf-8"
        )
        activities.append(data)
    return activities


def write_plain_site(folder: Path, activities: list[dict]) -> None:
    """The same texts as plain Pelican Markdown pages: the reference for build time and memory."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "pages").mkdir(parents=True)
    for number, data in enumerate(activities):
        body = "\n\n".join([data["summary"], data["description"], data["first_visit"]])
        header = yaml.safe_dump({"Title": data["title"]}, allow_unicode=True).strip()
        (folder / "pages" / f"side-{number:05d}.md").write_text(
            f"{header}\nSlug: side-{number:05d}\n\n{body}\n", encoding="utf-8"
        )
