"""The ``db`` commands: back up, restore and check the database file."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from hecht_tracker.cli.context import AppContext, Group, pass_app


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@click.group(
    "db",
    cls=Group,
    help="Reservekopieën maken en terugzetten, en de database controleren.\n\n"
    "Voorbeeld: hecht-tracker db backup",
)
def db_group() -> None:
    pass


@db_group.command(
    "backup",
    help="Maak een reservekopie van de database, ook terwijl iemand anders schrijft.\n\n"
    "Zonder BESTAND komt de kopie naast de database, met datum en tijd in de naam.\n\n"
    "Voorbeeld: hecht-tracker db backup ~/hecht-kopie.sqlite",
)
@click.argument(
    "target",
    metavar="[BESTAND]",
    required=False,
    type=click.Path(dir_okay=False, path_type=Path),
)
@pass_app
def backup_command(app: AppContext, target: Path | None) -> None:
    from hecht_tracker.storage import maintenance

    made = maintenance.backup_database(app.db_path, target, _now())
    click.echo(f"Reservekopie gemaakt: {made}")


@db_group.command(
    "restore",
    help="Zet een reservekopie terug: de database krijgt precies de gegevens van dat moment.\n\n"
    "Eerst wordt een reservekopie van de huidige database gemaakt. Programma's die de "
    "database open hebben zien meteen de teruggezette gegevens.\n\n"
    "Voorbeeld: hecht-tracker db restore db/backups/hecht-20261123T091500.bak.sqlite",
)
@click.argument("source", metavar="BESTAND", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Niet om bevestiging vragen.")
@pass_app
def restore_command(app: AppContext, source: Path, yes: bool) -> None:
    from hecht_tracker.storage import files

    files.refuse_network_share(app.db_path, allow=app.allow_network_share)
    if not source.is_file():
        from hecht_tracker.core.errors import DatabaseError

        raise DatabaseError(f"Reservekopie {source} bestaat niet.")
    if not yes:
        click.echo(f"De gegevens in {app.db_path} worden vervangen door die uit {source}.")
        answer = click.prompt("Weet u het zeker? [j/N]", default="", show_default=False)
        if answer.strip().lower() not in {"j", "ja", "y", "yes"}:
            click.echo("Niets veranderd.")
            return
    from hecht_tracker.storage.store import restore

    app.close()  # this process's own connection must not hold a transaction open
    before = restore(app.db_path, source)
    click.echo(f"Teruggezet uit {source}. De gegevens van daarvoor staan in {before}.")


@db_group.command(
    "check",
    help="Controleer de database: beschadigde pagina's, verwijzingen, schemaversie en of "
    "het journaal klopt met de huidige gegevens.\n\n"
    "Eindigt met code 1 als er iets mis is.\n\n"
    "Voorbeeld: hecht-tracker db check",
)
@pass_app
def check_command(app: AppContext) -> None:
    from hecht_tracker.storage import check

    report = check.check(app.db_path)
    for note in report.notes:
        click.echo(note)
    if not report.problems:
        click.echo("Geen problemen gevonden.")
        return
    count = len(report.problems)
    click.echo(f"{count} {'probleem' if count == 1 else 'problemen'} gevonden in {app.db_path}:")
    for problem in report.problems:
        click.echo(f"- {problem}")
    sys.exit(1)


COMMANDS: list[click.Command] = [db_group]
