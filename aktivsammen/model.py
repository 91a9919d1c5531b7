"""The guide's domain model: activities, projects and vocabularies, defined once."""

from __future__ import annotations

import datetime as _datetime
import difflib
import functools
import re
from datetime import date, datetime, time
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .text import slugify


def invalid(message: str, **context: Any) -> PydanticCustomError:
    """Build a validation error whose message is already plain Danish."""
    return PydanticCustomError("aktivsammen", message, context)


class Record(BaseModel):
    """Base of every record: unknown keys are errors, text is trimmed and never empty."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        str_min_length=1,
        populate_by_name=True,
    )


def ask(
    label: str, help: str | None = None, example: Any = None, *, fold: str | None = None, **constraints: Any
) -> Any:
    """A field's Danish label, help text and example: the submission form is generated from these.

    `fold` is a yes/no question for a field most associations skip: the form shows the question,
    and the field opens under it (it is open whenever it has an answer)."""
    extra: dict[str, Any] = {"examples": [example]} if example is not None else {}
    if fold:
        extra["json_schema_extra"] = {"x-fold": fold}
    return Field(title=label, description=help, **extra, **constraints)


def labelled(labels: dict[str, str]) -> dict[str, Any]:
    """JSON Schema extra for a choice: the Danish label of each value (read by the form)."""
    return {"x-labels": labels}


# --- Simple value types -------------------------------------------------------

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_PHONE_PREFIX = re.compile(r"^(?:\+45|0045)")
_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})$")


# Control characters never belong in the guide's texts: a lone CR splits a calendar line, NUL
# reaches HTML and ICS, and e-mail headers refuse them. Line breaks include Unicode's own.
_LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def has_control(value: str, *, newlines: bool = False) -> bool:
    """Whether a text holds a control character (besides \\n, when the text may have several lines)."""
    return bool((_CONTROL_BUT_NEWLINE if newlines else _CONTROL).search(value))


def _check_plain(value: str, *, newlines: bool = False) -> str:
    found = (_CONTROL_BUT_NEWLINE if newlines else _CONTROL).search(value)
    if found:
        raise invalid(
            "indeholder et usynligt styretegn (U+{code}); skriv teksten igen uden det",
            code=f"{ord(found[0]):04X}",
        )
    return value


def _check_single_line(value: str) -> str:
    if _LINE_BREAK.search(value):
        raise invalid("skal stå på én linje (fjern linjeskift)")
    return _check_plain(value)


def _check_lines(value: str) -> str:
    """A text of several lines: Windows line ends become plain ones; a lone CR is refused."""
    return _check_plain(value.replace("\r\n", "\n"), newlines=True)


def _check_slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise invalid(
            "'{value}' er ikke et gyldigt id (brug små bogstaver a-z, tal og bindestreg, fx vejle-nord)",
            value=value,
        )
    return value


def is_email(value: str) -> bool:
    """An e-mail address as the guide accepts one (also the companion form's, submit/companion.py)."""
    return bool(_EMAIL.fullmatch(value))


def is_danish_phone(value: str) -> bool:
    """Eight digits, spaces and dashes allowed, optionally +45 or 0045 first."""
    digits = _PHONE_PREFIX.sub("", value.replace(" ", "").replace("-", ""))
    return digits.isdigit() and len(digits) == 8


def _check_email(value: str) -> str:
    if not is_email(value):
        raise invalid("'{value}' er ikke en gyldig e-mailadresse (skriv fx navn@example.dk)", value=value)
    return value


def _check_phone(value: str) -> str:
    if not is_danish_phone(value):
        raise invalid(
            "'{value}' er ikke et gyldigt dansk telefonnummer (8 cifre, evt. med +45, fx 75 00 00 00)",
            value=value,
        )
    return value


def _check_url(value: str) -> str:
    _check_plain(value)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        raise invalid(
            "'{value}' er ikke en gyldig webadresse (skal begynde med https:// eller http://)",
            value=value,
        )
    return value


def _check_postcode(value: str) -> str:
    if not (value.isdigit() and len(value) == 4):
        raise invalid("'{value}' er ikke et postnummer (4 cifre, fx 7100)", value=value)
    return value


def _number_as_text(value: Any) -> Any:
    """YAML reads an unquoted 7100 as a number; postcodes and phone numbers are text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _parse_clock(value: Any) -> Any:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        match = _CLOCK.match(value.strip())
        if match:
            hours, minutes = int(match[1]), int(match[2])
            if hours < 24 and minutes < 60:
                return time(hours, minutes)
    raise invalid(
        "'{value}' er ikke et gyldigt klokkeslæt (skriv TT:MM mellem 00:00 og 23:59, fx 10:00)",
        value=value,
    )


COPENHAGEN = ZoneInfo("Europe/Copenhagen")  # the guide's time: in pages, e-mails and the CLI


def danish_today() -> date:
    """Today in Denmark: a server on UTC is still on yesterday until 01.00 (02.00 in summer)."""
    return datetime.now(COPENHAGEN).date()


def _check_not_future(value: date) -> date:
    if value > danish_today():
        raise invalid(
            "{value} ligger i fremtiden (skriv den dato, hvor oplysningerne sidst blev bekræftet)",
            value=value.isoformat(),
        )
    return value


def _text(max_length: int, *, single_line: bool = False) -> Any:
    """A trimmed, non-empty text field of limited length."""
    check = _check_single_line if single_line else _check_lines
    return Annotated[str, Field(max_length=max_length), AfterValidator(check)]


Slug = Annotated[
    str, AfterValidator(_check_slug), WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN})
]
Email = Annotated[
    str,
    Field(max_length=254),
    AfterValidator(_check_email),
    WithJsonSchema({"type": "string", "format": "email", "maxLength": 254}),
]
Phone = Annotated[
    str,
    BeforeValidator(_number_as_text),
    Field(max_length=20),
    AfterValidator(_check_phone),
    WithJsonSchema({"type": "string", "pattern": r"^(\+45|0045)?[ \d-]{8,15}$", "maxLength": 20}),
]
Url = Annotated[
    str,
    Field(max_length=500),
    AfterValidator(_check_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://", "maxLength": 500}),
]
Postcode = Annotated[
    str,
    BeforeValidator(_number_as_text),
    AfterValidator(_check_postcode),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}$"}),
]
ClockTime = Annotated[
    time,
    BeforeValidator(_parse_clock),
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^([01]?\d|2[0-3])[:.][0-5]\d$", "examples": ["10:00"]}),
]
# Denmark's bounding box, roughly: a point outside it is a typo (longitude and latitude swapped ...).
LATITUDES, LONGITUDES = (54.5, 57.8), (8.0, 15.2)


def _geo_point(value: Any) -> Any:
    """[55.709, 9.535] -> (55.709, 9.535): a place as latitude and longitude, in Denmark."""
    if isinstance(value, (list, tuple)) and len(value) == 2:
        latitude, longitude = value
        numbers = all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in value)
        if (
            numbers
            and LATITUDES[0] <= latitude <= LATITUDES[1]
            and LONGITUDES[0] <= longitude <= LONGITUDES[1]
        ):
            return (float(latitude), float(longitude))
    raise invalid(
        "'{value}' er ikke et sted i Danmark (skriv [breddegrad, længdegrad], fx [55.709, 9.535])",
        value=value,
    )


GeoPoint = Annotated[
    tuple[float, float],
    BeforeValidator(_geo_point),
    PlainSerializer(list, return_type=list),
    WithJsonSchema(
        {
            "type": "array",
            "items": {"type": "number"},
            "minItems": 2,
            "maxItems": 2,
            "examples": [[55.709, 9.535]],
        }
    ),
]
Title = _text(80, single_line=True)
Name = _text(120, single_line=True)
Summary = _text(160, single_line=True)
Note = _text(600)
Markdown = _text(6000)
ProjectSummary = _text(300, single_line=True)


# --- Vocabularies -------------------------------------------------------------

# What an id of each vocabulary is, with its Danish article, for error messages.
VOCABULARY_NOUNS = {
    "areas": "et kendt lokalområde",
    "categories": "en kendt kategori",
    "target_groups": "en kendt målgruppe",
    "accessibility": "en kendt tilgængelighedsoplysning",
    "coordinators": "en kendt fællesskabskoordinator",
    "periods": "en kendt ferie eller periode",
}


class Term(Record):
    """One entry of a controlled vocabulary: a stable id and its Danish label."""

    id: Slug
    label: Name
    description: Note | None = None


class Area(Term):
    """A local area of the municipality, with the postcodes and places it covers, and its centre:
    where "Tæt på" measures from when someone names the area, a place in it or its postcode, and
    where its activities are when their own place has no coordinates."""

    postcodes: list[Postcode] = Field(min_length=1)
    places: list[Name] = []
    centre: GeoPoint


class Coordinator(Record):
    """A community coordinator ("fællesskabskoordinator") citizens can call for a hand."""

    id: Slug
    name: Name
    title: Name
    phone: Phone
    email: Email
    hours: Name
    areas: list[Slug] = []


_DAY_MONTH = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?$")


def _day_month(value: Any) -> Any:
    """ "24.12" -> (12, 24): a day of every year, written the Danish way."""
    if isinstance(value, str) and (match := _DAY_MONTH.match(value.strip())):
        day, month = int(match[1]), int(match[2])
        try:
            date(2024, month, day)  # a leap year: 29.2 is a day of some years
        except ValueError:
            pass
        else:
            return (month, day)
    raise invalid("'{value}' er ikke en dag i året (skriv dag.måned, fx 24.12)", value=value)


DayOfYear = Annotated[
    tuple[int, int],
    BeforeValidator(_day_month),
    PlainSerializer(lambda value: f"{value[1]}.{value[0]}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}\.\d{1,2}\.?$", "examples": ["24.12"]}),
]


class DateRange(Record):
    """From one date to another, both days included."""

    _what: ClassVar[str] = "perioden"
    from_: date = ask("Fra dato", example="2026-12-20", alias="from")
    until: date = ask("Til og med dato", example="2027-01-06")

    @model_validator(mode="after")
    def _ordered(self) -> Any:
        if self.until < self.from_:
            raise invalid(
                "{what} slutter ({until}) før den begynder ({start}) (until skal være efter from)",
                what=self._what,
                until=self.until.isoformat(),
                start=self.from_.isoformat(),
            )
        return self

    def __contains__(self, day: date) -> bool:
        return self.from_ <= day <= self.until


class EveryYear(Record):
    """The same days every year, e.g. from 24.12 to 1.1 (over the new year)."""

    from_: DayOfYear = Field(alias="from")
    until: DayOfYear

    def __contains__(self, day: date) -> bool:
        key = (day.month, day.day)
        if self.from_ <= self.until:
            return self.from_ <= key <= self.until
        return key >= self.from_ or key <= self.until  # over the turn of the year


class Period(Term):
    """A named time of year, defined once for the municipality: a school holiday, "mellem jul og nytår".

    Activities name it (closed.periods) instead of writing its dates, which change every year.
    """

    dates: list[DateRange] = []  # school holidays: their dates, one range per school year
    every_year: EveryYear | None = None  # the same days every year

    @model_validator(mode="after")
    def _some_days(self) -> Period:
        if not self.dates and self.every_year is None:
            raise invalid("perioden har ingen datoer (skriv dates eller every_year)")
        return self

    def __contains__(self, day: date) -> bool:
        return any(day in span for span in self.dates) or (
            self.every_year is not None and day in self.every_year
        )

    def known_until(self) -> date | None:
        """The last day its dates are known for (None: every year)."""
        if self.every_year is not None:
            return None
        return max(span.until for span in self.dates)


def _check_search_word(value: str) -> str:
    if not re.fullmatch(r"[a-zæøåéü0-9]+", value):
        raise invalid(
            "'{value}' er ikke ét ord med små bogstaver (skriv fx kortspil; uden mellemrum og tegn)",
            value=value,
        )
    return value


SearchWord = Annotated[str, AfterValidator(_check_search_word)]


class SearchWords(Term):
    """What people type, and what they mean by it (content/data/search_words.yaml): the search
    finds an activity by these words when its text has one of `means` or it is in one of
    `categories`. With `one_word: true` the words are forms of one word ("mand", "mænd"), and
    the search treats them as the same, which the Danish stemmer does not do by itself."""

    words: Annotated[list[SearchWord], Field(min_length=1)]
    means: list[SearchWord] = []
    categories: list[Slug] = []
    one_word: bool = False

    @model_validator(mode="after")
    def _some_meaning(self) -> SearchWords:
        if not (self.means or self.categories or self.one_word):
            raise invalid("ordene peger ikke på noget (skriv means, categories eller one_word: true)")
        return self


class Vocabularies(BaseModel):
    """All controlled vocabularies, read from content/data/*.yaml."""

    model_config = ConfigDict(frozen=True)

    areas: list[Area]
    categories: list[Term]
    target_groups: list[Term]
    accessibility: list[Term]
    coordinators: list[Coordinator]
    periods: list[Period] = []  # optional: a guide without named periods has no periods.yaml
    search_words: list[SearchWords] = []  # optional: words people search with

    def terms(self, kind: str) -> dict[str, Any]:
        """Map id -> entry for one vocabulary, in file order (shared: do not change it)."""
        return self._term_maps[kind]

    def label(self, kind: str, term_id: str) -> str:
        return self._labels[kind][term_id]

    # id -> entry and id -> label per vocabulary, made on first use: validation and the
    # templates look up terms for every activity, and the model is frozen, so they never go
    # stale. Cached properties live in the instance's __dict__, where a lookup is plain
    # attribute access (a pydantic private attribute goes through BaseModel.__getattr__).
    @functools.cached_property
    def _term_maps(self) -> dict[str, dict[str, Any]]:
        return {kind: {item.id: item for item in getattr(self, kind)} for kind in type(self).model_fields}

    @functools.cached_property
    def _labels(self) -> dict[str, dict[str, str]]:
        return {
            kind: {
                term_id: item.name if isinstance(item, Coordinator) else item.label
                for term_id, item in terms.items()
            }
            for kind, terms in self._term_maps.items()
        }

    def coordinator_for(self, area_id: str) -> Coordinator | None:
        """The coordinator covering an area, else the first one (the general line)."""
        for coordinator in self.coordinators:
            if area_id in coordinator.areas:
                return coordinator
        return self.coordinators[0] if self.coordinators else None


def _vocabulary_ref(kind: str) -> Any:
    """A field whose value must be an id in the named vocabulary (given as validation context)."""

    def check(value: str, info: ValidationInfo) -> str:
        vocabularies = (info.context or {}).get("vocabularies")
        if vocabularies is None:
            raise RuntimeError("validate activities with context={'vocabularies': ...}")
        known = vocabularies.terms(kind)
        if value not in known:
            close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
            hint = f"mente du '{close[0]}'? " if close else ""
            raise invalid(
                "'{value}' er ikke {noun} ({hint}tilladt: {allowed})",
                value=value,
                noun=VOCABULARY_NOUNS[kind],
                hint=hint,
                allowed=", ".join(known),
            )
        return value

    schema = {"type": "string", "x-vocabulary": kind}
    return Annotated[str, AfterValidator(check), WithJsonSchema(schema)]


AreaId = _vocabulary_ref("areas")
CategoryId = _vocabulary_ref("categories")
TargetGroupId = _vocabulary_ref("target_groups")
AccessibilityId = _vocabulary_ref("accessibility")
PeriodId = _vocabulary_ref("periods")


# --- Schedules ----------------------------------------------------------------


class Weekday(StrEnum):
    """A day of the week, in Danish."""

    MANDAG = "mandag"
    TIRSDAG = "tirsdag"
    ONSDAG = "onsdag"
    TORSDAG = "torsdag"
    FREDAG = "fredag"
    LOERDAG = "lørdag"
    SOENDAG = "søndag"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def number(self) -> int:
        """Monday is 0, as in date.weekday()."""
        return _WEEKDAY_NUMBERS[self]


class WeekOfMonth(StrEnum):
    """Which of a month's weekdays: the first, second ... or last."""

    FOERSTE = "første"
    ANDEN = "anden"
    TREDJE = "tredje"
    FJERDE = "fjerde"
    SIDSTE = "sidste"

    @property
    def label(self) -> str:
        return f"{self.value.capitalize()} i måneden"

    @property
    def number(self) -> int:
        """1-4 for the nth weekday of the month, -1 for the last one (as in RRULE BYDAY)."""
        return -1 if self is WeekOfMonth.SIDSTE else _WEEK_NUMBERS[self]


# Looked up for every slot on every page: an enum's list(...).index() is slow in a loop.
_WEEKDAY_NUMBERS = {day: number for number, day in enumerate(Weekday)}
_WEEK_NUMBERS = {week: number for number, week in enumerate(WeekOfMonth, start=1)}


def _unique(values: list[Any]) -> list[Any]:
    if len(set(values)) != len(values):
        raise invalid("det samme står flere gange i listen (skriv hver værdi én gang)")
    return values


Unique = AfterValidator(_unique)


Days = Annotated[list[Weekday], Field(min_length=1, max_length=7), Unique]
SlotNote = Annotated[str, Field(max_length=120), AfterValidator(_check_single_line)] | None


class _Timed(Record):
    """Something with a start and maybe an end time: a slot, a special date."""

    @model_validator(mode="after")
    def _end_after_start(self) -> Any:
        if self.end is not None and self.end <= self.start:
            raise invalid(
                "sluttid {end} ligger ikke efter starttid {start} "
                "(sluttiden skal være senere end starttiden)",
                end=self.end.strftime("%H:%M"),
                start=self.start.strftime("%H:%M"),
            )
        return self


class _Slot(_Timed):
    """Checks shared by every kind of time slot (each kind declares its own fields, in file order)."""

    def meets_on_weekday(self, day: date) -> bool:
        return day.weekday() in {weekday.number for weekday in self.days}


class WeeklySlot(_Slot):
    """Every week on the given days: "hver tirsdag"."""

    repeat: Literal["ugentlig"]
    days: Days = ask("Ugedage")
    start: ClockTime = ask("Fra klokken", example="10:00")
    end: ClockTime | None = ask("Til klokken", "Valgfri.", "12:00", default=None)
    note: SlotNote = ask("Bemærkning til tiden", "Valgfri.", "Ikke i skolernes ferier", default=None)


class BiweeklySlot(_Slot):
    """Every other week on the given days, in step with first_date: "hver anden onsdag"."""

    repeat: Literal["hver-anden-uge"]
    days: Days = ask("Ugedage")
    first_date: date = ask("En dato, hvor I mødes", "Den bestemmer, hvilke uger det er.", "2026-12-03")
    start: ClockTime = ask("Fra klokken", example="10:00")
    end: ClockTime | None = ask("Til klokken", "Valgfri.", "12:00", default=None)
    note: SlotNote = ask("Bemærkning til tiden", "Valgfri.", "Ikke i skolernes ferier", default=None)

    @model_validator(mode="after")
    def _first_date_on_a_meeting_day(self) -> BiweeklySlot:
        return _first_date_is_a_meeting_day(self)


def _first_date_is_a_meeting_day(slot: Any) -> Any:
    weekday = list(Weekday)[slot.first_date.weekday()]
    if weekday not in slot.days:
        raise invalid(
            "first_date {value} er en {weekday}, men holdet mødes {days} (vælg en dato på en mødedag)",
            value=slot.first_date.isoformat(),
            weekday=weekday.value,
            days=" og ".join(slot.days),
        )
    return slot


class MonthlySlot(_Slot):
    """Given weeks of each month: "første mandag i måneden", "sidste tirsdag i måneden"."""

    repeat: Literal["månedlig"]
    days: Days = ask("Ugedage")
    weeks: Annotated[list[WeekOfMonth], Field(min_length=1, max_length=5), Unique] = ask(
        "Hvilke uger i måneden"
    )
    start: ClockTime = ask("Fra klokken", example="10:00")
    end: ClockTime | None = ask("Til klokken", "Valgfri.", "12:00", default=None)
    note: SlotNote = ask("Bemærkning til tiden", "Valgfri.", "Ikke i skolernes ferier", default=None)


class DatesSlot(_Slot):
    """One-off dates: a single event or a short run of meetings."""

    repeat: Literal["datoer"]
    dates: Annotated[list[date], Field(min_length=1, max_length=60), Unique] = ask(
        "Datoer", "Skriv datoerne adskilt af komma.", "2026-12-03, 2026-12-10"
    )
    start: ClockTime = ask("Fra klokken", example="10:00")
    end: ClockTime | None = ask("Til klokken", "Valgfri.", "12:00", default=None)
    note: SlotNote = ask("Bemærkning til tiden", "Valgfri.", "Ikke i skolernes ferier", default=None)


class CourseSlot(_Slot):
    """A course: a fixed number of meetings, every week or every other week, from its first date
    ("8 gange fra 12. januar").

    Closures are skipped and do not count: the course still has all its meetings.
    """

    repeat: Literal["forløb"]
    days: Days = ask("Ugedage")
    first_date: date = ask("Første gang", example="2027-01-12")
    sessions: int = ask("Antal gange", example=8, ge=2, le=60)
    interval_weeks: int = ask(
        "Hvor mange uger mellem gangene", "1: hver uge, 2: hver anden uge.", 1, ge=1, le=2, default=1
    )
    start: ClockTime = ask("Fra klokken", example="10:00")
    end: ClockTime | None = ask("Til klokken", "Valgfri.", "12:00", default=None)
    note: SlotNote = ask("Bemærkning til tiden", "Valgfri.", "Tilmelding til hele forløbet", default=None)

    @model_validator(mode="after")
    def _first_date_on_a_meeting_day(self) -> CourseSlot:
        return _first_date_is_a_meeting_day(self)


Slot = Annotated[
    WeeklySlot | BiweeklySlot | MonthlySlot | DatesSlot | CourseSlot, Field(discriminator="repeat")
]
SLOT_KINDS = ("ugentlig", "hver-anden-uge", "månedlig", "datoer", "forløb")
SLOT_LABELS = {
    "ugentlig": "Hver uge",
    "hver-anden-uge": "Hver anden uge",
    "månedlig": "Bestemte uger i måneden",
    "datoer": "På bestemte datoer",
    "forløb": "Et forløb med et bestemt antal gange",
}


class Season(DateRange):
    """The part of the year an activity runs, e.g. September to May."""

    _what: ClassVar[str] = "sæsonen"
    from_: date = ask("Fra dato", example="2026-09-01", alias="from")
    until: date = ask("Til dato", example="2027-05-31")


class Month(StrEnum):
    JANUAR = "januar"
    FEBRUAR = "februar"
    MARTS = "marts"
    APRIL = "april"
    MAJ = "maj"
    JUNI = "juni"
    JULI = "juli"
    AUGUST = "august"
    SEPTEMBER = "september"
    OKTOBER = "oktober"
    NOVEMBER = "november"
    DECEMBER = "december"

    @property
    def number(self) -> int:
        """January is 1, as in date.month."""
        return list(Month).index(self) + 1


IsoWeek = Annotated[int, Field(ge=1, le=53)]


class Closures(Record):
    """When an activity does not meet although its times say it would: every way the associations
    say it ("ingen café i juli", "pause i uge 29-31", "lukket i juleferien", "på helligdage")."""

    months: Annotated[list[Month], Field(max_length=12), Unique] = ask(
        "Hele måneder", fold="Holder I fri hele måneder, fx i juli?", default=[]
    )
    weeks: Annotated[list[IsoWeek], Field(max_length=53), Unique] = ask(
        "Uger", "Ugenumre, fx 29, 30, 31.", [29, 30, 31], fold="Holder I fri i bestemte uger?", default=[]
    )
    periods: Annotated[list[PeriodId], Unique] = ask(
        "Ferier og perioder", fold="Holder I fri i skoleferierne eller i julen?", default=[]
    )
    public_holidays: bool = ask("På helligdage", "Fx påske, Kristi himmelfart, pinse og jul.", default=False)
    dates: Annotated[list[date], Field(max_length=60), Unique] = ask(
        "Enkelte datoer", "Skriv datoerne adskilt af komma.", "2026-12-24, 2026-12-31",
        fold="Holder I fri på enkelte datoer?", default=[],
    )  # fmt: skip
    ranges: Annotated[list[DateRange], Field(max_length=12)] = ask(
        "Lukkede perioder", "Fx når lokalet er lukket fra en dato til en anden.",
        fold="Er I lukket i en periode fra en dato til en anden?", default=[],
    )  # fmt: skip

    def is_empty(self) -> bool:
        return not (
            self.months or self.weeks or self.periods or self.public_holidays or self.dates or self.ranges
        )


class SpecialDate(_Timed):
    """A one-off meeting with its own time: instead of the usual one that day, or in addition."""

    date: _datetime.date = ask("Dato", example="2026-12-17")  # named as editors write it
    start: ClockTime = ask("Fra klokken", example="17:00")
    end: ClockTime | None = ask("Til klokken", "Valgfri.", "21:00", default=None)
    note: SlotNote = ask("Hvad sker der?", "Valgfri.", "Julefest", default=None)


# --- The activity -------------------------------------------------------------


class PricePer(StrEnum):
    GANG = "gang"
    MAANED = "måned"
    KVARTAL = "kvartal"
    HALVAAR = "halvår"
    SAESON = "sæson"
    AAR = "år"
    FORLOEB = "forløb"

    @property
    def label(self) -> str:
        return f"pr. {self.value}"


class PriceAmount(Record):
    """What it costs, in whole kroner, and per what."""

    amount: int = ask("Beløb i kroner", example=25, ge=0, le=100_000)
    per: PricePer = ask("Pr.")
    note: SlotNote = ask(
        "Bemærkning til prisen", "Valgfri.", "Kaffe og kage koster 10 kr. ekstra", default=None
    )


def _price_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "gratis"
    if isinstance(value, dict | PriceAmount):
        return "beløb"
    return None


Price = Annotated[
    Annotated[Literal["gratis"], Tag("gratis")] | Annotated[PriceAmount, Tag("beløb")],
    Discriminator(
        _price_kind,
        custom_error_type="aktivsammen",
        custom_error_message="skal være gratis eller et beløb (fx amount: 25 og per: gang)",
    ),
]
UNION_TAGS = frozenset({*SLOT_KINDS, "gratis", "beløb"})


class Level(StrEnum):
    """How physically demanding an activity is."""

    SIDDENDE = "siddende"
    LET = "let"
    MODERAT = "moderat"
    HAARD = "hård"

    @property
    def label(self) -> str:
        """What the level means, in words a beginner can judge."""
        return {
            "siddende": "Foregår siddende",
            "let": "Let: roligt tempo, og du kan holde pauser",
            "moderat": "Moderat: du bliver lidt forpustet",
            "hård": "Hård: du bliver forpustet og svedig",
        }[self.value]


class Status(StrEnum):
    AKTIV = "aktiv"
    PAUSE = "pause"
    AFLYST = "aflyst"

    @property
    def label(self) -> str:
        return {"aktiv": "Aktiv", "pause": "Holder pause", "aflyst": "Aflyst eller stoppet"}[self.value]


class Organizer(Record):
    name: Name = ask("Forening eller arrangør", example="Gåklubben i Jelling")
    url: Url | None = ask("Foreningens hjemmeside", "Valgfri.", "https://example.dk", default=None)


class Contact(Record):
    """Who to ask; at least a phone number or an e-mail address."""

    name: Name | None = ask("Navn", "Valgfri.", "Hanne Eksempel", default=None)
    role: Name | None = ask("Rolle", "Valgfri.", "Holdleder", default=None)
    phone: Phone | None = ask("Telefon", example="75 00 00 00", default=None)
    email: Email | None = ask("E-mail", example="gaaklub@example.dk", default=None)

    model_config = ConfigDict(json_schema_extra={"x-one-required": ["phone", "email"]})

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if self.phone is None and self.email is None:
            raise invalid("mangler både telefon og e-mail (skriv mindst én af phone eller email)")
        return self


MAX_NOTE = 1000  # a sender's note to the editors


class Submitter(Record):
    """Who sent a submission: asked so the editors can reply, never written to Git or a pull request."""

    name: Name = ask("Dit navn", example="Hanne Eksempel")
    email: Email | None = ask(
        "Din e-mail", "Så sender vi en kvittering, og besked når aktiviteten er på guiden.",
        "hanne@example.dk", default=None,
    )  # fmt: skip
    phone: Phone | None = ask("Dit telefonnummer", example="75 00 00 00", default=None)

    model_config = ConfigDict(json_schema_extra={"x-one-required": ["email", "phone"]})

    @model_validator(mode="after")
    def _reachable(self) -> Submitter:
        if self.phone is None and self.email is None:
            raise invalid("mangler både telefon og e-mail (skriv mindst én af dem, så vi kan svare dig)")
        return self


class Location(Record):
    name: Name = ask("Stedets navn", example="Jelling Bibliotek")
    address: Name = ask("Adresse", example="Eksempelvej 1")
    postcode: Postcode = ask("Postnummer", example="7300")
    city: Name = ask("By", example="Jelling")
    room: Name | None = ask("Lokale eller indgang", "Valgfri.", "Mødelokale 2", default=None)
    latitude: float | None = ask(
        "Breddegrad", "Valgfri, til afstande.", 55.7557, default=None, ge=LATITUDES[0], le=LATITUDES[1]
    )
    longitude: float | None = ask(
        "Længdegrad", "Valgfri, til afstande.", 9.4196, default=None, ge=LONGITUDES[0], le=LONGITUDES[1]
    )

    @model_validator(mode="after")
    def _both_or_neither(self) -> Location:
        if (self.latitude is None) != (self.longitude is None):
            raise invalid("har kun den ene koordinat (skriv både latitude og longitude, eller ingen af dem)")
        return self

    @property
    def point(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    @property
    def key(self) -> str:
        """The place as a name for ids (open data): the same place in two activities, one key."""
        return slugify(f"{self.name} {self.address} {self.postcode}")


class Signup(Record):
    required: bool = ask("Skal man tilmelde sig?")
    how: Note | None = ask("Sådan tilmelder man sig", "Valgfri.", "Ring til Hanne dagen før.", default=None)
    deadline: date | None = ask("Tilmeldingsfrist", "Valgfri.", "2026-12-01", default=None)
    url: Url | None = ask("Tilmelding på nettet", "Valgfri.", "https://example.dk/tilmelding", default=None)


# The most time rows an activity may have; the form offers as many (form.py, submit-form.js).
MAX_SLOTS = 12
# The target group that means 60 and over, and those that also take younger people (minimum_age).
SENIORS = "seniorer"
ALSO_YOUNGER = frozenset({"alle-voksne", "handicap", "psykisk-saarbare", "demens", "paaroerende"})
MAX_SPECIAL_DATES = 24


class Activity(Record):
    """One activity, as an association describes it: one YAML file in content/activities/."""

    title: Title = ask("Aktivitetens navn", "Kort og konkret.", "Gåklub i Jelling")
    summary: Summary = ask(
        "Kort beskrivelse",
        "Én sætning om, hvad I laver, og for hvem (højst 160 tegn).",
        "Vi går en rolig tur på en time og drikker kaffe bagefter.",
    )
    categories: Annotated[list[CategoryId], Field(min_length=1, max_length=4), Unique] = ask(
        "Kategorier", "Vælg 1 til 4, der passer bedst."
    )
    area: AreaId = ask("Lokalområde", "Hvor mødes I?")
    organizer: Organizer = ask("Arrangør")
    contact: Contact = ask("Kontaktperson", "Hvem kan man spørge? Skriv mindst telefon eller e-mail.")
    location: Location = ask("Mødested")
    schedule: Annotated[list[Slot], Field(min_length=1, max_length=MAX_SLOTS)] = ask(
        "Tider", "Hvornår mødes I? Brug en række for hver fast tid."
    )
    schedule_note: Note | None = ask(
        "Bemærkning om tiderne",
        "Valgfri. Ferier og lukkedage skrives under Lukket, så kalenderen passer.",
        "Ved glat føre går vi kun den korte tur.",
        default=None,
    )
    season: Season | None = ask(
        "Sæson", "Kun hvis I kun mødes en del af året.", fold="Mødes I kun en del af året?", default=None
    )
    closed: Closures | None = ask("Lukket", "Hvornår mødes I ikke, selv om tiderne siger det?", default=None)
    special_dates: Annotated[list[SpecialDate], Field(max_length=MAX_SPECIAL_DATES)] = ask(
        "Særlige datoer", "Fx en julefest i stedet for den almindelige aften.",
        fold="Har I særlige dage, fx en julefest eller en ekstra gang?", default=[],
    )  # fmt: skip
    price: Price = ask("Pris")
    target_groups: Annotated[list[TargetGroupId], Field(min_length=1), Unique] = ask("Hvem er det for?")
    accessibility: Annotated[list[AccessibilityId], Unique] = ask(
        "Tilgængelighed", "Sæt kryds ved det, der passer.", default=[]
    )
    level: Level = ask("Hvor fysisk krævende er det?")
    newcomers_welcome: bool = ask("Er nye velkomne når som helst?")
    companion_welcome: bool = ask("Må man tage en ven eller hjælper med?")
    first_visit: Note | None = ask(
        "Første gang",
        "Hvem tager imod? Kan man prøve først? Hvad skal man have med?",
        "Hanne tager imod ved døren. Du kan prøve to gange, før du melder dig ind.",
        default=None,
    )
    transport: Note | None = ask(
        "Sådan kommer man frem", "Bus, parkering, trapper.", "Bus 211 holder lige ved døren.", default=None
    )
    signup: Signup = ask("Tilmelding")
    url: Url | None = ask("Læs mere på", "Valgfri webadresse.", "https://example.dk/gaaklub", default=None)
    status: Status = ask("Status", default=Status.AKTIV)
    paused_until: date | None = ask(
        "Holder pause til", "Valgfri, kun når status er pause: den dag I begynder igen.", default=None
    )
    verified: Annotated[date, AfterValidator(_check_not_future)] = ask(
        "Oplysningerne er bekræftet", "Den dato, hvor oplysningerne sidst blev tjekket."
    )
    description: Markdown | None = ask(
        "Længere beskrivelse",
        "Valgfri. En tom linje giver nyt afsnit; en linje med - foran bliver et punkt.",
        default=None,
    )

    @property
    def minimum_age(self) -> int | None:
        """60 when the activity is for seniors only: "Seniorer 60+" and no group that has younger
        people in it ("Især for mænd/kvinder" and "enlige" only say whom it suits). The open data
        (HSDS minimum_age, OpenActive ageRange) state it; None means adults of any age."""
        groups = set(self.target_groups)
        return 60 if SENIORS in groups and not groups & ALSO_YOUNGER else None

    @property
    def is_free(self) -> bool:
        return self.price == "gratis" or self.price.amount == 0

    @model_validator(mode="after")
    def _paused_until_only_in_a_pause(self) -> Activity:
        if self.paused_until is not None and self.status is not Status.PAUSE:
            raise invalid("paused_until bruges kun, når status er pause (slet den, eller sæt status: pause)")
        return self


# --- Innovation projects ------------------------------------------------------


class ProjectStatus(StrEnum):
    I_DRIFT = "i-drift"
    AFPROEVES = "afprøves"
    AFSLUTTET = "afsluttet"

    @property
    def label(self) -> str:
        return {"i-drift": "I drift", "afprøves": "Afprøves", "afsluttet": "Afsluttet"}[self.value]


class Project(Record):
    """An innovation project: the YAML front matter of a Markdown file in content/projects/."""

    title: Title
    summary: ProjectSummary
    status: ProjectStatus
    period: Name | None = None
    owner: Name
    partners: list[Name] = []
    areas: list[AreaId] = []
    categories: list[CategoryId] = []
    contact: Contact | None = None
    # What came of it, in a sentence or two: the result, or plainly that the sources do not say.
    result: ProjectSummary
    # Where it lives on today, if it does: a place, a team, an activity in the guide.
    lives_on: ProjectSummary | None = None
    # Activities in the guide that carry it on or that a reader can go to instead: their file
    # names in activities/ (without .yaml). The build fails on a name that is not there.
    activities: Annotated[list[Slug], Unique] = []
    source: Name
    # When an editor last checked the page against its sources.
    reviewed: Annotated[date, AfterValidator(_check_not_future)] | None = None
    order: int = Field(default=100, ge=0, le=1000)
