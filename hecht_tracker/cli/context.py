"""What every command shares: the opened store, "today", Dutch help and Dutch error lines."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from hecht_tracker.core.errors import TrackerError

if TYPE_CHECKING:
    from hecht_tracker.storage.store import Store


@dataclass
class AppContext:
    """The one place the CLI reads the clock and opens the database."""

    db_path: Path
    today_text: str | None = None
    allow_network_share: bool = False
    _store: Store | None = field(default=None, repr=False)

    @property
    def today(self) -> dt.date:
        from hecht_tracker.core import dates

        if self.today_text:
            from hecht_tracker.core import limits

            day = dates.parse_iso_date(self.today_text, "datum voor --today")
            return limits.check_date(day, "--today")
        return dates.today_in_amsterdam()

    @property
    def store(self) -> Store:
        if self._store is None:
            from hecht_tracker.storage.store import Store

            today = self.today  # refuse a bad --today before touching the database
            self._store = Store.open(self.db_path, allow_network_share=self.allow_network_share)
            self._store.today_override = today
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


pass_app = click.make_pass_decorator(AppContext)
# A record id as SQLite can hold it; a larger number is refused before any lookup.
RECORD_ID = click.IntRange(1, 2**63 - 1)


def print_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


_HEADINGS = {"Options": "Opties", "Commands": "Opdrachten", "Arguments": "Argumenten"}


class DutchHelpFormatter(click.HelpFormatter):
    """Click's help with Dutch headings."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="Gebruik: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_HEADINGS.get(heading, heading))

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        dutch = [
            (term, text.replace("[default: ", "[standaard: ").replace("[required]", "[verplicht]"))
            for term, text in rows
        ]
        super().write_dl(dutch, col_max, col_spacing)


class DutchContext(click.Context):
    formatter_class = DutchHelpFormatter


class _DutchHelp(click.Command):
    context_class = DutchContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Toon deze hulp en stop."
        return option

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        dutch = {"[OPTIONS]": "[OPTIES]", "COMMAND [ARGS]...": "OPDRACHT [ARGUMENTEN]..."}
        return [dutch.get(piece, piece) for piece in super().collect_usage_pieces(ctx)]


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
        if isinstance(kind, click.IntRange) and "not in the range" in error.message:
            return f"Ongeldige waarde voor {name}: {_range_text(kind)}."
        if isinstance(kind, click.types.IntParamType):
            return f"Ongeldige waarde voor {name}: dat is geen geheel getal."
        if isinstance(kind, click.Path):
            problem = "is een map" if "is a directory" in error.message else "is niet bruikbaar"
            if "does not exist" in error.message:
                problem = "bestaat niet"
            return f"Ongeldige waarde voor {name}: {problem}."
        return f"Ongeldige waarde voor {name}: {error.message}"
    message = error.message
    if message.startswith("No such command"):
        name = message.split("'")[1] if "'" in message else message
        return f"Onbekende opdracht: '{name}'."
    if message.startswith("Got unexpected extra argument"):
        return "Te veel argumenten: " + message.split("(")[-1].rstrip(")") + "."
    return f"Ongeldig gebruik: {message}"


def _range_text(kind: click.IntRange) -> str:
    if kind.max is None or kind.max >= 2**62:
        return f"een geheel getal vanaf {kind.min}"
    return f"een geheel getal van {kind.min} tot en met {kind.max}"


class RootGroup(Group):
    """The root group: every error comes out as one Dutch line with the right exit code.

    Its commands are loaded when first asked for: ``lazy_commands`` names, per command, the
    module of :mod:`hecht_tracker.cli` whose ``COMMANDS`` holds it (Click's pattern for lazily
    loaded subcommands)."""

    lazy_commands: dict[str, str] = {}  # noqa: RUF012 - set once, on the one root group

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = self.lazy_commands.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            from importlib import import_module

            for command in import_module(f"hecht_tracker.cli.{module}").COMMANDS:
                self.add_command(command)
        return super().get_command(ctx, cmd_name)

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        extra.pop("standalone_mode", None)
        report_damage_on_stderr()
        try:
            return super().main(args=args, prog_name=prog_name, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as error:
            click.echo(error.ctx.get_help() if error.ctx else error.message)
            sys.exit(0)
        except click.UsageError as error:
            fail(dutch_usage_error(error), 2)
        except TrackerError as error:
            fail(str(error), error.exit_code)
        except (click.exceptions.Abort, KeyboardInterrupt):
            fail("Afgebroken.", 130)
        except click.ClickException as error:
            fail(error.format_message(), error.exit_code)
        except sqlite3.Error as error:
            fail(f"De database gaf een fout: {error}.", 1)
        except OSError as error:
            fail(dutch_os_error(error), 1)
        except RecursionError:
            fail("De invoer is te diep genest of te lang om te verwerken.", 2)
        except MemoryError:
            fail("Niet genoeg geheugen voor deze opdracht; probeer een kleiner bestand.", 1)
        except Exception as error:  # the last guard: never a traceback, always one line
            if os.environ.get("HECHT_TRACKER_DEBUG"):
                raise
            fail(
                f"Onverwachte fout ({type(error).__name__}): {error}. "
                "Zet HECHT_TRACKER_DEBUG=1 voor details.",
                1,
            )
        return None


def dutch_os_error(error: OSError) -> str:
    """A file problem in one Dutch sentence, naming the file."""
    name = error.filename or "bestand"
    if isinstance(error, FileNotFoundError):
        return f"{name}: map of bestand bestaat niet."
    if isinstance(error, PermissionError):
        return f"{name}: geen toegang."
    if isinstance(error, IsADirectoryError):
        return f"{name} is een map, geen bestand."
    return f"{name}: {error.strerror or error}."


# A message longer than this is cut: it quotes what was typed, which may be megabytes.
MAX_MESSAGE_LENGTH = 500


def one_line(message: str) -> str:
    """``message`` as one printable line: line breaks and control characters become spaces,
    bytes that were not UTF-8 (kept by Python as lone surrogates) become �, and it is cut to
    a readable length."""
    cleaned = "".join(_printable(char) for char in message[: MAX_MESSAGE_LENGTH * 2])
    cleaned = " ".join(cleaned.split())
    if len(cleaned) > MAX_MESSAGE_LENGTH or len(message) > MAX_MESSAGE_LENGTH * 2:
        cleaned = cleaned[: MAX_MESSAGE_LENGTH - 1].rstrip() + "…"
    return cleaned


def _printable(char: str) -> str:
    if char.isprintable():
        return char
    category = unicodedata.category(char)
    if category == "Cs":
        return "\ufffd"
    return " " if category in ("Cc", "Zl", "Zp") else char


def fail(message: str, code: int) -> None:
    click.echo(f"Fout: {one_line(message)}", err=True)
    sys.exit(code)


class _WarningLine(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"Waarschuwing: {one_line(record.getMessage())}"


def report_damage_on_stderr() -> None:
    """Show records the store leaves out because they are damaged as a line on stderr each."""
    damaged = logging.getLogger("hecht_tracker.damaged")
    if not any(getattr(h, "hecht_stderr", False) for h in damaged.handlers):
        handler = logging.StreamHandler(_Stderr())
        handler.setFormatter(_WarningLine())
        handler.hecht_stderr = True  # type: ignore[attr-defined]
        damaged.addHandler(handler)
        damaged.propagate = False


class _Stderr:
    """Whatever ``sys.stderr`` is at the moment of writing (a test runner swaps it)."""

    def write(self, text: str) -> int:
        click.echo(text, err=True, nl=False)
        return len(text)

    def flush(self) -> None:
        sys.stderr.flush()
