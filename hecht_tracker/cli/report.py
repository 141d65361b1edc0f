"""``hecht-tracker report weekly``: the weekly status report in text, Markdown, HTML or PDF."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hecht_tracker.cli.context import AppContext, Group, pass_app
from hecht_tracker.core.errors import TrackerError, ValidationError

FORMAT_CHOICES = ("text", "markdown", "html", "pdf")


@click.group(
    "report",
    cls=Group,
    help="Rapporten over de voortgang van de strategie.\n\n"
    "Voorbeeld: hecht-tracker --today 2026-11-23 report weekly --format html --out week48.html",
)
def report() -> None:
    """Reports for the directie and the board."""


@report.command(
    "weekly",
    help="Maak het weekrapport (statusrapport) van een ISO-week.\n\n"
    "Standaard de week van vandaag (of van --today), als tekst op het scherm. Hetzelfde "
    "databasebestand en dezelfde --today geven precies hetzelfde rapport.\n\n"
    "\b\n"
    "Voorbeelden:\n"
    "  hecht-tracker report weekly\n"
    "  hecht-tracker report weekly --week 2026-W48 --format pdf --out weekrapport-48.pdf\n"
    "  hecht-tracker report weekly --date 26-11-2026 --format markdown | mail -s Status directie\n"
    "\b\n"
    "Elke maandag om 7:00 uur via cron:\n"
    "  0 7 * * 1  hecht-tracker --db /pad/hecht.sqlite report weekly --format pdf "
    '--out "weekrapport-$(date +\\%G-W\\%V).pdf"',
)
@click.option(
    "--week",
    metavar="JJJJ-Wnn",
    help="De ISO-week, bijvoorbeeld 2026-W48 (standaard de week van vandaag).",
)
@click.option(
    "--date",
    "day",
    metavar="DATUM",
    help="Een dag in de gewenste week, bijvoorbeeld 26-11-2026 of 'do 26 nov'.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_CHOICES),
    default="text",
    help="Het formaat: text (standaard; 80 kolommen, A4), markdown (mail, Teams), html of pdf.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="BESTAND",
    help="Schrijf naar dit bestand in plaats van naar het scherm.",
)
@pass_app
def weekly(app: AppContext, week: str | None, day: str | None, fmt: str, out: Path | None) -> None:
    from hecht_tracker.core import dates
    from hecht_tracker.services.report import weekly_report

    if week and day:
        raise ValidationError("Kies --week of --date, niet allebei.")
    today = app.today
    if week:
        monday = dates.parse_iso_week(week)
    elif day:
        monday = dates.week_start(dates.parse_date(day, today))
    else:
        monday = dates.week_start(today)
    if fmt == "pdf" and out is None and sys.stdout.isatty():
        raise ValidationError(
            "Een pdf hoort niet op het scherm: geef --out BESTAND of stuur de uitvoer door "
            "(bijvoorbeeld > weekrapport.pdf)."
        )
    content = weekly_report(app.store, today, monday, fmt)
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(f".{out.name}.tmp")
        partial.write_bytes(content)
        partial.replace(out)  # readers never see half a report
    except OSError as error:
        raise TrackerError(f"Kan {out} niet schrijven: {error.strerror}.") from None
    if sys.stderr.isatty():
        click.echo(f"Weekrapport {dates.iso_week_label(monday)} geschreven naar {out}.", err=True)


COMMANDS = [report]
