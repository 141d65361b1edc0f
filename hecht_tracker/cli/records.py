"""``milestone``, ``action``, ``benefit`` and ``goal``: list, show, add, update, delete.

The four groups are built from the field specs in :mod:`hecht_tracker.core.fields`, so every field
has an option named after it (``--start-time``, ``--depends-on``, ``--goal``) and the options
take what Dutch users type (``16 dec``, ``14.00``, ``afgerond``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from hecht_tracker.cli.context import RECORD_ID, AppContext, Group, pass_app, print_json
from hecht_tracker.core import dates, kinds
from hecht_tracker.core.errors import ValidationError
from hecht_tracker.core.fields import (
    FIELDS,
    FieldSpec,
    parse_fields,
    parse_measurement_date,
    to_record,
)

_HELP = {
    "milestone": (
        "Mijlpalen: vergaderingen, themabijeenkomsten, deadlines en producten.",
        "milestone",
    ),
    "action": ("Acties en afspraken, met eigenaar en deadline.", "action"),
    "benefit": ("Baten van Hecht24 (en andere programma's), met metingen.", "benefit"),
    "goal": ("Strategische doelen van een programma.", "goal"),
}
_EXAMPLES = {
    "milestone": 'hecht-tracker milestone add "Extra DB-vergadering" --date 10-12-2026 --body DB --start-time 14:00',
    "action": 'hecht-tracker action add "Werkplan naar DB sturen" --owner Hecht --due-date "19 nov" --goal 1',
    "benefit": 'hecht-tracker benefit add "Minder ziekteverzuim" --category werkgeverschap --status verwacht',
    "goal": 'hecht-tracker goal add "Nieuw doel" --programme 1',
}


def _field_options(
    entity: str, *, with_uid: bool
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        for spec in reversed(list(FIELDS[entity].values())):
            if spec.name == "title" or (spec.name == "uid" and not with_uid):
                continue
            function = click.option(
                spec.option,
                spec.name,
                multiple=spec.type == "refs",
                metavar=_metavar(spec),
                help=_option_help(spec),
            )(function)
        return function

    return decorate


def _metavar(spec: FieldSpec) -> str:
    return {
        "date": "DATUM",
        "time": "TIJD",
        "ref": "ID",
        "refs": "ID",
        "int": "GETAL",
        "enum": "WAARDE",
    }.get(spec.type, "TEKST")


def _option_help(spec: FieldSpec) -> str:
    text = spec.label.capitalize()
    if spec.enum is not None:
        text += ": " + ", ".join(member.label for member in spec.enum)
    if spec.type == "refs":
        text += " (herhaalbaar; leeg maakt de lijst leeg)"
    if spec.type == "date":
        text += " (bijv. 16-12-2026 of 16 dec)"
    return text + "."


def _given(values: dict[str, Any]) -> dict[str, Any]:
    """Only the options the user typed: None means absent, () an unrepeated list option."""
    return {k: v for k, v in values.items() if v is not None and v != ()}


def entity_group(entity: str) -> click.Group:
    noun = kinds.noun(entity)
    plural = kinds.plural(entity)
    summary, name = _HELP[entity]

    @click.group(
        name=name,
        cls=Group,
        short_help=summary,
        help=f"{summary}\n\nVoorbeeld:\n\n  {_EXAMPLES[entity]}",
    )
    def group() -> None:
        pass

    @group.command(
        "list",
        help=f"Toon alle {plural} in een tabel, of als JSON.\n\nVoorbeeld: hecht-tracker {name} list --json",
    )
    @click.option("--json", "as_json", is_flag=True, help="Als JSON (velden van het datamodel).")
    @_filter_options(entity)
    @pass_app
    def list_command(app: AppContext, /, as_json: bool, **filters: Any) -> None:
        if as_json and entity != "benefit":
            # Straight from SQL to JSON: no domain objects, no Rich, no holiday calendar.
            _echo_json_records(app, entity, _given(filters))
            return
        records = _select(app, entity, _given(filters))
        if as_json:
            print_json([to_record(record) for record in records])
            return
        from hecht_tracker.cli.output import print_table

        print_table(entity, records, app.today)

    @group.command(
        "show", help=f"Toon één {noun} met alle velden.\n\nVoorbeeld: hecht-tracker {name} show 1"
    )
    @click.argument("record_id", metavar="ID", type=RECORD_ID)
    @click.option("--json", "as_json", is_flag=True, help="Als JSON.")
    @pass_app
    def show_command(app: AppContext, /, record_id: int, as_json: bool) -> None:
        record = app.store.get(entity, record_id)
        if as_json:
            print_json(to_record(record))
        else:
            from hecht_tracker.cli.output import print_details

            print_details(entity, record, app.store, app.today)

    @group.command("add", help=f"Voeg een {noun} toe.\n\nVoorbeeld: {_EXAMPLES[entity]}")
    @click.argument("title", metavar="TITEL")
    @_field_options(entity, with_uid=True)
    @click.option("--note", default="", help="Toelichting in het journaal.")
    @click.option("--json", "as_json", is_flag=True, help="Toon het resultaat als JSON.")
    @pass_app
    def add_command(
        app: AppContext, /, title: str, note: str, as_json: bool, **values: Any
    ) -> None:
        typed = parse_fields(entity, {"title": title, **_given(values)}, app.today, app.store)
        record = app.store.add(entity, typed, note)
        _report(record, as_json, f"{noun.capitalize()} {record.id} toegevoegd: {record.title}")

    @group.command(
        "update",
        help=f"Wijzig velden van een {noun}; elke wijziging komt in het journaal.\n\n"
        f"Voorbeeld: hecht-tracker {name} update 6 --status afgerond --note 'besproken'",
    )
    @click.argument("record_id", metavar="ID", type=RECORD_ID)
    @click.option("--title", "title", metavar="TEKST", help="Titel.")
    @_field_options(entity, with_uid=False)
    @click.option("--note", default="", help="Toelichting in het journaal.")
    @click.option("--json", "as_json", is_flag=True, help="Toon het resultaat als JSON.")
    @pass_app
    def update_command(
        app: AppContext, /, record_id: int, note: str, as_json: bool, **values: Any
    ) -> None:
        changes = parse_fields(entity, _given(values), app.today, app.store)
        if not changes:
            raise click.UsageError("Geef minstens één veld om te wijzigen, bijv. --status.")
        record = app.store.update(entity, record_id, changes, note)
        _report(record, as_json, f"{noun.capitalize()} {record.id} bijgewerkt.")

    delete_help = (
        "Annuleer een mijlpaal: hij blijft bestaan zodat agenda's de annulering doorgeven."
        if entity == "milestone"
        else f"Verwijder een {noun} (het journaal bewaart dat)."
    )

    @group.command("delete", help=f"{delete_help}\n\nVoorbeeld: hecht-tracker {name} delete 3")
    @click.argument("record_id", metavar="ID", type=RECORD_ID)
    @click.option("--note", default="", help="Toelichting in het journaal.")
    @pass_app
    def delete_command(app: AppContext, /, record_id: int, note: str) -> None:
        record = app.store.delete(entity, record_id, note)
        verb = "geannuleerd" if entity == "milestone" else "verwijderd"
        click.echo(f"{noun.capitalize()} {record.id} {verb}: {record.title}")

    return group


def _report(record: Any, as_json: bool, message: str) -> None:
    if as_json:
        print_json(to_record(record))
    else:
        click.echo(message)


def _filter_options(entity: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    filters: dict[str, list[tuple[str, str, str]]] = {
        "milestone": [
            ("--body", "body", "Alleen dit orgaan (AB, DB, …)."),
            ("--status", "status", "Alleen deze status."),
            ("--kind", "kind", "Alleen deze soort (vergadering, themabijeenkomst, …)."),
            ("--goal", "goal_id", "Alleen bij dit doel (id)."),
            ("--from", "since", "Vanaf deze datum."),
            ("--to", "until", "Tot en met deze datum."),
        ],
        "action": [
            ("--kind", "kind", "actie of afspraak."),
            ("--status", "status", "Alleen deze status."),
            ("--goal", "goal_id", "Alleen bij dit doel (id)."),
        ],
        "benefit": [
            ("--status", "status", "Alleen deze status."),
            ("--category", "category", "Alleen deze categorie."),
        ],
        "goal": [("--programme", "programme_id", "Alleen van dit programma (id).")],
    }

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        if entity == "action":
            function = click.option(
                "--overdue", is_flag=True, default=None, help="Alleen te late."
            )(function)
        for option, name, text in reversed(filters[entity]):
            function = click.option(option, name, help=text)(function)
        return function

    return decorate


def _typed_filters(app: AppContext, entity: str, filters: dict[str, Any]) -> dict[str, Any]:
    """The list filters as the store takes them (``--overdue`` is applied by the caller)."""
    store, today = app.store, app.today
    typed: dict[str, Any] = {}
    for name, raw in filters.items():
        if name in ("since", "until"):
            option = "--from" if name == "since" else "--to"
            try:
                typed[name] = dates.parse_date(raw, today)
            except ValidationError as error:
                raise ValidationError(f"{option}: {error}") from None
        elif name == "overdue":
            continue
        elif entity == "milestone" and name == "goal_id":
            typed[name] = parse_fields("action", {name: raw}, today, store)[name]
        else:
            typed[name] = parse_fields(entity, {name: raw}, today, store)[name]
    return typed


def _select(app: AppContext, entity: str, filters: dict[str, Any]) -> list[Any]:
    store, today = app.store, app.today
    typed = _typed_filters(app, entity, filters)
    if entity == "milestone":
        return store.milestones(**typed)
    if entity == "action":
        actions = store.actions(**typed)
        if filters.get("overdue"):
            actions = [a for a in actions if a.is_overdue(today)]
        return actions
    if entity == "benefit":
        return store.benefits(**typed)
    return store.goals(**typed)


def _echo_json_records(app: AppContext, entity: str, filters: dict[str, Any]) -> None:
    """``list --json`` straight from SQL: the same text as ``print_json`` of the records."""
    typed = _typed_filters(app, entity, filters)
    if entity == "action" and filters.get("overdue"):
        typed["overdue_on"] = app.today
    chunk: list[str] = []
    first = True
    for text in app.store.json_records(entity, **typed):
        chunk.append(("[\n" if first else ",\n") + text)
        first = False
        if len(chunk) >= 1000:
            click.echo("".join(chunk), nl=False)
            chunk = []
    chunk.append("[]\n" if first else "\n]\n")
    click.echo("".join(chunk), nl=False)


def _add_measure_command(group: click.Group) -> None:
    @group.command(
        "measure",
        help="Leg een meting van een baat vast (waarde, datum, toelichting).\n\n"
        "Voorbeeld: hecht-tracker benefit measure 11 '6,1%' --date 1-11-2026 --note 'verzuim Q3'",
    )
    @click.argument("record_id", metavar="ID", type=RECORD_ID)
    @click.argument("value", metavar="WAARDE")
    @click.option(
        "--date", "date_text", metavar="DATUM", help="Datum van de meting (standaard vandaag)."
    )
    @click.option("--note", default="", help="Toelichting.")
    @pass_app
    def measure_command(
        app: AppContext, /, record_id: int, value: str, date_text: str | None, note: str
    ) -> None:
        day = parse_measurement_date(date_text, app.today) if date_text else app.today
        measurement = app.store.add_measurement(record_id, value, day, note)
        from hecht_tracker.text.display import label

        click.echo(f"Meting vastgelegd voor baat {record_id}: {measurement.value} op {label(day)}.")


def _build_commands() -> list[click.Command]:
    groups = {entity: entity_group(entity) for entity in kinds.RECORDS}
    _add_measure_command(groups["benefit"])
    return list(groups.values())


COMMANDS = _build_commands()
