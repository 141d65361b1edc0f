"""Small modal questions: yes/no, and pick one of a few values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option


class ConfirmDialog(ModalScreen[bool]):
    """Ask a yes/no question; dismisses with True only for an explicit yes."""

    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
    }
    ConfirmDialog > Vertical {
        width: 64;
        height: auto;
        border: thick $warning 70%;
        background: $surface;
        padding: 1 2;
    }
    ConfirmDialog .question {
        width: 1fr;
        margin-bottom: 1;
    }
    ConfirmDialog Horizontal {
        height: auto;
        align-horizontal: right;
    }
    ConfirmDialog Button {
        margin-left: 2;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,y", "answer(True)", "ja"),
        Binding("n,escape", "answer(False)", "nee"),
    ]

    def __init__(self, question: str, yes: str = "Ja", no: str = "Nee") -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, classes="question", markup=False)
            with Horizontal():
                yield Button(f"{self.no} (n)", id="no")
                yield Button(f"{self.yes} (j)", id="yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ChoiceDialog(ModalScreen[Any]):
    """Pick one value from a short list (e.g. a status); dismisses with None on escape."""

    DEFAULT_CSS = """
    ChoiceDialog {
        align: center middle;
    }
    ChoiceDialog > Vertical {
        width: 60;
        height: auto;
        border: thick $primary 70%;
        background: $surface;
        padding: 0 1;
    }
    ChoiceDialog Label {
        width: 1fr;
        margin: 1 0;
    }
    ChoiceDialog OptionList {
        height: auto;
        max-height: 16;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "annuleren")]

    def __init__(self, title: str, choices: Sequence[tuple[str, Any]], current: Any = None) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, markup=False)
            yield OptionList(
                *(Option(label, id=str(index)) for index, (label, _) in enumerate(self.choices)),
                markup=False,
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for _, value in self.choices]
        if self.current in values:
            options.highlighted = values.index(self.current)
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class VersionDialog(ModalScreen[str]):
    """Both versions of a record that changed underneath a form: keep mine, keep theirs, or go
    back to the form. Dismisses with ``mine``, ``theirs`` or ``back``."""

    DEFAULT_CSS = """
    VersionDialog {
        align: center middle;
    }
    VersionDialog > Vertical {
        width: 100;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $warning 70%;
        background: $surface;
        padding: 1 2;
    }
    VersionDialog Static {
        height: auto;
        margin-bottom: 1;
    }
    VersionDialog Horizontal {
        height: auto;
        align-horizontal: right;
    }
    VersionDialog Button {
        margin-left: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "choose('back')", "terug"),
        Binding("m", "choose('mine')", "mijn versie"),
        Binding("d", "choose('theirs')", "versie uit database"),
    ]

    def __init__(self, rows: Sequence[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        table = Table(expand=True, show_edge=False)
        table.add_column("veld", style="bold", no_wrap=True)
        table.add_column("nu in de database")
        table.add_column("uw versie")
        for name, theirs, mine in self.rows:
            table.add_row(name, Text(theirs), Text(mine))  # stored values, not markup
        with Vertical():
            yield Static(
                "Iemand anders heeft dit record gewijzigd terwijl u het bewerkte. Welke versie "
                "blijft staan?",
                markup=False,
            )
            yield Static(table)
            with Horizontal():
                yield Button("Terug (esc)", id="back")
                yield Button("Uit database (d)", id="theirs")
                yield Button("Mijn versie (m)", id="mine", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#back", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "back")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
