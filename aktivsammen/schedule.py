"""Schedules, seasons and prices in plain Danish: "Hver tirsdag kl. 10.00–11.30"."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from .model import (
    COPENHAGEN,
    Activity,
    BiweeklySlot,
    CourseSlot,
    DatesSlot,
    MonthlySlot,
    PriceAmount,
    Season,
    Slot,
    Weekday,
    WeeklySlot,
)

MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip
PRICE_PER = {
    "gang": "pr. gang",
    "måned": "pr. måned",
    "kvartal": "pr. kvartal",
    "halvår": "pr. halvår",
    "sæson": "pr. sæson",
    "år": "pr. år",
    "forløb": "for hele forløbet",
}


def join_words(words: list[str]) -> str:
    """["mandag", "onsdag", "fredag"] -> "mandag, onsdag og fredag"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " og " + words[-1]


def clock(value: time) -> str:
    """Danish clock notation: 9.30, 14.00."""
    return f"{value.hour}.{value.minute:02d}"


def danish_date(value: date, *, weekday: bool = False, year: bool = True) -> str:
    """5. december 2026, or lørdag 5. december 2026."""
    text = f"{value.day}. {MONTHS[value.month - 1]}"
    if year:
        text += f" {value.year}"
    if weekday:
        text = f"{list(Weekday)[value.weekday()].value} {text}"
    return text


def danish_time(moment: datetime | float | str) -> str:
    """A moment as people in Denmark read it: "02.12.2026 kl. 18.04" (Danish time, summer or not).

    Takes an aware datetime, a Unix timestamp or an ISO text (UTC when it has no zone).
    """
    if isinstance(moment, int | float):
        moment = datetime.fromtimestamp(moment, UTC)
    elif isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(COPENHAGEN).strftime("%d.%m.%Y kl. %H.%M")


def time_range(start: time, end: time | None) -> str:
    return f"kl. {clock(start)}–{clock(end)}" if end else f"fra kl. {clock(start)}"


def _days(slot: WeeklySlot | BiweeklySlot | MonthlySlot | CourseSlot) -> str:
    ordered = sorted(slot.days, key=lambda day: day.number)
    return join_words([day.value for day in ordered])


def _when(slot: Slot) -> str:
    if isinstance(slot, WeeklySlot):
        return f"hver {_days(slot)}"
    if isinstance(slot, BiweeklySlot):
        return f"hver anden {_days(slot)}"
    if isinstance(slot, MonthlySlot):
        weeks = join_words([week.value for week in sorted(slot.weeks, key=_week_order)])
        return f"{weeks} {_days(slot)} i måneden"
    if isinstance(slot, CourseSlot):
        every = "hver anden" if slot.interval_weeks == 2 else "hver"
        return f"{slot.sessions} gange, {every} {_days(slot)} fra {danish_date(slot.first_date)}"
    assert isinstance(slot, DatesSlot)
    return join_words([danish_date(day, weekday=True) for day in sorted(slot.dates)])


def _week_order(week: object) -> int:
    number = week.number  # type: ignore[attr-defined]
    return 99 if number < 0 else number


def describe_slot(slot: Slot) -> str:
    """One time slot as a sentence: "Første mandag i måneden kl. 19.00–21.00"."""
    text = f"{_when(slot)} {time_range(slot.start, slot.end)}"
    if slot.note:
        text += f" ({slot.note})"
    return text[0].upper() + text[1:]


def describe_season(season: Season) -> str:
    return f"Fra {danish_date(season.from_)} til {danish_date(season.until)}"


def describe_price(activity: Activity) -> str:
    """Gratis, or "25 kr. pr. gang (inkl. kaffe)"."""
    price = activity.price
    if not isinstance(price, PriceAmount):
        return "Gratis"
    if price.amount == 0:
        text = "Gratis"
    else:
        text = f"{price.amount:,}".replace(",", ".") + f" kr. {PRICE_PER[price.per.value]}"
    return f"{text} ({price.note})" if price.note else text


def weekdays_of(activity: Activity) -> list[Weekday]:
    """The weekdays an activity meets on, Monday first (one-off dates count too)."""
    days: set[Weekday] = set()
    for slot in activity.schedule:
        if isinstance(slot, DatesSlot):
            days.update(list(Weekday)[day.weekday()] for day in slot.dates)
        else:
            days.update(slot.days)
    return sorted(days, key=lambda day: day.number)


def time_of_day(hour: int) -> str:
    """formiddag (before 12), eftermiddag (12-17) or aften (from 17)."""
    return "formiddag" if hour < 12 else "eftermiddag" if hour < 17 else "aften"


def times_of_day(activity: Activity) -> list[str]:
    """The parts of the day its time slots start in, in order."""
    starts = {time_of_day(slot.start.hour) for slot in activity.schedule}
    return [part for part in ("formiddag", "eftermiddag", "aften") if part in starts]
