"""A modal form: one input or select per field, saved through a callback.

The form never closes on a refused save: the Dutch message appears above the fields, the
field at fault is marked, and everything typed stays where it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, SelectionList, Static, TextArea

from hecht_tracker.core.errors import TrackerError
from hecht_tracker.tui.screens.dialogs import ConfirmDialog
from hecht_tracker.tui.screens.form_model import (
    ChangedUnderneath,
    FieldError,
    FormField,
    NeedsConfirmation,
    SaveCallback,
)


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
    FormScreen .field.-tall {
        height: auto;
    }
    FormScreen .field > TextArea {
        width: 1fr;
        height: 4;
        background: $boost;
    }
    FormScreen .field > SelectionList {
        width: 1fr;
        height: auto;
        max-height: 6;
        background: $boost;
    }
    FormScreen .hint {
        padding-left: 23;
        color: $text-success;
        height: auto;
    }
    FormScreen .hint.-error {
        color: $text-error;
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
        save_label: str = "Opslaan",
    ) -> None:
        super().__init__()
        self.form_title = title
        self.save_label = save_label  # "Toepassen" for a filter, which stores nothing
        self.fields = list(fields)
        self.save_callback = save
        self.only_changed = only_changed
        self.blink = blink
        self.confirmed: set[str] = set()

    def compose(self) -> ComposeResult:
        with Vertical(id="form") as form:
            form.border_title = self.form_title
            form.border_subtitle = f"ctrl+s {self.save_label.lower()} · esc annuleren"
            yield Static("", id="error", markup=False)
            with VerticalScroll(id="fields"):
                for spec in self.fields:
                    tall = spec.multiline or spec.multiple
                    with Horizontal(
                        classes="field -tall" if tall else "field", id=f"row-{spec.name}"
                    ):
                        yield Label(spec.label.capitalize(), markup=False)
                        yield self._widget_for(spec)
                    if spec.hint is not None:
                        yield Static("", id=f"hint-{spec.name}", classes="hint", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Annuleren", id="cancel")
                yield Button(self.save_label, id="save", variant="primary")

    def _widget_for(self, spec: FormField) -> Widget:
        widget_id = f"field-{spec.name}"
        if spec.multiple and spec.options is not None:
            chosen = set(spec.value or ())
            return SelectionList[Any](
                *((label, value, value in chosen) for label, value in spec.options),
                id=widget_id,
                compact=True,
            )
        if spec.multiline:
            area = TextArea(str(spec.value or ""), id=widget_id, soft_wrap=True, compact=True)
            area.cursor_blink = self.blink
            return area
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
            max_length=spec.max_length,
            suggester=SuggestFromList(spec.suggestions, case_sensitive=False)
            if spec.suggestions
            else None,
        )
        text_input.cursor_blink = self.blink
        return text_input

    def on_mount(self) -> None:
        first = self.query(".field > *").exclude("Label").first()
        first.focus()
        for spec in self.fields:
            if spec.hint is not None:
                self._show_hint(spec, str(spec.value or ""))

    def _show_hint(self, spec: FormField, text: str) -> None:
        assert spec.hint is not None
        hint = self.query_one(f"#hint-{spec.name}", Static)
        message, ok = spec.hint(text) if text.strip() else ("", True)
        hint.update(message)
        hint.set_class(not ok, "-error")
        hint.display = bool(message)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        spec = next((f for f in self.fields if f.name == name), None)
        if spec is None:
            return
        if spec.hint is not None:
            self._show_hint(spec, event.value)
        if spec.max_length and len(event.value) >= spec.max_length:
            # The field takes no more; say so instead of silently dropping keys.
            self.notify(
                f"{spec.label.capitalize()}: maximaal {spec.max_length} tekens.",
                severity="warning",
            )

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
            elif isinstance(widget, TextArea):
                result[spec.name] = widget.text
            elif isinstance(widget, SelectionList):
                order = [value for _, value in spec.options or ()]
                result[spec.name] = tuple(v for v in order if v in set(widget.selected))
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
            result = self.save_callback(values, frozenset(self.confirmed))
        except NeedsConfirmation as question:
            self._ask(question)
            return
        except ChangedUnderneath as conflict:
            self._choose_version(conflict)
            return
        except FieldError as error:
            self.show_error(str(error), error.field)
            return
        except TrackerError as error:
            self.show_error(str(error))
            return
        self.dismiss(result)

    def _ask(self, question: NeedsConfirmation) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.confirmed.add(question.key)
                self.action_save()

        self.app.push_screen(ConfirmDialog(question.question, question.yes, "Terug"), answered)

    def _choose_version(self, conflict: ChangedUnderneath) -> None:
        from hecht_tracker.tui.screens.dialogs import VersionDialog

        def chosen(choice: str | None) -> None:
            if choice == "mine":
                self.action_save()  # over the version just shown; a newer one asks again
            elif choice == "theirs":
                self.notify("Uw wijzigingen zijn weggegooid; de versie uit de database blijft.")
                self.dismiss(None)

        self.app.push_screen(VersionDialog(conflict.rows), chosen)

    @property
    def has_typed(self) -> bool:
        """Whether closing now would throw away something typed."""
        return bool(self.changed())

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
        """Enter saves from the last field; from any other it moves on, so a stray Enter
        never saves a half-filled form."""
        event.stop()
        fields = list(self.query(".field > *").exclude("Label"))
        if fields and event.input is fields[-1]:
            self.action_save()
        else:
            self.focus_next()

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
