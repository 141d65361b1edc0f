"""The Overzicht's timeline drawing: labels placed by priority, never overlapping."""

from __future__ import annotations

import datetime as dt

from hecht_tracker.tui.presenters.overview import Mark, MarkState, TimelineModel, draw_timeline

START = dt.date(2027, 1, 1)
WIDTH = 40  # with a span of WIDTH - 1 days, day k of the span is column k


def _mark(number: int, offset: int, body: str) -> Mark:
    day = START + dt.timedelta(days=offset)
    return Mark(number, day, body, MarkState.LATER, "$text-muted", priority=number)


def _model(marks: tuple[Mark, ...]) -> TimelineModel:
    return TimelineModel(START, START + dt.timedelta(days=WIDTH - 1), START, marks, 0)


def test_a_label_with_no_room_leaves_a_shorter_one_at_the_same_place_its_chance() -> None:
    # Three labels fill the three label rows from column 22; a long label at column 10 would
    # reach them, a short one at the same column ends before them.
    blockers = [_mark(n, 22, "X") for n in range(3)]
    long, short = _mark(3, 10, "Auditcommissie"), _mark(4, 10, "AB")
    drawn = draw_timeline(_model((*blockers, long, short)), WIDTH)

    assert drawn.count("X 23 jan") == 3
    assert "Auditcommissie 11 jan" not in drawn
    assert "AB 11 jan" in drawn


def test_thousands_of_marks_on_one_day_keep_one_label_per_row() -> None:
    marks = tuple(_mark(n, 5, "DB") for n in range(5000))

    assert draw_timeline(_model(marks), WIDTH).count("DB 6 jan") == 3
