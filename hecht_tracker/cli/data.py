"""Database-wide commands: init, journal, settings, import and export."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from hecht_tracker.cli.context import AppContext, Command, Group, pass_app, print_json
from hecht_tracker.core.errors import ValidationError


@click.command(
    "init",
    cls=Command,
    short_help="Maak de database (opnieuw) aan.",
    help="Maak de database (opnieuw) aan, gevuld met de standaardgegevens van Hecht.\n\n"
    "Een bestaande database blijft staan, tenzij --force: dan wordt eerst een reservekopie gemaakt.\n\n"
    "Voorbeeld: hecht-tracker --db db/hecht.sqlite init --force",
)
@click.option(
    "--empty", is_flag=True, help="Begin met een lege database, zonder standaardgegevens."
)
@click.option("--force", is_flag=True, help="Vervang een bestaande database (na een reservekopie).")
@pass_app
def init_command(app: AppContext, empty: bool, force: bool) -> None:
    from hecht_tracker.storage.store import initialise

    backup = initialise(app.db_path, seed=not empty, force=force)
    if backup is not None:
        click.echo(f"Reservekopie: {backup}")
    filled = "leeg" if empty else "gevuld met de standaardgegevens"
    click.echo(f"Database gemaakt: {app.db_path} ({filled}).")


@click.command(
    "journal",
    cls=Command,
    help="Toon de geschiedenis van alle wijzigingen (oudste eerst).\n\n"
    "Voorbeeld: hecht-tracker journal --since 'ma 23 nov'",
)
@click.option(
    "--since", metavar="DATUM", help="Alleen wijzigingen vanaf deze dag (Amsterdamse tijd)."
)
@click.option("--json", "as_json", is_flag=True, help="Als JSON.")
@pass_app
def journal_command(app: AppContext, since: str | None, as_json: bool) -> None:
    from zoneinfo import ZoneInfo

    from hecht_tracker.core import dates
    from hecht_tracker.core.fields import to_record
    from hecht_tracker.core.status import change_event
    from hecht_tracker.text.status import journal_line

    start = None
    if since:
        day = dates.parse_date(since, app.today, past=True)
        start = dt.datetime.combine(day, dt.time.min, ZoneInfo(dates.TIMEZONE))
    entries = app.store.journal(since=start)
    if as_json:
        print_json([to_record(entry) for entry in entries])
        return
    if not entries:
        click.echo("Geen wijzigingen.")
    zone = ZoneInfo(dates.TIMEZONE)
    for entry in entries:
        when = entry.at.astimezone(zone).strftime("%d-%m-%Y %H:%M")
        click.echo(f"{when}  {journal_line(change_event(entry))}")


# --- settings ---------------------------------------------------------------------------------

_SETTING_HELP = {
    "organisation": "naam van de organisatie",
    "organizer_email": "e-mailadres van de organisator in de agenda's",
    "organizer_name": "naam van de organisator in de agenda's",
    "documents_lead_days": "werkdagen vóór de vergadering dat stukken uit moeten, per orgaan (AB=10,DB=5)",
    "reminder_minutes": "herinnering in de agenda, minuten vooraf (0 = geen)",
    "meeting_minutes": "standaardduur van een vergadering met begintijd, in minuten",
    "backups_keep": "aantal dagelijkse reservekopieën dat bewaard blijft (in backups/)",
}


@click.group(
    "settings",
    cls=Group,
    invoke_without_command=True,
    help="Toon of wijzig de instellingen.\n\n"
    "Voorbeeld: hecht-tracker settings set documents-lead-days AB=10,DB=5",
)
@click.option("--json", "as_json", is_flag=True, help="Als JSON.")
@click.pass_context
def settings_group(ctx: click.Context, as_json: bool) -> None:
    if ctx.invoked_subcommand is not None:
        return
    app = ctx.find_object(AppContext)
    assert app is not None
    settings = dataclasses.asdict(app.store.settings())
    settings.pop("feed_token", None)
    if as_json:
        print_json(settings)
        return
    for key, value in settings.items():
        shown = ",".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else value
        click.echo(f"{key.replace('_', '-'):<22} {shown}   # {_SETTING_HELP[key]}")


@settings_group.command(
    "set",
    help="Wijzig één instelling.\n\nSleutels: "
    + ", ".join(k.replace("_", "-") for k in _SETTING_HELP)
    + ".\n\nVoorbeeld: hecht-tracker settings set reminder-minutes 2880",
)
@click.argument("key", metavar="SLEUTEL")
@click.argument("value", metavar="WAARDE")
@pass_app
def settings_set(app: AppContext, key: str, value: str) -> None:
    name = key.replace("-", "_")
    if name not in _SETTING_HELP:
        raise ValidationError(
            f"Onbekende instelling '{key}'. Kies uit: {', '.join(_SETTING_HELP)}."
        )
    app.store.update_settings({name: _parse_setting(name, value)})
    click.echo(f"Instelling {key} gewijzigd.")


def _parse_setting(name: str, value: str) -> Any:
    if name.endswith("_minutes"):
        if not (value.strip().isascii() and value.strip().isdigit()):
            raise ValidationError(f"'{value}' is geen aantal minuten.")
        return int(value)
    if name == "documents_lead_days":
        lead: dict[str, int] = {}
        for part in value.replace(";", ",").split(","):
            body, _, days = part.partition("=")
            if not body.strip() or not (days.strip().isascii() and days.strip().isdigit()):
                raise ValidationError(
                    f"Schrijf werkdagen per orgaan als AB=10,DB=5 (niet '{part}')."
                )
            from hecht_tracker.core.model import normalise_body

            lead[normalise_body(body)] = int(days)
        return lead
    if name == "backups_keep":
        if not value.strip().isdigit() or not 1 <= int(value) <= 1000:
            raise ValidationError(f"'{value}' is geen aantal reservekopieën (1 tot 1000).")
        return int(value)
    return value.strip()


# --- import / export --------------------------------------------------------------------------

_KIND_CHOICE = click.Choice(["milestones", "actions", "benefits", "goals"])
# Below this many rows an import is over before a progress bar would say anything.
PROGRESS_FROM_ROWS = 200


@click.command(
    "import",
    cls=Command,
    short_help="Importeer records uit CSV of JSON, alles of niets.",
    help="Importeer records uit CSV of JSON (velden zoals bij --json), alles of niets.\n\n"
    "Een rij met een bestaande uid werkt dat record bij; zonder uid komt er een nieuw record.\n\n"
    "Voorbeeld: hecht-tracker import acties.csv --kind actions",
)
@click.argument("file", metavar="BESTAND", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--kind", type=_KIND_CHOICE, help="Verplicht: wat het bestand bevat.")
@pass_app
def import_command(app: AppContext, file: Path, kind: str | None) -> None:
    from hecht_tracker.transfer import KINDS, import_file, read_rows

    rows = read_rows(file)
    entity = KINDS[_required_kind(kind)]
    store = app.store
    if sys.stderr.isatty() and len(rows) >= PROGRESS_FROM_ROWS:
        with click.progressbar(rows, label="Importeren", file=sys.stderr) as bar:
            added, updated = import_file(store, entity, rows, app.today, progress=iter(bar))
    else:
        added, updated = import_file(store, entity, rows, app.today)
    click.echo(f"{added} toegevoegd, {updated} bijgewerkt.")


@click.command(
    "export",
    cls=Command,
    help="Exporteer records als CSV of JSON, naar stdout of een bestand.\n\n"
    "Voorbeeld: hecht-tracker export --kind milestones --format csv --out mijlpalen.csv",
)
@click.option("--kind", type=_KIND_CHOICE, help="Verplicht: welke records.")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="json", help="Standaard json."
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="BESTAND",
    help="Schrijf naar dit bestand.",
)
@pass_app
def export_command(app: AppContext, kind: str | None, fmt: str, out: Path | None) -> None:
    from hecht_tracker.transfer import KINDS, export_records

    text = export_records(app.store, KINDS[_required_kind(kind)], fmt)
    if out is None:
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    click.echo(f"Geschreven: {out}")


def _required_kind(kind: str | None) -> str:
    if kind is None:
        raise ValidationError("Geef --kind: milestones, actions, benefits of goals.")
    return kind


COMMANDS: list[click.Command] = [
    init_command,
    journal_command,
    settings_group,
    import_command,
    export_command,
]
