"""Deterministic, realistic benchmark data, written in the formats each program imports.

The same seeded milestones become the tracker's JSON import, calcurse's ``apts`` file,
Taskwarrior's JSON import and the input of the bare icalendar loop, so every program loads the
same appointments. Only the standard library is used: generating 100,000 milestones takes a
second or two.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TODAY = dt.date(2026, 11, 23)
FIRST_DAY = dt.date(2025, 1, 1)
LAST_DAY = dt.date(2031, 12, 31)
UID_DOMAIN = "bench.hecht-tracker"
NAMESPACE = uuid.UUID("5b3f9d2e-6c1a-4f7e-9a0b-1d2c3e4f5a6b")

# The seeded database (``hecht-tracker init``) holds the programme and the three goals that
# imported milestones and actions link to: an empty database has no programme, and the command
# line cannot add one, so goals cannot be imported into it.
GOAL_UIDS = ("gv-doel-1@hecht-tracker", "gv-doel-2@hecht-tracker", "gv-doel-3@hecht-tracker")
GOAL_IDS = (1, 2, 3)
PROGRAMME_ID = 1

BODIES = ("AB", "DB", "Auditcommissie", "BAO")
BODY_WEIGHTS = (3, 4, 1, 2)
KINDS = ("meeting", "theme_session", "deadline", "deliverable", "decision")
KIND_WEIGHTS = (5, 1, 2, 2, 2)
TOPICS = (
    "begroting 2028",
    "jaarrekening",
    "kadernota",
    "strategisch werkplan",
    "rampenopvangplan",
    "jeugdgezondheidszorg",
    "infectieziektebestrijding",
    "gezondheidsmonitor",
    "Sterke Teams",
    "transmurale netwerken",
    "weerbaarheid",
    "digitale dienstverlening",
    "huisvesting Gouda",
    "inkoopbeleid",
    "zorgcontinuïteit",
    "preventieakkoord",
    "tuberculosebestrijding",
    "toezicht kinderopvang",
    "reizigersvaccinatie",
    "seksuele gezondheid",
    "meldkamer ambulancezorg",
    "publieke gezondheid asielzoekers",
)
LOCATIONS = (
    "Leiden, Rijnsburgerweg 35",
    "Gouda, Bleulandweg 2a",
    "Alphen aan den Rijn, raadhuis",
    "Leiderdorp, Hecht-kantoor",
    "Online (Teams)",
)
OWNERS = (
    "Directie Hecht",
    "Bestuurssecretariaat",
    "Programmamanager",
    "Afdeling Financiën",
    "Team JGZ",
    "Team Infectieziekten",
    "HR-adviseur",
    "Controller",
)
CATEGORIES = ("organisational", "financial", "service", "societal", "digital", "employer")
BENEFIT_STATUSES = ("achieved", "in_progress", "expected", "not_achieved")


@dataclass(frozen=True)
class Dataset:
    """Where the generated files are, and how many records each holds."""

    milestones: Path  # tracker import (JSON), also read by the icalendar floor
    milestone_updates: Path  # re-import of the same uids with changed fields (journal rows)
    actions: Path
    action_updates: Path
    benefits: Path
    measurements: list[tuple[str, str, str, str]]  # (benefit uid, date, value, note)
    calcurse_apts: Path
    taskwarrior: Path
    count: int


def milestone_uid(number: int) -> str:
    return f"bench-m{number:06d}@{UID_DOMAIN}"


def _day(rng: random.Random, start: dt.date = FIRST_DAY) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((LAST_DAY - start).days + 1))


def _milestones(count: int, rng: random.Random) -> list[dict[str, Any]]:
    """``count`` milestones in dependency chains of 1–6 steps, dates rising along a chain."""
    rows: list[dict[str, Any]] = []
    while len(rows) < count:
        length = min(rng.choice((1, 1, 2, 3, 4, 6)), count - len(rows))
        day = _day(rng, FIRST_DAY)
        topic = rng.choice(TOPICS)
        previous: str | None = None
        for _ in range(length):
            number = len(rows) + 1
            body = rng.choices(BODIES, BODY_WEIGHTS)[0]
            kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
            row: dict[str, Any] = {
                "uid": milestone_uid(number),
                "title": _title(kind, body, topic, number),
                "date": day.isoformat(),
                "body": body,
                "kind": kind,
                "programme_id": PROGRAMME_ID,
                "status": _status(rng, day),
                "description": f"{body} bespreekt {topic}; voorbereid door het programmateam.",
            }
            if kind in ("meeting", "theme_session") and rng.random() < 0.7:
                start = dt.time(rng.choice((9, 10, 13, 14, 15, 16, 19)), rng.choice((0, 30)))
                row["start_time"] = start.strftime("%H:%M")
                if rng.random() < 0.8:
                    end = (dt.datetime.combine(day, start) + dt.timedelta(hours=2)).time()
                    row["end_time"] = end.strftime("%H:%M")
            if rng.random() < 0.5:
                row["location"] = rng.choice(LOCATIONS)
            if kind in ("meeting", "decision") and rng.random() < 0.4:
                row["decision"] = f"instemmen met {topic}"
            if rng.random() < 0.4:
                row["goal_ids"] = sorted(rng.sample(GOAL_UIDS, rng.choice((1, 1, 2))))
            if previous is not None:
                row["depends_on"] = [previous]
            if rng.random() < 0.05:
                row["visibility"] = "internal"
            rows.append(row)
            previous = row["uid"]
            day = min(day + dt.timedelta(days=rng.randrange(7, 61)), LAST_DAY)
    return rows


def _title(kind: str, body: str, topic: str, number: int) -> str:
    text = {
        "meeting": f"{body}-vergadering over {topic}",
        "theme_session": f"Themabijeenkomst {body}: {topic}",
        "deadline": f"Stukken {topic} naar {body}",
        "deliverable": f"Oplevering notitie {topic}",
        "decision": f"Besluit {body} over {topic}",
    }[kind]
    return f"{text} ({number})"


def _status(rng: random.Random, day: dt.date) -> str:
    if day < TODAY:
        return rng.choices(("done", "cancelled", "postponed"), (90, 5, 5))[0]
    return rng.choices(("planned", "in_progress", "postponed"), (85, 10, 5))[0]


def _milestone_updates(rows: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    """Four changed fields per milestone: four more journal rows each."""
    updates = []
    for row in rows:
        at_risk = rng.random() < 0.2
        updates.append(
            {
                "uid": row["uid"],
                "location": rng.choice(LOCATIONS) + " (gewijzigd)",
                "description": row["description"] + " Stukken bijgewerkt na DB-overleg.",
                "health": "at_risk" if at_risk else "on_track",
                "health_reason": "stukken krap" if at_risk else "volgens planning",
            }
        )
    return updates


def _actions(count: int, rng: random.Random, milestone_ids: list[int]) -> list[dict[str, Any]]:
    rows = []
    for number in range(1, count + 1):
        due = _day(rng)
        kind = "agreement" if rng.random() < 0.2 else "action"
        status = _status(rng, due)
        row: dict[str, Any] = {
            "uid": f"bench-a{number:06d}@{UID_DOMAIN}",
            "title": f"{'Afspraak' if kind == 'agreement' else 'Actie'}: {rng.choice(TOPICS)} "
            f"uitwerken ({number})",
            "kind": kind,
            "programme_id": PROGRAMME_ID,
            "owner": rng.choice(OWNERS),
            "due_date": due.isoformat(),
            "status": status,
            "description": "Voortvloeiend uit het bestuursoverleg.",
        }
        if status == "done":
            row["done_date"] = (due - dt.timedelta(days=rng.randrange(0, 10))).isoformat()
        if rng.random() < 0.5:
            row["goal_id"] = rng.choice(GOAL_IDS)
        if milestone_ids and rng.random() < 0.3:
            row["milestone_id"] = rng.choice(milestone_ids)
        rows.append(row)
    return rows


def _action_updates(rows: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    """Three changed fields per action: three more journal rows each."""
    return [
        {
            "uid": row["uid"],
            "owner": rng.choice(OWNERS) + " (overgedragen)",
            "due_date": (
                dt.date.fromisoformat(row["due_date"]) + dt.timedelta(days=14)
            ).isoformat(),
            "description": row["description"] + " Termijn met twee weken verlengd.",
        }
        for row in rows
    ]


def _benefits(count: int, rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for number in range(1, count + 1):
        category = rng.choice(CATEGORIES)
        row: dict[str, Any] = {
            "uid": f"bench-b{number:05d}@{UID_DOMAIN}",
            "title": f"Baat {number}: {rng.choice(TOPICS)}",
            "programme_id": 2,
            "category": category,
            "status": rng.choice(BENEFIT_STATUSES),
            "owner": rng.choice(OWNERS),
            "indicator": "verzuimpercentage" if category == "employer" else "doorlooptijd (dagen)",
            "baseline": f"{rng.randrange(4, 9)},{rng.randrange(10)}%",
            "target": f"{rng.randrange(2, 5)},{rng.randrange(10)}%",
            "description": "Uit het batenregister van Hecht24.",
        }
        if rng.random() < 0.5:
            row["realisation_date"] = _day(rng).isoformat()
        rows.append(row)
    return rows


def _measurements(
    benefits: list[dict[str, Any]], rng: random.Random
) -> list[tuple[str, str, str, str]]:
    result = []
    for benefit in benefits:
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(60))
        for quarter in range(rng.randrange(1, 5)):
            value = f"{rng.randrange(3, 8)},{rng.randrange(10)}%"
            result.append((benefit["uid"], day.isoformat(), value, f"meting Q{quarter + 1}"))
            day += dt.timedelta(days=91)
    return result


def calcurse_line(row: dict[str, Any]) -> str:
    """One milestone as a line of calcurse's ``apts`` file (an appointment or a day event)."""
    day = dt.date.fromisoformat(row["date"])
    stamp = day.strftime("%m/%d/%Y")
    if "start_time" not in row:
        return f"{stamp} [1] {row['title']}"
    start = dt.datetime.combine(day, dt.time.fromisoformat(row["start_time"]))
    end = (
        dt.datetime.combine(day, dt.time.fromisoformat(row["end_time"]))
        if "end_time" in row
        else start + dt.timedelta(minutes=120)
    )
    return (
        f"{stamp} @ {start:%H:%M} -> {end:%m/%d/%Y} @ {end:%H:%M} |{row['title']}"
        if end > start
        else f"{stamp} [1] {row['title']}"
    )


def taskwarrior_task(row: dict[str, Any]) -> dict[str, Any]:
    """One milestone as a Taskwarrior task: due at its start, project = body, tag = kind."""
    day = dt.date.fromisoformat(row["date"])
    start = dt.time.fromisoformat(row.get("start_time", "00:00"))
    due = dt.datetime.combine(day, start).strftime("%Y%m%dT%H%M%SZ")
    task: dict[str, Any] = {
        "uuid": str(uuid.uuid5(NAMESPACE, row["uid"])),
        "description": row["title"],
        "entry": "20250101T000000Z",
        "due": due,
        "project": row["body"],
        "tags": [row["kind"]],
        "status": "completed" if row["status"] == "done" else "pending",
    }
    if task["status"] == "completed":
        task["end"] = due
    if row["status"] == "cancelled":
        task["status"] = "deleted"
        task["end"] = due
    return task


def _write_json(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return path


def generate(folder: Path, count: int, seed: int = 2027, benefits: int = 1000) -> Dataset:
    """Write every file for ``count`` milestones (and as many actions) into ``folder``.

    The actions refer to milestones by id; ids are only known after the milestone import, so
    :func:`write_actions` writes them later. Everything else is written now.
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    milestones = _milestones(count, rng)
    benefit_rows = _benefits(benefits, rng)
    (folder / "calcurse").mkdir(exist_ok=True)
    apts = folder / "calcurse" / "apts"
    apts.write_text("".join(calcurse_line(row) + "\n" for row in milestones), encoding="utf-8")
    return Dataset(
        milestones=_write_json(folder / "mijlpalen.json", milestones),
        milestone_updates=_write_json(
            folder / "mijlpalen-wijzigingen.json", _milestone_updates(milestones, rng)
        ),
        actions=folder / "acties.json",
        action_updates=folder / "acties-wijzigingen.json",
        benefits=_write_json(folder / "baten.json", benefit_rows),
        measurements=_measurements(benefit_rows, rng),
        calcurse_apts=apts,
        taskwarrior=_write_json(
            folder / "taskwarrior.json", [taskwarrior_task(row) for row in milestones]
        ),
        count=count,
    )


def write_actions(data: Dataset, milestone_ids: list[int], seed: int = 2028) -> None:
    """Write the actions (linked to the imported milestones' ids) and their later updates."""
    rng = random.Random(seed)
    rows = _actions(data.count, rng, milestone_ids)
    _write_json(data.actions, rows)
    _write_json(data.action_updates, _action_updates(rows, rng))
