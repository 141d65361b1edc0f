"""The help screen (``?`` or F1): every key of the tracker, in Dutch."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

# (group, ((keys, what it does), ...)); the README's key map says the same.
KEYMAP: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Overal",
        (
            ("1 … 6", "Overzicht, Mijlpalen, Afspraken, Baten, Doelen, Logboek"),
            ("tab / shift+tab", "naar het volgende / vorige onderdeel"),
            ("ctrl+p", "opdrachtenpalet: elke actie en elk scherm op naam"),
            ("? / F1", "deze hulp"),
            ("ctrl+z / ctrl+y", "laatste wijziging ongedaan maken / opnieuw doen"),
            ("q / ctrl+q", "afsluiten (vraagt eerst bij niet-opgeslagen tekst)"),
        ),
    ),
    (
        "Overzicht",
        (("↑ ↓, enter", "waarschuwing kiezen en het record openen"),),
    ),
    (
        "Tabellen",
        (
            ("↑ ↓ pgup pgdn", "door de rijen"),
            ("home end", "naar de eerste of de laatste rij"),
            ("enter / e", "record wijzigen"),
            ("n", "nieuw record"),
            ("s", "status wijzigen"),
            ("k", "koers wijzigen (risico en uit koers vragen een reden)"),
            ("p", "stukken vandaag verstuurd (mijlpaal)"),
            ("m", "meting toevoegen (baat)"),
            ("t", "een actie toevoegen bij het gekozen doel (Doelen)"),
            ("a", "een actie van het gekozen doel afronden (Doelen)"),
            ("d", "mijlpaal annuleren, of actie, baat of doel verwijderen"),
            ("/", "zoeken in de tabel (woorden); esc wist het zoeken"),
            ("o", "sorteren op een kolom (nogmaals: omgekeerd)"),
            ("f / F", "filteren / filter wissen (Mijlpalen; Logboek: onderdeel, nummer, periode)"),
            ("l", "Logboek van het gekozen record (F: weer alles)"),
            ("+", "Logboek: oudere regels laden (500 per keer)"),
            ("tab", "naar de details; ↑ ↓ scrollen daar"),
        ),
    ),
    (
        "Formulieren",
        (
            ("ctrl+s", "opslaan"),
            ("enter", "volgende veld; opslaan vanuit het laatste veld"),
            ("esc", "annuleren (vraagt eerst als er iets is getypt)"),
        ),
    ),
)


def keymap_table() -> Table:
    """The key map as a two-column grid whose descriptions wrap under themselves."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, style="bold", min_width=16)
    grid.add_column(ratio=1)
    for index, (group, keys) in enumerate(KEYMAP):
        if index:
            grid.add_row("", "")
        grid.add_row(Text(group, style="bold underline"), "")
        for key, what in keys:
            grid.add_row(key, what)
    return grid


class HelpScreen(ModalScreen[None]):
    """Every key, grouped; any of escape, q, ? or F1 closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 84;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "sluiten"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Toetsen"
            scroll.border_subtitle = "esc sluiten"
            yield Static(keymap_table())

    def action_close(self) -> None:
        self.dismiss(None)
