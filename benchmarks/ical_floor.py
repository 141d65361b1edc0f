"""The floor for a calendar export: a bare icalendar loop over the same milestones.

    python benchmarks/ical_floor.py mijlpalen.json

Builds one VEVENT per milestone (uid, summary, dtstart, dtend, location, description) in one
calendar and serialises it, as the simplest program using the same library would. Output is
discarded.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def main(path: str) -> int:
    rows = json.loads(Path(path).read_text(encoding="utf-8"))
    calendar = Calendar()
    calendar.add("prodid", "-//bench//icalendar loop//NL")
    calendar.add("version", "2.0")
    for row in rows:
        day = dt.date.fromisoformat(row["date"])
        event = Event()
        event.add("uid", row["uid"])
        event.add("summary", row["title"])
        if row.get("start_time"):
            start = dt.datetime.combine(day, dt.time.fromisoformat(row["start_time"]), AMSTERDAM)
            end_time = row.get("end_time")
            end = (
                dt.datetime.combine(day, dt.time.fromisoformat(end_time), AMSTERDAM)
                if end_time
                else start + dt.timedelta(minutes=120)
            )
        else:
            start, end = day, day + dt.timedelta(days=1)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("location", row.get("location", ""))
        event.add("description", row.get("description", ""))
        calendar.add_component(event)
    with open(os.devnull, "wb") as out:
        out.write(calendar.to_ical())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
