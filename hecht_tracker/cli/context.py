"""What every command shares: the opened store, "today", Dutch help and Dutch error lines."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from hecht_tracker.errors import TrackerError

if TYPE_CHECKING:
    from hecht_tracker.store import Store


@dataclass
class AppContext:
    """The one place the CLI reads the clock and opens the database."""

    db_path: Path
    today_text: str | None = None
    _store: Store | None = field(default=None, repr=False)

    @property
    def today(self) -> dt.date:
        from hecht_tracker import dates

        if self.today_text:
            return dates.parse_iso_date(self.today_text, "datum voor --today")
        return dates.today_in_amsterdam()

    @property
    def store(self) -> Store:
        if self._store is None:
            from hecht_tracker.store import Store

            today = self.today  # refuse a bad --today before touching the database
            self._store = Store.open(self.db_path)
            self._store.today_override = today
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


pass_app = click.make_pass_decorator(AppContext)


def print_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


_HEADINGS = {"Options": "Opties", "Commands": "Opdrachten", "Arguments": "Argumenten"}


class DutchHelpFormatter(click.HelpFormatter):
    """Click's help with Dutch headings."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="Gebruik: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_HEADINGS.get(heading, heading))


class DutchContext(click.Context):
    formatter_class = DutchHelpFormatter


class _DutchHelp(click.Command):
    context_class = DutchContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Toon deze hulp en stop."
        return option


class Command(_DutchHelp):
    """A command whose help reads in Dutch; use ``cls=Command`` (groups: ``cls=Group``)."""


class Group(_DutchHelp, click.Group):
    """A group of Dutch commands; subcommands and subgroups made on it inherit that."""

    command_class = Command
    group_class = type


def dutch_usage_error(error: click.UsageError) -> str:
    """One Dutch line for click's English usage errors."""
    if isinstance(error, click.NoSuchOption):
        hint = (
            f" Bedoelde u {', '.join(sorted(error.possibilities))}?" if error.possibilities else ""
        )
        return f"Onbekende optie: {error.option_name}.{hint}"
    if isinstance(error, click.MissingParameter):
        name = error.param.human_readable_name if error.param else "een waarde"
        return f"Ontbrekend: {name}."
    if isinstance(error, click.BadOptionUsage):
        return f"Optie {error.option_name} verwacht een waarde."
    if isinstance(error, click.BadParameter):
        name = error.param.get_error_hint(error.ctx) if error.param and error.ctx else "waarde"
        kind = error.param.type if error.param else None
        if isinstance(kind, click.Choice):
            return f"Ongeldige waarde voor {name}: kies uit {', '.join(map(str, kind.choices))}."
        if isinstance(kind, click.types.IntParamType):
            return f"Ongeldige waarde voor {name}: dat is geen geheel getal."
        return f"Ongeldige waarde voor {name}: {error.message}"
    message = error.message
    if message.startswith("No such command"):
        name = message.split("'")[1] if "'" in message else message
        return f"Onbekende opdracht: '{name}'."
    if message.startswith("Got unexpected extra argument"):
        return "Te veel argumenten: " + message.split("(")[-1].rstrip(")") + "."
    return f"Ongeldig gebruik: {message}"


class RootGroup(Group):
    """The root group: every error comes out as one Dutch line with the right exit code."""

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        extra.pop("standalone_mode", None)
        try:
            return super().main(args=args, prog_name=prog_name, standalone_mode=False, **extra)
        except click.UsageError as error:
            fail(dutch_usage_error(error), 2)
        except TrackerError as error:
            fail(str(error), error.exit_code)
        except click.exceptions.Abort:
            fail("Afgebroken.", 1)
        except click.ClickException as error:
            fail(error.format_message(), error.exit_code)
        except KeyboardInterrupt:
            fail("Afgebroken.", 130)
        return None


def fail(message: str, code: int) -> None:
    click.echo(f"Fout: {message}", err=True)
    sys.exit(code)
