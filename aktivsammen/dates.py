"""True dates: when an activity really meets, after its season, closures, special dates and pauses.

Everything that shows a date (the page, the cards, search results, Min liste, the printouts,
the calendars and the JSON-LD) asks this module, so they can never disagree. A static site is
built once and read for days: dates are worked out at build time from `today`, and the nightly
rebuild (and the browser, for a page older than its next date) keeps them current.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

import holidays

from .model import (
    Activity,
    BiweeklySlot,
    CourseSlot,
    DatesSlot,
    MonthlySlot,
    Slot,
    Status,
    Vocabularies,
)
from .schedule import MONTHS, clock, danish_date, join_words

HORIZON_DAYS = 400  # how far ahead dates are worked out (and calendars state them)


@dataclass(frozen=True, order=True)
class Meeting:
    """One meeting on one day."""

    day: date
    start: time
    end: time | None = None
    note: str | None = None
    special: bool = False  # a special date (e.g. a Christmas party), not one of the regular times

    def text(self, *, year: bool = False) -> str:
        """ "tirsdag 8. december kl. 10.00" (the year only when asked: the next dates are near)."""
        return _meeting_text(self, year)

    def as_pair(self) -> list[str]:
        """[ISO day, text]: what a browser needs to drop the meetings a page older than them shows."""
        return [self.day.isoformat(), self.text()]


@functools.lru_cache(maxsize=8192)
def _meeting_text(meeting: Meeting, year: bool) -> str:
    """Meeting.text, worked out once: each next date is written on several pages and in JSON."""
    when = f"{danish_date(meeting.day, weekday=True, year=year)} kl. {clock(meeting.start)}"
    if meeting.end:
        when += f"–{clock(meeting.end)}"
    return f"{when} ({meeting.note})" if meeting.special and meeting.note else when


@functools.cache
def public_holidays(year: int) -> frozenset[date]:
    """Denmark's public holidays (helligdage) of a year, from the maintained `holidays` package."""
    return frozenset(holidays.country_holidays("DK", years=year))


def closed_on(activity: Activity, vocabularies: Vocabularies, day: date) -> bool:
    """Whether the activity's closures (months, weeks, periods, holidays, dates, ranges) cover `day`."""
    closed = activity.closed
    if closed is None:
        return False
    if day.month in {month.number for month in closed.months}:
        return True
    if day.isocalendar().week in closed.weeks:
        return True
    if day in closed.dates or any(day in span for span in closed.ranges):
        return True
    if closed.public_holidays and day in public_holidays(day.year):
        return True
    periods = vocabularies.terms("periods")
    return any(day in periods[period] for period in closed.periods if period in periods)


def slot_meets(slot: Slot, day: date) -> bool:
    """Whether a slot's own rule has a meeting on `day` (before season and closures)."""
    if isinstance(slot, DatesSlot):
        return day in slot.dates
    if not slot.meets_on_weekday(day):
        return False
    if isinstance(slot, BiweeklySlot | CourseSlot):
        # Meetings are in the week of first_date and every (second) week after (or before) it.
        week_of_first = slot.first_date - timedelta(days=slot.first_date.weekday())
        interval = 2 if isinstance(slot, BiweeklySlot) else slot.interval_weeks
        on_week = (day - week_of_first).days // 7 % interval == 0
        return on_week and (isinstance(slot, BiweeklySlot) or day >= slot.first_date)
    if isinstance(slot, MonthlySlot):
        nth = (day.day - 1) // 7 + 1
        last = (day + timedelta(days=7)).month != day.month
        return any(week.number == nth or (week.number == -1 and last) for week in slot.weeks)
    return True


def rule_days(slot: Slot, start: date, until: date) -> list[date]:
    """The days from `start` to `until` (both included) on which a slot's own rule meets, in order.

    Steps a week at a time from each of its weekdays, not a day at a time: every surface asks
    this for every activity, so it is most of what true dates cost a build."""
    if isinstance(slot, DatesSlot):
        return sorted(day for day in slot.dates if start <= day <= until)
    found = []
    for weekday in slot.days:
        day = start + timedelta(days=(weekday.number - start.weekday()) % 7)
        while day <= until:
            if slot_meets(slot, day):
                found.append(day)
            day += timedelta(days=7)
    return sorted(found)


def course_dates(activity: Activity, vocabularies: Vocabularies, slot: CourseSlot) -> list[date]:
    """A course's meetings: its number of sessions from the first date, closed days skipped."""
    found: list[date] = []
    day = slot.first_date
    while len(found) < slot.sessions and day <= slot.first_date + timedelta(
        days=7 * 4 * slot.interval_weeks * slot.sessions
    ):
        if slot_meets(slot, day) and not closed_on(activity, vocabularies, day):
            found.append(day)
        day += timedelta(days=1)
    return found


def fixed_days(activity: Activity, vocabularies: Vocabularies, slot: DatesSlot | CourseSlot) -> list[date]:
    """The days of a slot that has a fixed set of them: its one-off dates, or a course's meetings."""
    return sorted(slot.dates) if isinstance(slot, DatesSlot) else course_dates(activity, vocabularies, slot)


def open_from(activity: Activity) -> date | None:
    """The first day the activity may meet at all (None: cancelled, or paused with no end)."""
    if activity.status is Status.AFLYST:
        return None
    if activity.status is Status.PAUSE:
        return activity.paused_until
    return date.min


def meetings(activity: Activity, vocabularies: Vocabularies, start: date, until: date) -> list[Meeting]:
    """Every meeting from `start` to `until` (both included), in order."""
    opens = open_from(activity)
    if opens is None:
        return []
    start = max(start, opens)
    if activity.season:
        start, until = max(start, activity.season.from_), min(until, activity.season.until)
    special = {item.date: item for item in activity.special_dates if start <= item.date <= until}
    found = [Meeting(item.date, item.start, item.end, item.note, special=True) for item in special.values()]
    for slot in activity.schedule:
        if isinstance(slot, CourseSlot):
            days = [day for day in course_dates(activity, vocabularies, slot) if start <= day <= until]
        else:
            days = rule_days(slot, start, until)
        found += [
            Meeting(day, slot.start, slot.end, slot.note)
            for day in days
            if day not in special and not closed_on(activity, vocabularies, day)
        ]
    return sorted(set(found))


def next_meetings(
    activity: Activity, vocabularies: Vocabularies, today: date, count: int = 3
) -> list[Meeting]:
    """The next `count` meetings from today (today's included)."""
    for days in (63, HORIZON_DAYS):  # nine weeks hold them for most; look further only if not
        found = meetings(activity, vocabularies, today, today + timedelta(days=days))
        if len(found) >= count:
            break
    return found[:count]


def closed_days(
    activity: Activity, vocabularies: Vocabularies, slot: Slot, start: date, until: date
) -> list[date]:
    """The days a slot's rule would meet but does not (closures and special dates): the EXDATEs."""
    special = {item.date for item in activity.special_dates}
    return [
        day
        for day in rule_days(slot, start, until)
        if day in special or closed_on(activity, vocabularies, day)
    ]


# --- In words ------------------------------------------------------------------------------------


def closure_text(activity: Activity, vocabularies: Vocabularies) -> str | None:
    """The closures in one sentence: "Ingen møder i juli og december, i efterårsferien og på helligdage."."""
    closed = activity.closed
    if closed is None or closed.is_empty():
        return None
    parts = []
    if closed.months:
        months = sorted(closed.months, key=lambda month: month.number)
        parts.append("i " + join_words([month.value for month in months]))
    if closed.weeks:
        parts.append(_weeks(sorted(closed.weeks)))
    periods = vocabularies.terms("periods")
    parts += [f"i {periods[period].label}" for period in closed.periods if period in periods]
    if closed.public_holidays:
        parts.append("på helligdage")
    parts += [f"fra {_short(span.from_)} til {_short(span.until)}" for span in closed.ranges]
    if closed.dates:
        parts.append("den " + join_words([_short(day) for day in sorted(closed.dates)]))
    return "Ingen møder " + join_words(parts) + "."


def _weeks(weeks: list[int]) -> str:
    """[29, 30, 31, 42] -> "i uge 29-31 og 42"."""
    runs: list[list[int]] = []
    for week in weeks:
        if runs and week == runs[-1][-1] + 1:
            runs[-1].append(week)
        else:
            runs.append([week])
    return "i uge " + join_words([f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs])


def _short(day: date) -> str:
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def pause_text(activity: Activity) -> str | None:
    """What a paused or cancelled activity says instead of its next dates."""
    if activity.status is Status.AFLYST:
        return "Aflyst eller stoppet: der er ingen møder."
    if activity.status is Status.PAUSE:
        if activity.paused_until:
            return f"Holder pause til {danish_date(activity.paused_until, weekday=True)}."
        return "Holder pause. Ring og spørg, hvornår holdet begynder igen."
    return None


# --- What every surface shows ----------------------------------------------------------------------

UNCONFIRMED_AFTER_DAYS = 365  # as freshness.STALE_AFTER_DAYS: then citizens are told to call first
CALL_FIRST = "Ring og spørg, før du tager af sted: oplysningerne er ikke bekræftet i over et år."


@dataclass(frozen=True)
class Upcoming:
    """An activity's dates as of one day: what the page, cards, lists, prints and feeds all say."""

    today: date
    next: tuple[Meeting, ...]  # the next few meetings (none when paused, cancelled or over)
    closures: str | None  # "Ingen møder i juli og december." (None: no closures)
    pause: str | None  # "Holder pause til …" or "Aflyst …" instead of dates (None: running)
    call_first: str | None  # CALL_FIRST when the facts are old
    course: str | None = None  # "Næste hold starter onsdag 13. januar." / "Holdet er i gang …"

    @property
    def next_text(self) -> str | None:
        """ "Næste gang: tirsdag 8. december kl. 10.00" (None when there is no next meeting)."""
        return f"Næste gang: {self.next[0].text()}" if self.next else None

    def as_data(self, count: int | None = None) -> dict[str, Any]:
        """The same for the browser (Min liste, search results): the next `count` meetings as
        [ISO day, text] pairs, and the sentences that replace or go with them."""
        return {
            "next": [meeting.as_pair() for meeting in self.next[:count]],
            "pause": self.pause,
            "closures": self.closures,
            "call_first": self.call_first,
            "course": self.course,
        }


NEXT_COUNT = 8  # meetings worked out per activity: five shown, the rest for a page a few weeks old


def upcoming(
    activity: Activity, vocabularies: Vocabularies, today: date, count: int = NEXT_COUNT
) -> Upcoming:
    """The one function every surface asks for an activity's dates."""
    old = (today - activity.verified).days > UNCONFIRMED_AFTER_DAYS
    return Upcoming(
        today=today,
        next=tuple(next_meetings(activity, vocabularies, today, count)),
        closures=closure_text(activity, vocabularies),
        pause=pause_text(activity),
        call_first=CALL_FIRST if old else None,
        course=course_text(activity, vocabularies, today),
    )


def course_text(activity: Activity, vocabularies: Vocabularies, today: date) -> str | None:
    """A course says when the next one starts, or how far the running one has come."""
    if open_from(activity) is None:
        return None
    for slot in activity.schedule:
        if not isinstance(slot, CourseSlot):
            continue
        days = course_dates(activity, vocabularies, slot)
        if days and days[0] >= today:
            return f"Næste hold starter {danish_date(days[0], weekday=True)}: {len(days)} gange i alt."
        left = sum(day >= today for day in days)
        if left:
            return f"Holdet er i gang: {left} af {len(days)} gange tilbage. Spørg, om du kan komme med."
    return None


# --- Notes that still talk about dates ------------------------------------------------------------

_MONTH_WORDS = {name: number for number, name in enumerate(MONTHS, start=1)}
_DAY_OF_MONTH = re.compile(r"\b(\d{1,2})\.\s*(" + "|".join(MONTHS) + r")\b", re.I)
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b", re.I)
_WEEK = re.compile(r"\buge\s+(\d{1,2})(?:\s*[-–]\s*(\d{1,2}))?", re.I)
_HOLIDAY = re.compile(
    r"\b(\w*ferie\w*|jul(?!i)\w*|påske\w*|nytår\w*|helligdag\w*|pinse\w*|sommerpause|vinterpause)\b", re.I
)


def notes_with_dates(activity: Activity, vocabularies: Vocabularies) -> list[tuple[tuple, str]]:
    """Notes that mention a month, a week, a day or a holiday the activity's data does not hold.

    Such a note tells readers something the calendars, the next dates and the search cannot know:
    `aktivsammen validate` warns, so the editor moves it into `closed` or `special_dates`.
    Returns (field path, what the note mentions).
    """
    notes = [(("schedule_note",), activity.schedule_note)]
    notes += [(("schedule", index, "note"), slot.note) for index, slot in enumerate(activity.schedule)]
    closed = activity.closed
    held_months = {month.number for month in closed.months} if closed else set()
    held_months |= {item.date.month for item in activity.special_dates}
    if activity.season:
        held_months |= {activity.season.from_.month, activity.season.until.month}
    held_weeks = set(closed.weeks) if closed else set()
    has_holidays = bool(
        closed and (closed.periods or closed.public_holidays or closed.ranges or closed.dates)
    )
    named_days = _named_days(activity)
    found = []
    for path, text in notes:
        if not text:
            continue
        for day, month in _DAY_OF_MONTH.findall(text):
            if (int(day), _MONTH_WORDS[month.lower()]) not in named_days:
                found.append((path, f"{day}. {month.lower()}"))
        for month in _MONTH.findall(_DAY_OF_MONTH.sub("", text)):
            if _MONTH_WORDS[month.lower()] not in held_months:
                found.append((path, month.lower()))
        for first, last in _WEEK.findall(text):
            weeks = set(range(int(first), int(last or first) + 1))
            if not weeks <= held_weeks:
                found.append((path, f"uge {first}" + (f"-{last}" if last else "")))
        if not has_holidays:
            found += [(path, word.lower()) for word in _HOLIDAY.findall(text)]
    return found


def _named_days(activity: Activity) -> set[tuple[int, int]]:
    """(day, month) of every date the data names: one-off dates, special dates, closed dates."""
    days = {item.date for item in activity.special_dates}
    days |= {day for slot in activity.schedule if isinstance(slot, DatesSlot) for day in slot.dates}
    if activity.closed:
        days |= set(activity.closed.dates)
        days |= {span.from_ for span in activity.closed.ranges} | {
            span.until for span in activity.closed.ranges
        }
    return {(day.day, day.month) for day in days}
