"""The VTIMEZONE of the calendars, in the compact yearly RRULE form, from the tz database."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from hecht_tracker.render.ics import contentline as cl

# The rule must hold for every year in this range, or the long RDATE form is used instead.
_RULE_YEARS = range(2000, 2038)
_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class _Transition:
    month: int
    weekday: int
    week: int  # 1..4, or -1 for the last one in the month
    local_time: dt.time  # wall-clock time before the change
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str
    is_dst: bool


@lru_cache(maxsize=4)
def vtimezone_ics(tzid: str) -> bytes:
    """A VTIMEZONE for ``tzid`` in the compact yearly RRULE form, from the tz database.

    Outlook misreads the long list of RDATEs that icalendar writes by default and shifts
    summer-time meetings by an hour; the rule form (as Outlook and Apple write it) is read
    right everywhere. When the zone's rule changed within the years the tracker is used
    for, icalendar's exact RDATE form is the fallback. Working the rules out takes a few
    milliseconds, so the bytes are made per process rather than kept in the database.
    """
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tzid)
    rules = _yearly_rules(zone, _RULE_YEARS.start)
    if any(_yearly_rules(zone, year) != rules for year in _RULE_YEARS):
        from icalendar import Timezone

        content: bytes = Timezone.from_tzid(tzid).to_ical()
        return content
    items = ["BEGIN:VTIMEZONE", f"TZID:{cl.text(tzid)}", f"X-LIC-LOCATION:{cl.text(tzid)}"]
    if not rules:
        moment = dt.datetime(1970, 1, 1, tzinfo=zone)
        offset = moment.utcoffset() or dt.timedelta()
        items += [
            "BEGIN:STANDARD",
            f"DTSTART:{cl.local_datetime(dt.datetime(1970, 1, 1))}",
            f"TZNAME:{cl.text(moment.tzname() or tzid)}",
            f"TZOFFSETFROM:{_offset(offset)}",
            f"TZOFFSETTO:{_offset(offset)}",
            "END:STANDARD",
        ]
    for rule in sorted(rules, key=lambda r: r.is_dst):
        part = "DAYLIGHT" if rule.is_dst else "STANDARD"
        start = dt.datetime.combine(_nth_weekday(1970, rule), rule.local_time)
        items += [
            f"BEGIN:{part}",
            f"DTSTART:{cl.local_datetime(start)}",
            f"RRULE:FREQ=YEARLY;BYDAY={rule.week}{_WEEKDAY_CODES[rule.weekday]};"
            f"BYMONTH={rule.month}",
            f"TZNAME:{cl.text(rule.name)}",
            f"TZOFFSETFROM:{_offset(rule.offset_from)}",
            f"TZOFFSETTO:{_offset(rule.offset_to)}",
            f"END:{part}",
        ]
    items.append("END:VTIMEZONE")
    return cl.lines(items)


def _offset(offset: dt.timedelta) -> str:
    """A UTC-OFFSET value: ``+0100``, ``-0330``, seconds only when there are any."""
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _yearly_rules(zone: dt.tzinfo, year: int) -> frozenset[_Transition]:
    """The offset changes of one year, each described as 'nth weekday of month at time'."""
    found = set()
    for month in range(1, 13):
        start = dt.datetime(year, month, 1, tzinfo=dt.UTC)
        end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=dt.UTC)
        if start.astimezone(zone).utcoffset() == end.astimezone(zone).utcoffset():
            continue
        low, high = start, end  # the offset differs at high: bisect to the whole second
        while high - low > dt.timedelta(seconds=1):
            middle = low + dt.timedelta(seconds=(high - low) // dt.timedelta(seconds=2))
            if middle.astimezone(zone).utcoffset() == start.astimezone(zone).utcoffset():
                low = middle
            else:
                high = middle
        after = high.astimezone(zone)
        before = low.astimezone(zone)
        offset_from = before.utcoffset() or dt.timedelta()
        local = (high + offset_from).replace(tzinfo=None)
        last_day = stdlib_calendar.monthrange(local.year, local.month)[1]
        week = -1 if local.day + 7 > last_day else (local.day - 1) // 7 + 1
        found.add(
            _Transition(
                month=local.month,
                weekday=local.weekday(),
                week=week,
                local_time=local.time(),
                offset_from=offset_from,
                offset_to=after.utcoffset() or dt.timedelta(),
                name=after.tzname() or "",
                is_dst=bool(after.dst()),
            )
        )
    return frozenset(found)


def _nth_weekday(year: int, rule: _Transition) -> dt.date:
    if rule.week == -1:
        day = dt.date(year, rule.month, stdlib_calendar.monthrange(year, rule.month)[1])
        return day - dt.timedelta(days=(day.weekday() - rule.weekday) % 7)
    first = dt.date(year, rule.month, 1)
    return first + dt.timedelta(days=(rule.weekday - first.weekday()) % 7 + 7 * (rule.week - 1))
