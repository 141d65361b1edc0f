"""The programme's timeline drawn across the width, redrawn when the width changes."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from hecht_tracker.tui.presenters.overview import LABEL_ROWS, TimelineModel, draw_timeline


class TimelineStrip(Widget):
    """Shapes per milestone on a date axis with a "vandaag" marker; the screen sets ``model``."""

    DEFAULT_CSS = f"""
    TimelineStrip {{
        height: {3 + LABEL_ROWS};
        padding: 0 1;
    }}
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._model: TimelineModel | None = None

    @property
    def model(self) -> TimelineModel | None:
        return self._model

    @model.setter
    def model(self, value: TimelineModel | None) -> None:
        self._model = value
        self.refresh()

    def render(self) -> Content:
        if self._model is None:
            return Content("Nog geen mijlpalen — druk n op Mijlpalen om er een toe te voegen.")
        return Content.from_markup(draw_timeline(self._model, self.content_region.width))
