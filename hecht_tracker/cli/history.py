"""``undo`` and ``redo``: take back the last change, or do it again (shared with the TUI)."""

from __future__ import annotations

import click

from hecht_tracker.cli.context import AppContext, Command, pass_app, print_json


@click.command(
    "undo",
    cls=Command,
    help=(
        "Maak de laatste wijziging ongedaan (schrijft de tegenovergestelde wijziging in het "
        "journaal).\n\nEen mijlpaal die werd toegevoegd en vóór een kalenderexport weer ongedaan "
        "wordt gemaakt, verdwijnt helemaal; na een export wordt hij geannuleerd.\n\n"
        "Voorbeeld: hecht-tracker undo"
    ),
)
@click.option("--json", "as_json", is_flag=True, help="Als JSON.")
@pass_app
def undo_command(app: AppContext, as_json: bool) -> None:
    from hecht_tracker.storage import undo

    change = undo.undo(app.store)
    if as_json:
        print_json({"undone": change.id, "change": change.describe()})
    else:
        click.echo(f"Ongedaan gemaakt: {change.describe()}.")


@click.command(
    "redo",
    cls=Command,
    help="Doe de laatst ongedaan gemaakte wijziging opnieuw.\n\nVoorbeeld: hecht-tracker redo",
)
@click.option("--json", "as_json", is_flag=True, help="Als JSON.")
@pass_app
def redo_command(app: AppContext, as_json: bool) -> None:
    from hecht_tracker.storage import undo

    change = undo.redo(app.store)
    if as_json:
        print_json({"redone": change.id, "change": change.describe()})
    else:
        click.echo(f"Opnieuw gedaan: {change.describe()}.")


COMMANDS = [undo_command, redo_command]
