"""A modal form: one input or select per field, saved through a callback.

The form never closes on a refused save: the Dutch message appears above the fields, the
field at fault is marked, and everything typed stays where it was.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from hecht_tracker.core.errors import TrackerError, ValidationError
from hecht_tracker.tui.screens.dialogs import ConfirmDialog


@dataclass(frozen=True)
class FormField:
    """One field of a form: text input, or a select when ``options`` is given."""

    name: str
    label: str
    value: Any = ""
    options: tuple[tuple[str, Any], ...] | None = None
    allow_blank: bool = True
    blank_label: str = "(leeg)"
    placeholder: str = ""


class FieldError(ValidationError):
    """A refused value that belongs to one field, so the form can point at it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


SaveCallback = Callable[[Mapping[str, Any]], Any]


class FormScreen(ModalScreen[Any]):
    """Edit a set of fields; dismisses with what ``save`` returned, or None when cancelled."""

    DEFAULT_CSS = """
    FormScreen {
        align: center middle;
    }
    FormScreen > #form {
        width: 96;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-color: $text;
        border-title-style: bold;
        border-subtitle-color: $text-muted;
        background: $surface;
        padding: 1 2;
    }
    FormScreen #error {
        display: none;
        background: $error 20%;
        color: $text-error;
        padding: 0 1;
        margin-bottom: 1;
    }
    FormScreen #error.-shown {
        display: block;
    }
    FormScreen #fields {
        height: auto;
        max-height: 1fr;
    }
    FormScreen .field {
        height: 1;
    }
    FormScreen .field > Label {
        width: 22;
        padding: 0 1 0 0;
        text-align: right;
        color: $text-muted;
    }
    FormScreen .field > Input, FormScreen .field > Select {
        width: 1fr;
        background: $boost;
    }
    FormScreen .field.-invalid > Label {
        color: $text-error;
        text-style: bold;
    }
    FormScreen #buttons {
        height: auto;
        align-horizontal: right;
        padding-top: 1;
    }
    FormScreen #buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "opslaan", priority=True),
        Binding("escape", "cancel", "annuleren"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        save: SaveCallback,
        *,
        only_changed: bool = False,
        blink: bool = True,
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self.save_callback = save
        self.only_changed = only_changed
        self.blink = blink

    def compose(self) -> ComposeResult:
        with Vertical(id="form") as form:
            form.border_title = self.form_title
            form.border_subtitle = "ctrl+s opslaan · esc annuleren"
            yield Static("", id="error", markup=False)
            with VerticalScroll(id="fields"):
                for spec in self.fields:
                    with Horizontal(classes="field", id=f"row-{spec.name}"):
                        yield Label(spec.label.capitalize(), markup=False)
                        yield self._widget_for(spec)
            with Horizontal(id="buttons"):
                yield Button("Annuleren", id="cancel")
                yield Button("Opslaan", id="save", variant="primary")

    def _widget_for(self, spec: FormField) -> Widget:
        widget_id = f"field-{spec.name}"
        if spec.options is not None:
            return Select(
                list(spec.options),
                prompt=spec.blank_label,
                allow_blank=spec.allow_blank,
                value=Select.NULL if spec.value is None else spec.value,
                id=widget_id,
                compact=True,
            )
        text_input = Input(
            str(spec.value or ""),
            placeholder=spec.placeholder,
            id=widget_id,
            select_on_focus=False,
            compact=True,
        )
        text_input.cursor_blink = self.blink
        return text_input

    def on_mount(self) -> None:
        first = self.query(".field > Input, .field > Select").first()
        first.focus()

    # --- values ------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What is in the form now: text for inputs, the option value (or None) for selects."""
        result: dict[str, Any] = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, Select):
                result[spec.name] = None if widget.value == Select.NULL else widget.value
            elif isinstance(widget, Input):
                result[spec.name] = widget.value
        return result

    def changed(self) -> dict[str, Any]:
        """Only the fields whose value differs from what the form opened with."""
        initial = {spec.name: spec.value for spec in self.fields}
        return {
            name: value
            for name, value in self.values().items()
            if _normal(value) != _normal(initial[name])
        }

    def show_error(self, message: str, field: str | None = None) -> None:
        error = self.query_one("#error", Static)
        error.update(message)
        error.set_class(bool(message), "-shown")
        for row in self.query(".field"):
            row.set_class(row.id == f"row-{field}", "-invalid")
        if field is not None:
            self.query_one(f"#field-{field}").focus()

    # --- actions -----------------------------------------------------------------------------

    def action_save(self) -> None:
        values = self.changed() if self.only_changed else self.values()
        if self.only_changed and not values:
            self.notify("Niets gewijzigd.")
            self.dismiss(None)
            return
        try:
            result = self.save_callback(values)
        except FieldError as error:
            self.show_error(str(error), error.field)
            return
        except TrackerError as error:
            self.show_error(str(error))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        if not self.changed():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                "Er zijn wijzigingen die nog niet zijn opgeslagen. Weggooien?", "Weggooien", "Terug"
            ),
            answered,
        )

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()


def _normal(value: Any) -> Any:
    """Compare typed text without surrounding spaces; an empty text equals no value."""
    if isinstance(value, str):
        return value.strip() or None
    return value
