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


# Where a report goes: shared by every report command.
OUT_OPTION = click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="BESTAND",
    help="Schrijf naar dit bestand in plaats van naar het scherm.",
)


@report.command(
    "weekly",
    help="Maak het weekrapport (statusrapport) van een ISO-week.\n\n"
    "Standaard de laatste volledige week vóór vandaag (of vóór --today): wat er die week "
    "veranderde, en vanaf vandaag de stand en wat komt. Als tekst op het scherm. Standaard de "
    "versie voor het bestuur, zonder interne mijlpalen en notities. Hetzelfde databasebestand en "
    "dezelfde --today geven precies hetzelfde rapport.\n\n"
    "\b\n"
    "Voorbeelden:\n"
    "  hecht-tracker report weekly\n"
    "  hecht-tracker report weekly --week 2026-W48 --format pdf --out weekrapport-48.pdf\n"
    "  hecht-tracker report weekly --date 26-11-2026 --format markdown | mail -s Status directie\n"
    "\b\n"
    "Elke maandag om 7:00 uur via cron, over de week die net voorbij is:\n"
    "  0 7 * * 1  hecht-tracker --db /pad/hecht.sqlite report weekly --format pdf "
    '--out "weekrapport-$(date -d yesterday +\\%G-W\\%V).pdf"',
)
@click.option(
    "--week",
    metavar="JJJJ-Wnn",
    help="De ISO-week, bijvoorbeeld 2026-W48 (standaard de laatste volledige week). Een "
    "eerdere week komt uit het journaal, zoals het rapport op de maandag erna was.",
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
@OUT_OPTION
@click.option(
    "--audience",
    type=click.Choice(("bestuur", "directie")),
    default="bestuur",
    help="Voor wie: bestuur (standaard; alleen openbare mijlpalen, geen interne notities) of "
    "directie (met interne mijlpalen en notities, gemarkeerd als intern).",
)
@pass_app
def weekly(
    app: AppContext, week: str | None, day: str | None, fmt: str, audience: str, out: Path | None
) -> None:
    import datetime as dt

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
        # The last complete week: made on any day, the report looks back on a whole week.
        monday = dates.week_start(today) - dt.timedelta(days=7)
    _refuse_pdf_on_terminal(fmt, out)
    content = weekly_report(app.store, today, monday, fmt, audience)
    _write(content, out, f"Weekrapport {dates.iso_week_label(monday)}")


@report.command(
    "actielijst",
    help="Maak de actielijst: alle open afspraken met het bestuur, voor de vaste agendapost.\n\n"
    "Per afspraak het nummer, waar ze gemaakt is, de eigenaar, de deadline, hoe vaak die "
    "verschoof en de status; daarna wat er sinds de vorige vergadering van dat orgaan is "
    "afgerond. De versie voor het bestuur (standaard) bevat geen interne toelichting.\n\n"
    "\b\n"
    "Voorbeelden:\n"
    "  hecht-tracker report actielijst\n"
    "  hecht-tracker report actielijst --body AB --format pdf --out actielijst-ab.pdf\n"
    "  hecht-tracker report actielijst --audience directie --format html --out actielijst.html",
)
@click.option(
    "--body",
    default="AB",
    metavar="ORGAAN",
    help="Het orgaan waarvoor de lijst is: AB (standaard), DB, Auditcommissie, BAO.",
)
@click.option(
    "--audience",
    type=click.Choice(("bestuur", "directie")),
    default="bestuur",
    help="Voor wie: bestuur (standaard; zonder interne toelichting) of directie (met, gemarkeerd "
    "als intern).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_CHOICES),
    default="text",
    help="Het formaat: text (standaard), markdown, html of pdf.",
)
@OUT_OPTION
@pass_app
def actielijst(app: AppContext, body: str, audience: str, fmt: str, out: Path | None) -> None:
    from hecht_tracker.core.model import BODY_NAMES, normalise_body
    from hecht_tracker.render.report.actielijst import Sources, render_actielijst

    body = normalise_body(body)
    if body not in BODY_NAMES:
        raise ValidationError(f"Onbekend orgaan '{body}'. Kies uit: {', '.join(BODY_NAMES)}.")
    _refuse_pdf_on_terminal(fmt, out)
    store = app.store
    sources = Sources(
        organisation=store.settings().organisation,
        milestones=store.milestones(),
        actions=store.actions(),
        programmes=store.programmes(),
        journal=store.journal(entity="action"),
    )
    content = render_actielijst(
        sources, app.today, fmt, body, "directie" if audience == "directie" else "bestuur"
    )
    _write(content, out, f"Actielijst {body}")


def _refuse_pdf_on_terminal(fmt: str, out: Path | None) -> None:
    if fmt == "pdf" and out is None and sys.stdout.isatty():
        raise ValidationError(
            "Een pdf hoort niet op het scherm: geef --out BESTAND of stuur de uitvoer door "
            "(bijvoorbeeld > weekrapport.pdf)."
        )


def _write(content: bytes, out: Path | None, what: str) -> None:
    """To stdout, or to ``out`` through a temporary file so readers never see half a report."""
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(f".{out.name}.tmp")
        partial.write_bytes(content)
        partial.replace(out)
    except OSError as error:
        raise TrackerError(f"Kan {out} niet schrijven: {error.strerror}.") from None
    if sys.stderr.isatty():
        click.echo(f"{what} geschreven naar {out}.", err=True)


COMMANDS = [report]
