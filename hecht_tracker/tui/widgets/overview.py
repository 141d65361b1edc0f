"""The Overzicht pane: timeline, next board moment, benefits, goals and warnings, stacked so
it reads top to bottom on 80×24 and uses the width beside each other from 120 columns."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from hecht_tracker.core import status
from hecht_tracker.core.snapshot import Snapshot
from hecht_tracker.tui.presenters import overview
from hecht_tracker.tui.widgets.timeline import TimelineStrip
from hecht_tracker.tui.widgets.warnings import WarningList


class OverviewPane(VerticalScroll):
    """Shows one snapshot of the programme; ``show`` replaces what it shows. ``damage``, when
    set, heads the warnings (what ``db check`` found in the file)."""

    DEFAULT_CSS = """
    OverviewPane {
        height: 1fr;
    }
    OverviewPane > WarningList {
        height: 1fr;
        min-height: 7;
    }
    OverviewPane .card {
        height: auto;
        border: round $primary 50%;
        border-title-color: $text-primary;
        padding: 0 1;
    }
    OverviewPane #cards {
        height: auto;
    }
    OverviewPane #cards > .card {
        width: 1fr;
    }
    OverviewPane #legend {
        padding: 0 1;
        color: $text-muted;
        height: auto;
    }
    OverviewPane.-narrow #cards {
        layout: vertical;
    }
    """

    damage: overview.Notice | None = None

    def compose(self) -> ComposeResult:
        timeline = TimelineStrip(id="timeline")
        yield timeline
        yield Static(Content.from_markup(overview.LEGEND), id="legend")
        with Horizontal(id="cards"):
            card = Static("", id="next-card", classes="card")
            card.border_title = "Volgende bestuursmoment"
            yield card
            benefits = Static("", id="benefits-card", classes="card")
            benefits.border_title = "Baten"
            yield benefits
        goals = Static("", id="goals-card", classes="card")
        goals.border_title = "Doelen"
        yield goals
        yield WarningList(id="warnings")

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")

    def show(self, snapshot: Snapshot) -> None:
        today = snapshot.today
        self.query_one(TimelineStrip).model = overview.timeline_model(snapshot.milestones, today)
        self.query_one("#next-card", Static).update(
            Content.from_markup(overview.next_moment_card(snapshot.next_moment))
        )
        self.query_one("#benefits-card", Static).update(
            Content.from_markup(
                "\n".join(overview.benefit_lines(snapshot.benefits, snapshot.programmes))
            )
        )
        rollups = status.goal_rollups(snapshot.goals, snapshot.actions, snapshot.milestones, today)
        self.query_one("#goals-card", Static).update(
            Content.from_markup("\n".join(overview.goal_lines(rollups)))
        )
        found = overview.notices(snapshot.warnings)
        self.query_one(WarningList).show(found if self.damage is None else [self.damage, *found])
