"""The list of warnings, the most urgent first; Enter on one asks the screen to open its record."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events, on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from hecht_tracker.tui.presenters.overview import Notice

# Warnings listed at most, the most urgent first; the rest are counted (the list is read, not
# scrolled through, and each listed warning costs the Overzicht its layout time).
MAX_LISTED = 100


class WarningList(OptionList):
    """One line per warning (wrapping when long); reports the chosen record upward."""

    DEFAULT_CSS = """
    WarningList {
        border: round $warning 60%;
        border-title-color: $text-warning;
        padding: 0 1;
    }
    WarningList:focus {
        border: round $warning;
    }
    """

    class Open(Message):
        """Open this record (entity and id) on its own tab."""

        def __init__(self, entity: str, record_id: int) -> None:
            super().__init__()
            self.entity = entity
            self.record_id = record_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._warnings: list[Notice] = []

    def show(self, warnings: Sequence[Notice]) -> None:
        """Replace the list, keeping the highlight on the same record where it is still there."""
        keep = None
        if self.highlighted is not None and self.highlighted < len(self._warnings):
            current = self._warnings[self.highlighted]
            keep = (current.entity, current.record_id)
        self._warnings = list(warnings[:MAX_LISTED])
        self.border_title = f"Waarschuwingen ({len(warnings)}) · enter: openen"
        options = [Option(Content.from_markup(w.text)) for w in self._warnings]
        self.clear_options()
        if not options:
            self.add_option(Option(Content("Geen waarschuwingen."), disabled=True))
            return
        self.add_options(options)
        if len(warnings) > MAX_LISTED:
            more = len(warnings) - MAX_LISTED
            self.add_option(
                Option(
                    Content(f"… en nog {more:n}: f op Mijlpalen toont alleen waarschuwingen."),
                    disabled=True,
                )
            )
        records = [(w.entity, w.record_id) for w in self._warnings]
        self.highlighted = records.index(keep) if keep in records else 0

    def on_key(self, event: events.Key) -> None:
        # On a short screen the list starts below the fold: moving in it brings it into view.
        if event.key in ("up", "down", "pageup", "pagedown", "home", "end"):
            self.scroll_visible(animate=False)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self._warnings):
            warning = self._warnings[event.option_index]
            self.post_message(self.Open(warning.entity, warning.record_id))
