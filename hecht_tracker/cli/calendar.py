"""``hecht-tracker calendar``: export the ICS calendars, serve the live feed, manage its token."""

from __future__ import annotations

import secrets
import signal
from pathlib import Path

import click

from hecht_tracker.cli.context import AppContext, Group, pass_app

DEFAULT_OUT = Path("calendars")
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


@click.group(
    "calendar",
    cls=Group,
    help="Agenda's voor bestuurders: ICS-bestanden exporteren en als live abonnement serveren.\n\n"
    "\b\n"
    "Voorbeelden:\n"
    "  hecht-tracker calendar export --out calendars\n"
    "  hecht-tracker calendar serve --port 8765\n"
    "  hecht-tracker calendar token --rotate",
)
def calendar() -> None:
    pass


@calendar.command(
    "export",
    help="Schrijf alle agenda's als ICS-bestanden: alle.ics, één per orgaan (ab.ics, db.ics, …) "
    "en intern.ics (ook interne mijlpalen en de deadlines voor de stukken).\n\n"
    "Bestanden die niet veranderd zijn blijven onaangeroerd; zet de map op een webserver om "
    "de agenda's zonder 'calendar serve' te publiceren.\n\n"
    "Voorbeeld: hecht-tracker calendar export --out /var/www/agenda",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="MAP",
    default=DEFAULT_OUT,
    show_default=True,
    help="Map waarin de bestanden komen.",
)
@pass_app
def export_command(app: AppContext, out_dir: Path) -> None:
    from hecht_tracker.services.calendars import export_calendars
    from hecht_tracker.storage.undo import record_export

    for path in export_calendars(app.store, out_dir):
        click.echo(str(path))
    record_export(app.store)  # undo then cancels instead of removing


@calendar.command(
    "serve",
    help="Serveer de agenda's live uit de database, met een overzichtspagina op / met "
    "abonneerlinks (webcal:// en https://). Stop met Ctrl+C.\n\n"
    "Zonder --token geldt het token uit de instellingen (zie 'calendar token'), als dat er is.\n\n"
    "Voorbeeld: hecht-tracker calendar serve --host 0.0.0.0 --port 8765",
)
@click.option(
    "--host",
    metavar="ADRES",
    default=DEFAULT_HOST,
    show_default=True,
    help="Adres waarop de server luistert.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    metavar="POORT",
    default=DEFAULT_PORT,
    show_default=True,
    help="Poort (0 = kies een vrije poort).",
)
@click.option("--token", metavar="GEHEIM", help="Geheim dat in elke URL moet staan.")
@click.option(
    "--behind-proxy",
    is_flag=True,
    help="Draait achter een https-proxy op deze machine: volg X-Forwarded-Proto en -Host.",
)
@pass_app
def serve_command(
    app: AppContext, host: str, port: int, token: str | None, behind_proxy: bool
) -> None:
    from hecht_tracker.core import limits
    from hecht_tracker.serve.feed import CalendarFeed, FeedServer, calendar_path

    if token is not None:  # the same shape as a stored token: it must fit in a URL path
        limits.check_setting("feed_token", token)
    store = app.store  # creates, seeds or migrates the database before serving it read-only
    stored = store.settings().feed_token
    app.close()
    active = token or stored
    try:
        server = FeedServer(
            CalendarFeed(app.db_path, token=token), host=host, port=port, behind_proxy=behind_proxy
        )
    except OSError as error:
        from hecht_tracker.core.errors import TrackerError

        raise TrackerError(
            f"Kan niet luisteren op {host}:{port}: {error.strerror or error}."
        ) from None
    snapshot = server.app.snapshot()
    names = list(snapshot.files) if snapshot is not None else []
    click.echo(f"Agenda's live op {server.url}{calendar_path('', active)}")
    for name in names:
        if active or not name.startswith("intern"):
            click.echo(f"  {server.url}{calendar_path(name, active)}")
    if not active:
        click.echo(
            "Zonder token: intern.ics wordt niet geserveerd. Zet een token met 'calendar token --rotate'."
        )
        if host not in _LOOPBACK:
            click.echo(
                "Let op: de agenda's zijn zonder token voor iedereen op het netwerk te lezen."
            )
    click.echo("Stop met Ctrl+C.")
    signal.signal(signal.SIGTERM, lambda *_: server.stop())  # a service manager stops it cleanly
    server.serve()
    click.echo("Gestopt.")


@calendar.command(
    "token",
    help="Toon het token van de agenda-feed met de adressen, of maak een nieuw token: een "
    "gelekte link werkt dan niet meer (ook niet bij een draaiende server).\n\n"
    "Voorbeeld: hecht-tracker calendar token --rotate --url https://agenda.hecht.example",
)
@click.option("--rotate", is_flag=True, help="Maak een nieuw, willekeurig token en bewaar het.")
@click.option("--remove", is_flag=True, help="Verwijder het token: de feed is dan open.")
@click.option(
    "--url",
    "base_url",
    default=f"http://{DEFAULT_HOST}:{DEFAULT_PORT}",
    show_default=True,
    help="Adres waarop de feed bereikbaar is, voor de getoonde links.",
)
@pass_app
def token_command(app: AppContext, rotate: bool, remove: bool, base_url: str) -> None:
    from hecht_tracker.core.errors import ValidationError
    from hecht_tracker.serve.feed import calendar_path
    from hecht_tracker.services.calendars import calendar_names

    if rotate and remove:
        raise ValidationError("Kies --rotate of --remove, niet allebei.")
    store = app.store
    if rotate:
        store.update_settings({"feed_token": secrets.token_urlsafe(24)}, note="feedtoken vernieuwd")
        click.echo("Nieuw token gemaakt; oude links werken niet meer.")
    elif remove:
        store.update_settings({"feed_token": ""}, note="feedtoken verwijderd")
        click.echo("Token verwijderd: de openbare agenda's zijn zonder token te lezen.")
    token = store.settings().feed_token
    if not token:
        if not remove:
            click.echo("Er is geen token: de feed is open. Maak er een met --rotate.")
        return
    click.echo(f"Token: {token}")
    base = base_url.rstrip("/")
    webcal = base.split("://", 1)[-1]
    for name in calendar_names(store):
        click.echo(
            f"  {base}{calendar_path(name, token)}   (webcal://{webcal}{calendar_path(name, token)})"
        )


COMMANDS = [calendar]
