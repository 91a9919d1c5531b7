"""Paper handouts: an area's week, Monday to Sunday, and the record "Min liste" shows."""

from datetime import date

import yaml

from aktivsammen.dates import upcoming
from aktivsammen.handout import dated_entries, describe_dates, list_record, week_program
from aktivsammen.model import Activity, Weekday
from tests.conftest import VALID_ACTIVITY


def make(vocabularies, **changes) -> Activity:
    data = yaml.safe_load(VALID_ACTIVITY)
    data.update(changes)
    return Activity.model_validate(data, context={"vocabularies": vocabularies})


WEEKLY = {"repeat": "ugentlig", "start": "10:00", "end": "11:30"}
ADDRESS = "https://aktivsammen.vejle.dk/aktivitet/gaaklub/"


def weekly(days, **more):
    return [{**WEEKLY, "days": days, **more}]


def test_the_week_runs_monday_to_sunday_and_a_two_day_activity_is_under_both(vocabularies):
    items = [
        ("gaa", make(vocabularies, title="Gåtur", schedule=weekly(["torsdag", "mandag"]))),
        ("kor", make(vocabularies, title="Kor", schedule=weekly(["søndag"], start="9:00"))),
        ("whist", make(vocabularies, title="Whist", schedule=weekly(["mandag"], start="9:00"))),
    ]
    week = week_program(items)
    assert [day for day, _ in week] == [Weekday.MANDAG, Weekday.TORSDAG, Weekday.SOENDAG]
    monday = week[0][1]
    assert [entry.slug for entry in monday] == ["whist", "gaa"]  # by start time
    assert monday[1].when == "Hver mandag kl. 10.00–11.30"
    thursday = week[1][1]
    assert thursday[0].when == "Hver torsdag kl. 10.00–11.30"
    # described in full on Monday; Thursday refers back to it
    assert monday[1].described_on is None and thursday[0].described_on is Weekday.MANDAG


def test_two_teams_on_one_day_are_one_block_with_both_times(vocabularies):
    schedule = [
        {**WEEKLY, "days": ["mandag"], "start": "11:15", "end": "12:30", "note": "Øvede"},
        {**WEEKLY, "days": ["mandag"], "note": "Begyndere"},
    ]
    [(_, [entry])] = week_program([("dans", make(vocabularies, schedule=schedule))])
    assert entry.times == ["Hver mandag kl. 10.00–11.30 (Begyndere)", "Hver mandag kl. 11.15–12.30 (Øvede)"]


def test_monthly_and_biweekly_keep_their_rhythm_on_the_day(vocabularies):
    schedule = [
        {"repeat": "månedlig", "days": ["tirsdag"], "weeks": ["sidste"], "start": "16:00"},
        {
            "repeat": "hver-anden-uge",
            "days": ["onsdag", "fredag"],
            "first_date": "2026-09-02",
            "start": "14:00",
        },
    ]
    week = dict(week_program([("x", make(vocabularies, schedule=schedule))]))
    assert week[Weekday.TIRSDAG][0].when == "Sidste tirsdag i måneden fra kl. 16.00"
    assert week[Weekday.FREDAG][0].when == "Hver anden fredag fra kl. 14.00"


def test_paused_activities_and_one_off_dates_stay_out_of_the_week(vocabularies):
    dates = [{"repeat": "datoer", "dates": ["2026-12-05", "2026-11-01", "2026-12-12"], "start": "19:00"}]
    items = [
        ("pause", make(vocabularies, status="pause")),
        ("marked", make(vocabularies, title="Julemarked", schedule=dates)),
    ]
    assert week_program(items) == []
    [entry] = dated_entries(items, today=date(2026, 11, 22))
    assert entry.slug == "marked" and entry.dates == [date(2026, 12, 5), date(2026, 12, 12)]
    assert entry.when == "Lørdag 5. december og lørdag 12. december fra kl. 19.00"
    assert dated_entries(items, today=date(2027, 1, 1)) == []


def test_many_dates_are_cut_short():
    days = [date(2026, 12, d) for d in (1, 2, 3, 4, 5)]
    assert describe_dates(days, limit=2) == "Tirsdag 1. december og onsdag 2. december (og flere datoer)"


def test_list_record_has_what_when_where_and_whom_to_ask(vocabularies):
    activity = make(vocabularies, closed={"months": ["december"]})
    dates = upcoming(activity, vocabularies, date(2026, 11, 24))
    record = list_record("gaaklub", activity, ADDRESS, vocabularies, over=False, upcoming=dates)
    assert record == {
        "slug": "gaaklub",
        "address": ADDRESS,
        "title": "Gåklub ved medborgerhuset",
        "summary": "Vi går 3-5 km i roligt tempo og drikker kaffe bagefter.",
        "area": "Vejle Nord",
        "when": ["Hver tirsdag kl. 10.00–11.30", "Fra 1. september 2026 til 31. maj 2027."],
        "where": ["Medborgerhuset", "Eksempelvej 40", "7100 Vejle"],
        "organizer": "Nørremarkens Beboerforening",
        "contact": {"name": "Hanne Eksempel", "phone": "00 00 00 00", "tel": "tel:+4500000000",
                    "email": "gaaklub@example.dk"},
        "notice": None,
        "dates": {  # as on its page: the next five (the list drops those past by the reader's day)
            "next": [["2026-11-24", "tirsdag 24. november kl. 10.00–11.30"],
                     ["2027-01-05", "tirsdag 5. januar kl. 10.00–11.30"],
                     ["2027-01-12", "tirsdag 12. januar kl. 10.00–11.30"],
                     ["2027-01-19", "tirsdag 19. januar kl. 10.00–11.30"],
                     ["2027-01-26", "tirsdag 26. januar kl. 10.00–11.30"]],
            "pause": None, "closures": "Ingen møder i december.", "call_first": None, "course": None,
        },
    }  # fmt: skip
    paused = list_record("x", make(vocabularies, status="pause"), "", vocabularies, over=False)
    assert paused["notice"] == "Holder pause lige nu"
    over = list_record("x", make(vocabularies), "", vocabularies, over=True, upcoming=dates)
    assert over["notice"] == "Slut for denne gang" and over["dates"] is None
