"""The weekly report's content as plain frozen dataclasses: what the builder fills in and every
renderer (text, Markdown, HTML, PDF) reads. Kept apart from the builder so the renderers import
this module and the builder imports the renderers, never the other way round."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from hecht_tracker.core import status
from hecht_tracker.core.model import BenefitCategory, BenefitStatus, Health, Status
from hecht_tracker.core.status import BenefitTrend, Papers, WarningKind
from hecht_tracker.core.status import Warning as StatusWarning

Format = Literal["text", "markdown", "html", "pdf"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "html", "pdf")
EXTENSIONS: dict[Format, str] = {"text": "txt", "markdown": "md", "html": "html", "pdf": "pdf"}

COMING_DAYS = 42
MAX_CHANGES = 60
# Per warning group; the rest is counted, so thousands of stale rows still print on a page.
MAX_WARNINGS_PER_GROUP = 25
# Rows of the coming weeks, slips, decisions and open agreements; the rest is counted.
MAX_TABLE_ROWS = 40
MAX_MEASUREMENTS = 12
# Milestones drawn on the timeline: more labels no longer fit one printed page.
MAX_TIMELINE_POINTS = 30
DEFAULT_PROGRAMME = "Gezond Vooruit!"


@dataclass(frozen=True)
class MilestoneLine:
    """One milestone as the report shows it."""

    id: int
    date: dt.date
    date_text: str  # "do 26 nov 2026"
    time_text: str  # "hele dag" or "14:00–16:00"
    body: str
    title: str
    kind: str
    status: Status
    health: Health | None
    health_text: str
    documents_due: str  # "19-11-2026" or ""
    papers: str  # "nog niet verstuurd, termijn verstreken", ...
    decision: str
    papers_state: Papers  # the typed state the text above words


@dataclass(frozen=True)
class NextMoment:
    """The headline: the next board moment and the route it is part of."""

    milestone: MilestoneLine
    body_name: str  # "Dagelijks Bestuur"
    days_to_go: int
    days_text: str  # "over 3 dagen"
    papers_late: bool
    route: tuple[MilestoneLine, ...]
    moment: status.NextMoment


@dataclass(frozen=True)
class GoalStatus:
    number: int
    title: str
    health: Health | None
    health_text: str
    health_reason: str
    done_this_week: tuple[str, ...]
    open_count: int
    overdue_count: int
    rollup: status.GoalRollup


@dataclass(frozen=True)
class Slip:
    milestone: MilestoneLine
    baseline_text: str
    days: int
    since_text: str  # when the date was last moved, "" when the journal does not say


@dataclass(frozen=True)
class Decision:
    milestone: MilestoneLine
    body_name: str


@dataclass(frozen=True)
class Warning:
    """A warning of :mod:`hecht_tracker.core.status` with its Dutch heading and sentence parts."""

    warning: StatusWarning
    heading: str
    subject: str
    detail: str

    @property
    def kind(self) -> WarningKind:
        return self.warning.kind


@dataclass(frozen=True)
class Change:
    """One journal row of the week; ``internal`` ones (working notes, system rows) may be left
    out of a board report."""

    when: str  # "ma 23 nov 14:05" in Europe/Amsterdam
    subject: str  # "mijlpaal 6 Akkoord doorgeleiden strategisch werkplan"
    what: str  # Dutch field label, or "aangemaakt" / "verwijderd"
    old: str
    new: str
    note: str
    internal: bool = False


@dataclass(frozen=True)
class BenefitLine:
    title: str
    status: BenefitStatus
    status_text: str
    latest: str  # "5% op 24-11-2026" or ""
    trend: str = ""  # "↑ stijgend (was 4%)", "↓ dalend (…)", "→ gelijk (…)"; "" without one
    trend_value: BenefitTrend | None = None  # the core value the text words


@dataclass(frozen=True)
class CategoryTally:
    category: BenefitCategory
    label: str
    achieved: int
    in_progress: int
    expected: int
    not_achieved: int
    benefits: tuple[BenefitLine, ...]

    @property
    def total(self) -> int:
        return self.achieved + self.in_progress + self.expected + self.not_achieved


@dataclass(frozen=True)
class MeasurementLine:
    date_text: str
    benefit: str
    value: str
    note: str


@dataclass(frozen=True)
class AgreementLine:
    id: int
    title: str
    owner: str
    due_text: str
    status_text: str
    overdue: bool


@dataclass(frozen=True)
class TimelinePoint:
    """A milestone on the HTML timeline: raw values, the renderer picks colours and places."""

    date: dt.date
    label: str
    health: Health | None
    status: Status
    board: bool


@dataclass(frozen=True)
class ActionNeeded:
    """Something that must happen this week, and who does it; ``covers`` the warnings (kind,
    milestone id) it already says, which the warnings section then leaves out."""

    text: str
    owner: str
    covers: tuple[tuple[WarningKind, int], ...] = ()


@dataclass(frozen=True)
class RecordChanges:
    """What changed on one record in the report week, in sentences."""

    subject: str  # "DB do 3 dec 2026: Akkoord doorgeleiden strategisch werkplan"
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class WeeklyReport:
    """Everything one weekly report says, ready for any renderer."""

    organisation: str
    programme: str
    title: str  # "Hecht — Gezond Vooruit! statusrapport week 48 (23–29 november 2026)"
    short_title: str  # "statusrapport week 48 2026" for page headers
    week_label: str  # "2026-W48"
    week_monday: dt.date
    today: dt.date
    as_of: dt.date
    made_on: str  # "maandag 23 november 2026"
    empty: bool
    next_moment: NextMoment | None
    overall_health: Health | None
    overall_health_text: str
    goals: tuple[GoalStatus, ...]
    loose_actions_open: int
    completed: tuple[MilestoneLine, ...]
    coming: tuple[MilestoneLine, ...]
    coming_until: str
    slips: tuple[Slip, ...]
    decisions: tuple[Decision, ...]
    warnings: tuple[Warning, ...]  # at most MAX_WARNINGS_PER_GROUP per heading
    warnings_total: int
    warnings_hidden: tuple[tuple[str, int], ...]  # (heading, how many more) where capped
    changes: tuple[Change, ...]
    changes_hidden: int
    benefit_programmes: str  # "Hecht24"
    categories: tuple[CategoryTally, ...]
    measurements: tuple[MeasurementLine, ...]
    agreements: tuple[AgreementLine, ...]
    timeline_start: dt.date
    timeline_end: dt.date
    timeline: tuple[TimelinePoint, ...]
    # Rows left out of a capped table: "coming", "slips", "decisions", "agreements" → count.
    hidden: Mapping[str, int] = field(default_factory=dict)
    # The first half page: one word, the reason, and what must happen this week.
    status_word: str = ""
    status_reason: str = ""
    actions_needed: tuple[ActionNeeded, ...] = ()
    warnings_above: int = 0  # warnings left out of the warnings section: actions_needed says them
    papers_assumption: str = ""  # "aanname: stukken 5 werkdagen vóór het DB" when not set by hand
    record_changes: tuple[RecordChanges, ...] = ()
    record_changes_hidden: int = 0  # records changed in the week beyond those named
    stale_agreements: tuple[tuple[int, int], ...] = ()  # (year, open agreements past due then)
    benefit_context: str = ""  # "ca. € 4 mln, beschikbaar gesteld door de 18 gemeenten"
