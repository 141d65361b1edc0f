"""The tracker's domain objects: plain dataclasses with Dutch labels for what people read.

Stored keys are English (``planned``, ``on_track``); every enum knows its Dutch label and
accepts either form when parsing, so the CLI and the import take both.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Self

from hecht_tracker.core.errors import ValidationError


class LabelledEnum(StrEnum):
    """A stored key with the Dutch label people see."""

    @property
    def label(self) -> str:
        return _LABELS[type(self).__name__][self.value]

    @classmethod
    def parse(cls, text: str) -> Self:
        """Accept the stored key or the Dutch label, in any case, with _ or spaces."""
        wanted = " ".join(text.strip().lower().replace("_", " ").split())
        for member in cls:
            if wanted in (member.value.replace("_", " "), member.label.lower()):
                return member
        choices = ", ".join(member.label for member in cls)
        raise ValidationError(f"Onbekende {cls.noun()}: '{text}'. Kies uit: {choices}.")

    @classmethod
    def noun(cls) -> str:
        """What the value says, in Dutch ("status", "koers"): the label of the field holding it."""
        from hecht_tracker.core.fields import FIELDS  # fields builds on this module

        return next(
            spec.label for specs in FIELDS.values() for spec in specs.values() if spec.enum is cls
        )


class Status(LabelledEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        # Identity, not tuple membership: asked tens of thousands of times in a report.
        return self is not Status.DONE and self is not Status.CANCELLED


class Health(LabelledEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


class Kind(LabelledEnum):
    MEETING = "meeting"
    THEME_SESSION = "theme_session"
    DEADLINE = "deadline"
    DELIVERABLE = "deliverable"
    DECISION = "decision"


class Visibility(LabelledEnum):
    PUBLIC = "public"
    INTERNAL = "internal"


class ActionKind(LabelledEnum):
    ACTION = "action"
    AGREEMENT = "agreement"


class BenefitStatus(LabelledEnum):
    ACHIEVED = "achieved"
    IN_PROGRESS = "in_progress"
    EXPECTED = "expected"
    NOT_ACHIEVED = "not_achieved"


class BenefitCategory(LabelledEnum):
    ORGANISATIONAL = "organisational"
    FINANCIAL = "financial"
    SERVICE = "service"
    SOCIETAL = "societal"
    DIGITAL = "digital"
    EMPLOYER = "employer"


_LABELS: dict[str, dict[str, str]] = {
    "Status": {
        "planned": "gepland",
        "in_progress": "in voorbereiding",
        "done": "afgerond",
        "postponed": "verschoven",
        "cancelled": "geannuleerd",
    },
    "Health": {"on_track": "op koers", "at_risk": "risico", "off_track": "uit koers"},
    "Kind": {
        "meeting": "vergadering",
        "theme_session": "themabijeenkomst",
        "deadline": "deadline",
        "deliverable": "product",
        "decision": "besluit",
    },
    "Visibility": {"public": "openbaar", "internal": "intern"},
    "ActionKind": {"action": "actie", "agreement": "afspraak"},
    "BenefitStatus": {
        "achieved": "behaald",
        "in_progress": "in uitvoering",
        "expected": "verwacht",
        "not_achieved": "niet behaald",
    },
    "BenefitCategory": {
        "organisational": "organisatorisch",
        "financial": "financieel",
        "service": "dienstverlening",
        "societal": "maatschappelijk",
        "digital": "digitaal",
        "employer": "werkgeverschap",
    },
}

# Full names of the bodies that meet; the short name is what is stored and shown in lists.
BODY_NAMES: dict[str, str] = {
    "AB": "Algemeen Bestuur",
    "DB": "Dagelijks Bestuur",
    "Auditcommissie": "Auditcommissie",
    "BAO": "Bestuurlijk-ambtelijk overleg",
    "Directie": "Directie",
    "Hecht": "Hecht",
}

# Meetings of these bodies are published in the board calendars unless the user says otherwise.
BOARD_BODIES = frozenset({"AB", "DB", "Auditcommissie"})


@functools.lru_cache(maxsize=1024)  # an import asks it for every row, of a handful of bodies
def normalise_body(text: str) -> str:
    """Return the canonical spelling of a known body, or the trimmed text for another one."""
    cleaned = text.strip()
    if not cleaned:
        raise ValidationError("Het orgaan mag niet leeg zijn.")
    for name in BODY_NAMES:
        if cleaned.lower() == name.lower():
            return name
    return cleaned


def default_visibility(body: str, kind: Kind) -> Visibility:
    """Meetings of AB, DB and committees are public; everything else stays internal."""
    meeting = kind in (Kind.MEETING, Kind.THEME_SESSION, Kind.DECISION)
    return Visibility.PUBLIC if meeting and body in BOARD_BODIES else Visibility.INTERNAL


@dataclass(frozen=True, slots=True)
class Programme:
    """A programme: Gezond Vooruit! or an earlier one such as Hecht24."""

    id: int
    uid: str
    name: str
    period: str = ""
    budget: str = ""
    description: str = ""
    # Raised by one on every write of the record, so a write based on an old copy is refused.
    version: int = 1


@dataclass(frozen=True, slots=True)
class Goal:
    """One of a programme's goals, with its health as the office judges it."""

    id: int
    uid: str
    programme_id: int
    number: int
    title: str
    horizon: str = ""
    description: str = ""
    health: Health | None = None
    health_reason: str = ""
    version: int = 1


@dataclass(frozen=True, slots=True)
class Milestone:
    """A dated step: a board meeting, a session, a deadline, a deliverable or a decision."""

    id: int
    uid: str
    title: str
    date: dt.date
    programme_id: int | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    location: str = ""
    body: str = "Hecht"
    kind: Kind = Kind.MEETING
    status: Status = Status.PLANNED
    health: Health | None = None
    health_reason: str = ""
    decision: str = ""
    documents_due: dt.date | None = None
    documents_due_is_default: bool = True
    documents_sent: dt.date | None = None
    baseline_date: dt.date | None = None
    visibility: Visibility = Visibility.PUBLIC
    description: str = ""
    notes: str = ""
    sequence: int = 0
    goal_ids: tuple[int, ...] = ()
    depends_on: tuple[int, ...] = ()
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    published: dt.datetime | None = None
    # Bodies whose public calendars have shown this milestone: when it leaves one (made
    # internal, moved to another body) that calendar keeps it as cancelled for subscribers.
    published_bodies: tuple[str, ...] = ()
    # Whether the staff calendar has shown a papers deadline for it (withdrawn the same way).
    papers_published: bool = False
    version: int = 1

    @property
    def slip_days(self) -> int:
        """Days the date moved against the first committed date (positive = later)."""
        if self.baseline_date is None:
            return 0
        return (self.date - self.baseline_date).days


@dataclass(frozen=True, slots=True)
class Action:
    """An action, or an agreement (afspraak) the board wants monitored."""

    id: int
    uid: str
    title: str
    kind: ActionKind = ActionKind.ACTION
    programme_id: int | None = None
    goal_id: int | None = None
    milestone_id: int | None = None
    owner: str = ""
    due_date: dt.date | None = None
    done_date: dt.date | None = None
    status: Status = Status.PLANNED
    description: str = ""
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    version: int = 1

    def is_overdue(self, today: dt.date) -> bool:
        return self.status.is_open and self.due_date is not None and self.due_date < today


@dataclass(frozen=True, slots=True)
class Measurement:
    """One measured value of a benefit, on a day."""

    id: int
    benefit_id: int
    date: dt.date
    value: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Benefit:
    """A benefit (baat) a programme promised, with its measurements."""

    id: int
    uid: str
    title: str
    programme_id: int | None = None
    category: BenefitCategory = BenefitCategory.ORGANISATIONAL
    status: BenefitStatus = BenefitStatus.EXPECTED
    owner: str = ""
    indicator: str = ""
    baseline: str = ""
    target: str = ""
    realisation_date: dt.date | None = None
    evidence: str = ""
    description: str = ""
    measurements: tuple[Measurement, ...] = field(default=())
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    version: int = 1


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One row of the journal: a field of a record changed, by a write."""

    id: int
    at: dt.datetime
    entity: str
    entity_id: int | None
    field: str | None
    old: str | None
    new: str | None
    note: str = ""
    # The rows of one write share this number (the id of its first row), so it can be shown
    # or undone as one change.
    change: int = 0


@dataclass(frozen=True, slots=True)
class Settings:
    """Editable settings; defaults are assumptions the documents leave open (see README)."""

    organisation: str = "Hecht"
    organizer_email: str = "secretariaat@hecht.example"
    organizer_name: str = "Hecht programmabureau Gezond Vooruit!"
    documents_lead_days: dict[str, int] = field(default_factory=lambda: {"AB": 10, "DB": 5})
    reminder_minutes: int = 24 * 60
    meeting_minutes: int = 120
    feed_token: str = ""
    backups_keep: int = 7  # daily backups kept in backups/ beside the database
