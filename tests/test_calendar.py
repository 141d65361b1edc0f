"""The ICS calendars: golden files, strict parsing, round-trips, SEQUENCE and privacy.

The golden files under ``tests/golden/calendars/`` are the seeded database rendered with the
fixed clock. After a deliberate change to the calendars, regenerate them with

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_calendar.py

and review the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream

from hecht_tracker.cli import cli
from hecht_tracker.core.model import Goal, Kind, Milestone, Settings, Status, Visibility
from hecht_tracker.render.ics import body_file_key, render_calendars, vtimezone_ics
from hecht_tracker.services.calendars import build_calendars, calendar_files, export_calendars
from hecht_tracker.storage.store import Store
from tests.conftest import SEEDED_AT, FixedClock

GOLDEN = Path(__file__).parent / "golden" / "calendars"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DB_NOV_26 = 6
SECRET = "GEHEIM-intern-7f3a"


def parse_strict(content: bytes) -> object:
    """Parse with the strict ``ical`` package (pydantic models; raises on invalid input)."""
    return IcsCalendarStream.calendar_from_ics(content.decode("utf-8"))


def events_by_uid(content: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def unfolded(content: bytes) -> list[str]:
    return content.decode().replace("\r\n ", "").split("\r\n")


# --- golden files and format --------------------------------------------------------------------


def test_seeded_calendars_match_the_golden_files(store: Store) -> None:
    calendars = build_calendars(store)
    assert list(calendars) == ["alle.ics", "ab.ics", "db.ics", "intern.ics"]
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for old in GOLDEN.glob("*.ics"):
            old.unlink()
        for name, content in calendars.items():
            (GOLDEN / name).write_bytes(content)
    for name, content in calendars.items():
        assert (GOLDEN / name).read_bytes() == content, f"{name} differs from its golden file"
    assert sorted(p.name for p in GOLDEN.glob("*.ics")) == sorted(calendars)


def test_every_calendar_parses_in_ical_and_icalendar_with_all_its_events(store: Store) -> None:
    calendars = build_calendars(store)
    public = [m for m in store.milestones() if m.visibility == Visibility.PUBLIC]
    expected = {
        "alle.ics": len(public),
        "ab.ics": sum(m.body == "AB" for m in public),
        "db.ics": sum(m.body == "DB" for m in public),
        "intern.ics": len(store.milestones())
        + sum(m.documents_due is not None for m in store.milestones()),
    }
    for name, content in calendars.items():
        strict = parse_strict(content)
        assert len(strict.events) == expected[name], name  # type: ignore[attr-defined]
        assert len(icalendar.Calendar.from_ical(content).walk("VEVENT")) == expected[name]


def test_lines_end_in_crlf_and_fold_at_75_octets_on_utf8_boundaries(store: Store) -> None:
    store.update("milestone", DB_NOV_26, {"title": "Akkoord doorgeleiden 🎉 " + "één " * 40})
    for name, content in build_calendars(store).items():
        assert content.endswith(b"\r\n")
        assert b"\n" not in content.replace(b"\r\n", b""), name
        for line in content.split(b"\r\n"):
            assert len(line) <= 75, (name, line)
            line.decode("utf-8")  # a fold never splits a character


def test_calendar_properties_are_valid_rfc5545_and_rfc7986(store: Store) -> None:
    content = build_calendars(store)["ab.ics"]
    head = unfolded(content)[: unfolded(content).index("BEGIN:VTIMEZONE")]
    assert "VERSION:2.0" in head
    assert "CALSCALE:GREGORIAN" in head
    assert "METHOD:PUBLISH" in head
    assert "NAME:Hecht — Algemeen Bestuur" in head
    assert "X-WR-CALNAME:Hecht — Algemeen Bestuur" in head
    assert "UID:kalender-ab@hecht-tracker" in head
    # icalendar writes REFRESH-INTERVAL without VALUE=DURATION and X-PUBLISHED-TTL as "1:00:00".
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in head
    assert "X-PUBLISHED-TTL:PT1H" in head
    assert "X-WR-TIMEZONE:Europe/Amsterdam" in head
    color = next(line for line in head if line.startswith("COLOR:")).split(":", 1)[1]
    assert re.fullmatch(r"[a-z]+", color), "RFC 7986 COLOR is a CSS3 colour name"
    assert any(line.startswith("DESCRIPTION:") for line in head)
    assert any(line.startswith("X-WR-CALDESC:") for line in head)
    assert "ATTENDEE" not in content.decode()


def test_the_timezone_is_the_rrule_form_and_agrees_with_the_tz_database() -> None:
    component = icalendar.Timezone.from_ical(vtimezone_ics("Europe/Amsterdam"))
    text = component.to_ical().decode()
    assert "RDATE" not in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in text
    as_tz = component.to_tz()
    for year in (2026, 2027, 2031):
        for month, day, hour in (
            (3, 29, 1),
            (3, 29, 4),
            (7, 8, 14),
            (10, 25, 1),
            (10, 25, 4),
            (12, 16, 14),
        ):
            local = dt.datetime(year, month, day, hour)
            assert (
                local.replace(tzinfo=as_tz).utcoffset()
                == local.replace(tzinfo=AMSTERDAM).utcoffset()
            )


# --- events -------------------------------------------------------------------------------------


def test_all_day_events_are_dates_with_dtend_the_next_day(store: Store) -> None:
    event = events_by_uid(build_calendars(store)["db.ics"])["gv-2026-11-26-db@hecht-tracker"]
    assert event["DTSTART"].to_ical() == b"20261126"
    assert event["DTEND"].to_ical() == b"20261127"
    assert event["DTSTART"].params["VALUE"] == "DATE"


def test_a_summer_meeting_is_at_the_amsterdam_time_in_every_parser(store: Store) -> None:
    store.update("milestone", 2, {"start_time": dt.time(14, 0)})  # AB 8 juli 2026, summer time
    content = build_calendars(store)["ab.ics"]
    assert "DTSTART;TZID=Europe/Amsterdam:20260708T140000" in unfolded(content)
    event = events_by_uid(content)["gv-2026-07-08-ab@hecht-tracker"]
    assert event.start == dt.datetime(2026, 7, 8, 12, 0, tzinfo=dt.UTC)
    assert event.end - event.start == dt.timedelta(minutes=120)  # default meeting duration
    strict = next(e for e in parse_strict(content).events if e.uid.startswith("gv-2026-07-08"))  # type: ignore[attr-defined]
    assert strict.dtstart == dt.datetime(2026, 7, 8, 12, 0, tzinfo=dt.UTC)
    assert strict.dtend == dt.datetime(2026, 7, 8, 14, 0, tzinfo=dt.UTC)


def test_an_explicit_end_time_and_the_meeting_duration_setting_are_used(store: Store) -> None:
    store.update("milestone", 7, {"start_time": dt.time(19, 30), "end_time": dt.time(22, 0)})
    store.update("milestone", 6, {"start_time": dt.time(9, 0)})
    store.update_settings({"meeting_minutes": 45})
    events = events_by_uid(build_calendars(store)["alle.ics"])
    ab = events["gv-2026-12-16-ab@hecht-tracker"]
    assert ab.end - ab.start == dt.timedelta(hours=2, minutes=30)
    db = events["gv-2026-11-26-db@hecht-tracker"]
    assert db.start == dt.datetime(2026, 11, 26, 9, 0, tzinfo=AMSTERDAM)
    assert db.end - db.start == dt.timedelta(minutes=45)


def test_summary_description_categories_organizer_and_alarm(store: Store) -> None:
    event = events_by_uid(build_calendars(store)["db.ics"])["gv-2026-11-26-db@hecht-tracker"]
    assert str(event["SUMMARY"]) == "DB — Akkoord doorgeleiden strategisch werkplan"
    description = str(event["DESCRIPTION"])
    assert "akkoord op het doorgeleiden" in description
    assert "Besluit: akkoord op doorgeleiden strategisch werkplan naar het AB" in description
    assert "Stukken uiterlijk: do 19 nov 2026" in description
    assert "- na: AB — Bespreken strategisch werkplan (wo 4 nov 2026)" in description
    assert "- daarna: AB — Vaststellen strategisch werkplan (wo 16 dec 2026)" in description
    categories = [str(c) for c in event["CATEGORIES"].cats]
    assert categories[:2] == ["DB", "vergadering"]
    assert "Werken aan een weerbare samenleving" in categories
    assert str(event["ORGANIZER"]) == "mailto:secretariaat@hecht.example"
    assert event["ORGANIZER"].params["CN"] == "Hecht programmabureau Gezond Vooruit!"
    alarm = event.walk("VALARM")[0]
    assert alarm["TRIGGER"].dt == dt.timedelta(days=-1)
    assert alarm["ACTION"] == "DISPLAY"


def test_reminder_and_organizer_follow_the_settings(store: Store) -> None:
    store.update_settings({"reminder_minutes": 30, "organizer_email": "bestuur@hecht.example"})
    content = build_calendars(store)["db.ics"]
    assert "TRIGGER:-PT30M" in unfolded(content)
    assert (
        'ORGANIZER;CN="Hecht programmabureau Gezond Vooruit!":mailto:bestuur@hecht.example'
        in unfolded(content)
    )
    store.update_settings({"reminder_minutes": 0})
    assert "VALARM" not in build_calendars(store)["db.ics"].decode()


def test_internal_milestones_and_paper_deadlines_are_only_in_intern(store: Store) -> None:
    calendars = build_calendars(store)
    internal_uid = "gv-werkplan-2027-2030@hecht-tracker"
    paper_uid = "stukken-gv-2026-11-26-db@hecht-tracker"
    for name in ("alle.ics", "ab.ics", "db.ics"):
        assert internal_uid not in calendars[name].decode()
        assert paper_uid not in calendars[name].decode()
    intern = events_by_uid(calendars["intern.ics"])
    assert internal_uid in intern
    paper = intern[paper_uid]
    assert paper["DTSTART"].to_ical() == b"20261119"
    assert paper["DTEND"].to_ical() == b"20261120"
    assert str(paper["SUMMARY"]).startswith("Stukken versturen: DB — Akkoord doorgeleiden")


def test_the_route_in_a_public_calendar_names_no_internal_milestone(store: Store) -> None:
    store.update("milestone", 7, {"depends_on": (6, 8)})  # 8 is the internal deliverable
    calendars = build_calendars(store)
    public = str(
        events_by_uid(calendars["ab.ics"])["gv-2026-12-16-ab@hecht-tracker"]["DESCRIPTION"]
    )
    assert "Akkoord doorgeleiden" in public
    assert "Strategisch werkplan 2027–2030 (wo 16 dec" not in public
    intern = str(
        events_by_uid(calendars["intern.ics"])["gv-2026-12-16-ab@hecht-tracker"]["DESCRIPTION"]
    )
    assert "- na: Hecht — Strategisch werkplan 2027–2030 (wo 16 dec 2026)" in intern


def test_a_body_with_its_own_name_gets_its_own_lower_case_file(store: Store) -> None:
    store.add(
        "milestone",
        {"title": "Jaarrekening", "date": dt.date(2027, 3, 10), "body": "Auditcommissie"},
    )
    store.add(
        "milestone",
        {
            "title": "Kennismaking",
            "date": dt.date(2027, 2, 1),
            "body": "Raad van Toezicht",
            "visibility": Visibility.PUBLIC,
        },
    )
    names = list(build_calendars(store))
    assert names == [
        "alle.ics",
        "ab.ics",
        "auditcommissie.ics",
        "db.ics",
        "raad-van-toezicht.ics",
        "intern.ics",
    ]
    assert body_file_key("Intern") == "orgaan-intern"
    assert body_file_key("Bestuurlijk Overleg Zuid-Holland!") == "bestuurlijk-overleg-zuid-holland"


# --- SEQUENCE, determinism and privacy ---------------------------------------------------------


def test_exporting_twice_gives_identical_bytes(store: Store) -> None:
    assert build_calendars(store) == build_calendars(store)


def test_internal_notes_and_health_change_no_byte_and_never_appear(
    store: Store, clock: FixedClock
) -> None:
    before = build_calendars(store)
    clock.advance(days=3)
    store.update(
        "milestone",
        DB_NOV_26,
        {"notes": f"{SECRET} notitie", "health": "at_risk", "health_reason": f"{SECRET} koers"},
    )
    store.update("goal", 1, {"health": "off_track", "health_reason": f"{SECRET} doel"})
    after = build_calendars(store)
    assert after == before
    for content in after.values():
        assert SECRET not in content.decode()
        assert "journaal" not in content.decode().lower()


def test_a_date_change_raises_sequence_and_last_modified_and_keeps_uid(
    store: Store, clock: FixedClock
) -> None:
    uid = "gv-2026-11-26-db@hecht-tracker"
    before = events_by_uid(build_calendars(store)["db.ics"])[uid]
    clock.advance(days=5)
    store.update("milestone", DB_NOV_26, {"date": dt.date(2026, 12, 3)}, note="DB verplaatst")
    after = events_by_uid(build_calendars(store)["db.ics"])[uid]
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after["DTSTART"].to_ical() == b"20261203"
    assert after["LAST-MODIFIED"].dt == SEEDED_AT + dt.timedelta(days=5)
    assert after["DTSTAMP"].dt == after["LAST-MODIFIED"].dt
    assert after["CREATED"].dt == SEEDED_AT
    paper = events_by_uid(build_calendars(store)["intern.ics"])["stukken-" + uid]
    assert paper["DTSTART"].to_ical() == b"20261126"  # 5 working days before 3 dec
    assert paper["SEQUENCE"] == after["SEQUENCE"]


def test_cancelling_keeps_the_event_as_cancelled_with_a_higher_sequence(store: Store) -> None:
    uid = "gv-2026-11-26-db@hecht-tracker"
    store.delete("milestone", DB_NOV_26, note="vervalt")
    calendars = build_calendars(store)
    event = events_by_uid(calendars["db.ics"])[uid]
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert str(event["SUMMARY"]).endswith("(geannuleerd)")
    assert events_by_uid(calendars["intern.ics"])["stukken-" + uid]["STATUS"] == "CANCELLED"
    strict = next(e for e in parse_strict(calendars["db.ics"]).events if e.uid == uid)  # type: ignore[attr-defined]
    assert strict.status == "CANCELLED"


def test_a_milestone_made_internal_is_withdrawn_as_cancelled_from_public_calendars(
    store: Store,
) -> None:
    uid = "gv-2026-11-26-db@hecht-tracker"
    store.update("milestone", DB_NOV_26, {"visibility": Visibility.INTERNAL, "notes": SECRET})
    store.update("milestone", DB_NOV_26, {"title": SECRET, "date": dt.date(2026, 12, 3)})
    calendars = build_calendars(store)
    for name in ("alle.ics", "db.ics"):
        event = events_by_uid(calendars[name])[uid]
        assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] >= 1
        assert "Deze mijlpaal staat niet meer in deze agenda." in str(event["DESCRIPTION"])
        assert str(event["SUMMARY"]) == "Vervallen mijlpaal"
        assert event.decoded("DTSTART") == dt.date(2026, 11, 26)  # what subscribers last saw
        parse_strict(calendars[name])
    assert events_by_uid(calendars["intern.ics"])[uid]["STATUS"] == "CONFIRMED"
    public = {name: content for name, content in calendars.items() if name != "intern.ics"}
    assert all(SECRET.encode() not in content for content in public.values())


def test_a_milestone_moved_to_another_body_leaves_the_old_body_calendar_as_cancelled(
    store: Store,
) -> None:
    uid = "gv-2026-11-26-db@hecht-tracker"
    store.update("milestone", DB_NOV_26, {"body": "AB"})
    calendars = build_calendars(store)
    assert events_by_uid(calendars["db.ics"])[uid]["STATUS"] == "CANCELLED"
    assert events_by_uid(calendars["ab.ics"])[uid]["STATUS"] == "CONFIRMED"
    assert events_by_uid(calendars["alle.ics"])[uid]["STATUS"] == "CONFIRMED"


def test_a_papers_deadline_that_no_longer_applies_is_withdrawn_from_intern(store: Store) -> None:
    uid = "stukken-gv-2026-10-15-db@hecht-tracker"
    assert events_by_uid(build_calendars(store)["intern.ics"])[uid]["STATUS"] == "CONFIRMED"
    store.update("milestone", 4, {"body": "Auditcommissie"})  # no lead days for this body
    event = events_by_uid(build_calendars(store)["intern.ics"])[uid]
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1


def test_a_postponed_milestone_is_tentative(store: Store) -> None:
    store.update("milestone", DB_NOV_26, {"status": Status.POSTPONED})
    event = events_by_uid(build_calendars(store)["db.ics"])["gv-2026-11-26-db@hecht-tracker"]
    assert event["STATUS"] == "TENTATIVE"


def test_texts_with_special_characters_round_trip(store: Store) -> None:
    title = 'Besluit; "werkplan", deel \\ 2 — één 🎉' + " lange Nederlandse titel" * 4
    location = "Bestuurskamer, Hecht; Leiden \\ zaal 2"
    description = "Regel één, met komma;\nregel twee \\ met backslash\n\n🎉 emoji"
    store.update(
        "milestone",
        DB_NOV_26,
        {"title": title, "location": location, "description": description},
    )
    content = build_calendars(store)["db.ics"]
    event = events_by_uid(content)["gv-2026-11-26-db@hecht-tracker"]
    assert str(event["SUMMARY"]) == f"DB — {title}"
    assert str(event["LOCATION"]) == location
    assert str(event["DESCRIPTION"]).startswith(description + "\n\n")
    strict = next(e for e in parse_strict(content).events if e.uid.startswith("gv-2026-11-26"))  # type: ignore[attr-defined]
    assert strict.summary == f"DB — {title}"
    assert strict.location == location
    assert strict.description.startswith(description + "\n\n")


# --- property tests -----------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\u0085"
    )
    | st.sampled_from([",", ";", "\\", ":", "\n", '"', "é", "🎉"]),
    max_size=120,
)
_TITLE = _TEXT.map(str.strip).filter(bool)


def route_of(description: str) -> str:
    """The route part of an event description ("" without one)."""
    _, found, route = description.rpartition("Route:\n")
    return route if found else ""


@st.composite
def milestones(draw: st.DrawFn) -> list[Milestone]:
    count = draw(st.integers(min_value=1, max_value=4))
    found = []
    for number in range(1, count + 1):
        start = draw(
            st.none()
            | st.times(dt.time(6), dt.time(20)).map(lambda t: t.replace(second=0, microsecond=0))
        )
        end = None
        if start is not None and draw(st.booleans()):
            end = (
                dt.datetime.combine(dt.date(2000, 1, 1), start)
                + dt.timedelta(minutes=draw(st.integers(15, 180)))
            ).time()
        found.append(
            Milestone(
                id=number,
                uid=f"m{number}-{draw(st.uuids())}@hecht-tracker",
                title=draw(_TITLE),
                date=draw(st.dates(dt.date(2024, 1, 1), dt.date(2031, 12, 31))),
                start_time=start,
                end_time=end,
                location=draw(_TEXT),
                description=draw(_TEXT),
                body=draw(st.sampled_from(["AB", "DB", "Auditcommissie"])),
                kind=draw(st.sampled_from(list(Kind))),
                status=draw(st.sampled_from(list(Status))),
                visibility=draw(st.sampled_from([Visibility.PUBLIC] * 3 + [Visibility.INTERNAL])),
                depends_on=(number - 1,) if number > 1 and draw(st.booleans()) else (),
                sequence=draw(st.integers(0, 50)),
                created=SEEDED_AT,
                published=SEEDED_AT + dt.timedelta(hours=draw(st.integers(0, 1000))),
                goal_ids=(1,),
            )
        )
    return found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(milestones(), _TEXT, st.integers(0, 4 * 24 * 60 + 7))
def test_random_milestones_round_trip_through_both_parsers(
    found: list[Milestone], organizer: str, reminder: int
) -> None:
    goals = [
        Goal(id=1, uid="g1@hecht-tracker", programme_id=1, number=1, title="Doel; met, tekens")
    ]
    chosen = Settings(organizer_name=organizer, reminder_minutes=reminder)
    calendars = render_calendars(found, goals, chosen)
    # The calendars are written without icalendar's component model, byte for byte as it
    # would write them: icalendar reads each file and writes it back unchanged (except where
    # its reader errs: it takes a literal \N in a text for a line break, and a backslash in
    # a parameter for an escape).
    texts = [m.title + m.description + m.location for m in found]
    if "\\" not in organizer and not any("\\N" in text for text in texts):
        for name, written in calendars.items():
            assert icalendar.Calendar.from_ical(written).to_ical() == written, name
    content = calendars["alle.ics"]
    assert content == render_calendars(found, goals, chosen)["alle.ics"]
    for line in content.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")
    parsed = events_by_uid(content)
    strict = {e.uid: e for e in parse_strict(content).events}  # type: ignore[attr-defined]
    public = [m for m in found if m.visibility == Visibility.PUBLIC]
    assert set(parsed) == set(strict) == {m.uid for m in public}
    intern = events_by_uid(calendars["intern.ics"])
    assert {m.uid for m in found} <= set(intern)
    for milestone in public:
        internal_steps = [
            step.title
            for step in found
            if step.visibility == Visibility.INTERNAL
            and (step.id in milestone.depends_on or milestone.id in step.depends_on)
        ]
        # A public calendar names no internal step in a route; intern.ics names every step.
        board = route_of(str(parsed[milestone.uid]["DESCRIPTION"]))
        staff = route_of(str(intern[milestone.uid]["DESCRIPTION"]))
        # A public step may carry the same title: only a title no public step has is telling.
        public_titles = {
            step.title
            for step in found
            if step.visibility == Visibility.PUBLIC
            and (step.id in milestone.depends_on or milestone.id in step.depends_on)
        }
        for title in internal_steps:
            assert f"— {title} (" in staff
            if title not in public_titles:
                assert f"— {title} (" not in board
    for milestone in public:
        event, other = parsed[milestone.uid], strict[milestone.uid]
        suffix = {Status.CANCELLED: " (geannuleerd)", Status.POSTPONED: " (verschoven)"}.get(
            milestone.status, ""
        )
        assert (
            str(event["SUMMARY"])
            == other.summary
            == f"{milestone.body} — {milestone.title}{suffix}"
        )
        assert event["SEQUENCE"] == other.sequence == milestone.sequence
        if milestone.location:
            assert str(event["LOCATION"]) == other.location == milestone.location
        if milestone.description:
            assert str(event["DESCRIPTION"]).startswith(milestone.description + "\n\n")
            assert other.description.startswith(milestone.description + "\n\n")
        if milestone.start_time is None:
            assert event.start == milestone.date
            assert event.end == milestone.date + dt.timedelta(days=1)
        else:
            start = dt.datetime.combine(milestone.date, milestone.start_time, AMSTERDAM)
            assert event.start == start
            assert other.dtstart == start
            assert event.end > event.start


# --- events made once and kept ------------------------------------------------------------------


def kept_events(db_path: Path) -> dict[tuple[int, str], tuple[str, bytes]]:
    """The calendar events kept in the database: (milestone id, variant) → (source, bytes)."""
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT milestone_id, variant, source, content FROM calendar_event"
        ).fetchall()
    return {(row[0], row[1]): (row[2], row[3]) for row in rows}


def golden_calendars() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in GOLDEN.glob("*.ics")}


def test_the_golden_files_come_out_alike_with_nothing_kept_and_everything_kept(
    store: Store, db_path: Path
) -> None:
    pure = render_calendars(store.milestones(), store.goals(), store.settings())
    assert kept_events(db_path) == {}
    cold = build_calendars(store)
    kept = kept_events(db_path)
    assert {variant for _, variant in kept} == {"board", "intern", "papers"}
    warm = build_calendars(store)
    assert pure == cold == warm == golden_calendars()
    assert kept_events(db_path) == kept  # nothing made again
    for name, content in warm.items():  # as icalendar itself would write them
        assert icalendar.Calendar.from_ical(content).to_ical() == content, name


def test_a_warm_export_uses_the_kept_bytes_without_making_events(
    store: Store, db_path: Path
) -> None:
    build_calendars(store)
    uid = "gv-2026-11-26-db@hecht-tracker"
    with sqlite3.connect(db_path) as connection:
        connection.execute(
            "UPDATE calendar_event "
            "SET content = CAST(replace(content, 'SUMMARY:DB', 'SUMMARY:XX') AS BLOB) "
            "WHERE milestone_id = ? AND variant = 'intern'",
            (DB_NOV_26,),
        )
    calendars = build_calendars(store)
    # The board event was the same as the intern one and kept as a reference to it.
    assert str(events_by_uid(calendars["db.ics"])[uid]["SUMMARY"]).startswith("XX — ")
    assert str(events_by_uid(calendars["intern.ics"])[uid]["SUMMARY"]).startswith("XX — ")


def test_calendars_made_a_few_milestones_at_a_time_are_the_golden_files(
    store: Store, db_path: Path, tmp_path: Path
) -> None:
    assert len(store.milestones()) > 3 * 2  # many batches of two
    for keep in (False, True, True):  # nothing kept (read-only), made and kept, all kept
        files = {f.name: f.content for f in calendar_files(store, keep=keep, batch=2)}
        assert files == golden_calendars()
    assert {key[0] for key in kept_events(db_path)} == {m.id for m in store.milestones()}
    out = tmp_path / "agenda"
    export_calendars(store, out, batch=2)
    assert {path.name: path.read_bytes() for path in out.iterdir()} == golden_calendars()


def test_an_export_made_a_few_milestones_at_a_time_after_a_change_is_a_full_render(
    store: Store, tmp_path: Path, clock: FixedClock
) -> None:
    out = tmp_path / "agenda"
    export_calendars(store, out, batch=2)
    clock.advance(days=1)
    store.update("milestone", DB_NOV_26, {"title": "Werkplan doorgeleid", "location": "Leiden"})
    export_calendars(store, out, batch=2)
    pure = render_calendars(store.milestones(), store.goals(), store.settings())
    assert {path.name: path.read_bytes() for path in out.iterdir()} == pure


def test_an_export_rewrites_a_file_that_differs_anywhere_in_it(
    store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "agenda"
    export_calendars(store, out)
    written = {path.name: path.read_bytes() for path in out.iterdir()}
    intern = out / "intern.ics"
    middle = len(written["intern.ics"]) // 2
    damages = [
        written["intern.ics"][:middle] + b"X" + written["intern.ics"][middle + 1 :],
        written["intern.ics"] + b"BEGIN:VEVENT\r\n",
        written["intern.ics"][:-1],
        b"",
    ]
    for damaged in damages:
        intern.write_bytes(damaged)
        export_calendars(store, out)
        assert {path.name: path.read_bytes() for path in out.iterdir()} == written


def test_a_kept_event_replaced_while_a_calendar_is_written_is_made_again(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_calendars(store)
    read_back = store.calendar_event_contents
    calls = []

    def another_process_writes_first(keys: list[tuple[int, str]]) -> object:
        if not calls:  # between the index and the bytes, an event is filed under a new source
            with sqlite3.connect(db_path) as connection:
                connection.execute(
                    "UPDATE calendar_event SET source = 'nieuwer', content = X'00' "
                    "WHERE milestone_id = ? AND variant = 'intern'",
                    (DB_NOV_26,),
                )
        calls.append(keys)
        return read_back(keys)

    monkeypatch.setattr(store, "calendar_event_contents", another_process_writes_first)
    assert build_calendars(store) == golden_calendars()
    assert len(calls) > len(golden_calendars())  # read again after the stale event


def test_an_export_with_every_event_kept_writes_nothing(store: Store, db_path: Path) -> None:
    build_calendars(store)
    with sqlite3.connect(db_path) as watcher:
        before = watcher.execute("PRAGMA data_version").fetchone()[0]
        build_calendars(store)
        # data_version changes when another connection commits: the export did not.
        assert watcher.execute("PRAGMA data_version").fetchone()[0] == before


def test_a_kept_event_made_from_another_state_is_never_served(
    store: Store, db_path: Path, clock: FixedClock
) -> None:
    build_calendars(store)
    uid = "gv-2026-11-26-db@hecht-tracker"
    with sqlite3.connect(db_path) as connection:
        connection.execute(
            "UPDATE calendar_event "
            "SET content = CAST(replace(content, 'SUMMARY:DB', 'SUMMARY:XX') AS BLOB) "
            "WHERE milestone_id = ?",
            (DB_NOV_26,),
        )
        # A kept event of another milestone, filed under a source it was not made from.
        connection.execute(
            "UPDATE calendar_event SET source = 'niet-de-bron', content = X'00' "
            "WHERE milestone_id = 1 AND variant = 'intern'"
        )
    clock.advance(days=1)
    store.update("milestone", DB_NOV_26, {"title": "Werkplan doorgeleid"})
    calendars = build_calendars(store)
    event = events_by_uid(calendars["db.ics"])[uid]
    assert str(event["SUMMARY"]) == "DB — Werkplan doorgeleid"
    assert b"SUMMARY:XX" not in b"".join(calendars.values())
    assert b"\x00" not in calendars["intern.ics"]
    assert calendars == render_calendars(store.milestones(), store.goals(), store.settings())
    parse_strict(calendars["intern.ics"])


def test_a_change_makes_only_its_own_events_and_those_of_its_route_again(
    store: Store, db_path: Path, clock: FixedClock
) -> None:
    build_calendars(store)
    before = kept_events(db_path)
    sequences = {m.id: m.sequence for m in store.milestones()}
    route = {
        *store.milestone(DB_NOV_26).depends_on,
        *(m.id for m in store.milestones() if DB_NOV_26 in m.depends_on),
    }
    assert route  # the DB meeting sits in a route: its new title shows in its neighbours
    clock.advance(days=2)
    store.update("milestone", DB_NOV_26, {"title": "Werkplan doorgeleid"})
    build_calendars(store)
    after = kept_events(db_path)
    made_again = {
        milestone_id
        for (milestone_id, variant), (source, _) in after.items()
        if before.get((milestone_id, variant), ("", b""))[0] != source
    }
    assert made_again == {DB_NOV_26, *route}
    for key, kept in after.items():
        if key[0] not in made_again:
            assert kept == before[key]
    raised = {m.id: m.sequence - sequences[m.id] for m in store.milestones()}
    assert {mid for mid, rise in raised.items() if rise} == made_again
    assert set(raised.values()) == {0, 1}


def test_a_change_among_many_milestones_makes_the_same_calendars_as_a_full_render(
    store: Store, clock: FixedClock
) -> None:
    # Enough milestones that a single change loads only itself and its route.
    for number in range(80):
        store.add(
            "milestone",
            {
                "title": f"Overleg {number}",
                "date": dt.date(2027, 1, 4) + dt.timedelta(days=number),
                "body": ("AB", "DB", "Auditcommissie")[number % 3],
                "depends_on": (DB_NOV_26,) if number % 20 == 0 else (),
            },
        )
    build_calendars(store)
    clock.advance(days=1)
    store.update("milestone", DB_NOV_26, {"title": "Werkplan doorgeleid", "location": "Leiden"})
    calendars = build_calendars(store)
    assert calendars == render_calendars(store.milestones(), store.goals(), store.settings())
    followers = [m for m in store.milestones() if DB_NOV_26 in m.depends_on]
    assert len(followers) == 5  # the AB meeting and four of the new ones
    for follower in followers:  # the new title shows in the route of each follower
        assert "Werkplan doorgeleid" in unfolded_text(calendars["alle.ics"], follower.uid)


def test_a_route_step_turning_internal_raises_the_sequence_of_its_neighbour(
    store: Store, clock: FixedClock
) -> None:
    follower = next(
        m for m in store.milestones() if m.depends_on and m.visibility == Visibility.PUBLIC
    )
    step = store.milestone(follower.depends_on[0])
    public_before = build_calendars(store)["alle.ics"]
    assert f"{step.body} — {step.title}" in unfolded_text(public_before, follower.uid)
    clock.advance(days=1)
    store.update("milestone", step.id, {"visibility": "internal"})
    assert store.milestone(follower.id).sequence == follower.sequence + 1
    event = events_by_uid(build_calendars(store)["alle.ics"])[follower.uid]
    assert event["SEQUENCE"] == follower.sequence + 1
    assert step.title not in str(event["DESCRIPTION"])


def unfolded_text(content: bytes, uid: str) -> str:
    return str(events_by_uid(content)[uid]["DESCRIPTION"])


def test_a_read_only_database_still_gives_every_calendar(db_path: Path) -> None:
    with Store.open(db_path, read_only=True) as opened:
        assert build_calendars(opened) == golden_calendars()
    assert kept_events(db_path) == {}


def test_events_made_by_other_code_are_made_again(store: Store, db_path: Path) -> None:
    build_calendars(store)
    entries, kept, _ = store.calendar_events("een-andere-versie")
    assert len(entries) == len(store.milestones())
    assert kept == {}


def test_an_export_with_everything_kept_or_nothing_kept_imports_no_icalendar(
    db_path: Path, tmp_path: Path
) -> None:
    code = (
        "import sys; from hecht_tracker.cli import main; sys.argv = ['hecht-tracker', '--db', "
        f"{str(db_path)!r}, 'calendar', 'export', '--out', {str(tmp_path / 'uit')!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('icalendar' in sys.modules, file=sys.stderr)"
    )
    for _ in range(2):  # first nothing kept, then everything
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
        )
        assert result.stderr.strip().splitlines()[-1] == "False"
    assert len(kept_events(db_path)) > 0


# --- export to files and the CLI ----------------------------------------------------------------


def test_export_writes_atomically_and_leaves_unchanged_files_alone(
    store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "agenda"
    paths = export_calendars(store, out)
    assert [p.name for p in paths] == ["alle.ics", "ab.ics", "db.ics", "intern.ics"]
    assert {p.name for p in out.iterdir()} == {p.name for p in paths}  # no temporary files left
    for path in paths:
        os.utime(path, (1_000_000_000, 1_000_000_000))
    store.update("milestone", DB_NOV_26, {"location": "Leiden"})
    export_calendars(store, out)
    changed = {p.name for p in paths if p.stat().st_mtime != 1_000_000_000}
    assert changed == {"alle.ics", "db.ics", "intern.ics"}
    assert (out / "db.ics").read_bytes() == build_calendars(store)["db.ics"]


def test_an_export_that_finds_its_files_as_it_left_them_reads_nothing_more(
    store: Store, db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "agenda"
    export_calendars(store, out)
    written = {path.name: path.read_bytes() for path in out.iterdir()}
    swap = (
        "UPDATE calendar_event "
        "SET content = CAST(replace(content, ?, ?) AS BLOB) WHERE milestone_id = ?"
    )
    with sqlite3.connect(db_path) as connection:  # kept bytes altered, their source kept
        connection.execute(swap, ("SUMMARY:DB", "SUMMARY:XX", DB_NOV_26))
    export_calendars(store, out)
    # Nothing changed in the index and no file was touched: the events were not even read.
    assert {path.name: path.read_bytes() for path in out.iterdir()} == written
    with sqlite3.connect(db_path) as connection:
        connection.execute(swap, ("SUMMARY:XX", "SUMMARY:DB", DB_NOV_26))
    (out / "db.ics").write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    (out / "ab.ics").unlink()
    export_calendars(store, out)  # a file changed or gone is made again
    assert {path.name: path.read_bytes() for path in out.iterdir()} == written


def test_the_index_digest_changes_exactly_when_a_calendar_may_change(
    store: Store, clock: FixedClock
) -> None:
    build_calendars(store)
    digest = store.calendar_index_digest("r")
    assert store.calendar_events("r")[2] == digest  # both reads agree
    clock.advance(days=1)
    store.update("milestone", DB_NOV_26, {"notes": "alleen intern"})
    assert store.calendar_index_digest("r") == digest
    assert store.calendar_index_digest("andere code") != digest
    store.update("milestone", DB_NOV_26, {"location": "Leiden"})
    assert store.calendar_index_digest("r") != digest


def test_cli_export_prints_the_files_it_wrote(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "uit"
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), "calendar", "export", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        str(out / n) for n in ("alle.ics", "ab.ics", "db.ics", "intern.ics")
    ]
    assert (out / "ab.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


def test_cli_export_defaults_to_the_calendars_folder_in_a_real_process(
    db_path: Path, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hecht_tracker", "--db", str(db_path), "calendar", "export"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        f"calendars/{n}" for n in ("alle.ics", "ab.ics", "db.ics", "intern.ics")
    ]
    with Store.open(db_path, read_only=True) as opened:
        assert (tmp_path / "calendars" / "alle.ics").read_bytes() == build_calendars(opened)[
            "alle.ics"
        ]


def test_cli_token_rotate_stores_a_new_secret_and_shows_the_links(db_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["--db", str(db_path), "calendar", "token", "--rotate"])
    assert first.exit_code == 0, first.output
    with Store.open(db_path, read_only=True) as opened:
        token = opened.settings().feed_token
    assert len(token) >= 32
    assert f"http://127.0.0.1:8765/{token}/db.ics" in first.output
    second = runner.invoke(cli, ["--db", str(db_path), "calendar", "token", "--rotate"])
    with Store.open(db_path, read_only=True) as opened:
        assert opened.settings().feed_token not in ("", token)
    assert token not in second.output
    shown = runner.invoke(
        cli, ["--db", str(db_path), "calendar", "token", "--url", "https://agenda.example/"]
    )
    assert "https://agenda.example/" in shown.output and "webcal://agenda.example/" in shown.output
    removed = runner.invoke(cli, ["--db", str(db_path), "calendar", "token", "--remove"])
    assert removed.exit_code == 0
    with Store.open(db_path, read_only=True) as opened:
        assert opened.settings().feed_token == ""


def test_cli_token_lists_every_calendar_without_making_an_event(db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "calendar", "token", "--rotate"])
    assert result.exit_code == 0, result.output
    listed = [line.split()[0].rsplit("/", 1)[-1] for line in result.output.splitlines()[2:]]
    assert listed == ["alle.ics", "ab.ics", "db.ics", "intern.ics"]
    assert kept_events(db_path) == {}  # the names come from the index alone


def test_cli_token_refuses_rotate_and_remove_together(db_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "hecht_tracker",
            "--db",
            str(db_path),
            "calendar",
            "token",
            "--rotate",
            "--remove",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Fout: Kies --rotate of --remove")


@pytest.mark.parametrize("command", [[], ["export"], ["serve"], ["token"]])
def test_every_calendar_command_has_dutch_help_with_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(cli, ["calendar", *command, "--help"])
    assert result.exit_code == 0
    assert "Voorbeeld" in result.output
    assert "hecht-tracker calendar" in result.output


def test_the_calendar_renderer_reads_no_database() -> None:
    code = (
        "import sys, hecht_tracker.render.ics; "
        "print(sorted(m for m in sys.modules if m == 'sqlite3' or m.startswith('hecht_tracker.storage')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


def test_calendar_and_feed_modules_import_no_ui_and_no_heavy_library_up_front() -> None:
    code = (
        "import sys, hecht_tracker.render.ics, hecht_tracker.serve.feed, "
        "hecht_tracker.services.calendars; "
        "print(sorted(m for m in ('click', 'textual', 'icalendar', 'waitress') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
