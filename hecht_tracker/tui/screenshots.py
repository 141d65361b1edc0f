"""Screenshots for the README, made by the app itself on the seeded data.

``python -m hecht_tracker.tui.screenshots docs/`` writes ``tui-overzicht.svg``,
``tui-mijlpalen.svg`` and ``tui-formulier.svg`` at 120×40, with today fixed on Monday
23 November 2026 so they match the examples in the README.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path

TODAY = dt.date(2026, 11, 23)
SIZE = (120, 40)
# (file name, keys pressed after opening)
SHOTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("tui-overzicht.svg", ()),
    ("tui-mijlpalen.svg", ("2",)),
    ("tui-formulier.svg", ("2", "n", *"Extra DB", "tab", *"3 dec 14u")),
)


async def _shoot(target: Path, keys: tuple[str, ...], theme: str) -> None:
    from hecht_tracker.storage.store import Store
    from hecht_tracker.tui.app import HechtApp

    store = Store.memory(seed=True)
    store.today_override = TODAY
    app = HechtApp(store, TODAY, blink=False, theme=theme)
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*({" ": "space"}.get(key, key) for key in keys))
        await pilot.pause(0.3)
        app.save_screenshot(target.name, str(target.parent))


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "docs").resolve()
    out.mkdir(parents=True, exist_ok=True)
    for name, keys in SHOTS:
        asyncio.run(_shoot(out / name, keys, "textual-dark"))
        print(out / name)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
