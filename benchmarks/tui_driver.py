"""Drive the terminal interface headless for the benchmark; one process per measurement.

    python benchmarks/tui_driver.py first-frame DB TODAY   # the tracker, exit after its first frame
    python benchmarks/tui_driver.py first-frame --empty     # an empty Textual app: the floor
    python benchmarks/tui_driver.py first-frame --stock     # Textual's own widgets the tracker uses
    python benchmarks/tui_driver.py ready DB TODAY          # until the records are on screen
    python benchmarks/tui_driver.py filter DB TODAY KEYS    # milliseconds from key to repaint

This is the only benchmark file that imports the tracker: everything else goes through the
command line. If the app's constructor, its filter key or the store's module change, adapt the
three names below.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import sys
import time
from importlib import import_module
from pathlib import Path
from typing import Any, ClassVar

STARTED = time.perf_counter()  # Textual and the tracker are imported later: part of the wait
SIZE = (120, 36)
FILTER_KEY = "slash"  # opens the search field of the current table
# Longer than any delay the app may wait for typing to pause before it filters.
SETTLE_SECONDS = 0.5
# Where the store class has lived; the first that imports wins.
STORE_MODULES = ("hecht_tracker.storage.store", "hecht_tracker.storage", "hecht_tracker.store")


def tracker_app(db: Path, today: dt.date) -> Any:
    """The tracker's Textual app on the database at ``db``, as ``hecht-tracker`` starts it."""
    from hecht_tracker.tui.app import HechtApp

    store_class = None
    for name in STORE_MODULES:
        try:
            store_class = import_module(name).Store
            break
        except (ImportError, AttributeError):
            continue
    if store_class is None:
        raise SystemExit("tui_driver: no Store class found; update STORE_MODULES")
    store = store_class.open(db, seed=False)
    # Nothing is exported or reported here; should it be, it lands in the benchmark's folder
    # (the working directory), which the benchmark removes.
    app = HechtApp(store, today, blink=False, calendar_dir=Path("calendars"), report_dir=Path("."))
    app.animation_level = "none"
    return app


def stock_app() -> Any:
    """A Textual app of the stock widgets the tracker's main screen is built from, and nothing
    else: a line of text, tabs with six panes of a line each, a search field and a footer with
    as many keys as the tracker's shows. Its first frame is what Textual itself needs to show
    those widgets. It composes them on the default screen, where the tracker pushes a screen of
    its own: that favours this figure by a little."""
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Input, Static, TabbedContent, TabPane

    class StockApp(App[None]):
        BINDINGS: ClassVar[list[tuple[str, str, str]]] = [
            (key, "bell", key) for key in ("n", "e", "s", "k", "slash", "m", "a", "z", "f1")
        ]

        def compose(self) -> ComposeResult:
            yield Static("kop")
            with TabbedContent():
                for title in ("Overzicht", "Mijlpalen", "Acties", "Baten", "Doelen", "Logboek"):
                    with TabPane(title):
                        yield Static(title)
            yield Input(placeholder="zoek")
            yield Footer()

    return StockApp()


def _watch_paints(app: Any, frames: list[tuple[float, str]]) -> None:
    """Append each frame the app hands to the terminal to ``frames``: its time and the search
    text of the table in view at that moment ("" when there is none).

    Headless, Textual renders each frame as on a terminal and then drops it in ``App._display``
    (a private method: adapt this if Textual renames it). Timing that call times what a person
    sees, and not Pilot's own waiting, which lasts while any thread of the app is busy.
    """
    display = app._display

    def timed_display(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None and not app._batch_count:
            frames.append((time.perf_counter(), _search_text(app)))

    app._display = timed_display


def _search_text(app: Any) -> str:
    """The search text the table in view is filtered on (the tracker's names: adapt if renamed)."""
    table = getattr(app.screen, "current_table", None)
    return getattr(table, "query_text", "") if table is not None else ""


async def _first_frame(app: Any, pushes_screen: bool) -> None:
    """Exit at the first frame of the app's own screen (the tracker pushes its main screen on
    top of Textual's default one; an empty app shows the default screen)."""
    frames: list[tuple[float, str]] = []
    _watch_paints(app, frames)
    async with app.run_test(size=SIZE):
        while not frames or (pushes_screen and len(app.screen_stack) < 2):
            frames.clear()  # a frame of the default screen, before the tracker's came
            await asyncio.sleep(0.001)
        print(json.dumps({"first_frame_s": frames[0][0] - STARTED}), flush=True)
        # Stop right here: what follows (tear-down) is not part of what a person waits for.
        os._exit(0)


async def _ready(app: Any) -> None:
    """Return once the records are on screen: a large database is read after the first frame,
    in a worker; this waits for it as a person waits for the rows."""
    async with app.run_test(size=SIZE) as pilot:
        await _records_shown(app, pilot)
        print(json.dumps({"ready_s": time.perf_counter() - STARTED}), flush=True)
        os._exit(0)


async def _records_shown(app: Any, pilot: Any) -> None:
    await pilot.pause()
    while len(app.screen_stack) < 2:
        await pilot.pause(0.001)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _filter(app: Any, keys: str) -> dict[str, list[float]]:
    """Open the search field, type one letter, and time two things: until the first frame
    that shows the table filtered on it (``filter_ms``) and until the screen stops changing
    (``settled_ms``: the details of the record now under the cursor, the scrollbar). The app
    does not blink, so nothing else repaints. Then clear the search; repeat per key."""
    shown, settled = [], []
    frames: list[tuple[float, str]] = []
    _watch_paints(app, frames)
    async with app.run_test(size=SIZE) as pilot:
        await _records_shown(app, pilot)
        for key in keys:
            await pilot.press(FILTER_KEY)
            await _settled(app)
            frames.clear()
            start = time.perf_counter()
            await pilot.press(key)
            await _settled(app)
            filtered = [at for at, text in frames if text == key]
            shown.append((filtered[0] - start) * 1000 if filtered else float("nan"))
            settled.append((frames[-1][0] - start) * 1000 if frames else float("nan"))
            await pilot.press("enter", "escape")
            await _settled(app)
    return {"filter_ms": shown, "settled_ms": settled}


async def _settled(app: Any) -> None:
    """Wait until the app's workers are done and any typing delay has passed. Plain sleeps, not
    ``pilot.pause()``: that ends by forcing a screen update, a frame the app did not ask for."""
    await app.workers.wait_for_complete()
    await asyncio.sleep(SETTLE_SECONDS)
    await app.workers.wait_for_complete()


def main(argv: list[str]) -> int:
    if argv[:2] == ["first-frame", "--empty"]:
        from textual.app import App

        asyncio.run(_first_frame(App(), pushes_screen=False))
        return 0
    if argv[:2] == ["first-frame", "--stock"]:
        asyncio.run(_first_frame(stock_app(), pushes_screen=False))
        return 0
    command, db, today = argv[0], Path(argv[1]), dt.date.fromisoformat(argv[2])
    if command == "first-frame":
        asyncio.run(_first_frame(tracker_app(db, today), pushes_screen=True))
        return 0
    if command == "ready":
        asyncio.run(_ready(tracker_app(db, today)))
        return 0
    if command == "filter":
        print(json.dumps(asyncio.run(_filter(tracker_app(db, today), argv[3]))), flush=True)
        os._exit(0)
    raise SystemExit(f"tui_driver: unknown command {command!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
